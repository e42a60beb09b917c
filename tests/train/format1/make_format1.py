"""Write the format-1 checkpoints of this folder: run with bpnn 0.1.x's train/
on the path (PYTHONPATH=<old src> python make_format1.py). For each case, an
interrupted run's checkpoint (<case>.npz) and, in expected.npz/expected.json,
the weights and history that bpnn 0.1 reached without the interruption."""

import json
import signal
import sys
from pathlib import Path

import numpy as np

import bpnn

HERE = Path(__file__).parent
RNG = np.random.default_rng(1)
X = RNG.normal(size=(90, 4))
Y = np.tanh(X @ RNG.normal(size=4))[:, None]

# name: (dtype, optimizer, fit arguments, update at which Ctrl-C comes)
CASES = {
    "random_steps": (
        "float64",
        ("adam", 0.02),
        {"sampling": "random", "steps": 40, "batch_size": 8, "eval_every": 3},
        5,
    ),
    "shuffled_steps": (
        "float64",
        ("sgd", 0.3),
        {"sampling": "shuffle", "steps": 40, "batch_size": 16, "eval_every": 3},
        7,
    ),
    "per_record": (
        "float64",
        ("sgd", 0.3),
        {"sampling": "per_record", "epochs": 12, "eval_every": 3},
        4,
    ),
    "patience": (
        "float32",
        ("sgd", 0.3, 0.9),
        {
            "sampling": "shuffle",
            "epochs": 60,
            "batch_size": 8,
            "eval_every": 3,
            "patience": 1,
        },
        219,
    ),
    "default_schedule": (
        "float64",
        ("adam", 0.02),
        {"sampling": "random", "steps": 40, "batch_size": 8},
        9,
    ),
}


def network(dtype):
    return bpnn.Network.from_sizes([4, 6, 1], ["tanh", "identity"], seed=7, dtype=dtype)


def optimizer(name, lr, momentum=0.8):
    return bpnn.SGD(lr, momentum=momentum) if name == "sgd" else bpnn.Adam(lr)


def train(net, opt, kw, state=None):
    return net.fit(
        X[:70],
        Y[:70],
        optimizer=opt,
        validation_data=(X[70:], Y[70:]),
        seed=11,
        state=state,
        **kw,
    )


if __name__ == "__main__":
    expected, arrays = {}, {}
    for name, (dtype, opt, kw, at) in CASES.items():
        net = network(dtype)
        history = train(net, optimizer(*opt), kw)
        expected[name] = history.to_dict()
        arrays.update({f"{name}_{i}": p for i, p in enumerate(net.params())})
        net, o, state = network(dtype), optimizer(*opt), bpnn.TrainingState()
        real, calls = net.train_step, []

        def step(*args, real=real, calls=calls, at=at):
            calls.append(1)
            if len(calls) == at:
                signal.raise_signal(signal.SIGINT)
            return real(*args)

        net.train_step = step
        assert train(net, o, kw, state).stop_reason == "interrupted", name
        del net.train_step
        bpnn.save_checkpoint(HERE / f"{name}.npz", net, o, state)
    np.savez(HERE / "expected.npz", **arrays)
    (HERE / "expected.json").write_text(json.dumps(expected, indent=1) + "\n")
    print(
        "wrote", len(CASES), "checkpoints with bpnn", bpnn.__version__, file=sys.stderr
    )
