"""SIGINT and SIGTERM at every phase boundary of ``bpnn train``, once or
twice: each leaves no run at all (before training), a complete run, or a run
that ``--resume`` completes to the very weights of a run never interrupted."""

import os
import signal

import numpy as np
import pytest

pd = pytest.importorskip("pandas")
pytest.importorskip("matplotlib")

import bpnn
from bpnn.apps import transaction
from bpnn.apps.rundir import LOCK, RUN_FILES
from bpnn.cli import main

RUN = ["--hidden", "4", "--optimizer", "adam", "--lr", "0.01", "--epochs", "30"]
RUN += ["--batch-size", "32", "--eval-every", "5", "--seed", "2", "--quiet"]
OUTPUTS = [f for f in RUN_FILES if f != "checkpoint.npz"]
INT, TERM = signal.SIGINT, signal.SIGTERM
#: the phase boundaries after training, in the order a run passes them
AFTER_TRAINING = [
    "trained",
    "checkpoint",
    "wrote history.csv",
    "wrote model.npz",
    "wrote metrics.json",
    "plotting loss.png",
    "wrote loss.png",
    "plotting predictions.png",
    "wrote predictions.png",
    "outputs",
    "released",
]


@pytest.fixture(scope="module")
def table(tmp_path_factory):
    rng = np.random.default_rng(1)
    df = pd.DataFrame({"a": rng.normal(size=120), "b": rng.normal(size=120)})
    df["y"] = df.a - 2 * df.b + rng.normal(0, 0.1, 120)
    path = tmp_path_factory.mktemp("data") / "signals.csv"
    df.to_csv(path, index=False)
    return path


def command(table):
    return ["train", "csv", str(table), "--target", "y", *RUN]


@pytest.fixture(scope="module")
def reference(table, tmp_path_factory):
    out = tmp_path_factory.mktemp("reference") / "run"
    assert main([*command(table), "--out", str(out)]) == 0
    return bpnn.load(out / "model.npz").params()


@pytest.fixture
def at_phase():
    """Send ``signals`` to this process when the run reaches ``phase``."""

    def install(phase, signals):
        def hook(reached, folder):
            if reached == phase:
                for signum in signals:
                    os.kill(os.getpid(), signum)

        transaction.PHASE_HOOKS.append(hook)

    yield install
    transaction.PHASE_HOOKS.clear()


def finish_and_compare(table, out, reference, capsys):
    """The run is complete or resumable; once resumed, it is the reference."""
    assert not (out / LOCK).exists()
    if (out / "checkpoint.npz").exists():
        transaction.PHASE_HOOKS.clear()
        assert main([*command(table)[:5], "--quiet", "--resume", str(out)]) == 0
    assert sorted(os.listdir(out)) == sorted(OUTPUTS)
    got = bpnn.load(out / "model.npz").params()
    assert all(np.array_equal(p, q) for p, q in zip(got, reference))
    capsys.readouterr()


#: each phase once with one signal and once with two, SIGINT and SIGTERM taking
#: turns, so every kind and order of signal meets about half the phases
CASES = [
    (phase, signals)
    for i, phase in enumerate(AFTER_TRAINING)
    for signals in ([[INT], [INT, TERM]] if i % 2 else [[TERM], [TERM, INT]])
]


@pytest.mark.parametrize("phase,signals", CASES, ids=str)
def test_a_signal_after_training_leaves_a_complete_or_resumable_run(
    table, reference, tmp_path, capsys, at_phase, phase, signals
):
    out = tmp_path / "run"
    at_phase(phase, signals)
    rc = main([*command(table), "--out", str(out)])
    said = capsys.readouterr()
    assert rc in (128 + INT, 128 + TERM), said
    assert "Traceback" not in said.err
    if (out / "checkpoint.npz").exists():  # the message says where and how
        assert f"--resume {out}" in said.out and "checkpoint.npz" in said.out
    finish_and_compare(table, out, reference, capsys)


@pytest.mark.parametrize("phase", ["claimed", "training"])
@pytest.mark.parametrize("signals", [[INT], [TERM], [INT, INT]], ids=str)
def test_a_signal_before_training_leaves_the_folder_free(
    table, tmp_path, capsys, at_phase, phase, signals
):
    out = tmp_path / "run"
    at_phase(phase, signals)
    assert main([*command(table), "--out", str(out)]) == 128 + signals[0]
    assert "before training: nothing written" in capsys.readouterr().out
    assert not out.exists()  # made by the run, and removed: free for the next


@pytest.mark.parametrize("signals", [[INT], [TERM], [INT, INT], [TERM, INT]], ids=str)
def test_signals_during_training_leave_a_resumable_run(
    table, reference, tmp_path, capsys, monkeypatch, signals
):
    original, calls = bpnn.Network.train_step, []

    def step(self, *args):
        calls.append(1)
        if len(calls) == 20:
            for signum in signals:
                os.kill(os.getpid(), signum)
        return original(self, *args)

    monkeypatch.setattr(bpnn.Network, "train_step", step)
    out = tmp_path / "run"
    rc = main([*command(table), "--out", str(out)])
    assert rc in (128 + INT, 128 + TERM)
    assert (out / "checkpoint.npz").exists()
    assert "interrupted (SIG" in capsys.readouterr().out
    monkeypatch.undo()
    finish_and_compare(table, out, reference, capsys)


def test_a_crash_between_two_outputs_leaves_a_resumable_run(
    table, reference, tmp_path, capsys, at_phase
):
    def crash(reached, folder):
        if reached == "wrote model.npz":
            raise OSError(28, "No space left on device", str(folder))

    transaction.PHASE_HOOKS.append(crash)
    out = tmp_path / "run"
    assert main([*command(table), "--out", str(out)]) == 2
    assert "No space left on device" in capsys.readouterr().err
    assert (out / "checkpoint.npz").exists() and (out / "model.npz").exists()
    finish_and_compare(table, out, reference, capsys)
