"""Ctrl-C in the process Prefect spawns for a run of `uprdex serve`, before the run begins; and
a SIGTERM that comes before `uprdex serve` has set up its own stop.

Prefect's runner starts each served run in a child process (multiprocessing's spawn) in serve's
process group, so the terminal's Ctrl-C reaches it too. From the moment the run's flow begins,
Prefect reports the interrupted run, and `logs.drop_from_terminal` keeps its crash notes off the
terminal. Before that, in its first second or so, the child is still importing Prefect to
unpickle the flow, and Python's KeyboardInterrupt there printed a 50-line traceback before
serve's one line. Nothing of the run has begun then, so the child ends at once, quietly, with
130, and serve says the one line.

`uprdex serve` imports uprdex, Prefect and the flow for about 1.5 s before it sets up how a
SIGTERM (a service manager's stop) stops it (`cli.scheduling`); a SIGTERM then killed it with
143 and no line. From the first import of `uprdex.flows`, 0.05-0.1 s after the process starts,
such a SIGTERM ends it at once with its line: nothing is registered or served yet.

And how every command that stops on a signal notes the stop as asked (`note_the_stop`, kept in
`pipeline.stopping`): a service manager stops a service by signalling every process of it at
once (systemd's default KillMode=control-group, `docker stop`), and what then fails around the
command (its sandbox workers, its Prefect server, ended by the same signal) is the stop. Once
a process has noted it, it ignores Ctrl-C and SIGTERM (`ignore_stops`): it is ending, and a
second signal (a user who sees no line yet) cut its end short, or printed a KeyboardInterrupt
traceback from wherever it landed. A run's process of `uprdex serve` that has noted it ends at
once, quietly, on serve's SIGINT instead (`quiet_until_the_run`): serve sends it only when it
ends now, and would kill it RUN_WAIT seconds later.

Prefect has no public hook for its SIGTERM handler: ours wraps `engine._prefect_sigterm_handler`,
a private name, which Prefect 3.6.27 to 3.9.1 have (3.6.26 and before make the handler inside
`capture_sigterm`, out of reach). With a Prefect that lacks it, the command says so in one line
(`prefect_lacks`) and goes on without the note.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from types import FrameType
from typing import NoReturn, TypeAlias

from uprdex.flows.exit_codes import EXIT_INTERRUPTED, EXIT_OK
from uprdex.pipeline.stopping import ask as ask_stop
from uprdex.pipeline.stopping import clear as clear_stop
from uprdex.pipeline.stopping import was_asked as stop_was_asked

__all__ = [
    "DEPLOYMENT",
    "NOT_SERVED",
    "SERVED_BY",
    "end_serve",
    "ignore_stops",
    "note_the_stop",
    "noting_the_stop",
    "prefect_lacks",
    "prefects_sigterm_noted",
    "quiet_until_the_run",
    "serving",
    "sigterm_as_ctrl_c",
    "stop_as_ctrl_c",
    "stop_serve_early",
    "stop_watching",
    "the_run_begins",
]

_Handler: TypeAlias = Callable[[int, FrameType | None], object] | signal.Handlers
"""What `signal.signal` takes: a function, or SIG_IGN or SIG_DFL."""

SERVED_BY = "UPRDEX_SERVED_BY"
"""The process id of `uprdex serve`, in the environment of the processes it spawns."""
DEPLOYMENT = "uprdex-nightly"
"""The nightly flow's deployment, as `uprdex serve` registers and serves it."""
NOT_SERVED = f"stopped before nightly/{DEPLOYMENT} was served"
"""How `uprdex serve` says it was stopped before its runner started: nothing ran."""
_PREFECT_KNOWN = "3.6.27 to 3.9.1"
"""The Prefect releases read to have the private names uprdex uses as it uses them
(pyproject.toml pins them)."""
_HANDLER = "_prefect_sigterm_handler"
_UNNOTED = (
    "a service manager's stop (SIGTERM) mid-run is noted only once Prefect has handled the "
    "run's crash, so the document being read then may count as failed"
)
"""What a command does without Prefect's SIGTERM handler to wrap."""
_said: set[str] = set()


def prefect_lacks(name: str, degraded: str) -> None:
    """Says on standard error, in one line and once per process, that this Prefect has no
    `name` (a private name of Prefect's that uprdex uses) and what is `degraded` without it:
    a newer Prefect may move it, and the command goes on without."""
    if name in _said:
        return
    _said.add(name)
    from prefect import __version__

    with suppress(Exception):
        print(
            f"degraded: Prefect {__version__} has no {name} (Prefect {_PREFECT_KNOWN} have "
            f"it): {degraded}; the rest works as usual",
            file=sys.stderr,
            flush=True,
        )


