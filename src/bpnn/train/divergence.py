"""When a run has diverged, and what is done about it.

Training stops when the loss or a weight is NaN or inf, when a weight grows
past ``WEIGHT_BOUND`` or the loss past ``LOSS_GROWTH`` times the loss of the
initial weights. The weights of the last good evaluation come back, the bad
evaluation leaves the history, and the message suggests a lower learning rate.
Checked at each evaluation only, never per step.
"""

from __future__ import annotations

import math

import numpy as np

#: a weight larger than this in magnitude counts as divergence
WEIGHT_BOUND = 1e8
#: so does a loss this many times the loss of the initial weights
LOSS_GROWTH = 1e6


def find_divergence(train_loss, monitored, initial_loss, network):
    """What went wrong, in words, or "" while training is sound."""
    for loss in (train_loss, monitored):
        if not math.isfinite(loss):
            return f"the loss became {loss}"
    bound = LOSS_GROWTH * max(initial_loss, 1e-12)
    if max(train_loss, monitored) > bound:
        return (
            f"the loss grew to {max(train_loss, monitored):.3g}, past "
            f"{LOSS_GROWTH:g} times its initial {initial_loss:.3g}"
        )
    for i, layer in enumerate(network.layers):
        for name, p in zip("Wb", layer.params()):
            if not np.isfinite(p).all():
                return f"weight {name}{i} became NaN or inf"
            if np.abs(p).max() > WEIGHT_BOUND:
                return (
                    f"weight {name}{i} grew to {np.abs(p).max():.3g}, past the "
                    f"bound {WEIGHT_BOUND:g}"
                )
    return ""


class Divergence:
    """Watches each evaluation for divergence; keeps the weights of the last
    good one (``good``) and the loss of the initial weights it is judged by."""

    def __init__(self, network, history, optimizer, unit):
        self.network, self.history, self.optimizer = network, history, optimizer
        self.params, self.unit = network.params(), unit
        self.initial_loss = None
        self.good = None

    def begin(self, initial_loss):
        """A fresh run: the initial weights are the first good ones."""
        self.initial_loss = initial_loss
        self.good = [p.copy() for p in self.params]

    def after_evaluation(self, losses) -> bool:
        if self._diverged(losses, recorded=True):
            return False
        for p, g in zip(self.params, self.good):
            g[...] = p
        return True

    def sound(self, losses) -> bool:
        """Check without an evaluation in the history (an interrupted run stops
        between two evaluations, but never keeps diverged weights)."""
        return not self._diverged(losses, recorded=False)

    def _diverged(self, losses, recorded) -> bool:
        problem = find_divergence(
            losses.train, losses.monitored, self.initial_loss, self.network
        )
        if problem:
            where = f"{self.unit} {losses.done}"
            restore_after_divergence(
                self.history, self.good, self.params, problem, where,
                self.optimizer, recorded,
            )  # fmt: skip
        return bool(problem)

    def state_dict(self) -> dict:
        arrays = {f"good{i}": g for i, g in enumerate(self.good or ())}
        return {"config": {"initial_loss": self.initial_loss}, "arrays": arrays}

    def load_state_dict(self, state):
        self.initial_loss = state["config"]["initial_loss"]
        arrays = state["arrays"]
        self.good = [arrays[f"good{i}"] for i in range(len(arrays))] or None


def restore_after_divergence(
    history, good, params, problem, where, optimizer, recorded=True
):
    """Restore the last good weights, drop the bad evaluation (if ``recorded``
    in the history), say so."""
    for p, g in zip(params, good):
        p[...] = g
    columns = (history.step, history.epoch, history.train_loss, history.val_loss)
    for column in columns if recorded else ():
        column.pop()
    if history.best_index is not None and history.best_index >= len(history):
        history.best_index = None
    kept = (
        f"the weights of the last good evaluation ({history.step[-1]} updates, "
        f"training loss {history.train_loss[-1]:.4g})"
        if len(history)
        else "the initial weights"
    )
    lr = getattr(optimizer, "lr", None)
    hint = (
        f"try a lower learning rate, such as {lr / 10:g} (now {lr:g})"
        if lr
        else ("try a lower learning rate")
    )
    history.stop_reason = "diverged"
    history.message = (
        f"training diverged at {where}: {problem}; restored {kept}: {hint}"
    )
