"""How close can plain NumPy get? A bike-network step written by hand.

The same work as one bpnn step (56->20 sigmoid->1 identity, batch 128, float64,
SGD, a random batch each step) with every array preallocated and no layers,
timed in turns against the matrix-products bound, bpnn's step and the plain
vectorised step, one BLAS thread:

    python benchmarks/minimal_step.py
"""

import os
import sys

import numpy as np
from threadpoolctl import threadpool_limits

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))

from bpnn import parallel
from bpnn.bench import steps

B, LR = 128, steps.LR


def minimal_step(sizes, batch, X, y):
    rng = np.random.default_rng(1)
    W1, b1 = rng.normal(0, 56**-0.5, (56, 20)), np.zeros(20)
    W2, b2 = rng.normal(0, 20**-0.5, (20, 1)), np.zeros(1)
    xb, yb = np.empty((B, 56)), np.empty((B, 1))
    h1, a1, h2 = np.empty((B, 20)), np.empty((B, 20)), np.empty((B, 1))
    d1, d2 = np.empty((B, 20)), np.empty((B, 1))
    dW1, dW2, db1, db2 = np.empty_like(W1), np.empty_like(W2), np.empty(20), np.empty(1)
    ones, blocks, k = np.ones(B), rng.integers(0, len(X), (512, B)), [0]

    def step():
        idx = blocks[k[0] % 512]
        k[0] += 1
        X.take(idx, 0, xb, "clip")
        y.take(idx, 0, yb, "clip")
        np.add(np.matmul(xb, W1, out=h1), b1, out=h1)
        np.negative(h1, out=a1)
        np.exp(a1, out=a1)
        np.add(a1, 1, out=a1)
        np.reciprocal(a1, out=a1)
        np.add(np.matmul(a1, W2, out=h2), b2, out=h2)
        np.multiply(np.subtract(h2, yb, out=d2), 1 / B, out=d2)
        np.matmul(a1.T, d2, out=dW2)
        np.matmul(ones, d2, out=db2)
        np.matmul(d2, W2.T, out=d1)
        np.multiply(d1, a1, out=d1)
        np.multiply(d1, np.subtract(1, a1, out=h1), out=d1)  # h1 as scratch
        np.matmul(xb.T, d1, out=dW1)
        np.matmul(ones, d1, out=db1)
        for p, g in ((W1, dW1), (b1, db1), (W2, dW2), (b2, db2)):
            np.subtract(p, LR * g, out=p)

    return step


if __name__ == "__main__":
    steps.COMPETITORS["minimal"] = minimal_step
    with threadpool_limits(1):
        parallel.set_threads(1)
        for _ in range(2):
            row = steps.run_config(
                "bike",
                "float64",
                1,
                ["bound", "bpnn", "minimal", "numpy_plain"],
                0.2,
                5,
            )
            print({k: round(v) for k, v in row["us_per_step"].items()})
