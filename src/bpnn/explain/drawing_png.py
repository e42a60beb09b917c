"""The drawing's shapes painted with matplotlib, for a ``.png``.

The layout is the SVG's own (``drawing_layout``), drawn at 2 pixels per SVG
pixel. Chinese labels need a CJK font that matplotlib can find (Noto Sans CJK,
WenQuanYi, Microsoft YaHei, ...); without one write ``.svg``, which the
browser draws with its own fonts.
"""

from __future__ import annotations

import logging

from .drawing_layout import Group, Line, Rect, Text

#: Arial's metrics (the layout's) first; DejaVu Sans, wider, is drawn smaller
FAMILIES = [
    "Helvetica",
    "Arial",
    "Liberation Sans",
    "DejaVu Sans",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Microsoft YaHei",
    "PingFang SC",
    "SimHei",
]
SCALE = 2  # output pixels per layout pixel


def write_png(canvas, path):
    """Paint ``canvas`` (a ``drawing_layout.Canvas``) into the PNG ``path``."""
    try:
        from matplotlib.figure import Figure
        from matplotlib.font_manager import fontManager
        from matplotlib.patches import FancyBboxPatch
    except ImportError:
        from ..errors import InputError

        raise InputError(
            "writing a .png drawing needs matplotlib (pip install 'bpnn[apps]'); "
            "a .svg needs nothing"
        ) from None
    known = {font.name for font in fontManager.ttflist}
    families = [f for f in FAMILIES if f in known] or ["sans-serif"]
    narrow = families[0] in ("Helvetica", "Arial", "Liberation Sans")
    fig = Figure(figsize=(canvas.width / 100, canvas.height / 100), dpi=100 * SCALE)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, canvas.width)
    ax.set_ylim(canvas.height, 0)  # y grows downwards, as in SVG
    ax.axis("off")
    # one layout pixel is 1/100 inch, i.e. 0.72 point
    pt = 0.72
    text_pt = pt if narrow else pt * 0.9

    def paint(item, z):
        if isinstance(item, Group):
            for inner in item.items:
                paint(inner, z)
        elif isinstance(item, Rect):
            ax.add_patch(
                FancyBboxPatch(
                    (item.x, item.y),
                    item.w,
                    item.h,
                    boxstyle=f"round,pad=0,rounding_size={item.radius}",
                    facecolor=item.fill,
                    edgecolor="none" if item.stroke == "none" else item.stroke,
                    linewidth=1.2 * pt,
                    alpha=item.opacity if item.opacity < 1 else None,
                    zorder=z,
                )
            )
        elif isinstance(item, Line):
            ax.plot(
                [item.x1, item.x2],
                [item.y1, item.y2],
                color=item.stroke,
                linewidth=item.width * pt,
                alpha=0.85,
                linestyle=(0, (4, 3)) if item.dashed else "-",
                solid_capstyle="round",
                zorder=z,
            )
        elif isinstance(item, Text):
            ax.text(
                item.x,
                item.y,
                item.text,
                fontsize=item.size * text_pt,
                ha={"start": "left", "middle": "center", "end": "right"}[item.anchor],
                va="baseline",
                color=item.fill,
                fontweight="bold" if item.bold else "normal",
                family=families,
                zorder=z + 0.5,
            )

    fonts_log = logging.getLogger("matplotlib.font_manager")
    level = fonts_log.level
    fonts_log.setLevel(logging.ERROR)  # "no bold CJK face": the regular one serves
    try:
        for z, item in enumerate(canvas.items):
            paint(item, z)
        fig.savefig(path, dpi=100 * SCALE, facecolor="white")
    finally:
        fonts_log.setLevel(level)
