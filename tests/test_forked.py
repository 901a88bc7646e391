"""Work shared among forked workers gives what one process gives, in the same order.

The checks that fork run in a fresh interpreter: the test process may hold threads other tests
left (Prefect's), where uprdex rightly declines to fork."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Sequence
from pathlib import Path

import pytest

from uprdex.pipeline import forked
from uprdex.pipeline.forked import in_parts

from helpers import fixture, fresh


def _pids(items: Sequence[int]) -> list[tuple[int, int]]:
    return [(item, os.getpid()) for item in items]


def test_parts_keep_the_order_and_run_in_workers() -> None:
    found = fresh(
        """
        import json, os
        from uprdex.pipeline import forked
        jobs = []
        map_forked = forked.map_forked
        forked.map_forked = lambda function, parts: jobs.append(len(parts)) or map_forked(
            function, parts
        )
        def pids(items):
            return [(item, os.getpid()) for item in items]
        results = forked.in_parts(pids, list(range(10)), min_items=0, workers=2)
        print(json.dumps({"order": [i for i, _ in results], "me": os.getpid(), "jobs": jobs,
                          "pids": sorted({p for _, p in results})}))
        """
    )
    assert isinstance(found, dict)
    assert found["order"] == list(range(10))
    # Two parts, each in a worker (the pool may give both to one of its two workers).
    assert found["jobs"] == [2] and found["me"] not in found["pids"]


def test_one_process_when_small_or_threads_run(monkeypatch: pytest.MonkeyPatch) -> None:
    assert {pid for _, pid in in_parts(_pids, [1, 2, 3], min_items=10)} == {os.getpid()}
    monkeypatch.setattr(forked, "start_method", lambda: "fork")
    monkeypatch.setattr(forked.threading, "active_count", lambda: 2)
    assert {pid for _, pid in in_parts(_pids, list(range(10)), min_items=0)} == {os.getpid()}


def test_themes_of_a_large_import_are_those_of_one_process() -> None:
    found = fresh(
        f"""
        import csv, json, os
        from uprdex.flows import extract
        from uprdex.pipeline import forked
        with open({str(fixture("upr_info_slovenia_s20.csv"))!r}, encoding="utf-8") as handle:
            texts = [row["Text"] for row in csv.DictReader(handle)]
        whole = extract._theme_hits(texts)
        extract._THEME_PARTS_FROM = 0
        forked.cores = lambda: 2
        used = []
        map_forked = forked.map_forked
        forked.map_forked = lambda function, jobs: used.append(len(jobs)) or map_forked(
            function, jobs
        )
        print(json.dumps({{"same": extract.theme_hits(texts) == whole, "parts": used,
                          "hits": sum(map(len, whole)), "texts": len(texts)}}))
        """
    )
    assert isinstance(found, dict)
    assert found["parts"] == [2] and found["same"]
    assert found["hits"] > found["texts"]  # most texts have hits


def test_background_work_runs_in_a_fork_and_gives_back_its_result_or_error() -> None:
    found = fresh(
        """
        import json, os
        from uprdex.pipeline import forked
        forked.cores = lambda: 2
        with forked.in_background(os.getpid) as worker:
            pid = worker()
        def fails():
            raise ValueError("row 7 has no text")
        with forked.in_background(fails) as failing:
            try:
                failing()
                error = None
            except ValueError as raised:
                error = str(raised)
        print(json.dumps({"me": os.getpid(), "worker": pid, "error": error}))
        """
    )
    assert isinstance(found, dict)
    assert found["worker"] != found["me"]
    assert found["error"] == "row 7 has no text"


def test_a_background_fork_is_stopped_when_its_block_fails() -> None:
    found = fresh(
        """
        import json, multiprocessing, time
        from uprdex.pipeline import forked
        forked.cores = lambda: 2
        start = time.perf_counter()
        try:
            with forked.in_background(lambda: time.sleep(60)) as waited:
                running = len(multiprocessing.active_children())
                raise KeyError("the linkage failed")
        except KeyError:
            pass
        print(json.dumps({"running": running, "left": len(multiprocessing.active_children()),
                          "seconds": time.perf_counter() - start}))
        """
    )
    assert isinstance(found, dict)
    assert found["running"] == 1 and found["left"] == 0
    assert found["seconds"] < 30  # stopped, not waited for


def test_halves_give_the_whole_result_the_second_from_a_fork() -> None:
    found = fresh(
        """
        import json, os
        from uprdex.pipeline import forked
        forked.cores = lambda: 2
        def tagged(items):
            return [(item, os.getpid()) for item in items]
        halves = forked.in_halves(tagged, list(range(7)), join=list.__add__, at=3)
        print(json.dumps({"me": os.getpid(), "halves": halves}))
        """
    )
    assert isinstance(found, dict)
    me, halves = found["me"], found["halves"]
    assert [item for item, _ in halves] == list(range(7))
    assert {pid for _, pid in halves[:3]} == {me}
    assert me not in {pid for _, pid in halves[3:]}


@pytest.mark.parametrize("threads", [1, 2])
def test_halves_are_one_call_when_not_worth_it_or_threads_run(
    monkeypatch: pytest.MonkeyPatch, threads: int
) -> None:
    """Not worth a process, or a Prefect flow's threads rule out a fork: the items are one
    call, not two halves run one after the other here."""
    monkeypatch.setattr(forked, "cores", lambda: 2)
    monkeypatch.setattr(forked, "start_method", lambda: "fork")
    monkeypatch.setattr(forked.threading, "active_count", lambda: threads)
    calls: list[list[int]] = []
    result = forked.in_halves(
        lambda items: calls.append(items) or items,
        [1, 2, 3],
        join=list.__add__,
        worth=threads > 1,
    )
    assert result == [1, 2, 3] and calls == [[1, 2, 3]]


def test_background_work_runs_here_when_not_worth_it_or_threads_run(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(forked, "start_method", lambda: "fork")
    monkeypatch.setattr(forked, "cores", lambda: 2)
    with forked.in_background(os.getpid, worth=False) as here:
        assert here() == os.getpid()
    monkeypatch.setattr(forked.threading, "active_count", lambda: 2)
    with forked.in_background(os.getpid) as here:
        assert here() == os.getpid()


def test_background_error_that_does_not_pickle_back_is_named_not_hidden() -> None:
    """An error whose class takes other arguments than it keeps cannot be unpickled (a
    TypeError about its __init__ hid it), and a result that does not pickle ended the worker
    "without a result": the caller reads what it was."""
    found = fresh(
        """
        import json
        from uprdex.pipeline import forked
        forked.cores = lambda: 2
        class RowError(Exception):
            def __init__(self, row, why):
                super().__init__(f"row {row}: {why}")
        def fails():
            raise RowError(7, "no text")
        messages = []
        for function in (fails, lambda: lambda: 1):
            try:
                with forked.in_background(function) as found:
                    found()
            except RuntimeError as raised:
                messages.append(str(raised))
        print(json.dumps(messages))
        """
    )
    assert isinstance(found, list) and len(found) == 2
    assert "RowError: row 7: no text" in found[0]
    assert found[1].startswith("the background result could not be sent back")


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_a_background_fork_ends_when_its_caller_is_killed(tmp_path: Path) -> None:
    """The OOM killer (or kill -9) ends the caller with no `finally`: its fork, holding a copy
    of its memory, must not then wait for ever to hand back a result larger than a pipe holds."""
    where = tmp_path / "pid"
    script = tmp_path / "killed.py"
    script.write_text(
        textwrap.dedent(
            f"""
            import multiprocessing, os, pathlib, signal, time
            from uprdex.pipeline import forked
            forked.cores = lambda: 2
            def result():
                time.sleep(1)  # the caller is killed first
                return bytes(1_000_000)
            with forked.in_background(result):
                fork = multiprocessing.active_children()[0].pid
                pathlib.Path({str(where)!r}).write_text(str(fork))
                os.kill(os.getpid(), signal.SIGKILL)
            """
        )
    )
    # No pipe to the script: the fork would hold it open as long as it lives.
    done = subprocess.run(
        [sys.executable, str(script)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        timeout=300,
        check=False,
    )
    assert done.returncode == -signal.SIGKILL
    fork = int(where.read_text())
    deadline = time.monotonic() + 15
    while not _ended(fork) and time.monotonic() < deadline:
        time.sleep(0.1)
    ended = _ended(fork)
    if not ended:
        os.kill(fork, signal.SIGKILL)
    assert ended


def _ended(pid: int) -> bool:
    """Whether process `pid` is gone, or a zombie its new parent has not reaped yet."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return True
    return stat.rsplit(")", 1)[1].split()[0] in ("Z", "X")


def test_a_daemonic_process_does_its_work_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    # A Dask worker is daemonic: it may not start processes, even with UPRDEX_SANDBOX=fork.
    monkeypatch.setenv("UPRDEX_SANDBOX", "fork")
    monkeypatch.setattr(forked, "cores", lambda: 2)
    monkeypatch.setattr(forked.threading, "active_count", lambda: 1)
    monkeypatch.setitem(multiprocessing.current_process()._config, "daemon", True)
    assert multiprocessing.current_process().daemon
    with forked.in_background(os.getpid) as here:
        assert here() == os.getpid()
    assert {pid for _, pid in in_parts(_pids, list(range(10)), min_items=0)} == {os.getpid()}
