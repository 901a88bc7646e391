"""review16: what the fixsandbox merge left (pipeline/sandbox.py, SIGINT held around a start)."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time

import pytest

from uprdex.pipeline import sandbox
from uprdex.pipeline.sandbox import map_isolated


def _upper(item: str) -> str:
    return item.upper()


def _alive(pid: int) -> bool:
    """Whether child `pid` still runs (reaping it if it ended)."""
    try:
        done, _ = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return False  # reaped already (by the sandbox)
    return done == 0


@pytest.mark.xfail(
    strict=True,
    reason="review16 finding 1: a Ctrl-C held during a worker's start is delivered when "
    "_interrupts_held restores the mask, inside _start before the worker is in the pool: "
    "the worker is left running, its channel open",
)
@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_a_ctrl_c_held_while_a_worker_starts_leaves_no_worker(
    monkeypatch: pytest.MonkeyPatch, method: str
) -> None:
    # Ctrl-C pressed while fork() or Popen runs (milliseconds for a big parent, tens of ms for
    # a fresh interpreter) is held by _interrupts_held, then raised as KeyboardInterrupt the
    # moment the mask is restored: that is inside _start, before it returns the worker. So
    # map_isolated's finally (finding 4's fix) never sees it.
    started: list[int] = []
    real_fork, real_popen = os.fork, subprocess.Popen

    def fork() -> int:
        pid = real_fork()
        if pid:
            started.append(pid)
            os.kill(os.getpid(), signal.SIGINT)  # the terminal's Ctrl-C, held for now
        return pid

    def popen(*args, **kwargs):  # type: ignore[no-untyped-def]
        process = real_popen(*args, **kwargs)
        started.append(process.pid)
        os.kill(os.getpid(), signal.SIGINT)
        return process

    ends = set(sandbox._PARENT_ENDS)
    monkeypatch.setattr(os, "fork", fork)
    monkeypatch.setattr(sandbox.subprocess, "Popen", popen)
    try:
        with pytest.raises(KeyboardInterrupt):
            list(map_isolated(_upper, ["a", "b"], 1, 30.0, 0, method, "watchdog"))
        assert signal.SIGINT not in signal.pthread_sigmask(signal.SIG_BLOCK, [])
        assert started
        deadline = time.monotonic() + 5
        while any(_alive(pid) for pid in started) and time.monotonic() < deadline:
            time.sleep(0.1)
        left = [pid for pid in started if _alive(pid)]
        assert not left, f"worker processes left: {left}"
        assert ends == sandbox._PARENT_ENDS
    finally:
        for pid in started:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
