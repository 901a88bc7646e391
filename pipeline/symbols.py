"""UN document symbols, UPR Working Group sessions and cycles, and recommendation ids.

The shared vocabulary of every stage: a recommendation is "A/HRC/28/15#115.22", the paragraph
115.22 of the WG report A/HRC/28/15, whose addendum is A/HRC/28/15/Add.1.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = [
    "SYMBOL",
    "WG_REPORT_SYMBOL",
    "council_session_of",
    "cycle_of_council_session",
    "cycle_of_session",
    "normalize_symbol",
    "recommendation_id",
    "resolve_readings",
    "session_of_symbol",
    "wg_symbol_of",
    "year_of_session",
    "years_of_cycle",
]

# "United Nations A/HRC/28/15", " A/HRC/ 8/29 ", "A/HRC/WG.6/34/SVN/2", "A/HRC/26/16/Add.1";
# the text layer may split "A" and "/HRC/26/16" into two runs.
SYMBOL = re.compile(
    r"\bA\s*/\s*HRC\s*/\s*(?:WG\s*\.\s*6\s*/\s*)?(?:DEC\s*/\s*)?\d{1,2}\s*/\s*[A-Z]{0,3}\d{0,3}"
    r"(?:\s*/\s*\d)?(?:\s*/\s*(?:Add|Corr|Rev)\s*\.\s*\d+)*"
)
# "A/HRC/28/15": a WG report (cycle 1 too: "A/HRC/8/29"), not an addendum or a pre-session
# document.
WG_REPORT_SYMBOL = re.compile(r"^A/HRC/\d{1,2}/\d{1,3}$")

# WG sessions that open each cycle: cycle 1 = 1-12, cycle 2 = 13-26, cycle 3 = 27-40, 4 = 41-54
# (the table's last session, _LAST_KNOWN_SESSION, below); a later session's cycle is unknown.
_CYCLE_STARTS = ((41, 4), (27, 3), (13, 2), (1, 1))


def normalize_symbol(raw: str) -> str:
    """Remove the spaces a text layer puts inside a symbol: "A/HRC/ 8/29" -> "A/HRC/8/29"."""
    return re.sub(r"\s+", "", raw)


# "A/HRC/WG.6/34/SVN/2": documents prepared for WG session 34
_WG_SESSION_IN_SYMBOL = re.compile(r"/WG\.6/(\d{1,2})/")


def session_of_symbol(symbol: str | None) -> int | None:
    """The WG session a pre-session document's symbol names."""
    match = _WG_SESSION_IN_SYMBOL.search(symbol or "")
    return int(match.group(1)) if match else None


# The first WG session of each year: sessions 1-3 met in 2008, 4-6 in 2009, ... (36 met in
# November 2020 after the spring session was postponed). The 245 reports of sessions 1-20
# give the same years. Three a year, but two in a cycle's first year (2012, 2017, 2022) and
# in 2020: 51-53 in 2026 and 54 in 2027 follow from that rule (no UN calendar of them is at
# hand); after 54, where cycle 4 ends as cycles 2 and 3 did (14 sessions), the next cycle's
# first year may hold two, so no later year is guessed.
_YEAR_STARTS = (
    (54, 2027), (51, 2026), (48, 2025), (45, 2024), (42, 2023), (40, 2022), (37, 2021),
    (35, 2020), (32, 2019), (29, 2018), (27, 2017), (24, 2016), (21, 2015), (18, 2014),
    (15, 2013), (13, 2012), (10, 2011), (7, 2010), (4, 2009), (1, 2008),
)  # fmt: skip
_LAST_KNOWN_SESSION = 54


def year_of_session(session: int | None) -> int | None:
    """The year a WG session met (None for a session after the table's last, 54)."""
    if session is None or not 1 <= session <= _LAST_KNOWN_SESSION:
        return None
    return next(year for start, year in _YEAR_STARTS if session >= start)


def cycle_of_session(session: int | None) -> int | None:
    """The UPR cycle a WG session belongs to (None for a session after the table's last, 54,
    which may be the fifth cycle's)."""
    if session is None or not 1 <= session <= _LAST_KNOWN_SESSION:
        return None
    return next(cycle for start, cycle in _CYCLE_STARTS if session >= start)


