"""The labels of a trace in English and Chinese, and its text rendering.

Only the labels live here; every symbol, formula, shape and value comes from
the ``Trace`` record, so the two languages always print the same numbers.
The Chinese names are the lecture's own (正向传播, 输出节点的误差项, ...).
"""

from __future__ import annotations

import numpy as np

from ..errors import InputError

LANGS = ("en", "zh")

#: kind -> {lang: (name, the formula in words)}; {k} is the layer number
LABELS = {
    "input": {
        "en": ("input", "the records fed to the network"),
        "zh": ("输入", "送入网络的记录"),
    },
    "weights": {
        "en": ("weights", "into layer {k}"),
        "zh": ("权重", "进入第{k}层"),
    },
    "bias": {
        "en": ("bias", "added in layer {k}"),
        "zh": ("偏置", "第{k}层加上的常数"),
    },
    "weighted_input": {
        "en": ("weighted input", "inputs times weights, summed, in layer {k}"),
        "zh": ("加权输入", "第{k}层: 输入乘权重再求和"),
    },
    "activation": {
        "en": ("activation", "the activation function of the weighted input"),
        "zh": ("隐藏节点的输出", "加权输入经过激活函数"),
    },
    "prediction": {
        "en": ("output", "the activation function of the output's weighted input"),
        "zh": ("网络的输出", "输出层的加权输入经过激活函数"),
    },
    "loss": {
        "en": ("loss", "the mean over the batch"),
        "zh": ("损失函数", "对批次取平均"),
    },
    "target": {
        "en": ("target", "the value the output should reach"),
        "zh": ("目标值", "输出应达到的值"),
    },
    "error": {
        "en": ("error", "target minus output"),
        "zh": ("误差", "目标值减输出"),
    },
    "loss_gradient": {
        "en": ("loss gradient", "how the loss changes with the output"),
        "zh": ("损失对输出的梯度", "损失随输出的变化率"),
    },
    "derivative": {
        "en": ("derivative", "the activation function's derivative, from its output"),
        "zh": ("激活函数的导数", "由激活值算出"),
    },
    "error_term": {
        "en": ("output error term", "error times the derivative"),
        "zh": ("输出节点的误差项", "误差乘导数"),
    },
    "hidden_error": {
        "en": ("hidden error", "the error term sent back through the weights"),
        "zh": ("隐藏层误差", "误差项经权重传回"),
    },
    "hidden_error_term": {
        "en": ("hidden error term", "hidden error times the derivative"),
        "zh": ("隐藏节点的误差项", "隐藏层误差乘导数"),
    },
    "gradient_W": {
        "en": ("gradient", "of the mean loss with respect to the weights"),
        "zh": ("梯度", "平均损失对权重的偏导"),
    },
    "gradient_b": {
        "en": ("bias gradient", "of the mean loss with respect to the bias"),
        "zh": ("偏置的梯度", "平均损失对偏置的偏导"),
    },
    "weight_step_W": {
        "en": ("weight step", "learning rate × input × error term"),
        "zh": ("权重更新步长", "学习率 × 输入值 × 误差项"),
    },
    "weight_step_b": {
        "en": ("bias step", "learning rate × error term"),
        "zh": ("偏置更新步长", "学习率 × 误差项"),
    },
    "new_W": {
        "en": ("updated weights", "weights plus weight step"),
        "zh": ("更新后的权重", "权重加权重更新步长"),
    },
    "new_b": {
        "en": ("updated bias", "bias plus bias step"),
        "zh": ("更新后的偏置", "偏置加偏置更新步长"),
    },
}

STAGES = {
    "forward": {"en": "forward pass", "zh": "正向传播"},
    "backward": {"en": "backward pass", "zh": "反向传播"},
    "update": {"en": "weight update", "zh": "权重更新"},
}

HEADER = {
    "en": "network {sizes}, activations {acts}, loss {loss}; batch B = {batch}",
    "zh": "网络 {sizes}, 激活函数 {acts}, 损失函数 {loss}; 批大小 B = {batch}",
}
LEARNING_RATE = {"en": ", learning rate η = {lr}", "zh": ", 学习率 η = {lr}"}


def check_lang(lang):
    if lang not in LANGS:
        raise InputError(f"unknown language {lang!r}; choose one of {', '.join(LANGS)}")
    return lang


def name_and_words(step, lang):
    """The step's name and its formula in words, in ``lang``."""
    name, words = LABELS[step.kind][check_lang(lang)]
    return name, words.format(k=step.layer)


def step_dict(step) -> dict:
    """A step as JSON types, with its labels in every language."""
    labels = {lang: name_and_words(step, lang) for lang in LANGS}
    return {
        "key": step.key,
        "stage": step.stage,
        "kind": step.kind,
        "layer": step.layer,
        "name": {lang: labels[lang][0] for lang in LANGS},
        "words": {lang: labels[lang][1] for lang in LANGS},
        "symbol": step.symbol,
        "formula": step.formula,
        "matrix": step.matrix,
        "shape": list(step.shape),
        "value": step.value.tolist(),
    }


def format_value(value, precision=6) -> str:
    """One number as ``%.{precision}g``; an array as nested brackets."""
    value = np.asarray(value) + 0.0  # + 0.0 prints -0.0 as 0
    if precision is None:

        def fmt(v):
            return repr(float(v))  # 0.1, not np.float64(0.1)

    else:

        def fmt(v):
            return f"{v:.{precision}g}"

    if value.size == 1:
        return fmt(float(value.ravel()[0]))
    return np.array2string(
        value, separator=", ", formatter={"float_kind": fmt}, max_line_width=78
    )


def format_header(trace, lang, values=True):
    """One line: the network, its loss, the batch and the learning rate."""
    line = HEADER[check_lang(lang)].format(
        sizes="-".join(map(str, trace.sizes)),
        acts=",".join(trace.activations),
        loss=trace.loss,
        batch=trace.batch,
    )
    if values:
        line += LEARNING_RATE[lang].format(lr=format_value(trace.learning_rate))
    return line


def render(trace, lang="en", precision=6, values=True, notes=None) -> str:
    """The walkthrough, stage by stage, two lines a step: its name, symbol,
    formula and formula in words; then its shapes and (unless ``values`` is
    false) its value. ``notes`` maps a key to text put after its value."""
    check_lang(lang)
    notes = notes or {}
    lines = [format_header(trace, lang, values)]
    stage = None
    for step in trace:
        if step.stage != stage:
            stage = step.stage
            lines += ["", STAGES[stage][lang]]
        name, words = name_and_words(step, lang)
        eq = f" = {step.formula}" if step.formula else ""
        lines.append(f"  {name} {step.symbol}{eq}   ({words})")
        line = f"      {step.matrix}"
        if values:
            pad = " " * (len(line) + 3)
            text = format_value(step.value, precision).replace("\n", "\n" + pad)
            line += f" = {text}"
            if step.key in notes:
                note = notes[step.key].replace("\n", "\n" + " " * 8)
                line += f"   {note}"
        lines.append(line)
    return "\n".join(lines) + "\n"
