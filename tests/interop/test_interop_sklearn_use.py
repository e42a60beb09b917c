"""The estimators in scikit-learn's tools, on its bundled data sets, and what
they promise beyond the estimator checks."""

import json
import pickle

import numpy as np
import pytest

pytest.importorskip("sklearn")
pd = pytest.importorskip("pandas")

from sklearn.base import clone
from sklearn.datasets import load_breast_cancer, load_iris
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

import bpnn
from bpnn.cli import main
from bpnn.sklearn import BPNNClassifier, BPNNRegressor


def train_csv_accuracy(frame, tmp_path, name):
    """Test accuracy of `bpnn train csv` (its default preset) on ``frame``."""
    frame.to_csv(tmp_path / f"{name}.csv", index=False)
    out = tmp_path / name
    args = ["train", "csv", str(tmp_path / f"{name}.csv"), "--target", "target"]
    rc = main([*args, "--task", "classification", "--quiet", "--out", str(out)])
    assert rc == 0
    return json.loads((out / "metrics.json").read_text())["metrics"]["test_accuracy"]


@pytest.mark.parametrize("load", [load_iris, load_breast_cancer])
def test_pipeline_scores_like_bpnn_train_csv(load, tmp_path, capsys):
    X, y = load(return_X_y=True)
    model = make_pipeline(StandardScaler(), BPNNClassifier(random_state=0))
    scores = cross_val_score(model, X, y, cv=5)
    reference = train_csv_accuracy(load(as_frame=True).frame, tmp_path, "data")
    print(f"{load.__name__}: cross-validated {scores.mean():.3f}, csv {reference:.3f}")
    assert scores.mean() >= 0.93
    assert scores.mean() >= reference - 0.05


def test_grid_search_on_iris():
    X, y = load_iris(return_X_y=True)
    model = make_pipeline(StandardScaler(), BPNNClassifier(random_state=0))
    grid = {"bpnnclassifier__hidden_sizes": [(4,), (16,)], "bpnnclassifier__lr": [0.01]}
    search = GridSearchCV(model, grid, cv=3).fit(X, y)
    assert search.best_score_ >= 0.9
    best = search.best_estimator_[-1]
    assert (
        best.network_.sizes[1] == search.best_params_["bpnnclassifier__hidden_sizes"][0]
    )


def test_clone_and_pickle_of_an_unfitted_estimator():
    est = BPNNClassifier(hidden_sizes=(5, 3), lr=0.05, random_state=3)
    for copy in (clone(est), pickle.loads(pickle.dumps(est))):
        assert copy.get_params() == est.get_params()
        assert not hasattr(copy, "network_")
    X, y = load_iris(return_X_y=True)
    assert np.array_equal(clone(est).fit(X, y).predict(X), est.fit(X, y).predict(X))


@pytest.mark.parametrize("cls", [BPNNClassifier, BPNNRegressor])
def test_same_random_state_gives_identical_predictions(cls):
    X, y = load_iris(return_X_y=True)
    a = cls(random_state=7, epochs=30, batch_size=16).fit(X, y).predict(X)
    b = cls(random_state=7, epochs=30, batch_size=16).fit(X, y).predict(X)
    c = cls(random_state=8, epochs=30, batch_size=16).fit(X, y)
    assert np.array_equal(a, b)
    if cls is BPNNRegressor:
        assert not np.array_equal(a, c.predict(X))


def test_string_labels_binary_and_multiclass():
    X, y = load_iris(return_X_y=True)
    names = np.array(["setosa", "versicolor", "virginica"])[y]
    clf = BPNNClassifier(random_state=0).fit(X, names)
    assert list(clf.classes_) == ["setosa", "versicolor", "virginica"]
    assert clf.predict_proba(X).shape == (150, 3)
    assert clf.score(X, names) > 0.9
    binary = np.where(y == 0, "yes", "no")
    clf = BPNNClassifier(random_state=0).fit(X, binary)
    assert list(clf.classes_) == ["no", "yes"]
    assert clf.network_.n_out == 1 and clf.network_.loss_fn.name == "bce"
    proba = clf.predict_proba(X)
    assert np.allclose(proba.sum(axis=1), 1)
    assert np.array_equal(clf.predict(X), clf.classes_[proba.argmax(axis=1)])


def test_feature_names_from_a_dataframe():
    frame = load_iris(as_frame=True).frame
    X, y = frame.drop(columns="target"), frame["target"]
    reg = BPNNRegressor(epochs=5, random_state=0).fit(X, y)
    assert list(reg.feature_names_in_) == list(X.columns)
    assert reg.n_features_in_ == 4
    with pytest.raises(ValueError, match="feature names"):
        reg.predict(X[X.columns[::-1]])


