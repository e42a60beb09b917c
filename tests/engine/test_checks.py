"""Every public entry point rejects bad input with a message that names the
argument, the expected and the received value -- once, at the boundary."""

import re

import numpy as np
import pandas as pd
import pytest

import bpnn
from bpnn.engine import checks
from bpnn.errors import InputError, InputTypeError

RNG = np.random.default_rng(0)
X = RNG.normal(size=(10, 3))
Y = RNG.uniform(size=(10, 1))
LABELS = np.arange(10) % 3


def net(**kw):
    return bpnn.Network.from_sizes([3, 4, 1], seed=0, **kw)


def softmax_net():
    return bpnn.Network.from_sizes(
        [3, 4, 3], ["tanh", "softmax"], loss="cross_entropy", seed=0
    )


def with_value(arr, index, value):
    arr = arr.copy()
    arr[index] = value
    return arr


# (what is wrong, call, error type, words the message must contain)
CASES = [
    (
        "X is 1-D",
        lambda: net().fit(X[:, 0], Y),
        ValueError,
        r"X must be 2-D \(records, features\), got shape \(10,\).*reshape",
    ),
    (
        "X is 3-D",
        lambda: net().predict(X[None]),
        ValueError,
        r"X must be 2-D.*got shape \(1, 10, 3\)",
    ),
    (
        "X holds text",
        lambda: net().fit(X.astype(str), Y),
        TypeError,
        r"X must be numeric, got an array of dtype <U",
    ),
    (
        "X is ragged",
        lambda: net().fit([[1, 2, 3], [4, 5]], Y[:2]),
        TypeError,
        r"X must be a numeric array",
    ),
    (
        "a DataFrame with a text column",
        lambda: net().fit(
            pd.DataFrame({"a": [1.0, 2], "city": ["x", "y"], "c": [3, 4]}), Y[:2]
        ),
        TypeError,
        r"X must be numeric.*column\(s\) city",
    ),
    (
        "X and y row counts differ",
        lambda: net().fit(X, Y[:9]),
        ValueError,
        r"y must have one target per record of X \(10\), got 9",
    ),
    (
        "features do not match the first layer",
        lambda: net().fit(X[:, :2], Y),
        ValueError,
        r"X must have 3 features per record \(the first layer's n_in\), got 2",
    ),
    (
        "NaN in X",
        lambda: net().fit(with_value(X, (2, 1), np.nan), Y),
        ValueError,
        (
            r"X must hold finite numbers, got 1 NaN/inf value\(s\), the first \(nan\) at "
            r"index \(2, 1\)"
        ),
    ),
    (
        "inf in y",
        lambda: net().fit(X, with_value(Y, (7, 0), -np.inf)),
        ValueError,
        r"y must hold finite numbers.*\(-inf\) at index \(7, 0\)",
    ),
    (
        "NaN in the validation y",
        lambda: net().fit(X, Y, validation_data=(X, with_value(Y, (0, 0), np.nan))),
        ValueError,
        r"validation y must hold finite",
    ),
    (
        "an empty data set",
        lambda: net().fit(np.empty((0, 3)), np.empty((0, 1))),
        ValueError,
        r"X must hold at least one record, got 0 records",
    ),
    (
        "targets outside [0, 1] for bce",
        lambda: bpnn.Network.from_sizes([3, 1], loss="bce").fit(
            X, np.linspace(-0.4, 0.5, 10)
        ),
        ValueError,
        r"y must lie in \[0, 1\] for the bce loss, got values from -0.4 to 0.5",
    ),
    (
        "targets of the wrong width",
        lambda: net().fit(X, np.zeros((10, 2))),
        ValueError,
        (
            r"y must have shape \(10,\) or \(10, 1\) for a network with 1 output\(s\), got "
            r"\(10, 2\)"
        ),
    ),
    (
        "non-integer class labels for softmax",
        lambda: softmax_net().fit(X, LABELS + 0.5),
        ValueError,
        (
            r"y for cross_entropy must be integer class labels 0..2 or one-hot rows of 3, "
            r"got non-integer values such as 0.5"
        ),
    ),
    (
        "class labels beyond the output layer",
        lambda: softmax_net().fit(X, LABELS * 2),
        ValueError,
        (
            r"y must hold class labels 0..2 \(the output layer has 3 classes\), got labels "
            r"from 0 to 4"
        ),
    ),
    (
        "rows that are not one-hot for softmax",
        lambda: softmax_net().fit(X, np.full((10, 3), 0.5)),
        ValueError,
        r"y rows must be one-hot \(sum to 1\) for cross_entropy, got row 0 summing to 1.5",
    ),
    (
        "layer sizes that do not chain",
        lambda: bpnn.Network([bpnn.Dense(3, 4), bpnn.Dense(5, 1)]),
        ValueError,
        r"layer sizes do not chain: layer 0 has n_out=4 but layer 1 has n_in=5",
    ),
    (
        "layers that are not Dense",
        lambda: bpnn.Network([(3, 4)]),
        TypeError,
        r"layers must be a non-empty list of bpnn.Dense",
    ),
    (
        "softmax in a hidden layer",
        lambda: bpnn.Network.from_sizes([3, 4, 1], ["softmax", "sigmoid"]),
        ValueError,
        r"softmax is only allowed on the output layer",
    ),
    (
        "an unknown activation",
        lambda: bpnn.Dense(3, 4, "sigmod"),
        ValueError,
        (
            r"unknown activation 'sigmod'; choose one of identity, relu, sigmoid, softmax, "
            r"tanh"
        ),
    ),
    (
        "an unknown loss",
        lambda: net(loss="mae"),
        ValueError,
        r"unknown loss 'mae'; choose one of bce, cross_entropy, half_mse, mse",
    ),
    (
        "an unknown optimizer",
        lambda: bpnn.engine.optimizers.get_optimizer("rmsprop"),
        ValueError,
        r"unknown optimizer 'rmsprop'; choose one of sgd, adam",
    ),
    (
        "an option the optimizer lacks",
        lambda: bpnn.engine.optimizers.get_optimizer("sgd", beta1=0.9),
        TypeError,
        r"sgd: .*beta1",
    ),
    (
        "an unknown init",
        lambda: bpnn.Dense(3, 4, init="zeros"),
        ValueError,
        r"unknown init 'zeros'; choose one of he, normal, xavier",
    ),
    (
        "an unknown sampling",
        lambda: net().fit(X, Y, sampling="minibatch"),
        ValueError,
        r"unknown sampling 'minibatch'; choose one of shuffle, random, per_record",
    ),
    ("a zero learning rate", lambda: bpnn.SGD(0), ValueError, r"lr must be > 0, got 0"),
    (
        "a negative learning rate",
        lambda: bpnn.Adam(-0.1),
        ValueError,
        r"lr must be > 0, got -0.1",
    ),
    (
        "a NaN learning rate",
        lambda: bpnn.SGD(float("nan")),
        ValueError,
        r"lr must be > 0, got nan",
    ),
    (
        "a learning rate as text",
        lambda: bpnn.SGD("0.1"),
        TypeError,
        r"lr must be a number > 0, got '0.1'",
    ),
    (
        "a zero batch size",
        lambda: net().fit(X, Y, batch_size=0),
        ValueError,
        r"batch_size must be > 0, got 0",
    ),
    (
        "a fractional batch size",
        lambda: net().fit(X, Y, batch_size=2.5),
        TypeError,
        r"batch_size must be an int > 0, got 2.5",
    ),
    (
        "zero epochs",
        lambda: net().fit(X, Y, epochs=0),
        ValueError,
        r"epochs must be > 0, got 0",
    ),
    (
        "negative steps",
        lambda: net().fit(X, Y, steps=-5),
        ValueError,
        r"steps must be > 0, got -5",
    ),
    (
        "epochs and steps",
        lambda: net().fit(X, Y, epochs=2, steps=2),
        ValueError,
        r"give epochs= or steps=, not both",
    ),
    (
        "a zero eval_every",
        lambda: net().fit(X, Y, eval_every=0),
        ValueError,
        r"eval_every must be > 0, got 0",
    ),
    (
        "a negative patience",
        lambda: net().fit(X, Y, patience=-1),
        ValueError,
        r"patience must be an int >= 0, got -1",
    ),
    (
        "a momentum of 1",
        lambda: bpnn.SGD(0.1, momentum=1.0),
        ValueError,
        r"momentum must be in \[0, 1\), got 1.0",
    ),
    (
        "a momentum as text",
        lambda: bpnn.SGD(0.1, momentum="0.9"),
        TypeError,
        r"momentum must be a number in \[0, 1\), got '0.9'",
    ),
    (
        "a beta above 1",
        lambda: bpnn.Adam(beta2=1.5),
        ValueError,
        r"beta2 must be in \[0, 1\), got 1.5",
    ),
    (
        "a zero layer size",
        lambda: bpnn.Network.from_sizes([3, 0, 1]),
        ValueError,
        r"sizes\[1\] must be an int >= 1, got 0",
    ),
    (
        "a fractional layer size",
        lambda: bpnn.Network.from_sizes([3, 2.0, 1]),
        TypeError,
        r"sizes\[1\] must be an int >= 1, got 2.0",
    ),
    (
        "one size only",
        lambda: bpnn.Network.from_sizes([3]),
        ValueError,
        r"sizes must list at least 2 layer sizes",
    ),
    (
        "too few activations",
        lambda: bpnn.Network.from_sizes([3, 4, 1], ["tanh"]),
        ValueError,
        r"2 layers need 2 activations, got 1",
    ),
    (
        "a Dense size of 0",
        lambda: bpnn.Dense(0, 4),
        ValueError,
        r"n_in must be an int >= 1, got 0",
    ),
    (
        "a bias given as text",
        lambda: bpnn.Dense(3, 4, bias="no"),
        TypeError,
        r"bias must be True or False, got 'no'",
    ),
    (
        "an unsupported dtype",
        lambda: net(dtype=np.float16),
        ValueError,
        r"dtype must be float32 or float64, got <class 'numpy.float16'>",
    ),
    (
        "a dtype that is no dtype",
        lambda: net(dtype="double-ish"),
        ValueError,
        r"dtype must be float32 or float64, got 'double-ish'",
    ),
    (
        "a negative seed",
        lambda: net().fit(X, Y, seed=-1),
        ValueError,
        r"seed must be an int >= 0, got -1",
    ),
    (
        "a seed as text",
        lambda: bpnn.Network.from_sizes([3, 1], seed="42"),
        TypeError,
        r"seed must be None, an int >= 0 or a numpy Generator, got '42'",
    ),
    (
        "an optimizer given by name",
        lambda: net().fit(X, Y, optimizer="adam"),
        TypeError,
        (
            r"optimizer must be a bpnn optimizer such as bpnn.SGD\(0.1\).*got "
            r"'adam'"
        ),
    ),
    (
        "validation data that is not a pair",
        lambda: net().fit(X, Y, validation_data=X),
        TypeError,
        r"validation_data must be a pair \(X_val, y_val\), got ndarray",
    ),
    (
        "validation X of the wrong width",
        lambda: net().fit(X, Y, validation_data=(X[:, :2], Y)),
        ValueError,
        r"validation X must have 3 features per record",
    ),
    (
        "a callback that is not callable",
        lambda: net().fit(X, Y, callback=True),
        TypeError,
        r"callback must be callable, got True",
    ),
    (
        "per_record with a batch size",
        lambda: net().fit(X, Y, sampling="per_record", batch_size=4),
        ValueError,
        r"sampling='per_record' uses every record each epoch",
    ),
    (
        "predict with the wrong width",
        lambda: net().predict(X[:, :1]),
        ValueError,
        r"X must have 3 features per record",
    ),
    (
        "loss with mismatched y",
        lambda: net().loss(X, Y[:3]),
        ValueError,
        r"y must have one target per record of X \(10\), got 3",
    ),
    (
        "gradients with text y",
        lambda: net().gradients(X, np.array(["a"] * 10)),
        TypeError,
        r"y must be numeric, got an array of dtype <U1",
    ),
]


