"""`uprdex run` on a Dask cluster started as users start one: `dask scheduler` and two
`dask worker` processes (nannies on) on loopback, a fresh Prefect home, and documents no cache
has seen (each run salts its files' bytes)."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from helpers import fixture

pytestmark = [pytest.mark.prefect, pytest.mark.slow]
distributed = pytest.importorskip("distributed")

BIN = Path(sys.executable).parent
REPORTS = ["slovenia2014_recs.pdf", "andorra2011_recs.pdf", "albania2014_recs.pdf"]
REPORTS += ["burundi2013_recs.pdf"]
MORE = ["algeria2008_recs.pdf", "chad2009_recs.pdf"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Cluster:
    address: str
    workers: dict[str, subprocess.Popen[bytes]]

    def client(self) -> distributed.Client:
        return distributed.Client(self.address, timeout="30s")


def _env(home: Path) -> dict[str, str]:
    env = {**os.environ, "PREFECT_HOME": str(home)}
    env.pop("PREFECT_API_URL", None)
    env.pop("UPRDEX_SANDBOX", None)
    return env


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[Cluster]:
    """`dask scheduler` and two `dask worker` processes named w1 and w2, one thread each."""
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = _env(tmp_path / "worker-home")
    started: list[subprocess.Popen[bytes]] = []

    def start(*arguments: str, log: str) -> subprocess.Popen[bytes]:
        process = subprocess.Popen(
            [str(BIN / "dask"), *arguments],
            stdout=(tmp_path / log).open("wb"),
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,  # its own group: a kill takes the nanny and its worker
        )
        started.append(process)
        return process

    start("scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard", log="s.log")
    workers = {
        name: start(
            "worker",
            address,
            "--name",
            name,
            "--nthreads",
            "1",
            "--host",
            "127.0.0.1",
            "--no-dashboard",
            log=f"{name}.log",
        )
        for name in ("w1", "w2")
    }
    try:
        with distributed.Client(address, timeout="60s") as client:
            client.wait_for_workers(2, timeout=120)
        yield Cluster(address, workers)
    finally:
        for process in reversed(started):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in started:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def _inbox(folder: Path, names: list[str]) -> Path:
    """The fixtures with bytes of their own: no cache, Prefect's or the index's, knows them."""
    folder.mkdir(parents=True)
    salt = uuid.uuid4().hex
    for name in names:
        shutil.copy(fixture(name), folder / name)
        with (folder / name).open("ab") as handle:
            handle.write(f"\n% {salt}\n".encode())
    return folder


def _rows(index: Path) -> list[tuple[object, ...]]:
    db = sqlite3.connect(index)
    try:
        return db.execute(
            "SELECT id, text, recommending_states, response, state_under_review, cycle "
            "FROM recommendation_details ORDER BY id"
        ).fetchall()
    finally:
        db.close()


def _uprdex(*arguments: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "uprdex"), *arguments],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def _workers_line(output: str) -> dict[str, int]:
    found = re.search(r"extracted on Dask workers: (.*)", output)
    assert found, output
    return {name: int(count) for name, count in re.findall(r"(\S+) (\d+)", found.group(1))}


def test_run_on_a_dask_cluster_indexes_what_ingest_does(cluster: Cluster, tmp_path: Path) -> None:
    env = _env(tmp_path / "prefect-home")  # fresh: no cached extraction
    plain = _uprdex(
        "ingest",
        str(_inbox(tmp_path / "a", REPORTS)),
        "--index",
        str(tmp_path / "plain.sqlite"),
        env=env,
    )
    assert plain.returncode == 0, plain.stderr
    inbox = _inbox(tmp_path / "inbox", REPORTS)
    index = tmp_path / "dask.sqlite"
    arguments = ["run", "--inbox", str(inbox), "--index", str(index)]
    result = _uprdex(*arguments, "--dask-address", cluster.address, "--verbose", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    expected = _rows(tmp_path / "plain.sqlite")
    assert len(expected) > 30 and _rows(index) == expected
    # Every document was extracted on the cluster's workers, and the scheduler ran the tasks.
    workers = _workers_line(result.stdout)
    assert set(workers) <= {"w1", "w2"} and sum(workers.values()) == len(REPORTS)
    with cluster.client() as client:
        prefixes = client.run_on_scheduler(
            lambda dask_scheduler: {
                name: prefix.all_durations.get("compute", 0)
                for name, prefix in dask_scheduler.task_prefixes.items()
            }
        )
        executed = client.run(lambda dask_worker: dask_worker.state.executed_count)
    assert prefixes.get("extract_bytes", 0) > 0
    assert sum(executed.values()) >= len(REPORTS)
    # One temporary Prefect server for the whole run (not one per worker, none from Prefect).
    output = result.stdout + result.stderr
    assert output.count("started a temporary Prefect server") == 1, output
    assert "Starting temporary server" not in output, output


def test_a_worker_killed_mid_run_loses_no_document(cluster: Cluster, tmp_path: Path) -> None:
    env = _env(tmp_path / "prefect-home")
    names = REPORTS + MORE
    plain = _uprdex(
        "ingest",
        str(_inbox(tmp_path / "a", names)),
        "--index",
        str(tmp_path / "plain.sqlite"),
        env=env,
    )
    assert plain.returncode == 0, plain.stderr
    inbox = _inbox(tmp_path / "inbox", names)
    index = tmp_path / "dask.sqlite"
    run = subprocess.Popen(
        [
            str(BIN / "uprdex"),
            "run",
            "--inbox",
            str(inbox),
            "--index",
            str(index),
            "--dask-address",
            cluster.address,
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    killed = None
    with cluster.client() as client:
        deadline = time.monotonic() + 300
        while killed is None and time.monotonic() < deadline and run.poll() is None:
            busy = [address for address, keys in client.processing().items() if keys]
            names_of = {
                address: info["name"]
                for address, info in client.scheduler_info()["workers"].items()
            }
            for address in busy:
                killed = str(names_of[address])
                os.killpg(cluster.workers[killed].pid, signal.SIGKILL)  # nanny and worker
                break
            time.sleep(0.1)
    stdout, stderr = run.communicate(timeout=600)
    assert killed is not None, "no task was ever seen running"
    assert run.returncode in (0, 1), stdout + stderr
    # Quiet without --verbose: only uprdex's own lines.
    ours = re.compile(r"(failed |  warning |extracted on Dask workers|\d+ files? in )")
    for line in (stdout + stderr).splitlines():
        assert ours.match(line), line
    # Each document was retried on the other worker or reported failed; whatever is in the
    # index is whole: the rows of the indexed documents are those of a plain ingest.
    failed = re.findall(r"failed (\S+?\.pdf)", stderr)
    indexed = int(re.search(r"(\d+) indexed", stdout).group(1))  # type: ignore[union-attr]
    assert indexed + len(failed) == len(names)
    got = _rows(index)
    expected = [row for row in _rows(tmp_path / "plain.sqlite")]
    assert set(got) <= set(expected)
    if not failed:
        assert got == expected
    # Only what the killed worker held may fail; the survivor extracted the rest.
    survivor = ({"w1", "w2"} - {killed}).pop()
    assert indexed >= len(names) - 2
    assert _workers_line(stdout).get(survivor, 0) >= len(names) - 2 - len(failed)


def test_the_workers_line_says_what_no_worker_read(cluster: Cluster, tmp_path: Path) -> None:
    # The line named the workers of the run that first read a file its extraction came from
    # Prefect's cache for ("extracted on Dask workers: w1 1", nothing read now), and was missing
    # when no file needed reading, against the README's "prints which worker read how many".
    env = _env(tmp_path / "prefect-home")
    inbox = _inbox(tmp_path / "inbox", REPORTS[:1])
    index = tmp_path / "dask.sqlite"
    arguments = ["run", "--inbox", str(inbox), "--index", str(index)]
    arguments += ["--dask-address", cluster.address]

    def workers_line() -> str:
        result = _uprdex(*arguments, env=env)
        assert result.returncode == 0, result.stdout + result.stderr
        found = re.search(r"extracted on Dask workers: (.*)", result.stdout)
        assert found, result.stdout
        return found.group(1)

    assert re.fullmatch(r"w[12] 1", workers_line())
    index.unlink()
    assert workers_line() == "none (1 from the cache: read on an earlier run)"
    assert workers_line() == "none (no file needed reading)"  # it is indexed


def test_a_worker_running_other_code_is_refused_in_one_line() -> None:
    from uprdex.flows.scaleout import check_workers
    from uprdex.pipeline.errors import UprdexError

    with (
        distributed.LocalCluster(
            n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None
        ) as local,
        distributed.Client(local) as client,
    ):
        assert len(check_workers(client)) == 1  # the same code: accepted
        with pytest.raises(UprdexError) as raised:
            check_workers(client, expected="0.0.1-0000000000000000")
    message = str(raised.value)
    assert "\n" not in message and "runs uprdex" in message and "every worker" in message


def test_no_scheduler_at_the_address_is_one_line(tmp_path: Path) -> None:
    inbox = _inbox(tmp_path / "inbox", REPORTS[:1])
    address = f"tcp://127.0.0.1:{_free_port()}"  # nothing listens there
    result = _uprdex(
        "run",
        "--inbox",
        str(inbox),
        "--index",
        str(tmp_path / "i.sqlite"),
        "--dask-address",
        address,
        env=_env(tmp_path / "home"),
    )
    assert result.returncode == 2, result.stdout + result.stderr
    lines = (result.stdout + result.stderr).strip().splitlines()
    assert len(lines) == 1 and "no Dask scheduler answers" in lines[0], lines
    assert "dask scheduler" in lines[0]
