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

With --large INDEX it builds nothing: it copies INDEX (an index either release reads, e.g. one
`--keep` left) into a scratch index holding --copies copies of every ask (ids suffixed "~2",
..., same State, text, lists and parts: 4 copies of the 29,301 asks are 117,204), lets each
release bring that copy's views up to its own (`uprdex status`), and times the pages on it; the
baseline is then LARGE_BASE, the main this bench's list facets and parts rule were added to.

Run: .venv/bin/python bench/bench_browse.py [--base COMMIT] [--rounds N] [--repeats N] [--keep DIR]
     .venv/bin/python bench/bench_browse.py --large INDEX [--copies N] [--base COMMIT]
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
LARGE_BASE = "85e9069"  # main before the list facets and the browse parts rule (browse14)
LISTS = "SELECT id, recommending_states, regional_groups, themes FROM recommendation_details"
STEPS = (
    ("ingest 245 WG reports", ["ingest", str(SHARED / "wg_reports")]),
    ("ingest Slovenia set", ["ingest", str(SHARED / "slovenia")]),
    (
        "import UPR Info",
        ["import", "upr-info", str(SHARED / "upr_info" / "upr_info_sessions_1-20.csv")],
    ),
)


# Copy k of every ask of the original (ids without "~"), with its States, themes, UPR Info
# links, parts, the
# words each State asked for and its stored lists (the insert triggers clear them: set back).
_COPIES = (
    "INSERT INTO recommendations ({columns}) SELECT {copied} FROM recommendations "
    "WHERE id NOT LIKE '%~%'",
    "INSERT INTO recommendation_states SELECT recommendation_id || '~{k}', position, name, iso3, "
    "known FROM recommendation_states WHERE recommendation_id NOT LIKE '%~%'",
    "INSERT INTO recommendation_themes SELECT recommendation_id || '~{k}', theme, matched, "
    "method, score FROM recommendation_themes WHERE recommendation_id NOT LIKE '%~%'",
    "INSERT INTO import_links SELECT import_id, recommendation_id || '~{k}' FROM import_links "
    "WHERE recommendation_id NOT LIKE '%~%'",
    "INSERT INTO recommendation_parts SELECT recommendation_id || '~{k}', position, text, "
    "recommending_states FROM recommendation_parts WHERE recommendation_id NOT LIKE '%~%'",
    "INSERT INTO recommendation_asked_fts (text, recommendation_id, name) SELECT text, "
    "recommendation_id || '~{k}', name FROM recommendation_asked_fts "
    "WHERE recommendation_id NOT LIKE '%~%'",
    "UPDATE recommendation_lists AS t SET recommending_states = o.recommending_states, "
    "regional_groups = o.regional_groups, themes = o.themes FROM recommendation_lists o "
    "WHERE t.recommendation_id = o.recommendation_id || '~{k}'",
)


def _scaled(original: Path, copies: int, scaled: Path) -> int:
    """`original` with `copies` copies of every ask, written to `scaled`; its ask count."""
    shutil.copy(original, scaled)
    db = sqlite3.connect(scaled)
    try:
        names = [row[1] for row in db.execute("PRAGMA table_info(recommendations)")]
        columns = [name for name in names if name != "rowid"]
        with db:
            for k in range(2, copies + 1):
                copied = ", ".join(f"id || '~{k}'" if c == "id" else c for c in columns)
                for statement in _COPIES:
                    db.execute(statement.format(columns=", ".join(columns), copied=copied, k=k))
        return int(db.execute("SELECT count(*) FROM recommendations").fetchone()[0])
    finally:
        db.close()


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
    """Each recommendation's lists, its States once each (a release before aeab30f named a
    State once per part it asked of a compound item)."""
    db = sqlite3.connect(f"file:{index}?mode=ro", uri=True)
    try:
        return {
            rec: (json.dumps(list(dict.fromkeys(json.loads(states)))), *rest)
            for rec, states, *rest in db.execute(LISTS)
        }
    finally:
        db.close()


