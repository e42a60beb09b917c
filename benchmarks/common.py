"""Helpers shared by the benchmark scripts: repeat a run over seeds and
summarise a metric by its median and spread."""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

# one BLAS thread per run: the timings stay comparable on a shared machine
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from bpnn.apps.run import train


def over_seeds(dataset, config, seeds):
    """Train once per seed; returns a list of (metrics, wall seconds, history)."""
    out = []
    for seed in seeds:
        start = time.perf_counter()
        run = train(dataset, config.updated(seed=seed))
        out.append((run.metrics, time.perf_counter() - start, run.history))
    return out


def spread(values, digits=4) -> str:
    """'median [min, max]' of a list of numbers."""
    f = f"{{:.{digits}f}}"
    return (
        f"{f.format(statistics.median(values))} "
        f"[{f.format(min(values))}, {f.format(max(values))}]"
    )


def median(values):
    return statistics.median(values)
