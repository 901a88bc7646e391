"""The index's tables: the schema, its migrations and the rows every writer shares.

Tables and views are named for people (`documents`, `recommendations`,
`recommendation_states`) so that any SQLite tool opens them. The views for people live in
pipeline/views.py and are made again after every migration.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, closing
from pathlib import Path
from typing import Any

from uprdex.pipeline.errors import BadIndexError, ReadOnlyIndexError
from uprdex.pipeline.model import IMPORT_READER
from uprdex.pipeline.names import BY_NAME, text_path
from uprdex.pipeline.states import load_states
from uprdex.pipeline.store.folding import fold_index
from uprdex.pipeline.store.reviews import settle_reviews
from uprdex.pipeline.store.search_index import SEARCH_FOOTNOTES, drop_folded_text, fold_hyphens
from uprdex.pipeline.store.stale import one_stale_value
from uprdex.pipeline.views import (
    add_lists,
    create_views,
    drop_views,
    refresh_views,
    states_current,
    sync_states,
    view_names,
    views_current,
    views_ours,
)

__all__ = [
    "INSERT_RECOMMENDATION",
    "SCHEMA_VERSION",
    "STATE_COMMENT",
    "check_ours",
    "migrate",
    "schema_version",
    "state_rows",
    "view_columns",
]

SCHEMA_VERSION = 18
STATE_COMMENT = "state_comment"
"""Evidence kind of the State's own comment on a recommendation (addendum or WG report)."""


def _add_reader(db: sqlite3.Connection) -> None:
    """Schema 6: what read each document (`DocumentRow.reader`), so that a release that reads
    documents better reads again, at their next ingest, the ones an earlier release read (NULL);
    imported databases are marked as such (`IMPORT_READER`). SQLite has no ADD COLUMN IF NOT
    EXISTS."""
    if "reader" not in [row[1] for row in db.execute("PRAGMA table_info(documents)")]:
        db.execute("ALTER TABLE documents ADD COLUMN reader TEXT")
    db.execute(
        "UPDATE documents SET reader = ? WHERE reader IS NULL AND sha256 IN "
        "(SELECT document_sha256 FROM imports)",
        (IMPORT_READER,),
    )


def _add_section_detail(db: sqlite3.Connection) -> None:
    """Schema 7: what a WG report's section says beyond its position (`section_detail`,
    "accepted; considered already implemented or in process"), beside `section_response`, so
    that `refresh_responses` keeps it as `response_detail` when the section is the source. An
    earlier release's rows have none until their report is read again (its next ingest, as
    `reader` says). SQLite has no ADD COLUMN IF NOT EXISTS."""
    if "section_detail" not in [row[1] for row in db.execute("PRAGMA table_info(recommendations)")]:
        db.execute("ALTER TABLE recommendations ADD COLUMN section_detail TEXT")


def _add_footnotes(db: sqlite3.Connection) -> None:
    """Schema 14: the footnotes a WG report prints on each ask (`footnotes`, a JSON list of
    {"marker", "page", "text"}): "The recommendation as read during the interactive dialogue:
    ..." (`model.AskFootnote`). An earlier release's rows have none until their report is read
    again (its next ingest, as `reader` says). SQLite has no ADD COLUMN IF NOT EXISTS."""
    columns = [row[1] for row in db.execute("PRAGMA table_info(recommendations)")]
    if "footnotes" not in columns:
        db.execute("ALTER TABLE recommendations ADD COLUMN footnotes TEXT NOT NULL DEFAULT '[]'")


def _add_context_page(db: sqlite3.Connection) -> None:
    """Schema 9: the page where each evidence row's context begins (`context_page`): a note's
    context is the body sentence or heading that bears its marker, often pages before the
    note. A paraphrase or a State's comment is its own context, on its page; an earlier
    release's citations have none until their document is read again (its next ingest, as
    `reader` says). SQLite has no ADD COLUMN IF NOT EXISTS."""
    if "context_page" not in [row[1] for row in db.execute("PRAGMA table_info(evidence)")]:
        db.execute("ALTER TABLE evidence ADD COLUMN context_page INTEGER")
    db.execute(
        "UPDATE evidence SET context_page = page WHERE context_page IS NULL "
        "AND kind IN ('paraphrase', ?)",
        (STATE_COMMENT,),
    )


