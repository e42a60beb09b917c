"""Any CSV as a ``Dataset``: the format detected, each column's kind decided
and said, a seeded (and, for classes, stratified) split, and the preparation
learnt from the training rows. The command line, the Python API and the
playground all call ``load_csv``, so a file is read the same way by each."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from pathlib import Path

from ...errors import InputError
from .. import csv_input, kinds
from ..preparation import Preparation
from ..splits import SPLIT, parse_split, split_rows  # noqa: F401  (a public name here)
from ..values import parse_numbers
from .base import Dataset, require_pandas
from .parts import arrays_of, parts_of

TASK_CHOICES = ("regression", "classification")


@dataclass
class TableOptions:
    """How to read and prepare a CSV; every field has a ``bpnn train csv``
    option of the same name (``--split-seed`` is ``seed``)."""

    task: str | None = None
    categorical: tuple = ()
    numeric: tuple = ()
    date: tuple = ()
    drop: tuple = ()
    seed: int = 0
    split: tuple = SPLIT
    dropna: bool = False
    impute: str | None = None
    unknown: str = "error"
    sep: str | None = None
    encoding: str | None = None
    decimal: str | None = None
    thousands: str | None = None
    test_csv: str | None = None
    val_csv: str | None = None

    def format_options(self) -> dict:
        return {
            "sep": self.sep,
            "encoding": self.encoding,
            "decimal": self.decimal,
            "thousands": self.thousands,
        }


def read_table(path, options=None, text_columns=(), named=None):
    """The CSV at ``path`` as a DataFrame; a clear error if it is not one
    (see ``bpnn.data.reader``). ``named``: {what: [column names]} the header
    must hold, checked before the rows are read."""
    require_pandas()
    options = options or TableOptions()

    def check_header(header, fmt):
        csv_input.check_header(path, header, fmt, named)

    return csv_input.read_csv(
        path,
        **options.format_options(),
        text_columns=text_columns,
        check_header=check_header if named else None,
    )


def table_options(options, changes) -> TableOptions:
    """``options`` (default: ``TableOptions()``) with ``changes``, checked."""
    known = {f.name for f in fields(TableOptions)}
    if set(changes) - known:
        raise TypeError(f"unknown option(s): {', '.join(set(changes) - known)}")
    opt = replace(options or TableOptions(), **changes)
    if opt.task not in (None,) + TASK_CHOICES:
        raise InputError(
            f"unknown task {opt.task!r}; choose {' or '.join(TASK_CHOICES)}"
        )
    return opt


def load_csv(path, target, options=None, **changes) -> Dataset:
    """A CSV prepared for training: ``target`` is the column to predict.

    ``options`` (a ``TableOptions``) or its fields as keywords: ``task``
    "regression" or "classification" (default: inferred, see
    ``bpnn.data.kinds.infer_task``); ``categorical``, ``numeric``, ``date``,
    ``drop`` override a column's kind; ``seed`` and ``split`` the seeded
    split; ``dropna`` or ``impute`` for missing values; ``unknown`` for
    categories unseen in training; ``sep``, ``encoding``, ``decimal``,
    ``thousands`` the file's format (default: detected); ``test_csv`` and
    ``val_csv`` rows already split off.
    """
    opt = table_options(options, changes)
    split = parse_split(opt.split)
    text = [*opt.categorical, *opt.date]
    given = [*opt.categorical, *opt.numeric, *opt.date, *opt.drop]
    frame = read_table(
        path, opt, text, named={"target column": [target], "column": given}
    )
    source = f"{path}: "
    fmt = frame.attrs["csv_format"]
    notes = [f"read {path}: {fmt.describe()}"]
    empty = frame.attrs["empty_columns"]
    if empty:
        shown = ", ".join(_column_name(c, frame) for c in empty)
        notes.append(f"dropped {len(empty)} empty column(s): {shown}")
    csv_input.check_columns(frame, path, [target], "target column")
    csv_input.check_columns(
        frame, path, [*opt.categorical, *opt.numeric, *opt.date, *opt.drop]
    )
    if target in opt.drop:
        raise InputError(
            f"{path}: --drop names the target column {target!r}: it is the column "
            "to predict, so it cannot be left out"
        )
    frame = frame.drop(columns=list(opt.drop))
    if frame.shape[1] < 2:
        raise InputError(f"{source}no feature columns besides the target {target!r}")
    frame, dropped = _missing(frame, path, target, opt)
    csv_input.check_numbers(
        frame, path, skip=[target, *opt.categorical, *opt.date], fmt=fmt
    )
    csv_input.check_target(frame, path, target)
    csv_input.check_enough_rows(frame, path)
    frame = _numeric_target(frame, target, fmt, opt.task)
    frames = {"main": frame}
    for name, extra in (("validation", opt.val_csv), ("test", opt.test_csv)):
        if extra:
            frames[name] = _extra(extra, opt, text, target, frame)
    vocabulary = _concat(list(frames.values()))
    vocabulary.attrs = frame.attrs
    plans = kinds.decide(
        vocabulary, target, opt.categorical, opt.numeric, opt.date, fmt=fmt
    )
    _parse_text_numbers(frames, plans, fmt)
    plans = [{"name": c, "kind": "dropped", "why": "--drop"} for c in opt.drop] + plans
    task, task_note = kinds.infer_task(vocabulary[target], opt.task)
    parts = parts_of(frames, split, opt.seed, task, vocabulary[target])
    part, rows = parts["train"]
    prep = Preparation.fit(
        part,
        target,
        "classification" if task != "regression" else "regression",
        vocabulary=vocabulary,
        source=source,
        plans=plans,
        impute=opt.impute,
        unknown=opt.unknown,
        rows=rows,
    )
    return table_dataset(
        Path(path).stem,
        prep,
        arrays_of(prep, parts),
        notes=notes,
        empty=[_column_name(c, frame).strip("'") for c in empty],
        task_note=task_note,
        dropped=dropped,
        info={
            "csv_format": fmt.to_dict(),
            "empty_columns": empty,
            "split": {name: len(rows_or_all(p)) for name, p in parts.items()},
            "stratified": task != "regression" and "train" in parts,
        },
    )


def table_dataset(name, prep, arrays, *, notes, empty, task_note, dropped, info):
    """The ``Dataset`` of a table, with the notes that say how it was read: the
    table of columns (the ``empty`` ones first) and the task; ``info`` goes to
    metrics.json with each column's kind."""
    empty_plans = [{"name": c, "kind": "empty"} for c in empty]
    notes = (
        notes
        + ["columns:"]
        + kinds.table_lines(
            empty_plans + prep.columns, prep.target, prep.task, _features_of
        )
    )
    if task_note:
        notes.append(task_note)
    X_val, y_val = arrays.get("validation", (None, None))
    data = Dataset(
        name,
        prep,
        *arrays["train"],
        X_val,
        y_val,
        *arrays["test"],
        dropped_rows=dropped,
        notes=notes,
    )
    data.info = {**info, "columns": {c["name"]: c["kind"] for c in prep.columns}}
    return data


