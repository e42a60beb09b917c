"""Every field of a request, checked: a bad one is a ``RequestError`` (HTTP 400)
naming the field and the value, never a traceback. The limits keep one request
from asking for more than a laptop can give (10,000 layers, 10⁹ nodes, ...)."""

from __future__ import annotations

import json
import math

from ..errors import InputError

#: the largest request body read (JSON or an uploaded CSV), in bytes
MAX_BODY = 64 * 1024
MAX_UPLOAD = 5 * 1024 * 1024
#: sizes of a traced network (every number is shown) and of a trained one
TRACE_LIMITS = {"layers": 6, "nodes": 12, "batch": 8}
TRAIN_LIMITS = {"layers": 7, "nodes": 256, "batch": 4096}


class RequestError(InputError):
    """A request the playground cannot serve as asked: answered with a 4xx."""

    def __init__(self, message, status=400):
        super().__init__(message)
        self.status = status


def parse_json(raw: bytes) -> dict:
    """The body as a JSON object."""
    if len(raw) > MAX_BODY:
        raise RequestError(f"request body over {MAX_BODY} bytes", 413)
    try:
        body = json.loads(raw or b"{}")
    except (ValueError, UnicodeDecodeError) as err:
        raise RequestError(f"the body is not JSON: {err}") from None
    if not isinstance(body, dict):
        raise RequestError("the body must be a JSON object")
    return body


def number(body, name, default=None, lo=None, hi=None, integer=False):
    """A finite number in [lo, hi] (an int if ``integer``)."""
    value = body.get(name, default)
    if value is None:
        raise RequestError(f"{name} is missing")
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            raise RequestError(f"{name} must be a number, got {value!r}") from None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise RequestError(f"{name} must be a number, got {value!r}")
    if not math.isfinite(value):
        raise RequestError(f"{name} must be a finite number, got {value!r}")
    if integer:
        if value != int(value):
            raise RequestError(f"{name} must be a whole number, got {value!r}")
        value = int(value)
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        raise RequestError(f"{name} must be between {lo} and {hi}, got {value!r}")
    return value


def choice(body, name, choices, default=None):
    value = body.get(name, default)
    if value not in choices:
        raise RequestError(
            f"unknown {name} {value!r}; choose one of {', '.join(map(str, choices))}"
        )
    return value


def flag(body, name, default=False):
    value = body.get(name, default)
    if not isinstance(value, bool):
        raise RequestError(f"{name} must be true or false, got {value!r}")
    return value


def sizes(value, name, limits, min_layers=2):
    """Layer sizes "3,4,2,1" or [3, 4, 2, 1], each in 1..limits["nodes"]."""
    if isinstance(value, str):
        parts = [p.strip() for p in value.split(",") if p.strip()]
        try:
            value = [int(p) for p in parts]
        except ValueError:
            raise RequestError(
                f"{name} must be whole numbers separated by commas, got {value!r}"
            ) from None
    if not isinstance(value, list) or not all(
        isinstance(v, int) and not isinstance(v, bool) for v in value
    ):
        raise RequestError(f"{name} must be a list of whole numbers, got {value!r}")
    if not min_layers <= len(value) <= limits["layers"] + 1:
        raise RequestError(
            f"{name} must list {min_layers} to {limits['layers'] + 1} sizes, "
            f"got {len(value)}"
        )
    for v in value:
        if not 1 <= v <= limits["nodes"]:
            raise RequestError(
                f"{name}: each layer has 1 to {limits['nodes']} nodes, got {v}"
            )
    return value


def matrix(value, name, shape):
    """A list of lists of finite numbers of the given shape (a flat list of the
    right length is accepted too)."""
    import numpy as np

    try:
        arr = np.array(value, dtype=float)
    except (TypeError, ValueError):
        raise RequestError(f"{name} must be a matrix of numbers") from None
    if arr.size != shape[0] * shape[1] or arr.ndim > 2:
        raise RequestError(
            f"{name} must have shape {shape[0]}x{shape[1]}, got {list(arr.shape)}"
        )
    if not np.all(np.isfinite(arr)):
        raise RequestError(f"{name} must hold finite numbers only")
    return arr.reshape(shape)


#: what a learner may make of a CSV column in the playground (auto: bpnn decides)
COLUMN_KINDS = ("auto", "numeric", "categorical", "drop")


def column_kinds(body, name="kinds") -> dict:
    """{column: kind} chosen for an uploaded CSV's columns (absent: none)."""
    value = body.get(name) or {}
    if not isinstance(value, dict):
        raise RequestError(f"{name} must map column names to kinds, got {value!r}")
    for column, kind in value.items():
        if kind not in COLUMN_KINDS:
            raise RequestError(
                f"{name}[{column!r}] must be one of {', '.join(COLUMN_KINDS)}, "
                f"got {kind!r}"
            )
    return value
