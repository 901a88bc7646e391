"""Ctrl-C and SIGTERM held while a thread starts a sandbox worker (pipeline/sandbox.py).

A signal that lands between a fork (or a spawn) and the bookkeeping of its channel would leave a
worker process, or one end of its channel, that nothing stops or closes. `interrupts_held` holds
both signals there: the thread's signal mask holds them in the thread that starts the worker;
in the main thread, where Python runs signal handlers, a stand-in handler notes each one that
comes, and once the worker is kept each noted signal's own handler is called, in the order the
signals came (the first exception, a Ctrl-C's KeyboardInterrupt, goes on after all are called).
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Callable, Iterator
from types import FrameType
from typing import Any

__all__ = ["HELD", "interrupts_held"]

HELD = frozenset({signal.SIGINT, signal.SIGTERM})
"""The signals held: a Ctrl-C, and a service manager's stop."""


@contextlib.contextmanager
def interrupts_held() -> Iterator[None]:
    """SIGINT and SIGTERM held while this thread starts a worker (it keeps the mask until it
    handles them). The mask holds them in this thread; from the main thread, where Python runs
    handlers, these are held too: noted, each called once the worker is kept."""
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, [])  # only read: raising here is harmless
    before: dict[int, Callable[[int, FrameType | None], Any]] = {}
    caught: list[int] = []
    holding = [True]

    def undo() -> None:
        for held, handler in before.items():
            signal.signal(held, handler)

    def hold(signum: int, frame: FrameType | None) -> None:
        if holding:
            caught.append(signum)
        else:  # came as the hold was undone: all put back first (a Ctrl-C cuts that), passed on
            undo()
            before[signum](signum, frame)

    try:  # whatever raises in here (a signal before its hold), the hold is undone
        for signum in HELD if threading.current_thread() is threading.main_thread() else ():
            if callable(handler := signal.getsignal(signum)):  # not SIG_IGN or SIG_DFL
                before[signum] = handler  # first: a signal may interrupt the next call
                signal.signal(signum, hold)
        signal.pthread_sigmask(signal.SIG_BLOCK, HELD)
        yield
    finally:
        try:
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)  # those held reach `hold`
        finally:
            holding.clear()
            try:
                undo()
            finally:  # a handler put back raised as it came: the rest are put back still
                undo()
        with contextlib.ExitStack() as calls:  # each called, though one raises (Ctrl-C's)
            for held in reversed(caught):  # in the order they came: the stack runs them last first
                calls.callback(before[held], held, None)
