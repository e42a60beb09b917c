"""Whole ``bpnn train csv`` runs, timed from outside: a big CSV against
``pandas.read_csv`` alone, and the start-up of small commands.

Every measure runs in a fresh process, so its imports and its peak resident
memory (VmHWM) are its own. A run's phases are read off the phase hooks of
``apps.transaction`` in that process, and the end of reading off a timed
``csv_input.read_csv``: imports (to the claimed folder), reading (pandas'
import and parse, bpnn's checks), preparing (to "training"), training
(``fit``'s own time, from metrics.json), the final metrics on every record,
and writing (to "released"); "rest" is the summary printed last and the
interpreter's start and shutdown, from the outside.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

#: columns of the made-up table: 20 numeric features, a category, the target
FEATURES = 20
REGIONS = ("north", "south", "east", "west")


def make_csv(path, rows, seed=0, chunk=250_000):
    """A seeded table of ``rows`` rows (about 190 bytes each), written in
    chunks so that making it stays small in memory."""
    import pandas as pd

    rng = np.random.default_rng(seed)
    weights = rng.normal(size=FEATURES)
    with open(path, "w", encoding="utf-8") as f:
        for start in range(0, rows, chunk):
            n = min(chunk, rows - start)
            X = rng.normal(size=(n, FEATURES))
            region = rng.choice(REGIONS, n)
            y = X @ weights + (region == "east") * 2 + rng.normal(0, 0.5, n)
            frame = pd.DataFrame(X.round(6), columns=[f"x{i}" for i in range(FEATURES)])
            frame["region"] = region
            frame["target"] = y.round(4)
            frame.to_csv(f, index=False, header=start == 0)


def _env():
    src = str(Path(__file__).resolve().parents[3])
    return {
        **os.environ,
        "PYTHONPATH": src + os.pathsep + os.environ.get("PYTHONPATH", ""),
    }


_PEAK = """
def _peak_mib():
    with open("/proc/self/status") as f:
        return next(int(ln.split()[1]) / 1024 for ln in f if ln.startswith("VmHWM"))
