"""Whether this process was asked to stop (a signal a command stops on: `uprdex watch`'s
Ctrl-C or SIGTERM).

A service manager stops a service by signalling every process of it at once (systemd's default
KillMode=control-group, `docker stop`): the command, its temporary Prefect server and its
sandbox workers all get the SIGTERM together. What then fails around the command (a worker
ended by that signal, the server gone) is the stop, not a damaged document or a broken setup;
the parts that see those failures ask here.
"""

from __future__ import annotations

import time

__all__ = ["GRACE", "ask", "clear", "was_asked"]

GRACE = 2.0
"""Seconds a failure that the stop's own signal may have caused (a worker or the server ended
by SIGTERM or SIGINT) waits for the command's handler of that signal before it counts as a
failure of its own."""

_ASKED: list[bool] = []
"""Not empty once a stop was asked. A list, not a threading.Event: `ask` runs in signal
handlers, and an Event's set takes a lock that the main thread, which the handler interrupts,
may hold (in `was_asked`'s wait), and would then wait for itself forever."""
_POLL = 0.05


def ask() -> None:
    """A stop was asked (called from the command's signal handler)."""
    _ASKED.append(True)


def was_asked(within: float = 0.0) -> bool:
    """Whether a stop was asked, waiting up to `within` seconds for it: the signal that ended
    a worker or the server reaches the command's handler a moment later (its main thread runs
    it), maybe after the failure is seen."""
    deadline = time.monotonic() + within
    while not _ASKED and time.monotonic() < deadline:
        time.sleep(_POLL)
    return bool(_ASKED)


def clear() -> None:
    """No stop asked (a command run in-process, by a test, starts afresh)."""
    _ASKED.clear()
