"""Activation functions and their derivatives, written from the output.

The lecture derives sigmoid' = f(1 - f): the derivative comes from the value the
layer already produced, so backward never needs the pre-activation ``h``. Every
activation here follows that rule; ``backward`` turns dL/da into dL/dh (the
error term, up to its sign) and works for softmax too, whose derivative is a
Jacobian rather than an element-wise factor. The sigmoid's derivative is
derived in docs/derivation.md, section 2.
"""

from __future__ import annotations

import numpy as np

from ..errors import InputError, InputTypeError


class Activation:
    """An activation ``a = f(h)`` that knows its derivative from ``a``."""

    name = ""
    elementwise = True

    def forward(self, h, out=None):
        """a = f(h), shape of ``h``; writes into ``out`` when given."""
        raise NotImplementedError

    def derivative(self, a):
        """f'(h) expressed through the output ``a`` (element-wise)."""
        raise NotImplementedError

    def backward(self, a, grad_a, out=None):
        """dL/dh = dL/da * f'(h) for an element-wise activation."""
        out = np.multiply(grad_a, self.derivative(a), out=out)
        return out

    def __repr__(self):
        return self.name


class Sigmoid(Activation):
    """f(h) = 1 / (1 + e^-h); f' = f (1 - f), as the lecture derives it."""

    name = "sigmoid"

    def forward(self, h, out=None):
        # e^-h overflows to inf for h < -709 and 1/(1+inf) is exactly 0: the
        # right limit, so the overflow warning is silenced rather than clipped.
        with np.errstate(over="ignore"):
            out = np.negative(h, out=out)
            np.exp(out, out=out)
        out += 1.0
        return np.reciprocal(out, out=out)

    def derivative(self, a):
        return a * (1.0 - a)

    def backward(self, a, grad_a, out=None):
        out = np.subtract(1.0, a, out=out)
        out *= a
        out *= grad_a
        return out


class Identity(Activation):
    """f(h) = h; f' = 1 (the linear neuron and the bike network's output)."""

    name = "identity"

    def forward(self, h, out=None):
        # a is h itself; a layer that keeps both asks for a copy in ``out``
        if out is None or out is h:
            return h
        np.copyto(out, h)
        return out

    def derivative(self, a):
        return np.ones_like(a)

    def backward(self, a, grad_a, out=None):
        if out is None or out is grad_a:
            return grad_a
        np.copyto(out, grad_a)
        return out


class Tanh(Activation):
    """f(h) = tanh(h); f' = 1 - f^2."""

    name = "tanh"

    def forward(self, h, out=None):
        return np.tanh(h, out=out)

    def derivative(self, a):
        return 1.0 - a * a


class ReLU(Activation):
    """f(h) = max(h, 0); f' = 1 where f > 0, else 0."""

    name = "relu"

    def forward(self, h, out=None):
        return np.maximum(h, 0.0, out=out)

    def derivative(self, a):
        return (a > 0).astype(a.dtype)

    def backward(self, a, grad_a, out=None):
        out = np.multiply(grad_a, a > 0, out=out)
        return out


class Softmax(Activation):
    """f(h)_k = e^{h_k} / sum_j e^{h_j} over each row: class probabilities.

    Its derivative is a Jacobian, so ``backward`` applies it directly:
    dL/dh = a * (dL/da - sum_k a_k dL/da_k).
    """

    name = "softmax"
    elementwise = False

    def forward(self, h, out=None):
        out = np.subtract(h, h.max(axis=1, keepdims=True), out=out)
        np.exp(out, out=out)
        out /= out.sum(axis=1, keepdims=True)
        return out

    def derivative(self, a):
        raise InputTypeError("softmax has no element-wise derivative; use backward()")

    def backward(self, a, grad_a, out=None):
        inner = np.einsum("ij,ij->i", a, grad_a)[:, None]
        out = np.subtract(grad_a, inner, out=out)
        out *= a
        return out


ACTIVATIONS = {cls.name: cls for cls in (Sigmoid, Identity, Tanh, ReLU, Softmax)}


def get_activation(name_or_obj) -> Activation:
    """Resolve an activation by name (see ``ACTIVATIONS``) or pass one through."""
    if isinstance(name_or_obj, Activation):
        return name_or_obj
    try:
        return ACTIVATIONS[name_or_obj]()
    except (KeyError, TypeError):
        raise InputError(
            f"unknown activation {name_or_obj!r}; "
            f"choose one of {', '.join(sorted(ACTIVATIONS))}"
        ) from None
