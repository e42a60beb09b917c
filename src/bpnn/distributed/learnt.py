"""The ``Preparation`` of CSV files on Dask, from what each file's training
rows tell (``csv_parts.train_facts``): ``encode.learn`` and the end of
``Preparation.fit``, with per-file counts, sums and squared deviations
combined into the statistics of the whole training set."""

from __future__ import annotations

import math

from ..data import kinds
from ..data.columns import categorical_column, class_order, labels, numeric_column
from ..data.encode import SKIPPED
from ..data.preparation import Preparation
from ..errors import InputError
from . import column_kinds


def _combine(moments):
    """numeric_column's mean and std (ddof=1) from per-file (count, sum,
    squared deviations)."""
    n = sum(c for c, _, _ in moments)
    if n == 0:
        return {"mean": math.nan, "std": 1.0}
    mean = sum(s for _, s, _ in moments) / n
    m2 = sum(d + c * (s / c - mean) ** 2 for c, s, d in moments if c)
    std = math.sqrt(m2 / (n - 1)) if n > 1 else 0.0
    return {"mean": float(mean), "std": std if std > 0 and math.isfinite(std) else 1.0}


def _most_frequent(facts, name):
    """The value counted most often over all files (the smallest of a tie)."""
    counts = {}
    for f in facts:
        for value, k in f[name]["counts"].items():
            counts[value] = counts.get(value, 0) + k
    top = max(counts.values())
    return min(v for v, k in counts.items() if k == top)


def learn(plan, summaries, facts, paths, impute):
    """``encode.learn`` of one column, from the files' training-row facts."""
    c, name = dict(plan), plan["name"]
    if c["kind"] in SKIPPED:
        return c
    if c["kind"] == "numeric":
        c.update(_combine([f[name]["moments"] for f in facts]))
        if impute == "mean":
            c["fill"] = c["mean"]
        elif impute == "most_frequent":
            c["fill"] = float(_most_frequent(facts, name))
    elif c["kind"] == "categorical":
        import pandas as pd

        distinct = column_kinds.distinct_values(name, paths, summaries)
        c["categories"] = categorical_column(name, pd.Series(distinct))["categories"]
        c["from_numbers"] = summaries[0]["kinds"][name] == "numeric"
        if impute:
            c["fill"] = str(_most_frequent(facts, name))
    else:  # a date
        c["parts"] = [
            {**p, **_combine([f[name]["parts"][k] for f in facts])}
            for k, p in enumerate(c["parts"])
        ]
        if impute:
            c["fill"] = str(_most_frequent(facts, name))
    return c


def preparation(y, train, target, task, columns, source, opt):
    """The rest of ``Preparation.fit``: the target's statistics or classes."""
    given = "classification" if task != "regression" else "regression"
    task, _ = kinds.infer_task(y, given)
    options = {"source": source, "unknown": opt.unknown, "impute": opt.impute}
    if task == "regression":
        if y.dtype.kind not in "iuf":
            raise InputError(
                f"{source}target column {target!r} is not numeric, so it cannot "
                "be a regression target: use --task classification"
            )
        import pandas as pd

        stats = numeric_column(target, pd.Series(y.to_numpy(float)[train]))
        return Preparation(
            target, task, columns, None, stats["mean"], stats["std"], **options
        )
    kinds.check_classes(y, source)
    classes = sorted(set(labels(y.dropna())), key=class_order)
    if len(classes) < 2:
        raise InputError(f"{source}target column {target!r} has a single class")
    task = "binary" if len(classes) == 2 else "multiclass"
    return Preparation(target, task, columns, classes, **options)
