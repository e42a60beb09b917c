"""Work beside the main thread: a task hands back its value or raises its
error where the result is asked for, and matplotlib's early import never
breaks a run."""

import sys
import threading

import pytest

from bpnn.apps.background import Task, import_plotting


def test_a_task_hands_back_its_value_once_done():
    release = threading.Event()

    def wait_then_add(a, b):
        release.wait()
        return a + b

    task = Task(wait_then_add, 2, 3)
    release.set()
    assert task.result() == 5
    assert task.result() == 5


def test_a_task_raises_its_error_in_the_caller():
    def fail():
        raise OSError("gone")

    task = Task(fail)
    with pytest.raises(OSError, match="gone"):
        task.result()


def test_import_plotting_leaves_a_missing_matplotlib_to_the_plots(monkeypatch):
    for name in [m for m in sys.modules if m.split(".")[0] == "matplotlib"]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    Task(import_plotting).result()  # no error here
    with pytest.raises(ImportError):
        import matplotlib.figure  # noqa: F401
