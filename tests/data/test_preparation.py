"""Preparing a table: kinds of columns, statistics from the training rows,
clear errors for what the model cannot read."""

import numpy as np
import pytest

pd = pytest.importorskip("pandas")

from bpnn.data.datasets import load_csv, split_rows
from bpnn.data.preparation import Preparation, infer_task


def frame():
    return pd.DataFrame(
        {
            "size": [1.0, 2.0, 3.0, 4.0, 10.0],
            "colour": ["red", "blue", "red", "green", "blue"],
            "price": [10.0, 20.0, 30.0, 40.0, 100.0],
        }
    )


def test_numeric_standardised_and_categorical_one_hot():
    df = frame()
    prep = Preparation.fit(df.iloc[:4], "price")
    assert prep.task == "regression"
    assert prep.feature_names == ["size", "colour_blue", "colour_green", "colour_red"]
    X = prep.features(df)
    mean, std = df["size"][:4].mean(), df["size"][:4].std()
    np.testing.assert_allclose(X[:, 0], (df["size"] - mean) / std)
    np.testing.assert_array_equal(X[:, 1:].argmax(axis=1), [2, 0, 2, 1, 0])
    y = prep.targets(df)
    np.testing.assert_allclose(prep.to_units(y[:, None]), df["price"])


def test_unknown_category_and_missing_column_are_named():
    prep = Preparation.fit(frame(), "price", source="new.csv: ")
    bad = frame().assign(colour=["red", "purple", "red", "red", "red"])
    with pytest.raises(
        ValueError,
        match=r"new.csv: column 'colour' has value "
        r"'purple' \(row 2\) unseen in training",
    ):
        prep.features(bad)
    with pytest.raises(ValueError, match="missing column\\(s\\) 'size'"):
        prep.features(frame().drop(columns="size"))


def test_text_in_a_numeric_column_is_named():
    prep = Preparation.fit(frame(), "price")
    bad = frame().astype({"size": object})
    bad.loc[3, "size"] = "big"
    with pytest.raises(ValueError, match="column 'size' must be numeric, found 'big'"):
        prep.features(bad)


@pytest.mark.parametrize(
    "values, task",
    [
        ([1.5, 2.5, 3.0, 7.0], "regression"),
        ([0, 1, 1, 0], "binary"),
        (["a", "b", "c", "a"], "multiclass"),
        ([True, False, True, True], "binary"),
    ],
)
def test_task_inferred_from_the_target(values, task):
    assert infer_task(pd.Series(values)) == task


def test_split_is_seeded_disjoint_and_complete():
    a = split_rows(100, seed=3)
    b = split_rows(100, seed=3)
    assert all(np.array_equal(x, y) for x, y in zip(a, b))
    assert [len(p) for p in a] == [70, 15, 15]
    assert sorted(np.concatenate(a)) == list(range(100))


def test_csv_with_missing_value_names_the_line(tmp_path):
    path = tmp_path / "holes.csv"
    path.write_text("a,b,y\n1,2,3\n4,,6\n7,8,9\n1,1,1\n")
    with pytest.raises(
        ValueError,
        match=r"holes.csv: 1 missing value\(s\) in 1 row\(s\): 'b' 1 \(line 3\)",
    ):
        load_csv(path, "y")


def test_classes_come_from_every_row_scaling_from_training_rows(tmp_path):
    rng = np.random.default_rng(0)
    df = pd.DataFrame({"x": rng.normal(5, 2, 60), "label": ["a"] * 58 + ["b", "c"]})
    path = tmp_path / "t.csv"
    df.to_csv(path, index=False)
    data = load_csv(path, "label")
    assert data.task == "multiclass" and data.preparation.classes == ["a", "b", "c"]
    train_rows = split_rows(60, classes=pd.factorize(df["label"])[0])[0]
    col = data.preparation.columns[0]
    assert col["mean"] == pytest.approx(df["x"].iloc[train_rows].mean())


def test_a_class_per_row_is_refused_as_classification():
    df = pd.DataFrame({"x": np.arange(60.0), "price": np.arange(60) * 1000 + 7})
    with pytest.raises(
        ValueError, match=r"60 distinct values among 60 rows.*regression"
    ):
        Preparation.fit(df, "price", task="classification")
    few = df.assign(price=np.arange(60) % 3)
    assert Preparation.fit(few, "price", task="classification").task == "multiclass"
