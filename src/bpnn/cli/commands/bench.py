"""``bpnn bench``: time the training step against a bound, PyTorch and
scikit-learn, and measure whole runs; prints a table and writes JSON."""

from __future__ import annotations

import argparse

HELP_EXAMPLE = """example:
  bpnn bench --out benchmarks/results.json
  bpnn bench --networks bike --dtypes float64 --threads 1 --quick
"""


def add_parser(sub):
    p = sub.add_parser(
        "bench",
        help="speed and memory benchmarks against PyTorch and scikit-learn",
        description="Median µs per training step of bpnn, a matrix-products "
        "bound, the leanest hand-written NumPy step (numpy_lean: preallocated, "
        "in place, no layers), a plain NumPy step, the lecture's per-record loop, "
        "PyTorch eager "
        "and scikit-learn partial_fit (those installed), run in turn in one "
        "process; then fit's overhead, the time to the course's pass mark and "
        "the peak memory of training on a memory-mapped file, what the default "
        "evaluations cost fit against a single one, a big CSV through bpnn "
        "train csv against pandas.read_csv, and the start-up of small commands. "
        "Needs threadpoolctl.",
        epilog=HELP_EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--networks", default="bike,deep,wide", help="comma-separated")
    p.add_argument("--dtypes", default="float64,float32")
    p.add_argument("--threads", default="1,2")
    p.add_argument("--repeats", type=int, default=5, help="turns per competitor")
    p.add_argument("--seconds", type=float, default=0.2, help="length of a turn")
    p.add_argument(
        "--mmap-rows",
        default="2000000,8000000",
        help="rows of the memory-mapped files (0: skip)",
    )
    p.add_argument(
        "--eval-budget",
        default="600,10000,100000:1000,100000,1000000",
        metavar="STEPS:ROWS",
        help="fit with the default evaluations against one evaluation, for "
        "these steps and training rows (comma-separated; 0: skip)",
    )
    p.add_argument(
        "--big-csv",
        default="1000000",
        metavar="ROWS",
        help="rows of the CSV made for bpnn train csv against pandas.read_csv "
        "(comma-separated; 0: skip)",
    )
    p.add_argument(
        "--quick",
        action="store_true",
        help="steps in 3 short turns, the evaluation budget at 600 and "
        "10,000 steps on 1,000 and 100,000 rows and the start-up once, and "
        "no big CSV (a smoke run)",
    )
    p.add_argument("--out", help="write the results as JSON here")
    p.set_defaults(run=run)


def run(args):
    import json
    import platform

    import numpy as np

    from ..._version import __version__
    from ...apps.bench import runs, steps
    from ...errors import UsageError
    from ...files.model import atomic_write

    try:
        import threadpoolctl  # noqa: F401
    except ImportError:
        raise UsageError(
            'bpnn bench needs threadpoolctl: pip install "bpnn[bench]" (in a checkout: pip install -e ".[bench]")'
        )
    nets = args.networks.split(",")
    for net in nets:
        if net not in steps.NETWORKS:
            raise UsageError(
                f"unknown network {net!r}; choose from {', '.join(steps.NETWORKS)}"
            )
    budget = _budget_grid(args.eval_budget)
    sizes = _row_counts(args.big_csv)
    if args.quick:
        args.repeats, args.seconds, args.mmap_rows = 3, 0.05, "0"
        budget = budget and (budget[0][:2], budget[1][:2])
    names = steps.available(list(steps.COMPETITORS))
    result = {
        "bpnn": __version__,
        "numpy": np.__version__,
        "python": platform.python_version(),
        "machine": _machine(),
        "versions": _versions(),
        "rows": [],
    }
    ratios = [
        r
        for r in (
            "bpnn/bound",
            "numpy_lean/bound",
            "bpnn/numpy_lean",
            "bpnn/torch",
            "bpnn_adam/bpnn",
        )
        if set(r.split("/")) <= set(names)
    ]
    print("| network | dtype | threads | " + " | ".join(names + ratios) + " |")
    print("|" + "---|" * (len(names) + len(ratios) + 3))
    for net in nets:
        for dtype in args.dtypes.split(","):
            for threads in (int(t) for t in args.threads.split(",")):
                row = steps.run_config(
                    net, dtype, threads, names, args.seconds, args.repeats
                )
                result["rows"].append(row)
                us, r = row["us_per_step"], row["ratios"]
                cells = [f"{us[n]:,.0f}" for n in names]
                cells += [f"{r[k]:.2f}" for k in ratios]
                print(
                    f"| {net} | {dtype} | {threads} | {' | '.join(cells)} |",
                    flush=True,
                )
    if not args.quick:
        result["fit_overhead"] = runs.fit_overhead()
        print("fit overhead:", json.dumps(result["fit_overhead"]), flush=True)
        result["pass_mark"] = runs.pass_mark()
        print("pass mark:", json.dumps(result["pass_mark"]), flush=True)
        rows = [int(n) for n in args.mmap_rows.split(",") if int(n) > 0]
        if rows:
            result["mmap"] = runs.mmap_rss(rows)
            print("memory-mapped:", json.dumps(result["mmap"]), flush=True)
    if budget:
        from ...apps.bench import budget as evals

        rows = evals.eval_budget(*budget, repeats=1 if args.quick else 3)
        result["eval_budget"] = rows
        print(
            "| steps | rows | evaluations | default CPU s | one evaluation CPU s | ratio |"
        )
        print("|---|---|---|---|---|---|")
        for r in rows:
            print(
                f"| {r['steps']:,} | {r['rows']:,} | {r['evaluations']} | "
                f"{r['default_s']:.3f} | {r['single_s']:.3f} | {r['ratio']:.2f} |",
                flush=True,
            )
    result.update(_whole_commands(args, sizes))
    if args.out:
        text = json.dumps(result, indent=1)
        atomic_write(args.out, lambda f: f.write(text.encode()))
    return 0


def _row_counts(text):
    """--big-csv's row counts (0s left out), checked before any timing."""
    from ...errors import UsageError

    try:
        return [int(n) for n in text.split(",") if int(n) > 0]
    except ValueError:
        raise UsageError(f"--big-csv expects row counts, got {text!r}") from None


def _whole_commands(args, sizes):
    """The big CSV against pandas, and the start-up times, each printed."""
    from ...apps.bench import csvrun

    out = {"startup": csvrun.startup(repeats=1 if args.quick else 3)}
    s = out["startup"]
    print(
        f"start-up: bpnn --help {s['help_s']:.2f} s, bpnn exercise "
        f"{s['exercise_s']:.2f} s, bpnn train csv on 150 rows {s['train150_s']:.2f} s "
        f"({s['train150_outside_s']:.2f} s outside training; "
        f"{s['train150_no_plots_s']:.2f} s with --no-plots)",
        flush=True,
    )
    if args.quick or not sizes:
        return out
    print(
        "| rows | file MiB | pandas read_csv s (serial) | imports s | read s | "
        "prepare s | fit s | final metrics s | write s | rest s | outside training s "
        "| outside / pandas (serial) | peak MiB | peak / file |"
    )
    print("|" + "---|" * 14)
    out["big_csv"] = []
    for rows in sizes:
        r = csvrun.big_csv(rows, repeats=3)
        out["big_csv"].append(r)
        print(
            f"| {rows:,} | {r['file_mib']:.0f} | {r['pandas_read_s']:.2f} "
            f"({r['pandas_serial_read_s']:.2f}) | "
            f"{r['imports_s']:.2f} | {r['read_s']:.2f} | {r['prepare_s']:.2f} | "
            f"{r['fit_s']:.2f} | "
            f"{r['final_metrics_s']:.2f} | {r['write_s']:.2f} | {r['rest_s']:.2f} | "
            f"{r['outside_training_s']:.2f} | {r['outside_vs_pandas']:.2f} "
            f"({r['outside_vs_pandas_serial']:.2f}) | "
            f"{r['peak_mib']:.0f} | {r['peak_vs_file']:.2f} |",
            flush=True,
        )
    return out


def _budget_grid(text):
    """'STEPS:ROWS' as two tuples of ints, or None for '0'."""
    from ...errors import UsageError

    try:
        steps, rows = (
            tuple(int(v) for v in part.split(",")) for part in text.split(":")
        )
    except ValueError:
        if text.strip() == "0":
            return None
        raise UsageError(
            f"--eval-budget expects STEPS:ROWS such as 600,10000:1000, got {text!r}"
        ) from None
    if min(steps + rows) <= 0:
        return None
    return steps, rows


def _machine():
    import os
    import platform

    model = platform.processor()
    try:
        with open("/proc/cpuinfo") as f:
            model = next(
                ln.split(":", 1)[1].strip() for ln in f if ln.startswith("model name")
            )
    except (OSError, StopIteration):
        pass
    return {"cpu": model, "cores": os.cpu_count(), "system": platform.platform()}


def _versions():
    from threadpoolctl import threadpool_info

    out = {
        "blas": [
            f"{i['internal_api']} {i['version']} {i.get('architecture')}"
            for i in threadpool_info()
        ]
    }
    for name in ("torch", "sklearn"):
        try:
            out[name] = __import__(name).__version__
        except ImportError:
            out[name] = None
    return out
