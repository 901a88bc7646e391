"""Words typed in capitals are found where the text prints them in capitals: `search WHO`.

Full-text search (unicode61) reads every word in any case: `search WHO` (the World Health
Organization) found every ask with the pronoun "who", `search AIDS` (stemmed "aid") every ask
about aid, `search CAT` any "cat". A word typed in capitals — two letters or more, all capitals,
a plural's lower-case "s" aside (WHO, ILO, CAT, AIDS, NHRI, NGOs) — is found only where a text
prints it so, as a whole word, alone or plural ("NGO" finds "NGOs", not "ngo"); a word of a
treaty's or body's other names (`search_terms`) written in capitals is read the same way, and
the names written in words are found in any case (`search CAT` finds "Convention against
Torture", "Convention against Torture" finds "CAT" but not "cat"). Any other word stays
case-blind. The rule is SQL beside the full-text MATCH, over the matching rows only (GLOB is
case-sensitive): the table is never scanned, and browse, which searches with SQL Datasette
writes, adds the same clause.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from uprdex.pipeline.store.search_terms import SearchTerm

__all__ = ["capitals", "cased_sql"]

# What full-text search reads as one word (unicode61: letters and digits).
_TOKEN = re.compile(r"[^\W_]+")
# A word in capitals (its plural's "s" cut off first): two capitals or more, digits aside ("CO2"
# is one, "G20" is not).
_CAPITALS = re.compile(r"(?=(?:\d*[^\W\d_]){2})[^\W_]+")
# The columns of each full-text table that hold the text a search reads.
_TEXTS = {
    "recommendations_fts": ("text", "notes"),
    "evidence_fts": ("context",),
    "recommendation_asked_fts": ("text",),
}
# Not a letter or digit of a word (GLOB is case-sensitive, and reads no classes like \w).
_EDGE = "[^0-9A-Za-z]"


def capitals(words: str) -> tuple[str, ...]:
    """The words of `words` typed in capitals, each without a plural's "s": "WHO", "NGOs" ->
    "NGO", the "AIDS" of "HIV/AIDS"; not "Who", "G20" or "A"."""
    found: list[str] = []
    for token in _TOKEN.findall(words):
        bare = token[:-1] if token.endswith("s") else token
        if bare.isupper() and _CAPITALS.fullmatch(bare):
            found.append(bare)
    return tuple(found)


@lru_cache(maxsize=256)  # `search` reads the terms once per full-text table
def cased_sql(terms: tuple[SearchTerm, ...], table: str, alias: str | None = None) -> str:
    """SQL to put after `<table> MATCH <the terms' query>` (' AND (...)'): a row is kept only
    when each word of the search typed in capitals is printed in capitals in its text, or
    another name of what it names is held; '' when no word is in capitals, so that other
    searches read as before. `terms`: the search's words as the caller parsed them
    (`search_terms`, widened or not). `alias`: the table's name in the query."""
    table_name = alias or table
    printed = " || ' ' || ".join(f"coalesce({table_name}.{column}, '')" for column in _TEXTS[table])
    clauses: list[str] = []
    for term in terms:
        if not any(capitals(name) for name, _ in term.names):
            continue
        if len(term.names) == 1:  # the MATCH holds the words: only their case is left to read
            clauses.append(_printed(capitals(term.typed), printed))
            continue
        ways: list[str] = []
        for name, query in term.names:
            # The unary + keeps SQLite from reading two of these ORed as a lookup of the rows
            # by rowid, which leaves the outer MATCH nothing to run on ("unable to use
            # function MATCH in the requested context": "Rome Statute", or "ICC Statute").
            held = (
                f"+{table_name}.rowid IN (SELECT rowid FROM {table} WHERE {table} MATCH "
                f"{_literal(query)})"
            )
            cased = capitals(name)
            if not cased:
                ways.append(held)
            elif len(_TOKEN.findall(name)) == 1:  # a word printed in capitals is held
                ways.append(_printed(cased, printed))
            else:
                ways.append(f"({held} AND {_printed(cased, printed)})")
        clauses.append("(" + " OR ".join(ways) + ")")
    return "".join(f" AND {clause}" for clause in clauses)


def _printed(words: tuple[str, ...], printed: str) -> str:
    """SQL: each of `words` is in the text (`printed`) in capitals, as a whole word or plural."""
    spaced = f"(' ' || {printed} || ' ')"
    # instr first: a failed GLOB that starts with '*' and a class tries every place of the
    # text, and most rows of "WHO" print only "who" (CAT: 38 ms over 917 rows, 11 ms so)
    return " AND ".join(
        f"(instr({spaced}, '{word[:-1]}') AND ("
        + " OR ".join(f"{spaced} GLOB '*{_EDGE}{form}{_EDGE}*'" for form in _forms(word))
        + "))"
        for word in words
    )


def _forms(word: str) -> tuple[str, ...]:
    """How a text prints a word in capitals: as typed, plural, and a final S in lower case
    ("HIV/AIDs", A/HRC/17/5 106.49)."""
    return (word, f"{word}s", *((f"{word[:-1]}s",) if word.endswith("S") else ()))


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
