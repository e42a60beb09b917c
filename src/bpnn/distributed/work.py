"""What runs on the workers: one chunk's gradient sums and loss sums.

Each task rebuilds the network from its config and the weights of the current
update (a few small arrays), so tasks never share a network's work buffers,
whether the workers are threads or processes. Nothing here imports Dask: these
are plain functions of NumPy arrays that Dask ships to where the chunks live.
"""

from __future__ import annotations

import json
import threading

import numpy as np

from ..engine.network import Network

#: shuffled row orders kept per worker process: (seed, epoch, chunk) -> order
_ORDERS = {}
_ORDERS_KEPT = 64
_ORDERS_LOCK = threading.Lock()
#: each worker thread's networks, by config, and how many of each it keeps
_THREAD = threading.local()
_NETWORKS_KEPT = 4


def local_network(spec, weights):
    """A network of ``spec`` (``Network.to_config()``) holding ``weights``
    (the arrays of ``params()``, in order).

    Each worker thread keeps its network from one update to the next, so a
    task only copies the update's weights in. A thread's network is never
    shared, so two tasks never write the same arrays (forward keeps what
    backward reads on the layer).
    """
    nets = _THREAD.__dict__.setdefault("networks", {})
    key = json.dumps(spec, sort_keys=True)
    net = nets.get(key)
    if net is None:
        net = Network.from_config(spec)
        if len(nets) >= _NETWORKS_KEPT:
            nets.clear()
        nets[key] = net
    for p, w in zip(net.params(), weights):
        p[...] = w
    return net


def hold(weights):
    """The weights of one update, as the result of a task (see
    ``updates.scatter_weights``)."""
    return weights


def chunk_order(seed, epoch, chunk, rows):
    """The shuffled order of a chunk's ``rows`` rows in ``epoch``: a function
    of (seed, epoch, chunk) alone, so any worker draws the same one."""
    key = (seed, epoch, chunk, rows)
    with _ORDERS_LOCK:  # worker threads share this process's cache
        order = _ORDERS.get(key)
        if order is None:
            order = np.random.default_rng([seed, epoch, chunk]).permutation(rows)
            if len(_ORDERS) >= _ORDERS_KEPT:
                _ORDERS.pop(next(iter(_ORDERS)))
            _ORDERS[key] = order
    return order


def step_slice(rows, steps, step):
    """Positions [start, stop) of ``step``'s share of a chunk's shuffled rows:
    the chunk is cut into ``steps`` nearly equal consecutive slices."""
    return rows * step // steps, rows * (step + 1) // steps


def batch_of(X, y, batch):
    """The rows of one update taken from this chunk: all of them (``batch``
    None), or ``(seed, epoch, chunk, steps, step)``: the ``step``-th slice of
    the chunk's shuffled order."""
    if batch is None:
        return X, y
    seed, epoch, chunk, steps, step = batch
    start, stop = step_slice(len(X), steps, step)
    idx = chunk_order(seed, epoch, chunk, len(X))[start:stop]
    return X[idx], y[idx]


def prepare_chunk(spec, X, y):
    """One chunk checked once, as ``fit`` checks its data: X (rows, n_in) and
    y (rows, n_out), both of the network's dtype."""
    net = local_network(spec, [])
    X = np.ascontiguousarray(net.check_X(X))
    return X, net.check_y(y, len(X))


def gradient_sums(spec, weights, chunk, batch=None):
    """(gradient sums, rows) of this chunk's share of one update.

    The gradient sum of a weight is the sum over the rows of the gradient of
    each row's loss, -a^T . delta with the error term delta undivided: the
    rows' mean gradient times their number. Summed over chunks and divided by
    all their rows it is the gradient of the mean loss of the union.
    """
    net = local_network(spec, weights)
    X, y = batch_of(*chunk, batch)
    net.forward(X)
    net.backward(y)
    rows = len(X)
    return [g * rows for g in net.grads()], rows


def loss_sum(spec, weights, chunk):
    """(sum of the records' losses, rows) of one chunk: the mean loss of the
    chunk, evaluated in blocks as ``fit`` does, times its rows."""
    from ..train.evaluation import dataset_loss

    net = local_network(spec, weights)
    X, y = chunk
    return dataset_loss(net, X, y) * len(X), len(X)


def predict_block(X, spec, weights):
    """y_hat (rows, n_out) of one chunk, for ``dask.array.map_blocks``."""
    return local_network(spec, weights).predict(X)
