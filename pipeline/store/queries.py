"""Reading the index: documents, recommendations, evidence, search and counts.

Every query that filters recommendations takes a `RecFilter` (`filters.filter_sql`); full-text
search quotes the user's words (`filters.fts_query`) so that they are never read as FTS syntax.
"""

from __future__ import annotations

import functools
import json
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing
from typing import Any

from uprdex.pipeline.model import AskPart
from uprdex.pipeline.store.filters import RecFilter, filter_sql, state_name, terms_query
from uprdex.pipeline.store.folding import fold_words
from uprdex.pipeline.store.rows import (
    AddendumAnswer,
    ImportedLabel,
    LinkedEvidence,
    RepeatedAsk,
    SearchHit,
    SearchResults,
    StoredDocument,
    StoredEvidence,
    StoredRecommendation,
    StoredThemeHit,
)
from uprdex.pipeline.store.search_case import cased_sql
from uprdex.pipeline.store.search_index import shown_snippet, snippets
from uprdex.pipeline.store.search_terms import SearchTerm, search_terms

__all__ = [
    "REPORT_ORDER",
    "by_recommendation",
    "citations_by",
    "column_of",
    "document",
    "documents",
    "evidence",
    "evidence_summary",
    "find_document",
    "held",
    "last_change",
    "matching_parts",
    "recommendation",
    "recommendations",
    "search",
    "search_count",
    "states_under_review",
    "summary",
    "themes",
    "unclustered_states",
]


def unthemed_imports(db: sqlite3.Connection) -> dict[str, str]:
    """id -> text of the imported recommendations no theme method has tagged yet."""
    rows = db.execute(
        "SELECT id, text FROM recommendations r WHERE origin != 'pdf' AND NOT EXISTS "
        "(SELECT 1 FROM recommendation_themes t WHERE t.recommendation_id = r.id) ORDER BY rowid"
    )
    return {row["id"]: row["text"] for row in rows}


def find_document(
    db: sqlite3.Connection, paths: Sequence[str], sha256: str | None
) -> StoredDocument | None:
    """The document ingested from one of `paths`, or with these bytes."""
    marks = ", ".join("?" * len(paths)) or "NULL"
    row = db.execute(
        f"SELECT * FROM documents WHERE path IN ({marks}) OR sha256 = ? "
        "ORDER BY ingested_at DESC LIMIT 1",
        (*paths, sha256),
    ).fetchone()
    return None if row is None else StoredDocument.of(row)


def citations_by(db: sqlite3.Connection, sha256: str) -> list[StoredEvidence]:
    """Every evidence row of one document, in page order (linked or waiting)."""
    rows = db.execute(
        "SELECT * FROM evidence WHERE document_sha256 = ? ORDER BY page, id", (sha256,)
    )
    return [StoredEvidence.of(row) for row in rows]


def document(db: sqlite3.Connection, sha256: str) -> StoredDocument | None:
    """The document row of the file with these bytes, or None."""
    row = db.execute("SELECT * FROM documents WHERE sha256 = ?", (sha256,)).fetchone()
    return None if row is None else StoredDocument.of(row)


def documents(db: sqlite3.Connection, where: RecFilter | None = None) -> list[StoredDocument]:
    """Every document row, newest first; with a filter, those about its State under review
    and of its cycle (its other filters are about recommendations). An addendum's or a
    decision's session and cycle are its review's, as the index stores them
    (`reviews.settle_reviews`)."""
    rows = db.execute("SELECT * FROM documents ORDER BY ingested_at DESC, path")
    found = [StoredDocument.of(row) for row in rows]
    if where and where.state_under_review:
        name = state_name(where.state_under_review)
        found = [document for document in found if document.state_under_review == name]
    if where and where.cycle is not None:
        found = [document for document in found if document.cycle == where.cycle]
    return found


