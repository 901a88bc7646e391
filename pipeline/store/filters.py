"""Which recommendations a query reads: the filters of `recs`, `export` and `search`.

A `RecFilter` becomes one WHERE clause over `recommendations r` (`filter_sql`), whatever reads
through it (`queries`, `clustering`); the words of a search are quoted (`fts_query`) so that
they are never read as FTS syntax, and a State is named as the index names it (`state_name`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from uprdex.pipeline.states import load_states
from uprdex.pipeline.store.folding import APOSTROPHES, fold_apostrophes, folded_sql
from uprdex.pipeline.store.search_case import cased_sql
from uprdex.pipeline.store.search_terms import SearchTerm, search_terms

__all__ = ["RecFilter", "filter_sql", "fts_query", "state_name", "terms_query"]


@dataclass(frozen=True, slots=True)
class RecFilter:
    """Filters shared by `recs`, `export` and `search`."""

    state_under_review: str | None = None
    recommending_state: str | None = None
    cycle: int | None = None
    response: str | None = None
    search: str | None = None
    recurring: bool = False
    """Only the asks made in two reviews of the same State: that repeat an ask of an earlier
    review, or that a later review asks again."""
    theme: str | None = None
    """Only the asks with this theme among the `themes` the exports give them ("Death
    penalty"), in any case, spaces at its ends left out ("Migrants " copied from a report)."""
    widen: bool = True
    """Words of a search that name a treaty or body find it by its other names too
    (`search_terms`); False: the words as typed only."""


def filter_sql(where: RecFilter, words: str | None = None) -> tuple[str, list[Any]]:
    """The WHERE clause (over `recommendations r`) and its parameters of a filter; `words`, a
    ranked search's query, which a recommending State's compound items must hold in the
    parts that State asked for, as the filter's own `search` (one rule for `recs --search`
    and `search`)."""
    clauses: list[str] = []
    params: list[Any] = []
    if where.state_under_review:
        clauses.append("r.state_under_review = ?")
        params.append(state_name(where.state_under_review))
    if where.recommending_state:
        # The unary + keeps SQLite off the id index here: with the parts clause below it
        # probed every (id, rowid) pair of the State's asks and the words' hits (France and
        # "rights": 2.6 s, not 0.04 s; review13).
        clauses.append(
            "+r.id IN (SELECT recommendation_id FROM recommendation_states WHERE name = ?)"
        )
        params.append(state_name(where.recommending_state))
    if where.cycle is not None:
        clauses.append("r.cycle = ?")
        params.append(where.cycle)
    if where.response:
        clauses.append("r.response = ?")
        params.append(where.response)
    searched = tuple(search_terms(where.search, where.widen)) if where.search else ()
    if where.search:
        clauses.append(
            "r.rowid IN (SELECT rowid FROM recommendations_fts WHERE recommendations_fts MATCH ?"
            f"{cased_sql(searched, 'recommendations_fts')})"
        )
        params.append(terms_query(searched))
    for asked in filter(None, (where.search, words) if where.recommending_state else ()):
        # A compound item (Japan 2008's 60.1) is kept only when the words are in the parts the
        # State asked for: Canada asked Japan for the Hague Convention, not OP-CAT.
        terms = searched if asked == where.search else tuple(search_terms(asked, where.widen))
        clauses.append(
            "(r.id NOT IN (SELECT recommendation_id FROM recommendation_parts) OR r.id IN "
            "(SELECT recommendation_id FROM recommendation_asked_fts "
            "WHERE recommendation_asked_fts MATCH ? AND name = ?"
            f"{cased_sql(terms, 'recommendation_asked_fts')}))"
        )
        params.extend([terms_query(terms), state_name(where.recommending_state or "")])
    if where.theme:  # the exports' themes (views.chosen_themes), apostrophes as search folds them
        clauses.append(
            "r.id IN (SELECT recommendation_id FROM chosen_themes "
            f"WHERE coalesce({folded_sql('theme', APOSTROPHES)}, theme) = ? COLLATE NOCASE)"
        )
        theme = where.theme.strip()
        params.append(fold_apostrophes(theme) or theme)
    if where.recurring:  # either end: a researcher asks which of a State's asks recur
        clauses.append(
            "r.id IN (SELECT later_id FROM recurrences UNION SELECT earlier_id FROM recurrences)"
        )
    return ("WHERE " + " AND ".join(clauses)) if clauses else "", params


def state_name(text: str) -> str:
    """A filter's State as the index names it: its UN short name ("slovenia", "UK" -> "United
    Kingdom of Great Britain and Northern Ireland", "SLV" -> "El Salvador"), else the text as
    given (`StateTable.given`, the one reading of every State option)."""
    state = load_states().given(text)
    return state.name if state else text


def fts_query(text: str, widen: bool = True) -> str:
    """Quote each word so user text is never read as FTS syntax: all words must appear, quoted
    ones as a phrase; words that name a treaty, institution or body may appear as another of
    its names instead, when `widen` (`search_terms`: "Convention against Torture" or CAT)."""
    return terms_query(search_terms(text, widen))


def terms_query(terms: Iterable[SearchTerm]) -> str:
    """The FTS5 query of a search's parsed terms (`search_terms`): all must appear
    (`fts_query`)."""
    return " AND ".join(term.fts for term in terms) or '""'  # "a" AND ("b" OR "c")
