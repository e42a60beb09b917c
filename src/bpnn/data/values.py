"""One parser for the cells of a table, at training and at prediction.

Numbers are what a spreadsheet user writes: ``3.5``, ``-2e3``, ``12%``,
``$1,065.50`` (the decimal mark and thousands separator are the file's, see
``bpnn.data.sniff``). Anything else in a numeric column (``True``, ``1_000``,
digits of other scripts, words) is refused, never guessed. Dates are parsed
with the format found at training.
"""

from __future__ import annotations

import re

import numpy as np

from ..errors import InputError
from .lines import file_line

_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
_CURRENCY = "$€£¥"
_DECORATION = re.compile(
    rf"^\s*([+-]?)\s*[{_CURRENCY}]?\s*(.*?)\s*[{_CURRENCY}]?\s*(%?)\s*$"
)


def unit_of(texts) -> str | None:
    """'percent' or 'currency' when the cells carry such a sign, else None."""
    sample = [t for t in texts[:1000] if isinstance(t, str)]
    if sample and all(t.strip().endswith("%") for t in sample):
        return "percent"
    if sample and all(any(c in t for c in _CURRENCY) for t in sample):
        return "currency"
    return None


def parse_numbers(series, decimal=".", thousands=None):
    """(float values, bad) of a column: NaN where the cell is empty, and a
    mask of the filled cells that are not numbers. Each distinct text is
    parsed once."""
    import pandas as pd

    if series.dtype.kind in "iuf":
        values = series.to_numpy(float)
        return values, np.zeros(len(values), dtype=bool)
    # factorised as read (pandas' own strings factorise without turning each
    # cell into a Python object first); only the distinct texts are objects
    codes, uniques = pd.factorize(series)
    text = pd.Series(uniques, dtype=object).astype(str)
    text = text.str.replace(_DECORATION, r"\1\2", regex=True)
    # a thousands group, '1,065' (or '1.065' beside decimal commas), is read
    # as one even where the file's sample showed none
    thousands = thousands or ("," if decimal == "." else ".")
    mark, point = re.escape(thousands), re.escape(decimal)
    grouped = text.str.fullmatch(rf"[+-]?\d{{1,3}}(?:{mark}\d{{3}})+(?:{point}\d*)?")
    text = text.where(~grouped, text.str.replace(thousands, "", regex=False))
    if decimal != ".":
        text = text.str.replace(decimal, ".", regex=False)
    ok = text.str.fullmatch(_NUMBER).to_numpy(dtype=bool)
    numbers = np.full(len(uniques) + 1, np.nan)  # the last: an empty cell
    numbers[:-1][ok] = text[ok].astype(float).to_numpy()
    good = np.append(ok, True)
    return numbers[codes], ~good[codes]


def numbers_or_error(series, name, source, fmt=None):
    """The column as floats; one line naming the first cell that is not one."""
    decimal, thousands = (fmt.decimal, fmt.thousands) if fmt else (".", None)
    values, bad = parse_numbers(series, decimal, thousands)
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        where = _where(series, row)
        raise InputError(
            f"{source}column {name!r} must be numeric, found "
            f"{series.iloc[row]!r}{where}"
        )
    from .columns import magnitude_error, too_large

    huge = too_large(values, holes=True)
    if len(huge):
        raise magnitude_error(source, name, values[huge[0]])
    return values


def _where(series, row):
    try:
        return f" on line {file_line(series, row)}"
    except (TypeError, ValueError):
        return f" in row {row + 1}"


def date_format(values) -> str | None:
    """The strftime format of the first date in ``values``, if pandas can tell."""
    from pandas.tseries.api import guess_datetime_format

    for v in values[:20]:
        found = guess_datetime_format(str(v))
        if found:
            return found
    return None


def parse_dates(series, fmt=None):
    """datetime64 values (NaT where a cell is not a date in ``fmt``)."""
    import pandas as pd

    text = series.astype(object).where(series.notna(), None)
    return pd.to_datetime(text, format=fmt or "mixed", errors="coerce")


#: the parts of a date that become features, and how to read each
DATE_PARTS = {
    "year": lambda d: d.dt.year,
    "month": lambda d: d.dt.month,
    "dayofweek": lambda d: d.dt.day_of_week,
    "hour": lambda d: d.dt.hour,
}
