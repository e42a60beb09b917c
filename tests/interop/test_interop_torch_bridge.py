"""bpnn.to_torch and bpnn.from_torch: same weights, same outputs, both ways."""

import numpy as np
import pytest

import bpnn

torch = pytest.importorskip("torch")

ACTIVATIONS = ["sigmoid", "identity", "tanh", "relu"]
#: largest difference allowed, relative to the largest output (at least 1)
TOLERANCE = {np.float64: 1e-12, np.float32: 1e-6}


def random_net(seed, depth, dtype, output=None):
    """A network of ``depth`` layers, random sizes, activations and biases."""
    rng = np.random.default_rng(seed)
    sizes = [int(s) for s in rng.integers(1, 7, depth + 1)]
    acts = [str(rng.choice(ACTIVATIONS)) for _ in range(depth)]
    if output is not None:
        acts[-1] = output
    if acts[-1] == "softmax":
        sizes[-1] = max(sizes[-1], 3)
    loss = "cross_entropy" if acts[-1] == "softmax" else "half_mse"
    bias = bool(rng.integers(0, 4))  # mostly with biases, sometimes without
    net = bpnn.Network.from_sizes(
        sizes, acts, bias=bias, loss=loss, seed=seed, dtype=dtype
    )
    for layer in net.layers:
        if layer.b is not None:
            layer.b[:] = rng.normal(0, 0.5, layer.b.shape)
    X = rng.normal(0, 1, (17, sizes[0])).astype(dtype)
    return net, X


CASES = [
    (seed, depth, dtype, output)
    for depth in (1, 2, 3, 4)
    for dtype in (np.float64, np.float32)
    for seed, output in enumerate(
        [None, "sigmoid", "identity", "tanh", "relu", "softmax"]
    )
]


@pytest.mark.parametrize("seed,depth,dtype,output", CASES)
def test_to_torch_gives_bpnn_outputs(seed, depth, dtype, output):
    net, X = random_net(seed + 10 * depth, depth, dtype, output)
    module = bpnn.to_torch(net)
    with torch.no_grad():
        out = module(torch.from_numpy(X)).numpy()
    expected = net.predict(X)
    assert out.dtype == expected.dtype == dtype
    tol = TOLERANCE[dtype]  # relative to the outputs' scale
    scale = max(1.0, float(np.abs(expected).max()))
    np.testing.assert_allclose(out, expected, rtol=tol, atol=tol * scale)
    back = bpnn.from_torch(module)
    # the loss and dtype here, the layers one by one below
    assert {k: v for k, v in back.to_config().items() if k != "layers"} == {
        k: v for k, v in net.to_config().items() if k != "layers"
    }
    for a, b in zip(net.layers, back.layers, strict=True):
        assert a.activation.name == b.activation.name
        assert np.array_equal(a.W, b.W) and a.W.dtype == b.W.dtype
        assert (a.b is None and b.b is None) or np.array_equal(a.b, b.b)
    assert back.loss_fn.name == net.loss_fn.name


def test_every_activation_is_covered():
    outputs = {case[3] for case in CASES}
    assert set(bpnn.ACTIVATIONS) <= outputs


def test_trained_further_in_torch_predicts_as_torch_did():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(64, 3))
    y = np.tanh(X @ [[1.0], [-2.0], [0.5]])
    net = bpnn.Network.from_sizes([3, 8, 1], ["tanh", "identity"], seed=0)
    net.fit(X, y, optimizer=bpnn.SGD(0.1), epochs=20, batch_size=16, seed=0)
    module = bpnn.to_torch(net)
    opt = torch.optim.Adam(module.parameters(), lr=0.01)
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)
    for _ in range(100):
        opt.zero_grad()
        torch.nn.functional.mse_loss(module(Xt), yt).backward()
        opt.step()
    with torch.no_grad():
        expected = module(Xt).numpy()
    back = bpnn.from_torch(module)
    np.testing.assert_allclose(back.predict(X), expected, rtol=1e-12, atol=1e-14)
    assert not np.allclose(back.predict(X), net.predict(X))
    step = bpnn.trace(back, X[:2], y[:2], 0.1)
    assert step["layer1.h"].value.shape == (2, 8)


def test_softmax_module_gives_probabilities_and_trains_on_its_logits():
    net, X = random_net(3, 2, np.float64, "softmax")
    module = bpnn.to_torch(net)
    assert isinstance(module[-1], torch.nn.Softmax)
    with torch.no_grad():
        p = module(torch.from_numpy(X)).numpy()
        logits = module[:-1](torch.from_numpy(X)).numpy()
    np.testing.assert_allclose(p.sum(axis=1), 1, rtol=1e-12)
    np.testing.assert_allclose(np.argmax(logits, 1), np.argmax(p, 1))


@pytest.mark.parametrize(
    "module,message",
    [
        (
            lambda nn: nn.Sequential(nn.Linear(2, 3), nn.Dropout(0.5)),
            "layer 1 .Dropout",
        ),
        (lambda nn: nn.Sequential(nn.Linear(2, 3), nn.GELU()), "layer 1 .GELU"),
        (lambda nn: nn.Sequential(nn.ReLU(), nn.Linear(2, 3)), "must follow a Linear"),
        (lambda nn: nn.Sequential(nn.Linear(2, 3), nn.Softmax(dim=0)), "dim=-1"),
        (lambda nn: nn.Sequential(nn.Linear(2, 3), nn.Linear(4, 1)), "do not chain"),
        (lambda nn: nn.Sequential(nn.Identity()), "no Linear"),
        (lambda nn: nn.Linear(2, 3), "Sequential"),
    ],
)
def test_unsupported_modules_are_named(module, message):
    with pytest.raises(bpnn.errors.InputError, match=message):
        bpnn.from_torch(module(torch.nn))


def test_identity_modules_are_skipped_and_mixed_dtypes_rejected():
    nn = torch.nn
    net = bpnn.from_torch(
        nn.Sequential(nn.Linear(2, 3), nn.Identity(), nn.Linear(3, 1))
    )
    assert [layer.activation.name for layer in net.layers] == ["identity"] * 2
    mixed = nn.Sequential(nn.Linear(2, 3), nn.Linear(3, 1, dtype=torch.float64))
    with pytest.raises(bpnn.errors.InputError, match="float32 or all float64"):
        bpnn.from_torch(mixed)
