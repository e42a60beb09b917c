"""The lecture's per-record loop equals the vectorised matrix form."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from bpnn.explain.reference import per_record_gradients
from helpers import HIDDEN_ACTIVATIONS, random_network


@given(
    seed=st.integers(0, 2**31 - 1),
    depth=st.integers(1, 4),
    bias=st.booleans(),
    batch=st.integers(1, 40),
    out=st.sampled_from(HIDDEN_ACTIVATIONS),
)
@settings(max_examples=60, deadline=None)
def test_per_record_loop_equals_gradients(seed, depth, bias, batch, out):
    rng = np.random.default_rng(seed)
    net = random_network(rng, depth, "half_mse", bias, out)
    X = rng.normal(0, 1, (batch, net.n_in))
    y = rng.normal(0, 1, (batch, net.n_out))
    vectorised = net.gradients(X, y)
    looped = per_record_gradients(net, X, y)
    for v, r in zip(vectorised, looped):
        np.testing.assert_allclose(r["W"], v["W"], rtol=1e-12, atol=1e-15)
        if v["b"] is None:
            assert r["b"] is None
        else:
            np.testing.assert_allclose(r["b"], v["b"], rtol=1e-12, atol=1e-15)
