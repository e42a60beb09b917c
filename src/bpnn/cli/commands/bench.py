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
    p.add_argument("--dtypes", default="float64,float32", help="float64 and/or float32")
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
    from types import SimpleNamespace

    from ...apps.bench import steps
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
    # every option checked before anything is timed
    for dtype in args.dtypes.split(","):
        if dtype not in ("float64", "float32"):
            raise UsageError(f"--dtypes takes float64 and float32, got {dtype!r}")
    if args.repeats < 1 or not args.seconds > 0:
        raise UsageError(
            f"--repeats must be >= 1 and --seconds > 0, got {args.repeats} and "
            f"{args.seconds}"
        )
    plan = SimpleNamespace(
        networks=nets,
        dtypes=args.dtypes.split(","),
        threads=_counts("--threads", args.threads),
        seconds=args.seconds,
        repeats=args.repeats,
        quick=args.quick,
        mmap_rows=_counts("--mmap-rows", args.mmap_rows),
        budget=_budget_grid(args.eval_budget),
        big_csv=_counts("--big-csv", args.big_csv),
    )
    if args.quick:
        plan.repeats, plan.seconds, plan.mmap_rows = 3, 0.05, []
        plan.budget = plan.budget and (plan.budget[0][:2], plan.budget[1][:2])
    from ...apps.bench.report import report

    result = report(plan)
    if args.out:
        text = json.dumps(result, indent=1)
        atomic_write(args.out, lambda f: f.write(text.encode()))
    return 0


def _counts(option, text):
    """Comma-separated counts (0s left out), or a one-line error naming the
    option."""
    from ...errors import UsageError

    try:
        return [int(n) for n in text.split(",") if int(n) > 0]
    except ValueError:
        raise UsageError(f"{option} expects counts such as 1,2, got {text!r}") from None


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
