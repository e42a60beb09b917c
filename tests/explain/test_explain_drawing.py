"""The network drawing: valid SVG, one element per neuron and per weight,
the trace's values at its printed rounding, both languages, size limits,
and the --figure option of the commands."""

import itertools
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest

import bpnn
from bpnn.cli import main
from bpnn.errors import InputError
from bpnn.explain import exercises
from bpnn.explain.drawing import draw, html
from bpnn.explain.text import format_value

SVG = "{http://www.w3.org/2000/svg}"


def lecture_trace():
    return bpnn.trace(*exercises.backprop())


def network_trace(sizes, bias=False, batch=1, seed=0):
    rng = np.random.default_rng(seed)
    net = bpnn.Network.from_sizes(sizes, bias=bias, seed=seed)
    X = np.round(rng.normal(size=(batch, sizes[0])), 1)
    y = np.round(rng.uniform(size=(batch, sizes[-1])), 1)
    return bpnn.trace(net, X, y, 0.5)


def groups(root, cls):
    return [g for g in root.iter(f"{SVG}g") if g.get("class") == cls]


def texts(element):
    return [t.text for t in element.iter(f"{SVG}text")]


@pytest.mark.parametrize(
    "sizes, bias, batch",
    [
        ([2, 1, 1], False, 1),
        ([3, 4, 2, 1], False, 2),
        ([3, 4, 2, 1], True, 1),
        ([10, 10, 3], True, 3),
        ([5, 2], False, 1),
    ],
)
def test_one_node_per_neuron_and_one_edge_per_weight(sizes, bias, batch):
    t = network_trace(sizes, bias, batch)
    root = ET.fromstring(draw(t))
    nodes, edges = groups(root, "node"), groups(root, "edge")
    assert sorted(
        (int(g.get("data-layer")), int(g.get("data-index"))) for g in nodes
    ) == [(k, j) for k, n in enumerate(sizes) for j in range(n)]
    assert len(edges) == sum(a * b for a, b in itertools.pairwise(sizes))
    for g in edges:  # each edge carries its weight and weight step, exactly
        k, i, j = (int(g.get(f"data-{a}")) for a in ("layer", "from", "to"))
        name = "output" if k == len(sizes) - 1 else f"layer{k}"
        assert float(g.get("data-weight")) == t[f"{name}.W"].value[i, j]
        assert float(g.get("data-step")) == t[f"{name}.weight_step_W"].value[i, j]
    if batch > 1:
        assert f"record 1 of the batch of {batch}" in draw(t)


def test_the_lectures_exercise_shows_the_traces_values():
    t = lecture_trace()
    svg = draw(t)
    shown = set(
        itertools.chain(*(texts(g) for g in groups(ET.fromstring(svg), "node")))
    )
    for key in ("output.a", "output.error_term", "layer1.error_term"):
        value = format_value(t[key].value)
        assert any(line.endswith(f"= {value}") for line in shown), (key, value)
    for number in ("0.512372", "0.121832", "0.0030455", "0.0301535"):
        assert number in svg
    step = format_value(t["output.weight_step_W"].value)
    edge = groups(ET.fromstring(svg), "edge")[-1]
    assert f"Δ {step}" in texts(edge)


def test_stages_show_only_what_has_been_computed():
    t = lecture_trace()
    given, forward = draw(t, stage="given"), draw(t, stage="forward")
    backward = draw(t, stage="backward")
    assert "0.512372" not in given and "ŷ = ?" in given and "x₁ = 0.1" in given
    assert "0.512372" in forward and "0.121832" not in forward
    assert "0.121832" in backward and "data-step" not in backward
    assert "0.0301535" not in backward
    with pytest.raises(InputError, match="stage must be one of"):
        draw(t, stage="after")


def test_chinese_labels():
    svg = draw(lecture_trace(), lang="zh")
    ET.fromstring(svg)
    for word in ("输入层", "隐藏层 1", "输出层", "误差项", "权重更新步长", "学习率"):
        assert word in svg, word
    assert "hidden layer" not in svg


def rects(group):
    return [
        tuple(float(r.get(a)) for a in ("x", "y", "width", "height"))
        for r in group.iter(f"{SVG}rect")
    ]


def overlap(a, b):
    return (
        a[0] < b[0] + b[2]
        and b[0] < a[0] + a[2]
        and a[1] < b[1] + b[3]
        and (b[1] < a[1] + a[3])
    )


@pytest.mark.parametrize("sizes", [[2, 1, 1], [3, 4, 2, 1], [6, 5, 4]])
def test_labels_and_boxes_do_not_overlap(sizes):
    root = ET.fromstring(draw(network_trace(sizes, bias=True)))
    labels = [r for g in groups(root, "edge") for r in rects(g)]
    boxes = [r for g in groups(root, "node") for r in rects(g)]
    assert len(labels) == len(groups(root, "edge"))  # every edge is labelled
    for a, b in itertools.combinations(labels + boxes, 2):
        assert not overlap(a, b), (a, b)


def test_an_oversize_network_is_refused():
    with pytest.raises(InputError, match=r"11-3-1 is too large to draw legibly"):
        draw(network_trace([11, 3, 1]))


def test_the_notebook_shows_the_drawing_and_a_table():
    t = lecture_trace()
    assert t._repr_svg_() == draw(t)
    page = t._repr_html_()
    assert page.count("<svg") == 1 and "<table>" in page
    assert all(f"<td>{key}</td>" in page for key in [s.key for s in t])
    big = network_trace([12, 2, 1])
    assert big._repr_svg_() is None
    assert "too large to draw legibly" in html(big) and "<table>" in html(big)


@pytest.mark.parametrize("command", [["exercise"], ["explain", "--layers", "3,4,2,1"]])
def test_figure_option_writes_svg(tmp_path, capsys, command):
    path = tmp_path / "net.svg"
    assert main([*command, "--figure", str(path)]) == 0
    assert "output error term" in capsys.readouterr().out
    root = ET.parse(path).getroot()
    assert len(groups(root, "node")) >= 4


def test_figure_option_writes_png(tmp_path):
    pytest.importorskip("matplotlib")
    path = tmp_path / "net.png"
    assert main(["exercise", "--lang", "zh", "--figure", str(path)]) == 0
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert path.stat().st_size > 10_000


@pytest.mark.parametrize(
    "argv, message",
    [
        (["explain", "--layers", "11,2,1"], "the network 11-2-1 is too large to draw"),
        (["exercise"], "a drawing is written as .svg or .png"),
    ],
)
def test_figure_mistakes_are_one_line(tmp_path, capsys, argv, message):
    name = "net.svg" if "explain" in argv else "net.pdf"
    assert main([*argv, "--figure", str(tmp_path / name)]) == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.splitlines()) == 1 and message in err
    assert not (tmp_path / name).exists()


def test_the_readmes_drawing_is_current():
    docs = Path(__file__).resolve().parents[2] / "docs" / "exercise-network.svg"
    assert docs.read_text(encoding="utf-8") == draw(lecture_trace())


def test_full_precision_prints_plain_floats():
    """``precision=None`` is repr of each number: 0.1, not np.float64(0.1)."""
    from bpnn.explain.text import format_value

    assert format_value(np.array([0.1, 0.25]), None) == "[0.1, 0.25]"
    assert format_value(np.float64(1 / 3), None) == repr(1 / 3)
