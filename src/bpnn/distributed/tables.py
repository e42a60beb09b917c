"""CSV files on a Dask cluster, prepared as ``bpnn.datasets.load_csv``
prepares their concatenation: the same format, column kinds, split and
``Preparation``, from summaries computed on the workers.

``load_csv(client, "data/part-*.csv", target)`` reads each file (in sorted
order) as one partition on a worker with bpnn's reader -- the files must be
readable there under the same path -- in the format detected in the first
file. The workers send summaries (``csv_parts.summarise``) and the target
column; the client decides the column kinds (``column_kinds``), the task and
the split (``data.splits``, stratified by class, drawn from the whole target
column as ``load_csv`` draws it), and combines the training rows' sums into
the preparation. Each split keeps its rows in file order, where ``load_csv``
keeps the split's random order: no statistic and no full-batch gradient
changes beyond rounding. Refused on Dask: ``--test-csv``, ``--val-csv`` and
``--impute median`` (a median needs every value in one place).
"""

from __future__ import annotations

import glob
import re
from dataclasses import replace
from pathlib import Path

import numpy as np

from ..data import csv_input, kinds
from ..data.datasets.base import Dataset
from ..data.datasets.parts import parts_of
from ..data.datasets.table import _numeric_target, table_dataset, table_options
from ..data.preparation import IMPUTE, UNKNOWN
from ..data.splits import parse_split
from ..errors import InputError
from . import column_kinds, csv_parts
from .learnt import learn, preparation


def part_paths(pattern) -> list:
    """The files of ``pattern`` (a path or a glob), sorted."""
    paths = sorted(glob.glob(str(pattern)))
    if not paths:
        raise FileNotFoundError(f"{pattern}: no such file")
    return paths


def load_csv(client, path, target, options=None, **changes) -> Dataset:
    """The files of ``path`` (a file, or a pattern such as "data/part-*.csv")
    as one table, split and prepared on the workers; the options are those
    of ``bpnn.datasets.load_csv``."""
    opt = _options(options, changes)
    split = parse_split(opt.split)
    paths = part_paths(path)
    fmt = client.submit(csv_parts.detect_format, paths[0], opt.format_options())
    fmt = fmt.result()
    parts = [
        client.submit(csv_parts.read_part, p, fmt, target, opt, pure=False)
        for p in paths
    ]
    summaries = _gather(
        client,
        [
            client.submit(csv_parts.summarise, part, target, column_kinds.MAX_DISTINCT)
            for part in parts
        ],
    )
    _agreed_columns(paths, summaries)
    source = f"{path}: "
    if len(summaries[0]["columns"]) < 2:
        raise InputError(f"{source}no feature columns besides the target {target!r}")
    import pandas as pd

    frame = pd.DataFrame({target: _concat([s["target"] for s in summaries])})
    csv_input.check_target(frame, path, target)
    csv_input.check_enough_rows(frame, path)
    converted = _numeric_target(frame, target, fmt, opt.task)
    y = converted[target]

    def fetch_values(name):
        values = [client.submit(csv_parts.column_values, p, name) for p in parts]
        return np.concatenate(_gather(client, values))

    plans = column_kinds.decide(paths, summaries, target, opt, fmt, fetch_values)
    plans = [{"name": c, "kind": "dropped", "why": "--drop"} for c in opt.drop] + plans
    task, task_note = kinds.infer_task(y, opt.task)
    rows = {
        k: r for k, (_, r) in parts_of({"main": y}, split, opt.seed, task, y).items()
    }
    offsets = np.cumsum([0] + [s["rows"] for s in summaries])
    local = _by_file(rows["train"], offsets)
    facts = _gather(
        client,
        [
            client.submit(csv_parts.train_facts, p, r, plans, opt.impute)
            for p, r in zip(parts, local)
        ],
    )
    columns = [learn(p, summaries, facts, paths, opt.impute) for p in plans]
    prep = preparation(y, rows["train"], target, task, columns, source, opt)
    numeric_target = converted is not frame
    arrays = {
        name: _split_arrays(parts, r, offsets, prep, numeric_target)
        for name, r in rows.items()
    }
    empty = summaries[0]["empty"]
    notes = [f"read {path} ({len(paths)} file(s)): {fmt.describe()}"]
    if empty:
        notes.append(f"dropped {len(empty)} empty column(s): {', '.join(empty)}")
    return table_dataset(
        _name(path),
        prep,
        arrays,
        notes=notes,
        empty=empty,
        task_note=task_note,
        dropped=sum(s["dropped"] for s in summaries),
        info={
            "csv_format": fmt.to_dict(),
            "empty_columns": empty,
            "split": {name: len(r) for name, r in rows.items()},
            "stratified": task != "regression",
            "files": len(paths),
        },
    )


def _gather(client, futures):
    """The futures' results; the error of the first file at fault (in file
    order), whichever worker failed first."""
    from distributed import wait

    wait(futures)
    for f in futures:
        if f.status == "error":
            f.result()
    return client.gather(futures)


def _options(options, changes):
    """``load_csv``'s options, less what a cluster cannot do exactly."""
    opt = table_options(options, changes)
    if opt.impute not in (None, *IMPUTE):
        raise InputError(f"--impute {opt.impute}: choose one of {', '.join(IMPUTE)}")
    if opt.unknown not in UNKNOWN:
        raise InputError(f"--unknown {opt.unknown}: choose error or ignore")
    if opt.impute == "median":
        raise InputError(
            "--impute median is not available with --dask (a median needs every "
            "value in one place): use --impute mean or most_frequent"
        )
    if opt.test_csv or opt.val_csv:
        raise InputError(
            "--test-csv and --val-csv are not available with --dask: give all "
            "rows in the files, and --split decides the parts"
        )
    return replace(
        opt,
        categorical=tuple(opt.categorical),
        numeric=tuple(opt.numeric),
        date=tuple(opt.date),
        drop=tuple(opt.drop),
    )


def _agreed_columns(paths, summaries):
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


def _concat(series):
    import pandas as pd

    return pd.concat(series, ignore_index=True) if len(series) > 1 else series[0]


def _by_file(rows, offsets):
    """The table's positions ``rows`` as positions in each file (the table's
    rows ``offsets[i]:offsets[i + 1]``), in file order."""
    rows = np.sort(np.asarray(rows))
    cuts = np.searchsorted(rows, offsets)
    return [rows[a:b] - start for a, b, start in zip(cuts, cuts[1:], offsets)]


def _split_arrays(parts, rows, offsets, prep, numeric_target):
    """(X, y) of one split: a dask array each, one chunk per file that has
    rows in it, in file order."""
    import dask
    import dask.array as da

    n_features = len(prep.feature_names)
    y_dtype = np.int64 if prep.task == "multiclass" else np.float64
    blocks_x, blocks_y = [], []
    for part, local in zip(parts, _by_file(rows, offsets)):
        if len(local) == 0:
            continue
        pair = dask.delayed(csv_parts.encode, nout=2)(
            part, local, prep.to_dict(), numeric_target
        )
        blocks_x.append(da.from_delayed(pair[0], (len(local), n_features), np.float64))
        blocks_y.append(da.from_delayed(pair[1], (len(local),), y_dtype))
    if not blocks_x:
        return None, None
    return da.concatenate(blocks_x), da.concatenate(blocks_y)


def _name(pattern) -> str:
    """A run's name from the pattern: its file name without wildcards."""
    stem = re.sub(r"[*?\[\]]+", "", Path(str(pattern)).stem).strip("-_.")
    return stem or "csv"
