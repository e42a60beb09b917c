"""A multi-layer perceptron: a list of Dense layers and a loss.

forward runs the layers in order; backward starts from the loss gradient
dL/dy_hat and hands each layer the dL/da it needs, exactly the chain of the
lecture's matrix pages. ``gradients`` is the public, checked result.
``train_step``, what ``fit`` runs, computes the same numbers in the network's
workspace (``bpnn.fast.workspace``): its weights are views of one buffer.
"""

from __future__ import annotations

from itertools import pairwise

import numpy as np

from ..errors import InputError, InputTypeError
from ..fast.workspace import Workspace
from .checks import check_dtype, check_features, check_seed, check_targets
from .layers import Dense
from .losses import get_loss
from .resources import check_memory


class Network:
    """An MLP: ``Network([Dense(6, 2), Dense(2, 1)], loss="half_mse")``.

    ``seed`` redraws every layer's initial weights from one generator, so the
    same seed always gives the same network; ``dtype`` is float64 or float32.
    """

    def __init__(self, layers, loss="half_mse", seed=None, dtype=np.float64):
        layers = list(layers)
        if not layers or not all(isinstance(layer, Dense) for layer in layers):
            raise InputTypeError("layers must be a non-empty list of bpnn.Dense")
        for i, (left, right) in enumerate(pairwise(layers)):
            if left.n_out != right.n_in:
                raise InputError(
                    f"layer sizes do not chain: layer {i} has n_out={left.n_out} "
                    f"but layer {i + 1} has n_in={right.n_in}"
                )
        for layer in layers[:-1]:
            if not layer.activation.elementwise:
                raise InputError(
                    f"{layer.activation.name} is only allowed on the output layer"
                )
        self.layers = layers
        self.loss_fn = get_loss(loss)
        self.dtype = check_dtype("dtype", dtype)
        self.seed = check_seed("seed", seed)
        if seed is not None:
            rng = np.random.default_rng(seed)
            for layer in layers:
                layer.reset(rng, self.dtype)
        self._workspace = Workspace(self)  # casts to dtype, packs the weights

    @classmethod
    def from_sizes(
        cls,
        sizes,
        activations="sigmoid",
        bias=True,
        init="normal",
        loss="half_mse",
        seed=None,
        dtype=np.float64,
    ):
        """``Network.from_sizes([3, 4, 2, 1])``: one Dense per pair of sizes.

        ``activations`` is one name for every layer or a list, one per layer.
        """
        try:
            sizes = list(sizes)
        except TypeError:
            raise InputTypeError(
                f"sizes must be a list of ints, got {sizes!r}"
            ) from None
        if len(sizes) < 2:
            raise InputError(
                f"sizes must list at least 2 layer sizes (inputs, outputs), got {sizes}"
            )
        for i, size in enumerate(sizes):
            if isinstance(size, bool) or not isinstance(size, (int, np.integer)):
                raise InputTypeError(f"sizes[{i}] must be an int >= 1, got {size!r}")
            if size < 1:
                raise InputError(f"sizes[{i}] must be an int >= 1, got {size}")
        n_layers = len(sizes) - 1
        if isinstance(activations, str):
            activations = [activations] * n_layers
        try:
            activations = list(activations)
        except TypeError:
            raise InputTypeError(
                f"activations must be a name or a list of names, got {activations!r}"
            ) from None
        if len(activations) != n_layers:
            raise InputError(
                f"{n_layers} layers need {n_layers} activations, "
                f"got {len(activations)}: {activations}"
            )
        weights = sum(int(a) * int(b) for a, b in pairwise(sizes))
        check_memory(f"sizes {sizes}: the network's weights", weights, 24)
        layers = [
            Dense(n_in, n_out, act, bias=bias, init=init)
            for n_in, n_out, act in zip(sizes, sizes[1:], activations)
        ]
        return cls(layers, loss=loss, seed=seed, dtype=dtype)

    # -- shape and parameters -------------------------------------------------
    @property
    def n_in(self) -> int:
        return self.layers[0].n_in

    @property
    def n_out(self) -> int:
        return self.layers[-1].n_out

    @property
    def sizes(self) -> list:
        return [self.n_in] + [layer.n_out for layer in self.layers]

    def params(self) -> list:
        """Every trainable array, layer by layer, W before b."""
        return [p for layer in self.layers for p in layer.params()]

    def grads(self) -> list:
        """The gradients of the last ``backward``, in the order of ``params()``."""
        return [g for layer in self.layers for g in layer.grads()]

    @property
    def fused_output(self) -> bool:
        """True when loss and output activation form a canonical pair."""
        return self.loss_fn.canonical_activation == self.layers[-1].activation.name

    # -- boundary checks --------------------------------------------------------
    def check_X(self, X, name="X"):
        """X as a 2-D array of this network's dtype with ``n_in`` columns."""
        X = check_features(X, self.n_in, name)
        return X if isinstance(X, np.memmap) else np.asarray(X, dtype=self.dtype)

    def check_y(self, y, n_rows, name="y"):
        """Targets as (n, n_out) of this network's dtype (``checks.check_targets``)."""
        return check_targets(y, n_rows, self.n_out, self.loss_fn.name, self.dtype, name)

    # -- forward and backward ---------------------------------------------------
    def forward(self, X):
        """Forward pass, kept for backward: X (B, n_in) -> y_hat (B, n_out).

        Every layer keeps its x, h and a; the result is a new array.
        """
        a = X
        for layer in self.layers:
            a = layer.forward(a)
        return a

    def backward(self, y):
        """Backward pass after ``forward``: fills every layer's dW and db.

        Starts from dL/dy_hat (divided by the batch) and passes dL/da down.
        """
        out = self.layers[-1]
        need_dx = len(self.layers) > 1
        if self.fused_output:
            delta = self.output_gradient(out.a, y)
            grad = out.backward(None, need_dx=need_dx, delta=delta)
        else:
            grad = out.backward(self.output_gradient(out.a, y), need_dx=need_dx)
        for i in range(len(self.layers) - 2, -1, -1):
            grad = self.layers[i].backward(grad, need_dx=i > 0)

    def output_gradient(self, y_hat, y, out=None):
        """Where backward starts: dL/dy_hat (divided by the batch), or for a
        canonical output pair the output's error term dL/dh (the fused form).
        ``train_step`` starts here too: a subclass that weighs the records
        overrides this."""
        if self.fused_output:
            return self.loss_fn.gradient_from_logits(y_hat, y, out=out)
        return self.loss_fn.gradient(y_hat, y, out=out)

    def predict(self, X):
        """y_hat for X (n, n_in) -> (n, n_out), a new array."""
        X = self.check_X(X)
        return self._predict(X)

    def _predict(self, X):
        a = X
        for layer in self.layers:
            a = layer.predict(a)
        return a

    def _logits(self, X):
        """The output layer's pre-activation h, for the fused canonical loss."""
        a = X
        for layer in self.layers[:-1]:
            a = layer.predict(a)
        last = self.layers[-1]
        h = a @ last.W
        if last.b is not None:
            h += last.b
        return h

    def loss(self, X, y) -> float:
        """The mean loss over the records of X (n, n_in) and y."""
        X = self.check_X(X)
        return self._loss(X, self.check_y(y, len(X)))

    def _loss(self, X, y) -> float:
        if self.fused_output:
            return self.loss_fn.value_from_logits(self._logits(X), y)
        return self.loss_fn.value(self._predict(X), y)

    def gradients(self, X, y) -> list:
        """Gradient of the mean loss over the batch, one dict per layer.

        ``[{"W": dW, "b": db}, ...]``, each with its weight's shape; ``db`` is
        None without bias. The arrays are copies.
        """
        X = self.check_X(X)
        y = self.check_y(y, len(X))
        self.forward(X)
        self.backward(y)
        return [
            {"W": layer.dW.copy(), "b": None if layer.b is None else layer.db.copy()}
            for layer in self.layers
        ]

    def train_step(self, X, y, optimizer):
        """One update, as ``forward``, ``backward`` and ``optimizer.step`` give
        it, computed in the network's workspace (``bpnn.fast.workspace``). No
        checks: the caller (``fit``) has checked the data once. A subclass
        that writes its own forward or backward gets them, plainly."""
        cls = type(self)
        if cls.forward is Network.forward and cls.backward is Network.backward:
            self._workspace.step(X, y, optimizer)
            return
        self.forward(X)
        self.backward(y)
        optimizer.step(self.params(), self.grads())

    def fit(self, X, y, **kwargs):
        """Train; see ``bpnn.training.fit`` for the keywords. Returns a History."""
        from ..train.loop import fit

        return fit(self, X, y, **kwargs)

    def save(self, path):
        """Write the model to ``path`` (.npz of arrays plus JSON), atomically."""
        from ..files.model import save

        save(self, path)

    # -- description ------------------------------------------------------------
    @classmethod
    def from_config(cls, config) -> Network:
        """The network ``to_config`` describes, with fresh initial weights."""
        if not isinstance(config, dict):
            raise InputTypeError(f"a network's config must be a dict, got {config!r}")
        layers = config.get("layers")
        if not isinstance(layers, list) or not layers:
            raise InputError("a network's config has no list of layers")
        missing = [k for k in ("loss", "dtype") if k not in config]
        if missing:
            raise InputError(f"a network's config lacks {', '.join(missing)}")
        built = [Dense.from_config(c) for c in layers]
        return cls(built, loss=config["loss"], dtype=config["dtype"])

    def to_config(self) -> dict:
        return {
            "layers": [layer.to_config() for layer in self.layers],
            "loss": self.loss_fn.name,
            "dtype": self.dtype.name,
        }

    def __getstate__(self):
        # the workspace holds views of the weights: a copy packs its own
        state = self.__dict__.copy()
        del state["_workspace"]
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)
        self._workspace = Workspace(self)

    def __repr__(self):
        inner = ",\n".join(f"    {layer!r}" for layer in self.layers)
        return (
            f"Network([\n{inner},\n], loss={self.loss_fn.name!r}, "
            f"dtype={self.dtype.name})"
        )
