"""Where everything of a network drawing goes: boxes, edges, labels, legend.

``layout(trace, ...)`` turns a ``Trace`` into plain shapes (``Rect``, ``Line``,
``Text`` in ``Group``s) in pixels, top-left origin, so that the SVG writer and
the PNG renderer draw the very same picture. Nodes are boxes in columns, one
column a layer; each box lists its node's values, each edge carries its weight
W and, after the update, its weight step ΔW (Δ). Values are the trace's,
rounded as its text prints them.
"""

from __future__ import annotations

from .drawing_edges import edge_labels, edges, place_labels, weights
from .drawing_shapes import FONT, LINE, MARGIN, PAD, Canvas, Group, Line, Rect, Text
from .drawing_words import (
    NEGATIVE,
    POSITIVE,
    STAGES,
    check_size,
    column_titles,
    notes,
    text_width,
)


def layout(trace, lang="en", stage="update", precision=6) -> Canvas:
    """The shapes of ``trace``'s network drawn after ``stage`` (one of
    ``STAGES``: given, forward, backward, update)."""
    from .text import check_lang, format_value

    check_lang(lang)
    check_size(trace.sizes)
    if stage not in STAGES:
        from ..errors import InputError

        raise InputError(f"stage must be one of {', '.join(STAGES)}, got {stage!r}")
    shown = STAGES.index(stage)

    def fmt(value):
        return format_value(value, precision)

    boxes = [_node_lines(trace, k, shown, fmt) for k in range(len(trace.sizes))]
    box_w = max(text_width(t, FONT) for col in boxes for b in col for t in b) + 2 * PAD
    box_w = max(box_w, 84.0)
    box_h = [PAD * 2 + LINE * len(col[0]) - 4 for col in boxes]
    pitch = [max(h + 24, 72.0) for h in box_h]
    top = 104.0
    tallest = max(n * p for n, p in zip(trace.sizes, pitch))
    centres = [
        [top + (tallest - n * p) / 2 + p * (j + 0.5) for j in range(n)]
        for n, p in zip(trace.sizes, pitch)
    ]
    labels = [edge_labels(trace, k, shown, fmt) for k in range(1, len(trace.sizes))]
    max_w = max(
        abs(w) for k in range(1, len(trace.sizes)) for w in weights(trace, k).flat
    )
    # columns left to right; each gap as wide as its labels need
    xs, placed = [MARGIN], []
    for k, texts in enumerate(labels, 1):
        x_left = xs[-1] + box_w
        gap, spots = place_labels(texts, centres[k - 1], centres[k], x_left)
        placed.append(spots)
        xs.append(x_left + gap)
    header, note, key, legend = notes(trace, lang, stage, None not in placed)
    width = xs[-1] + box_w + MARGIN
    texts = legend + [note, "—— " * 3 + "  ".join(key)]
    width = max(width, MARGIN * 2 + max(text_width(t, 11.0) for t in texts))
    width = max(width, MARGIN * 2 + text_width(header, 15.0, bold=True))
    bottom = top + tallest + 8
    items = [
        Text(MARGIN, 26, header, 15.0, "start", bold=True),
        Text(MARGIN, 46, note, FONT, "start", fill="#555555"),
    ]
    for k, (name, sub) in enumerate(column_titles(trace, lang)):
        cx = xs[k] + box_w / 2
        items.append(Text(cx, 74, name, 13.0, bold=True))
        items.append(Text(cx, 90, sub, 11.0, fill="#666666"))
    for k in range(1, len(trace.sizes)):
        items += edges(
            trace, k, xs, box_w, centres, placed[k - 1], max_w, labels[k - 1]
        )
    for k, col in enumerate(boxes):
        for j, lines in enumerate(col):
            items.append(_node(k, j, lines, xs[k], centres[k][j], box_w, box_h[k]))
    items += _legend(key, legend, MARGIN, bottom + 18)
    height = bottom + 18 + LINE * (len(legend) + 1) + 4
    title = f"{header}. {note}"
    return Canvas(round(width), round(height), title, items)


def _node_lines(trace, k, shown, fmt):
    """Per node of layer k: its lines of text, '?' for what the stage has not
    reached yet (the first record of a batch)."""
    n = len(trace.sizes) - 1
    if k == 0:
        x = trace["input.x"].value[0]
        return [[f"x{_sub(j)} = {fmt(x[j])}"] for j in range(trace.sizes[0])]
    name = trace.layer_name(k)
    rows = [("h", 1, 0), ("a", 1, 0)]
    if k == n:
        rows += [("target.y", 0, 0), ("error", 2, 0)]
    rows.append(("error_term", 2, 0))
    if f"{name}.b" in trace:
        rows += [("b", 0, 1), ("weight_step_b", 3, 1)]
    out = []
    for j in range(trace.sizes[k]):
        lines = []
        for part, stage, is_bias in rows:
            step = trace[part if "." in part else f"{name}.{part}"]
            value = step.value[j] if is_bias else step.value[0, j]
            shown_value = fmt(value) if shown >= stage else "?"
            lines.append(f"{step.symbol} = {shown_value}")
        out.append(lines)
    return out


def _node(k, j, lines, x, cy, box_w, box_h):
    fill = "#f4f4f4" if k == 0 else "#ffffff"
    y = cy - box_h / 2
    g = Group(
        "node",
        {"layer": k, "index": j},
        " · ".join(lines),
        [Rect(x, y, box_w, box_h, fill)],
    )
    for n, line in enumerate(lines):
        baseline = y + PAD + LINE * n + FONT * 0.8
        g.items.append(Text(x + PAD, baseline, line, FONT, "start"))
    return g


def _legend(key, lines, x, y):
    """A colour key (a stroke of each colour, then the width rule), then lines."""
    items = []
    for colour, words in zip((POSITIVE, NEGATIVE, None), key):
        if colour is not None:
            items.append(Line(x, y, x + 22, y, colour[0], 3.0))
            x += 28
        items.append(Text(x, y + 4, words, 11.0, "start", fill="#444444"))
        x += text_width(words, 11.0) + 18
    for n, line in enumerate(lines, 1):
        items.append(
            Text(MARGIN, y + LINE * n + 4, line, 11.0, "start", fill="#444444")
        )
    return items


def _sub(j):
    return str(j + 1).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))
