"""A user's CSV: each way it can be wrong gets its own clear, one-line error."""

import re

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from bpnn.data import csv_input
from bpnn.errors import InputError
from helpers.csv_cases import CASES, GOOD, edit_line

pd = pytest.importorskip("pandas")


def write(tmp_path, content, name="data.csv"):
    path = tmp_path / name
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


def read_and_check(path, target="admit", dropna=False, categorical=()):
    """The whole reading pipeline as ``bpnn train csv`` runs it."""
    frame = csv_input.read_csv(path)
    csv_input.check_columns(frame, path, [target], "target column")
    frame, _ = csv_input.missing_values(frame, path, dropna)
    csv_input.check_numbers(frame, path, skip=[target, *categorical])
    csv_input.check_target(frame, path, target)
    csv_input.check_enough_rows(frame, path)
    return frame


@pytest.mark.parametrize(
    "content,error,words", [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_bad_csv_is_named(tmp_path, content, error, words):
    path = tmp_path / "data.csv" if content is None else write(tmp_path, content)
    with pytest.raises(error) as info:
        read_and_check(path)
    message = str(info.value)
    # bpnn's own kind of the error (a missing file stays the OS's)
    assert type(info.value) is {ValueError: InputError}.get(error, error)
    assert message.startswith(str(path)) and "\n" not in message
    assert re.search(words, message), message


def test_dropna_drops_the_rows_with_holes_and_keeps_line_numbers(tmp_path):
    text = edit_line(edit_line(GOOD, 3, "410,,2,1"), 8, "460,2.8,,1")
    text = edit_line(text, 12, "500,abc,3,1")
    path = write(tmp_path, text)
    frame, dropped = csv_input.missing_values(csv_input.read_csv(path), path, True)
    assert dropped == 2 and len(frame) == 18
    with pytest.raises(ValueError, match="line 12 has 'abc'"):
        csv_input.check_numbers(frame, path, skip=["admit"])


def test_declared_categorical_and_text_columns_are_not_numbers(tmp_path):
    text = edit_line(GOOD, 6, "440,abc,1,0")
    path = write(tmp_path, text)
    frame = read_and_check(path, categorical=["gpa"])
    assert frame["gpa"].dtype.kind not in "iuf"
    words = (
        GOOD.replace("rank", "city").replace(",1,", ",paris,").replace(",2,", ",oslo,")
    )
    assert (
        read_and_check(write(tmp_path, words, "w.csv"))["city"].dtype.kind not in "iuf"
    )


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16"])
def test_files_with_a_byte_order_mark_are_read(tmp_path, encoding):
    path = write(tmp_path, GOOD.encode(encoding))
    frame = read_and_check(path)
    assert list(frame.columns) == ["gre", "gpa", "rank", "admit"] and len(frame) == 20


# -- random malformed files -------------------------------------------------------

ODD_CELLS = [
    "",
    " ",
    "abc",
    "NaN",
    "inf",
    "-",
    '"',
    '""',
    "a,b",
    "1e999",
    "\u00e9t\u00e9",
    "\x00",
    "\r",
    "TRUE",
    "1;2",
    "\ufeff",
]


@st.composite
def malformed_csv(draw):
    """A valid table of numbers (columns a, b, y), then a few mistakes: odd
    cells, ragged rows, a renamed or repeated header, another encoding, a cut."""
    n_rows = draw(st.integers(0, 25))
    rows = [["a", "b", "y"]] + [
        [
            str(draw(st.integers(-99, 99))),
            repr(draw(st.floats(-1e3, 1e3))),
            str(draw(st.integers(0, 2))),
        ]
        for _ in range(n_rows)
    ]
    for _ in range(draw(st.integers(0, 3))):
        r = draw(st.integers(0, len(rows) - 1))
        kind = draw(st.sampled_from(["cell", "cell", "extra", "short", "header"]))
        if kind == "cell" and rows[r]:
            c = draw(st.integers(0, len(rows[r]) - 1))
            rows[r][c] = draw(st.sampled_from(ODD_CELLS))
        elif kind == "extra":
            rows[r].append(draw(st.sampled_from(["1", "", "x"])))
        elif kind == "short" and rows[r]:
            rows[r].pop()
        elif kind == "header" and rows[0]:
            rows[0][draw(st.integers(0, len(rows[0]) - 1))] = draw(
                st.sampled_from(["a", "y", "Y", "why", "", "target"])
            )
    text = "\n".join(",".join(r) for r in rows) + "\n"
    encoding = draw(
        st.sampled_from(
            ["utf-8", "utf-8", "utf-8", "latin-1", "utf-16", "utf-8-sig", "cp1252"]
        )
    )
    raw = text.encode(encoding, errors="replace")
    if draw(st.integers(0, 4)) == 0:
        raw = raw[: draw(st.integers(0, len(raw)))]
    return raw


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(raw=malformed_csv(), dropna=st.booleans())
def test_random_malformed_csvs_give_the_documented_errors(tmp_path, raw, dropna):
    path = write(tmp_path, raw)
    try:
        frame = read_and_check(path, target="y", dropna=dropna)
    except ValueError as err:
        message = str(err)
        assert message.startswith(f"{path}: ") and "\n" not in message, message
        event(re.sub(r"'[^']*'|\d+|\(.*", "_", message[len(str(path)) + 2 :])[:40])
        return
    event("accepted")
    assert "y" in frame.columns and len(frame) >= csv_input.MIN_ROWS
    assert not frame.isna().to_numpy().any()