def recommendations(
    db: sqlite3.Connection, where: RecFilter | None, order: str
) -> Iterator[StoredRecommendation]:
    """Recommendations matching the filter in `order` (`REPORT_ORDER`, report and paragraph
    order), made `_BATCH` at a time: an export of 32,080 asks never holds them all."""
    sql, params = filter_sql(where or RecFilter())
    cursor = db.execute(f"SELECT r.* FROM recommendations r {sql} ORDER BY {order}", params)
    while rows := cursor.fetchmany(_BATCH):
        yield from _with_states(db, rows)


def evidence(
    db: sqlite3.Connection, where: RecFilter | None = None, recommendation_id: str | None = None
) -> list[LinkedEvidence]:
    """Evidence linked to the recommendations matching the filter (or to one), newest
    document first."""
    sql, params = filter_sql(where or RecFilter())
    if recommendation_id is not None:
        sql = f"{sql} {'AND' if sql else 'WHERE'} r.id = ?"
        params.append(recommendation_id)
    return _linked_evidence(
        db, f"e.recommendation_id IN (SELECT r.id FROM recommendations r {sql})", params
    )


# The WG report `symbol` is not indexed: what cites it waits for it.
_NOT_INDEXED = (
    "NOT EXISTS (SELECT 1 FROM documents WHERE symbol = ? AND type = 'wg_report' "
    "AND status = 'indexed')"
)


def waiting_evidence(db: sqlite3.Connection, symbol: str, paragraph: str) -> list[LinkedEvidence]:
    """The places that cite paragraph `paragraph` of the WG report `symbol` while that report
    is not indexed (their evidence waits for it), newest document first. With them, the
    State's comments in an addendum of that report that names it by its bare index ("18" for
    115.18, A/HRC/28/15/Add.1), which the report, once indexed, ties to one of its lists
    (`responses.refresh_responses`): their `target_ref` is that bare index."""
    return _linked_evidence(
        db,
        "e.recommendation_id IS NULL AND e.target_symbol = ? AND (e.target_ref = ? OR "
        f"(d.type = 'addendum' AND e.target_ref = ?)) AND {_NOT_INDEXED}",
        [symbol, paragraph, paragraph.rsplit(".", 1)[-1], symbol],
    )


def waiting_answers(db: sqlite3.Connection, symbol: str, paragraph: str) -> list[AddendumAnswer]:
    """The State's answers to paragraph `paragraph` of the WG report `symbol` in its indexed
    addenda while the report is not, by full number or bare index as `waiting_evidence`
    matches them, in the order `responses.refresh_responses` reads them (the last one wins)."""
    rows = db.execute(
        "SELECT r.addendum_symbol, r.ref, r.position, r.detail, r.page, r.paragraph "
        "FROM responses r JOIN documents d ON d.sha256 = r.document_sha256 "
        f"WHERE r.wg_symbol = ? AND r.ref IN (?, ?) AND {_NOT_INDEXED} "
        "ORDER BY d.ingested_at, r.addendum_symbol",
        (symbol, paragraph, paragraph.rsplit(".", 1)[-1], symbol),
    )
    return [AddendumAnswer(*row) for row in rows]


def _linked_evidence(db: sqlite3.Connection, where: str, params: list[Any]) -> list[LinkedEvidence]:
    """Evidence rows meeting `where` (over `evidence e`), with their documents."""
    rows = db.execute(
        "SELECT e.*, d.path, d.symbol, d.type FROM evidence e "
        f"JOIN documents d ON d.sha256 = e.document_sha256 WHERE {where} "
        # Newest by the document's own date (ISO 8601: "2019-08-30" after "2019-08-06"), then
        # its year; each document's places together, in page order.
        "ORDER BY coalesce(d.date, CAST(d.year AS TEXT), '') DESC, d.ingested_at DESC, d.sha256, "
        "e.recommendation_id, e.page",
        params,
    )
    return [LinkedEvidence.of(row) for row in rows]


