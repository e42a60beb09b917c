"""The ``Dataset`` every loader returns, and the lazy pandas import."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..preparation import Preparation

INSTALL_HINT = 'this needs pandas, matplotlib and tqdm: pip install "bpnn[apps]" (in a checkout: pip install -e ".[apps]")'


def require_pandas():
    """pandas, or a one-line error saying how to install it."""
    try:
        import pandas
    except ImportError:
        raise ImportError(INSTALL_HINT) from None
    return pandas


@dataclass
class Dataset:
    """Prepared splits: X (n, n_features) float64; y (n,) standardised values
    for a regression, class indices for a classification.

    ``X_val``/``y_val`` are None where the course keeps no validation set;
    ``test_dates`` (datetime64, one per test row) where the rows are a time
    series.
    """

    name: str
    preparation: Preparation
    X_train: np.ndarray
    y_train: np.ndarray
    X_val: np.ndarray | None
    y_val: np.ndarray | None
    X_test: np.ndarray
    y_test: np.ndarray
    test_dates: np.ndarray | None = None
    #: rows left out for missing values (``--dropna``)
    dropped_rows: int = 0
    #: lines said before training: the format read, each column's kind
    notes: list = field(default_factory=list)
    #: what was read and decided, for metrics.json
    info: dict = field(default_factory=dict)
    #: the bar a data set's own course sets, e.g. {"train_mse": 0.09, ...}
    pass_mark: dict | None = None
    #: advice for a verdict, e.g. {"no_better_than_majority": "try --preset best"}
    hints: dict = field(default_factory=dict)

    @property
    def feature_names(self) -> list:
        return self.preparation.feature_names

    @property
    def task(self) -> str:
        return self.preparation.task

    @property
    def target(self) -> str:
        return self.preparation.target

    def splits(self):
        """(name, X, y) for train, validation (if any) and test."""
        out = [("train", self.X_train, self.y_train)]
        if self.X_val is not None:
            out.append(("validation", self.X_val, self.y_val))
        out.append(("test", self.X_test, self.y_test))
        return out

    def __repr__(self):
        sizes = ", ".join(f"{name} {len(X)}" for name, X, _ in self.splits())
        return (
            f"Dataset({self.name!r}, {self.task}, {len(self.feature_names)} "
            f"features, target {self.target!r}: {sizes})"
        )
