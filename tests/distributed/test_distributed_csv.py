"""CSV files on Dask: the same preparation as ``bpnn train csv`` on their
concatenation, the same run, clear errors, and a run that survives losing
its scheduler."""

import json
import re

import numpy as np
import pytest

pd = pytest.importorskip("pandas")
pytest.importorskip("matplotlib")
distributed = pytest.importorskip("distributed")

from bpnn.cli import main
from bpnn.datasets import load_csv, split_rows
from bpnn.distributed import cluster as dask_cluster
from bpnn.distributed import column_kinds
from bpnn.distributed.tables import load_csv as load_csv_on_dask
from bpnn.distributed.training import Trainer


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=False,
        protocol="tcp",  # so that the command line can join it
        dashboard_address=":0",
    ) as c:
        yield c


@pytest.fixture(scope="module")
def client(cluster):
    with distributed.Client(cluster) as c:
        yield c


def table(rows=300, seed=0):
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "size": rng.normal(50, 10, rows).round(2),
            "rooms": rng.integers(1, 6, rows),
            "city": rng.choice(["Paris", "Lyon", "Nice"], rows),
            "price": rng.normal(200, 40, rows).round(1),
            "sold": rng.choice(["yes", "no"], rows),
            "grade": rng.choice(["a", "b", "c"], rows),
        }
    )


def write_parts(folder, frame, cuts=(0, 70, 200, 260), **how):
    """The frame as part files, and as one concatenated file."""
    folder.mkdir(exist_ok=True)
    ends = [*cuts[1:], len(frame)]
    for i, (a, b) in enumerate(zip(cuts, ends)):
        frame.iloc[a:b].to_csv(folder / f"part-{i}.csv", index=False, **how)
    frame.to_csv(folder / "all.csv", index=False, **how)
    return str(folder / "part-*.csv"), str(folder / "all.csv")


def same_preparation(a, b):
    a, b = a.to_dict(), b.to_dict()
    for ca, cb in zip(a.pop("columns"), b.pop("columns")):
        assert ca.keys() == cb.keys() and ca["name"] == cb["name"]
        for key in ca:
            if isinstance(ca[key], float):
                assert ca[key] == pytest.approx(cb[key], rel=1e-12, abs=1e-12)
            else:
                assert ca[key] == cb[key]
    assert a.pop("target_mean") == pytest.approx(b.pop("target_mean"), rel=1e-12)
    assert a.pop("target_std") == pytest.approx(b.pop("target_std"), rel=1e-12)
    assert a == b


def split_of(frame, target, seed, task):
    """The rows of load_csv's split: stratified by class for a classification."""
    classes = None if task == "regression" else pd.factorize(frame[target])[0]
    return split_rows(len(frame), seed, classes=classes)


def rounded(line):
    return re.sub(r"\d+\.\d{6,}", lambda m: f"{float(m[0]):.9g}", line)


def same_data(here, there, frame, seed=0):
    """The same preparation, kinds, and rows in each split (in file order on
    Dask)."""
    same_preparation(here.preparation, there.preparation)
    assert here.info["columns"] == there.info["columns"]
    assert here.info["split"] == there.info["split"]
    # the column table and the task, the fills' last digits aside
    assert [rounded(line) for line in here.notes[1:]] == [
        rounded(line) for line in there.notes[1:]
    ]
    rows = split_of(frame, here.target, seed, here.task)
    for which, part in enumerate(rows):
        X_here, y_here = here.splits()[which][1:]
        X_there, y_there = there.splits()[which][1:]
        order = np.argsort(part)
        np.testing.assert_allclose(
            X_there.compute(), X_here[order], rtol=1e-12, atol=1e-12
        )
        np.testing.assert_allclose(y_there.compute(), y_here[order], rtol=1e-12)


@pytest.mark.parametrize(
    "options",
    [
        {"target": "price"},
        {"target": "sold", "categorical": ["rooms"], "drop": ["size"]},
        {"target": "grade", "seed": 3},
        {"target": "rooms", "task": "classification"},
    ],
)
def test_the_same_preparation_as_the_concatenated_file(client, tmp_path, options):
    frame = table()
    pattern, whole = write_parts(tmp_path, frame)
    here = load_csv(whole, **options)
    there = load_csv_on_dask(client, pattern, **options)
    same_data(here, there, frame, options.get("seed", 0))


