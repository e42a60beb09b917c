"""Every notebook under notebooks/ runs top to bottom without an error.

The notebooks are committed without outputs; here each one is executed in a
fresh Python kernel (the ``python3`` kernel that ipykernel provides, run by
this interpreter) that imports this checkout's ``src/``. A cell that raises
fails the test and the error names the notebook and the cell.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import nbclient
import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
#: seconds one cell may run before the notebook counts as hung
CELL_TIMEOUT = 120
#: seconds a whole notebook may take: each is meant to run in well under a minute
NOTEBOOK_LIMIT = 180


def test_every_part_of_the_lecture_has_a_notebook():
    names = [p.name for p in NOTEBOOKS]
    for part in ["01_", "02_", "03_", "04_", "05_"]:
        assert any(name.startswith(part) for name in names), (part, names)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_committed_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    dirty = [
        i
        for i, cell in enumerate(nb.cells)
        if cell.cell_type == "code" and (cell.outputs or cell.execution_count)
    ]
    assert not dirty, f"{path.name}: cells {dirty} hold outputs; clear them"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs(path, tmp_path, monkeypatch):
    nb = nbformat.read(path, as_version=4)
    # the kernel is a child process: it inherits this environment
    src = str(ROOT / "src")
    monkeypatch.setenv(
        "PYTHONPATH",
        os.pathsep.join([src] + [p for p in [os.environ.get("PYTHONPATH")] if p]),
    )
    monkeypatch.setenv("MPLBACKEND", "Agg")
    client = nbclient.NotebookClient(
        nb,
        timeout=CELL_TIMEOUT,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    )
    start = time.perf_counter()
    try:
        client.execute()
    except nbclient.exceptions.CellExecutionError as err:
        pytest.fail(f"{path.name}: a cell failed:\n{err}", pytrace=False)
    elapsed = time.perf_counter() - start
    assert elapsed < NOTEBOOK_LIMIT, (
        f"{path.name} took {elapsed:.0f} s; notebooks must stay short"
    )
