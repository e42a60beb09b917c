"""``bpnn train`` and ``bpnn predict`` end to end, on small CSVs made here and
on short runs of the course's data sets."""

import csv
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

pd = pytest.importorskip("pandas")
pytest.importorskip("matplotlib")

import bpnn
from bpnn.apps.metrics import no_better_than_majority
from bpnn.cli import main

SRC = Path(__file__).resolve().parents[2] / "src"


def make_csv(path, kind, n=240, seed=0):
    """A table whose target depends on a numeric and a 3-valued text column."""
    rng = np.random.default_rng(seed)
    x = rng.normal(50, 10, n)
    colour = rng.choice(["red", "green", "blue"], n)
    effect = pd.Series(colour).map({"red": 2.0, "green": 0.0, "blue": -2.0}).to_numpy()
    signal_ = (x - 50) / 10 + effect
    df = pd.DataFrame({"x": x, "colour": colour})
    if kind == "regression":
        df["y"] = 3 * signal_ + 100 + rng.normal(0, 0.3, n)
    elif kind == "binary":
        df["y"] = np.where(signal_ + rng.normal(0, 0.3, n) > 0, "yes", "no")
    else:  # three classes from the signal
        df["y"] = np.select([signal_ < -1, signal_ < 1], ["low", "mid"], "high")
    df.to_csv(path, index=False)
    return df


def train(args, tmp_path, name="run"):
    out = tmp_path / name
    rc = main(["train", *args, "--quiet", "--out", str(out)])
    return rc, out


def read_history(out):
    with open(out / "history.csv") as f:
        rows = list(csv.DictReader(f))
    return [float(r["train_loss"]) for r in rows], rows


