"""CSV files on a Dask cluster, prepared as ``bpnn train csv`` prepares their
concatenation: the same checks, the same 70/15/15 split, the same
``Preparation`` (means and standard deviations of the training rows, category
lists of all rows), computed on the workers.

``load_csv(client, "data/part-*.csv", target)`` reads each file (in sorted
order) as one partition on a worker -- the files must be readable there under
the same path -- and returns a ``Dataset`` whose splits are dask arrays. The
split is drawn on the client (``split_rows``, a permutation of all rows) and
sent to the workers as one byte per row; each split keeps its rows in file
order, where ``bpnn train csv`` keeps the split's random order, which changes
no statistic and no full-batch gradient beyond rounding.
"""

from __future__ import annotations

import glob
import math
import re
from itertools import pairwise
from pathlib import Path

import numpy as np

from ..data import csv_input
from ..data.columns import class_order
from ..data.datasets.base import Dataset
from ..data.datasets.table import TASK_CHOICES, split_rows
from ..data.preparation import Preparation
from ..errors import InputError
from . import csv_parts


def part_paths(pattern) -> list:
    """The files of ``pattern`` (a path or a glob), sorted."""
    paths = sorted(glob.glob(str(pattern)))
    if not paths:
        raise FileNotFoundError(f"{pattern}: no such file")
    return paths


def load_csv(
    client, path, target, task=None, categorical=(), drop=(), seed=0, dropna=False
) -> Dataset:
    """The files of ``path`` (a file, or a pattern such as "data/part-*.csv")
    as one table, split and prepared on the workers; the keywords are those of
    ``bpnn.datasets.load_csv``."""
    pattern = path
    if task not in (None,) + TASK_CHOICES:
        raise InputError(f"unknown task {task!r}; choose {' or '.join(TASK_CHOICES)}")
    paths = part_paths(pattern)
    categorical, drop = list(categorical), list(drop)
    parts = [
        client.submit(
            csv_parts.read_part, p, target, categorical, drop, dropna, pure=False
        )
        for p in paths
    ]
    summaries = client.gather(
        [client.submit(csv_parts.summarise, p, target, categorical) for p in parts]
    )
    kinds = _agreed_columns(paths, summaries)
    source = f"{pattern}: "
    if len(kinds) < 2:
        raise InputError(f"{source}no feature columns besides the target {target!r}")
    n = sum(s["rows"] for s in summaries)
    values = set().union(*(s["target_values"] for s in summaries))
    if len(values) == 1:
        value = next(iter(values))
        raise InputError(
            f"{pattern}: target column {target!r} has one value only ({value!r}) "
            f"in all {n} rows: there is nothing to learn"
        )
    csv_input.check_enough_rows(range(n), pattern)
    split = np.empty(n, np.int8)
    for which, rows in enumerate(split_rows(n, seed)):
        split[rows] = which
    offsets = np.cumsum([0] + [s["rows"] for s in summaries])
    splits = [split[a:b] for a, b in pairwise(offsets)]
    numeric = [
        name
        for name, k in kinds.items()
        if k == "numeric" and name != target and name not in categorical
    ]
    if kinds[target] == "numeric":
        numeric.append(target)
    stats = client.gather(
        [
            client.submit(csv_parts.train_stats, p, s, numeric, target)
            for p, s in zip(parts, splits)
        ]
    )
    prep = _preparation(
        target, task, categorical, kinds, summaries, stats, numeric, n, source
    )
    arrays = [_split_arrays(parts, splits, which, prep) for which in range(3)]
    data = Dataset(_name(pattern), prep, *arrays[0], *arrays[1], *arrays[2])
    data.dropped_rows = sum(s["dropped"] for s in summaries)
    return data


