"""The lecture's two worked examples, traced by the engine.

``backprop()`` is the exercise of the answer page (反向传播练习): a 2-1-1
sigmoid network without bias, x = (0.1, 0.3), input-to-hidden weights W_i =
(0.4, -0.2), hidden-to-output weight W = 0.1, y = 1, learning rate 0.5.
``lecture_numbers`` redoes the page's hand arithmetic, where each printed
number is rounded and then carried into the next line -- which is why the page
writes 0.00045 for a weight step whose exact value is 0.000457.
``linear()`` is the first page's linear neuron, ŷ = h = Σ w_i x_i.
"""

from __future__ import annotations

import numpy as np

from ..engine.layers import Dense
from ..engine.network import Network
from .text import check_lang, format_value

#: what the answer page prints: key, decimals, the page's own (rounded)
#: numbers it reads, and its hand formula over them (None: the exact value)
LECTURE_PAGE = [
    ("layer1.h", 2, (), None),
    ("layer1.a", 3, (), None),
    ("output.h", 4, ("output.W", "layer1.a"), lambda w, a: w * a),
    ("output.a", 3, (), None),
    ("output.error", 3, ("target.y", "output.a"), lambda y, y_hat: y - y_hat),
    (
        "output.error_term",
        3,
        ("output.error", "output.a"),
        lambda e, y_hat: e * y_hat * (1 - y_hat),
    ),
    (
        "layer1.error_term",
        3,
        ("output.W", "output.error_term", "layer1.a"),
        lambda w, d, a: w * d * a * (1 - a),
    ),
    (
        "output.weight_step_W",
        4,
        ("learning_rate", "output.error_term", "layer1.a"),
        lambda lr, d, a: lr * d * a,
    ),
    (
        "layer1.weight_step_W",
        5,
        ("learning_rate", "layer1.error_term", "input.x"),
        lambda lr, d, x: lr * d * x,
    ),
]

WORDS = {
    "en": {
        "title": "The lecture's exercise (反向传播练习): find the weight steps "
        "input→hidden (W_i, here W0) and hidden→output (W, here W1).",
        "lecture": "lecture",
        "differs": "exact value rounds to {exact}: the lecture carries its rounded "
        "{carried}",
        "linear": "The linear neuron: h = w1·x1 + w2·x2 + w3·x3, ŷ = h, "
        "loss = ½(y − ŷ)², learning rate α = {lr}",
        "forward": "(1) forward pass",
        "backward": "(2) backward pass, by the chain rule "
        "∂Loss/∂wi = ∂Loss/∂ŷ · ∂ŷ/∂h · ∂h/∂wi",
        "update": "(3) the weight step Δwi = −α·∂Loss/∂wi = α·(y − ŷ)·xi, added: "
        "wi ← wi + Δwi",
        "convention": "(the lecture's first page writes Δwi for the gradient "
        "∂Loss/∂wi and subtracts α·Δwi; the same update)",
    },
    "zh": {
        "title": "讲义的反向传播练习: 求输入层--隐藏层 (W_i, 此处记 W0) 和 "
        "隐藏层--输出层 (W, 此处记 W1) 的权重更新步长。",
        "lecture": "讲义",
        "differs": "精确值四舍五入为 {exact}: 讲义沿用了四舍五入后的 {carried}",
        "linear": "线性神经元: h = w1·x1 + w2·x2 + w3·x3, ŷ = h, "
        "loss = ½(y − ŷ)², 学习率 α = {lr}",
        "forward": "(1) 正向传播",
        "backward": "(2) 反向传播, 链式法则 ∂Loss/∂wi = ∂Loss/∂ŷ · ∂ŷ/∂h · ∂h/∂wi",
        "update": "(3) 权重更新步长 Δwi = −α·∂Loss/∂wi = α·(y − ŷ)·xi, 加到权重上: "
        "wi ← wi + Δwi",
        "convention": "(讲义第一页把梯度 ∂Loss/∂wi 记作 Δwi 并减去 α·Δwi; 是同一次更新)",
    },
}


def backprop():
    """The answer page's network and data: (network, X, y, lr)."""
    net = Network(
        [Dense(2, 1, "sigmoid", bias=False), Dense(1, 1, "sigmoid", bias=False)]
    )
    net.layers[0].W[:] = [[0.4], [-0.2]]
    net.layers[1].W[:] = [[0.1]]
    return net, np.array([[0.1, 0.3]]), np.array([[1.0]]), 0.5


