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

The losses (training sample, validation) are computed on the workers too, at
each evaluation only: ``eval_every`` (default about 100 evaluations a run)
keeps them a small share of the work. A worker that dies is replaced by Dask,
which recomputes its chunks from their source; a scheduler that goes away
stops the run as ``interrupted``, with the weights and ``state`` of the last
whole epoch (or step), ready for ``bpnn.save_checkpoint``.
"""

from __future__ import annotations

import copy
import math
import signal

import numpy as np

from ..engine.checks import check_int, check_positive
from ..engine.optimizers import SGD
from ..errors import InputError
from ..train.evaluation import Evaluator, progress_bar
from ..train.loop import TRAIN_SAMPLE, _check_optimizer, _schedule
from ..train.signals import StopOnSignal
from ..train.state import TrainingState
from . import work
from .chunks import Chunks, as_dask_array
from .cluster import require_dask, scheduler_gone, scheduler_lost


class SchedulerLost(Exception):
    """The Dask scheduler went away during training."""


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
):
    """Train ``network`` on dask arrays X (n, n_in), y (n,) or (n, n_out) on
    ``client``'s cluster (default: the current Dask client); return a History.

    The keywords are ``bpnn.fit``'s, with the schedules of the module
    docstring. The network and optimizer stay on the client and hold the
    trained weights afterwards.
    """
    distributed = require_dask()
    if client is None:
        try:
            client = distributed.get_client()
        except ValueError:
            raise InputError(
                "no Dask client: pass client=, or create a distributed.Client first"
            ) from None
    if sampling == "random":
        raise InputError(
            "sampling='random' is not offered on Dask: use sampling='shuffle' "
            "with batch_size= (data-parallel mini-batches)"
        )
    optimizer = SGD(0.1) if optimizer is None else optimizer
    _check_optimizer(optimizer, network)
    eval_every = check_positive("eval_every", eval_every, int, allow_none=True)
    if patience is not None:
        patience = check_int("patience", patience, 0)
    train_sample = check_positive("train_sample", train_sample, int, allow_none=True)
    if callback is not None and not callable(callback):
        raise TypeError(f"callback must be callable, got {callback!r}")
    if validation_data is not None and (
        not isinstance(validation_data, (tuple, list)) or len(validation_data) != 2
    ):
        raise TypeError(
            "validation_data must be a pair (X_val, y_val), got "
            f"{type(validation_data).__name__}"
        )
    spec = network.to_config()
    X = as_dask_array(X)
    if X.ndim != 2 or X.shape[1] != network.n_in:
        raise InputError(
            f"X must be 2-D with {network.n_in} features per record (the first "
            f"layer's n_in), got shape {X.shape}"
        )
    train = Chunks(client, X, y, spec)
    n = len(train)
    units, per_unit, unit = _schedule(n, sampling, epochs, steps, batch_size)
    minibatch = sampling == "shuffle" and batch_size is not None and batch_size < n
    steps_per_epoch = math.ceil(n / batch_size) if minibatch else 1
    if minibatch and min(train.rows) < steps_per_epoch:
        raise InputError(
            f"batch_size={batch_size} is too small for chunks of {min(train.rows)} "
            f"rows: every step takes rows from every chunk, so give batch_size >= "
            f"{math.ceil(n / min(train.rows))}, or larger chunks"
        )
    if not minibatch:
        per_unit = 1
    eval_every = eval_every or max(1, units // 100)
    settings = {
        "sampling": sampling,
        "unit": unit,
        "units": units,
        "batch": min(batch_size or n, n),
        "eval_every": eval_every,
        "patience": patience,
        "n": n,
        "validation": validation_data is not None,
        "train_sample": train_sample,
        "chunks": list(train.rows) if minibatch else None,
    }
    X_loss, y_loss = X, as_dask_array(y, rows=X.chunks[0][0])
    if train_sample is not None and n > train_sample:
        k = -(-n // train_sample)  # every k-th record, as bpnn.fit takes them
        X_loss, y_loss = X[::k], y_loss[::k]
    losses = Losses(client, network, spec)
    sample = train if X_loss is X else Chunks(client, X_loss, y_loss, spec)
    val = None
    if validation_data is not None:
        val = Chunks(client, *validation_data, spec, name="validation X")
    state = TrainingState() if state is None else state
    state.start(settings, seed, network, lambda: losses.mean(sample))
    if "batch_seed" not in state.settings:
        state.settings["batch_seed"] = (
            seed if seed is not None else int(state.rng.integers(2**63))
        )
    if state.finished:
        return state.history
    state.history.train_rows = len(sample)
    bar = progress_bar(progress, units, unit, state.done)
    evaluator = ClusterEvaluator(
        losses,
        sample,
        val,
        state,
        optimizer,
        unit=unit,
        batch=settings["batch"],
        n=n,
        patience=patience,
        callback=callback,
        bar=bar,
    )
    trainer = Trainer(client, network, optimizer, train, state.settings["batch_seed"])
    try:
        _train(trainer, evaluator, state, units, per_unit, unit, steps_per_epoch)
    finally:
        if bar is not None:
            bar.close()
        if not scheduler_lost(client):
            for chunks in {id(c): c for c in (train, sample, val) if c}.values():
                chunks.release()
    state.finished = state.history.stop_reason != "interrupted"
    return state.history


def _train(trainer, evaluator, state, units, per_unit, unit, steps_per_epoch):
    """The loop over epochs (or steps); stops as ``fit`` does."""
    history, done = state.history, state.done
    with StopOnSignal() as stop, np.errstate(over="ignore", invalid="ignore"):
        for done in range(state.done + 1, units + 1):
            start = trainer.snapshot(state.step)
            try:
                for _ in range(per_unit):
                    if steps_per_epoch == 1:
                        trainer.update()
                    else:  # step s of its epoch, whether a unit is an epoch or a step
                        epoch, s = divmod(state.step, steps_per_epoch)
                        trainer.update(epoch, s, steps_per_epoch)
                    state.step += 1
                last = done == units
                scheduled = done % evaluator.every == 0 or last
                if scheduled and not evaluator.evaluate(done, state.step):
                    break
                if stop.received is not None and not last:
                    if not scheduled and not evaluator.sound(done):
                        break
                    history.stop_reason = "interrupted"
                    history.message = (
                        f"interrupted by {signal.Signals(stop.received).name} "
                        f"after {unit} {done} of {units}"
                    )
                    state.signal = stop.received
                    break
            except Exception as err:
                if not scheduler_gone(trainer.client):
                    raise
                # back to the start of this unit, so the run continues exactly
                state.step = trainer.restore(start)
                done -= 1
                history.stop_reason = "interrupted"
                history.message = (
                    f"lost the Dask scheduler during {unit} {done + 1} of {units} "
                    f"({type(err).__name__}: {err}); kept the weights after "
                    f"{unit} {done}"
                )
                break
    state.done = done


class Trainer:
    """The client's side of an update: weights out, gradient sums back, step."""

    def __init__(self, client, network, optimizer, chunks, batch_seed):
        self.client, self.network, self.optimizer = client, network, optimizer
        self.chunks, self.batch_seed = chunks, batch_seed
        self.params = network.params()

    def update(self, epoch=None, step=None, steps=None):
        """One update: on every record, or on slice ``step`` of ``steps`` of
        every chunk's shuffled rows in ``epoch``."""
        batches = ()
        if steps is not None:
            k = range(len(self.chunks.rows))
            batches = ([(self.batch_seed, epoch, c, steps, step) for c in k],)
        grads = gather_gradients(self.client, self.chunks, self.params, *batches)
        self.optimizer.step(self.params, grads)

    def snapshot(self, step):
        """What an update changes: the weights, the optimizer, the count."""
        return [p.copy() for p in self.params], copy.deepcopy(self.optimizer), step

    def restore(self, snapshot):
        params, optimizer, step = snapshot
        for p, saved in zip(self.params, params):
            p[...] = saved
        self.optimizer.__dict__.update(optimizer.__dict__)
        return step


