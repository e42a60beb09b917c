"""What ``fit`` does between two stretches of training, one policy a class.

At each evaluation the losses are measured once and handed, in order, to the
history, the progress bar, the divergence check, early stopping and the user's
callback; the first that answers False stops the run. Each keeps its own state
and gives it as a ``state_dict()`` (JSON ``config`` and ``arrays``, like an
optimizer's): a checkpoint is the collection of them.
"""

from __future__ import annotations

from ..errors import InputError
from .divergence import Divergence
from .early_stopping import EarlyStopping


class Recorder:
    """Appends each evaluation to the ``History``, which is its state (kept as
    ``TrainingState.history``, saved as is in a checkpoint)."""

    def __init__(self, history, unit, batch, n):
        self.history, self.unit, self.batch, self.n = history, unit, batch, n

    def after_evaluation(self, losses) -> bool:
        h = self.history
        h.step.append(losses.step)
        h.epoch.append(
            losses.done if self.unit == "epoch" else losses.step * self.batch / self.n
        )
        h.train_loss.append(losses.train)
        h.val_loss.append(losses.val)
        return True


class Progress:
    """A tqdm bar over the run's units, with the last losses; says when a loss
    is measured on a sample of the records."""

    def __init__(self, bar, measure):
        self.bar = bar
        self.train = "train" if measure.train_rows >= measure.n else "train sample"
        self.val = "val" if (measure.val_rows or 0) >= measure.n_val else "val sample"
        self.loss = measure.network.loss_fn.name

    def after_evaluation(self, losses) -> bool:
        self.bar.update(losses.done - self.bar.n)
        val = "-" if losses.val is None else f"{losses.val:.4g}"
        postfix = {self.train: f"{losses.train:.4g}", self.val: val}
        if self.loss == "half_mse":
            # the lecture trains on half the MSE; the course's pass mark is on
            # the MSE itself, so show both, each by its name
            mse = [f"{2 * v:.4g}" for v in (losses.train, losses.val) if v is not None]
            postfix = {"loss": "½·MSE", **postfix, "MSE": "/".join(mse)}
        self.bar.set_postfix(postfix)
        return True

    def close(self):
        self.bar.close()


class Callback:
    """The user's ``callback(network, history)``; returning False stops."""

    def __init__(self, function, network, history):
        self.function, self.network, self.history = function, network, history

    def after_evaluation(self, losses) -> bool:
        if self.function(self.network, self.history) is False:
            self.history.stop_reason = "callback"
            return False
        return True


class LearningRateDecay:
    """The learning rate (学习率) falls as training goes on:
    lr = lr0 * factor ** (updates // every)  (``kind="step"``), or
    lr = lr0 * factor ** (updates / every)   (``kind="exponential"``).

    Applied after each weight update, from the rate the run started with
    (kept in its ``state_dict``), so a resumed run continues exactly.
    """

    KINDS = ("step", "exponential")

    def __init__(self, factor, every=1, kind="step"):
        if isinstance(factor, bool) or not 0 < float(factor) <= 1:
            raise InputError(f"lr decay factor must be in (0, 1], got {factor!r}")
        if isinstance(every, bool) or not isinstance(every, int) or every < 1:
            raise InputError(f"lr decay every must be an int >= 1, got {every!r}")
        if kind not in self.KINDS:
            raise InputError(f"lr decay kind must be step or exponential, got {kind!r}")
        self.factor, self.every, self.kind = float(factor), every, kind
        self.optimizer, self.initial_lr = None, None

    def config(self) -> dict:
        return {"factor": self.factor, "every": self.every, "kind": self.kind}

    def bind(self, optimizer):
        """Decay this optimizer's rate, from the one it has now."""
        self.optimizer, self.initial_lr = optimizer, optimizer.lr

    def after_evaluation(self, losses) -> bool:
        return True  # its work is done after each update

    def after_update(self, updates):
        if self.kind == "step":
            if updates % self.every == 0:
                self.optimizer.lr = self.initial_lr * self.factor ** (
                    updates // self.every
                )
        else:
            self.optimizer.lr = self.initial_lr * self.factor ** (updates / self.every)

    def state_dict(self) -> dict:
        return {"config": {"initial_lr": self.initial_lr}, "arrays": {}}

    def load_state_dict(self, state):
        self.initial_lr = float(state["config"]["initial_lr"])


class Watchers:
    """The run's policies, consulted in order at each evaluation."""

    def __init__(self, measure, items):
        self.measure, self.items = measure, items

    def start(self, parts=None):
        """A fresh run (``parts`` None) or one continued from its state_dicts."""
        history = self.items["history"].history
        history.train_rows = self.measure.train_rows
        history.val_rows = self.measure.val_rows
        if parts is None:
            self.items["divergence"].begin(self.measure.train_loss())
        else:
            self.load_state_dicts(parts)

    def evaluate(self, done, step) -> bool:
        """Measure the losses and hand them on; False stops training."""
        losses = self.measure.losses(done, step)
        return all(w.after_evaluation(losses) for w in self.items.values())

    def sound(self, done, step) -> bool:
        """No divergence (checked between two evaluations, not recorded)."""
        return self.items["divergence"].sound(self.measure.losses(done, step))

    def state_dicts(self) -> dict:
        return {
            name: w.state_dict()
            for name, w in self.items.items()
            if hasattr(w, "state_dict")
        }

    def load_state_dicts(self, parts):
        for name, w in self.items.items():
            if name in parts and hasattr(w, "load_state_dict"):
                w.load_state_dict(parts[name])

    def close(self):
        if "progress" in self.items:
            self.items["progress"].close()


def make_watchers(
    network, optimizer, settings, measure, history, *, bar, callback, lr_decay
):
    """The watchers of one run of ``fit``, in the order they are consulted
    (``bar``, ``callback``, ``lr_decay``: None when the run has none)."""
    unit = settings.unit
    items = {"history": Recorder(history, unit, settings.batch, settings.n)}
    if bar is not None:
        items["progress"] = Progress(bar, measure)
    items["divergence"] = Divergence(network, history, optimizer, unit)
    items["early_stopping"] = EarlyStopping(
        network, history, settings.patience, unit, settings.validation
    )
    if callback is not None:
        items["callback"] = Callback(callback, network, history)
    if lr_decay is not None:
        lr_decay.bind(optimizer)
        items["lr_decay"] = lr_decay
    return Watchers(measure, items)


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
