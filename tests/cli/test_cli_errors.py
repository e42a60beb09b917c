"""The command line: a user's mistake is one line and exit 2, a signal is
its conventional exit status, and never a traceback."""

import signal

import pytest

from bpnn import cli
from bpnn.cli.commands import exercise
from bpnn.errors import InputError, ModelFileError, UsageError


@pytest.mark.parametrize(
    "error,status,line",
    [
        (InputError("X must be 2-D"), 2, "bpnn: error: X must be 2-D"),
        (ModelFileError("m.npz: damaged"), 2, "bpnn: error: m.npz: damaged"),
        (
            UsageError("--out runs/a: already holds a run"),
            2,
            "bpnn: error: --out runs/a: already holds a run",
        ),
        (
            PermissionError(13, "Permission denied", "runs/a/model.npz"),
            2,
            "bpnn: error: runs/a/model.npz: Permission denied",
        ),
        (
            FileNotFoundError("data.csv: no such file"),
            2,
            "bpnn: error: data.csv: no such file",
        ),
        (KeyboardInterrupt(), 130, "bpnn: interrupted"),
    ],
)
def test_errors_are_one_line_with_their_exit_status(
    monkeypatch, capsys, error, status, line
):
    def fail(args):
        raise error

    monkeypatch.setattr(exercise, "run", fail)
    assert cli.main(["exercise"]) == status
    captured = capsys.readouterr()
    assert captured.err == line + "\n"


@pytest.mark.parametrize(
    "bug", [ValueError("bad shape"), TypeError("wrong call"), KeyError("k")]
)
def test_other_exceptions_are_bugs_and_keep_their_traceback(monkeypatch, bug):
    def fail(args):
        raise bug

    monkeypatch.setattr(exercise, "run", fail)
    with pytest.raises(type(bug)):
        cli.main(["exercise"])


def test_sigterm_outside_training_exits_143_and_restores_the_handler(
    monkeypatch, capsys
):
    before = signal.getsignal(signal.SIGTERM)
    monkeypatch.setattr(
        exercise, "run", lambda args: signal.raise_signal(signal.SIGTERM)
    )
    assert cli.main(["exercise"]) == 143
    assert capsys.readouterr().err == "bpnn: terminated\n"
    assert signal.getsignal(signal.SIGTERM) is before


@pytest.mark.parametrize(
    "argv,words",
    [
        (["exercise", "--bogus"], "unrecognized arguments: --bogus (see bpnn --help)"),
        (["no-such-command"], "argument COMMAND: invalid choice: 'no-such-command'"),
    ],
)
def test_command_line_mistakes_are_one_line(capsys, argv, words):
    with pytest.raises(SystemExit) as exit_:
        cli.main(argv)
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("bpnn: error: ") and err.count("\n") == 1 and words in err


@pytest.mark.parametrize(
    "argv,line",
    [
        (["explain", "--seed", "-1"], "bpnn: error: --seed must be >= 0, got -1"),
        (
            ["explain", "--loss", "mae"],
            (
                "bpnn: error: unknown loss 'mae'; choose one of "
                "bce, cross_entropy, half_mse, mse"
            ),
        ),
    ],
)
def test_bad_values_for_explain_and_shapes(capsys, argv, line):
    assert cli.main(argv) == 2
    assert capsys.readouterr().err == line + "\n"
