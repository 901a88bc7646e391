"""Words printed with an apostrophe, as full-text search reads them: one word without it too.

Full-text search (unicode61) reads an apostrophe as a space: "Baha’is" is "baha" "is", "Baha’i"
is "baha" "i", and neither is the word "Bahai". So a search for "Baha'i" missed the asks that
print "Baha’is" (A/HRC/28/12 138.125), and one for "Bahai" found nothing (review30). The index
and the query fold them the same way: beside the text as printed, the full-text index reads a
second column, the text with its apostrophes dropped ("Bahais", which stems to "bahai", as
"Bahai" does), and a typed word with an apostrophe is searched as typed OR so folded. A plural
or possessive of the folded word is the word, by the stemmer's reading ("Bahais", "womens").
The folding is SQLite's own (`folded_sql`, built-in functions only: the asks' search index's
triggers, evidence's generated column), so that every program that writes the index (one
without uprdex: DB Browser, the sqlite3 shell) keeps it right, and browse (Datasette) searches
it as it is.
"""

from __future__ import annotations

import re
import sqlite3
import string

from uprdex.pipeline.text import APOSTROPHES

__all__ = [
    "APOSTROPHES",
    "EVIDENCE_SEARCHED",
    "SEARCH_FOLDED",
    "fold_apostrophes",
    "fold_asked",
    "fold_index",
    "fold_table",
    "fold_words",
    "folded_sql",
    "fts_phrase",
    "fts_phrases",
    "has_words",
    "marked_snippet",
    "straight_quotes",
]


# Hyphens printed inside a word ("co-operation", "non‑governmental"): full-text search reads
# "co" "operation", never the word "cooperation" typed (schema 18). The minus sign, U+2010
# HYPHEN, U+2011 NON-BREAKING HYPHEN and the soft hyphen; a dash ("–", "—") parts words.
HYPHENS = "-\u2010\u2011\u00ad"
# What the search index's folded columns drop: apostrophes and hyphens.
SEARCH_FOLDED = APOSTROPHES + HYPHENS


def fold_apostrophes(text: str, marks: str = APOSTROPHES) -> str | None:
    """The text without its apostrophes ("Baha’is" -> "Bahais"), or without any of `marks`;
    None when it holds none (the full-text column is then empty, as `folded_sql` leaves it)."""
    if not any(mark in text for mark in marks):
        return None
    return text.translate(dict.fromkeys(map(ord, marks)))


def fold_words(text: str) -> str | None:
    """The text as the search index's folded columns read it: without its apostrophes and
    hyphens ("Baha’is" -> "Bahais", "co-operation" -> "cooperation"); None without either."""
    return fold_apostrophes(text, SEARCH_FOLDED)


def fts_phrase(text: str) -> str:
    """A typed word or phrase as FTS5 reads it: quoted (never read as syntax), and, when it
    holds an apostrophe or a hyphen, OR folded as the index folds it: "Baha'i" (the index
    reads "baha" "i") or "Bahai" (which finds "Baha’is"); "co-operation" or "cooperation"."""
    folded = fold_words(text)
    if folded is None or not folded.strip(string.punctuation + " "):
        return _fts_quoted(text)
    return f"({_fts_quoted(text)} OR {_fts_quoted(folded)})"


# A phrase of an FTS5 query in double quotes, its own quotes doubled: '"Baha\'i"', '"a ""b"""'.
_FTS_PHRASE = re.compile(r'"((?:[^"]|"")*)"')


def fts_phrases(query: str) -> str:
    """An FTS5 query made only of quoted phrases (Datasette's `escape_fts` makes one of each
    word typed in browse's search box) with each phrase that holds a word (`has_words`) read
    by `fts_phrase`, all required; none (a lone quote typed: `escape_fts` gives '') matches
    nothing, as `search` does."""
    phrases = [found[1].replace('""', '"') for found in _FTS_PHRASE.finditer(query)]
    # MATCH '' is an FTS5 syntax error: browse answered 400 "Invalid SQL"
    return " AND ".join(fts_phrase(phrase) for phrase in phrases if has_words(phrase)) or '""'


# What full-text search (unicode61) reads as a word: letters and digits ("&", "-" are none).
_WORD = re.compile(r"[^\W_]")


def has_words(text: str) -> bool:
    """Whether full-text search reads a word in `text`: "&", "-" and "–" hold none, and as a
    phrase they match no row (a search that held one, "women & children", found nothing)."""
    return _WORD.search(text) is not None


def marked_snippet(snippet: str, folded: str | None, text: str | None) -> str:
    """The snippet to show of `text` (FTS5's `snippet`, the words found between \\x02 and
    \\x03, "…" where cut): `snippet`, of the text as printed, unless the snippet of its folded
    column (`folded`) marks more words, as "Bahai" finds "Baha’is" only there; that one is
    then shown with the text's apostrophes and hyphens put back ("seven \\x02Baha’is\\x03
    are fair", "\\x02co-operation\\x03")."""
    if not folded or not text or folded.count("\x02") <= snippet.count("\x02"):
        return snippet
    core = folded.removeprefix("…").removesuffix("…")
    start = (fold_words(text) or text).find(core.replace("\x02", "").replace("\x03", ""))
    if start < 0:  # not cut from this text (one that prints "…" itself): as printed
        return snippet
    # where each character of the folded text is in `text`
    kept = [at for at, char in enumerate(text) if char not in SEARCH_FOLDED]
    shown = ["…"] if folded.startswith("…") else []
    at = kept[start - 1] + 1 if start else 0
    for char in core:
        if char in "\x02\x03":
            shown.append(char)
            continue
        end = kept[start] + 1  # this character, after the apostrophes dropped before it
        shown.append(text[at:end])
        at, start = end, start + 1
    while at < len(text) and text[at] in SEARCH_FOLDED:  # "States’" ending the snippet
        shown.append(text[at])
        at += 1
    return "".join(shown) + ("…" if folded.endswith("…") else "")


