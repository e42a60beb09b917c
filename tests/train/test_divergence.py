"""A run that blows up stops, says so, and keeps the last good weights."""

import math
import re

import numpy as np
import pytest

import bpnn
from bpnn.train import divergence

RNG = np.random.default_rng(3)
X = RNG.normal(size=(80, 4))
Y = np.tanh(X @ RNG.normal(size=4))[:, None]


def snapshots_of(net):
    taken = []
    return taken, lambda n, h: taken.append([p.copy() for p in n.params()])


def test_a_huge_learning_rate_diverges_and_restores_the_last_good_weights():
    net = bpnn.Network.from_sizes([4, 8, 1], ["relu", "identity"], seed=1)
    taken, callback = snapshots_of(net)
    # fit must neither spill overflow warnings nor fail on them
    with np.errstate(over="raise", invalid="raise"):
        h = net.fit(
            X,
            Y,
            optimizer=bpnn.SGD(0.4, momentum=0.9),
            epochs=200,
            batch_size=8,
            eval_every=1,
            callback=callback,
            seed=0,
        )
    assert h.stop_reason == "diverged"
    assert re.match(
        r"training diverged at epoch \d+: (the loss|weight) .*; restored "
        r"the weights of the last good evaluation \(\d+ updates, "
        r"training loss [\d.e+-]+\): try a lower learning rate, such as "
        r"0.04 \(now 0.4\)$",
        h.message,
    ), h.message
    assert len(h) == len(taken) >= 1  # the history of the good evaluations
    assert all(math.isfinite(v) for v in h.train_loss)
    for p, q in zip(net.params(), taken[-1]):
        assert np.isfinite(p).all()
        np.testing.assert_array_equal(p, q)


def test_divergence_before_the_first_evaluation_restores_the_initial_weights():
    net = bpnn.Network.from_sizes([4, 8, 1], ["relu", "identity"], seed=1)
    initial = [p.copy() for p in net.params()]
    h = net.fit(X * 100, Y, optimizer=bpnn.SGD(1e3), epochs=50, eval_every=5)
    assert h.stop_reason == "diverged" and len(h) == 0
    assert "diverged at epoch 5" in h.message
    assert "restored the initial weights: try a lower learning rate" in h.message
    for p, q in zip(net.params(), initial):
        np.testing.assert_array_equal(p, q)


@pytest.mark.parametrize(
    "bound,words",
    [
        ("WEIGHT_BOUND", r"weight W\d grew to [\d.]+, past the bound [\d.]+"),
        ("LOSS_GROWTH", r"the loss grew to [\d.e+]+, past 1.5 times its initial 0.24"),
    ],
)
def test_each_bound_is_enforced(monkeypatch, bound, words):
    net = bpnn.Network.from_sizes([4, 8, 1], ["tanh", "identity"], seed=1)
    largest = max(np.abs(p).max() for p in net.params())
    monkeypatch.setattr(
        divergence, bound, 1.5 if bound == "LOSS_GROWTH" else 1.05 * largest
    )
    lr = 1.2 if bound == "LOSS_GROWTH" else 0.3
    h = net.fit(
        X, Y, optimizer=bpnn.SGD(lr), epochs=100, batch_size=4, eval_every=1, seed=0
    )
    assert h.stop_reason == "diverged"
    assert re.search(words, h.message), h.message
    assert max(np.abs(p).max() for p in net.params()) <= divergence.WEIGHT_BOUND


def test_an_interruption_never_keeps_diverged_weights(monkeypatch):
    """Interrupted between two evaluations after the weights blew up: the run
    ends as diverged, with the initial weights (no evaluation was good yet)."""
    from helpers import interrupt_at_update

    net = bpnn.Network.from_sizes([4, 8, 1], ["relu", "identity"], seed=1)
    initial = [p.copy() for p in net.params()]
    interrupt_at_update(monkeypatch, net, 150)
    h = net.fit(
        X,
        Y,
        optimizer=bpnn.SGD(0.4, momentum=0.9),
        epochs=200,
        batch_size=8,
        eval_every=50,
        seed=0,
    )
    assert h.stop_reason == "diverged" and len(h) == 0
    assert "diverged at epoch 15" in h.message and "initial weights" in h.message
    for p, q in zip(net.params(), initial):
        np.testing.assert_array_equal(p, q)
