"""Element-wise work on every core: a small thread pool that splits rows.

BLAS already runs the matrix products on all cores, but NumPy's element-wise
functions -- the sigmoid's exp, the error term's products -- run on one. They
release the GIL while they loop, so giving each thread its own slice of rows
lets a wide layer use every core. Each element is computed by the same ufunc
whichever thread computes it, so the result does not depend on the number of
threads. Below ``MIN_ELEMENTS`` handing work to a thread (tens of µs) costs more
than it saves, and the work runs in the calling thread.

``set_threads(n)`` sets this pool and, when threadpoolctl is installed, BLAS's
threads too; ``threads=None`` (the default) uses every core this process may run on.
"""

from __future__ import annotations

import os
from itertools import pairwise

from ..errors import InputError

#: below this many elements the work is not split
MIN_ELEMENTS = 1 << 15

_threads = None
_pool = None


def available_cores() -> int:
    """Cores this process may run on (respects taskset and container limits)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def get_threads() -> int:
    """Threads used for element-wise work."""
    global _threads
    if _threads is None:  # looked up once: it is a system call
        _threads = available_cores()
    return _threads


def set_threads(n=None):
    """Use ``n`` threads for element-wise work (None: every core).

    BLAS follows when threadpoolctl is installed; otherwise set
    ``OPENBLAS_NUM_THREADS`` before starting Python.
    """
    global _threads, _pool
    if n is not None and (isinstance(n, bool) or not isinstance(n, int) or n < 1):
        raise InputError(f"threads must be an int >= 1 or None, got {n!r}")
    _threads = n or available_cores()
    if _pool is not None:
        _pool.shutdown()
        _pool = None
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return
    threadpool_limits(limits=n or available_cores(), user_api="blas")


def rowwise(fn, *arrays):
    """Call ``fn(*parts)`` on row slices of ``arrays``, one slice per thread.

    Every array must have the same number of rows; ``fn`` writes its results
    into slices of its arguments (``out=``), so nothing needs joining.
    """
    if arrays[0].size < MIN_ELEMENTS or get_threads() == 1 or len(arrays[0]) < 2:
        fn(*arrays)  # small work: checked first, it is the common case
        return
    k, rows = get_threads(), len(arrays[0])
    k = min(k, rows)
    cuts = [rows * i // k for i in range(k + 1)]
    parts = [[a[lo:hi] for a in arrays] for lo, hi in pairwise(cuts)]
    pool = _get_pool(k)
    futures = [pool.submit(fn, *part) for part in parts[1:]]
    fn(*parts[0])  # the calling thread takes the first slice
    for future, part in zip(futures, parts[1:]):
        # a slice no worker has started yet (its core busy elsewhere) is done
        # here rather than waited for
        if future.cancel():
            fn(*part)
        else:
            future.result()


def _get_pool(k):
    global _pool
    if _pool is None or _pool._max_workers < k - 1:
        if _pool is not None:
            _pool.shutdown()
        from concurrent.futures import ThreadPoolExecutor  # only once work is shared

        _pool = ThreadPoolExecutor(max_workers=k - 1, thread_name_prefix="bpnn")
    return _pool
