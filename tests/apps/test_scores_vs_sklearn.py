"""bpnn's NumPy scores give scikit-learn's numbers."""

import numpy as np
import pytest

metrics = pytest.importorskip("sklearn.metrics")

from bpnn.apps.scores import (
    classification_scores,
    log_loss,
    regression_scores,
    roc_auc,
)


@pytest.mark.parametrize("seed", range(5))
def test_regression_scores(seed):
    rng = np.random.default_rng(seed)
    y = rng.normal(100, 30, 50)
    y_hat = y + rng.normal(0, 10 * (seed + 1), 50)
    ours = regression_scores(y, y_hat)
    assert ours["r2"] == pytest.approx(metrics.r2_score(y, y_hat))
    assert ours["rmse"] == pytest.approx(np.sqrt(metrics.mean_squared_error(y, y_hat)))
    assert ours["mae"] == pytest.approx(metrics.mean_absolute_error(y, y_hat))


@pytest.mark.parametrize("k,seed", [(2, 0), (2, 1), (3, 2), (5, 3), (4, 4)])
def test_classification_scores(k, seed):
    rng = np.random.default_rng(seed)
    n = 80
    y = rng.integers(0, k, n)
    logits = rng.normal(size=(n, k)) + 1.5 * np.eye(k)[y] * rng.random((n, 1))
    p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    if seed == 4:  # a class never predicted: its precision is 0
        p[:, 3] = 0
        p /= p.sum(axis=1, keepdims=True)
    classes = [f"c{i}" for i in range(k)]
    ours = classification_scores(y, p, classes)
    pred = p.argmax(axis=1)
    labels = list(range(k))
    kw = {"labels": labels, "zero_division": 0}
    assert ours["accuracy"] == pytest.approx(metrics.accuracy_score(y, pred))
    assert ours["balanced_accuracy"] == pytest.approx(
        metrics.balanced_accuracy_score(y, pred)
    )
    for avg in ("macro", "weighted"):
        assert ours[f"precision_{avg}"] == pytest.approx(
            metrics.precision_score(y, pred, average=avg, **kw)
        )
        assert ours[f"recall_{avg}"] == pytest.approx(
            metrics.recall_score(y, pred, average=avg, **kw)
        )
        assert ours[f"f1_{avg}"] == pytest.approx(
            metrics.f1_score(y, pred, average=avg, **kw)
        )
    p_, r_, f_, s_ = metrics.precision_recall_fscore_support(y, pred, **kw)
    for i, c in enumerate(classes):
        got = ours["per_class"][c]
        assert (got["precision"], got["recall"], got["f1"], got["support"]) == (
            pytest.approx(p_[i]),
            pytest.approx(r_[i]),
            pytest.approx(f_[i]),
            s_[i],
        )
    assert ours["confusion_matrix"] == metrics.confusion_matrix(y, pred).tolist()
    if k == 2:
        assert ours["roc_auc"] == pytest.approx(metrics.roc_auc_score(y, p[:, 1]))
        assert ours["log_loss"] == pytest.approx(metrics.log_loss(y, p))
    else:
        assert "roc_auc" not in ours


def test_roc_auc_with_ties_and_one_class():
    y = np.array([0, 0, 1, 1, 0, 1, 1, 0])
    score = np.array([0.1, 0.5, 0.5, 0.9, 0.5, 0.2, 0.9, 0.1])
    assert roc_auc(y, score) == pytest.approx(metrics.roc_auc_score(y, score))
    assert roc_auc(np.ones(4, int), score[:4]) is None


def test_log_loss_clips_certain_mistakes():
    y = np.array([0, 1])
    p = np.array([[0.0, 1.0], [0.0, 1.0]])
    assert log_loss(y, p) == pytest.approx(metrics.log_loss(y, p))
