"""`uprdex browse` on one large index, and the ingest that builds it: the baseline (uprdex at
BASE, whose views compute each recommendation's lists on every read) against ours (the lists
stored, schema 8), side by side in one run.

Each release builds, in its own subprocess (UPRDEX_WARM=0), the index probe3 built: the 245 WG
reports of ../shared/data/wg_reports, the Slovenia set and the UPR Info export; each step is
timed (wall and CPU). Then each release serves its index and `bench/_browse_probe.py`, run with
that release's code, times the pages through Datasette's own client (the HTML page a browser
gets, the facets that timed out) and Datasette's array-facet SQL alone. Last, the checks: every
facet's values and counts are the same (the array facets from their SQL, which has no time
limit), and so is every recommendation's list, baseline's view against ours.

The baseline is BASE's tree (`git archive`), laid out as the installed package in a temporary
folder and put first on PYTHONPATH. The machine may be shared: the load average is printed
beside each step.

Each side builds its index `--rounds` times, the sides alternated, and each step's least wall
and CPU time is printed; the pages are timed on the last build.

Run: .venv/bin/python bench/bench_browse.py [--base COMMIT] [--rounds N] [--repeats N] [--keep DIR]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
BASE = "1cbeb1d"  # the merge of probe3, which measured the slow page
LISTS = "SELECT id, recommending_states, regional_groups, themes FROM recommendation_details"
STEPS = (
    ("ingest 245 WG reports", ["ingest", str(SHARED / "wg_reports")]),
    ("ingest Slovenia set", ["ingest", str(SHARED / "slovenia")]),
    (
        "import UPR Info",
        ["import", "upr-info", str(SHARED / "upr_info" / "upr_info_sessions_1-20.csv")],
    ),
)


def _baseline_tree(commit: str, folder: Path) -> Path:
    """BASE's files, laid out as the installed package (pyproject's package-dir)."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", commit],
        capture_output=True,
        check=True,
    ).stdout
    source = folder / "source"
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(source, filter="data")
    package = folder / "path" / "uprdex"
    shutil.copytree(source / "uprdex", package)
    for part in ("pipeline", "extractors", "flows", "data"):
        (package / part).symlink_to(source / part)
    return folder / "path"


def _env(path: Path | None) -> dict[str, str]:
    env = {**os.environ, "UPRDEX_WARM": "0"}
    env.pop("PYTHONPATH", None)
    if path is not None:
        env["PYTHONPATH"] = str(path)
    return env


def _timed(command: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float, str]:
    """Wall and CPU seconds of a subprocess, and its standard output. It runs in `cwd`, a
    folder with no `uprdex` in it: `python -c` puts its working folder first on sys.path, and
    from the repository that would import ours (its uprdex/), whatever PYTHONPATH says."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} exited {done.returncode}: {done.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stdout


def _build(index: Path, env: dict[str, str]) -> list[tuple[str, float, float, float]]:
    cli = [sys.executable, "-c", "from uprdex.flows.cli import run; run()"]
    rows = []
    for label, args in STEPS:
        load = os.getloadavg()[0]
        wall, cpu, _ = _timed([*cli, *args, "--index", str(index)], env, index.parent)
        rows.append((label, wall, cpu, load))
    return rows


def _fastest(
    runs: list[list[tuple[str, float, float, float]]],
) -> list[tuple[str, float, float, float]]:
    """Per step, the least wall and CPU time of the rounds (the load a round saw: its wall's)."""
    steps = []
    for same in zip(*runs, strict=True):
        wall = min(same, key=lambda step: step[1])
        steps.append((wall[0], wall[1], min(step[2] for step in same), wall[3]))
    return steps


def _probe(index: Path, env: dict[str, str], repeats: int) -> dict[str, Any]:
    load = os.getloadavg()[0]
    probe = [sys.executable, str(ROOT / "bench" / "_browse_probe.py"), str(index), str(repeats)]
    _, _, out = _timed(probe, env, index.parent)
    result: dict[str, Any] = json.loads(out.splitlines()[-1])
    result["load"] = load
    return result


def _schema(index: Path) -> str:
    db = sqlite3.connect(f"file:{index}?mode=ro", uri=True)
    try:
        return str(db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0])
    finally:
        db.close()


