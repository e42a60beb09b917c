"""The training loop: one ``fit`` for the lecture's three schedules and more.

``sampling`` picks how records reach each weight update (``samplers.py``):

- ``"per_record"`` -- the GRE pseudo-code: every epoch, the weight steps of all
  records are accumulated and applied once, divided by the number of records
  (lr / n). The sum over records is taken in matrix form, X^T . delta, which
  equals the lecture's record-by-record loop (``bpnn.explain.reference``,
  tested equal to 1e-12) at a fraction of the cost.
- ``"random"`` -- the bike pseudo-code: each step draws ``batch_size`` records
  at random, with replacement, the indices of many steps at once.
- ``"shuffle"`` -- epochs over a fresh permutation, in batches of
  ``batch_size`` (``None`` = the whole set: plain full-batch gradient descent).

Between two stretches of training, an evaluation measures the losses
(``evaluation.py``) and hands them to the watchers (``watchers.py``): the
history, the progress bar, divergence (``divergence.py``), early stopping
(``early_stopping.py``) and the user's callback, any of which may stop the
run. Ctrl-C or SIGTERM finishes the current epoch (or step) and returns what
was learnt so far; with ``state=TrainingState()`` such a run can be saved and
continued exactly (``checkpoint.py``). The arguments are checked, and the
evaluation schedule sized, in ``settings.py``.

X may be a ``np.memmap`` (``np.load(path, mmap_mode="r")``): each step copies
only its batch into a reused buffer, and evaluation reads the data in chunks,
so with ``sampling="random"`` memory does not grow with the number of records
(``"shuffle"`` keeps one permutation, 8 bytes a record).
"""

from __future__ import annotations

import signal

import numpy as np

from ..engine.resources import check_memory
from ..errors import InputTypeError
from ..fast.rows import RELEASE_ROWS, Gather
from .evaluation import Measure
from .samplers import make_sampler
from .settings import SAMPLINGS, TRAIN_SAMPLE, VAL_SAMPLE, check_fit_args
from .signals import StopOnSignal
from .state import TrainingState
from .watchers import make_watchers, progress_bar

__all__ = ["SAMPLINGS", "TRAIN_SAMPLE", "VAL_SAMPLE", "fit"]


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
    val_sample=VAL_SAMPLE,
    lr_decay=None,
):
    """Train ``network`` on X (n, n_in), y (n,) or (n, n_out); return a History.

    ``epochs`` or ``steps`` sets the length (default 100 epochs); ``eval_every``
    is in the same unit. ``optimizer`` defaults to ``SGD(0.1)``. ``seed`` fixes
    the order of the records, so the same seed and data give bit-identical
    weights. ``callback(network, history)`` is called after every evaluation;
    returning False stops training. ``lr_decay``: a
    ``bpnn.train.watchers.LearningRateDecay``, applied after every update.

    What an evaluation measures: the training loss on every k-th record,
    k = ceil(n / train_sample), at most ``train_sample`` of them, and the
    validation loss likewise on at most ``val_sample`` (``None``: every
    record); ``History.train_rows`` and ``val_rows`` say how many.

    When: every ``eval_every`` units and after the last. By default about 100
    evaluations in all, fewer where those would measure more records than a
    quarter of the records trained (``bpnn.train.settings``): evaluating then
    adds about a tenth to the training time, whatever the length of the run and
    the size of the data. ``patience`` and divergence are judged at
    evaluations; ``patience=P`` stops at the P-th evaluation in a row without
    improvement.

    ``state``: a ``TrainingState`` kept up to date for saving the run; pass one
    loaded by ``bpnn.load_checkpoint`` (with the same data and arguments) to
    continue an interrupted run exactly where it stopped; arguments left to
    their default then keep the values the run was started with.
    """
    X, y, val, optimizer, run = check_fit_args(
        network, X, y, validation_data, optimizer, sampling=sampling,
        epochs=epochs, steps=steps, batch_size=batch_size, eval_every=eval_every,
        patience=patience, seed=seed, callback=callback,
        train_sample=train_sample, val_sample=val_sample, lr_decay=lr_decay,
    )  # fmt: skip
    # a batch's rows, indices and work arrays: h, a, delta and dL/dx per layer
    check_memory(
        f"batch_size {run.batch} for layers {network.sizes}: the work arrays",
        (run.batch, sum(network.sizes)),
        4 * network.dtype.itemsize + 8,
    )
    state = TrainingState() if state is None else state
    if not isinstance(state, TrainingState):
        raise InputTypeError(f"state must be a bpnn TrainingState, got {state!r}")
    fresh = state.start(run)
    if state.finished:
        return state.history
    measure = Measure(network, X, y, val, run)
    history = state.history
    bar = progress_bar(progress, run.units, run.unit, state.done)
    watchers = make_watchers(
        network, optimizer, run, measure, history,
        bar=bar, callback=callback, lr_decay=lr_decay,
    )  # fmt: skip
    watchers.start(None if fresh else state.parts)
    sampler = make_sampler(run, state.rng, state.step)
    sampler.load_state_dict(state.parts.get("sampler", {}))
    gather = (
        None if run.sampling == "per_record" else Gather(X, y, network.dtype, run.batch)
    )
    release_every = max(1, RELEASE_ROWS // run.batch)
    step, done = state.step, state.done

    def update(idx):
        nonlocal step
        if idx is None:
            _per_record_epoch(network, X, y, optimizer)
        else:
            network.train_step(*gather(idx), optimizer)
        step += 1
        if gather is not None and step % release_every == 0:
            gather.release()  # bounded resident memory for a memory-mapped X
        if lr_decay is not None:
            lr_decay.after_update(step)

    try:
        with StopOnSignal() as stop, np.errstate(over="ignore", invalid="ignore"):
            for done in range(state.done + 1, run.units + 1):
                for _ in range(run.per_unit):
                    update(sampler.next_update())
                last = done == run.units
                scheduled = done % run.eval_every == 0 or last
                if scheduled and not watchers.evaluate(done, step):
                    break
                if stop.received is not None and not last:
                    # no extra evaluation in the history, so that a resumed run
                    # sees the same ones; but never keep diverged weights
                    if scheduled or watchers.sound(done, step):
                        mark_interrupted(state, stop.received, run, done)
                    break
    finally:
        state.done, state.step = done, step
        state.parts = {**watchers.state_dicts(), "sampler": sampler.state_dict()}
        if gather is not None:
            gather.close()
        watchers.close()
    state.finished = history.stop_reason != "interrupted"
    return history


def mark_interrupted(state, signum, run, done):
    """Ctrl-C or SIGTERM between two updates: say so in the history."""
    state.history.stop_reason = "interrupted"
    state.history.message = (
        f"interrupted by {signal.Signals(signum).name} "
        f"after {run.unit} {done} of {run.units}"
    )
    state.signal = signum


def _per_record_epoch(network, X, y, optimizer):
    """One epoch of the GRE pseudo-code: the weight steps of every record summed
    (as X^T . delta), then one update with lr/n -- the gradient of the mean loss."""
    network.train_step(np.asarray(X, dtype=network.dtype), y, optimizer)
