"""Ctrl-C in the process Prefect spawns for a run of `uprdex serve`, before the run begins.

Prefect's runner starts each served run in a child process (multiprocessing's spawn) in serve's
process group, so the terminal's Ctrl-C reaches it too. From the moment the run's flow begins,
Prefect reports the interrupted run, and `logs.off_the_terminal` keeps its crash notes off the
terminal. Before that, in its first second or so, the child is still importing Prefect to
unpickle the flow, and Python's KeyboardInterrupt there printed a 50-line traceback before
serve's one line. Nothing of the run has begun then, so the child ends at once, quietly, with
130, and serve says the one line.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

__all__ = ["SERVED_BY", "quiet_until_the_run", "serving", "the_run_begins"]

SERVED_BY = "UPRDEX_SERVED_BY"
"""The process id of `uprdex serve`, in the environment of the processes it spawns."""
EXIT_INTERRUPTED = 130


@contextmanager
def serving() -> Iterator[None]:
    """While in it, the processes this one spawns know they run a run of `uprdex serve`."""
    os.environ[SERVED_BY] = str(os.getpid())
    try:
        yield
    finally:
        os.environ.pop(SERVED_BY, None)


def quiet_until_the_run() -> None:
    """In a run's process `uprdex serve` spawned (a multiprocessing child of serve's),
    Ctrl-C ends the process at once and quietly, until `the_run_begins`. Called when
    `uprdex.flows` is first imported: the child imports it as it re-imports the `uprdex`
    console script (multiprocessing's `__mp_main__`), before it unpickles the flow and so
    imports Prefect."""
    if os.environ.get(SERVED_BY) != str(os.getppid()):
        return
    from multiprocessing import current_process

    # Multiprocessing names its child before it re-imports the console script there. A
    # Ctrl-C the process ignores (serve started with SIGINT ignored, as `uprdex serve &` in a
    # script is) stays ignored: only Python's own KeyboardInterrupt is replaced.
    if (
        current_process().name != "MainProcess"
        and signal.getsignal(signal.SIGINT) is signal.default_int_handler
    ):
        signal.signal(signal.SIGINT, _end_quietly)


def the_run_begins() -> None:
    """Ctrl-C interrupts this process as Python's KeyboardInterrupt again, which Prefect's
    engine reports as the run's crash (`quiet_until_the_run` undone: it replaced only that)."""
    if signal.getsignal(signal.SIGINT) is _end_quietly:
        signal.signal(signal.SIGINT, signal.default_int_handler)


def _end_quietly(signum: int, frame: FrameType | None) -> None:
    """Ctrl-C before the run began: nothing to keep or undo, nothing to say (serve says it)."""
    os._exit(EXIT_INTERRUPTED)
