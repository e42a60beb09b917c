"""One column in, its features out: the work a ``Preparation`` does per column.

Each function takes the whole column and ``rows``, the positions wanted (in
that order; None: all). A column is converted once (numbers parsed, text
factorised into codes, dates parsed) and only then indexed, so a million-row
table is prepared at NumPy's speed and without copies of the table.
"""

from __future__ import annotations

import numpy as np

from ..errors import InputError
from .columns import categorical_column, label, labels, numeric_column
from .values import DATE_PARTS, numbers_or_error, parse_dates, parse_numbers

#: kinds of column that give no feature
SKIPPED = ("id", "constant", "dropped", "empty")


def features_of(c) -> list:
    """The feature names a column gives."""
    if c["kind"] == "numeric":
        return [c["name"]]
    if c["kind"] == "categorical":
        return [f"{c['name']}_{v}" for v in c["categories"]]
    if c["kind"] == "date":
        return [f"{c['name']}_{p['part']}" for p in c["parts"]]
    return []


def writer(col, c, source, fmt=None, unknown="error", rows=None):
    """(write, unseen): ``write(out, r)`` fills ``out`` (len(r), width) with
    the features of the cells at positions ``r`` (a slice or an index array);
    ``unseen`` counts the wanted rows whose category training never saw. The
    column is converted once, here; ``write`` only indexes and scales."""
    if c["kind"] == "numeric":
        values = numbers_or_error(col, c["name"], source, fmt)
        mean, std = c["mean"], c["std"]

        def write(out, r):
            np.subtract(values[r], mean, out=out[:, 0])
            out[:, 0] /= std

        return write, 0
    if c["kind"] == "date":
        parts = date_parts(col, c, source)

        def write(out, r):
            for k, (values, mean, std) in enumerate(parts):
                out[:, k] = (values[r] - mean) / std

        return write, 0
    index = category_index(col, c, source, unknown, rows)

    def write(out, r):
        idx = index[r]
        out[...] = 0.0
        hit = np.flatnonzero(idx >= 0)
        out[hit, idx[hit]] = 1.0

    wanted = index if rows is None else index[rows]
    return write, int(np.sum(wanted < 0))


def category_codes(col, c):
    """(index, names, codes): each distinct value's index in
    ``c["categories"]`` (-1: unseen in training) and name, and each cell's
    distinct value; the names are worked out once per distinct value."""
    import pandas as pd

    codes, uniques = pd.factorize(col)
    names = labels(pd.Series(uniques))
    if c.get("from_numbers") and col.dtype.kind not in "iuf":
        # text read from a new file that spells a number ('3.0') is named
        # as training named that number ('3')
        values, bad = parse_numbers(pd.Series(uniques, dtype=object))
        ok = np.flatnonzero(~bad & ~np.isnan(values))
        names[ok] = [label(v) for v in values[ok]]
    index = pd.Index(c["categories"], dtype=object).get_indexer(names)
    return index, names, codes


def category_index(col, c, source, unknown="error", rows=None):
    """Each cell's index in ``c["categories"]``, -1 for one unseen in
    training: an error naming it unless ``unknown="ignore"``."""
    index, names, codes = category_codes(col, c)
    cells = np.where(codes >= 0, index[codes], -1)
    wanted = cells if rows is None else cells[rows]
    if unknown != "ignore" and (wanted < 0).any():
        row = int(np.flatnonzero(wanted < 0)[0])
        cell = row if rows is None else int(rows[row])
        known = c["categories"]
        shown = ", ".join(map(repr, known[:5]))
        more = f" and {len(known) - 5} more" if len(known) > 5 else ""
        raise InputError(
            f"{source}column {c['name']!r} has value {names[codes[cell]]!r} "
            f"(row {row + 1}) unseen in training; known: {shown}{more} (pass "
            "--unknown ignore to predict such rows with no category)"
        )
    return cells


def date_parts(col, c, source):
    """[(values, mean, std)] of each calendar part of a date column."""
    parsed = parse_dates(col, c.get("format"))
    bad = parsed.isna().to_numpy() & col.notna().to_numpy()
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise InputError(
            f"{source}column {c['name']!r} holds {col.iloc[row]!r} (row {row + 1}), "
            f"not a date like those in training ({c.get('format') or 'mixed'})"
        )
    return [
        (DATE_PARTS[p["part"]](parsed).to_numpy(float), p["mean"], p["std"])
        for p in c["parts"]
    ]


def _take(values, rows):
    return values if rows is None else values[rows]


def learn(plan, col, everything, impute=None, fmt=None, rows=None):
    """A column's plan with what its training rows (``rows`` of ``col``) tell:
    mean and std, categories (from ``everything``), the fill of a hole."""
    c = dict(plan)
    if c["kind"] in SKIPPED:
        return c
    if c["kind"] == "numeric":
        values = _take(numbers_or_error(col, c["name"], "", fmt), rows)
        values = values[~np.isnan(values)]
        c.update(_stats(values))
        if impute:
            c["fill"] = _fill(values, impute)
    elif c["kind"] == "categorical":
        c["categories"] = categorical_column(c["name"], everything)["categories"]
        c["from_numbers"] = everything.dtype.kind in "iuf"
        if impute:
            part = col if rows is None else col.iloc[rows]
            names, counts = np.unique(labels(part.dropna()), return_counts=True)
            c["fill"] = str(names[counts.argmax()])
    else:  # a date
        part = (col if rows is None else col.iloc[rows]).dropna()
        parsed = parse_dates(part, c.get("format"))
        c["parts"] = [
            {**p, **_stats(DATE_PARTS[p["part"]](parsed).to_numpy(float))}
            for p in c["parts"]
        ]
        if impute:
            c["fill"] = str(part.mode().iloc[0])
    return c


def _stats(values):
    stats = numeric_column("", _series(values))
    return {"mean": stats["mean"], "std": stats["std"]}


def _series(values):
    import pandas as pd

    return pd.Series(values, copy=False)


def _fill(values, how):
    if how == "mean":
        return float(np.mean(values))
    if how == "median":
        return float(np.median(values))
    uniques, counts = np.unique(values, return_counts=True)
    return float(uniques[counts.argmax()])
