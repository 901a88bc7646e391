"""Final positions against the OHCHR thematic lists, in both ingestion orders; document types.

For Slovenia cycles 2 and 3 (WG report + Add.1 from ../shared/data/slovenia), ingests the report
then the addendum, and the addendum then the report, and compares each recommendation's final
position with gold/slovenia_thematic_lists_cycles2-3.csv. Prints the agreement, every
disagreement with its reason, and the type uprdex gives every document of the Slovenia set.
Run: .venv/bin/python bench/bench_responses.py
"""

from __future__ import annotations

import csv
import sys
import tempfile
from pathlib import Path

from pipeline.ingest import ingest_paths
from pipeline.settings import LoaderSettings
from pipeline.store import Store

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


def positions(order: list[Path]) -> dict[tuple[str, str], dict[str, object]]:
    """Ingest files one by one in this order; return the final positions."""
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "index.sqlite") as store:
        for path in order:
            ingest_paths([path], store, LoaderSettings(workers=1))
        return {(r["document_symbol"], r["paragraph"]): r for r in store.recommendations()}


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
            agree = [key for key in keys if key in got and got[key]["response"] == expected[key][0]]
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
                        f"uprdex {rec['response']} ({rec['response_source']}, "
                        f"{rec['response_detail']}); conflict: {rec['response_conflict']}"
                    )
                )
                print(
                    f"  {key[0]} {key[1]}: gold {expected[key][0]} ({expected[key][1]}); {reason}"
                )
    print(f"worst agreement: {worst:.1%} (target >= 99%)")

    print("\nDocument types of the Slovenia set:")
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "index.sqlite") as store:
        ingest_paths([SHARED / "slovenia"], store, LoaderSettings())
        for row in sorted(store.documents(), key=lambda r: r["path"]):
            print(
                f"  {Path(row['path']).relative_to(SHARED)!s:45} {row['type']:20} "
                f"{row['symbol'] or '-':26} {row['state_under_review'] or '-'}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
