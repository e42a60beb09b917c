"""The course's two data sets, prepared exactly as the lecture prepares them."""

from __future__ import annotations

import numpy as np

from ..columns import categorical_column, numeric_column
from ..preparation import Preparation
from .base import Dataset, require_pandas

#: the course's seed for the admissions split (np.random.seed(21))
ADMISSIONS_SEED = 21
BIKE_ONE_HOT = ["season", "weathersit", "mnth", "hr", "weekday"]
#: the columns the course keeps as they are (0/1 flags) or standardises
BIKE_KEPT = ["yr", "holiday"]
BIKE_SCALED = ["temp", "hum", "windspeed"]
#: the course's pass mark for the bike network: MSE on the standardised cnt
BIKE_PASS_MARK = {"train_mse": 0.09, "validation_mse": 0.18}
#: the last 21 days are the test set, the 60 days before them validation
BIKE_TEST_ROWS = 21 * 24
BIKE_VAL_ROWS = 60 * 24


def _read(package_path, **kwargs):
    pd = require_pandas()
    from importlib import resources  # only when a data set is read

    with resources.files(__package__).joinpath(package_path).open("rb") as f:
        return pd.read_csv(f, **kwargs)


def load_admissions() -> Dataset:
    """Graduate admissions: 360 training and 40 test records, 6 features.

    ``rank`` one-hot (rank_1..rank_4), ``gre`` and ``gpa`` standardised with
    the training rows' mean and std; target ``admit`` (0/1). The split is the
    course's: 90 % of the rows drawn without replacement with seed 21.
    """
    data = _read("admissions/binary.csv")
    # the legacy generator reproduces np.random.seed(21); np.random.choice(...)
    sample = np.random.RandomState(ADMISSIONS_SEED).choice(
        data.index, size=int(len(data) * 0.9), replace=False
    )
    train, test = data.loc[sample], data.drop(sample)
    prep = Preparation(
        "admit",
        "binary",
        [
            numeric_column("gre", train["gre"]),
            numeric_column("gpa", train["gpa"]),
            categorical_column("rank", data["rank"]),
        ],
        classes=["0", "1"],
    )
    return Dataset(
        "admissions",
        prep,
        prep.features(train),
        prep.targets(train).astype(float),
        None,
        None,
        prep.features(test),
        prep.targets(test).astype(float),
        hints={"no_better_than_majority": "try --preset best"},
    )


def load_bike_sharing() -> Dataset:
    """Hourly bike rentals: 56 features, target ``cnt`` standardised.

    One-hot ``season``, ``weathersit``, ``mnth``, ``hr``, ``weekday``; keep
    ``yr`` and ``holiday``; standardise ``temp``, ``hum``, ``windspeed`` and the
    target with the mean and std of the rows before the test period. Test: the
    last 21 days; validation: the 60 days before; training: the rest.
    """
    pd = require_pandas()
    data = _read("bike_sharing/hour.csv.gz", compression="gzip")
    known = data.iloc[:-BIKE_TEST_ROWS]  # every row but the test days
    columns = [
        {"name": c, "kind": "numeric", "mean": 0.0, "std": 1.0} for c in BIKE_KEPT
    ]
    columns += [numeric_column(c, known[c]) for c in BIKE_SCALED]
    columns += [categorical_column(c, data[c]) for c in BIKE_ONE_HOT]
    cnt = numeric_column("cnt", known["cnt"])
    prep = Preparation(
        "cnt", "regression", columns, target_mean=cnt["mean"], target_std=cnt["std"]
    )
    X, y = prep.features(data), prep.targets(data)
    dates = pd.to_datetime(data["dteday"]) + pd.to_timedelta(data["hr"], unit="h")
    dates = dates.to_numpy()
    test, val = BIKE_TEST_ROWS, BIKE_TEST_ROWS + BIKE_VAL_ROWS
    return Dataset(
        "bike",
        prep,
        X[:-val],
        y[:-val],
        X[-val:-test],
        y[-val:-test],
        X[-test:],
        y[-test:],
        test_dates=dates[-test:],
        pass_mark=dict(BIKE_PASS_MARK),
    )
