"""Replay early stopping on the recorded trajectories (traj.py).

For a set of member seeds, the prediction at evaluation i is the mean over the
members (and, with window N, over the evaluations i-N+1..i: a checkpoint
ensemble, "SWA in prediction space"). Early stopping is the preset's: the run
stops at the 31st evaluation in a row whose validation MSE is not below the
best, and the best evaluation's predictions are the model's. Members of an
ensemble are trained in lockstep and stop together (joint), or each stops on
its own validation MSE (indep, as ensemble.py).

    python analyse.py
"""

from __future__ import annotations

import json
import statistics
from pathlib import Path

import numpy as np

from bpnn.data.datasets import load_bike_sharing

OUT = Path(__file__).resolve().parent / "out"
PATIENCE = 31
data = load_bike_sharing()
yv, yt = data.y_val, data.y_test
_cache = {}


def traj(seed, name="accurate"):
    key = (name, seed)
    if key not in _cache:
        _cache[key] = dict(np.load(OUT / "traj" / f"{name}__{seed}.npz"))
    return _cache[key]


def early_stop(val_mse):
    best, since, best_i = np.inf, 0, None
    for i, v in enumerate(val_mse):
        if v < best:
            best, since, best_i = v, 0, i
        else:
            since += 1
            if since >= PATIENCE:
                return best_i, i
    return best_i, len(val_mse) - 1


def windowed(p, n):
    """Mean of the predictions of the last n evaluations (fewer at the start)."""
    if n <= 1:
        return p
    c = np.cumsum(p, axis=0)
    out = c.copy()
    out[n:] = c[n:] - c[:-n]
    counts = np.minimum(np.arange(1, len(p) + 1), n)[:, None]
    return out / counts


def joint(seeds, window=1, name="accurate"):
    ts = [traj(s, name) for s in seeds]
    n = min(len(t["val"]) for t in ts)
    val = np.mean([windowed(t["val"][:n], window) for t in ts], axis=0)
    test = np.mean([windowed(t["test"][:n], window) for t in ts], axis=0)
    vm = ((val - yv) ** 2).mean(1)
    b, stop = early_stop(vm)
    return {
        "val": float(vm[b]),
        "test": float(((test[b] - yt) ** 2).mean()),
        "updates": int(sum(t["steps"][stop] for t in ts)),
        "wall": float(sum(t["times"][stop] for t in ts)),
    }


def indep(seeds, window=1, name="accurate"):
    vals, tests, upd, wall = [], [], 0, 0.0
    for s in seeds:
        t = traj(s, name)
        v, te = windowed(t["val"], window), windowed(t["test"], window)
        b, stop = early_stop(((v - yv) ** 2).mean(1))
        vals.append(v[b]), tests.append(te[b])
        upd += int(t["steps"][stop])
        wall += float(t["times"][stop])
    v, te = np.mean(vals, 0), np.mean(tests, 0)
    return {
        "val": float(((v - yv) ** 2).mean()),
        "test": float(((te - yt) ** 2).mean()),
        "updates": upd,
        "wall": wall,
    }


def summary(label, rows):
    med = statistics.median
    val = [r["val"] for r in rows]
    line = (
        f"| {label} | {len(rows)} | {med(val):.4f} [{min(val):.4f}, {max(val):.4f}] | "
        f"{med(r['test'] for r in rows):.4f} | {med(r['updates'] for r in rows):.0f} | "
        f"{med(r['wall'] for r in rows):.1f} |"
    )
    print(line + "  " + " ".join(f"{v:.4f}" for v in val), flush=True)
    with open(OUT / "analyse.jsonl", "a") as f:
        f.write(json.dumps({"label": label, "rows": rows}) + "\n")


def available(seeds, name="accurate"):
    return all((OUT / "traj" / f"{name}__{s}.npz").exists() for s in seeds)


def main(ensembles=(0, 1, 2, 3, 4), name="accurate"):
    print("| technique | n | val median [min, max] | test | updates | wall s |")
    print("|---|---|---|---|---|---|")
    singles = [s for s in range(5) if available([s], name)]
    for w in (1, 5, 10, 20):
        summary(f"single, window {w}", [indep([s], w, name) for s in singles])
    for k in (2, 3, 4, 5):
        groups = [[10 * e + j for j in range(k)] for e in ensembles]
        groups = [g for g in groups if available(g, name)]
        if not groups:
            continue
        for w in (1, 5, 10):
            summary(f"K={k} indep, window {w}", [indep(g, w, name) for g in groups])
            summary(f"K={k} joint, window {w}", [joint(g, w, name) for g in groups])


if __name__ == "__main__":
    import sys

    main(name=sys.argv[1] if len(sys.argv) > 1 else "accurate")
