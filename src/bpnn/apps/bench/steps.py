"""Microseconds per training step: bpnn against a bound and other libraries.

Every competitor trains the same architecture (sigmoid hidden layers, identity
output, the lecture's MSE, plain SGD) on the same data, drawing a random batch
each step. ``bound`` is the matrix products alone -- forward, the backward
dL/dx and both weight gradients -- on a fixed batch: what no step can beat.
``numpy_lean`` is the leanest step NumPy allows (arrays made once, in-place
ufuncs, no layers): the floor of any NumPy engine, so ``bpnn/numpy_lean`` is
the price of bpnn's layers and ``numpy_lean/bound`` that of NumPy's calls. ``bpnn_adam`` is bpnn's step with
Adam instead of SGD; ``bpnn_adam/bpnn`` the price of Adam's update.
The competitors run in turn, repeatedly, and each reports its median, so a
burst of load from elsewhere hits them all alike; compare ratios, not times.
"""

from __future__ import annotations

import time
from functools import partial
from itertools import pairwise

import numpy as np

from ...engine.network import Network
from ...engine.optimizers import SGD, Adam
from ...explain.reference import accumulate_weight_steps, matrix_step
from ...fast.rows import Gather
from ...train.samplers import RandomBatches
from .others import sklearn_step, torch_step

#: name -> (layer sizes, batch size)
NETWORKS = {
    "bike": ([56, 20, 1], 128),
    "deep": ([56, 128, 64, 1], 128),
    "wide": ([56, 256, 1], 4096),
}
#: rows of the synthetic data set: the bike-sharing training split's size
ROWS = 15435
LR = 0.01


def make_data(n_in, dtype, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(ROWS, n_in)).astype(dtype)
    y = np.tanh(X[:, :4].sum(axis=1, keepdims=True)).astype(dtype)
    return X, y


def bpnn_step(sizes, batch, X, y, optimizer=None):
    """fit's own step: block-drawn indices, rows gathered, train_step."""
    acts = ["sigmoid"] * (len(sizes) - 2) + ["identity"]
    net = Network.from_sizes(sizes, acts, seed=0, dtype=X.dtype)
    opt = optimizer or SGD(LR)
    batches = RandomBatches(np.random.default_rng(1), len(X), batch)
    gather = Gather(X, y, X.dtype, batch)
    return lambda: net.train_step(*gather(batches.next()), opt)


def bpnn_adam_step(sizes, batch, X, y):
    """fit's step with Adam instead of SGD: the price of Adam's update."""
    return bpnn_step(sizes, batch, X, y, Adam(LR / 10))


def bound_step(sizes, batch, X, y):
    """The matrix products of one step, into preallocated arrays."""
    dt = X.dtype
    Ws = [np.full((a, b), 0.01, dt) for a, b in pairwise(sizes)]
    x = X[:batch].copy()
    outs = [np.empty((batch, s), dt) for s in sizes[1:]]
    dxs = [np.empty((batch, s), dt) for s in sizes[:-1]]
    dWs = [np.empty_like(W) for W in Ws]

    def step():
        a = x
        for W, out in zip(Ws, outs):
            a = np.matmul(a, W, out=out)
        delta = outs[-1]
        for i in range(len(Ws) - 1, -1, -1):
            np.matmul(x.T if i == 0 else outs[i - 1].T, delta, out=dWs[i])
            if i > 0:
                delta = np.matmul(delta, Ws[i].T, out=dxs[i])

    return step


def plain_step(sizes, batch, X, y):
    """A straightforward vectorised NumPy step, new arrays every time: the
    lecture's matrix form (``explain.reference.matrix_step``)."""
    rng = np.random.default_rng(1)
    Ws = [rng.normal(0, a**-0.5, (a, b)).astype(X.dtype) for a, b in pairwise(sizes)]
    bs = [np.zeros(b, X.dtype) for b in sizes[1:]]
    acts = ["sigmoid"] * (len(sizes) - 2) + ["identity"]

    def step():
        idx = rng.integers(0, len(X), batch)
        matrix_step(Ws, bs, acts, X[idx], y[idx], LR)

    return step


