"""What ``--resume`` reads of a checkpoint's record of the run (the command,
the hyper-parameters, the data's fingerprint) is checked like every other
field: an edited record is one line naming the file and the field."""

import json
import os
import shutil
import signal

import numpy as np
import pytest

pd = pytest.importorskip("pandas")
pytest.importorskip("matplotlib")

import bpnn
from bpnn.cli import main
from helpers.zips import edit_config


@pytest.fixture(scope="module")
def interrupted(tmp_path_factory):
    rng = np.random.default_rng(4)
    df = pd.DataFrame({"a": rng.normal(size=60), "b": rng.normal(size=60)})
    df["y"] = df.a * df.b
    folder = tmp_path_factory.mktemp("records")
    df.to_csv(folder / "data.csv", index=False)
    original, calls = bpnn.Network.train_step, []

    def step(self, *args):
        calls.append(1)
        if len(calls) == 3:
            os.kill(os.getpid(), signal.SIGINT)
        return original(self, *args)

    bpnn.Network.train_step = step
    try:
        argv = ["train", "csv", str(folder / "data.csv"), "--target", "y", "--quiet"]
        assert main([*argv, "--epochs", "40", "--out", str(folder / "run")]) == 130
    finally:
        bpnn.Network.train_step = original
    return folder


def edit(source, target, path, value):
    shutil.copytree(source, target)

    def change(text):
        config = where = json.loads(text)
        *parents, last = path
        for key in parents:
            where = where[key]
        where[last] = value
        return config

    edit_config(target / "checkpoint.npz", change)


@pytest.mark.parametrize(
    "path,value,words",
    [
        (["extra", "config", "hidden"], "abc", "'extra.config.hidden' holds 'abc'"),
        (["extra", "config", "bias"], 1, "'extra.config.bias' holds"),
        (["extra", "config"], "x", "'extra.config' holds no run configuration"),
        (["extra", "data"], "x", "data fingerprint is damaged"),
        (["history"], None, "field 'history' must be dict"),
        (["step"], "7", "field 'step' must be int"),
        (["extra", "config", "epochs"], -5, "--epochs must be > 0"),
    ],
)
def test_an_edited_record_is_one_line(
    interrupted, tmp_path, capsys, path, value, words
):
    edit(interrupted / "run", tmp_path / "run", path, value)
    argv = ["train", "csv", str(interrupted / "data.csv"), "--target", "y"]
    assert main([*argv, "--quiet", "--resume", str(tmp_path / "run")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("bpnn: error: ") and err.count("\n") == 1, err
    assert words in err, err


def test_the_unedited_record_resumes(interrupted, tmp_path):
    shutil.copytree(interrupted / "run", tmp_path / "run")
    argv = ["train", "csv", str(interrupted / "data.csv"), "--target", "y"]
    assert main([*argv, "--quiet", "--resume", str(tmp_path / "run")]) == 0
    assert not (tmp_path / "run" / "checkpoint.npz").exists()
