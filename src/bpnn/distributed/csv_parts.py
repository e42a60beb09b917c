"""What the workers do with CSV files: read and check one file with bpnn's own
reader, summarise it, measure its training rows, and encode its rows once the
preparation is known.

One file is one partition. Each is read by ``bpnn.data.reader`` in the format
found in the first file, and checked as ``bpnn.datasets.load_csv`` checks a
file, so a mistake is reported with the file and its own line numbers. Only
summaries travel to the client: each column's kind of values and what the
column kinds need (distinct texts, ranges, uniqueness), the target column,
and counts, sums and squared deviations over the training rows.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..data import csv_input
from ..data.columns import labels
from ..data.datasets.table import _missing
from ..data.encode import SKIPPED
from ..data.reader import EMPTY, _without_bom
from ..data.sniff import SAMPLE_BYTES, detect
from ..data.values import DATE_PARTS, numbers_or_error, parse_dates, parse_numbers
from ..errors import InputError

#: the first non-empty cells of a column kept for its unit ('12%', '$5')
HEAD = 1000


def detect_format(path, given):
    """The ``CsvFormat`` of the file at ``path`` (``given``: the options set)."""
    with open(path, "rb") as f:
        raw = f.read(SAMPLE_BYTES)
    if not _without_bom(raw).strip():
        raise InputError(f"{path}: {EMPTY}")
    complete = Path(path).stat().st_size <= len(raw)
    return detect(raw, path, complete, **given)[0]


def read_part(path, fmt, target, opt):
    """(frame, rows dropped) of one file, read in ``fmt`` and checked as
    ``load_csv`` checks a whole file; ``opt.drop`` columns are gone."""
    text = [*opt.categorical, *opt.date]
    frame = csv_input.read_csv(
        path,
        sep=fmt.sep,
        encoding=fmt.encoding,
        decimal=fmt.decimal,
        thousands=fmt.thousands or "",
        text_columns=text,
    )
    empty = frame.attrs["empty_columns"]
    frame.attrs["csv_format"] = fmt
    csv_input.check_columns(frame, path, [target], "target column")
    csv_input.check_columns(
        frame, path, [*opt.categorical, *opt.numeric, *opt.date, *opt.drop]
    )
    frame = frame.drop(columns=list(opt.drop))
    frame, dropped = _missing(frame, path, target, opt)
    csv_input.check_numbers(
        frame, path, skip=[target, *opt.categorical, *opt.date], fmt=fmt
    )
    frame.attrs["empty_columns"] = empty
    return frame, dropped


def kind_of(col) -> str:
    """numeric, bool or text: every file must hold the same kind per column."""
    kind = col.dtype.kind
    return "numeric" if kind in "iuf" else "bool" if kind == "b" else "text"


def summarise(part, target, max_distinct):
    """What the client needs to decide each column's kind, the task and the
    split: rows, columns and their kinds of values, per column its facts, and
    the target column itself."""
    frame, dropped = part
    facts = {}
    for name in frame.columns:
        if name != target:
            facts[name] = _facts(frame[name], max_distinct)
    return {
        "rows": len(frame),
        "dropped": dropped,
        "empty": frame.attrs["empty_columns"],
        "columns": [str(c) for c in frame.columns],
        "kinds": {str(c): kind_of(frame[c]) for c in frame.columns},
        "facts": facts,
        "target": frame[target].reset_index(drop=True),
    }


def _facts(col, max_distinct):
    kind = kind_of(col)
    if kind == "numeric":
        values = col.to_numpy(float)
        return {
            "count": len(values),
            "nanmin": float(np.nanmin(values)) if len(values) else np.nan,
            "nanmax": float(np.nanmax(values)) if len(values) else np.nan,
            "min": float(values.min()),
            "max": float(values.max()),
            "whole": col.dtype.kind in "iu" or _whole(values),
            "unique": bool(col.is_unique),
            "monotonic": bool(col.is_monotonic_increasing),
            "first": float(values[0]),
            "last": float(values[-1]),
        }
    filled = col.dropna()
    distinct = filled.unique()
    head = list(filled.astype(str).iloc[:HEAD])
    many = len(distinct) > max_distinct
    return {
        "count": len(col),
        "filled": len(filled),
        "distinct": None if many else list(distinct),
        "n_distinct": len(distinct),
        "head": head,
    }


def _whole(values):
    rest = values[~np.isnan(values)]
    return bool(np.all(rest == np.floor(rest)))


def column_values(part, name):
    """A numeric column's values, for an exact check of repeats across files."""
    return part[0][name].to_numpy(float)


def moments(values):
    """(count, sum, sum of squared deviations from the mean) of ``values``."""
    values = np.asarray(values, dtype=float)
    if len(values) == 0:
        return 0, 0.0, 0.0
    total = float(np.sum(values))
    return len(values), total, float(np.sum((values - total / len(values)) ** 2))


def train_facts(part, rows, plans, impute):
    """Per column, what its training rows (positions ``rows`` of this file)
    tell: moments of a number or of each part of a date, and, with ``impute``,
    the counts of each value (for the most frequent)."""
    frame = part[0]
    fmt = frame.attrs["csv_format"]
    out = {}
    for p in plans:
        if p["kind"] in SKIPPED:
            continue
        col = frame[p["name"]]
        if p["kind"] == "numeric":
            values = numbers_or_error(col, p["name"], "", fmt)[rows]
            values = values[~np.isnan(values)]
            out[p["name"]] = {"moments": moments(values)}
            if impute == "most_frequent":
                out[p["name"]]["counts"] = _counts(values)
        elif p["kind"] == "categorical":
            out[p["name"]] = {}
            if impute:
                out[p["name"]]["counts"] = _counts(labels(col.iloc[rows].dropna()))
        else:  # a date
            part_rows = col.iloc[rows].dropna()
            parsed = parse_dates(part_rows, p.get("format"))
            out[p["name"]] = {
                "parts": [
                    moments(DATE_PARTS[q["part"]](parsed).to_numpy(float))
                    for q in p["parts"]
                ]
            }
            if impute:
                out[p["name"]]["counts"] = _counts(part_rows.astype(str).to_numpy())
    return out


def _counts(values):
    names, counts = np.unique(np.asarray(values), return_counts=True)
    return dict(zip(names.tolist(), counts.tolist()))


def encode(part, rows, preparation, numeric_target):
    """(X, y) of this file's rows at positions ``rows`` (in file order),
    prepared as ``load_csv`` prepares them."""
    from ..data.preparation import Preparation

    frame = part[0]
    prep = Preparation.from_dict(preparation)
    if numeric_target:  # a target written as '12%' or '$1,065'
        fmt = frame.attrs["csv_format"]
        frame = frame.copy()
        col = frame[prep.target]
        frame[prep.target] = parse_numbers(col, fmt.decimal, fmt.thousands)[0]
    y = prep.targets(frame, rows)
    if prep.task == "binary":
        y = y.astype(float)
    return prep.features(frame, rows), y
