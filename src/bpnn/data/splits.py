"""Train, validation and test rows: a seeded split, stratified by class for a
classification so that each part holds every class in its share."""

from __future__ import annotations

import numpy as np

from ..errors import InputError

#: fractions of the rows for training, validation and test
SPLIT = (0.7, 0.15, 0.15)


def parse_split(text) -> tuple:
    """'0.7,0.15,0.15' -> (0.7, 0.15, 0.15): three fractions summing to 1
    (two, train and test, mean no validation rows)."""
    if not isinstance(text, str):
        parts = tuple(float(v) for v in text)
    else:
        try:
            parts = tuple(float(v) for v in text.split(","))
        except ValueError:
            parts = ()
    if len(parts) == 2:
        parts = (parts[0], 0.0, parts[1])
    if (
        len(parts) != 3
        or any(not 0 <= p <= 1 for p in parts)
        or abs(sum(parts) - 1) > 1e-6
        or parts[0] == 0
        or parts[2] == 0
    ):
        raise InputError(
            f"--split {text}: give the train, validation and test fractions, "
            "summing to 1, e.g. 0.7,0.15,0.15 (train and test above 0)"
        )
    return parts


def split_rows(n, seed=0, val_fraction=SPLIT[1], test_fraction=SPLIT[2], classes=None):
    """Row indices (train, validation, test) of a seeded random split.

    ``classes`` (n,) class indices: each class is split in the same shares.
    """
    if n < 3:
        raise InputError(
            f"need at least 3 rows to split into train, validation and test, got {n}"
        )
    rng = np.random.default_rng(seed)
    if classes is None:
        order = rng.permutation(n)
        n_test = max(1, round(n * test_fraction))
        n_val = max(1, round(n * val_fraction)) if val_fraction > 0 else 0
        return order[n_test + n_val :], order[n_test : n_test + n_val], order[:n_test]
    parts = [[], [], []]
    for c in np.unique(classes):
        rows = rng.permutation(np.flatnonzero(classes == c))
        n_test = round(len(rows) * test_fraction)
        n_val = round(len(rows) * val_fraction)
        parts[2].append(rows[:n_test])
        parts[1].append(rows[n_test : n_test + n_val])
        parts[0].append(rows[n_test + n_val :])
    train, val, test = (np.concatenate(p) for p in parts)
    # a tiny table may leave a part empty: give it one training row
    if not len(test):
        train, test = train[1:], train[:1]
    if val_fraction > 0 and not len(val):
        train, val = train[1:], train[:1]
    return rng.permutation(train), rng.permutation(val), rng.permutation(test)
