"""bpnn networks as scikit-learn estimators: ``BPNNRegressor``, ``BPNNClassifier``.

They take the parameters of a bpnn run (see ``BPNNEstimator``) and keep the
scikit-learn contract, so they go into a ``Pipeline``, ``cross_val_score`` or
``GridSearchCV`` like any other. After ``fit`` the learnt network is
``network_``, a plain ``bpnn.Network`` (``bpnn.trace(est.network_, ...)`` and
``est.network_.save(path)`` work), and ``history_`` is fit's ``bpnn.History``.

``sample_weight`` weights each record's loss (``bpnn.interop.weighting``): a
weight of 2 counts as the record twice. ``partial_fit`` trains one epoch on
the rows it is given (no early stopping) and keeps the network and optimizer
between calls; ``warm_start=True`` makes ``fit`` continue from them too.
``history_`` is the History of the latest call.
"""

from __future__ import annotations

import numpy as np
from sklearn.base import ClassifierMixin, RegressorMixin
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, column_or_1d, validate_data

from ..errors import InputError
from ._estimator import BPNNEstimator

__all__ = ["BPNNClassifier", "BPNNRegressor"]

FLOATS = (np.float64, np.float32)


class BPNNRegressor(RegressorMixin, BPNNEstimator):
    """An MLP regressor: identity output, ``loss`` "half_mse" by default (the
    lecture's). y may be (n,) or (n, k) for k outputs; predict answers in
    the same shape. The targets are used as given: standardise them (e.g.
    ``TransformedTargetRegressor``) when they are large."""

    def fit(self, X, y, sample_weight=None):
        """Train on X (n, n_features) and y; returns self."""
        return self._fit(X, y, sample_weight, keep=self.warm_start)

    def partial_fit(self, X, y, sample_weight=None):
        """One epoch on these rows, continuing the network trained so far."""
        return self._fit(X, y, sample_weight, keep=True, epochs=1)

    def _fit(self, X, y, sample_weight, keep, epochs=None):
        first = not (keep and hasattr(self, "network_"))
        X, y = validate_data(
            self, X, y, reset=first, dtype=FLOATS, multi_output=True, y_numeric=True
        )
        n_out = 1 if y.ndim == 1 else y.shape[1]
        if not first and n_out != self.network_.n_out:
            raise InputError(
                f"y has {n_out} output(s) but the network was trained with "
                f"{self.network_.n_out}"
            )
        self._y_1d = y.ndim == 1
        self._start(X.shape[1], n_out, "identity", self.loss or "half_mse", keep)
        return self._train(X, y, sample_weight, epochs=epochs)

    def predict(self, X):
        """Predictions (n,) for a 1-D y in fit, else (n, k)."""
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=FLOATS)
        out = self._outputs(X)
        return out[:, 0] if self._y_1d else out

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags


class BPNNClassifier(ClassifierMixin, BPNNEstimator):
    """An MLP classifier for two or more classes of any labels (``classes_``).

    Two classes: one sigmoid output node, the probability of ``classes_[1]``,
    with "bce" loss; more: a softmax output node per class with
    "cross_entropy". ``loss`` may name another (the lecture's admissions
    network is sigmoid with "half_mse").
    """

    def fit(self, X, y, sample_weight=None):
        """Train on X (n, n_features) and labels y (n,); returns self."""
        return self._fit(X, y, sample_weight, None, keep=self.warm_start)

    def partial_fit(self, X, y, classes=None, sample_weight=None):
        """One epoch on these rows; the first call must list all ``classes``."""
        return self._fit(X, y, sample_weight, classes, keep=True, epochs=1)

    def _fit(self, X, y, sample_weight, classes, keep, epochs=None):
        first = not (keep and hasattr(self, "network_"))
        X, y = validate_data(self, X, y, reset=first, dtype=FLOATS)
        y = column_or_1d(y, warn=True)
        check_classification_targets(y)
        if first:
            self.classes_ = self._classes(y, classes, epochs is not None)
        elif classes is not None and not np.array_equal(classes, self.classes_):
            raise InputError(
                f"classes {list(classes)} differ from those of the first call, "
                f"{list(self.classes_)}"
            )
        unknown = np.setdiff1d(y, self.classes_)
        if len(unknown):
            raise InputError(
                f"y holds label(s) {list(unknown)} not among classes_ "
                f"{list(self.classes_)}"
            )
        codes = np.searchsorted(self.classes_, y)
        self._check_two_classes(codes, sample_weight, epochs is not None)
        k = len(self.classes_)
        output, loss = ("sigmoid", "bce") if k == 2 else ("softmax", "cross_entropy")
        loss = self.loss or loss
        self._start(X.shape[1], 1 if k == 2 else k, output, loss, keep)
        targets = codes.astype(np.float64)
        if k > 2:
            targets = np.eye(k)[codes]
        stratify = codes if self.early_stopping else None
        return self._train(X, targets, sample_weight, stratify, epochs)

    @staticmethod
    def _classes(y, classes, partial):
        if partial and classes is None:
            raise InputError("the first call to partial_fit must give classes=")
        found = np.unique(y if classes is None else np.asarray(classes))
        if len(found) < 2:
            raise InputError(
                f"a classifier needs at least 2 classes, got 1 class: {found[0]!r}"
            )
        return found

    def _check_two_classes(self, codes, sample_weight, partial):
        """Training on one class (by its labels or by its weights) teaches no
        boundary: an error, except in partial_fit's batches."""
        if partial:
            return
        if sample_weight is not None:
            weight = np.asarray(sample_weight, dtype=float).reshape(-1)
            if weight.shape == codes.shape:
                codes = codes[weight > 0]
        if len(np.unique(codes)) < 2:
            raise InputError(
                "a classifier needs at least 2 classes with positive sample "
                f"weight, got 1 class: {self.classes_[codes[0]]!r}"
                if len(codes)
                else "sample_weight must contain at least one non-zero"
            )

    def decision_function(self, X):
        """The output layer's input h: (n,) for two classes (h > 0 means
        ``classes_[1]``), else (n, k), one column per class."""
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=FLOATS)
        h = self.network_._logits(self.network_.check_X(X))
        return h[:, 0] if len(self.classes_) == 2 else h

    def predict_proba(self, X):
        """Class probabilities (n, k), columns in the order of ``classes_``."""
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=FLOATS)
        p = self._outputs(X)
        return np.hstack([1 - p, p]) if len(self.classes_) == 2 else p

    def predict(self, X):
        """The most probable class of each row (n,)."""
        check_is_fitted(self)
        if len(self.classes_) == 2:
            return self.classes_[(self.decision_function(X) > 0).astype(int)]
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]
