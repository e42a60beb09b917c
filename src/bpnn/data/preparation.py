"""How the columns of a table become a network's features and targets.

A ``Preparation`` is learnt from the training rows only and saved as plain JSON
inside the model file, so ``bpnn predict`` prepares new rows exactly as training
did and turns the network's outputs back into real units:

- a numeric column is standardised, (x - mean) / std, with the training rows'
  mean and std (a constant column keeps std 1); '12%' and '$1,065' are numbers;
- a categorical column becomes one 0/1 column per category seen in training
  ("one-hot"), named ``column_category``; an unseen category is an error, or
  with ``unknown="ignore"`` a row of zeros;
- a date column becomes its calendar parts (year, month, day of week, hour),
  each standardised; IDs, constants and dropped columns give no feature;
- a missing value is an error, or with ``impute`` the training rows' mean,
  median or most frequent value;
- a regression target is standardised the same way; a classification target
  becomes class indices 0..k-1 in the order of ``classes``.

pandas is needed only to read the table; the arithmetic is NumPy.
"""

from __future__ import annotations

import numpy as np

from ..errors import InputError
from . import kinds
from .columns import (
    categorical_column,
    check_complete,
    class_order,
    labels,
    numeric_column,
    one_hot,
)
from .values import DATE_PARTS, numbers_or_error, parse_dates

TASKS = ("regression", "binary", "multiclass")
IMPUTE = ("mean", "median", "most_frequent")
UNKNOWN = ("error", "ignore")
#: kinds of column that give no feature
SKIPPED = ("id", "constant", "dropped", "empty")


def infer_task(y) -> str:
    """'regression', 'binary' or 'multiclass' for a target column."""
    return kinds.infer_task(y)[0]


class Preparation:
    """Column by column encoding and scaling, learnt from the training rows.

    ``columns`` is a list of ``{"name", "kind", ...}``: numeric (mean, std),
    categorical (categories), date (format, parts with their mean and std),
    or id / constant / dropped (no feature); an optional ``fill`` is the value
    a missing cell takes. Features come out in that order.
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
        unknown="error",
        impute=None,
    ):
        if task not in TASKS:
            raise InputError(f"unknown task {task!r}; choose one of {', '.join(TASKS)}")
        self.target, self.task, self.columns = target, task, list(columns)
        self.classes = None if classes is None else [str(c) for c in classes]
        self.target_mean, self.target_std = float(target_mean), float(target_std)
        self.source, self.unknown, self.impute = source, unknown, impute
        #: rows of the last ``features`` call with an unseen category, per column
        self.unseen = {}

    # -- learning the preparation --------------------------------------------
    @classmethod
    def fit(
        cls,
        frame,
        target,
        task=None,
        categorical=(),
        vocabulary=None,
        source="",
        plans=None,
        impute=None,
        unknown="error",
    ):
        """Each column's kind (``plans``, default ``kinds.decide``) and
        statistics, learnt from ``frame``, the training rows.

        ``task`` is "regression", "classification" or None (inferred).
        Categories and classes are read from ``vocabulary`` (default ``frame``):
        the whole table, so a category that happens to fall only in the test
        rows still has its column. Means, stds and fills come from ``frame``.
        """
        vocabulary = frame if vocabulary is None else vocabulary
        if impute not in (None, *IMPUTE):
            raise InputError(f"--impute {impute}: choose one of {', '.join(IMPUTE)}")
        if unknown not in UNKNOWN:
            raise InputError(f"--unknown {unknown}: choose error or ignore")
        if plans is None:
            plans = kinds.decide(vocabulary, target, categorical)
        fmt = frame.attrs.get("csv_format")
        columns = [
            dict(p)
            if p["kind"] in SKIPPED
            else _learn(p, frame[p["name"]], vocabulary[p["name"]], impute, fmt)
            for p in plans
        ]
        given = {"classification": "classification"}.get(task, task)
        task, _ = kinds.infer_task(vocabulary[target], given)
        options = {"source": source, "unknown": unknown, "impute": impute}
        if task == "regression":
            if vocabulary[target].dtype.kind not in "iuf":
                raise InputError(
                    f"{source}target column {target!r} is not numeric, so it cannot "
                    "be a regression target: use --task classification"
                )
            stats = numeric_column(target, frame[target])
            return cls(
                target, task, columns, None, stats["mean"], stats["std"], **options
            )
        kinds.check_classes(vocabulary[target], source)
        classes = sorted(set(labels(vocabulary[target].dropna())), key=class_order)
        if len(classes) < 2:
            raise InputError(f"{source}target column {target!r} has a single class")
        task = "binary" if len(classes) == 2 else "multiclass"
        return cls(target, task, columns, classes, **options)

    # -- applying it -----------------------------------------------------------
    @property
    def feature_names(self) -> list:
        names = []
        for c in self.columns:
            names.extend(features_of(c))
        return names

    def features(self, frame, rows=None, fmt=None) -> np.ndarray:
        """The feature matrix (n, n_features) of ``frame``'s rows (or of its
        rows at positions ``rows``, in that order), float64."""
        needed = [c["name"] for c in self.columns if c["kind"] not in SKIPPED]
        missing = [name for name in needed if name not in frame.columns]
        if missing:
            raise InputError(
                f"{self.source}missing column(s) {', '.join(map(repr, missing))}; "
                f"the model needs {', '.join(needed)}"
            )
        fmt = fmt or frame.attrs.get("csv_format")
        n = len(frame) if rows is None else len(rows)
        X = np.empty((n, len(self.feature_names)))
        j, self.unseen = 0, {}
        for c in self.columns:
            width = len(features_of(c))
            if not width:
                continue
            col = frame[c["name"]] if rows is None else frame[c["name"]].iloc[rows]
            col = self._complete(col, c)
            out = X[:, j : j + width]
            if c["kind"] == "numeric":
                values = numbers_or_error(col, c["name"], self.source, fmt)
                out[:, 0] = (values - c["mean"]) / c["std"]
            elif c["kind"] == "date":
                _date_features(col, c, out, self.source)
            else:
                _, unseen = one_hot(
                    category_labels(col, c),
                    c["categories"],
                    c["name"],
                    self.source,
                    self.unknown,
                    out,
                )
                if unseen:
                    self.unseen[c["name"]] = unseen
            j += width
        return X

    def _complete(self, col, c):
        if c.get("fill") is not None and col.isna().any():
            return col.fillna(c["fill"])
        check_complete(col, self.source)
        return col

    def targets(self, frame, rows=None) -> np.ndarray:
        """The training targets of ``frame``: standardised values (n,) for a
        regression, class indices (n,) for a classification."""
        if self.target not in frame.columns:
            raise InputError(f"{self.source}no target column {self.target!r}")
        col = frame[self.target] if rows is None else frame[self.target].iloc[rows]
        check_complete(col, self.source)
        if self.task == "regression":
            values = numbers_or_error(col, self.target, self.source)
            return (values - self.target_mean) / self.target_std
        import pandas as pd

        names = labels(col)
        codes = pd.Index(self.classes, dtype=object).get_indexer(names)
        if (codes < 0).any():
            unknown = sorted(set(names[codes < 0]))
            raise InputError(
                f"{self.source}target {self.target!r} has class(es) {unknown} "
                f"unseen in training ({', '.join(self.classes)})"
            )
        return codes.astype(np.int64)

    def to_units(self, y_hat) -> np.ndarray:
        """A regression's outputs (n, 1) back in the target's real units (n,)."""
        return np.asarray(y_hat)[:, 0] * self.target_std + self.target_mean

    def class_probabilities(self, y_hat) -> np.ndarray:
        """Per-class probabilities (n, k) from a classifier's outputs."""
        y_hat = np.asarray(y_hat)
        if y_hat.shape[1] == 1:  # one sigmoid output: p of the second class
            return np.hstack([1 - y_hat, y_hat])
        return y_hat

    def text_columns(self) -> list:
        """Columns to read as text from a new file: categories and dates."""
        return [c["name"] for c in self.columns if c["kind"] in ("categorical", "date")]

    # -- JSON ------------------------------------------------------------------
    def to_dict(self) -> dict:
        return {
            "target": self.target,
            "task": self.task,
            "columns": self.columns,
            "classes": self.classes,
            "target_mean": self.target_mean,
            "target_std": self.target_std,
            "unknown": self.unknown,
            "impute": self.impute,
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
            d.get("unknown", "error"),
            d.get("impute"),
        )


