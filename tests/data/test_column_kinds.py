"""Each column's kind is decided once, said in a table, stored in the model,
and applied to new rows the same way."""

import numpy as np
import pytest

pd = pytest.importorskip("pandas")

from bpnn.data.datasets import load_csv
from bpnn.data.preparation import Preparation
from bpnn.data.reader import read_csv
from bpnn.data.splits import parse_split, split_rows
from bpnn.errors import InputError

N = 60


def messy(n=N, seed=0):
    """A table with the columns real exports have."""
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "customer": [f"C{1000 + i}" for i in rng.permutation(n)],
            "row_id": np.arange(1, n + 1),
            "visited": pd.date_range(
                "2021-03-01 08:00", periods=n, freq="37h"
            ).strftime("%Y-%m-%d %H:%M"),
            "spend": [f"${v:,.2f}" for v in rng.uniform(10, 3000, n)],
            "discount": [f"{v}%" for v in rng.integers(0, 30, n)],
            "age": rng.integers(18, 80, n),
            "city": rng.choice(["Paris", "Oslo", "Rome"], n),
            "country": "FR",
            "label": rng.integers(0, 3, n),
        }
    )


def save(tmp_path, df, name="messy.csv"):
    path = tmp_path / name
    df.to_csv(path, index=False)
    return path


def test_each_kind_is_decided_and_said(tmp_path):
    data = load_csv(save(tmp_path, messy()), "label")
    kinds = data.info["columns"]
    assert kinds == {
        "customer": "id",
        "row_id": "id",
        "visited": "date",
        "spend": "numeric",
        "discount": "numeric",
        "age": "numeric",
        "city": "categorical",
        "country": "constant",
    }
    assert data.feature_names == [
        "visited_year",
        "visited_month",
        "visited_dayofweek",
        "visited_hour",
        "spend",
        "discount",
        "age",
        "city_Oslo",
        "city_Paris",
        "city_Rome",
    ]
    table = "\n".join(data.notes)
    assert "customer  ID (unique per row) → dropped" in table
    assert "visited   date → calendar features (year, month, dayofweek, hour)" in table
    assert "spend     number (currency) → standardised" in table
    assert "discount  number (percent) → standardised" in table
    assert "city      category → one-hot with 3 values" in table
    assert "country   constant → dropped" in table
    assert "label     target (multiclass)" in table
    assert "target 'label' holds 3 distinct whole numbers (0, 1, 2)" in table


def test_percent_and_currency_are_the_written_numbers(tmp_path):
    df = messy()
    data = load_csv(save(tmp_path, df), "label", split=(0.9, 0.05, 0.05))
    spend = next(c for c in data.preparation.columns if c["name"] == "spend")
    values = df["spend"].str.replace("[$,]", "", regex=True).astype(float)
    assert spend["mean"] != pytest.approx(values.mean())  # training rows only
    assert values.min() <= spend["mean"] <= values.max()
    discount = next(c for c in data.preparation.columns if c["name"] == "discount")
    assert 0 <= discount["mean"] < 30


def test_overrides_win(tmp_path):
    path = save(tmp_path, messy())
    data = load_csv(
        path,
        "label",
        task="regression",
        categorical=["age"],
        numeric=["row_id"],
        drop=["visited"],
    )
    kinds = data.info["columns"]
    assert (kinds["age"], kinds["row_id"], kinds["visited"]) == (
        "categorical",
        "numeric",
        "dropped",
    )
    assert data.task == "regression"
    assert "age       category → one-hot with" in "\n".join(data.notes)


def test_a_class_per_row_is_refused(tmp_path):
    rng = np.random.default_rng(0)
    df = pd.DataFrame({"x": rng.normal(size=310), "y": rng.integers(25, 346, 310)})
    with pytest.raises(InputError, match=r"too many to learn as classes .*--task regr"):
        load_csv(save(tmp_path, df), "y", task="classification")
    assert load_csv(tmp_path / "messy.csv", "y").task == "regression"


