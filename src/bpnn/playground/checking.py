"""Check my work: a learner's hand-computed values against the trace.

A value typed as ``0.122`` is right when the exact value rounds to 0.122 at the
three decimals typed (its rounding, not ours). For the lecture's exercise the
page's own numbers count as right too, with the note that they carry a rounded
number forward. The first wrong value gets a hint: the step's formula and the
values it reads.
"""

from __future__ import annotations

import re

import numpy as np

from .checks import RequestError

_NUMBER = re.compile(r"^[+\-−]?(\d+\.?\d*|\.\d+)([eE][+\-]?\d+)?$")
MAX_ANSWERS = 200


def parse_typed(text):
    """(values, decimals): numbers separated by commas, spaces or semicolons,
    and the fewest decimals typed among them."""
    if not isinstance(text, str) or not text.strip():
        raise RequestError(f"an answer must be typed numbers, got {text!r}")
    parts = [p for p in re.split(r"[\s,;\[\]()]+", text.strip()) if p]
    if not parts or len(parts) > 1000:
        raise RequestError(f"an answer must be typed numbers, got {text!r}")
    values, decimals = [], []
    for part in parts:
        if not _NUMBER.match(part):
            raise RequestError(f"{part!r} is not a number")
        mantissa, _, exponent = part.replace("−", "-").lower().partition("e")
        digits = len(mantissa.partition(".")[2])
        decimals.append(digits - int(exponent or 0))
        values.append(float(part.replace("−", "-")))
    return np.array(values), min(decimals)


def agrees(typed, decimals, exact):
    """True when ``exact`` rounded to ``decimals`` is what was typed."""
    exact = np.asarray(exact, dtype=float).ravel()
    if typed.size != exact.size:
        return False
    step = 10.0 ** (-decimals)
    return bool(np.all(np.abs(np.round(exact / step) * step - typed) <= step * 1e-6))


def check(t, answer, answers, lang="en"):
    """``answers`` {key: typed text} -> {key: {"right", "decimals", "exact",
    "note"}} and the hint for the first wrong key, in trace order."""
    if not isinstance(answers, dict) or len(answers) > MAX_ANSWERS:
        raise RequestError("answers must be an object {step key: typed value}")
    keys = set(t.keys())
    unknown = [k for k in answers if k not in keys]
    if unknown:
        raise RequestError(f"no step {unknown[0]!r} in this trace")
    lecture = answer.get("lecture", {})
    results, hint = {}, None
    for step, record in zip(t, answer["trace"]["steps"]):
        if step.key not in answers:
            continue
        typed, decimals = parse_typed(answers[step.key])
        right = agrees(typed, decimals, step.value)
        note = None
        if not right and step.key in lecture:
            page = np.atleast_1d(np.asarray(lecture[step.key], dtype=float))
            if typed.size == page.size and np.allclose(typed, page, atol=1e-12):
                right, note = True, "lecture"
        results[step.key] = {"right": right, "decimals": decimals, "note": note}
        if not right and hint is None:
            hint = hint_for(record, lang)
            hint["key"] = step.key
    return {"results": results, "hint": hint}


def hint_for(record, lang):
    """Which formula, with which inputs, and the shape it has."""
    name = record["name"][lang]
    formula = record["formula"] or record["words"][lang]
    return {
        "name": name,
        "symbol": record["symbol"],
        "formula": formula,
        "substituted": record.get("substituted"),
        "words": record["words"][lang],
        "shape": record["matrix"],
    }
