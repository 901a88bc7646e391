"""`uprdex warm`: commands handed to a warm process do what the cold command does, end with its
exit status, can be interrupted, and run cold when the warm process runs other code."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from uprdex.flows import warm

from helpers import fixture

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not warm.SUPPORTED, reason="uprdex warm runs on Linux only"),
]

UPRDEX = str(Path(sys.executable).parent / "uprdex")


def _start_warm(
    tmp_path: Path, preexec_fn: Callable[[], object] | None = None
) -> tuple[Path, subprocess.Popen[str]]:
    """A warm process of this install, listening on a socket of this test only."""
    folder = tmp_path / "sockets"
    folder.mkdir(mode=0o700)
    socket = folder / "warm.sock"
    environment = {**os.environ, "UPRDEX_WARM_SOCKET": str(socket)}
    server = subprocess.Popen(
        [UPRDEX, "warm"],
        env=environment,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=preexec_fn,
    )
    assert server.stderr is not None
    line = server.stderr.readline()
    assert "listening on" in line, line
    return socket, server


@pytest.fixture
def warm_socket(tmp_path: Path) -> Iterator[tuple[Path, subprocess.Popen[str]]]:
    """A warm process of this install, listening on a socket of this test only."""
    socket, server = _start_warm(tmp_path)
    try:
        yield socket, server
    finally:
        server.send_signal(signal.SIGTERM)  # as `kill` does: it too removes the socket
        server.wait(timeout=20)
    assert not socket.exists(), "the warm process leaves its socket behind"


def _uprdex(
    socket: Path, cwd: Path, *arguments: str, **extra: str
) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "UPRDEX_WARM_SOCKET": str(socket), "UPRDEX_WARM": "1", **extra}
    return subprocess.run(
        [UPRDEX, *arguments], cwd=cwd, env=environment, capture_output=True, text=True, timeout=120
    )


def _recommendations(index: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(index) as db:
        return db.execute("SELECT id, text FROM recommendations ORDER BY id").fetchall()


def test_a_handed_over_ingest_writes_what_a_cold_one_writes(
    warm_socket: tuple[Path, subprocess.Popen[str]], tmp_path: Path
) -> None:
    socket, server = warm_socket
    report = fixture("slovenia2014_recs.pdf")
    (tmp_path / "warm").mkdir()
    (tmp_path / "cold").mkdir()
    handed = _uprdex(socket, tmp_path / "warm", "ingest", str(report))
    cold = _uprdex(socket, tmp_path / "cold", "ingest", str(report), UPRDEX_WARM="0")
    assert handed.returncode == cold.returncode == 0, handed.stderr
    assert handed.stdout == cold.stdout  # the copy wrote to this process's own output
    assert "indexed" in handed.stdout
    warm_rows = _recommendations(tmp_path / "warm" / "data" / "index.sqlite")
    assert warm_rows and warm_rows == _recommendations(tmp_path / "cold" / "data" / "index.sqlite")
    # ... in the caller's folder and with its environment: an index named by UPRDEX_INDEX.
    named = tmp_path / "named.sqlite"
    assert _uprdex(socket, tmp_path, "cluster", UPRDEX_INDEX=str(named)).returncode == 2
    assert _uprdex(socket, tmp_path, "ingest", str(report), UPRDEX_INDEX=str(named)).returncode == 0
    assert _recommendations(named) == warm_rows
    # The warm process ran them: it logs one line per command.
    time.sleep(0.5)  # the last copy has sent its status; let it end
    server.send_signal(signal.SIGINT)
    _, log = server.communicate(timeout=20)
    assert log.count("uprdex ingest") == 2 and "uprdex cluster: exit 2" in log, log


def test_a_failing_command_ends_with_its_own_status(
    warm_socket: tuple[Path, subprocess.Popen[str]], tmp_path: Path
) -> None:
    socket, _ = warm_socket
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4 this is not a PDF")
    result = _uprdex(socket, tmp_path, "ingest", str(broken))
    assert result.returncode == 1
    assert "broken.pdf" in result.stdout + result.stderr


def test_ctrl_c_interrupts_the_warm_copy_and_the_warm_process_lives_on(
    warm_socket: tuple[Path, subprocess.Popen[str]], tmp_path: Path
) -> None:
    socket, _ = warm_socket
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for n in range(30):  # enough work to be interrupted in the middle of it
        (inbox / f"copy{n}.pdf").write_bytes(
            fixture("slovenia2014_recs.pdf").read_bytes() + b"%" * n
        )
    environment = {**os.environ, "UPRDEX_WARM_SOCKET": str(socket), "UPRDEX_WARM": "1"}
    client = subprocess.Popen(
        [UPRDEX, "ingest", "--workers", "1", str(inbox)],
        cwd=tmp_path,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert client.stdout is not None
    client.stdout.readline()  # the first document is indexed: the copy is at work
    client.send_signal(signal.SIGINT)
    start = time.monotonic()
    client.communicate(timeout=60)
    assert client.returncode != 0
    assert time.monotonic() - start < 30, "the interrupt did not reach the warm copy"
    with sqlite3.connect(tmp_path / "data" / "index.sqlite") as db:
        indexed = db.execute("SELECT count(*) FROM documents").fetchone()[0]
    assert 1 <= indexed < 30
    # The warm process still serves the next command.
    again = _uprdex(socket, tmp_path, "ingest", str(inbox))
    assert again.returncode == 0, again.stderr


def test_a_warm_process_running_other_code_is_not_used(
    warm_socket: tuple[Path, subprocess.Popen[str]],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    socket, _ = warm_socket
    monkeypatch.setenv("UPRDEX_WARM_SOCKET", str(socket))
    monkeypatch.setenv("UPRDEX_WARM", "1")
    monkeypatch.setattr(warm, "code_fingerprint", lambda: "an edited checkout")
    assert warm.hand_over(["ingest", "nothing.pdf"]) is None
    assert "runs other code or models than this install" in capsys.readouterr().err


def test_only_commands_that_load_models_are_handed_over(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No warm process listens: every command runs cold; help and quick commands never try."""
    monkeypatch.setenv("UPRDEX_WARM_SOCKET", str(tmp_path / "nobody.sock"))
    monkeypatch.setenv("UPRDEX_WARM", "1")
    assert warm.hand_over(["ingest", "x.pdf"]) is None
    assert not warm._handed_over(["recs"])
    assert not warm._handed_over(["ingest", "--help"])
    assert warm._handed_over(["cluster", "--granularity", "0.3"])


