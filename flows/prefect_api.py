"""One temporary Prefect API for a run, started while the run's modules are still importing.

Without PREFECT_API_URL, Prefect starts a temporary server when a flow first asks for its API
(a fresh interpreter that imports the server and opens its database: 10 s and more here), after
uprdex and Prefect have been imported, and it stops it at exit, waiting for its shutdown. Here
the same server (Prefect's own ASGI app, run by uvicorn as Prefect runs it) is started first,
in parallel with those imports, named in PREFECT_API_URL for the rest of the run, and stopped
once the run's log lines and events have been sent. With PREFECT_API_URL set, nothing starts:
the run is recorded on that server.
"""

from __future__ import annotations

import contextlib
import ctypes
import importlib.util
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import IO

from uprdex.flows.exit_codes import EXIT_OK, EXIT_USAGE
from uprdex.flows.logs import Notes, drop_from_loggers
from uprdex.pipeline import stopping as stop
from uprdex.pipeline.errors import UprdexError
from uprdex.pipeline.files import remove_unfinished

__all__ = [
    "API",
    "answers",
    "environment",
    "free_port",
    "lost",
    "temporary_api",
    "unanswered",
]


@contextlib.contextmanager
def environment(values: dict[str, str]) -> Iterator[None]:
    """These environment variables during the block, the previous values after it (a command
    run in-process, by a test or a notebook, leaves the environment as it found it)."""
    before = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start(port: int, log: IO[bytes] | None) -> subprocess.Popen[bytes]:
    """The server on `port`; what it prints goes to `log` (None: this process's own output)."""
    spec = importlib.util.find_spec("prefect")
    assert spec is not None and spec.origin is not None
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "--app-dir",
            str(Path(spec.origin).parent.parent),
            "--factory",
            "prefect.server.api.server:create_app",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "error",
            "--lifespan",
            "on",
        ],
        env={
            # Automations (triggers and their actions) watch every event of a server that
            # outlives its runs; this one stops with the run. A value set by the user wins.
            "PREFECT_SERVER_SERVICES_TRIGGERS_ENABLED": "false",
            **os.environ,
            "PREFECT_UI_ENABLED": "0",
            "PREFECT__SERVER_EPHEMERAL": "1",  # what Prefect's temporary server sets
            "PREFECT__SERVER_FINAL": "1",
        },
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=log,
        # A process group of its own, so that Ctrl-C at the terminal stops the run alone,
        # which sends its last events, then stops the server (stopped with it, the server
        # took the run's end 15 s of tries and errors).
        process_group=0,
        preexec_fn=None if _PRCTL is None else partial(_dies_with, os.getpid(), _PRCTL),
    )


def _prctl() -> Callable[..., int] | None:
    """Linux's prctl, looked up here: the server's child process only calls it (a lookup
    there, in a copy of a process with threads, could wait on a lock no thread will free)."""
    try:
        return ctypes.CDLL(None).prctl
    except (OSError, AttributeError):
        return None


_PRCTL = _prctl() if sys.platform == "linux" else None
_PR_SET_PDEATHSIG = 1


def _dies_with(run: int, prctl: Callable[..., int]) -> None:
    """In the server's process, before it starts: SIGTERM when the run's process `run` ends
    anyhow (killed), so that the server never outlives the run."""
    prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != run:  # the run ended before that
        os._exit(0)


