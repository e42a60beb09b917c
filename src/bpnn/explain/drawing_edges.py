"""The edges of a network drawing: a line per weight, its colour the sign and
its width the size, and a label with W and the weight step ΔW placed where it
overlaps no other label."""

from __future__ import annotations

from .drawing_shapes import SMALL, Group, Line, Rect, Text
from .drawing_words import NEGATIVE, POSITIVE, ZERO, text_width

#: a gap holding more edges than this shows its weights on hover only
MAX_LABELLED = 30


def _layer(trace, k):
    """The records of the weights into layer k: (W, weight step)."""
    name = trace.layer_name(k)
    return trace[f"{name}.W"], trace[f"{name}.weight_step_W"]


def weights(trace, k):
    return _layer(trace, k)[0].value


def edge_labels(trace, k, shown, fmt):
    """{(i, j): [W text, Δ text]} for the weights into layer k."""
    W, step = (record.value for record in _layer(trace, k))
    return {
        (i, j): [fmt(W[i, j])] + ([f"Δ {fmt(step[i, j])}"] if shown >= 3 else [])
        for i in range(W.shape[0])
        for j in range(W.shape[1])
    }


def place_labels(texts, y_from, y_to, x_left):
    """The gap's width and each label's centre on its edge: the narrowest gap
    (from 160 px) where, tried from the middle out, no two labels overlap."""
    if len(texts) > MAX_LABELLED:
        return 200.0, None
    sizes = {e: _label_size(ts) for e, ts in texts.items()}
    n_to = len(y_to)
    for gap in range(160, 1200, 20):
        spots, boxes = {}, []
        for (i, j), (w, h) in sorted(sizes.items(), key=lambda e: (e[0][1], e[0][0])):
            lo, hi = (w / 2 + 6) / gap, 1 - (w / 2 + 6) / gap
            prefer = 0.3 + 0.4 * (j + 0.5) / n_to
            tries = sorted(
                (lo + (hi - lo) * s / 24 for s in range(25)),
                key=lambda t: abs(t - prefer),
            )
            for t in tries:
                x = x_left + gap * t
                y = y_from[i] + (y_to[j] - y_from[i]) * t
                box = (x - w / 2, y - h / 2, x + w / 2, y + h / 2)
                if lo <= hi and not any(_overlap(box, b) for b in boxes):
                    spots[(i, j)] = (x, y)
                    boxes.append(box)
                    break
            else:
                break
        if len(spots) == len(sizes):
            return float(gap), spots
    return 200.0, None


def _label_size(texts):
    """Width and height of an edge's label: its lines on a white pill."""
    return max(text_width(t, SMALL) for t in texts) + 6, 12.5 * len(texts) + 3


def _overlap(a, b):
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def edges(trace, k, xs, box_w, centres, spots, max_w, labels):
    from .text import format_value

    W, step = _layer(trace, k)
    W = W.value

    groups = []
    for i in range(W.shape[0]):
        for j in range(W.shape[1]):
            w = float(W[i, j])
            colour = POSITIVE if w > 0 else NEGATIVE if w < 0 else ZERO
            width = 1.0 + 5.0 * abs(w) / max_w if max_w > 0 else 1.0
            x1, y1 = xs[k - 1] + box_w, centres[k - 1][i]
            x2, y2 = xs[k], centres[k][j]
            symbol = f"W{k - 1}[{i + 1},{j + 1}]"
            title = f"{symbol} = {format_value(w, None)}"
            data = {"layer": k, "from": i, "to": j, "weight": repr(w)}
            if len(labels[(i, j)]) > 1:  # after the update
                ds = float(step.value[i, j])
                title += f", Δ{symbol} = {format_value(ds, None)}"
                data["step"] = repr(ds)
            g = Group(
                "edge",
                data,
                title,
                [Line(x1, y1, x2, y2, colour[0], width, dashed=w == 0)],
            )
            if spots is not None:
                x, y = spots[(i, j)]
                texts = labels[(i, j)]
                w, h = _label_size(texts)
                g.items.append(
                    Rect(x - w / 2, y - h / 2, w, h, "#ffffff", "none", 3.0, 0.88)
                )
                y0 = y - 12.5 * (len(texts) - 1) / 2 + SMALL * 0.36
                for n, t in enumerate(texts):
                    fill = colour[1] if n == 0 else "#333333"
                    g.items.append(Text(x, y0 + 12.5 * n, t, SMALL, fill=fill))
            groups.append(g)
    return groups