def _prefects_handler_here(say: bool = True) -> bool:
    """Whether Prefect's engine utilities hold the SIGTERM handler each flow run installs by
    the name uprdex wraps; when not, said in one line when `say`."""
    from prefect.utilities import engine

    if callable(getattr(engine, _HANDLER, None)):
        return True
    if say:
        prefect_lacks(f"prefect.utilities.engine.{_HANDLER}", _UNNOTED)
    return False


@contextmanager
def serving() -> Iterator[None]:
    """While in it, the processes this one spawns know they run a run of `uprdex serve`; a
    Prefect without the SIGTERM handler they wrap is said here, once (they say nothing)."""
    _prefects_handler_here()
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
    ctrl_c = signal.getsignal(signal.SIGINT) is signal.default_int_handler
    if current_process().name != "MainProcess" and ctrl_c:
        signal.signal(signal.SIGINT, _end_quietly)
    # A service manager's stop signals this process with serve (and the server, and the run's
    # sandbox workers): noted in Prefect's SIGTERM handler, the workers it ends are the stop's,
    # not their documents' ("probably damaged"). Prefect installs it as the run begins. Serve's
    # own stop then sends this process SIGINT (`_served_runs.stop_runs`), and kills it RUN_WAIT
    # seconds later: once the stop is noted, that SIGINT ends it at once, quietly, as the kill
    # would later. Before, it was ignored (a KeyboardInterrupt traceback in whatever this
    # process was doing, Prefect's drain of its log lines at exit, the CI run of 6bff00f), and
    # every stop of serve mid-run took RUN_WAIT (5 s then). The run's crash handling it cuts
    # short calls a server the stop ended (serve's stop sends it only then, or on a second
    # SIGTERM, which means now); each document is its own transaction, kept whole.
    from prefect.utilities import engine

    if _prefects_handler_here(say=False):  # else serve said it (`serving`)
        engine._prefect_sigterm_handler = noting_the_stop(
            engine._prefect_sigterm_handler, _end_quietly if ctrl_c else signal.SIG_IGN
        )


def the_run_begins() -> None:
    """Ctrl-C interrupts this process as Python's KeyboardInterrupt again, which Prefect's
    engine reports as the run's crash (`quiet_until_the_run` undone: it replaced only that)."""
    if signal.getsignal(signal.SIGINT) is _end_quietly:
        signal.signal(signal.SIGINT, signal.default_int_handler)


def note_the_stop() -> None:
    """Notes the stop as asked (`pipeline.stopping`), and from now on Prefect's log worker
    does not write its "--- Error logging to API ---" to standard error (it writes it only
    while `logging.raiseExceptions`): the stop may have ended the server too, and its last
    lines cannot reach it."""
    ask_stop()
    logging.raiseExceptions = False


def ignore_stops(ctrl_c: _Handler = signal.SIG_IGN) -> None:
    """Ctrl-C and SIGTERM ignored from here on: this process is stopping. With `ctrl_c`,
    Ctrl-C does that instead (`_end_quietly`: it ends the process at once)."""
    signal.signal(signal.SIGINT, ctrl_c)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)


def stop_as_ctrl_c(signum: int, frame: object) -> NoReturn:
    """The stop Ctrl-C makes, noted as asked, once (`uprdex watch`'s SIGINT and SIGTERM,
    `uprdex run`'s SIGTERM): a second Ctrl-C or SIGTERM while the command stops is ignored;
    it ended watch killed by SIGINT (-2) or SIGTERM (-15) halfway through its stop, or cut
    its temporary server's stop short."""
    note_the_stop()
    ignore_stops()
    raise KeyboardInterrupt


AGAIN = 5.0
"""Seconds after `stop_watching` raised the stop from which another Ctrl-C raises it again, if
the command has not begun its own stop by then: the stop's way out through Prefect's crash
handling takes about a second (0.9 s at a load of 10 on 2 cores)."""
_raised: list[float] = []
"""When `stop_watching` raised the stop (a list: appended to in a signal handler, no lock)."""


def stop_watching(signum: int, frame: FrameType | None) -> NoReturn:
    """`uprdex watch`'s stop on Ctrl-C or SIGTERM: as `stop_as_ctrl_c`, but a Ctrl-C that
    comes AGAIN seconds or more after it, while watch has not begun its own stop (which ignores
    them, `ignore_stops`), raises it again. The KeyboardInterrupt a signal raises is lost when
    it lands where Python drops exceptions (a `__del__`, a weakref callback: "Exception ignored
    in ...") or in a library's bare `except:`; with every later Ctrl-C ignored, watch then
    went on watching, and pressing Ctrl-C again did nothing. A Ctrl-C ignored (watch started
    with SIGINT ignored) stays ignored."""
    note_the_stop()
    ours = signal.getsignal(signal.SIGINT) in (stop_watching, _stop_watching_again)
    ignore_stops(_stop_watching_again if ours else signal.SIG_IGN)
    _raised.append(time.monotonic())
    raise KeyboardInterrupt


