"""Graduate admissions: the lecture's settings against a search for settings
that train, test accuracy over 10 seeds (initial weights and record order).

The lecture's loop (``sampling="per_record"``, weight steps summed over the
records and applied once per epoch with lr/n) makes exactly the updates of
full-batch gradient descent on the mean loss, so the candidates use the fast
full-batch form. Results go to stdout as markdown.

    python benchmarks/admissions.py      # about 3 minutes on one core
"""

from __future__ import annotations

from common import over_seeds, spread

from bpnn.apps.presets import preset
from bpnn.data.datasets import load_admissions

LECTURE = preset("admissions", "lecture")
BEST = preset("admissions", "best")
FULL = {"sampling": "shuffle", "eval_every": 10}
TANH_ADAM = {
    "hidden": [4],
    "activation": "tanh",
    "bias": True,
    "loss": "bce",
    "optimizer": "adam",
    "lr": 0.01,
    **FULL,
}
CANDIDATES = {
    "lecture preset: 6-2-1 sigmoid, no bias, half MSE, lr 0.005, 900 epochs, "
    "per record, stop when the loss rises": LECTURE,
    "lecture, lr 0.5": LECTURE.updated(lr=0.5, **FULL),
    "lecture + biases, BCE, adam 0.01, 300 epochs": LECTURE.updated(
        bias=True, loss="bce", optimizer="adam", lr=0.01, epochs=300, **FULL
    ),
    "6-4-1 tanh + biases, BCE, adam 0.01, 100 epochs": LECTURE.updated(
        epochs=100, **TANH_ADAM
    ),
    "6-4-1 tanh + biases, BCE, adam 0.01, 300 epochs": LECTURE.updated(
        epochs=300, **TANH_ADAM
    ),
    "6-8-1 relu + biases, BCE, adam 0.01, 200 epochs": LECTURE.updated(
        hidden=[8],
        activation="relu",
        init="he",
        bias=True,
        loss="bce",
        optimizer="adam",
        lr=0.01,
        epochs=200,
        **FULL,
    ),
    "best preset: 6-2-1 sigmoid + biases, BCE, full-batch sgd lr 1, 900 epochs": BEST,
}


def main():
    data = load_admissions()
    print(
        "| configuration | test accuracy | train accuracy | runs at or below "
        "the majority class | wall s / run |"
    )
    print("|---|---|---|---|---|")
    for name, config in CANDIDATES.items():
        results = over_seeds(data, config, range(10))
        test = [m["test_accuracy"] for m, _, _ in results]
        train = [m["train_accuracy"] for m, _, _ in results]
        poor = sum(
            m["test_accuracy"] <= m["test_majority_accuracy"] for m, _, _ in results
        )
        wall = [w for _, w, _ in results]
        print(
            f"| {name} | {spread(test, 3)} | {spread(train, 3)} | {poor}/10 | "
            f"{spread(wall, 2)} |",
            flush=True,
        )
    m = results[0][0]
    print(
        f"\nmajority class on the test set: {m['test_majority_accuracy']:.3f}; "
        "seeds 0-9; test set 40 records (one record = 0.025)"
    )


if __name__ == "__main__":
    main()
