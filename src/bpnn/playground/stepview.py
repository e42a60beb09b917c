"""The step view's network: the lecture's exercise, a random small network or
one described in full, traced by ``bpnn.trace``.

A request describes the network as a *spec* (sizes, activations, loss, bias,
learning rate, x, y and every weight); the answer carries the spec back, so the
page can show and edit each number, with the trace (``Trace.to_dict()``), the
formula of each step with its numbers put in, and for the unchanged exercise
the numbers the lecture prints.
"""

from __future__ import annotations

import re

import numpy as np

from ..engine.layers import Dense
from ..engine.network import Network
from ..explain import exercises
from ..explain.tracing import trace
from . import checks
from .checks import RequestError

ACTIVATIONS = ("sigmoid", "tanh", "relu", "identity", "softmax")
LOSSES = ("half_mse", "mse", "bce", "cross_entropy")


def exercise_spec() -> dict:
    """The answer page's network and numbers, as a spec."""
    net, X, y, lr = exercises.backprop()
    return spec_of(net, X, y, lr)


def spec_of(net, X, y, lr) -> dict:
    return {
        "sizes": net.sizes,
        "activations": [layer.activation.name for layer in net.layers],
        "loss": net.loss_fn.name,
        "bias": net.layers[0].b is not None,
        "lr": float(lr),
        "x": np.asarray(X).tolist(),
        "y": np.asarray(y).tolist(),
        "weights": [
            {"W": layer.W.tolist(), "b": None if layer.b is None else layer.b.tolist()}
            for layer in net.layers
        ],
    }


def random_spec(body) -> dict:
    """A network of the sizes asked for, weights and records drawn with the
    seed and rounded to 2 decimals, so a derivation can be redone by hand."""
    limits = checks.TRACE_LIMITS
    sizes = checks.sizes(body.get("sizes", "2,2,1"), "sizes", limits)
    seed = checks.number(body, "seed", 0, 0, 2**32 - 1, integer=True)
    batch = checks.number(body, "batch", 1, 1, limits["batch"], integer=True)
    acts = _activations(body.get("activations", "sigmoid"), len(sizes) - 1)
    loss = checks.choice(body, "loss", LOSSES, "half_mse")
    bias = checks.flag(body, "bias", False)
    lr = checks.number(body, "lr", 0.5, 1e-6, 100)
    rng = np.random.default_rng(seed)
    net = _network(sizes, acts, loss, bias, seed)
    for layer in net.layers:
        layer.W[:] = np.round(layer.W, 2) + 0.0
        if layer.b is not None:
            layer.b[:] = np.round(layer.b, 2) + 0.0
    X = np.round(rng.normal(0, 1, (batch, sizes[0])), 2) + 0.0
    return spec_of(net, X, _targets(loss, sizes[-1], batch, rng), lr)


def _targets(loss, n_out, batch, rng):
    """Targets that suit the loss: one-hot classes, 0/1 labels or values in [0, 1]."""
    if loss == "cross_entropy":
        return np.eye(n_out)[rng.integers(0, n_out, batch)]
    if loss == "bce":
        return rng.integers(0, 2, (batch, n_out)).astype(float)
    return np.round(rng.uniform(0, 1, (batch, n_out)), 2)


def _activations(value, n_layers):
    names = value.split(",") if isinstance(value, str) else value
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise RequestError(f"activations must be names, got {value!r}")
    names = [n.strip() for n in names]
    if len(names) == 1:
        names = names * n_layers
    if len(names) != n_layers:
        raise RequestError(
            f"{n_layers} layers need 1 or {n_layers} activations, got {len(names)}"
        )
    for name in names:
        checks.choice({"activation": name}, "activation", ACTIVATIONS)
    return names


def _network(sizes, acts, loss, bias, seed=0):
    try:
        return Network.from_sizes(sizes, acts, bias=bias, loss=loss, seed=seed)
    except (ValueError, TypeError) as err:  # e.g. softmax on a hidden layer
        raise RequestError(str(err)) from None


