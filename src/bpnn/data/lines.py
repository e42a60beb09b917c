"""Which line of the file a row came from, for error messages.

A row's position in the table is not its line in the file when the header or a
row before it holds a quoted line break: ``line_starts`` counts those breaks
once, when the file is read, and only for a file that has any; ``file_line``
then answers for a frame, a column or any part of them (pandas carries
``attrs`` along).
"""

from __future__ import annotations

import numpy as np


def line_starts(frame):
    """The line each row starts on, or None when every row is one line after a
    one-line header (then the line is the row's index + 2)."""
    header = sum(str(c).count("\n") for c in frame.columns)
    breaks = np.zeros(len(frame), dtype=np.int64)
    for name in frame.columns:
        col = frame[name]
        if col.dtype.kind in "biufcmM":  # numbers and dates hold no line break
            continue
        text = col.astype(str)  # pandas' own string type: fast .str methods
        if text.str.contains("\n", regex=False, na=False).any():
            counts = text.str.count("\n").fillna(0)
            breaks += counts.to_numpy(np.int64)
    if header == 0 and not breaks.any():
        return None
    # row i starts after the header's lines and the breaks of the rows before it
    return (
        2 + header + np.arange(len(frame)) + np.concatenate(([0], breaks.cumsum()[:-1]))
    )


def file_line(obj, position) -> int:
    """The file line of the ``position``-th row of a frame or column read from
    a CSV (its index is the row's number in the file)."""
    row = int(obj.index[position])
    starts = obj.attrs.get("line_starts")
    if starts is None or row >= len(starts):
        return row + 2
    return int(starts[row])
