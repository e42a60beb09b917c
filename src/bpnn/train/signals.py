"""Ctrl-C and SIGTERM as a request to stop between two training steps, and
as something a run's writing is shielded from."""

from __future__ import annotations

import contextlib
import math
import signal
import threading

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Interrupted(BaseException):
    """A signal that stops work at once (``signum``: which one)."""

    def __init__(self, signum):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


class _Handlers:
    """Installs ``self._handler`` for ``self.signals`` while the ``with``
    block runs, and puts the previous handlers back; outside the main thread
    (where Python cannot take signals) it leaves them alone."""

    signals = STOP_SIGNALS

    def __enter__(self):
        self._previous = {}
        if threading.current_thread() is threading.main_thread():
            for sig in self.signals:
                self._previous[sig] = signal.signal(sig, self._handler)
        return self

    def __exit__(self, *exc):
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)
        return False


class StopOnSignal(_Handlers):
    """Turn SIGINT and SIGTERM into a flag checked between steps, so a step is
    never cut in half; the ``hard_after``-th Ctrl-C stops at once
    (KeyboardInterrupt). Outside the main thread signals are left alone."""

    #: which Ctrl-C stops at once; ``patient_signals`` raises it for a caller
    #: that saves the run after the step (``bpnn train``)
    hard_after = 2

    def __init__(self, signals=STOP_SIGNALS):
        self.signals = signals
        self.received = None
        self.count = 0

    def _handler(self, signum, frame):
        self.count += 1
        if signum == signal.SIGINT and self.count >= self.hard_after:
            raise KeyboardInterrupt
        self.received = signum


@contextlib.contextmanager
def patient_signals(hard_after=3):
    """Within: ``fit`` stops at once only at the ``hard_after``-th Ctrl-C, so a
    second one still ends the step and leaves a run that can be saved."""
    before = StopOnSignal.hard_after
    StopOnSignal.hard_after = hard_after
    try:
        yield
    finally:
        StopOnSignal.hard_after = before


class SignalGuard(_Handlers):
    """SIGINT and SIGTERM counted while a run is set up, written and closed.

    Each signal is recorded in ``received``; while more than ``allowance``
    have come, the handler raises ``Interrupted`` at once. ``allowance`` 0
    stops at the first signal (nothing worth keeping yet); ``shielded()``
    lifts it for a stretch that must not be cut (writing a checkpoint).
    """

    def __init__(self, allowance=0):
        self.allowance = allowance
        self.received = []

    def _handler(self, signum, frame):
        self.received.append(signum)
        if len(self.received) > self.allowance:
            raise Interrupted(signum)

    def check(self):
        """Raise now if more signals have come than are allowed."""
        if len(self.received) > self.allowance:
            raise Interrupted(self.received[-1])

    @contextlib.contextmanager
    def shielded(self, check_after=True):
        """No signal stops the work inside; one that came is acted on after
        (unless ``check_after`` is False: the work was the last)."""
        before, self.allowance = self.allowance, math.inf
        try:
            yield
        finally:
            self.allowance = before
        if check_after:
            self.check()
