"""`uprdex run` stopped mid-run by SIGTERM: `kill PID`, or a service manager's stop, which
signals every process of the run at once (systemd's default KillMode=control-group): the run,
its temporary Prefect server and its sandbox workers (fixsystemd, "What is left" 2)."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest
from test_watch import _running, _sigterm_to_all, _watch_stopped_mid_run

pytestmark = pytest.mark.prefect


@pytest.mark.parametrize("to_all", [True, False], ids=["group", "alone"])
def test_run_stopped_by_sigterm_mid_run_says_what_it_indexed_and_left(
    tmp_path: Path, to_all: bool
) -> None:
    # Before, to all: "error the temporary Prefect server stopped during the run (killed by
    # signal 15)" and exit 2, or killed by the signal (-15), after Prefect's "Crash detected!
    # Execution was aborted by a termination signal."; alone: -15 after that crash line. Either
    # way no word of what the run had indexed or left.
    signalled: list[int] = []

    def stop(pid: int) -> None:
        if to_all:
            _sigterm_to_all(pid, signalled)
        else:
            signalled.append(pid)
            os.kill(pid, signal.SIGTERM)

    code, errors, said = _watch_stopped_mid_run(tmp_path, stop, ("run",))
    left = _running(signalled)
    for _ in range(25):  # a worker or the server may take a moment after the run's end
        if not left:
            break
        time.sleep(0.2)
        left = _running(left)
    assert code == 143, (code, errors, said)
    assert errors == "", errors  # no crash, no lost server, no "probably damaged"
    last = said.strip().splitlines()[-1] if said.strip() else ""
    inbox = tmp_path / "inbox"
    assert last.startswith(f"stopped (SIGTERM) the run of {inbox}: it had indexed "), said
    assert last.endswith("not indexed yet, for the next `uprdex run`"), said
    assert not left, f"still running after the stop: {left}"
    quarantine = tmp_path / "quarantine"
    assert not quarantine.exists() or not any(quarantine.iterdir())
