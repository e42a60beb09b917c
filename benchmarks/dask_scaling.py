"""Full-batch training on Dask against one process: seconds per epoch, scaling
efficiency, peak memory per worker, bytes sent per update.

    python benchmarks/dask_scaling.py --rows 10000000 --out dask_scaling.json

The data (``--features`` normal columns, a noisy linear target) is generated
chunk by chunk from seeded generators, on the workers for Dask and in this
process for the baseline, so no row travels. Every process uses one core
(OpenBLAS and bpnn's element-wise pool limited to one thread), so that
efficiency = T(1 process) / (workers x T(workers)) measures the distribution
alone. The baseline is ``bpnn.fit`` in memory; "dask 1" is the same update on
a one-worker LocalCluster (the cost of going through Dask); "dask 2" splits
the chunks over two workers.
"""

import argparse
import json
import os
import pickle
import resource
import sys
import time

os.environ["OPENBLAS_NUM_THREADS"] = "1"  # before NumPy loads, here and in workers
os.environ["OMP_NUM_THREADS"] = "1"
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))

import numpy as np

import bpnn
from bpnn.fast import parallel

CHUNK = 1_000_000


def chunk(k, rows, features):
    """Chunk k of the data set: the same numbers wherever it is made."""
    rng = np.random.default_rng([7, k])
    X = rng.normal(size=(rows, features))
    w = np.linspace(-1, 1, features)
    y = X @ w + rng.normal(0, 0.1, rows)
    return X, y[:, None]


def sizes(n):
    return [min(CHUNK, n - a) for a in range(0, n, CHUNK)]


def network(features, hidden):
    return bpnn.Network.from_sizes(
        [features, hidden, 1], ["sigmoid", "identity"], seed=0
    )


def schedule(epochs):
    """Full batch, one update and one evaluation (of the 4096-row training
    sample) per epoch: the lecture's per-record schedule."""
    return {"epochs": epochs, "sampling": "per_record", "eval_every": 1}


class Clock:
    """Times the epochs between evaluations after the first, so that loading
    the data and the first update's warm-up are left out."""

    def __init__(self):
        self.times = []

    def __call__(self, network, history):
        self.times.append(time.perf_counter())

    def per_epoch(self):
        return (self.times[-1] - self.times[0]) / (len(self.times) - 1)


def peak_mib():
    """This process's peak resident memory (VmHWM), MiB."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def in_memory(n, features, hidden, epochs):
    parallel.set_threads(1)
    parts = [chunk(k, r, features) for k, r in enumerate(sizes(n))]
    X = np.concatenate([p[0] for p in parts])
    y = np.concatenate([p[1] for p in parts])
    del parts
    clock = Clock()
    network(features, hidden).fit(X, y, callback=clock, **schedule(epochs))
    return clock.per_epoch(), peak_mib()


def on_dask(workers, n, features, hidden, epochs):
    import dask
    import dask.array as da

    import distributed
    from bpnn.distributed import work

    rows = sizes(n)
    blocks = [dask.delayed(chunk)(k, r, features) for k, r in enumerate(rows)]
    X = da.concatenate(
        [da.from_delayed(b[0], (r, features), float) for b, r in zip(blocks, rows)]
    )
    y = da.concatenate(
        [da.from_delayed(b[1], (r, 1), float) for b, r in zip(blocks, rows)]
    )
    with (
        distributed.LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",
            memory_limit=0,
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        client.run(parallel.set_threads, 1)
        net, clock = network(features, hidden), Clock()
        with distributed.get_task_stream(client) as stream:
            bpnn.distributed.fit(
                net, X, y, client=client, callback=clock, **schedule(epochs)
            )
        seconds = clock.per_epoch()
        busy = {}  # seconds each worker spent in gradient sums, per update
        for task in stream.data:
            if str(task["key"]).startswith("gradient_sums"):
                spent = sum(s["stop"] - s["start"] for s in task["startstops"])
                busy[task["worker"]] = busy.get(task["worker"], 0.0) + spent / epochs
        # (the mean over all updates, the first included)
        peaks = client.run(peak_mib)
        weights = [p.copy() for p in net.params()]
        one = chunk(0, 1000, features)
        sums = work.gradient_sums(net.to_config(), weights, one)
    out = len(pickle.dumps(weights)) * workers
    back = len(pickle.dumps(sums)) * len(rows)
    return seconds, sorted(peaks.values()), out, back, max(busy.values())


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rows", type=int, default=10_000_000)
    p.add_argument("--features", type=int, default=8)
    p.add_argument("--hidden", type=int, default=8)
    p.add_argument("--epochs", type=int, default=6)
    p.add_argument("--out")
    args = p.parse_args(argv)
    shape = (args.rows, args.features, args.hidden)
    t1, mem1 = in_memory(*shape, args.epochs)
    result = {
        "rows": args.rows,
        "features": args.features,
        "hidden": args.hidden,
        "chunk_rows": CHUNK,
        "one_process": {
            "s_per_epoch": t1,
            "peak_mib": mem1,
            "load_average": os.getloadavg()[0],
        },
    }
    print(
        f"1 process: {t1:.3f} s/epoch, peak {mem1:.0f} MiB; load "
        f"{os.getloadavg()[0]:.1f}"
    )
    for workers in (1, 2):
        t, peaks, out, back, busiest = on_dask(workers, *shape, args.epochs)
        eff = t1 / (workers * t)
        result[f"dask_{workers}"] = {
            "s_per_epoch": t,
            "efficiency": eff,
            "peak_mib_per_worker": peaks,
            "bytes_out_per_update": out,
            "bytes_back_per_update": back,
            "busiest_worker_compute_s": busiest,
            "load_average": os.getloadavg()[0],
        }
        print(
            f"dask {workers} worker(s): {t:.3f} s/epoch, efficiency {eff:.2f}, "
            f"peak per worker {', '.join(f'{m:.0f}' for m in peaks)} MiB, "
            f"per update {out} bytes out (weights to each worker), "
            f"{back} bytes back (gradient sums of all chunks); busiest worker "
            f"computes {busiest:.3f} s of each update; load {os.getloadavg()[0]:.1f}"
        )
    if args.out:
        with open(args.out, "w") as f:
            json.dump(result, f, indent=2)
    return result


if __name__ == "__main__":
    main()
