"""Bad CSV files, each with the words of the error it must raise: read by the
reader's tests and by the command line's."""

GOOD = "gre,gpa,rank,admit\n" + "".join(
    f"{400 + 10 * i},{2.5 + i / 20},{1 + i % 4},{i % 2}\n" for i in range(20)
)


def edit_line(text, line, new):
    lines = text.splitlines(keepends=True)
    lines[line - 1] = new + "\n"
    return "".join(lines)


# (what is wrong, file content or None for no file, error, words)
CASES = [
    ("a missing file", None, FileNotFoundError, r"data.csv: no such file"),
    ("an empty file", "", ValueError, r"data.csv: the file is empty"),
    ("blank lines only", "\n\n  \n", ValueError, r"the file is empty"),
    (
        "a header without rows",
        "gre,gpa,rank,admit\n",
        ValueError,
        r"has a header line but no data rows",
    ),
    (
        "a misspelled target",
        GOOD.replace("admit", "admitted"),
        ValueError,
        (
            r"no target column 'admit'; did you mean 'admitted'\? \(the columns are 'gre', 'gpa', "
            r"'rank', 'admitted'\)"
        ),
    ),
    (
        "a target in other case",
        GOOD.replace("admit", "Admit"),
        ValueError,
        r"no target column 'admit'; did you mean 'Admit'\?",
    ),
    (
        "a target that is nowhere",
        GOOD.replace("admit", "zzz"),
        ValueError,
        r"no target column 'admit' \(the columns are 'gre', 'gpa', 'rank', 'zzz'\)",
    ),
    (
        "text in a numeric column",
        edit_line(GOOD, 6, "440,abc,1,0"),
        ValueError,
        (
            r"column 'gpa' holds numbers but line 6 has 'abc': fix the value, or pass "
            r"--categorical gpa"
        ),
    ),
    (
        "several texts in a numeric column",
        edit_line(edit_line(GOOD, 6, "unknown,2.7,1,0"), 9, "?,3.0,1,0"),
        ValueError,
        r"column 'gre' holds numbers but line 6 has 'unknown' \(and 1 more row\(s\)\)",
    ),
    (
        "an infinite value",
        edit_line(GOOD, 4, "420,inf,3,0"),
        ValueError,
        r"column 'gpa' holds inf on line 4: values must be finite",
    ),
    (
        "missing values",
        edit_line(edit_line(GOOD, 3, "410,,2,1"), 8, "460,2.8,,1"),
        ValueError,
        (
            r"2 missing value\(s\) in 2 row\(s\): 'gpa' 1 \(line 3\); 'rank' 1 "
            r"\(line 8\): fill them, or pass --dropna"
        ),
    ),
    (
        "a ragged row",
        edit_line(GOOD, 5, "430,2.65,4,1,99"),
        ValueError,
        r"line 5 has 5 field\(s\), but the header has 4: check the separators",
    ),
    (
        "a short row",
        edit_line(GOOD, 9, "470,2.9,1"),
        ValueError,
        r"line 9 has 3 field\(s\), but the header has 4",
    ),
    (
        "an unclosed quote",
        edit_line(GOOD, 7, '450,"2.8,3,0'),
        ValueError,
        r"a quote opened on line 7 is never closed",
    ),
    (
        "a binary file",
        b"PK\x03\x04\x00\x00binary",
        ValueError,
        r"line 1 holds a NUL byte: not a text CSV file",
    ),
    (
        "a duplicated column",
        GOOD.replace("rank", "gre"),
        ValueError,
        r"column 'gre' appears twice in the header",
    ),
    (
        "a one-class target",
        GOOD.replace(",1\n", ",0\n"),
        ValueError,
        (
            r"target column 'admit' has one value only \(0\) in all 20 rows: there is "
            r"nothing to learn"
        ),
    ),
    (
        "too few rows",
        "".join(GOOD.splitlines(keepends=True)[:6]),
        ValueError,
        (
            r"5 data row\(s\) are too few to split into training, validation and test "
            r"rows: need at least 10"
        ),
    ),
]
