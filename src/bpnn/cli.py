"""The ``bpnn`` command: a thin layer that parses arguments and calls the API.

Each sub-command lives in ``bpnn.commands.<name>`` with ``add_parser`` and
``run``; those modules import only argparse at the top, so ``bpnn --help``
starts fast and heavy libraries load only for the command that needs them.
A user's mistake prints one line ``bpnn: error: ...`` and exits 2.
"""

from __future__ import annotations

import argparse
import importlib
import sys

#: sub-command modules under bpnn.commands, in the order --help lists them
COMMANDS = ["exercise", "explain", "shapes", "train", "predict", "bench"]

EPILOG = """examples:
  bpnn exercise              the lecture's worked backprop exercise, step by step
  bpnn exercise linear       the linear neuron: the chain rule line by line
  bpnn explain --layers 2,2,1 --x 0.1,0.3 --y 1
                             any network's training step, every number shown
  bpnn shapes 3,4,2,1 --batch 2
                             the shapes of a forward and backward pass
  bpnn train admissions      the lecture's GRE network: data, training, verdict
  bpnn train bike            the lecture's bike-sharing network, with plots
  bpnn train csv data.csv --target y     any CSV, regression or classification
  bpnn predict --model runs/RUN --csv new.csv     predictions in real units
  bpnn bench --out b.json    training speed against PyTorch and scikit-learn
"""


class UsageError(Exception):
    """A mistake in what the user typed or gave: reported in one line, exit 2."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bpnn",
        description="Backpropagation neural networks you can read, trace and trust.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    from . import __version__

    parser.add_argument("--version", action="version", version=f"bpnn {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        module = importlib.import_module(f"bpnn.commands.{name}")
        module.add_parser(sub)
    return parser


def main(argv=None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help()
        return 2
    try:
        return args.run(args) or 0
    except (UsageError, ValueError, TypeError, FileNotFoundError) as err:
        print(f"bpnn: error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("bpnn: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
