"""Input checks, done once at each public entry point and never in the hot loop.

Each failure raises ``ValueError`` or ``TypeError`` with a one-line message that
names the argument, what was expected and what was received.
"""

from __future__ import annotations

import numpy as np

from .batches import release_pages

#: rows checked at a time for NaN/inf, so a memory-mapped data set is never
#: copied whole
_CHUNK = 1 << 16


def check_finite(name, arr):
    """Raise if ``arr`` holds NaN or +-inf; say where the first one is."""
    for start in range(0, max(len(arr), 1), _CHUNK):
        part = np.asarray(arr[start : start + _CHUNK])
        finite = np.isfinite(part).all()
        release_pages(arr)  # a memory-mapped file is read, not kept resident
        if not finite:
            bad = np.argwhere(~np.isfinite(part))[0]
            where = (start + bad[0],) + tuple(bad[1:])
            raise ValueError(
                f"{name} holds a non-finite value ({part[tuple(bad)]}) at index "
                f"{where if len(where) > 1 else where[0]}"
            )


def check_features(X, n_in, name="X"):
    """X must be a non-empty 2-D numeric array with ``n_in`` columns."""
    if not isinstance(X, np.ndarray):
        try:
            X = np.asarray(X)
        except (ValueError, TypeError) as err:
            raise TypeError(f"{name} must be a 2-D numeric array: {err}") from None
    if X.dtype.kind not in "biuf":
        raise TypeError(
            f"{name} must be numeric, got an array of dtype {X.dtype} "
            "(convert text or categorical columns to numbers first)"
        )
    if X.ndim != 2:
        raise ValueError(
            f"{name} must be 2-D (records, features), got shape {X.shape}"
        )
    if len(X) == 0:
        raise ValueError(f"{name} is empty: it has 0 records")
    if X.shape[1] != n_in:
        raise ValueError(
            f"{name} has {X.shape[1]} features per record but the first layer "
            f"expects n_in={n_in}"
        )
    check_finite(name, X)
    return X


def check_positive(name, value, kind=float, allow_none=False):
    """A learning rate, batch size or count must be a positive number."""
    if value is None and allow_none:
        return None
    ok_type = (int, np.integer) if kind is int else (int, float, np.integer, np.floating)
    if isinstance(value, bool) or not isinstance(value, ok_type):
        what = "an int" if kind is int else "a number"
        raise TypeError(f"{name} must be {what}, got {value!r}")
    if not value > 0 or not np.isfinite(value):
        raise ValueError(f"{name} must be > 0, got {value}")
    return kind(value)
