"""`uprdex report` on an index with UPR Info imported (181 States): the baseline (uprdex at BASE)
against ours, side by side in one run, with the pages compared byte for byte.

The index is built once, with our code, as review28's was: `uprdex ingest` of --reports real WG
reports of ../shared/data/wg_reports, then `uprdex import upr-info` of the shared export (32,080
rows: about 32,000 asks of 181 States). With --index FILE it builds nothing and copies FILE.

Each release, in its own subprocess (UPRDEX_WARM=0, the release first on PYTHONPATH):
1. `uprdex report --out DIR`: what a researcher runs;
2. the build of `uprdex run` (flows/nightly.py `_build`): the records of the four export kinds,
   then the whole report. The baseline reads the records again in `write_report`; ours is
   handed them when its `write_report` takes `built`.
Each step runs --rounds times, the releases alternated, and its least wall and CPU time
(user + system) is printed, with the ratio. The machine may be shared: the load average is
printed with each step. Last, both releases' pages are compared file by file (the report holds
no timestamp): any difference is printed and the run fails.

The baseline is BASE's tree (`git archive`), laid out as the installed package in a temporary
folder (bench_browse's `_baseline_tree`).

Run: .venv/bin/python bench/bench_report.py [--base COMMIT] [--reports N] [--rounds N]
     .venv/bin/python bench/bench_report.py --index FILE
"""

from __future__ import annotations

import argparse
import filecmp
import os
import shutil
import sys
import tempfile
from pathlib import Path

from bench_browse import _baseline_tree, _env, _timed

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
BASE = "23e658c"  # main when review28 timed `uprdex report` at 42.7 s
UPR_INFO = SHARED / "upr_info" / "upr_info_sessions_1-20.csv"
CLI = [sys.executable, "-c", "from uprdex.flows.cli import run; run()"]
BUILD = """
import inspect, sys
from pathlib import Path
from uprdex.pipeline.exports import records
from uprdex.pipeline.report import write_report
from uprdex.pipeline.store import Store
with Store(Path(sys.argv[1])) as store:
    rows = {kind: records(store, kind) for kind in ("recommendations", "evidence", "clusters",
                                                    "documents")}
    given = {"built": rows} if "built" in inspect.signature(write_report).parameters else {}
    write_report(store, Path(sys.argv[2]), **given)
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default=BASE)
    parser.add_argument("--reports", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--index", type=Path)
    args = parser.parse_args()
    if args.index is None and not UPR_INFO.is_file():
        print(f"skipped: {UPR_INFO} not found")
        return 0
    with tempfile.TemporaryDirectory(prefix="uprdex-bench-report-") as tmp:
        root = Path(tmp)
        work = root / "work"  # no uprdex/ in it: `python -c` puts it first on sys.path
        work.mkdir()
        index = work / "index.sqlite"
        if args.index is not None:
            shutil.copy(args.index, index)
        else:
            _build_index(index, args.reports, work)
        sides = {"baseline": _baseline_tree(args.base, root / "base"), "ours": None}
        steps = {
            "uprdex report": lambda out: [*CLI, "report", "--index", str(index), "--out", out],
            "run's build (exports' records + report)": lambda out: [
                sys.executable,
                "-c",
                BUILD,
                str(index),
                out,
            ],
        }
        for title, command in steps.items():
            pages = root / "pages" / title.split()[0]
            best: dict[str, tuple[float, float]] = {}
            for _ in range(args.rounds):
                for side, path in sides.items():
                    shutil.rmtree(pages / side, ignore_errors=True)
                    wall, cpu, _ = _timed(command(str(pages / side)), _env(path), work)
                    old = best.get(side, (wall, cpu))
                    best[side] = (min(wall, old[0]), min(cpu, old[1]))
            (base_wall, base_cpu), (our_wall, our_cpu) = best["baseline"], best["ours"]
            print(
                f"{title}: baseline {base_wall:.1f} s wall, {base_cpu:.1f} s CPU; ours "
                f"{our_wall:.1f} s wall, {our_cpu:.1f} s CPU; ratio {base_wall / our_wall:.2f}x "
                f"wall, {base_cpu / our_cpu:.2f}x CPU (load {os.getloadavg()[0]:.1f})"
            )
            differ = _differences(pages / "baseline", pages / "ours")
            if differ:
                print(f"  pages differ: {', '.join(differ[:10])}")
                return 1
            count = len(list((pages / "ours").iterdir()))
            print(f"  {count} pages, byte for byte the same in both releases")
    return 0


def _build_index(index: Path, reports: int, work: Path) -> None:
    """Review28's kind of index: real WG reports, then UPR Info's export imported."""
    chosen = sorted((SHARED / "wg_reports").glob("*.pdf"))[:: max(1, 245 // reports)][:reports]
    inbox = work / "inbox"
    inbox.mkdir()
    for path in chosen:
        shutil.copy(path, inbox / path.name)
    for step, command in (
        (f"ingest {len(chosen)} WG reports", ["ingest", str(inbox)]),
        ("import upr-info", ["import", "upr-info", str(UPR_INFO)]),
    ):
        wall, cpu, _ = _timed([*CLI, *command, "--index", str(index)], _env(None), work)
        print(f"index: {step}, {wall:.0f} s wall, {cpu:.0f} s CPU")


def _differences(left: Path, right: Path) -> list[str]:
    """Names of the files that are not the same bytes in both folders, or in one only."""
    names = {p.name for p in left.iterdir()} | {p.name for p in right.iterdir()}
    return sorted(
        name
        for name in names
        if not ((left / name).is_file() and (right / name).is_file())
        or not filecmp.cmp(left / name, right / name, shallow=False)
    )


if __name__ == "__main__":
    sys.exit(main())
