"""``bpnn predict``: a trained model's predictions for new rows, in real units."""

from __future__ import annotations

import argparse

HELP_EXAMPLE = """examples:
  bpnn predict --model runs/bike-best --csv new_hours.csv --out predictions.csv
  bpnn predict --model runs/my-run/model.npz --csv rows.csv      (to stdout)
"""


def add_parser(sub):
    p = sub.add_parser(
        "predict",
        help="predict new rows of a CSV with a model from bpnn train",
        description="Prepare the rows of a CSV as the model's training data was "
        "prepared (saved inside the model), predict, and write the rows with "
        "their predictions in real units.",
        epilog=HELP_EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "--model",
        required=True,
        metavar="DIR",
        help="a run folder (holding model.npz) or a model file",
    )
    p.add_argument("--csv", required=True, metavar="FILE", help="rows to predict")
    p.add_argument("--out", metavar="FILE", help="output CSV (default: stdout)")
    p.set_defaults(run=run)


def run(args):
    from ...apps.pipeline import predict_csv

    return predict_csv(args.model, args.csv, args.out)