def search(
    db: sqlite3.Connection,
    text: str,
    where: RecFilter | None = None,
    limit: int = 20,
    shown: Callable[[str, str], str] = lambda path, sha256: path,
) -> SearchResults:
    """Recommendations whose text with its footnotes, or the context of evidence about them,
    holds all the words: the best `limit` (0: all) first (bm25 of the best place of each), each
    with a snippet of that place (the words between \\x02 and \\x03), and how many match in all.
    A document without a symbol is named by its path as `shown` gives it (path, SHA-256)."""
    where = where or RecFilter()
    terms = tuple(search_terms(text, where.widen))
    query = terms_query(terms)
    chosen = _chosen(db, text, terms, where, limit)
    places = [json.dumps([hit["at"] for hit in chosen if hit["kind"] == kind]) for kind in (0, 1)]
    # The unary + keeps FTS5 off a lookup per rowid, each of which reads the words' whole
    # lists again: the match is read once, and only the chosen places get a snippet.
    found = {
        (row["kind"], row["at"]): row
        for row in db.execute(
            f"SELECT 0 AS kind, rowid AS at, text, notes, {snippets('recommendations_fts')},"
            "       rowid IN (SELECT rowid FROM recommendations_fts WHERE recommendations_fts"
            "         MATCH ? AND +rowid IN (SELECT value FROM json_each(?))) AS in_text,"
            "       NULL AS symbol, NULL AS path, NULL AS sha256"
            "  FROM recommendations_fts"
            "  WHERE recommendations_fts MATCH ? AND +rowid IN (SELECT value FROM json_each(?))"
            "  UNION ALL"
            f"  SELECT 1, f.rowid, f.context, NULL, {snippets('evidence_fts')}, NULL, NULL, 1,"
            "         d.symbol, d.path, d.sha256"
            "  FROM evidence_fts f JOIN evidence e ON e.id = f.rowid"
            "  JOIN documents d ON d.sha256 = e.document_sha256"
            "  WHERE evidence_fts MATCH ? AND +f.rowid IN (SELECT value FROM json_each(?))",
            [f"{{text folded_text}} : ({query})", places[0], query, places[0], query, places[1]],
        )
    }
    rows = db.execute(  # the ids as one parameter: --limit 0 may find more than SQLite takes
        "SELECT * FROM recommendations WHERE id IN (SELECT value FROM json_each(?))",
        [json.dumps([hit["id"] for hit in chosen])],
    ).fetchall()
    by_id = {rec.id: rec for rec in _with_states(db, rows)}
    hits = [
        SearchHit(
            rec,
            shown_snippet(place, "text" if place["in_text"] else "notes"),
            "evidence: " + (place["symbol"] or shown(place["path"], place["sha256"]))
            if place["path"] is not None
            else ("recommendation" if place["in_text"] else "footnote"),
            matching_parts(rec.parts, text, where.recommending_state, rec.text),
        )
        for hit in chosen
        if (rec := by_id.get(hit["id"])) and (place := found.get((hit["kind"], hit["at"])))
    ]
    return SearchResults(hits, chosen[0]["matched"] if chosen else 0)


def search_count(db: sqlite3.Connection, text: str, where: RecFilter | None = None) -> int:
    """How many recommendations `search` finds for the words (its `matched`), none read."""
    where = where or RecFilter()
    chosen = _chosen(db, text, tuple(search_terms(text, where.widen)), where, 1)
    return int(chosen[0]["matched"]) if chosen else 0


