"""What evaluating costs ``fit``: the time of a fit with the default evaluation
schedule against the same fit with a single evaluation (``eval_every`` = the
whole run), for short and long runs on small and large data sets.

On one thread (BLAS and bpnn's own), the process's CPU time is the work done,
whatever else the machine runs; the wall time is kept beside it."""

from __future__ import annotations

import time

import numpy as np

from ...engine.network import Network
from ...engine.optimizers import SGD
from ...train.loop import fit

STEPS = (600, 10_000, 100_000)
ROWS = (1_000, 100_000, 1_000_000)
#: validation records, as a share of the training records
VAL_SHARE = 0.15


def _data(n, seed):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 56))
    return X, np.tanh(X[:, :4].sum(axis=1, keepdims=True))


def _timed_fit(X, y, val, steps, eval_every):
    net = Network.from_sizes([56, 20, 1], ["sigmoid", "identity"], seed=0)
    t, cpu = time.perf_counter(), time.process_time()
    history = fit(
        net, X, y, optimizer=SGD(0.01), steps=steps, batch_size=128,
        sampling="random", validation_data=val, eval_every=eval_every, seed=1,
    )  # fmt: skip
    return (time.process_time() - cpu, time.perf_counter() - t), history


def eval_budget(steps=STEPS, rows=ROWS, repeats=3, threads=1):
    """Rows of (steps, rows): CPU seconds of the default fit and of the
    single-evaluation fit (medians of up to ``repeats`` pairs, fewer for long
    runs, each pair taken in turn), their ratio, the wall times, and what the
    default schedule measured; BLAS and bpnn on ``threads``."""
    from threadpoolctl import threadpool_limits

    from ...fast import parallel

    with threadpool_limits(limits=threads):
        parallel.set_threads(threads)
        try:
            return _grid(steps, rows, repeats)
        finally:
            parallel.set_threads(None)


def _grid(steps, rows, repeats):
    # one untimed fit first: the first call of a process pays for what later
    # ones find ready (imports, NumPy's first calls), which would be charged
    # to the first row's default schedule
    warm = _data(1_000, 2)
    _timed_fit(*warm, _data(150, 3), 600, None)
    results = []
    for n in rows:
        X, y = _data(n, 0)
        val = _data(max(1, int(VAL_SHARE * n)), 1)
        for k in steps:
            default, single = [], []
            for _ in range(max(1, min(repeats, 20_000 // k))):
                seconds, history = _timed_fit(X, y, val, k, None)
                default.append(seconds)
                single.append(_timed_fit(X, y, val, k, k)[0])
            (d, d_wall), (s, s_wall) = np.median(default, 0), np.median(single, 0)
            results.append(
                {
                    "steps": k,
                    "rows": n,
                    "val_rows": len(val[0]),
                    "evaluations": len(history),
                    "train_rows_measured": history.train_rows,
                    "val_rows_measured": history.val_rows,
                    "default_s": float(d),
                    "single_s": float(s),
                    "ratio": float(d / s),
                    "default_wall_s": float(d_wall),
                    "single_wall_s": float(s_wall),
                }
            )
    return results
