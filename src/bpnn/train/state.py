"""What a training run is, between two epochs: enough to continue it exactly.

``fit(..., state=TrainingState())`` keeps this object up to date; after an
interruption ``bpnn.train.checkpoint.save_checkpoint`` writes it (with the
weights and the optimizer's state), and ``fit(..., state=loaded)`` continues to
the very weights an uninterrupted run with the same seed would have reached.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..errors import InputError
from .history import History

#: settings newer than some checkpoints, and what a run saved before them did:
#: such a run continues so (a setting missing otherwise reads as None)
LEGACY = {"val_sample": None}


@dataclass
class TrainingState:
    """Counters, random stream, history and the state of each policy of a run."""

    #: fit's schedule (``settings.RESUME_KEYS``); empty until the run starts,
    #: then a resumed run must match it
    settings: dict = field(default_factory=dict)
    #: epochs (or steps) completed, and weight updates made
    done: int = 0
    step: int = 0
    #: the random generator that orders the records
    rng: np.random.Generator | None = None
    history: History | None = None
    #: ``state_dict()`` of the sampler and of each watcher (divergence, early
    #: stopping, learning-rate decay), by name
    parts: dict = field(default_factory=dict)
    #: the signal that interrupted the run, if any
    signal: int | None = None
    #: True once the run ended for any reason but an interruption
    finished: bool = False
    #: what the caller keeps with a checkpoint (JSON), e.g. the command line
    extra: dict = field(default_factory=dict)

    @property
    def initial_loss(self):
        """Loss of the initial weights: divergence is judged against it."""
        return self.parts.get("divergence", {}).get("config", {}).get("initial_loss")

    def start(self, settings) -> bool:
        """Begin a fresh run (True), or check that ``settings`` (a
        ``FitSettings``) continue this one; those left to their default take
        the run's own values."""
        if not self.settings:
            self.settings = settings.for_checkpoint()
            self.rng = np.random.default_rng(settings.seed)
            self.history = History()
            return True
        saved = {**LEGACY, **self.settings}
        for key in settings.defaulted:
            setattr(settings, key, saved.get(key))
        for key in set(LEGACY) - set(self.settings):
            setattr(settings, key, LEGACY[key])
        for key, value in settings.for_checkpoint().items():
            if saved.get(key) != value:
                raise InputError(
                    f"cannot resume: the run was started with {key}="
                    f"{saved.get(key)!r}, this call gives {key}={value!r}"
                )
        if not self.finished:
            self.history.stop_reason, self.history.message = "completed", ""
            self.signal = None
        return False
