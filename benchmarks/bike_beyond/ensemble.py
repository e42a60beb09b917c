"""Ensembles of K runs of one variant: ensemble s averages the predictions of
the runs with seeds 10s .. 10s+K-1 (each member trained and early-stopped on its
own, exactly as exp.py ran it); metrics by bpnn.apps.metrics.scored.

    python ensemble.py VARIANT K_MAX S...     e.g. python ensemble.py accurate 5 0 1 2
"""

from __future__ import annotations

import json
import statistics
import sys

import numpy as np
from exp import OUT, PREDS, done_rows

from bpnn.apps.metrics import scored
from bpnn.data.datasets import load_bike_sharing


def main(argv):
    name, kmax, ensembles = argv[0], int(argv[1]), [int(s) for s in argv[2:]]
    data = load_bike_sharing()
    rows = done_rows()
    for k in range(1, kmax + 1):
        out = []
        for s in ensembles:
            seeds = [10 * s + j for j in range(k)]
            preds = [np.load(PREDS / f"{name}__{seed}.npz") for seed in seeds]
            mean = {
                split: np.mean([p[split] for p in preds], axis=0)[:, None]
                for split, _, _ in data.splits()
            }
            m = scored(data, mean)
            members = [rows[(name, seed)] for seed in seeds]
            out.append(
                {
                    "variant": f"ensemble{k}:{name}",
                    "ensemble": s,
                    "seeds": seeds,
                    "validation_mse": m["validation_mse"],
                    "test_mse": m["test_mse"],
                    "updates": sum(r["updates"] for r in members),
                    "wall_s": sum(r["wall_s"] for r in members),
                }
            )
        val = [o["validation_mse"] for o in out]
        print(
            f"K={k} {name}: val {statistics.median(val):.4f} "
            f"[{min(val):.4f}, {max(val):.4f}] "
            f"test {statistics.median(o['test_mse'] for o in out):.4f} "
            f"updates {statistics.median(o['updates'] for o in out)} "
            f"wall {statistics.median(o['wall_s'] for o in out):.1f}s  "
            + " ".join(f"{v:.4f}" for v in val)
        )
        with open(OUT / "ensembles.jsonl", "a") as f:
            f.writelines(json.dumps(o) + "\n" for o in out)


if __name__ == "__main__":
    main(sys.argv[1:])
