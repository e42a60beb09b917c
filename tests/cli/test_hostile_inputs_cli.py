"""Hostile inputs by class: files that are not files, sizes beyond memory,
numbers beyond any scale, edited files, odd options. Each is one line
``bpnn: error: ...`` naming where, exit 2, never a traceback."""

import json
import os
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
SMALL = ["--hidden", "3", "--epochs", "3", "--quiet"]


@pytest.fixture(scope="module")
def table(tmp_path_factory):
    rng = np.random.default_rng(3)
    df = pd.DataFrame({"a": rng.normal(size=50), "b": rng.normal(size=50)})
    df["y"] = df.a - df.b
    path = tmp_path_factory.mktemp("data") / "hostile.csv"
    df.to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def trained(table, tmp_path_factory):
    out = tmp_path_factory.mktemp("trained") / "run"
    assert (
        main(["train", "csv", str(table), "--target", "y", *SMALL, "--out", str(out)])
        == 0
    )
    return out


def refused(capsys, argv, *words):
    rc = main(argv)
    err = capsys.readouterr().err
    assert rc == 2, err
    assert err.startswith("bpnn: error: ") and err.count("\n") == 1, err
    for w in words:
        assert w in err, err
    return err


# -- files that are not files ---------------------------------------------------


@pytest.fixture
def fifo(tmp_path):
    path = tmp_path / "pipe.csv"
    os.mkfifo(path)
    return path


def test_a_fifo_is_refused_not_waited_on(fifo, trained, table, capsys):
    refused(capsys, ["train", "csv", str(fifo), "--target", "y"], "is a FIFO")
    refused(capsys, ["predict", "--model", str(trained), "--csv", str(fifo)], "FIFO")
    refused(capsys, ["predict", "--model", str(fifo), "--csv", str(table)], "FIFO")


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_device_is_refused(device, trained, table, capsys):
    if not os.path.exists(device):
        pytest.skip(f"no {device}")
    refused(capsys, ["train", "csv", device, "--target", "y"], "is a device")
    refused(capsys, ["predict", "--model", device, "--csv", str(table)], "device")


# -- sizes beyond memory ---------------------------------------------------------


@pytest.mark.parametrize(
    "argv,words",
    [
        (["--hidden", "1000000000"], "this machine can hold"),
        (["--hidden", "100000,100000"], "--hidden 100000,100000"),
        (["--batch-size", str(10**12), "--sampling", "random"], "batch_size"),
        (["--epochs", str(2**70)], "--epochs must be at most"),
        (["--seed", str(2**70)], "--seed must be at most"),
    ],
)
def test_sizes_and_counts_beyond_the_machine_are_one_line(table, capsys, argv, words):
    argv = ["train", "csv", str(table), "--target", "y", "--quiet", *argv]
    refused(capsys, argv, words)


def test_the_size_error_names_the_bytes_and_the_limit(table, capsys):
    err = refused(
        capsys, ["train", "csv", str(table), "--target", "y", "--hidden", "1000000000"]
    )
    assert "bytes" in err and "this machine can hold" in err


@pytest.mark.parametrize(
    "argv",
    [
        ["explain", "--layers", "100000,100000,1"],
        ["explain", "--layers", "2,2,1", "--batch", str(10**12)],
        ["shapes", "3,4", "--batch", str(10**12)],
    ],
)
def test_explain_and_shapes_check_sizes_first(capsys, argv):
    refused(capsys, argv, "this machine can hold")


def test_a_network_of_terabytes_is_refused_by_the_api():
    with pytest.raises(bpnn.errors.InputError, match="sizes .*: the network's weights"):
        bpnn.Network.from_sizes([3, 2**40, 1])


def test_deeply_nested_weights_are_one_line(tmp_path, capsys):
    path = tmp_path / "w.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    refused(capsys, ["explain", "--layers", "2,1", "--weights", str(path)], "--weights")


# -- numbers beyond any scale ----------------------------------------------------


def with_value(tmp_path, table, column, line, value):
    lines = table.read_text().splitlines()
    header = lines[0].split(",")
    cells = lines[line - 1].split(",")
    cells[header.index(column)] = value
    lines[line - 1] = ",".join(cells)
    path = tmp_path / f"{column}-{value}.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.mark.parametrize(
    "column,value", [("a", "1e308"), ("a", "-inf"), ("y", "inf"), ("y", "-1e300")]
)
def test_huge_and_infinite_values_name_file_column_and_line(
    tmp_path, table, capsys, column, value
):
    path = with_value(tmp_path, table, column, 9, value)
    argv = ["train", "csv", str(path), "--target", "y", *SMALL]
    refused(capsys, argv, f"column {column!r}", f"holds {float(value):g}")


def test_infinite_values_at_predict_time_name_the_line(
    tmp_path, table, trained, capsys
):
    path = with_value(tmp_path, table, "b", 4, "inf")
    argv = ["predict", "--model", str(trained), "--csv", str(path)]
    refused(capsys, argv, str(path), "column 'b'", "holds inf")


# -- options ---------------------------------------------------------------------


def test_epochs_0_is_refused_before_the_data_is_read(tmp_path, capsys):
    argv = [
        "train",
        "csv",
        str(tmp_path / "absent.csv"),
        "--target",
        "y",
        "--epochs",
        "0",
    ]
    refused(capsys, argv, "--epochs must be > 0")


def test_a_target_starting_with_a_dash(tmp_path, table, capsys):
    frame = pd.read_csv(table).rename(columns={"y": "-y"})
    path = tmp_path / "dash.csv"
    frame.to_csv(path, index=False)
    out = tmp_path / "run"
    assert (
        main(["train", "csv", str(path), "--target=-y", *SMALL, "--out", str(out)]) == 0
    )
    assert (out / "model.npz").exists()
    with pytest.raises(SystemExit) as stop:  # argparse's own exit
        main(["train", "csv", str(path), "--target", "-y"])
    assert stop.value.code == 2
    assert "--option=-value" in capsys.readouterr().err


def test_dropping_the_target_is_refused(table, capsys):
    refused(
        capsys,
        ["train", "csv", str(table), "--target", "y", "--drop", "y"],
        "--drop names the target",
    )


@pytest.mark.filterwarnings("ignore:overflow:RuntimeWarning")  # the point of it
def test_explain_json_has_no_bare_infinity(capsys):
    argv = ["explain", "--layers", "1,1", "--activations", "identity", "--x", "1e300"]
    assert main([*argv, "--y", "0", "--lr", "1e300", "--json"]) == 0
    text = capsys.readouterr().out
    record = json.loads(text, parse_constant=lambda name: pytest.fail(name))
    assert "Infinity" in text and record["steps"]


def test_a_closed_stdout_does_not_stop_the_run(tmp_path, table):
    out = tmp_path / "run"
    proc = subprocess.Popen(
        [sys.executable, "-m", "bpnn", "train", "csv", str(table), "--target", "y"]
        + [*SMALL, "--out", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(SRC)},
    )
    proc.stdout.readline()  # like | head -1
    proc.stdout.close()
    _, err = proc.communicate(timeout=120)
    assert b"Traceback" not in err and b"Broken pipe" not in err, err
    assert proc.returncode == 0 and (out / "model.npz").exists()


def test_datasets_is_an_attribute_after_import_bpnn():
    code = "import bpnn; print(bpnn.datasets.load_admissions.__name__)"
    done = subprocess.run(
        [sys.executable, "-c", code],
        check=False,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(SRC)},
    )
    assert done.stdout.strip() == "load_admissions", done.stderr
