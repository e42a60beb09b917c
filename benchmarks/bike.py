"""Bike sharing: the course's network against a documented search for a better one.

Every candidate trains with ``bpnn.run.train`` exactly as ``bpnn train bike``
does (random batches of 128 from the training rows), and is judged on the
validation MSE (standardised cnt); the test split is reported, never used to
choose. Stage 1 runs every candidate over 2 seeds; stage 2 runs the lecture
preset and the best candidate over 5 seeds. Results go to stdout as markdown.

    python benchmarks/bike.py            # stage 1 and 2 (about 10 minutes, 1 core)
    python benchmarks/bike.py --final    # stage 2 only: lecture vs best presets
"""

from __future__ import annotations

import sys

from common import median, over_seeds, spread

from bpnn.datasets import load_bike_sharing
from bpnn.presets import preset

LECTURE = preset("bike", "lecture")
BEST = preset("bike", "best")
ADAM = {
    "optimizer": "adam",
    "bias": True,
    "init": "he",
    "activation": "relu",
    "loss": "mse",
}
CANDIDATES = {
    "lecture (56-20-1 sigmoid, sgd 0.5, 5k steps)": LECTURE,
    "lecture, 15k steps": LECTURE.updated(steps=15000),
    "lecture + biases, momentum 0.9, lr 0.05, 15k": LECTURE.updated(
        bias=True, momentum=0.9, lr=0.05, steps=15000
    ),
    "56-20-1 sigmoid+bias, adam 0.005, 15k": LECTURE.updated(
        bias=True, optimizer="adam", lr=0.005, steps=15000
    ),
    "56-64-1 relu, adam 0.002, 15k": LECTURE.updated(
        hidden=[64], lr=0.002, steps=15000, **ADAM
    ),
    "56-64-32-1 relu, adam 0.002, 20k": LECTURE.updated(
        hidden=[64, 32], lr=0.002, steps=20000, eval_every=250, **ADAM
    ),
    "56-64-32-1 relu, adam 0.002 x0.97/250 steps, 20k, patience 20 (best)": BEST,
    "56-128-64-1 relu, adam 0.002 x0.97/250 steps, 20k, patience 20": BEST.updated(
        hidden=[128, 64]
    ),
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
        ]
    )


if __name__ == "__main__":
    main(sys.argv[1:])