def years_of_cycle(cycle: int) -> tuple[int | None, int | None]:
    """The years the WG sessions of a UPR cycle met, first and last (None, None: past the
    table's last session, 54, which ends cycle 4): cycle 2, sessions 13-26, met 2012-2016."""
    starts = dict((c, start) for start, c in _CYCLE_STARTS)
    if cycle not in starts:
        return (None, None)
    last = starts[cycle + 1] - 1 if cycle + 1 in starts else _LAST_KNOWN_SESSION
    return (year_of_session(starts[cycle]), year_of_session(last))


# "A/HRC/28/15", "A/HRC/28/15/Add.1", "A/HRC/DEC/28/111": documents of the Council's 28th
# session (a WG report is a Council document, numbered for the session that adopts it).
_COUNCIL_SESSION_IN_SYMBOL = re.compile(r"^A/HRC/(?:DEC/)?(\d{1,2})/\d")

# The Council sessions that adopt each cycle's reviews: WG sessions 1-12 at Council sessions
# 8-19 (the 245 reports: A/HRC/8/... of WG 1-2 to A/HRC/19/... of WG 12, A/HRC/21/... of WG 13
# to A/HRC/28/... of WG 20), 13-26 at 21-34, 27-40 at 36-50, 41-54 at 52-65 (each 11 sessions
# on: WG 41's at 52, WG 45's at 56); 20, 35 and 51 adopted none. After 65, which adopts WG 54's
# (the table's last, `_LAST_KNOWN_SESSION`), a session may adopt the fifth cycle's.
_COUNCIL_CYCLE_STARTS = ((51, 4), (35, 3), (20, 2), (8, 1))
_LAST_KNOWN_COUNCIL_SESSION = 65


def council_session_of(symbol: str | None) -> int | None:
    """The Council session a WG report, addendum or decision is of: "A/HRC/28/15/Add.1" -> 28."""
    match = _COUNCIL_SESSION_IN_SYMBOL.match(symbol or "")
    return int(match.group(1)) if match else None


def cycle_of_council_session(session: int | None) -> int | None:
    """The UPR cycle whose reviews a Council session adopts (None before the first, the 8th,
    and after the table's last, 65, as `cycle_of_session` after WG 54)."""
    first = _COUNCIL_CYCLE_STARTS[-1][0]
    if session is None or not first <= session <= _LAST_KNOWN_COUNCIL_SESSION:
        return None
    return next(cycle for start, cycle in _COUNCIL_CYCLE_STARTS if session >= start)


def wg_symbol_of(addendum_symbol: str | None) -> str | None:
    """The WG report an addendum answers: "A/HRC/28/15/Add.1" -> "A/HRC/28/15"."""
    if not addendum_symbol:
        return None
    base = re.sub(r"/Add\.\d+$", "", addendum_symbol)
    return base if base != addendum_symbol else None


def recommendation_id(symbol: str | None, sha256: str, paragraph: str) -> str:
    """Stable id "A/HRC/26/16#118.17" (the file hash stands in for a missing symbol)."""
    return f"{symbol or sha256[:16]}#{paragraph}"


def resolve_readings(candidates: Sequence[str], known: set[str]) -> tuple[str, bool] | None:
    """(paragraph, corrected) when exactly one reading is a known paragraph; never invents.

    A bare index ("22") is the recommendation of that number when the report's
    recommendations all sit in one paragraph ("115.22"); with two or more paragraphs (121.x
    supported, 122.x noted) it is ambiguous and resolves to nothing.
    """
    if len(candidates) == 1 and "." not in candidates[0]:
        heads = {paragraph.split(".")[0] for paragraph in known}
        paragraph = f"{heads.pop()}.{candidates[0]}" if len(heads) == 1 else None
        return (paragraph, False) if paragraph in known else None
    hits = [reading for reading in dict.fromkeys(candidates) if reading in known]
    if len(hits) != 1:
        return None
    return hits[0], hits[0] != candidates[0]
