"""The lecture's per-record backpropagation, kept simple for reading.

This is the loop of the GRE pseudo-code: for each record, a forward pass, the
error, the output error term, the hidden error terms layer by layer, and the
weight steps as outer products, accumulated over the records. It handles any
depth and element-wise activations, and is tested equal to the vectorised
``Network.gradients`` to 1e-12 -- the proof that the matrix form on the
lecture's last pages computes the same thing.

Signs follow the lecture: error = y - y_hat and error term
delta = error * f'(h), so a weight step ``+= delta * a`` *descends* the loss.
The derivation: docs/derivation.md, sections 3-6. ``matrix_step`` is the same
step for a whole batch, in the matrix form: what ``fit``'s optimised step and
the benchmark's plain NumPy step are checked against.
"""

from __future__ import annotations

import numpy as np

from ..engine.activations import get_activation
from ..errors import InputError


def accumulate_weight_steps(network, X, y):
    """Sum over records of the lecture's weight steps (without learning rate).

    Returns one dict per layer ``{"W": sum of outer(a_in, delta), "b": sum of
    delta}``. For the lecture's MSE, -sum/n is the gradient of the mean loss.
    """
    loss = network.loss_fn.name
    if loss != "half_mse":
        raise InputError(f"the per-record reference loop uses half_mse, not {loss}")
    layers = network.layers
    steps = [
        {
            "W": np.zeros_like(layer.W),
            "b": None if layer.b is None else np.zeros_like(layer.b),
        }
        for layer in layers
    ]
    for x, target in zip(X, y):
        # (1) forward pass: keep every layer's input and output
        activations = [x]
        for layer in layers:
            h = activations[-1] @ layer.W
            if layer.b is not None:
                h = h + layer.b
            activations.append(layer.activation.forward(h.copy()))
        # (2) the error
        y_hat = activations[-1]
        error = target - y_hat
        # (3) backward: output error term, then each hidden error term
        error_term = error * layers[-1].activation.derivative(y_hat)
        for i in range(len(layers) - 1, -1, -1):
            steps[i]["W"] += np.outer(activations[i], error_term)
            if steps[i]["b"] is not None:
                steps[i]["b"] += error_term
            if i > 0:
                hidden_error = layers[i].W @ error_term
                error_term = hidden_error * layers[i - 1].activation.derivative(
                    activations[i]
                )
    return steps


def per_record_gradients(network, X, y):
    """The mean-loss gradient from the per-record loop: -(sum of steps) / n."""
    n = len(X)
    return [
        {"W": -s["W"] / n, "b": None if s["b"] is None else -s["b"] / n}
        for s in accumulate_weight_steps(network, X, y)
    ]


def matrix_step(weights, biases, activations, X, y, lr):
    """One gradient-descent step in the matrix form of the lecture's last pages.

    All B records at once, for the lecture's MSE: ``weights`` and ``biases``
    (one per layer; a bias may be None) are updated in place, each by its
    weight step lr * a^T . delta / B. ``activations`` are names or
    ``bpnn.ACTIVATIONS`` objects, element-wise ones. Every array is new each
    time: this is the plain version that ``fit``'s step is tested against.
    """
    acts = [get_activation(a) for a in activations]
    # (1) forward pass: a = f(a_in . W + b), layer by layer
    outputs = [X]
    for W, b, f in zip(weights, biases, acts):
        h = outputs[-1] @ W
        outputs.append(f.forward(h if b is None else h + b))
    # (2) the error and the output error term, over the batch
    error = y - outputs[-1]
    error_term = error * acts[-1].derivative(outputs[-1]) / len(X)
    # (3) from the output down: weight steps, then the hidden error term
    for i in range(len(weights) - 1, -1, -1):
        weight_step = lr * (outputs[i].T @ error_term)
        bias_step = lr * error_term.sum(axis=0)
        if i > 0:  # with the weights this step started from
            hidden_error = error_term @ weights[i].T
            error_term = hidden_error * acts[i - 1].derivative(outputs[i])
        weights[i] += weight_step
        if biases[i] is not None:
            biases[i] += bias_step
