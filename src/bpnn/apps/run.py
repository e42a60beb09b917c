"""A training run in steps a caller can take one by one: build the network and
its optimizer from a ``RunConfig``, fit it to a ``Dataset``, evaluate it, write
the outputs (``bpnn.outputs.write_outputs``). ``bpnn train`` is these steps."""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from ..engine.network import Network
from ..engine.optimizers import SGD, Adam
from ..errors import InputError
from ..train.state import TrainingState
from .metrics import evaluate
from .presets import output_and_loss


@dataclass
class Run:
    """What a finished (or stopped) run leaves behind."""

    dataset: object
    config: object
    network: Network
    history: object
    metrics: dict
    wall_time_s: float
    optimizer: object = None
    #: the ``TrainingState`` of the run, for saving it when interrupted
    state: object = None


def build_network(config, dataset) -> Network:
    """The MLP n_features -> hidden... -> outputs the config and task call for."""
    n_classes = len(dataset.preparation.classes or [])
    output, loss, n_out = output_and_loss(config, dataset.task, n_classes)
    sizes = [len(dataset.feature_names), *config.hidden, n_out]
    activations = [config.activation] * len(config.hidden) + [output]
    return Network.from_sizes(
        sizes,
        activations,
        bias=config.bias,
        init=config.init,
        loss=loss,
        seed=config.seed,
    )


def build_optimizer(config):
    if config.optimizer == "sgd":
        return SGD(config.lr, momentum=config.momentum)
    if config.optimizer == "adam":
        if config.momentum:
            raise InputError("--momentum is for sgd; adam keeps its own moments")
        return Adam(config.lr)
    raise InputError(f"unknown optimizer {config.optimizer!r}; choose sgd or adam")


def network_targets(network, y):
    """Targets in the network's shape: class indices become one-hot rows for a
    multi-output network trained on anything but cross-entropy."""
    if network.n_out > 1 and y.ndim == 1 and network.loss_fn.name != "cross_entropy":
        return np.eye(network.n_out)[y.astype(np.int64)]
    return y


def lr_schedule(config, optimizer):
    """The learning rate times ``config.lr_decay`` at each evaluation: a
    ``callback`` for fit (None without a decay)."""
    if config.lr_decay is None:
        return None
    if not 0 < config.lr_decay <= 1:
        raise InputError(f"lr_decay must be in (0, 1], got {config.lr_decay}")

    def callback(net, history):
        optimizer.lr *= config.lr_decay

    return callback


def fit_network(network, dataset, config, progress=False, optimizer=None, state=None):
    """Train ``network`` on the training split, validating on the validation
    split where there is one; returns the History. ``optimizer`` and ``state``
    continue an interrupted run (``bpnn.resume``)."""
    optimizer = build_optimizer(config) if optimizer is None else optimizer
    callback = lr_schedule(config, optimizer)
    val = None
    if dataset.X_val is not None:
        val = (dataset.X_val, network_targets(network, dataset.y_val))
    return network.fit(
        dataset.X_train,
        network_targets(network, dataset.y_train),
        optimizer=optimizer,
        epochs=config.epochs,
        steps=config.steps,
        batch_size=config.batch_size,
        sampling=config.sampling,
        validation_data=val,
        eval_every=config.eval_every,
        patience=config.patience,
        seed=config.seed,
        progress=progress,
        callback=callback,
        state=state,
        train_sample=config.train_sample or None,
    )


def train(dataset, config, progress=False, resumed=None) -> Run:
    """Build, fit and evaluate; nothing is written (see write_outputs).

    ``resumed``: (network, optimizer, state) to train from, an interrupted
    run's to continue or fresh ones already made; None: made here.
    """
    if resumed is None:
        network, optimizer = build_network(config, dataset), build_optimizer(config)
        state = TrainingState()
    else:
        network, optimizer, state = resumed
    start = time.perf_counter()
    history = fit_network(network, dataset, config, progress, optimizer, state)
    wall = time.perf_counter() - start
    return Run(
        dataset,
        config,
        network,
        history,
        evaluate(network, dataset),
        wall,
        optimizer,
        state,
    )