# Typographic double quotes, as a phrase pasted from a Word document or a web page has them
# ("“death penalty”", "„...“"): a search's phrase is typed in ASCII ones.
_QUOTES = str.maketrans(dict.fromkeys("“”„‟", '"'))


def straight_quotes(text: str) -> str:
    """A search's words with typographic double quotes as ASCII ones, which make a phrase."""
    return text.translate(_QUOTES)


def _fts_quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def folded_sql(column: str, marks: str = SEARCH_FOLDED) -> str:
    """`fold_words` of a column (or an expression) in SQL, or `fold_apostrophes` with
    `marks=APOSTROPHES`: NULL without any of `marks`, so that the index reads no text twice."""
    folded = column
    for mark in marks:
        folded = f"replace({folded}, {_literal(mark)}, '')"
    # in a GLOB class "-" is a range unless it comes first
    held = "".join(sorted(marks, key=lambda mark: mark != "-")).replace("'", "''")
    return f"CASE WHEN {column} GLOB '*[{held}]*' THEN {folded} END"


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


# (table, its rowid, column searched, its full-text table): the two full-text indexes kept
# beside a table (`content=`), rebuilt with the folded column (`fold_table`).
EVIDENCE_SEARCHED = ("evidence", "id", "context", "evidence_fts")
_SEARCHED = (
    ("recommendations", "rowid", "text", "recommendations_fts"),
    EVIDENCE_SEARCHED,
)


def fold_index(db: sqlite3.Connection) -> None:
    """Schema 15: each searched text's folded column (`folded_text`, `folded_context`) and
    its full-text index rebuilt to read it; the parts a State asked for
    (`recommendation_asked_fts`) with theirs. (Schema 17 dropped the asks' column:
    `search_index.drop_folded_text`.)"""
    for searched in _SEARCHED:
        fold_table(db, *searched)
    fold_asked(db)


def fold_table(db: sqlite3.Connection, table: str, rowid: str, column: str, fts: str) -> None:
    """`table`'s folded column of `column` made again as `folded_sql` reads it, and its
    full-text table `fts` rebuilt to read both (schema 15; 18 for evidence)."""
    folded = f"folded_{column}"
    for trigger in ("ai", "ad", "au"):  # a trigger that reads the column forbids dropping it
        db.execute(f"DROP TRIGGER IF EXISTS {table}_{trigger}")
    # made again over an index that holds it (its version set back, or an older folding): a
    # generated column's expression cannot be altered, and table_info leaves it out
    if folded in [row[1] for row in db.execute(f"PRAGMA table_xinfo({table})")]:
        db.execute(f"ALTER TABLE {table} DROP COLUMN {folded}")
    db.execute(
        f"ALTER TABLE {table} ADD COLUMN {folded} TEXT "
        f"GENERATED ALWAYS AS ({folded_sql(column)}) VIRTUAL"
    )
    db.execute(f"DROP TABLE {fts}")
    db.execute(
        f"CREATE VIRTUAL TABLE {fts} USING fts5({column}, {folded}, content='{table}', "
        f"content_rowid='{rowid}', tokenize='porter unicode61')"
    )
    insert = (
        f"INSERT INTO {fts}(rowid, {column}, {folded}) "
        f"VALUES (new.{rowid}, new.{column}, new.{folded});"
    )
    delete = (
        f"INSERT INTO {fts}({fts}, rowid, {column}, {folded}) "
        f"VALUES ('delete', old.{rowid}, old.{column}, old.{folded});"
    )
    db.execute(f"CREATE TRIGGER {table}_ai AFTER INSERT ON {table} BEGIN {insert} END")
    db.execute(f"CREATE TRIGGER {table}_ad AFTER DELETE ON {table} BEGIN {delete} END")
    db.execute(
        f"CREATE TRIGGER {table}_au AFTER UPDATE OF {column} ON {table} BEGIN {delete} {insert} END"
    )
    db.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")


def fold_asked(db: sqlite3.Connection) -> None:
    """The parts a State asked for (`recommendation_asked_fts`) indexed again, each text with
    its folded one (`fold_words`; schema 15 and 18)."""
    asked = db.execute(
        "SELECT text, recommendation_id, name FROM recommendation_asked_fts"
    ).fetchall()
    db.execute("DROP TABLE recommendation_asked_fts")
    db.execute(
        "CREATE VIRTUAL TABLE recommendation_asked_fts USING fts5(text, folded_text, "
        "recommendation_id UNINDEXED, name UNINDEXED, tokenize='porter unicode61')"
    )
    db.executemany(
        "INSERT INTO recommendation_asked_fts VALUES (?, ?, ?, ?)",
        [(text, fold_words(text), rec_id, name) for text, rec_id, name in asked],
    )
