"""The module paths of bpnn 0.1, kept working for one release.

``import bpnn.io`` (or ``bpnn.reference``, ``bpnn.checkpoint``, ...) still
works: it imports the module's new home and warns once with a
DeprecationWarning naming it. CHANGELOG.md lists every move.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import warnings

#: old module (under bpnn.) -> its new home
MOVED = {
    "activations": "engine.activations",
    "losses": "engine.losses",
    "layers": "engine.layers",
    "network": "engine.network",
    "optimizers": "engine.optimizers",
    "checks": "engine.checks",
    "parallel": "fast.parallel",
    "batches": "fast.rows",
    "training": "train.loop",
    "evaluation": "train.evaluation",
    "divergence": "train.divergence",
    "history": "train.history",
    "run_state": "train.state",
    "signals": "train.signals",
    "checkpoint": "train.checkpoint",
    "archive": "files.archive",
    "io": "files.model",
    "tracing": "explain.tracing",
    "trace_record": "explain.record",
    "trace_text": "explain.text",
    "reference": "explain.reference",
    "exercises": "explain.exercises",
    "csv_input": "data.csv_input",
    "columns": "data.columns",
    "preparation": "data.preparation",
    "app": "apps.pipeline",
    "run": "apps.run",
    "presets": "apps.presets",
    "outputs": "apps.outputs",
    "resume": "apps.resume",
    "metrics": "apps.metrics",
    "plots": "apps.plots",
    "bench": "apps.bench",
    "commands": "cli.commands",
}


class _Loader:
    """Puts the module at its new path in the old name's place: importlib then
    hands that module out, untouched (its own name and spec stay). The
    protocol is duck-typed: importing ``importlib.abc`` would cost every
    command 20 ms."""

    def __init__(self, new):
        self.new = new

    def create_module(self, spec):
        return None  # importlib's default module

    def exec_module(self, module):
        sys.modules[module.__name__] = importlib.import_module(self.new)


class _OldPaths:
    """Finds ``bpnn.<old>`` and hands out the module at its new path."""

    def find_spec(self, fullname, path=None, target=None):
        if not fullname.startswith("bpnn."):
            return None
        old = fullname[len("bpnn.") :]
        new = MOVED.get(old)
        if new is None:
            return None
        warnings.warn(
            f"bpnn.{old} moved to bpnn.{new}; the old path goes in bpnn 0.3",
            DeprecationWarning,
            stacklevel=2,
        )
        return importlib.util.spec_from_loader(fullname, _Loader(f"bpnn.{new}"))


def install():
    if not any(isinstance(f, _OldPaths) for f in sys.meta_path):
        # first, so a stale folder of an old install cannot shadow the move
        sys.meta_path.insert(0, _OldPaths())
