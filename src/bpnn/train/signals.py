"""Ctrl-C and SIGTERM as a request to stop between two training steps."""

from __future__ import annotations

import signal
import threading


class StopOnSignal:
    """Turn SIGINT and SIGTERM into a flag checked between steps, so a step is
    never cut in half; a second Ctrl-C stops at once (KeyboardInterrupt).
    Outside the main thread signals are left alone."""

    def __init__(self, signals=(signal.SIGINT, signal.SIGTERM)):
        self.signals = signals
        self.received = None
        self._previous = {}

    def _handler(self, signum, frame):
        if self.received == signal.SIGINT == signum:
            raise KeyboardInterrupt
        self.received = signum

    def __enter__(self):
        if threading.current_thread() is threading.main_thread():
            for sig in self.signals:
                self._previous[sig] = signal.signal(sig, self._handler)
        return self

    def __exit__(self, *exc):
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)
        return False
