"""The client's side of an update: the weights out, the gradient sums back,
the optimizer's step; and which rows a data-parallel mini-batch holds."""

from __future__ import annotations

import copy
import math

import numpy as np

from . import work


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