def _errors_name_no_file(db: sqlite3.Connection) -> None:
    """Schema 11: `documents.error` says what is wrong and names no file (the file is `path`),
    as a reading's error does; an earlier release stored it in a line naming the file by its
    name ("report.pdf: an HTML page ..."). That name is taken off only where the line opens
    with it, exactly as `BY_NAME.line` writes it from the row's own path: an error naming
    another file or none, colon or not, is kept whole."""
    failed = db.execute("SELECT sha256, path, error FROM documents WHERE error IS NOT NULL")
    db.executemany(
        "UPDATE documents SET error = ? WHERE sha256 = ?",
        [
            (error[len(named) :], sha256)
            for sha256, path, error in failed.fetchall()
            if error.startswith(named := BY_NAME.line(text_path(path), ""))
        ],
    )


# Each entry migrates the schema from version i to i + 1: a script, or a function where SQL
# alone cannot say it.
_MIGRATIONS: tuple[str | Callable[[sqlite3.Connection], None], ...] = (
    """
    CREATE TABLE documents (
        sha256 TEXT PRIMARY KEY,
        path TEXT NOT NULL,
        type TEXT NOT NULL,
        symbol TEXT,
        state_under_review TEXT,
        session INTEGER,
        cycle INTEGER,
        year INTEGER,
        pages INTEGER NOT NULL DEFAULT 0,
        status TEXT NOT NULL CHECK (status IN ('indexed', 'failed', 'needs_ocr')),
        error TEXT,
        warnings TEXT NOT NULL DEFAULT '[]',
        ingested_at TEXT NOT NULL,
        date TEXT
    );
    CREATE INDEX documents_path ON documents(path);
    CREATE INDEX documents_symbol ON documents(symbol);
    CREATE TABLE recommendations (
        id TEXT PRIMARY KEY,
        document_sha256 TEXT NOT NULL REFERENCES documents(sha256) ON DELETE CASCADE,
        document_symbol TEXT,
        paragraph TEXT,
        state_under_review TEXT,
        cycle INTEGER,
        session INTEGER,
        year INTEGER,
        text TEXT NOT NULL,
        response TEXT NOT NULL,
        response_source TEXT,
        page INTEGER,
        as_printed TEXT,
        cluster_id TEXT,
        warnings TEXT NOT NULL DEFAULT '[]',
        section_response TEXT NOT NULL,
        section_source TEXT,
        response_detail TEXT,
        response_conflict TEXT,
        origin TEXT NOT NULL DEFAULT 'pdf'
    );
    CREATE INDEX recommendations_document ON recommendations(document_sha256);
    CREATE INDEX recommendations_sur ON recommendations(state_under_review, cycle);
    CREATE TABLE recommendation_states (
        recommendation_id TEXT NOT NULL REFERENCES recommendations(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        name TEXT NOT NULL,
        iso3 TEXT,
        known INTEGER NOT NULL,
        PRIMARY KEY (recommendation_id, position)
    );
    CREATE INDEX recommendation_states_name ON recommendation_states(name);
    CREATE TABLE responses (
        document_sha256 TEXT NOT NULL REFERENCES documents(sha256) ON DELETE CASCADE,
        addendum_symbol TEXT,
        wg_symbol TEXT,
        ref TEXT NOT NULL,
        position TEXT NOT NULL,
        detail TEXT NOT NULL,
        page INTEGER NOT NULL,
        paragraph TEXT,
        as_printed TEXT NOT NULL,
        PRIMARY KEY (document_sha256, ref)
    );
    CREATE INDEX responses_wg ON responses(wg_symbol);
    CREATE TABLE evidence (
        id INTEGER PRIMARY KEY,
        recommendation_id TEXT,
        target_symbol TEXT,
        target_ref TEXT NOT NULL,
        document_sha256 TEXT NOT NULL REFERENCES documents(sha256) ON DELETE CASCADE,
        page INTEGER NOT NULL,
        footnote TEXT,
        kind TEXT NOT NULL,
        as_printed TEXT NOT NULL,
        context TEXT NOT NULL,
        score REAL NOT NULL DEFAULT 1.0,
        corrected INTEGER NOT NULL DEFAULT 0,
        candidates TEXT NOT NULL DEFAULT '[]',
        symbol_inferred INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX evidence_recommendation ON evidence(recommendation_id);
    CREATE VIRTUAL TABLE evidence_fts USING fts5(
        context, content='evidence', content_rowid='id', tokenize='porter unicode61'
    );
    CREATE TRIGGER evidence_ai AFTER INSERT ON evidence BEGIN
        INSERT INTO evidence_fts(rowid, context) VALUES (new.id, new.context);
    END;
    CREATE TRIGGER evidence_ad AFTER DELETE ON evidence BEGIN
        INSERT INTO evidence_fts(evidence_fts, rowid, context)
        VALUES ('delete', old.id, old.context);
    END;
    CREATE INDEX evidence_target ON evidence(target_symbol);
    CREATE TABLE imports (
        import_id TEXT PRIMARY KEY,
        source TEXT NOT NULL,
        document_sha256 TEXT NOT NULL REFERENCES documents(sha256) ON DELETE CASCADE,
        state_under_review TEXT NOT NULL,
        session INTEGER,
        wg_symbol TEXT,
        paragraph TEXT,
        text TEXT NOT NULL,
        recommending_states TEXT NOT NULL,
        position TEXT,
        position_source TEXT,
        themes TEXT NOT NULL,
        extra TEXT NOT NULL,
        row INTEGER NOT NULL,
        recommendation_id TEXT
    );
    CREATE INDEX imports_review ON imports(state_under_review, session);
    CREATE TABLE recommendation_themes (
        recommendation_id TEXT NOT NULL REFERENCES recommendations(id) ON DELETE CASCADE,
        theme TEXT NOT NULL,
        matched TEXT NOT NULL,
        method TEXT NOT NULL,
        score REAL,
        PRIMARY KEY (recommendation_id, theme, method)
    );
    CREATE INDEX recommendation_themes_theme ON recommendation_themes(theme);
    CREATE TABLE clusters (
        cluster_id TEXT PRIMARY KEY,
        canonical_id TEXT NOT NULL,
        canonical_text TEXT NOT NULL,
        size INTEGER NOT NULL,
        cycles TEXT NOT NULL,
        recurring INTEGER NOT NULL,
        scope TEXT NOT NULL
    );
    CREATE INDEX recommendations_cluster ON recommendations(cluster_id);
    CREATE TABLE sentences (
        document_sha256 TEXT NOT NULL REFERENCES documents(sha256) ON DELETE CASCADE,
        page INTEGER NOT NULL,
        text TEXT NOT NULL
    );
    CREATE INDEX sentences_document ON sentences(document_sha256);
    CREATE INDEX imports_recommendation ON imports(recommendation_id);
    CREATE VIRTUAL TABLE recommendations_fts USING fts5(
        text, content='recommendations', content_rowid='rowid', tokenize='porter unicode61'
    );
    CREATE TRIGGER recommendations_ai AFTER INSERT ON recommendations BEGIN
        INSERT INTO recommendations_fts(rowid, text) VALUES (new.rowid, new.text);
    END;
    CREATE TRIGGER recommendations_ad AFTER DELETE ON recommendations BEGIN
        INSERT INTO recommendations_fts(recommendations_fts, rowid, text)
        VALUES ('delete', old.rowid, old.text);
    END;
    CREATE TRIGGER recommendations_au AFTER UPDATE OF text ON recommendations BEGIN
        INSERT INTO recommendations_fts(recommendations_fts, rowid, text)
        VALUES ('delete', old.rowid, old.text);
        INSERT INTO recommendations_fts(rowid, text) VALUES (new.rowid, new.text);
    END;
    """,
    # 2: an imported recommendation may link to several PDF paragraphs. UPR Info lists "Ratify
    # the CRPD" from Maldives and from Trinidad and Tobago as one text; Barbados 2013 prints
    # them as 102.14 and 102.15. `imports.recommendation_id` keeps the main link.
    """
    CREATE TABLE import_links (
        import_id TEXT NOT NULL REFERENCES imports(import_id) ON DELETE CASCADE,
        recommendation_id TEXT NOT NULL,
        PRIMARY KEY (import_id, recommendation_id)
    );
    CREATE INDEX import_links_recommendation ON import_links(recommendation_id);
    INSERT INTO import_links
        SELECT import_id, recommendation_id FROM imports WHERE recommendation_id IS NOT NULL;
    """,
    # 3: the rowid recommendations_fts points at is declared (an INTEGER PRIMARY KEY), so that
    # it is stable: SQLite may renumber an implicit rowid on VACUUM, and a tool that rebuilds
    # the table (DB Browser changing a column, a dump and reload) gives new ones; search would
    # then return other recommendations. Rows keep their rowids and the index is rebuilt (which
    # also repairs one an earlier renumbering broke). Run with foreign keys off: dropping the
    # old table must not cascade to recommendation_states and recommendation_themes. The
    # full-text index is made as schema 2 had it: an index whose version was set back holds
    # schema 15's, which reads a column this table lacks (`folding`).
    """
    DROP TABLE recommendations_fts;
    CREATE VIRTUAL TABLE recommendations_fts USING fts5(
        text, content='recommendations', content_rowid='rowid', tokenize='porter unicode61'
    );
    CREATE TABLE recommendations_v3 (
        id TEXT NOT NULL UNIQUE,
        document_sha256 TEXT NOT NULL REFERENCES documents(sha256) ON DELETE CASCADE,
        document_symbol TEXT,
        paragraph TEXT,
        state_under_review TEXT,
        cycle INTEGER,
        session INTEGER,
        year INTEGER,
        text TEXT NOT NULL,
        response TEXT NOT NULL,
        response_source TEXT,
        page INTEGER,
        as_printed TEXT,
        cluster_id TEXT,
        warnings TEXT NOT NULL DEFAULT '[]',
        section_response TEXT NOT NULL,
        section_source TEXT,
        response_detail TEXT,
        response_conflict TEXT,
        origin TEXT NOT NULL DEFAULT 'pdf',
        rowid INTEGER PRIMARY KEY
    );
    INSERT INTO recommendations_v3
        SELECT id, document_sha256, document_symbol, paragraph, state_under_review, cycle,
            session, year, text, response, response_source, page, as_printed, cluster_id,
            warnings, section_response, section_source, response_detail, response_conflict,
            origin, rowid
        FROM recommendations;
    DROP TABLE recommendations;
    ALTER TABLE recommendations_v3 RENAME TO recommendations;
    CREATE INDEX recommendations_document ON recommendations(document_sha256);
    CREATE INDEX recommendations_sur ON recommendations(state_under_review, cycle);
    CREATE INDEX recommendations_cluster ON recommendations(cluster_id);
    CREATE TRIGGER recommendations_ai AFTER INSERT ON recommendations BEGIN
        INSERT INTO recommendations_fts(rowid, text) VALUES (new.rowid, new.text);
    END;
    CREATE TRIGGER recommendations_ad AFTER DELETE ON recommendations BEGIN
        INSERT INTO recommendations_fts(recommendations_fts, rowid, text)
        VALUES ('delete', old.rowid, old.text);
    END;
    CREATE TRIGGER recommendations_au AFTER UPDATE OF text ON recommendations BEGIN
        INSERT INTO recommendations_fts(recommendations_fts, rowid, text)
        VALUES ('delete', old.rowid, old.text);
        INSERT INTO recommendations_fts(rowid, text) VALUES (new.rowid, new.text);
    END;
    INSERT INTO recommendations_fts(recommendations_fts) VALUES ('rebuild');
    """,
    # 4: researchers' cluster corrections and the State table (IF NOT EXISTS throughout: run
    # over an index that already holds them, its version set back, it does not fail).
    # Corrections keep recommendation ids without a foreign key: they outlive a re-ingest that
    # deletes and writes the recommendations again. The views are not part of it (views.py):
    # `drop_views` and `create_views` surround every migration.
    """
    CREATE TABLE IF NOT EXISTS cluster_corrections (
        first TEXT NOT NULL,
        second TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('link', 'unlink')),
        note TEXT NOT NULL DEFAULT '',
        who TEXT NOT NULL DEFAULT '',
        at TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (first, second),
        CHECK (first < second)
    );
    CREATE TABLE IF NOT EXISTS states (
        name TEXT PRIMARY KEY,
        iso3 TEXT,
        kind TEXT NOT NULL,
        regional_group TEXT
    );
    CREATE INDEX IF NOT EXISTS states_iso3 ON states(iso3);
    """,
    # 5: how sure each member's place in its cluster is, and the recurring asks: a later ask
    # that repeats an earlier one made to the same State (#19). Filled by the next clustering.
    """
    CREATE TABLE IF NOT EXISTS cluster_members (
        recommendation_id TEXT PRIMARY KEY REFERENCES recommendations(id) ON DELETE CASCADE,
        confidence REAL NOT NULL
    );
    CREATE TABLE IF NOT EXISTS recurrences (
        later_id TEXT NOT NULL REFERENCES recommendations(id) ON DELETE CASCADE,
        earlier_id TEXT NOT NULL REFERENCES recommendations(id) ON DELETE CASCADE,
        score REAL NOT NULL,
        PRIMARY KEY (later_id, earlier_id)
    );
    CREATE INDEX IF NOT EXISTS recurrences_earlier ON recurrences(earlier_id);
    """,
    # 6: what read each document (`_add_reader`).
    _add_reader,
    # 7: what a WG report's section says beyond its position (`_add_section_detail`).
    _add_section_detail,
    # 8: the lists the views show, stored (`views.add_lists`): Datasette's array facets over
    # lists the views computed took seconds on a large index.
    add_lists,
    # 9: the page where an evidence row's context begins (`_add_context_page`).
    _add_context_page,
    # 10: who asked which part of a compound item (`state_lists.ask_parts`): its parts, and per
    # State the words of the parts it asked for, which a search with a recommending State
    # reads. An earlier release's rows have none until their report is read again (its next
    # ingest, as `reader` says).
    """
    CREATE TABLE IF NOT EXISTS recommendation_parts (
        recommendation_id TEXT NOT NULL REFERENCES recommendations(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        text TEXT NOT NULL,
        recommending_states TEXT NOT NULL,
        PRIMARY KEY (recommendation_id, position)
    );
    CREATE VIRTUAL TABLE IF NOT EXISTS recommendation_asked_fts USING fts5(
        text, recommendation_id UNINDEXED, name UNINDEXED, tokenize='porter unicode61'
    );
    CREATE TRIGGER IF NOT EXISTS recommendation_asked_fts_ad AFTER DELETE ON recommendations BEGIN
        DELETE FROM recommendation_asked_fts WHERE recommendation_id = old.id;
    END;
    """,
    # 11: a document's error names no file (`_errors_name_no_file`).
    _errors_name_no_file,
    # 12: an addendum's and a decision's session and cycle are stored as its review's
    # (an earlier release stored none and applied them when the index was read).
    settle_reviews,
    # 13: what a change of the corrections left to cluster again in one meta value, not two
    # keys (`stale.one_stale_value`).
    one_stale_value,
    # 14: the footnotes printed on each ask (`_add_footnotes`).
    _add_footnotes,
    # 15: full-text search reads each text also without its apostrophes ("Baha’is" as
    # "Bahais"): `folding.fold_index`.
    fold_index,
    # 16: the footnotes' text searched with the ask's (`search_index.SEARCH_FOOTNOTES`).
    SEARCH_FOOTNOTES,
    # 17: `recommendations.folded_text`, which only 16's triggers read, dropped; they fold the
    # text themselves (`search_index.drop_folded_text`).
    drop_folded_text,
    # 18: the folded columns also drop hyphens ("co-operation" as "cooperation"):
    # `search_index.fold_hyphens`.
    fold_hyphens,
)


