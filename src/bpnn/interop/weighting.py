"""Training on weighted records: the loss of a batch as a weighted mean.

``bpnn.fit`` gives every record the same say. A record of weight w_i here
counts as w_i copies of it: the batch's loss is

    L = sum_i w_i l_i / sum_i w_i

so its gradient dL/dy_hat is each record's gradient scaled by
w_i * m / sum_i w_i, m the records in the batch (the engine's losses already
divide by m). Weights of 1 scale by exactly 1.0: the same numbers as
unweighted training. A batch whose weights are all 0 makes no weight step.

``WeightedNetwork`` shares the layers of the network it wraps, so training it
with ``bpnn.fit`` trains that network. Its targets carry each record's weight
as one extra, last column (``with_weights``): the weights travel with the
records through fit's shuffled and random batches untouched. They are scaled
to a mean of 1 over the data set, which changes no gradient (only the ratios
count) and makes the recorded loss, sum_i w_i l_i / m per chunk, add up over
fit's chunks of evaluation to the weighted mean of the whole set.
"""

from __future__ import annotations

import numpy as np

from ..engine.network import Network


def with_weights(network, y, sample_weight):
    """Targets (n, n_out + 1): ``network``'s checked targets, then the weights
    scaled to a mean of 1 (all zero: left at 0)."""
    targets = network.check_y(y, len(sample_weight))
    weights = np.asarray(sample_weight, dtype=np.float64).reshape(-1, 1)
    total = weights.sum()
    if total > 0:
        weights = weights * (len(weights) / total)
    return np.hstack([targets, weights.astype(network.dtype)])


def record_losses(loss, out, h, y):
    """Each record's loss l_i (m,), from the outputs ``out`` and, for a
    canonical output pair, the logits ``h`` (as the engine's fused form)."""
    if loss == "half_mse":
        return 0.5 * np.sum((out - y) ** 2, axis=1)
    if loss == "mse":
        return np.sum((out - y) ** 2, axis=1)
    if loss == "bce" and h is not None:
        softplus = np.maximum(h, 0) + np.log1p(np.exp(-np.abs(h)))
        return np.sum(softplus - y * h, axis=1)
    if loss == "cross_entropy" and h is not None:
        top = h.max(axis=1, keepdims=True)
        lse = top[:, 0] + np.log(np.exp(h - top).sum(axis=1))
        return lse - np.sum(y * h, axis=1)
    eps = np.finfo(out.dtype).eps
    p = np.clip(out, eps, 1 - eps)
    if loss == "bce":
        return -np.sum(y * np.log(p) + (1 - y) * np.log1p(-p), axis=1)
    if loss == "cross_entropy":
        return -np.sum(y * np.log(p), axis=1)
    raise ValueError(f"no per-record form of the loss {loss!r}")


class WeightedNetwork(Network):
    """The layers of ``network``, trained on the weighted mean loss."""

    def __init__(self, network):
        super().__init__(network.layers, loss=network.loss_fn, dtype=network.dtype)

    def check_y(self, y, n_rows, name="y"):
        """Targets made by ``with_weights``: (n_rows, n_out + 1)."""
        y = np.asarray(y, dtype=self.dtype)
        if y.shape != (n_rows, self.n_out + 1):
            raise ValueError(
                f"{name} must hold {self.n_out} target column(s) and a weight "
                f"column for {n_rows} records, got shape {y.shape}"
            )
        return y

    def output_gradient(self, y_hat, y, out=None):
        """The loss gradient with each record's scaled by its weight: where
        ``backward`` and ``train_step`` start."""
        targets, w = y[:, :-1], y[:, -1:]
        total = float(w.sum())
        scale = w * (len(w) / total) if total > 0 else np.zeros_like(w)
        grad = super().output_gradient(y_hat, targets, out=out)
        grad *= scale
        return grad

    def _loss(self, X, y):
        """sum_i w_i l_i / m: with weights of mean 1 over the data set, the
        mean over all chunks is the weighted mean loss."""
        targets, w = y[:, :-1], y[:, -1]
        h = self._logits(X) if self.fused_output else None
        # a canonical pair's loss is taken from the logits alone
        out = self._predict(X) if h is None else None
        losses = record_losses(self.loss_fn.name, out, h, targets)
        return float(np.dot(w, losses)) / len(w)
