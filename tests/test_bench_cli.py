"""``bpnn bench`` is wired in without slowing ``bpnn --help`` down."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bpnn import parallel
from bpnn.cli import main

SRC = str(Path(__file__).resolve().parents[1] / "src")


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
