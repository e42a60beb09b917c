"""Reading a user's CSV: every way it can be wrong, said in one line.

Each error is a ``ValueError`` (or ``FileNotFoundError``) whose message starts
with the file's path and names the line, the column and the value at fault;
line numbers are the file's own (the header is line 1). pandas is imported
here, lazily, only by the commands that read tables.
"""

from __future__ import annotations

import difflib

import numpy as np

from ..errors import InputError
from .lines import file_line
from .reader import read_csv  # noqa: F401  (reading lives in reader.py)

#: a column is numeric when more than this share of its filled cells are
#: numbers; its other cells are then mistakes, not categories
NUMERIC_SHARE = 0.5
#: rows needed for a 70/15/15 split with a few rows in each part
MIN_ROWS = 10


def line_of(frame, position):
    """The file line of the ``position``-th row of ``frame``."""
    return file_line(frame, position)


def check_columns(frame, path, names, what="column"):
    """Every name must be a column; suggest the closest ones when it is not."""
    columns = [str(c) for c in frame.columns]
    for name in names:
        if name not in columns:
            close = difflib.get_close_matches(name, columns, n=3, cutoff=0.6)
            folded = [c for c in columns if c.lower() == name.lower()]
            hint = close or folded
            suggestion = (
                f"; did you mean {' or '.join(map(repr, hint))}?" if hint else ""
            )
            raise InputError(
                f"{path}: no {what} {name!r}{suggestion} (the columns are "
                f"{', '.join(map(repr, columns))}){_separator_hint(frame)}"
            )


def check_header(path, header, fmt, named):
    """``named``: {what: [column names]} that the header line must hold, as
    ``check_columns`` says it after reading. A header with an empty name is
    left to that check, where pandas has named it ('Unnamed: 3')."""
    import pandas as pd

    if not all(name.strip() for name in header):
        return
    heading = pd.DataFrame(columns=header)
    heading.attrs["csv_format"] = fmt
    for what, names in named.items():
        check_columns(heading, path, names, what)


def _separator_hint(frame):
    from .reader import separator_hint

    fmt = frame.attrs.get("csv_format")
    columns = [str(c) for c in frame.columns]
    return separator_hint(columns, fmt.sep) if fmt else ""


def check_numbers(frame, path, skip=(), fmt=None):
    """A column of numbers with a few words in it: name the row and the column.

    Columns in ``skip`` (declared categorical, or the target) are left alone,
    as are columns that are mostly text: those are categories.
    """
    from .values import parse_numbers

    decimal, thousands = (fmt.decimal, fmt.thousands) if fmt else (".", None)
    for name in frame.columns:
        col = frame[name]
        if name in skip:
            continue
        if col.dtype.kind in "biuf":
            infinite = np.flatnonzero(np.isinf(col.to_numpy(float)))
            if len(infinite):
                raise InputError(
                    f"{path}: column {name!r} holds {col.iloc[infinite[0]]} on line "
                    f"{line_of(frame, infinite[0])}: values must be finite numbers"
                )
            continue
        filled = col.dropna()
        ok = ~parse_numbers(filled, decimal, thousands)[1]
        if len(filled) and ok.mean() > NUMERIC_SHARE and not ok.all():
            bad = np.flatnonzero(~ok)
            first = filled.index[bad[0]]
            more = f" (and {len(bad) - 1} more row(s))" if len(bad) > 1 else ""
            option = (
                name if str(name).isprintable() and " " not in str(name) else repr(name)
            )
            raise InputError(
                f"{path}: column {name!r} holds numbers but line "
                f"{file_line(filled, bad[0])} has {filled[first]!r}{more}: fix the "
                f"value, or pass --categorical {option} if it is a category"
            )


def missing_values(frame, path, dropna=False):
    """Rows with empty cells: an error that says how many and where, or,
    with ``dropna``, the frame without them and how many were dropped."""
    # the table of holes is made only where a column has one
    if not any(frame[name].hasnans for name in frame.columns):
        return frame, 0
    holes = frame.isna()
    if dropna:
        kept = frame[~holes.any(axis=1)]
        if kept.empty:
            raise InputError(
                f"{path}: every row has a missing value; nothing is left after --dropna"
            )
        return kept, len(frame) - len(kept)
    parts = []
    for name in frame.columns:
        rows = np.flatnonzero(holes[name].to_numpy())
        if len(rows):
            lines = ", ".join(str(line_of(frame, r)) for r in rows[:3])
            etc = ", ..." if len(rows) > 3 else ""
            parts.append(f"{name!r} {len(rows)} (line {lines}{etc})")
    total = int(holes.to_numpy().sum())
    raise InputError(
        f"{path}: {total} missing value(s) in {int(holes.any(axis=1).sum())} row(s): "
        f"{'; '.join(parts)}: fill them, or pass --dropna to drop those rows"
    )


def check_target(frame, path, target):
    """A target with one value only leaves nothing to learn."""
    col = frame[target]
    if col.dtype.kind in "iuf" and np.nanmin(col) != np.nanmax(col):
        return  # two values at least, found without hashing every row
    values = col.dropna().unique()
    if len(values) == 1:
        value = getattr(values[0], "item", lambda: values[0])()
        raise InputError(
            f"{path}: target column {target!r} has one value only ({value!r}) "
            f"in all {len(frame)} rows: there is nothing to learn"
        )


def check_enough_rows(frame, path, minimum=MIN_ROWS):
    """Enough rows for a training, a validation and a test part."""
    if len(frame) < minimum:
        raise InputError(
            f"{path}: {len(frame)} data row(s) are too few to split into training, "
            f"validation and test rows: need at least {minimum}"
        )
