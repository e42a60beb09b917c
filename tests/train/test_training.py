"""The training loop's schedules, stopping rules and determinism."""

import numpy as np
import pytest

import bpnn
from bpnn.explain.reference import accumulate_weight_steps


def data(n=120, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 4))
    y = np.tanh(X @ rng.normal(size=4))[:, None]
    return X, y


def test_per_record_schedule_equals_the_lectures_loop():
    X, y = data()
    a = bpnn.Network.from_sizes([4, 3, 1], "sigmoid", bias=True, seed=3)
    b = bpnn.Network.from_sizes([4, 3, 1], "sigmoid", bias=True, seed=3)
    a.fit(X, y, optimizer=bpnn.SGD(0.5), epochs=30, sampling="per_record")
    # the GRE pseudo-code, literally: accumulate each record's weight steps,
    # then W += learning_rate * sum / n_records, once per epoch
    lr, n = 0.5, len(X)
    for _ in range(30):
        steps = accumulate_weight_steps(b, X, y)
        for layer, step in zip(b.layers, steps):
            layer.W += lr * step["W"] / n
            layer.b += lr * step["b"] / n
    for p, q in zip(a.params(), b.params()):
        np.testing.assert_allclose(p, q, rtol=1e-12)


@pytest.mark.parametrize(
    "sampling,kw",
    [
        ("random", {"steps": 50, "batch_size": 16}),
        ("shuffle", {"epochs": 5, "batch_size": 16}),
        ("shuffle", {"steps": 50, "batch_size": 16}),
    ],
)
def test_same_seed_gives_bit_identical_weights(sampling, kw):
    X, y = data()
    runs = []
    for _ in range(2):
        net = bpnn.Network.from_sizes([4, 5, 1], ["tanh", "identity"], seed=9)
        net.fit(X, y, optimizer=bpnn.Adam(0.01), sampling=sampling, seed=4, **kw)
        runs.append(net.params())
    for p, q in zip(*runs):
        assert np.array_equal(p, q)
    net = bpnn.Network.from_sizes([4, 5, 1], ["tanh", "identity"], seed=9)
    net.fit(X, y, optimizer=bpnn.Adam(0.01), sampling=sampling, seed=5, **kw)
    assert not np.array_equal(net.params()[0], runs[0][0])


def test_history_records_each_evaluation_with_validation():
    X, y = data()
    net = bpnn.Network.from_sizes([4, 5, 1], ["sigmoid", "identity"], seed=1)
    h = net.fit(
        X[:100],
        y[:100],
        optimizer=bpnn.SGD(0.1),
        steps=300,
        batch_size=8,
        sampling="random",
        validation_data=(X[100:], y[100:]),
        eval_every=50,
        seed=0,
    )
    assert h.step == [50, 100, 150, 200, 250, 300]
    assert len(h.val_loss) == 6 and all(v is not None for v in h.val_loss)
    assert h.train_loss[-1] < h.train_loss[0]
    assert h.stop_reason == "completed"
    assert h.val_loss[-1] == pytest.approx(net.loss(X[100:], y[100:]))


def test_patience_stops_and_restores_the_best_weights():
    X, y = data()
    net = bpnn.Network.from_sizes([4, 8, 1], ["sigmoid", "identity"], seed=1)
    snapshots = []
    h = net.fit(
        X,
        y,
        optimizer=bpnn.SGD(3.0, momentum=0.9),
        epochs=200,
        eval_every=1,
        patience=0,
        callback=lambda n, hist: snapshots.append([p.copy() for p in n.params()]),
    )
    assert h.stop_reason == "early_stopping"
    assert h.train_loss[-1] >= min(h.train_loss[:-1])
    best = h.best_index
    assert h.train_loss[best] == min(h.train_loss)
    for p, q in zip(net.params(), snapshots[best]):
        np.testing.assert_array_equal(p, q)


def test_divergence_stops_and_restores_finite_weights():
    X, y = data()
    net = bpnn.Network.from_sizes([4, 8, 1], ["relu", "identity"], seed=1)
    h = net.fit(X * 100, y, optimizer=bpnn.SGD(1e3), epochs=50, eval_every=1)
    assert h.stop_reason == "diverged"
    assert "lower learning rate" in h.message
    assert all(np.isfinite(p).all() for p in net.params())
