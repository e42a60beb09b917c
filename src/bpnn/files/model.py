"""Model files: one ``.npz`` of plain arrays with a ``config.json`` inside.

``model.npz`` is a zip archive: ``W0.npy``, ``b0.npy``, ... and ``config.json``
(format version, architecture, loss, dtype, and any ``extra`` the caller adds,
such as the data preparation). ``unzip -p model.npz config.json`` shows it.

Loading trusts nothing in the file (``bpnn.files.archive``): nothing is ever
unpickled, sizes and headers are checked against the config before anything is
read or allocated, and whatever is wrong becomes one ``ModelFileError`` naming
the file and the problem. Writing is atomic: a crash never leaves half a model.
"""

from __future__ import annotations

from pathlib import Path

from ..engine.resources import check_memory
from .archive import (
    ModelFileError,
    atomic_write,
    open_archive,
    read_array,
    read_json,
    write_archive,
)

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "ModelFileError",
    "atomic_write",
    "load",
    "read_config",
    "save",
]

FORMAT = "bpnn-model"
FORMAT_VERSION = 1


def save(network, path, extra=None):
    """Write ``network`` (and JSON-able ``extra``) to ``path``, atomically."""
    config = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        **network.to_config(),
        "extra": extra or {},
    }
    arrays = {}
    for i, layer in enumerate(network.layers):
        arrays[f"W{i}"] = layer.W
        if layer.b is not None:
            arrays[f"b{i}"] = layer.b
    write_archive(path, config, arrays)


def read_config(path) -> dict:
    """The JSON config of a model file, checked for format and version."""
    with open_archive(path) as zf:
        return read_json(zf, Path(path), FORMAT, FORMAT_VERSION)


def network_from_config(config, path):
    """``Network.from_config``, its errors as a ModelFileError naming ``path``."""
    from ..engine.network import Network

    _check_layers(config, path)
    try:
        return Network.from_config(config)
    except (KeyError, TypeError, ValueError) as err:
        raise ModelFileError(
            f"{path}: config.json describes no valid network ({err!s})"
        ) from None


def _check_sizes(zf, config, path):
    """Every layer's W member must be big enough for its config, so a config
    that lies about sizes cannot make ``Dense`` allocate gigabytes."""
    layers = config.get("layers")
    for i, c in enumerate(layers if isinstance(layers, list) else []):
        try:
            n = int(c["n_in"]) * int(c["n_out"])
            info = zf.getinfo(f"W{i}.npy")
        except (KeyError, TypeError, ValueError):
            continue  # reported with its reason by network_from_config / read_array
        if n < 0 or 4 * n > info.file_size:  # 4: bytes of the smallest dtype
            raise ModelFileError(
                f"{path}: config.json says layer {i} is {c['n_in']} x {c['n_out']} "
                f"but array W{i} is only {info.file_size} bytes"
            )


def load(path):
    """Read a model written by ``save``; raises ModelFileError if it is damaged."""
    path = Path(path)
    with open_archive(path) as zf:
        config = read_json(zf, path, FORMAT, FORMAT_VERSION)
        _check_sizes(zf, config, path)
        network = network_from_config(config, path)
        expected = {"config.json"}
        for i, layer in enumerate(network.layers):
            for attr in ("W", "b") if layer.bias else ("W",):
                key = f"{attr}{i}"
                expected.add(f"{key}.npy")
                want = getattr(layer, attr)
                setattr(
                    layer, attr, read_array(zf, path, key, want.shape, network.dtype)
                )
        unknown = sorted(set(zf.namelist()) - expected)
        if unknown:
            raise ModelFileError(
                f"{path}: holds {', '.join(unknown)}, which config.json does not "
                "describe"
            )
    extra = config.get("extra", {})
    if not isinstance(extra, dict):
        raise ModelFileError(f"{path}: config.json 'extra' must be an object")
    network.extra = extra
    return network


def _check_layers(config, path):
    """Each layer's fields of their types, and all the weights within memory,
    before a layer is built: the file may lie."""
    layers = config.get("layers")
    if not isinstance(layers, list) or not all(isinstance(c, dict) for c in layers):
        raise ModelFileError(f"{path}: config.json has no list of layers")
    if not layers:
        raise ModelFileError(f"{path}: config.json lists no layers")
    weights = 0
    for i, c in enumerate(layers):
        for key in ("n_in", "n_out"):
            value = c.get(key)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ModelFileError(
                    f"{path}: config.json layers[{i}].{key} must be an int >= 1, "
                    f"got {str(value)[:40]!r}"
                )
        for key, kind in (("activation", str), ("init", str), ("bias", bool)):
            if not isinstance(c.get(key), kind):
                raise ModelFileError(
                    f"{path}: config.json layers[{i}].{key} must be a "
                    f"{kind.__name__}, got {str(c.get(key))[:40]!r}"
                )
        weights += c["n_in"] * c["n_out"]
    check_memory(f"{path}: config.json's layers", weights, 24, ModelFileError)
