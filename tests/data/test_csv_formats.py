"""Files as spreadsheets write them: the separator, encoding, decimal mark and
thousands separator are detected and said; options override the guess."""

import numpy as np
import pytest

pd = pytest.importorskip("pandas")

from bpnn.data.datasets import load_csv
from bpnn.data.reader import read_csv
from bpnn.errors import InputError

N = 40


def table(n=N, seed=0):
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "alcohol": (12 + rng.random(n) * 3).round(2),
            "proline": rng.integers(300, 1700, n),
            "colour": rng.choice(["red", "white"], n),
            "cultivar": rng.choice(["a", "b", "c"], n),
        }
    )


def write(tmp_path, text, encoding="utf-8", name="wine.csv"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    return path


@pytest.mark.parametrize("sep", [",", ";", "\t", "|"])
def test_the_separator_is_detected(tmp_path, sep):
    df = table()
    path = write(tmp_path, df.to_csv(index=False, sep=sep))
    frame = read_csv(path)
    assert frame.attrs["csv_format"].sep == sep
    assert "sep" in frame.attrs["csv_format"].detected
    pd.testing.assert_frame_equal(frame, df, check_dtype=False)


def test_semicolons_with_a_decimal_comma(tmp_path):
    df = table()
    path = write(tmp_path, df.to_csv(index=False, sep=";", decimal=","))
    frame = read_csv(path)
    fmt = frame.attrs["csv_format"]
    assert (fmt.sep, fmt.decimal, fmt.thousands) == (";", ",", None)
    np.testing.assert_allclose(frame["alcohol"], df["alcohol"])
    data = load_csv(path, "cultivar")
    assert "separator ';' (semicolon), decimal mark ','" in data.notes[0]
    assert data.info["csv_format"]["decimal"] == ","


def test_quoted_thousands_are_numbers(tmp_path):
    df = table()
    text = df.assign(proline=[f"{v:,}" for v in df["proline"]]).to_csv(index=False)
    assert '"1,' in text
    frame = read_csv(write(tmp_path, text))
    assert frame.attrs["csv_format"].thousands == ","
    assert frame["proline"].dtype.kind in "iuf"
    np.testing.assert_array_equal(frame["proline"], df["proline"])
    data = load_csv(tmp_path / "wine.csv", "cultivar")
    assert "proline" in data.feature_names  # one number, not 121 one-hot columns


def test_thousands_points_beside_decimal_commas(tmp_path):
    text = "price;size;kind\n" + "".join(
        f"{1 + i}.{100 + i:03d},5;{i},25;{'ab'[i % 2]}\n" for i in range(N)
    )
    frame = read_csv(write(tmp_path, text))
    fmt = frame.attrs["csv_format"]
    assert (fmt.decimal, fmt.thousands) == (",", ".")
    assert frame["price"].iloc[0] == pytest.approx(1100.5)


def test_options_override_the_guess(tmp_path):
    path = write(tmp_path, table().to_csv(index=False, sep=";"))
    frame = read_csv(path, sep=";", encoding="utf-8")
    assert frame.attrs["csv_format"].detected == ("decimal", "thousands")
    with pytest.raises(InputError, match=r"the separator looks like ';': pass --sep"):
        load_csv(path, "cultivar", sep=",")


@pytest.mark.parametrize(
    "encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "gb18030", "gbk"]
)
def test_encodings_with_chinese_names_and_labels(tmp_path, encoding):
    rng = np.random.default_rng(1)
    df = pd.DataFrame(
        {
            "酒精": (12 + rng.random(N) * 3).round(2),
            "颜色": rng.choice(["红色", "白色", "桃红"], N),
            "品种": rng.choice(["甲", "乙", "丙"], N),
        }
    )
    path = write(tmp_path, df.to_csv(index=False), encoding)
    data = load_csv(path, "品种")
    expected = "utf-16" if encoding == "utf-16" else encoding.replace("gbk", "gb18030")
    assert data.info["csv_format"]["encoding"].replace("_", "-") == expected
    assert data.preparation.classes == sorted(["甲", "乙", "丙"], key=str)
    assert data.feature_names == ["酒精", "颜色_桃红", "颜色_白色", "颜色_红色"]


def test_latin1_and_crlf(tmp_path):
    text = "région,valeur,classe\r\n" + "".join(
        f"{'Orléans' if i % 2 else 'Besançon'},{i / 10},{'oui' if i % 3 else 'non'}\r\n"
        for i in range(N)
    )
    data = load_csv(write(tmp_path, text, "latin-1"), "classe")
    assert data.info["csv_format"]["encoding"] in ("cp1252", "latin_1")
    assert data.feature_names == ["région_Besançon", "région_Orléans", "valeur"]


def test_an_explicit_wrong_encoding_names_the_line(tmp_path):
    path = write(tmp_path, "a,b\n1,2\ncaf\xe9,3\n", "latin-1")
    with pytest.raises(
        InputError,
        match=r"line 3 is not UTF-8 text \(byte 0xe9\): save the file as UTF-8 or "
        r"pass its --encoding",
    ):
        read_csv(path, encoding="utf-8")


def test_an_empty_trailing_column_is_dropped_and_said(tmp_path):
    df = table()
    text = df.to_csv(index=False).replace("\n", ",\n")
    path = write(tmp_path, text)
    data = load_csv(path, "cultivar", dropna=True)
    assert data.dropped_rows == 0  # the empty column drops no row
    assert "dropped 1 empty column(s): column 5 (no name)" in data.notes
    assert data.info["empty_columns"] == ["Unnamed: 4"]
    assert len(data.X_train) + len(data.X_val) + len(data.X_test) == N
