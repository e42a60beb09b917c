"""What bpnn train csv says about a file, and its errors in the user's terms."""

import re

import numpy as np
import pytest

pd = pytest.importorskip("pandas")
pytest.importorskip("matplotlib")

from bpnn.cli import main


def wine(tmp_path, n=90, **to_csv):
    rng = np.random.default_rng(0)
    df = pd.DataFrame(
        {
            "alcohol": (12 + 3 * rng.random(n)).round(2),
            "proline": rng.integers(300, 1700, n),
            "cultivar": rng.integers(0, 3, n),
        }
    )
    path = tmp_path / "wine.csv"
    df.to_csv(path, index=False, **to_csv)
    return path


def test_a_regression_loss_error_speaks_in_the_targets_units(tmp_path, capsys):
    path = wine(tmp_path)
    args = ["train", "csv", str(path), "--target", "proline", "--quiet"]
    assert main([*args, "--loss", "bce", "--out", str(tmp_path / "r")]) == 2
    err = capsys.readouterr().err
    low, high = pd.read_csv(path)["proline"].agg(["min", "max"])
    found = re.search(r"values from (\d+) to (\d+): use --loss mse", err)
    assert found, err  # the training rows' range, in the file's units
    assert low <= int(found[1]) < int(found[2]) <= high
    assert not (tmp_path / "r").exists()


def test_integer_classes_and_the_format_are_said(tmp_path, capsys):
    path = wine(tmp_path, sep=";", decimal=",")
    out = tmp_path / "run"
    argv = ["train", "csv", str(path), "--target", "cultivar", "--epochs", "3"]
    assert main([*argv, "--quiet", "--out", str(out)]) == 0
    said = capsys.readouterr().out
    assert "separator ';' (semicolon), decimal mark ','" in said
    assert (
        "holds 3 distinct whole numbers (0, 1, 2): trained as a classification" in said
    )
    assert "alcohol   number → standardised" in said
    assert "balanced" in said and "F1 macro" in said
    argv[-1] = "2"
    assert (
        main([*argv, "--task", "regression", "--quiet", "--out", str(out) + "2"]) == 0
    )
    assert "test in cultivar's units: R²" in capsys.readouterr().out


def test_a_wrong_separator_gets_a_hint(tmp_path, capsys):
    path = wine(tmp_path, sep=";")
    argv = ["train", "csv", str(path), "--target", "cultivar", "--sep", ","]
    assert main([*argv, "--quiet", "--out", str(tmp_path / "r")]) == 2
    err = capsys.readouterr().err
    assert "no target column 'cultivar'" in err
    assert err.strip().endswith("the separator looks like ';': pass --sep ';'")
