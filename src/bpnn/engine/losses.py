"""Loss functions: a value and its gradient dL/dy_hat, one normalisation each.

A loss knows nothing of layers. ``m`` is the number of records in the batch and
every gradient is that of the *mean* loss, so the weight gradients built from it
are already divided by the batch, as on the lecture's matrix pages.

For the two canonical pairs (``bce`` after a sigmoid, ``cross_entropy`` after a
softmax) the network computes value and gradient from the logits ``h`` instead,
which stays exact where the probabilities round to 0 or 1.
"""

from __future__ import annotations

import numpy as np

from ..errors import InputError


class Loss:
    """A loss L(y_hat, y) averaged over the ``m`` records of a batch."""

    name = ""
    #: the output activation whose logits give a stable fused form, if any
    canonical_activation = None

    def value(self, y_hat, y) -> float:
        raise NotImplementedError

    def gradient(self, y_hat, y):
        """dL/dy_hat, shape of ``y_hat``."""
        raise NotImplementedError

    def __repr__(self):
        return self.name


class HalfMSE(Loss):
    """L = 1/(2m) sum ||y_hat - y||^2 (the lecture's loss, ½·MSE); dL/dy_hat = (y_hat - y)/m."""

    name = "half_mse"

    def value(self, y_hat, y):
        d = y_hat - y
        return float(np.vdot(d, d)) / (2 * len(y_hat))

    def gradient(self, y_hat, y, out=None):
        out = np.subtract(y_hat, y, out=out)
        out *= 1.0 / len(y_hat)
        return out


class MSE(Loss):
    """L = 1/m sum ||y_hat - y||^2; dL/dy_hat = 2 (y_hat - y)/m."""

    name = "mse"

    def value(self, y_hat, y):
        d = y_hat - y
        return float(np.vdot(d, d)) / len(y_hat)

    def gradient(self, y_hat, y, out=None):
        out = np.subtract(y_hat, y, out=out)
        out *= 2.0 / len(y_hat)
        return out


def _clip_probability(p):
    eps = np.finfo(p.dtype).eps
    return np.clip(p, eps, 1 - eps)


class BCE(Loss):
    """Binary cross-entropy L = -1/m sum [y log p + (1-y) log(1-p)].

    From the sigmoid's logits: L = 1/m sum [softplus(h) - y h], dL/dh = (p - y)/m.
    """

    name = "bce"
    canonical_activation = "sigmoid"

    def value(self, y_hat, y):
        p = _clip_probability(y_hat)
        return float(-np.sum(y * np.log(p) + (1 - y) * np.log1p(-p))) / len(p)

    def gradient(self, y_hat, y, out=None):
        p = _clip_probability(y_hat)
        return np.divide(p - y, p * (1 - p) * len(p), out=out)

    def value_from_logits(self, h, y):
        softplus = np.maximum(h, 0) + np.log1p(np.exp(-np.abs(h)))
        return float(np.sum(softplus - y * h)) / len(h)

    def gradient_from_logits(self, p, y, out=None):
        """dL/dh given the sigmoid output ``p``: (p - y)/m."""
        out = np.subtract(p, y, out=out)
        out *= 1.0 / len(p)
        return out


class CrossEntropy(Loss):
    """Categorical cross-entropy L = -1/m sum_i sum_k y_ik log p_ik (one-hot y).

    From the softmax's logits: L = 1/m sum [logsumexp(h) - y.h], dL/dh = (p - y)/m.
    """

    name = "cross_entropy"
    canonical_activation = "softmax"

    def value(self, y_hat, y):
        return float(-np.sum(y * np.log(_clip_probability(y_hat)))) / len(y_hat)

    def gradient(self, y_hat, y, out=None):
        p = _clip_probability(y_hat)
        return np.divide(-y, p * len(p), out=out)

    def value_from_logits(self, h, y):
        top = h.max(axis=1, keepdims=True)
        lse = top[:, 0] + np.log(np.exp(h - top).sum(axis=1))
        return float(np.sum(lse) - np.vdot(y, h)) / len(h)

    gradient_from_logits = BCE.gradient_from_logits


LOSSES = {cls.name: cls for cls in (HalfMSE, MSE, BCE, CrossEntropy)}


def get_loss(name_or_obj) -> Loss:
    """Resolve a loss by name (see ``LOSSES``) or pass one through."""
    if isinstance(name_or_obj, Loss):
        return name_or_obj
    try:
        return LOSSES[name_or_obj]()
    except (KeyError, TypeError):
        raise InputError(
            f"unknown loss {name_or_obj!r}; choose one of {', '.join(sorted(LOSSES))}"
        ) from None
