"""scikit-learn's own estimator checks, every one, for both estimators."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("sklearn")

from sklearn.utils.estimator_checks import parametrize_with_checks

from bpnn.sklearn import BPNNClassifier, BPNNRegressor


@parametrize_with_checks([BPNNRegressor(), BPNNClassifier()])
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)


def test_array_api_checks_pass_where_scipy_allows_them():
    """scikit-learn skips its array-API input check unless SCIPY_ARRAY_API=1
    was set before SciPy was imported: run it in a process that sets it."""
    if os.environ.get("SCIPY_ARRAY_API") == "1":
        pytest.skip("run in this process by the checks above")
    here = Path(__file__)
    env = {**os.environ, "SCIPY_ARRAY_API": "1"}
    args = [sys.executable, "-m", "pytest", str(here), "-k", "check_array_api"]
    out = subprocess.run(
        [*args, "-p", "no:cacheprovider", "-o", "addopts=", "-rs"],
        check=False,
        capture_output=True,
        text=True,
        env=env,
        cwd=here.parents[2],
    )
    assert out.returncode == 0, out.stdout[-2000:]
    assert "2 passed" in out.stdout and "skipped" not in out.stdout, out.stdout