def messy(rows=240, seed=1):
    """A spreadsheet's export: IDs, dates, percentages, a constant, holes."""
    rng = np.random.default_rng(seed)
    order = rng.permutation(rows)
    frame = pd.DataFrame(
        {
            "row_id": order + 1,  # 1..n shuffled: an ID, ranges overlap
            "code": [f"C{i:04d}" for i in order],  # unique text: an ID
            "count": rng.permutation(rows) * 7 + 3,  # unique whole numbers
            "when": [f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}" for i in range(rows)],
            "rate": [f"{v:.1f}%" for v in rng.uniform(0, 50, rows)],
            "same": ["x"] * rows,
            "city": rng.choice(["Paris", "Lyon", "Nice", None], rows),
            "size": np.where(rng.random(rows) < 0.1, np.nan, rng.normal(50, 9, rows)),
            "y": rng.choice([0, 1, 2], rows),
        }
    )
    return frame


@pytest.mark.parametrize(
    "options",
    [
        {"target": "y", "impute": "most_frequent"},
        {"target": "y", "impute": "mean", "task": "regression", "seed": 2},
        {"target": "y", "dropna": True, "date": ["when"], "numeric": ["count"]},
    ],
)
def test_kinds_splits_and_fills_of_a_messy_export(client, tmp_path, options):
    frame = messy()
    pattern, whole = write_parts(tmp_path, frame, cuts=(0, 50, 130, 200))
    here = load_csv(whole, **options)
    there = load_csv_on_dask(client, pattern, **options)
    assert there.info["columns"]["row_id"] == "id"
    assert there.info["columns"]["code"] == "id"
    assert there.info["columns"]["when"] == "date"
    assert there.info["columns"]["same"] == "constant"
    kept = frame.dropna() if options.get("dropna") else frame
    same_data(here, there, kept.reset_index(drop=True), options.get("seed", 0))


def test_a_spreadsheets_format_is_found_in_the_first_file(client, tmp_path):
    frame = table()
    pattern, whole = write_parts(tmp_path, frame, sep=";", decimal=",")
    here = load_csv(whole, "price")
    there = load_csv_on_dask(client, pattern, "price")
    assert there.info["csv_format"] == here.info["csv_format"]
    assert there.info["csv_format"]["decimal"] == ","
    same_data(here, there, frame)


def test_what_dask_cannot_match_is_refused_in_one_line(client, tmp_path, monkeypatch):
    pattern, _ = write_parts(tmp_path, messy(), cuts=(0, 50, 130, 200))
    with pytest.raises(ValueError, match="--impute median is not available"):
        load_csv_on_dask(client, pattern, "y", impute="median")
    with pytest.raises(ValueError, match="--test-csv and --val-csv are not"):
        load_csv_on_dask(client, pattern, "y", test_csv=pattern)
    monkeypatch.setattr(column_kinds, "MAX_DISTINCT", 20)
    with pytest.raises(ValueError, match=r"part-0.csv: column 'code' has 50 distinct"):
        load_csv_on_dask(client, pattern, "y", impute="mean")
    there = load_csv_on_dask(
        client, pattern, "y", drop=["code", "when", "rate"], impute="mean"
    )
    assert there.info["columns"]["code"] == "dropped"


def test_files_that_disagree_are_a_one_line_error(client, tmp_path):
    frame = table()
    pattern, _ = write_parts(tmp_path, frame)
    text = frame.iloc[:70].assign(size="big")
    text.to_csv(tmp_path / "part-0.csv", index=False)
    with pytest.raises(
        ValueError,
        match=r"part-1.csv: column 'size' holds numeric values, but text values in .*part-0.csv",
    ):
        load_csv_on_dask(client, pattern, "price")
    frame.iloc[:70].drop(columns="city").to_csv(tmp_path / "part-0.csv", index=False)
    with pytest.raises(ValueError, match=r"part-1.csv: its columns"):
        load_csv_on_dask(client, pattern, "price")
    with pytest.raises(FileNotFoundError, match="no such file"):
        load_csv_on_dask(client, str(tmp_path / "none-*.csv"), "price")


def test_a_bad_line_is_named_by_its_file_and_line(cluster, tmp_path, capsys):
    frame = table()
    pattern, _ = write_parts(tmp_path, frame)
    lines = (tmp_path / "part-2.csv").read_text().splitlines()
    lines[5] = lines[5] + ",extra"
    (tmp_path / "part-2.csv").write_text("\n".join(lines) + "\n")
    status = main(
        [
            "train",
            "csv",
            pattern,
            "--target",
            "price",
            "--quiet",
            "--dask",
            cluster.scheduler_address,
            "--out",
            str(tmp_path / "r"),
        ]
    )
    err = capsys.readouterr().err.strip()
    assert status == 2 and "\n" not in err
    assert "part-2.csv: line 6 has 7 field(s)" in err


def same_numbers(a, b):
    """Equal dicts of metrics, floats to 1e-9."""
    if isinstance(a, dict):
        assert a.keys() == b.keys()
        for key in a:
            same_numbers(a[key], b[key])
    elif isinstance(a, float):
        assert a == pytest.approx(b, rel=1e-9, abs=1e-12)
    else:
        assert a == b


