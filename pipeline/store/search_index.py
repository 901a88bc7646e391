"""The full-text index of the asks: their text and the footnotes printed on them (schema 16)."""

from __future__ import annotations

import sqlite3

from uprdex.pipeline.store.folding import (
    EVIDENCE_SEARCHED,
    fold_asked,
    fold_table,
    folded_sql,
    marked_snippet,
)

__all__ = ["SEARCH_FOOTNOTES", "drop_folded_text", "fold_hyphens", "shown_snippet", "snippets"]

# The text of an ask's footnotes, one after the other, for full-text search (`row` is `new` or a
# table's name).
_NOTES = "(SELECT group_concat(json_extract(value, '$.text'), ' ') FROM json_each({row}.footnotes))"
# The columns of recommendations_fts, and their values for a row (`folding`: each text also
# without its apostrophes, folded here as the notes are: schema 17 dropped the table's column).
_COLUMNS = "text, folded_text, notes, folded_notes"


def _values(row: str) -> str:
    notes = _NOTES.format(row=row)
    return f"{row}.text, {folded_sql(f'{row}.text')}, {notes}, {folded_sql(notes)}"


_FTS_ROW = (
    f"INSERT INTO recommendations_fts(rowid, {_COLUMNS}) VALUES (new.rowid, {_values('new')});"
)
_DROP_TRIGGERS = tuple(
    f"DROP TRIGGER IF EXISTS recommendations_{trigger};" for trigger in ("ai", "ad", "au")
)
# What keeps recommendations_fts right whatever program writes `recommendations`.
_TRIGGERS = (
    f"""CREATE TRIGGER recommendations_ai AFTER INSERT ON recommendations BEGIN
        {_FTS_ROW}
    END;""",
    """CREATE TRIGGER recommendations_ad AFTER DELETE ON recommendations BEGIN
        DELETE FROM recommendations_fts WHERE rowid = old.rowid;
    END;""",
    f"""CREATE TRIGGER recommendations_au AFTER UPDATE OF text, footnotes ON recommendations BEGIN
        DELETE FROM recommendations_fts WHERE rowid = old.rowid;
        {_FTS_ROW}
    END;""",
)

# Schema 16: the footnotes a WG report prints on an ask are searched with its text (the ask as
# read in the interactive dialogue can say more than the printed ask: A/HRC/14/12 90.50 also
# asked to "end the policies of discrimination against religious minorities"). The index keeps
# its own copy of both (no external content: `recommendations` has no column of the notes'
# text, and a generated column cannot read a JSON list), filled from every row in the
# migration's one transaction.
_REINDEX = (
    *_DROP_TRIGGERS,
    "DROP TABLE recommendations_fts;",
    f"CREATE VIRTUAL TABLE recommendations_fts USING fts5({_COLUMNS}, "
    "tokenize='porter unicode61');",
    *_TRIGGERS,
    f"INSERT INTO recommendations_fts(rowid, {_COLUMNS}) "
    f"SELECT rowid, {_values('recommendations')} FROM recommendations;",
)
SEARCH_FOOTNOTES = "\n".join(_REINDEX)


def drop_folded_text(db: sqlite3.Connection) -> None:
    """Schema 17: schema 15's generated column `recommendations.folded_text` dropped. Since
    schema 16 recommendations_fts keeps its own copy of the folded text (as the parts a State
    asked, `recommendation_asked_fts`, keep theirs), and only its triggers read the column: they
    fold the text themselves now (the same expression, `folded_sql`), so what the index holds
    and finds is unchanged, and `SELECT *` and browse's `recommendations` table no longer show
    a column no one documented. `evidence.folded_context` stays: evidence_fts reads it."""
    for statement in _DROP_TRIGGERS:  # a trigger that reads the column forbids dropping it
        db.execute(statement)
    # run again over an index without it (its version set back to 16): no DROP COLUMN IF EXISTS
    if "folded_text" in [row[1] for row in db.execute("PRAGMA table_xinfo(recommendations)")]:
        db.execute("ALTER TABLE recommendations DROP COLUMN folded_text")
    for statement in _TRIGGERS:
        db.execute(statement)


def fold_hyphens(db: sqlite3.Connection) -> None:
    """Schema 18: the folded columns also drop the hyphens printed in a word
    (`folding.HYPHENS`), so that "cooperation" typed finds "co-operation" (full-text search
    reads "co" "operation") and "nongovernmental" "non-governmental": the asks' index, its
    triggers, evidence's generated column and its index, and the asked parts' index made
    again from the text they hold (what they show is unchanged)."""
    for statement in _REINDEX:
        db.execute(statement)
    fold_table(db, *EVIDENCE_SEARCHED)
    fold_asked(db)


def snippets(table: str) -> str:
    """SQL: the snippets of a full-text table's columns, each text's then its folded one's, as
    `shown_snippet` reads them: text_snippet, text_folded and, of recommendations_fts, the
    notes' (notes_snippet, notes_folded); the words found between \\x02 and \\x03."""
    names = ("text", "notes") if table == "recommendations_fts" else ("text",)
    return ", ".join(
        f"snippet({table}, {2 * at + folded}, char(2), char(3), '…', 12) AS "
        f"{name}_{'folded' if folded else 'snippet'}"
        for at, name in enumerate(names)
        for folded in (0, 1)
    )


def shown_snippet(place: sqlite3.Row, column: str) -> str:
    """The snippet a search shows of a place's `column` ("text" or "notes", with its
    `snippets`): the words found marked in the text as printed, also those its folded column
    found ("Bahai" in "Baha’is": `folding.marked_snippet`)."""
    return marked_snippet(place[f"{column}_snippet"], place[f"{column}_folded"], place[column])
