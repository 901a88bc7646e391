"""Run documents in worker processes with a time and memory budget per document.

A hostile PDF can make the reader spin, eat memory (a decompression bomb) or crash (a native
fault in pdfium). Documents therefore run in worker processes: the parent waits at most
`timeout` seconds for a document, and a worker that times out, runs out of memory or dies is
replaced. Whatever happens, the parent gets an outcome for every item, never a dead batch.

Two ways to start a worker: "fork" (the default on Linux), a fork of this process, cheap, with
everything already loaded; "spawn", a fresh interpreter (`python -c ...`) importing what the
function needs: what macOS offers safely, and the only way from a daemonic process (a Dask worker
under its nanny may not fork children through multiprocessing). `UPRDEX_SANDBOX=spawn` forces it.

The memory budget is the address-space limit (RLIMIT_AS) where the platform enforces it (Linux:
the worker's size at start plus `memory_mb`); elsewhere (macOS ignores RLIMIT_AS, no /proc) a
watchdog thread in the worker stops it once its resident memory grew by more than `memory_mb`.
Ctrl-C and SIGTERM are held while a worker starts (pipeline/signal_hold.py).
"""

from __future__ import annotations

import atexit
import contextlib
import faulthandler
import itertools
import os
import pickle
import signal
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing import current_process
from multiprocessing.connection import Connection, wait
from typing import Any, Generic, Literal, NoReturn, TypeVar

from uprdex.pipeline import stopping
from uprdex.pipeline.errors import UprdexError
from uprdex.pipeline.signal_hold import HELD, interrupts_held

__all__ = [
    "Outcome",
    "UnsupportedPlatformError",
    "WorkerStartError",
    "WorkerStopped",
    "check_platform",
    "map_isolated",
    "run_isolated",
    "start_method",
]

T = TypeVar("T")
R = TypeVar("R")

StartMethod = Literal["fork", "spawn"]
MemoryGuard = Literal["rlimit", "watchdog"]

PLATFORM = sys.platform
"""The platform the sandbox decides for (a constant, so that tests can play another one)."""
_STATM = "/proc/self/statm"
_MEMORY_EXIT = 86
"""The exit code of a worker its memory watchdog stopped."""
_WATCH_SECONDS = 0.02

WINDOWS = (
    "uprdex does not run on Windows itself (its per-document sandbox needs POSIX processes): "
    "use WSL2 (Windows Subsystem for Linux), where it runs as on Linux"
)


class UnsupportedPlatformError(UprdexError):
    """The platform cannot run the per-document sandbox (Windows)."""


class WorkerStartError(UprdexError):
    """A worker process could not start here (a library missing, out of memory): no document
    is to blame, and the batch stops."""


class WorkerStopped(KeyboardInterrupt):
    """A worker ended by the signal of a stop this process was asked to make (a service
    manager signals every process of the service at once): the reading was interrupted, its
    document is not to blame, and it stays in the inbox for the next run."""


@dataclass(frozen=True, slots=True)
class Outcome(Generic[T, R]):
    """The result of one item, or why there is none ("timeout", "memory", "crash", "error")."""

    item: T
    result: R | None
    failure: str | None = None
    detail: str = ""


def check_platform() -> None:
    """An UnsupportedPlatformError, in one line, where the sandbox cannot run (Windows)."""
    if PLATFORM == "win32":
        raise UnsupportedPlatformError(WINDOWS)


def start_method() -> StartMethod:
    """How workers start here: UPRDEX_SANDBOX when set, else fork on Linux (unless this process
    is daemonic), else spawn."""
    chosen = os.environ.get("UPRDEX_SANDBOX", "").strip().lower()
    if chosen in ("fork", "spawn"):
        return chosen  # type: ignore[return-value]
    if chosen:
        raise UprdexError(f"UPRDEX_SANDBOX={chosen!r}: use fork or spawn")
    if PLATFORM.startswith("linux") and not current_process().daemon:
        return "fork"
    return "spawn"


def memory_guard() -> MemoryGuard:
    """RLIMIT_AS where it is enforced and the size it starts from is known, else the watchdog."""
    if PLATFORM.startswith("linux") and os.path.exists(_STATM):
        return "rlimit"
    return "watchdog"


def _virtual_size() -> int:
    with open(_STATM, encoding="ascii") as handle:
        return int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


