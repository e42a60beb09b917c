"""``bpnn train`` under Ctrl-C and SIGTERM, ``--resume``, and bad input at the
command line: a one-line error and exit 2, or 130/143 with the run kept."""

import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

pd = pytest.importorskip("pandas")
pytest.importorskip("matplotlib")

import bpnn
from bpnn.cli import main

SRC = Path(__file__).resolve().parents[2] / "src"
#: ``bpnn`` in a process of its own that, after its 40th weight update, says
#: so and waits for a line: a signal sent then lands mid-run on any machine
PAUSE_AT_STEP = """
import sys
import bpnn
from bpnn.cli import main

original, calls = bpnn.Network.train_step, []

def step(self, *args):
    out = original(self, *args)
    calls.append(1)
    if len(calls) == 40:
        print("paused at step 40", flush=True)
        sys.stdin.readline()
    return out

bpnn.Network.train_step = step
sys.exit(main(sys.argv[1:]))
"""
# a run long enough to be interrupted, short enough for a test
RUN = [
    "--hidden",
    "8",
    "--optimizer",
    "adam",
    "--lr",
    "0.01",
    "--sampling",
    "shuffle",
    "--batch-size",
    "64",
    "--epochs",
    "1500",
    "--eval-every",
    "50",
    "--seed",
    "3",
    "--quiet",
]


@pytest.fixture(scope="module")
def table(tmp_path_factory):
    rng = np.random.default_rng(0)
    n = 400
    df = pd.DataFrame(
        {
            "x": rng.normal(size=n),
            "z": rng.normal(size=n),
            "colour": rng.choice(["red", "blue"], n),
        }
    )
    df["y"] = 2 * df.x - df.z + (df.colour == "red") + rng.normal(0, 0.1, n)
    path = tmp_path_factory.mktemp("data") / "table.csv"
    df.to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def uninterrupted(table, tmp_path_factory):
    out = tmp_path_factory.mktemp("whole") / "run"
    assert (
        main(["train", "csv", str(table), "--target", "y", *RUN, "--out", str(out)])
        == 0
    )
    return out


def weights(folder):
    return bpnn.load(folder / "model.npz").params()


def same_weights(a, b):
    return all(np.array_equal(p, q) for p, q in zip(weights(a), weights(b)))


def test_ctrl_c_on_a_real_process_then_resume_gives_the_uninterrupted_weights(
    table, uninterrupted, tmp_path, capsys
):
    out = tmp_path / "run"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            PAUSE_AT_STEP,
            "train",
            "csv",
            str(table),
            "--target",
            "y",
            *RUN,
            "--out",
            str(out),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(SRC), "PYTHONUNBUFFERED": "1"},
    )
    for line in proc.stdout:  # the run waits after this step for a line
        if line.startswith("paused at step"):
            break
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate("go\n", timeout=60)
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stderr
    assert re.search(
        r"interrupted \(SIGINT\) after \d+ weight updates: the run so "
        rf"far is in {re.escape(str(out))}/",
        stdout,
    )
    assert f"--resume {out}" in stdout
    record = json.loads((out / "metrics.json").read_text())
    assert record["stop_reason"] == "interrupted"
    assert (out / "checkpoint.npz").exists() and (out / "history.csv").exists()
    assert not same_weights(out, uninterrupted)

    assert (
        main(
            [
                "train",
                "csv",
                str(table),
                "--target",
                "y",
                "--quiet",
                "--resume",
                str(out),
            ]
        )
        == 0
    )
    assert "resuming" in capsys.readouterr().out
    assert same_weights(out, uninterrupted)
    assert not (out / "checkpoint.npz").exists()
    assert (out / "history.csv").read_text() == (
        uninterrupted / "history.csv"
    ).read_text()


def interrupt_with(monkeypatch, signum, after_calls):
    original, calls = bpnn.Network.train_step, []

    def step(self, *args):
        calls.append(1)
        if len(calls) == after_calls:
            os.kill(os.getpid(), signum)
        return original(self, *args)

    monkeypatch.setattr(bpnn.Network, "train_step", step)


