"""The JSON fields of a checkpoint, checked before any is used.

An edited or damaged checkpoint must fail as one ``ModelFileError`` that
names the file and the field (``field 'step' must be a count >= 0, got -3``),
never as a ``TypeError`` deep in the restore. The arrays are checked where they
are read (``files.archive.read_array``); this checks everything else.
"""

from __future__ import annotations

from ..errors import ModelFileError
from .history import History
from .signals import STOP_SIGNALS


class Fields:
    """Typed reads of a JSON object's fields, named in errors with ``prefix``."""

    def __init__(self, config, path, prefix=""):
        self.config, self.path, self.prefix = config, path, prefix

    def fail(self, name, problem):
        raise ModelFileError(f"{self.path}: field '{self.prefix}{name}' {problem}")

    def get(self, name, kind, none=False):
        if name not in self.config:
            self.fail(name, "is missing")
        value = self.config[name]
        if value is None and none:
            return None
        wrong = isinstance(value, bool) and kind is not bool
        if wrong or not isinstance(value, kind):
            what = getattr(kind, "__name__", None) or " or ".join(
                k.__name__ for k in kind
            )
            self.fail(name, f"must be {what}, got {str(value)[:40]!r}")
        return value

    def count(self, name):
        value = self.get(name, int)
        if not 0 <= value < 2**63:
            self.fail(name, f"must be a count >= 0, got {value}")
        return value


def check_fields(config, path):
    """Every top-level field ``_restore`` reads, of its type and range."""
    top = Fields(config, path)
    top.get("network", dict)
    top.get("optimizer", dict)
    if config.get("format_version", 1) >= 3:  # slots: name -> arrays held
        slots = top.get("optimizer_slots", dict)
        for name in slots:
            Fields(slots, path, "optimizer_slots.").count(name)
    else:
        for key in top.get("optimizer_arrays", list):
            if not isinstance(key, str) or not key.rstrip("0123456789").isalpha():
                top.fail("optimizer_arrays", f"holds {str(key)[:40]!r}, no array name")
    settings = top.get("settings", dict)
    if "n" in settings:
        Fields(settings, path, "settings.").count("n")
    top.count("done")
    top.count("step")
    signal = top.get("signal", int, none=True)
    if signal not in (None, *STOP_SIGNALS):
        top.fail("signal", f"is {signal}, no stop signal")
    top.get("finished", bool)
    top.get("extra", dict, none=True)
    if settings:  # a started run has its random stream and its history
        top.get("rng", dict)
        check_history(top.get("history", dict), path)
    if config.get("format_version", 1) >= 2:
        parts = top.get("parts", dict)
        for name, keys in top.get("part_arrays", dict).items():
            if not isinstance(keys, list) or not all(isinstance(k, str) for k in keys):
                top.fail(f"part_arrays.{name}", "must be a list of array names")
            if not isinstance(parts.get(name), dict):
                top.fail(f"parts.{name}", "must be an object")


def check_history(saved, path):
    """The lists of a History of one length and of numbers, its other fields
    of their types."""
    field = Fields(saved, path, "history.")
    names = ("step", "epoch", "train_loss", "val_loss")
    lists = [field.get(name, list) for name in names]
    if len({len(v) for v in lists}) != 1:
        field.fail("step", "and the other lists of the history differ in length")
    for name, values in zip(names, lists):
        for v in values:
            if v is None and name == "val_loss":
                continue
            if isinstance(v, bool) or not isinstance(v, (int, float)):
                field.fail(name, f"holds {str(v)[:40]!r}, not a number")
    field.get("stop_reason", str)
    field.get("message", str)
    best = field.get("best_index", int, none=True)
    if best is not None and not 0 <= best < len(lists[0]):
        field.fail("best_index", "is out of range")
    for name in set(saved) - set(names):
        if name not in History.__dataclass_fields__:
            field.fail(name, "is not a field of a history")
        if name in ("train_rows", "val_rows"):
            field.get(name, int, none=True)
