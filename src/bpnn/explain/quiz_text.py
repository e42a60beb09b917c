"""A quiz as text (English or Chinese), as its answer key, and as JSON.

The printed exercise is itself an answer form: every line but the answers
starts with ``#``, and each question is a line ``key = ?``; fill in the
numbers and hand the file to ``bpnn quiz --seed N --check FILE``.
"""

from __future__ import annotations

import numpy as np

from .quiz import text_sig
from .text import LANGS, STAGES, check_lang, name_and_words

WORDS = {
    "en": {
        "title": "# Exercise {seed}: one training step of a {sizes} network, by hand",
        "network": "# activations {acts}; loss {loss} = {formula}; {bias}",
        "bias": "a bias in every layer",
        "no_bias": "no bias",
        "x": "# input x = {x}",
        "W": "# weights {symbol} (into {layer}) = {W}",
        "b": "# bias {symbol} (in {layer}) = {b}",
        "y": "# target y = {y}",
        "lr": "# learning rate η = {lr}",
        "layer": "layer {k}",
        "output": "the output",
        "rules": "# Give each answer to {digits} significant figures; carry the "
        "unrounded values forward.\n# Indices count from 1 over the axes longer "
        "than 1 ({key} is {element}).\n# Replace each ? by your number, then: "
        "bpnn quiz {options} --check FILE",
        "key_title": "# Answers to exercise {seed}, to {digits} significant figures "
        "(the exact value after #)",
        "exact": "exact",
    },
    "zh": {
        "title": "# 练习 {seed}: 手算 {sizes} 网络的一次训练",
        "network": "# 激活函数 {acts}; 损失函数 {loss} = {formula}; {bias}",
        "bias": "每层都有偏置",
        "no_bias": "没有偏置",
        "x": "# 输入 x = {x}",
        "W": "# 权重 {symbol} (进入{layer}) = {W}",
        "b": "# 偏置 {symbol} ({layer}) = {b}",
        "y": "# 目标值 y = {y}",
        "lr": "# 学习率 η = {lr}",
        "layer": "第{k}层",
        "output": "输出层",
        "rules": "# 每个答案保留 {digits} 位有效数字; 后续计算使用未舍入的值。\n"
        "# 下标从 1 开始, 只计长度大于 1 的维度 ({key} 即 {element})。\n"
        "# 把每个 ? 换成你的答案, 然后运行: bpnn quiz {options} --check FILE",
        "key_title": "# 练习 {seed} 的答案, {digits} 位有效数字 (# 后为精确值)",
        "exact": "精确值",
    },
}


def _fmt(value):
    """Every digit of a short number, as Python writes floats: ``[0.1, -0.3]``."""
    value = np.asarray(value, dtype=float) + 0.0
    return repr(value.item()) if value.size == 1 else repr(value.tolist())


def givens(quiz, lang="en") -> list:
    """The lines that state the exercise: network, input, weights, target,
    learning rate."""
    from .tracing import LOSS_FORMULAS

    words = WORDS[check_lang(lang)]
    t, n = quiz.trace, len(quiz.network.layers)
    has_bias = quiz.network.layers[0].b is not None
    lines = [
        words["title"].format(seed=quiz.seed, sizes="-".join(map(str, t.sizes))),
        words["network"].format(
            acts=", ".join(t.activations),
            loss=t.loss,
            formula=LOSS_FORMULAS.get(t.loss, ("L(ŷ, y)",))[0],
            bias=words["bias" if has_bias else "no_bias"],
        ),
        words["x"].format(x=_fmt(quiz.X[0] if len(quiz.X) == 1 else quiz.X)),
    ]
    for k in range(1, n + 1):
        name = t.layer_name(k)
        layer = words["output"] if k == n else words["layer"].format(k=k)
        W = t[f"{name}.W"]
        lines.append(words["W"].format(symbol=W.symbol, layer=layer, W=_fmt(W.value)))
        if f"{name}.b" in t:
            b = t[f"{name}.b"]
            lines.append(
                words["b"].format(symbol=b.symbol, layer=layer, b=_fmt(b.value))
            )
    lines.append(words["y"].format(y=_fmt(quiz.y[0] if len(quiz.y) == 1 else quiz.y)))
    lines.append(words["lr"].format(lr=_fmt(quiz.learning_rate)))
    return lines


