"""bpnn's default on scikit-learn's bundled data sets exported to CSV, and on
messy exports of them, beside scikit-learn's default MLP and a linear model.

    python benchmarks/datasets.py [--folder DIR] [--markdown]

Each table is written as a CSV, trained with ``bpnn train csv FILE --target
T`` (defaults only) in a fresh process (its wall time is the whole command),
and the same training and test rows, prepared as bpnn prepared them, are
given to ``MLPClassifier``/``MLPRegressor`` (defaults, random_state=0) and to
``LogisticRegression``/``Ridge``. The score is the test set's accuracy for
classes and R² for numbers.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

SRC = Path(__file__).resolve().parents[1] / "src"
sys.path.insert(0, str(SRC))
ENV = {**os.environ, "PYTHONPATH": str(SRC)}


def bundled():
    """(name, frame, target) of five of scikit-learn's bundled data sets."""
    from sklearn import datasets

    for name, load in (
        ("iris", datasets.load_iris),
        ("wine", datasets.load_wine),
        ("breast_cancer", datasets.load_breast_cancer),
        ("diabetes", datasets.load_diabetes),
        ("digits", datasets.load_digits),
    ):
        frame = load(as_frame=True).frame
        target = "target"
        if name == "wine":
            frame = frame.rename(columns={"target": "cultivar"})
            target = "cultivar"
        yield name, frame, target


def write_clean(folder, name, frame):
    path = folder / f"{name}.csv"
    frame.to_csv(path, index=False)
    return path


def messy_wine(folder, frame):
    """Chinese Excel: GB18030, ';' and decimal commas, Chinese names, an ID
    column, a date, a trailing separator, CRLF."""
    rng = np.random.default_rng(0)
    out = frame.rename(columns={"alcohol": "酒精", "cultivar": "品种"})
    out.insert(0, "样品编号", [f"W{1000 + i}" for i in range(len(out))])
    out.insert(
        1,
        "日期",
        (
            pd.Timestamp("2020-01-01")
            + pd.to_timedelta(rng.integers(0, 900, len(out)), unit="D")
        ).strftime("%Y/%m/%d"),
    )
    out["品种"] = out["品种"].map({0: "一号", 1: "二号", 2: "三号"})
    text = out.to_csv(index=False, sep=";", decimal=",").replace("\n", ";\r\n")
    path = folder / "wine_messy.csv"
    path.write_bytes(text.encode("gb18030"))
    return path, "品种"


def messy_diabetes(folder, frame):
    """A Western export: thousands separators, percent strings, an integer
    record number, a constant column, an empty trailing column."""
    out = frame.copy()
    out.insert(0, "record_no", np.arange(1, len(out) + 1))
    out["bmi"] = [f"{v * 100:.1f}%" for v in out["bmi"]]
    out["target"] = [f"{v * 10:,.0f}" for v in out["target"]]
    out["clinic"] = "north"
    out["notes"] = ""
    path = folder / "diabetes_messy.csv"
    out.to_csv(path, index=False)
    return path, "target"


def messy_cancer(folder, frame):
    """Tab-separated UTF-16 with a BOM, a text patient ID and a visit date
    with hours, labels written as words."""
    rng = np.random.default_rng(1)
    out = frame.copy()
    out.insert(0, "patient", [f"P-{v:06d}" for v in rng.permutation(10**6)[: len(out)]])
    out.insert(
        1,
        "visit",
        (
            pd.Timestamp("2019-05-01 08:00")
            + pd.to_timedelta(rng.integers(0, 20000, len(out)), unit="h")
        ).strftime("%Y-%m-%d %H:%M"),
    )
    out["target"] = out["target"].map({0: "malignant", 1: "benign"})
    path = folder / "breast_cancer_messy.csv"
    path.write_bytes(out.to_csv(index=False, sep="\t").encode("utf-16"))
    return path, "target"


def run_bpnn(path, target, out):
    t = time.perf_counter()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bpnn",
            "train",
            "csv",
            str(path),
            "--target",
            target,
            "--quiet",
            "--out",
            str(out),
        ],
        check=False,
        env=ENV,
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - t
    if done.returncode:
        return {"error": done.stderr.strip()}, wall
    return json.loads((out / "metrics.json").read_text()), wall


def sklearn_scores(path, target):
    """The same rows, prepared by bpnn, through scikit-learn's defaults."""
    from sklearn.linear_model import LogisticRegression, Ridge
    from sklearn.neural_network import MLPClassifier, MLPRegressor

    from bpnn.data.datasets import load_csv

    data = load_csv(path, target)
    X = np.vstack([data.X_train, data.X_val])  # bpnn validates on X_val
    y = np.concatenate([data.y_train, data.y_val])
    out = {}
    if data.task == "regression":
        prep = data.preparation
        models = {"mlp": MLPRegressor(random_state=0), "linear": Ridge()}
        actual = prep.to_units(data.y_test[:, None])
        for name, model in models.items():
            t = time.perf_counter()
            model.fit(X, y)
            predicted = prep.to_units(model.predict(data.X_test)[:, None])
            ss = np.sum((actual - actual.mean()) ** 2)
            out[name] = (
                1 - np.sum((actual - predicted) ** 2) / ss,
                time.perf_counter() - t,
            )
    else:
        models = {
            "mlp": MLPClassifier(random_state=0),
            "linear": LogisticRegression(max_iter=1000),
        }
        for name, model in models.items():
            t = time.perf_counter()
            model.fit(X, y.astype(int))
            score = float(np.mean(model.predict(data.X_test) == data.y_test))
            out[name] = (score, time.perf_counter() - t)
    return data, out


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--folder")
    args = p.parse_args()
    folder = Path(args.folder or tempfile.mkdtemp(prefix="bpnn-datasets-"))
    folder.mkdir(parents=True, exist_ok=True)
    tables = []
    frames = {}
    for name, frame, target in bundled():
        frames[name] = frame
        tables.append((name, write_clean(folder, name, frame), target))
    for name, make, source in (
        ("wine (messy)", messy_wine, "wine"),
        ("diabetes (messy)", messy_diabetes, "diabetes"),
        ("breast_cancer (messy)", messy_cancer, "breast_cancer"),
    ):
        path, target = make(folder, frames[source])
        tables.append((name, path, target))
    print(
        "| data set | rows | task | features | bpnn | bpnn wall s | MLP (sklearn) "
        "| MLP s | linear | linear s |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    warnings.simplefilter("ignore")
    for name, path, target in tables:
        record, wall = run_bpnn(path, target, folder / f"run-{path.stem}")
        if "error" in record:
            print(f"| {name} | | | | error: {record['error']} | | | | | |")
            continue
        data, theirs = sklearn_scores(path, target)
        m = record["metrics"]
        key = "r2" if data.task == "regression" else "accuracy"
        rows = len(data.X_train) + len(data.X_val) + len(data.X_test)
        print(
            f"| {name} | {rows} | {data.task} | {len(data.feature_names)} | "
            f"{key} {m[key]:.3f} | {wall:.1f} | {theirs['mlp'][0]:.3f} | "
            f"{theirs['mlp'][1]:.1f} | {theirs['linear'][0]:.3f} | "
            f"{theirs['linear'][1]:.2f} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
