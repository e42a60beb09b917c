"""Shared helpers for the tests: random networks and a numerical gradient."""

from __future__ import annotations

import signal

import numpy as np

import bpnn

HIDDEN_ACTIVATIONS = ["sigmoid", "identity", "tanh", "relu"]


def random_network(rng, depth, loss, bias, out_activation=None, hidden=None, n_in=None):
    """A float64 network of ``depth`` layers with random sizes and activations."""
    sizes = [n_in or int(rng.integers(1, 6))] + [
        int(rng.integers(1, 6)) for _ in range(depth)
    ]
    acts = [hidden or str(rng.choice(HIDDEN_ACTIVATIONS)) for _ in range(depth - 1)]
    if out_activation is None:
        out_activation = str(rng.choice(HIDDEN_ACTIVATIONS))
    if out_activation == "softmax" and sizes[-1] < 2:
        sizes[-1] = 3
    acts.append(out_activation)
    net = bpnn.Network.from_sizes(
        sizes, acts, bias=bias, loss=loss, seed=int(rng.integers(1 << 31))
    )
    if bias:  # non-zero biases, so their gradients are exercised fully
        for layer in net.layers:
            layer.b[:] = rng.normal(0, 0.5, layer.b.shape)
    return net


def random_targets(rng, net, batch):
    """Targets that suit the network's loss."""
    k = net.n_out
    if net.loss_fn.name == "cross_entropy":
        return np.eye(k)[rng.integers(0, k, batch)]
    if net.loss_fn.name == "bce":
        return rng.uniform(0, 1, (batch, k))
    return rng.normal(0, 1, (batch, k))


def numerical_gradients(net, X, y, eps=1e-5):
    """Five-point central differences for every weight:
    (-L(w+2e) + 8 L(w+e) - 8 L(w-e) + L(w-2e)) / 12e, accurate to O(e^4), so
    round-off (~1e-16 / e) rather than truncation bounds the error."""
    out = []
    for layer in net.layers:
        grads = {}
        for name in ("W", "b"):
            param = getattr(layer, name)
            if param is None:
                grads[name] = None
                continue
            g = np.zeros_like(param)
            for idx in np.ndindex(param.shape):
                keep = param[idx]
                values = []
                for k in (2, 1, -1, -2):
                    param[idx] = keep + k * eps
                    values.append(net.loss(X, y))
                param[idx] = keep
                up2, up, down, down2 = values
                g[idx] = (-up2 + 8 * up - 8 * down + down2) / (12 * eps)
            grads[name] = g
        out.append(grads)
    return out


def gradient_error(a, b, atol=1e-9):
    """Norm-wise relative error of ``a`` against ``b``; a difference within
    ``atol`` (the finite differences' round-off) counts as zero."""
    diff = max(float(np.linalg.norm(a - b)) - atol, 0.0)
    return diff / max(float(np.linalg.norm(a) + np.linalg.norm(b)), 1e-300)


def near_relu_kink(net, X, margin=1e-3):
    """True if a ReLU pre-activation lies within ``margin`` of 0, where finite
    differences straddle the kink and measure no derivative at all."""
    net.forward(np.asarray(X, dtype=net.dtype))
    return any(
        layer.activation.name == "relu" and np.abs(layer.h).min() < margin
        for layer in net.layers
    )


def interrupt_at_update(monkeypatch, net, k):
    """Deliver SIGINT while update ``k`` is being made, as Ctrl-C would."""
    real, calls = net.train_step, []

    def step(*args):
        calls.append(1)
        if len(calls) == k:
            signal.raise_signal(signal.SIGINT)
        return real(*args)

    monkeypatch.setattr(net, "train_step", step)