def test_sigterm_keeps_the_run_exits_143_and_resumes(
    table, uninterrupted, tmp_path, monkeypatch, capsys
):
    out = tmp_path / "run"
    interrupt_with(monkeypatch, signal.SIGTERM, 700)
    args = ["train", "csv", str(table), "--target", "y"]
    assert main([*args, *RUN, "--out", str(out)]) == 143
    assert "interrupted (SIGTERM) after 700 weight updates" in capsys.readouterr().out
    assert json.loads((out / "metrics.json").read_text())["weight_updates"] == 700
    monkeypatch.undo()
    assert (out / "loss.png").exists()
    # --no-plots is the output's, not the run's: a resumed run may take it, and
    # the interrupted state's plots do not outlive it
    assert main([*args, "--quiet", "--no-plots", "--resume", str(out)]) == 0
    assert same_weights(out, uninterrupted)
    assert not (out / "loss.png").exists() and not (out / "predictions.png").exists()


@pytest.mark.parametrize(
    "change,words",
    [
        (
            ["--lr", "0.5"],
            (
                r"--resume continues the run as it was started: --lr 0.5 "
                r"differs from its 0.01"
            ),
        ),
        (["--out", "elsewhere"], r"--resume continues in the run's own folder"),
        (["--target", "x"], r"that run used target='y', this command gives 'x'"),
        (["--dropna"], r"that run used dropna=False, this command gives True"),
        (["--train-sample", "0"], r"--train-sample 0 differs from its 4096"),
    ],
)
def test_resume_refuses_to_change_the_run(
    table, tmp_path, monkeypatch, capsys, change, words
):
    out = tmp_path / "run"
    interrupt_with(monkeypatch, signal.SIGINT, 50)
    args = ["train", "csv", str(table), "--target", "y"]
    assert main([*args, *RUN, "--out", str(out)]) == 130
    monkeypatch.undo()
    capsys.readouterr()
    if change[0] == "--target":
        args[-1] = change[1]
        change = []
    assert main([*args, "--quiet", "--resume", str(out), *change]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and re.search(words, err), err


def test_resume_of_a_finished_or_absent_run_is_a_clear_error(
    uninterrupted, table, tmp_path, capsys
):
    args = ["train", "csv", str(table), "--target", "y", "--resume"]
    assert main([*args, str(uninterrupted)]) == 2
    assert "that run finished; nothing to resume" in capsys.readouterr().err
    assert main([*args, str(tmp_path / "nothing")]) == 2
    assert "no interrupted run there (no checkpoint.npz)" in capsys.readouterr().err
    assert main(["train", "bike", "--resume", str(uninterrupted)]) == 2


# -- bad CSVs at the command line ------------------------------------------------

from helpers.csv_cases import CASES as CSV_CASES
from helpers.csv_cases import GOOD, edit_line


@pytest.mark.parametrize(
    "content,words", [(c[1], c[3]) for c in CSV_CASES], ids=[c[0] for c in CSV_CASES]
)
def test_bad_csv_for_train_is_one_line_and_exit_2(tmp_path, capsys, content, words):
    path = tmp_path / "data.csv"
    if content is not None:
        path.write_bytes(content.encode() if isinstance(content, str) else content)
    out = tmp_path / "run"
    rc = main(
        ["train", "csv", str(path), "--target", "admit", "--quiet", "--out", str(out)]
    )
    err = capsys.readouterr().err
    assert rc == 2
    assert err.startswith(f"bpnn: error: {path}: ") and err.count("\n") == 1, err
    assert re.search(words, err), err
    assert not out.exists()


def test_dropna_trains_on_the_complete_rows(tmp_path, capsys):
    text = GOOD + "".join(
        f"{600 + i},{3 + i / 50},{1 + i % 3},{(i // 2) % 2}\n" for i in range(40)
    )
    text = edit_line(edit_line(text, 3, "410,,2,1"), 8, "460,2.8,,1")
    path = tmp_path / "holes.csv"
    path.write_text(text)
    args = ["train", "csv", str(path), "--target", "admit", "--epochs", "5", "--quiet"]
    assert main([*args, "--out", str(tmp_path / "a")]) == 2
    assert "pass --dropna" in capsys.readouterr().err
    assert main([*args, "--dropna", "--out", str(tmp_path / "b")]) == 0
    assert "left out 2 row(s) with missing values (--dropna)" in capsys.readouterr().out


@pytest.mark.parametrize(
    "content,words",
    [
        (None, r"rows.csv: no such file"),
        ("", r"rows.csv: the file is empty"),
        (
            "x,z,colour\n1,2,red\n3,4,blue,5\n",
            (
                r"rows.csv: line 3 has 4 field\(s\), but "
                "the header has 3"
            ),
        ),
        # not UTF-8: read as Windows-1252, where it is a row of one field
        ("x,z,colour\n1,2,red\n\xff", r"rows.csv: line 3 has 1 field\(s\)"),
    ],
)
def test_bad_csv_for_predict_is_one_line_and_exit_2(
    uninterrupted, tmp_path, capsys, content, words
):
    path = tmp_path / "rows.csv"
    if content is not None:
        path.write_bytes(content.encode("latin-1"))
    rc = main(["predict", "--model", str(uninterrupted), "--csv", str(path)])
    err = capsys.readouterr().err
    assert rc == 2 and err.count("\n") == 1 and re.search(words, err), err


# -- bad values and bad model files at the command line ------------------------------


@pytest.mark.parametrize(
    "option,words",
    [
        (["--lr", "-1"], r"lr must be > 0, got -1.0"),
        (["--lr", "nan"], r"lr must be > 0, got nan"),
        (["--batch-size", "0"], r"--batch-size must be > 0, got 0"),
        (["--epochs", "0"], r"epochs must be > 0, got 0"),
        (["--steps", "-3"], r"steps must be > 0, got -3"),
        (["--eval-every", "0"], r"--eval-every must be > 0, got 0"),
        (["--patience", "-2"], r"patience must be an int >= 0, got -2"),
        (
            ["--optimizer", "sgd", "--momentum", "1.5"],
            r"momentum must be in \[0, 1\), got 1.5",
        ),
    ],
)
def test_bad_hyperparameters_are_one_line_and_exit_2(
    table, tmp_path, capsys, option, words
):
    out = tmp_path / "run"
    rc = main(
        [
            "train",
            "csv",
            str(table),
            "--target",
            "y",
            "--quiet",
            "--out",
            str(out),
            *option,
        ]
    )
    err = capsys.readouterr().err
    assert rc == 2 and err.startswith("bpnn: error: ") and err.count("\n") == 1
    assert re.search(words, err), err
    assert not (out / "model.npz").exists()


def newer(raw):
    """The same model, marked as written by a future format."""
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(raw)) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    config = json.loads(members["config.json"])
    members["config.json"] = json.dumps({**config, "format_version": 9})
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


