"""``python -m bpnn``: the same as the ``bpnn`` command."""

import sys

from .cli import console

sys.exit(console())
