"""Any CSV as a ``Dataset``: a seeded train/validation/test split and the
preparation learnt from the training rows."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ...errors import InputError
from .. import csv_input
from ..preparation import Preparation
from .base import Dataset, require_pandas

#: fractions of the rows for validation and test; training gets the rest
VAL_FRACTION = 0.15
TEST_FRACTION = 0.15
TASK_CHOICES = ("regression", "classification")


def split_rows(n, seed=0, val_fraction=VAL_FRACTION, test_fraction=TEST_FRACTION):
    """Row indices (train, validation, test) of a seeded random split."""
    if n < 3:
        raise InputError(
            f"need at least 3 rows to split into train, validation and test, got {n}"
        )
    order = np.random.default_rng(seed).permutation(n)
    n_test = max(1, round(n * test_fraction))
    n_val = max(1, round(n * val_fraction))
    return order[n_test + n_val :], order[n_test : n_test + n_val], order[:n_test]


def read_table(path):
    """The CSV at ``path`` as a DataFrame; a clear error if it is not one
    (see ``bpnn.csv_input``)."""
    require_pandas()
    return csv_input.read_csv(path)


def load_csv(
    path, target, task=None, categorical=(), drop=(), seed=0, dropna=False
) -> Dataset:
    """A CSV prepared for training: ``target`` is the column to predict.

    ``task`` is "regression" or "classification" (default: inferred from the
    target, see ``bpnn.preparation.infer_task``). ``categorical`` names
    numeric columns to one-hot anyway; ``drop`` names columns to ignore.
    ``seed`` fixes the 70/15/15 split. Rows with a missing value are an
    error, or with ``dropna`` are left out (``Dataset.dropped_rows``).
    """
    if task not in (None,) + TASK_CHOICES:
        raise InputError(f"unknown task {task!r}; choose {' or '.join(TASK_CHOICES)}")
    frame = read_table(path)
    source = f"{path}: "
    csv_input.check_columns(frame, path, [target], "target column")
    csv_input.check_columns(frame, path, [*categorical, *drop])
    frame = frame.drop(columns=list(drop))
    if frame.shape[1] < 2:
        raise InputError(f"{source}no feature columns besides the target {target!r}")
    frame, dropped = csv_input.missing_values(frame, path, dropna)
    csv_input.check_numbers(frame, path, skip=[target, *categorical])
    csv_input.check_target(frame, path, target)
    csv_input.check_enough_rows(frame, path)
    train, val, test = split_rows(len(frame), seed)
    parts = [frame.iloc[rows] for rows in (train, val, test)]
    prep = Preparation.fit(
        parts[0], target, task, categorical, vocabulary=frame, source=source
    )
    X = [prep.features(p) for p in parts]
    y = [prep.targets(p) for p in parts]
    if prep.task == "binary":
        y = [v.astype(float) for v in y]
    data = Dataset(Path(path).stem, prep, X[0], y[0], X[1], y[1], X[2], y[2])
    data.dropped_rows = dropped
    return data
