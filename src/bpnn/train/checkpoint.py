"""Checkpoints: a training run saved between two epochs, to be continued exactly.

A checkpoint is one archive like a model file (plain ``.npy`` arrays and a
``config.json``, never a pickle), written atomically, so an interruption while
it is written leaves the previous one whole. It holds the weights, the
optimizer's ``state_dict``, the random generator's state, the counters, the
history, and the ``state_dict`` of the sampler and of each watcher (divergence,
early stopping, learning-rate decay) -- their JSON ``config`` in config.json,
their arrays under their own names (``good0``, ``best0``, ``order``...). With the same data and arguments,
``fit(..., state=state)`` reaches bit-identical weights.

Format 3 keeps the optimizer's state as slots: ``config.json`` lists
``"optimizer_slots": {"m": 4, "v": 4}`` (arrays per slot) and the arrays are
``optimizer_m_0.npy`` ... in the order of the weights. Formats 1 and 2 named
them ``optimizer_m0.npy`` and listed them in ``"optimizer_arrays"``; format 1
(bpnn 0.1) also kept the parts of a run flat (``checkpoint_v1``). Both still
load.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..engine.optimizers import OPTIMIZERS
from ..files.archive import (
    ModelFileError,
    open_archive,
    read_array,
    read_json,
    write_archive,
)
from ..files.model import network_from_config
from .checkpoint_fields import check_fields
from .checkpoint_v1 import parts_v1
from .history import History
from .state import TrainingState

FORMAT = "bpnn-checkpoint"
FORMAT_VERSION = 3
#: the parts of a run a checkpoint may hold, beside weights and optimizer
PARTS = ("sampler", "divergence", "early_stopping", "lr_decay")
#: bit generators whose state a checkpoint may restore
_BIT_GENERATORS = ("PCG64", "PCG64DXSM", "Philox", "SFC64", "MT19937")


def save_checkpoint(path, network, optimizer, state):
    """Write the run (network, optimizer, ``TrainingState``) to ``path``."""
    opt = optimizer.state_dict()
    history = state.history.to_dict() if state.history is not None else None
    parts = {name: state.parts[name] for name in PARTS if name in state.parts}
    config = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "network": network.to_config(),
        "optimizer": opt["config"],
        "optimizer_slots": {name: len(a) for name, a in opt["slots"].items()},
        "settings": state.settings,
        "done": state.done,
        "step": state.step,
        "rng": state.rng.bit_generator.state if state.rng is not None else None,
        "history": history,
        "signal": state.signal,
        "finished": state.finished,
        "extra": state.extra,
        "parts": {name: part["config"] for name, part in parts.items()},
        "part_arrays": {name: sorted(part["arrays"]) for name, part in parts.items()},
    }
    arrays = {f"param{i}": p for i, p in enumerate(network.params())}
    for name, slot in opt["slots"].items():
        for i, arr in enumerate(slot):
            arrays[f"optimizer_{name}_{i}"] = arr
    for part in parts.values():
        for key, arr in part["arrays"].items():
            assert key not in arrays, f"two parts of a run hold {key}"
            arrays[key] = arr
    write_archive(path, config, arrays)


def fit_resumable(path, network, X, y, optimizer=None, extra=None, **fit_kwargs):
    """``fit``, made safe to interrupt: if interrupted, the run is saved to the
    checkpoint ``path``; if ``path`` already holds one, the run continues from
    it (its network and optimizer replace the ones given).

    Returns (network, optimizer, history, state); once the run has finished
    the checkpoint is removed. ``extra`` (JSON) is kept in the checkpoint.
    """
    from ..engine.optimizers import SGD
    from .loop import fit

    path = Path(path)
    if path.exists():
        network, optimizer, state = load_checkpoint(path)
    else:
        optimizer = SGD(0.1) if optimizer is None else optimizer
        state = TrainingState(extra=dict(extra or {}))
    history = fit(network, X, y, optimizer=optimizer, state=state, **fit_kwargs)
    keep_or_drop(path, network, optimizer, state)
    return network, optimizer, history, state


def keep_or_drop(path, network, optimizer, state):
    """A run's checkpoint policy: saved while the run can continue, removed
    once it has finished. ``fit_resumable`` and ``bpnn train`` both use it."""
    if state.finished:
        Path(path).unlink(missing_ok=True)
    else:
        save_checkpoint(path, network, optimizer, state)


def load_checkpoint(path):
    """Return (network, optimizer, state) saved by ``save_checkpoint``.

    Like ``bpnn.load``, every array is checked against the config before it is
    used; a damaged or tampered file raises ``ModelFileError``.
    """
    path = Path(path)
    with open_archive(path) as zf:
        config = read_json(zf, path, fmt=FORMAT, version_max=FORMAT_VERSION)
        try:
            return _restore(zf, path, config)
        except (KeyError, TypeError, ValueError, AttributeError) as err:
            if isinstance(err, ModelFileError):
                raise
            raise ModelFileError(f"{path}: damaged checkpoint ({err!s})") from None


def _restore(zf, path, config):
    check_fields(config, path)
    net_config = config["network"]
    if not isinstance(net_config, dict):
        raise ModelFileError(f"{path}: config.json has no network")
    network = network_from_config(net_config, path)
    params = network.params()
    shapes = [p.shape for p in params]
    dtype = network.dtype

    def arrays(prefix):
        return [
            read_array(zf, path, f"{prefix}{i}", s, dtype) for i, s in enumerate(shapes)
        ]

    for p, saved in zip(params, arrays("param")):
        p[...] = saved
    opt_config = dict(config["optimizer"])
    name = opt_config.pop("name")
    if name not in OPTIMIZERS:
        raise ModelFileError(f"{path}: unknown optimizer {name!r}")
    t = opt_config.pop("t", None)
    optimizer = OPTIMIZERS[name](**opt_config)
    slots = _optimizer_slots(zf, path, config, shapes, dtype)
    optimizer.load_state_dict({"config": {"t": t or 0}, "slots": slots})

    def read_order(key="order"):
        n = int(config["settings"]["n"])
        order = read_array(zf, path, key, (n,), np.dtype(np.int64))
        if not np.array_equal(np.sort(order), np.arange(n)):
            raise ModelFileError(f"{path}: order is not a permutation of {n} records")
        return order

    state = TrainingState()
    state.settings = dict(config["settings"])
    state.done, state.step = int(config["done"]), int(config["step"])
    state.rng = _generator(config["rng"], path)
    state.history = _history(config["history"], path)
    state.signal = config["signal"]
    state.finished = bool(config["finished"])
    state.extra = config.get("extra") or {}
    if not isinstance(state.extra, dict):
        raise ModelFileError(f"{path}: config.json 'extra' must be an object")
    if config["format_version"] < 2:
        state.parts = parts_v1(config, arrays, read_order)
    else:
        state.parts = _parts(zf, path, config, shapes, dtype, read_order)
    _check_parts(state, path)
    return network, optimizer, state


def _parts(zf, path, config, shapes, dtype, read_order):
    """Each part's state_dict: its config, and its arrays checked against the
    network (weight-like arrays end in the weight's number) or the data."""
    parts = {}
    for name, keys in config["part_arrays"].items():
        if name not in PARTS or name not in config["parts"]:
            raise ModelFileError(f"{path}: unknown part {name!r} of a run")
        arrays = {}
        for key in keys:
            if key == "order":
                arrays[key] = read_order()
                continue
            i = int(key.lstrip("abcdefghijklmnopqrstuvwxyz_"))
            if not 0 <= i < len(shapes):
                raise ModelFileError(f"{path}: array {key} of {name} fits no weight")
            arrays[key] = read_array(zf, path, key, shapes[i], dtype)
        parts[name] = {"config": config["parts"][name], "arrays": arrays}
    return parts


def _check_parts(state, path):
    """The JSON of each part holds what its load_state_dict reads, and a run
    stopped inside a shuffled epoch has that epoch's order."""
    parts, settings = state.parts, state.settings
    sampler = parts.get("sampler", {}).get("config")
    if sampler:
        _batches(sampler, state.rng, path)
    if settings.get("sampling") == "shuffle" and not state.finished:
        inside = state.step % -(-int(settings["n"]) // int(settings["batch"]))
        if inside and "order" not in parts.get("sampler", {}).get("arrays", {}):
            raise ModelFileError(f"{path}: no order of the shuffled epoch under way")
    stopping = parts.get("early_stopping", {}).get("config")
    if stopping is not None:
        int(stopping["since_best"])
        after = stopping["stop_after"]
        if after is not None and (isinstance(after, bool) or int(after) < 1):
            raise ModelFileError(f"{path}: early stopping has no valid stop_after")
    for name, key in (("divergence", "initial_loss"), ("lr_decay", "initial_lr")):
        if name in parts and parts[name]["config"][key] is not None:
            float(parts[name]["config"][key])


def _optimizer_slots(zf, path, config, shapes, dtype):
    """The optimizer's slots: a list of arrays, one per weight, by slot name."""
    if config["format_version"] < 3:  # arrays named like m0, v0, velocity3
        counts, names = {}, {}
        for key in config["optimizer_arrays"]:
            slot = key.rstrip("0123456789")
            i = int(key[len(slot) :] or -1)
            counts[slot] = max(counts.get(slot, 0), i + 1)
            names[slot, i] = f"optimizer_{key}"
    else:
        counts = config["optimizer_slots"]
        names = {(s, i): f"optimizer_{s}_{i}" for s in counts for i in range(counts[s])}
    slots = {}
    for slot, n in counts.items():
        if n != len(shapes) or any((slot, i) not in names for i in range(n)):
            raise ModelFileError(
                f"{path}: optimizer state {slot} has {n} arrays for "
                f"{len(shapes)} weights"
            )
        slots[slot] = [
            read_array(zf, path, names[slot, i], shape, dtype)
            for i, shape in enumerate(shapes)
        ]
    return slots


def _generator(saved, path):
    if saved is None:
        return None
    kind = saved.get("bit_generator") if isinstance(saved, dict) else None
    if kind not in _BIT_GENERATORS:
        raise ModelFileError(f"{path}: unknown random generator {kind!r}")
    bit_generator = getattr(np.random, kind)()
    bit_generator.state = saved
    return np.random.Generator(bit_generator)


def _batches(saved, rng, path):
    """Where random batches stood: a generator state of the run's own kind
    (checked by restoring it on a scratch generator) and a position."""
    if saved is None:
        return None
    position = saved.get("position") if isinstance(saved, dict) else None
    if isinstance(position, bool) or not isinstance(position, int) or position < 0:
        raise ModelFileError(f"{path}: batches has no valid position")
    _generator(saved.get("rng"), path)
    return saved


def _history(saved, path):
    if saved is None:
        return None
    if not isinstance(saved, dict):
        raise ModelFileError(f"{path}: history is not an object")
    return History(**saved)
