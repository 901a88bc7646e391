"""Search finds the right recommendations after the file is compacted or its table rebuilt.

recommendations_fts (external content) points at recommendations' rowid. An implicit rowid
is not stable: SQLite may renumber it on VACUUM ("Compact database" in DB Browser), and a tool
that rebuilds the table (DB Browser changing a column, a dump and reload) gives new ones. The
schema declares it (an INTEGER PRIMARY KEY, schema 3), and the migration repairs an index an
earlier renumbering broke.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from uprdex.flows.ingest import ingest_paths
from uprdex.pipeline.settings import LoaderSettings
from uprdex.pipeline.store import SCHEMA_VERSION, RecFilter, Store
from uprdex.pipeline.views import drop_views

from helpers import fixture

WORDS = ("ombudsman", "ratify", "violence")


def _index(path: Path) -> None:
    """Andorra's and Slovenia's reports indexed, then Andorra's removed: rowids with a gap."""
    with Store(path) as store:
        reports = [fixture("andorra2011_recs.pdf"), fixture("slovenia2014_recs.pdf")]
        ingest_paths(reports, store, LoaderSettings(workers=1))
        andorra = store.db.execute(
            "SELECT sha256 FROM documents WHERE symbol = 'A/HRC/16/8'"
        ).fetchone()[0]
        store.db.execute("DELETE FROM documents WHERE sha256 = ?", (andorra,))


def _renamed(schema: str, name: str) -> str:
    """A CREATE TABLE statement of recommendations for a table of another name."""
    return re.sub(r'^CREATE TABLE "?recommendations"?', f"CREATE TABLE {name}", schema)


def _rebuild_table(path: Path) -> None:
    """What DB Browser does to change a column: a new table, the declared columns copied, the
    old one dropped, the new one renamed (foreign keys off). An implicit rowid is renumbered."""
    db = sqlite3.connect(path, isolation_level=None)
    columns = [row[1] for row in db.execute("PRAGMA table_info(recommendations)")]
    schema = db.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'recommendations'"
    ).fetchone()[0]
    listed = ", ".join(f'"{name}"' for name in columns)
    # The index's views read recommendations: SQLite's generalized ALTER TABLE procedure
    # renames the new table with legacy_alter_table on, else the views that read the dropped
    # one fail the rename ("error in view ...: no such table").
    db.execute("PRAGMA legacy_alter_table = ON")
    db.execute("BEGIN")
    db.execute(_renamed(schema, "sqlb_temp"))
    db.execute(f"INSERT INTO sqlb_temp ({listed}) SELECT {listed} FROM recommendations")
    db.execute("DROP TABLE recommendations")
    db.execute("ALTER TABLE sqlb_temp RENAME TO recommendations")
    db.execute("COMMIT")
    db.execute("VACUUM")
    db.close()


def _assert_search_is_right(path: Path) -> None:
    with Store(path) as store:
        texts = {rec.id: rec.text.lower() for rec in store.recommendations()}
        assert texts
        for word in WORDS:
            expected = {rec_id for rec_id, text in texts.items() if word in text}
            assert expected, word
            found = {rec.id for rec in store.recommendations(RecFilter(search=word))}
            assert found == expected, word
            hits = [h for h in store.search(word, None, 50).hits if h.found_in == "recommendation"]
            assert {hit.recommendation.id for hit in hits} == expected, word
            # The snippet is read through the rowid: it must be the hit's own text.
            assert all(word in hit.snippet.lower() for hit in hits), word


@pytest.mark.parametrize("change", ["vacuum", "rebuilt table"])
def test_search_is_right_after_vacuum(tmp_path: Path, change: str) -> None:
    index = tmp_path / "index.sqlite"
    _index(index)
    if change == "vacuum":
        db = sqlite3.connect(index)
        db.execute("VACUUM")
        db.close()
    else:
        _rebuild_table(index)
    _assert_search_is_right(index)


def test_the_migration_repairs_an_index_whose_rowids_were_renumbered(tmp_path: Path) -> None:
    # An index of schema 2 (implicit rowid) whose table a tool rebuilt: its full-text index
    # points at rowids that now hold other recommendations.
    index = tmp_path / "index.sqlite"
    _index(index)
    db = sqlite3.connect(index, isolation_level=None)
    counts = {
        table: db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        for table in ("recommendations", "recommendation_states", "recommendation_themes")
    }
    schema = db.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'recommendations'"
    ).fetchone()[0]
    v2 = (
        schema.replace("id TEXT NOT NULL UNIQUE", "id TEXT PRIMARY KEY")
        .replace(",\n        rowid INTEGER PRIMARY KEY", "")
        .replace(", section_detail TEXT", "")  # schema 7's column
    )
    assert "rowid" not in v2 and "section_detail" not in v2
    columns = [
        row[1]
        for row in db.execute("PRAGMA table_info(recommendations)")
        if row[1] not in ("rowid", "section_detail")
    ]
    listed = ", ".join(columns)
    drop_views(db)  # schema 2 had none
    db.executescript(
        f"""
        BEGIN;
        {_renamed(v2, "old_shape")};
        INSERT INTO old_shape SELECT {listed} FROM recommendations ORDER BY rowid DESC;
        DROP TABLE recommendations;
        ALTER TABLE old_shape RENAME TO recommendations;
        UPDATE meta SET value = '2' WHERE key = 'schema_version';
        COMMIT;
        """
    )
    db.close()
    with Store(index) as store:
        assert store.db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[
            0
        ] == str(SCHEMA_VERSION)
        columns_now = [row[1] for row in store.db.execute("PRAGMA table_info(recommendations)")]
        assert "rowid" in columns_now  # declared: PRAGMA lists no implicit rowid
        for table, count in counts.items():  # dropping the old table cascaded to none
            assert store.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == count
        assert store.db.execute("PRAGMA foreign_key_check").fetchall() == []
    _assert_search_is_right(index)
