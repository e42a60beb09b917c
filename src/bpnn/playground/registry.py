"""Every live training session by id; the abandoned ones are closed.

A session no page has asked about (a command, a state, an open event stream)
for ``idle_s`` seconds is closed, and so is the least recently seen one when
there are more than ``max_sessions``: its thread ends and its network, data
and history are freed.
"""

from __future__ import annotations

import threading
import time

from .checks import RequestError


class Sessions:
    """Every live session by id, closing the abandoned ones."""

    def __init__(self, idle_s=60.0, max_sessions=8):
        self.idle_s, self.max_sessions = idle_s, max_sessions
        self._lock = threading.Lock()
        self._items = {}

    def add(self, session):
        with self._lock:
            self._items[session.id] = session
        self.sweep()
        return session

    def get(self, session_id):
        with self._lock:
            session = self._items.get(session_id)
        if session is None:
            raise RequestError(f"no session {session_id!r} (start training again)", 404)
        session.last_seen = time.monotonic()
        return session

    def remove(self, session_id):
        with self._lock:
            session = self._items.pop(session_id, None)
        if session is not None:
            session.close()

    def sweep(self):
        """Close sessions idle too long, then the least recently seen ones
        beyond ``max_sessions``."""
        now = time.monotonic()
        with self._lock:
            items = sorted(self._items.values(), key=lambda s: s.last_seen)
            idle = [s for s in items if now - s.last_seen > self.idle_s]
            extra = items[: max(0, len(items) - self.max_sessions)]
        for session in {s.id: s for s in idle + extra}.values():
            self.remove(session.id)

    def __len__(self):
        with self._lock:
            return len(self._items)

    def close(self):
        with self._lock:
            ids = list(self._items)
        for session_id in ids:
            self.remove(session_id)