def _column_name(name, frame):
    """'column 9 (no name)' for the column pandas names 'Unnamed: 8'."""
    if name.startswith("Unnamed: ") and name[9:].isdigit():
        return f"column {int(name[9:]) + 1} (no name)"
    return repr(name)


def rows_or_all(part):
    frame, rows = part
    return range(len(frame)) if rows is None else rows


def _features_of(plan):
    from ..encode import features_of

    return features_of(plan)


def _missing(frame, path, target, opt):
    """Rows with holes: dropped (``dropna``), kept for ``impute`` (but for a
    missing target, which nothing can fill), or an error."""
    if opt.impute and not opt.dropna:
        holes = frame[target].isna().to_numpy()
        if not holes.any():
            return frame, 0  # not a copy of the table for nothing
        return frame[~holes], int(holes.sum())
    return csv_input.missing_values(frame, path, opt.dropna)


def _numeric_target(frame, target, fmt, task):
    """A target written as '12%' or '$1,065' becomes its numbers."""
    col = frame[target]
    if col.dtype.kind in "iufb" or task == "classification":
        return frame
    values, bad = parse_numbers(col, fmt.decimal, fmt.thousands)  # holes: not bad
    if bad.any():
        return frame  # the same frame: nothing converted
    frame = frame.copy()
    frame[target] = values
    return frame


def _extra(path, opt, text, target, frame):
    """A --test-csv or --val-csv file, with the training file's columns."""
    other = read_table(path, opt, text)
    csv_input.check_columns(other, path, [target], "target column")
    other = other.drop(columns=[c for c in opt.drop if c in other.columns])
    missing = [c for c in frame.columns if c not in other.columns]
    if missing:
        raise InputError(
            f"{path}: missing column(s) {', '.join(map(repr, missing))} of the "
            "training file"
        )
    other, _ = _missing(other[list(frame.columns)], path, target, opt)
    return _numeric_target(other, target, frame.attrs["csv_format"], opt.task)


def _parse_text_numbers(frames, plans, fmt):
    """Numbers written as text ('$1,065.50', '12%') parsed once, here, in the
    frames' place of the text: the preparation's statistics and features then
    read floats, as for any numeric column, instead of parsing each again. A
    column with a cell that is not a number stays text, for the error that
    names its line."""
    for plan in plans:
        if plan["kind"] != "numeric":
            continue
        for frame in frames.values():
            col = frame[plan["name"]]
            if col.dtype.kind in "iuf":
                continue
            values, bad = parse_numbers(col, fmt.decimal, fmt.thousands)
            if not bad.any():
                frame[plan["name"]] = values


def _concat(frames):
    if len(frames) == 1:
        return frames[0]
    import pandas as pd

    return pd.concat(frames, ignore_index=True)
