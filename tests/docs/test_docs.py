"""Every code example in README.md and docs/ runs.

Each Markdown file's fenced blocks run in document order, in one namespace and
one fresh temporary directory, so a block may use what an earlier block made (a
model file, a CSV). ```python blocks are executed; in ```bash / ```console
blocks every ``bpnn ...`` command (also after ``&&`` or a ``$`` prompt) runs
in-process through ``bpnn.cli.main`` and must exit 0; other shell lines (pip,
pytest) are left alone. A block whose info string has the word ``norun`` (a
full-length training run, a file the reader brings) is not run: its python is
compiled and its ``bpnn`` commands are parsed, so a renamed option still fails.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

import bpnn.cli

ROOT = Path(__file__).resolve().parents[2]
DOCS = [ROOT / "README.md"] + sorted((ROOT / "docs").rglob("*.md"))
FENCE = re.compile(r"^```([^\n]*)\n(.*?)^```", re.DOTALL | re.MULTILINE)
SHELLS = {"bash", "sh", "shell", "console"}


def blocks(path):
    """(line number, language, words of the info string, code) per fenced block."""
    text = path.read_text(encoding="utf-8")
    for match in FENCE.finditer(text):
        words = match.group(1).split()
        line = text.count("\n", 0, match.start()) + 1
        yield line, (words[0] if words else ""), words[1:], match.group(2)


def bpnn_commands(code):
    """The ``bpnn`` command lines of a shell block, as argument lists."""
    for raw in code.splitlines():
        line = raw.strip().removeprefix("$ ")
        for part in line.split("&&"):
            args = shlex.split(part, comments=True)
            if args and args[0] == "bpnn":
                if any(token in args for token in ("|", ">", "<", ";")):
                    raise AssertionError(
                        f"{raw!r}: write one plain bpnn command per line"
                    )
                yield args


def check_without_running(where, line, lang, code):
    """A ``norun`` block: python must compile, bpnn commands must parse."""
    if lang == "python":
        compile(code, f"{where}:{line}", "exec")
    elif lang in SHELLS:
        parser = bpnn.cli.build_parser()
        for args in bpnn_commands(code):
            try:
                parser.parse_args(args[1:])
            except SystemExit as stop:
                raise AssertionError(
                    f"{where}, line {line}: `{shlex.join(args)}` does not parse"
                ) from stop


def test_docs_have_examples():
    counts = {p.name: sum(1 for b in blocks(p) if b[1] == "python") for p in DOCS}
    assert counts["README.md"] >= 1, counts
    assert sum(counts.values()) >= 3, counts


@pytest.mark.parametrize("path", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_code_examples_run(path, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    namespace = {"__name__": "__docs__"}
    where = path.relative_to(ROOT)
    for line, lang, words, code in blocks(path):
        if "norun" in words:
            check_without_running(where, line, lang, code)
        elif lang == "python":
            try:
                exec(compile(code, f"{where}:{line}", "exec"), namespace)  # noqa: S102
            except Exception as err:  # report the block, then re-raise
                raise AssertionError(f"{where}, block at line {line}: {err!r}") from err
        elif lang in SHELLS:
            for args in bpnn_commands(code):
                try:
                    status = bpnn.cli.main(args[1:])
                except SystemExit as stop:  # --help, --version, argparse errors
                    status = stop.code or 0
                err = capsys.readouterr().err
                assert status == 0, (
                    f"{where}, line {line}: `{shlex.join(args)}` exited {status}: {err}"
                )
