"""The temporary Prefect API of `uprdex run` and the environment it sets."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from uprdex.flows.exit_codes import EXIT_USAGE
from uprdex.flows.prefect_api import API, environment, temporary_api

from helpers import UPRDEX_MAIN, fixture, run_uprdex, uprdex_env


def test_a_run_in_process_leaves_the_environment_as_it_found_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # `uprdex run` without --verbose quietens Prefect through PREFECT_LOGGING_LEVEL; run by a
    # test or a notebook, it must not quieten every later run of that process.
    monkeypatch.delenv("PREFECT_LOGGING_LEVEL", raising=False)
    monkeypatch.setenv("DO_NOT_TRACK", "1")
    with environment({"PREFECT_LOGGING_LEVEL": "WARNING", "DO_NOT_TRACK": "0"}):
        assert os.environ["PREFECT_LOGGING_LEVEL"] == "WARNING"
    assert "PREFECT_LOGGING_LEVEL" not in os.environ and os.environ["DO_NOT_TRACK"] == "1"


def test_no_server_is_started_when_one_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:9/api")
    with temporary_api() as api:
        api.ready()  # nothing to wait for
        assert not api.temporary
        assert os.environ["PREFECT_API_URL"] == "http://127.0.0.1:9/api"
    assert os.environ["PREFECT_API_URL"] == "http://127.0.0.1:9/api"


def test_flows_on_the_temporary_server_send_no_heartbeats() -> None:
    # Each flow run waits up to a second for its heartbeat thread at its end; the temporary
    # server stops with the run, so nothing would ever read them. A server of the user's own
    # gets them as Prefect's settings say.
    from prefect.settings import get_current_settings

    default = get_current_settings().flows.heartbeat_frequency
    assert default is not None
    with API(lambda: None).flow_settings():
        assert get_current_settings().flows.heartbeat_frequency is None
    with API().flow_settings():
        assert get_current_settings().flows.heartbeat_frequency == default
    assert get_current_settings().flows.heartbeat_frequency == default


def test_a_server_that_cannot_start_says_why_in_one_line(tmp_path: Path) -> None:
    # The temporary server printed its traceback to the run's own output: at start when it
    # failed, and at stop when stopped while recording a run's last events.
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    env = uprdex_env(
        PREFECT_SERVER_DATABASE_CONNECTION_URL="sqlite+aiosqlite:////proc/none/prefect.db"
    )
    done = run_uprdex("run", "--inbox", inbox, "--index", tmp_path / "index.sqlite", env=env)
    assert done.returncode == EXIT_USAGE
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert "the temporary Prefect server stopped at start" in done.stderr
    assert "unable to open database file" in done.stderr


@pytest.mark.prefect
def test_a_run_says_a_failed_or_left_out_file_once_in_its_own_words(tmp_path: Path) -> None:
    # Without --verbose, the flow's own warnings showed as Prefect's log lines as well ("11:35:59
    # | WARNING | Flow run 'automatic-slug' - list.docx: not a PDF, ..."), before the run's
    # summary said the same: the README shows Prefect's lines with --verbose only.
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "broken.pdf").write_bytes(b"<html>404</html>")
    (inbox / "list.docx").write_bytes(b"PK")
    done = run_uprdex("run", "--inbox", inbox, "--index", tmp_path / "index.sqlite")
    assert done.returncode == 1
    assert done.stderr.count("broken.pdf: an HTML page") == 1, done.stderr
    assert done.stderr.count("list.docx: not a PDF") == 1, done.stderr
    assert "| WARNING |" not in done.stderr


def test_the_run_waits_for_its_last_events_without_saying_so(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # A 0-file `uprdex run` ended with "EventsWorker - Still processing items: 2 items
    # remaining...": the run's own wait for its events, nothing the user can act on.
    import logging

    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker

    from uprdex.flows import prefect_api

    def drain_all(cls: type, timeout: float) -> None:
        logging.getLogger(cls.__name__).warning("Still processing items: 2 items remaining...")

    for worker in (APILogWorker, EventsWorker):
        monkeypatch.setattr(worker, "drain_all", classmethod(drain_all))
    with caplog.at_level(logging.WARNING):
        prefect_api._drain(False)
        assert caplog.records == []
        prefect_api._drain(True)  # --verbose: Prefect's notes as they come
        assert [record.name for record in caplog.records] == ["APILogWorker", "EventsWorker"]


THE_SERVER = """
import os, signal, sys, time
from pathlib import Path

def kill_the_server():
    # The temporary Prefect server dies (the OOM killer, its disk full).
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            line = (stat.parent / "cmdline").read_bytes()
        except (OSError, ValueError):
            continue
        if ppid == os.getpid() and b"uvicorn" in line:
            os.kill(int(stat.parent.name), signal.SIGKILL)
"""
SERVER_GONE_RUN = (
    THE_SERVER
    + """
from uprdex.pipeline.store import Store

write = Store.write_document

def server_gone(self, *args, **kwargs):
    kill_the_server()  # mid-run
    return write(self, *args, **kwargs)

Store.write_document = server_gone
"""
    + UPRDEX_MAIN
)


def _run(script: str, tmp_path: Path, *names: str) -> subprocess.CompletedProcess[str]:
    """`uprdex run` of these fixtures on its own temporary server, with `script`'s patch."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name in names:
        shutil.copy(fixture(name), inbox / name)
    args = ["run", "--inbox", inbox, "--index", tmp_path / "index.sqlite"]
    return run_uprdex(*args, script=script, timeout=120, start_new_session=True)


