"""bpnn.trace: every step's value against an independent computation."""

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bpnn
from bpnn.cli import main
from bpnn.explain import exercises
from bpnn.explain.reference import per_record_gradients
from helpers import random_network, random_targets


def sigmoid(v):
    return 1 / (1 + np.exp(-v))


def exercise_by_hand():
    """The lecture's exercise worked out here, line by line, without bpnn."""
    x, W0, W1, y, lr = np.array([0.1, 0.3]), np.array([0.4, -0.2]), 0.1, 1.0, 0.5
    h = x @ W0
    a = sigmoid(h)
    out = a * W1
    y_hat = sigmoid(out)
    error = y - y_hat
    d_out = y_hat * (1 - y_hat)
    delta_o = error * d_out
    hidden_error = delta_o * W1
    d_h = a * (1 - a)
    delta_h = hidden_error * d_h
    step_W1, step_W0 = lr * delta_o * a, lr * delta_h * x
    return {
        "input.x": x,
        "layer1.W": W0,
        "layer1.h": h,
        "layer1.a": a,
        "output.W": W1,
        "output.h": out,
        "output.a": y_hat,
        "loss": 0.5 * (y_hat - y) ** 2,
        "target.y": y,
        "output.error": error,
        "output.loss_gradient": y_hat - y,
        "output.derivative": d_out,
        "output.error_term": delta_o,
        "layer1.hidden_error": hidden_error,
        "layer1.derivative": d_h,
        "layer1.error_term": delta_h,
        "output.gradient_W": -a * delta_o,
        "output.weight_step_W": step_W1,
        "output.new_W": W1 + step_W1,
        "layer1.gradient_W": -x * delta_h,
        "layer1.weight_step_W": step_W0,
        "layer1.new_W": W0 + step_W0,
    }


def exercise_record(capsys, *extra):
    assert main(["exercise", "--json", *extra]) == 0
    return json.loads(capsys.readouterr().out)


def test_every_value_of_the_exercise_json_matches_a_hand_computation(capsys):
    record = exercise_record(capsys)
    expected = exercise_by_hand()
    steps = {step["key"]: step for step in record["steps"]}
    assert set(steps) == set(expected)
    for key, step in steps.items():
        value = np.array(step["value"])
        assert list(value.shape) == step["shape"], key
        np.testing.assert_allclose(
            value.ravel(), np.ravel(expected[key]), rtol=1e-13, atol=1e-17, err_msg=key
        )


def test_the_lectures_rounded_numbers_are_reproduced(capsys):
    lecture = exercise_record(capsys)["lecture"]
    # the numbers printed on the lecture's answer page
    page = {
        "layer1.h": -0.02,
        "layer1.a": 0.495,
        "output.h": 0.0495,
        "output.a": 0.512,
        "output.error": 0.488,
        "output.error_term": 0.122,
        "layer1.error_term": 0.003,
        "output.weight_step_W": 0.0302,
        "layer1.weight_step_W": [0.00015, 0.00045],
    }
    assert lecture.keys() == page.keys()
    for key, value in page.items():
        np.testing.assert_allclose(lecture[key], value, rtol=1e-12, err_msg=key)


def test_the_text_says_why_the_lecture_writes_0_00045(capsys):
    assert main(["exercise"]) == 0
    text = capsys.readouterr().out
    # exact 0.000457 rounds to 0.00046; the page carries delta_h = 0.003
    assert "0.000456825" in text
    assert "lecture (0.00015, 0.00045)" in text
    assert "(0.00015, 0.00046)" in text and "δh1 = 0.003" in text


def test_linear_exercise_moves_each_weight_by_alpha_error_x(capsys):
    record = exercise_record(capsys, "linear")
    steps = {s["key"]: np.array(s["value"]) for s in record["steps"]}
    x, w, y, alpha = np.array([1.0, 2.0, 3.0]), np.array([0.5, -0.2, 0.1]), 1.0, 0.1
    y_hat = x @ w
    np.testing.assert_allclose(steps["output.a"].ravel(), [y_hat])
    np.testing.assert_allclose(steps["output.loss_gradient"].ravel(), [-(y - y_hat)])
    np.testing.assert_allclose(steps["output.gradient_W"].ravel(), (y_hat - y) * x)
    np.testing.assert_allclose(
        steps["output.new_W"].ravel(), w - alpha * (y_hat - y) * x, rtol=1e-14
    )