# Every column but the rowid (given by SQLite), named: schema 7's and 14's columns come after it.
_RECOMMENDATION_COLUMNS = (
    "id",
    "document_sha256",
    "document_symbol",
    "paragraph",
    "state_under_review",
    "cycle",
    "session",
    "year",
    "text",
    "response",
    "response_source",
    "page",
    "as_printed",
    "cluster_id",
    "warnings",
    "section_response",
    "section_source",
    "response_detail",
    "response_conflict",
    "origin",
    "section_detail",
    "footnotes",
)
INSERT_RECOMMENDATION = (
    f"INSERT OR IGNORE INTO recommendations ({', '.join(_RECOMMENDATION_COLUMNS)}) "
    f"VALUES ({','.join('?' * len(_RECOMMENDATION_COLUMNS))})"
)


def _statements(script: str) -> Iterator[str]:
    """Split a migration script into statements (trigger bodies keep their inner ';')."""
    buffer: list[str] = []
    for line in script.strip().splitlines():
        buffer.append(line)
        joined = "\n".join(buffer).strip()
        if joined.endswith(";") and sqlite3.complete_statement(joined):
            yield joined
            buffer = []


def state_rows(rec_id: str, names: Sequence[str]) -> list[tuple[Any, ...]]:
    """recommendation_states rows: UN short name and ISO code, unknown names as printed."""
    states = load_states()
    rows: list[tuple[Any, ...]] = []
    for position, name in enumerate(names):
        state = states.resolve(name)
        rows.append(
            (
                rec_id,
                position,
                state.name if state else name,
                state.iso3 if state else None,
                int(state is not None),
            )
        )
    return rows


