"""The ``bpnn`` command: a thin layer that parses arguments and calls the API.

Each sub-command lives in ``bpnn.cli.commands.<name>`` with ``add_parser`` and
``run``; those modules import only argparse at the top, so ``bpnn --help``
starts fast and heavy libraries load only for the command that needs them.
bpnn's own errors (``bpnn.errors``) and OS errors (a missing file, a full
disk) print one line ``bpnn: error: ...`` and exit 2; any other exception is
a bug and keeps its traceback (exit 1).
"""

from __future__ import annotations

import argparse
import gc
import importlib
import signal
import sys
import threading

from ..errors import BpnnError

#: sub-command modules under bpnn.cli.commands, in the order --help lists them
COMMANDS = [
    "exercise",
    "explain",
    "quiz",
    "shapes",
    "train",
    "predict",
    "export",
    "bench",
    "playground",
]

EPILOG = """examples:
  bpnn exercise              the lecture's worked backprop exercise, step by step
  bpnn exercise linear       the linear neuron: the chain rule line by line
  bpnn explain --layers 2,2,1 --x 0.1,0.3 --y 1
                             any network's training step, every number shown
  bpnn quiz --seed 7         a new exercise of the lecture's kind (--answers, --check)
  bpnn shapes 3,4,2,1 --batch 2
                             the shapes of a forward and backward pass
  bpnn train admissions      the lecture's GRE network: data, training, verdict
  bpnn train bike            the lecture's bike-sharing network, with plots
  bpnn train csv data.csv --target y     any CSV, regression or classification
  bpnn predict --model runs/RUN --csv new.csv     predictions in real units
  bpnn export runs/RUN --onnx model.onnx --with-preparation
                             the model as ONNX, taking the raw columns
  bpnn bench --out b.json    training speed against PyTorch and scikit-learn
  bpnn playground --open     step through and train networks in the browser
"""


class Terminated(BaseException):
    """SIGTERM outside training (which finishes its step first): exit 143."""


def _terminate(signum, frame):
    raise Terminated


class _Parser(argparse.ArgumentParser):
    """argparse, with a mistake on the command line reported in one line."""

    def error(self, message):
        if "expected one argument" in message:
            message += " (a value that starts with '-' is written --option=-value)"
        self.exit(2, f"bpnn: error: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="bpnn",
        description="Backpropagation neural networks you can read, trace and trust.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    from .._version import __version__

    parser.add_argument("--version", action="version", version=f"bpnn {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        module = importlib.import_module(f"bpnn.cli.commands.{name}")
        module.add_parser(sub)
    return parser


def main(argv=None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help()
        return 2
    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        return args.run(args) or 0
    except Terminated:
        print("bpnn: terminated", file=sys.stderr)
        return 128 + signal.SIGTERM
    except BpnnError as err:  # the user's input; anything else is a bug
        print(f"bpnn: error: {err}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # the reader went away (| head): nothing to say
        return 0
    except OSError as err:  # a folder that cannot be written, a full disk, ...
        where = f"{err.filename}: " if err.filename else ""
        print(f"bpnn: error: {where}{err.strerror or err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("bpnn: interrupted", file=sys.stderr)
        return 130
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def console(argv=None) -> int:
    """The ``bpnn`` command itself: ``main``, and then the process ends. What
    it made is frozen out of the interpreter's last garbage collections,
    which would walk every object of pandas and matplotlib (a tenth of a
    small run's time) for memory that goes back with the process anyway."""
    status = main(argv)
    gc.freeze()
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(console())
