"""A ``bpnn train`` model with its data preparation, as one ONNX graph.

The model file holds the ``Preparation`` learnt from the training rows
(``bpnn.preparation``); the graph does what ``bpnn predict`` does with it:

- one input per column, shape (N, 1): float64 for a numeric column, string
  for a categorical one (its categories as ``bpnn predict`` names them: 3.0
  is "3");
- a numeric column is standardised, ``Sub`` its mean, ``Div`` its std, in
  float64, then cast to the network's dtype;
- a categorical column is one-hot encoded by ``ai.onnx.ml.OneHotEncoder`` over
  the training categories, in their order; an unknown category fails the run,
  as ``bpnn predict`` refuses it;
- the features are concatenated in the preparation's order and go through
  the network;
- a regression answers ``predicted_<target>`` (N,), float64, back in the
  target's units (``Mul`` std, ``Add`` mean); a classification answers
  ``predicted_<target>`` (N,), the class labels as strings, and
  ``probabilities`` (N, k), one column per class in the order of the classes.
"""

from __future__ import annotations

import numpy as np
from onnx import TensorProto

from ..data.preparation import Preparation
from ..errors import InputError
from .onnx_graph import ONNX_TYPES, network_nodes


def preparation_of(network) -> Preparation:
    """The data preparation saved with ``network`` by ``bpnn train``."""
    extra = getattr(network, "extra", None) or {}
    if "preparation" not in extra:
        raise InputError(
            "the network holds no data preparation: load a model file written "
            "by bpnn train (bpnn.load) to export it with_preparation"
        )
    return Preparation.from_dict(extra["preparation"])


def prepared_graph(g, network, dtype):
    """Inputs per raw column, the network, outputs in real units or labels."""
    prep = preparation_of(network)
    if len(prep.feature_names) != network.n_in:
        raise InputError(
            f"the preparation makes {len(prep.feature_names)} features but the "
            f"network takes {network.n_in}"
        )
    answer = f"predicted_{prep.target}"
    clash = {answer, "probabilities"} & {c["name"] for c in prep.columns}
    if clash:
        raise InputError(f"column {clash.pop()!r} has the name of an output")
    dates = [c["name"] for c in prep.columns if c["kind"] == "date"]
    if dates:
        raise InputError(
            f"date column(s) {', '.join(map(repr, dates))} cannot be exported to "
            "ONNX yet; train with --drop or --categorical for them"
        )
    # IDs, constants and dropped columns give no feature
    kept = [c for c in prep.columns if c["kind"] in ("numeric", "categorical")]
    features = [_column(g, c, dtype) for c in kept]
    x = g.node("Concat", features, axis=1) if len(features) > 1 else features[0]
    y = network_nodes(g, network, x, dtype)
    if prep.task == "regression":
        _regression_output(g, prep, y, dtype, answer)
    else:
        _class_outputs(g, prep, y, dtype, answer)


def _column(g, column, dtype):
    """One raw column (N, 1) as its feature column(s) (N, width), in dtype."""
    name = column["name"]
    if column["kind"] == "numeric":
        g.add_input(name, TensorProto.DOUBLE, ["N", 1])
        mean = g.constant(np.array(column["mean"]), f"mean_{name}")
        std = g.constant(np.array(column["std"]), f"std_{name}")
        z = g.node("Div", [g.node("Sub", [name, mean]), std])
        return z if dtype == np.float64 else g.node("Cast", [z], to=ONNX_TYPES[dtype])
    g.add_input(name, TensorProto.STRING, ["N", 1])
    encoded = g.node(
        "OneHotEncoder",
        [name],
        domain="ai.onnx.ml",
        cats_strings=[str(c) for c in column["categories"]],
        zeros=0,
    )
    flat = g.node("Flatten", [encoded], axis=1)  # (N, 1, k) -> (N, k), float
    return flat if dtype == np.float32 else g.node("Cast", [flat], to=ONNX_TYPES[dtype])


def _regression_output(g, prep, y, dtype, answer):
    if dtype != np.float64:
        y = g.node("Cast", [y], to=TensorProto.DOUBLE)
    std = g.constant(np.array(prep.target_std), "target_std")
    mean = g.constant(np.array(prep.target_mean), "target_mean")
    units = g.node("Add", [g.node("Mul", [y, std]), mean])
    g.node("Reshape", [units, g.constant(np.array([-1]), "flat")], answer)
    g.add_output(answer, TensorProto.DOUBLE, ["N"])


def _class_outputs(g, prep, y, dtype, answer):
    k = len(prep.classes)
    if prep.task == "binary":
        one = g.constant(np.ones(1, dtype=dtype), "one")
        g.node("Concat", [g.node("Sub", [one, y]), y], "probabilities", axis=1)
    else:
        g.node("Identity", [y], "probabilities")
    index = g.node("ArgMax", ["probabilities"], axis=1, keepdims=0)
    classes = g.constant(np.array(prep.classes, dtype=object), "classes")
    g.node("Gather", [classes, index], answer, axis=0)
    g.add_output(answer, TensorProto.STRING, ["N"])
    g.add_output("probabilities", ONNX_TYPES[dtype], ["N", k])
