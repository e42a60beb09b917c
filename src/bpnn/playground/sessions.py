"""Training sessions: one network, its data and a thread that trains it.

Each browser tab gets its own session, keyed by a random id, so two tabs never
share a network. The thread takes ``Network.train_step`` on shuffled
mini-batches while the session plays, and about ten times a second records the
losses (a ``History``) and a *snapshot* of what the page draws; readers always
get the latest snapshot, never a queue of old ones. A session that no page
has asked about for ``idle_s`` seconds is closed and forgotten, and so is the
least recently seen one when there are more than ``max_sessions``.
"""

from __future__ import annotations

import math
import threading
import time
import uuid

import numpy as np

from ..apps.config import RunConfig
from ..apps.run import build_network, build_optimizer, network_targets
from ..fast.rows import Gather
from ..train.history import History
from ..train.samplers import Shuffled
from . import checks, snapshot
from .checks import RequestError

#: seconds between two snapshots (at most ~10 a second reach the page)
SNAPSHOT_EVERY = 0.1
#: weight updates a session makes before it pauses by itself
MAX_STEPS = 1_000_000
#: training records the recorded training loss is measured on
TRAIN_SAMPLE = 4096
HIDDEN_ACTIVATIONS = ("tanh", "sigmoid", "relu", "identity")
LOSSES = ("auto", "half_mse", "mse", "bce", "cross_entropy")


def run_config(body) -> RunConfig:
    """The hyper-parameters of a training request, checked."""
    hidden = body.get("hidden", [4])
    if hidden in ("", []):
        hidden = []
    else:
        hidden = checks.sizes(hidden, "hidden", checks.TRAIN_LIMITS, min_layers=1)
        if len(hidden) > checks.TRAIN_LIMITS["layers"] - 1:
            raise RequestError(
                f"hidden: at most {checks.TRAIN_LIMITS['layers'] - 1} hidden layers"
            )
    loss = checks.choice(body, "loss", LOSSES, "auto")
    optimizer = checks.choice(body, "optimizer", ("sgd", "adam"), "sgd")
    return RunConfig(
        hidden=hidden,
        activation=checks.choice(body, "activation", HIDDEN_ACTIVATIONS, "tanh"),
        loss=None if loss == "auto" else loss,
        bias=checks.flag(body, "bias", True),
        init=checks.choice(body, "init", ("normal", "xavier", "he"), "normal"),
        optimizer=optimizer,
        lr=checks.number(body, "lr", 0.1, 1e-6, 10),
        momentum=checks.number(body, "momentum", 0.0, 0, 0.999)
        if optimizer == "sgd"
        else 0.0,
        sampling="shuffle",
        batch_size=checks.number(
            body, "batch_size", 10, 1, checks.TRAIN_LIMITS["batch"], integer=True
        ),
        seed=checks.number(body, "seed", 0, 0, 2**32 - 1, integer=True),
    )


