"""Per-document budgets: a document that hangs, eats memory or crashes the reader fails alone."""

from __future__ import annotations

import contextlib
import importlib
import multiprocessing
import os
import shutil
import signal
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import cast

import pytest
from click.testing import CliRunner

from uprdex.flows.cli import main
from uprdex.pipeline import sandbox
from uprdex.pipeline.errors import UprdexError
from uprdex.pipeline.sandbox import map_isolated, memory_guard, start_method

from helpers import fixture, ingested


def _work(item: str) -> str:
    if item == "hang":
        time.sleep(60)
    if item == "bomb":
        blocks = [bytearray(64 * 1024 * 1024) for _ in range(64)]  # 4 GB
        return str(len(blocks))
    if item == "crash":
        os.kill(os.getpid(), signal.SIGSEGV)  # as a native fault in the PDF reader would
    if item == "bug":
        raise ValueError("unexpected")
    return item.upper()


# Linux forks by default; macOS (and a Dask worker under its nanny) start a fresh interpreter,
# and without /proc or an enforced RLIMIT_AS (macOS) a watchdog holds the memory budget.
PATHS = [("fork", "rlimit"), ("spawn", "rlimit"), ("spawn", "watchdog"), ("fork", "watchdog")]


@pytest.mark.parametrize(("method", "guard"), PATHS)
def test_each_failure_is_reported_and_the_batch_goes_on(method: str, guard: str) -> None:
    items = ["a", "hang", "b", "bomb", "c", "crash", "d", "bug", "e"]
    start = time.monotonic()
    run = map_isolated(_work, items, 2, 2.0, 256, method, guard)  # type: ignore[arg-type]
    outcomes = {o.item: o for o in run}
    assert time.monotonic() - start < 40
    assert {item: outcomes[item].result for item in "abcde"} == {c: c.upper() for c in "abcde"}
    assert outcomes["hang"].failure == "timeout"
    assert outcomes["bomb"].failure == "memory"
    assert outcomes["crash"].failure == "crash"
    assert outcomes["bug"].failure == "error" and "unexpected" in outcomes["bug"].detail


@pytest.mark.parametrize("many", [True, False])
def test_a_spawned_workers_start_is_not_counted_in_the_documents_time(many: bool) -> None:
    # A fresh interpreter importing this module (pytest, click, uprdex) takes well over 0.3 s,
    # more on a loaded machine: that is the worker's start, not the document's time.
    if many:
        run = map_isolated(_work, ["a", "b"], 2, 0.3, 0, "spawn", "watchdog")
        outcomes = sorted((o.item, o.result, o.failure) for o in run)
    else:
        outcome = sandbox.run_isolated(_work, "a", 0.3, 0, "spawn", "watchdog")
        outcomes = [(outcome.item, outcome.result, outcome.failure)]
    assert outcomes == [("a", "A", None), ("b", "B", None)][: 2 if many else 1]


@pytest.mark.parametrize("module", ["uprdex.pipeline.theme_model", "uprdex.pipeline.semantic"])
def test_a_model_lock_held_by_another_thread_at_fork_does_not_hang_the_worker(
    module: str,
) -> None:
    # The flow's threads fork document workers while other threads run: a worker must not
    # inherit a model cache lock that another thread holds at that moment.
    loaded = importlib.import_module(module)
    model = (loaded.ThemeModel if hasattr(loaded, "ThemeModel") else loaded.SemanticModel).load()
    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        with loaded._MODELS._lock:
            held.set()
            release.wait(30)

    holder = threading.Thread(target=hold)
    holder.start()
    held.wait()
    try:
        outcomes = list(
            map_isolated(lambda _: type(model).load().version, [1], 1, timeout=15, memory_mb=0)
        )
    finally:
        release.set()
        holder.join()
    assert [(o.result, o.failure) for o in outcomes] == [(model.version, None)]