def features_of(c) -> list:
    """The feature names a column gives."""
    if c["kind"] == "numeric":
        return [c["name"]]
    if c["kind"] == "categorical":
        return [f"{c['name']}_{v}" for v in c["categories"]]
    if c["kind"] == "date":
        return [f"{c['name']}_{p['part']}" for p in c["parts"]]
    return []


def category_labels(col, c):
    """Category names of a column; text read from a new file that spells a
    number ('3.0') is named as training named that number ('3')."""
    names = labels(col)
    if c.get("from_numbers") and col.dtype.kind not in "iuf":
        from .columns import label
        from .values import parse_numbers

        values, bad = parse_numbers(col)
        ok = np.flatnonzero(~bad & ~np.isnan(values))
        names[ok] = [label(v) for v in values[ok]]
    return names


def _date_features(col, c, out, source):
    dates = parse_dates(col, c.get("format"))
    bad = dates.isna().to_numpy() & col.notna().to_numpy()
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise InputError(
            f"{source}column {c['name']!r} holds {col.iloc[row]!r} (row {row + 1}), "
            f"not a date like those in training ({c.get('format') or 'mixed'})"
        )
    for k, p in enumerate(c["parts"]):
        values = DATE_PARTS[p["part"]](dates).to_numpy(float)
        out[:, k] = (values - p["mean"]) / p["std"]


def _learn(plan, col, everything, impute, fmt):
    """A column's plan with what the training rows tell: statistics, fill."""
    kind, c = plan["kind"], dict(plan)
    if kind in SKIPPED:
        return c
    filled = col.dropna()
    if kind == "numeric":
        values = numbers_or_error(filled, c["name"], "", fmt)
        stats = numeric_column(c["name"], _series(values))
        c.update(mean=stats["mean"], std=stats["std"])
        if impute:
            c["fill"] = _fill(values, impute)
    elif kind == "categorical":
        c["categories"] = categorical_column(c["name"], everything)["categories"]
        c["from_numbers"] = everything.dtype.kind in "iuf"
        if impute:
            names, counts = np.unique(labels(filled), return_counts=True)
            c["fill"] = str(names[counts.argmax()])
    else:  # a date
        dates = parse_dates(filled, c.get("format"))
        for p in c["parts"]:
            stats = numeric_column(p["part"], DATE_PARTS[p["part"]](dates))
            p.update(mean=stats["mean"], std=stats["std"])
        if impute:
            c["fill"] = str(filled.mode().iloc[0])
    return c


def _fill(values, how):
    if how == "mean":
        return float(np.mean(values))
    if how == "median":
        return float(np.median(values))
    uniques, counts = np.unique(values, return_counts=True)
    return float(uniques[counts.argmax()])


def _series(values):
    import pandas as pd

    return pd.Series(values)
