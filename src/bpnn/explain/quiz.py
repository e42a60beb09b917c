"""Exercises of the lecture's kind (反向传播练习), made from a seed.

``make_quiz(seed)`` draws a small network, its input, target and learning rate
as short round numbers (tenths), and asks for the quantities of one training
step in the lecture's order: h and a layer by layer, ŷ, the error, the output
error term δo, the hidden error terms δh, then the weight steps ΔW from the
output down. The answers are the values of ``bpnn.trace`` of that very
network, read by key; nothing is computed twice.

A seed gives the same exercise everywhere: NumPy's ``default_rng`` draws whole
numbers, and k/10 is one correctly rounded division on every machine.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

#: the step kinds asked, in the trace's (the lecture's) order
ASKED = (
    "weighted_input",
    "activation",
    "prediction",
    "error",
    "error_term",
    "hidden_error_term",
    "weight_step_W",
    "weight_step_b",
)
LEARNING_RATES = (0.1, 0.2, 0.5, 1.0)
#: output activations whose values lie in [0, 1]; targets are drawn to match
UNIT_OUTPUTS = ("sigmoid", "softmax", "relu")


@dataclass(frozen=True)
class Question:
    """One number to find: element ``index`` of the trace step ``step``.

    ``key`` names it for answers: the step's key, then the element's indices
    counted from 1 over the axes longer than 1 (``layer1.weight_step_W[2]``)."""

    key: str
    step: object  # bpnn's trace Step
    index: tuple

    @property
    def exact(self) -> float:
        return float(self.step.value[self.index]) + 0.0


@dataclass
class Quiz:
    """An exercise: the network, data and learning rate, its trace and the
    questions; answers are given to ``digits`` significant figures."""

    seed: int | None
    network: object
    X: np.ndarray
    y: np.ndarray
    learning_rate: float
    trace: object
    questions: list
    digits: int = 3

    def question(self, key) -> Question:
        for q in self.questions:
            if q.key == key:
                return q
        raise KeyError(key)


def make_quiz(
    seed,
    sizes=(2, 1, 1),
    activations="sigmoid",
    loss="half_mse",
    batch=1,
    bias=False,
    digits=3,
) -> Quiz:
    """A new exercise from ``seed`` (default: the lecture's 2-1-1 sigmoid
    network without bias, one record, the lecture's half MSE)."""
    from ..engine.layers import Dense
    from ..engine.network import Network
    from ..errors import InputError

    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise InputError(f"seed must be a whole number >= 0, got {seed!r}")
    if isinstance(batch, bool) or not isinstance(batch, (int, np.integer)):
        raise InputError(f"batch must be a whole number >= 1, got {batch!r}")
    if batch < 1:
        raise InputError(f"batch must be a whole number >= 1, got {batch!r}")
    sizes = list(sizes)
    n = len(sizes) - 1
    acts = [activations] * n if isinstance(activations, str) else list(activations)
    if len(acts) != n:
        raise InputError(f"give 1 activation or one per layer ({n}), got {len(acts)}")
    net = Network(
        [Dense(a, b, act, bias=bias) for a, b, act in zip(sizes, sizes[1:], acts)],
        loss=loss,
    )
    rng = np.random.default_rng(int(seed))
    for layer in net.layers:
        layer.W[:] = _tenths(rng, layer.W.shape)
        if layer.b is not None:
            layer.b[:] = _tenths(rng, layer.b.shape)
    X = _tenths(rng, (batch, sizes[0]))
    y = _targets(rng, net, batch)
    lr = float(rng.choice(LEARNING_RATES))
    return quiz_from(net, X, y, lr, seed=int(seed), digits=digits)


def quiz_from(network, X, y, lr, seed=None, digits=3) -> Quiz:
    """The exercise on a given network and data: its trace and questions."""
    from ..errors import InputError
    from .tracing import trace

    if isinstance(digits, bool) or not isinstance(digits, int) or not 1 <= digits <= 9:
        raise InputError(f"digits must be a whole number from 1 to 9, got {digits!r}")
    t = trace(network, X, y, lr)
    questions = [
        Question(_element_key(step.key, step.shape, index), step, index)
        for step in t
        if step.kind in ASKED
        for index in np.ndindex(step.shape)
    ]
    return Quiz(
        seed, network, t["input.x"].value, t["target.y"].value, lr, t, questions, digits
    )


def round_sig(value, digits) -> float:
    """``value`` to ``digits`` significant figures (Python's decimal rounding,
    the same on every machine)."""
    return float(f"{value:.{digits}g}") + 0.0


def text_sig(value, digits) -> str:
    return f"{round_sig(value, digits):.{digits}g}"


def is_right(given, exact, digits) -> bool:
    """Whether ``given`` lies within half a unit of the ``digits``-th
    significant figure of ``exact``: what rounding to that many allows."""
    if not math.isfinite(given):
        return False
    if exact == 0:
        return abs(given) <= 1e-12
    unit = 10.0 ** (math.floor(math.log10(abs(exact))) - digits + 1)
    return abs(given - exact) <= 0.5 * unit * (1 + 1e-9)


def _element_key(key, shape, index):
    """``layer1.h`` for one number, ``layer1.h[2]`` or ``[1,2]`` otherwise:
    indices from 1, over the axes longer than 1."""
    parts = [str(i + 1) for i, d in zip(index, shape) if d > 1]
    return f"{key}[{','.join(parts)}]" if parts else key


def _tenths(rng, shape):
    """Numbers ±0.1 ... ±0.9 (never 0), as exact as k/10 can be."""
    k = rng.integers(1, 10, shape) * rng.choice((-1, 1), shape)
    return k / 10


def _targets(rng, net, batch):
    """Targets that suit the loss and the output: classes for the
    cross-entropies, tenths in [0, 1] or [-1, 1] for the squared errors."""
    n_out, loss = net.n_out, net.loss_fn.name
    if loss == "cross_entropy":
        return np.eye(n_out)[rng.integers(0, n_out, batch)]
    if loss == "bce":
        return rng.integers(0, 2, (batch, n_out)).astype(float)
    low = 0 if net.layers[-1].activation.name in UNIT_OUTPUTS else -10
    return rng.integers(low, 11, (batch, n_out)) / 10
