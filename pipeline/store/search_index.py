"""The full-text index of the asks: their text and the footnotes printed on them (schema 16)."""

from __future__ import annotations

from uprdex.pipeline.store.folding import folded_sql

__all__ = ["SEARCH_FOOTNOTES"]

# The text of an ask's footnotes, one after the other, for full-text search (`row` is `new` or a
# table's name).
_NOTES = "(SELECT group_concat(json_extract(value, '$.text'), ' ') FROM json_each({row}.footnotes))"
# The columns of recommendations_fts, and their values for a row (`folding`: each text also
# without its apostrophes).
_COLUMNS = "text, folded_text, notes, folded_notes"


def _values(row: str) -> str:
    notes = _NOTES.format(row=row)
    return f"{row}.text, {row}.folded_text, {notes}, {folded_sql(notes)}"


_FTS_ROW = (
    f"INSERT INTO recommendations_fts(rowid, {_COLUMNS}) VALUES (new.rowid, {_values('new')});"
)

# Schema 16: the footnotes a WG report prints on an ask are searched with its text (the ask as
# read in the interactive dialogue can say more than the printed ask: A/HRC/14/12 90.50 also
# asked to "end the policies of discrimination against religious minorities"). The index keeps
# its own copy of both (no external content: `recommendations` has no column of the notes'
# text, and a generated column cannot read a JSON list), filled from every row in the
# migration's one transaction.
SEARCH_FOOTNOTES = f"""
    DROP TRIGGER IF EXISTS recommendations_ai;
    DROP TRIGGER IF EXISTS recommendations_ad;
    DROP TRIGGER IF EXISTS recommendations_au;
    DROP TABLE recommendations_fts;
    CREATE VIRTUAL TABLE recommendations_fts USING fts5({_COLUMNS}, tokenize='porter unicode61');
    CREATE TRIGGER recommendations_ai AFTER INSERT ON recommendations BEGIN
        {_FTS_ROW}
    END;
    CREATE TRIGGER recommendations_ad AFTER DELETE ON recommendations BEGIN
        DELETE FROM recommendations_fts WHERE rowid = old.rowid;
    END;
    CREATE TRIGGER recommendations_au AFTER UPDATE OF text, footnotes ON recommendations BEGIN
        DELETE FROM recommendations_fts WHERE rowid = old.rowid;
        {_FTS_ROW}
    END;
    INSERT INTO recommendations_fts(rowid, {_COLUMNS})
        SELECT rowid, {_values("recommendations")} FROM recommendations;
"""
