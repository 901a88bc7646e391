"""`uprdex serve` stopped by a service manager while its Prefect server does not answer."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from helpers import run_uprdex, uprdex_env

pytestmark = [pytest.mark.prefect, pytest.mark.slow]

BIN = Path(sys.executable).parent


@pytest.fixture
def silent_server() -> Iterator[tuple[str, threading.Event]]:
    """A Prefect API URL whose server accepts connections and never answers (hung, or being
    stopped by the same `docker compose down`), and an event set once serve has called it."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    port = listener.getsockname()[1]
    asked = threading.Event()
    held: list[socket.socket] = []

    def accept() -> None:
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            held.append(connection)  # read nothing, answer nothing
            asked.set()

    threading.Thread(target=accept, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{port}/api", asked
    finally:
        listener.close()
        for connection in held:
            connection.close()


def _env(tmp_path: Path, url: str, **more: str) -> dict[str, str]:
    """`uprdex_env` with the server at `url` and a Prefect home of the test's own; and its
    inbox, which `uprdex serve` needs."""
    (tmp_path / "inbox").mkdir(exist_ok=True)
    return uprdex_env(url, tmp_path / "prefect", **more)


UPRDEX = [str(BIN / "uprdex")]
PLACES = ["--inbox", "inbox", "--index", "index.sqlite"]


def test_sigterm_while_serve_waits_for_a_silent_server_stops_it_at_once(
    tmp_path: Path, silent_server: tuple[str, threading.Event]
) -> None:
    """review12: a server that accepts and never answers (hung, or stopped with serve by the
    same `docker compose down`) holds serve's registration for Prefect's request timeout times
    its retries (about 7 minutes by default). A SIGTERM then must still stop serve at once, as
    the service manager's stop asks, not after Prefect's client gives up (sigterm 88484f2 held
    it 76 s with a 3 s timeout, then exited 1 with an httpx.ReadTimeout traceback)."""
    url, asked = silent_server
    serve = subprocess.Popen(
        [*UPRDEX, "serve", *PLACES],
        cwd=tmp_path,
        env=_env(tmp_path, url, PREFECT_API_REQUEST_TIMEOUT="20"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert asked.wait(60), "uprdex serve never called its server"
        time.sleep(1)
        serve.send_signal(signal.SIGTERM)
        began = time.monotonic()
        try:
            printed, err = serve.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            pytest.fail("uprdex serve did not stop within 15 s of SIGTERM (its server silent)")
        assert time.monotonic() - began < 15
        assert serve.returncode == 0, err
        assert "Traceback" not in err
        # Nothing was served, so nothing was paused: the line does not say it was.
        assert printed.splitlines()[-1].startswith("stopped before nightly/uprdex-nightly")
    finally:
        if serve.poll() is None:
            serve.kill()
            serve.communicate()


@pytest.mark.parametrize("command", [["serve"], ["serve", "--register-only"], ["run"]])
def test_a_prefect_server_that_does_not_answer_is_one_line_naming_it(
    tmp_path: Path, silent_server: tuple[str, threading.Event], command: list[str]
) -> None:
    """review12: with no signal, serve against a silent server ended after Prefect's client
    gave up (84 s at a 3 s timeout) with exit 1 and a 124-line httpx.ReadTimeout traceback;
    `uprdex run` with PREFECT_API_URL set, the same (a RuntimeError raised from it)."""
    url, _ = silent_server
    env = _env(tmp_path, url, PREFECT_API_REQUEST_TIMEOUT="2", PREFECT_CLIENT_MAX_RETRIES="0")
    ended = run_uprdex(*command, *PLACES, cwd=tmp_path, env=env, timeout=120)
    assert ended.returncode == 2, ended.stderr
    lines = ended.stderr.strip().splitlines()
    assert len(lines) == 1, ended.stderr
    assert lines[0].startswith(f"error the Prefect server at {url} did not answer")


PAUSE_HANGS = """
# Imported first by `uprdex serve`: pausing the deployment as the runner stops waits, as it
# does for minutes on a server that is stopping too (its client's timeout times its retries).
# Files in UPRDEX_TEST_MARKS say when the runner serves and when it pauses.
import asyncio, os
from pathlib import Path

from prefect.runner import Runner
from prefect.runner._scheduled_run_poller import ScheduledRunPoller

marks = Path(os.environ["UPRDEX_TEST_MARKS"])
polls = ScheduledRunPoller.run

async def serves(self, *args, **kwargs):
    (marks / "serving").touch()
    return await polls(self, *args, **kwargs)

async def hangs(self):
    (marks / "pausing").touch()
    await asyncio.sleep(3600)

ScheduledRunPoller.run = serves
Runner._pause_schedules = hangs
"""


def _until(path: Path, serve: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 180
    while not path.exists():
        assert serve.poll() is None, serve.communicate()
        assert time.monotonic() < deadline, f"no {path.name} within 180 s"
        time.sleep(0.2)


def test_a_second_sigterm_ends_serve_whose_stop_waits_on_its_server(
    prefect_server: str, tmp_path: Path
) -> None:
    """review12 finding 9: `kill PID; kill PID`. Once SIGTERM's graceful stop waited on the
    deployment's pause, sigterm 88484f2 ignored a second SIGTERM: only SIGKILL ended serve."""
    (tmp_path / "patch").mkdir()
    (tmp_path / "patch" / "sitecustomize.py").write_text(PAUSE_HANGS)
    marks = tmp_path / "marks"
    marks.mkdir()
    env = _env(
        tmp_path,
        prefect_server,
        PYTHONPATH=str(tmp_path / "patch"),
        UPRDEX_TEST_MARKS=str(marks),
    )
    serve = subprocess.Popen(
        [*UPRDEX, "serve", *PLACES],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        _until(marks / "serving", serve)
        serve.send_signal(signal.SIGTERM)
        _until(marks / "pausing", serve)
        time.sleep(1)
        assert serve.poll() is None  # the pause waits
        serve.send_signal(signal.SIGTERM)
        try:
            printed, err = serve.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            pytest.fail("a second SIGTERM did not end uprdex serve within 15 s")
    finally:
        if serve.poll() is None:
            os.killpg(serve.pid, signal.SIGKILL)
            serve.communicate()
    assert serve.returncode == 0, err
    assert "Traceback" not in err
    last = printed.splitlines()[-1]
    assert last.startswith("stopped on a second SIGTERM: nightly/uprdex-nightly")


HOLD_AN_IMPORT = """
# Imported first by `uprdex serve` (sitecustomize): it waits as it starts to import the module
# UPRDEX_TEST_AT names, once it has written UPRDEX_TEST_MARK, so that the test's SIGTERM lands
# at that moment of serve's start, before serve has set up its own stop.
import os, sys, time

class Hold:
    def find_spec(self, name, path=None, target=None):
        if name == os.environ.get("UPRDEX_TEST_AT"):
            del os.environ["UPRDEX_TEST_AT"]
            with open(os.environ["UPRDEX_TEST_MARK"], "w") as mark:
                mark.write(str(os.getpid()))
            time.sleep(60)
        return None

sys.meta_path.insert(0, Hold())
"""


@pytest.mark.parametrize("at", ["click", "prefect", "uprdex.flows.nightly"])
def test_sigterm_while_serve_starts_ends_it_in_its_line(
    tmp_path: Path, silent_server: tuple[str, threading.Event], at: str
) -> None:
    """A service manager's stop (or `timeout`) in serve's first second or two, while it
    imports the CLI, Prefect and the flow, before its own SIGTERM handler is set: serve died
    of the signal's default action, exit 143 and no line (fix12a, closing-s45)."""
    url, _ = silent_server
    (tmp_path / "patch").mkdir()
    (tmp_path / "patch" / "sitecustomize.py").write_text(HOLD_AN_IMPORT)
    mark = tmp_path / "mark"
    env = _env(
        tmp_path,
        url,
        PYTHONPATH=str(tmp_path / "patch"),
        UPRDEX_TEST_AT=at,
        UPRDEX_TEST_MARK=str(mark),
    )
    serve = subprocess.Popen(
        [*UPRDEX, "serve", *PLACES],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        _until(mark, serve)
        serve.send_signal(signal.SIGTERM)
        try:
            printed, err = serve.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            pytest.fail(f"uprdex serve did not stop within 15 s of SIGTERM (importing {at})")
    finally:
        if serve.poll() is None:
            os.killpg(serve.pid, signal.SIGKILL)
            serve.communicate()
    assert (serve.returncode, err) == (0, "")
    assert printed.splitlines() == [
        "stopped before nightly/uprdex-nightly was served; runs it schedules wait until "
        "`uprdex serve` runs again"
    ]
