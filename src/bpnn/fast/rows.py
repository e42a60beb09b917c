"""Rows for the training loop: gathered in place, sampled by stride, released.

A cost that does not depend on the network hides in every step: copying the
chosen records out of the data set. Copying rows into the same preallocated
buffer every step removes most of it, and the data set itself is never
copied: it may be a ``np.memmap`` far larger than memory. (Which records each
step uses -- the samplers -- is training's business: ``bpnn.train.samplers``.)
"""

from __future__ import annotations

import mmap
import os

import numpy as np

#: rows gathered between two releases of a memory-mapped data set's pages; the
#: kernel maps up to 64 KiB around each page touched, so at most about 256 MiB
#: stay resident, whatever the file's size
RELEASE_ROWS = 1 << 12


class Gather:
    """Copy the records at given indices into reused buffers of the net's dtype.

    Rows of a read-only ``np.memmap`` (X, and y too) are read from its file
    (``os.preadv`` into the buffer) rather than through the mapping: touching a
    mapped row makes the kernel map up to 64 KiB around it, which would count
    in the resident memory -- for random rows, soon the whole file -- while a
    read leaves only the file cache.
    """

    def __init__(self, X, y, dtype, rows):
        self.X, self.y = X, y
        self.xbuf = np.empty((rows, X.shape[1]), dtype=dtype)
        self.ybuf = np.empty((rows, y.shape[1]), dtype=dtype)
        self._x_file = _RowFile.open(X, self.xbuf)
        self._y_file = _RowFile.open(y, self.ybuf)

    def __call__(self, idx):
        """(X[idx], y[idx]) as views of the buffers, overwritten next call."""
        k = len(idx)
        x, y = self.xbuf[:k], self.ybuf[:k]
        if self._x_file is None:
            _take(self.X, idx, x)
        else:
            self._x_file.read(idx)
        if self._y_file is None:
            _take(self.y, idx, y)
        else:
            self._y_file.read(idx)
        return x, y

    def release(self):
        """Drop the pages read so far of a memory-mapped data set."""
        release_pages(self.X)
        release_pages(self.y)

    def close(self):
        for reader in (self._x_file, self._y_file):
            if reader is not None:
                reader.close()
        self._x_file = self._y_file = None


class _RowFile:
    """Rows of a memory-mapped array, read from its file into a buffer."""

    def __init__(self, path, offset, row_bytes, buf):
        self.path, self.offset, self.size = path, offset, row_bytes
        self.rows = memoryview(buf).cast("B")
        self.file = open(path, "rb", buffering=0)  # noqa: SIM115 - see close()

    @classmethod
    def open(cls, src, buf):
        """A reader when ``src`` is, or views from its first byte, a memmap of
        ``buf``'s dtype whose file holds its C-ordered values; else None."""
        mm = src
        while mm is not None and not isinstance(mm, np.memmap):
            mm = getattr(mm, "base", None)
        whole = mm is not None and mm.base is getattr(mm, "_mmap", None)
        if not (whole and mm.filename and hasattr(os, "preadv")):
            return None
        if mm.mode == "c":  # copy-on-write: changes live in memory, not the file
            return None
        start = src.__array_interface__["data"][0]
        if start != mm.__array_interface__["data"][0] or src.nbytes > mm.nbytes:
            return None
        if not (src.flags.c_contiguous and src.dtype == buf.dtype and src.ndim == 2):
            return None
        return cls(mm.filename, mm.offset, src.strides[0], buf)

    def read(self, idx):
        fd, size, start = self.file.fileno(), self.size, self.offset
        for j, i in enumerate(idx.tolist()):
            view = self.rows[j * size : (j + 1) * size]
            if os.preadv(fd, [view], start + i * size) != size:
                raise OSError(f"{self.path}: short read at record {i}")

    def close(self):
        self.file.close()


def strided_sample(X, y, dtype, limit):
    """Every k-th record of (X, y), k = ceil(n / limit): at most ``limit`` rows,
    copied once into contiguous arrays of ``dtype``; (X, y) as they are when
    ``limit`` is None or n <= limit.

    A stride, not a random draw: it takes nothing from the training's random
    stream and covers a time-ordered data set evenly. A memory-mapped X is read
    a block of rows at a time, its pages dropped after each.
    """
    n = len(X)
    if limit is None or n <= limit:
        return X, y
    idx = np.arange(0, n, -(-n // limit))
    xs = np.empty((len(idx), X.shape[1]), dtype=dtype)
    ys = np.empty((len(idx), y.shape[1]), dtype=dtype)
    gather = Gather(X, y, dtype, min(len(idx), RELEASE_ROWS))
    try:
        for start in range(0, len(idx), RELEASE_ROWS):
            xb, yb = gather(idx[start : start + RELEASE_ROWS])
            xs[start : start + len(xb)], ys[start : start + len(yb)] = xb, yb
            gather.release()
    finally:
        gather.close()
    return xs, ys


def _take(src, idx, out):
    if src.dtype == out.dtype:
        # mode "clip": indices are in range, and "raise" would buffer ``out``;
        # the method with positional arguments skips np.take's Python wrapper
        src.take(idx, 0, out, "clip")
    else:
        out[...] = src[idx]


def release_pages(X):
    """Let the OS drop the pages of a read-only memory-mapped ``X`` from this
    process.

    A mapping reads pages in as they are touched and keeps them counted in the
    resident memory; dropping them now and then keeps that bounded whatever the
    file's size (they come back from the page cache). Other arrays: no-op.
    """
    while X is not None and not isinstance(X, np.memmap):
        X = getattr(X, "base", None)
    mm = getattr(X, "_mmap", None)
    # only read-only maps: for mode "c" this would drop the changes made
    if mm is not None and X.mode == "r" and hasattr(mm, "madvise"):
        try:
            mm.madvise(mmap.MADV_DONTNEED)
        except (OSError, ValueError):  # pragma: no cover - e.g. a closed map
            pass
