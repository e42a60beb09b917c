"""A bpnn network as an ONNX model: MatMul, Add and the activations.

Each layer is the lecture's h = X.W + b, a = f(h): a ``MatMul`` by W (n_in,
n_out) as bpnn stores it, an ``Add`` of b, then ``Sigmoid``, ``Tanh``, ``Relu``
or ``Softmax`` (none for identity). The graph takes "X" (N, n_in) and returns
"y" (N, n_out), in float32 or float64, the network's outputs as
``network.predict`` gives them (probabilities after a softmax).

With ``with_preparation=True`` a model written by ``bpnn train`` takes the raw
columns instead and answers in the target's units, or with class labels and
probabilities (``bpnn.interop.onnx_preparation``).
"""

from __future__ import annotations

import numpy as np

from ..engine.network import Network
from ..errors import InputError
from ..files.archive import atomic_write
from .onnx_graph import ONNX_TYPES, GraphBuilder, network_nodes
from .onnx_preparation import prepared_graph


def export_onnx(network, path=None, *, with_preparation=False, dtype=None):
    """Write ``network`` as an ONNX model to ``path`` (if given); return it.

    ``dtype`` (float32 or float64) defaults to the network's. Without the
    preparation the model maps "X" (N, n_in) to "y" (N, n_out). With
    ``with_preparation`` (a network loaded from a ``bpnn train`` model file)
    it takes one input per raw column, see ``bpnn.interop.onnx_preparation``.
    """
    if not isinstance(network, Network):
        raise InputError(
            f"export_onnx needs a bpnn.Network, got {type(network).__name__}"
        )
    dtype = np.dtype(network.dtype if dtype is None else dtype)
    if dtype not in ONNX_TYPES:
        raise InputError(f"dtype must be float32 or float64, got {dtype}")
    g = GraphBuilder()
    if with_preparation:
        prepared_graph(g, network, dtype)
    else:
        g.add_input("X", ONNX_TYPES[dtype], ["N", network.n_in])
        network_nodes(g, network, "X", dtype, out="y")
        g.add_output("y", ONNX_TYPES[dtype], ["N", network.n_out])
    doc = f"bpnn {network!r}"
    model = g.model("bpnn", doc)
    if path is not None:
        data = model.SerializeToString()
        atomic_write(path, lambda f: f.write(data))  # never half a file
    return model