def _chosen(
    db: sqlite3.Connection,
    text: str,
    terms: tuple[SearchTerm, ...],
    where: RecFilter,
    limit: int,
) -> list[sqlite3.Row]:
    """`search`'s best `limit` (0: all) recommendations for the words `text` (parsed:
    `terms`), each with its best place (kind 0, the text; 1, evidence), its rank and how many
    match in all (`matched`)."""
    sql, params = filter_sql(where, text)
    query = terms_query(terms)
    cased = [cased_sql(terms, fts, "f") for fts in ("recommendations_fts", "evidence_fts")]
    # One row per recommendation, its best place (SQLite gives the bare columns of an
    # aggregate query with one min() the values of the row with that minimum), counted by the
    # window before LIMIT cuts them; no snippet yet: made for every match, it cost most.
    return db.execute(
        "SELECT id, kind, at, min(rank) AS rank, count(*) OVER () AS matched FROM ("
        "  SELECT r.id, 0 AS kind, f.rowid AS at, bm25(recommendations_fts) AS rank"
        "  FROM recommendations_fts f JOIN recommendations r ON r.rowid = f.rowid"
        f"  WHERE recommendations_fts MATCH ?{cased[0]}"
        "  UNION ALL"
        "  SELECT e.recommendation_id, 1, f.rowid, bm25(evidence_fts)"
        "  FROM evidence_fts f JOIN evidence e ON e.id = f.rowid"
        f"  WHERE evidence_fts MATCH ?{cased[1]} AND e.recommendation_id IS NOT NULL"
        f") WHERE id IN (SELECT r.id FROM recommendations r {sql}) "
        "GROUP BY id ORDER BY rank LIMIT ?",
        [query, query, *params, limit or -1],  # SQLite: LIMIT -1, no limit
    ).fetchall()


def matching_parts(
    parts: Sequence[AskPart], words: str, state: str | None = None, text: str | None = None
) -> tuple[AskPart, ...]:
    """The parts of a compound item that hold the words (read as the index's full-text search
    reads them: stems, any case, a treaty's other names), of those `state` asked when given;
    when no part holds them all, those that hold the most of them. Empty for an item with no
    parts, or whose `text` (the whole item; else its parts together) does not hold the words:
    the evidence did."""
    name = state_name(state) if state else None
    asked = [part for part in parts if name is None or name in part.recommending_states]
    if not asked:
        return ()
    texts = [f"{part.lead} {part.text}" for part in asked]
    with closing(sqlite3.connect(":memory:")) as scratch:
        scratch.execute(
            "CREATE VIRTUAL TABLE p USING fts5(text, folded, tokenize='porter unicode61')"
        )
        whole = text or " ... ".join(texts)
        scratch.executemany(
            "INSERT INTO p(rowid, text, folded) VALUES (?, ?, ?)",
            [(at, one, fold_words(one)) for at, one in [*enumerate(texts), (-1, whole)]],
        )
        held: Counter[int] = Counter()
        terms = search_terms(words)
        for term in terms:
            held.update(
                row[0] for row in scratch.execute("SELECT rowid FROM p WHERE p MATCH ?", [term.fts])
            )
    if held.pop(-1, 0) < len(terms) or not held:  # the evidence held the words
        return ()
    most = max(held.values())
    return tuple(part for at, part in enumerate(asked) if held[at] == most)


def recommendation(
    db: sqlite3.Connection, symbol: str, paragraph: str | None
) -> StoredRecommendation | None:
    """One recommendation by the symbol of its report and its paragraph number, or, with no
    paragraph, by its whole id (an imported one's, 'upr-info:BHR:1:3ce925f24158')."""
    rows = db.execute(
        "SELECT * FROM recommendations WHERE id = ?"
        if paragraph is None
        else "SELECT * FROM recommendations WHERE document_symbol = ? AND paragraph = ?",
        (symbol,) if paragraph is None else (symbol, paragraph),
    ).fetchall()
    found = _with_states(db, rows)
    return found[0] if found else None


@functools.lru_cache(maxsize=4096)
def json_tuple(text: str) -> tuple[Any, ...]:
    """A JSON list column as a tuple. Most are one of a few texts ("[]", an expert's issues,
    a State list): each is parsed once, not once a row (118,010 theme rows on an index with
    UPR Info's 32,080 asks)."""
    return tuple(json.loads(text))


