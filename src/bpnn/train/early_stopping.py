"""Early stopping: the lecture's "stop when the loss rises", with patience.

The best monitored loss (validation if given, else training) is tracked at
every evaluation, and ``History.best_index`` points at it. With ``patience=P``
training stops at the P-th evaluation in a row that did not improve on the
best (``patience=0``, like 1: at the first), and the best weights come back.
"""

from __future__ import annotations

import math


class EarlyStopping:
    """Best loss, its weights, evaluations since; stops after ``patience``."""

    def __init__(self, network, history, patience, unit, validation):
        self.params, self.history = network.params(), history
        self.patience, self.unit, self.validation = patience, unit, validation
        #: evaluations without improvement that stop the run
        self.stop_after = None if patience is None else max(patience, 1)
        self.best_loss, self.since_best, self.best = math.inf, 0, None

    def after_evaluation(self, losses) -> bool:
        if losses.monitored < self.best_loss:
            self.best_loss, self.since_best = losses.monitored, 0
            if self.patience is not None:
                self.best = [p.copy() for p in self.params]
            self.history.best_index = len(self.history) - 1
            return True
        self.since_best += 1
        if self.stop_after is not None and self.since_best >= self.stop_after:
            self._stop(losses.done)
            return False
        return True

    def _stop(self, done):
        """Go back to the best weights, and say so."""
        history = self.history
        for p, b in zip(self.params, self.best):
            p[...] = b
        history.stop_reason = "early_stopping"
        kept = history.step[history.best_index]
        history.message = (
            f"stopped at {self.unit} {done}: the "
            f"{'validation' if self.validation else 'training'} loss did not "
            f"improve for {self.since_best} evaluation(s); restored the best "
            f"weights (after update {kept})"
        )

    def state_dict(self) -> dict:
        best_loss = None if math.isinf(self.best_loss) else self.best_loss
        config = {
            "best_loss": best_loss,
            "since_best": self.since_best,
            "stop_after": self.stop_after,
        }
        arrays = {f"best{i}": b for i, b in enumerate(self.best or ())}
        return {"config": config, "arrays": arrays}

    def load_state_dict(self, state):
        config, arrays = state["config"], state["arrays"]
        best_loss = config["best_loss"]
        self.best_loss = math.inf if best_loss is None else float(best_loss)
        self.since_best = int(config["since_best"])
        self.stop_after = config["stop_after"]
        self.best = [arrays[f"best{i}"] for i in range(len(arrays))] or None
