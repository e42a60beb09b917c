"""CSV files on Dask: the same preparation as ``bpnn train csv`` on their
concatenation, the same run, clear errors, and a run that survives losing
its scheduler."""

import json

import numpy as np
import pytest

pd = pytest.importorskip("pandas")
pytest.importorskip("matplotlib")
distributed = pytest.importorskip("distributed")

from bpnn.cli import main
from bpnn.datasets import load_csv, split_rows
from bpnn.distributed import cluster as dask_cluster
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


def write_parts(folder, frame, cuts=(0, 70, 200, 260)):
    """The frame as part files, and as one concatenated file."""
    folder.mkdir(exist_ok=True)
    ends = [*cuts[1:], len(frame)]
    for i, (a, b) in enumerate(zip(cuts, ends)):
        frame.iloc[a:b].to_csv(folder / f"part-{i}.csv", index=False)
    frame.to_csv(folder / "all.csv", index=False)
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
    pattern, whole = write_parts(tmp_path, table())
    here = load_csv(whole, **options)
    there = load_csv_on_dask(client, pattern, **options)
    same_preparation(here.preparation, there.preparation)
    # the same rows in each split, kept in file order on Dask
    for which, rows in enumerate(split_rows(300, options.get("seed", 0))):
        X_here, y_here = here.splits()[which][1:]
        X_there, y_there = there.splits()[which][1:]
        order = np.argsort(rows)
        np.testing.assert_allclose(X_there.compute(), X_here[order], rtol=1e-12)
        np.testing.assert_allclose(y_there.compute(), y_here[order], rtol=1e-12)


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
    assert a["metrics"].pop("majority_class") == b["metrics"].pop("majority_class")
    assert a["metrics"] == pytest.approx(b["metrics"], rel=1e-9)
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
    assert b["metrics"] == pytest.approx(a["metrics"], rel=1e-9)


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
