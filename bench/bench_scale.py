"""What the flow costs over a plain ingest, and what a 2-worker Dask cluster gives.

1. Fixed cost: the same 4 reports through `uprdex ingest` (the baseline) and `uprdex run` (the
   Prefect flow: task runs, exports and report), (a) on the temporary server `uprdex run`
   starts, first with a fresh Prefect home (the server creates its database), then steady (a
   home used before), and (b) with PREFECT_API_URL naming a `prefect server start` already
   running, as Prefect users deploy (no server starts). The files are salted each time: no
   cache knows them.
2. Scale: N real WG reports (default 200, from ../shared/data/wg_reports) through `uprdex run`
   on the local runner (the baseline) and through `uprdex run --dask-address` on a `dask
   scheduler` with two `dask worker` processes (one thread each, nannies on) on this machine.

Everything runs as users run it, through the CLI. Prints both sides and the ratio.
Run: .venv/bin/python bench/bench_scale.py [N [REPEATS]]   (N=0: the fixed cost only; REPEATS
steady pairs of each kind, 3 by default, the median printed)
"""

from __future__ import annotations

import contextlib
import os
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

from uprdex.flows.prefect_api import answers, free_port

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
BIN = Path(sys.executable).parent
SMALL = ["slovenia2014_recs.pdf", "andorra2011_recs.pdf", "albania2014_recs.pdf"]
SMALL += ["burundi2013_recs.pdf"]


def _env(home: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "PREFECT_HOME": str(home),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "DO_NOT_TRACK": "1",
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
    }
    env.pop("PREFECT_API_URL", None)
    return env


def _inbox(folder: Path, files: list[Path]) -> Path:
    folder.mkdir(parents=True)
    salt = uuid.uuid4().hex
    for source in files:
        target = folder / source.name
        shutil.copy(source, target)
        with target.open("ab") as handle:
            handle.write(f"\n% {salt}\n".encode())
    return folder


def _timed(arguments: list[str], env: dict[str, str]) -> float:
    return _measured(arguments, env)[0]


def _measured(arguments: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system, with every process the command started:
    workers, the temporary Prefect server), which a busy machine does not inflate."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(
        [str(BIN / "uprdex"), *arguments], env=env, capture_output=True, text=True, check=False
    )
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode not in (0, 1):
        raise SystemExit(f"uprdex {' '.join(arguments)} failed:\n{result.stderr}")
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return elapsed, cpu


def _pair(root: Path, files: list[Path], env: dict[str, str]) -> tuple[float, ...]:
    """The same files, salted afresh for each side: `uprdex ingest` then `uprdex run`
    (wall, CPU of each)."""
    tag = uuid.uuid4().hex[:8]
    plain = _measured(
        ["ingest", str(_inbox(root / f"p{tag}", files)), "--index", str(root / f"{tag}.a")], env
    )
    inbox = _inbox(root / f"r{tag}", files)
    flow = _measured(["run", "--inbox", str(inbox), "--index", str(root / f"{tag}.b")], env)
    return (*plain, *flow)


@contextlib.contextmanager
def _prefect_server(root: Path) -> Iterator[str]:
    """A `prefect server start` of its own (own home, no UI), as Prefect users run one."""
    port = free_port()
    env = {**_env(root / "home-server"), "PREFECT_UI_ENABLED": "false"}
    log = (root / "server.log").open("w")
    server = subprocess.Popen(
        [str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/api"
    try:
        if not answers(url, 180, server):
            raise SystemExit(f"prefect server start did not answer: {root / 'server.log'}")
        yield url
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
        log.close()


def fixed_cost(root: Path, repeats: int = 3) -> None:
    files = [ROOT / "tests" / "fixtures" / name for name in SMALL]
    env = _env(root / "home-fixed")
    rows = [("(a) temporary server, first run (fresh Prefect home)", [_pair(root, files, env)])]
    rows.append(
        ("(a) temporary server, steady (home used before)", [
            _pair(root, files, env) for _ in range(repeats)
        ])
    )  # fmt: skip
    with _prefect_server(root) as url:
        served = {**_env(root / "home-client"), "PREFECT_API_URL": url}
        rows.append(
            ("(b) PREFECT_API_URL: a running prefect server", [
                _pair(root, files, served) for _ in range(repeats)
            ])
        )  # fmt: skip
    print(
        f"Fixed cost, {len(files)} reports: uprdex ingest (baseline) vs uprdex run (ours), "
        f"median of {repeats} where steady"
    )
    for label, pairs in rows:
        plain_wall, plain_cpu, flow_wall, flow_cpu = (
            statistics.median(pair[i] for pair in pairs) for i in range(4)
        )
        print(f"  {label}")
        for what, plain, flow in (("wall", plain_wall, flow_wall), ("CPU", plain_cpu, flow_cpu)):
            print(
                f"    {what:4} ingest {plain:5.1f} s  run {flow:5.1f} s  "
                f"fixed cost +{flow - plain:4.1f} s  ratio {flow / plain:4.2f}x"
            )
    print(f"  (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")


def scale(root: Path, count: int) -> None:
    reports = sorted((SHARED / "wg_reports").glob("*.pdf"))[:count]
    if len(reports) < count:
        print(f"Scale: skipped ({SHARED / 'wg_reports'} has {len(reports)} reports, {count} asked)")
        return
    env = _env(root / "home-scale")
    _timed(["run", "--inbox", str(_inbox(root / "warm", reports[:1])), "--index",
            str(root / "warm.sqlite")], env)  # fmt: skip
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    processes = [
        subprocess.Popen(
            [str(BIN / "dask"), *arguments],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        for arguments in [
            ["scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
            *(
                ["worker", address, "--nthreads", "1", "--host", "127.0.0.1", "--no-dashboard"]
                for _ in range(2)
            ),
        ]
    ]
    try:
        local = _timed(
            ["run", "--inbox", str(_inbox(root / "local", reports)), "--index",
             str(root / "local.sqlite")],
            {**env, "UPRDEX_LOADER_WORKERS": "2"},
        )  # fmt: skip
        dask = _timed(
            ["run", "--inbox", str(_inbox(root / "dask", reports)), "--index",
             str(root / "dask.sqlite"), "--dask-address", address],
            env,
        )  # fmt: skip
    finally:
        for process in processes:
            os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            process.wait(timeout=60)
    print(f"Scale, {count} WG reports, {os.cpu_count()} cores, whole `uprdex run`s:")
    print(f"  local runner, 2 processes (baseline)  {local:6.1f} s  {count / local * 60:5.0f}/min")
    print(f"  Dask, scheduler + 2 workers (ours)    {dask:6.1f} s  {count / dask * 60:5.0f}/min")
    print(f"  throughput ratio Dask/local           {local / dask:5.2f}x")


def main() -> int:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    with tempfile.TemporaryDirectory(prefix="uprdex-bench-scale-") as tmp:
        fixed_cost(Path(tmp), repeats)
        if count:
            scale(Path(tmp), count)
    return 0


if __name__ == "__main__":
    sys.exit(main())