def network_from_spec(spec):
    """(network, X, y, lr) from a full spec, every field checked."""
    if not isinstance(spec, dict):
        raise RequestError("spec must be a JSON object")
    limits = checks.TRACE_LIMITS
    sizes = checks.sizes(spec.get("sizes"), "sizes", limits)
    acts = _activations(spec.get("activations", "sigmoid"), len(sizes) - 1)
    loss = checks.choice(spec, "loss", LOSSES, "half_mse")
    bias = checks.flag(spec, "bias", False)
    lr = checks.number(spec, "lr", None, 1e-6, 100)
    try:
        layers = [Dense(i, o, a, bias=bias) for i, o, a in zip(sizes, sizes[1:], acts)]
        net = Network(layers, loss=loss)
    except (ValueError, TypeError) as err:  # softmax on a hidden layer, ...
        raise RequestError(str(err)) from None
    weights = spec.get("weights")
    if not isinstance(weights, list) or len(weights) != len(net.layers):
        raise RequestError(f"weights must list {len(net.layers)} layers")
    for k, (layer, w) in enumerate(zip(net.layers, weights)):
        if not isinstance(w, dict):
            raise RequestError(f"weights[{k}] must be an object with W (and b)")
        layer.W[:] = checks.matrix(w.get("W"), f"W{k}", layer.W.shape)
        if layer.b is not None:
            layer.b[:] = checks.matrix(w.get("b"), f"b{k}", (1, layer.n_out))[0]
    X = checks.matrix(spec.get("x"), "x", (_rows(spec.get("x"), "x"), sizes[0]))
    y = checks.matrix(spec.get("y"), "y", (len(X), sizes[-1]))
    return net, X, y, lr


def _rows(value, name):
    most = checks.TRACE_LIMITS["batch"]
    if not isinstance(value, list) or not 1 <= len(value) <= most:
        raise RequestError(f"{name} must be a list of 1 to {most} records")
    return len(value) if isinstance(value[0], list) else 1


def traced(spec):
    """The trace record of a spec, with substituted formulas and the lecture's
    numbers where the spec is the lecture's exercise."""
    net, X, y, lr = network_from_spec(spec)
    try:
        t = trace(net, X, y, lr)
    except (ValueError, TypeError) as err:  # targets that do not suit the loss
        raise RequestError(str(err)) from None
    record = t.to_dict()
    for step, filled in zip(record["steps"], substituted(t)):
        step["substituted"] = filled
    answer = {"spec": spec_of(net, X, y, lr), "trace": record}
    if answer["spec"] == exercise_spec():
        answer["lecture"] = {
            key: np.asarray(v).tolist()
            for key, v in exercises.lecture_numbers(t).items()
        }
        answer["lecture_notes"] = {
            lang: exercises.lecture_notes(t, lang) for lang in ("en", "zh")
        }
    return t, answer


def short(value, digits=6):
    """A value as the page writes it: a number, or [..] rows when small."""
    value = np.asarray(value, dtype=float) + 0.0
    if value.size == 1:
        return f"{float(value.ravel()[0]):.{digits}g}"
    if value.size > 6:
        return None
    rows = value.reshape(-1, value.shape[-1]) if value.ndim > 1 else value[None]
    inner = "; ".join(", ".join(f"{v:.{digits}g}" for v in row) for row in rows)
    return f"[{inner}]"


#: characters that continue a symbol: "a1" is not inside "a12" or "a1'"
_B = "[A-Za-z0-9_'ŷδΔ∂]"


def substituted(t):
    """Each step's formula with the values of the symbols it reads put in
    (the values known before the step; None where there is nothing to put in
    or a value is too big to write)."""
    known = {"η": t.learning_rate, "y": t["target.y"].value}
    out = []
    for step in t:
        text, missing = None, False
        if step.formula:
            names = sorted(known, key=len, reverse=True)
            pattern = "|".join(rf"(?<!{_B}){re.escape(n)}(?!{_B})" for n in names)

            def fill(match):
                nonlocal missing
                written = short(known[match.group(0)], 4)
                missing = missing or written is None
                return written or match.group(0)

            text = re.sub(pattern, fill, step.formula)
            if missing or text == step.formula:
                text = None
        out.append(text)
        if not step.kind.startswith("new_"):  # the update reads the old weights
            known[step.symbol] = step.value
    return out
