"""What bpnn does with each column, decided once and said aloud.

A column is a number (standardised), a category (one-hot), a date (calendar
features), an ID (unique per row: dropped, it cannot generalise), a constant
(dropped, it tells nothing) or the target. ``--numeric``, ``--categorical``,
``--date`` and ``--drop`` override the guess. The decisions are stored in the
model, so ``bpnn predict`` reads new rows the same way.
"""

from __future__ import annotations

import re

import numpy as np

from ..errors import InputError
from .columns import labels
from .values import date_format, parse_dates, parse_numbers, unit_of

#: a text column is a date when this share of its distinct values parse
DATE_SHARE = 0.8
#: an ID needs this many rows: in a tiny table every column is unique
MIN_ID_ROWS = 20
#: a numeric target of at most this many distinct integers is a classification
MAX_INTEGER_CLASSES = 10
#: a classification needs on average this many rows per class
MIN_ROWS_PER_CLASS = 5


def decide(frame, target, categorical=(), numeric=(), date=(), drop=(), fmt=None):
    """One ``{"name", "kind", ...}`` per column of ``frame`` but the target:
    kind is numeric, categorical, date, id, constant or dropped."""
    plans = []
    for name in frame.columns:
        if name == target:
            continue
        col = frame[name]
        if name in drop:
            plans.append({"name": name, "kind": "dropped", "why": "--drop"})
        elif name in categorical:
            plans.append({"name": name, "kind": "categorical", "why": "--categorical"})
        elif name in date:
            plans.append(_date(name, col, fmt, given=True))
        elif name in numeric:
            plans.append({"name": name, "kind": "numeric", "why": "--numeric"})
        else:
            plans.append(_guess(name, col, fmt))
        if plans[-1]["kind"] == "numeric" and col.dtype.kind not in "iuf":
            plans[-1]["unit"] = unit_of(list(col.dropna().astype(str).iloc[:1000]))
    return plans


def _guess(name, col, fmt):
    n = len(col)
    if col.dtype.kind == "b":
        return {"name": name, "kind": "categorical"}
    if col.dtype.kind in "iuf":
        values = col.to_numpy(float)
        if np.nanmin(values) == np.nanmax(values):
            return {"name": name, "kind": "constant"}
        whole = col.dtype.kind in "iu" or _whole(values)
        if whole and n >= MIN_ID_ROWS and col.is_unique and _looks_like_id(name, col):
            return {"name": name, "kind": "id"}
        return {"name": name, "kind": "numeric"}
    filled = col.dropna()
    distinct = filled.unique()
    if len(distinct) == 1:
        return {"name": name, "kind": "constant"}
    decimal, thousands = (fmt.decimal, fmt.thousands) if fmt else (".", None)
    _, bad = parse_numbers(filled, decimal, thousands)
    if not bad.any():  # '12%', '$1,065': numbers written as text
        return {"name": name, "kind": "numeric"}
    dated = _date(name, col, fmt, given=False, distinct=distinct)
    if dated:
        return dated
    if n >= MIN_ID_ROWS and len(distinct) == len(filled) == n:
        return {"name": name, "kind": "id"}
    return {"name": name, "kind": "categorical"}


def _looks_like_id(name, col):
    """Whole numbers unique per row are an ID when named like one, counted
    (1, 2, 3 ... in some order) or in rising order; other unique whole numbers
    (a price, a count) stay numbers, said so in the table."""
    if _ID_NAME.search(str(name)):
        return True
    values = col.to_numpy(float)
    return values.max() - values.min() < len(values) or col.is_monotonic_increasing


_ID_NAME = re.compile(r"(?i:(^|[^a-z])(id|no|nr|key|index)$)|[a-z]I[dD]$|^ID([^a-z]|$)")


