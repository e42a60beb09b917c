"""The reader that lets pandas read from disk gives the frames of the reader
that decoded the whole file and checked every row first (kept here as the
oracle), and the same prepared arrays."""

import csv
import io

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers.csv_cases import GOOD, edit_line

pd = pytest.importorskip("pandas")

from bpnn.data.datasets import load_csv, split_rows
from bpnn.data.reader import read_csv


def old_read_csv(path):
    """The previous reader: the whole text, every row checked, then pandas."""
    raw = path.read_bytes()
    text = raw.decode("utf-8-sig" if raw.startswith(b"\xef\xbb\xbf") else "utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    assert all(len(r) in (0, len(rows[0])) for r in rows)
    frame = pd.read_csv(io.StringIO(text), skip_blank_lines=False, index_col=False)
    blank = frame.isna().all(axis=1).to_numpy()
    return frame[~blank] if len(rows[0]) > 1 else frame


def without_empty_columns(frame):
    """The new reader drops a column empty in every row (and names it)."""
    empty = [c for c in frame.columns if frame[c].isna().all()]
    return frame.drop(columns=empty) if len(empty) < frame.shape[1] else frame


def tables():
    rng = np.random.default_rng(0)
    n = 50
    yield GOOD
    yield GOOD.replace("\n", "\r\n")
    yield "\ufeff" + GOOD
    yield edit_line(GOOD, 5, "") + "\n\n"  # blank lines
    yield pd.DataFrame(
        {
            "x": rng.normal(size=n),
            "k": rng.integers(0, 9, n),
            "colour": rng.choice(["red", "blue"], n),
            "note": rng.choice(['a "quoted", word', "plain"], n),
            "y": rng.normal(size=n),
        }
    ).to_csv(index=False)


@pytest.mark.parametrize("text", list(tables()))
def test_the_fast_reader_gives_the_old_frames(tmp_path, text):
    path = tmp_path / "t.csv"
    path.write_bytes(text.encode("utf-8"))
    new, old = read_csv(path), old_read_csv(path)
    pd.testing.assert_frame_equal(new, old)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    st.lists(
        st.tuples(
            st.floats(-1e6, 1e6, allow_nan=False),
            st.integers(-5, 5),
            st.sampled_from(["a", "b", "c d", ""]),
        ),
        min_size=1,
        max_size=30,
    )
)
def test_random_clean_tables_read_alike(tmp_path, records):
    text = "v,k,w\n" + "".join(f"{v!r},{k},{w}\n" for v, k, w in records)
    path = tmp_path / "r.csv"
    path.write_text(text)
    new, old = read_csv(path), old_read_csv(path)
    pd.testing.assert_frame_equal(new, without_empty_columns(old))
    assert new.attrs["empty_columns"] == [c for c in old if c not in new]


def test_the_prepared_arrays_are_the_old_ones(tmp_path):
    rng = np.random.default_rng(3)
    n = 200
    df = pd.DataFrame(
        {
            "x": rng.normal(50, 10, n),
            "colour": rng.choice(["red", "green", "blue"], n),
            "y": rng.normal(100, 5, n),
        }
    )
    path = tmp_path / "r.csv"
    df.to_csv(path, index=False)
    data = load_csv(path, "y")
    train, val, test = split_rows(n, 0)
    mean, std = df["x"].iloc[train].mean(), df["x"].iloc[train].std()
    for X, rows in ((data.X_train, train), (data.X_val, val), (data.X_test, test)):
        np.testing.assert_allclose(X[:, 0], (df["x"].iloc[rows] - mean) / std)
        colours = np.array(["blue", "green", "red"])[X[:, 1:].argmax(axis=1)]
        assert (colours == df["colour"].iloc[rows].to_numpy()).all()
    y_mean, y_std = df["y"].iloc[train].mean(), df["y"].iloc[train].std()
    np.testing.assert_allclose(data.y_test, (df["y"].iloc[test] - y_mean) / y_std)


@pytest.mark.parametrize(
    "options, message",
    [
        ({"target": "admited"}, r"no target column 'admited'; did you mean 'admit'"),
        ({"target": "admit", "drop": ["rnk"]}, r"no column 'rnk'; did you mean 'rank'"),
        ({"target": "admit", "categorical": ["RANK"]}, r"no column 'RANK'"),
    ],
)
def test_a_misspelt_column_fails_before_the_rows_are_read(
    tmp_path, monkeypatch, options, message
):
    """The header line is enough to tell: pandas is never asked for the rows
    (here they would be refused too, line 4 having a field too many)."""
    path = tmp_path / "t.csv"
    path.write_text(edit_line(GOOD, 4, "1,2,3,4,5"))

    def no_rows(*args, **kwargs):
        raise AssertionError("the rows were read")

    monkeypatch.setattr(pd, "read_csv", no_rows)
    with pytest.raises(ValueError, match=message):
        load_csv(path, **options)


def test_an_empty_header_name_is_left_to_the_check_after_reading(tmp_path):
    """pandas names an empty header field 'Unnamed: 1': that name works as a
    target, as before."""
    path = tmp_path / "t.csv"
    rows = "\n".join(f"{i},{i % 3},{2 * i}" for i in range(30))
    path.write_text("a,,y\n" + rows + "\n")
    data = load_csv(path, "Unnamed: 1", task="regression")
    assert data.target == "Unnamed: 1"
