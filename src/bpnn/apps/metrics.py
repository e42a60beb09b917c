"""The numbers that judge a trained network, chosen by its task.

Regression: the MSE of each split on the standardised target (the course's
measure), and R², RMSE and MAE in the target's own units, beside what always
predicting the training set's mean would score. Classification: accuracy,
balanced accuracy, per-class precision, recall, F1 and support, their macro
and weighted averages, the confusion matrix, and for two classes the ROC AUC
and log-loss, beside always answering the training set's majority class. A
data set's own pass mark (``Dataset.pass_mark``) is checked when it has one.

metrics.json keeps these under stable keys: ``r2``, ``rmse``, ``mae`` and
``accuracy``, ``balanced_accuracy``, ``f1_macro``, ``roc_auc``, ``log_loss``
... are the test split's; ``train_mse``, ``validation_accuracy`` ... each
split's.
"""

from __future__ import annotations

import numpy as np

from .scores import classification_scores, regression_scores
from .words import say, word

#: scores kept for every split, besides the test split's full set
PER_SPLIT = {
    "regression": ("r2", "rmse", "mae"),
    "classification": ("accuracy", "balanced_accuracy", "f1_macro"),
}


def predicted_classes(y_hat) -> np.ndarray:
    """Class index per row: p > 0.5 for one sigmoid output, else the argmax."""
    y_hat = np.asarray(y_hat)
    if y_hat.shape[1] == 1:
        return (y_hat[:, 0] > 0.5).astype(np.int64)
    return y_hat.argmax(axis=1)


def evaluate(network, dataset) -> dict:
    """Metrics of ``network`` on every split of ``dataset``."""
    predicted = {split: network.predict(X) for split, X, _ in dataset.splits()}
    return scored(dataset, predicted)


def scored(dataset, predicted) -> dict:
    """Metrics of the outputs ``predicted[split]`` (n, n_out) of a network on
    every split of ``dataset``; its X arrays are not read."""
    if dataset.task == "regression":
        metrics = _regression(predicted, dataset)
    else:
        metrics = _classification(predicted, dataset)
    mark = dataset.pass_mark
    if mark:
        metrics["pass_mark"] = {
            **{f"{k}_below": v for k, v in mark.items()},
            "met": all(metrics[k] < v for k, v in mark.items()),
        }
    return metrics


def _regression(predicted, dataset):
    prep, metrics = dataset.preparation, {}
    for split, _, y in dataset.splits():
        y_hat = predicted[split]
        metrics[f"{split}_mse"] = float(np.mean((y_hat[:, 0] - y) ** 2))
        scores = regression_scores(prep.to_units(y[:, None]), prep.to_units(y_hat))
        for key in PER_SPLIT["regression"]:
            metrics[f"{split}_{key}"] = scores[key]
        if split == "test":
            metrics.update(scores)
    metrics["test_rmse_units"], metrics["test_mae_units"] = (
        metrics["rmse"],
        metrics["mae"],
    )
    actual = prep.to_units(dataset.y_test[:, None])
    mean = float(np.mean(prep.to_units(dataset.y_train[:, None])))
    metrics["baseline"] = {
        "what": "always the training set's mean",
        **regression_scores(actual, np.full(len(actual), mean)),
    }
    return metrics


def _classification(predicted, dataset):
    prep, metrics = dataset.preparation, {}
    majority = int(np.bincount(dataset.y_train.astype(np.int64)).argmax())
    metrics["majority_class"] = prep.classes[majority]
    metrics["classes"] = list(prep.classes)
    for split, _, y in dataset.splits():
        labels = y.astype(np.int64)
        probabilities = prep.class_probabilities(predicted[split])
        scores = classification_scores(labels, probabilities, prep.classes)
        for key in PER_SPLIT["classification"]:
            metrics[f"{split}_{key}"] = scores[key]
        metrics[f"{split}_majority_accuracy"] = float(np.mean(labels == majority))
        if split == "test":
            metrics.update(scores)
    metrics["baseline"] = {
        "what": "always the training set's majority class",
        "class": prep.classes[majority],
        "accuracy": metrics["test_majority_accuracy"],
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


def summary_lines(dataset, metrics, lang="en") -> list:
    """Human-readable lines: the metrics and the verdict, in ``lang``."""
    if dataset.task == "regression":
        return _regression_lines(dataset, metrics, lang)
    lines = [
        say(
            lang,
            "accuracy",
            split=word(lang, split),
            acc=metrics[f"{split}_accuracy"],
            bal=metrics[f"{split}_balanced_accuracy"],
            majority=metrics["majority_class"],
            base=metrics[f"{split}_majority_accuracy"],
        )
        for split, _, _ in dataset.splits()
    ]
    test = say(lang, "f1", macro=metrics["f1_macro"], weighted=metrics["f1_weighted"])
    if metrics.get("roc_auc") is not None:
        test += say(lang, "roc_auc", value=metrics["roc_auc"])
    if "log_loss" in metrics:
        test += say(lang, "log_loss", value=metrics["log_loss"])
    lines.append(test)
    per_class = metrics["per_class"]
    if len(per_class) <= 12:
        head = word(lang, "class")
        width = max(len(c) for c in [*per_class, head]) + 2
        lines.append(f"  {head:<{width}}{word(lang, 'per_class')}")
        for name, s in per_class.items():
            lines.append(
                f"  {name:<{width}}{s['precision']:9.3f} {s['recall']:7.3f} "
                f"{s['f1']:7.3f} {s['support']:8d}"
            )
    return lines


def _regression_lines(dataset, metrics, lang):
    splits = [split for split, _, _ in dataset.splits()]
    mses = ", ".join(f"{word(lang, s)} {metrics[f'{s}_mse']:.4f}" for s in splits)
    base = metrics["baseline"]
    lines = [
        say(lang, "mse", target=dataset.target, values=mses),
        say(
            lang,
            "units",
            target=dataset.target,
            r2=metrics["r2"],
            rmse=metrics["rmse"],
            mae=metrics["mae"],
            base_r2=base["r2"],
            base_rmse=base["rmse"],
            base_mae=base["mae"],
        ),
    ]
    mark = metrics.get("pass_mark")
    if mark:
        bars = ", ".join(
            f"{word(lang, k[: -len('_below')])} < {v}"
            for k, v in mark.items()
            if k != "met"
        )
        verdict = word(lang, "met" if mark["met"] else "not_met")
        lines.append(say(lang, "pass_mark", bars=bars, verdict=verdict))
    return lines
