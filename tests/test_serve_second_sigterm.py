"""`uprdex serve` ended on a second SIGTERM while its runner was cancelling a run (review14b)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_deployment import HOLD_THE_SECOND_WRITE, _nothing_left, _serve_a_held_run

pytestmark = [pytest.mark.prefect, pytest.mark.slow]

FINALIZING_WAITS = """
# Prefect's runner, cancelling a run as serve stops, has ended the run's process and waits on
# the server to mark the run cancelled (a loaded server took 2.5 s here, more than AGAIN_WAIT).
import asyncio

from prefect.runner._cancellation_manager import CancellationManager

finalize = CancellationManager._finalize_cancelled_state

async def slow(self, *args, **kwargs):
    await asyncio.sleep(30)
    return await finalize(self, *args, **kwargs)

CancellationManager._finalize_cancelled_state = slow
"""

STATES = """
import asyncio, json
from prefect.client.orchestration import get_client

async def main():
    async with get_client() as client:
        deployment = await client.read_deployment_by_name("nightly/uprdex-nightly")
        runs = await client.read_flow_runs()
        print(json.dumps(sorted(
            run.state_name for run in runs
            if run.deployment_id == deployment.id and run.state_name != "Scheduled"
        )))

asyncio.run(main())
"""


@pytest.mark.xfail(strict=True, reason="review14b finding 3")
def test_a_run_cancelled_as_serve_ends_on_a_second_sigterm_is_not_left_running(
    prefect_server: str, tmp_path: Path
) -> None:
    # review14b: `kill PID; kill PID` of serve during a run: the first SIGTERM's stop had the
    # runner end the run's process, the second ended serve before the runner marked the run
    # cancelled: the run stayed "Running" on the server for ever, with no process, and serve's
    # line said nothing of it.
    served, _ = _serve_a_held_run(
        prefect_server, tmp_path, HOLD_THE_SECOND_WRITE + FINALIZING_WAITS
    )
    run = int((tmp_path / "held").read_text())
    try:
        os.kill(served.pid, signal.SIGTERM)
        deadline = time.monotonic() + 60
        while _alive(run):  # the runner ends the run's process
            assert time.monotonic() < deadline and served.poll() is None
            time.sleep(0.2)
        os.kill(served.pid, signal.SIGTERM)
        served.wait(timeout=60)
    finally:
        if served.poll() is None:
            os.killpg(served.pid, signal.SIGKILL)
            served.wait()
    _nothing_left(served.pid)
    env = {**os.environ, "PREFECT_API_URL": prefect_server, "PREFECT_HOME": str(tmp_path / "h")}
    read = subprocess.run(
        [sys.executable, "-c", STATES], env=env, capture_output=True, text=True, timeout=120
    )
    assert read.returncode == 0, read.stderr
    states = json.loads(read.stdout.strip().splitlines()[-1])
    assert states and "Running" not in states, states


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True
