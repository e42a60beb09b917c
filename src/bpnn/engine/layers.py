"""The fully connected layer: h = X.W + b, a = f(h).

Rows are records, as on the lecture's matrix pages: X (B, n_in) . W (n_in, n_out)
gives h (B, n_out). Forward caches what backward reads (the input, h and a);
backward turns dL/da into the error term dL/dh and then

    dW = X^T . dL/dh    (n_in, n_out)  -- the weight's own shape
    db = sum_rows dL/dh (n_out,)
    dX = dL/dh . W^T    (B, n_in)      -- the next layer's dL/da

Because the loss gradient is already divided by the batch, dW is too.
The derivation, with every shape: docs/derivation.md, section 7.
"""

from __future__ import annotations

import numpy as np

from ..errors import InputError
from ..fast.parallel import rowwise
from .activations import get_activation
from .checks import check_bool, check_int, check_seed

INITS = {
    # the course: Normal(0, 1/sqrt(n_in))
    "normal": lambda rng, n_in, n_out: rng.normal(0.0, n_in**-0.5, (n_in, n_out)),
    # Glorot & Bengio: Uniform(+-sqrt(6/(n_in+n_out)))
    "xavier": lambda rng, n_in, n_out: rng.uniform(
        -np.sqrt(6 / (n_in + n_out)), np.sqrt(6 / (n_in + n_out)), (n_in, n_out)
    ),
    # He et al.: Normal(0, sqrt(2/n_in)), for ReLU
    "he": lambda rng, n_in, n_out: rng.normal(0.0, np.sqrt(2 / n_in), (n_in, n_out)),
}


class Dense:
    """A fully connected layer of ``n_out`` nodes fed by ``n_in`` inputs.

    Attributes: ``W`` (n_in, n_out), ``b`` (n_out,) or ``None`` without bias,
    ``activation``; after ``backward``, ``dW`` and ``db`` of the same shapes.
    """

    def __init__(
        self, n_in, n_out, activation="sigmoid", bias=True, init="normal", seed=None
    ):
        n_in, n_out = check_int("n_in", n_in, 1), check_int("n_out", n_out, 1)
        bias = check_bool("bias", bias)
        seed = check_seed("seed", seed)
        if not isinstance(init, str) or init not in INITS:
            raise InputError(
                f"unknown init {init!r}; choose one of {', '.join(sorted(INITS))}"
            )
        self.n_in, self.n_out = int(n_in), int(n_out)
        self.activation = get_activation(activation)
        self.init = init
        self.W = np.empty((self.n_in, self.n_out))
        self.b = np.zeros(self.n_out) if bias else None
        self.reset(np.random.default_rng(seed))
        self.dW = self.db = None
        self.x = self.h = self.a = None
        self._buffers = {}

    @property
    def bias(self) -> bool:
        return self.b is not None

    def reset(self, rng, dtype=None):
        """Draw fresh initial weights from ``rng``; the bias starts at zero."""
        dtype = dtype or self.W.dtype
        self.W = INITS[self.init](rng, self.n_in, self.n_out).astype(dtype)
        if self.b is not None:
            self.b = np.zeros(self.n_out, dtype=dtype)
        self._buffers = {}

    def params(self):
        """The trainable arrays, W then b."""
        return [self.W] if self.b is None else [self.W, self.b]

    def grads(self):
        """Gradients in the order of ``params()``."""
        return [self.dW] if self.b is None else [self.dW, self.db]

    def _work(self, rows):
        """The arrays a batch of ``rows`` records is computed in: made at the
        first batch of that size and reused by every later one."""
        work = self._buffers.get(rows)
        if work is None or work.h.dtype != self.W.dtype:
            work = self._buffers[rows] = _Work(rows, self.n_out, self.W.dtype)
        return work

    def forward(self, x, cache=True):
        """a = f(x.W + b): x (B, n_in) -> a (B, n_out).

        With ``cache`` the arrays go to reusable per-batch-size buffers and are
        kept for backward; the returned array is then overwritten next call.
        The bias and the activation run as one pass over each slice of rows,
        split over the cores (``bpnn.parallel``); the product is BLAS's.
        """
        if not cache:
            h = x @ self.W
            rowwise(self._activate, h, h)
            return h
        work = self._work(len(x))
        h = np.matmul(x, self.W, out=work.h)
        # an identity layer's a is its h: no copy
        a = h if self.activation.name == "identity" else work.a
        rowwise(self._activate, h, a)
        self.x, self.h, self.a = x, h, a
        return a

    def _activate(self, h, a):
        """h += b, then a = f(h): the element-wise half of forward."""
        if self.b is not None:
            h += self.b
        self.activation.forward(h, out=a)

    def backward(self, grad_a, need_dx=True, delta=None):
        """From dL/da (B, n_out): store dW, db; return dL/dx (B, n_in).

        ``delta`` lets the network pass the error term dL/dh directly (the fused
        loss of a canonical output pair); otherwise it is grad_a * f'(h).
        """
        work = self._work(len(grad_a if delta is None else delta))
        if delta is None and self.activation.name == "identity":
            delta = grad_a  # f' = 1: the error term is dL/da itself
        elif delta is None:
            delta = work.delta
            rowwise(self.activation.backward, self.a, grad_a, delta)
        self.delta = delta
        if self.dW is None or self.dW.dtype != self.W.dtype:
            self.dW = np.empty_like(self.W)
            self.db = None if self.b is None else np.empty_like(self.b)
        np.matmul(self.x.T, delta, out=self.dW)
        if self.b is not None:
            # db = 1^T . delta: the column sums as a product, which BLAS does
            # faster than np.sum (and on every core for a large batch)
            np.matmul(work.ones, delta, out=self.db)
        if not need_dx:
            return None
        if work.dx is None:  # the first layer never needs it: made on demand
            work.dx = np.empty((len(delta), self.n_in), self.W.dtype)
        if self.n_out == 1:
            # one output node: dL/dx is the outer product delta . W^T, each
            # element a single product -- the same numbers as BLAS gives, at a
            # fraction of the time BLAS takes for a product of inner size 1
            return np.multiply(delta, self.W.T, out=work.dx)
        return np.matmul(delta, self.W.T, out=work.dx)

    def to_config(self) -> dict:
        return {
            "n_in": self.n_in,
            "n_out": self.n_out,
            "activation": self.activation.name,
            "bias": self.bias,
            "init": self.init,
        }

    def __repr__(self):
        bias = "" if self.bias else ", bias=False"
        return f"Dense({self.n_in}, {self.n_out}, {self.activation.name!r}{bias})"


class _Work:
    """One batch size's work arrays: h, a, the error term, dL/dx and a row of ones."""

    __slots__ = ("a", "delta", "dx", "h", "ones")

    def __init__(self, rows, n_out, dtype):
        self.h = np.empty((rows, n_out), dtype)
        self.a = np.empty((rows, n_out), dtype)
        self.delta = np.empty((rows, n_out), dtype)
        self.dx = None  # (rows, n_in): the size of the data for layer 1
        self.ones = np.ones(rows, dtype)
