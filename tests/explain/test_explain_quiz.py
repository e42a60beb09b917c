"""bpnn quiz: the answers are the trace of the network printed, marking
accepts the key and rejects a changed last digit, seeds reproduce."""

import ast
import io
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from contextlib import redirect_stdout
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bpnn
from bpnn.cli import main
from bpnn.explain.quiz import is_right, make_quiz

SRC = Path(__file__).resolve().parents[2] / "src"


def run(argv):
    """(exit status, stdout) of ``bpnn argv`` run in this process."""
    out = io.StringIO()
    with redirect_stdout(out):
        status = main(argv)
    return status, out.getvalue()


def printed(argv):
    status, out = run(["quiz", *argv, "--json", "--answers"])
    assert status == 0
    return json.loads(out)


def retrace(record):
    """bpnn.trace of the network, data and learning rate the quiz printed."""
    acts = record["activations"]
    layers = [
        bpnn.Dense(a, b, act, bias=record["bias"])
        for a, b, act in zip(record["sizes"], record["sizes"][1:], acts)
    ]
    net = bpnn.Network(layers, loss=record["loss"])
    for layer, entry in zip(net.layers, record["weights"]):
        layer.W[:] = entry["W"]
        if record["bias"]:
            layer.b[:] = entry["b"]
    X, y = np.array(record["x"]), np.array(record["y"])
    return bpnn.trace(net, X, y, record["learning_rate"])


OUTPUTS = [
    ("half_mse", None),
    ("mse", None),
    ("bce", "sigmoid"),
    ("cross_entropy", "softmax"),
]


@given(
    seed=st.integers(0, 10**6),
    sizes=st.lists(st.integers(1, 3), min_size=2, max_size=4),
    hidden=st.sampled_from(["sigmoid", "tanh", "relu", "identity"]),
    output=st.sampled_from(OUTPUTS),
    bias=st.booleans(),
    batch=st.integers(1, 3),
)
@settings(max_examples=30, deadline=None)
def test_answers_are_the_trace_of_the_printed_network(
    seed, sizes, hidden, output, bias, batch
):
    loss, out_act = output
    if out_act == "softmax":
        sizes = [*sizes[:-1], max(sizes[-1], 2)]
    acts = [hidden] * (len(sizes) - 2) + [out_act or hidden]
    argv = [
        "--seed",
        str(seed),
        "--layers",
        ",".join(map(str, sizes)),
        "--activations",
        ",".join(acts),
        "--loss",
        loss,
        "--batch",
        str(batch),
        "--bias" if bias else "--no-bias",
    ]
    record = printed(argv)
    t = retrace(record)
    for q in record["questions"]:
        value = t[q["step"]].value[tuple(q["index"])]
        assert q["exact"] == value, q["key"]
        assert float(q["answer"]) == float(f"{value:.3g}")
    # every quantity the lecture asks, in its order, and nothing else
    asked = list(dict.fromkeys(q["step"] for q in record["questions"]))
    assert asked == [
        s.key
        for s in t
        if s.kind
        in {
            "weighted_input",
            "activation",
            "prediction",
            "error",
            "error_term",
            "hidden_error_term",
            "weight_step_W",
            "weight_step_b",
        }
    ]
    # the givens are short round numbers, exactly k/10
    for v in np.concatenate(
        [np.ravel(record["x"]), np.ravel(record["y"])]
        + [np.ravel(e[p]) for e in record["weights"] for p in e]
    ):
        assert float(v) == round(v, 1) and repr(float(v)) == repr(round(float(v), 1))


def sigmoid(v):
    return 1 / (1 + np.exp(-v))


