"""Reading a CSV file into a DataFrame: pandas reads, bpnn explains.

The format is detected from the first megabyte (``bpnn.data.sniff``) unless
given. pandas' C reader then reads the file straight from disk; only when it
reports a problem, or leaves a last cell empty (a short row looks like that),
is the file read again row by row to name the line at fault. A clean file is
therefore read once, at pandas' speed, and never held twice in memory.
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
import warnings
from pathlib import Path

from ..engine.resources import check_regular_file
from ..errors import InputError
from . import sniff
from .lines import line_starts

EMPTY = "the file is empty (expected a header line and rows)"


def read_csv(
    path,
    sep=None,
    encoding=None,
    decimal=None,
    thousands=None,
    text_columns=(),
    check_header=None,
):
    """The CSV at ``path`` as a DataFrame of its data rows, index = line - 2.

    ``check_header(names, fmt)`` is called with the header line's names before
    the rows are read: a misspelt column fails at once, not after a big file.

    The ``CsvFormat`` used is kept in ``frame.attrs["csv_format"]``. Columns
    left entirely empty (a trailing separator on every line, as spreadsheets
    write) are dropped and named in ``frame.attrs["empty_columns"]``.
    ``text_columns`` are read as text, as written ('02134' keeps its zero).
    """
    import pandas as pd

    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such file")
    check_regular_file(path, "CSV file")  # a FIFO would hang, /dev/zero never end
    with open(path, "rb") as f:
        raw = f.read(sniff.SAMPLE_BYTES)
    complete = path.stat().st_size <= len(raw)
    if not _without_bom(raw).strip():
        raise InputError(f"{path}: {EMPTY}")
    fmt, text = sniff.detect(raw, path, complete, sep, encoding, decimal, thousands)
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise InputError(f"{path}: line {line} holds a NUL byte: not a text CSV file")
    if not text.strip():
        raise InputError(f"{path}: {EMPTY}")
    header = _check_header(text, path, fmt.sep)
    if check_header is not None:
        check_header(header, fmt)
    text_columns = [c for c in text_columns if c in header]
    try:
        with warnings.catch_warnings(), _one_thread(pd):
            # pandas drops the fields past the header's with only a warning
            warnings.simplefilter("error", pd.errors.ParserWarning)
            frame = pd.read_csv(
                path,
                encoding=fmt.encoding,
                sep=fmt.sep,
                decimal=fmt.decimal,
                thousands=fmt.thousands,
                skip_blank_lines=False,
                index_col=False,
                dtype={c: str for c in text_columns} or None,
            )
    except (pd.errors.ParserError, pd.errors.ParserWarning, UnicodeDecodeError) as err:
        explain(path, fmt)  # raises, naming the line at fault
        raise InputError(f"{path}: {parser_message(str(err), len(header))}") from None
    except pd.errors.EmptyDataError:
        raise InputError(f"{path}: {EMPTY}") from None
    # the table of holes is made only where a column has one
    empty = []
    if any(frame[c].hasnans for c in frame.columns):
        holes = frame.isna().to_numpy()
        # a short row leaves its last cells empty (pandas fills from the
        # left): only then is the file read again row by row to name it
        if holes[:, -1].any():
            explain(path, fmt)
        blank = holes.all(axis=1)
        if len(header) > 1 and blank.any():
            frame = frame[~blank]
        empty = [c for c, e in zip(frame.columns, holes.all(axis=0)) if e]
    if frame.empty:
        raise InputError(f"{path}: has a header line but no data rows")
    if empty and len(empty) < frame.shape[1]:
        frame = frame.drop(columns=empty)
    else:
        empty = []
    _give_back_freed_memory()
    frame.attrs["csv_format"] = fmt
    frame.attrs["empty_columns"] = [str(c) for c in empty]
    frame.attrs["line_starts"] = line_starts(frame)
    return frame


def _one_thread(pd):
    """pandas' serial reader: its parallel one holds every chunk and their
    concatenation at once, a third more memory at the peak (650 against 453
    MiB for a 191 MiB file), and on a machine of few cores no faster."""
    try:
        pd.get_option("mode.max_threads")
    except (KeyError, ValueError):  # a pandas without parallel reading
        return contextlib.nullcontext()
    return pd.option_context("mode.max_threads", 1)


def _give_back_freed_memory():
    """Return the parser's freed buffers to the system (glibc keeps them in
    its heap, where the large arrays made next cannot reuse them): the peak
    of reading and then preparing a big file drops by the parser's share."""
    import ctypes
    import sys

    if not sys.platform.startswith("linux"):
        return
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        pass


def _without_bom(raw):
    for bom, _ in sniff._BOMS:
        if raw.startswith(bom):
            return raw[len(bom) :].replace(b"\x00", b"")
    return raw


def _check_header(text, path, sep):
    """The header's names, each once."""
    try:
        header = next(csv.reader(io.StringIO(text), delimiter=sep))
    except (csv.Error, StopIteration) as err:
        raise InputError(f"{path}: line 1: {err}") from None
    seen = set()
    for name in header:
        if name in seen:
            raise InputError(f"{path}: column {name!r} appears twice in the header")
        seen.add(name)
    return header


def explain(path, fmt):
    """Read the whole file row by row; raise on the first row whose field
    count differs from the header's (or a quote never closed)."""
    raw = Path(path).read_bytes()
    text, _ = sniff.decode_sample(raw, path, True, fmt.encoding)
    reader = csv.reader(io.StringIO(text), delimiter=fmt.sep)
    try:
        header = next(reader)
        start = reader.line_num + 1
        for row in reader:
            if row and len(row) != len(header):
                if reader.line_num > start and next(reader, None) is None:
                    raise InputError(
                        f"{path}: a quote opened on line {start} is never closed"
                    )
                raise InputError(
                    f"{path}: line {start} has {len(row)} field(s), but the header "
                    f"has {len(header)}: check the separators and quotes on that "
                    f"line{separator_hint(header, fmt.sep)}"
                )
            start = reader.line_num + 1
    except csv.Error as err:
        raise InputError(f"{path}: line {reader.line_num}: {err}") from None


def separator_hint(header, sep):
    """'; the separator looks like ';': pass --sep ';'' for a header that
    the separator leaves whole but another splits."""
    if len(header) != 1:
        return ""
    for other in sniff.SEPARATORS:
        if other != sep and other in header[0]:
            shown = "'\\t'" if other == "\t" else repr(other)
            return f"; the separator looks like {shown}: pass --sep {shown}"
    return ""


def parser_message(message, n_fields):
    match = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", message)
    if match:
        return (
            f"line {match[2]} has {match[3]} fields, but the header has "
            f"{n_fields}: check the quoting and separators on that line"
        )
    match = re.search(r"EOF inside string starting at row (\d+)", message)
    if match:
        return f"a quote opened on line {int(match[1]) + 1} is never closed"
    return f"not a readable CSV ({message.strip()})"