@pytest.mark.parametrize(
    "damage,words",
    [
        (lambda raw: raw[: len(raw) // 2], r"model.npz: not a readable model file"),
        (lambda raw: b"", r"model.npz: not a readable model file"),
        (lambda raw: newer(raw), r"model.npz: written by a newer bpnn \(format 9"),
    ],
)
def test_damaged_model_files_for_predict_are_one_line_and_exit_2(
    uninterrupted, table, tmp_path, capsys, damage, words
):
    model = tmp_path / "model.npz"
    model.write_bytes(damage((uninterrupted / "model.npz").read_bytes()))
    rc = main(["predict", "--model", str(model), "--csv", str(table)])
    err = capsys.readouterr().err
    assert rc == 2 and err.count("\n") == 1 and re.search(words, err), err


def test_a_random_sampling_run_resumes_exactly(tmp_path, monkeypatch, capsys):
    """The bike network draws random batches in blocks: an interruption in the
    middle of a block must continue the very same stream."""
    args = ["train", "bike", "--steps", "300", "--eval-every", "50", "--quiet"]
    assert main([*args, "--out", str(tmp_path / "whole")]) == 0
    interrupt_with(monkeypatch, signal.SIGINT, 123)
    assert main([*args, "--out", str(tmp_path / "run")]) == 130
    monkeypatch.undo()
    assert main(["train", "bike", "--quiet", "--resume", str(tmp_path / "run")]) == 0
    assert same_weights(tmp_path / "run", tmp_path / "whole")
