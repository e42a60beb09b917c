"""Chinese in plots: a font fallback list, and numbers where no font can help.

matplotlib's default font (DejaVu Sans) has no Chinese glyphs: a Chinese column
name or class label would be drawn as empty boxes, with a warning per glyph.
``use_fonts`` puts the first installed CJK font behind DejaVu Sans, so Latin text
looks as before and Chinese falls back to it. Without any CJK font,
``plot_text`` names such a column or class by its number instead and one line
says which package brings a font.
"""

from __future__ import annotations

import re
import sys

#: CJK fonts in order of preference: Linux packages, then Windows and macOS
CJK_FONTS = (
    "Noto Sans CJK SC",
    "Noto Sans CJK JP",
    "Noto Sans SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "AR PL UMing CN",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
    "Heiti SC",
    "Arial Unicode MS",
)
INSTALL_HINT = (
    "bpnn: note: no Chinese font is installed, so plots name Chinese columns "
    "and classes by number; install one (Debian/Ubuntu: apt install "
    "fonts-noto-cjk; Fedora: google-noto-sans-cjk-fonts)"
)
_CJK = re.compile(r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]")
_state = {"font": None, "checked": False, "hinted": False}


def cjk_font() -> str | None:
    """The name of the first installed CJK font, or None (looked up once)."""
    if not _state["checked"]:
        from matplotlib import font_manager

        installed = {f.name for f in font_manager.fontManager.ttflist}
        _state["font"] = next((f for f in CJK_FONTS if f in installed), None)
        _state["checked"] = True
    return _state["font"]


def use_fonts(matplotlib):
    """Latin text in DejaVu Sans, Chinese in the installed CJK font."""
    font = cjk_font()
    if font is not None:
        # a list of families, not the generic "sans-serif": matplotlib falls
        # back glyph by glyph only along the families named here
        matplotlib.rcParams["font.family"] = ["DejaVu Sans", font]


def plot_text(text, fallback: str, stream=None) -> str:
    """``text`` if it can be drawn; else ``fallback`` (e.g. "column 3"),
    saying once why."""
    text = str(text)
    if not _CJK.search(text) or cjk_font() is not None:
        return text
    if not _state["hinted"]:
        print(INSTALL_HINT, file=stream or sys.stderr)
        _state["hinted"] = True
    return fallback
