"""Pure work over many items shared among forked worker processes, one per core.

For CPU-bound steps that run in the main process on large batches: the clusters of many States
(`pipeline.clusters.parallel`), the themes of a whole UPR Info export (`flows.ingest`). The
workers are forks, so they share what this process has loaded (spaCy, the models)
copy-on-write and start in milliseconds. A fork copies the locks of other threads but not the
threads, so with other threads alive (a Prefect flow, a watcher), without fork (macOS, a
daemonic Dask worker) or on one core, the work runs here, in one process.

Example:
    hits = in_parts(tag_texts, texts, min_items=2000)   # == tag_texts(texts), sooner
    with in_background(find_links) as links:   # find_links() runs in a fork ...
        merge_the_rest()                        # ... while this runs here
        found = links()                         # its result (or its exception)
    matrices = in_halves(score_groups, groups, join=operator.add)   # == score_groups(groups)
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager, suppress
from functools import partial
from multiprocessing import current_process, get_context
from multiprocessing.reduction import ForkingPickler
from typing import Any, Protocol, Self, TypeVar

from uprdex.pipeline.sandbox import start_method

__all__ = ["cores", "in_background", "in_halves", "in_parts", "map_forked", "may_fork"]

T = TypeVar("T")
R = TypeVar("R")


class Sliceable(Protocol):
    """What `in_halves` cuts in two: a list, a tuple, a NumPy array."""

    def __len__(self) -> int: ...

    def __getitem__(self, index: slice, /) -> Self: ...


S = TypeVar("S", bound=Sliceable)


def cores() -> int:
    """How many worker processes to share work among."""
    return os.cpu_count() or 1


def may_fork() -> bool:
    """Whether forking workers is safe here: fork is the start method, no other thread runs,
    and this process may have children (not a daemon's, as a Dask worker is, even where
    UPRDEX_SANDBOX=fork)."""
    return (
        start_method() == "fork" and threading.active_count() == 1 and not current_process().daemon
    )


def map_forked(function: Callable[[T], R], jobs: Sequence[T]) -> list[R]:
    """`[function(job) for job in jobs]`, each job in a forked worker (the caller checks
    `may_fork`); an exception in a job is raised here."""
    with ProcessPoolExecutor(len(jobs), mp_context=get_context("fork")) as pool:
        return list(pool.map(function, jobs))


def in_parts(
    function: Callable[[Sequence[T]], list[R]],
    items: Sequence[T],
    *,
    min_items: int,
    workers: int | None = None,
) -> list[R]:
    """`function(items)` for a function of one result per item, the items cut into one
    contiguous part per worker: the same list, in the same order. In one process below
    `min_items` items, or where forking is not safe."""
    workers = min(workers or cores(), len(items))
    if workers < 2 or len(items) < min_items or not may_fork():
        return function(items)
    size = -(-len(items) // workers)
    parts = [items[start : start + size] for start in range(0, len(items), size)]
    return [result for part in map_forked(function, parts) for result in part]


@contextmanager
def in_background(function: Callable[[], R], *, worth: bool = True) -> Iterator[Callable[[], R]]:
    """Start `function()` in a forked process while the `with` block goes on; the callable it
    gives waits for the fork and returns its result, or raises its exception. The function is
    the fork's own copy (not pickled: it may hold large models); only its result comes back,
    pickled. A fork still running when the block ends (the block raised) is stopped. Where
    forking is not safe (`may_fork`), on one core, or not `worth` a process, the function runs
    here and now."""
    if not worth or cores() < 2 or not may_fork():
        result = function()
        yield lambda: result
        return
    context = get_context("fork")
    receiving, sending = context.Pipe(duplex=False)

    def run() -> None:
        # This fork's copy of the reading end: kept open, a result larger than the pipe's
        # buffer would wait for ever for a caller killed meanwhile (the OOM killer, kill -9:
        # no `finally` stops this fork), holding its memory.
        receiving.close()
        try:
            outcome: tuple[bool, object] = (True, function())
        except BaseException as error:  # raised again in the caller
            outcome = (False, error)
        with suppress(BrokenPipeError):  # the caller is gone: nobody waits
            sending.send_bytes(_pickled(outcome))

    worker = context.Process(target=run, daemon=True)
    worker.start()
    sending.close()
    received: list[tuple[bool, Any]] = []

    def wait() -> R:
        if not received:
            try:
                received.append(receiving.recv())
            except EOFError:
                raise RuntimeError(
                    f"a background worker (pid {worker.pid}) ended without a result"
                ) from None
        done, value = received[0]
        if not done:
            raise value
        return value  # type: ignore[no-any-return]

    try:
        yield wait
    finally:
        if not received:
            worker.terminate()
        worker.join()
        receiving.close()


def in_halves(
    function: Callable[[S], R],
    items: S,
    *,
    join: Callable[[R, R], R],
    at: int | None = None,
    worth: bool = True,
) -> R:
    """`function(items)`, its second part (`items[at:]`, `at` the middle by default) in a fork
    (`in_background`) while the first is done here, for a function whose results over two
    parts `join` into its result over the whole. One call where it is not `worth` a process,
    on one core, or where forking is not safe (`may_fork`): the halves would run one after
    the other here, for nothing."""
    if not worth or len(items) < 2 or cores() < 2 or not may_fork():
        return function(items)
    at = len(items) // 2 if at is None else at
    with in_background(partial(function, items[at:])) as second:
        first = function(items[:at])
        return join(first, second())


def _pickled(outcome: tuple[bool, object]) -> memoryview:
    """`outcome` pickled so that the caller reads it back; else an error saying what it was:
    a result or error that does not pickle, or an error whose class takes other arguments
    than it keeps (unpickling it would raise a TypeError that hides it)."""
    try:
        data = ForkingPickler.dumps(outcome)
        if not outcome[0]:
            ForkingPickler.loads(data)  # an error is small: read back here, not in the caller
        return data
    except Exception as failure:
        done, value = outcome
        what = "result" if done else f"error ({type(value).__name__}: {value})"
        raised = RuntimeError(f"the background {what} could not be sent back: {failure}")
        return ForkingPickler.dumps((False, raised))
