"""Any CSV as a ``Dataset``: a seeded train/validation/test split and the
preparation learnt from the training rows."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..preparation import Preparation
from .base import Dataset, require_pandas

#: fractions of the rows for validation and test; training gets the rest
VAL_FRACTION = 0.15
TEST_FRACTION = 0.15
TASK_CHOICES = ("regression", "classification")


def split_rows(n, seed=0, val_fraction=VAL_FRACTION, test_fraction=TEST_FRACTION):
    """Row indices (train, validation, test) of a seeded random split."""
    if n < 3:
        raise ValueError(
            f"need at least 3 rows to split into train, validation and test, got {n}"
        )
    order = np.random.default_rng(seed).permutation(n)
    n_test = max(1, round(n * test_fraction))
    n_val = max(1, round(n * val_fraction))
    return order[n_test + n_val :], order[n_test : n_test + n_val], order[:n_test]


def read_table(path):
    """The CSV at ``path`` as a DataFrame; a clear error if it is not one."""
    pd = require_pandas()
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such file")
    try:
        frame = pd.read_csv(path)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as err:
        raise ValueError(f"{path}: not a readable CSV ({err})") from None
    if frame.empty:
        raise ValueError(f"{path}: no data rows")
    return frame


def load_csv(path, target, task=None, categorical=(), drop=(), seed=0) -> Dataset:
    """A CSV prepared for training: ``target`` is the column to predict.

    ``task`` is "regression" or "classification" (default: inferred from the
    target, see ``bpnn.preparation.infer_task``). ``categorical`` names
    numeric columns to one-hot anyway; ``drop`` names columns to ignore.
    ``seed`` fixes the 70/15/15 split.
    """
    if task not in (None,) + TASK_CHOICES:
        raise ValueError(f"unknown task {task!r}; choose {' or '.join(TASK_CHOICES)}")
    frame = read_table(path)
    source = f"{path}: "
    for name in [target, *categorical, *drop]:
        if name not in frame.columns:
            raise ValueError(
                f"{source}no column {name!r}; the columns are "
                f"{', '.join(map(str, frame.columns))}"
            )
    frame = frame.drop(columns=list(drop))
    if frame.shape[1] < 2:
        raise ValueError(f"{source}no feature columns besides the target {target!r}")
    for name in frame.columns:  # row numbers of the file, before any split
        missing = frame[name].isna().to_numpy()
        if missing.any():
            row = int(np.flatnonzero(missing)[0]) + 2  # header is line 1
            raise ValueError(
                f"{source}column {name!r} has {int(missing.sum())} missing "
                f"value(s), the first on line {row}"
            )
    train, val, test = split_rows(len(frame), seed)
    parts = [frame.iloc[rows] for rows in (train, val, test)]
    prep = Preparation.fit(
        parts[0], target, task, categorical, vocabulary=frame, source=source
    )
    X = [prep.features(p) for p in parts]
    y = [prep.targets(p) for p in parts]
    if prep.task == "binary":
        y = [v.astype(float) for v in y]
    return Dataset(Path(path).stem, prep, X[0], y[0], X[1], y[1], X[2], y[2])
