"""A run's folder: claimed before training, never shared, never reused while
it holds any part of another run; default folders are unique; a resumed run
must see the data it started on."""

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

pd = pytest.importorskip("pandas")
pytest.importorskip("matplotlib")

from bpnn.apps import rundir
from bpnn.apps.rundir import LOCK, claim, claim_for_resume, claim_new
from bpnn.cli import main
from bpnn.errors import InputError

SRC = Path(__file__).resolve().parents[2] / "src"
RUN = ["--hidden", "3", "--epochs", "5", "--quiet"]
#: ``bpnn`` in a process of its own that stops once its folder is claimed,
#: says so and waits for a line
PAUSE_CLAIMED = """
import sys
from bpnn.apps import transaction
from bpnn.cli import main

def hook(phase, folder):
    if phase == "claimed":
        print("claimed", flush=True)
        sys.stdin.readline()

transaction.PHASE_HOOKS.append(hook)
sys.exit(main(sys.argv[1:]))
"""


@pytest.fixture(scope="module")
def table(tmp_path_factory):
    rng = np.random.default_rng(2)
    df = pd.DataFrame({"a": rng.normal(size=60), "b": rng.normal(size=60)})
    df["y"] = df.a + df.b
    path = tmp_path_factory.mktemp("data") / "folders.csv"
    df.to_csv(path, index=False)
    return path


def train(table, *extra):
    return main(["train", "csv", str(table), "--target", "y", *RUN, *extra])


def test_two_runs_on_one_out_one_wins_one_is_refused(table, tmp_path, capsys):
    out = tmp_path / "shared"
    first = subprocess.Popen(
        [sys.executable, "-c", PAUSE_CLAIMED, "train", "csv", str(table)]
        + ["--target", "y", *RUN, "--out", str(out)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(SRC)},
    )
    assert first.stdout.readline().strip() == "claimed"
    assert train(table, "--out", str(out)) == 2
    err = capsys.readouterr().err
    assert f"--out {out}: another bpnn run (process {first.pid}" in err
    first.communicate("go\n", timeout=120)
    assert first.returncode == 0
    assert (out / "model.npz").exists() and not (out / LOCK).exists()
    assert train(table, "--out", str(out)) == 2  # and now it holds a run
    assert "already holds a run (history.csv, model.npz" in capsys.readouterr().err


def test_a_claim_is_exclusive_and_released(tmp_path):
    first = claim(tmp_path / "x")
    with pytest.raises(InputError, match="another bpnn run"):
        claim(tmp_path / "x")
    first.release()
    assert not (tmp_path / "x").exists()  # made by the claim, left empty
    claim(tmp_path / "x").release()


def test_default_folders_are_unique_within_one_second(tmp_path, monkeypatch):
    monkeypatch.setattr(rundir, "datetime", FrozenClock)
    folders = [claim_new("bike", root=tmp_path) for _ in range(3)]
    names = [f.path.name for f in folders]
    assert names == ["bike-20260101-120000", "bike-20260101-120000-2"] + [
        "bike-20260101-120000-3"
    ]
    for f in folders:
        f.release()


class FrozenClock:
    @staticmethod
    def now():
        from datetime import datetime

        return datetime(2026, 1, 1, 12, 0, 0)


def test_a_folder_holding_only_a_checkpoint_is_not_free(table, tmp_path, capsys):
    out = tmp_path / "run"
    out.mkdir()
    (out / "checkpoint.npz").write_bytes(b"an interrupted run's")
    assert train(table, "--out", str(out)) == 2
    said = capsys.readouterr()
    assert (
        f"holds an interrupted run (checkpoint.npz): continue it with --resume {out}"
        in said.err
    )
    assert (out / "checkpoint.npz").read_bytes() == b"an interrupted run's"
    assert "Dataset" not in said.out  # refused before the data was read


def dead_pid():
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_a_dead_runs_lock_is_named_and_taken_over_by_resume(tmp_path):
    out = tmp_path / "run"
    out.mkdir()
    import socket

    owner = {"pid": dead_pid(), "host": socket.gethostname(), "started": "then"}
    (out / LOCK).write_text(json.dumps(owner))
    with pytest.raises(InputError, match=r"process \d+\) that stopped without"):
        claim(out)
    taken = claim_for_resume(out)
    assert json.loads((out / LOCK).read_text())["pid"] == os.getpid()
    taken.release()
    assert out.exists() and not (out / LOCK).exists()


def test_an_unwritable_out_is_refused_before_training(table, tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert train(table, "--out", str(blocker / "run")) == 2
    said = capsys.readouterr()
    assert said.err.startswith("bpnn: error: ") and str(blocker) in said.err
    assert "Dataset" not in said.out  # the data was never read


def test_resume_after_the_csv_changed_is_refused(table, tmp_path, monkeypatch, capsys):
    import shutil

    import bpnn

    data = tmp_path / "data.csv"
    shutil.copy(table, data)
    original, calls = bpnn.Network.train_step, []

    def step(self, *args):
        calls.append(1)
        if len(calls) == 3:
            os.kill(os.getpid(), 2)
        return original(self, *args)

    monkeypatch.setattr(bpnn.Network, "train_step", step)
    out = tmp_path / "run"
    args = ["train", "csv", str(data), "--target", "y", "--quiet"]
    assert main([*args, "--hidden", "3", "--epochs", "50", "--out", str(out)]) == 130
    monkeypatch.undo()
    frame = pd.read_csv(data)
    frame.loc[0, "a"] += 1.0  # same rows, same size class: other content
    frame.to_csv(data, index=False)
    capsys.readouterr()
    assert main([*args, "--resume", str(out)]) == 2
    err = capsys.readouterr().err
    assert "the CSV changed since the run started" in err and "SHA-256" in err
    assert (out / "checkpoint.npz").exists() and not (out / LOCK).exists()


def test_predict_writes_through_a_symbolic_link(table, tmp_path, capsys):
    run = tmp_path / "run"
    assert train(table, "--out", str(run)) == 0
    target = tmp_path / "real.csv"
    target.write_text("old")
    link = tmp_path / "link.csv"
    link.symlink_to(target)
    args = ["predict", "--model", str(run), "--csv", str(table), "--out", str(link)]
    assert main(args) == 0
    assert link.is_symlink() and "predicted_y" in target.read_text()