def schema_version(db: sqlite3.Connection) -> int:
    """The index's schema version, read without taking the write lock (0: a new file)."""
    if not db.execute("SELECT 1 FROM sqlite_master WHERE name = 'meta'").fetchone():
        return 0
    row = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    return int(row[0]) if row else 0


def check_ours(db: sqlite3.Connection, path: Path) -> None:
    """A BadIndexError for another program's database (a mistyped --index: Firefox's
    places.sqlite), before anything is written to it: tables, none of them an index's."""
    tables = [
        row[0]
        for row in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    ]
    if tables and not {"meta", "documents"} & set(tables):
        shown = ", ".join(tables[:3]) + (", ..." if len(tables) > 3 else "")
        raise BadIndexError(
            f"{path}: not an uprdex index (another program's database, with the tables "
            f"{shown}); left as it is"
        )


def _migrate_from(db: sqlite3.Connection, version: int) -> None:
    """Run the migrations from `version` to this uprdex's (inside the caller's transaction)."""
    for step in _MIGRATIONS[version:]:
        if callable(step):
            step(db)
            continue
        for statement in _statements(step):
            db.execute(statement)


def view_columns() -> dict[str, list[str]]:
    """The columns of each view this uprdex makes, in order, as SQLite reads the views' SQL:
    the tables and views made in a database in memory (a few milliseconds; no file)."""
    with closing(sqlite3.connect(":memory:")) as db:
        _migrate_from(db, 0)
        create_views(db)
        return {
            name: [row[1] for row in db.execute(f"PRAGMA table_info('{name}')")]
            for name in view_names()
        }