def _with_states(db: sqlite3.Connection, rows: Sequence[sqlite3.Row]) -> list[StoredRecommendation]:
    """The recommendations of these rows with their States, imported labels and theme hits."""
    ids = [row["id"] for row in rows]
    states = by_recommendation(
        db,
        ids,
        "SELECT * FROM recommendation_states WHERE recommendation_id IN ({}) "
        "ORDER BY recommendation_id, position",
        lambda row: row,
    )
    imported = by_recommendation(
        db,
        ids,
        "SELECT l.recommendation_id, i.source, i.position, i.position_source, i.themes, "
        "i.extra, i.text, i.recommending_states FROM import_links l JOIN imports i "
        "USING (import_id) WHERE l.recommendation_id IN ({}) ORDER BY i.source, import_id",
        lambda row: ImportedLabel(
            row["source"],
            row["position"],
            row["position_source"],
            json_tuple(row["themes"]),
            json.loads(row["extra"]),
            row["text"],
            json_tuple(row["recommending_states"]),
        ),
    )
    hits = by_recommendation(
        db,
        ids,
        "SELECT * FROM recommendation_themes WHERE recommendation_id IN ({}) ORDER BY rowid",
        lambda row: StoredThemeHit(
            row["theme"], json_tuple(row["matched"]), row["method"], row["score"]
        ),
    )
    confidence = by_recommendation(
        db,
        ids,
        "SELECT * FROM cluster_members WHERE recommendation_id IN ({})",
        lambda row: row["confidence"],
    )
    repeats = _recurrences(
        db, ids, "later_id", "earlier_id", "k.score DESC, " + _paragraph_order("o")
    )
    repeated_by = _recurrences(
        db, ids, "earlier_id", "later_id", "o.year, o.cycle, k.score DESC, " + _paragraph_order("o")
    )
    parts = by_recommendation(
        db,
        ids,
        "SELECT * FROM recommendation_parts WHERE recommendation_id IN ({}) "
        "ORDER BY recommendation_id, position",
        lambda row: AskPart(row["text"], json_tuple(row["recommending_states"])),
    )
    return [
        StoredRecommendation.of(
            row,
            states.get(row["id"], []),
            imported.get(row["id"], []),
            hits.get(row["id"], []),
            (confidence.get(row["id"]) or [None])[0],
            repeats.get(row["id"], []),
            repeated_by.get(row["id"], []),
            parts.get(row["id"], []),
        )
        for row in rows
    ]


def _recurrences(
    db: sqlite3.Connection, ids: list[str], own: str, other: str, order: str
) -> dict[str, list[RepeatedAsk]]:
    """The asks at the `other` end of each recommendation's `recurrences` rows (`own` is
    "later_id" for the earlier asks it repeats, "earlier_id" for the later asks that repeat
    it), with the State's response to each: one table read from either end, so that the two
    directions always agree (`uprdex.pipeline.clusters.recurrence` writes it)."""
    return by_recommendation(
        db,
        ids,
        f"SELECT k.{own} AS recommendation_id, o.id, o.document_symbol, o.paragraph, o.cycle, "
        f"o.year, o.text, o.response, k.score FROM recurrences k "
        f"JOIN recommendations o ON o.id = k.{other} "
        f"WHERE k.{own} IN ({{}}) ORDER BY k.{own}, {order}",
        lambda row: RepeatedAsk(
            row["id"],
            row["document_symbol"],
            row["paragraph"],
            row["cycle"],
            row["year"],
            row["text"],
            row["response"],
            row["score"],
        ),
    )


def states_under_review(db: sqlite3.Connection, ids: Sequence[str]) -> dict[str, str | None]:
    """The State under review of each recommendation of `ids` that is indexed (None when its
    source names none)."""
    return column_of(db, ids, "state_under_review")


def column_of(db: sqlite3.Connection, ids: Sequence[str], column: str) -> dict[str, Any]:
    """One column of the recommendations table for each recommendation of `ids` that is
    indexed (`column` is the code's, never a user's)."""
    found = by_recommendation(
        db,
        sorted(set(ids)),
        f"SELECT id AS recommendation_id, {column} FROM recommendations WHERE id IN ({{}})",
        lambda row: row[column],
    )
    return {rec: values[0] for rec, values in found.items()}


def evidence_summary(db: sqlite3.Connection) -> dict[str, tuple[int, str | None]]:
    """Per recommendation: how many documents cite or echo it (its own report aside, as in
    the evidence export) and the date of the latest."""
    return {
        row[0]: (row[1], row[2])
        for row in db.execute(
            "SELECT recommendation_id, count(DISTINCT document_sha256), max(document_date) "
            "FROM evidence_pages GROUP BY recommendation_id"
        )
    }


