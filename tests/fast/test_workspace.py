"""The workspace (``bpnn.fast.workspace``) computes the plain step's numbers.

``Network.train_step`` runs in it; here one step of it is compared with the
plain ``forward``, ``backward`` and ``optimizer.step`` over the layers' own
arrays, for every activation, both fused losses, without bias, in both
dtypes. W comes out bit for bit; b too, but for ``db = 1^T . delta``, which
rounds as a dot product where the plain ``sum`` rounds pairwise.
"""

import numpy as np
import pytest

import bpnn
from bpnn.fast import parallel

CASES = {
    "sigmoid, identity out": ([7, 5, 1], ["sigmoid", "identity"], "half_mse", True),
    "relu, tanh, two out": ([7, 6, 4, 2], ["relu", "tanh", "identity"], "mse", True),
    "identity hidden": ([7, 5, 3], ["identity", "sigmoid"], "mse", True),
    "no bias": ([7, 5, 1], ["sigmoid", "identity"], "half_mse", False),
    "bce, fused": ([7, 5, 1], ["tanh", "sigmoid"], "bce", True),
    "softmax, fused": ([7, 5, 3], ["relu", "softmax"], "cross_entropy", True),
    "softmax, not fused": ([7, 5, 3], ["sigmoid", "softmax"], "mse", True),
    "one layer": ([7, 2], ["sigmoid"], "half_mse", True),
}
OPTIMIZERS = {
    "sgd": lambda: bpnn.SGD(0.3),
    "momentum": lambda: bpnn.SGD(0.3, momentum=0.9),
    "adam": lambda: bpnn.Adam(0.05),
}


def problem(case, dtype, rows=40, seed=0):
    sizes, acts, loss, bias = CASES[case]
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(rows, sizes[0])).astype(dtype)
    if loss == "cross_entropy":
        y = np.eye(sizes[-1])[rng.integers(0, sizes[-1], rows)].astype(dtype)
    elif loss == "bce":
        y = rng.integers(0, 2, (rows, sizes[-1])).astype(dtype)
    else:
        y = rng.normal(size=(rows, sizes[-1])).astype(dtype)
    net = bpnn.Network.from_sizes(sizes, acts, bias=bias, loss=loss, seed=seed)
    net = bpnn.Network.from_config({**net.to_config(), "dtype": np.dtype(dtype).name})
    rng = np.random.default_rng(seed + 1)
    for layer in net.layers:  # non-zero biases, so every term shows
        layer.W[...] = rng.normal(0, 0.7, layer.W.shape)
        if layer.b is not None:
            layer.b[...] = rng.normal(0, 0.5, layer.b.shape)
    return net, X, y


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("opt", list(OPTIMIZERS))
@pytest.mark.parametrize("case", list(CASES))
def test_one_train_step_is_the_plain_step(case, opt, dtype):
    net, X, y = problem(case, dtype)
    start = [p.copy() for p in net.params()]
    twin, _, _ = problem(case, dtype)
    twin.forward(X)
    twin.backward(y)
    expected = [p.copy() for p in start]
    OPTIMIZERS[opt]().step(expected, twin.grads())
    net.train_step(X, y, OPTIMIZERS[opt]())
    tol = 1e-12 if dtype == np.float64 else 1e-5
    kinds = [k for layer in net.layers for k in ("W", "b")[: 1 + layer.bias]]
    for p, p0, e, kind in zip(net.params(), start, expected, kinds, strict=True):
        assert p.dtype == dtype and not np.array_equal(p, p0)
        if kind == "W":  # from the same error terms: the same bits
            assert np.array_equal(p, e), case
        else:  # db = 1^T . delta rounds as a dot product
            np.testing.assert_allclose(p, e, rtol=tol, atol=tol)


