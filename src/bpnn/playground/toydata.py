"""Two-dimensional toy data sets, drawn with NumPy from a seed.

Each returns points X (n, 2) within about [-1, 1]² and class labels (n,):
the shapes learners know from other playgrounds (XOR, two circles, two
moons, a spiral, gaussian blobs). ``noise`` is the standard deviation of the
Gaussian jitter added to each point, as a fraction of the plane's half-width.
"""

from __future__ import annotations

import numpy as np

#: the plane drawn by the page: [-EXTENT, EXTENT]²
EXTENT = 1.5


def xor(rng, n, noise, classes=2):
    X = rng.uniform(-1, 1, (n, 2))
    X[np.abs(X) < 0.05] += np.sign(X[np.abs(X) < 0.05] + 1e-9) * 0.1  # off the axes
    y = (X[:, 0] * X[:, 1] > 0).astype(np.int64)
    return X, y


def circles(rng, n, noise, classes=2):
    y = np.arange(n) % 2
    radius = np.where(y == 1, rng.uniform(0, 0.45, n), rng.uniform(0.7, 1.0, n))
    angle = rng.uniform(0, 2 * np.pi, n)
    return np.column_stack([radius * np.cos(angle), radius * np.sin(angle)]), y


def moons(rng, n, noise, classes=2):
    y = np.arange(n) % 2
    t = rng.uniform(0, np.pi, n)
    x1 = np.where(y == 0, np.cos(t), 1 - np.cos(t)) - 0.5
    x2 = np.where(y == 0, np.sin(t), 0.5 - np.sin(t)) - 0.25
    return np.column_stack([x1, x2]) * 0.8, y


def spiral(rng, n, noise, classes=2):
    y = np.arange(n) % classes
    r = rng.uniform(0.05, 1, n)
    angle = 1.25 * 2 * np.pi * r + y * 2 * np.pi / classes
    return np.column_stack([r * np.sin(angle), r * np.cos(angle)]), y


def blobs(rng, n, noise, classes=2):
    y = np.arange(n) % classes
    centres = 0.6 * np.column_stack(
        [
            np.cos(2 * np.pi * np.arange(classes) / classes + np.pi / 4),
            np.sin(2 * np.pi * np.arange(classes) / classes + np.pi / 4),
        ]
    )
    return centres[y] + rng.normal(0, 0.18, (n, 2)), y


SETS = {
    "xor": xor,
    "circles": circles,
    "moons": moons,
    "spiral": spiral,
    "blobs": blobs,
}
#: the sets that take a number of classes
MULTICLASS = ("spiral", "blobs")


def make(name, n=300, noise=0.1, train_fraction=0.5, seed=0, classes=2):
    """(X_train, y_train, X_test, y_test): the set, jittered, split at random."""
    rng = np.random.default_rng(seed)
    X, y = SETS[name](rng, n, noise, classes if name in MULTICLASS else 2)
    X = X + rng.normal(0, noise * 0.5, X.shape)
    order = rng.permutation(n)
    cut = round(n * train_fraction)
    train, test = order[:cut], order[cut:]
    return X[train], y[train], X[test], y[test]
