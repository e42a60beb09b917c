"""``bpnn train``: the lecture's two applications, or any CSV, end to end."""

from __future__ import annotations

import argparse
import sys

HELP_EXAMPLE = """examples:
  bpnn train admissions                    the lecture's GRE network (900 epochs)
  bpnn train admissions --preset best      a network that trains properly
  bpnn train bike                          the lecture's bike network
  bpnn train bike --preset best --out runs/bike-best
  bpnn train bike --hidden 32,16 --optimizer adam --lr 0.003 --steps 10000
  bpnn train csv data.csv --target price   any CSV: regression or classification
  bpnn train bike --resume runs/bike-20260101-120000   continue after Ctrl-C
"""

DATASETS = {
    "admissions": "graduate admissions (GRE): admitted or not, from gre, gpa, rank",
    "bike": "hourly bike-sharing rentals: cnt from weather and calendar",
    "csv": "any CSV file: predict --target from the other columns",
}


def _sizes(text):
    """'20' or '32,16' -> [20] or [32, 16]; 'none' -> no hidden layer."""
    if text.strip().lower() in ("none", "0", ""):
        return []
    try:
        sizes = [int(part) for part in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected sizes like 20 or 32,16, got {text!r}"
        ) from None
    if any(s < 1 for s in sizes):
        raise argparse.ArgumentTypeError(f"hidden sizes must be >= 1, got {text!r}")
    return sizes


def _records(text):
    """A count of records: an int >= 0."""
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(
            f"expected a number of records >= 0 (0: every record), got {text!r}"
        )
    return value


def _hyperparameters():
    from ...engine.activations import ACTIVATIONS
    from ...engine.layers import INITS
    from ...engine.losses import LOSSES
    from ...train.loop import SAMPLINGS, TRAIN_SAMPLE

    p = argparse.ArgumentParser(add_help=False)
    g = p.add_argument_group("network and training (default: the preset's)")
    g.add_argument(
        "--preset",
        help="starting hyper-parameters: lecture (default) "
        "or best for admissions and bike",
    )
    g.add_argument(
        "--hidden",
        type=_sizes,
        metavar="N[,N...]",
        help="hidden layer sizes, e.g. 20 or 32,16 ('none': no hidden layer)",
    )
    g.add_argument(
        "--activation",
        choices=sorted(set(ACTIVATIONS) - {"softmax"}),
        help="activation of the hidden layers",
    )
    g.add_argument("--loss", choices=sorted(LOSSES))
    g.add_argument(
        "--bias",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="give every node a bias",
    )
    g.add_argument("--init", choices=sorted(INITS), help="initial weights")
    g.add_argument("--optimizer", choices=["sgd", "adam"])
    g.add_argument("--lr", type=float, help="learning rate")
    g.add_argument("--momentum", type=float, help="momentum of sgd")
    g.add_argument(
        "--lr-decay",
        type=float,
        metavar="F",
        help="multiply the learning rate by F at each evaluation",
    )
    g.add_argument(
        "--sampling",
        choices=SAMPLINGS,
        help="how records reach each update (see bpnn.training)",
    )
    g.add_argument("--batch-size", type=int)
    length = g.add_mutually_exclusive_group()
    length.add_argument("--epochs", type=int, help="passes over the training rows")
    length.add_argument("--steps", type=int, help="weight updates")
    g.add_argument("--seed", type=int, help="initial weights and record order")
    g.add_argument(
        "--eval-every",
        type=int,
        metavar="N",
        help="record the losses every N epochs (or steps)",
    )
    g.add_argument(
        "--patience",
        type=int,
        help="stop once the loss has not improved for N evaluations after "
        "the best (0: at the first that does not improve, the lecture's rule); "
        "the best weights are kept",
    )
    g.add_argument(
        "--train-sample",
        type=_records,
        metavar="N",
        help="measure the recorded training loss on every k-th training record, "
        f"at most N of them (default {TRAIN_SAMPLE}; 0: every record); the "
        "validation loss and the final metrics use every record",
    )
    o = p.add_argument_group("output")
    o.add_argument(
        "--out",
        metavar="DIR",
        help="folder for the run's files (default: a new folder under runs/)",
    )
    o.add_argument("--quiet", action="store_true", help="no progress bar")
    o.add_argument(
        "--resume",
        metavar="DIR",
        help="continue the interrupted run in DIR (Ctrl-C keeps it resumable)",
    )
    return p


def add_parser(sub):
    p = sub.add_parser(
        "train",
        help="train on admissions, bike sharing or a CSV; write model, metrics, plots",
        description="Train a BP network end to end: data, preparation, training "
        "with live losses, metrics, plots and a saved model.",
        epilog=HELP_EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    common = _hyperparameters()
    datasets = p.add_subparsers(dest="dataset", metavar="DATASET", required=True)
    for name, text in DATASETS.items():
        d = datasets.add_parser(
            name,
            help=text,
            description=text,
            parents=[common],
            epilog=HELP_EXAMPLE,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        if name == "csv":
            d.add_argument("path", metavar="PATH", help="the CSV file")
            d.add_argument("--target", required=True, help="the column to predict")
            d.add_argument(
                "--task",
                choices=["regression", "classification"],
                help="default: inferred from the target column",
            )
            d.add_argument(
                "--categorical",
                type=_names,
                default=[],
                metavar="COL[,COL...]",
                help="numeric columns to one-hot",
            )
            d.add_argument(
                "--drop",
                type=_names,
                default=[],
                metavar="COL[,COL...]",
                help="columns to ignore",
            )
            d.add_argument(
                "--dropna",
                action="store_true",
                help="leave out rows with missing values (default: an error)",
            )
            d.add_argument(
                "--split-seed",
                type=int,
                default=0,
                help="seed of the 70/15/15 train/validation/test split",
            )
        d.set_defaults(run=run)


def _names(text):
    return [part.strip() for part in text.split(",") if part.strip()]


def run(args):
    from ...apps.pipeline import train_and_report

    return train_and_report(args, stream=sys.stdout)
