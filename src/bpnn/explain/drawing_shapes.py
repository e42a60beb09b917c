"""The plain shapes a network drawing is made of, in pixels from the top left.

The SVG writer and the PNG painter both draw these, so both show one picture.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: sizes in pixels: node text, edge labels, line height; box padding, margin
FONT, SMALL, LINE = 12.0, 11.0, 16.0
PAD, MARGIN = 8.0, 24.0


@dataclass
class Rect:
    x: float
    y: float
    w: float
    h: float
    fill: str = "#ffffff"
    stroke: str = "#555555"
    radius: float = 6.0
    opacity: float = 1.0


@dataclass
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    stroke: str
    width: float
    dashed: bool = False


@dataclass
class Text:
    x: float
    y: float
    text: str
    size: float = FONT
    anchor: str = "middle"
    fill: str = "#222222"
    bold: bool = False


@dataclass
class Group:
    cls: str
    data: dict = field(default_factory=dict)
    title: str = ""
    items: list = field(default_factory=list)


@dataclass
class Canvas:
    width: float
    height: float
    title: str
    items: list