def _stop_watching_again(signum: int, frame: FrameType | None) -> None:
    """A Ctrl-C after `stop_watching`'s: ignored within AGAIN seconds of the last stop raised
    (on its way: a second one there cut Prefect's crash handling short, with its errors), the
    stop raised again after that."""
    if time.monotonic() - _raised[-1] >= AGAIN:
        stop_watching(signum, frame)


@contextmanager
def sigterm_as_ctrl_c() -> Iterator[None]:
    """While in it, SIGTERM stops the command as Ctrl-C does, noted as asked (`stop_as_ctrl_c`;
    a stop not asked before it); after it, the handler before, unless the stop was asked (the
    command is ending). Not in the main thread (a command run in-process), nothing changes."""
    clear_stop()
    try:
        before = signal.signal(signal.SIGTERM, stop_as_ctrl_c)
    except ValueError:
        yield
        return
    try:
        yield
    finally:
        if not stop_was_asked():
            signal.signal(signal.SIGTERM, before)


def noting_the_stop(
    prefects: Callable[..., NoReturn], ctrl_c: _Handler = signal.SIG_IGN
) -> Callable[..., NoReturn]:
    """Prefect's own SIGTERM handler, which replaces the command's during each flow run (and
    passes the signal on only once the run has handled its crash, which calls a server the
    same stop may have ended: seconds), noting the stop as asked first (`note_the_stop`) and
    ignoring the signals that come after it (`ignore_stops`, with `ctrl_c`; Prefect sets the
    command's handler back before it passes the signal on)."""

    def noted(signum: int, *args: object) -> NoReturn:
        note_the_stop()
        ignore_stops(ctrl_c)
        prefects(signum, *args)

    return noted


@contextmanager
def prefects_sigterm_noted() -> Iterator[None]:
    """While in it, Prefect's own SIGTERM handler notes the stop as asked first
    (`noting_the_stop`); Prefect installs it as each flow run begins. With a Prefect that has
    no such handler, says so in one line and changes nothing."""
    from prefect.utilities import engine

    if not _prefects_handler_here():
        yield
        return
    prefects = engine._prefect_sigterm_handler
    engine._prefect_sigterm_handler = noting_the_stop(prefects)
    try:
        yield
    finally:
        engine._prefect_sigterm_handler = prefects


def _end_quietly(signum: int, frame: FrameType | None) -> None:
    """Ctrl-C before the run began: nothing to keep or undo, nothing to say (serve says it)."""
    os._exit(EXIT_INTERRUPTED)


def stop_serve_early() -> None:
    """In the process of `uprdex serve` (not in a run's process it spawned, nor with
    --register-only or --help), a SIGTERM ends it at once with NOT_SERVED's line and exit 0,
    until serve sets up its own stop (`cli.scheduling._sigterm_stops`) in place of this one.
    Called when `uprdex.flows` is first imported, the console script's first import of ours."""
    args = sys.argv[1:]
    if (
        os.path.basename(sys.argv[0] if sys.argv else "") != "uprdex"
        or args[:1] != ["serve"]
        or {"--register-only", "--help", "-h"} & set(args)
        or os.environ.get(SERVED_BY) == str(os.getppid())
    ):
        return
    with suppress(ValueError):  # not the main thread: not the console script's start
        signal.signal(signal.SIGTERM, _not_served)


def _not_served(signum: int, frame: FrameType | None) -> None:
    """SIGTERM before serve registered anything: `end_serve` raises nothing (an exception
    raised in a handler that lands in a weakref callback is dropped, `cli.scheduling`)."""
    end_serve(NOT_SERVED)


def end_serve(how: str) -> NoReturn:
    """Ends `uprdex serve` now, with exit 0 and its one line (`how`, then what becomes of the
    schedule), without waiting for anything more (`os._exit` raises nothing: it cannot be lost
    where Python drops exceptions). The line is written to the file descriptor: the main
    thread may be halfway through a print."""
    for stream in (sys.stdout, sys.stderr):
        with suppress(Exception):
            stream.flush()
    with suppress(Exception):
        os.write(
            sys.stdout.fileno(),
            f"{how}; runs it schedules wait until `uprdex serve` runs again\n".encode(),
        )
    os._exit(EXIT_OK)
