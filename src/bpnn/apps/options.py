"""How a setting becomes a command-line option, and the parsers of option text.

``option(...)`` declares a dataclass field together with its option's help and
parser (``apps.config`` uses it for every run setting); ``options_of`` reads
the declarations back, for the command line and the resume checks. A parser
takes the text the user typed and raises ``InputError`` (a ValueError) with a
message that argparse shows as it is.
"""

from __future__ import annotations

from dataclasses import MISSING, field, fields

from ..errors import InputError


def option(default=MISSING, help="", *, factory=MISSING, **cli):
    """A field the user sets with ``--name``. ``cli`` holds what the option
    needs beyond its help: ``parse`` (text -> value, raising ValueError),
    ``choices`` (a function, called when the parser is built), ``metavar``,
    ``flag`` (True: ``--name/--no-name``), ``exclusive`` (a group name),
    ``positional`` and ``required``."""
    meta = {"option": {"help": help, **cli}}
    if factory is not MISSING:
        return field(default_factory=factory, metadata=meta)
    return field(default=default, metadata=meta)


def options_of(cls) -> dict:
    """{field name: its option's description} of a declaration class."""
    return {f.name: f.metadata["option"] for f in fields(cls) if "option" in f.metadata}


def parse_sizes(text) -> list:
    """'20' or '32,16' -> [20] or [32, 16]; 'none' -> no hidden layer."""
    if text.strip().lower() in ("none", "0", ""):
        return []
    try:
        sizes = [int(part) for part in text.split(",")]
    except ValueError:
        raise InputError(f"expected sizes like 20 or 32,16, got {text!r}") from None
    if any(s < 1 for s in sizes):
        raise InputError(f"hidden sizes must be >= 1, got {text!r}")
    return sizes


def parse_records(text) -> int:
    """A count of records: an int >= 0."""
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise InputError(
            f"expected a number of records >= 0 (0: every record), got {text!r}"
        )
    return value


def parse_names(text) -> list:
    """'a, b' -> ['a', 'b']: column names."""
    return [part.strip() for part in text.split(",") if part.strip()]


def parse_split(text) -> list:
    """'0.7,0.15,0.15' -> [0.7, 0.15, 0.15] (see ``bpnn.data.splits``)."""
    from ..data.splits import parse_split as fractions

    return list(fractions(text))


def parse_sep(text) -> str:
    """One character; 'tab' or '\\t' for a tab."""
    text = {"tab": "\t", "\\t": "\t", "semicolon": ";", "comma": ",", "pipe": "|"}.get(
        text, text
    )
    if len(text) != 1:
        raise InputError(f"a separator is one character (or 'tab'), got {text!r}")
    return text


def parse_thousands(text) -> str:
    """'.', ',', ' ' or "'" ; 'none' for no thousands separator ('')."""
    if text.lower() == "none":
        return ""
    if text not in (".", ",", " ", "'"):
        raise InputError(f"a thousands separator is . , ' or a space, got {text!r}")
    return text
