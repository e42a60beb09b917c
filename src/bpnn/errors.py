"""Every exception bpnn raises on purpose.

The command line reports these (and OS errors such as a missing file) as one line
``bpnn: error: ...`` with exit 2; any other exception is a bug and keeps its
traceback. Input errors stay ``ValueError``/``TypeError`` too, so code that
catches those keeps working.
"""

from __future__ import annotations


class BpnnError(Exception):
    """Base of the errors that describe the user's input, not a bug in bpnn."""


class InputError(BpnnError, ValueError):
    """A value, array, file or option that bpnn cannot use as given."""


class InputTypeError(BpnnError, TypeError):
    """An argument of the wrong type (a string where a number belongs, ...)."""


class ModelFileError(InputError):
    """A model or checkpoint file that cannot be trusted: unreadable, damaged,
    inconsistent or too new."""


class UsageError(BpnnError):
    """A mistake in what the user typed on the command line."""


__all__ = ["BpnnError", "InputError", "InputTypeError", "ModelFileError", "UsageError"]
