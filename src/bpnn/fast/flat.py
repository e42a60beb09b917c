"""Arrays packed as views of one flat buffer, so that one NumPy call updates all.

An optimizer's rule is element-wise: the same arithmetic on every weight. Run
on each weight array in turn, a small network pays a Python round trip per
array and per operation (Adam: 12 operations x 2 arrays per layer); run on one
buffer that holds every weight, it pays 12 calls in all (9 with Adam's two
moments as the rows of one array). The network keeps its
weights, its gradients and the optimizer its state in such buffers; every
element is computed by the same ufunc with the same operands either way, so the
numbers are those of the array-by-array update.
"""

from __future__ import annotations

from math import prod

import numpy as np


class Packed:
    """Arrays of ``shapes`` as views (``views``) of one 1-D ``buffer`` (zeros,
    or the contiguous ``buffer`` given)."""

    __slots__ = ("buffer", "shapes", "views")

    def __init__(self, shapes, dtype, buffer=None):
        self.shapes = [tuple(s) for s in shapes]
        size = sum(prod(s) for s in self.shapes)
        self.buffer = np.zeros(size, dtype) if buffer is None else buffer
        assert self.buffer.shape == (size,) and self.buffer.flags.c_contiguous
        self.views, start = [], 0
        for shape in self.shapes:
            size = prod(shape)
            self.views.append(self.buffer[start : start + size].reshape(shape))
            start += size

    @classmethod
    def of(cls, arrays, dtype):
        """A packed copy of ``arrays`` (cast to ``dtype``)."""
        packed = cls([np.shape(a) for a in arrays], dtype)
        for view, a in zip(packed.views, arrays):
            view[...] = a
        return packed

    def like(self, dtype=None) -> Packed:
        """Zeros of the same layout."""
        return Packed(self.shapes, dtype or self.buffer.dtype)
