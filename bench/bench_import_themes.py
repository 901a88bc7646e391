"""Importing 8,000 unlabelled UPR Info rows, themes included (issue #22: at most 15 s here).

A UPR Info export of a new session has an empty `Issue` column until UPR Info labels it. The
bench takes the first 8,000 rows of sessions 17-20 of the shared UPR Info export, empties their
`Issue`, and runs `uprdex import upr-info` on them as a user does (a new process, a new index),
twice: as shipped (every imported recommendation gets the classifier's themes and the keyword
hits) and with the theming step off (the import as it was before it themed anything), side by
side, wall and CPU time, as a ratio. Then it counts the recommendations left without themes.

Run: .venv/bin/python bench/bench_import_themes.py
"""

from __future__ import annotations

import csv
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXPORT = ROOT.parent / "shared" / "data" / "upr_info" / "upr_info_sessions_1-20.csv"
ROWS = 8000
TARGET_SECONDS = 15.0

# The same command with theme_imported replaced by a no-op: the import without themes.
_UNTHEMED = (
    "import sys; import uprdex.flows.ingest as ingest; "
    "ingest.theme_imported = lambda store: 0; "
    "from uprdex.flows.cli import main; sys.argv = ['uprdex', *sys.argv[1:]]; main()"
)


def unlabelled(folder: Path) -> Path:
    """8,000 rows of sessions 17-20 with their `Issue` emptied."""
    with EXPORT.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        fields = list(reader.fieldnames or ())
        rows = [row for row in reader if row["Session"] in {"17", "18", "19", "20"}][:ROWS]
    path = folder / "unlabelled.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows({**row, "Issue": ""} for row in rows)
    return path


def timed(command: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds (user + system of the child) of one command."""
    before = os.times()
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    wall = time.perf_counter() - start
    after = os.times()
    cpu = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    return wall, cpu


def main() -> int:
    if not EXPORT.is_file():
        print(f"skipped: the UPR Info export is not at {EXPORT}")
        return 0
    python = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        csv_path = unlabelled(folder)
        arguments = ["import", "upr-info", str(csv_path), "--index"]
        base_wall, base_cpu = timed(
            [python, "-c", _UNTHEMED, *arguments, str(folder / "plain.sqlite")]
        )
        ours_index = folder / "themed.sqlite"
        ours_wall, ours_cpu = timed(
            [str(Path(python).parent / "uprdex"), *arguments, str(ours_index)]
        )
        with sqlite3.connect(ours_index) as db:
            total, unthemed = db.execute(
                "SELECT count(*), sum(NOT EXISTS (SELECT 1 FROM chosen_themes c "
                "WHERE c.recommendation_id = r.id)) FROM recommendations r"
            ).fetchone()
            hits = db.execute(
                "SELECT count(DISTINCT recommendation_id) FROM recommendation_themes"
            ).fetchone()[0]
    print(f"== import upr-info of {ROWS:,} unlabelled rows ({total:,} recommendations)")
    print(f"  without themes (baseline)   wall {base_wall:6.1f} s   cpu {base_cpu:6.1f} s")
    print(f"  with themes (ours)          wall {ours_wall:6.1f} s   cpu {ours_cpu:6.1f} s")
    print(
        f"  ratio ours/baseline: wall {ours_wall / base_wall:.2f}x, cpu {ours_cpu / base_cpu:.2f}x"
    )
    verdict = "met" if ours_wall <= TARGET_SECONDS else "NOT met"
    print(f"  target at most {TARGET_SECONDS:g} s wall: {verdict}")
    print(f"  recommendations with theme hits: {hits:,} of {total:,}; with no theme: {unthemed:,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
