"""What one call of ``fit`` asks for, checked once: the schedule, the
evaluation budget, the stopping rules.

The default evaluation schedule is sized to the training work: each evaluation
measures the training loss on at most ``train_sample`` records and the
validation loss on at most ``val_sample`` (every k-th), and ``eval_every``
defaults to about ``EVALUATIONS`` evaluations in all -- fewer where those would
measure more than ``EVAL_SHARE`` of the rows trained. A loss over a record
costs a forward pass, a third of a training step's work or less, so
evaluating then adds about a tenth to the time of ``fit`` (``bpnn bench``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from ..engine.checks import check_int, check_positive, check_seed
from ..engine.optimizers import SGD, Optimizer
from ..errors import InputError, InputTypeError

SAMPLINGS = ("shuffle", "random", "per_record")
#: records of the training set the recorded training loss is measured on
TRAIN_SAMPLE = 4096
#: records of the validation set the recorded validation loss is measured on
VAL_SAMPLE = 4096
#: evaluations of a run when they are cheap
EVALUATIONS = 100
#: rows evaluated, at most, as a share of the rows trained (default schedule)
EVAL_SHARE = 0.25
#: settings of fit that a checkpoint keeps and a resumed run must repeat
RESUME_KEYS = (
    "sampling", "unit", "units", "batch", "eval_every", "patience", "n",
    "validation", "train_sample", "val_sample", "lr_decay",
)  # fmt: skip


@dataclass
class FitSettings:
    """One run's schedule: ``units`` epochs (or steps) of ``per_unit`` weight
    updates of ``batch`` records; an evaluation every ``eval_every`` units."""

    sampling: str
    unit: str  # "epoch" or "step"
    units: int
    per_unit: int
    batch: int
    n: int
    n_val: int
    eval_every: int
    patience: int | None
    seed: object
    train_sample: int | None
    val_sample: int | None
    #: the learning-rate decay's config, or None
    lr_decay: dict | None = None
    #: names left to their default: a resumed run keeps its own values
    defaulted: set = field(default_factory=set)

    @property
    def validation(self) -> bool:
        return self.n_val > 0

    def for_checkpoint(self) -> dict:
        return {key: getattr(self, key) for key in RESUME_KEYS}

    def rows_per_evaluation(self) -> int:
        """Records one evaluation measures (training and validation sample)."""
        return sampled_rows(self.n, self.train_sample) + sampled_rows(
            self.n_val, self.val_sample
        )

    def rows_trained(self) -> int:
        """Records the whole run trains on (counted again each time one is used)."""
        if self.unit == "epoch" and self.sampling != "random":
            return self.units * self.n  # every record once an epoch
        return self.units * self.per_unit * self.batch


def sampled_rows(n, limit) -> int:
    """Rows of every k-th record, k = ceil(n / limit) (``strided_sample``)."""
    if limit is None or n <= limit:
        return n
    return -(-n // -(-n // limit))


def default_eval_every(settings) -> int:
    """About ``EVALUATIONS`` evaluations, fewer where they would measure more
    than ``EVAL_SHARE`` of the rows trained."""
    units = settings.units
    per_evaluation = max(1, settings.rows_per_evaluation())
    affordable = max(1, int(EVAL_SHARE * settings.rows_trained()) // per_evaluation)
    return min(units, max(1, units // EVALUATIONS, math.ceil(units / affordable)))


def check_fit_args(network, X, y, validation_data, optimizer, **kw):
    """Checked (X, y, validation pair or None, optimizer, FitSettings)."""
    X = network.check_X(X)
    y = network.check_y(y, len(X))
    optimizer = check_fit_options(network, validation_data, optimizer, kw["callback"])
    val = None
    if validation_data is not None:
        X_val, y_val = validation_data
        X_val = network.check_X(X_val, "validation X")
        val = (X_val, network.check_y(y_val, len(X_val), "validation y"))
    return X, y, val, optimizer, _settings(len(X), val, **kw)


def check_fit_options(network, validation_data, optimizer, callback):
    """What fit checks besides the arrays (``bpnn.distributed.fit`` too): the
    validation pair's form, the optimizer (default ``SGD(0.1)``), the
    callback. Returns the optimizer."""
    if validation_data is not None and (
        not isinstance(validation_data, (tuple, list)) or len(validation_data) != 2
    ):
        raise InputTypeError(
            "validation_data must be a pair (X_val, y_val), got "
            f"{type(validation_data).__name__}"
        )
    optimizer = SGD(0.1) if optimizer is None else optimizer
    _check_optimizer(optimizer, network)
    if callback is not None and not callable(callback):
        raise InputTypeError(f"callback must be callable, got {callback!r}")
    return optimizer


def _settings(n, val, *, sampling, epochs, steps, batch_size, eval_every, **kw):
    units, per_unit, unit = _schedule(n, sampling, epochs, steps, batch_size)
    eval_every = check_positive("eval_every", eval_every, int, allow_none=True)
    patience = kw["patience"]
    if patience is not None:
        patience = check_int("patience", patience, 0)
    batch = batch_size or n
    if sampling == "shuffle":
        batch = min(batch, n)
    settings = FitSettings(
        sampling=sampling,
        unit=unit,
        units=units,
        per_unit=per_unit,
        batch=batch,
        n=n,
        n_val=0 if val is None else len(val[0]),
        eval_every=eval_every or 0,
        patience=patience,
        seed=check_seed("seed", kw["seed"]),
        train_sample=_sample("train_sample", kw["train_sample"]),
        val_sample=_sample("val_sample", kw["val_sample"]),
        lr_decay=_decay_config(kw["lr_decay"]),
        defaulted=set() if eval_every else {"eval_every"},
    )
    if not eval_every:
        settings.eval_every = default_eval_every(settings)
    return settings


def _decay_config(decay):
    if decay is None:
        return None
    if not hasattr(decay, "after_update"):
        raise InputTypeError(
            f"lr_decay must be a bpnn LearningRateDecay, got {decay!r}"
        )
    return decay.config()


def _sample(name, value):
    return check_positive(name, value, int, allow_none=True)


def _schedule(n, sampling, epochs, steps, batch_size):
    """Return (number of units, updates per unit, unit name)."""
    if sampling not in SAMPLINGS:
        raise InputError(
            f"unknown sampling {sampling!r}; choose one of {', '.join(SAMPLINGS)}"
        )
    if epochs is not None and steps is not None:
        raise InputError("give epochs= or steps=, not both")
    epochs = check_positive("epochs", epochs, int, allow_none=True)
    steps = check_positive("steps", steps, int, allow_none=True)
    batch_size = check_positive("batch_size", batch_size, int, allow_none=True)
    if sampling == "per_record":
        if batch_size is not None or steps is not None:
            raise InputError(
                "sampling='per_record' uses every record each epoch: give epochs=, "
                "not batch_size= or steps="
            )
        return (epochs or 100), 1, "epoch"
    if steps is not None:
        return steps, 1, "step"
    return (epochs or 100), math.ceil(n / (batch_size or n)), "epoch"


def _check_optimizer(optimizer, network):
    """An optimizer object whose saved state (if any) fits this network."""
    if not isinstance(optimizer, Optimizer):
        raise InputTypeError(
            "optimizer must be a bpnn optimizer such as bpnn.SGD(0.1) or "
            f"bpnn.Adam(0.001), got {optimizer!r}"
        )
    shapes = [p.shape for p in network.params()]
    for slot, arrays in optimizer.state_dict().get("slots", {}).items():
        held = [a.shape for a in arrays]
        if held != shapes:
            raise InputError(
                f"optimizer holds {slot} state of shapes {held}, but this "
                f"network's weights have shapes {shapes}: give each network its "
                "own optimizer"
            )
