"""Turn what the user typed (sizes, names, numbers, JSON) into a network and data.

Shared by ``bpnn explain`` and ``bpnn shapes``. Every mistake raises
``UsageError`` with one line that names the option and what was wrong.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

from ...errors import UsageError


def parse_sizes(text, option="--layers"):
    """``"3,4,2,1"`` -> [3, 4, 2, 1]: at least two positive whole numbers."""
    parts = [p.strip() for p in str(text).split(",")]
    try:
        sizes = [int(p) for p in parts]
    except ValueError:
        raise UsageError(
            f"{option} takes layer sizes as whole numbers separated by commas, "
            f"e.g. 3,4,2,1; got {text!r}"
        ) from None
    if len(sizes) < 2:
        raise UsageError(
            f"{option} needs at least 2 sizes (inputs, outputs), got {text!r}"
        )
    if min(sizes) < 1:
        raise UsageError(f"{option}: every layer size must be >= 1, got {text!r}")
    from ...engine.resources import check_memory

    weights = sum(a * b for a, b in itertools.pairwise(sizes))
    check_memory(f"{option} {text}: the weights", weights, 24)
    return sizes


def check_batch(batch, sizes, option="--batch"):
    """A batch whose traced arrays (about 8 per layer node) fit in memory."""
    from ...engine.resources import check_memory

    if batch < 1:
        raise UsageError(f"{option} must be >= 1, got {batch}")
    check_memory(f"{option} {batch}: the traced arrays", (batch, sum(sizes)), 64)
    return batch


def parse_names(text, n_layers, option="--activations"):
    """``"sigmoid"`` (every layer) or one name per layer, comma-separated."""
    names = [p.strip() for p in str(text).split(",")]
    if len(names) == 1:
        return names * n_layers
    if len(names) != n_layers:
        raise UsageError(
            f"{option} needs 1 name or one per layer ({n_layers}), "
            f"got {len(names)}: {text!r}"
        )
    return names


def parse_records(text, option):
    """Numbers as rows: ``"0.1,0.3"`` is one record, ``"0.1,0.3;0.2,0.4"`` two;
    JSON (``[[0.1, 0.3]]``) works too."""
    import numpy as np

    text = str(text).strip()
    try:
        if text.startswith("["):
            rows = json.loads(text)
        else:
            rows = [[float(v) for v in row.split(",")] for row in text.split(";")]
        arr = np.array(rows, dtype=float)
    except (ValueError, TypeError) as err:
        raise UsageError(
            f"{option} takes numbers like 0.1,0.3 (records separated by ;) or a "
            f"JSON list; could not read {text!r}: {err}"
        ) from None
    if arr.ndim == 1:
        arr = arr[None, :]
    if arr.ndim != 2 or arr.size == 0:
        raise UsageError(
            f"{option} must be a record or a list of records, got {text!r}"
        )
    if not np.isfinite(arr).all():
        raise UsageError(f"{option} holds a non-finite number (nan or inf): {text!r}")
    return arr


def _load_json(text, option):
    source = str(text)
    if not source.lstrip().startswith(("[", "{")) and Path(source).is_file():
        source = Path(source).read_text(encoding="utf-8")
    try:
        return json.loads(source, parse_constant=_no_constant)
    except (json.JSONDecodeError, _NotANumber) as err:
        raise UsageError(
            f"{option} is not valid JSON (nor a JSON file): {err}"
        ) from None
    except RecursionError:
        raise UsageError(f"{option}: the JSON is nested too deeply") from None


class _NotANumber(ValueError):
    pass


def _no_constant(name):
    raise _NotANumber(f"{name} is not a number a weight can take")


def set_weights(network, text, option="--weights"):
    """Write the weights given as JSON into ``network``: a list, one entry per
    layer, each a matrix (n_in, n_out), a flat list of n_in*n_out numbers
    (row by row), or ``{"W": ..., "b": ...}``. A JSON file name works too."""
    import numpy as np

    given = _load_json(text, option)
    layers = network.layers
    if not isinstance(given, list) or len(given) != len(layers):
        got = f"{len(given)} entries" if isinstance(given, list) else "something else"
        raise UsageError(
            f"{option} needs a JSON list with one entry per layer ({len(layers)}), "
            f"got {got}"
        )
    for k, (entry, layer) in enumerate(zip(given, layers), 1):
        if isinstance(entry, dict):
            unknown = set(entry) - {"W", "b"}
            if unknown or "W" not in entry:
                raise UsageError(
                    f"{option}: layer {k} takes keys W and b, got {sorted(entry)}"
                )
            W, b = entry["W"], entry.get("b")
        else:
            W, b = entry, None
        layer.W[:] = _array(W, layer.W.shape, f"{option} layer {k} W", np)
        if b is not None:
            if layer.b is None:
                raise UsageError(
                    f"{option}: layer {k} has a bias b but the network has none "
                    "(add --bias)"
                )
            layer.b[:] = _array(b, layer.b.shape, f"{option} layer {k} b", np)


def _array(values, shape, what, np):
    try:
        arr = np.array(values, dtype=float)
    except (ValueError, TypeError):
        raise UsageError(f"{what} must hold numbers, got {values!r}") from None
    size = int(np.prod(shape))
    if arr.shape == shape or (arr.ndim == 1 and arr.size == size):
        if not np.isfinite(arr).all():
            raise UsageError(f"{what} holds a non-finite number")
        return arr.reshape(shape)
    raise UsageError(
        f"{what} has shape {arr.shape} ({arr.size} numbers) but the layer needs "
        f"shape {shape} ({size} numbers)"
    )
