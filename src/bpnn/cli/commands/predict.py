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
    p.add_argument(
        "--unknown",
        choices=["error", "ignore"],
        help="a category unseen in training: error, or ignore (predict the row "
        "with no category; counted on stderr). Default: as trained",
    )
    p.add_argument(
        "--precision",
        type=_digits,
        default=6,
        metavar="N",
        help="significant digits of the predictions (default 6; 0: all)",
    )
    p.add_argument(
        "--lang", choices=["en", "zh"], default="en", help="language of the messages"
    )
    f = p.add_argument_group("the file's format (default: detected)")
    f.add_argument("--sep", type=_checked("parse_sep"), help="field separator")
    f.add_argument("--encoding", help="the file's encoding")
    f.add_argument("--decimal", choices=[".", ","], help="decimal mark")
    f.add_argument(
        "--thousands", type=_checked("parse_thousands"), help="thousands separator"
    )
    p.set_defaults(run=run)


def _digits(text):
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value <= 17:
        raise argparse.ArgumentTypeError(f"expected 0 to 17 digits, got {text!r}")
    return value


def _checked(name):
    def convert(text):
        from ...apps import options

        try:
            return getattr(options, name)(text)
        except ValueError as err:
            raise argparse.ArgumentTypeError(str(err)) from None

    return convert


def run(args):
    from ...apps.predict import PredictOptions, predict_csv

    options = PredictOptions(
        unknown=args.unknown,
        precision=args.precision or None,
        sep=args.sep,
        encoding=args.encoding,
        decimal=args.decimal,
        thousands=args.thousands,
        lang=args.lang,
    )
    return predict_csv(args.model, args.csv, args.out, options)
