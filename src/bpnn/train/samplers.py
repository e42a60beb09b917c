"""Which records each weight update of ``fit`` uses, one class per ``sampling``.

Every sampler answers ``next_update()`` -- the indices of the next update's
records, or None for the whole set -- and keeps where it stands in a
``state_dict()`` (JSON ``config`` and ``arrays``, like an optimizer's), so that
a run continued from a checkpoint uses the very records a run never stopped
would have used. All randomness comes from the run's own generator.
"""

from __future__ import annotations

#: indices drawn per block: about this many, whatever the batch size
BLOCK_INDICES = 1 << 16


class PerRecord:
    """The GRE pseudo-code: every update uses every record (None: the whole set)."""

    def next_update(self):
        return None

    def state_dict(self) -> dict:
        return {"config": {}, "arrays": {}}

    def load_state_dict(self, state):
        pass


class Shuffled:
    """Epochs over a fresh permutation of the ``n`` records, ``batch`` at a time
    (the last batch of an epoch may be smaller); ``updates`` already made place
    a resumed run inside its epoch."""

    def __init__(self, rng, n, batch, updates=0):
        self.rng, self.n, self.batch = rng, n, batch
        self.per_epoch = -(-n // batch)
        self.position = updates % self.per_epoch  # updates into the epoch
        self.order = None

    def next_update(self):
        if self.position == 0:
            self.order = self.rng.permutation(self.n)
        k, self.position = self.position, (self.position + 1) % self.per_epoch
        return self.order[k * self.batch : (k + 1) * self.batch]

    def state_dict(self) -> dict:
        """The permutation, while an epoch is under way."""
        inside = self.position != 0 and self.order is not None
        return {"config": {}, "arrays": {"order": self.order} if inside else {}}

    def load_state_dict(self, state):
        order = state.get("arrays", {}).get("order")
        if order is not None:
            self.order = order


class RandomBatches:
    """Indices for ``sampling="random"``: ``batch`` records with replacement.

    The indices of ``block`` consecutive steps are drawn at once, as the rows of
    ``rng.integers(0, n, size=(block, batch))``; the first block is drawn at the
    first step. The stream is a function of the generator's state at the start
    of the current block and of the position in it, which is what ``snapshot``
    returns and ``restore`` takes back: a run continued from a snapshot draws
    the same indices as a run that never stopped.
    """

    def __init__(self, rng, n, batch, block=None):
        self.rng, self.n, self.batch = rng, n, batch
        self.block = block or max(1, BLOCK_INDICES // batch)
        self._state = None  # generator state before the current block
        self._indices = None
        self.position = self.block  # steps used of the current block

    def next(self):
        """The indices (batch,) of the next step."""
        if self.position == self.block:
            self._state = self.rng.bit_generator.state
            self._indices = self.rng.integers(0, self.n, size=(self.block, self.batch))
            self.position = 0
        self.position += 1
        return self._indices[self.position - 1]

    next_update = next

    def snapshot(self) -> dict:
        """JSON-ready state between two steps: see the class docstring."""
        if self._state is None:
            return {"rng": self.rng.bit_generator.state, "position": self.block}
        return {"rng": self._state, "position": self.position}

    def restore(self, snapshot):
        """Continue from a ``snapshot``: redraw its block and skip the used rows."""
        self.rng.bit_generator.state = snapshot["rng"]
        self.position = self.block
        self._state = None
        if snapshot["position"] < self.block:
            self.next()
            self.position = snapshot["position"]

    def state_dict(self) -> dict:
        return {"config": self.snapshot(), "arrays": {}}

    def load_state_dict(self, state):
        if state.get("config"):
            self.restore(state["config"])


def make_sampler(settings, rng, updates):
    """The sampler of ``settings.sampling``, ``updates`` weight updates in."""
    if settings.sampling == "per_record":
        return PerRecord()
    if settings.sampling == "random":
        return RandomBatches(rng, settings.n, settings.batch)
    return Shuffled(rng, settings.n, settings.batch, updates)
