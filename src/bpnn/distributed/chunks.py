"""A data set on the workers: checked chunks of (X, y), one future each.

The rows stay where Dask put them. Each chunk is checked once and kept in its
worker's memory; every update then sends the weights out and gets one small
result back per chunk. A chunk lost with its worker is recomputed by Dask from
the array's own graph (the CSV files, or the generator that made it).
"""

from __future__ import annotations

import math

from ..errors import InputError
from . import work


def as_dask_array(a, rows=None, name="X"):
    """``a`` as a dask array; a NumPy array is cut into chunks of ``rows``."""
    import dask.array as da
    import numpy as np

    if isinstance(a, da.Array):
        return a
    a = np.asarray(a)
    return da.from_array(a, chunks=(rows or max(1, len(a)),) + a.shape[1:])


class Chunks:
    """(X, y) as futures of checked chunks, in row order, on ``client``'s workers.

    ``rows`` holds the rows of each chunk (empty chunks are left out); X's
    columns form one chunk, and y is cut where X is. ``spec`` is the network's config, which every task uses to
    rebuild the network.
    """

    def __init__(self, client, X, y, spec, name="X"):
        import dask

        X = as_dask_array(X, name=name)
        if X.ndim != 2:
            raise InputError(f"{name} must be 2-D (records, features), got {X.shape}")
        if any(math.isnan(c) for c in X.chunks[0]):
            raise InputError(
                f"{name} has chunks of unknown size: call {name}.compute_chunk_sizes()"
                " first"
            )
        X = X.rechunk({1: -1})
        y = as_dask_array(y, rows=X.chunks[0][0], name="y")
        if len(y) != len(X):
            raise InputError(
                f"{name}: y must have one target per record of X ({len(X)}), "
                f"got {len(y)}"
            )
        y = y.rechunk({0: X.chunks[0], **{i: -1 for i in range(1, y.ndim)}})
        self.client, self.spec = client, spec
        rows = [int(r) for r in X.chunks[0]]
        xs, ys = X.to_delayed().ravel(), y.to_delayed().ravel()
        kept = [k for k, r in enumerate(rows) if r > 0]  # empty chunks sit out
        if not kept:
            raise InputError(f"{name} must hold at least one record, got 0 records")
        self.rows = tuple(rows[k] for k in kept)
        self.n = sum(self.rows)
        checked = [dask.delayed(work.prepare_chunk)(spec, xs[k], ys[k]) for k in kept]
        self.futures = client.compute(checked)

    def __len__(self):
        return self.n

    def map(self, fn, weights, *args_per_chunk):
        """``fn(spec, weights, chunk, *args)`` on every chunk, where the chunk
        lives; the results in chunk order. ``args_per_chunk``: one list per
        extra argument, a value per chunk (None: that chunk sits out)."""
        calls = []
        for k, future in enumerate(self.futures):
            extra = [arg[k] for arg in args_per_chunk]
            if any(a is None for a in extra):
                continue
            calls.append(
                self.client.submit(fn, self.spec, weights, future, *extra, pure=False)
            )
        return self.client.gather(calls)

    def release(self):
        """Let the workers drop the chunks."""
        for future in self.futures:
            future.release()
        self.futures = []