def lecture_numbers(t) -> dict:
    """Each number the answer page prints, computed its way: key -> value
    (a float, or an array for the input-to-hidden weight steps)."""
    r = {key: _scalar(t[key].value) for key in ("output.W", "target.y", "input.x")}
    r["learning_rate"] = t.learning_rate
    out = {}
    for key, decimals, reads, by_hand in LECTURE_PAGE:
        if by_hand is None:
            value = _scalar(t[key].value)
        else:
            value = by_hand(*(r[k] for k in reads))
        r[key] = out[key] = _scalar(np.round(value, decimals))
    return out


def lecture_notes(t, lang="en") -> dict:
    """key -> "lecture 0.495" text for the trace's value lines, with the
    reason where the lecture's number is not the exact value rounded."""
    words = WORDS[check_lang(lang)]
    page = lecture_numbers(t)
    notes = {}
    for key, decimals, reads, _ in LECTURE_PAGE:
        notes[key] = f"{words['lecture']} {_fmt(page[key])}"
        exact = _scalar(np.round(t[key].value, decimals))
        if not np.array_equal(exact, page[key]):
            carried = ", ".join(
                f"{t[k].symbol} = {_fmt(page[k])}" for k in reads if k in page
            )
            differs = words["differs"].format(exact=_fmt(exact), carried=carried)
            notes[key] += f"\n({differs})"
    return notes


def backprop_text(t, lang="en", precision=6) -> str:
    """The exercise's trace ``t`` with the lecture's numbers beside the exact
    ones."""
    title = WORDS[check_lang(lang)]["title"]
    return title + "\n" + t.to_text(lang, precision, notes=lecture_notes(t, lang))


def linear():
    """The linear neuron of the first page: (network, X, y, lr)."""
    net = Network([Dense(3, 1, "identity", bias=False)])
    net.layers[0].W[:, 0] = [0.5, -0.2, 0.1]
    return net, np.array([[1.0, 2.0, 3.0]]), np.array([[1.0]]), 0.1


def linear_text(t, lang="en", precision=6) -> str:
    """The chain rule line by line and the update of each weight."""
    words = WORDS[check_lang(lang)]

    def f(value):
        return format_value(value, precision)

    x, w = t["input.x"].value[0], t["output.W"].value[:, 0]
    grad, new = t["output.gradient_W"].value[:, 0], t["output.new_W"].value[:, 0]
    dl_dy = _scalar(t["output.loss_gradient"].value)
    lr = t.learning_rate
    lines = [
        words["linear"].format(lr=f(lr)),
        f"x = {f(x)}, w = {f(w)}, y = {f(t['target.y'].value)}",
        "",
        words["forward"],
        f"  h = w1·x1 + w2·x2 + w3·x3 = {f(t['output.h'].value)}",
        f"  ŷ = h = {f(t['output.a'].value)}",
        f"  loss = ½(y − ŷ)² = {f(t['loss'].value)}",
        words["backward"],
        f"  ∂Loss/∂ŷ = −(y − ŷ) = {f(dl_dy)}",
        f"  ∂ŷ/∂h = 1 = {f(t['output.derivative'].value)}",
    ]
    for i in range(len(x)):
        lines.append(f"  ∂h/∂w{i + 1} = x{i + 1} = {f(x[i])}")
    for i in range(len(x)):
        lines.append(
            f"  ∂Loss/∂w{i + 1} = (ŷ − y)·x{i + 1} = {f(dl_dy)} × {f(x[i])}"
            f" = {f(grad[i])}"
        )
    lines += [words["update"], words["convention"]]
    for i in range(len(x)):
        step = -lr * grad[i]
        lines.append(
            f"  Δw{i + 1} = −{f(lr)} × ({f(grad[i])}) = {f(step)}, "
            f"w{i + 1} = {f(w[i])} + ({f(step)}) = {f(new[i])}"
        )
    return "\n".join(lines) + "\n"


def _scalar(value):
    value = np.asarray(value, dtype=float)
    return float(value.ravel()[0]) if value.size == 1 else value.ravel()


def _fmt(value):
    value = np.atleast_1d(value)
    text = ", ".join(f"{v:g}" for v in value)
    return text if value.size == 1 else f"({text})"
