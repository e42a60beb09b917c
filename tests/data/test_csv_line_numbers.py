"""Errors name the file's line even after quoted line breaks, in the header or
in a row before the bad one; and the message stays one line."""

from __future__ import annotations

import pytest

from bpnn.cli import main

pytest.importorskip("pandas")

ROWS = "".join(f"{i},{2 * i},{i % 3}\n" for i in range(1, 21))


@pytest.mark.parametrize(
    "head,line",
    [
        ("a,b,y\n", 22),  # plain: header line 1, 20 rows, the bad row on 22
        ('a,"b\nc",y\n', 23),  # a header name with a line break
        ('a,b,y\n1,2,"note\nsplit"\n', 24),  # a row before it holds one
    ],
    ids=["plain", "multi-line header", "multi-line row"],
)
def test_the_line_of_a_bad_value_counts_every_physical_line(
    tmp_path, capsys, head, line
):
    text = head + ROWS + "7,abc,1\n"
    path = tmp_path / "data.csv"
    path.write_text(text)
    physical = text.splitlines().index("7,abc,1") + 1
    assert physical == line
    code = main(["train", "csv", str(path), "--target", "y", "--quiet",
                 "--out", str(tmp_path / "run")])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1
    assert f"line {line} has 'abc'" in err
