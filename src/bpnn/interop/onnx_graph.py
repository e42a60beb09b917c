"""Building ONNX graphs: a builder of named nodes and constants, and the
nodes of a bpnn network -- per layer a ``MatMul`` by W (n_in, n_out) as bpnn
stores it, an ``Add`` of b, and ``Sigmoid``, ``Tanh``, ``Relu`` or ``Softmax``
(nothing for identity), exactly the lecture's h = X.W + b, a = f(h)."""

from __future__ import annotations

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

#: the ONNX operator sets the graphs use
OPSET = 17
ML_OPSET = 3
ACTIVATION_OPS = {"sigmoid": "Sigmoid", "tanh": "Tanh", "relu": "Relu"}
ONNX_TYPES = {
    np.dtype(np.float32): TensorProto.FLOAT,
    np.dtype(np.float64): TensorProto.DOUBLE,
}


class GraphBuilder:
    """Nodes, constants, inputs and outputs of one graph, with unique names.

    Internal tensors are named ``bpnn/...`` so that they never clash with a
    table's column names, which become the graph's input names.
    """

    def __init__(self):
        self.nodes, self.constants, self.inputs, self.outputs = [], [], [], []
        self.uses_ml = False
        self._count = 0

    def fresh(self, hint):
        self._count += 1
        return f"bpnn/{hint}_{self._count}"

    def constant(self, array, hint):
        name = f"bpnn/{hint}"
        self.constants.append(numpy_helper.from_array(np.asarray(array), name))
        return name

    def node(self, op, inputs, out=None, domain="", **attrs):
        """Add one node; returns the name of its output tensor."""
        out = out or self.fresh(op.lower())
        node = helper.make_node(op, inputs, [out], name=out, domain=domain, **attrs)
        self.nodes.append(node)
        self.uses_ml = self.uses_ml or domain == "ai.onnx.ml"
        return out

    def add_input(self, name, elem_type, shape):
        self.inputs.append(helper.make_tensor_value_info(name, elem_type, shape))

    def add_output(self, name, elem_type, shape):
        self.outputs.append(helper.make_tensor_value_info(name, elem_type, shape))

    def model(self, name, doc) -> onnx.ModelProto:
        """The checked model (``onnx.checker`` with shape inference)."""
        from .._version import __version__

        graph = helper.make_graph(
            self.nodes, name, self.inputs, self.outputs, self.constants, doc
        )
        opsets = [helper.make_opsetid("", OPSET)]
        if self.uses_ml:
            opsets.append(helper.make_opsetid("ai.onnx.ml", ML_OPSET))
        model = helper.make_model(
            graph,
            opset_imports=opsets,
            producer_name="bpnn",
            producer_version=__version__,
        )
        onnx.checker.check_model(model, full_check=True)
        return model


def network_nodes(g, network, x, dtype, out=None):
    """The layers of ``network`` applied to tensor ``x``; the last tensor is
    named ``out``. Returns its name."""
    a = x
    last_layer = len(network.layers) - 1
    for i, layer in enumerate(network.layers):
        op = ACTIVATION_OPS.get(layer.activation.name)
        softmax = layer.activation.name == "softmax"
        steps = ["MatMul"] + (["Add"] if layer.b is not None else [])
        steps += ["Softmax"] if softmax else [op] if op else []
        for k, step in enumerate(steps):
            name = out if i == last_layer and k == len(steps) - 1 else None
            if step == "MatMul":
                w = g.constant(layer.W.astype(dtype), f"W{i}")
                a = g.node("MatMul", [a, w], name)
            elif step == "Add":
                a = g.node("Add", [a, g.constant(layer.b.astype(dtype), f"b{i}")], name)
            elif step == "Softmax":
                a = g.node("Softmax", [a], name, axis=-1)
            else:
                a = g.node(step, [a], name)
    return a