def _resident() -> int:
    """This process's resident memory in bytes (psutil when installed, else the peak that
    getrusage reports: it only grows, which is what a budget needs)."""
    try:
        import psutil

        return int(psutil.Process().memory_info().rss)
    except ImportError:
        import resource

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return int(peak if PLATFORM == "darwin" else peak * 1024)


def _watch_memory(budget: int) -> None:
    """Stop this process (exit code _MEMORY_EXIT) once it grew by more than `budget` bytes."""
    start = _resident()

    def watch() -> None:
        while True:
            if _resident() - start > budget:
                os._exit(_MEMORY_EXIT)
            time.sleep(_WATCH_SECONDS)

    threading.Thread(target=watch, name="uprdex-memory-watchdog", daemon=True).start()


def _cap_memory(memory_mb: int, guard: MemoryGuard) -> None:
    if not memory_mb:
        return
    budget = memory_mb * 1024 * 1024
    if guard == "rlimit":
        import resource

        limit = _virtual_size() + budget
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    else:
        _watch_memory(budget)


def _ignore_interrupts() -> None:
    """In a worker: Ctrl-C reaches the whole process group but is the parent's to act on (a
    worker it killed mid-item took the file for a damaged PDF; one it interrupted in its imports
    printed a traceback). A SIGTERM (a service manager's stop) ends it at once, as the system's
    default (the parent's handler, inherited by a fork, made it an error of the document)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, HELD)  # a held SIGINT is dropped, SIGTERM ends it


_CAP_HINT = "a hard `ulimit -v` below it? lower [loader] memory_mb in uprdex.toml, 0: no cap"


def _say_why(conn: Connection, error: BaseException, before: str = "", after: str = "") -> None:
    """Tell the parent in one line why this worker cannot start: it reports that once for the
    batch (WorkerStartError), with no traceback on the terminal."""
    line = before + f"{type(error).__name__}: {error}".splitlines()[0] + after
    with contextlib.suppress(OSError):
        conn.send_bytes(line.encode())


def _serve(
    function: Callable[[Any], Any], memory_mb: int, guard: MemoryGuard, conn: Connection
) -> NoReturn:
    """A worker: cap memory, say it is ready, then answer items. It ends here whatever happens:
    a forked worker never goes on in the parent's program."""
    code = 0
    try:
        faulthandler.disable()  # a crash is reported by the parent, not dumped on the terminal
        _ignore_interrupts()
        try:
            _cap_memory(memory_mb, guard)
        except Exception as error:  # setrlimit under a hard `ulimit -v` lower than the cap
            code = 1
            cap = f"cannot cap its memory at {memory_mb} MB above its size: "
            _say_why(conn, error, cap, f" ({_CAP_HINT})")
        else:
            conn.send_bytes(_READY)  # a document's time budget starts now, not before
            _answer(function, conn)
    except (EOFError, OSError):
        pass
    finally:
        os._exit(code)  # no atexit handlers or inherited cleanup


def _answer(function: Callable[[Any], Any], conn: Connection) -> None:
    """Answer items until told to stop (None)."""
    while (item := conn.recv()) is not None:
        try:
            conn.send(("ok", function(item)))
        except MemoryError:
            conn.send(("memory", ""))
            return  # the heap may be in a poor state: let the parent start a fresh worker
        except Exception as error:
            conn.send(("error", "".join(traceback.format_exception_only(error)).strip()))


def _spawned(fd: int) -> None:
    """The entry point of a spawned worker: its setup comes first on the pipe."""
    _ignore_interrupts()  # before the imports that unpickling the function brings (seconds)
    conn = Connection(fd)
    try:
        function, memory_mb, guard = pickle.loads(conn.recv_bytes())
    except Exception as error:  # a library missing in this interpreter, MemoryError
        _say_why(conn, error)
        os._exit(1)
    _serve(function, memory_mb, guard, conn)


def _forked(
    function: Callable[[Any], Any], memory_mb: int, guard: MemoryGuard, ends: tuple[int, int]
) -> NoReturn:
    """The child side of a fork: it ends in os._exit whatever fails, never returning into the
    parent's program (a copy of the CLI, of a Prefect task, would go on running)."""
    try:
        # This process's ends of the other workers' channels are not its to hold: held, a
        # worker whose parent died would wait on its channel for ever, and one that crashed
        # would not be seen to end.
        parent_fd, child_fd = ends
        for fd in (parent_fd, *_PARENT_ENDS):
            with contextlib.suppress(OSError):
                os.close(fd)
        _serve(function, memory_mb, guard, Connection(child_fd))
    finally:
        os._exit(1)