class Session:
    """A network training on a data set in its own thread."""

    def __init__(self, dataset, config):
        self.id = uuid.uuid4().hex
        self.dataset, self.config = dataset, config
        self.last_seen = time.monotonic()
        self.cond = threading.Condition()
        self.closed = False
        y = dataset.y_train
        every = max(1, math.ceil(len(y) / TRAIN_SAMPLE))
        self._sample = slice(None, None, every)
        # the version of the latest snapshot only grows, across resets too
        self.version, self.latest = 0, None
        with self.cond:
            self._build()
        self.thread = threading.Thread(target=self._loop, daemon=True)
        self.thread.start()

    # -- building and evaluating (the caller holds self.cond) -------------------
    def _build(self):
        try:
            self.network = build_network(self.config, self.dataset)
            self.optimizer = build_optimizer(self.config)
        except (ValueError, TypeError) as err:  # a loss that does not fit the task
            raise RequestError(str(err)) from None
        d, net = self.dataset, self.network
        self.X = net.check_X(d.X_train)
        try:
            self.y = net.check_y(network_targets(net, d.y_train), len(self.X))
            has_val = d.X_val is not None
            X_val, y_val = (d.X_val, d.y_val) if has_val else (d.X_test, d.y_test)
            self.val = (X_val, net.check_y(network_targets(net, y_val), len(X_val)))
        except (ValueError, TypeError) as err:
            raise RequestError(str(err)) from None
        self.val_name = "validation" if has_val else "test"
        # each batch is copied into the same buffers, as fit does
        self.gather = Gather(self.X, self.y, net.dtype, self.config.batch_size)
        # fit's own shuffled epochs, drawn from the seed
        rng = np.random.default_rng(self.config.seed)
        self.sampler = Shuffled(rng, len(self.X), self.config.batch_size)
        self.step = 0
        self.history = History(train_rows=len(self.X[self._sample]))
        self.running, self.pending, self.state = False, 0, "paused"
        self.message = ""
        self._evaluate()

    def _train(self, count):
        """``count`` weight updates on shuffled mini-batches."""
        for _ in range(count):
            idx = self.sampler.next_update()
            self.network.train_step(*self.gather(idx), self.optimizer)
            self.step += 1

    def _evaluate(self):
        net = self.network
        with np.errstate(all="ignore"):
            train = net.loss(self.X[self._sample], self.y[self._sample])
            val = net.loss(*self.val)
        h = self.history
        if h.step and h.step[-1] == self.step:
            h.train_loss[-1], h.val_loss[-1] = train, val
        else:
            n, batch = len(self.X), min(self.config.batch_size, len(self.X))
            h.step.append(self.step)
            h.epoch.append(self.step * batch // n)
            h.train_loss.append(train)
            h.val_loss.append(val)
        if not (math.isfinite(train) and math.isfinite(val)):
            self.running, self.state = False, "diverged"
            self.message = "the loss is no longer a finite number: lower the rate"
        elif self.step >= MAX_STEPS:
            self.running, self.state = False, "paused"
            self.message = f"paused after {MAX_STEPS} weight updates"
        self.latest = snapshot.of(self)
        self.version += 1
        self.cond.notify_all()

    # -- the thread ----------------------------------------------------------------
    def _loop(self):
        chunk, last = 1, time.monotonic()
        while True:
            with self.cond:
                while not (self.closed or self.running or self.pending):
                    self.cond.wait()
                if self.closed:
                    return
                single = not self.running
                # single steps asked for go in chunks too, then one snapshot
                count = min(self.pending, chunk) if single else chunk
                self.pending -= count if single else 0
                start = time.perf_counter()
                with np.errstate(all="ignore"):
                    self._train(count)
                took = time.perf_counter() - start
                now = time.monotonic()
                # single steps: one snapshot once all are taken, so that
                # "step 25" is answered by the state after 25 updates
                if (not self.pending) if single else now - last >= SNAPSHOT_EVERY:
                    self._evaluate()
                    last = now
                # about 10 ms of steps per chunk: commands wait at most that long
                chunk = max(1, min(10_000, int(count * 0.01 / max(took, 1e-6))))
            # let the server's threads take the lock between two chunks
            time.sleep(0)

    # -- commands --------------------------------------------------------------------
    def command(self, name, steps=1):
        with self.cond:
            if self.closed:
                raise RequestError("this session was closed", 404)
            if name == "play" and self.state != "diverged":
                self.running, self.state, self.message = True, "running", ""
            elif name == "pause":
                self.running, self.state = False, "paused"
                self._evaluate()
            elif name == "step" and self.state != "diverged":
                self.running, self.state = False, "paused"
                self.pending += steps
            elif name == "reset":
                self._build()
            self.cond.notify_all()
            return self.state

    def wait_for(self, version, timeout):
        """The latest snapshot once it is newer than ``version`` (or after
        ``timeout`` seconds, whatever it is)."""
        with self.cond:
            self.cond.wait_for(lambda: self.version > version or self.closed, timeout)
            return self.latest

    def close(self):
        with self.cond:
            self.closed, self.running = True, False
            self.cond.notify_all()
