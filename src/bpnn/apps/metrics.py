"""The numbers that judge a trained network, chosen by its task.

Regression: the MSE of each split on the standardised target (the course's
measure; for bike sharing its pass mark is training < 0.09 and validation
< 0.18) and the test error in real units. Classification: accuracy of each
split against the majority class's, the verdict a learner needs first.
"""

from __future__ import annotations

import numpy as np

#: the course's pass mark for the bike network (MSE on standardised cnt)
BIKE_PASS_MARK = {"train": 0.09, "validation": 0.18}


def predicted_classes(y_hat) -> np.ndarray:
    """Class index per row: p > 0.5 for one sigmoid output, else the argmax."""
    y_hat = np.asarray(y_hat)
    if y_hat.shape[1] == 1:
        return (y_hat[:, 0] > 0.5).astype(np.int64)
    return y_hat.argmax(axis=1)


def evaluate(network, dataset) -> dict:
    """Metrics of ``network`` on every split of ``dataset``."""
    metrics = {}
    task = dataset.task
    majority = None
    if task != "regression":
        majority = int(np.bincount(dataset.y_train.astype(np.int64)).argmax())
        metrics["majority_class"] = dataset.preparation.classes[majority]
    for split, X, y in dataset.splits():
        y_hat = network.predict(X)
        if task == "regression":
            metrics[f"{split}_mse"] = float(np.mean((y_hat[:, 0] - y) ** 2))
        else:
            labels = y.astype(np.int64)
            metrics[f"{split}_accuracy"] = float(
                np.mean(predicted_classes(y_hat) == labels)
            )
            metrics[f"{split}_majority_accuracy"] = float(np.mean(labels == majority))
    if task == "regression":
        prep = dataset.preparation
        error = prep.to_units(network.predict(dataset.X_test)) - prep.to_units(
            dataset.y_test[:, None]
        )
        metrics["test_rmse_units"] = float(np.sqrt(np.mean(error**2)))
        metrics["test_mae_units"] = float(np.mean(np.abs(error)))
    if dataset.name == "bike":
        metrics["pass_mark"] = {
            **{f"{k}_below": v for k, v in BIKE_PASS_MARK.items()},
            "met": metrics["train_mse"] < BIKE_PASS_MARK["train"]
            and metrics["validation_mse"] < BIKE_PASS_MARK["validation"],
        }
    return metrics


def no_better_than_majority(metrics) -> bool:
    """True when a classifier's training or test accuracy does not beat
    always answering the majority class."""
    return any(
        metrics[f"{split}_accuracy"] <= metrics[f"{split}_majority_accuracy"]
        for split in ("train", "test")
        if f"{split}_accuracy" in metrics
    )


def summary_lines(dataset, metrics) -> list:
    """Human-readable lines: the metrics and the verdict."""
    lines = []
    if dataset.task == "regression":
        mses = ", ".join(
            f"{split} {metrics[f'{split}_mse']:.4f}" for split, _, _ in dataset.splits()
        )
        lines.append(f"MSE on standardised {dataset.target}: {mses}")
        lines.append(
            f"test error in {dataset.target}: RMSE {metrics['test_rmse_units']:.4g}, "
            f"MAE {metrics['test_mae_units']:.4g}"
        )
        mark = metrics.get("pass_mark")
        if mark:
            verdict = "met" if mark["met"] else "NOT met"
            lines.append(
                f"course pass mark (train < {mark['train_below']}, validation < "
                f"{mark['validation_below']}): {verdict}"
            )
        return lines
    for split, _, _ in dataset.splits():
        lines.append(
            f"{split} accuracy {metrics[f'{split}_accuracy']:.3f} (majority class "
            f"{metrics['majority_class']!r}: {metrics[f'{split}_majority_accuracy']:.3f})"
        )
    return lines
