"""``bpnn --help`` and the ``--help`` of every sub-command, at any depth, show
an example: a line running that very command."""

from __future__ import annotations

import argparse

import pytest

import bpnn.cli


def commands(parser, prog=("bpnn",)):
    """(command words, parser) for the top parser and every sub-parser below."""
    yield prog, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from commands(sub, (*prog, name))


ALL = list(commands(bpnn.cli.build_parser()))


def examples_part(text):
    lowered = text.lower()
    return lowered.split("example", 1)[1] if "example" in lowered else None


def test_every_top_level_command_is_listed_with_an_example():
    examples = examples_part(bpnn.cli.build_parser().format_help())
    assert examples is not None, "bpnn --help shows no example"
    missing = [name for name in bpnn.cli.COMMANDS if f"bpnn {name}" not in examples]
    assert not missing, f"bpnn --help shows no example of: {', '.join(missing)}"


@pytest.mark.parametrize("words, parser", ALL, ids=[" ".join(w) for w, _ in ALL])
def test_help_shows_an_example(words, parser):
    command = " ".join(words)
    examples = examples_part(parser.format_help())
    assert examples is not None, f"`{command} --help` shows no example"
    assert command in examples, (
        f"`{command} --help` has an example heading but no `{command} ...` line"
    )


def test_help_through_main_exits_0(capsys):
    with pytest.raises(SystemExit) as stop:
        bpnn.cli.main(["exercise", "--help"])
    assert stop.value.code == 0
    assert "example" in capsys.readouterr().out.lower()
