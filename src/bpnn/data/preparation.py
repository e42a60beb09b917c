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

from ..engine.resources import check_memory
from ..errors import InputError
from ..fast.parallel import rowwise
from . import encode, kinds
from .columns import check_complete, class_order, labels, numeric_column
from .encode import SKIPPED, features_of  # noqa: F401  (public names here too)
from .values import numbers_or_error

TASKS = ("regression", "binary", "multiclass")
IMPUTE = ("mean", "median", "most_frequent")
UNKNOWN = ("error", "ignore")
#: rows of the feature matrix written at a time (a few MB)
BLOCK_ROWS = 65536


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
        rows=None,
    ):
        """Each column's kind (``plans``, default ``kinds.decide``) and
        statistics, learnt from ``frame``, the training rows.

        ``task`` is "regression", "classification" or None (inferred).
        Categories and classes are read from ``vocabulary`` (default ``frame``):
        the whole table, so a category that happens to fall only in the test
        rows still has its column. Means, stds and fills come from ``frame``
        (or its rows at positions ``rows``).
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
            else encode.learn(
                p, frame[p["name"]], vocabulary[p["name"]], impute, fmt, rows
            )
            for p in plans
        ]
        task, _ = kinds.infer_task(vocabulary[target], task)
        options = {"source": source, "unknown": unknown, "impute": impute}
        if task == "regression":
            if vocabulary[target].dtype.kind not in "iuf":
                raise InputError(
                    f"{source}target column {target!r} is not numeric, so it cannot "
                    "be a regression target: use --task classification"
                )
            y = frame[target].to_numpy(float)
            stats = numeric_column(
                target, encode._series(y if rows is None else y[rows])
            )
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
            names.extend(encode.features_of(c))
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
        widths = {c["name"]: len(encode.features_of(c)) for c in self.columns}
        widest = max(widths, key=widths.get) if widths else ""
        n_features = sum(widths.values())
        check_memory(
            f"{self.source}the features ({n} rows x {n_features} "
            f"columns; column {widest!r} alone gives {widths.get(widest, 0)}, one "
            "per category: --drop it if it is an identifier)",
            (n, n_features),
            16,
        )
        X = np.empty((n, n_features))
        writers, j, self.unseen = [], 0, {}
        for c in self.columns:
            width = widths[c["name"]]
            if not width:
                continue
            col = self._complete(frame[c["name"]], c)
            write, unseen = encode.writer(col, c, self.source, fmt, self.unknown, rows)
            if unseen:
                self.unseen[c["name"]] = unseen
            writers.append((write, j, j + width))
            j += width
        # each core writes its own rows, a block at a time (X is row-major)
        positions = np.arange(n) if rows is None else np.asarray(rows)

        def fill(X_part, positions_part):
            for start in range(0, len(positions_part), BLOCK_ROWS):
                r = positions_part[start : start + BLOCK_ROWS]
                block = X_part[start : start + BLOCK_ROWS]
                for write, a, b in writers:
                    write(block[:, a:b], r)

        if n:
            rowwise(fill, X, positions)
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
        col = frame[self.target]
        check_complete(col, self.source)
        if self.task == "regression":
            values = numbers_or_error(col, self.target, self.source)
            values = values if rows is None else values[rows]
            return (values - self.target_mean) / self.target_std
        index, names, codes = encode.category_codes(col, {"categories": self.classes})
        codes = index[codes if rows is None else codes[rows]]
        if (codes < 0).any():
            unknown = sorted(set(names[index < 0]))
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
