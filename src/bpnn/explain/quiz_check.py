"""Marking a quiz: read the answers, mark each, explain the first wrong one.

An answer is right when it lies within half a unit of the last significant
figure asked (``quiz.is_right``). The explanation names the quantity, its
formula and the values it is computed from, all read from the trace.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from .quiz import is_right, text_sig
from .quiz_text import describe
from .text import check_lang, format_value, name_and_words

WORDS = {
    "en": {
        "right": "✓ {key} = {given}",
        "wrong": "✗ {key} = {given}   expected {answer}",
        "missing": "– {key}: no answer (expected {answer})",
        "score": "{right} of {total} right.",
        "first": "The first wrong answer: {key} = {given}; expected {answer} "
        "(exact {exact}).",
        "is": "  It is the {what}",
        "from": "  computed from:",
        "lr": "learning rate η",
        "element": "  (element {index} of {symbol})",
    },
    "zh": {
        "right": "✓ {key} = {given}",
        "wrong": "✗ {key} = {given}   应为 {answer}",
        "missing": "– {key}: 未作答 (应为 {answer})",
        "score": "{total} 题中答对 {right} 题。",
        "first": "第一个错误的答案: {key} = {given}; 应为 {answer} (精确值 {exact})。",
        "is": "  它是{what}",
        "from": "  由以下各量算出:",
        "lr": "学习率 η",
        "element": "  (即 {symbol} 的元素 {index})",
    },
}


@dataclass(frozen=True)
class Mark:
    question: object
    given: float | None

    def right(self, digits) -> bool:
        return self.given is not None and is_right(
            self.given, self.question.exact, digits
        )


def read_answers(source) -> dict:
    """``key=value,...`` typed out, or a file of such lines (``#`` starts a
    comment, ``?`` is no answer): key -> number."""
    where = "answers"
    text = str(source)
    path = Path(text)
    if "=" not in text and path.is_file():
        where, text = str(path), path.read_text(encoding="utf-8")
    elif "=" not in text:
        raise InputError(
            f"--check takes a file of answers or key=value pairs, got {text!r} "
            "(no such file)"
        )
    answers = {}
    for number, line in enumerate(text.splitlines(), 1):
        for part in _split(line.split("#", 1)[0]):
            key, eq, value = part.partition("=")
            key, value = key.strip(), value.strip()
            if not eq or not key:
                raise InputError(f"{where}, line {number}: {part!r} is not key = value")
            if value in ("", "?"):
                continue
            try:
                answers[key] = float(value)
            except ValueError:
                raise InputError(
                    f"{where}, line {number}: the answer to {key} is not a number: "
                    f"{value!r}"
                ) from None
    return answers


def mark(quiz, answers) -> list:
    """One ``Mark`` per question, in the quiz's order; an unknown key is an
    error, an unanswered question a mark without a value."""
    known = {q.key for q in quiz.questions}
    unknown = [key for key in answers if key not in known]
    if unknown:
        keys = ", ".join(q.key for q in quiz.questions[:4])
        raise InputError(
            f"the answers name {unknown[0]!r}, which this exercise does not ask; "
            f"its keys are {keys}, ..."
        )
    return [Mark(q, answers.get(q.key)) for q in quiz.questions]


def report(quiz, marks, lang="en") -> str:
    """A line per question, the score, and the first wrong answer explained."""
    words = WORDS[check_lang(lang)]
    lines, first = [], None
    for m in marks:
        q = m.question
        answer = text_sig(q.exact, quiz.digits)
        given = "" if m.given is None else f"{m.given:g}"
        if m.right(quiz.digits):
            lines.append(words["right"].format(key=q.key, given=given))
            continue
        kind = "missing" if m.given is None else "wrong"
        lines.append(words[kind].format(key=q.key, given=given, answer=answer))
        if first is None and m.given is not None:
            first = m
    right = sum(m.right(quiz.digits) for m in marks)
    lines.append(words["score"].format(right=right, total=len(marks)))
    if first is not None:
        lines += ["", *explain(quiz, first, lang)]
    return "\n".join(lines) + "\n"


def explain(quiz, m, lang="en") -> list:
    """Which formula, which inputs and which value the answer should have."""
    words = WORDS[lang]
    q, t = m.question, quiz.trace
    lines = [
        words["first"].format(
            key=q.key,
            given=f"{m.given:g}",
            answer=text_sig(q.exact, quiz.digits),
            exact=repr(q.exact),
        ),
        words["is"].format(
            what=f"{describe(q, lang)}   ({name_and_words(q.step, lang)[1]})"
        ),
    ]
    if "[" in q.key:
        index = q.key[q.key.index("[") :]
        lines.append(words["element"].format(index=index, symbol=q.step.symbol))
    lines.append(words["from"])
    for key in inputs(t, q.step):
        if key == "learning_rate":
            lines.append(f"    {words['lr']} = {format_value(t.learning_rate)}")
            continue
        step = t[key]
        rule = f" = {step.formula}" if step.kind == "derivative" else ""
        value = format_value(step.value).replace("\n", "\n" + " " * 6)
        lines.append(f"    {step.symbol}{rule} = {value}")
    return lines


def inputs(t, step) -> list:
    """The trace keys a step is computed from (``learning_rate`` for η)."""
    n = len(t.sizes) - 1
    k, kind = step.layer, step.kind

    def name(j):
        return "input" if j == 0 else "output" if j == n else f"layer{j}"

    here = name(k)
    before = "input.x" if k == 1 else f"{name(k - 1)}.a"
    bias = [f"{here}.b"] if f"{here}.b" in t else []
    derivative = [f"{here}.derivative"] if f"{here}.derivative" in t else []
    if kind == "weighted_input":
        return [before, f"{here}.W", *bias]
    if kind in ("activation", "prediction"):
        return [f"{here}.h"]
    if kind == "error" or (kind == "error_term" and step.formula == "y − ŷ"):
        return ["target.y", f"{here}.a"]
    if kind == "error_term":
        gradient = [f"{here}.loss_gradient"] if "∂L" in step.formula else []
        return [f"{here}.error", *gradient, *derivative]
    if kind == "hidden_error_term":
        after = name(k + 1)
        return [
            f"{after}.error_term",
            f"{after}.W",
            f"{here}.hidden_error",
            *derivative,
        ]
    if kind == "weight_step_W":
        return ["learning_rate", before, f"{here}.error_term"]
    return ["learning_rate", f"{here}.error_term"]  # weight_step_b


def _split(line):
    """Split at commas and semicolons outside brackets (``h[1,2]=0.3``)."""
    parts, depth, start = [], 0, 0
    for i, c in enumerate(line):
        depth += {"[": 1, "]": -1}.get(c, 0)
        if c in ",;" and depth == 0:
            parts.append(line[start:i])
            start = i + 1
    parts.append(line[start:])
    return [p for p in parts if p.strip()]