@pytest.mark.parametrize("case", ["relu, tanh, two out", "softmax, fused"])
def test_split_rows_give_the_bits_of_one_thread(case, monkeypatch):
    """Element-wise passes split over 3 threads: every element as in one."""
    runs = []
    for threads in (1, 3):
        monkeypatch.setattr(parallel, "MIN_ELEMENTS", 1)
        monkeypatch.setattr(parallel, "_threads", threads)
        net, X, y = problem(case, np.float64, rows=50)
        opt = bpnn.Adam(0.05)
        for _ in range(20):
            net.train_step(X, y, opt)
        runs.append(net.params())
    for a, b in zip(*runs):
        assert np.array_equal(a, b)


def test_weights_are_views_of_one_buffer_and_stay_so():
    net, X, y = problem("relu, tanh, two out", np.float64)
    buffer = net.layers[0].W.base
    assert all(p.base is buffer for p in net.params())
    net.train_step(X, y, bpnn.SGD(0.1))
    assert all(p.base is buffer for p in net.params())


def test_a_rebound_weight_is_taken_into_the_buffer():
    """Code that binds layer.W to a new array: the next step trains those
    values, as it would have trained the array bound at the start."""
    net, X, y = problem("sigmoid, identity out", np.float64)
    twin, _, _ = problem("sigmoid, identity out", np.float64)
    new = np.full_like(net.layers[0].W, 0.01)
    net.layers[0].W = new.copy()
    twin.layers[0].W[...] = new
    opt_a, opt_b = bpnn.Adam(0.05), bpnn.Adam(0.05)
    for _ in range(3):
        net.train_step(X, y, opt_a)
        twin.train_step(X, y, opt_b)
    for p, q in zip(net.params(), twin.params()):
        assert np.array_equal(p, q)
    assert all(p.base is net.params()[0].base for p in net.params())


def test_a_rebound_weight_of_another_shape_is_an_error():
    net, X, y = problem("sigmoid, identity out", np.float64)
    net.layers[1].W = np.zeros((3, 1))
    with pytest.raises(ValueError, match=r"layer 1's W was replaced by an array of "):
        net.train_step(X, y, bpnn.SGD(0.1))


def test_forward_and_predict_hand_out_arrays_no_later_call_changes():
    net, X, y = problem("relu, tanh, two out", np.float64)
    first, kept = net.forward(X), net.predict(X)
    copies = first.copy(), kept.copy()
    net.forward(X[::-1])
    net.predict(X[::-1])
    net.train_step(X, y, bpnn.SGD(0.1))
    assert np.array_equal(first, copies[0]) and np.array_equal(kept, copies[1])


def test_a_deep_copy_trains_its_own_weights():
    import copy

    net, X, y = problem("relu, tanh, two out", np.float64)
    start = [p.copy() for p in net.params()]
    twin = copy.deepcopy(net)
    opt = bpnn.SGD(0.1)
    twin.train_step(X, y, opt)
    assert all(np.array_equal(p, q) for p, q in zip(net.params(), start))
    net.train_step(X, y, bpnn.SGD(0.1))
    for p, q, p0 in zip(net.params(), twin.params(), start):
        assert np.array_equal(p, q) and not np.array_equal(p, p0)


def test_a_subclass_with_its_own_backward_is_trained_by_it():
    class Halved(bpnn.Network):
        def backward(self, y):
            super().backward(y)
            for layer in self.layers:
                layer.dW = layer.dW / 2
                layer.db = layer.db / 2

    net, X, y = problem("sigmoid, identity out", np.float64)
    half = Halved(net.layers, loss=net.loss_fn)
    start = [p.copy() for p in half.params()]
    half.train_step(X, y, bpnn.SGD(0.2))
    moved = [p - p0 for p, p0 in zip(half.params(), start)]
    net2, _, _ = problem("sigmoid, identity out", np.float64)
    net2.train_step(X, y, bpnn.SGD(0.1))
    for d, p, p0 in zip(moved, net2.params(), start):
        np.testing.assert_allclose(d, p - p0, rtol=1e-10, atol=1e-15)
