"""A big CSV through ``bpnn train csv``: time and memory outside training,
against pandas.read_csv alone; and the start-up time of small commands.

    python benchmarks/big_csv.py                 # 1,000,000 rows
    python benchmarks/big_csv.py --rows 10000000 # 10 million (about 1.8 GB)
    python benchmarks/big_csv.py --startup-only

The file is made here, seeded: 20 numeric features, one category of 4 values,
a numeric target (22 columns). Each measure runs in a fresh process, so its
peak resident memory (ru_maxrss) is its own.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
ENV = {**os.environ, "PYTHONPATH": str(SRC)}


def make_csv(path, rows, seed=0, chunk=250_000):
    """The seeded table, written in chunks so that making it stays small."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    weights = rng.normal(size=20)
    with open(path, "w") as f:
        for start in range(0, rows, chunk):
            n = min(chunk, rows - start)
            X = rng.normal(size=(n, 20))
            kind = rng.choice(["north", "south", "east", "west"], n)
            y = X @ weights + (kind == "east") * 2 + rng.normal(0, 0.5, n)
            frame = pd.DataFrame(X.round(6), columns=[f"x{i}" for i in range(20)])
            frame["region"] = kind
            frame["target"] = y.round(4)
            frame.to_csv(f, index=False, header=start == 0)


def child(code):
    """Run ``code`` in a fresh Python; (its JSON answer, its own peak RSS MiB)."""
    code += (
        "\nimport resource\nprint(json.dumps({'rss': "
        "resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        check=False,
        env=ENV,
        capture_output=True,
        text=True,
    )
    if out.returncode:
        raise SystemExit(out.stderr)
    *_, answer, peak = out.stdout.strip().splitlines()
    return json.loads(answer), json.loads(peak)["rss"] / 1024


PANDAS = """
import json, time
t = time.perf_counter()
import pandas as pd
frame = pd.read_csv({path!r})
print(json.dumps({{"read_s": time.perf_counter() - t}}))
"""

PHASES = """
import json, time, sys
t0 = time.perf_counter()
from bpnn.apps.config import RunConfig
from bpnn.apps.outputs import write_outputs
from bpnn.apps.presets import preset
from bpnn.apps.run import train
from bpnn.data.datasets.table import load_csv, read_table
t1 = time.perf_counter()
data = load_csv({path!r}, "target")
t2 = time.perf_counter()
config = preset("csv").updated(steps={steps}, eval_every=200)
run = train(data, config)
t3 = time.perf_counter()
write_outputs(run, {out!r})
t4 = time.perf_counter()
print(json.dumps({{"import_s": t1 - t0, "load_s": t2 - t1, "train_s": t3 - t2,
    "fit_s": run.wall_time_s, "evaluate_s": t3 - t2 - run.wall_time_s,
    "write_s": t4 - t3, "features": len(data.feature_names)}}))
"""

READ_ONLY = """
import json, time
t = time.perf_counter()
from bpnn.data.datasets.table import read_table
frame = read_table({path!r})
print(json.dumps({{"read_s": time.perf_counter() - t}}))
"""


def cli(args):
    """Wall time of ``bpnn ARGS`` in a fresh process, seconds."""
    t = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-m", "bpnn", *args],
        check=False,
        env=ENV,
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - t
    if out.returncode:
        raise SystemExit(out.stderr)
    return wall


def startup(folder, repeats=3):
    """Median wall times of bpnn --help, bpnn exercise, and bpnn train csv on
    150 rows (outside training: the wall time less metrics.json's)."""
    import numpy as np

    small = Path(folder) / "small.csv"
    make_csv(small, 150)
    out = {"help_s": [], "exercise_s": [], "train150_outside_s": []}
    for k in range(repeats):
        out["help_s"].append(cli(["--help"]))
        out["exercise_s"].append(cli(["exercise"]))
        run_dir = Path(folder) / f"small-run-{k}"
        wall = cli(
            [
                "train",
                "csv",
                str(small),
                "--target",
                "target",
                "--epochs",
                "20",
                "--quiet",
                "--out",
                str(run_dir),
            ]
        )
        fit = json.loads((run_dir / "metrics.json").read_text())["wall_time_s"]
        out["train150_outside_s"].append(wall - fit)
    return {k: float(np.median(v)) for k, v in out.items()}


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rows", type=int, default=1_000_000)
    p.add_argument("--steps", type=int, default=2000)
    p.add_argument("--startup-only", action="store_true")
    p.add_argument("--folder", help="where the CSV is written (default: a temp folder)")
    args = p.parse_args()
    folder = Path(args.folder or tempfile.mkdtemp(prefix="bpnn-big-"))
    folder.mkdir(parents=True, exist_ok=True)
    result = {"startup": startup(folder)}
    print(json.dumps(result["startup"]), flush=True)
    if args.startup_only:
        return
    path = folder / f"big-{args.rows}.csv"
    if not path.exists():
        make_csv(path, args.rows)
    size_mib = path.stat().st_size / 2**20
    pandas, pandas_rss = child(PANDAS.format(path=str(path)))
    read, read_rss = child(READ_ONLY.format(path=str(path)))
    t = time.perf_counter()
    phases, rss = child(
        PHASES.format(path=str(path), steps=args.steps, out=str(folder / "run"))
    )
    total = time.perf_counter() - t
    outside = total - phases["fit_s"]
    result["big"] = {
        "rows": args.rows,
        "file_mib": round(size_mib, 1),
        "pandas_read_s": round(pandas["read_s"], 2),
        "pandas_peak_rss_mib": round(pandas_rss),
        "bpnn_read_s": round(read["read_s"], 2),
        "bpnn_read_peak_rss_mib": round(read_rss),
        **{k: round(v, 2) for k, v in phases.items()},
        "total_s": round(total, 2),
        "outside_training_s": round(outside, 2),
        "outside_vs_pandas": round(outside / pandas["read_s"], 2),
        "peak_rss_mib": round(rss),
        "peak_vs_file": round(rss / size_mib, 2),
    }
    print(json.dumps(result["big"], indent=1))


if __name__ == "__main__":
    main()