"""

# pandas' defaults, then (where pandas reads in parallel) its serial reader,
# which bpnn uses; the peak is the default reader's, the larger
_PANDAS = (
    "import json, sys, time\n"
    "t = time.perf_counter()\n"
    "import pandas as pd\n"
    "t1 = time.perf_counter()\n"
    "frame = pd.read_csv(sys.argv[1])\n"
    "t2 = time.perf_counter()\n" + _PEAK + "peak = _peak_mib()\n"
    "del frame\n"
    "try:\n"
    "    serial = pd.get_option('mode.max_threads') != 1\n"
    "except (KeyError, ValueError):\n"
    "    serial = False\n"
    "t3 = time.perf_counter()\n"
    "if serial:\n"
    "    with pd.option_context('mode.max_threads', 1):\n"
    "        pd.read_csv(sys.argv[1])\n"
    "print(json.dumps({'import_s': t1 - t, 'read_s': t2 - t1, 'peak_mib': peak,\n"
    "    'serial_read_s': time.perf_counter() - t3 if serial else t2 - t1}))\n"
)

_TRAIN = (
    "import time\n"
    "t0 = time.perf_counter()\n"
    "import json, sys\n"
    "from bpnn.apps import transaction\n"
    "from bpnn.cli import console\n"
    "from bpnn.data import csv_input\n"
    "seen = {}\n"
    "transaction.PHASE_HOOKS.append(\n"
    "    lambda phase, folder: seen.setdefault(phase, time.perf_counter() - t0))\n"
    "read = csv_input.read_csv\n"
    "def timed_read(*args, **kwargs):\n"
    "    frame = read(*args, **kwargs)\n"
    "    seen.setdefault('read', time.perf_counter() - t0)\n"
    "    return frame\n"
    "csv_input.read_csv = timed_read\n"
    "status = console(sys.argv[1:])\n"
    "seen['end'] = time.perf_counter() - t0\n"
    + _PEAK
    + "print(json.dumps({'status': status, 'phases': seen, 'peak_mib': _peak_mib()}))\n"
)


def _python(*args):
    """(stdout, wall seconds) of a fresh ``python ARGS``."""
    t = time.perf_counter()
    done = subprocess.run(
        [sys.executable, *map(str, args)],
        capture_output=True,
        text=True,
        env=_env(),
        check=False,
    )
    wall = time.perf_counter() - t
    if done.returncode:
        raise RuntimeError(f"benchmark child failed:\n{done.stderr}")
    return done.stdout, wall


def _child(code, *args):
    """(the last line of ``python -c CODE ARGS``'s stdout as JSON, its wall)."""
    out, wall = _python("-c", code, *args)
    return json.loads(out.strip().splitlines()[-1]), wall


def train_phases(csv, out, *options):
    """``bpnn train csv CSV --target target OPTIONS --quiet --out OUT`` in a
    fresh process: seconds per phase, outside training, and peak memory."""
    answer, wall = _child(
        _TRAIN,
        "train",
        "csv",
        csv,
        "--target",
        "target",
        *options,
        "--quiet",
        "--out",
        out,
    )
    p = answer["phases"]
    fit = json.loads((Path(out) / "metrics.json").read_text())["wall_time_s"]
    return {
        "wall_s": wall,
        "imports_s": p["claimed"],  # and parsing the command line
        # pandas' import, the format found, the file parsed and checked
        "read_s": p["read"] - p["claimed"],
        # columns' kinds, the split, the preparation, the feature matrix
        "prepare_s": p["training"] - p["read"],
        "fit_s": fit,
        "final_metrics_s": p["trained"] - p["training"] - fit,
        "write_s": p["released"] - p["trained"],
        # the summary printed last, and the interpreter's start and shutdown
        "rest_s": wall - p["released"],
        "outside_training_s": wall - fit,
        "peak_mib": answer["peak_mib"],
    }


def big_csv(rows=1_000_000, steps=2000, folder=None, repeats=1):
    """A ``rows``-row CSV through ``bpnn train csv --steps STEPS``, against
    pandas reading it; medians of ``repeats`` alternated pairs."""
    with tempfile.TemporaryDirectory(prefix="bpnn-bench-", dir=folder) as tmp:
        path = Path(tmp) / f"big-{rows}.csv"
        make_csv(path, rows)
        mib = path.stat().st_size / 2**20
        pandas, runs = [], []
        for k in range(repeats):
            pandas.append(_child(_PANDAS, path)[0])
            runs.append(train_phases(path, Path(tmp) / f"run-{k}", "--steps", steps))
        row = {"rows": rows, "file_mib": mib, "steps": steps}
        row["pandas_read_s"] = float(np.median([p["read_s"] for p in pandas]))
        row["pandas_peak_mib"] = float(np.median([p["peak_mib"] for p in pandas]))
        row["pandas_serial_read_s"] = float(
            np.median([p["serial_read_s"] for p in pandas])
        )
        for key in runs[0]:
            row[key] = float(np.median([r[key] for r in runs]))
        row["outside_vs_pandas"] = row["outside_training_s"] / row["pandas_read_s"]
        row["outside_vs_pandas_serial"] = (
            row["outside_training_s"] / row["pandas_serial_read_s"]
        )
        row["peak_vs_file"] = row["peak_mib"] / mib
        return row


def startup(repeats=3, folder=None):
    """Median wall seconds of ``bpnn --help``, ``bpnn exercise`` and
    ``bpnn train csv`` on 150 rows (also outside training, and with
    ``--no-plots``)."""
    out = {
        "help_s": [],
        "exercise_s": [],
        "train150_s": [],
        "train150_outside_s": [],
        "train150_no_plots_s": [],
    }
    with tempfile.TemporaryDirectory(prefix="bpnn-bench-", dir=folder) as tmp:
        small = Path(tmp) / "small.csv"
        make_csv(small, 150)
        for k in range(repeats):
            for name, args in (("help_s", ["--help"]), ("exercise_s", ["exercise"])):
                out[name].append(_python("-m", "bpnn", *args)[1])
            run = train_phases(small, Path(tmp) / f"run-{k}", "--epochs", 20)
            out["train150_s"].append(run["wall_s"])
            out["train150_outside_s"].append(run["outside_training_s"])
            bare = train_phases(
                small, Path(tmp) / f"bare-{k}", "--epochs", 20, "--no-plots"
            )
            out["train150_no_plots_s"].append(bare["wall_s"])
    return {k: float(np.median(v)) for k, v in out.items()}