def test_golden_2_1_1_by_hand_from_the_printed_exercise():
    """The default exercise, worked out here from its printed text alone."""
    status, text = run(["quiz", "--seed", "11"])
    assert status == 0
    given = dict(
        re.findall(
            r"^# (input x|weights W0|weights W1|target y|learning "
            r"rate η)[^=]*= (.+)$",
            text,
            re.MULTILINE,
        )
    )
    x = np.array(ast.literal_eval(given["input x"]))
    W0 = np.array(ast.literal_eval(given["weights W0"])).ravel()
    W1 = float(given["weights W1"])
    y, lr = float(given["target y"]), float(given["learning rate η"])
    h = x @ W0
    a = sigmoid(h)
    y_hat = sigmoid(W1 * a)
    delta_o = (y - y_hat) * y_hat * (1 - y_hat)
    delta_h = W1 * delta_o * a * (1 - a)
    by_hand = {
        "layer1.h": h,
        "layer1.a": a,
        "output.h": W1 * a,
        "output.a": y_hat,
        "output.error": y - y_hat,
        "output.error_term": delta_o,
        "layer1.error_term": delta_h,
        "output.weight_step_W": lr * delta_o * a,
        "layer1.weight_step_W[1]": lr * delta_h * x[0],
        "layer1.weight_step_W[2]": lr * delta_h * x[1],
    }
    answers = {q["key"]: q["exact"] for q in printed(["--seed", "11"])["questions"]}
    assert answers.keys() == by_hand.keys()
    for key, value in by_hand.items():
        np.testing.assert_allclose(answers[key], value, rtol=1e-12, err_msg=key)
    # and the form lists exactly these questions, in this order
    assert re.findall(r"^(\S+) = \?", text, re.MULTILINE) == list(by_hand)


def answer_key(argv):
    status, text = run(["quiz", *argv, "--answers"])
    assert status == 0
    return text


@pytest.mark.parametrize(
    "argv", [["--seed", "3"], ["--seed", "5", "--layers", "3,4,2,1", "--bias"]]
)
def test_check_accepts_the_key_and_rejects_each_changed_last_digit(tmp_path, argv):
    key = answer_key(argv)
    path = tmp_path / "key.txt"
    path.write_text(key, encoding="utf-8")
    status, report = run(["quiz", *argv, "--check", str(path)])
    n = len(
        make_quiz(
            int(argv[1]),
            *([[3, 4, 2, 1]] if "--bias" in argv else []),
            bias="--bias" in argv,
        ).questions
    )
    assert status == 0 and f"{n} of {n} right." in report
    lines = [line for line in key.splitlines() if not line.startswith("#")]
    for i, line in enumerate(lines[:12]):
        name, value = re.match(r"(\S+) = (\S+)", line).groups()
        digit = int(re.search(r"\d(?=\D*$)", value.split("e")[0]).group())
        changed = re.sub(r"\d(?=\D*$)", str((digit + 1) % 10), value.split("e")[0])
        changed += value[len(value.split("e")[0]) :]
        status, report = run(["quiz", *argv, "--check", f"{name}={changed}"])
        assert status == 1
        assert f"✗ {name} = " in report
        assert f"The first wrong answer: {name} = " in report, report


def test_the_first_wrong_quantity_is_named_and_explained():
    quiz = make_quiz(3)
    wrong = {q.key: q.exact for q in quiz.questions}
    wrong["output.error_term"] *= 1.1
    wrong["layer1.weight_step_W[2]"] *= 2
    given = ",".join(f"{k}={v!r}" for k, v in wrong.items())
    status, report = run(["quiz", "--seed", "3", "--check", given])
    assert status == 1
    explained = report.split("\n\n", 1)[1]
    assert explained.startswith("The first wrong answer: output.error_term")
    assert "output error term δo = (y − ŷ) ⊙ f'(out)" in explained
    t = quiz.trace
    e, deriv = t["output.error"].value.item(), t["output.derivative"].value.item()
    assert f"e = {e:.6g}" in explained
    assert f"f'(out) = ŷ(1 − ŷ) = {deriv:.6g}" in explained
    assert "8 of 10 right." in report and "layer1.weight_step_W[2]" in report


