"""Browse's search box read as `search` reads the words: apostrophes folded (`folding`), words
typed in capitals found printed in capitals (`search_case`), and the parts rule of `recs
--recommending-state X --search WORDS` (a compound item kept for a State only when the words
are in the parts it asked for). Datasette hooks, registered by `browse`."""

from __future__ import annotations

import sqlite3
from typing import Any

from uprdex.pipeline.store.folding import fts_phrases, straight_quotes
from uprdex.pipeline.store.search_case import cased_sql
from uprdex.pipeline.store.search_terms import SearchTerm, search_terms

__all__ = ["PARTS_TABLES", "SEARCHED", "TABLE_NAMES", "asked_filter", "register_escape_fts"]

PARTS_TABLES = frozenset({"recommendation_parts", "recommendation_asked_fts"})
TABLE_NAMES = "SELECT name FROM sqlite_master WHERE type = 'table'"
SEARCHED: dict[str, dict[str, str]] = {
    "recommendation_details": {"fts_table": "recommendations_fts", "fts_pk": "text_rowid"},
    "recommendation_by_state": {"fts_table": "recommendations_fts", "fts_pk": "text_rowid"},
    "evidence_pages": {"fts_table": "evidence_fts", "fts_pk": "id"},
    "evidence": {"fts_table": "evidence_fts", "fts_pk": "id"},
}
"""The full-text table and key of each page browse searches (a view's as its metadata gives
them; the evidence table's, which Datasette finds itself)."""


def register_escape_fts(conn: sqlite3.Connection) -> None:
    """Browse's search box folds apostrophes as `search` does (`folding`): Datasette's
    `escape_fts`, each word or phrase with an apostrophe also searched without it, so that
    "Baha'i" finds the asks that print "Baha’is"; a phrase in typographic quotes is one."""
    from datasette.utils import escape_fts

    conn.create_function(
        "escape_fts", 1, lambda query: fts_phrases(escape_fts(straight_quotes(query)))
    )


def asked_filter(request: Any, database: str, table: str, datasette: Any) -> Any:
    """The parts rule of `recs --recommending-state X --search WORDS` on a searched page: a
    compound item (Japan 2008's 60.1) is listed for a State only when the words are in the
    parts that State asked for, or in its footnotes that give that State's ask (the words
    `recommendation_asked_fts` holds per State). On one row per State, each row's own State; on
    Recommendations, each State chosen in its recommending States facet. An index without the
    parts (an earlier uprdex's, served as it is: `browse.parts_stored`) is searched as before
    the rule, every State keeping the items it made. And on every searched page, words typed
    in capitals only where printed so (`_cased_clauses`)."""
    words = request.args.get("_search")
    if not words:
        return None
    cased = _cased_clauses(request, table, words)
    if table not in ("recommendation_by_state", "recommendation_details"):
        return _asked_arguments(request, table, words, cased, parts=False)

    async def filters() -> Any:
        tables = await datasette.get_database(database).execute(TABLE_NAMES)
        parts = {row["name"] for row in tables.rows} >= PARTS_TABLES
        return _asked_arguments(request, table, words, cased, parts)

    return filters


def _cased_clauses(request: Any, table: str, words: str) -> list[str]:
    """A searched page keeps a row only where each word typed in capitals ("WHO") is printed
    in capitals, as `search` reads them (`search_case`; browse does not widen); none in raw
    mode, FTS5's own syntax ("WHO OR ILO")."""
    page = SEARCHED.get(table)
    if request.args.get("_searchmode") == "raw" or page is None:
        return []
    fts = page["fts_table"]
    cased = cased_sql(_typed_terms(words), fts)
    match = f"SELECT rowid FROM {fts} WHERE {fts} MATCH escape_fts(:uprdex_words){cased}"
    return [f"{page['fts_pk']} IN ({match})"] if cased else []


def _asked_arguments(
    request: Any, table: str, words: str, cased: list[str], parts: bool = True
) -> Any:
    """`asked_filter`'s clauses over the parts tables (when the index holds them: `parts`),
    for a searched page of `table`, after the `cased` ones."""
    from datasette.filters import FilterArguments

    raw = request.args.get("_searchmode") == "raw"
    asked = (
        "SELECT recommendation_id{name} FROM recommendation_asked_fts WHERE "
        f"recommendation_asked_fts MATCH {':uprdex_words' if raw else 'escape_fts(:uprdex_words)'}"
        + ("" if raw else cased_sql(_typed_terms(words), "recommendation_asked_fts"))
    )
    single = "{key} NOT IN (SELECT recommendation_id FROM recommendation_parts)"
    params: dict[str, str] = {"uprdex_words": words}
    clauses, said = list(cased), ["the words typed in capitals are printed so"] * len(cased)
    if parts and table == "recommendation_by_state":
        pair = f"(recommendation_id, recommending_state) IN ({asked.format(name=', name')})"
        clauses.append(f"({single.format(key='recommendation_id')} OR {pair})")
        said.append(
            "the words are in the parts the row's State asked for (compound recommendations)"
        )
    states = request.args.getlist("recommending_states__arraycontains")
    for number, state in enumerate(states if parts and table == "recommendation_details" else []):
        params[f"uprdex_state_{number}"] = state
        clauses.append(
            f"({single.format(key='id')} OR id IN "
            f"({asked.format(name='')} AND name = :uprdex_state_{number}))"
        )
        said.append(f"the words are in the parts {state} asked for (compound recommendations)")
    return FilterArguments(clauses, params, said) if clauses else None


def _typed_terms(words: str) -> tuple[SearchTerm, ...]:
    """The terms of browse's search box, as typed: browse does not widen (`search_terms`)."""
    return tuple(search_terms(straight_quotes(words), widen=False))
