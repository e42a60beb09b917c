"""Work beside the main thread: a task hands back its value or raises its
error where the result is asked for."""

import threading

import pytest

from bpnn.apps.background import Task


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
