"""Encoding one column of a table: standardising numbers, one-hot categories,
naming categories and classes, and saying which row is wrong when one is."""

from __future__ import annotations

import numpy as np

from ..errors import InputError
from .lines import file_line


def label(value) -> str:
    """A category's name: 3 and 3.0 are both "3", text stays as it is."""
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return str(int(value))
    return str(value)


def labels(series) -> np.ndarray:
    """Each cell's category name (see ``label``), quickly for text and whole
    numbers, which are most columns."""
    kind = series.dtype.kind
    if kind in "iu":
        return series.to_numpy().astype(str).astype(object)
    if kind == "f":
        values = series.to_numpy()
        if np.all(np.mod(values[~np.isnan(values)], 1) == 0):
            out = np.full(len(values), "nan", dtype=object)
            ok = ~np.isnan(values)
            out[ok] = values[ok].astype(np.int64).astype(str)
            return out
    if kind in "OUST" and series.map(type).eq(str).all():
        return series.to_numpy(dtype=object)
    return np.array([label(v) for v in series.to_numpy()], dtype=object)


def is_numeric(series) -> bool:
    return series.dtype.kind in "iuf"


#: the largest size a number may have: its square (in a variance) stays finite
MAX_MAGNITUDE = 1e150


def too_large(values, holes=False):
    """Positions of values that are not finite or past ``MAX_MAGNITUDE``
    (``holes``: NaN, an empty cell, is not one of them).

    The usual answer, none, is found by the smallest and largest value alone:
    two passes without temporaries, a third of the time of marking every
    value (a column of ten million is checked three times)."""
    values = np.asarray(values)
    if not values.size:
        return np.flatnonzero(values)
    least, most = (np.fmin, np.fmax) if holes else (np.minimum, np.maximum)
    lo, hi = least.reduce(values, axis=None), most.reduce(values, axis=None)
    if -MAX_MAGNITUDE <= lo and hi <= MAX_MAGNITUDE:
        return np.empty(0, dtype=np.intp)
    if holes and np.isnan(lo):  # nothing but holes
        return np.empty(0, dtype=np.intp)
    with np.errstate(invalid="ignore"):
        bad = ~(np.abs(values) <= MAX_MAGNITUDE)
        if holes:
            bad &= ~np.isnan(values)
        return np.flatnonzero(bad)


def magnitude_error(source, name, value, line=None):
    if not np.isfinite(value):
        why = "values must be finite numbers"
    else:
        why = (
            f"values beyond +-{MAX_MAGNITUDE:g} cannot be standardised (their "
            "squares overflow); rescale the column"
        )
    where = "" if line is None else f" on line {line}"
    return InputError(f"{source}column {name!r} holds {value:g}{where}: {why}")


def numeric_column(name, series, source="") -> dict:
    """Standardisation of one numeric column: its mean and std (ddof=1)."""
    values = series.to_numpy(float)
    bad = too_large(values)
    if len(bad):
        i = int(bad[0])
        raise magnitude_error(source, name, values[i], _line(series, i))
    mean = float(np.mean(values))
    std = float(np.std(values, ddof=1)) if len(values) > 1 else 0.0
    return {
        "name": name,
        "kind": "numeric",
        "mean": mean,
        "std": std if std > 0 and np.isfinite(std) else 1.0,
    }


def _line(series, position):
    """The file line of a row (the header is line 1; index = line - 2)."""
    try:
        return file_line(series, position)
    except (TypeError, ValueError):
        return position + 2


def categorical_column(name, series) -> dict:
    """One-hot encoding of one column: the sorted categories it holds."""
    return {
        "name": name,
        "kind": "categorical",
        "categories": sorted(set(labels(_distinct(series.dropna()))), key=class_order),
    }


def _distinct(series):
    import pandas as pd

    return pd.Series(pd.unique(series), dtype=series.dtype)


def class_order(label):
    """Numbers in numeric order, then text in alphabetical order."""
    try:
        return (0, float(label), "")
    except ValueError:
        return (1, 0.0, label)


def check_complete(col, source):
    missing = col.isna().to_numpy()
    if missing.any():
        row = int(np.flatnonzero(missing)[0])
        raise InputError(
            f"{source}column {col.name!r} has {int(missing.sum())} missing "
            f"value(s), the first in data row {row + 1}"
        )
