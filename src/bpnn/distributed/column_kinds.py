"""Each column's kind, decided from the files' summaries as
``bpnn.data.kinds.decide`` decides it on their concatenation.

The rules are those of ``kinds.decide``; what they read of a whole column is
combined from the files: a text column's distinct values in order of first
appearance (each file's, joined), a number column's range, whether its whole
numbers are unique (per file, then across files: by their ranges, or, where
the ranges overlap, by fetching that column's values) and rising. A text
column with more than ``MAX_DISTINCT`` distinct values in one file is refused
unless its kind is given (``--drop``, ``--numeric``).
"""

from __future__ import annotations

from itertools import pairwise

import numpy as np

from ..data import kinds
from ..data.values import parse_numbers, unit_of
from ..errors import InputError

#: distinct values of a text column a file may send to the client
MAX_DISTINCT = 100_000


def distinct_values(name, paths, summaries):
    """The column's distinct values over all files, in order of appearance;
    a one-line error when a file has too many to send."""
    seen, out = set(), []
    for path, s in zip(paths, summaries):
        facts = s["facts"][name]
        if facts["distinct"] is None:
            raise InputError(
                f"{path}: column {name!r} has {facts['n_distinct']} distinct values "
                f"(more than {MAX_DISTINCT}): too many to gather for deciding its "
                f"kind on Dask; pass --drop {name} if it is an ID, or --numeric "
                f"{name}"
            )
        for v in facts["distinct"]:
            if v not in seen:
                seen.add(v)
                out.append(v)
    return out


def decide(paths, summaries, target, opt, fmt, fetch_values):
    """One plan per column but the target (see ``kinds.decide``);
    ``fetch_values(name)`` returns a number column's values over all files."""
    plans = []
    kind_of = summaries[0]["kinds"]
    for name in summaries[0]["columns"]:
        if name == target:
            continue
        if name in opt.categorical:
            distinct_values(name, paths, summaries)  # refuse too many
            plans.append({"name": name, "kind": "categorical", "why": "--categorical"})
        elif name in opt.date:
            distinct = distinct_values(name, paths, summaries)
            plans.append(kinds._date(name, None, fmt, True, distinct=distinct))
        elif name in opt.numeric:
            plans.append({"name": name, "kind": "numeric", "why": "--numeric"})
        elif kind_of[name] == "numeric":
            plans.append(_guess_number(name, summaries, fetch_values))
        elif kind_of[name] == "bool":
            plans.append({"name": name, "kind": "categorical"})
        else:
            plans.append(_guess_text(name, paths, summaries, fmt))
        if plans[-1]["kind"] == "numeric" and kind_of[name] != "numeric":
            head = [t for s in summaries for t in s["facts"][name]["head"]]
            plans[-1]["unit"] = unit_of(head)
    return plans


def _guess_number(name, summaries, fetch_values):
    facts = [s["facts"][name] for s in summaries]
    n = sum(f["count"] for f in facts)
    if np.nanmin([f["nanmin"] for f in facts]) == np.nanmax(
        [f["nanmax"] for f in facts]
    ):
        return {"name": name, "kind": "constant"}
    whole = all(f["whole"] for f in facts)
    wide = whole and n >= kinds.MIN_ID_ROWS
    if wide and _looks_like_id(name, facts, n) and _unique(name, facts, fetch_values):
        return {"name": name, "kind": "id"}
    return {"name": name, "kind": "numeric"}


def _looks_like_id(name, facts, n):
    """``kinds._looks_like_id`` on the whole column."""
    if kinds._ID_NAME.search(str(name)):
        return True
    span = max(f["max"] for f in facts) - min(f["min"] for f in facts)
    return span < n or _rising(facts)


def _rising(facts):
    """pandas' is_monotonic_increasing of the concatenated column."""
    if not all(f["monotonic"] for f in facts):
        return False
    return all(a["last"] <= b["first"] for a, b in pairwise(facts))


def _unique(name, facts, fetch_values):
    """No value twice in the whole column: each file unique, and the files'
    ranges apart, or else checked on the values themselves."""
    if not all(f["unique"] for f in facts):
        return False
    ranges = sorted((f["min"], f["max"]) for f in facts)
    if all(a[1] < b[0] for a, b in pairwise(ranges)):
        return True
    values = fetch_values(name)
    return len(np.unique(values)) == len(values)


def _guess_text(name, paths, summaries, fmt):
    """``kinds._guess`` of a text column, from its distinct values."""
    distinct = distinct_values(name, paths, summaries)
    n = sum(s["facts"][name]["count"] for s in summaries)
    filled = sum(s["facts"][name]["filled"] for s in summaries)
    if len(distinct) == 1:
        return {"name": name, "kind": "constant"}
    import pandas as pd

    _, bad = parse_numbers(
        pd.Series(distinct, dtype=object), fmt.decimal, fmt.thousands
    )
    if not bad.any():
        return {"name": name, "kind": "numeric"}
    dated = kinds._date(name, None, fmt, False, distinct=np.array(distinct, object))
    if dated:
        return dated
    if n >= kinds.MIN_ID_ROWS and len(distinct) == filled == n:
        return {"name": name, "kind": "id"}
    return {"name": name, "kind": "categorical"}
