"""The ``bpnn`` command: argparse and exit codes; one module per sub-command."""

from .entry import COMMANDS, build_parser, console, main

__all__ = ["COMMANDS", "build_parser", "console", "main"]
