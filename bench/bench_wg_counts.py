"""Recommendation-State pairs per WG report against the UPR Info export's row count.

For every report in ../shared/data/wg_reports: pairs extracted by uprdex vs rows in the UPR Info
export for the same State under review and WG session. A difference counts as explained only
when a committed quirk (bench/wg_quirks.csv) says why and its `state_diffs` column gives the
difference of every recommending State exactly ("Mexico -3; Libya -1"): the explanation is
checked State by State against the parse, so a parser change that moves any count shows up as
"QUIRK MISMATCH". Run: .venv/bin/python bench/bench_wg_counts.py
"""

from __future__ import annotations

import csv
import sys
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from uprdex.extractors.wg_report import parse_wg_report
from uprdex.pipeline.loader import load_pdf
from uprdex.pipeline.states import load_states

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
QUIRKS = Path(__file__).resolve().parent / "wg_quirks.csv"


@dataclass(frozen=True)
class Parsed:
    name: str
    state_under_review: str | None
    session: int | None
    cycle: int | None
    recs: int
    by_state: Counter[str]
    cited: Counter[str]  # positions of the asks a lead-in names only by section-I paragraph


def _parse(path: Path) -> Parsed:
    report = parse_wg_report(load_pdf(path))
    by_state = Counter(s for rec in report.recommendations for s in rec.recommending_states)
    return Parsed(
        path.name,
        report.state_under_review,
        report.session,
        report.cycle,
        len(report.recommendations),
        by_state,
        Counter(
            rec.position.value
            for rec in report.recommendations
            if any(warning.startswith("cited by reference") for warning in rec.warnings)
        ),
    )


def upr_info_rows() -> dict[tuple[str, int], Counter[str]]:
    """Rows per (State under review, session) in the UPR Info export, by recommending State."""
    states = load_states()
    rows: dict[tuple[str, int], Counter[str]] = defaultdict(Counter)
    with (SHARED / "upr_info" / "upr_info_sessions_1-20.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            to, by = states.resolve(row["To"]), states.resolve(row["From"])
            # The export escapes the parentheses of its "(Unknown)" source.
            source = by.name if by else row["From"].replace("&#40;", "(").replace("&#41;", ")")
            rows[(to.name if to else row["To"], int(row["Session"]))][source] += 1
    return rows


def state_diffs(ours: Counter[str], theirs: Counter[str]) -> dict[str, int]:
    """Our pairs minus UPR Info's rows, for each recommending State where they differ."""
    return {
        s: ours[s] - theirs[s] for s in sorted(ours.keys() | theirs.keys()) if ours[s] != theirs[s]
    }


def parse_state_diffs(text: str) -> dict[str, int]:
    """ "Mexico -3; Libya -1" -> {"Mexico": -3, "Libya": -1}."""
    diffs: dict[str, int] = {}
    for part in filter(None, (p.strip() for p in text.split(";"))):
        state, _, number = part.rpartition(" ")
        diffs[state] = int(number)
    return diffs


def main() -> int:
    if not SHARED.exists():
        print(f"skipped: {SHARED} not found (the shared corpus is not on this machine)")
        return 0
    quirks: dict[str, dict[str, str]] = {}
    if QUIRKS.exists():
        with QUIRKS.open(encoding="utf-8") as handle:
            quirks = {row["file"]: row for row in csv.DictReader(handle)}
    upr_info = upr_info_rows()
    paths = sorted((SHARED / "wg_reports").glob("*.pdf"))
    with ProcessPoolExecutor() as pool:
        parsed = list(pool.map(_parse, paths, chunksize=4))
    by_cycle: dict[int | None, Counter[str]] = defaultdict(Counter)
    mismatches: list[str] = []
    print(
        f"{'file':42} {'SuR':28} {'ses':>3} {'cyc':>3} {'recs':>5} {'pairs':>5} {'UPRInfo':>7}"
        f" {'diff':>5}  quirk"
    )
    for report in parsed:
        theirs = upr_info.get((report.state_under_review or "", report.session or -1), Counter())
        pairs, expected = report.by_state.total(), theirs.total()
        quirk = quirks.get(report.name)
        diffs = state_diffs(report.by_state, theirs)
        if not expected:
            flag = "no UPR Info rows"
        elif not diffs:
            flag = "exact"
        elif quirk and parse_state_diffs(quirk["state_diffs"]) == diffs:
            flag = "explained"
        else:
            flag = "QUIRK MISMATCH" if quirk else "DIFF"
            if quirk:
                mismatches.append(f"{report.name}: parsed {diffs}, quirk {quirk['state_diffs']}")
        tally = by_cycle[report.cycle]
        tally["reports"] += 1
        tally[flag] += 1
        if expected and abs(pairs - expected) <= 0.05 * expected:
            tally["within 5%"] += 1
        elif flag == "explained":
            tally["outside 5%, explained"] += 1
        print(
            f"{report.name:42} {report.state_under_review or '?':28.28} {report.session or 0:>3}"
            f" {report.cycle or 0:>3} {report.recs:>5} {pairs:>5} {expected:>7}"
            f" {pairs - expected:>+5}  {flag if flag != 'exact' else ''}"
            f" {quirk['reason'] if quirk and flag != 'exact' else ''}".rstrip()
        )
    for cycle, tally in sorted(by_cycle.items(), key=lambda kv: kv[0] or 0):
        comparable = tally["reports"] - tally["no UPR Info rows"]
        print(
            f"cycle {cycle}: {tally['reports']} reports, {comparable} with UPR Info rows: exact"
            f" {tally['exact']}, explained State by State {tally['explained']}, unexplained"
            f" {tally['DIFF'] + tally['QUIRK MISMATCH']}; within 5% {tally['within 5%']}"
            f" ({tally['within 5%'] / comparable:.0%}), outside 5% but explained"
            f" {tally['outside 5%, explained']}"
        )
    citing = [report for report in parsed if report.cited]
    cited = sum((report.cited for report in citing), Counter())
    print(
        f"asks named only by their paragraph of the interactive dialogue: {cited.total()} in"
        f" {len(citing)} reports ({', '.join(f'{n} {p}' for p, n in cited.most_common())});"
        f" {sum(1 for r in citing if r.cited['noted'])} reports refuse asks this way"
    )
    for line in mismatches:
        print(f"QUIRK MISMATCH {line}")
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
