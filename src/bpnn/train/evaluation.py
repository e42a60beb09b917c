"""What ``fit`` does at each evaluation: record the losses, watch for
divergence, keep the best weights, stop early, report progress.

The training loop only trains; every decision taken between two stretches of
training lives here, in one object that sees the run's ``TrainingState`` and
``History``.
"""

from __future__ import annotations

import numpy as np

from ..fast.rows import release_pages
from .divergence import find_divergence, restore_after_divergence

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


class Evaluator:
    """Evaluations of one run of ``fit``.

    ``train`` is the (X, y) the training loss is measured on (the whole set or
    its strided sample), ``val`` the validation pair or None; ``unit`` is
    "epoch" or "step"; ``batch`` and the number of records ``n`` turn steps
    into epochs.
    """

    def __init__(
        self,
        network,
        train,
        val,
        state,
        optimizer,
        *,
        unit,
        batch,
        n,
        patience=None,
        callback=None,
        bar=None,
    ):
        self.network, self.train, self.val = network, train, val
        self.state, self.history, self.optimizer = state, state.history, optimizer
        self.params = network.params()
        self.unit, self.batch, self.n = unit, batch, n
        self.patience, self.callback, self.bar = patience, callback, bar

    def losses(self):
        """(training loss, validation loss or None) at the current weights."""
        train_loss = dataset_loss(self.network, *self.train)
        val_loss = dataset_loss(self.network, *self.val) if self.val else None
        return train_loss, val_loss

    def _diverged(self, train_loss, monitored, where, recorded=True) -> bool:
        problem = find_divergence(
            train_loss, monitored, self.state.initial_loss, self.network
        )
        if problem:
            restore_after_divergence(
                self.history,
                self.state,
                self.params,
                problem,
                where,
                self.optimizer,
                recorded=recorded,
            )
        return bool(problem)

    def sound(self, done_units) -> bool:
        """Check for divergence without recording an evaluation (before an
        interrupted run stops between two evaluations)."""
        train_loss, val_loss = self.losses()
        monitored = train_loss if val_loss is None else val_loss
        where = f"{self.unit} {done_units}"
        return not self._diverged(train_loss, monitored, where, recorded=False)

    def evaluate(self, done_units, step) -> bool:
        """Record the losses after ``step`` updates; False stops training."""
        train_loss, val_loss = self.losses()
        history, state = self.history, self.state
        history.step.append(step)
        history.epoch.append(
            done_units if self.unit == "epoch" else step * self.batch / self.n
        )
        history.train_loss.append(train_loss)
        history.val_loss.append(val_loss)
        self._report(done_units, train_loss, val_loss)
        monitored = train_loss if val_loss is None else val_loss
        if self._diverged(train_loss, monitored, f"{self.unit} {done_units}"):
            return False
        for p, g in zip(self.params, state.good):
            g[...] = p
        if monitored < state.best_loss:
            state.best_loss, state.since_best = monitored, 0
            if self.patience is not None:
                state.best = [p.copy() for p in self.params]
            history.best_index = len(history) - 1
        else:
            state.since_best += 1
            if self.patience is not None and state.since_best > self.patience:
                self._stop_early(done_units)
                return False
        if self.callback is not None and self.callback(self.network, history) is False:
            history.stop_reason = "callback"
            return False
        return True

    def _stop_early(self, done_units):
        """The lecture's rule, with patience: go back to the best weights."""
        history, state = self.history, self.state
        for p, b in zip(self.params, state.best):
            p[...] = b
        history.stop_reason = "early_stopping"
        kept = history.step[history.best_index]
        history.message = (
            f"stopped at {self.unit} {done_units}: the "
            f"{'validation' if self.val else 'training'} loss did not improve "
            f"for {state.since_best} evaluation(s); restored the best weights "
            f"(after update {kept})"
        )

    def _report(self, done_units, train_loss, val_loss):
        if self.bar is None:
            return
        self.bar.update(done_units - self.bar.n)
        # say so when the training loss is measured on a sample of the records
        train = "train" if len(self.train[0]) >= self.n else "train sample"
        self.bar.set_postfix(
            {
                train: f"{train_loss:.4g}",
                "val": "-" if val_loss is None else f"{val_loss:.4g}",
            }
        )


def progress_bar(enabled, total, unit, initial=0):
    """A tqdm bar over the run's units, or None (disabled, or no tqdm)."""
    if not enabled:
        return None
    try:
        from tqdm.auto import tqdm
    except ImportError:  # pragma: no cover - tqdm ships with the apps extra
        return None
    return tqdm(
        total=total, initial=initial, unit=unit, dynamic_ncols=True, leave=False
    )
