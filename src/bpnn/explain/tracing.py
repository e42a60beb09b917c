"""One forward pass, one backward pass and one update, every number kept.

``trace(network, X, y, lr)`` runs the engine's own ``forward`` and ``backward``
once and copies what each layer holds (its input, h, a, error term, dW, db)
into an ordered list of named steps, the way the lecture works a derivation out
by hand. Signs follow the lecture: error = y - y_hat, error term
delta = -m * dL/dh (for one record and the lecture's MSE, (y - y_hat) f'(out)),
and the weight step dW_step = -lr * dL/dW = lr * a^T . delta / B is *added* to
W. The network's weights are left as they were: the update is shown, not made.
"""

from __future__ import annotations

import numpy as np

from ..engine.checks import check_positive
from .record import Step, Trace

#: f'(h) written through the layer's output ``a``, as the lecture derives it
DERIVATIVES = {
    "sigmoid": "{a}(1 − {a})",
    "tanh": "1 − {a}²",
    "identity": "1",
    "relu": "[{a} > 0]",
}
LOSS_FORMULAS = {
    "half_mse": ("1/(2m) Σ (ŷ − y)²", "(ŷ − y)/m"),
    "mse": ("1/m Σ (ŷ − y)²", "2(ŷ − y)/m"),
    "bce": ("−1/m Σ [y log ŷ + (1 − y) log(1 − ŷ)]", "(ŷ − y)/(m ŷ(1 − ŷ))"),
    "cross_entropy": ("−1/m Σ y log ŷ", "−y/(m ŷ)"),
}


def _shape(value, batch_axis=0):
    """``(B,3)``: the array's shape with its batch axis written B."""
    dims = [str(d) for d in np.shape(value)]
    if batch_axis is not None and dims:
        dims[batch_axis] = "B"
    return "(" + ",".join(dims) + (",)" if len(dims) == 1 else ")")


def _error_term_formula(network):
    name = network.loss_fn.name
    if network.fused_output:  # f'(out) cancels against the loss
        return "y − ŷ"
    if not network.layers[-1].activation.elementwise:
        return "−m·∂L/∂out"
    return {"half_mse": "(y − ŷ) ⊙ f'(out)", "mse": "2(y − ŷ) ⊙ f'(out)"}.get(
        name, "−m·∂L/∂ŷ ⊙ f'(out)"
    )


#: the key's last part for each kind of step, where it is not the kind itself
_KEYS = {
    "input": "x",
    "target": "y",
    "weights": "W",
    "bias": "b",
    "weighted_input": "h",
    "activation": "a",
    "prediction": "a",
    "hidden_error_term": "error_term",
}


class _Recorder:
    """Appends steps; ``at(stage, k)`` sets where the next ones belong."""

    def __init__(self, n_layers):
        self.steps, self.n_layers = [], n_layers

    def at(self, stage, k):
        self.stage, self.k = stage, k
        data = "input" if stage == "forward" else "target"
        self.name = {0: data, self.n_layers: "output"}.get(k, f"layer{k}")
        return self

    def __call__(self, kind, symbol, formula, value, matrix=None):
        value = np.array(value, copy=True)
        key = f"{self.name}.{_KEYS.get(kind, kind)}" if kind != "loss" else "loss"
        matrix = matrix or _shape(value)
        self.steps.append(
            Step(key, self.stage, kind, self.k, symbol, formula, matrix, value)
        )


