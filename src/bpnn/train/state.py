"""What a training run is, between two epochs: enough to continue it exactly.

``fit(..., state=TrainingState())`` keeps this object up to date; after an
interruption ``bpnn.checkpoint.save_checkpoint`` writes it (with the weights and
the optimizer's state), and ``fit(..., state=loaded)`` continues to the very
weights an uninterrupted run with the same seed would have reached.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ..errors import InputError
from .history import History


@dataclass
class TrainingState:
    """Counters, random stream and stopping rules of one run of ``fit``."""

    #: fit's schedule (sampling, unit, units, batch, eval_every, patience, n,
    #: train_sample); empty until the run starts, then a resumed run must match
    #: it (a key missing from an older checkpoint reads as None)
    settings: dict = field(default_factory=dict)
    #: epochs (or steps) completed, and weight updates made
    done: int = 0
    step: int = 0
    #: the random generator that orders the records
    rng: np.random.Generator | None = None
    #: the permutation of the epoch in progress (steps over shuffled epochs)
    order: np.ndarray | None = None
    #: where random batches stand in their block of drawn indices (JSON)
    batches: dict | None = None
    history: object = None
    #: loss of the initial weights: divergence is judged against it
    initial_loss: float | None = None
    #: weights of the last good evaluation, restored if training diverges
    good: list | None = None
    #: early stopping: best monitored loss, its weights, evaluations since
    best_loss: float = math.inf
    best: list | None = None
    since_best: int = 0
    #: the signal that interrupted the run, if any
    signal: int | None = None
    #: True once the run ended for any reason but an interruption
    finished: bool = False
    #: what the caller keeps with a checkpoint (JSON), e.g. the command line
    extra: dict = field(default_factory=dict)

    def start(self, settings, seed, network, initial_loss):
        """Begin a fresh run, or check that ``settings`` continue this one.

        ``initial_loss`` is called (one pass over the data) only for a fresh run.
        """
        if not self.settings:
            self.settings = dict(settings)
            self.rng = np.random.default_rng(seed)
            self.history = History()
            self.good = [p.copy() for p in network.params()]
            self.initial_loss = initial_loss()
            return
        for key, value in settings.items():
            if self.settings.get(key) != value:
                raise InputError(
                    f"cannot resume: the run was started with {key}="
                    f"{self.settings.get(key)!r}, this call gives {key}={value!r}"
                )
        if self.finished:
            return
        self.history.stop_reason, self.history.message = "completed", ""
        self.signal = None