def _lists(index: Path) -> dict[str, tuple[Any, ...]]:
    db = sqlite3.connect(f"file:{index}?mode=ro", uri=True)
    try:
        return {row[0]: tuple(row[1:]) for row in db.execute(LISTS)}
    finally:
        db.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default=BASE, help="the baseline commit (default %(default)s)")
    parser.add_argument("--repeats", type=int, default=3, help="page loads per page")
    parser.add_argument("--keep", type=Path, help="build the indexes in DIR and keep them")
    parser.add_argument("--rounds", type=int, default=2, help="builds per side, alternated")
    args = parser.parse_args()
    if not (SHARED / "wg_reports").is_dir():
        print(f"skipped: {SHARED / 'wg_reports'} not found")
        return
    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench_browse_"))
    folder.mkdir(parents=True, exist_ok=True)
    sides = {"baseline": _env(_baseline_tree(args.base, folder / "base")), "ours": _env(None)}
    rounds: dict[str, list[list[tuple[str, float, float, float]]]] = {side: [] for side in sides}
    for _ in range(args.rounds):  # alternated, so that a change in the load hits both sides
        for side, env in sides.items():
            index = folder / f"{side}.sqlite"
            for stale in folder.glob(f"{side}.sqlite*"):
                stale.unlink()
            rounds[side].append(_build(index, env))
    builds = {side: _fastest(runs) for side, runs in rounds.items()}
    probes = {}
    for side, env in sides.items():
        index = folder / f"{side}.sqlite"
        probes[side] = _probe(index, env, args.repeats)
        print(
            f"{side}: built (schema {_schema(index)}) and browsed with {probes[side]['uprdex']}",
            flush=True,
        )
    if _schema(folder / "baseline.sqlite") == _schema(folder / "ours.sqlite"):
        raise SystemExit("the baseline wrote the schema ours writes: it ran our code")

    print(
        f"\nBuilding the index, {args.base} vs ours: wall / CPU seconds, the least of "
        f"{args.rounds} alternated rounds (load average at the start of the fastest)"
    )
    print(f"{'step':28} {'baseline':>20} {'ours':>20} {'wall':>6} {'CPU':>6}")
    for (label, bw, bc, bl), (_, ow, oc, ol) in zip(
        builds["baseline"], builds["ours"], strict=True
    ):
        print(
            f"{label:28} {bw:7.1f} / {bc:5.1f} ({bl:3.1f}) {ow:7.1f} / {oc:5.1f} ({ol:3.1f}) "
            f"{ow / bw:6.2f} {oc / bc:6.2f}"
        )

    print(f"\n`uprdex browse` pages: seconds per load (median of {args.repeats}); facets timed out")
    for page, base in probes["baseline"]["pages"].items():
        ours = probes["ours"]["pages"][page]
        median_b = sorted(base["seconds"])[len(base["seconds"]) // 2]
        median_o = sorted(ours["seconds"])[len(ours["seconds"]) // 2]
        ratio = median_b / median_o
        print(
            f"{page:24} baseline {median_b:5.2f} s, timed out: {base['timed_out'] or '-':12} "
            f"ours {median_o:5.2f} s, timed out: {ours['timed_out'] or '-':12} {ratio:5.1f}x"
        )
    print("\nDatasette's array-facet SQL alone on recommendation_details (seconds, no time limit)")
    for column, base_s in probes["baseline"]["sql_alone"].items():
        ours_s = probes["ours"]["sql_alone"][column]
        ratio = base_s / ours_s
        print(f"{column:24} baseline {base_s:5.2f}   ours {ours_s:5.2f}   ratio {ratio:5.1f}x")
    print(
        f"(load average at the probes: baseline {probes['baseline']['load']:.1f}, "
        f"ours {probes['ours']['load']:.1f})"
    )

    print("\nChecks")
    same = True
    for page, base in probes["baseline"]["pages"].items():
        ours = probes["ours"]["pages"][page]["facets"]
        for name, values in base["facets"].items():
            if ours.get(name) != values:
                print(f"  DIFFERENT facet {page}.{name}")
                same = False
    for column, values in probes["baseline"]["sql_results"].items():
        if probes["ours"]["sql_results"][column] != values:
            print(f"  DIFFERENT array facet {column} (its SQL)")
            same = False
    base_lists, our_lists = _lists(folder / "baseline.sqlite"), _lists(folder / "ours.sqlite")
    differing = sum(base_lists.get(rec) != lists for rec, lists in our_lists.items())
    print(
        f"  every facet shown by both, and the array facets' SQL: "
        f"{'the same values and counts' if same else 'DIFFERENT'}"
    )
    print(
        f"  lists of {len(our_lists)} recommendations (baseline {len(base_lists)}): "
        f"{differing} differ"
    )
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)
    if not same or differing or len(base_lists) != len(our_lists):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