def themes(db: sqlite3.Connection) -> dict[str, int]:
    """The themes the index gives its recommendations (the exports' `themes`), by name, each
    with how many recommendations have it."""
    sql = "SELECT theme, count(DISTINCT recommendation_id) FROM chosen_themes GROUP BY 1 ORDER BY 1"
    return {row[0]: row[1] for row in db.execute(sql)}


def held(db: sqlite3.Connection, option: str) -> list[str]:
    """The values a filter `option` (cycle, state_under_review, recommending_state) can match
    in the index's recommendations, in order."""
    table, column = {"recommending_state": ("recommendation_states", "name")}.get(
        option, ("recommendations", option)
    )
    sql = f"SELECT DISTINCT {column} FROM {table} WHERE {column} IS NOT NULL ORDER BY 1"
    return [str(row[0]) for row in db.execute(sql)]


def unclustered_states(db: sqlite3.Connection) -> set[str]:
    """States under review with recommendations not yet in a cluster."""
    return {
        row[0]
        for row in db.execute(
            "SELECT DISTINCT state_under_review FROM recommendations "
            "WHERE cluster_id IS NULL AND state_under_review IS NOT NULL"
        )
    }


def summary(db: sqlite3.Connection) -> dict[str, int]:
    """Counts a newcomer wants to see after a run."""
    one = db.execute
    return {
        "documents": one("SELECT count(*) FROM documents").fetchone()[0],
        "failed": one("SELECT count(*) FROM documents WHERE status != 'indexed'").fetchone()[0],
        "recommendations": one("SELECT count(*) FROM recommendations").fetchone()[0],
        "from_pdfs": one("SELECT count(*) FROM recommendations WHERE origin = 'pdf'").fetchone()[0],
        "states_under_review": one(
            "SELECT count(DISTINCT state_under_review) FROM recommendations"
        ).fetchone()[0],
    }


def last_change(db: sqlite3.Connection) -> str | None:
    """When the index last changed, as it records it: its newest ingest or cluster correction
    ("2026-12-07T16:30:00+00:00"); None when it records neither."""
    row = db.execute(
        "SELECT max(at) FROM (SELECT max(ingested_at) AS at FROM documents "
        "UNION ALL SELECT max(at) FROM cluster_corrections WHERE at != '')"
    ).fetchone()
    return row[0] if row else None


def _paragraph_order(alias: str) -> str:
    """An ORDER BY of the recommendations `alias` names in report and paragraph order (115.9
    before 115.10, which their ids as text put after)."""
    return (
        f"{alias}.document_symbol, "
        f"CAST(substr({alias}.paragraph, 1, instr({alias}.paragraph, '.') - 1) AS INTEGER), "
        f"CAST(substr({alias}.paragraph, instr({alias}.paragraph, '.') + 1) AS INTEGER), {alias}.id"
    )


REPORT_ORDER = "r.state_under_review, r.cycle, " + _paragraph_order("r")
"""Recommendations in report and paragraph order, whatever the order their documents were
ingested in."""
_BATCH = 500  # how many recommendations `recommendations` makes at a time


def by_recommendation(
    db: sqlite3.Connection, ids: list[str], sql: str, make: Callable[[sqlite3.Row], Any]
) -> dict[str, list[Any]]:
    """Rows grouped by their recommendation_id; `sql` has "IN ({})" for the ids, queried 500
    at a time (SQLite's limit on parameters)."""
    grouped: dict[str, list[Any]] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for row in db.execute(sql.format(",".join("?" * len(chunk))), chunk):
            grouped.setdefault(row["recommendation_id"], []).append(make(row))
    return grouped


def matching(db: sqlite3.Connection, where: RecFilter) -> int:
    """How many recommendations the filter matches."""
    sql, params = filter_sql(where)
    return int(db.execute(f"SELECT count(*) FROM recommendations r {sql}", params).fetchone()[0])