@pytest.mark.parametrize(
    "call,error,words", [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_bad_input_is_named(call, error, words):
    with pytest.raises(error) as info:
        call()
    # bpnn's own kind of the error: the CLI reports it in one line
    assert (
        type(info.value) is {ValueError: InputError, TypeError: InputTypeError}[error]
    )
    message = str(info.value)
    assert re.search(words, message), f"{message!r} lacks {words!r}"
    assert "\n" not in message


def test_an_optimizer_cannot_be_shared_by_networks_of_other_shapes():
    opt = bpnn.Adam(0.01)
    net().fit(X, Y, optimizer=opt, epochs=1)
    other = bpnn.Network.from_sizes([3, 5, 1], seed=0)
    with pytest.raises(
        ValueError,
        match=r"optimizer holds m state of shapes \[\(3, 4\), \(4,\)"
        r".*give each network its own optimizer",
    ):
        other.fit(X, Y, optimizer=opt, epochs=1)


def test_a_dataframe_of_numbers_is_accepted():
    frame = pd.DataFrame(X, columns=["a", "b", "c"])
    np.testing.assert_array_equal(net().predict(frame), net().predict(X))


def test_the_data_is_checked_once_per_fit_not_per_step(monkeypatch):
    calls = []
    real = checks.check_finite

    def counting(name, arr):
        calls.append(name)
        return real(name, arr)

    monkeypatch.setattr(checks, "check_finite", counting)
    net().fit(X, Y, validation_data=(X, Y), epochs=20, batch_size=2, eval_every=1)
    assert sorted(calls) == ["X", "validation X", "validation y", "y"]