def _side_by_side(probes: dict[str, Any], repeats: int) -> bool:
    """Print the pages and the array facets' SQL, baseline and ours; True when both show the
    same facet values and counts (a searched page whose rows the parts rule changed: said)."""
    print(f"\n`uprdex browse` pages: seconds per load (median of {repeats}); facets timed out")
    same = True
    for page, base in probes["baseline"]["pages"].items():
        ours = probes["ours"]["pages"][page]
        median_b = sorted(base["seconds"])[len(base["seconds"]) // 2]
        median_o = sorted(ours["seconds"])[len(ours["seconds"]) // 2]
        print(
            f"{page}\n    baseline {median_b:6.2f} s, {base['rows']} rows, timed out: "
            f"{base['timed_out'] or '-'}\n    ours     {median_o:6.2f} s, {ours['rows']} rows, "
            f"timed out: {ours['timed_out'] or '-'}   {median_b / median_o:5.1f}x"
        )
        if base["rows"] != ours["rows"]:
            # ours: a search with a State keeps a compound item only when that State asked for
            # the words; one row per State has one row for a State that asked several parts
            print(f"    rows differ: {'the parts rule' if '_search=' in page else 'one row'}")
            same = same and ("_search=" in page or "by_state" in page)
            continue
        for name, values in base["facets"].items():
            if ours["facets"].get(name) != values:
                print(f"    DIFFERENT facet {name}")
                same = False
    print(
        "\nThe array-facet SQL alone on recommendation_details (seconds, no time limit): "
        "Datasette's, and uprdex's list facet's (same values and counts: checked)"
    )
    for column, base_s in probes["baseline"]["sql_alone"].items():
        ours_s = probes["ours"]["sql_alone"][column]
        print(
            f"{column:36} baseline {base_s:5.2f}   ours {ours_s:5.2f}   "
            f"ratio {base_s / ours_s:5.1f}x"
        )
        if probes["ours"]["sql_results"][column] != probes["baseline"]["sql_results"][column]:
            print(f"  DIFFERENT array facet {column} (its SQL)")
            same = False
        listed = probes["ours"]["sql_results"].get(f"{column} (list facet)")
        if listed is not None and listed != probes["ours"]["sql_results"][column]:
            print(f"  DIFFERENT: the list facet's {column} and Datasette's")
            same = False
    print(
        f"(load average at the probes: baseline {probes['baseline']['load']:.1f}, "
        f"ours {probes['ours']['load']:.1f})"
    )
    return same


def _checks(probes: dict[str, Any], folder: Path, repeats: int) -> bool:
    """The side-by-side pages, then every recommendation's lists, baseline's view against ours."""
    same = _side_by_side(probes, repeats)
    print("\nChecks")
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
    return same and not differing and len(base_lists) == len(our_lists)


def _large(args: argparse.Namespace, folder: Path) -> bool:
    """The pages on --copies copies of every ask of --large, baseline and ours."""
    scaled = folder / "scaled.sqlite"
    start = time.perf_counter()
    asks = _scaled(args.large, args.copies, scaled)
    print(f"{args.large}: {args.copies} copies, {asks} asks ({time.perf_counter() - start:.0f} s)")
    base = args.base if args.base != BASE else LARGE_BASE
    sides = {"baseline": _env(_baseline_tree(base, folder / "base")), "ours": _env(None)}
    cli = [sys.executable, "-c", "from uprdex.flows.cli import run; run()"]
    probes = {}
    for side, env in sides.items():
        index = folder / f"{side}.sqlite"
        shutil.copy(scaled, index)
        _timed([*cli, "status", "--index", str(index)], env, folder)  # its own views
        probes[side] = _probe(index, env, args.repeats)
        print(f"{side}: {base if side == 'baseline' else 'ours'}, {probes[side]['uprdex']}")
    return _checks(probes, folder, args.repeats)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default=BASE, help="the baseline commit (default %(default)s)")
    parser.add_argument("--repeats", type=int, default=3, help="page loads per page")
    parser.add_argument("--keep", type=Path, help="build the indexes in DIR and keep them")
    parser.add_argument("--rounds", type=int, default=2, help="builds per side, alternated")
    parser.add_argument("--large", type=Path, help="time the pages on copies of this index")
    parser.add_argument("--copies", type=int, default=4, help="copies of every ask (--large)")
    args = parser.parse_args()
    if args.large is None and not (SHARED / "wg_reports").is_dir():
        print(f"skipped: {SHARED / 'wg_reports'} not found")
        return
    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench_browse_"))
    folder.mkdir(parents=True, exist_ok=True)
    same = _large(args, folder) if args.large is not None else _built(args, folder)
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)
    if not same:
        raise SystemExit(1)


def _built(args: argparse.Namespace, folder: Path) -> bool:
    """Each release builds its index from the PDFs, then the pages on it."""
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
    return _checks(probes, folder, args.repeats)


if __name__ == "__main__":
    main()
