"""What an evaluation measures on Dask: ``bpnn.fit``'s losses (the training
and validation samples, every k-th record), computed on the workers."""

from __future__ import annotations

from ..train.evaluation import Losses
from . import work
from .chunks import Chunks, as_dask_array
from .updates import scatter_weights


class ClusterMeasure:
    """``bpnn.train.evaluation.Measure`` with the losses computed on the
    workers: the training loss on every k-th record (at most
    ``train_sample``), the validation loss likewise."""

    def __init__(self, client, network, spec, run, train, arrays, val, val_arrays):
        self.client, self.network, self.spec = client, network, spec
        self.n, self.n_val = run.n, run.n_val
        self.train = _sampled(client, spec, train, arrays, run.train_sample)
        self.val = None
        if val is not None:
            self.val = _sampled(client, spec, val, val_arrays, run.val_sample)
        self._all = [c for c in (train, self.train, val, self.val) if c is not None]

    @property
    def train_rows(self) -> int:
        return len(self.train)

    @property
    def val_rows(self) -> int | None:
        return None if self.val is None else len(self.val)

    def mean(self, chunks) -> float:
        weights = scatter_weights(self.client, self.network.params())
        try:
            results = chunks.map(work.loss_sum, weights)
        finally:
            weights.release()
        return sum(s for s, _ in results) / sum(r for _, r in results)

    def train_loss(self) -> float:
        return self.mean(self.train)

    def losses(self, done, step) -> Losses:
        val = self.mean(self.val) if self.val is not None else None
        return Losses(done, step, self.train_loss(), val)

    def release(self):
        for chunks in {id(c): c for c in self._all}.values():
            chunks.release()


def _sampled(client, spec, chunks, arrays, limit):
    """Every k-th record of a data set (``bpnn.fit``'s strided sample), as
    chunks on the workers; the chunks themselves when all are measured."""
    n = len(chunks)
    if limit is None or n <= limit:
        return chunks
    import dask.array as da

    X, y = (a if isinstance(a, da.Array) else as_dask_array(a) for a in arrays)
    k = -(-n // limit)
    y = as_dask_array(y, rows=X.chunks[0][0])
    return Chunks(client, X[::k], y[::k], spec)