def _date(name, col, fmt, given, distinct=None):
    """A date column's plan: which format, and whether it has hours."""
    distinct = col.dropna().unique() if distinct is None else distinct
    texts = [str(v) for v in distinct]
    if not given and all(_NUMBER_LIKE.match(t) for t in texts[:50]):
        return None  # '1.000,5' and '2024' are numbers, not dates
    found = date_format(texts)
    dates = parse_dates(_series(texts), found)
    share = float(dates.notna().mean()) if len(texts) else 0.0
    if share < DATE_SHARE:
        if given:
            raise InputError(
                f"column {name!r} is not dates: {1 - share:.0%} of its values do "
                f"not parse (e.g. {texts[int(np.flatnonzero(dates.isna())[0])]!r})"
            )
        return None
    hours = bool((dates.dt.hour.fillna(0) != 0).any())
    parts = ["year", "month", "dayofweek"] + (["hour"] if hours else [])
    return {
        "name": name,
        "kind": "date",
        "format": found,
        "parts": [{"part": p} for p in parts],
        **({"why": "--date"} if given else {}),
    }


_NUMBER_LIKE = re.compile(r"^\s*[+-]?\d{1,3}([.,]\d{3})*([.,]\d+)?\s*$|^\s*\d+\s*$")


def _series(values):
    import pandas as pd

    return pd.Series(values, dtype=object)


def infer_task(y, given=None):
    """(task, note): 'regression', 'binary' or 'multiclass', and a sentence
    when a numeric target is taken for classes (``given`` overrides)."""
    if given == "regression":
        return "regression", None
    numeric = y.dtype.kind in "iuf"
    if numeric and given is None and not _whole(y.to_numpy(float)[:1000]):
        return "regression", None  # fractions: not classes (nor two values)
    filled = y.dropna()
    n_distinct = filled.nunique()
    if given == "classification" or not numeric or n_distinct <= 2:
        return ("binary" if n_distinct <= 2 else "multiclass"), None
    values = filled.to_numpy(float)
    few = n_distinct <= MAX_INTEGER_CLASSES
    if few and len(values) >= MIN_ROWS_PER_CLASS * n_distinct and _whole(values):
        shown = ", ".join(sorted(set(labels(filled)), key=float)[:10])
        note = (
            f"target {y.name!r} holds {n_distinct} distinct whole numbers "
            f"({shown}): trained as a classification (--task regression predicts "
            "it as a number)"
        )
        return "multiclass", note
    return "regression", None


def _whole(values):
    """Whole numbers only (a sample first: most float columns fail at once)."""
    head = values[:1000]
    head = head[~np.isnan(head)]
    if not np.all(head == np.floor(head)):
        return False
    rest = values[~np.isnan(values)]
    return bool(np.all(rest == np.floor(rest)))


def check_classes(y, source=""):
    """A 'classification' with a class for most rows cannot be learnt."""
    rows, n_classes = int(y.notna().sum()), int(y.nunique())
    if n_classes > MAX_INTEGER_CLASSES and rows < MIN_ROWS_PER_CLASS * n_classes:
        raise InputError(
            f"{source}target column {y.name!r} has {n_classes} distinct values "
            f"among {rows} rows, too many to learn as classes (fewer than "
            f"{MIN_ROWS_PER_CLASS} rows per class): use --task regression"
        )


KIND_WORDS = {
    "numeric": "number → standardised",
    "categorical": "category → one-hot",
    "date": "date → calendar features",
    "id": "ID (unique per row) → dropped",
    "constant": "constant → dropped",
    "dropped": "dropped",
    "empty": "empty → dropped",
}


def table_lines(plans, target, task, features_of) -> list:
    """The column table printed before training: name, kind, what is done."""
    width = max([len(str(p["name"])) for p in plans] + [len(str(target)), 6])
    lines = [f"  {'column':<{width}}  what bpnn does with it"]
    for p in plans:
        words = KIND_WORDS[p["kind"]]
        made = features_of(p)
        if p["kind"] == "categorical":
            words += f" with {len(made)} values"
        elif p["kind"] == "date":
            words += f" ({', '.join(m.split('_')[-1] for m in made)})"
        elif p["kind"] == "numeric" and p.get("unit"):
            words = f"number ({p['unit']}) → standardised"
        if p.get("fill") is not None:
            words += f"; missing → {p['fill']!r}"
        if p.get("why"):
            words += f" ({p['why']})"
        lines.append(f"  {p['name']:<{width}}  {words}")
    lines.append(f"  {target:<{width}}  target ({task})")
    return lines