def options(quiz) -> str:
    """The ``bpnn quiz`` options that make this exercise again."""
    t, parts = quiz.trace, [f"--seed {quiz.seed}"]
    if t.sizes != [2, 1, 1]:
        parts.append("--layers " + ",".join(map(str, t.sizes)))
    if set(t.activations) != {"sigmoid"}:
        acts = t.activations
        parts.append(
            "--activations " + (acts[0] if len(set(acts)) == 1 else ",".join(acts))
        )
    if t.loss != "half_mse":
        parts.append(f"--loss {t.loss}")
    if t.batch != 1:
        parts.append(f"--batch {t.batch}")
    if quiz.network.layers[0].b is not None:
        parts.append("--bias")
    if quiz.digits != 3:
        parts.append(f"--digits {quiz.digits}")
    return " ".join(parts)


def describe(question, lang="en") -> str:
    """``output error term δo = (y − ŷ) ⊙ f'(out)``: the quantity asked."""
    step = question.step
    name = name_and_words(step, lang)[0]
    formula = f" = {step.formula}" if step.formula else ""
    return f"{name} {step.symbol}{formula}"


def questions_text(quiz, lang="en") -> str:
    """The exercise and its questions, as an answer form."""
    words = WORDS[check_lang(lang)]
    key, element = _example(quiz)
    lines = givens(quiz, lang)
    lines.append(
        words["rules"].format(
            digits=quiz.digits, key=key, element=element, options=options(quiz)
        )
    )
    width = max(len(q.key) for q in quiz.questions) + 4
    stage = None
    for q in quiz.questions:
        if q.step.stage != stage:
            stage = q.step.stage
            lines += ["", f"# {STAGES[stage][lang]}"]
        lines.append(f"{q.key + ' = ?':<{width}}  # {describe(q, lang)}")
    return "\n".join(lines) + "\n"


def answers_text(quiz, lang="en") -> str:
    """The key: each answer to the asked rounding, then its exact value."""
    words = WORDS[check_lang(lang)]
    lines = [words["key_title"].format(seed=quiz.seed, digits=quiz.digits)]
    pairs = [(q, f"{q.key} = {text_sig(q.exact, quiz.digits)}") for q in quiz.questions]
    width = max(len(text) for _, text in pairs) + 2
    for q, text in pairs:
        exact = repr(q.exact)
        lines.append(f"{text:<{width}}# {words['exact']} {exact}; {describe(q, lang)}")
    return "\n".join(lines) + "\n"


def to_dict(quiz, answers=False) -> dict:
    """The exercise as JSON types; with ``answers``, each answer and exact value."""

    t = quiz.trace
    weights = []
    for layer in quiz.network.layers:
        entry = {"W": layer.W.tolist()}
        if layer.b is not None:
            entry["b"] = layer.b.tolist()
        weights.append(entry)
    out = {
        "seed": quiz.seed,
        "sizes": t.sizes,
        "activations": t.activations,
        "loss": t.loss,
        "bias": quiz.network.layers[0].b is not None,
        "batch": t.batch,
        "x": quiz.X.tolist(),
        "weights": weights,
        "y": quiz.y.tolist(),
        "learning_rate": quiz.learning_rate,
        "digits": quiz.digits,
        "questions": [],
    }
    for q in quiz.questions:
        item = {
            "key": q.key,
            "step": q.step.key,
            "index": list(q.index),
            "stage": q.step.stage,
            "symbol": q.step.symbol,
            "formula": q.step.formula,
            "name": {lang: name_and_words(q.step, lang)[0] for lang in LANGS},
        }
        if answers:
            item["answer"] = text_sig(q.exact, quiz.digits)
            item["exact"] = q.exact
        out["questions"].append(item)
    return out


def _example(quiz):
    """A key with indices from this quiz, and the element it names."""
    for q in reversed(quiz.questions):
        if "[" in q.key:
            return q.key, q.step.symbol + q.key[q.key.index("[") :]
    return "layer1.weight_step_W[2]", "ΔW0[2]"
