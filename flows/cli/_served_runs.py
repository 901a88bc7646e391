"""The runs `uprdex serve` starts: what serve says of one interrupted alone, and what becomes of
those still under way when serve ends at once (a second SIGTERM, `cli.scheduling`).

Prefect's runner keeps each run's process in its process manager (`runner._process_manager`,
a private attribute: Prefect has no public way to follow a runner's runs). Serve wraps its
`add` and `remove` to note the runs it started and to tell how each one's process ended. Prefect
3.6.22 to 3.9.1 keep it so (3.6.21 and before, in a dict); with a runner that keeps its
processes otherwise, serve says so in one line (`interrupts.prefect_lacks`) and serves its runs
all the same.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable
from contextlib import suppress
from typing import TYPE_CHECKING

from rich.markup import escape

from uprdex.flows.cli._common import err
from uprdex.flows.interrupts import DEPLOYMENT, prefect_lacks
from uprdex.flows.logs import INTERRUPTED

if TYPE_CHECKING:
    from uuid import UUID

    from prefect.runner import Runner

__all__ = [
    "MARK_WAIT",
    "RUN_WAIT",
    "follow",
    "left_on_the_server",
    "mark_left",
    "server_gone",
    "stop_runs",
]

RUN_WAIT = 10.0
"""Seconds a run's process that serve ends at once has to stop on Ctrl-C's signal before it
is killed: its crash report and the drain of its logs to the server took 1.9-3.5 s in 8 stops
(load average 7-10 on 2 cores), 2.7-5.3 s in 8 more beside a busy loop (one over 5 s)."""
MARK_WAIT = 3.0
"""Seconds serve, ending at once, gives the Prefect server to record the end of the runs its
stop ended (`mark_left`): a second SIGTERM means now, and a server that is stopping too may
never answer."""
CANCELLED = "Cancelled as uprdex serve stopped (a second SIGTERM): its process has ended"
"""The message of the state `mark_left` gives a run."""
_UNFOLLOWED = (
    "serve does not say a run of its interrupted alone, and a run a second SIGTERM ends may "
    "show Running on the Prefect server"
)
"""What serve does without the runner's process manager to follow."""


def follow(runner: Runner, stopping: Callable[[], bool], ours: set[UUID]) -> None:
    """From now on, notes in `ours` each run `runner` starts, until its process ends while
    serve's stop has not begun (a run whose process ends in the stop stays: the stop may end
    serve before the runner records the run's end, `mark_left`).

    And serve says in a line a run of its that an interrupt signal ended mid-run while serve
    goes on (`kill -INT` of the run's process alone): that process reports its crash itself and
    exits 0, so Prefect's runner says nothing, and the run's own notes of it are the ones a
    terminal's Ctrl-C makes (left off the terminal there: `logs.Interrupted`). Serve tells the
    two apart: a Ctrl-C reaches serve too, whose stop has begun by then (`stopping`). In the
    run's first second, the runner's note of exit 130 says it (`logs.EndedBeforeItsRun`). With
    a Prefect whose runner keeps its processes otherwise, nothing is noted, and serve says so
    in one line."""
    manager = getattr(runner, "_process_manager", None)
    add, remove = getattr(manager, "add", None), getattr(manager, "remove", None)
    if manager is None or add is None or remove is None or not hasattr(manager, "get"):
        prefect_lacks("Runner._process_manager", _UNFOLLOWED)
        return

    async def added(flow_run_id: UUID, *args: object, **kwargs: object) -> None:
        ours.add(flow_run_id)
        await add(flow_run_id, *args, **kwargs)

    async def removed(flow_run_id: UUID) -> None:
        handle = manager.get(flow_run_id)
        await remove(flow_run_id)
        if stopping():
            return
        ours.discard(flow_run_id)
        if handle is None or handle.returncode != 0:
            return
        from prefect import get_client

        with suppress(Exception):  # a server that does not answer: the run's state is unknown
            async with get_client() as client:
                run = await client.read_flow_run(flow_run_id)
            state = run.state
            if state and state.is_crashed() and INTERRUPTED in (state.message or ""):
                err.print(
                    f"[yellow]interrupted[/] run {escape(run.name)} of nightly/{DEPLOYMENT}: "
                    "an interrupt signal sent to its process alone ended it mid-run; it is "
                    "marked crashed, the documents it indexed are kept, whole, and the next "
                    "run reads the rest"
                )

    manager.add, manager.remove = added, removed


