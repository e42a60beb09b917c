"""The optimised training step computes what the plain matrix form computes.

fit's step reuses buffers, splits element-wise work over threads, draws indices
in blocks and gathers rows in place. Here it is checked against the lecture's
plain matrix-form step (``bpnn.explain.reference.matrix_step``) and its
per-record loop, for several seeds and both dtypes.
"""

import numpy as np
import pytest

import bpnn
from bpnn.explain.reference import matrix_step, per_record_gradients
from bpnn.fast import parallel
from bpnn.fast.rows import Gather
from bpnn.train.samplers import BLOCK_INDICES, RandomBatches

SIZES = {"bike": [12, 6, 1], "deep": [12, 8, 5, 1]}


def problem(seed, sizes, dtype, n=300):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, sizes[0]))
    y = np.tanh(X[:, :3].sum(axis=1, keepdims=True)) + 0.1 * rng.normal(size=(n, 1))
    acts = ["sigmoid"] * (len(sizes) - 2) + ["identity"]
    net = bpnn.Network.from_sizes(sizes, acts, seed=seed, dtype=dtype)
    return net, X.astype(dtype), y.astype(dtype)


def plain_sgd(net, X, y, lr, steps, batch, seed):
    """Random-batch SGD with the lecture's plain matrix-form step
    (``explain.reference.matrix_step``): new arrays every step, no buffers.

    Indices follow RandomBatches' documented stream: rows of blocks drawn
    with rng.integers(0, n, size=(block, batch)).
    """
    Ws = [layer.W.copy() for layer in net.layers]
    bs = [layer.b.copy() for layer in net.layers]
    acts = [layer.activation.name for layer in net.layers]
    rng = np.random.default_rng(seed)
    block = BLOCK_INDICES // batch
    for step in range(steps):
        if step % block == 0:
            indices = rng.integers(0, len(X), size=(block, batch))
        idx = indices[step % block]
        matrix_step(Ws, bs, acts, X[idx], y[idx], lr)
    return Ws + bs


def fitted(net, X, y, lr, steps, batch, seed):
    net.fit(
        X,
        y,
        optimizer=bpnn.SGD(lr),
        steps=steps,
        batch_size=batch,
        sampling="random",
        eval_every=steps,
        seed=seed,
    )
    return [layer.W for layer in net.layers] + [layer.b for layer in net.layers]


def relative(a, b):
    return np.abs(a - b).max() / np.abs(b).max()


