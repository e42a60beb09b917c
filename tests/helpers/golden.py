"""Weights after short training runs of the bike and deep networks.

``tests/fast/golden_weights.npz`` holds what bpnn gave for these runs before
the engine's speed machinery moved into ``fast/``; tests/fast/
test_golden_weights.py trains again and asks for the same bits. Regenerate only
on purpose, from the repository root:

    OPENBLAS_NUM_THREADS=1 PYTHONPATH=src python tests/helpers/golden.py OUT.npz
"""

import sys

import numpy as np

import bpnn

NETWORKS = {"bike": [56, 20, 1], "deep": [56, 128, 64, 1]}
DTYPES = ("float64", "float32")
OPTIMIZERS = ("sgd", "momentum", "adam")


def make_optimizer(name):
    return {
        "sgd": lambda: bpnn.SGD(0.05),
        "momentum": lambda: bpnn.SGD(0.05, momentum=0.9),
        "adam": lambda: bpnn.Adam(0.003),
    }[name]()


def train(sizes, dtype, optimizer):
    """One run: 150 random batches of 128 from 2000 synthetic records."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(2000, sizes[0])).astype(dtype)
    y = np.tanh(X[:, :4].sum(axis=1, keepdims=True)).astype(dtype)
    acts = ["sigmoid"] * (len(sizes) - 2) + ["identity"]
    net = bpnn.Network.from_sizes(sizes, acts, seed=0, dtype=dtype)
    history = net.fit(
        X,
        y,
        optimizer=make_optimizer(optimizer),
        steps=150,
        batch_size=128,
        sampling="random",
        seed=3,
        validation_data=(X[:300], y[:300]),
        eval_every=50,
    )
    return net, history


def runs():
    """(name, sizes, dtype, optimizer) of every run, the npz key prefix first."""
    for name, sizes in NETWORKS.items():
        for dtype in DTYPES:
            for opt in OPTIMIZERS:
                yield f"{name}_{dtype}_{opt}", sizes, dtype, opt


def main(path):
    out = {}
    for key, sizes, dtype, opt in runs():
        net, history = train(sizes, dtype, opt)
        for i, p in enumerate(net.params()):
            out[f"{key}_p{i}"] = p
        out[f"{key}_val_loss"] = np.array(history.val_loss)
    np.savez_compressed(path, **out)
    print(len(out), "arrays written to", path)


if __name__ == "__main__":
    main(sys.argv[1])
