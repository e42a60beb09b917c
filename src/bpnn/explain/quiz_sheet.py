"""Worksheets for a class: per seed a Markdown exercise, its key, and drawings.

``write_sheets(quizzes, folder)`` writes ``exercise-007.md`` (the network, its
drawing with the givens only, and a table of blanks), ``exercise-007-key.md``
(the answers, and the drawing with every value), the two SVGs they show, and a
``README.md`` that lists them.
"""

from __future__ import annotations

from pathlib import Path

from .drawing import draw
from .quiz import text_sig
from .quiz_text import givens, options
from .text import check_lang

WORDS = {
    "en": {
        "rules": "Give each answer to {digits} significant figures; carry the "
        "unrounded values forward. Indices count from 1.",
        "head": "| key | quantity | answer |",
        "key_head": "| key | quantity | answer | exact |",
        "key_title": "# Answers to exercise {seed}",
        "picture": "the network of exercise {seed}",
        "index": "# Exercises",
        "key": "answers",
        "check": "Mark a filled-in form with `bpnn quiz {options} --check FILE` "
        "(print the form with `bpnn quiz {options}`).",
    },
    "zh": {
        "rules": "每个答案保留 {digits} 位有效数字; 后续计算使用未舍入的值。下标从 1 开始。",
        "head": "| 键 | 所求的量 | 答案 |",
        "key_head": "| 键 | 所求的量 | 答案 | 精确值 |",
        "key_title": "# 练习 {seed} 的答案",
        "picture": "练习 {seed} 的网络",
        "index": "# 练习",
        "key": "答案",
        "check": "用 `bpnn quiz {options} --check FILE` 批改填好的答案 "
        "(用 `bpnn quiz {options} --lang zh` 打印答题表)。",
    },
}


def write_sheets(quizzes, folder, lang="en") -> list:
    """Write every quiz's worksheet, key and drawings into ``folder``."""
    from .quiz_text import describe

    words = WORDS[check_lang(lang)]
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written, index = [], [words["index"], ""]
    for quiz in quizzes:
        name = f"exercise-{quiz.seed:03d}"
        lines = givens(quiz, lang)
        picture = words["picture"].format(seed=quiz.seed)
        intro = [lines[0], "", *(f"- {line[2:]}" for line in lines[1:]), ""]
        drawings = _drawings(quiz, lang)
        sheet = [*intro, *([f"![{picture}]({name}.svg)", ""] if drawings else [])]
        sheet += [words["rules"].format(digits=quiz.digits), "", words["head"]]
        sheet.append("|---|---|---|")
        key = [words["key_title"].format(seed=quiz.seed), "", *intro[2:]]
        key += [f"![{picture}]({name}-key.svg)", ""] if drawings else []
        key.append(words["key_head"])
        key.append("|---|---|---|---|")
        for q in quiz.questions:
            what = describe(q, lang).replace("|", "\\|")
            sheet.append(f"| `{q.key}` | {what} | |")
            answer = text_sig(q.exact, quiz.digits)
            key.append(f"| `{q.key}` | {what} | {answer} | {q.exact!r} |")
        sheet += ["", words["check"].format(options=options(quiz))]
        files = {f"{name}.md": "\n".join(sheet), f"{name}-key.md": "\n".join(key)}
        if drawings:
            files[f"{name}.svg"], files[f"{name}-key.svg"] = drawings
        for file, text in files.items():
            (folder / file).write_text(text.rstrip("\n") + "\n", encoding="utf-8")
            written.append(folder / file)
        index.append(f"- [{name}]({name}.md) ([{words['key']}]({name}-key.md))")
    (folder / "README.md").write_text("\n".join(index) + "\n", encoding="utf-8")
    return [folder / "README.md", *written]


def _drawings(quiz, lang):
    """The exercise's drawing with the givens and with every value, or
    nothing for a network too large to draw."""
    from ..errors import InputError

    try:
        return draw(quiz.trace, lang, "given"), draw(quiz.trace, lang, "update")
    except InputError:
        return None
