"""Final positions against the OHCHR thematic lists, in both ingestion orders; document types.

For Slovenia cycles 2 and 3 (WG report + Add.1 from ../shared/data/slovenia), ingests the report
then the addendum, and the addendum then the report, and compares each recommendation's final
position with gold/slovenia_thematic_lists_cycles2-3.csv. Prints the agreement, every
disagreement with its reason, and the type uprdex gives every document of the Slovenia set.

Cycle 1 has no OHCHR list: A/HRC/14/15 and its Add.1 (one paragraph per recommendation, the
cycle-1 layout) are checked against the UPR Info export's Response column instead, row by row
through `uprdex import upr-info`'s links (UPR Info splits some items into one row per ask).

Then every position the 245 WG reports state themselves (the lead-ins "enjoy the support of",
"did not enjoy", "noted") against UPR Info's responses, report by report, with the reports that
agree least: a misread lead-in turns a whole list around (Colombia 2008 read 65 supported items
as noted). Their addenda are not in the corpus, so "pending" items are left out.
Run: .venv/bin/python bench/bench_responses.py
"""

from __future__ import annotations

import csv
import sys
import tempfile
from pathlib import Path

from uprdex.flows.ingest import import_file, ingest_paths
from uprdex.pipeline.settings import LoaderSettings
from uprdex.pipeline.store import Store, StoredRecommendation

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
PAIRS = {
    2: ("slovenia/cycle2/g1423930.pdf", "slovenia/cycle2/g1504261.pdf"),
    3: ("slovenia/cycle3/g1934994.pdf", "slovenia/cycle3/g2004192.pdf"),
}
GOLD_POSITION = {"Supported": "supported", "Noted": "noted"}


def gold() -> dict[tuple[str, str], tuple[str, str]]:
    """(WG symbol, paragraph) -> (position, its source) from the OHCHR thematic lists."""
    path = SHARED / "gold" / "slovenia_thematic_lists_cycles2-3.csv"
    with path.open(encoding="utf-8") as handle:
        return {
            (row["wg_report_symbol"], row["paragraph"]): (
                GOLD_POSITION.get(row["position"], row["position"].lower()),
                row["position_source"],
            )
            for row in csv.DictReader(handle)
        }


def positions(order: list[Path]) -> dict[tuple[str | None, str | None], StoredRecommendation]:
    """Ingest files one by one in this order; return the final positions."""
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "index.sqlite") as store:
        for path in order:
            ingest_paths([path], store, LoaderSettings(workers=1))
        return {(r.document_symbol, r.paragraph): r for r in store.recommendations()}


def main() -> int:
    if not SHARED.exists():
        print(f"skipped: {SHARED} not found (the shared corpus is not here)")
        return 0
    expected = gold()
    worst = 1.0
    for cycle, (report, addendum) in PAIRS.items():
        files = [SHARED / report, SHARED / addendum]
        for label, order in (("report first", files), ("addendum first", files[::-1])):
            got = positions(order)
            keys = [key for key in expected if key[0] in {k[0] for k in got}]
            agree = [key for key in keys if key in got and got[key].response == expected[key][0]]
            share = len(agree) / len(keys) if keys else 0.0
            worst = min(worst, share)
            print(f"cycle {cycle}, {label}: {len(agree)}/{len(keys)} agree ({share:.1%})")
            for key in keys:
                if key in agree:
                    continue
                rec = got.get(key)
                reason = (
                    "not extracted"
                    if rec is None
                    else (
                        f"uprdex {rec.response} ({rec.response_source}, "
                        f"{rec.response_detail}); conflict: {rec.response_conflict}"
                    )
                )
                print(
                    f"  {key[0]} {key[1]}: gold {expected[key][0]} ({expected[key][1]}); {reason}"
                )
    print(f"worst agreement: {worst:.1%} (target >= 99%)")
    cycle_1()
    stated_positions()

    print("\nDocument types of the Slovenia set:")
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "index.sqlite") as store:
        ingest_paths([SHARED / "slovenia"], store, LoaderSettings())
        for row in sorted(store.documents(), key=lambda r: r.path):
            print(
                f"  {Path(row.path).relative_to(SHARED)!s:45} {row.type:20} "
                f"{row.symbol or '-':26} {row.state_under_review or '-'}"
            )
    return 0


def cycle_1() -> None:
    """Slovenia 2010's final positions against UPR Info's responses, row by row."""
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "index.sqlite") as store:
        for path in ("slovenia/cycle1/g1012049.pdf", "slovenia/cycle1/g1012465.pdf"):
            ingest_paths([SHARED / path], store, LoaderSettings(workers=1))
        import_file(SHARED / "upr_info" / "upr_info_sessions_1-20.csv", "upr-info", store)
        rows = store.db.execute(
            "SELECT r.paragraph, r.response, r.response_detail, i.position FROM recommendations r "
            "JOIN import_links l ON l.recommendation_id = r.id JOIN imports i USING (import_id) "
            "WHERE r.document_symbol = ?",
            ("A/HRC/14/15",),
        ).fetchall()
    agree = [row for row in rows if row["response"] == row["position"]]
    print(f"\ncycle 1, A/HRC/14/15 against UPR Info rows: {len(agree)}/{len(rows)} agree")
    for row in rows:
        if row not in agree:
            print(
                f"  {row['paragraph']}: UPR Info {row['position']}; uprdex {row['response']} "
                f"({row['response_detail'] or 'no answer in Add.1'})"
            )


def stated_positions() -> None:
    """The positions the 245 WG reports state, against UPR Info's responses, report by report."""
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "index.sqlite") as store:
        ingest_paths([SHARED / "wg_reports"], store, LoaderSettings())
        import_file(SHARED / "upr_info" / "upr_info_sessions_1-20.csv", "upr-info", store)
        rows = store.db.execute(
            "SELECT r.document_symbol, r.state_under_review, count(*) AS n, "
            "sum(r.section_response = i.position) AS agree FROM recommendations r "
            "JOIN import_links l ON l.recommendation_id = r.id JOIN imports i USING (import_id) "
            "WHERE r.origin = 'pdf' AND r.section_response IN ('supported', 'noted') "
            "AND i.position IN ('supported', 'noted') GROUP BY r.document_symbol"
        ).fetchall()
    total, agree = sum(row["n"] for row in rows), sum(row["agree"] for row in rows)
    print(
        f"\npositions stated in the 245 WG reports against UPR Info rows: {agree}/{total} agree "
        f"({agree / total:.1%}) over {len(rows)} reports; the 5 that agree least:"
    )
    for row in sorted(rows, key=lambda row: row["agree"] / row["n"])[:5]:
        print(
            f"  {row['document_symbol']:14} {row['state_under_review']:28} "
            f"{row['agree']}/{row['n']} ({row['agree'] / row['n']:.0%})"
        )


if __name__ == "__main__":
    sys.exit(main())
