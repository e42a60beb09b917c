"""What the scikit-learn estimators share: their parameters, the network they
build, and one training call that fit, partial_fit and warm_start go through.

The network is a plain ``bpnn.Network`` trained by ``bpnn.fit``; sample
weights go through ``bpnn.interop.weighting``. scikit-learn is imported here
and in ``bpnn.interop.sklearn`` only.
"""

from __future__ import annotations

import warnings

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.model_selection import train_test_split
from sklearn.utils import check_random_state
from sklearn.utils.validation import _check_sample_weight

from ..engine.network import Network
from ..engine.optimizers import get_optimizer
from ..errors import InputError
from .weighting import WeightedNetwork, with_weights


class BPNNEstimator(BaseEstimator):
    """The parameters of a bpnn run, as scikit-learn estimator parameters.

    ``hidden_sizes`` lists the hidden layers' sizes, all with ``activation``;
    the output layer and, unless ``loss`` is given, the loss follow from the
    task (see the subclasses). ``optimizer`` is "sgd" (with ``momentum``) or
    "adam", with learning rate ``lr``. Training runs ``epochs`` epochs (or
    ``steps`` weight updates) of ``sampling`` ("shuffle", "random" or
    "per_record") in batches of ``batch_size`` records (None: all; a batch
    larger than the data is the whole data). ``early_stopping`` holds out
    ``validation_fraction`` of the rows and stops when their loss has not
    improved for ``patience`` evaluations, keeping the best weights.
    """

    def __init__(
        self,
        hidden_sizes=(32,),
        activation="relu",
        loss=None,
        optimizer="adam",
        lr=0.01,
        momentum=0.0,
        batch_size=200,
        epochs=200,
        steps=None,
        sampling="shuffle",
        early_stopping=False,
        validation_fraction=0.1,
        patience=10,
        random_state=None,
        dtype="float64",
        warm_start=False,
    ):
        self.hidden_sizes = hidden_sizes
        self.activation = activation
        self.loss = loss
        self.optimizer = optimizer
        self.lr = lr
        self.momentum = momentum
        self.batch_size = batch_size
        self.epochs = epochs
        self.steps = steps
        self.sampling = sampling
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.patience = patience
        self.random_state = random_state
        self.dtype = dtype
        self.warm_start = warm_start

    # -- building ---------------------------------------------------------------
    def _new_network(self, n_in, n_out, output, loss, seed):
        hidden = [int(h) for h in np.atleast_1d(self.hidden_sizes)]
        sizes = [n_in, *hidden, n_out]
        activations = [self.activation] * len(hidden) + [output]
        try:
            return Network.from_sizes(
                sizes, activations, loss=loss, seed=seed, dtype=self.dtype
            )
        except TypeError as err:
            raise InputError(str(err)) from None

    def _new_optimizer(self):
        kwargs = {"lr": self.lr}
        if self.optimizer == "sgd":
            kwargs["momentum"] = self.momentum
        elif self.momentum:
            raise InputError("momentum is for optimizer='sgd'; adam keeps its own")
        return get_optimizer(self.optimizer, **kwargs)

    def _start(self, n_in, n_out, output, loss, keep):
        """A fresh network and optimizer, unless ``keep`` and one exists that
        fits these shapes (warm_start, partial_fit)."""
        if keep and hasattr(self, "network_"):
            net = self.network_
            hidden = [int(h) for h in np.atleast_1d(self.hidden_sizes)]
            wanted = [n_in, *hidden, n_out]
            acts = [layer.activation.name for layer in net.layers[:-1]]
            if net.sizes != wanted or acts != [self.activation] * len(hidden):
                shown = f" ({acts[0]})" if acts else ""
                raise InputError(
                    f"cannot continue the trained network {net.sizes}{shown} as "
                    f"{wanted} ({self.activation}): the data or hidden_sizes/"
                    "activation changed since it was trained; set warm_start=False "
                    "to start over"
                )
            return
        rng = check_random_state(self.random_state)
        seed, self._fit_seed = (int(s) for s in rng.randint(0, 2**31 - 1, size=2))
        self.network_ = self._new_network(n_in, n_out, output, loss, seed)
        self.optimizer_ = self._new_optimizer()
        self._order = np.random.default_rng(self._fit_seed)

    # -- training ---------------------------------------------------------------
    def _train(self, X, y, sample_weight, stratify=None, epochs=None):
        """Train ``network_`` on X and its targets y with bpnn.fit; sets
        ``history_``. ``epochs`` overrides the length (partial_fit: 1)."""
        net = self.network_
        if sample_weight is not None:
            sample_weight = _check_sample_weight(sample_weight, X, dtype=net.dtype)
            if np.any(sample_weight < 0):
                raise InputError("sample_weight must not be negative")
            if not np.any(sample_weight > 0):
                raise InputError("sample_weight must contain at least one non-zero")
        val = None
        if self.early_stopping and epochs is None:
            X, y, sample_weight, val = self._split(X, y, sample_weight, stratify)
        trained = net if sample_weight is None else WeightedNetwork(net)
        if sample_weight is not None:
            y = with_weights(net, y, sample_weight)
            if val is not None:
                val = (val[0], with_weights(net, val[1], val[2]))
        elif val is not None:
            val = val[:2]
        steps = self.steps if epochs is None else None
        length = {"steps": steps} if steps is not None else {}
        if steps is None:
            length["epochs"] = epochs or self.epochs
        batch = None if self.sampling == "per_record" else self.batch_size
        self.history_ = trained.fit(
            X,
            y,
            optimizer=self.optimizer_,
            batch_size=batch,
            sampling=self.sampling,
            validation_data=val,
            patience=self.patience if val is not None else None,
            seed=self._order,
            **length,
        )
        if self.history_.stop_reason == "diverged":
            warnings.warn(f"bpnn: {self.history_.message}", RuntimeWarning, 2)
        return self

    def _split(self, X, y, sample_weight, stratify):
        """Hold out ``validation_fraction`` of the rows for early stopping."""
        parts = [X, y] + ([] if sample_weight is None else [sample_weight])
        try:
            split = train_test_split(
                *parts,
                test_size=self.validation_fraction,
                random_state=self._fit_seed,
                stratify=stratify,
            )
        except ValueError as err:
            raise InputError(f"early_stopping: cannot hold out rows: {err}") from None
        train, val = split[0::2], split[1::2]
        if sample_weight is None:
            return train[0], train[1], None, (val[0], val[1], None)
        return train[0], train[1], train[2], (val[0], val[1], val[2])

    def _outputs(self, X):
        """The network's outputs (n, n_out) for validated X."""
        return self.network_.predict(X)