def trace(network, X, y, lr) -> Trace:
    """Trace one training step of ``network`` on X (B, n_in), y (B, n_out).

    Values come from the engine's forward and backward (copied, since its
    buffers are reused); the weight steps equal ``-lr * gradients()``.
    """
    X = network.check_X(X)
    y = network.check_y(y, len(X))
    lr = check_positive("lr", lr)
    loss_value = network.loss(X, y)
    network.forward(X)
    network.backward(y)
    layers, n, m = network.layers, len(network.layers), len(X)
    add = _Recorder(n)
    h_sym = {k: "out" if k == n else f"h{k}" for k in range(1, n + 1)}
    a_sym = {k: "ŷ" if k == n else f"a{k}" for k in range(n + 1)} | {0: "x"}
    d_sym = {k: "δo" if k == n else f"δh{k}" for k in range(1, n + 1)}

    # (1) forward pass: h = a_in . W + b, a = f(h), layer by layer
    add.at("forward", 0)("input", "x", "", X)
    for k, layer in enumerate(layers, 1):
        add.at("forward", k)
        i, W, b = k - 1, _shape(layer.W, None), _shape(layer.b, None)
        add("weights", f"W{i}", "", layer.W, W)
        formula, matrix = f"{a_sym[k - 1]}·W{i}", f"{_shape(layer.x)}·{W}"
        if layer.b is not None:
            add("bias", f"b{i}", "", layer.b, b)
            formula, matrix = formula + f" + b{i}", matrix + f" + {b}"
        add(
            "weighted_input",
            h_sym[k],
            formula,
            layer.h,
            f"{matrix} → {_shape(layer.h)}",
        )
        kind = "prediction" if k == n else "activation"
        add(kind, a_sym[k], f"{layer.activation.name}({h_sym[k]})", layer.a)
    loss_name = network.loss_fn.name
    loss_formula, grad_formula = LOSS_FORMULAS.get(loss_name, ("L(ŷ, y)", "∂L/∂ŷ"))
    add("loss", "L", loss_formula, loss_value, "()")

    # (2) backward pass: error, output error term, hidden error terms
    out = layers[-1]
    add.at("backward", 0)("target", "y", "", y)
    add.at("backward", n)("error", "e", "y − ŷ", y - out.a)
    grad = network.loss_fn.gradient(out.a.copy(), y)
    add("loss_gradient", "∂L/∂ŷ", grad_formula, grad)
    terms = {}
    for k in range(n, 0, -1):
        layer = layers[k - 1]
        add.at("backward", k)
        if k == n:
            kind, formula = "error_term", _error_term_formula(network)
        else:
            Wt, up = layers[k].W.T, terms[k + 1]
            matrix = f"{_shape(up)}·{_shape(Wt, None)} → {_shape(layer.a)}"
            add("hidden_error", f"e{k}", f"{d_sym[k + 1]}·W{k}ᵀ", up @ Wt, matrix)
            kind, formula = "hidden_error_term", f"e{k} ⊙ f'({h_sym[k]})"
        if layer.activation.elementwise:
            rule = DERIVATIVES.get(layer.activation.name, "f'({a})")
            f_prime = layer.activation.derivative(layer.a)
            add("derivative", f"f'({h_sym[k]})", rule.format(a=a_sym[k]), f_prime)
        terms[k] = -m * layer.delta
        s = _shape(terms[k])
        add(kind, d_sym[k], formula, terms[k], f"{s}⊙{s} → {s}")

    # (3) update: gradient, weight step, new weights, from the output down
    per_b = " / B" if m > 1 else ""
    for k in range(n, 0, -1):
        layer, i, d = layers[k - 1], k - 1, d_sym[k]
        add.at("update", k)
        xT, dh = _shape(layer.x.T, 1), _shape(layer.delta)
        for p, value, grad in (("W", layer.W, layer.dW), ("b", layer.b, layer.db)):
            if value is None:
                continue
            P = _shape(value, None)
            if p == "W":
                rule, source = f"{a_sym[k - 1]}ᵀ·{d}{per_b}", f"{xT}·{dh}"
            else:
                rule, source = f"Σ {d}{per_b}", f"Σ{dh}"
            # the gradient written out as the lecture's last page does
            chain = d if k == n else f"[({d_sym[k + 1]}·W{k}ᵀ) ⊙ f'({h_sym[k]})]"
            full = "−" + rule.replace(d, chain, 1)
            add(f"gradient_{p}", f"∂L/∂{p}{i}", full, grad, f"{source} / B → {P}")
            step = -lr * grad
            add(f"weight_step_{p}", f"Δ{p}{i}", "η·" + rule, step, f"η·{P} → {P}")
            new, same = value + step, f"{P} + {P} → {P}"
            add(f"new_{p}", f"{p}{i}", f"{p}{i} + Δ{p}{i}", new, same)
    acts = [layer.activation.name for layer in layers]
    return Trace(add.steps, m, lr, loss_name, network.sizes, acts)