def test_code_columns_read_as_text_keep_their_zeros(tmp_path):
    df = messy().assign(zip=["02134", "10115", "75001"] * (N // 3))
    path = save(tmp_path, df)
    data = load_csv(path, "label", categorical=["zip"])
    zip_ = next(c for c in data.preparation.columns if c["name"] == "zip")
    assert zip_["categories"] == ["02134", "10115", "75001"]
    frame = read_csv(path, text_columns=data.preparation.text_columns())
    assert frame["zip"].iloc[0] == "02134"


def test_a_numeric_category_matches_text_read_later(tmp_path):
    data = load_csv(save(tmp_path, messy()), "label", categorical=["age"])
    prep = Preparation.from_dict(data.preparation.to_dict())
    new = messy().iloc[:5]
    as_text = new.astype({"age": str})
    np.testing.assert_array_equal(prep.features(new), prep.features(as_text))


@pytest.mark.parametrize("bad", ["True", "1_000", "١٢", "12 kg"])
def test_cells_the_number_parser_refuses_are_one_line(tmp_path, bad):
    data = load_csv(save(tmp_path, messy()), "label")
    prep = data.preparation
    new = messy().iloc[:4].astype({"age": object})
    new.loc[2, "age"] = bad
    with pytest.raises(
        InputError, match=rf"column 'age' must be numeric, found '{bad}'"
    ):
        prep.features(new)


@pytest.mark.parametrize("how", ["mean", "median", "most_frequent"])
def test_imputation_fills_numbers_and_categories(tmp_path, how):
    df = messy()
    df.loc[[3, 7], "age"] = np.nan
    df.loc[[5], "city"] = np.nan
    path = save(tmp_path, df)
    with pytest.raises(InputError, match=r"missing value\(s\).*--dropna"):
        load_csv(path, "label")
    data = load_csv(path, "label", impute=how)
    cols = {c["name"]: c for c in data.preparation.columns}
    assert isinstance(cols["age"]["fill"], float) and cols["city"]["fill"] in (
        "Oslo",
        "Paris",
        "Rome",
    )
    assert all(np.isfinite(X).all() for X in (data.X_train, data.X_val, data.X_test))
    assert "missing → " in "\n".join(data.notes)
    assert load_csv(path, "label", dropna=True).dropped_rows == 3


def test_unseen_categories_error_or_count(tmp_path):
    data = load_csv(save(tmp_path, messy()), "label")
    new = messy().iloc[:6].copy()
    new.loc[[1, 4], "city"] = "Lima"
    with pytest.raises(InputError, match=r"'Lima' \(row 2\) unseen in training; known"):
        data.preparation.features(new)
    prep = Preparation.from_dict({**data.preparation.to_dict(), "unknown": "ignore"})
    X = prep.features(new)
    city = [i for i, f in enumerate(prep.feature_names) if f.startswith("city_")]
    assert X[[1, 4]][:, city].sum() == 0 and X[[0, 2]][:, city].sum() == 2
    assert prep.unseen == {"city": 2}


def test_the_unseen_message_lists_a_few_known_values():
    frame = pd.DataFrame({"id": [f"p{i}" for i in range(178)], "y": [1.0, 2.0] * 89})
    prep = Preparation.fit(frame, "y", plans=[{"name": "id", "kind": "categorical"}])
    with pytest.raises(InputError) as info:
        prep.features(pd.DataFrame({"id": ["new"]}))
    assert "and 173 more" in str(info.value) and str(info.value).count("'p") == 5


def test_stratified_split_keeps_the_class_shares():
    classes = np.repeat([0, 1, 2], [70, 20, 10])
    train, val, test = split_rows(100, seed=4, classes=classes)
    assert sorted(np.concatenate([train, val, test])) == list(range(100))
    for part, share in ((train, 0.7), (val, 0.15), (test, 0.15)):
        counts = np.bincount(classes[part], minlength=3)
        np.testing.assert_allclose(counts, share * np.array([70, 20, 10]), atol=1)
    again = split_rows(100, seed=4, classes=classes)
    assert all(np.array_equal(a, b) for a, b in zip(again, (train, val, test)))


def test_split_fractions_and_files_given(tmp_path):
    assert parse_split("0.8,0.2") == (0.8, 0.0, 0.2)
    with pytest.raises(InputError, match="summing to 1"):
        parse_split("0.5,0.2,0.2")
    df = messy()
    data = load_csv(save(tmp_path, df), "label", split="0.6,0.2,0.2")
    assert data.info["split"] == {"train": 36, "validation": 12, "test": 12}
    save(tmp_path, messy(20, seed=5), "test.csv")
    data = load_csv(tmp_path / "messy.csv", "label", test_csv=tmp_path / "test.csv")
    assert len(data.X_test) == 20 and len(data.X_train) + len(data.X_val) == N