def _agreed_columns(paths, summaries) -> dict:
    """Every file must have the same columns, each of the same kind."""
    first = summaries[0]
    for path, s in zip(paths[1:], summaries[1:]):
        if s["columns"] != first["columns"]:
            raise InputError(
                f"{path}: its columns {s['columns']} differ from those of "
                f"{paths[0]} ({first['columns']})"
            )
        for name, k in s["kinds"].items():
            if k != first["kinds"][name]:
                raise InputError(
                    f"{path}: column {name!r} holds {k} values, but "
                    f"{first['kinds'][name]} values in {paths[0]}: make it one "
                    "kind in every file"
                )
    return first["kinds"]


def _combine(moments) -> tuple:
    """(mean, std with ddof=1) from per-file (count, mean, squared deviations)."""
    n = sum(c for c, _, _ in moments)
    if n == 0:
        return 0.0, 1.0
    mean = sum(c * m for c, m, _ in moments) / n
    m2 = sum(s + c * (m - mean) ** 2 for c, m, s in moments)
    std = math.sqrt(m2 / (n - 1)) if n > 1 else 0.0
    return float(mean), (std if std > 0 and math.isfinite(std) else 1.0)


def _preparation(
    target, task, categorical, kinds, summaries, stats, numeric, n, source
):
    """The ``Preparation`` that ``Preparation.fit`` learns from the whole table,
    assembled from the workers' summaries (the same decisions, in order)."""
    per_column = {name: [s[0][name] for s in stats] for name in numeric}
    columns = []
    for name in kinds:
        if name == target:
            continue
        if name in categorical or kinds[name] != "numeric":
            names = set().union(*(s["categories"][name] for s in summaries))
            columns.append(
                {
                    "name": name,
                    "kind": "categorical",
                    "categories": sorted(names, key=class_order),
                }
            )
        else:
            mean, std = _combine(per_column[name])
            columns.append({"name": name, "kind": "numeric", "mean": mean, "std": std})
    if task is None:  # infer_task's rule, on the training rows' values
        train_values = set().union(*(s[1] for s in stats))
        numeric_target = kinds[target] == "numeric"
        task = "regression" if numeric_target and len(train_values) > 2 else None
    if task == "regression":
        if kinds[target] != "numeric":
            raise InputError(
                f"{source}target column {target!r} is not numeric, so it cannot "
                "be a regression target: use --task classification"
            )
        mean, std = _combine(per_column[target])
        return Preparation(target, task, columns, None, mean, std, source)
    found = [s["target_labels"] for s in summaries]
    classes = None if None in found else set().union(*found)
    if classes is not None and len(classes) < 2:
        raise InputError(f"{source}target column {target!r} has a single class")
    if classes is None or (len(classes) > 20 and len(classes) > n / 2):
        many = "too many" if classes is None else len(classes)
        raise InputError(
            f"{source}target column {target!r} has {many} distinct values among "
            f"{n} rows, too many to learn as classes: use --task regression"
        )
    classes = sorted(classes, key=class_order)
    task = "binary" if len(classes) == 2 else "multiclass"
    return Preparation(target, task, columns, classes, source=source)


def _split_arrays(parts, splits, which, prep):
    """(X, y) of one split: a dask array each, one chunk per file that has
    rows in it, in file order."""
    import dask
    import dask.array as da

    n_features = len(prep.feature_names)
    blocks_x, blocks_y = [], []
    for part, split in zip(parts, splits):
        rows = int(np.count_nonzero(split == which))
        if rows == 0:
            continue
        pair = dask.delayed(csv_parts.encode, nout=2)(
            part, split, which, prep.to_dict()
        )
        y_dtype = np.int64 if prep.task == "multiclass" else np.float64
        blocks_x.append(da.from_delayed(pair[0], (rows, n_features), np.float64))
        blocks_y.append(da.from_delayed(pair[1], (rows,), y_dtype))
    if not blocks_x:
        return None, None
    return da.concatenate(blocks_x), da.concatenate(blocks_y)


def _name(pattern) -> str:
    """A run's name from the pattern: its file name without wildcards."""
    stem = re.sub(r"[*?\[\]]+", "", Path(str(pattern)).stem).strip("-_.")
    return stem or "csv"
