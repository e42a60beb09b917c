"""The exercise, explain and shapes commands: output, shapes and user errors."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bpnn
from bpnn.cli import COMMANDS, main

SRC = Path(__file__).resolve().parents[2] / "src"
SHAPE = re.compile(r"\(([B\d,]*)\)")


def run_json(capsys, argv):
    assert main([*argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def parse_shape(text, batch):
    """``(B,3)`` -> (batch, 3)."""
    dims = [d for d in text.split(",") if d]
    return tuple(batch if d == "B" else int(d) for d in dims)


@pytest.mark.parametrize("sizes", [[3, 4, 2, 1], [6, 2, 1], [2, 5, 3]])
@pytest.mark.parametrize("bias", [False, True])
def test_printed_shapes_equal_the_arrays_shapes(capsys, sizes, bias):
    batch = 3
    argv = ["shapes", ",".join(map(str, sizes)), "--batch", str(batch)]
    argv += ["--bias"] if bias else []
    assert main(argv) == 0
    text = capsys.readouterr().out
    steps = run_json(capsys, argv)["steps"]
    # the arrays themselves, from the engine on a network of these sizes
    net = bpnn.Network.from_sizes(sizes, bias=bias, seed=1)
    X, y = np.zeros((batch, sizes[0])), np.zeros((batch, sizes[-1]))
    net.forward(X)
    net.backward(y)
    arrays = {"input.x": X, "target.y": y, "output.error": y}
    for k, layer in enumerate(net.layers, 1):
        name = "output" if k == len(net.layers) else f"layer{k}"
        arrays |= {f"{name}.{a}": getattr(layer, a) for a in ("W", "h", "a")}
        arrays |= {f"{name}.error_term": layer.delta, f"{name}.gradient_W": layer.dW}
        arrays |= {f"{name}.weight_step_W": layer.dW, f"{name}.new_W": layer.W}
        if bias:
            arrays |= {f"{name}.b": layer.b, f"{name}.gradient_b": layer.db}
    lines = [line.strip() for line in text.splitlines() if line.startswith("      ")]
    assert len(lines) == len(steps)  # one shape line per step, no values
    for line, step in zip(lines, steps):
        assert line == step["matrix"]
        shapes = [parse_shape(s, batch) for s in SHAPE.findall(line)]
        assert shapes[-1] == tuple(step["shape"]), step["key"]
        if step["key"] in arrays:
            assert shapes[-1] == arrays[step["key"]].shape, step["key"]
        if "·(" in line and ")·(" in line:  # a matrix product: inner sizes agree
            left, right = shapes[0], shapes[1]
            assert left[1] == right[0] and shapes[-1] == (left[0], right[1]), line
    assert all("=" not in line for line in lines)  # shapes, no numbers


def test_shapes_show_the_lectures_matrix_form(capsys):
    assert main(["shapes", "3,4,2,1", "--batch", "2"]) == 0
    text = capsys.readouterr().out
    assert "(B,3)·(3,4) → (B,4)" in text
    assert "(3,B)·(B,4) / B → (3,4)" in text  # dW0 = xᵀ·δh1 / B
    assert "(B,2)·(2,4) → (B,4)" in text  # hidden error δh2·W1ᵀ


@given(
    seed=st.integers(0, 2**31 - 1),
    sizes=st.lists(st.integers(1, 4), min_size=3, max_size=5),
    batch=st.integers(1, 4),
    bias=st.booleans(),
    lr=st.sampled_from([0.05, 0.5, 1.3]),
    act=st.sampled_from(["sigmoid", "tanh", "relu", "identity"]),
)
@settings(max_examples=15, deadline=None)
def test_explain_steps_are_minus_lr_times_gradients(seed, sizes, batch, bias, lr, act):
    rng = np.random.default_rng(seed)
    net = bpnn.Network.from_sizes(sizes, act, bias=bias, seed=seed)
    for layer in net.layers:
        if bias:
            layer.b[:] = rng.normal(0, 0.5, layer.b.shape)
    X, y = rng.normal(size=(batch, sizes[0])), rng.uniform(size=(batch, sizes[-1]))
    weights = [
        {"W": layer.W.tolist(), **({"b": layer.b.tolist()} if bias else {})}
        for layer in net.layers
    ]
    argv = [
        "explain",
        "--layers",
        ",".join(map(str, sizes)),
        "--activations",
        act,
        "--weights",
        json.dumps(weights),
        "--x",
        json.dumps(X.tolist()),
        "--y",
        json.dumps(y.tolist()),
        f"--lr={lr}",
        "--bias" if bias else "--no-bias",
    ]
    with _captured() as out:
        assert main(argv + ["--json"]) == 0
    steps = {
        s["key"]: np.array(s["value"]) for s in json.loads(out.getvalue())["steps"]
    }
    grads = net.gradients(X, y)
    n = len(net.layers)
    for k, grad in enumerate(grads, 1):
        name = "output" if k == n else f"layer{k}"
        np.testing.assert_allclose(
            steps[f"{name}.weight_step_W"], -lr * grad["W"], rtol=1e-13, atol=1e-16
        )
        if bias:
            np.testing.assert_allclose(
                steps[f"{name}.weight_step_b"], -lr * grad["b"], rtol=1e-13, atol=1e-16
            )


class _captured:
    """stdout captured for hypothesis, which cannot use the capsys fixture."""

    def __enter__(self):
        import io

        self.old, sys.stdout = sys.stdout, io.StringIO()
        return sys.stdout

    def __exit__(self, *exc):
        sys.stdout = self.old


BAD = [
    (["explain", "--layers", "2,x,1"], "--layers takes layer sizes"),
    (["explain", "--layers", "2"], "needs at least 2 sizes"),
    (["shapes", "3,0,1"], "every layer size must be >= 1"),
    (["explain", "--activations", "sigmoidd"], "unknown activation 'sigmoidd'"),
    (["explain", "--activations", "sigmoid,relu,tanh"], "one per layer (2), got 3"),
    (["explain", "--activations", "softmax,sigmoid"], "only allowed on the output"),
    (["explain", "--loss", "hinge"], "unknown loss 'hinge'"),
    (
        ["explain", "--weights", "[[0.4, -0.2, 0.3], [0.1]]"],
        "layer 1 W has shape (3,) (3 numbers) but the layer needs shape (2, 2)",
    ),
    (
        ["explain", "--layers", "2,3,1", "--weights", "[[[1,2],[3,4]], [[1],[2],[3]]]"],
        "layer 1 W has shape (2, 2)",
    ),
    (
        ["explain", "--weights", "[[1, 2, 3, 4]]"],
        "one entry per layer (2), got 1 entries",
    ),
    (["explain", "--weights", "[[1,2"], "not valid JSON"),
    (
        ["explain", "--weights", '[{"W": [1,2,3,4], "b": [0,0]}, [1,2]]'],
        "has a bias b but the network has none",
    ),
    (["explain", "--x", "0.1,0.2,0.3"], "--x has 3 number(s) per record but the first"),
    (["explain", "--x", "0.1,abc"], "--x takes numbers"),
    (["explain", "--x", "0.1,nan"], "--x holds a non-finite number"),
    (["explain", "--weights", "5"], "needs a JSON list with one entry per layer"),
    (["explain", "--x", "0.1,0.3", "--y", "1;0"], "--x has 1 record(s) but --y has 2"),
    (["explain", "--y", "1,2,3"], "--y has 3 values per record"),
    (["explain", "--lr=-1"], "--lr must be a positive number"),
    (["explain", "--x", "0.1,0.3", "--batch", "2"], "either --x or --batch"),
    (["shapes", "3,4,1", "--batch", "0"], "--batch must be >= 1"),
    (["exercise", "--precision", "0"], "--precision must be >= 1"),
]


@pytest.mark.parametrize("argv, message", BAD, ids=[" ".join(a) for a, _ in BAD])
def test_bad_input_exits_2_with_one_clear_line(capsys, argv, message):
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("bpnn: error: "), captured.err
    assert message in lines[0]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_help_shows_an_example(capsys, command):
    with pytest.raises(SystemExit) as exit_:
        main([command, "--help"])
    assert exit_.value.code == 0
    assert f"  bpnn {command}" in capsys.readouterr().out


def test_bpnn_exercise_runs_as_a_program():
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    ok = subprocess.run(
        [sys.executable, "-m", "bpnn", "exercise"],
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert ok.returncode == 0, ok.stderr
    assert "output error term δo = (y − ŷ) ⊙ f'(out)" in ok.stdout
    bad = subprocess.run(
        [sys.executable, "-m", "bpnn", "explain", "--layers", "2,2,1", "--x", "1"],
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    assert bad.stderr.startswith("bpnn: error: --x has 1 number(s)")
