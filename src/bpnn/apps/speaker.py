"""Printing a run's lines to a reader that may go away.

``bpnn train ... | head -1`` closes the pipe after one line; the run must go
on and write its folder all the same, so printing stops quietly instead.
"""

from __future__ import annotations

import os


class Speaker:
    """Lines to the user's stream; a reader that went away (``| head -1``)
    stops the printing, never the run."""

    def __init__(self, stream):
        self.stream, self.gone = stream, False

    def __call__(self, line):
        if self.gone:
            return
        try:
            print(line, file=self.stream, flush=True)
        except BrokenPipeError:
            self.gone = True
            _silence(self.stream)


def _silence(stream):
    """Point the closed stream's descriptor at /dev/null, so Python's final
    flush does not fail too."""

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass
