"""What an evaluation of ``fit`` measures: the loss on the training records and
on the validation records, each on at most a strided sample of them.

Every k-th record, chosen once: the same records at every evaluation, so that
two evaluations compare like with like, and nothing is taken from the
training's random stream. ``History.train_rows`` and ``val_rows`` say how many.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..fast.rows import release_pages, strided_sample

#: rows per chunk when evaluating a loss over a whole data set
EVAL_CHUNK = 1 << 12


def dataset_loss(network, X, y) -> float:
    """Mean loss over a whole data set, evaluated in chunks (no big copies)."""
    n = len(X)
    total = 0.0
    for start in range(0, n, EVAL_CHUNK):
        xb = np.asarray(X[start : start + EVAL_CHUNK], dtype=network.dtype)
        yb = y[start : start + EVAL_CHUNK]
        total += network._loss(xb, yb) * len(xb)
        release_pages(X)  # a memory-mapped file is read, not kept resident
        release_pages(y)
    return total / n


@dataclass
class Losses:
    """One evaluation: the losses after ``step`` updates, ``done`` units in."""

    done: int
    step: int
    train: float
    val: float | None

    @property
    def monitored(self) -> float:
        """What early stopping and divergence watch: validation if there is one."""
        return self.train if self.val is None else self.val


class Measure:
    """The (sampled) training and validation sets, and the losses on them."""

    def __init__(self, network, X, y, val, settings):
        self.network = network
        self.train = strided_sample(X, y, network.dtype, settings.train_sample)
        self.val = None
        if val is not None:
            self.val = strided_sample(*val, network.dtype, settings.val_sample)
        self.n, self.n_val = settings.n, settings.n_val

    @property
    def train_rows(self) -> int:
        return len(self.train[0])

    @property
    def val_rows(self) -> int | None:
        return None if self.val is None else len(self.val[0])

    def train_loss(self) -> float:
        return dataset_loss(self.network, *self.train)

    def losses(self, done, step) -> Losses:
        train = self.train_loss()
        val = dataset_loss(self.network, *self.val) if self.val else None
        return Losses(done, step, train, val)
