"""The training loop: one ``fit`` for the lecture's three schedules and more.

``sampling`` picks how records reach each weight update:

- ``"per_record"`` -- the GRE pseudo-code: every epoch, the weight steps of all
  records are accumulated and applied once, divided by the number of records
  (lr / n). The sum over records is taken in matrix form, X^T . delta, which
  equals the lecture's record-by-record loop (``bpnn.reference``, tested equal
  to 1e-12) at a fraction of the cost.
- ``"random"`` -- the bike pseudo-code: each step draws ``batch_size`` records
  at random, with replacement. The indices of many steps are drawn at once
  (``bpnn.batches.RandomBatches``, whose ``snapshot``/``restore`` continue the
  stream exactly after a stop).
- ``"shuffle"`` -- epochs over a fresh permutation, in batches of
  ``batch_size`` (``None`` = the whole set: plain full-batch gradient descent).

Every ``eval_every`` epochs (or steps) the loss on the training set and on
``validation_data`` is recorded in a ``History``. The training loss is measured
on at most ``train_sample`` records (every k-th, chosen once; ``None``: all of
them), so that evaluating does not cost more than training; the validation loss
and the final metrics (``bpnn.metrics``) use every record. ``patience`` stops training
when the monitored loss (validation if given, else training) has not improved
for that many evaluations beyond the best -- ``patience=0`` is the lecture's
"stop when the loss rises" -- and restores the best weights. A non-finite loss
or weight, or one past a bound (``bpnn.divergence``), stops training too,
restoring the weights of the last good evaluation. Ctrl-C or SIGTERM finishes
the current epoch (or step) and returns what was learnt so far; with
``state=TrainingState()`` such a run can be saved and continued exactly
(``bpnn.checkpoint``).

X may be a ``np.memmap`` (``np.load(path, mmap_mode="r")``): each step copies
only its batch into a reused buffer, and evaluation reads the data in chunks,
so with ``sampling="random"`` memory does not grow with the number of records
(``"shuffle"`` keeps one permutation, 8 bytes a record).
"""

from __future__ import annotations

import math
import signal

import numpy as np

from ..engine.checks import check_int, check_positive, check_seed
from ..engine.optimizers import SGD, Optimizer
from ..errors import InputError, InputTypeError
from ..fast.rows import RELEASE_ROWS, Gather, RandomBatches, strided_sample
from .evaluation import Evaluator, dataset_loss, progress_bar
from .signals import StopOnSignal
from .state import TrainingState

SAMPLINGS = ("shuffle", "random", "per_record")
#: records of the training set the recorded training loss is measured on
TRAIN_SAMPLE = 4096


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