@given(
    seed=st.integers(0, 2**31 - 1),
    depth=st.integers(2, 4),
    bias=st.booleans(),
    batch=st.integers(1, 5),
    lr=st.floats(0.01, 2.0),
    pair=st.sampled_from(
        [
            ("half_mse", None),
            ("mse", None),
            ("bce", "sigmoid"),
            ("cross_entropy", "softmax"),
        ]
    ),
)
@settings(max_examples=40, deadline=None)
def test_trace_steps_are_minus_lr_times_gradients(seed, depth, bias, batch, lr, pair):
    rng = np.random.default_rng(seed)
    loss, out = pair
    net = random_network(rng, depth, loss, bias, out)
    X = rng.normal(0, 1, (batch, net.n_in))
    y = random_targets(rng, net, batch)
    before = [layer.W.copy() for layer in net.layers]
    t = bpnn.trace(net, X, y, lr)
    grads = net.gradients(X, y)
    for layer, W in zip(net.layers, before):
        np.testing.assert_array_equal(layer.W, W)  # shown, not applied
    for k, (step, grad) in enumerate(zip(t.weight_steps(), grads), 1):
        np.testing.assert_array_equal(step["W"], -lr * grad["W"])
        if grad["b"] is None:
            assert step["b"] is None
        else:
            np.testing.assert_array_equal(step["b"], -lr * grad["b"])
    # the lecture's chain, checked from the trace's own values
    n = len(net.layers)
    for k in range(1, n + 1):
        name = "output" if k == n else f"layer{k}"
        a_in = X if k == 1 else t[f"layer{k - 1}.a"].value
        delta = t[f"{name}.error_term"].value
        np.testing.assert_allclose(
            t[f"{name}.gradient_W"].value, -a_in.T @ delta / batch, atol=1e-14
        )
        np.testing.assert_allclose(
            t[f"{name}.new_W"].value, before[k - 1] + t[f"{name}.weight_step_W"].value
        )
        if k < n:
            hidden = t[f"{name}.hidden_error"].value * t[f"{name}.derivative"].value
            np.testing.assert_allclose(delta, hidden, atol=1e-14)
    error = t["output.error"].value
    np.testing.assert_allclose(error, y - t["output.a"].value)
    if net.fused_output:  # f'(out) cancels: the error term is the error
        np.testing.assert_allclose(t["output.error_term"].value, error, atol=1e-14)
    if loss == "half_mse":  # against the lecture's per-record loop
        for step, ref in zip(t.weight_steps(), per_record_gradients(net, X, y)):
            np.testing.assert_allclose(step["W"], -lr * ref["W"], atol=1e-13)


def test_trace_to_dict_is_json_and_to_text_shows_every_step():
    rng = np.random.default_rng(0)
    net = random_network(rng, 3, "half_mse", True, "sigmoid")
    X, y = rng.normal(size=(2, net.n_in)), random_targets(rng, net, 2)
    t = bpnn.trace(net, X, y, 0.3)
    record = json.loads(json.dumps(t.to_dict()))
    assert [s["key"] for s in record["steps"]] == t.keys()
    assert len(set(t.keys())) == len(t)
    for step in record["steps"]:
        assert np.shape(step["value"]) == tuple(step["shape"]) == t[step["key"]].shape
    text = t.to_text(precision=4)
    for step in t:
        assert step.matrix in text and step.symbol in text


def test_zh_and_en_hold_the_same_numbers(capsys):
    import re

    number = re.compile(r"-?\d+(?:\.\d+)?(?:e[-+]?\d+)?")
    runs = [
        ["exercise"],
        ["exercise", "linear"],
        ["explain", "--layers", "3,4,2", "--batch", "3", "--bias", "--seed", "5"],
    ]
    for argv in runs:
        texts = {}
        for lang in ("en", "zh"):
            assert main([*argv, "--lang", lang]) == 0
            texts[lang] = capsys.readouterr().out
        assert texts["en"] != texts["zh"]
        assert number.findall(texts["en"]) == number.findall(texts["zh"]), argv
    # the lecture's own terms
    assert main(["exercise", "--lang", "zh"]) == 0
    zh = capsys.readouterr().out
    for term in (
        "正向传播",
        "反向传播",
        "输出节点的误差项",
        "隐藏节点的误差项",
        "权重更新步长",
        "学习率",
    ):
        assert term in zh


def test_bad_trace_arguments_raise_one_clear_error():
    net, X, y, _ = exercises.backprop()
    with pytest.raises(ValueError, match="lr must be > 0"):
        bpnn.trace(net, X, y, 0.0)
    with pytest.raises(ValueError, match="features per record"):
        bpnn.trace(net, np.ones((1, 3)), y, 0.5)
    with pytest.raises(ValueError, match="unknown language"):
        bpnn.trace(net, X, y, 0.5).to_text("fr")