class _Process:
    """A worker process started by fork or as a fresh interpreter: its pid and exit code."""

    def __init__(self, pid: int, popen: subprocess.Popen[bytes] | None = None) -> None:
        self.pid = pid
        self._popen = popen
        self.exitcode: int | None = None

    def join(self, timeout: float | None = None) -> None:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.exitcode is None:
            if self._popen is not None:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    self.exitcode = self._popen.wait(timeout=timeout)
                return
            done, status = os.waitpid(self.pid, 0 if deadline is None else os.WNOHANG)
            if done:
                self.exitcode = os.waitstatus_to_exitcode(status)
            elif deadline is not None and time.monotonic() > deadline:
                return
            else:
                time.sleep(0.01)


@dataclass
class _Worker:
    process: _Process
    conn: Connection
    setup: tuple[Callable[[Any], Any], int, StartMethod, MemoryGuard]
    item: Any = None
    started: float = 0.0
    busy: bool = False
    ready: bool = False


_START_LOCK = threading.Lock()
"""Held from a channel's making to its ends' bookkeeping: another thread's fork would keep them."""


def _start(
    function: Callable[[Any], Any], memory_mb: int, method: StartMethod, guard: MemoryGuard
) -> _Worker:
    """A new worker, to await (`_await_ready`). Interrupted, it leaves no process or channel."""
    process: _Process | None = None
    conn: Connection | None = None
    child_fd = -1
    try:
        with _START_LOCK, interrupts_held():  # a Ctrl-C held here is raised as this exits
            parent_fd, child_fd = _pipe()
            conn = Connection(parent_fd)
            if method == "fork":
                pid = os.fork()
                if pid == 0:
                    _forked(function, memory_mb, guard, (parent_fd, child_fd))
                process = _Process(pid)
            else:
                code = f"from uprdex.pipeline.sandbox import _spawned; _spawned({child_fd})"
                popen = subprocess.Popen(
                    [sys.executable, "-c", code],
                    pass_fds=(child_fd,),
                    stdin=subprocess.DEVNULL,
                    env={**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)},
                )
                process = _Process(popen.pid, popen)
            # Forgotten before it is closed: an exception as it closes must not close it twice.
            worker_end, child_fd = child_fd, -1
            os.close(worker_end)
            _PARENT_ENDS.add(parent_fd)
        if method == "spawn":
            conn.send_bytes(pickle.dumps((function, memory_mb, guard)))
        return _Worker(process, conn, (function, memory_mb, method, guard))
    except BaseException:
        if process is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(process.pid, signal.SIGKILL)
            process.join()
        if child_fd >= 0:
            os.close(child_fd)
        if conn is not None:
            _PARENT_ENDS.discard(conn.fileno())
            conn.close()
        raise


_READY = b"ready"
_START_SECONDS = 300.0
"""How long a spawned worker may take to start (its imports) before it counts as crashed."""


def _await_ready(worker: _Worker, again: bool = True) -> None:
    """Wait until a worker has capped its memory and (spawned) imported what it runs: a fresh
    interpreter's start (seconds on a loaded machine) is not a document's time. A worker that
    cannot start is stopped and said, in one line, to stop the batch: no document is to blame
    for it. One killed by a signal as it started is started again, once (`again`): the OOM
    killer making room for another worker's document should not stop a whole run, while a
    setup that fails (it says why, or dies again) still does."""
    if worker.ready:
        return
    answer: bytes | None = None  # no answer in time
    try:
        if worker.conn.poll(_START_SECONDS):
            answer = worker.conn.recv_bytes()  # _READY, or why it cannot start
    except (EOFError, OSError):
        answer = b""  # it died (the OOM killer, a fault in an import)
    worker.ready = answer == _READY
    if worker.ready:
        return
    _stop(worker, kill=True)
    code = worker.process.exitcode
    if answer == b"" and code is not None and code < 0 and again:
        fresh = _start(*worker.setup)
        worker.process, worker.conn = fresh.process, fresh.conn  # the caller's to stop
        _await_ready(worker, again=False)
        return
    if answer is None:
        why = f"it did not start within {_START_SECONDS:g} s"
    elif answer:
        why = answer.decode(errors="replace")
    else:
        killed = ": killed, out of memory?" if code == -signal.SIGKILL else ""
        twice = "" if again or code is None or code >= 0 else " twice"
        why = f"its process ended{twice} (exit code {code}{killed})"
    raise WorkerStartError(f"the PDF reader could not start here ({sys.executable}): {why}")