def assert_outputs(out):
    for name in (
        "history.csv",
        "model.npz",
        "metrics.json",
        "loss.png",
        "predictions.png",
    ):
        assert (out / name).stat().st_size > 0, name
    for name in ("loss.png", "predictions.png"):
        assert (out / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    record = json.loads((out / "metrics.json").read_text())
    assert record["bpnn_version"] == bpnn.__version__
    assert record["hyperparameters"]["seed"] == record["seed"]
    return record


def test_regression_csv_trains_and_predicts_in_real_units(tmp_path, capsys):
    df = make_csv(tmp_path / "r.csv", "regression")
    rc, out = train(
        ["csv", str(tmp_path / "r.csv"), "--target", "y", "--epochs", "60"], tmp_path
    )
    assert rc == 0
    record = assert_outputs(out)
    assert record["task"] == "regression"
    assert record["features"] == ["x", "colour_blue", "colour_green", "colour_red"]
    losses, _ = read_history(out)
    assert losses[-1] < 0.2 * losses[0]
    # predicting the mean would score about 1 on the standardised target
    assert record["metrics"]["test_mse"] < 0.1
    new = df.drop(columns="y").iloc[:20]
    new.to_csv(tmp_path / "new.csv", index=False)
    assert (
        main(
            [
                "predict",
                "--model",
                str(out),
                "--csv",
                str(tmp_path / "new.csv"),
                "--out",
                str(tmp_path / "pred.csv"),
            ]
        )
        == 0
    )
    pred = pd.read_csv(tmp_path / "pred.csv")
    assert list(pred.columns) == ["x", "colour", "predicted_y"]
    error = pred["predicted_y"] - df["y"].iloc[:20]
    assert np.sqrt(np.mean(error**2)) < 0.3 * df["y"].std()  # real units, not scaled


def test_binary_csv_beats_the_majority_class(tmp_path):
    make_csv(tmp_path / "b.csv", "binary")
    rc, out = train(
        ["csv", str(tmp_path / "b.csv"), "--target", "y", "--epochs", "40"], tmp_path
    )
    assert rc == 0
    record = assert_outputs(out)
    assert record["task"] == "binary"
    assert record["network"]["activations"][-1] == "sigmoid"
    assert record["network"]["loss"] == "bce"
    m = record["metrics"]
    assert m["test_accuracy"] > m["test_majority_accuracy"] + 0.15


def test_multiclass_csv_uses_softmax_and_cross_entropy(tmp_path):
    df = make_csv(tmp_path / "m.csv", "multiclass")
    rc, out = train(
        [
            "csv",
            str(tmp_path / "m.csv"),
            "--target",
            "y",
            "--hidden",
            "8,8",
            "--epochs",
            "60",
        ],
        tmp_path,
    )
    assert rc == 0
    record = assert_outputs(out)
    assert record["task"] == "multiclass"
    assert record["network"]["sizes"] == [4, 8, 8, 3]
    assert record["network"]["activations"][-1] == "softmax"
    assert record["network"]["loss"] == "cross_entropy"
    assert record["metrics"]["test_accuracy"] > 0.7
    df.drop(columns="y").to_csv(tmp_path / "new.csv", index=False)
    assert (
        main(
            [
                "predict",
                "--model",
                str(out / "model.npz"),
                "--csv",
                str(tmp_path / "new.csv"),
                "--out",
                str(tmp_path / "p.csv"),
            ]
        )
        == 0
    )
    pred = pd.read_csv(tmp_path / "p.csv")
    probs = pred[["probability_high", "probability_low", "probability_mid"]]
    # printed at 6 significant digits
    np.testing.assert_allclose(probs.sum(axis=1), 1, atol=5e-6)
    assert (pred["predicted_y"] == df["y"]).mean() > 0.7


def test_bad_target_fails_clearly(tmp_path, capsys):
    make_csv(tmp_path / "r.csv", "regression")
    rc, out = train(["csv", str(tmp_path / "r.csv"), "--target", "price"], tmp_path)
    assert rc == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "Traceback" not in err
    assert "no target column 'price'" in err and "'x', 'colour', 'y'" in err
    assert not out.exists()


def test_predict_rejects_missing_and_unknown_columns(tmp_path, capsys):
    df = make_csv(tmp_path / "r.csv", "regression")
    rc, out = train(
        ["csv", str(tmp_path / "r.csv"), "--target", "y", "--epochs", "2"], tmp_path
    )
    assert rc == 0
    capsys.readouterr()
    df.drop(columns=["y", "colour"]).to_csv(tmp_path / "a.csv", index=False)
    assert main(["predict", "--model", str(out), "--csv", str(tmp_path / "a.csv")]) == 2
    assert "missing column(s) 'colour'" in capsys.readouterr().err
    df.assign(colour="pink").to_csv(tmp_path / "b.csv", index=False)
    assert main(["predict", "--model", str(out), "--csv", str(tmp_path / "b.csv")]) == 2
    assert "column 'colour' has value 'pink' (row 1) unseen" in capsys.readouterr().err


def test_an_existing_run_is_never_overwritten(tmp_path, capsys):
    make_csv(tmp_path / "r.csv", "regression")
    args = ["csv", str(tmp_path / "r.csv"), "--target", "y", "--epochs", "2"]
    rc, out = train(args, tmp_path)
    before = (out / "model.npz").read_bytes()
    rc, _ = train(args + ["--seed", "5"], tmp_path)
    assert rc == 2 and "already holds a run" in capsys.readouterr().err
    assert (out / "model.npz").read_bytes() == before


def test_short_bike_run_lowers_the_loss(tmp_path, capsys):
    rc, out = train(["bike", "--steps", "300", "--eval-every", "30"], tmp_path)
    assert rc == 0
    record = assert_outputs(out)
    losses, rows = read_history(out)
    assert losses[-1] < losses[0]
    assert all(r["val_loss"] for r in rows)
    assert record["network"]["sizes"] == [56, 20, 1]
    mark = record["metrics"]["pass_mark"]
    assert mark["met"] == (
        record["metrics"]["train_mse"] < 0.09
        and record["metrics"]["validation_mse"] < 0.18
    )
    assert "course pass mark" in capsys.readouterr().out


def test_admissions_warns_exactly_when_no_better_than_majority(tmp_path, capsys):
    rc, out = train(["admissions", "--epochs", "30", "--eval-every", "10"], tmp_path)
    assert rc == 0
    record = assert_outputs(out)
    assert record["network"]["sizes"] == [6, 2, 1]
    assert record["hyperparameters"]["sampling"] == "per_record"
    warned = "does no better than always answering the majority" in (
        capsys.readouterr().err
    )
    assert warned == no_better_than_majority(record["metrics"])


def test_ctrl_c_writes_the_run_and_exits_130(tmp_path, monkeypatch):
    original = bpnn.Network.fit

    def fit_then_interrupt(self, X, y, **kwargs):
        def press_ctrl_c(net, history):
            os.kill(os.getpid(), signal.SIGINT)

        return original(self, X, y, **{**kwargs, "callback": press_ctrl_c})

    monkeypatch.setattr(bpnn.Network, "fit", fit_then_interrupt)
    rc, out = train(["bike", "--steps", "2000", "--eval-every", "100"], tmp_path)
    assert rc == 130
    record = assert_outputs(out)
    assert record["stop_reason"] == "interrupted"
    assert record["weight_updates"] < 2000


def test_missing_pandas_is_one_line(tmp_path):
    code = (
        "import sys; sys.modules['pandas'] = None; from bpnn.cli import main; "
        "sys.exit(main(['train', 'bike', '--quiet', '--out', sys.argv[1]]))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "o")],
        capture_output=True,
        check=False,
        text=True,
        env={**os.environ, "PYTHONPATH": str(SRC)},
    )
    assert proc.returncode == 2
    assert proc.stderr.strip() == (
        'bpnn: error: this needs pandas, matplotlib and tqdm: pip install "bpnn[apps]"'
        ' (in a checkout: pip install -e ".[apps]")'
    )


#: what neither ``import bpnn`` nor building the command line may load: each
#: is imported by the feature that uses it (bridges, plots, data, server)
HEAVY = (
    "pandas", "matplotlib", "tqdm", "torch", "sklearn", "scipy", "onnx",
    "onnxruntime", "dask", "distributed", "starlette", "uvicorn",
)  # fmt: skip


def test_import_bpnn_and_the_cli_load_no_heavy_library():
    code = (
        "import sys, bpnn, bpnn.data.datasets, bpnn.cli; bpnn.cli.build_parser(); "
        "assert callable(bpnn.to_torch) and callable(bpnn.export_onnx); "
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        check=False,
        text=True,
        env={**os.environ, "PYTHONPATH": str(SRC)},
    )
    assert proc.stdout.strip() == "[]", proc.stderr


@pytest.mark.parametrize(
    "argv, example",
    [
        (["train", "--help"], "bpnn train bike --preset best"),
        (["train", "csv", "--help"], "bpnn train csv data.csv --target price"),
        (["predict", "--help"], "bpnn predict --model runs/bike-best"),
    ],
)
def test_every_train_command_shows_an_example(argv, example, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 0
    assert example in capsys.readouterr().out


def test_a_diverging_run_keeps_good_weights_and_exits_1(tmp_path, capsys):
    rc, out = train(
        ["bike", "--lr", "1e6", "--steps", "200", "--eval-every", "10"], tmp_path
    )
    assert rc == 1
    record = assert_outputs(out)
    assert record["stop_reason"] == "diverged"
    assert "try a lower learning rate" in capsys.readouterr().out
    assert np.isfinite(record["metrics"]["test_mse"])


def test_no_plots_writes_no_png_and_never_loads_matplotlib(tmp_path):
    """--no-plots: the model, history and metrics only, and matplotlib (most
    of a small run's time) is not imported at all; nor by bpnn predict."""
    data = tmp_path / "t.csv"
    rows = "\n".join(f"{i % 7},{(i * 3) % 5},{i % 7 + (i * 3) % 5}" for i in range(60))
    data.write_text("a,b,y\n" + rows + "\n")
    out = tmp_path / "run"
    code = (
        "import sys; from bpnn.cli import main\n"
        "status = main(sys.argv[1:])\n"
        "print('matplotlib' in sys.modules, status)\n"
    )
    args = ["train", "csv", str(data), "--target", "y", "--epochs", "3"]
    done = subprocess.run(
        [sys.executable, "-c", code, *args, "--quiet", "--no-plots", "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(SRC)},
    )
    assert done.stdout.splitlines()[-1] == "False 0", done.stdout + done.stderr
    assert f"wrote {out}/: history.csv model.npz metrics.json\n" in done.stdout
    assert sorted(p.name for p in out.iterdir()) == [
        "history.csv",
        "metrics.json",
        "model.npz",
    ]
    assert bpnn.load(out / "model.npz").n_in == 2
    predict = [
        "predict", "--model", str(out), "--csv", str(data), "--out", str(tmp_path / "p.csv")
    ]  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-c", code, *predict],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(SRC)},
    )
    assert done.stdout.splitlines()[-1] == "False 0", done.stdout + done.stderr
