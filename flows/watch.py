"""Debouncing for `uprdex watch`: one run after a burst of file events, not one per file."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

__all__ = ["Debouncer"]


class Debouncer:
    """Becomes due `quiet` seconds after the last poke."""

    def __init__(self, quiet: float, clock: Callable[[], float] = time.monotonic) -> None:
        if quiet < 0:
            raise ValueError("quiet must not be negative")
        self.quiet = quiet
        self._clock = clock
        self._last: float | None = None
        self._lock = threading.Lock()

    def poke(self) -> None:
        """A file event happened."""
        with self._lock:
            self._last = self._clock()

    def due(self) -> bool:
        """True once, when the quiet period after the last poke has passed."""
        with self._lock:
            if self._last is None or self._clock() - self._last < self.quiet:
                return False
            self._last = None
            return True

    def wait_until_due(self, poll: float = 0.5) -> bool:
        """Sleep in small steps until due (returns True) or for one poll (returns False)."""
        time.sleep(poll)
        return self.due()