@pytest.mark.parametrize("arch", ["bike", "deep"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_fit_equals_plain_step_float64(arch, seed):
    net, X, y = problem(seed, SIZES[arch], np.float64)
    expected = plain_sgd(net, X, y, 0.5, 3000, 16, seed)
    got = fitted(net, X, y, 0.5, 3000, 16, seed)
    for g, e in zip(got, expected):
        assert relative(g, e) < 1e-12, (g, e)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_fit_equals_plain_step_float32(seed):
    net, X, y = problem(seed, SIZES["bike"], np.float32)
    expected = plain_sgd(net, X, y, 0.5, 500, 16, seed)
    got = fitted(net, X, y, 0.5, 500, 16, seed)
    for g, e in zip(got, expected):
        assert g.dtype == np.float32
        assert relative(g, e) < 1e-4, (g, e)


@pytest.mark.parametrize("dtype,tol", [(np.float64, 1e-12), (np.float32, 1e-4)])
@pytest.mark.parametrize("seed", [3, 4])
def test_fit_equals_per_record_backprop(dtype, tol, seed):
    """Each step's gradient from the lecture's per-record loop, applied by SGD."""
    net, X, y = problem(seed, SIZES["deep"], dtype)
    ref, _, _ = problem(seed, SIZES["deep"], dtype)
    batch, steps, lr = 8, 60, 0.5
    fitted(net, X, y, lr, steps, batch, seed)
    batches = RandomBatches(np.random.default_rng(seed), len(X), batch)
    for _ in range(steps):
        idx = batches.next()
        grads = per_record_gradients(ref, X[idx], y[idx])
        for layer, g in zip(ref.layers, grads):
            layer.W -= dtype(lr) * g["W"]
            layer.b -= dtype(lr) * g["b"]
    for a, b in zip(net.params(), ref.params()):
        assert relative(a, b) < tol, (a, b)


def test_thread_count_does_not_change_the_weights(monkeypatch):
    """Rows split over threads give the bits of one thread."""
    monkeypatch.setattr(parallel, "MIN_ELEMENTS", 1)
    runs = []
    for threads in (1, 2, 3):
        monkeypatch.setattr(parallel, "_threads", threads)
        net, X, y = problem(5, [12, 40, 1], np.float64)
        runs.append(fitted(net, X, y, 0.5, 200, 64, 5))
    for other in runs[1:]:
        for a, b in zip(runs[0], other):
            assert np.array_equal(a, b)


def test_forward_backward_keep_every_quantity():
    """x, h (pre-activation), a, delta, dW, db stay readable after a step."""
    net, X, y = problem(6, SIZES["deep"], np.float64)
    net.forward(X[:10])
    net.backward(y[:10])
    for layer in net.layers:
        expected_h = layer.x @ layer.W + layer.b
        np.testing.assert_allclose(layer.h, expected_h, rtol=1e-13)
        np.testing.assert_allclose(layer.a, layer.activation.forward(expected_h))
        np.testing.assert_allclose(layer.db, layer.delta.sum(axis=0), rtol=1e-13)
        np.testing.assert_allclose(layer.dW, layer.x.T @ layer.delta, rtol=1e-13)
    hidden = net.layers[0]
    assert not np.shares_memory(hidden.h, hidden.a)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("rows,n_in", [(1, 1), (7, 3), (128, 20), (300, 64)])
def test_one_output_node_passes_back_the_same_numbers_as_the_product(dtype, rows, n_in):
    """With one output node dL/dx = delta . W^T is an outer product, which the
    workspace takes element-wise: every element must equal what the matrix
    product (the plain Dense.backward) gives, bit for bit."""
    rng = np.random.default_rng(rows * 100 + n_in)
    layer = bpnn.Dense(n_in, 1, "identity", seed=1)
    layer.reset(rng, dtype)
    x = rng.normal(size=(rows, n_in)).astype(dtype)
    delta = rng.normal(size=(rows, 1)).astype(dtype)
    layer.forward(x)
    dx = layer.backward(delta)
    assert dx.dtype == dtype
    assert np.array_equal(np.multiply(delta, layer.W.T), dx)


def test_random_batches_snapshot_and_restore_continue_the_stream():
    batches = RandomBatches(np.random.default_rng(7), 1000, 32, block=5)
    for _ in range(7):  # into the second block
        batches.next()
    snap = batches.snapshot()
    expected = [batches.next().copy() for _ in range(9)]
    again = RandomBatches(np.random.default_rng(0), 1000, 32, block=5)
    again.restore(snap)
    for e in expected:
        assert np.array_equal(again.next(), e)
    fresh = RandomBatches(np.random.default_rng(7), 1000, 32, block=5)
    first = fresh.snapshot()
    a = [fresh.next().copy() for _ in range(3)]
    fresh.restore(first)
    assert all(np.array_equal(fresh.next(), x) for x in a)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_memory_mapped_data_trains_like_an_array(tmp_path, dtype):
    net, X, y = problem(8, SIZES["bike"], dtype, n=2000)
    np.save(tmp_path / "X.npy", X)
    np.save(tmp_path / "y.npy", y)
    Xm = np.load(tmp_path / "X.npy", mmap_mode="r")
    ym = np.load(tmp_path / "y.npy", mmap_mode="r")
    twin, _, _ = problem(8, SIZES["bike"], dtype, n=2000)
    kw = {
        "steps": 1200,
        "batch_size": 32,
        "sampling": "random",
        "eval_every": 400,
        "seed": 1,
    }
    h1 = net.fit(Xm, ym, optimizer=bpnn.SGD(0.3), **kw)
    h2 = twin.fit(X, y, optimizer=bpnn.SGD(0.3), **kw)
    assert h1.train_loss == h2.train_loss
    for a, b in zip(net.params(), twin.params()):
        assert np.array_equal(a, b)


def test_views_of_a_memory_mapped_file_train_like_arrays(tmp_path):
    """A slice of a memmap (read through the mapping) and a float64 file for a
    float32 network (converted per batch) give the weights of plain arrays."""
    net, X, y = problem(9, SIZES["bike"], np.float32, n=2000)
    np.save(tmp_path / "X.npy", X.astype(np.float64))
    np.save(tmp_path / "y.npy", y)
    Xm = np.load(tmp_path / "X.npy", mmap_mode="r")[500:]
    ym = np.load(tmp_path / "y.npy", mmap_mode="r")[500:]
    twin, _, _ = problem(9, SIZES["bike"], np.float32, n=2000)
    kw = {"steps": 300, "batch_size": 16, "sampling": "random", "seed": 2}
    net.fit(Xm, ym, optimizer=bpnn.SGD(0.3), **kw)
    twin.fit(X[500:], y[500:], optimizer=bpnn.SGD(0.3), **kw)
    for a, b in zip(net.params(), twin.params()):
        assert np.array_equal(a, b)


@pytest.mark.parametrize("flat_y", [False, True])
def test_gather_reads_memory_mapped_rows_from_the_file(tmp_path, flat_y):
    """Rows of X and of y (a 1-D y too, through the (n, 1) view the checks
    make) are read from the file, not through the mapping, and equal the
    arrays' rows; a slice starting later is gathered through the mapping."""
    rng = np.random.default_rng(3)
    X, y = rng.normal(size=(500, 7)), rng.normal(size=(500, 1))
    np.save(tmp_path / "X.npy", X)
    np.save(tmp_path / "y.npy", y[:, 0] if flat_y else y)
    net = bpnn.Network.from_sizes([7, 3, 1], seed=0)
    Xm = net.check_X(np.load(tmp_path / "X.npy", mmap_mode="r"))
    ym = net.check_y(np.load(tmp_path / "y.npy", mmap_mode="r"), 500)
    gather = Gather(Xm, ym, np.float64, 16)
    assert gather._x_file is not None and gather._y_file is not None
    for _ in range(3):
        idx = rng.integers(0, 500, 16)
        xb, yb = gather(idx)
        assert np.array_equal(xb, X[idx]) and np.array_equal(yb, y[idx])
    gather.close()
    later = Gather(Xm[100:], ym[100:], np.float64, 16)
    assert later._x_file is None and later._y_file is None
    idx = rng.integers(0, 400, 16)
    xb, yb = later(idx)
    assert np.array_equal(xb, X[100:][idx]) and np.array_equal(yb, y[100:][idx])