def migrate(
    db: sqlite3.Connection,
    path: Path,
    transaction: Callable[[], AbstractContextManager[sqlite3.Connection]],
    read_only: bool = False,
) -> None:
    """Bring the schema up to date; an index at the current version is only read, so that
    reading it never waits for a writer. A BadIndexError, before any write, when an index to
    bring up to date is `read_only`: a command that only reads it would otherwise say that it
    cannot write it, and not why it writes."""
    version = schema_version(db)
    if version > SCHEMA_VERSION:
        raise BadIndexError(
            f"{path} was written by a newer uprdex (schema {version}; this one reads "
            f"up to {SCHEMA_VERSION}): upgrade uprdex (pip install -U uprdex)"
        )
    if version == SCHEMA_VERSION and states_current(db) and views_current(db):
        return
    if read_only:  # same schema, other views or States: a newer release may have written it
        if version < SCHEMA_VERSION:
            writer, change = "an older uprdex", "brings it up to date"
        elif states_current(db) and views_ours(db):
            writer = "another program (it dropped uprdex's views, list triggers or rows)"
            change = "makes them again"
        else:
            writer, change = "another uprdex release", "makes its views and States its own"
        raise ReadOnlyIndexError(
            f"{path} was written by {writer}, and this one {change} before reading it, which "
            "writes it; it is read-only (the file, its folder or its disk): make it writable, "
            "or copy it where you can write"
        )
    with transaction() as db:
        db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
        version = schema_version(db)  # another run may have migrated it meanwhile
        if version < SCHEMA_VERSION:
            drop_views(db)
            _migrate_from(db, version)
            db.execute(
                "INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)",
                (str(SCHEMA_VERSION),),
            )
        if version < SCHEMA_VERSION or not views_current(db):
            refresh_views(db)
        sync_states(db)