def test_the_start_method_follows_the_platform(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("UPRDEX_SANDBOX", raising=False)
    monkeypatch.setattr(sandbox, "PLATFORM", "darwin")
    assert (start_method(), memory_guard()) == ("spawn", "watchdog")
    monkeypatch.setattr(sandbox, "PLATFORM", "linux")
    assert start_method() == "fork"
    monkeypatch.setattr(sandbox, "_STATM", "/no/proc/self/statm")
    assert memory_guard() == "watchdog"
    monkeypatch.setenv("UPRDEX_SANDBOX", "spawn")
    assert start_method() == "spawn"
    monkeypatch.setenv("UPRDEX_SANDBOX", "thread")
    with pytest.raises(UprdexError, match="UPRDEX_SANDBOX"):
        start_method()


def test_a_daemonic_process_spawns_its_workers() -> None:
    # A Dask worker under its nanny is daemonic: multiprocessing refuses it children.
    import multiprocessing

    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    child = context.Process(target=_in_a_daemon, args=(queue,), daemon=True)
    child.start()
    found = queue.get(timeout=60)
    child.join(30)
    assert found == ("spawn", [("x", "X", None)])


def _in_a_daemon(queue: object) -> None:
    outcomes = map_isolated(_work, ["x"], 1, 30.0, 256)
    queue.put((start_method(), [(o.item, o.result, o.failure) for o in outcomes]))  # type: ignore[attr-defined]


@pytest.mark.parametrize("command", ["ingest", "run"])
def test_windows_says_in_one_line_that_it_is_unsupported(
    command: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(sandbox, "PLATFORM", "win32")
    with pytest.raises(sandbox.UnsupportedPlatformError):
        list(map_isolated(_work, ["a"], 1, 1.0, 0))
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(fixture("andorra2011_recs.pdf"), inbox)
    target = [str(inbox)] if command == "ingest" else ["--inbox", str(inbox)]
    result = CliRunner().invoke(main, [command, *target, "--index", str(tmp_path / "i.sqlite")])
    assert result.exit_code == 2, result.output
    assert result.output.strip().count("\n") == 0 and "WSL" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_one_item_at_a_time_reuses_a_healthy_worker_only(method: str) -> None:
    def run(item: str) -> tuple[object, str | None]:
        outcome = sandbox.run_isolated(_pid, item, 5.0, 256, method)  # type: ignore[arg-type]
        return outcome.result, outcome.failure

    first, second = run("a"), run("b")
    assert first[1] is None and first == second  # the same worker process answered both
    assert run("hang") == (None, "timeout")
    assert run("crash") == (None, "crash")
    third = run("c")
    assert third[1] is None and third[0] != first[0]  # the failed one was replaced


def _pid(item: str) -> int:
    _work(item)
    return os.getpid()


def _wait_for(flag: Path) -> bool:
    deadline = time.monotonic() + 10
    while not flag.exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    return flag.exists()


def test_meanwhile_runs_once_while_the_workers_work(tmp_path: Path) -> None:
    # ingest reads the similarity model this way while the workers read the documents.
    flags = [tmp_path / "a", tmp_path / "b"]
    calls: list[int] = []

    def meanwhile() -> None:
        calls.append(1)
        for flag in flags:
            flag.touch()

    outcomes = list(map_isolated(_wait_for, flags, 2, 30, 0, meanwhile=meanwhile))
    assert calls == [1]
    assert sorted((o.item.name, o.result) for o in outcomes) == [("a", True), ("b", True)]


def test_items_are_taken_as_workers_are_free_not_all_at_once() -> None:
    # `uprdex ingest` hands each worker a file's bytes, read as the item is taken: a batch taken
    # whole (list(items)) would hold every new file of a folder in memory before the first is
    # read.
    taken: list[str] = []

    def items() -> Iterator[str]:
        for item in "abcdef":
            taken.append(item)
            yield item

    seen = []
    for outcome in map_isolated(str.upper, items(), 2, 30.0, 0, "fork", "watchdog"):
        seen.append(outcome.result)
        assert len(taken) <= len(seen) + 3  # those with the two workers, and one ahead
    assert sorted(seen) == list("ABCDEF")  # type: ignore[type-var]


_FIRST_BEGUN = multiprocessing.get_context("fork").Event()
"""Set by a forked worker (which inherits it) as it begins its item."""


def _begin(item: str) -> str:
    _FIRST_BEGUN.set()
    return item.upper()


def test_the_first_item_s_work_begins_before_the_next_item_is_asked_for() -> None:
    # map_isolated took `workers` items before it started a worker: the first file's reading
    # waited for the next file's (a slow disk, a slow folder listing). The next item is asked
    # for here only once a worker has begun the first (bounded, so that the old order fails
    # rather than hangs).
    _FIRST_BEGUN.clear()
    asked: list[bool] = []

    def items() -> Iterator[str]:
        yield "a"
        asked.append(_FIRST_BEGUN.wait(timeout=30))
        yield "b"

    outcomes = map_isolated(_begin, items(), 2, 30.0, 0, "fork", "watchdog")
    assert sorted(outcome.result for outcome in outcomes) == ["A", "B"]  # type: ignore[type-var]
    assert asked == [True]


def _counting_starts(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The start method of each worker map_isolated starts from now on."""
    started: list[str] = []
    real = sandbox._start

    def start(*setup: object) -> sandbox._Worker:
        started.append(str(setup[2]))
        return real(*setup)  # type: ignore[arg-type]

    monkeypatch.setattr(sandbox, "_start", start)
    return started


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_a_batch_with_nothing_to_read_starts_no_worker(
    method: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A re-ingest of a folder whose files are all unchanged hands the workers nothing: a worker
    # started for it (a fork, or a fresh interpreter importing uprdex) was only stopped again.
    started = _counting_starts(monkeypatch)
    method_ = cast(sandbox.StartMethod, method)
    nothing = (item for item in "abc" if item == "z")
    assert list(map_isolated(str.upper, nothing, 2, 30.0, 0, method_, "watchdog")) == []
    assert started == []
    one = map_isolated(str.upper, ["a"], 2, 30.0, 0, method_, "watchdog")
    assert [outcome.result for outcome in one] == ["A"]
    assert started == [method]  # one item: one worker, though two may run


def test_ingest_of_only_unchanged_files_starts_no_worker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from uprdex.flows import ingest
    from uprdex.pipeline.store import Store

    names = ("albania2010_recs.pdf", "andorra2011_recs.pdf")
    index = ingested(names, tmp_path / "index.sqlite")
    started = _counting_starts(monkeypatch)
    with Store(index) as store:
        results = ingest.ingest_paths([fixture(name) for name in names], store)
    assert [result.outcome for result in results] == ["unchanged"] * 2
    assert started == []


@pytest.mark.skipif(start_method() != "fork", reason="only forked workers inherit a warm-up")
def test_ingest_warms_up_once_before_its_first_worker_and_not_for_unchanged_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The shared tables are loaded in this process before the first fork, so that every
    # forked worker inherits them; a batch with nothing to read loads none (about 1-2 s).
    from uprdex.flows import ingest
    from uprdex.pipeline.store import Store

    names = ("albania2010_recs.pdf", "andorra2011_recs.pdf")
    index = ingested(names[:1], tmp_path / "index.sqlite")
    events = _counting_starts(monkeypatch)
    monkeypatch.setattr(ingest, "_warmed", False)
    real = ingest.warm_up

    def warm_up() -> None:
        before = ingest._warmed
        real()
        if ingest._warmed and not before:
            events.append("warmed")

    monkeypatch.setattr(ingest, "warm_up", warm_up)
    with Store(index) as store:
        unchanged = ingest.ingest_paths([fixture(names[0])], store)
        assert [result.outcome for result in unchanged] == ["unchanged"]
        assert events == []
        read = ingest.ingest_paths([fixture(name) for name in names], store)
    assert [result.outcome for result in read] == ["unchanged", "indexed"]
    assert events == ["warmed", "fork"], events


def test_a_forked_worker_holds_no_other_workers_channel() -> None:
    # A worker forked while another worker's channel was open held this process's end of it:
    # when `uprdex run` ended at once (its Prefect server gone), its two workers each waited
    # on the other's channel for ever, orphaned.
    first = sandbox._start(abs, 0, "fork", memory_guard())
    second = sandbox._start(abs, 0, "fork", memory_guard())
    try:
        for worker in (first, second):  # it closes the other ends before it says it is ready
            sandbox._await_ready(worker)  # (while it closes them, an fd listed may be gone)
        ours = os.fstat(first.conn.fileno()).st_ino
        fds = Path(f"/proc/{second.process.pid}/fd")
        deadline = time.monotonic() + 5
        while ours in {
            os.stat(fd).st_ino for fd in fds.iterdir() if fd.name not in {"0", "1", "2"}
        }:
            assert time.monotonic() < deadline, "the second worker holds the first's channel"
            time.sleep(0.05)
    finally:
        for worker in (first, second):
            sandbox._stop(worker, kill=False)


def test_ctrl_c_at_the_terminal_is_the_parents_to_act_on() -> None:
    # The terminal's SIGINT reaches every process of the group: a worker it killed mid-item
    # reported the file as "the PDF reader crashed on this file; it is probably damaged".
    worker = sandbox._start(abs, 0, "fork", memory_guard())
    try:
        sandbox._await_ready(worker)  # a forked worker too says when it has set itself up
        worker.conn.send(-2)
        assert worker.conn.recv() == ("ok", 2)
        os.kill(worker.process.pid, signal.SIGINT)
        worker.conn.send(-3)
        assert worker.conn.recv() == ("ok", 3)
    finally:
        sandbox._stop(worker, kill=False)


def _sigint_ignored(pid: int) -> bool:
    """Whether process `pid` ignores SIGINT (its SigIgn mask in /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("SigIgn:"):
            return bool(int(line.split()[1], 16) & (1 << (signal.SIGINT - 1)))
    return False


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc")
def test_ctrl_c_while_a_spawned_worker_imports_is_left_to_the_parent(
    capfd: pytest.CaptureFixture[str],
) -> None:
    # review14b: a spawned worker ignores Ctrl-C only once it is ready (_serve), after its
    # imports: a Ctrl-C at the terminal in that second (`UPRDEX_SANDBOX=spawn uprdex ingest`,
    # macOS's default) printed a KeyboardInterrupt traceback per worker above the command's line.
    worker = sandbox._start(_work, 0, "spawn", "watchdog")
    try:
        deadline = time.monotonic() + 30
        while True:
            assert not worker.conn.poll(0), "the worker was ready before it ignored Ctrl-C"
            if _sigint_ignored(worker.process.pid) and not worker.conn.poll(0):
                break
            assert time.monotonic() < deadline
            time.sleep(0.002)
        os.kill(worker.process.pid, signal.SIGINT)  # the terminal's Ctrl-C reaches the group
        sandbox._await_ready(worker)
        worker.conn.send("a")
        assert worker.conn.poll(30) and worker.conn.recv() == ("ok", "A")
    finally:
        sandbox._stop(worker, kill=True)
    assert "Traceback" not in capfd.readouterr().err


START_FAILS = """
import os

if os.getpid() != int(os.environ["UPRDEX_TEST_PARENT"]):
    raise ImportError("libpdfium.so: cannot open shared object file")


def work(item):
    return item.upper()
"""


@pytest.mark.parametrize("many", [True, False])
def test_a_spawned_worker_that_cannot_start_is_not_blamed_on_the_document(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
    many: bool,
) -> None:
    # review14b: a spawned worker that fails its imports (a library missing in the fresh
    # interpreter, the OOM killer) printed its traceback on the terminal, and each document
    # was reported as "the PDF reader crashed on this file; it is probably damaged: download it
    # again". _await_ready knows the worker never started (no "ready").
    (tmp_path / "uprdex_test_start_fails.py").write_text(START_FAILS)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setenv("UPRDEX_TEST_PARENT", str(os.getpid()))
    work = importlib.import_module("uprdex_test_start_fails").work
    try:
        if many:
            outcomes = list(map_isolated(work, ["a", "b"], 2, 30.0, 0, "spawn", "watchdog"))
        else:
            outcomes = [sandbox.run_isolated(work, "a", 30.0, 0, "spawn", "watchdog")]
    except UprdexError as error:  # one line for the whole batch: the reader cannot start here
        assert "could not start" in str(error) and "libpdfium.so" in str(error)
        assert "\n" not in str(error)
    else:
        assert not [o for o in outcomes if o.failure == "crash"], outcomes
    assert "Traceback" not in capfd.readouterr().err


def _spawned_children() -> list[int]:
    """This process's children (reaped or not) that are spawned workers."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            line = (stat.parent / "cmdline").read_bytes()
        except (OSError, ValueError, IndexError):
            continue
        if parent == os.getpid() and (b"_spawned" in line or not line):
            found.append(int(stat.parent.name))
    return found


@pytest.mark.parametrize("many", [True, False])
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_an_interrupt_while_spawned_workers_start_stops_them(many: bool) -> None:
    # review14b: map_isolated awaits its spawned workers' start before its try: a Ctrl-C (or
    # any exception) there left them running, their channels open, in a program that goes on
    # after KeyboardInterrupt (the library used from Python, a notebook). run_isolated left
    # its worker so too, and one interrupted mid-item (the item hangs: wherever the interrupt
    # lands, no worker may be left; _pid with these settings: no idle worker of earlier tests).
    ends = set(sandbox._PARENT_ENDS)
    kept = set(_spawned_children())  # idle workers that earlier tests' run_isolated keeps
    timer = threading.Timer(0.1, os.kill, (os.getpid(), signal.SIGINT))
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            if many:
                for _ in map_isolated(_work, ["a", "b"], 2, 30.0, 0, "spawn", "watchdog"):
                    time.sleep(5)  # the interrupt lands here if the workers were ready before it
            else:
                sandbox.run_isolated(_pid, "hang", 30.0, 0, "spawn", "watchdog")
        deadline = time.monotonic() + 10
        while set(_spawned_children()) - kept and time.monotonic() < deadline:
            time.sleep(0.1)
        left = set(_spawned_children()) - kept
        assert not left, f"worker processes left: {left}"
        assert ends == sandbox._PARENT_ENDS
    finally:
        timer.cancel()
        for pid in set(_spawned_children()) - kept:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)


def _killed_as_it_starts(tmp_path: Path, times: int) -> Callable[[int, str], None]:
    """A stand-in for _cap_memory in forked workers: the first `times` workers to start are
    killed there (SIGKILL, as the OOM killer does); each start leaves a file behind."""
    parent = os.getpid()

    def cap(memory_mb: int, guard: str) -> None:
        if os.getpid() == parent:
            return
        (tmp_path / f"start-{os.getpid()}").touch()
        if len(list(tmp_path.glob("start-*"))) <= times:
            os.kill(os.getpid(), signal.SIGKILL)

    return cap


@pytest.mark.parametrize("many", [True, False])
@pytest.mark.skipif(start_method() != "fork", reason="the stand-in reaches forked workers only")
def test_a_worker_killed_once_as_it_starts_does_not_stop_the_batch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, many: bool
) -> None:
    # review16: the OOM killer making room for another worker's document (a big one in the
    # nightly's next thread) as a worker starts stopped the whole run, every night that
    # document was there. A worker killed as it starts is started again, once.
    monkeypatch.setattr(sandbox, "_cap_memory", _killed_as_it_starts(tmp_path, times=1))
    if many:
        outcomes = list(map_isolated(str.upper, ["a", "b"], 1, 30.0, 0, "fork", "watchdog"))
    else:
        outcomes = [sandbox.run_isolated(str.upper, "a", 30.0, 0, "fork", "watchdog")]
    assert sorted(o.result or "" for o in outcomes) == (["A", "B"] if many else ["A"])
    assert len(list(tmp_path.glob("start-*"))) == 2


@pytest.mark.parametrize("times", [2, 100])
@pytest.mark.skipif(start_method() != "fork", reason="the stand-in reaches forked workers only")
def test_a_worker_killed_each_time_it_starts_stops_the_batch_after_one_retry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, times: int
) -> None:
    monkeypatch.setattr(sandbox, "_cap_memory", _killed_as_it_starts(tmp_path, times))
    with pytest.raises(sandbox.WorkerStartError, match=r"ended twice \(exit code -9: killed"):
        list(map_isolated(str.upper, ["a"], 1, 30.0, 0, "fork", "watchdog"))
    assert len(list(tmp_path.glob("start-*"))) == 2  # one retry, not a loop


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_an_idle_worker_killed_while_it_waits_is_not_the_next_documents_crash(method: str) -> None:
    # The OOM killer (or anyone) may end a worker run_isolated keeps idle between documents
    # (`uprdex run`'s tasks): the next document sent to it was reported "the PDF reader crashed
    # on this file", and the nightly quarantined a good file.
    try:
        first = sandbox.run_isolated(_pid, "a", 30.0, 0, method, "watchdog")  # type: ignore[arg-type]
        assert first.failure is None
        os.kill(int(first.result or 0), signal.SIGKILL)
        time.sleep(0.2)
        second = sandbox.run_isolated(_pid, "b", 30.0, 0, method, "watchdog")  # type: ignore[arg-type]
        assert second.failure is None, second
        assert second.result != first.result
    finally:
        sandbox._stop_idle()


def _stopped_with_its_service(item: str) -> str:
    """A document whose reading a service manager's stop ends: the worker gets the stop's
    SIGTERM as its parent does."""
    os.kill(os.getpid(), signal.SIGTERM)
    time.sleep(60)
    return item


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_a_worker_ended_by_the_stop_asked_of_its_parent_is_no_documents_crash(
    method: str,
) -> None:
    # fixwatch's "what is left" 1: a service manager's SIGTERM to every process of `uprdex
    # watch` killed its sandbox workers too, and each file being read was reported "the PDF
    # reader crashed on this file; it is probably damaged".
    from uprdex.pipeline import stopping

    stopping.ask()
    try:
        with pytest.raises(sandbox.WorkerStopped):
            sandbox.run_isolated(_stopped_with_its_service, "a", 30, 0, method, "rlimit")  # type: ignore[arg-type]
        with pytest.raises(sandbox.WorkerStopped):
            list(map_isolated(_stopped_with_its_service, ["a"], 1, 30, 0, method, "rlimit"))  # type: ignore[arg-type]
    finally:
        stopping.clear()


def test_a_worker_ended_by_sigterm_without_a_stop_asked_is_still_a_crash() -> None:
    # A worker killed alone (no stop of its parent within stopping.GRACE) stays the document's
    # failure, reported and recorded as before.
    start = time.monotonic()
    outcome = sandbox.run_isolated(_stopped_with_its_service, "a", 30, 0, "fork", "rlimit")
    assert outcome.failure == "crash", outcome
    assert time.monotonic() - start < 10
