"""What the machine can hold, and what a path is, checked before any work.

Every size that comes from a user or a file (layer sizes, batch sizes, the
shapes a model file declares, one-hot columns) goes through ``check_memory``
before anything is allocated: a size the machine cannot hold is one line
naming the size, the bytes it needs and the limit, never a ``MemoryError``
halfway through. Data and model files must be regular files: a FIFO would
hang the reader and ``/dev/zero`` never ends.
"""

from __future__ import annotations

import math
import os
import stat

from ..errors import InputError

#: set to a number of bytes to lower the limit (a test, a shared machine)
LIMIT_VARIABLE = "BPNN_MEMORY_LIMIT"


def memory_limit() -> int:
    """Bytes one array may take: the machine's physical memory, or less where
    ``BPNN_MEMORY_LIMIT`` or the process's address-space limit says so."""
    limits = []
    try:
        limits.append(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))
    except (ValueError, OSError, AttributeError):
        limits.append(1 << 40)
    try:
        import resource

        soft, _ = resource.getrlimit(resource.RLIMIT_AS)
        if soft not in (resource.RLIM_INFINITY, -1) and soft > 0:
            limits.append(soft)
    except (ImportError, OSError, ValueError):
        pass
    given = os.environ.get(LIMIT_VARIABLE, "").strip()
    if given.isdigit():
        limits.append(int(given))
    return min(limits)


def show_bytes(n) -> str:
    """1536 -> '1.5 KiB'; the exact count stays in the message beside it."""
    if n < 1024:
        return f"{n} bytes"
    units = ("KiB", "MiB", "GiB", "TiB", "PiB", "EiB")
    k = min(int(math.log(n, 1024)), len(units))
    return f"{n / 1024**k:.3g} {units[k - 1]}"


def check_memory(what, shape, itemsize=8, error=InputError):
    """Refuse ``shape`` (a count or a tuple of counts) of ``itemsize``-byte
    items when it needs more bytes than ``memory_limit()``; returns the bytes.

    ``what`` names the size in the message (an option, a file's field).
    """
    dims = shape if isinstance(shape, (tuple, list)) else (shape,)
    needed = int(itemsize)
    for d in dims:
        needed *= int(d)  # Python ints: no overflow, however large
    limit = memory_limit()
    if needed > limit:
        size = " x ".join(str(int(d)) for d in dims)
        raise error(
            f"{what}: {size} of {itemsize} bytes need {needed} bytes "
            f"({show_bytes(needed)}), more than the {limit} bytes "
            f"({show_bytes(limit)}) this machine can hold"
        )
    return needed


def check_regular_file(path, what="file", error=InputError):
    """``path`` must be a regular file (or a link to one): a folder, a FIFO or
    a device is refused by name before it is opened."""
    st = os.stat(path)  # FileNotFoundError names the path
    if stat.S_ISREG(st.st_mode):
        return st
    kind = (
        "a folder"
        if stat.S_ISDIR(st.st_mode)
        else "a FIFO (named pipe)"
        if stat.S_ISFIFO(st.st_mode)
        else "a device"
        if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode)
        else "a socket"
        if stat.S_ISSOCK(st.st_mode)
        else "not a regular file"
    )
    raise error(f"{path}: is {kind}, not a {what}")


def read_regular_file(path, what="file", error=InputError) -> bytes:
    """The bytes of a regular file, its size checked against memory first.
    Opened without blocking, so a FIFO swapped in after the check cannot hang."""
    check_regular_file(path, what, error)
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as f:
        st = os.fstat(f.fileno())
        if not stat.S_ISREG(st.st_mode):
            raise error(f"{path}: is not a regular file, not a {what}")
        check_memory(f"{path}: reading the {what} whole", st.st_size, 1, error)
        return f.read()
