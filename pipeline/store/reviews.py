"""The session and cycle of an addendum or an HRC decision: those of its review.

An addendum or a decision prints no WG session. It takes the session and cycle of its
review's WG report when that is indexed (A/HRC/28/15/Add.1 and A/HRC/DEC/28/111 belong to
A/HRC/28/15, the report the Council adopted at its 28th session), else the cycle whose reviews
its Council session adopts (A/HRC/28/15/Add.1 alone: cycle 2). The index stores them in
`documents` (`settle_reviews`, in the transaction that writes a document, which may be the
report arriving or a new version replacing it), so that every reader sees the same: the
exports and `--cycle`, and `uprdex browse`'s Documents table.
"""

from __future__ import annotations

import sqlite3
from typing import NamedTuple

from uprdex.pipeline.symbols import (
    council_session_of,
    cycle_of_council_session,
    cycle_of_session,
    session_of_symbol,
    wg_symbol_of,
)

__all__ = ["settle_reviews"]

# "A/HRC/DEC/28/111": the decision the Council took at its 28th session.
_DECISION = "A/HRC/DEC/"


class _Document(NamedTuple):
    """The columns of a `documents` row that its review reads; named, not `SELECT *`, since
    this runs as migration step 12 on an index whose `documents` may have other columns."""

    sha256: str
    type: str
    symbol: str | None
    state_under_review: str | None
    session: int | None
    cycle: int | None


def settle_reviews(db: sqlite3.Connection) -> None:
    """Store each addendum's and decision's session and cycle as its review's (module
    docstring); only the rows that change are written."""
    documents = [
        _Document(*row)
        for row in db.execute(
            "SELECT sha256, type, symbol, state_under_review, session, cycle FROM documents"
            " WHERE type IN ('wg_report', 'addendum') OR symbol LIKE ?",
            (f"{_DECISION}%",),
        )
    ]
    reports = {d.symbol: d for d in documents if d.type == "wg_report" and d.symbol}
    by_session = {
        (council_session_of(symbol), d.state_under_review): d for symbol, d in reports.items()
    }
    settled = {d.sha256: (d, _in_review(d, reports, by_session)) for d in documents}
    db.executemany(
        "UPDATE documents SET session = ?, cycle = ? WHERE sha256 = ?",
        [
            (*review, sha256)
            for sha256, (document, review) in settled.items()
            if review is not None and review != (document.session, document.cycle)
        ],
    )


def _in_review(
    document: _Document,
    reports: dict[str, _Document],
    by_session: dict[tuple[int | None, str | None], _Document],
) -> tuple[int | None, int | None] | None:
    """(session, cycle) of an addendum or a decision: its review's WG report's; the cycle its
    Council session adopts when that report is not indexed. None for any other document, and
    for one whose symbol names its own WG session (as extract reads it, kept)."""
    symbol = document.symbol
    if not symbol or (document.type != "addendum" and not symbol.startswith(_DECISION)):
        return None
    if cycle_of_session(session_of_symbol(symbol)) is not None:
        return None
    session = council_session_of(symbol)
    if document.type == "addendum":
        review = reports.get(wg_symbol_of(symbol) or "")
    else:
        review = by_session.get((session, document.state_under_review))
    if review is None:  # its report not indexed: the cycle the Council session adopts
        return (None, cycle_of_council_session(session))
    return (review.session, review.cycle)
