"""`uprdex serve` stopped by a service manager while its Prefect server does not answer."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

pytestmark = [pytest.mark.prefect, pytest.mark.slow]

BIN = Path(sys.executable).parent


def test_sigterm_while_serve_waits_for_a_silent_server_stops_it_at_once(tmp_path: Path) -> None:
    """review12: a server that accepts and never answers (hung, or stopped with serve by the
    same `docker compose down`) holds serve's registration for Prefect's request timeout times
    its retries (about 7 minutes by default). A SIGTERM then must still stop serve at once, as
    the service manager's stop asks, not after Prefect's client gives up (sigterm 88484f2 held
    it 76 s with a 3 s timeout, then exited 1 with an httpx.ReadTimeout traceback)."""
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
    env = {
        **os.environ,
        "PREFECT_API_URL": f"http://127.0.0.1:{port}/api",
        "PREFECT_HOME": str(tmp_path / "prefect"),
        "PREFECT_API_REQUEST_TIMEOUT": "20",
    }
    env.pop("UPRDEX_CONFIG", None)
    (tmp_path / "inbox").mkdir()
    serve = subprocess.Popen(
        [str(BIN / "uprdex"), "serve", "--inbox", "inbox", "--index", "index.sqlite"],
        cwd=tmp_path,
        env=env,
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
            _, err = serve.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            pytest.fail("uprdex serve did not stop within 15 s of SIGTERM (its server silent)")
        assert time.monotonic() - began < 15
        assert serve.returncode == 0, err
        assert "Traceback" not in err
    finally:
        if serve.poll() is None:
            serve.kill()
            serve.communicate()
        listener.close()
        for connection in held:
            connection.close()
