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
``validation_data`` is recorded in a ``History``. ``patience`` stops training
when the monitored loss (validation if given, else training) has not improved
for that many evaluations beyond the best -- ``patience=0`` is the lecture's
"stop when the loss rises" -- and restores the best weights. A non-finite loss
or weight stops training too, restoring the last good weights. Ctrl-C finishes
the current step and returns what was learnt so far.

X may be a ``np.memmap`` (``np.load(path, mmap_mode="r")``): each step copies
only its batch into a reused buffer, and evaluation reads the data in chunks,
so with ``sampling="random"`` memory does not grow with the number of records
(``"shuffle"`` keeps one permutation, 8 bytes a record).
"""

from __future__ import annotations

import math
import signal
import threading
from dataclasses import asdict, dataclass, field

import numpy as np

from .batches import RELEASE_ROWS, Gather, RandomBatches, release_pages
from .checks import check_positive
from .optimizers import SGD

SAMPLINGS = ("shuffle", "random", "per_record")
#: rows per chunk when evaluating a loss over a whole data set
EVAL_CHUNK = 1 << 12
#: a weight larger than this in magnitude counts as divergence
WEIGHT_BOUND = 1e8


@dataclass
class History:
    """Losses recorded at each evaluation, and why training stopped."""

    step: list = field(default_factory=list)
    epoch: list = field(default_factory=list)
    train_loss: list = field(default_factory=list)
    val_loss: list = field(default_factory=list)
    #: completed | early_stopping | diverged | interrupted | callback
    stop_reason: str = "completed"
    #: index of the evaluation whose weights the network holds after an early stop
    best_index: int | None = None
    message: str = ""

    def __len__(self):
        return len(self.step)

    def to_dict(self) -> dict:
        return asdict(self)


def dataset_loss(network, X, y) -> float:
    """Mean loss over a whole data set, evaluated in chunks (no big copies)."""
    n = len(X)
    total = 0.0
    for start in range(0, n, EVAL_CHUNK):
        xb = np.asarray(X[start : start + EVAL_CHUNK], dtype=network.dtype)
        yb = y[start : start + EVAL_CHUNK]
        total += network._loss(xb, yb) * len(xb)
        release_pages(X)
    return total / n


class _StopOnSignal:
    """Turn SIGINT into a flag checked between steps, so a step is never cut
    in half; outside the main thread signals are left alone."""

    def __init__(self, signals=(signal.SIGINT,)):
        self.signals = signals
        self.received = None
        self._previous = {}

    def _handler(self, signum, frame):
        self.received = signum

    def __enter__(self):
        if threading.current_thread() is threading.main_thread():
            for sig in self.signals:
                self._previous[sig] = signal.signal(sig, self._handler)
        return self

    def __exit__(self, *exc):
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)
        return False


def _schedule(n, sampling, epochs, steps, batch_size):
    """Return (number of units, updates per unit, unit name)."""
    if sampling not in SAMPLINGS:
        raise ValueError(
            f"unknown sampling {sampling!r}; choose one of {', '.join(SAMPLINGS)}"
        )
    if epochs is not None and steps is not None:
        raise ValueError("give epochs= or steps=, not both")
    epochs = check_positive("epochs", epochs, int, allow_none=True)
    steps = check_positive("steps", steps, int, allow_none=True)
    batch_size = check_positive("batch_size", batch_size, int, allow_none=True)
    if sampling == "per_record":
        if batch_size is not None or steps is not None:
            raise ValueError(
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
):
    """Train ``network`` on X (n, n_in), y (n,) or (n, n_out); return a History.

    ``epochs`` or ``steps`` sets the length (default 100 epochs); ``eval_every``
    is in the same unit (default: about 100 evaluations in all). ``optimizer``
    defaults to ``SGD(0.1)``. ``seed`` fixes the order of the records, so the
    same seed and data give bit-identical weights. ``callback(network, history)``
    is called after every evaluation; returning False stops training.
    """
    X = network.check_X(X)
    y = network.check_y(y, len(X))
    val = None
    if validation_data is not None:
        X_val, y_val = validation_data
        X_val = network.check_X(X_val, "validation X")
        val = (X_val, network.check_y(y_val, len(X_val), "validation y"))
    optimizer = optimizer or SGD(0.1)
    n = len(X)
    units, per_unit, unit = _schedule(n, sampling, epochs, steps, batch_size)
    eval_every = check_positive("eval_every", eval_every, int, allow_none=True)
    eval_every = eval_every or max(1, units // 100)
    if patience is not None and (isinstance(patience, bool) or not isinstance(
            patience, (int, np.integer)) or patience < 0):
        raise ValueError(f"patience must be an int >= 0 or None, got {patience!r}")
    batch = batch_size or n
    if sampling == "shuffle":
        batch = min(batch, n)
    rng = np.random.default_rng(seed)
    history = History()
    params = network.params()
    good = [p.copy() for p in params]  # weights of the last good evaluation
    best, best_loss, since_best = None, math.inf, 0
    bar = _progress(progress, units, unit)
    step = 0

    def evaluate(done_units):
        nonlocal best, best_loss, since_best
        train_loss = dataset_loss(network, X, y)
        val_loss = dataset_loss(network, *val) if val else None
        history.step.append(step)
        history.epoch.append(done_units if unit == "epoch" else step * batch / n)
        history.train_loss.append(train_loss)
        history.val_loss.append(val_loss)
        if bar is not None:
            bar.update(done_units - bar.n)
            bar.set_postfix(train=f"{train_loss:.4g}", val=f"{val_loss:.4g}" if val else "-")
        monitored = val_loss if val else train_loss
        finite = math.isfinite(monitored) and math.isfinite(train_loss) and all(
            np.isfinite(p).all() and np.abs(p).max() < WEIGHT_BOUND for p in params
        )
        if not finite:
            for p, g in zip(params, good):
                p[...] = g
            history.stop_reason = "diverged"
            history.message = (
                f"training diverged at {unit} {done_units} (loss {monitored:.3g}); "
                f"restored the weights of the last good evaluation: try a lower "
                f"learning rate (now {getattr(optimizer, 'lr', '?')})"
            )
            return False
        for p, g in zip(params, good):
            g[...] = p
        if monitored < best_loss:
            best_loss, since_best = monitored, 0
            best = [p.copy() for p in params] if patience is not None else None
            history.best_index = len(history) - 1
        else:
            since_best += 1
            if patience is not None and since_best > patience:
                for p, b in zip(params, best):
                    p[...] = b
                history.stop_reason = "early_stopping"
                kept = history.step[history.best_index]
                history.message = (
                    f"stopped at {unit} {done_units}: the "
                    f"{'validation' if val else 'training'} loss did not improve "
                    f"for {since_best} evaluation(s); restored the best weights "
                    f"(after update {kept})"
                )
                return False
        if callback is not None and callback(network, history) is False:
            history.stop_reason = "callback"
            return False
        return True

    gather = Gather(X, y, network.dtype, batch) if sampling != "per_record" else None
    batches = RandomBatches(rng, n, batch) if sampling == "random" else None
    release_every = max(1, RELEASE_ROWS // batch)

    def train_on(idx):
        nonlocal step
        network.train_step(*gather(idx), optimizer)
        step += 1
        if step % release_every == 0:
            gather.release()  # bounded resident memory for a memory-mapped X

    try:
        with _StopOnSignal() as stop:
            for done in range(1, units + 1):
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
                if stop.received is not None:
                    if evaluate(done):
                        history.stop_reason = "interrupted"
                        history.message = f"interrupted at {unit} {done}"
                    break
                if (done % eval_every == 0 or last) and not evaluate(done):
                    break
    finally:
        if gather is not None:
            gather.close()
        if bar is not None:
            bar.close()
    return history


def _per_record_epoch(network, X, y, optimizer):
    """One epoch of the GRE pseudo-code: the weight steps of every record summed
    (as X^T . delta), then one update with lr/n -- the gradient of the mean loss."""
    network.train_step(np.asarray(X, dtype=network.dtype), y, optimizer)


def _progress(enabled, total, unit):
    if not enabled:
        return None
    try:
        from tqdm.auto import tqdm
    except ImportError:  # pragma: no cover - tqdm ships with the apps extra
        return None
    return tqdm(total=total, unit=unit, dynamic_ncols=True, leave=False)