def test_a_second_warm_process_on_the_same_socket_is_refused(
    warm_socket: tuple[Path, subprocess.Popen[str]],
) -> None:
    socket, _ = warm_socket
    environment = {**os.environ, "UPRDEX_WARM_SOCKET": str(socket)}
    second = subprocess.run(
        [UPRDEX, "warm"], env=environment, capture_output=True, text=True, timeout=60
    )
    assert second.returncode == 2
    assert "already listens" in second.stderr
    assert socket.exists()


def test_the_socket_folder_must_be_private(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o777)
    shared.chmod(0o777)
    environment = {**os.environ, "UPRDEX_WARM_SOCKET": str(shared / "warm.sock")}
    result = subprocess.run(
        [UPRDEX, "warm"], env=environment, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert "private" in result.stderr and str(shared) in result.stderr
    assert json.dumps(result.stderr).count("\\n") == 1  # one line


def test_ctrl_c_stops_a_warm_process_started_in_the_background_of_a_script(
    tmp_path: Path,
) -> None:
    # `uprdex warm &` in a non-interactive shell starts with SIGINT ignored (POSIX); it must
    # still stop on Ctrl-C / `kill -INT`, and remove its socket.
    socket, server = _start_warm(
        tmp_path, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN)
    )
    server.send_signal(signal.SIGINT)
    try:
        _, log = server.communicate(timeout=20)
    finally:
        server.kill()
    assert "stopped" in log
    assert not socket.exists()