def gather_gradients(client, chunks, params, *batches):
    """The gradient of the mean loss over the rows of one update: each chunk's
    gradient sums, added in chunk order on the client, divided by the rows."""
    weights = scatter_weights(client, params)
    try:
        results = chunks.map(work.gradient_sums, weights, *batches)
    finally:
        weights.release()
    total = [g.copy() for g in results[0][0]]
    for sums, _ in results[1:]:
        for t, g in zip(total, sums):
            t += g
    rows = sum(r for _, r in results)
    return [t / rows for t in total]


def scatter_weights(client, params):
    """The current weights as one future: they travel to the cluster once, in
    the task that holds them, and each worker that needs them fetches them
    once from a peer. Unlike scattered data, a task's result lost with its
    worker is recomputed, so a dying worker cannot take the weights along."""
    return client.submit(work.hold, [p.copy() for p in params], pure=False)


class Losses:
    """Mean losses over chunks, computed on the workers."""

    def __init__(self, client, network, spec):
        self.client, self.network, self.spec = client, network, spec
        self.params = network.params()

    def mean(self, chunks) -> float:
        weights = scatter_weights(self.client, self.params)
        try:
            results = chunks.map(work.loss_sum, weights)
        finally:
            weights.release()
        return sum(s for s, _ in results) / sum(r for _, r in results)


class ClusterEvaluator(Evaluator):
    """``fit``'s evaluations, with the losses computed on the workers."""

    def __init__(self, losses, sample, val, state, optimizer, **kwargs):
        super().__init__(
            losses.network, (sample, None), val, state, optimizer, **kwargs
        )
        self.cluster_losses = losses
        self.every = state.settings["eval_every"]

    def losses(self):
        train_loss = self.cluster_losses.mean(self.train[0])
        val_loss = self.cluster_losses.mean(self.val) if self.val else None
        return train_loss, val_loss


def batch_rows(chunk_rows, seed, epoch, step, batch_size):
    """The row indices (global, in chunk order) of mini-batch ``step`` of
    ``epoch`` for chunks of ``chunk_rows`` rows: what one data-parallel update
    trains on, for checking it against the in-memory step on the same rows."""
    n = sum(chunk_rows)
    steps = math.ceil(n / batch_size)
    parts, offset = [], 0
    for c, rows in enumerate(chunk_rows):
        start, stop = work.step_slice(rows, steps, step)
        parts.append(offset + work.chunk_order(seed, epoch, c, rows)[start:stop])
        offset += rows
    return np.concatenate(parts)
