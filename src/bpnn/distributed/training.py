"""``fit`` on a Dask cluster: the workers compute, the client updates.

Every update sends the weights out once (one task holds them; each worker
fetches them once), each chunk returns its gradient sums (-a^T . delta over its
rows, the error term undivided), and the client adds them in chunk order,
divides by the rows of the update and makes the optimizer's step -- the
gradient of the mean loss over the union of the rows, the very number the
in-memory ``bpnn.fit`` computes (equal to 1e-12 in float64). Three schedules:

- ``sampling="per_record"`` (the GRE loop) and ``"shuffle"`` with
  ``batch_size=None``: every record in every update, one update per epoch.
- ``"shuffle"`` with ``batch_size=B``: synchronous data-parallel mini-batches.
  An epoch has S = ceil(n / B) steps; each chunk's rows are shuffled by a
  generator seeded with (seed, epoch, chunk) and cut into S consecutive
  slices of nearly equal size, and step s uses slice s of *every* chunk. The
  batches depend on the seed and the chunking alone, not on which worker holds
  a chunk; ``batch_rows`` lists a step's rows.
- ``"random"`` is not offered: use ``"shuffle"``.

- Mini-batches run by ``epochs=``; ``steps=`` is for full batches.

The losses (training and validation samples) are computed on the workers
too, at each evaluation only; ``eval_every`` defaults to ``bpnn.fit``'s
schedule, sized so that evaluating stays a small share of the work. A worker
that dies is replaced by Dask, which recomputes its chunks from their source;
a scheduler that goes away stops the run as ``interrupted``, with the weights
and ``state`` of the last whole epoch (or step), ready for
``bpnn.save_checkpoint``.
"""

from __future__ import annotations

import math

import numpy as np

from ..errors import InputError, InputTypeError
from ..train.loop import mark_interrupted
from ..train.settings import TRAIN_SAMPLE, VAL_SAMPLE, _settings, check_fit_options
from ..train.signals import StopOnSignal
from ..train.state import TrainingState
from ..train.watchers import make_watchers, progress_bar
from .chunks import Chunks, as_dask_array
from .cluster import require_dask, scheduler_gone, scheduler_lost
from .measure import ClusterMeasure
from .updates import Trainer, batch_rows

__all__ = ["batch_rows", "fit"]