def test_a_run_whose_server_dies_ends_at_once_in_one_line(tmp_path: Path) -> None:
    # The run went on, each call to the dead server tried again for seconds, then each event
    # at the end: a 40-report run took 12 minutes to end, with 250 kB of tracebacks.
    done = _run(SERVER_GONE_RUN, tmp_path, "slovenia2014_recs.pdf", "bhutan2014_recs.pdf")
    assert done.returncode == EXIT_USAGE, done.stderr[-2000:]
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("error the temporary Prefect server stopped during the run"), last
    assert "killed by signal 9" in last


CTRL_C_RUN = SERVER_GONE_RUN.replace(
    "    kill_the_server()  # mid-run",
    "    os.killpg(os.getpgid(0), signal.SIGINT)  # Ctrl-C: the terminal's whole group",
)


AFTER_THE_FLOW = """
import contextlib
from uprdex.flows import prefect_api

settings = prefect_api.API.flow_settings

@contextlib.contextmanager
def server_gone(api):
    with settings(api):
        yield
    kill_the_server()  # once the flow has returned
    time.sleep(1.5)  # the watcher's turn

prefect_api.API.flow_settings = server_gone
"""
IN_THE_DRAIN = """
from uprdex.flows import prefect_api

drain = prefect_api._drain

def server_gone(say, *timeout):
    kill_the_server()  # while the run's last log lines and events are sent
    time.sleep(0.5)
    drain(say, *timeout)

prefect_api._drain = server_gone
"""


@pytest.mark.parametrize("when", [AFTER_THE_FLOW, IN_THE_DRAIN], ids=["after", "drain"])
def test_a_server_that_dies_after_the_flow_leaves_the_run_its_summary(
    tmp_path: Path, when: str
) -> None:
    # Every document and output was whole, and the run ended with "the temporary Prefect
    # server stopped during the run" and exit code 2 instead of its summary (after the flow);
    # or with its summary, and Prefect's tries to send the last log lines at the end (drain).
    done = _run(THE_SERVER + when + UPRDEX_MAIN, tmp_path, "slovenia2014_recs.pdf")
    assert done.returncode == 0, done.stderr[-2000:]
    assert "1 indexed" in done.stdout and (tmp_path / "reports" / "html" / "index.html").is_file()
    assert done.stderr.splitlines() == [
        "warning the temporary Prefect server stopped at the end of the run: the run's last "
        "log lines and events were not recorded on it"
    ]


def test_ctrl_c_stops_the_run_which_then_stops_its_server(tmp_path: Path) -> None:
    # The terminal's Ctrl-C reached the temporary server too: the run then spent 15 s trying
    # to send its last events to it, with Prefect's errors, before its one line.
    done = _run(CTRL_C_RUN, tmp_path, "slovenia2014_recs.pdf")
    assert done.returncode == 130, done.stderr[-2000:]
    assert done.stderr.strip().splitlines()[-1].startswith("interrupted: "), done.stderr
    assert "EventsWorker" not in done.stderr and "Unable to connect" not in done.stderr
    assert "Crash detected" not in done.stderr and "Crashed(" not in done.stderr


UNFINISHED_WRITE = """
import subprocess, sys, threading, time
from pathlib import Path

from uprdex.flows import prefect_api
from uprdex.pipeline import files

page = Path(sys.argv[1])

def fill(handle):
    handle.write(b"the first half of the new page")
    threading.Event().wait()  # the rest never comes: the server dies meanwhile

threading.Thread(target=files._replace, args=(page, fill, page.stat()), daemon=True).start()
while len(list(page.parent.iterdir())) == 1:
    time.sleep(0.01)
server = subprocess.Popen(["sh", "-c", "kill -9 $$"])
server.wait()
prefect_api._watch(server, None, threading.Event())
"""


def test_a_server_death_leaves_no_temporary_file_beside_an_output(tmp_path: Path) -> None:
    # The watcher ends the process at once (os._exit): a report page or an export being
    # replaced kept its old file, but the new one's temporary file (.NAME.PID.tmp) was left.
    page = tmp_path / "reports" / "index.html"
    page.parent.mkdir()
    page.write_text("the last good page")
    done = subprocess.run(
        [sys.executable, "-c", UNFINISHED_WRITE, str(page)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == EXIT_USAGE, done.stderr
    assert done.stderr.startswith("error the temporary Prefect server stopped during the run")
    assert [path.name for path in page.parent.iterdir()] == ["index.html"]
    assert page.read_text() == "the last good page"


BROKEN_STDERR = """
import subprocess, sys, threading, time

from uprdex.flows import prefect_api

class Gone:
    def write(self, text):
        raise BrokenPipeError(32, "Broken pipe")

    def flush(self):
        raise BrokenPipeError(32, "Broken pipe")

sys.stderr = sys.stdout = Gone()  # `uprdex run 2>&1 | head`, its reader gone
server = subprocess.Popen(["sh", "-c", "kill -9 $$"])
server.wait()
threading.Thread(target=prefect_api._watch, args=(server, None, threading.Event())).start()
time.sleep(10)
sys.__stderr__.write("still running")
"""


def test_a_server_death_ends_the_run_when_its_line_cannot_be_printed() -> None:
    # review6 L3: a watcher whose print failed (a broken pipe) died without ending the
    # process; the run went on, every later output write waiting for ever on the lock the
    # watcher took.
    done = subprocess.run(
        [sys.executable, "-c", BROKEN_STDERR], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == EXIT_USAGE, done.stderr
    assert "still running" not in done.stderr


def test_a_server_death_is_said_when_only_standard_output_is_gone() -> None:
    # review7 L2: with `uprdex run | head` and its reader gone, flushing standard output
    # raised first, and the run ended with 2 and no word on standard error.
    script = BROKEN_STDERR.replace("sys.stderr = sys.stdout = Gone()", "sys.stdout = Gone()")
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == EXIT_USAGE, done.stderr
    assert done.stderr.startswith("error the temporary Prefect server stopped during the run")
