"""The data preparation inside a model file, checked field by field against
the network it came with before a single row is predicted.

``bpnn train`` writes the preparation (``bpnn.data.preparation``) as JSON into
``model.npz``; an edited or foreign file can hold anything there. Each field
must have its type, its numbers must be finite, and the whole must fit the
network: as many features as the first layer takes, as many classes as the
output layer gives, and probabilities (sigmoid or softmax) for a classifier.
"""

from __future__ import annotations

import math

from ..errors import ModelFileError

TASKS = ("regression", "binary", "multiclass")
#: column kinds and the features each gives (a date: one per part; an id,
#: a constant, a dropped or an empty column: none)
KINDS = ("numeric", "categorical", "date", "id", "constant", "dropped", "empty")


def check_preparation(prep, network, path) -> dict:
    """``prep`` (the JSON of a model's preparation) if it is whole and fits
    ``network``; else a ModelFileError naming ``path`` and the field."""

    def fail(field, problem):
        raise ModelFileError(f"{path}: preparation field {field!r} {problem}")

    if not isinstance(prep, dict):
        raise ModelFileError(f"{path}: the preparation is not a JSON object")
    for name in ("target", "task", "columns"):
        if name not in prep:
            fail(name, "is missing")
    if not isinstance(prep["target"], str):
        fail("target", "must be a column name")
    task = prep["task"]
    if task not in TASKS:
        fail("task", f"is {task!r}, not one of {', '.join(TASKS)}")
    columns = prep["columns"]
    if not isinstance(columns, list) or not columns:
        fail("columns", "must be a non-empty list")
    features = 0
    for i, c in enumerate(columns):
        where = f"columns[{i}]"
        if not isinstance(c, dict) or not isinstance(c.get("name"), str):
            fail(where, "must be an object with a column name")
        kind = c.get("kind")
        if kind not in KINDS:
            fail(f"{where}.kind", f"is {kind!r}, not one of {', '.join(KINDS)}")
        if kind == "numeric":
            _number(fail, f"{where}.mean", c.get("mean"))
            _number(fail, f"{where}.std", c.get("std"), positive=True)
            features += 1
        elif kind == "categorical":
            categories = c.get("categories")
            if not isinstance(categories, list) or not categories:
                fail(f"{where}.categories", "must be a non-empty list")
            features += len(categories)
        elif kind == "date":
            parts = c.get("parts")
            if not isinstance(parts, list) or not all(
                isinstance(p, dict) for p in parts
            ):
                fail(f"{where}.parts", "must be a list of date parts")
            features += len(parts)
    if features != network.n_in:
        fail(
            "columns",
            f"gives {features} feature(s), but the network's first layer takes "
            f"{network.n_in}",
        )
    _number(fail, "target_mean", prep.get("target_mean", 0.0))
    _number(fail, "target_std", prep.get("target_std", 1.0), positive=True)
    _check_outputs(fail, task, prep.get("classes"), network)
    return prep


def _number(fail, field, value, positive=False):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        fail(field, f"must be a number, got {str(value)[:40]!r}")
    if not math.isfinite(value) or (positive and not value > 0):
        fail(field, f"must be a finite number{' > 0' if positive else ''}, got {value}")


def _check_outputs(fail, task, classes, network):
    n_out = network.n_out
    output = network.layers[-1].activation.name
    if task == "regression":
        if n_out != 1:
            fail("task", f"is regression, but the network has {n_out} outputs")
        return
    if not isinstance(classes, list) or len(classes) < 2:
        fail("classes", "must list at least two classes for a classification")
    if len({str(c) for c in classes}) != len(classes):
        fail("classes", "lists a class twice")
    if task == "binary" and len(classes) != 2:
        fail("classes", f"lists {len(classes)} classes for a binary task")
    wanted = (1, 2) if task == "binary" else (len(classes),)
    if n_out not in wanted:
        fail(
            "classes",
            f"lists {len(classes)} classes, but the output layer has {n_out} node(s)",
        )
    if output not in ("sigmoid", "softmax") or (n_out > 1) != (output == "softmax"):
        fail(
            "task",
            f"is {task}, but the output layer ({n_out} x {output}) gives no "
            "probabilities",
        )
