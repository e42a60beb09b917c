"""A network drawn from its trace, as SVG text (or PNG through matplotlib).

``draw(trace)`` returns a stand-alone SVG: one ``<g class="node">`` per neuron
(``data-layer``, ``data-index``, counting from 0) and one ``<g class="edge">``
per weight (``data-layer`` of the layer it feeds, ``data-from``, ``data-to``,
``data-weight``, after the update ``data-step``), so that tests and a browser
page can find them. Nodes list h, a and the error term δ, edges carry W and
the weight step ΔW: the numbers of ``trace.to_text()``, at its rounding.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from .drawing_layout import Group, Line, Rect, Text, layout
from .drawing_words import STAGES

FONTS = (
    "'Helvetica Neue', Helvetica, Arial, 'DejaVu Sans', 'Noto Sans CJK SC', "
    "'Source Han Sans SC', 'WenQuanYi Micro Hei', 'Microsoft YaHei', "
    "'PingFang SC', sans-serif"
)

__all__ = ["STAGES", "draw", "html", "save"]


def draw(trace, lang="en", stage="update", precision=6) -> str:
    """The SVG of ``trace``'s network after ``stage`` ('given', 'forward',
    'backward' or 'update'), labelled in ``lang`` ('en' or 'zh'). Raises
    ``InputError`` for a network too large to read (over 10 nodes a layer)."""
    canvas = layout(trace, lang, stage, precision)
    w, h = canvas.width, canvas.height
    out = [
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" '
            f'viewBox="0 0 {w} {h}" font-family="{escape(FONTS)}" role="img" '
            f'lang="{"zh-CN" if lang == "zh" else "en"}">'
        ),
        f"<title>{escape(canvas.title)}</title>",
        f'<rect width="{w}" height="{h}" fill="#ffffff"/>',
    ]
    out += [_svg(item) for item in canvas.items]
    out.append("</svg>")
    return "\n".join(out) + "\n"


def save(trace, path, lang="en", stage="update", precision=6) -> Path:
    """Write the drawing to ``path``: ``.svg`` as text, ``.png`` via matplotlib."""
    from ..errors import InputError

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".svg":
        path.write_text(draw(trace, lang, stage, precision), encoding="utf-8")
    elif suffix == ".png":
        from .drawing_png import write_png

        write_png(layout(trace, lang, stage, precision), path)
    else:
        raise InputError(f"a drawing is written as .svg or .png, got {str(path)!r}")
    return path


def html(trace, lang="en", precision=6) -> str:
    """The drawing (when the network is small enough) above a table of the
    trace's steps: what a notebook shows for a ``Trace``."""
    from ..errors import InputError
    from .text import format_value, name_and_words

    try:
        picture = draw(trace, lang, precision=precision)
    except InputError as err:
        picture = f"<p>{escape(str(err))}</p>"
    rows = []
    for step in trace:
        name = name_and_words(step, lang)[0]
        cells = (
            step.key,
            name,
            step.symbol,
            step.formula,
            step.matrix,
            format_value(step.value, precision),
        )
        rows.append(
            "<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in cells) + "</tr>"
        )
    head = "".join(
        f"<th>{h}</th>" for h in ("key", "name", "symbol", "formula", "shape", "value")
    )
    return (
        f'<div class="bpnn-trace">{picture}<table><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def _svg(item) -> str:
    if isinstance(item, Group):
        data = "".join(f' data-{k}="{escape(str(v))}"' for k, v in item.data.items())
        title = f"<title>{escape(item.title)}</title>" if item.title else ""
        inner = "".join(_svg(i) for i in item.items)
        return f'<g class="{item.cls}"{data}>{title}{inner}</g>'
    if isinstance(item, Rect):
        opacity = f' fill-opacity="{item.opacity:g}"' if item.opacity < 1 else ""
        return (
            f'<rect x="{item.x:.1f}" y="{item.y:.1f}" width="{item.w:.1f}" '
            f'height="{item.h:.1f}" rx="{item.radius:g}" fill="{item.fill}" '
            f'stroke="{item.stroke}" stroke-width="1.2"{opacity}/>'
        )
    if isinstance(item, Line):
        dash = ' stroke-dasharray="4 3"' if item.dashed else ""
        return (
            f'<line x1="{item.x1:.1f}" y1="{item.y1:.1f}" x2="{item.x2:.1f}" '
            f'y2="{item.y2:.1f}" stroke="{item.stroke}" '
            f'stroke-width="{item.width:.2f}" stroke-linecap="round" '
            f'stroke-opacity="0.85"{dash}/>'
        )
    if isinstance(item, Text):
        anchor = {"start": "start", "middle": "middle", "end": "end"}[item.anchor]
        extra = ' font-weight="bold"' if item.bold else ""
        return (
            f'<text x="{item.x:.1f}" y="{item.y:.1f}" font-size="{item.size:g}" '
            f'text-anchor="{anchor}" fill="{item.fill}"{extra}>'
            f"{escape(item.text)}</text>"
        )
    raise TypeError(f"cannot draw {item!r}")  # a bug: layout made something new
