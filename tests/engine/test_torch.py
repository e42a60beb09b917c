"""Cross-check against PyTorch autograd in float64 (skipped without torch)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bpnn
from helpers import random_network, random_targets

torch = pytest.importorskip("torch")

TORCH_ACT = {
    "sigmoid": torch.sigmoid,
    "identity": lambda h: h,
    "tanh": torch.tanh,
    "relu": torch.relu,
    "softmax": lambda h: torch.softmax(h, dim=1),
}


def torch_loss(net, params, X, y):
    a = torch.from_numpy(X)
    i = 0
    for layer in net.layers:
        h = a @ params[i]
        i += 1
        if layer.b is not None:
            h = h + params[i]
            i += 1
        a = TORCH_ACT[layer.activation.name](h)
    y = torch.from_numpy(y)
    m = len(X)
    name = net.loss_fn.name
    if name == "half_mse":
        return ((a - y) ** 2).sum() / (2 * m)
    if name == "mse":
        return ((a - y) ** 2).sum() / m
    if name == "bce":
        return torch.nn.functional.binary_cross_entropy(a, y, reduction="sum") / m
    return -(y * torch.log(a)).sum() / m


PAIRS = [
    ("half_mse", "sigmoid"),
    ("half_mse", "identity"),
    ("mse", "tanh"),
    ("mse", "relu"),
    ("bce", "sigmoid"),
    ("cross_entropy", "softmax"),
]


@pytest.mark.parametrize("loss,out_activation", PAIRS)
@given(
    seed=st.integers(0, 2**31 - 1),
    depth=st.integers(1, 4),
    bias=st.booleans(),
    batch=st.integers(1, 64),
)
@settings(max_examples=20, deadline=None)
def test_loss_and_gradients_match_torch(loss, out_activation, seed, depth, bias, batch):
    rng = np.random.default_rng(seed)
    net = random_network(rng, depth, loss, bias, out_activation)
    X = rng.normal(0, 1, (batch, net.n_in))
    y = random_targets(rng, net, batch)
    params = [torch.tensor(p, requires_grad=True) for p in net.params()]
    expected = torch_loss(net, params, X, y)
    expected.backward()
    assert net.loss(X, y) == pytest.approx(expected.item(), rel=1e-9, abs=1e-12)
    ours = [g for d in net.gradients(X, y) for g in (d["W"], d["b"]) if g is not None]
    for i, (g, p) in enumerate(zip(ours, params)):
        np.testing.assert_allclose(
            g, p.grad.numpy(), rtol=1e-9, atol=1e-12, err_msg=f"parameter {i}"
        )


@pytest.mark.parametrize("opt", ["sgd", "sgd_momentum", "adam"])
def test_training_trajectory_matches_torch(opt):
    rng = np.random.default_rng(7)
    net = random_network(rng, 3, "half_mse", True, "identity", hidden="tanh", n_in=5)
    X = rng.normal(0, 1, (32, 5))
    y = rng.normal(0, 1, (32, net.n_out))
    params = [torch.tensor(p.copy(), requires_grad=True) for p in net.params()]
    if opt == "adam":
        ours, theirs = bpnn.Adam(0.01), torch.optim.Adam(params, lr=0.01)
    elif opt == "sgd_momentum":
        ours, theirs = bpnn.SGD(0.05, 0.9), None
    else:
        ours, theirs = bpnn.SGD(0.05), torch.optim.SGD(params, lr=0.05)
    velocity = [torch.zeros_like(p) for p in params]
    for _ in range(200):
        net.train_step(X, y, ours)
        loss = torch_loss(net, params, X, y)
        for p in params:
            p.grad = None
        loss.backward()
        if theirs is not None:
            theirs.step()
        else:  # the classical momentum form bpnn documents: v = mu v - lr g
            with torch.no_grad():
                for p, v in zip(params, velocity):
                    v.mul_(0.9).sub_(0.05 * p.grad)
                    p.add_(v)
    for i, (a, p) in enumerate(zip(net.params(), params)):
        np.testing.assert_allclose(
            a,
            p.detach().numpy(),
            rtol=1e-9,
            atol=1e-12,
            err_msg=f"parameter {i} after 200 steps",
        )
