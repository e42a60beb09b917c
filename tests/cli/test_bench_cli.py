"""``bpnn bench`` is wired in without slowing ``bpnn --help`` down, and its
NumPy floor computes what bpnn computes."""

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from bpnn import Network
from bpnn.apps.bench import steps
from bpnn.cli import main
from bpnn.engine.optimizers import SGD
from bpnn.fast import parallel
from bpnn.fast.rows import Gather
from bpnn.train.samplers import RandomBatches

SRC = str(Path(__file__).resolve().parents[2] / "src")


def test_help_loads_no_heavy_module():
    code = (
        "import sys, contextlib, io\n"
        "import bpnn.cli\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    with contextlib.suppress(SystemExit):\n"
        "        bpnn.cli.main(['--help'])\n"
        "heavy = {'torch', 'sklearn', 'pandas', 'matplotlib', 'threadpoolctl'}\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy))\n"
    )
    env = {**os.environ, "PYTHONPATH": SRC}
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert out.stdout.strip() == "[]", out.stdout + out.stderr


def test_bench_help_shows_an_example(capsys):
    with pytest.raises(SystemExit):
        main(["bench", "--help"])
    assert "bpnn bench --out" in capsys.readouterr().out


def test_bench_rejects_an_unknown_network(capsys):
    pytest.importorskip("threadpoolctl")
    assert main(["bench", "--networks", "huge"]) == 2
    err = capsys.readouterr().err
    assert "unknown network 'huge'" in err and "bike" in err


@pytest.mark.parametrize("bad", [0, -1, 1.5, True])
def test_set_threads_rejects_bad_counts(bad):
    with pytest.raises(ValueError, match="threads must be"):
        parallel.set_threads(bad)


@pytest.mark.parametrize("network", ["bike", "deep"])
def test_lean_step_trains_the_weights_of_bpnn_step(network):
    """The benchmark's NumPy floor computes bpnn's step: same start, same
    batches, same weights after some hundred steps (float64)."""
    sizes, batch = steps.NETWORKS[network]
    X, y = steps.make_data(sizes[0], np.float64)
    acts = ["sigmoid"] * (len(sizes) - 2) + ["identity"]
    net = Network.from_sizes(sizes, acts, seed=3)
    params = [p.copy() for p in net.params()]
    lean = steps.lean_step(
        sizes,
        batch,
        X,
        y,
        params=params,
        indices=RandomBatches(np.random.default_rng(5), len(X), batch).next,
    )
    ours = RandomBatches(np.random.default_rng(5), len(X), batch)
    gather, opt = Gather(X, y, X.dtype, batch), SGD(steps.LR)
    start = [p.copy() for p in params]
    for _ in range(300):
        net.train_step(*gather(ours.next()), opt)
        lean()
    for p, q, p0 in zip(net.params(), params, start):
        assert not np.allclose(p, p0, rtol=1e-6, atol=0)  # the weights moved
        np.testing.assert_allclose(q, p, rtol=1e-12, atol=1e-15)


def test_the_evaluation_budget_rows_say_what_the_default_schedule_measured():
    pytest.importorskip("threadpoolctl")
    from bpnn.apps.bench import budget

    (row,) = budget.eval_budget(steps=(60,), rows=(5000,), repeats=1)
    assert (row["steps"], row["rows"], row["val_rows"]) == (60, 5000, 750)
    # 7,680 rows trained afford 1,920 evaluated: a single evaluation
    assert row["evaluations"] == 1
    assert row["train_rows_measured"] == 2500 and row["val_rows_measured"] == 750
    assert row["ratio"] == pytest.approx(row["default_s"] / row["single_s"])


@pytest.mark.parametrize(
    "text,grid",
    [("600,10000:1000", ((600, 10000), (1000,))), ("0", None), ("5:0", None)],
)
def test_the_evaluation_budget_grid_is_parsed(text, grid):
    from bpnn.cli.commands.bench import _budget_grid

    assert _budget_grid(text) == grid


def test_a_bad_evaluation_budget_grid_is_one_line(capsys):
    pytest.importorskip("threadpoolctl")
    assert main(["bench", "--eval-budget", "many"]) == 2
    assert "--eval-budget expects STEPS:ROWS" in capsys.readouterr().err


def test_a_whole_run_is_split_into_its_phases(tmp_path):
    """The big-CSV row of ``bpnn bench``: each phase of a real ``bpnn train
    csv`` process is read off its own hooks (a hook that never fired would
    fail here), in order, so none is negative; the table made for it has the
    promised columns."""
    from bpnn.apps.bench import csvrun

    csv = tmp_path / "t.csv"
    csvrun.make_csv(csv, 60)
    header = csv.read_text().splitlines()[0].split(",")
    assert header == [f"x{i}" for i in range(20)] + ["region", "target"]
    assert len(csv.read_text().splitlines()) == 61
    run = csvrun.train_phases(csv, tmp_path / "run", "--epochs", 2)
    parts = [
        "imports_s",
        "read_s",
        "prepare_s",
        "fit_s",
        "final_metrics_s",
        "write_s",
        "rest_s",
    ]
    assert all(run[p] >= 0 for p in parts), run
    assert run["write_s"] > 0  # model, metrics and two plots were written
    assert (tmp_path / "run" / "model.npz").exists()
    assert run["peak_mib"] > 10


def test_bench_refuses_bad_row_counts_before_timing_anything(capsys, monkeypatch):
    pytest.importorskip("threadpoolctl")

    def timed(*args, **kwargs):
        raise AssertionError("a benchmark ran")

    monkeypatch.setattr(steps, "run_config", timed)
    assert main(["bench", "--big-csv", "a million"]) == 2
    assert (
        "--big-csv expects counts such as 1,2, got 'a million'"
        in capsys.readouterr().err
    )


@pytest.mark.parametrize(
    "option, words",
    [
        (["--dtypes", "float16"], "--dtypes takes float64 and float32, got 'float16'"),
        (["--repeats", "0"], "--repeats must be >= 1"),
        (["--threads", "two"], "--threads expects counts such as 1,2"),
    ],
)
def test_bench_checks_each_option_before_timing(capsys, monkeypatch, option, words):
    pytest.importorskip("threadpoolctl")

    def timed(*args, **kwargs):
        raise AssertionError("a benchmark ran")

    monkeypatch.setattr(steps, "run_config", timed)
    assert main(["bench", *option]) == 2
    assert words in capsys.readouterr().err