def lean_step(sizes, batch, X, y, params=None, indices=None):
    """The floor of any NumPy step: every array made once, in-place ufuncs,
    bpnn's block-drawn indices, no layers, no checks.

    ``params`` ([W, b, W, b, ...], default Network.from_sizes(seed=0)'s) are
    trained in place; ``indices()`` gives each step's batch of row indices.
    """
    dt, n = X.dtype, len(sizes) - 1
    if params is None:
        rng, params = np.random.default_rng(0), []
        for a, b in pairwise(sizes):
            params += [rng.normal(0, a**-0.5, (a, b)).astype(dt), np.zeros(b, dt)]
    Ws, bs = params[0::2], params[1::2]
    indices = indices or RandomBatches(np.random.default_rng(1), len(X), batch).next
    xb, yb = np.empty((batch, sizes[0]), dt), np.empty((batch, sizes[-1]), dt)
    acts = [xb] + [np.empty((batch, s), dt) for s in sizes[1:]]  # h, then a in place
    deltas = [np.empty((batch, s), dt) for s in sizes[1:]]
    dxs = [np.empty((batch, s), dt) for s in sizes[1:-1]]  # dL/da, hidden layers
    grads = [np.empty_like(p) for p in params]
    scratch = [np.empty_like(p) for p in params]
    ones = np.ones(batch, dt)

    def step():
        idx = indices()
        X.take(idx, 0, xb, "clip")
        y.take(idx, 0, yb, "clip")
        # no np.errstate (1-3 µs a with-block here): an overflow of e^-h would
        # only warn, since 1 / (1 + inf) = 0 is the right limit anyway
        for i in range(n):
            h = np.matmul(acts[i], Ws[i], out=acts[i + 1])
            h += bs[i]
            if i < n - 1:  # sigmoid: 1 / (1 + e^-h)
                np.exp(np.negative(h, out=h), out=h)
                h += 1.0
                np.reciprocal(h, out=h)
        d = np.subtract(acts[n], yb, out=deltas[n - 1])
        d *= 1.0 / batch  # the output's error term, (y_hat - y) / B
        for i in range(n - 1, -1, -1):
            np.matmul(acts[i].T, d, out=grads[2 * i])
            np.matmul(ones, d, out=grads[2 * i + 1])
            if i:  # hidden error term: (delta . W^T) * a * (1 - a)
                # one output node: the outer product element-wise, as bpnn does
                product = np.multiply if Ws[i].shape[1] == 1 else np.matmul
                g = product(d, Ws[i].T, out=dxs[i - 1])
                d = np.subtract(1.0, acts[i], out=deltas[i - 1])
                d *= acts[i]
                d *= g
        for p, g, s in zip(params, grads, scratch):
            np.multiply(g, LR, out=s)  # the weight step, lr * gradient
            p -= s

    return step


def per_record_step(sizes, batch, X, y):
    """The lecture's loop: weight steps record by record, then one update."""
    acts = ["sigmoid"] * (len(sizes) - 2) + ["identity"]
    net = Network.from_sizes(sizes, acts, seed=0, dtype=X.dtype)
    rng = np.random.default_rng(1)

    def step():
        idx = rng.integers(0, len(X), batch)
        for layer, s in zip(net.layers, accumulate_weight_steps(net, X[idx], y[idx])):
            layer.W += (LR / batch) * s["W"]
            layer.b += (LR / batch) * s["b"]

    return step


COMPETITORS = {
    "bound": bound_step,
    "bpnn": bpnn_step,
    "bpnn_adam": bpnn_adam_step,
    "numpy_lean": lean_step,
    "numpy_plain": plain_step,
    "per_record": per_record_step,
    "torch": partial(torch_step, lr=LR),
    "sklearn": partial(sklearn_step, lr=LR),
}


def available(names):
    """The competitors whose library is installed."""
    out = []
    for name in names:
        module = {"torch": "torch", "sklearn": "sklearn"}.get(name)
        if module:
            try:
                __import__(module)
            except ImportError:
                continue
        out.append(name)
    return out


def time_steps(steps, seconds=0.2, repeats=5):
    """Median µs per call of each function, timed in turns.

    Each turn runs a function for about ``seconds`` (the count calibrated once
    after a warm-up); ``repeats`` turns give the median.
    """
    counts = {}
    for name, fn in steps.items():
        fn()  # warm-up: buffers, caches, lazy initialisation
        t = time.perf_counter()
        fn()
        once = max(time.perf_counter() - t, 1e-7)
        counts[name] = max(1, int(seconds / once))
    times = {name: [] for name in steps}
    for _ in range(repeats):
        for name, fn in steps.items():
            n = counts[name]
            t = time.perf_counter()
            for _ in range(n):
                fn()
            times[name].append((time.perf_counter() - t) / n * 1e6)
    return {name: float(np.median(v)) for name, v in times.items()}


def run_config(network, dtype, threads, names, seconds, repeats):
    """One row of the table: µs per step of each competitor, and ratios."""
    from threadpoolctl import threadpool_limits

    from ...fast import parallel

    sizes, batch = NETWORKS[network]
    X, y = make_data(sizes[0], np.dtype(dtype))
    with threadpool_limits(limits=threads):
        parallel.set_threads(threads)
        if "torch" in names:
            import torch

            torch.set_num_threads(threads)
        steps = {name: COMPETITORS[name](sizes, batch, X, y) for name in names}
        us = time_steps(steps, seconds, repeats)
    parallel.set_threads(None)
    ratios = {f"bpnn/{k}": us["bpnn"] / us[k] for k in us if k != "bpnn"}
    if "numpy_lean" in us and "bound" in us:
        ratios["numpy_lean/bound"] = us["numpy_lean"] / us["bound"]
    if "bpnn_adam" in us:
        ratios["bpnn_adam/bpnn"] = us["bpnn_adam"] / us["bpnn"]
    return {
        "network": network,
        "sizes": sizes,
        "batch": batch,
        "dtype": str(dtype),
        "threads": threads,
        "us_per_step": us,
        "ratios": ratios,
    }
