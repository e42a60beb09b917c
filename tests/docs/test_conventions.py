"""One convention everywhere: the lecture's error term δ = (y − ŷ)·f′ and
weight step ΔW = η·aᵀδ (added); the half mean squared error called ½·MSE
(or half-MSE), never plain "MSE". A guard, so the old wording cannot return."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from bpnn.cli import main

ROOT = Path(__file__).resolve().parents[2]
TEXTS = [
    ROOT / "README.md",
    *sorted((ROOT / "docs").rglob("*.md")),
    *sorted((ROOT / "notebooks").glob("*.ipynb")),
]
#: the loss 1/(2m) Σ(ŷ − y)² written out, in text, LaTeX or code
HALF_MSE = re.compile(r"1/\(2m\)|\\frac\{1\}\{2m\}|\.mean\(\) / 2|/ \(2 \* B\)")
#: how the half mean squared error may be named near its formula
NAMED = re.compile(
    r"½·MSE|half[ -_]?(the )?m(ean|se)|half_mse|均方误差的一半", re.IGNORECASE
)
#: the old wording: δ as the gradient ∂L/∂h, a weight step subtracted
OLD = [
    r"δ\S* = ∂Loss/∂h",
    r"δ is ∂Loss/∂h",
    r"\(ŷ − y\) / m · 1",
    r"\(y_hat - y\) / B",
    r"wi = wi − α·Δwi",
    r"W ← W − η ∂Loss/∂W",
]


def text_of(path: Path) -> str:
    if path.suffix == ".ipynb":
        cells = json.loads(path.read_text())["cells"]
        return "\n\n".join("".join(c["source"]) for c in cells)
    return path.read_text()


@pytest.mark.parametrize("path", TEXTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_half_mse_is_named_as_such(path):
    text = text_of(path)
    for match in HALF_MSE.finditer(text):
        around = text[max(0, match.start() - 300) : match.end() + 200]
        assert NAMED.search(around), (
            f"{path.name}: the loss {match.group(0)!r} is not called ½·MSE nearby:\n"
            f"{around}"
        )


@pytest.mark.parametrize("path", TEXTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_opposite_sign_error_term(path):
    text = text_of(path)
    for pattern in OLD:
        assert not re.search(pattern, text), f"{path.name}: old convention {pattern}"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_exercise_linear_names_the_gradient_and_adds_the_step(capsys, lang):
    assert main(["exercise", "linear", "--lang", lang]) == 0
    out = capsys.readouterr().out
    assert "Δwi = −α·∂Loss/∂wi = α·(y − ŷ)·xi" in out
    assert "wi ← wi + Δwi" in out
    for pattern in OLD:
        assert not re.search(pattern, out)
    # the one line that says where the lecture's first page differs
    assert out.count("Δwi") >= 3 and ("first page" in out or "第一页" in out)


def test_the_checker_sees_a_bare_mse():
    bad = "the lecture's MSE, 1/(2m) Σ (ŷ − y)²"
    match = HALF_MSE.search(bad)
    assert match and not NAMED.search(bad)
