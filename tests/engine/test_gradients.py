"""Analytic gradients against central finite differences, on random networks."""

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from helpers import (
    gradient_error,
    near_relu_kink,
    numerical_gradients,
    random_network,
    random_targets,
)

# (loss, output activations it is checked with): every activation for the
# squared losses; probabilities for the cross-entropies, fused and not.
PAIRS = [
    ("half_mse", "sigmoid"),
    ("half_mse", "identity"),
    ("half_mse", "tanh"),
    ("half_mse", "relu"),
    ("half_mse", "softmax"),
    ("mse", "sigmoid"),
    ("mse", "identity"),
    ("mse", "tanh"),
    ("mse", "relu"),
    ("bce", "sigmoid"),
    ("bce", "softmax"),
    ("cross_entropy", "softmax"),
    ("cross_entropy", "sigmoid"),
]


@pytest.mark.parametrize("loss,out_activation", PAIRS)
@given(
    seed=st.integers(0, 2**31 - 1),
    depth=st.integers(1, 4),
    bias=st.booleans(),
    batch=st.integers(1, 64),
)
@settings(max_examples=15, deadline=None)
def test_gradients_match_finite_differences(
    loss, out_activation, seed, depth, bias, batch
):
    rng = np.random.default_rng(seed)
    net = random_network(rng, depth, loss, bias, out_activation)
    X = rng.normal(0, 1, (batch, net.n_in))
    y = random_targets(rng, net, batch)
    assume(not near_relu_kink(net, X))
    analytic = net.gradients(X, y)
    numeric = numerical_gradients(net, X, y)
    for i, (a, n) in enumerate(zip(analytic, numeric)):
        for name in ("W", "b"):
            if n[name] is None:
                assert a[name] is None
                continue
            assert a[name].shape == getattr(net.layers[i], name).shape
            err = gradient_error(a[name], n[name])
            assert err < 1e-6, f"layer {i} d{name}: ours {a[name]} vs numeric {n[name]}"


def test_sigmoid_stays_finite_at_large_inputs():
    import bpnn

    net = bpnn.Network([bpnn.Dense(1, 1, "sigmoid")], loss="bce", seed=0)
    net.layers[0].W[:] = 1.0
    X = np.array([[1000.0], [-1000.0]])
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        y_hat = net.predict(X)
        loss = net.loss(X, np.array([0.0, 1.0]))
        grads = net.gradients(X, np.array([0.0, 1.0]))
    assert y_hat[0, 0] == 1.0 and y_hat[1, 0] == 0.0
    # the fused logits form gives the exact loss: softplus(1000) = 1000 per record
    assert loss == pytest.approx(1000.0)
    assert np.isfinite(grads[0]["W"]).all()
