"""`uprdex serve` stopped mid-run by a service manager's SIGTERM to every process at once
(systemd's default KillMode=control-group): serve, its run's process, the run's sandbox
workers and the Prefect server (fixsystemd, "What is left" 1)."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest
from test_deployment import _nothing_left, _serve_a_held_run

pytestmark = [pytest.mark.prefect, pytest.mark.slow]

HOLD_IN_A_WORKER = """
# Imported first by every Python process of the test (serve, the run's process, its spawned
# sandbox workers; a forked worker inherits it): a sandbox worker waits before it reads its
# document, so that the stop lands mid-extraction, the worker alive.
import os, time
from pathlib import Path

from uprdex.pipeline import sandbox

answer = sandbox._answer

def held(function, conn):
    Path(os.environ["UPRDEX_TEST_HELD"]).write_text(str(os.getppid()))
    time.sleep(120)
    return answer(function, conn)

sandbox._answer = held
"""


def _server_processes(url: str) -> list[int]:
    """The processes of the `prefect server start` listening on url's port, and their
    children (found by the port in their command line)."""
    port = urlparse(url).port
    table = subprocess.run(
        ["ps", "-ww", "-eo", "pid=,ppid=,args="], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    rows = [[*line.split(None, 2), ""] for line in table]
    found = {int(row[0]) for row in rows if f"--port {port}" in row[2]}
    more = True
    while more:
        children = {int(row[0]) for row in rows if int(row[1]) in found} - found
        found |= children
        more = bool(children)
    return sorted(found)


def test_serve_stopped_mid_run_by_a_sigterm_to_all_its_processes_and_the_server_stops_with_0(
    prefect_server: str, tmp_path: Path
) -> None:
    # On main serve hung more than 4.5 minutes in walls of tracebacks (its runner's stop calls
    # the server the same stop ended), without its line; the run's process called the files
    # its workers, ended by the stop's signal, "probably damaged".
    served, workspace = _serve_a_held_run(prefect_server, tmp_path, HOLD_IN_A_WORKER)
    server = _server_processes(prefect_server)
    assert server
    try:
        signalled = time.monotonic()
        os.killpg(served.pid, signal.SIGTERM)  # serve, its run's process, its workers
        for pid in server:
            os.kill(pid, signal.SIGTERM)
        served.wait(timeout=30)
        took = time.monotonic() - signalled
    finally:
        if served.poll() is None:
            os.killpg(served.pid, signal.SIGKILL)
            served.wait()
    error = (tmp_path / "serve.err").read_text()
    printed = (tmp_path / "serve.out").read_text()
    assert served.returncode == 0, error
    assert took < 10, took
    assert "probably damaged" not in error, error
    assert "Traceback" not in error, error
    assert printed.splitlines()[-1].startswith("stopped"), printed
    _nothing_left(served.pid)
    index = sqlite3.connect(workspace / "data" / "index.sqlite")
    assert index.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    # Held at its first document: nothing indexed (the tables may not be made yet).
    made = index.execute("SELECT count(*) FROM sqlite_master WHERE name = 'documents'").fetchone()
    assert (made[0] and index.execute("SELECT count(*) FROM documents").fetchone()[0]) == 0
    index.close()
    assert not (workspace / "data" / "quarantine").exists() or not any(
        (workspace / "data" / "quarantine").iterdir()
    )