_PARENT_ENDS: set[int] = set()
"""This process's ends of its workers' channels (closed in a worker it forks)."""


def _pipe() -> tuple[int, int]:
    """Both ends of a duplex channel (a socket pair), not inheritable by other children."""
    import socket

    parent, child = socket.socketpair()
    parent_fd, child_fd = parent.detach(), child.detach()
    os.set_inheritable(child_fd, True)
    return parent_fd, child_fd


def _stop(worker: _Worker, kill: bool) -> None:
    if worker.conn.closed:
        return  # stopped already
    if not kill:
        with contextlib.suppress(OSError):
            worker.conn.send(None)
    elif worker.process.exitcode is None:  # a reaped one's pid may be another's now
        with contextlib.suppress(ProcessLookupError):  # it may have died already
            os.kill(worker.process.pid, signal.SIGKILL)
    worker.process.join()
    _PARENT_ENDS.discard(worker.conn.fileno())
    worker.conn.close()


def map_isolated(
    function: Callable[[T], R],
    items: Iterable[T],
    workers: int,
    timeout: float,
    memory_mb: int,
    method: StartMethod | None = None,
    guard: MemoryGuard | None = None,
    meanwhile: Callable[[], object] | None = None,
) -> Iterator[Outcome[T, R]]:
    """Run `function` on each item in worker processes, `workers` at a time.

    Yields outcomes as they finish (not in input order). Items are taken from `items` as
    workers are free for them (one ahead): one made as it is taken (a file's bytes, read) is
    not held for the whole batch. Each goes to a worker (started for it, up to `workers`)
    as soon as it is taken, before the next is taken: the first item's work begins at once.
    Forked workers need no pickling of `function`; spawned ones get it pickled (a
    module-level function or a partial of one).
    `method` and `guard` default to what this platform offers (`start_method`, `memory_guard`).
    `meanwhile` runs once in this process once the first items are with the workers (work of
    its own that overlaps theirs; forked workers do not inherit what it loads). No worker starts
    until an item is taken for it: a batch of no items starts none.
    """
    check_platform()
    method = method or start_method()
    guard = guard or memory_guard()
    rest = iter(items)
    pending = list(itertools.islice(rest, 1))  # one ahead; empty: `rest` is done
    pool: list[_Worker] = []
    try:  # an interrupt while they start stops them too
        while pending or any(worker.busy for worker in pool):
            # Each item is handed on as it is taken, before the next is asked for: the first
            # file's reading does not wait for the next file's (a slow disk, a slow listing).
            while pending and (worker := _free(pool, workers, function, memory_mb, method, guard)):
                worker.item, worker.started, worker.busy = pending.pop(0), time.monotonic(), True
                # A worker that died before its item is reported below, as a crash.
                with contextlib.suppress(OSError):
                    worker.conn.send(worker.item)
                pending = list(itertools.islice(rest, 1))
            if meanwhile is not None:
                meanwhile()
                meanwhile = None
            busy = {worker.conn: worker for worker in pool if worker.busy}
            ready = set(wait(list(busy), timeout=0.2))
            now = time.monotonic()
            for worker in pool:
                if not worker.busy:
                    continue
                if worker.conn in ready:
                    outcome, healthy = _receive(worker)
                elif now - worker.started > timeout:
                    outcome = Outcome(worker.item, None, "timeout", f"stopped after {timeout:g} s")
                    healthy = False
                else:
                    continue
                worker.busy = False
                if not healthy:  # its document is told first, then it is replaced (above)
                    _stop(worker, kill=True)
                yield outcome
    finally:
        for worker in pool:
            _stop(worker, kill=worker.busy or not worker.ready)