RUN = [
    "--hidden",
    "5",
    "--optimizer",
    "adam",
    "--lr",
    "0.05",
    "--batch-size",  # more than the rows: full batch
    "100000",
    "--epochs",
    "30",
    "--eval-every",
    "3",
    "--train-sample",
    "0",
    "--quiet",
]


def test_the_command_line_run_on_dask_is_the_run_in_memory(cluster, tmp_path, capsys):
    pattern, whole = write_parts(tmp_path, table())
    common = ["--target", "sold", "--categorical", "rooms", *RUN]
    assert main(["train", "csv", whole, *common, "--out", str(tmp_path / "a")]) == 0
    assert (
        main(
            [
                "train",
                "csv",
                pattern,
                *common,
                "--out",
                str(tmp_path / "b"),
                "--dask",
                cluster.scheduler_address,
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "on 2 Dask workers" in out and "stopped: completed after 30" in out
    a = json.loads((tmp_path / "a" / "metrics.json").read_text())
    b = json.loads((tmp_path / "b" / "metrics.json").read_text())
    same_numbers(b["metrics"], a["metrics"])
    assert b["metrics"]["confusion_matrix"] == a["metrics"]["confusion_matrix"]
    assert b["data"]["columns"] == a["data"]["columns"]
    assert a["features"] == b["features"] and a["weight_updates"] == 30
    history = [pd.read_csv(tmp_path / r / "history.csv") for r in "ab"]
    np.testing.assert_allclose(
        history[1].to_numpy(float), history[0].to_numpy(float), rtol=1e-10
    )
    # bpnn predict reads the model as it reads any run's
    assert (
        main(
            [
                "predict",
                "--model",
                str(tmp_path / "b"),
                "--csv",
                whole,
                "--out",
                str(tmp_path / "p.csv"),
            ]
        )
        == 0
    )
    predicted = pd.read_csv(tmp_path / "p.csv")
    assert set(predicted["predicted_sold"]) <= {"yes", "no"}


def test_a_lost_scheduler_keeps_the_run_and_resume_finishes_it(
    tmp_path, capsys, monkeypatch
):
    pattern, whole = write_parts(tmp_path, table())
    common = ["--target", "price", *RUN]
    assert main(["train", "csv", whole, *common, "--out", str(tmp_path / "a")]) == 0
    monkeypatch.setattr(dask_cluster, "CONNECT_TIMEOUT", 1)
    real, calls = Trainer.update, []
    doomed = distributed.LocalCluster(
        n_workers=1,
        threads_per_worker=1,
        processes=False,
        protocol="tcp",
        dashboard_address=":0",
    )

    def update(self, *args):
        calls.append(1)
        if len(calls) == 12:
            doomed.close()
        return real(self, *args)

    monkeypatch.setattr(Trainer, "update", update)
    out_dir = tmp_path / "b"
    status = main(
        [
            "train",
            "csv",
            pattern,
            *common,
            "--out",
            str(out_dir),
            "--dask",
            doomed.scheduler_address,
        ]
    )
    monkeypatch.undo()
    out = capsys.readouterr().out
    assert status == 1, out
    assert "lost the Dask scheduler after 11 weight updates" in out
    assert {"model.npz", "history.csv", "checkpoint.npz"} <= {
        p.name for p in out_dir.iterdir()
    }
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=False,
        protocol="tcp",
        dashboard_address=":0",
    ) as again:
        status = main(
            [
                "train",
                "csv",
                pattern,
                *common,
                "--resume",
                str(out_dir),
                "--dask",
                again.scheduler_address,
            ]
        )
    assert status == 0 and not (out_dir / "checkpoint.npz").exists()
    a = json.loads((tmp_path / "a" / "metrics.json").read_text())
    b = json.loads((out_dir / "metrics.json").read_text())
    same_numbers(b["metrics"], a["metrics"])


@pytest.mark.parametrize(
    ("address", "words"),
    [
        ("local:none", "local:N takes a number of workers >= 1"),
        ("somewhere", "give local:N or a scheduler address"),
        ("tcp://127.0.0.1:9", "no Dask scheduler answers"),
    ],
)
def test_a_bad_dask_address_is_a_one_line_error(
    tmp_path, capsys, monkeypatch, address, words
):
    monkeypatch.setattr(dask_cluster, "CONNECT_TIMEOUT", 1)
    pattern, _ = write_parts(tmp_path, table())
    status = main(["train", "csv", pattern, "--target", "price", "--dask", address])
    err = capsys.readouterr().err.strip()
    assert status == 2 and "\n" not in err and words in err, err
