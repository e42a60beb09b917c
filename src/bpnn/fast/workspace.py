"""fit's training step in arrays made once: the numbers of the plain step, faster.

``Network.train_step`` runs here. It computes what ``Network.forward``,
``Network.backward`` and ``optimizer.step`` compute -- bit for bit, which
tests/fast/ checks -- with these tricks, each for a measured reason:

- **Packed weights.** Every W and b is a view of one flat buffer (``flat.py``)
  and so is every gradient, so the optimizer updates the whole network in a few
  NumPy calls (SGD 2, Adam 9) instead of about that many per array.
- **Work arrays per batch size.** h, a, the error terms and dL/dx of each layer
  are made at the first batch of a size and reused: no allocation per step.
- **Threaded element-wise passes.** Bias, activation and error term run over
  row slices on every core (``parallel.rowwise``) once a layer is large enough.
- **An identity layer's a is its h**: no copy, and its error term is dL/da.
- **One output node**: dL/dx = delta . W^T is an outer product, taken
  element-wise -- the numbers BLAS gives, without its cost for inner size 1.
- **db = 1^T . delta**, a product with a row of ones, which BLAS does faster
  than ``np.sum`` (and on every core for a large batch). This one rounds as a
  dot product does, so it differs from the plain ``sum`` in the last bits.
- **The sigmoid without np.errstate** (1 µs per call): fit runs every step
  under ``errstate(over="ignore")``; called on its own an overflow of e^-h
  (h < -709) warns, and 1 / (1 + inf) = 0 is the right limit anyway.

It knows the engine's objects only by their attributes (W, b, activation,
loss_fn), as ``fast/`` sits below the engine.
"""

from __future__ import annotations

import numpy as np

from ..errors import InputError
from . import parallel
from .flat import Packed


class Workspace:
    """The packed weights and gradients of one network and its work arrays.

    Made by the network; it rebinds every layer's ``W`` and ``b`` to views of
    one buffer. Code that later binds ``layer.W`` to another array of the same
    shape is noticed at the next step: the buffer is packed again from the
    layers' current arrays. A different shape is an error.
    """

    def __init__(self, network):
        self.network = network
        self.pack()

    def pack(self):
        """Pack the layers' current weights into one buffer (views rebound)."""
        net = self.network
        for i, layer in enumerate(net.layers):
            _check_shape(i, "W", layer.W, (layer.n_in, layer.n_out))
            if layer.b is not None:
                _check_shape(i, "b", layer.b, (layer.n_out,))
        self.params = Packed.of(net.params(), net.dtype)
        self.grads = self.params.like()
        weights, grads = iter(self.params.views), iter(self.grads.views)
        self.layers = []
        for layer in net.layers:
            layer.W = next(weights)
            layer.b = next(weights) if layer.b is not None else None
            dW = next(grads)
            db = next(grads) if layer.b is not None else None
            self.layers.append(_Layer(layer, dW, db))
        self._plans = {}

    def step(self, X, y, optimizer):
        """One update on the batch X, y: forward, backward, optimizer step."""
        layers = self.layers
        for lay in layers:
            if lay.layer.W is not lay.W or lay.layer.b is not lay.b:
                self.pack()  # a weight was rebound: take its values
                layers = self.layers
                break
        plan = self._plans.get(len(X))
        if plan is None:
            plan = self._plans[len(X)] = _Plan(self, len(X))
        # forward: h = x.W, then h += b and a = f(h) in one pass over the rows
        a = X
        for lay, work in zip(layers, plan.works):
            h = np.matmul(a, lay.W, out=work.h)
            if work.split:
                parallel.rowwise(lay.activate, h, work.a)
            else:
                lay.activate(h, work.a)
            a = work.a
        # backward: the output's error term, then dW, db and the hidden ones
        last = plan.works[-1]
        if plan.fused:  # the output's error term dL/dh itself
            delta = self.network.output_gradient(a, y, out=last.delta)
        else:
            grad = self.network.output_gradient(a, y, out=plan.loss_grad)
            delta = layers[-1].error_term(last, grad)
        ones = plan.ones
        for i in range(len(layers) - 1, -1, -1):
            lay, work = layers[i], plan.works[i]
            np.matmul(X.T if i == 0 else plan.works[i - 1].aT, delta, out=lay.dW)
            if lay.db is not None:
                np.matmul(ones, delta, out=lay.db)
            if i:
                if lay.outer:
                    grad = np.multiply(delta, lay.WT, out=work.dx)
                else:
                    grad = np.matmul(delta, lay.WT, out=work.dx)
                delta = layers[i - 1].error_term(plan.works[i - 1], grad)
        optimizer.step_packed(self.params, self.grads)


class _Layer:
    """One layer's packed views and the element-wise halves of its step."""

    __slots__ = ("W", "WT", "act", "b", "dW", "db", "identity", "layer", "outer")

    def __init__(self, layer, dW, db):
        self.layer, self.W, self.b, self.dW, self.db = layer, layer.W, layer.b, dW, db
        self.WT = layer.W.T
        self.act = layer.activation
        self.identity = self.act.name == "identity"
        self.outer = layer.n_out == 1

    def activate(self, h, a):
        """h += b, then a = f(h) (``a is h`` for an identity layer)."""
        if self.b is not None:
            h += self.b
        if self.identity:
            return
        if self.act.name == "sigmoid":  # 1 / (1 + e^-h), no errstate
            np.exp(np.negative(h, out=a), out=a)
            a += 1.0
            np.reciprocal(a, out=a)
            return
        self.act.forward(h, out=a)

    def error_term(self, work, grad_a):
        """dL/dh = dL/da * f'(h), into the work array (dL/da itself if f' = 1)."""
        if self.identity:
            return grad_a
        if work.split:
            parallel.rowwise(self.act.backward, work.a, grad_a, work.delta)
        else:
            self.act.backward(work.a, grad_a, work.delta)
        return work.delta


class _Work:
    """One layer's arrays for a batch of ``rows`` records."""

    __slots__ = ("a", "aT", "delta", "dx", "h", "split")

    def __init__(self, lay, rows, dtype, fused_output):
        n_in, n_out = lay.W.shape
        self.h = np.empty((rows, n_out), dtype)
        self.a = self.h if lay.identity else np.empty((rows, n_out), dtype)
        self.aT = self.a.T
        need_delta = not lay.identity or fused_output
        self.delta = np.empty((rows, n_out), dtype) if need_delta else None
        self.dx = np.empty((rows, n_in), dtype)
        self.split = self.h.size >= parallel.MIN_ELEMENTS


class _Plan:
    """Every layer's work arrays for one batch size, and the loss's."""

    def __init__(self, workspace, rows):
        net = workspace.network
        dtype = net.dtype
        self.fused = net.fused_output
        layers = workspace.layers
        self.works = [
            _Work(lay, rows, dtype, self.fused and k == len(layers) - 1)
            for k, lay in enumerate(layers)
        ]
        self.works[0].dx = None  # the first layer passes nothing back
        self.loss_grad = np.empty((rows, net.n_out), dtype)
        self.ones = np.ones(rows, dtype)


def _check_shape(i, name, array, shape):
    if np.shape(array) != shape:
        raise InputError(
            f"layer {i}'s {name} was replaced by an array of shape "
            f"{np.shape(array)}; it must keep the shape {shape}"
        )
