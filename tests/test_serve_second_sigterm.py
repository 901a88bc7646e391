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


SERVER_SILENT = """
# The server does not answer serve, ending at once, when it asks it to mark the run cancelled:
# its thread of Prefect's client waits (as on a server that is stopping too). Only in serve's
# own process: the run's process reads its flow run with that client too.
import os, time

from prefect.client.orchestration import SyncPrefectClient

read_flow_run = SyncPrefectClient.read_flow_run

def silent(self, *args, **kwargs):
    if os.environ.get("UPRDEX_SERVED_BY") == str(os.getpid()):
        time.sleep(60)
    return read_flow_run(self, *args, **kwargs)

SyncPrefectClient.read_flow_run = silent
"""


@pytest.mark.parametrize("answers", [True, False], ids=["server-answers", "server-silent"])
def test_a_run_cancelled_as_serve_ends_on_a_second_sigterm_is_not_left_running(
    prefect_server: str, tmp_path: Path, answers: bool
) -> None:
    # review14b: `kill PID; kill PID` of serve during a run: the first SIGTERM's stop had the
    # runner end the run's process, the second ended serve before the runner marked the run
    # cancelled: the run stayed "Running" on the server for ever, with no process, and serve's
    # line said nothing of it. Serve marks it cancelled itself before it ends; when the server
    # does not answer in time, its line names the run and the command that clears it.
    patch = HOLD_THE_SECOND_WRITE + FINALIZING_WAITS + ("" if answers else SERVER_SILENT)
    served, _ = _serve_a_held_run(prefect_server, tmp_path, patch)
    run = int((tmp_path / "held").read_text())
    try:
        os.kill(served.pid, signal.SIGTERM)
        deadline = time.monotonic() + 60
        while _alive(run):  # the runner ends the run's process
            assert time.monotonic() < deadline and served.poll() is None
            time.sleep(0.2)
        os.kill(served.pid, signal.SIGTERM)
        again = time.monotonic()
        served.wait(timeout=60)
        took = time.monotonic() - again
    finally:
        if served.poll() is None:
            os.killpg(served.pid, signal.SIGKILL)
            served.wait()
    _nothing_left(served.pid)
    assert took < 12, took  # a second SIGTERM means now: AGAIN_WAIT (2 s), MARK_WAIT (3 s)
    assert served.returncode == 0
    last = (tmp_path / "serve.out").read_text().splitlines()[-1]
    assert last.startswith("stopped on a second SIGTERM: nightly/uprdex-nightly may not be paused")
    env = {**os.environ, "PREFECT_API_URL": prefect_server, "PREFECT_HOME": str(tmp_path / "h")}
    if answers:
        assert _states(env) == ["Cancelled"]
        assert "; run " in last and " marked cancelled on the Prefect server;" in last, last
        return
    assert _states(env) == ["Running"]  # as the line says, with what clears it
    assert "; run " in last, last
    said = last.split("; run ")[1]
    flow_run_id = said.split()[0]
    assert said.startswith(
        f"{flow_run_id} may show Running on the Prefect server, which did not record its end "
        f"within 3 s: its process has ended; `prefect flow-run delete {flow_run_id}` clears it"
    ), last
    cleared = subprocess.run(
        [str(Path(sys.executable).parent / "prefect"), "--no-prompt", "flow-run", "delete",
         flow_run_id],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert cleared.returncode == 0, cleared.stdout + cleared.stderr
    assert _states(env) == []


def _states(env: dict[str, str]) -> list[str]:
    """The states of the deployment's runs on the server, but those scheduled."""
    read = subprocess.run(
        [sys.executable, "-c", STATES], env=env, capture_output=True, text=True, timeout=120
    )
    assert read.returncode == 0, read.stderr
    return list(json.loads(read.stdout.strip().splitlines()[-1]))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True