def answers(url: str, timeout: float, server: subprocess.Popen[bytes] | None = None) -> bool:
    """True once the Prefect API at `url` answers its health check; False when `timeout`
    seconds pass first, or `server` (the process serving it) stops."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server is not None and server.poll() is not None:
            return False
        with contextlib.suppress(OSError), urllib.request.urlopen(f"{url}/health", timeout=2):
            return True
        time.sleep(0.1)
    return False


# The closing line of a traceback: "sqlalchemy.exc.OperationalError: ... unable to open ..."
_EXCEPTION_LINE = re.compile(r"^[A-Za-z_][\w.]*(?:Error|Exception)\b")


def _why(log: IO[bytes] | None) -> str:
    """Why the server stopped, as it printed it to `log`: its last exception, else its last
    line ("" when it printed nothing there)."""
    if log is None:
        return ""
    log.seek(0)
    lines = [line.rstrip() for line in log.read().decode(errors="replace").splitlines()]
    exceptions = [line for line in lines if _EXCEPTION_LINE.match(line)]
    said = [line.strip() for line in lines if line.strip()]
    return (exceptions or said or [""])[-1]


def _wait(url: str, server: subprocess.Popen[bytes], timeout: float, log: IO[bytes] | None) -> None:
    if answers(url, timeout, server):
        return
    if server.poll() is not None:
        said = _why(log)
        raise UprdexError(
            f"the temporary Prefect server stopped at start (exit code {server.returncode}"
            f"{f': {said}' if said else ''}); run `prefect server start` and set "
            "PREFECT_API_URL, or see `uprdex run --verbose`"
        )
    raise UprdexError(
        f"the temporary Prefect server did not answer within {timeout:g} s; raise "
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS or set PREFECT_API_URL"
    )


class API:
    """The Prefect API of one `uprdex run`: `ready()` waits until it answers; `temporary` says
    whether the run started it (and stops it at the end); `done()`, that the run's work is
    done."""

    def __init__(
        self, wait: Callable[[], None] | None = None, finished: threading.Event | None = None
    ) -> None:
        self._wait = wait
        self._finished = threading.Event() if finished is None else finished
        self.temporary = wait is not None
        self.stop_line: Callable[[], None] | None = None
        """Says the command's own last line when the server dies after its stop was asked (a
        service manager's stop signals the server too): the process then ends with it, exit 0
        (None: the server's loss is an error, as for any command)."""
        self.stop_code = EXIT_OK
        """The exit code of the process ended so (`uprdex watch` stops with 0, `uprdex run`
        cut short with EXIT_STOPPED)."""

    def done(self) -> None:
        """The run's flow has returned, its documents and outputs written: a temporary server
        that stops from now on takes only the run's last log lines and events with it (`lost`
        then says so), and the run still ends with its summary."""
        self._finished.set()

    def ready(self) -> None:
        """Wait until the API answers (at once when it is not the run's own)."""
        if self._wait is not None:
            self._wait()

    @contextlib.contextmanager
    def flow_settings(self) -> Iterator[None]:
        """The Prefect settings the run's flows run with. On the run's own temporary server,
        flow runs send no heartbeats: they serve a server watching for crashed runs, and this
        one stops with the run, while each flow run waits up to a second at its end for its
        heartbeat thread (three flow runs a night). A server named in PREFECT_API_URL gets
        them as Prefect's settings say."""
        if not self.temporary:
            yield
            return
        from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

        with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
            yield


@contextlib.contextmanager
def temporary_api(say: bool = False) -> Iterator[API]:
    """Start a temporary API unless PREFECT_API_URL names one (or Prefect is imported already,
    with its settings read: then Prefect starts its own when asked); the block gets the `API`,
    and the server is stopped after the block."""
    if os.environ.get("PREFECT_API_URL") or "prefect" in sys.modules:
        yield API()
        return
    port = free_port()
    url = f"http://127.0.0.1:{port}/api"
    # What the server prints is its own business unless asked for (--verbose): stopped while
    # it still records a run's last events, it prints their traceback (a CancelledError).
    with contextlib.nullcontext() if say else tempfile.TemporaryFile() as log:
        server = _start(port, log)
        os.environ["PREFECT_API_URL"] = url
        if say:
            print(f"started a temporary Prefect server on {url}", file=sys.stderr)
        timeout = float(os.environ.get("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", 120))
        stopping, answered = threading.Event(), threading.Event()

        def ready() -> None:
            _wait(url, server, timeout, log)
            answered.set()
            watch = threading.Thread(target=_watch, args=(server, log, stopping, api), daemon=True)
            watch.start()

        api = API(ready, stopping)
        try:
            yield api
        finally:
            finished = stopping.is_set()  # by `API.done`
            stopping.set()
            died = server.poll()
            if died is None:
                # Stopped by a service manager, the server may be going too: not 10 s a try.
                _drain(say, 2 if stop.was_asked() else 10)
            gone = server.poll() is not None  # before the drain or during it
            os.environ.pop("PREFECT_API_URL", None)
            server.terminate()
            try:
                server.wait(timeout=5)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
            if gone and answered.is_set():  # else the start's own error
                _LOST.set()
            if died is not None and answered.is_set() and not finished and not _stopped(api):
                raise _lost_error(died, _why(log))


_LOST = threading.Event()


def _watch(
    server: subprocess.Popen[bytes],
    log: IO[bytes] | None,
    stopping: threading.Event,
    api: API | None = None,
) -> None:
    """Until `stopping` (the run's work done, or the run's end): when the temporary server
    stops during the run, end the process in one line: the command's own stop line and exit 0
    when its stop was asked (`API.stop_line`; its calls to the gone server would stall its
    stop for seconds), else the error. Every call of the run to the API would
    be tried again for seconds, and every event and log line at the end (a 40-report run took
    12 minutes to end). The documents indexed before are kept, whole (each is its own
    transaction); each export file and report page is replaced only whole, so the last good
    ones stay (the temporary file being written beside one is removed)."""
    while not stopping.wait(1.0):
        code = server.poll()
        if code is not None and not stopping.is_set():
            _LOST.set()
            stopped = _stopped(api, code)
            try:
                remove_unfinished()
                with contextlib.suppress(OSError):  # `uprdex run | head`: the line still goes
                    sys.stdout.flush()
                if stopped and api is not None and api.stop_line is not None:
                    api.stop_line()
                else:
                    print(f"error {_lost_error(code, _why(log))}", file=sys.stderr, flush=True)
            finally:  # a line that cannot be printed (a broken pipe) still ends the run
                # Else bad setup, as the CLI's exit codes say.
                os._exit(api.stop_code if stopped and api is not None else EXIT_USAGE)


def _stopped(api: API | None, code: int | None = None) -> bool:
    """Whether the server's end (exit `code`) is the command's own stop: one was asked (a
    server killed by a signal waits a moment for the command's handler of the same signal)."""
    if api is None or api.stop_line is None:
        return False
    return stop.was_asked(within=stop.GRACE if code is not None and code < 0 else 0)


def lost() -> bool:
    """Whether a temporary server of this process stopped before its run ended (also once its
    work was done, `API.done`). The run's last events and log lines can then never be sent,
    and Prefect tries each for seconds at the interpreter's end (a 40-report run took 12
    minutes to end): the process ends without it."""
    return _LOST.is_set()


def _lost_error(code: int, why: str) -> UprdexError:
    how = f"killed by signal {-code}" if code < 0 else f"exit code {code}"
    return UprdexError(
        f"the temporary Prefect server stopped during the run ({how}{f': {why}' if why else ''}"
        "); the documents indexed before are kept, whole: run again, or run "
        "`prefect server start` and set PREFECT_API_URL"
    )


def _drain(say: bool, timeout: float = 10) -> None:
    """Send the run's last log lines and events while the server is still there; Prefect's
    note that it is still sending them ("EventsWorker - Still processing items: 2 items
    remaining...") only when `say`: the run waits for them itself."""
    if "prefect" not in sys.modules:
        return
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker

    workers = [] if say else [APILogWorker.__name__, EventsWorker.__name__]
    with drop_from_loggers(Notes("Still processing items"), *workers):
        APILogWorker.drain_all(timeout=timeout)
        EventsWorker.drain_all(timeout=timeout)


def unanswered(error: BaseException) -> str | None:
    """What to say, in one line, when `error` is (or was raised from) Prefect's client giving up
    on its server (no answer within PREFECT_API_REQUEST_TIMEOUT, after its retries; or no
    connection); None for any other error."""
    if "httpx" not in sys.modules:  # Prefect's client was never loaded: not its error
        return None
    import httpx

    seen: BaseException | None = error
    while seen is not None and not isinstance(seen, httpx.TransportError):
        seen = seen.__cause__ or seen.__context__
    if seen is None:
        return None
    url = os.environ.get("PREFECT_API_URL") or "PREFECT_API_URL"
    why = f"{type(seen).__name__}{f': {seen}' if str(seen) else ''}"
    return (
        f"the Prefect server at {url} did not answer ({why}): is it running? Check "
        "PREFECT_API_URL, or raise PREFECT_API_REQUEST_TIMEOUT for a slow server"
    )