def test_network_is_a_bpnn_network_that_traces_and_saves(tmp_path):
    X, y = load_iris(return_X_y=True)
    clf = BPNNClassifier(hidden_sizes=(3,), epochs=20, random_state=0).fit(X, y)
    net = clf.network_
    assert isinstance(net, bpnn.Network)
    assert len(clf.history_.train_loss) > 0
    onehot = np.eye(3)[y[:2]]
    step = bpnn.trace(net, X[:2], onehot, 0.1)
    assert step["layer1.h"].value.shape == (2, 3)
    net.save(tmp_path / "m.npz")
    again = bpnn.load(tmp_path / "m.npz")
    assert np.array_equal(again.predict(X), clf.predict_proba(X))


def test_sample_weight_two_counts_as_the_record_twice():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 3))
    y = X @ [1.0, -2.0, 0.5] + 0.1 * rng.normal(size=40)
    w = rng.integers(0, 4, size=40)
    kw = {"hidden_sizes": (4,), "epochs": 50, "batch_size": None, "random_state": 0}
    weighted = BPNNRegressor(**kw).fit(X, y, sample_weight=w)
    repeated = BPNNRegressor(**kw).fit(np.repeat(X, w, 0), np.repeat(y, w))
    unweighted = BPNNRegressor(**kw).fit(X, y)
    assert np.allclose(weighted.predict(X), repeated.predict(X), rtol=1e-9)
    assert not np.allclose(weighted.predict(X), unweighted.predict(X), rtol=1e-3)
    ones = BPNNRegressor(**kw).fit(X, y, sample_weight=np.ones(40))
    assert np.array_equal(ones.predict(X), unweighted.predict(X))
    # the recorded loss is the weighted mean: the repeated rows' mean loss
    np.testing.assert_allclose(
        weighted.history_.train_loss, repeated.history_.train_loss, rtol=1e-9
    )
    assert weighted.history_.train_loss[-1] < weighted.history_.train_loss[0]


def test_float32_estimators_train_a_float32_network():
    X, y = load_iris(return_X_y=True)
    clf = BPNNClassifier(dtype="float32", random_state=0).fit(X, y)
    assert clf.network_.dtype == np.float32
    assert clf.predict_proba(X).dtype == np.float32
    assert clf.score(X, y) > 0.9


def test_partial_fit_and_warm_start_continue_training():
    X, y = load_iris(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    clf = BPNNClassifier(random_state=0)
    with pytest.raises(ValueError, match="classes="):
        clf.partial_fit(X, y)
    for _ in range(30):
        clf.partial_fit(X[:75], y[:75], classes=[0, 1, 2]).partial_fit(X[75:], y[75:])
    assert clf.score(X, y) > 0.9
    reg = BPNNRegressor(epochs=10, random_state=0, warm_start=True).fit(X, y)
    first = reg.network_
    before = reg.score(X, y)
    reg.fit(X, y)
    assert reg.network_ is first and reg.score(X, y) > before


def test_warm_start_refuses_a_network_it_cannot_continue():
    """A changed architecture is not trained on silently in the old shape."""
    X, y = load_iris(return_X_y=True)
    reg = BPNNRegressor(hidden_sizes=(8,), epochs=2, random_state=0, warm_start=True)
    reg.fit(X, y)
    reg.set_params(hidden_sizes=(16,))
    with pytest.raises(ValueError, match=r"\[4, 8, 1\] \(relu\) as \[4, 16, 1\]"):
        reg.fit(X, y)
    reg.set_params(warm_start=False).fit(X, y)
    assert reg.network_.sizes == [4, 16, 1]
    linear = BPNNRegressor(hidden_sizes=(), epochs=2, random_state=0, warm_start=True)
    first = linear.fit(X, y).network_
    assert linear.fit(X, y).network_ is first  # no hidden layer: continued


def test_early_stopping_holds_out_rows_and_restores_the_best():
    X, y = load_breast_cancer(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    clf = BPNNClassifier(
        early_stopping=True, patience=2, epochs=300, batch_size=32, random_state=0
    ).fit(X, y)
    history = clf.history_
    assert history.stop_reason == "early_stopping"
    assert all(v is not None for v in history.val_loss)
    assert clf.score(X, y) > 0.95


def test_bad_parameters_are_input_errors():
    X, y = load_iris(return_X_y=True)
    with pytest.raises(bpnn.errors.InputError, match="momentum"):
        BPNNClassifier(momentum=0.9).fit(X, y)
    with pytest.raises(ValueError, match="activation"):
        BPNNClassifier(activation="swish").fit(X, y)
    with pytest.raises(ValueError, match="1 class"):
        BPNNClassifier().fit(X, np.zeros(150))
