"""The fully connected layer: h = X.W + b, a = f(h).

Rows are records, as on the lecture's matrix pages: X (B, n_in) . W (n_in, n_out)
gives h (B, n_out). Forward keeps what backward reads (the input, h and a);
backward turns dL/da into the error term dL/dh = dL/da * f'(h) and then

    dW = X^T . dL/dh    (n_in, n_out)  -- the weight's own shape
    db = sum_rows dL/dh (n_out,)
    dX = dL/dh . W^T    (B, n_in)      -- the next layer's dL/da

Because the loss gradient is already divided by the batch, dW is too.
The derivation, with every shape: docs/derivation.md, section 7. These are the
plain lines; ``fit``'s step computes the same numbers in reused arrays
(``bpnn.fast.workspace``).
"""

from __future__ import annotations

import numpy as np

from ..errors import InputError, InputTypeError
from .activations import get_activation
from .checks import check_bool, check_int, check_seed
from .resources import check_memory

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
    ``activation``; after ``forward``, ``x``, ``h`` and ``a``; after
    ``backward``, the error term ``delta`` and ``dW``, ``db``.
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
        # the weights, their steps and the initial draw: 3 float64 per weight
        check_memory("a layer of n_in x n_out weights", (n_in, n_out), 24)
        self.activation = get_activation(activation)
        self.init = init
        self.W = np.empty((self.n_in, self.n_out))
        self.b = np.zeros(self.n_out) if bias else None
        self.reset(np.random.default_rng(seed))
        self.dW = self.db = None
        self.x = self.h = self.a = self.delta = None

    @property
    def bias(self) -> bool:
        return self.b is not None

    def reset(self, rng, dtype=None):
        """Draw fresh initial weights from ``rng``; the bias starts at zero."""
        dtype = dtype or self.W.dtype
        self.W = INITS[self.init](rng, self.n_in, self.n_out).astype(dtype)
        if self.b is not None:
            self.b = np.zeros(self.n_out, dtype=dtype)

    def params(self):
        """The trainable arrays, W then b."""
        return [self.W] if self.b is None else [self.W, self.b]

    def grads(self):
        """Gradients in the order of ``params()``."""
        return [self.dW] if self.b is None else [self.dW, self.db]

    def forward(self, x, cache=True):
        """a = f(x.W + b): x (B, n_in) -> a (B, n_out), new arrays every call.

        Keeps x, h and a: backward reads them, the trace shows them
        (``cache=False``: keeps nothing, as ``predict``).
        """
        if not cache:
            return self.predict(x)
        h = x @ self.W
        if self.b is not None:
            h += self.b
        a = self.activation.forward(h)
        self.x, self.h, self.a = x, h, a
        return a

    def predict(self, x):
        """f(x.W + b), keeping nothing: the activation overwrites h."""
        h = x @ self.W
        if self.b is not None:
            h += self.b
        return self.activation.forward(h, out=h)

    def backward(self, grad_a, need_dx=True, delta=None):
        """From dL/da (B, n_out): store dW, db; return dL/dx (B, n_in).

        ``delta`` lets the network pass the error term dL/dh directly (the fused
        loss of a canonical output pair); otherwise it is dL/da * f'(h).
        """
        if delta is None:
            delta = self.activation.backward(self.a, grad_a)
        self.delta = delta
        self.dW = self.x.T @ delta
        self.db = None if self.b is None else delta.sum(axis=0)
        return delta @ self.W.T if need_dx else None

    @classmethod
    def from_config(cls, config) -> Dense:
        """The layer ``to_config`` describes, with fresh initial weights."""
        if not isinstance(config, dict):
            raise InputTypeError(f"a layer's config must be a dict, got {config!r}")
        keys = ("n_in", "n_out", "activation", "bias", "init")
        missing = [k for k in keys if k not in config]
        if missing:
            raise InputError(f"a layer's config lacks {', '.join(missing)}")
        n_in, n_out, activation, bias, init = (config[k] for k in keys)
        return cls(n_in, n_out, activation, bias=bias, init=init)

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