def fit(
    network,
    X,
    y,
    *,
    optimizer=None,
    epochs=None,
    steps=None,
    batch_size=None,
    sampling="shuffle",
    validation_data=None,
    eval_every=None,
    patience=None,
    seed=None,
    progress=False,
    callback=None,
    state=None,
    train_sample=TRAIN_SAMPLE,
):
    """Train ``network`` on X (n, n_in), y (n,) or (n, n_out); return a History.

    ``epochs`` or ``steps`` sets the length (default 100 epochs); ``eval_every``
    is in the same unit (default: about 100 evaluations in all). ``optimizer``
    defaults to ``SGD(0.1)``. ``seed`` fixes the order of the records, so the
    same seed and data give bit-identical weights. ``callback(network, history)``
    is called after every evaluation; returning False stops training.

    ``train_sample``: the training loss recorded (and checked for divergence)
    is measured on every k-th record, k = ceil(n / train_sample), at most
    ``train_sample`` of them; ``None`` measures all. ``History.train_rows`` says
    how many.

    ``state``: a ``TrainingState`` kept up to date for saving the run; pass one
    loaded by ``bpnn.checkpoint.load_checkpoint`` (with the same data and
    arguments) to continue an interrupted run exactly where it stopped.
    """
    X = network.check_X(X)
    y = network.check_y(y, len(X))
    val = None
    if validation_data is not None:
        if not isinstance(validation_data, (tuple, list)) or len(validation_data) != 2:
            raise InputTypeError(
                "validation_data must be a pair (X_val, y_val), got "
                f"{type(validation_data).__name__}"
            )
        X_val, y_val = validation_data
        X_val = network.check_X(X_val, "validation X")
        val = (X_val, network.check_y(y_val, len(X_val), "validation y"))
    optimizer = SGD(0.1) if optimizer is None else optimizer
    _check_optimizer(optimizer, network)
    n = len(X)
    units, per_unit, unit = _schedule(n, sampling, epochs, steps, batch_size)
    eval_every = check_positive("eval_every", eval_every, int, allow_none=True)
    eval_every = eval_every or max(1, units // 100)
    if patience is not None:
        patience = check_int("patience", patience, 0)
    seed = check_seed("seed", seed)
    train_sample = check_positive("train_sample", train_sample, int, allow_none=True)
    if callback is not None and not callable(callback):
        raise InputTypeError(f"callback must be callable, got {callback!r}")
    batch = batch_size or n
    if sampling == "shuffle":
        batch = min(batch, n)
    settings = {
        "sampling": sampling,
        "unit": unit,
        "units": units,
        "batch": batch,
        "eval_every": eval_every,
        "patience": patience,
        "n": n,
        "validation": val is not None,
        "train_sample": train_sample,
    }
    state = TrainingState() if state is None else state
    if not isinstance(state, TrainingState):
        raise InputTypeError(f"state must be a bpnn TrainingState, got {state!r}")
    X_loss, y_loss = strided_sample(X, y, network.dtype, train_sample)
    state.start(settings, seed, network, lambda: dataset_loss(network, X_loss, y_loss))
    if state.finished:
        return state.history
    state.history.train_rows = len(X_loss)
    rng, history, step, order = state.rng, state.history, state.step, state.order
    bar = progress_bar(progress, units, unit, state.done)
    evaluator = Evaluator(
        network,
        (X_loss, y_loss),
        val,
        state,
        optimizer,
        unit=unit,
        batch=batch,
        n=n,
        patience=patience,
        callback=callback,
        bar=bar,
    )

    gather = Gather(X, y, network.dtype, batch) if sampling != "per_record" else None
    batches = RandomBatches(rng, n, batch) if sampling == "random" else None
    if batches is not None and state.batches is not None:
        batches.restore(state.batches)  # continue an interrupted run's block
    release_every = max(1, RELEASE_ROWS // batch)

    def train_on(idx):
        nonlocal step
        network.train_step(*gather(idx), optimizer)
        step += 1
        if step % release_every == 0:
            gather.release()  # bounded resident memory for a memory-mapped X

    try:
        done = state.done
        with StopOnSignal() as stop, np.errstate(over="ignore", invalid="ignore"):
            for done in range(state.done + 1, units + 1):
                if sampling == "per_record":
                    _per_record_epoch(network, X, y, optimizer)
                    step += 1
                elif sampling == "random":
                    for _ in range(per_unit):
                        train_on(batches.next())
                elif unit == "step":
                    # steps over shuffled epochs
                    if step % math.ceil(n / batch) == 0:
                        order = rng.permutation(n)
                    k = step % math.ceil(n / batch)
                    train_on(order[k * batch : (k + 1) * batch])
                else:
                    order = rng.permutation(n)
                    for start in range(0, n, batch):
                        train_on(order[start : start + batch])
                last = done == units
                scheduled = done % eval_every == 0 or last
                if scheduled and not evaluator.evaluate(done, step):
                    break
                if stop.received is not None and not last:
                    # no extra evaluation in the history, so that a resumed run
                    # sees the same ones; but never keep diverged weights
                    if not scheduled and not evaluator.sound(done):
                        break
                    history.stop_reason = "interrupted"
                    history.message = (
                        f"interrupted by {signal.Signals(stop.received).name} "
                        f"after {unit} {done} of {units}"
                    )
                    state.signal = stop.received
                    break
    finally:
        state.done, state.step = done, step
        state.order = order if sampling == "shuffle" and unit == "step" else None
        state.batches = batches.snapshot() if batches is not None else None
        if gather is not None:
            gather.close()
        if bar is not None:
            bar.close()
    state.finished = history.stop_reason != "interrupted"
    return history


def _check_optimizer(optimizer, network):
    """An optimizer object whose saved state (if any) fits this network."""
    if not isinstance(optimizer, Optimizer):
        raise InputTypeError(
            "optimizer must be a bpnn optimizer such as bpnn.SGD(0.1) or "
            f"bpnn.Adam(0.001), got {optimizer!r}"
        )
    shapes = [p.shape for p in network.params()]
    arrays = optimizer.state_dict()["arrays"]  # named like velocity0, m1, v1
    for key, arr in arrays.items():
        i = int(key.lstrip("abcdefghijklmnopqrstuvwxyz") or 0)
        if i >= len(shapes) or arr.shape != shapes[i]:
            raise InputError(
                f"optimizer holds state {key} of shape {arr.shape}, but this "
                f"network's weights have shapes {shapes}: give each network its "
                "own optimizer"
            )


def _per_record_epoch(network, X, y, optimizer):
    """One epoch of the GRE pseudo-code: the weight steps of every record summed
    (as X^T . delta), then one update with lr/n -- the gradient of the mean loss."""
    network.train_step(np.asarray(X, dtype=network.dtype), y, optimizer)
