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

TASKS = ("regression", "binary", "multiclass")


def _label(value) -> str:
    """A category's name: 3 and 3.0 are both "3", text stays as it is."""
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return str(int(value))
    return str(value)


def _labels(series) -> np.ndarray:
    return np.array([_label(v) for v in series.to_numpy()], dtype=object)


def _is_numeric(series) -> bool:
    return series.dtype.kind in "iuf"


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
            raise ValueError(f"unknown task {task!r}; choose one of {', '.join(TASKS)}")
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
            if name in categorical or not _is_numeric(col):
                columns.append(categorical_column(name, vocabulary[name]))
            else:
                columns.append(numeric_column(name, col))
        if task == "regression":
            if not _is_numeric(y):
                raise ValueError(
                    f"{source}target column {target!r} is not numeric, so it cannot "
                    "be a regression target: use --task classification"
                )
            stats = numeric_column(target, y)
            return cls(target, task, columns, None, stats["mean"], stats["std"], source)
        classes = sorted(set(_labels(vocabulary[target])), key=_class_order)
        if len(classes) < 2:
            raise ValueError(f"{source}target column {target!r} has a single class")
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

    @property
    def n_outputs(self) -> int:
        return len(self.classes) if self.task == "multiclass" else 1

    def features(self, frame) -> np.ndarray:
        """The feature matrix (n, n_features) of ``frame``'s rows, float64."""
        missing = [c["name"] for c in self.columns if c["name"] not in frame.columns]
        if missing:
            raise ValueError(
                f"{self.source}missing column(s) {', '.join(map(repr, missing))}; "
                f"the model needs {', '.join(c['name'] for c in self.columns)}"
            )
        parts = []
        for c in self.columns:
            col = frame[c["name"]]
            _check_complete(col, self.source)
            if c["kind"] == "numeric":
                if not _is_numeric(col):
                    bad = col[~col.map(_is_number)].iloc[0]
                    raise ValueError(
                        f"{self.source}column {c['name']!r} must be numeric, "
                        f"found {bad!r}"
                    )
                parts.append(((col.to_numpy(float) - c["mean"]) / c["std"])[:, None])
            else:
                parts.append(
                    one_hot(_labels(col), c["categories"], c["name"], self.source)
                )
        return np.hstack(parts) if parts else np.empty((len(frame), 0))

    def targets(self, frame) -> np.ndarray:
        """The training targets of ``frame``: standardised values (n,) for a
        regression, class indices (n,) for a classification."""
        if self.target not in frame.columns:
            raise ValueError(f"{self.source}no target column {self.target!r}")
        col = frame[self.target]
        _check_complete(col, self.source)
        if self.task == "regression":
            return (col.to_numpy(float) - self.target_mean) / self.target_std
        index = {c: i for i, c in enumerate(self.classes)}
        labels = _labels(col)
        unknown = sorted(set(labels) - set(index))
        if unknown:
            raise ValueError(
                f"{self.source}target {self.target!r} has class(es) {unknown} "
                f"unseen in training ({', '.join(self.classes)})"
            )
        return np.array([index[v] for v in labels], dtype=np.int64)

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


def numeric_column(name, series) -> dict:
    """Standardisation of one numeric column: its mean and std (ddof=1)."""
    values = series.to_numpy(float)
    mean = float(np.mean(values))
    std = float(np.std(values, ddof=1)) if len(values) > 1 else 0.0
    return {
        "name": name,
        "kind": "numeric",
        "mean": mean,
        "std": std if std > 0 and np.isfinite(std) else 1.0,
    }


def categorical_column(name, series) -> dict:
    """One-hot encoding of one column: the sorted categories it holds."""
    return {
        "name": name,
        "kind": "categorical",
        "categories": sorted(set(_labels(series.dropna())), key=_class_order),
    }


def one_hot(labels, categories, name="", source="") -> np.ndarray:
    """0/1 matrix (n, len(categories)); an unknown category is an error."""
    index = {c: i for i, c in enumerate(categories)}
    unknown = sorted(set(labels) - set(index))
    if unknown:
        row = int(np.flatnonzero(labels == unknown[0])[0])
        raise ValueError(
            f"{source}column {name!r} has value {unknown[0]!r} (row {row + 1}) "
            f"unseen in training; known: {', '.join(categories)}"
        )
    out = np.zeros((len(labels), len(categories)))
    out[np.arange(len(labels)), [index[v] for v in labels]] = 1.0
    return out


def infer_task(y) -> str:
    """Text, booleans or exactly two distinct values: classification
    (binary or multi-class); any other numeric column: regression."""
    if not _is_numeric(y) or y.nunique(dropna=True) <= 2:
        return "binary" if y.nunique(dropna=True) <= 2 else "multiclass"
    return "regression"


def _class_order(label):
    """Numbers in numeric order, then text in alphabetical order."""
    try:
        return (0, float(label), "")
    except ValueError:
        return (1, 0.0, label)


def _is_number(value) -> bool:
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return True


def _check_complete(col, source):
    missing = col.isna().to_numpy()
    if missing.any():
        row = int(np.flatnonzero(missing)[0])
        raise ValueError(
            f"{source}column {col.name!r} has {int(missing.sum())} missing "
            f"value(s), the first in data row {row + 1}"
        )
