"""The words, colours and size limit of a network drawing, in English and Chinese.

Quantity names come from ``explain.text.LABELS`` (the lecture's 加权输入,
权重更新步长, ...), so a drawing and the printed trace name things alike.
"""

from __future__ import annotations

from ..errors import InputError

#: what a drawing shows, cumulatively: the exercise's givens, then the values
#: of the forward pass, the error terms, and the weight steps
STAGES = ("given", "forward", "backward", "update")
#: (line colour, text colour) by the sign of a weight
POSITIVE = ("#3b7dd8", "#1d5aa6")
NEGATIVE = ("#f08a24", "#b45309")
ZERO = ("#9a9a9a", "#666666")
#: beyond this many nodes in a layer (or layers) the labels cannot be read
MAX_NODES, MAX_LAYERS = 10, 8

WORDS = {
    "en": {
        "input": "input",
        "hidden": "hidden layer {k}",
        "output": "output",
        "nodes_n": "{n} node(s)",
        "given": "the exercise: inputs x, weights W on the edges, target y; "
        "? is to be worked out",
        "forward": "after the forward pass",
        "backward": "after the backward pass",
        "update": "after the weight update",
        "record": "; nodes show record 1 of the batch of {batch}, Δ the batch's "
        "weight step",
        "positive": "positive weight",
        "negative": "negative weight",
        "width": "line width ∝ |W|",
        "nodes": "node: h = {h}, a = {a}, δ = {d}",
        "edges": "edge: its weight W; Δ = {step} ΔW = η·aᵀ·δ / B, added to W",
        "hover": "edges without numbers: too many to label; hover over one "
        "(or read bpnn explain's text)",
    },
    "zh": {
        "input": "输入层",
        "hidden": "隐藏层 {k}",
        "output": "输出层",
        "nodes_n": "{n} 个节点",
        "given": "练习的已知量: 输入 x, 边上的权重 W, 目标值 y; ? 为待求的量",
        "forward": "正向传播之后",
        "backward": "反向传播之后",
        "update": "权重更新之后",
        "record": "; 节点显示批次 {batch} 条记录中的第 1 条, Δ 为整批的权重更新步长",
        "positive": "正权重",
        "negative": "负权重",
        "width": "线宽 ∝ |W|",
        "nodes": "节点: h = {h}, a = {a}, δ = {d}",
        "edges": "边: 权重 W; Δ = {step} ΔW = η·aᵀ·δ / B, 加到 W 上",
        "hover": "没有数字的边: 数量太多无法标注; 将鼠标移到边上查看 "
        "(或阅读 bpnn explain 的文字输出)",
    },
}


def check_size(sizes):
    """Refuse a network whose drawing could not be read."""
    widest = max(sizes)
    if widest > MAX_NODES or len(sizes) > MAX_LAYERS:
        shape = "-".join(map(str, sizes))
        raise InputError(
            f"the network {shape} is too large to draw legibly: a drawing takes "
            f"at most {MAX_NODES} nodes a layer and {MAX_LAYERS} layers; read "
            "its trace as text instead (bpnn explain)"
        )


def column_titles(trace, lang):
    """(name, activation) above each column."""
    words = WORDS[lang]
    n = len(trace.sizes) - 1
    out = [(words["input"], words["nodes_n"].format(n=trace.sizes[0]))]
    for k in range(1, n + 1):
        name = words["output"] if k == n else words["hidden"].format(k=k)
        count = words["nodes_n"].format(n=trace.sizes[k])
        out.append((name, f"{trace.activations[k - 1]}, {count}"))
    return out


def notes(trace, lang, stage, labelled=True):
    """The title line, the line that says what is shown, and the legend:
    (colour key texts, further legend lines)."""
    from .text import LABELS, format_header

    words = WORDS[lang]
    header = format_header(trace, lang)
    note = words[stage]
    if trace.batch > 1:
        note += words["record"].format(batch=trace.batch)

    def name(kind):
        return LABELS[kind][lang][0]

    key = (words["positive"], words["negative"], words["width"])
    lines = [
        words["nodes"].format(
            h=name("weighted_input"), a=name("activation"), d=_error_term(lang)
        ),
        words["edges"].format(step=name("weight_step_W")),
    ]
    if not labelled:
        lines.append(words["hover"])
    return header, note, key, lines


def _error_term(lang):
    return "误差项" if lang == "zh" else "error term"


def text_width(text, size, bold=False):
    """About how wide ``text`` is in pixels, a little generous: CJK characters
    are square, digits about 0.62 of the font size (DejaVu's), other letters
    by their class."""
    em = 0.0
    for c in text:
        if ord(c) >= 0x2E80:
            em += 1.0
        elif c.isdigit():
            em += 0.62
        elif c in NARROW:
            em += 0.32
        elif c.isupper() or c in "mwMW—":
            em += 0.78
        else:
            em += 0.58
    return size * em * (1.08 if bold else 1.0)


NARROW = " .,:;'!|()[]ijlftr-−"
