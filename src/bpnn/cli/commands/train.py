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
  bpnn train csv 'data/part-*.csv' --target price --dask local:2
                                           the same, on a Dask cluster
  bpnn train csv sales.csv --target sold --impute median --drop notes
                                           a real export: format and kinds detected
  bpnn train bike --resume runs/bike-20260101-120000   continue after Ctrl-C
"""

DATASETS = {
    "admissions": "graduate admissions (GRE): admitted or not, from gre, gpa, rank",
    "bike": "hourly bike-sharing rentals: cnt from weather and calendar",
    "csv": "any CSV file: predict --target from the other columns",
}


def add_options(group, declaration, exclusive=None):
    """One argparse option per field of ``declaration`` that is an option
    (``apps.config.option``): the declaration is the single source."""
    from ...apps.options import options_of

    exclusive = {} if exclusive is None else exclusive
    for name, spec in options_of(declaration).items():
        kwargs = {"help": spec["help"]}
        if "parse" in spec:
            kwargs["type"] = _argparse_type(spec["parse"])
        if "choices" in spec:
            kwargs["choices"] = spec["choices"]()
        if "metavar" in spec:
            kwargs["metavar"] = spec["metavar"]
        if spec.get("flag") is True:
            kwargs.update(action=argparse.BooleanOptionalAction, default=None)
        elif spec.get("flag") == "store":
            kwargs["action"] = "store_true"
            kwargs["default"] = None
        if spec.get("positional"):
            group.add_argument(name, **kwargs)
            continue
        if spec.get("required"):
            kwargs["required"] = True
        where = group
        if "exclusive" in spec:
            key = spec["exclusive"]
            if key not in exclusive:
                exclusive[key] = group.add_mutually_exclusive_group()
            where = exclusive[key]
        where.add_argument("--" + name.replace("_", "-"), **kwargs)


def _argparse_type(parse):
    """``parse``, with its ValueError shown by argparse as the message."""

    def convert(text):
        try:
            return parse(text)
        except ValueError as err:
            raise argparse.ArgumentTypeError(str(err)) from None

    convert.__name__ = getattr(parse, "__name__", "value")
    return convert


def _hyperparameters():
    from ...apps.config import RunConfig

    p = argparse.ArgumentParser(add_help=False)
    g = p.add_argument_group("network and training (default: the preset's)")
    g.add_argument(
        "--preset",
        help="starting hyper-parameters: lecture (default) "
        "or best for admissions and bike",
    )
    add_options(g, RunConfig)
    o = p.add_argument_group("output")
    o.add_argument(
        "--out",
        metavar="DIR",
        help="folder for the run's files (default: a new folder under runs/)",
    )
    o.add_argument("--quiet", action="store_true", help="no progress bar")
    o.add_argument(
        "--no-plots",
        action="store_true",
        help="write no loss.png or predictions.png: matplotlib is not loaded, "
        "which is most of a small run's time",
    )
    o.add_argument(
        "--lang",
        choices=["en", "zh"],
        default="en",
        help="the summary's language: en, or zh for the lecture's Chinese terms",
    )
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
            from ...apps.config import CsvOptions

            group = d.add_argument_group("the CSV")
            add_options(group, CsvOptions)
            group.add_argument(
                "--dask",
                metavar="ADDRESS",
                help="train on a Dask cluster, PATH then a file or a pattern such "
                "as 'data/part-*.csv': local:N starts N workers here, "
                "tcp://HOST:8786 joins a running scheduler (pip install "
                "'bpnn[dask]')",
            )
        d.set_defaults(run=run)


def run(args):
    if getattr(args, "dask", None):  # the same run, with the data on Dask
        from ...apps.dask_run import train_and_report
    else:
        from ...apps.pipeline import train_and_report

    return train_and_report(args, stream=sys.stdout)
