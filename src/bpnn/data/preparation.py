"""How the columns of a table become a network's features and targets.

A ``Preparation`` is learnt from the training rows only and saved as plain JSON
inside the model file, so ``bpnn predict`` prepares new rows exactly as training
did and turns the network's outputs back into real units:

- a numeric column is standardised, (x - mean) / std, with the training rows'
  mean and std (a constant column keeps std 1);
- a categorical column becomes one 0/1 column per category seen in training
  ("one-hot"), named ``column_category``;
- a regression target is standardised the same way; a classification target
  becomes class indices 0..k-1 in the order of ``classes``.

pandas is needed only to read the table; the arithmetic is NumPy.
"""

from __future__ import annotations

import numpy as np

from ..errors import InputError
from .columns import (
    categorical_column,
    check_complete,
    class_order,
    infer_task,
    is_number,
    is_numeric,
    labels,
    numeric_column,
    one_hot,
)

TASKS = ("regression", "binary", "multiclass")


class Preparation:
    """Column by column encoding and scaling, learnt from the training rows.

    ``columns`` is a list of ``{"name", "kind": "numeric", "mean", "std"}`` or
    ``{"name", "kind": "categorical", "categories": [...]}``; the features come
    out in that order, a categorical column expanding in place.
    """

    def __init__(
        self,
        target,
        task,
        columns,
        classes=None,
        target_mean=0.0,
        target_std=1.0,
        source="",
    ):
        if task not in TASKS:
            raise InputError(f"unknown task {task!r}; choose one of {', '.join(TASKS)}")
        self.target, self.task, self.columns = target, task, list(columns)
        self.classes = None if classes is None else [str(c) for c in classes]
        self.target_mean, self.target_std = float(target_mean), float(target_std)
        self.source = source

    # -- learning the preparation --------------------------------------------
    @classmethod
    def fit(cls, frame, target, task=None, categorical=(), vocabulary=None, source=""):
        """Infer each column's kind and statistics from ``frame``, the training
        rows. Non-numeric columns and those in ``categorical`` are one-hot.

        ``task`` is "regression", "classification" or None (inferred).
        Categories and classes are read from ``vocabulary`` (default ``frame``):
        the whole table, so a category that happens to fall only in the test
        rows still has its column. Means and stds come from ``frame`` alone.
        """
        vocabulary = frame if vocabulary is None else vocabulary
        y = frame[target]
        task = task or infer_task(y)
        columns = []
        for name in frame.columns:
            if name == target:
                continue
            col = frame[name]
            if name in categorical or not is_numeric(col):
                columns.append(categorical_column(name, vocabulary[name]))
            else:
                columns.append(numeric_column(name, col))
        if task == "regression":
            if not is_numeric(y):
                raise InputError(
                    f"{source}target column {target!r} is not numeric, so it cannot "
                    "be a regression target: use --task classification"
                )
            stats = numeric_column(target, y)
            return cls(target, task, columns, None, stats["mean"], stats["std"], source)
        classes = sorted(set(labels(vocabulary[target])), key=class_order)
        if len(classes) < 2:
            raise InputError(f"{source}target column {target!r} has a single class")
        rows = len(vocabulary[target])
        if len(classes) > 20 and len(classes) > rows / 2:
            # more classes than two records each: nothing to learn per class
            raise InputError(
                f"{source}target column {target!r} has {len(classes)} distinct "
                f"values among {rows} rows, too many to learn as classes: use "
                "--task regression"
            )
        task = "binary" if len(classes) == 2 else "multiclass"
        return cls(target, task, columns, classes, source=source)

    # -- applying it -----------------------------------------------------------
    @property
    def feature_names(self) -> list:
        names = []
        for c in self.columns:
            if c["kind"] == "numeric":
                names.append(c["name"])
            else:
                names.extend(f"{c['name']}_{v}" for v in c["categories"])
        return names

    def features(self, frame) -> np.ndarray:
        """The feature matrix (n, n_features) of ``frame``'s rows, float64."""
        missing = [c["name"] for c in self.columns if c["name"] not in frame.columns]
        if missing:
            raise InputError(
                f"{self.source}missing column(s) {', '.join(map(repr, missing))}; "
                f"the model needs {', '.join(c['name'] for c in self.columns)}"
            )
        parts = []
        for c in self.columns:
            col = frame[c["name"]]
            check_complete(col, self.source)
            if c["kind"] == "numeric":
                if not is_numeric(col):
                    bad = col[~col.map(is_number)].iloc[0]
                    raise InputError(
                        f"{self.source}column {c['name']!r} must be numeric, "
                        f"found {bad!r}"
                    )
                parts.append(((col.to_numpy(float) - c["mean"]) / c["std"])[:, None])
            else:
                parts.append(
                    one_hot(labels(col), c["categories"], c["name"], self.source)
                )
        return np.hstack(parts) if parts else np.empty((len(frame), 0))

    def targets(self, frame) -> np.ndarray:
        """The training targets of ``frame``: standardised values (n,) for a
        regression, class indices (n,) for a classification."""
        if self.target not in frame.columns:
            raise InputError(f"{self.source}no target column {self.target!r}")
        col = frame[self.target]
        check_complete(col, self.source)
        if self.task == "regression":
            return (col.to_numpy(float) - self.target_mean) / self.target_std
        index = {c: i for i, c in enumerate(self.classes)}
        names = labels(col)
        unknown = sorted(set(names) - set(index))
        if unknown:
            raise InputError(
                f"{self.source}target {self.target!r} has class(es) {unknown} "
                f"unseen in training ({', '.join(self.classes)})"
            )
        return np.array([index[v] for v in names], dtype=np.int64)

    def to_units(self, y_hat) -> np.ndarray:
        """A regression's outputs (n, 1) back in the target's real units (n,)."""
        return np.asarray(y_hat)[:, 0] * self.target_std + self.target_mean

    def class_probabilities(self, y_hat) -> np.ndarray:
        """Per-class probabilities (n, k) from a classifier's outputs."""
        y_hat = np.asarray(y_hat)
        if self.task == "binary":
            return np.hstack([1 - y_hat[:, :1], y_hat[:, :1]])
        return y_hat

    # -- JSON ------------------------------------------------------------------
    def to_dict(self) -> dict:
        return {
            "target": self.target,
            "task": self.task,
            "columns": self.columns,
            "classes": self.classes,
            "target_mean": self.target_mean,
            "target_std": self.target_std,
        }

    @classmethod
    def from_dict(cls, d, source=""):
        return cls(
            d["target"],
            d["task"],
            d["columns"],
            d.get("classes"),
            d.get("target_mean", 0.0),
            d.get("target_std", 1.0),
            source,
        )
