"""``bpnn --help`` and every sub-command's ``--help`` show an example."""

from __future__ import annotations

import pytest

import bpnn.cli


def help_text(argv, capsys):
    with pytest.raises(SystemExit) as stop:
        bpnn.cli.main(argv)
    assert stop.value.code == 0
    return capsys.readouterr().out


def test_main_help_shows_an_example_of_every_command(capsys):
    text = help_text(["--help"], capsys)
    assert "example" in text.lower()
    examples = text.lower().split("example", 1)[1]
    missing = [name for name in bpnn.cli.COMMANDS if f"bpnn {name}" not in examples]
    assert not missing, f"bpnn --help shows no example of: {', '.join(missing)}"


@pytest.mark.parametrize("name", bpnn.cli.COMMANDS)
def test_command_help_shows_an_example(name, capsys):
    text = help_text([name, "--help"], capsys)
    assert "example" in text.lower(), f"bpnn {name} --help shows no example"
    # the example is a command line of this very sub-command
    assert f"bpnn {name}" in text.lower().split("example", 1)[1], (
        f"bpnn {name} --help has an example heading but no `bpnn {name} ...` line"
    )
