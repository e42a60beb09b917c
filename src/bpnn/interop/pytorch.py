"""A bpnn network as a ``torch.nn.Sequential`` and back, weights unchanged.

bpnn's layer computes X (B, n_in) . W (n_in, n_out) + b; ``torch.nn.Linear``
computes x . weight^T + bias with ``weight`` (n_out, n_in). So ``weight`` is
W^T, copied exactly, and the two give the same numbers. Each ``Dense`` becomes
a ``Linear`` followed by its activation's module (none for identity).
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from ..engine.layers import Dense
from ..engine.network import Network
from ..errors import InputError

#: bpnn's activations as PyTorch modules (identity: no module at all)
TO_TORCH = {
    "sigmoid": nn.Sigmoid,
    "tanh": nn.Tanh,
    "relu": nn.ReLU,
    "softmax": lambda: nn.Softmax(dim=-1),
}
FROM_TORCH = {nn.Sigmoid: "sigmoid", nn.Tanh: "tanh", nn.ReLU: "relu"}
DTYPES = {np.dtype(np.float32): torch.float32, np.dtype(np.float64): torch.float64}


def to_torch(network) -> nn.Sequential:
    """``network`` as ``nn.Sequential(Linear, activation, Linear, ...)``.

    Same weights (copied), activations and dtype: its outputs equal
    ``network.predict``'s. A softmax output (cross_entropy) ends in
    ``nn.Softmax(dim=-1)``, so the module gives probabilities, as bpnn does;
    to train it with ``nn.CrossEntropyLoss`` (which wants logits), use
    ``module[:-1]``.
    """
    if not isinstance(network, Network):
        raise InputError(f"to_torch needs a bpnn.Network, got {type(network).__name__}")
    dtype = DTYPES[network.dtype]
    modules = []
    for layer in network.layers:
        linear = nn.Linear(layer.n_in, layer.n_out, bias=layer.bias, dtype=dtype)
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(np.ascontiguousarray(layer.W.T)))
            if layer.bias:
                linear.bias.copy_(torch.from_numpy(layer.b))
        modules.append(linear)
        name = layer.activation.name
        if name != "identity":
            modules.append(TO_TORCH[name]())
    return nn.Sequential(*modules)


def _activation_name(module, where):
    """bpnn's name for an activation module, or None if it is not one."""
    if isinstance(module, nn.Identity):
        return "identity"
    if isinstance(module, nn.Softmax):
        if module.dim not in (-1, 1):
            raise InputError(
                f"{where} ({module}) is not supported: bpnn's softmax runs over "
                "the last dimension, dim=-1"
            )
        return "softmax"
    for cls, name in FROM_TORCH.items():
        if type(module) is cls:
            return name
    return None


def from_torch(module, loss=None) -> Network:
    """A ``bpnn.Network`` from a Sequential of ``Linear`` layers, each followed
    by at most one of Sigmoid, Tanh, ReLU, Softmax(dim=-1) or Identity.

    Weights are copied exactly (W = weight^T); the dtype is the module's
    (float32 or float64). ``loss`` defaults to "cross_entropy" after a
    softmax, else "half_mse". Any other layer is an ``InputError`` naming it.
    """
    if not isinstance(module, nn.Sequential):
        raise InputError(
            f"from_torch needs a torch.nn.Sequential, got {type(module).__name__}"
        )
    specs = []  # [linear, activation name or None]
    for i, child in enumerate(module):
        where = f"layer {i}"
        if isinstance(child, nn.Linear) and type(child) is nn.Linear:
            specs.append([child, None])
            continue
        name = _activation_name(child, where)
        if name is None:
            raise InputError(
                f"{where} ({child}) is not supported: bpnn reads Linear layers, "
                "each followed by Sigmoid, Tanh, ReLU, Softmax(dim=-1) or Identity"
            )
        if name == "identity":
            continue
        if not specs or specs[-1][1] is not None:
            raise InputError(
                f"{where} ({child}) must follow a Linear layer: bpnn has one "
                "activation per layer"
            )
        specs[-1][1] = name
    if not specs:
        raise InputError("the Sequential holds no Linear layer")
    dtypes = {child.weight.dtype for child, _ in specs}
    if len(dtypes) != 1 or dtypes - {torch.float32, torch.float64}:
        raise InputError(
            f"the Linear layers must all be float32 or all float64, got {dtypes}"
        )
    dtype = np.float64 if dtypes == {torch.float64} else np.float32
    layers = []
    for linear, name in specs:
        layer = Dense(
            linear.in_features,
            linear.out_features,
            name or "identity",
            bias=linear.bias is not None,
        )
        layer.W = linear.weight.detach().cpu().numpy().T.astype(dtype, order="C")
        if linear.bias is not None:
            layer.b = linear.bias.detach().cpu().numpy().astype(dtype)
        layers.append(layer)
    if loss is None:
        loss = (
            "cross_entropy" if layers[-1].activation.name == "softmax" else "half_mse"
        )
    try:
        return Network(layers, loss=loss, dtype=dtype)
    except (TypeError, ValueError) as err:
        raise InputError(str(err)) from None
