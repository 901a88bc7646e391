"""What an id a researcher gives names: an imported ask's id once its WG report is indexed
(the report's ask it is linked to), or, for an id the index does not hold, the nearest one it
does (a `:` typed for the `#`)."""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

__all__ = ["ImportedAs", "imported_as", "nearest_id", "standing_import"]

# What may stand between a report's symbol and its paragraph in a mistyped id:
# "A/HRC/28/15:115.22", "A/HRC/28/15 / 115.22", "a/hrc/28/15-115.22".
_BETWEEN = " #:/.,;-_"
# An imported ask's id, UPR Info's: "upr-info:SVN:20:99836fe488b3" (README); a mistyped one is
# compared with the ids of the same review's imports.
_IMPORTED_ID = re.compile(r"^(?P<review>[\w-]+:[A-Za-z]{3}:\d+:)(?P<hash>\w+)$")
# Characters an imported id may be mistyped by and still be suggested: two of a hash's twelve,
# while two hashes of one review differ in about eleven.
_IMPORT_TYPOS = 2


@dataclass(frozen=True, slots=True)
class ImportedAs:
    """An imported ask's id and the asks of the index it is now linked to, the main one first
    (UPR Info lists "Ratify the CRPD" from two States as one row; a report may print them as
    two paragraphs)."""

    import_id: str
    asks: tuple[str, ...]


def imported_as(db: sqlite3.Connection, given: str) -> ImportedAs | None:
    """The asks an imported ask's id (any case) is linked to once its WG report is indexed;
    None for an id that is no import's, or whose import still stands as its own record."""
    row = db.execute(
        "SELECT import_id, recommendation_id FROM imports WHERE import_id = ? COLLATE NOCASE "
        "AND recommendation_id != import_id "
        "AND recommendation_id IN (SELECT id FROM recommendations)",
        ["".join(given.split())],
    ).fetchone()
    if row is None:
        return None
    import_id, main = row
    others = [
        rec
        for (rec,) in db.execute(
            "SELECT recommendation_id FROM import_links WHERE import_id = ? "
            "AND recommendation_id != ? AND recommendation_id IN (SELECT id FROM recommendations)",
            [import_id, main],
        )
    ]
    return ImportedAs(import_id, (main, *sorted(others, key=_paragraph_order)))


def standing_import(db: sqlite3.Connection, given: str) -> str | None:
    """An imported ask's id (any case) as the index spells it, while its import stands as its
    own record (no WG report of it indexed), or None."""
    row = db.execute(
        "SELECT id FROM recommendations WHERE id = ? COLLATE NOCASE "
        "AND id IN (SELECT import_id FROM imports)",
        ["".join(given.split())],
    ).fetchone()
    return row[0] if row else None


def _paragraph_order(rec_id: str) -> list[int | str]:
    """'A/HRC/28/15#115.8' before 'A/HRC/28/15#115.10'."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", rec_id)]


def nearest_id(db: sqlite3.Connection, given: str) -> str | None:
    """The id of an ask (or an import) of the index that `given`, which names none, most
    likely means: the same in another case, with another separator between the report's symbol
    and the paragraph ('A/HRC/28/15:115.22' for 'A/HRC/28/15#115.22'), or an imported id
    a character or two apart from one of the same review; None when nothing is that close."""
    text = "".join(given.split())
    for query in (
        "SELECT id FROM recommendations WHERE id = ? COLLATE NOCASE",
        "SELECT import_id FROM imports WHERE import_id = ? COLLATE NOCASE",
    ):
        row = db.execute(query, [text]).fetchone()
        if row is not None:
            return str(row[0])
    return _by_symbol(db, text) or _imported_typo(db, text)


def _by_symbol(db: sqlite3.Connection, text: str) -> str | None:
    """An indexed report's ask whose symbol `text` holds, followed by its paragraph."""
    symbols = [
        symbol
        for (symbol,) in db.execute(
            "SELECT DISTINCT document_symbol FROM recommendations WHERE document_symbol IS NOT NULL"
        )
    ]
    upper = text.upper()
    for symbol in sorted(symbols, key=len, reverse=True):  # A/HRC/28/15 before A/HRC/28/1
        at = upper.find(symbol.upper())
        if at < 0:
            continue
        paragraph = text[at + len(symbol) :].lstrip(_BETWEEN)
        row = db.execute(
            "SELECT id FROM recommendations WHERE document_symbol = ? "
            "AND paragraph = ? COLLATE NOCASE",
            [symbol, paragraph],
        ).fetchone()
        if row is not None:
            return str(row[0])
    return None


def _imported_typo(db: sqlite3.Connection, text: str) -> str | None:
    """The one imported id of the same review that is at most _IMPORT_TYPOS characters away."""
    shape = _IMPORTED_ID.match(text)
    if shape is None:
        return None
    review = shape.group("review")
    distances: dict[int, list[str]] = {}
    for (import_id,) in db.execute(
        "SELECT import_id FROM imports WHERE substr(import_id, 1, ?) = ? COLLATE NOCASE",
        [len(review), review],
    ):
        apart = Levenshtein.distance(text.casefold(), import_id.casefold())
        if apart <= _IMPORT_TYPOS:
            distances.setdefault(apart, []).append(import_id)
    closest = distances[min(distances)] if distances else []
    return closest[0] if len(closest) == 1 else None
