"""scikit-learn's own estimator checks, every one, for both estimators."""

import pytest

pytest.importorskip("sklearn")

from sklearn.utils.estimator_checks import parametrize_with_checks

from bpnn.sklearn import BPNNClassifier, BPNNRegressor


@parametrize_with_checks([BPNNRegressor(), BPNNClassifier()])
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)