def test_is_right_within_the_stated_rounding():
    assert is_right(0.122, 0.121832, 3) and is_right(0.12183, 0.121832, 3)
    assert not is_right(0.123, 0.121832, 3) and not is_right(0.121, 0.121832, 3)
    assert is_right(0.00046, 0.000456826, 2) and not is_right(0.00045, 0.000456826, 2)
    assert is_right(0.0, 0.0, 3) and not is_right(0.001, 0.0, 3)
    assert not is_right(float("nan"), 0.5, 3)


def test_a_seed_gives_the_same_exercise_everywhere():
    argv = ["quiz", "--seed", "42", "--layers", "3,2,1", "--bias", "--answers"]
    assert run(argv) == run(argv)
    other = subprocess.run(
        [sys.executable, "-m", "bpnn", *argv],
        env={**os.environ, "PYTHONPATH": str(SRC), "PYTHONHASHSEED": "7"},
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
    )
    assert other.stdout == run(argv)[1]
    assert run(["quiz", "--seed", "43"])[1] != run(["quiz", "--seed", "42"])[1]


def test_chinese_form_and_figure(tmp_path):
    path = tmp_path / "q.svg"
    status, text = run(["quiz", "--seed", "2", "--lang", "zh", "--figure", str(path)])
    assert status == 0
    assert "输出节点的误差项 δo" in text and "权重更新步长 ΔW0" in text
    svg = path.read_text(encoding="utf-8")
    ET.fromstring(svg)
    assert "ŷ = ?" in svg and "输入层" in svg  # the givens only


def test_sheets_for_a_range_of_seeds(tmp_path):
    status, _ = run(["quiz", "--seed", "1-3", "--sheet", str(tmp_path / "class")])
    assert status == 0
    folder = tmp_path / "class"
    names = sorted(p.name for p in folder.iterdir())
    assert len(names) == 13 and "README.md" in names
    for seed in (1, 2, 3):
        quiz = make_quiz(seed)
        sheet = (folder / f"exercise-00{seed}.md").read_text(encoding="utf-8")
        key = (folder / f"exercise-00{seed}-key.md").read_text(encoding="utf-8")
        assert f"![the network of exercise {seed}](exercise-00{seed}.svg)" in sheet
        rows = [r for r in sheet.splitlines() if r.startswith("| `")]
        assert len(rows) == len(quiz.questions) and all(r.endswith("| |") for r in rows)
        for q in quiz.questions:
            assert f"| `{q.key}` |" in key and f"| {q.exact!r} |" in key
        for svg in (f"exercise-00{seed}.svg", f"exercise-00{seed}-key.svg"):
            ET.parse(folder / svg)


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--seed", "2-4"], "names 3 exercises: write them with --sheet DIR"),
        (["--seed", "x"], "--seed takes a whole number, a range 1-30"),
        (["--check", "layer9.h=1"], "the answers name 'layer9.h'"),
        (["--check", "layer1.h=abc"], "the answer to layer1.h is not a number"),
        (["--check", "no-such-file.txt"], "no such file"),
        (["--layers", "2,x"], "--layers takes layer sizes"),
        (["--digits", "0"], "--digits must be from 1 to 9"),
        (["--layers", "12,1", "--figure", "q.svg"], "too large to draw legibly"),
    ],
)
def test_mistakes_are_one_line(tmp_path, monkeypatch, capsys, argv, message):
    monkeypatch.chdir(tmp_path)
    assert main(["quiz", *argv]) == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.splitlines()) == 1 and message in err, err


def test_sheets_of_a_network_too_large_to_draw_have_no_drawing(tmp_path):
    folder = tmp_path / "wide"
    assert (
        run(["quiz", "--seed", "4", "--layers", "12,1", "--sheet", str(folder)])[0] == 0
    )
    assert sorted(p.name for p in folder.iterdir()) == [
        "README.md",
        "exercise-004-key.md",
        "exercise-004.md",
    ]
    assert "![" not in (folder / "exercise-004.md").read_text(encoding="utf-8")
