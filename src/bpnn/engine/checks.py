"""Input checks, done once at each public entry point and never in the hot loop.

Each failure raises ``ValueError`` (a wrong value) or ``TypeError`` (a wrong
kind of thing) with a one-line message that names the argument, what was
expected and what was received.
"""

from __future__ import annotations

import numpy as np

from ..errors import InputError, InputTypeError
from ..fast.rows import release_pages

#: the largest count any option takes: NumPy's int64
MAX_INT = 2**63 - 1
#: rows checked at a time for NaN/inf, so a memory-mapped data set is never
#: copied whole
_CHUNK = 1 << 16


def _show(value, limit=60):
    """A short repr of a received value for an error message."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def check_finite(name, arr):
    """Raise if ``arr`` holds NaN or +-inf; say where the first one is."""
    for start in range(0, max(len(arr), 1), _CHUNK):
        part = np.asarray(arr[start : start + _CHUNK])
        finite = np.isfinite(part).all()
        release_pages(arr)  # a memory-mapped file is read, not kept resident
        if not finite:
            bad = np.argwhere(~np.isfinite(part))[0]
            where = tuple(int(i) for i in (start + bad[0], *bad[1:]))
            count = _count_non_finite(arr)
            raise InputError(
                f"{name} must hold finite numbers, got {count} NaN/inf value(s), "
                f"the first ({part[tuple(bad)]}) at index "
                f"{where if len(where) > 1 else where[0]}"
            )


def _count_non_finite(arr):
    return sum(
        int((~np.isfinite(np.asarray(arr[s : s + _CHUNK]))).sum())
        for s in range(0, len(arr), _CHUNK)
    )


def as_array(name, value):
    """``value`` as a NumPy array of numbers, naming what is not numeric."""
    columns = getattr(value, "dtypes", None)  # a pandas DataFrame names columns
    if columns is not None and hasattr(columns, "items"):
        kinds = {str(c): getattr(dt, "kind", "O") for c, dt in columns.items()}
        bad = [c for c, kind in kinds.items() if kind not in "biuf"]
        if bad:
            raise InputTypeError(
                f"{name} must be numeric, got non-numeric column(s) "
                f"{', '.join(bad)} (convert them to numbers first)"
            )
    try:
        arr = np.asarray(value)
    except (ValueError, TypeError) as err:
        raise InputTypeError(f"{name} must be a numeric array, got {err}") from None
    if arr.dtype.kind not in "biuf":
        raise InputTypeError(
            f"{name} must be numeric, got an array of dtype {arr.dtype} "
            "(convert text or categorical columns to numbers first)"
        )
    return arr


def check_features(X, n_in, name="X"):
    """X must be a non-empty 2-D numeric array with ``n_in`` columns."""
    if not isinstance(X, np.ndarray):
        X = as_array(name, X)
    elif X.dtype.kind not in "biuf":
        as_array(name, X)  # raises with the dtype
    if X.ndim != 2:
        hint = " (one record? use X.reshape(1, -1))" if X.ndim == 1 else ""
        raise InputError(
            f"{name} must be 2-D (records, features), got shape {X.shape}{hint}"
        )
    if len(X) == 0:
        raise InputError(f"{name} must hold at least one record, got 0 records")
    if X.shape[1] != n_in:
        raise InputError(
            f"{name} must have {n_in} features per record (the first layer's "
            f"n_in), got {X.shape[1]}"
        )
    check_finite(name, X)
    return X


def check_positive(name, value, kind=float, allow_none=False):
    """A learning rate, batch size or count must be a positive number."""
    if value is None and allow_none:
        return None
    ok_type = (int, np.integer)
    if kind is not int:
        ok_type += (float, np.floating)
    if isinstance(value, bool) or not isinstance(value, ok_type):
        what = "an int" if kind is int else "a number"
        raise InputTypeError(f"{name} must be {what} > 0, got {_show(value)}")
    _check_not_huge(name, value)
    if not value > 0 or not np.isfinite(value):
        raise InputError(f"{name} must be > 0, got {value}")
    return kind(value)


def check_int(name, value, minimum=0):
    """An int (not a bool) of at least ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise InputTypeError(f"{name} must be an int >= {minimum}, got {_show(value)}")
    _check_not_huge(name, value)
    if value < minimum:
        raise InputError(f"{name} must be an int >= {minimum}, got {value}")
    return int(value)


