"""Bike sharing: the course's network against a documented search for a better one.

Every candidate trains with ``bpnn.apps.run.train`` exactly as ``bpnn train bike``
does (random batches of 128 from the training rows), and is judged on the
validation MSE (standardised cnt); the test split is reported, never used to
choose. Stage 1 runs every candidate over 2 seeds; stage 2 runs the lecture
preset and the best candidate over 5 seeds. Results go to stdout as markdown.

    python benchmarks/bike.py            # stage 1 and 2 (about 10 minutes, 1 core)
    python benchmarks/bike.py --final    # stage 2 only: the lecture, best and
                                         # accurate presets
    python benchmarks/bike.py --faster   # stage 3: the search for a faster best
                                         # and for a lower error, seeds 0-2
"""

from __future__ import annotations

import sys

from common import median, over_seeds, spread

from bpnn.apps.presets import preset
from bpnn.data.datasets import load_bike_sharing

LECTURE = preset("bike", "lecture")
BEST = preset("bike", "best")
ACCURATE = preset("bike", "accurate")
#: every candidate beyond the lecture validates every 250 steps and stops after
#: 20 evaluations without improvement, keeping the best weights
STOP = {"eval_every": 250, "patience": 20}
RELU = {
    "activation": "relu",
    "init": "he",
    "bias": True,
    "loss": "mse",
    "optimizer": "adam",
    **STOP,
}
CANDIDATES = {
    "lecture preset: 56-20-1 sigmoid, no bias, sgd 0.5, b128, 5k": LECTURE,
    "lecture, 15k steps": LECTURE.updated(steps=15000, **STOP),
    "lecture + biases, sgd 0.05 momentum 0.9, 15k": LECTURE.updated(
        bias=True, momentum=0.9, lr=0.05, steps=15000, **STOP
    ),
    "56-20-1 sigmoid + biases, adam 0.005, 15k": LECTURE.updated(
        bias=True, optimizer="adam", lr=0.005, steps=15000, **STOP
    ),
    "56-64-32-1 relu, adam 0.001, b512, 10k": LECTURE.updated(
        hidden=[64, 32], lr=0.001, batch_size=512, steps=10000, **RELU
    ),
    "56-64-1 relu, adam 0.001, b256, 10k": LECTURE.updated(
        hidden=[64], lr=0.001, batch_size=256, steps=10000, **RELU
    ),
    "56-128-1 relu, adam 0.001 x0.95/250 steps, b256, 10k": LECTURE.updated(
        hidden=[128], lr=0.001, lr_decay=0.95, batch_size=256, steps=10000, **RELU
    ),
    "56-256-1 relu, adam 0.0005, b256, 15k": LECTURE.updated(
        hidden=[256], lr=0.0005, batch_size=256, steps=15000, **RELU
    ),
    "56-64-64-1 tanh, adam 0.0005 x0.98/250 steps, b256, 20k": LECTURE.updated(
        hidden=[64, 64],
        lr=0.0005,
        lr_decay=0.98,
        batch_size=256,
        steps=20000,
        **{**RELU, "activation": "tanh", "init": "xavier"},
    ),
    "first best preset: 56-128-1 relu, adam 0.0005 x0.98/250 steps, b256, 20k": (
        BEST.updated(lr=0.0005, eval_every=250, patience=21)
    ),
}
#: stage 3, from the first best preset: faster to its error, or a lower one.
#: It ran when patience P stopped after P + 1 evaluations without improvement;
#: the patience values here are today's count (P stops after P), one more.
FIRST_BEST = CANDIDATES[next(k for k in CANDIDATES if k.startswith("first best"))]
TANH = {"activation": "tanh", "eval_every": 100, "lr": 0.001, "lr_decay": 0.98}
FASTER = {
    "first best, lr 0.001 x0.95/250 steps, patience 10": FIRST_BEST.updated(
        lr=0.001, lr_decay=0.95, patience=11
    ),
    "first best, lr 0.002 x0.9/100 steps, patience 20, 10k": FIRST_BEST.updated(
        lr=0.002, lr_decay=0.9, eval_every=100, patience=21, steps=10000
    ),
    "best, lr 0.001 x0.98/100 steps, patience 25": BEST.updated(patience=26),
    "best, lr 0.001 x0.98/100 steps, patience 20": BEST.updated(patience=21),
    "best preset: lr 0.001 x0.98/100 steps, patience 15": BEST,
    "best, b512, lr 0.002 x0.97/100 steps, patience 20": BEST.updated(
        batch_size=512, lr=0.002, lr_decay=0.97, patience=21
    ),
    "best, 256 relu, b512, lr 0.0005 x0.99/100, patience 40, 30k": BEST.updated(
        hidden=[256],
        batch_size=512,
        lr=0.0005,
        lr_decay=0.99,
        patience=41,
        steps=30000,
    ),
    "best, 64-64 relu, patience 30": BEST.updated(hidden=[64, 64], patience=31),
    "best, 128 tanh (xavier), patience 30": BEST.updated(
        init="xavier", patience=31, **TANH
    ),
    "best, 256 tanh (xavier), patience 30": BEST.updated(
        hidden=[256], init="xavier", patience=31, **TANH
    ),
    "best, 512 tanh (xavier), patience 30": BEST.updated(
        hidden=[512], init="xavier", patience=31, **TANH
    ),
    "best, 128 tanh (xavier), lr 0.0005 x0.99/100, patience 40, 30k": BEST.updated(
        init="xavier",
        patience=41,
        steps=30000,
        **{**TANH, "lr": 0.0005, "lr_decay": 0.99},
    ),
    "best, 128 tanh (xavier), b512, patience 30": BEST.updated(
        init="xavier", batch_size=512, patience=31, **TANH
    ),
    "best, 256 tanh (xavier), lr 0.0007 x0.99/50, patience 60": BEST.updated(
        hidden=[256],
        init="xavier",
        patience=61,
        **{**TANH, "lr": 0.0007, "lr_decay": 0.99, "eval_every": 50},
    ),
    "best, 256 tanh (xavier), b512, lr 0.0015, patience 30": BEST.updated(
        hidden=[256],
        init="xavier",
        batch_size=512,
        patience=31,
        **{**TANH, "lr": 0.0015},
    ),
    "best, x0.995/25 steps, patience 120": BEST.updated(
        eval_every=25, lr_decay=0.995, patience=121
    ),
    "best, 128 tanh (xavier), x0.995/25 steps, patience 120": BEST.updated(
        init="xavier", patience=121, **{**TANH, "eval_every": 25, "lr_decay": 0.995}
    ),
    "best, sgd momentum 0.9, lr 0.01, patience 30": BEST.updated(
        optimizer="sgd", momentum=0.9, lr=0.01, patience=31
    ),
    "best, 32 relu, lr 0.002, patience 30": BEST.updated(
        hidden=[32], lr=0.002, patience=31
    ),
    "best, 128 sigmoid (xavier), lr 0.002, patience 30": BEST.updated(
        activation="sigmoid", init="xavier", lr=0.002, patience=31
    ),
    "accurate preset: 256 tanh (normal), patience 30": ACCURATE,
    "accurate, x0.99/50 steps, patience 60": ACCURATE.updated(
        eval_every=50, lr_decay=0.99, patience=61
    ),
    "accurate, x0.97/100 steps": ACCURATE.updated(lr_decay=0.97),
    "accurate, b512, lr 0.0015": ACCURATE.updated(batch_size=512, lr=0.0015),
    "accurate, 256-32 tanh": ACCURATE.updated(hidden=[256, 32]),
}


