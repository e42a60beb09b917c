"""What the training view draws, computed from the network at one moment:
losses, metrics, the weights, and for 2-D data the decision boundary over the
plane and each hidden node's output as a small heat map; for a regression the
test rows' predicted and actual values in real units."""

from __future__ import annotations

import math

import numpy as np

from ..apps.metrics import predicted_classes
from ..apps.scores import confusion_matrix
from .toydata import EXTENT

#: cells per side of the boundary image and of each hidden node's map
GRID, NODE_GRID = 50, 20
#: weights are sent while the network has at most this many
MAX_SENT_WEIGHTS = 20000
MAX_HISTORY = 400
MAX_NODE_MAPS = 64


def plane(cells):
    """(cells², 2) points of [-EXTENT, EXTENT]², row by row from the top."""
    ticks = np.linspace(-EXTENT, EXTENT, cells)
    x1, x2 = np.meshgrid(ticks, ticks[::-1])
    return np.column_stack([x1.ravel(), x2.ravel()])


def layer_outputs(network, X):
    """Each layer's output for X, without touching the training caches."""
    outs, a = [], X
    for layer in network.layers:
        a = layer.predict(a)  # a new array each layer: kept as it is
        outs.append(a)
    return outs


def boundary(network):
    """Binary: p(class 1) per cell; more classes: class index + its probability."""
    y_hat = network.predict(plane(GRID))
    if y_hat.shape[1] == 1:
        return {"cells": GRID, "p": np.round(y_hat[:, 0], 3).tolist()}
    return {
        "cells": GRID,
        "class": y_hat.argmax(axis=1).tolist(),
        "p": np.round(y_hat.max(axis=1), 3).tolist(),
    }


def node_maps(network):
    """[[map of node 0, ...] per hidden layer]: outputs over a coarse plane."""
    outs = layer_outputs(network, plane(NODE_GRID))[:-1]
    if sum(o.shape[1] for o in outs) > MAX_NODE_MAPS:
        return None
    return [[np.round(o[:, j], 3).tolist() for j in range(o.shape[1])] for o in outs]


def thinned(values, most=MAX_HISTORY):
    """At most ``most`` evenly spaced entries, the last always kept."""
    if len(values) <= most:
        return list(values)
    idx = np.unique(np.linspace(0, len(values) - 1, most).round().astype(int))
    return [values[i] for i in idx]


def weights(network):
    if sum(p.size for p in network.params()) > MAX_SENT_WEIGHTS:
        return None
    return [
        {
            "W": np.round(layer.W, 4).tolist(),
            "b": None if layer.b is None else np.round(layer.b, 4).tolist(),
        }
        for layer in network.layers
    ]


def metrics(network, dataset, train_rows=slice(None)):
    """Accuracy per split (classification) or MSE on the standardised target;
    on the training split, of the rows ``train_rows`` (the sample the
    training loss is measured on), so that a snapshot stays cheap."""
    out = {}
    for split, X, y in dataset.splits():
        if split == "train":
            X, y = X[train_rows], y[train_rows]
        y_hat = network.predict(X)
        if dataset.task == "regression":
            out[f"{split}_mse"] = float(np.mean((y_hat[:, 0] - y) ** 2))
        else:
            right = predicted_classes(y_hat) == np.asarray(y).astype(np.int64)
            out[f"{split}_accuracy"] = float(np.mean(right))
    return out


def confusion(network, dataset):
    """Test rows counted by (actual class, predicted class)."""
    k = len(dataset.preparation.classes)
    predicted = predicted_classes(network.predict(dataset.X_test))
    counts = confusion_matrix(dataset.y_test, predicted, k)
    return {"classes": dataset.preparation.classes, "counts": counts.tolist()}


def regression(network, dataset, most=600):
    """The test rows' actual and predicted values in real units."""
    prep = dataset.preparation
    X, y = dataset.X_test[-most:], dataset.y_test[-most:]
    out = {
        "actual": np.round(prep.to_units(y[:, None]), 3).tolist(),
        "predicted": np.round(prep.to_units(network.predict(X)), 3).tolist(),
        "target": prep.target,
    }
    if dataset.test_dates is not None:
        dates = dataset.test_dates[-most:]
        out["start"] = str(np.datetime_as_string(dates[0], unit="h"))
    return out


def of(session):
    """Everything the page draws of ``session`` now (its lock held)."""
    d, net, h = session.dataset, session.network, session.history
    finite = all(np.isfinite(p).all() for p in net.params())
    out = {
        "session": session.id,
        "version": session.version + 1,
        "state": session.state,
        "message": session.message,
        "step": session.step,
        "epoch": h.epoch[-1],
        "train_loss": _json_number(h.train_loss[-1]),
        "val_loss": _json_number(h.val_loss[-1]),
        "val_name": session.val_name,
        "history": {
            "step": thinned(h.step),
            "train_loss": [_json_number(v) for v in thinned(h.train_loss)],
            "val_loss": [_json_number(v) for v in thinned(h.val_loss)],
        },
        "sizes": net.sizes,
        "activations": [layer.activation.name for layer in net.layers],
    }
    if not finite:
        return out
    with np.errstate(all="ignore"):
        out["metrics"] = metrics(net, d, session._sample)
        out["weights"] = weights(net)
        if net.n_in == 2 and d.task != "regression":
            out["boundary"] = boundary(net)
            out["node_maps"] = node_maps(net)
        elif d.task != "regression":
            out["confusion"] = confusion(net, d)
        if d.task == "regression":
            out["regression"] = regression(net, d)
    return out


def _json_number(value):
    value = float(value)
    return value if math.isfinite(value) else None
