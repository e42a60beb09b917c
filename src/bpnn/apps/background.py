"""Work done beside the main thread while it reads the data or trains.

pandas' CSV parser, ``hashlib`` and NumPy's larger operations release the
GIL, so on a machine with a free core the SHA-256 of a big CSV and of its
prepared arrays cost little wall time. (matplotlib's import is not moved
here: it would add its 30 MiB to the peak of preparing a big table, for no
time measured.) Each task runs in a daemon thread, so a Ctrl-C never waits
for one; ``result()`` waits for it and raises what it raised.
"""

from __future__ import annotations

import threading


class Task:
    """``fn(*args)`` started now in a thread of its own."""

    def __init__(self, fn, *args):
        self._value = self._error = None
        self._thread = threading.Thread(
            target=self._run, args=(fn, args), name=f"bpnn-{fn.__name__}", daemon=True
        )
        self._thread.start()

    def _run(self, fn, args):
        try:
            self._value = fn(*args)
        except BaseException as err:  # noqa: BLE001 - raised again by result()
            self._error = err

    def result(self):
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._value
