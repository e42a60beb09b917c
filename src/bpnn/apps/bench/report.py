"""``bpnn bench``'s report: each measure run in turn and printed as a
markdown table row as soon as it is measured, all of them gathered for the
JSON file. ``steps``, ``runs``, ``budget`` and ``csvrun`` do the measuring."""

from __future__ import annotations

import json
import platform

import numpy as np

from ..._version import __version__
from . import runs, steps

#: ratios shown beside the step times, those whose columns were measured
RATIOS = (
    "bpnn/bound",
    "numpy_lean/bound",
    "bpnn/numpy_lean",
    "bpnn/torch",
    "bpnn_adam/bpnn",
)


def report(plan) -> dict:
    """Every measure ``plan`` asks for (a namespace: networks, dtypes, threads,
    seconds, repeats, quick, mmap_rows, budget, big_csv), printed as it goes."""
    result = {
        "bpnn": __version__,
        "numpy": np.__version__,
        "python": platform.python_version(),
        "machine": machine(),
        "versions": versions(),
        "rows": step_table(plan),
    }
    if not plan.quick:
        result["fit_overhead"] = runs.fit_overhead()
        print("fit overhead:", json.dumps(result["fit_overhead"]), flush=True)
        result["pass_mark"] = runs.pass_mark()
        print("pass mark:", json.dumps(result["pass_mark"]), flush=True)
        if plan.mmap_rows:
            result["mmap"] = runs.mmap_rss(plan.mmap_rows)
            print("memory-mapped:", json.dumps(result["mmap"]), flush=True)
    if plan.budget:
        result["eval_budget"] = budget_table(plan.budget, plan.quick)
    result.update(whole_commands(plan.big_csv, plan.quick))
    return result


def step_table(plan) -> list:
    """µs per step of every competitor installed, a row per network, dtype
    and thread count."""
    names = steps.available(list(steps.COMPETITORS))
    ratios = [r for r in RATIOS if set(r.split("/")) <= set(names)]
    print("| network | dtype | threads | " + " | ".join(names + ratios) + " |")
    print("|" + "---|" * (len(names) + len(ratios) + 3))
    rows = []
    for net in plan.networks:
        for dtype in plan.dtypes:
            for threads in plan.threads:
                row = steps.run_config(
                    net, dtype, threads, names, plan.seconds, plan.repeats
                )
                rows.append(row)
                us, r = row["us_per_step"], row["ratios"]
                cells = [f"{us[n]:,.0f}" for n in names]
                cells += [f"{r[k]:.2f}" for k in ratios]
                print(
                    f"| {net} | {dtype} | {threads} | {' | '.join(cells)} |",
                    flush=True,
                )
    return rows


def budget_table(budget, quick) -> list:
    """The default evaluations against one, per steps and rows."""
    from . import budget as evals

    rows = evals.eval_budget(*budget, repeats=1 if quick else 3)
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
    return rows


def whole_commands(sizes, quick) -> dict:
    """The big CSV against pandas, and the start-up times, each printed."""
    from . import csvrun

    out = {"startup": csvrun.startup(repeats=1 if quick else 3)}
    s = out["startup"]
    print(
        f"start-up: bpnn --help {s['help_s']:.2f} s, bpnn exercise "
        f"{s['exercise_s']:.2f} s, bpnn train csv on 150 rows {s['train150_s']:.2f} s "
        f"({s['train150_outside_s']:.2f} s outside training; "
        f"{s['train150_no_plots_s']:.2f} s with --no-plots)",
        flush=True,
    )
    if quick or not sizes:
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


def machine() -> dict:
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


def versions() -> dict:
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