def _free(
    pool: list[_Worker],
    workers: int,
    function: Callable[[Any], Any],
    memory_mb: int,
    method: StartMethod,
    guard: MemoryGuard,
) -> _Worker | None:
    """A ready worker of `pool` for the next item: an idle one (one stopped after a failure is
    started again), else a new one while `pool` has fewer than `workers`; None when all are
    busy. A worker is started only for an item taken: a batch of unchanged files starts none."""
    index = next((i for i, worker in enumerate(pool) if not worker.busy), None)
    if index is not None and not pool[index].conn.closed:
        return pool[index]
    if index is None and len(pool) >= max(1, workers):
        return None
    fresh = _start(function, memory_mb, method, guard)
    if index is None:
        pool.append(fresh)
    else:  # stopped after a failure: replaced once work waits
        pool[index] = fresh
    _await_ready(fresh)  # in `pool` already: an interrupt meanwhile stops it too
    return fresh


_IDLE: dict[tuple[Any, ...], list[_Worker]] = {}
_IDLE_LOCK = threading.Lock()


@atexit.register
def _stop_idle() -> None:
    """Stop the idle workers when this process ends: a worker holds this process's standard
    output and error open, and whoever waits for their end (Prefect's process worker running a
    flow) would wait for ever."""
    with _IDLE_LOCK:
        for workers in _IDLE.values():
            for worker in workers:
                _stop(worker, kill=False)
        _IDLE.clear()


def run_isolated(
    function: Callable[[T], R],
    item: T,
    timeout: float,
    memory_mb: int,
    method: StartMethod | None = None,
    guard: MemoryGuard | None = None,
) -> Outcome[T, R]:
    """Run `function` on one item in a worker process, reusing the idle workers of earlier
    calls (from any thread): a spawned worker's imports are paid once per process, not once per
    document, which is what tasks on a Dask worker need. A worker that failed is not reused."""
    check_platform()
    method = method or start_method()
    guard = guard or memory_guard()
    try:  # the same function and settings, as a new partial made by each call
        identity: Any = pickle.dumps(function)
    except Exception:  # a lambda or a closure: forked workers only, the function itself
        identity = function
    key = (identity, memory_mb, method, guard)
    with _IDLE_LOCK:
        idle = _IDLE.setdefault(key, [])
        worker = idle.pop() if idle else None
    if worker is not None and worker.conn.poll(0):  # it ended while idle (the OOM killer?)
        _stop(worker, kill=True)  # not this document's crash
        worker = None
    if worker is None:
        worker = _start(function, memory_mb, method, guard)
    try:  # an interrupt while it starts or reads leaves no worker behind
        _await_ready(worker)
        worker.item, worker.started, worker.busy = item, time.monotonic(), True
        with contextlib.suppress(OSError):
            worker.conn.send(item)
        if worker.conn.poll(timeout):
            outcome, healthy = _receive(worker)
        else:
            outcome = Outcome(item, None, "timeout", f"stopped after {timeout:g} s")
            healthy = False
    except BaseException:
        _stop(worker, kill=True)
        raise
    worker.busy = False
    if healthy:
        with _IDLE_LOCK:
            _IDLE[key].append(worker)
    else:
        _stop(worker, kill=True)
    return outcome


def _receive(worker: _Worker) -> tuple[Outcome[Any, Any], bool]:
    """The worker's answer, and whether the worker can take another item."""
    try:
        status, payload = worker.conn.recv()
    except (EOFError, OSError):
        worker.process.join(timeout=5)
        code = worker.process.exitcode
        # pdfium aborts (SIGABRT) when an allocation fails under the memory cap; a native fault
        # in a damaged file is a segmentation fault instead; the watchdog exits _MEMORY_EXIT.
        memory = code in (-signal.SIGABRT, _MEMORY_EXIT)
        # A service manager's stop signals every process of the service: its SIGTERM (workers
        # ignore SIGINT) ended this one, and the document is not to blame.
        if code == -signal.SIGTERM and stopping.was_asked(within=stopping.GRACE):
            raise WorkerStopped(f"the reader was stopped (exit code {code})") from None
        failure = "memory" if memory else "crash"
        return Outcome(worker.item, None, failure, f"the reader died (exit code {code})"), False
    if status == "ok":
        return Outcome(worker.item, payload), True
    return Outcome(worker.item, None, status, payload), status != "memory"