def table(rows):
    print(
        "| configuration | seeds | train MSE | validation MSE | test MSE | "
        "pass mark | wall s / run |"
    )
    print("|---|---|---|---|---|---|---|")
    for name, results in rows:
        col = {
            k: [m[f"{k}_mse"] for m, _, _ in results]
            for k in ("train", "validation", "test")
        }
        passed = sum(m["pass_mark"]["met"] for m, _, _ in results)
        wall = [w for _, w, _ in results]
        print(
            f"| {name} | {len(results)} | {spread(col['train'])} | "
            f"{spread(col['validation'])} | {spread(col['test'])} | "
            f"{passed}/{len(results)} | {spread(wall, 1)} |"
        )
    print()


def main(argv):
    data = load_bike_sharing()
    if "--faster" in argv:
        print("## Stage 3: faster, or lower, seeds 0-2\n")
        table([(name, over_seeds(data, c, range(3))) for name, c in FASTER.items()])
        return
    if "--final" not in argv:
        print("## Stage 1: every candidate, seeds 0-1\n")
        stage1 = [
            (name, over_seeds(data, c, range(2))) for name, c in CANDIDATES.items()
        ]
        table(stage1)
        ranked = sorted(
            stage1, key=lambda r: median([m["validation_mse"] for m, _, _ in r[1]])
        )
        print(f"lowest median validation MSE: {ranked[0][0]}\n")
    print("## Stage 2: presets over seeds 0-4 (`bpnn train bike [--preset best]`)\n")
    table(
        [
            ("lecture preset", over_seeds(data, LECTURE, range(5))),
            ("best preset", over_seeds(data, BEST, range(5))),
            ("accurate preset", over_seeds(data, ACCURATE, range(5))),
        ]
    )


if __name__ == "__main__":
    main(sys.argv[1:])