def fit(
    network,
    X,
    y,
    *,
    client=None,
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
    """Train ``network`` on dask arrays X (n, n_in), y (n,) or (n, n_out) on
    ``client``'s cluster (default: the current Dask client); return a History.

    The keywords are ``bpnn.fit``'s, with the schedules of the module
    docstring. The network and optimizer stay on the client and hold the
    trained weights afterwards.
    """
    client = _client(client)
    if sampling == "random":
        raise InputError(
            "sampling='random' is not offered on Dask: use sampling='shuffle' "
            "with batch_size= (data-parallel mini-batches)"
        )
    optimizer = check_fit_options(network, validation_data, optimizer, callback)
    spec = network.to_config()
    X = as_dask_array(X)
    if X.ndim != 2 or X.shape[1] != network.n_in:
        raise InputError(
            f"X must be 2-D with {network.n_in} features per record (the first "
            f"layer's n_in), got shape {X.shape}"
        )
    train = Chunks(client, X, y, spec)
    val = None
    if validation_data is not None:
        val = Chunks(client, *validation_data, spec, name="validation X")
    run = _settings(
        len(train), None if val is None else (val, None), sampling=sampling,
        epochs=epochs, steps=steps, batch_size=batch_size, eval_every=eval_every,
        patience=patience, seed=seed, train_sample=train_sample,
        val_sample=val_sample, lr_decay=lr_decay,
    )  # fmt: skip
    _check_data_parallel(run, train)
    y_all = as_dask_array(y, rows=X.chunks[0][0])
    measure = ClusterMeasure(client, network, spec, run, train, (X, y_all), val,
                             validation_data)  # fmt: skip
    state = TrainingState() if state is None else state
    if not isinstance(state, TrainingState):
        raise InputTypeError(f"state must be a bpnn TrainingState, got {state!r}")
    fresh = state.start(run)
    if "batch_seed" not in state.settings:  # kept with the run for a resume
        state.settings["batch_seed"] = (
            run.seed if run.seed is not None else int(state.rng.integers(2**63))
        )
    chunks = list(train.rows) if run.per_unit > 1 else None
    if fresh:
        state.settings["chunks"] = chunks
    elif state.settings.get("chunks") != chunks:
        raise InputError(
            f"cannot resume: the run was started with chunks="
            f"{state.settings.get('chunks')}, this call gives chunks={chunks}"
        )
    if state.finished:
        return state.history
    bar = progress_bar(progress, run.units, run.unit, state.done)
    watchers = make_watchers(
        network, optimizer, run, measure, state.history,
        bar=bar, callback=callback, lr_decay=lr_decay,
    )  # fmt: skip
    trainer = Trainer(client, network, optimizer, train, state.settings["batch_seed"])
    try:
        watchers.start(None if fresh else state.parts)
        _train(trainer, watchers, state, run, lr_decay)
    finally:
        state.parts = watchers.state_dicts()
        watchers.close()
        if not scheduler_lost(client):
            measure.release()
    state.finished = state.history.stop_reason != "interrupted"
    return state.history


def _client(client):
    distributed = require_dask()
    if client is not None:
        return client
    try:
        return distributed.get_client()
    except ValueError:
        raise InputError(
            "no Dask client: pass client=, or create a distributed.Client first"
        ) from None


def _check_data_parallel(run, train):
    """Data-parallel mini-batches (``run.per_unit`` steps an epoch; 1: full
    batch or per record) need whole epochs and a slice of every chunk."""
    if run.sampling != "shuffle" or run.batch >= run.n:
        return
    if run.unit == "step":
        raise InputError(
            "mini-batches on Dask run by whole epochs: give epochs=, not steps="
        )
    if min(train.rows) < run.per_unit:
        raise InputError(
            f"batch_size={run.batch} is too small for chunks of {min(train.rows)} "
            f"rows: every step takes rows from every chunk, so give batch_size >= "
            f"{math.ceil(run.n / min(train.rows))}, or larger chunks"
        )


def _train(trainer, watchers, state, run, lr_decay):
    """The loop over epochs (or steps); stops as ``bpnn.fit`` does."""
    history, done = state.history, state.done
    with StopOnSignal() as stop, np.errstate(over="ignore", invalid="ignore"):
        for done in range(state.done + 1, run.units + 1):
            start = trainer.snapshot(state.step)
            try:
                for _ in range(run.per_unit):
                    if run.per_unit == 1:  # full batch, or per record
                        trainer.update()
                    else:
                        epoch, s = divmod(state.step, run.per_unit)
                        trainer.update(epoch, s, run.per_unit)
                    state.step += 1
                    if lr_decay is not None:
                        lr_decay.after_update(state.step)
                last = done == run.units
                scheduled = done % run.eval_every == 0 or last
                if scheduled and not watchers.evaluate(done, state.step):
                    break
                if stop.received is not None and not last:
                    if scheduled or watchers.sound(done, state.step):
                        mark_interrupted(state, stop.received, run, done)
                    break
            except Exception as err:
                if not scheduler_gone(trainer.client):
                    raise
                # back to the start of this unit, so the run continues exactly
                state.step = trainer.restore(start)
                done -= 1
                history.stop_reason = "interrupted"
                history.message = (
                    f"lost the Dask scheduler during {run.unit} {done + 1} of "
                    f"{run.units} ({type(err).__name__}: {err}); kept the weights "
                    f"after {run.unit} {done}"
                )
                break
    state.done = done
