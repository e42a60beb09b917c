"""Model files: one ``.npz`` of plain arrays with a ``config.json`` inside.

``model.npz`` is a zip archive: ``W0.npy``, ``b0.npy``, ... and ``config.json``
(format version, architecture, loss, dtype, and any ``extra`` the caller adds,
such as the data preparation). NumPy reads the arrays with
``allow_pickle=False``, and ``unzip -p model.npz config.json`` shows the rest.
Nothing is ever unpickled, and a file is written to a temporary name and then
renamed, so a crash never leaves half a model behind.
"""

from __future__ import annotations

import json
import os
import tempfile
import zipfile
from pathlib import Path

import numpy as np

FORMAT = "bpnn-model"
FORMAT_VERSION = 1


class ModelFileError(ValueError):
    """A model file that cannot be trusted: unreadable, damaged or too new."""


def atomic_write(path, write):
    """Call ``write(file_object)`` on a temporary file beside ``path``, then
    rename it over ``path``: readers see the old file or the new, never half."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


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

    def write(f):
        with zipfile.ZipFile(f, "w", compression=zipfile.ZIP_STORED) as zf:
            zf.writestr("config.json", json.dumps(config, indent=2))
            for name, arr in arrays.items():
                with zf.open(f"{name}.npy", "w") as member:
                    np.lib.format.write_array(member, np.ascontiguousarray(arr),
                                              allow_pickle=False)

    atomic_write(path, write)


def read_config(path) -> dict:
    """The JSON config of a model file, checked for format and version."""
    path = Path(path)
    try:
        with zipfile.ZipFile(path) as zf:
            raw = zf.read("config.json")
    except FileNotFoundError:
        raise ModelFileError(f"{path}: no such model file") from None
    except KeyError:
        raise ModelFileError(f"{path}: not a bpnn model (no config.json)") from None
    except (zipfile.BadZipFile, OSError, EOFError) as err:
        raise ModelFileError(f"{path}: not a readable model file ({err})") from None
    try:
        config = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ModelFileError(f"{path}: config.json is not valid JSON ({err})") from None
    if not isinstance(config, dict) or config.get("format") != FORMAT:
        raise ModelFileError(f"{path}: not a bpnn model file")
    version = config.get("format_version")
    if not isinstance(version, int) or version < 1:
        raise ModelFileError(f"{path}: bad format_version {version!r}")
    if version > FORMAT_VERSION:
        raise ModelFileError(
            f"{path}: written by a newer bpnn (format {version}; this bpnn reads up "
            f"to {FORMAT_VERSION}): upgrade bpnn to load it"
        )
    return config


def load(path):
    """Read a model written by ``save``; raises ModelFileError if it is damaged."""
    from .layers import Dense
    from .network import Network

    path = Path(path)
    config = read_config(path)
    try:
        layers = [
            Dense(c["n_in"], c["n_out"], c["activation"], bias=c["bias"], init=c["init"])
            for c in config["layers"]
        ]
        network = Network(layers, loss=config["loss"], dtype=config["dtype"])
    except (KeyError, TypeError, ValueError) as err:
        raise ModelFileError(f"{path}: config.json describes no valid network ({err})") from None
    try:
        with np.load(path, allow_pickle=False) as data:
            for i, layer in enumerate(network.layers):
                names = [("W", f"W{i}")] + ([("b", f"b{i}")] if layer.bias else [])
                for attr, key in names:
                    if key not in data.files:
                        raise ModelFileError(f"{path}: array {key} is missing")
                    arr = data[key]
                    want = getattr(layer, attr)
                    if arr.shape != want.shape or arr.dtype != network.dtype:
                        raise ModelFileError(
                            f"{path}: array {key} has shape {arr.shape} and dtype "
                            f"{arr.dtype}; the config says {want.shape} {network.dtype}"
                        )
                    if not np.isfinite(arr).all():
                        raise ModelFileError(f"{path}: array {key} holds NaN or inf")
                    setattr(layer, attr, arr.copy())
    except ModelFileError:
        raise
    except (ValueError, OSError, EOFError, zipfile.BadZipFile) as err:
        raise ModelFileError(f"{path}: damaged array data ({err})") from None
    network.extra = config.get("extra", {})
    return network
