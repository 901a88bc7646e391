"""Pytest fixtures: the Prefect environment, the shared corpus when present, one indexed store
per session. Plain helpers are in helpers.py."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

# Prefect, before anything imports it: own home, no analytics, no network, patience at start.
os.environ["PREFECT_HOME"] = tempfile.mkdtemp(prefix="uprdex-prefect-")
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
os.environ["DO_NOT_TRACK"] = "1"
os.environ["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"] = "120"
os.environ.pop("PREFECT_API_URL", None)
# A warm uprdex of the developer's (`uprdex warm`) must not run the tests' commands; the tests
# of the warm process turn it back on.
os.environ["UPRDEX_WARM"] = "0"
# A shell without job control starts a background command with Ctrl-C ignored, and every process
# a test starts inherits that: the Ctrl-C tests would then test nothing but the shell. They test
# uprdex as a terminal starts it.
if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)

import pytest

from uprdex.flows.prefect_api import answers, free_port

from helpers import SHARED, copy_index, ingested


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that reads the shared corpus is a corpus test (`-m "not corpus"` leaves it out)."""
    for item in items:
        if "shared_data" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.corpus)


@pytest.fixture
def shared_data() -> Path:
    """The shared corpus, or a skip saying why."""
    if not SHARED.exists():
        pytest.skip(f"shared corpus not found at {SHARED}: corpus tests skipped")
    return SHARED


@pytest.fixture(scope="session")
def built_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two real WG reports (Slovenia 2014, Algeria 2008) indexed once for the whole session;
    tests get their own copy through `index`."""
    names = ("slovenia2014_recs.pdf", "algeria2008_recs.pdf")
    return ingested(names, tmp_path_factory.mktemp("built") / "index.sqlite")


@pytest.fixture
def index(built_index: Path, tmp_path: Path) -> Path:
    """An index holding two real fixtures, this test's own copy."""
    return copy_index(built_index, tmp_path / "index.sqlite")


@pytest.fixture
def prefect_server(tmp_path: Path) -> Iterator[str]:
    """A real `prefect server start` on 127.0.0.1, SQLite, its own home."""
    port = free_port()
    env = {
        **os.environ,
        "PREFECT_HOME": str(tmp_path / "server-home"),
        "PREFECT_API_SERVICES_SCHEDULER_LOOP_SECONDS": "1",
        "PREFECT_UI_ENABLED": "false",
    }
    env.pop("PREFECT_API_URL", None)
    prefect = Path(sys.executable).parent / "prefect"
    log = (tmp_path / "server.log").open("w")
    server = subprocess.Popen(
        [str(prefect), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/api"
    try:
        if not answers(url, 180, server):
            pytest.fail(f"prefect server did not start: {(tmp_path / 'server.log').read_text()}")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
