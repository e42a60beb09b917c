"""What a CSV file is written in, guessed from its first megabyte.

Spreadsheets save tables in more than one way: Excel in a French or German
locale writes ``;`` between fields and a decimal comma (``13,2``), a Chinese
Excel saves in GB18030, others use tabs or ``|``, quote ``"1,065"`` with a
thousands separator, or begin with a byte order mark. ``detect`` looks at a
sample of the raw bytes and returns a ``CsvFormat`` saying all four choices;
any of them given by the user (``--sep``, ``--encoding``, ``--decimal``,
``--thousands``) is taken as it is.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import asdict, dataclass

from ..errors import InputError

#: bytes read to guess the format; a smaller file is read whole
SAMPLE_BYTES = 1 << 20
SEPARATORS = (",", ";", "\t", "|")
SEPARATOR_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
#: encodings tried when the bytes are not UTF-8 (Chinese Excel, Western Windows)
_LEGACY = ("gb18030", "cp1252", "latin_1")
_DECIMAL_COMMA = re.compile(r"^[+-]?(\d+|\d{1,3}(\.\d{3})+),\d+$")
_DECIMAL_POINT = re.compile(r"^[+-]?(\d*|\d{1,3}(,\d{3})+)\.\d+$")


@dataclass
class CsvFormat:
    """How a file is written: its encoding, field separator, decimal mark and
    thousands separator (None: none), and which of them were detected."""

    encoding: str = "utf-8"
    sep: str = ","
    decimal: str = "."
    thousands: str | None = None
    detected: tuple = ()

    def to_dict(self) -> dict:
        d = asdict(self)
        d["detected"] = list(self.detected)
        return d

    def describe(self) -> str:
        """'UTF-8, ';'-separated, decimal ',' (detected)'."""
        parts = [
            f"encoding {self.encoding}",
            f"separator {self.sep!r} ({SEPARATOR_NAMES.get(self.sep, 'given')})",
            f"decimal mark {self.decimal!r}",
            f"thousands separator {self.thousands!r}"
            if self.thousands
            else "no thousands separator",
        ]
        given = {"encoding", "sep", "decimal", "thousands"} - set(self.detected)
        note = (
            "detected"
            if not given
            else "detected; " + ", ".join(f"--{g} given" for g in sorted(given))
        )
        return f"{', '.join(parts)} ({note})"


def decode_sample(raw, path, complete, encoding=None):
    """(text, encoding) of the sample ``raw``; ``complete``: the whole file."""
    if encoding:
        return _decode(raw, encoding, path, complete, given=True), encoding
    for bom, name in _BOMS:
        if raw.startswith(bom):
            try:
                return _decode(raw, name, path, complete), name
            except InputError:
                break
    utf16 = _utf16_without_bom(raw)
    if utf16:
        return _decode(raw, utf16, path, complete), utf16
    try:
        return _decode(raw, "utf-8", path, complete), "utf-8"
    except InputError as err:
        name = _legacy_encoding(raw)
        if name is None:
            raise err from None
        return _decode(raw, name, path, complete), name


def _decode(raw, encoding, path, complete, given=False):
    try:
        decoder = codecs.getincrementaldecoder(encoding)()
    except LookupError:
        raise InputError(f"--encoding {encoding}: no such encoding") from None
    try:
        return decoder.decode(raw, final=complete)
    except UnicodeDecodeError as err:
        line = raw.count(b"\n", 0, err.start) + 1
        hint = (
            "save the file as UTF-8 or pass its --encoding"
            if given
            else "pass its --encoding (e.g. --encoding cp1252), or save the file "
            "as UTF-8"
        )
        name = "UTF-8" if encoding.startswith("utf-8") else encoding
        raise InputError(
            f"{path}: line {line} is not {name} text (byte 0x{raw[err.start]:02x}): "
            f"{hint}"
        ) from None


def _utf16_without_bom(raw):
    """UTF-16 without a byte order mark: ASCII text has a NUL in every other
    byte, on the odd bytes (little-endian) or on the even ones (big-endian)."""
    if len(raw) < 8:
        return None
    even, odd = raw[0::2], raw[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) == 0:
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) == 0:
        return "utf-16-be"
    return None


def _legacy_encoding(raw):
    """GB18030 or a Western encoding, for bytes that are not UTF-8; None for
    bytes that look like no text (a NUL byte)."""
    if b"\x00" in raw:
        return None
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # the standard library's guess: Chinese text or Latin
        return "gb18030" if _mostly_chinese(raw) else "cp1252"
    best = from_bytes(raw[:200_000], cp_isolation=list(_LEGACY)).best()
    return best.encoding if best else "latin_1"


def _mostly_chinese(raw):
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError:
        return False
    wide = [c for c in text if ord(c) > 127]
    cjk = [c for c in wide if "\u4e00" <= c <= "\u9fff" or "\u3000" <= c <= "\u303f"]
    return bool(wide) and len(cjk) >= 0.9 * len(wide)


def detect_separator(lines):
    """The separator that splits the header into the most fields and the rows
    into as many; a comma when nothing splits."""
    best, best_score = ",", (False, 0, 0.0)
    for sep in SEPARATORS:
        rows = _rows(lines, sep)
        if not rows or len(rows[0]) < 2:
            continue
        width = len(rows[0])
        agree = sum(len(r) == width for r in rows[1:]) / max(1, len(rows) - 1)
        score = (agree >= 0.8, width, agree)
        if score > best_score:
            best, best_score = sep, score
    return best


def _rows(lines, sep):
    try:
        return [
            r for r in csv.reader(io.StringIO("\n".join(lines)), delimiter=sep) if r
        ]
    except csv.Error:
        return []


_NUMERAL = re.compile(r"[+-]?[\d.,]+")


def detect_numbers(lines, sep):
    """(decimal mark, thousands separator) from the cells of ``lines``."""
    # '€4,50' and '12,5%' count as the numbers they carry
    cells = [c.strip(" $€£¥%") for r in _rows(lines[1:], sep) for c in r]
    decimal = "."
    if sep != ",":
        commas = sum(bool(_DECIMAL_COMMA.match(c)) for c in cells)
        points = sum(bool(_DECIMAL_POINT.match(c)) for c in cells)
        decimal = "," if commas > points else "."
    mark = "," if decimal == "." else "."
    grouped = re.compile(
        rf"^[+-]?\d{{1,3}}(?:{re.escape(mark)}\d{{3}})+(?:{re.escape(decimal)}\d+)?$"
    )
    # '1,065' is a thousands group only if every number with a comma (or,
    # beside decimal commas, a point) is grouped in threes
    has_mark = re.compile(rf"\d{re.escape(mark)}\d")  # compiled once, not per cell
    marked = [c for c in cells if has_mark.search(c)]
    numbers = [c for c in marked if _NUMERAL.fullmatch(c)]
    thousands = mark if numbers and all(grouped.match(c) for c in numbers) else None
    return decimal, thousands


def detect(raw, path, complete, sep=None, encoding=None, decimal=None, thousands=None):
    """The ``CsvFormat`` of a file whose first bytes are ``raw`` (the whole file
    when ``complete``), and the decoded sample."""
    text, found_encoding = decode_sample(raw, path, complete, encoding)
    lines = text.splitlines()
    if not complete and len(lines) > 1:
        lines = lines[:-1]  # the last line of a sample may be cut
    lines = [line for line in lines[:2000] if line.strip()]
    detected = [] if encoding else ["encoding"]
    if sep is None:
        sep = detect_separator(lines[:200])
        detected.append("sep")
    if decimal is None or thousands is None:
        found_decimal, found_thousands = detect_numbers(lines, sep)
        if decimal is None:
            decimal = found_decimal
            detected.append("decimal")
        if thousands is None:
            thousands = found_thousands if found_thousands != decimal else None
            detected.append("thousands")
    if decimal == sep or (thousands and thousands == decimal):
        raise InputError(
            f"{path}: the decimal mark {decimal!r} must differ from the separator "
            f"{sep!r} and the thousands separator {thousands!r}"
        )
    fmt = CsvFormat(found_encoding, sep, decimal, thousands or None, tuple(detected))
    return fmt, text
