"""What a ``bpnn train`` command asks for, settled before any data is read:
the libraries it needs, the preset updated by every option given, each count
and rate checked with its option's name, and the one line that describes the
network and its schedule. ``apps.pipeline`` and ``apps.dask_run`` share it.
"""

from __future__ import annotations

import itertools

from ..data.datasets.base import INSTALL_HINT
from ..errors import InputError, UsageError


def require_apps(plots=True):
    """pandas and (for the plots) matplotlib, checked before any work: a
    one-line error if not. They are looked up, not imported: each is imported
    where it is first used."""
    from importlib.util import find_spec

    needed = ("pandas", "matplotlib") if plots else ("pandas",)
    if any(find_spec(name) is None for name in needed):
        raise UsageError(INSTALL_HINT)


def settle_config(args):
    """The preset named by --preset, updated by every option given."""
    from .config import OVERRIDES
    from .presets import preset

    table = "csv" if args.dataset == "csv" else args.dataset
    config = preset(table, args.preset)
    return config.updated(**{k: getattr(args, k, None) for k in OVERRIDES})


def check_config(config, args=None):
    """Every count and rate of the run, checked before any data is read, with
    the option's name."""
    from ..engine.checks import check_int, check_positive
    from ..engine.resources import check_memory

    for name in ("epochs", "steps", "batch_size", "eval_every"):
        check_positive(_option(name), getattr(config, name), int, allow_none=True)
    check_positive("--lr", config.lr)
    for name in ("patience", "seed", "train_sample", "split_seed"):
        value = getattr(config, name, getattr(args, name, None))
        if value is not None:
            check_int(_option(name), value, 0)
    if config.lr_decay is not None and not 0 < config.lr_decay <= 1:
        raise InputError(f"--lr-decay must be in (0, 1], got {config.lr_decay}")
    hidden = list(config.hidden)
    # at least one input and one output: the weights the hidden layers need
    # whatever the data, before the data says how many inputs
    between = sum(a * b for a, b in itertools.pairwise([1, *hidden, 1]))
    shown = ",".join(map(str, hidden))
    check_memory(f"--hidden {shown}: the hidden layers' weights", between, 24)
    return config


def _option(name):
    return "--" + name.replace("_", "-")


def default_preset(args):
    return "default" if args.dataset == "csv" else "lecture"


def describe(network, config) -> str:
    """One line: the architecture and the schedule."""
    layers = " -> ".join(
        [str(network.n_in)]
        + [f"{layer.n_out} {layer.activation.name}" for layer in network.layers]
    )
    length = (
        f"{config.steps} steps"
        if config.steps is not None
        else f"{config.epochs or 100} epochs"
    )
    batches = {
        "per_record": "all records accumulated per update",
        "random": f"random batches of {config.batch_size}",
        "shuffle": f"shuffled batches of {config.batch_size}"
        if config.batch_size
        else "full batch: all records per update",
    }
    opt = f"{config.optimizer} lr {config.lr:g}"
    if config.momentum:
        opt += f" momentum {config.momentum:g}"
    if config.lr_decay:
        opt += f" x{config.lr_decay:g} per evaluation"
    bias = "" if config.bias else ", no biases"
    return (
        f"{layers}{bias}, loss {network.loss_fn.name}, {opt}, {length} "
        f"({batches[config.sampling]}), seed {config.seed}"
    )


def check_loss_fits(dataset, config):
    """A loss for probabilities on a regression target: said in the user's
    units (the network sees the standardised values, which mean nothing to
    the user)."""
    if dataset.task != "regression" or config.loss not in ("bce", "cross_entropy"):
        return
    import numpy as np

    prep = dataset.preparation
    values = prep.to_units(dataset.y_train[:, None])
    raise UsageError(
        f"--loss {config.loss} needs targets in [0, 1] (probabilities), but "
        f"{dataset.target!r} is a regression target with values from "
        f"{np.min(values):.4g} to {np.max(values):.4g}: use --loss mse or half_mse, "
        "or --task classification if its values are classes"
    )
