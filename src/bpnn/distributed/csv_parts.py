"""What the workers do with CSV files: read and check one file, summarise it,
and encode its rows once the preparation is known.

One file is one partition. Each is read by ``bpnn.csv_input.read_csv``, so a
mistake is reported with the file and its own line numbers exactly as
``bpnn train csv`` reports it. Only small summaries travel to the client: the
rows, the kind of each column, the category names, and counts, means and sums
of squared deviations of the numeric columns over the training rows.
"""

from __future__ import annotations

import numpy as np

from ..data import csv_input
from ..data.columns import is_numeric, labels

#: a file's distinct target values sent to the client, at most; more means a
#: regression target (or one with too many classes to learn)
MAX_LABELS = 10_000


def read_part(path, target, categorical, drop, dropna):
    """(frame, rows dropped) of one file, checked as ``bpnn train csv`` checks
    a whole file; ``drop`` columns are gone."""
    frame = csv_input.read_csv(path)
    csv_input.check_columns(frame, path, [target], "target column")
    csv_input.check_columns(frame, path, [*categorical, *drop])
    frame = frame.drop(columns=list(drop))
    frame, dropped = csv_input.missing_values(frame, path, dropna)
    csv_input.check_numbers(frame, path, skip=[target, *categorical])
    return frame, dropped


def kind(series) -> str:
    """numeric, bool or text: files must agree on each column's kind."""
    if is_numeric(series):
        return "numeric"
    return "bool" if series.dtype.kind == "b" else "text"


def summarise(part, target, categorical):
    """What the client needs before the split: rows, columns and their kinds,
    the category names of the columns that will be one-hot, and the target's
    distinct labels (None past ``MAX_LABELS``)."""
    frame, dropped = part
    kinds = {str(name): kind(frame[name]) for name in frame.columns}
    categories = {
        name: set(labels(frame[name].dropna()))
        for name in frame.columns
        if name != target and (name in categorical or kinds[name] != "numeric")
    }
    distinct = frame[target].dropna().unique()
    target_labels = None
    if len(distinct) <= MAX_LABELS:
        target_labels = set(labels(frame[target].dropna().drop_duplicates()))
    return {
        "rows": len(frame),
        "dropped": dropped,
        "columns": [str(c) for c in frame.columns],
        "kinds": kinds,
        "categories": categories,
        "target_labels": target_labels,
        "target_values": set(distinct[:3].tolist()),
    }


def moments(values):
    """(count, mean, sum of squared deviations from the mean) of ``values``."""
    values = np.asarray(values, dtype=float)
    if len(values) == 0:
        return 0, 0.0, 0.0
    mean = float(np.mean(values))
    return len(values), mean, float(np.sum((values - mean) ** 2))


def train_stats(part, split, numeric, target):
    """Moments of each ``numeric`` column over this file's training rows
    (``split`` == 0), and up to 3 distinct target values among them."""
    frame = part[0].iloc[np.flatnonzero(split == 0)]
    stats = {name: moments(frame[name].to_numpy(float)) for name in numeric}
    distinct = frame[target].dropna().unique()
    return stats, set(distinct[:3].tolist())


def encode(part, split, which, preparation):
    """(X, y) of this file's rows of split ``which`` (0 train, 1 validation,
    2 test), in file order, prepared as ``bpnn train csv`` prepares them."""
    from ..data.preparation import Preparation

    prep = Preparation.from_dict(preparation)
    frame = part[0].iloc[np.flatnonzero(split == which)]
    y = prep.targets(frame)
    if prep.task == "binary":
        y = y.astype(float)
    return prep.features(frame), y
