"""Run documents in forked worker processes with a time and memory budget per document.

A hostile PDF can make the reader spin, eat memory (a decompression bomb) or crash (a native
fault in pdfium). Documents therefore run in forked workers: each worker's address space is
capped at its size when forked plus `memory_mb`, the parent waits at most `timeout` seconds for
a document, and a worker that times out, runs out of memory or dies is replaced. Whatever
happens, the parent gets an outcome for every item, never a dead batch.
"""

from __future__ import annotations

import contextlib
import faulthandler
import multiprocessing
import os
import resource
import signal
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from typing import Any, Generic, TypeVar

__all__ = ["Outcome", "map_isolated"]

T = TypeVar("T")
R = TypeVar("R")

_PAGE = os.sysconf("SC_PAGE_SIZE")


@dataclass(frozen=True, slots=True)
class Outcome(Generic[T, R]):
    """The result of one item, or why there is none ("timeout", "memory", "crash", "error")."""

    item: T
    result: R | None
    failure: str | None = None
    detail: str = ""


def _virtual_size() -> int:
    with open("/proc/self/statm", encoding="ascii") as handle:
        return int(handle.read().split()[0]) * _PAGE


def _serve(function: Callable[[Any], Any], memory_mb: int, conn: Connection) -> None:
    """A worker: cap memory, then answer items until told to stop (None)."""
    faulthandler.disable()  # a crash is reported by the parent, not dumped on the terminal
    if memory_mb:
        limit = _virtual_size() + memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        while (item := conn.recv()) is not None:
            try:
                conn.send(("ok", function(item)))
            except MemoryError:
                conn.send(("memory", ""))
                break  # the heap may be in a poor state: let the parent start a fresh worker
            except Exception as error:
                conn.send(("error", "".join(traceback.format_exception_only(error)).strip()))
    except (EOFError, OSError):
        pass
    finally:
        os._exit(0)  # no atexit handlers or inherited cleanup in the fork


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection
    item: Any = None
    started: float = 0.0
    busy: bool = False


def _start(function: Callable[[Any], Any], memory_mb: int) -> _Worker:
    context = multiprocessing.get_context("fork")
    parent, child = context.Pipe(duplex=True)
    process: BaseProcess = context.Process(target=_serve, args=(function, memory_mb, child))
    process.start()
    child.close()
    return _Worker(process, parent)


def _stop(worker: _Worker, kill: bool) -> None:
    if kill and worker.process.pid:
        with contextlib.suppress(ProcessLookupError):  # it may have died already
            os.kill(worker.process.pid, signal.SIGKILL)
    else:
        with contextlib.suppress(OSError):
            worker.conn.send(None)
    worker.process.join()
    worker.conn.close()


def map_isolated(
    function: Callable[[T], R],
    items: Iterable[T],
    workers: int,
    timeout: float,
    memory_mb: int,
) -> Iterator[Outcome[T, R]]:
    """Run `function` on each item in forked workers, `workers` at a time.

    Yields outcomes as they finish (not in input order). Workers are forks of this process, so
    `function` and what it uses need no pickling; only items and results cross the pipe.
    """
    pending = list(items)
    pool = [_start(function, memory_mb) for _ in range(max(1, min(workers, len(pending))))]
    try:
        while pending or any(worker.busy for worker in pool):
            for worker in pool:
                if not worker.busy and pending:
                    worker.item, worker.started, worker.busy = (
                        pending.pop(0),
                        time.monotonic(),
                        True,
                    )
                    worker.conn.send(worker.item)
            busy = {worker.conn: worker for worker in pool if worker.busy}
            ready = set(wait(list(busy), timeout=0.2))
            now = time.monotonic()
            for index, worker in enumerate(pool):
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
                if not healthy:
                    _stop(worker, kill=True)
                    pool[index] = _start(function, memory_mb)
                yield outcome
    finally:
        for worker in pool:
            _stop(worker, kill=worker.busy)


def _receive(worker: _Worker) -> tuple[Outcome[Any, Any], bool]:
    """The worker's answer, and whether the worker can take another item."""
    try:
        status, payload = worker.conn.recv()
    except (EOFError, OSError):
        worker.process.join(timeout=5)
        code = worker.process.exitcode
        # pdfium aborts (SIGABRT) when an allocation fails under the memory cap; a native fault
        # in a damaged file is a segmentation fault instead.
        failure = "memory" if code == -signal.SIGABRT else "crash"
        return Outcome(worker.item, None, failure, f"the reader died (exit code {code})"), False
    if status == "ok":
        return Outcome(worker.item, payload), True
    return Outcome(worker.item, None, status, payload), status != "memory"
