"""Recommendation-State pairs per WG report against the UPR Info export's row count.

For every report in ../shared/data/wg_reports: pairs extracted by uprdex vs rows in the UPR Info
export for the same State under review and WG session. Differences that a committed quirk
(bench/wg_quirks.csv) explains are marked. Run: .venv/bin/python bench/bench_wg_counts.py
"""

from __future__ import annotations

import csv
import sys
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from extractors.states import load_states
from extractors.wg_report import parse_wg_report
from pipeline.loader import load_pdf

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
QUIRKS = Path(__file__).resolve().parent / "wg_quirks.csv"


def _parse(path: Path) -> tuple[str, str | None, int | None, int | None, int, int]:
    report = parse_wg_report(load_pdf(path))
    pairs = sum(len(rec.recommending_states) for rec in report.recommendations)
    return (
        path.name,
        report.state_under_review,
        report.session,
        report.cycle,
        len(report.recommendations),
        pairs,
    )


def upr_info_counts() -> Counter[tuple[str, int]]:
    """Rows per (State under review, session) in the UPR Info export."""
    states = load_states()
    counts: Counter[tuple[str, int]] = Counter()
    with (SHARED / "upr_info" / "upr_info_sessions_1-20.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            state = states.resolve(row["To"])
            counts[(state.name if state else row["To"], int(row["Session"]))] += 1
    return counts


def main() -> int:
    if not SHARED.exists():
        print(f"skipped: {SHARED} not found (the shared corpus is not on this machine)")
        return 0
    quirks = {}
    if QUIRKS.exists():
        with QUIRKS.open(encoding="utf-8") as handle:
            quirks = {row["file"]: row["reason"] for row in csv.DictReader(handle)}
    counts = upr_info_counts()
    paths = sorted((SHARED / "wg_reports").glob("*.pdf"))
    with ProcessPoolExecutor() as pool:
        rows = list(pool.map(_parse, paths, chunksize=4))
    by_cycle: dict[int | None, list[tuple[int, int, bool]]] = {}
    print(
        f"{'file':42} {'SuR':28} {'ses':>3} {'cyc':>3} {'recs':>5} {'pairs':>5} {'UPRInfo':>7}"
        f" {'diff':>5}  quirk"
    )
    for name, sur, session, cycle, recs, pairs in rows:
        expected = counts.get((sur or "", session or -1), 0)
        quirk = quirks.get(name, "")
        flag = "" if pairs == expected else ("explained" if quirk else "DIFF")
        by_cycle.setdefault(cycle, []).append((pairs, expected, bool(quirk)))
        print(
            f"{name:42} {sur or '?':28.28} {session or 0:>3} {cycle or 0:>3} {recs:>5} {pairs:>5}"
            f" {expected:>7} {pairs - expected:>+5}  {flag} {quirk}"
        )
    for cycle, items in sorted(by_cycle.items(), key=lambda kv: kv[0] or 0):
        exact = sum(p == e for p, e, _ in items)
        explained = sum(p != e and q for p, e, q in items)
        within5 = sum(e > 0 and abs(p - e) <= 0.05 * e for p, e, _ in items)
        print(
            f"cycle {cycle}: {len(items)} reports, exact {exact}, explained {explained}, "
            f"within 5% {within5} ({within5 / len(items):.0%})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
