"""The usual scores of a regression and a classification, in NumPy.

Each follows the textbook definition (and scikit-learn's conventions, which
the tests check against ``sklearn.metrics``): a precision with no predicted
row is 0, balanced accuracy averages the recall of the classes present, the
ROC AUC is the chance that a positive row scores above a negative one (ties
count half), the log-loss clips probabilities to [eps, 1 - eps].
"""

from __future__ import annotations

import numpy as np


def regression_scores(y, y_hat) -> dict:
    """R², RMSE and MAE of predictions ``y_hat`` (n,) for targets ``y`` (n,),
    in the units they are given in."""
    y, y_hat = np.asarray(y, float), np.asarray(y_hat, float)
    error = y_hat - y
    total = np.sum((y - y.mean()) ** 2)
    residual = np.sum(error**2)
    if total > 0:
        r2 = 1.0 - residual / total
    else:  # a constant target: perfect or not at all
        r2 = 1.0 if residual == 0 else 0.0
    return {
        "r2": float(r2),
        "rmse": float(np.sqrt(np.mean(error**2))),
        "mae": float(np.mean(np.abs(error))),
    }


def confusion_matrix(y, predicted, k) -> np.ndarray:
    """(k, k) counts: row = actual class, column = predicted class."""
    counts = np.zeros((k, k), dtype=np.int64)
    np.add.at(counts, (np.asarray(y, np.int64), np.asarray(predicted, np.int64)), 1)
    return counts


def classification_scores(y, probabilities, classes) -> dict:
    """Accuracy, balanced accuracy, per-class precision, recall, F1 and
    support, their macro and weighted averages, the confusion matrix; ROC AUC
    and log-loss for two classes. ``probabilities`` (n, k), ``y`` (n,) indices."""
    y = np.asarray(y, np.int64)
    p = np.asarray(probabilities, float)
    k = len(classes)
    predicted = p.argmax(axis=1)
    counts = confusion_matrix(y, predicted, k)
    support = counts.sum(axis=1)
    hits = np.diag(counts).astype(float)
    precision = _ratio(hits, counts.sum(axis=0))
    recall = _ratio(hits, support)
    f1 = _ratio(2 * precision * recall, precision + recall)
    present = support > 0
    weights = support / max(1, support.sum())
    out = {
        "accuracy": float(hits.sum() / max(1, len(y))),
        "balanced_accuracy": float(recall[present].mean()) if present.any() else 0.0,
        "precision_macro": float(precision.mean()),
        "recall_macro": float(recall.mean()),
        "f1_macro": float(f1.mean()),
        "precision_weighted": float(precision @ weights),
        "recall_weighted": float(recall @ weights),
        "f1_weighted": float(f1 @ weights),
        "per_class": {
            str(c): {
                "precision": float(precision[i]),
                "recall": float(recall[i]),
                "f1": float(f1[i]),
                "support": int(support[i]),
            }
            for i, c in enumerate(classes)
        },
        "confusion_matrix": counts.tolist(),
    }
    if k == 2:
        out["roc_auc"] = roc_auc(y, p[:, 1])
        out["log_loss"] = log_loss(y, p)
    return out


def _ratio(num, den):
    num, den = np.asarray(num, float), np.asarray(den, float)
    return np.divide(num, den, out=np.zeros_like(num), where=den > 0)


def roc_auc(y, score) -> float | None:
    """Area under the ROC curve of ``score`` for the positive class 1; None
    when only one class is present."""
    y, score = np.asarray(y), np.asarray(score, float)
    n_pos = int(np.sum(y == 1))
    n_neg = len(y) - n_pos
    if n_pos == 0 or n_neg == 0:
        return None
    ranks = _average_ranks(score)
    return float((ranks[y == 1].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def _average_ranks(values):
    """Ranks 1..n, tied values sharing the mean of their ranks."""
    order = np.argsort(values, kind="mergesort")
    sorted_values = values[order]
    starts = np.flatnonzero(np.r_[True, sorted_values[1:] != sorted_values[:-1]])
    ends = np.r_[starts[1:], len(values)]
    mean_rank = (starts + ends + 1) / 2.0  # ranks start+1 .. end, averaged
    ranks = np.empty(len(values))
    ranks[order] = np.repeat(mean_rank, ends - starts)
    return ranks


def log_loss(y, probabilities) -> float:
    """Mean −log p(true class), with p clipped to [eps, 1 − eps] and each
    row renormalised."""
    p = np.asarray(probabilities, float)
    eps = np.finfo(float).eps
    p = np.clip(p, eps, 1 - eps)
    p = p / p.sum(axis=1, keepdims=True)
    return float(-np.mean(np.log(p[np.arange(len(y)), np.asarray(y, np.int64)])))
