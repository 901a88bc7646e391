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
import json
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from uprdex.flows.ingest import import_file, ingest_paths
from uprdex.pipeline.exports import records
from uprdex.pipeline.settings import LoaderSettings
from uprdex.pipeline.store import Store
from uprdex.pipeline.symbols import year_of_session
from uprdex.pipeline.theme_model import DEFAULT_MODEL_DIR, METADATA_FILE, normalize_text
from uprdex.pipeline.train_themes import Record, f1_scores, label_matrix, read_export, split_reviews

ROOT = Path(__file__).resolve().parent.parent
EXPORT = ROOT.parent / "shared" / "data" / "upr_info" / "upr_info_sessions_1-20.csv"
ROWS = 8000
TARGET_SECONDS = 15.0
TARGET_MICRO_F1 = 0.90
WG_REPORTS = ROOT.parent / "shared" / "data" / "wg_reports"

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


def held_out() -> tuple[list[Record], list[str]]:
    """The model's test records (reviews it never saw, texts not in training) and its classes."""
    metadata = json.loads((DEFAULT_MODEL_DIR / METADATA_FILE).read_text(encoding="utf-8"))
    return split_reviews(read_export(EXPORT), metadata["seed"]).test, metadata["classes"]


def micro_f1(pairs: list[tuple[frozenset[str], list[str]]], classes: list[str]) -> float:
    """Micro F1 of predicted themes against expert labels, over the model's classes."""
    gold = [Record(("", ""), "", "", labels) for labels, _ in pairs]
    predicted = [Record(("", ""), "", "", frozenset(themes)) for _, themes in pairs]
    scores = f1_scores(label_matrix(gold, classes), label_matrix(predicted, classes), classes)
    return float(scores["micro_f1"])


def scored(store: Store, test: dict[tuple[str, str, str], frozenset[str]]) -> list[Any]:
    """(expert labels, exported themes) of the stored recommendations that are test texts."""
    return [
        (test[key], record["themes"])
        for record in records(store, "recommendations")
        if (
            key := (
                record["state_under_review"],
                str(record["session"]),
                normalize_text(record["text"]),
            )
        )
        in test
    ]


def accuracy(folder: Path) -> None:
    """Themes of unlabelled imports and of PDF-extracted recommendations, on held-out reviews."""
    test_records, classes = held_out()
    test = {(r.review[0], r.review[1], r.norm): r.labels for r in test_records}
    reviews = sorted({r.review for r in test_records})
    unlabelled = folder / "held_out.csv"
    with (
        EXPORT.open(encoding="utf-8-sig", newline="") as handle,
        unlabelled.open("w", encoding="utf-8", newline="") as out,
    ):
        reader = csv.DictReader(handle)
        writer = csv.DictWriter(out, fieldnames=list(reader.fieldnames or ()))
        writer.writeheader()
        writer.writerows(
            {**row, "Issue": ""} for row in reader if (row["To"], row["Session"]) in set(reviews)
        )
    with Store(folder / "held_out.sqlite") as store:
        import_file(unlabelled, "upr-info", store)
        imported = scored(store, test)
    reports = [
        path
        for state, session in reviews
        if (
            path := WG_REPORTS / f"{re.sub(r'[^a-z]', '', state.lower())}"
            f"{year_of_session(int(session))}.pdf"
        ).is_file()
    ]
    with Store(folder / "pdf.sqlite") as store:
        ingest_paths(reports, store, LoaderSettings())
        extracted = scored(store, test)
    print(f"== themes against the experts' issues, on the model's {len(reviews)} held-out reviews")
    ours = micro_f1(imported, classes)
    print(f"  unlabelled imports:       micro F1 {ours:.3f} over {len(imported):,} recommendations")
    if extracted:
        pdf = micro_f1(extracted, classes)
        print(
            f"  PDF-extracted (baseline): micro F1 {pdf:.3f} over {len(extracted):,} "
            f"recommendations of {len(reports)} WG reports; ratio {ours / pdf:.3f}"
        )
    verdict = "met" if ours >= TARGET_MICRO_F1 else "NOT met"
    print(f"  target micro F1 at least {TARGET_MICRO_F1:.2f}: {verdict}")


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
    with tempfile.TemporaryDirectory() as tmp:
        accuracy(Path(tmp))
    return 0


if __name__ == "__main__":
    sys.exit(main())
