"""Work done beside the main thread while it reads the data or trains.

pandas' CSV parser, ``hashlib`` and NumPy's larger operations release the
GIL, so on a machine with a free core matplotlib's import and the SHA-256 of
a big CSV cost no wall time: a million-row file is parsed in the meantime.
Each task runs in a daemon thread, so a Ctrl-C never waits for one;
``result()`` waits for it and raises what it raised.
"""

from __future__ import annotations

import contextlib
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


def import_plotting():
    """matplotlib's figure and Agg modules, ahead of the plots. A missing or
    broken matplotlib is left for the plots to report, in the main thread."""
    with contextlib.suppress(Exception):  # reported where the plots are drawn
        import matplotlib.backends.backend_agg
        import matplotlib.figure  # noqa: F401