def _check_not_huge(name, value):
    """A Python int past int64 is no count NumPy can use (nor test isfinite on)."""
    if isinstance(value, int) and abs(value) > MAX_INT:
        raise InputError(f"{name} must be at most {MAX_INT} (2**63 - 1), got {value}")


def check_fraction(name, value):
    """A number in [0, 1), such as a momentum or a beta."""
    if isinstance(value, bool) or not isinstance(
        value, (int, float, np.integer, np.floating)
    ):
        raise InputTypeError(f"{name} must be a number in [0, 1), got {_show(value)}")
    if not 0.0 <= value < 1.0:
        raise InputError(f"{name} must be in [0, 1), got {value}")
    return float(value)


def check_bool(name, value):
    if not isinstance(value, (bool, np.bool_)):
        raise InputTypeError(f"{name} must be True or False, got {_show(value)}")
    return bool(value)


def check_seed(name, value):
    """None, an int >= 0, or a ``np.random.Generator``."""
    if value is None or isinstance(value, np.random.Generator):
        return value
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise InputTypeError(
            f"{name} must be None, an int >= 0 or a numpy Generator, got {_show(value)}"
        )
    if value < 0:
        raise InputError(f"{name} must be an int >= 0, got {value}")
    return value


def check_dtype(name, value):
    """float32 or float64, given as a name, a type or a dtype."""
    try:
        dtype = np.dtype(value)
    except TypeError:
        dtype = None
    if dtype not in (np.float32, np.float64):
        raise InputError(f"{name} must be float32 or float64, got {_show(value)}")
    return dtype


def check_targets(y, n_rows, n_out, loss, dtype, name="y"):
    """Targets as (n, n_out) of ``dtype``: (n,) is accepted for one output, and
    integer class labels (n,) for a softmax output with cross_entropy."""
    y = as_array(name, y)
    if y.ndim not in (1, 2):
        raise InputError(
            f"{name} must have shape ({n_rows},) or ({n_rows}, {n_out}), got {y.shape}"
        )
    if len(y) != n_rows:
        raise InputError(
            f"{name} must have one target per record of X ({n_rows}), got {len(y)}"
        )
    check_finite(name, y)
    if y.ndim == 1 and loss == "cross_entropy" and n_out > 1:
        if y.dtype.kind == "f" and not np.all(y == np.round(y)):
            raise InputError(
                f"{name} for cross_entropy must be integer class labels "
                f"0..{n_out - 1} or one-hot rows of {n_out}, got "
                f"non-integer values such as {y[y != np.round(y)][0]}"
            )
        labels = y.astype(np.int64)
        if labels.min() < 0 or labels.max() >= n_out:
            raise InputError(
                f"{name} must hold class labels 0..{n_out - 1} (the output "
                f"layer has {n_out} classes), got labels from "
                f"{labels.min()} to {labels.max()}"
            )
        y = np.eye(n_out, dtype=dtype)[labels]
    elif y.ndim == 1 and n_out == 1:
        y = y.reshape(-1, 1)
    if y.ndim != 2 or y.shape[1] != n_out:
        raise InputError(
            f"{name} must have shape ({n_rows},) or ({n_rows}, {n_out}) "
            f"for a network with {n_out} output(s), got {y.shape}"
        )
    y = np.asarray(y, dtype=dtype)
    if loss in ("bce", "cross_entropy") and (y.min() < 0 or y.max() > 1):
        raise InputError(
            f"{name} must lie in [0, 1] for the {loss} loss, got values "
            f"from {y.min()} to {y.max()}"
        )
    if loss == "cross_entropy":
        sums = y.sum(axis=1)
        if not np.allclose(sums, 1):
            row = int(np.argmax(~np.isclose(sums, 1)))
            raise InputError(
                f"{name} rows must be one-hot (sum to 1) for cross_entropy, "
                f"got row {row} summing to {sums[row]:g}"
            )
    return y
