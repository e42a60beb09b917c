"""The course's data sets are prepared as the course prepares them."""

import gzip
from importlib import resources

import numpy as np
import pytest

pd = pytest.importorskip("pandas")

from bpnn.data.datasets import load_admissions, load_bike_sharing
from bpnn.data.preparation import Preparation


def raw(path, **kwargs):
    with resources.files("bpnn.data.datasets").joinpath(path).open("rb") as f:
        return pd.read_csv(f, **kwargs)


@pytest.fixture(scope="module")
def admissions():
    return load_admissions()


@pytest.fixture(scope="module")
def bike():
    return load_bike_sharing()


def test_admissions_columns_and_split(admissions):
    assert admissions.feature_names == [
        "gre",
        "gpa",
        "rank_1",
        "rank_2",
        "rank_3",
        "rank_4",
    ]
    assert admissions.X_train.shape == (360, 6) and admissions.X_test.shape == (40, 6)
    assert admissions.X_val is None
    # every record has exactly one rank
    assert np.all(admissions.X_train[:, 2:].sum(axis=1) == 1)


def test_admissions_split_is_the_course_seed_21_sample(admissions):
    data = raw("admissions/binary.csv")
    # what the course's np.random.seed(21); np.random.choice(...) draws
    sample = np.random.RandomState(21).choice(data.index, size=360, replace=False)
    assert np.array_equal(admissions.y_train, data.loc[sample, "admit"].to_numpy())
    test = data.drop(sample)
    assert np.array_equal(admissions.y_test, test["admit"].to_numpy())
    # rank one-hot matches the raw rank of each test row
    assert np.array_equal(admissions.X_test[:, 2:].argmax(axis=1) + 1, test["rank"])


def test_admissions_scaling_uses_training_rows_only(admissions):
    data = raw("admissions/binary.csv")
    sample = np.random.RandomState(21).choice(data.index, size=360, replace=False)
    train, test = data.loc[sample], data.drop(sample)
    for j, col in enumerate(["gre", "gpa"]):
        mean, std = train[col].mean(), train[col].std()
        assert mean != pytest.approx(data[col].mean(), rel=1e-6)  # they do differ
        expected = (test[col].to_numpy() - mean) / std
        np.testing.assert_allclose(admissions.X_test[:, j], expected, rtol=1e-12)
        assert admissions.X_train[:, j].mean() == pytest.approx(0, abs=1e-12)
        assert admissions.X_train[:, j].std(ddof=1) == pytest.approx(1)


def test_bike_columns_and_split_sizes(bike):
    names = bike.feature_names
    assert len(names) == 56
    assert names[:5] == ["yr", "holiday", "temp", "hum", "windspeed"]
    for prefix, count in [
        ("season_", 4),
        ("weathersit_", 4),
        ("mnth_", 12),
        ("hr_", 24),
        ("weekday_", 7),
    ]:
        assert sum(n.startswith(prefix) for n in names) == count
    dropped = {
        "instant",
        "dteday",
        "atemp",
        "workingday",
        "casual",
        "registered",
        "cnt",
    }
    assert not dropped & set(names)
    assert (len(bike.X_train), len(bike.X_val), len(bike.X_test)) == (
        17379 - 60 * 24 - 21 * 24,
        60 * 24,
        21 * 24,
    )
    assert len(bike.test_dates) == 21 * 24
    assert str(bike.test_dates[-1])[:16] == "2012-12-31T23:00"


def test_bike_scaling_uses_the_rows_before_the_test_days(bike):
    data = raw("bike_sharing/hour.csv.gz", compression="gzip")
    known = data.iloc[: -21 * 24]
    prep = bike.preparation
    assert prep.target_mean == pytest.approx(known["cnt"].mean(), rel=1e-12)
    assert prep.target_std == pytest.approx(known["cnt"].std(), rel=1e-12)
    assert prep.target_mean != pytest.approx(data["cnt"].mean(), rel=1e-4)
    j = bike.feature_names.index("temp")
    seen = np.concatenate([bike.X_train[:, j], bike.X_val[:, j]])
    assert seen.mean() == pytest.approx(0, abs=1e-12)
    assert seen.std(ddof=1) == pytest.approx(1)


def test_bike_predictions_convert_back_to_counts(bike):
    data = raw("bike_sharing/hour.csv.gz", compression="gzip")
    counts = bike.preparation.to_units(bike.y_test[:, None])
    np.testing.assert_allclose(counts, data["cnt"].to_numpy()[-21 * 24 :], atol=1e-9)


def test_shipped_bike_file_is_the_documented_one():
    import hashlib

    blob = resources.files("bpnn.data.datasets").joinpath("bike_sharing/hour.csv.gz")
    digest = hashlib.sha256(gzip.decompress(blob.read_bytes())).hexdigest()
    assert digest == "e03de4ee4ef4dc376ac6e04bf829673c6269e8eba5c60fa121640fa2f829504f"


def test_preparation_round_trips_through_json(bike):
    import json

    prep = bike.preparation
    again = Preparation.from_dict(json.loads(json.dumps(prep.to_dict())))
    data = raw("bike_sharing/hour.csv.gz", compression="gzip").iloc[-50:]
    np.testing.assert_array_equal(again.features(data), bike.X_test[-50:])