def stop_runs() -> str:
    """Stops the processes of the runs this serve started that still run, as Ctrl-C stops
    them (SIGINT: the run is marked crashed; what it indexed is kept, whole, each document its
    own transaction), killing any still there RUN_WAIT seconds later; says which, for serve's
    line ("" when none ran)."""
    import multiprocessing
    from multiprocessing.connection import wait

    # Prefect's runner spawns each run's process (multiprocessing's spawn), a child of serve.
    runs = [run for run in multiprocessing.active_children() if run.pid]
    for run in runs:
        with suppress(OSError):
            os.kill(run.pid, signal.SIGINT)  # type: ignore[arg-type]
    deadline = time.monotonic() + RUN_WAIT
    for run in runs:
        run.join(max(0.0, deadline - time.monotonic()))
    # A run whose sentinel closed has ended: Prefect's runner joins each run in a thread of its
    # own, which may reap it before noting its exit code, and is_alive() is then True (ECHILD).
    killed = [run for run in runs if not wait([run.sentinel], 0) and run.is_alive()]
    for run in killed:
        with suppress(OSError):
            os.kill(run.pid, signal.SIGKILL)  # type: ignore[arg-type]
    if not runs:
        return ""
    pids = ", ".join(str(run.pid) for run in runs)
    return (
        f"; its run still running was stopped (process {pids}"
        f"{f', killed after {RUN_WAIT:.0f} s' if killed else ''}): the documents it indexed "
        "are kept, whole, and the next run reads the rest"
    )


def mark_left(ours: set[UUID]) -> str:
    """Marks cancelled on the Prefect server each run in `ours` (their processes ended) that it
    does not show ended: serve ends before its runner has recorded the cancel of the run its
    stop ended, or a run `stop_runs` killed; without it the run showed Running for ever, with
    no process. Says which, for serve's line ("" when none); a run the server did not mark
    within MARK_WAIT seconds is named with the command that clears it."""
    runs = frozenset(ours)  # a copy: the runner's loop may still change `ours`
    if not runs:
        return ""
    marked: list[str] = []
    ended: set[UUID] = set()
    lock = threading.Lock()

    def mark() -> None:
        from prefect import get_client
        from prefect.states import Cancelled

        with suppress(Exception), get_client(sync_client=True) as client:
            for flow_run_id in sorted(runs, key=str):
                run = client.read_flow_run(flow_run_id)
                left = run.state is None or not run.state.is_final()
                if left:
                    client.set_flow_run_state(flow_run_id, Cancelled(message=CANCELLED), force=True)
                with lock:
                    ended.add(flow_run_id)
                    marked.extend([run.name] if left else [])

    # In a thread it leaves behind when the server has not answered in time: Prefect's client
    # waits PREFECT_API_REQUEST_TIMEOUT (60 s) per try.
    marking = threading.Thread(target=mark, name="uprdex-mark-runs", daemon=True)
    marking.start()
    marking.join(MARK_WAIT)
    with lock:
        names, left = list(marked), sorted(runs - ended, key=str)
    said = "".join(f"; run {escape(name)} marked cancelled on the Prefect server" for name in names)
    return said + "".join(
        f"; run {flow_run_id} may show Running on the Prefect server, which did not record its "
        f"end within {MARK_WAIT:.0f} s: its process has ended; `prefect flow-run delete "
        f"{flow_run_id}` clears it"
        for flow_run_id in left
    )


def server_gone() -> bool:
    """Whether the Prefect server of PREFECT_API_URL refuses connections (it has stopped)."""
    import socket
    from urllib.parse import urlparse

    url = urlparse(os.environ.get("PREFECT_API_URL", ""))
    if not url.hostname:
        return False
    port = url.port or (443 if url.scheme == "https" else 80)
    try:
        socket.create_connection((url.hostname, port), timeout=0.5).close()
    except ConnectionRefusedError:
        return True
    except OSError:  # slow or unreachable is not gone
        return False
    return False


def left_on_the_server(ours: set[UUID]) -> str:
    """Says each run in `ours` (their processes ended) that the stopped server may show
    Running when it is back, with the command that clears it, for serve's line."""
    return "".join(
        f"; run {flow_run_id} may show Running on the Prefect server when it is back: its "
        f"process has ended; `prefect flow-run delete {flow_run_id}` clears it"
        for flow_run_id in sorted(frozenset(ours), key=str)
    )
