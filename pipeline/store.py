"""The consolidated evidence index: one SQLite file, WAL, versioned schema.

Only this module writes the index. Each document is written in its own transaction, so an
interrupted run never leaves a half-written document. Tables and views are named for people
(`documents`, `recommendations`, `recommendation_states`) so that any SQLite tool opens them.
"""

from __future__ import annotations

import json
import re
import sqlite3
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from textwrap import shorten
from typing import Any

from rapidfuzz import fuzz, process

from uprdex.pipeline.cluster_reasons import pair_scores
from uprdex.pipeline.clusters import ClusterItem, cluster
from uprdex.pipeline.corrections import (
    Correction,
    CorrectionError,
    apply_corrections,
    contradictions,
    merge_corrections,
    reach,
)
from uprdex.pipeline.errors import BadIndexError, IndexBusyError, UprdexError
from uprdex.pipeline.model import (
    Addendum,
    Citation,
    DocumentRow,
    DocumentStatus,
    ImportedRec,
    Position,
    Recommendation,
    ThemeHit,
    WgReport,
)
from uprdex.pipeline.paraphrase import match_sentences
from uprdex.pipeline.semantic import SemanticModel
from uprdex.pipeline.settings import ClusterSettings, EvidenceSettings
from uprdex.pipeline.states import load_states
from uprdex.pipeline.symbols import (
    cycle_of_session,
    recommendation_id,
    resolve_readings,
    wg_symbol_of,
    year_of_session,
)
from uprdex.pipeline.text import normalize_text
from uprdex.pipeline.views import (
    SCHEMA_4,
    drop_views,
    refresh_views,
    states_current,
    sync_states,
    views_current,
)

__all__ = [
    "SCHEMA_VERSION",
    "STATE_COMMENT",
    "RecFilter",
    "Store",
]

SCHEMA_VERSION = 4
# The cluster settings an index stores: only those a `uprdex cluster` run set (its overrides).
_STORED_SETTINGS = (
    "threshold",
    "scorer",
    "scope",
    "floor",
    "max_df",
    "semantic_weight",
    "action_weight",
)
# Before overrides, indexes stored these settings whole, with the defaults of the time
# (semantic weight 0.6).
_DEFAULTS_STORED_WHOLE: dict[str, Any] = {
    "threshold": 55.0,
    "scorer": "token_set_ratio",
    "scope": "state",
    "floor": 45.0,
    "max_df": 100,
    "semantic_weight": 0.6,
}
STATE_COMMENT = "state_comment"
"""Evidence kind of the State's own comment on a recommendation (addendum or WG report)."""

# Each entry migrates the schema from version i to i + 1.
_MIGRATIONS: tuple[str, ...] = (
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
    # old table must not cascade to recommendation_states and recommendation_themes.
    """
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
    # 4: researchers' cluster corrections and the State table (views.py, which also holds the
    # views for people, made again after every migration).
    SCHEMA_4,
)


# The last column, the rowid, is given by SQLite.
_INSERT_RECOMMENDATION = (
    f"INSERT OR IGNORE INTO recommendations VALUES ({','.join('?' * 20)}, NULL)"
)


@dataclass(frozen=True, slots=True)
class RecFilter:
    """Filters shared by `recs`, `export` and `search`."""

    state_under_review: str | None = None
    recommending_state: str | None = None
    cycle: int | None = None
    response: str | None = None
    search: str | None = None


class Store:
    """Reads and writes one index file."""

    def __init__(
        self, path: Path, evidence: EvidenceSettings | None = None, busy_timeout: float = 60.0
    ) -> None:
        """Open (or create) the index; wait up to `busy_timeout` seconds for another program
        writing it, then raise IndexBusyError."""
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.evidence_settings = evidence or EvidenceSettings()
        self.db = sqlite3.connect(path, timeout=busy_timeout, isolation_level=None)
        self.db.row_factory = sqlite3.Row
        try:
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self._migrate()  # foreign keys off: a migration rebuilds a parent table
            self.db.execute("PRAGMA foreign_keys=ON")
        except sqlite3.DatabaseError as error:
            self.db.close()
            if _is_busy(error):
                raise self._busy() from error
            raise BadIndexError(f"{path}: not an uprdex index ({error})") from error
        except UprdexError:
            self.db.close()
            raise

    def close(self) -> None:
        """Close the connection."""
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT, rolled back on any error. A transaction that changed
        rows also bumps the index's `generation`. Another program writing the index past the
        busy timeout is an IndexBusyError."""
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            if _is_busy(error):
                raise self._busy() from error
            raise
        before = self.db.total_changes
        try:
            yield self.db
            if self.db.total_changes != before:
                self.db.execute(
                    "INSERT INTO meta VALUES ('generation', '1') ON CONFLICT(key) "
                    "DO UPDATE SET value = CAST(value AS INTEGER) + 1"
                )
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def generation(self) -> int:
        """A number that grows with every transaction that wrote rows (a new index is at 1):
        outputs built at one generation are up to date while it stays the same."""
        row = self.db.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
        return int(row[0]) if row else 0

    def identity(self) -> str:
        """A random id given to the index once: a rebuilt index at the same path is another."""
        row = self.db.execute("SELECT value FROM meta WHERE key = 'index_id'").fetchone()
        if row is not None:
            return str(row[0])
        with self.transaction() as db:
            identity = uuid.uuid4().hex
            db.execute("INSERT OR IGNORE INTO meta VALUES ('index_id', ?)", (identity,))
            return str(db.execute("SELECT value FROM meta WHERE key = 'index_id'").fetchone()[0])

    def _busy(self) -> IndexBusyError:
        return IndexBusyError(
            f"{self.path} is being written by another program (another uprdex, or DB Browser "
            "with unsaved changes); try again when it has finished"
        )

    def _schema_version(self) -> int:
        """The index's schema version, read without taking the write lock (0: a new file)."""
        if not self.db.execute("SELECT 1 FROM sqlite_master WHERE name = 'meta'").fetchone():
            return 0
        row = self.db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        return int(row[0]) if row else 0

    def _migrate(self) -> None:
        """Bring the schema up to date; an index at the current version is only read, so that
        reading it never waits for a writer."""
        version = self._schema_version()
        if version > SCHEMA_VERSION:
            raise BadIndexError(
                f"{self.path} was written by a newer uprdex (schema {version}; this one reads "
                f"up to {SCHEMA_VERSION}): upgrade uprdex (pip install -U uprdex)"
            )
        if version == SCHEMA_VERSION and states_current(self.db) and views_current(self.db):
            return
        with self.transaction() as db:
            db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
            version = self._schema_version()  # another run may have migrated it meanwhile
            if version < SCHEMA_VERSION:
                drop_views(db)
                for script in _MIGRATIONS[version:]:
                    for statement in _statements(script):
                        db.execute(statement)
                db.execute(
                    "INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)",
                    (str(SCHEMA_VERSION),),
                )
            if version < SCHEMA_VERSION or not views_current(db):
                refresh_views(db)
            sync_states(db)

    # --- writing -------------------------------------------------------------------------

    def has_document(self, sha256: str) -> bool:
        """True when a file with these bytes is already in the index (indexed or failed)."""
        return self.document_status(sha256) is not None

    def document_status(self, sha256: str) -> DocumentStatus | None:
        """How the file with these bytes fared when it was ingested; None if it never was."""
        document = self.document(sha256)
        return None if document is None else DocumentStatus(document["status"])

    def find_document(self, paths: Sequence[str], sha256: str | None) -> dict[str, Any] | None:
        """The document ingested from one of `paths`, or with these bytes."""
        marks = ", ".join("?" * len(paths)) or "NULL"
        row = self.db.execute(
            f"SELECT * FROM documents WHERE path IN ({marks}) OR sha256 = ? "
            "ORDER BY ingested_at DESC LIMIT 1",
            (*paths, sha256),
        ).fetchone()
        return None if row is None else _document_dict(row)

    def citations_by(self, sha256: str) -> list[dict[str, Any]]:
        """Every evidence row of one document, in page order (linked or waiting)."""
        rows = self.db.execute(
            "SELECT * FROM evidence WHERE document_sha256 = ? ORDER BY page, id", (sha256,)
        )
        return [dict(row) for row in rows]

    def document(self, sha256: str) -> dict[str, Any] | None:
        """The document row of the file with these bytes, or None."""
        row = self.db.execute("SELECT * FROM documents WHERE sha256 = ?", (sha256,)).fetchone()
        return None if row is None else _document_dict(row)

    def write_document(
        self,
        document: DocumentRow,
        report: WgReport | None = None,
        addendum: Addendum | None = None,
        themes: Mapping[str, Sequence[ThemeHit]] | None = None,
        citations: Sequence[Citation] = (),
        sentences: Sequence[tuple[int, str]] = (),
    ) -> list[str]:
        """Replace everything known about this file (and an older version at the same path).

        Then bring the final responses of the WG reports it touches up to date, whichever of
        the report and its addendum came first. Returns the warnings recorded.
        """
        warnings = list(document.warnings)
        with self.transaction() as db:
            touched, reviews = self._delete_documents(db, document)
            self._insert_document(db, document)
            if report is not None:
                duplicates = self._write_recommendations(db, document, report)
                if duplicates:
                    warnings.append(
                        f"{duplicates} recommendations already indexed from another copy of "
                        f"{report.symbol}; kept once"
                    )
                touched.add(report.symbol)
                reviews.add((report.state_under_review, report.session))
                self._write_themes(db, document, report, themes or {})
                self._write_comments(db, document, report)
            if addendum is not None:
                warnings.extend(self._write_responses(db, document, addendum))
                touched.add(addendum.wg_symbol)
            self._write_citations(db, document, citations)
            db.executemany(
                "INSERT INTO sentences VALUES (?,?,?)",
                [(document.sha256, page, text) for page, text in sentences],
            )
            for state, session in sorted(reviews, key=str):
                if state:
                    _link_imports(db, state, session)
            for symbol in sorted(s for s in touched if s):
                warnings.extend(_refresh_responses(db, symbol))
            states = {state for state, _ in reviews if state} | {document.state_under_review or ""}
            _link_citations(
                db,
                set(states),
                {s for s in touched if s} | {c.symbol for c in citations if c.symbol},
            )
            _link_paraphrases(db, states, self.evidence_settings.paraphrase_threshold)
            db.execute(
                "UPDATE documents SET warnings = ? WHERE sha256 = ?",
                (json.dumps(warnings), document.sha256),
            )
        return warnings

    def write_import(self, document: DocumentRow, records: Sequence[ImportedRec]) -> list[str]:
        """Store an imported database (UPR Info export, OHCHR thematic list) in one transaction.

        Each record is linked to the PDF-extracted recommendation of the same review it matches
        (by paragraph, else by text similarity); unmatched records become recommendations of
        their own. Their labels stay in `imports`, apart from what uprdex infers.
        """
        with self.transaction() as db:
            touched, reviews = self._delete_documents(db, document)
            self._insert_document(db, document)
            db.executemany(
                "INSERT OR REPLACE INTO imports VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                [
                    (
                        rec.import_id,
                        rec.source,
                        document.sha256,
                        rec.state_under_review,
                        rec.session,
                        rec.wg_symbol,
                        rec.paragraph,
                        rec.text,
                        json.dumps(rec.recommending_states),
                        rec.position,
                        rec.position_source,
                        json.dumps(rec.themes),
                        json.dumps(rec.extra),
                        rec.row,
                        None,
                    )
                    for rec in records
                ],
            )
            reviews |= {(rec.state_under_review, rec.session) for rec in records}
            for state, session in sorted(reviews, key=str):
                if state:
                    _link_imports(db, state, session)
                    # Their reports' pending positions may now have a later answer.
                    touched.update(
                        row[0]
                        for row in db.execute(
                            "SELECT DISTINCT document_symbol FROM recommendations WHERE "
                            "origin = 'pdf' AND state_under_review = ? AND session IS ?",
                            (state, session),
                        )
                    )
            for symbol in sorted(s for s in touched if s):
                _refresh_responses(db, symbol)
        return []

    def unthemed_imports(self) -> dict[str, str]:
        """id -> text of the imported recommendations no theme method has tagged yet."""
        rows = self.db.execute(
            "SELECT id, text FROM recommendations r WHERE origin != 'pdf' AND NOT EXISTS "
            "(SELECT 1 FROM recommendation_themes t WHERE t.recommendation_id = r.id) "
            "ORDER BY rowid"
        )
        return {row["id"]: row["text"] for row in rows}

    def write_theme_hits(self, hits: Mapping[str, Sequence[ThemeHit]]) -> None:
        """Store theme hits (keywords and classifier labels) of recommendations by id."""
        with self.transaction() as db:
            db.executemany(
                "INSERT OR IGNORE INTO recommendation_themes VALUES (?,?,?,?,?)",
                [
                    (rec_id, hit.theme, json.dumps(list(hit.matched)), hit.method, hit.score)
                    for rec_id, found in hits.items()
                    for hit in found
                ],
            )

    @staticmethod
    def _write_citations(
        db: sqlite3.Connection, document: DocumentRow, citations: Sequence[Citation]
    ) -> None:
        """Citations and listings as evidence, linked to recommendations by _link_citations."""
        db.executemany(
            "INSERT INTO evidence (target_symbol, target_ref, document_sha256, page, footnote, "
            "kind, as_printed, context, candidates, symbol_inferred) "
            "VALUES (?,?,?,?,?,?,?,?,?,?)",
            [
                (
                    c.symbol,
                    c.ref,
                    document.sha256,
                    c.page,
                    c.footnote,
                    c.kind,
                    c.as_printed,
                    c.context,
                    json.dumps(list(c.candidates)),
                    int(c.symbol is None),
                )
                for c in citations
            ],
        )

    @staticmethod
    def _write_themes(
        db: sqlite3.Connection,
        document: DocumentRow,
        report: WgReport,
        themes: Mapping[str, Sequence[ThemeHit]],
    ) -> None:
        """Theme hits: keywords (with the words that matched) and the classifier's labels."""
        db.executemany(
            "INSERT OR IGNORE INTO recommendation_themes VALUES (?,?,?,?,?)",
            [
                (
                    recommendation_id(report.symbol, document.sha256, paragraph),
                    hit.theme,
                    json.dumps(list(hit.matched)),
                    hit.method,
                    hit.score,
                )
                for paragraph, hits in themes.items()
                for hit in hits
            ],
        )

    @staticmethod
    def _insert_document(db: sqlite3.Connection, document: DocumentRow) -> None:
        db.execute(
            "INSERT INTO documents VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                document.sha256,
                document.path,
                document.type,
                document.symbol,
                document.state_under_review,
                document.session,
                document.cycle,
                document.year,
                document.pages,
                document.status.value,
                document.error,
                "[]",
                datetime.now(UTC).isoformat(timespec="seconds"),
                document.date,
            ),
        )

    @staticmethod
    def _delete_documents(
        db: sqlite3.Connection, document: DocumentRow
    ) -> tuple[set[str | None], set[tuple[str | None, int | None]]]:
        """Delete this file's old rows; returns the WG report symbols and reviews they touched."""
        old = db.execute(
            "SELECT type, symbol, state_under_review, session FROM documents "
            "WHERE sha256 = ? OR (path = ? AND sha256 != ?)",
            (document.sha256, document.path, document.sha256),
        ).fetchall()
        reviews = {(row["state_under_review"], row["session"]) for row in old}
        reviews |= {
            (row["state_under_review"], row["session"])
            for row in db.execute(
                "SELECT DISTINCT i.state_under_review, i.session FROM imports i "
                "JOIN documents d ON d.sha256 = i.document_sha256 "
                "WHERE d.sha256 = ? OR (d.path = ? AND d.sha256 != ?)",
                (document.sha256, document.path, document.sha256),
            )
        }
        db.execute(
            "DELETE FROM documents WHERE sha256 = ? OR (path = ? AND sha256 != ?)",
            (document.sha256, document.path, document.sha256),
        )
        touched = {
            wg_symbol_of(row["symbol"]) if row["type"] == "addendum" else row["symbol"]
            for row in old
        }
        return touched, reviews

    @staticmethod
    def _write_responses(
        db: sqlite3.Connection, document: DocumentRow, addendum: Addendum
    ) -> list[str]:
        """Store an addendum's responses and the State's comments (evidence "state_comment")."""
        seen: dict[str, str] = {}
        warnings: list[str] = []
        for response in addendum.responses:
            if response.ref in seen:
                if seen[response.ref] != response.position.value:
                    warnings.append(
                        f"recommendation {response.ref} is listed as {seen[response.ref]} and "
                        f"as {response.position.value}; the first is kept"
                    )
                continue
            seen[response.ref] = response.position.value
            db.execute(
                "INSERT INTO responses VALUES (?,?,?,?,?,?,?,?,?)",
                (
                    document.sha256,
                    addendum.symbol,
                    addendum.wg_symbol,
                    response.ref,
                    response.position.value,
                    response.detail,
                    response.page,
                    response.paragraph,
                    response.as_printed,
                ),
            )
            if response.comment:
                db.execute(
                    "INSERT INTO evidence (target_symbol, target_ref, document_sha256, page, kind,"
                    " as_printed, context) VALUES (?,?,?,?,?,?,?)",
                    (
                        addendum.wg_symbol,
                        response.ref,
                        document.sha256,
                        response.comment_page or response.page,
                        STATE_COMMENT,
                        response.comment_as_printed or response.as_printed,
                        response.comment,
                    ),
                )
        return warnings

    def _write_comments(
        self, db: sqlite3.Connection, document: DocumentRow, report: WgReport
    ) -> None:
        """The State's comments printed among the recommendations, as "state_comment"
        evidence of the recommendation each answers (linked by `_refresh_responses`)."""
        db.executemany(
            "INSERT INTO evidence (target_symbol, target_ref, document_sha256, page, kind,"
            " as_printed, context) VALUES (?,?,?,?,?,?,?)",
            [
                (
                    report.symbol,
                    comment.refers_to or "",  # "": the comment names no recommendation
                    document.sha256,
                    comment.page,
                    STATE_COMMENT,
                    comment.paragraph,
                    comment.text,
                )
                for comment in report.comments
            ],
        )

    def _write_recommendations(
        self, db: sqlite3.Connection, document: DocumentRow, report: WgReport
    ) -> int:
        """Insert the report's recommendations; returns how many another copy already holds."""
        rec_rows: list[tuple[Any, ...]] = []
        state_rows: list[tuple[Any, ...]] = []
        for rec in report.recommendations:
            rec_id = recommendation_id(report.symbol, document.sha256, rec.paragraph)
            rec_rows.append(
                (
                    rec_id,
                    document.sha256,
                    report.symbol,
                    rec.paragraph,
                    report.state_under_review,
                    report.cycle,
                    report.session,
                    report.year,
                    rec.text,
                    rec.position.value,
                    _response_source(report, rec),
                    rec.page,
                    rec.as_printed,
                    None,
                    json.dumps(list(rec.warnings)),
                    rec.position.value,
                    _response_source(report, rec),
                    None,
                    None,
                )
            )
            state_rows.extend(_state_rows(rec_id, rec.recommending_states))
        # A recommendation imported from a thematic list gives way to the one read from the PDF.
        db.executemany(
            "DELETE FROM recommendations WHERE id = ? AND origin != 'pdf'",
            [(row[0],) for row in rec_rows],
        )
        db.executemany(
            _INSERT_RECOMMENDATION,
            [(*row, "pdf") for row in rec_rows],
        )
        inserted: int = db.execute(
            "SELECT count(*) FROM recommendations WHERE document_sha256 = ?", (document.sha256,)
        ).fetchone()[0]
        db.executemany(
            "INSERT OR IGNORE INTO recommendation_states VALUES (?,?,?,?,?) ", state_rows
        )
        return len(rec_rows) - inserted

    # --- reading -------------------------------------------------------------------------

    def documents(self) -> list[dict[str, Any]]:
        """Every document row, newest first.

        An addendum or an HRC decision prints no WG session: it takes the session and cycle
        of its review's WG report when that is indexed (A/HRC/28/15/Add.1 and A/HRC/DEC/28/111
        belong to A/HRC/28/15, the report the Council adopted at its 28th session).
        """
        rows = self.db.execute("SELECT * FROM documents ORDER BY ingested_at DESC, path")
        documents = [_document_dict(row) for row in rows]
        reports = {d["symbol"]: d for d in documents if d["type"] == "wg_report" and d["symbol"]}
        by_session = {
            (_hrc_session(symbol), d["state_under_review"]): d for symbol, d in reports.items()
        }
        for document in documents:
            if document["cycle"] is not None or not document["symbol"]:
                continue
            if document["type"] == "addendum":
                review = reports.get(wg_symbol_of(document["symbol"]) or "")
            elif decision := _DECISION.match(document["symbol"]):
                review = by_session.get((decision.group(1), document["state_under_review"]))
            else:
                continue
            if review is not None:
                document["session"], document["cycle"] = review["session"], review["cycle"]
        return documents

    def recommendations(self, where: RecFilter | None = None) -> list[dict[str, Any]]:
        """Recommendations matching the filter, in report and paragraph order."""
        sql, params = _filter_sql(where or RecFilter())
        rows = self.db.execute(
            f"SELECT r.* FROM recommendations r {sql} ORDER BY {_REPORT_ORDER}",
            params,
        ).fetchall()
        return self._with_states(rows)

    def evidence(
        self, where: RecFilter | None = None, recommendation_id: str | None = None
    ) -> list[dict[str, Any]]:
        """Evidence linked to the recommendations matching the filter (or to one), newest
        document first."""
        sql, params = _filter_sql(where or RecFilter())
        if recommendation_id is not None:
            sql = f"{sql} {'AND' if sql else 'WHERE'} r.id = ?"
            params.append(recommendation_id)
        rows = self.db.execute(
            "SELECT e.*, d.path, d.symbol, d.type FROM evidence e "
            "JOIN documents d ON d.sha256 = e.document_sha256 "
            f"WHERE e.recommendation_id IN (SELECT r.id FROM recommendations r {sql}) "
            "ORDER BY d.year DESC, d.ingested_at DESC, e.recommendation_id, e.page",
            params,
        )
        return [dict(row) for row in rows]

    def search(
        self, text: str, where: RecFilter | None = None, limit: int = 20
    ) -> list[dict[str, Any]]:
        """Recommendations whose text, or the context of evidence about them, holds all the
        words; best first (bm25), each with a snippet of where the words were found (the
        words between \\x02 and \\x03)."""
        sql, params = _filter_sql(where or RecFilter())
        query = _fts_query(text)
        hits = self.db.execute(
            "SELECT id, snippet, source, rank FROM ("
            "  SELECT r.id, snippet(recommendations_fts, 0, char(2), char(3), '…', 12) AS snippet,"
            "         'recommendation' AS source, bm25(recommendations_fts) AS rank"
            "  FROM recommendations_fts"
            "  JOIN recommendations r ON r.rowid = recommendations_fts.rowid"
            "  WHERE recommendations_fts MATCH ?"
            "  UNION ALL"
            "  SELECT e.recommendation_id, snippet(evidence_fts, 0, char(2), char(3), '…', 12),"
            "         'evidence: ' || coalesce(d.symbol, d.path), bm25(evidence_fts)"
            "  FROM evidence_fts JOIN evidence e ON e.id = evidence_fts.rowid"
            "  JOIN documents d ON d.sha256 = e.document_sha256"
            "  WHERE evidence_fts MATCH ? AND e.recommendation_id IS NOT NULL"
            f") WHERE id IN (SELECT r.id FROM recommendations r {sql}) "
            "ORDER BY rank LIMIT ?",
            [query, query, *params, limit * 3],
        ).fetchall()
        best: dict[str, sqlite3.Row] = {}
        for hit in hits:
            best.setdefault(hit["id"], hit)
        chosen = list(best.values())[:limit]
        rows = self.db.execute(
            f"SELECT * FROM recommendations WHERE id IN ({','.join('?' * len(chosen))})",
            [hit["id"] for hit in chosen],
        ).fetchall()
        by_id = {rec["id"]: rec for rec in self._with_states(rows)}
        return [
            {**by_id[hit["id"]], "snippet": hit["snippet"], "found_in": hit["source"]}
            for hit in chosen
            if hit["id"] in by_id
        ]

    def recommendation(self, symbol: str, paragraph: str) -> dict[str, Any] | None:
        """One recommendation by the symbol of its report and its paragraph number."""
        rows = self.db.execute(
            "SELECT * FROM recommendations WHERE document_symbol = ? AND paragraph = ?",
            (symbol, paragraph),
        ).fetchall()
        found = self._with_states(rows)
        return found[0] if found else None

    def _with_states(self, rows: Sequence[sqlite3.Row]) -> list[dict[str, Any]]:
        """Recommendation dicts with their States, imported labels and theme hits."""
        ids = [row["id"] for row in rows]
        states = self._by_recommendation(
            ids,
            "SELECT * FROM recommendation_states WHERE recommendation_id IN ({}) "
            "ORDER BY recommendation_id, position",
            lambda row: row,
        )
        imported = self._by_recommendation(
            ids,
            "SELECT l.recommendation_id, i.source, i.position, i.position_source, i.themes, "
            "i.extra FROM import_links l JOIN imports i USING (import_id) "
            "WHERE l.recommendation_id IN ({}) ORDER BY i.source, import_id",
            lambda row: {
                "source": row["source"],
                "response": row["position"],
                "response_source": row["position_source"],
                "themes": json.loads(row["themes"]),
                **json.loads(row["extra"]),
            },
        )
        hits = self._by_recommendation(
            ids,
            "SELECT * FROM recommendation_themes WHERE recommendation_id IN ({}) ORDER BY rowid",
            lambda row: {
                "theme": row["theme"],
                "matched": json.loads(row["matched"]),
                "method": row["method"],
                "score": row["score"],
            },
        )
        return [
            {
                **_recommendation_dict(row, states.get(row["id"], [])),
                "imported": imported.get(row["id"], []),
                "theme_hits": hits.get(row["id"], []),
            }
            for row in rows
        ]

    def _by_recommendation(
        self, ids: list[str], sql: str, make: Callable[[sqlite3.Row], Any]
    ) -> dict[str, list[Any]]:
        """Rows of a child table grouped by recommendation id (ids queried 500 at a time)."""
        return _by_recommendation(self.db, ids, sql, make)

    # --- clusters ------------------------------------------------------------------------

    def cluster_settings(self) -> ClusterSettings:
        """The settings of the last `uprdex cluster` run: what it set, over the current
        defaults (all defaults until there is one), so that a release's better defaults reach
        an index that never chose otherwise."""
        meta = self._cluster_meta()
        if meta is None or not ("overrides" in meta or "semantic_weight" in meta):
            # None yet, or stored before clusters used meaning: word-only defaults of the time.
            return ClusterSettings()
        if "overrides" in meta:
            return ClusterSettings(**meta["overrides"])
        # Stored whole, before overrides were kept apart: a value equal to that release's
        # default was the default, not a choice.
        return ClusterSettings(
            **{
                name: value
                for name, value in meta.items()
                if name in _DEFAULTS_STORED_WHOLE and value != _DEFAULTS_STORED_WHOLE[name]
            }
        )

    def _cluster_meta(self) -> dict[str, Any] | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = 'cluster_settings'").fetchone()
        return None if row is None else dict(json.loads(row[0]))

    def update_clusters(
        self,
        settings: ClusterSettings | None = None,
        states: set[str] | None = None,
        fresh: bool = False,
    ) -> int:
        """(Re)compute duplicate clusters; returns how many recommendations were clustered.

        With `states`, only the recommendations of those States under review are looked at
        (enough for the "review" and "state" scopes); existing clusters are kept whole and new
        recommendations may join them unless the settings changed, so adding documents never
        renumbers clusters. That makes them depend on the order documents arrived in: `fresh`
        clusters everything from scratch, which gives the same clusters (and ids) for the same
        recommendations whatever their order (`uprdex cluster`).
        """
        current = self.cluster_settings()
        settings = settings or current
        stored = self._cluster_meta()
        # A retrained similarity model scores differently: like changed settings.
        model = (
            SemanticModel.load(settings.similarity_model).version
            if settings.semantic_weight > 0
            else None
        )
        same = (
            settings == current and stored is not None and stored.get("similarity_model") == model
        )
        corrections = self.corrections()
        if states is not None and corrections:
            # The other ends of their links are clustered with them.
            states = reach(states, corrections, self._states_of(corrections))
        where, params = "", list(states or ())
        if states is not None and settings.scope != "all":
            where = f"WHERE state_under_review IN ({','.join('?' * len(params))})"
        else:
            params = []
        with self.transaction() as db:
            rows = db.execute(
                "SELECT id, text, state_under_review, cycle, session, cluster_id "
                f"FROM recommendations {where}",
                params,
            ).fetchall()
            authors: dict[str, list[str]] = defaultdict(list)
            for rec_id, name in db.execute(
                "SELECT recommendation_id, name FROM recommendation_states "
                f"WHERE recommendation_id IN (SELECT id FROM recommendations {where})",
                params,
            ):
                authors[rec_id].append(name)
            items = [
                ClusterItem(
                    r["id"],
                    r["text"],
                    r["state_under_review"] or "",
                    r["cycle"],
                    r["session"],
                    tuple(authors[r["id"]]),
                )
                for r in rows
            ]
            existing = (
                {r["id"]: r["cluster_id"] for r in rows if r["cluster_id"]}
                if same and not fresh
                else {}
            )
            result = cluster(items, settings, existing)
            result = apply_corrections(
                result, items, corrections, partial(pair_scores, settings=settings)
            )
            # Only what changed is written: a re-run that changes nothing leaves the index (and
            # its generation) as it was.
            before = {r["id"]: r["cluster_id"] for r in rows}
            db.executemany(
                "UPDATE recommendations SET cluster_id = ? WHERE id = ?",
                [(cid, rid) for rid, cid in result.assignment.items() if before[rid] != cid],
            )
            ids = [c.id for c in result.clusters]
            stored_clusters = {
                tuple(row)
                for start in range(0, len(ids), 500)
                for row in db.execute(
                    "SELECT * FROM clusters WHERE cluster_id IN "
                    f"({','.join('?' * len(ids[start : start + 500]))})",
                    ids[start : start + 500],
                )
            }
            new_rows = [
                (
                    c.id,
                    c.canonical_id,
                    c.canonical_text,
                    c.size,
                    json.dumps(list(c.cycles)),
                    int(c.recurring),
                    settings.scope,
                )
                for c in result.clusters
            ]
            db.executemany(
                "INSERT OR REPLACE INTO clusters VALUES (?,?,?,?,?,?,?)",
                [row for row in new_rows if row not in stored_clusters],
            )
            db.execute(
                "DELETE FROM clusters WHERE cluster_id NOT IN "
                "(SELECT cluster_id FROM recommendations WHERE cluster_id IS NOT NULL)"
            )
            defaults = ClusterSettings()
            kept = {
                "overrides": {
                    name: getattr(settings, name)
                    for name in _STORED_SETTINGS
                    if getattr(settings, name) != getattr(defaults, name)
                },
                "similarity_model": model,
            }
            if stored != kept:
                db.execute(
                    "INSERT OR REPLACE INTO meta VALUES ('cluster_settings', ?)",
                    (json.dumps(kept),),
                )
        return len(items)

    # --- researchers' corrections (schema 3; pipeline/corrections.py applies them) ----------

    def corrections(self) -> list[Correction]:
        """The researchers' links and unlinks (`uprdex cluster link/unlink`), by pair."""
        return [
            Correction.of(*row)
            for row in self.db.execute(
                "SELECT first, second, kind, note, who, at FROM cluster_corrections "
                "ORDER BY first, second"
            )
        ]

    def record_corrections(self, incoming: Sequence[Correction]) -> list[Correction]:
        """Record links and unlinks (one per pair: a later word on a pair replaces the
        earlier); returns those that changed something. Nothing is recorded when the result
        would contradict itself (`CorrectionError` lists every contradiction)."""
        with self.transaction() as db:
            existing = self.corrections()
            after = merge_corrections(existing, incoming)
            found = contradictions(after)
            if found:
                raise CorrectionError("; ".join(str(c) for c in found))
            changed = [c for c in after if c not in existing]
            db.executemany(
                "INSERT OR REPLACE INTO cluster_corrections VALUES (?, ?, ?, ?, ?, ?)",
                [(c.first, c.second, c.kind.value, c.note, c.who, c.at) for c in changed],
            )
        return changed

    def evidence_summary(self) -> dict[str, tuple[int, str | None]]:
        """Per recommendation: how many documents cite or echo it (its own report aside, as in
        the evidence export) and the date of the latest."""
        return {
            row[0]: (row[1], row[2])
            for row in self.db.execute(
                "SELECT recommendation_id, count(DISTINCT document_sha256), max(document_date) "
                "FROM evidence_pages GROUP BY recommendation_id"
            )
        }

    def cluster_curation(self) -> dict[str, list[dict[str, Any]]]:
        """The corrections that shape each cluster (a link: the cluster of both ends; an
        unlink: the cluster of each end), by cluster id."""
        shaped: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in self.db.execute("SELECT * FROM cluster_curation ORDER BY first, second"):
            record = dict(row)
            shaped[record.pop("cluster_id")].append(record)
        return dict(shaped)

    def forget_correction(self, a: str, b: str) -> Correction | None:
        """Drop the correction of a pair; returns it (None when there was none)."""
        first, second = sorted((a, b))
        with self.transaction() as db:
            gone = [c for c in self.corrections() if c.pair == (first, second)]
            db.execute(
                "DELETE FROM cluster_corrections WHERE first = ? AND second = ?", (first, second)
            )
        return gone[0] if gone else None

    def _states_of(self, corrections: Sequence[Correction]) -> dict[str, str]:
        """State under review of each recommendation the corrections name (those indexed)."""
        ids = sorted({rec_id for c in corrections for rec_id in c.pair})
        found = self._by_recommendation(
            ids,
            "SELECT id AS recommendation_id, state_under_review FROM recommendations "
            "WHERE id IN ({})",
            lambda row: row["state_under_review"],
        )
        return {rec_id: states[0] for rec_id, states in found.items() if states[0] is not None}

    def unclustered_states(self) -> set[str]:
        """States under review with recommendations not yet in a cluster."""
        return {
            row[0]
            for row in self.db.execute(
                "SELECT DISTINCT state_under_review FROM recommendations "
                "WHERE cluster_id IS NULL AND state_under_review IS NOT NULL"
            )
        }

    def clusters(self, where: RecFilter | None = None, min_size: int = 1) -> list[dict[str, Any]]:
        """Clusters of the recommendations matching the filter, largest first, with members
        (id, State under review, response, recommending States)."""
        sql, params = _filter_sql(where or RecFilter())
        members = self.db.execute(
            f"SELECT r.id, r.cluster_id, r.state_under_review, r.response FROM recommendations r "
            f"{sql} {'AND' if sql else 'WHERE'} r.cluster_id IS NOT NULL ORDER BY {_REPORT_ORDER}",
            params,
        ).fetchall()
        names = self._by_recommendation(
            [row["id"] for row in members],
            "SELECT * FROM recommendation_states WHERE recommendation_id IN ({}) "
            "ORDER BY recommendation_id, position",
            lambda row: row["name"],
        )
        grouped: dict[str, list[dict[str, Any]]] = {}
        for row in members:
            states = list(dict.fromkeys(names.get(row["id"], [])))
            grouped.setdefault(row["cluster_id"], []).append(
                {**dict(row), "recommending_states": states}
            )
        found = []
        for row in self.db.execute("SELECT * FROM clusters WHERE size >= ?", (min_size,)):
            recs = grouped.get(row["cluster_id"])
            if recs:
                found.append(
                    {
                        **dict(row),
                        "cycles": json.loads(row["cycles"]),
                        "recurring": bool(row["recurring"]),
                        "members": recs,
                    }
                )
        return sorted(found, key=lambda c: (-c["size"], c["cluster_id"]))

    def summary(self) -> dict[str, int]:
        """Counts a newcomer wants to see after a run."""
        one = self.db.execute
        return {
            "documents": one("SELECT count(*) FROM documents").fetchone()[0],
            "failed": one("SELECT count(*) FROM documents WHERE status != 'indexed'").fetchone()[0],
            "recommendations": one("SELECT count(*) FROM recommendations").fetchone()[0],
            "states_under_review": one(
                "SELECT count(DISTINCT state_under_review) FROM recommendations"
            ).fetchone()[0],
        }


_REPORT_ORDER = (
    "r.state_under_review, r.cycle, r.document_symbol, "
    "CAST(substr(r.paragraph, 1, instr(r.paragraph, '.') - 1) AS INTEGER), "
    "CAST(substr(r.paragraph, instr(r.paragraph, '.') + 1) AS INTEGER), r.id"
)
"""Recommendations in report and paragraph order (115.9 before 115.10), whatever the order their
documents were ingested in."""


def _statements(script: str) -> Iterator[str]:
    """Split a migration script into statements (trigger bodies keep their inner ';')."""
    buffer: list[str] = []
    for line in script.strip().splitlines():
        buffer.append(line)
        joined = "\n".join(buffer).strip()
        if joined.endswith(";") and sqlite3.complete_statement(joined):
            yield joined
            buffer = []


def _state_rows(rec_id: str, names: Sequence[str]) -> list[tuple[Any, ...]]:
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


# Text similarity (rapidfuzz token_set_ratio on normalized text) needed to link an imported
# recommendation to a PDF-extracted one: when they share a recommending State, and when not.
MATCH_WITH_STATE = 85.0
MATCH_WITHOUT_STATE = 95.0


def _link_imports(db: sqlite3.Connection, state_under_review: str, session: int | None) -> None:
    """Link the imported recommendations of one review to the PDF-extracted ones.

    A thematic-list row links by paragraph; a UPR Info row by text similarity, preferring the
    recommendations of the same recommending State. An import that matches nothing stands as
    a recommendation of its own (origin = its source) until its WG report arrives.
    """
    pdf = db.execute(
        "SELECT id, text FROM recommendations WHERE origin = 'pdf' AND state_under_review = ? "
        "AND session IS ?",
        (state_under_review, session),
    ).fetchall()
    pdf_ids = {row["id"] for row in pdf}
    pdf_texts = {row["id"]: normalize_text(row["text"]) for row in pdf}
    by_state: dict[str, list[str]] = {}
    if pdf:
        marks = ",".join("?" * len(pdf_ids))
        for row in db.execute(
            f"SELECT recommendation_id, name FROM recommendation_states "
            f"WHERE recommendation_id IN ({marks})",
            list(pdf_ids),
        ):
            by_state.setdefault(row["name"], []).append(row["recommendation_id"])
    imports = db.execute(
        "SELECT i.*, d.sha256 AS file FROM imports i JOIN documents d ON d.sha256 = "
        "i.document_sha256 WHERE i.state_under_review = ? AND i.session IS ?",
        (state_under_review, session),
    ).fetchall()
    db.execute(
        "DELETE FROM import_links WHERE import_id IN (SELECT import_id FROM imports "
        "WHERE state_under_review = ? AND session IS ?)",
        (state_under_review, session),
    )
    for imported in imports:
        own_id = (
            f"{imported['wg_symbol']}#{imported['paragraph']}"
            if imported["wg_symbol"] and imported["paragraph"]
            else imported["import_id"]
        )
        text, states = normalize_text(imported["text"]), json.loads(imported["recommending_states"])
        target = own_id if own_id in pdf_ids else _best_match(text, states, pdf_texts, by_state)
        db.execute(
            "UPDATE imports SET recommendation_id = ? WHERE import_id = ?",
            (target or own_id, imported["import_id"]),
        )
        links = {target or own_id}
        if target is not None and target != own_id:
            links |= _paragraphs_of_other_states(text, states, target, pdf_texts, by_state)
        db.executemany(
            "INSERT INTO import_links VALUES (?, ?)",
            [(imported["import_id"], link) for link in sorted(links)],
        )
        if target is not None:
            if target != own_id:
                db.execute(
                    "DELETE FROM recommendations WHERE id = ? AND origin != 'pdf'", (own_id,)
                )
            continue
        _insert_imported(db, imported, own_id)


def _paragraphs_of_other_states(
    text: str,
    states: list[str],
    target: str,
    pdf_texts: dict[str, str],
    by_state: dict[str, list[str]],
) -> set[str]:
    """The other paragraphs that print an imported text for some of its States.

    UPR Info lists one text once for all the States that made it; a report may print it once
    per State ("Ratify the CRPD (Maldives)" 102.14, "(Trinidad and Tobago)" 102.15). Each
    State not named on `target` links to its own best match, among its own recommendations.
    """
    table = load_states()
    on_target = {name for name, ids in by_state.items() if target in ids}
    found: set[str] = set()
    for name in states:
        state = table.resolve(name)
        name = state.name if state else name
        if name in on_target or not by_state.get(name):
            continue
        match = _best_match(text, [name], pdf_texts, {name: by_state[name]}, only_state=True)
        if match is not None and match != target:
            found.add(match)
    return found


def _best_match(
    text: str,
    states: list[str],
    pdf_texts: dict[str, str],
    by_state: dict[str, list[str]],
    only_state: bool = False,
) -> str | None:
    """The PDF-extracted recommendation an imported text restates, or None."""
    if not pdf_texts:
        return None
    table = load_states()
    names = [(state.name if (state := table.resolve(name)) else name) for name in states]
    shared = Counter(rec_id for name in set(names) for rec_id in by_state.get(name, []))
    pools = [(set(shared), MATCH_WITH_STATE)]
    if not only_state:
        pools.append((set(pdf_texts), MATCH_WITHOUT_STATE))
    for pool, cutoff in pools:
        if not pool:
            continue
        order = {rec_id: at for at, rec_id in enumerate(sorted(pool))}
        choices = {rec_id: pdf_texts[rec_id] for rec_id in order}
        found = process.extract(
            text, choices, scorer=fuzz.token_set_ratio, score_cutoff=cutoff, limit=None
        )
        if found:
            # Equal texts ("Ratify ICRMW" at 115.6-115.10, each from other States): the one
            # that shares the most recommending States, then the first.
            best = max(found, key=lambda hit: (hit[1], shared[hit[2]], -order[hit[2]]))
            return str(best[2])
    return None


def _insert_imported(db: sqlite3.Connection, imported: sqlite3.Row, rec_id: str) -> None:
    """An imported recommendation with no PDF counterpart, as a recommendation of its own."""
    session = imported["session"]
    cursor = db.execute(
        _INSERT_RECOMMENDATION,
        (
            rec_id,
            imported["document_sha256"],
            imported["wg_symbol"],
            imported["paragraph"],
            imported["state_under_review"],
            cycle_of_session(session),
            session,
            year_of_session(session),
            imported["text"],
            imported["position"] or Position.UNKNOWN.value,
            imported["position_source"],
            None,
            None,
            None,
            "[]",
            imported["position"] or Position.UNKNOWN.value,
            imported["position_source"],
            None,
            None,
            imported["source"],
        ),
    )
    if cursor.rowcount:
        db.executemany(
            "INSERT OR IGNORE INTO recommendation_states VALUES (?,?,?,?,?)",
            _state_rows(rec_id, json.loads(imported["recommending_states"])),
        )


# A document's place in time, from its date as precise as printed ("2014-06-26", "2014-06",
# "2014") or else its year: a month or a year alone counts as its end; NULL when undated.
_PLACED_AT = (
    "(CASE WHEN date IS NULL AND year IS NULL THEN NULL "
    "WHEN date IS NULL THEN printf('%04d-12-31', year) "
    "WHEN length(date) = 4 THEN date || '-12-31' WHEN length(date) = 7 THEN date || '-31' "
    "ELSE date END)"
)


def _reports_by_date(db: sqlite3.Connection, state: str) -> list[tuple[str, str, int | None]]:
    """(symbol, date, cycle) of a State's WG reports, oldest first (a month or a year alone
    counts as its end; a report with neither cannot be placed in time and is left out)."""
    return [
        (row["symbol"], row["date"], row["cycle"])
        for row in db.execute(
            f"SELECT symbol, {_PLACED_AT} AS date, cycle "
            "FROM documents "
            "WHERE type = 'wg_report' AND state_under_review = ? AND symbol IS NOT NULL "
            "AND coalesce(date, year) IS NOT NULL ORDER BY date",
            (state,),
        )
    ]


_SPACE = re.compile(r"\s+")
_RECOMMENDATION_WORD = re.compile(r"\brecom|\brecs?\b", re.I)


def _cites(sentence: str, numbers: set[str]) -> bool:
    """Whether a sentence prints a recommendation word and one of these cited numbers."""
    if not numbers or not _RECOMMENDATION_WORD.search(sentence):
        return False
    squeezed = _SPACE.sub("", sentence)
    return any(re.search(rf"(?<!\d){re.escape(number)}(?!\d)", squeezed) for number in numbers)


def _link_paraphrases(db: sqlite3.Connection, states: set[str], threshold: float) -> None:
    """Recompute paraphrase evidence of the documents about these States: each sentence
    against the recommendations of the State's WG reports dated before the document."""
    for state in sorted(s for s in states if s):
        reports = _reports_by_date(db, state)
        documents = db.execute(
            f"SELECT sha256, coalesce({_PLACED_AT}, '9999') AS date "
            "FROM documents WHERE state_under_review = ? AND sha256 IN "
            "(SELECT document_sha256 FROM sentences)",
            (state,),
        ).fetchall()
        for document in documents:
            db.execute(
                "DELETE FROM evidence WHERE document_sha256 = ? AND kind = 'paraphrase'",
                (document["sha256"],),
            )
            earlier = [symbol for symbol, date, _ in reports if date < document["date"]]
            if not earlier:
                continue
            recs = dict(
                db.execute(
                    f"SELECT id, text FROM recommendations WHERE document_symbol IN "
                    f"({','.join('?' * len(earlier))})",
                    earlier,
                ).fetchall()
            )
            sentences = db.execute(
                "SELECT page, text FROM sentences WHERE document_sha256 = ? ORDER BY rowid",
                (document["sha256"],),
            ).fetchall()
            # A sentence that cites recommendations by number is evidence as a citation, not
            # as an echo: the heading "Rule of law: ... (recommendations 30-31, 54-57)" also
            # reads as 111.57 in words, "Institutional framework ... Recommendations 22, 31-39"
            # as an unrelated ask on minorities.
            printed: dict[int, set[str]] = defaultdict(set)
            for row in db.execute(
                "SELECT page, as_printed FROM evidence WHERE document_sha256 = ? "
                "AND kind != 'paraphrase'",
                (document["sha256"],),
            ):
                printed[row["page"]].add(_SPACE.sub("", row["as_printed"]))
            matches = [
                m
                for m in match_sentences([s["text"] for s in sentences], recs, threshold)
                if not _cites(sentences[m.sentence]["text"], printed[sentences[m.sentence]["page"]])
            ]
            db.executemany(
                "INSERT INTO evidence (recommendation_id, target_symbol, target_ref, "
                "document_sha256, page, kind, as_printed, context, score) "
                "VALUES (?,?,?,?,?,'paraphrase',?,?,?)",
                [
                    (
                        m.recommendation_id,
                        *m.recommendation_id.split("#", 1),
                        document["sha256"],
                        sentences[m.sentence]["page"],
                        shorten(sentences[m.sentence]["text"], 80, placeholder=" …"),
                        sentences[m.sentence]["text"],
                        m.score,
                    )
                    for m in matches
                ],
            )


def _link_citations(db: sqlite3.Connection, states: set[str], symbols: set[str]) -> None:
    """Link citation evidence to recommendations, whichever arrived first.

    A number printed without a symbol cites the latest WG report of the document's State
    under review dated before the document; in an undated document, the one report of the
    State that has that paragraph (else the latest). A misprint is repaired only when exactly one
    reading is a paragraph of that report (`corrected`); nothing is invented. A bare index
    ("recommendation 22") carries no paragraph to check, so it cites only the review of the
    cycle just before the document's: while that report is not indexed, it waits unlinked
    rather than landing on an older review.
    """
    states.discard("")
    for state in sorted(states):
        reports = _reports_by_date(db, state)
        paragraphs: dict[str, set[str]] | None = None
        for row in db.execute(
            f"SELECT e.id, e.candidates, {_PLACED_AT} AS date, d.cycle FROM evidence e "
            "JOIN documents d "
            "ON d.sha256 = e.document_sha256 WHERE e.symbol_inferred = 1 "
            "AND d.state_under_review = ?",
            (state,),
        ).fetchall():
            cited_at = row["date"] or "9999"
            before = [(symbol, cycle) for symbol, date, cycle in reports if date < cited_at]
            target = before[-1][0] if before else None
            readings = set(json.loads(row["candidates"]))
            bare = all("." not in reading for reading in readings)
            if cited_at == "9999" and not bare:
                # An undated document: the one review of the State that has the paragraph.
                if paragraphs is None:
                    paragraphs = {symbol: _paragraphs(db, symbol) for symbol, _, _ in reports}
                having = [symbol for symbol, _, _ in reports if readings & paragraphs[symbol]]
                target = having[0] if len(having) == 1 else target
            if (
                bare
                and before
                and not (row["cycle"] and before[-1][1] and before[-1][1] == row["cycle"] - 1)
            ):
                target = None
            db.execute("UPDATE evidence SET target_symbol = ? WHERE id = ?", (target, row["id"]))
            if target:
                symbols.add(target)
    for symbol in sorted(symbols):
        known = _paragraphs(db, symbol)
        updates = []
        for row in db.execute(
            "SELECT id, candidates FROM evidence WHERE target_symbol = ? "
            "AND kind IN ('citation', 'listing')",
            (symbol,),
        ):
            found = resolve_readings(json.loads(row["candidates"]), known)
            rec_id = f"{symbol}#{found[0]}" if found else None
            updates.append((rec_id, int(bool(found and found[1])), row["id"]))
        db.executemany(
            "UPDATE evidence SET recommendation_id = ?, corrected = ? WHERE id = ?", updates
        )


def _paragraphs(db: sqlite3.Connection, symbol: str) -> set[str]:
    """The paragraph numbers of one WG report's recommendations."""
    return {
        row[0]
        for row in db.execute(
            "SELECT paragraph FROM recommendations WHERE document_symbol = ?", (symbol,)
        )
    }


def _refresh_responses(db: sqlite3.Connection, wg_symbol: str) -> list[str]:
    """Final position of each recommendation of one WG report: the addendum's answer when
    there is one (later addenda win), else the WG report section's. A disagreement with a
    position the section already stated is kept in `response_conflict`, never silently lost.
    """
    recs = db.execute(
        "SELECT id, paragraph, section_response, section_source FROM recommendations "
        "WHERE document_symbol = ?",
        (wg_symbol,),
    ).fetchall()
    paragraphs = {rec["paragraph"].split(".")[0] for rec in recs}
    pending = {
        rec["paragraph"].split(".")[0]
        for rec in recs
        if rec["section_response"] == Position.PENDING.value
    }
    # A bare index ("accepts the recommendations 1-5") counts within the pending paragraph.
    bare_base = (
        next(iter(pending))
        if len(pending) == 1
        else (next(iter(paragraphs)) if len(paragraphs) == 1 else None)
    )

    def resolve(ref: str) -> str | None:
        if "." in ref:
            return ref
        return f"{bare_base}.{ref}" if bare_base else None

    answers: dict[str, sqlite3.Row] = {}
    for response in db.execute(
        "SELECT r.* FROM responses r JOIN documents d ON d.sha256 = r.document_sha256 "
        "WHERE r.wg_symbol = ? ORDER BY d.ingested_at, r.addendum_symbol",
        (wg_symbol,),
    ):
        paragraph = resolve(response["ref"])
        if paragraph:
            answers[paragraph] = response
    imported = _imported_positions(db, [rec["id"] for rec in recs])
    open_ended = (Position.PENDING.value, Position.UNKNOWN.value)
    updates: list[tuple[Any, ...]] = []
    for rec in recs:
        answer = answers.get(rec["paragraph"])
        if answer is None:
            later = imported.get(rec["id"]) if rec["section_response"] in open_ended else None
            position, source = later or (rec["section_response"], rec["section_source"])
            updates.append((position, source, None, None, rec["id"]))
            continue
        where = f"para {answer['paragraph']}" if answer["paragraph"] else f"p. {answer['page']}"
        source = f"{answer['addendum_symbol']} {where}"
        conflict = None
        stated = rec["section_response"]
        decided = (Position.SUPPORTED.value, Position.NOTED.value)
        if stated in decided and answer["position"] == Position.UNKNOWN.value:
            # A comment that states no position leaves the report's position standing.
            updates.append((stated, rec["section_source"], None, None, rec["id"]))
            continue
        if stated in decided and stated != answer["position"]:
            conflict = f"{rec['section_source']}: {stated}; {source}: {answer['position']}"
        updates.append((answer["position"], source, answer["detail"], conflict, rec["id"]))
    db.executemany(
        "UPDATE recommendations SET response = ?, response_source = ?, response_detail = ?, "
        "response_conflict = ? WHERE id = ?",
        updates,
    )
    known = {rec["paragraph"] for rec in recs}
    unmatched = sorted({p for p in answers if p not in known})
    for row in db.execute(
        "SELECT id, target_ref FROM evidence WHERE target_symbol = ? AND kind = ?",
        (wg_symbol, STATE_COMMENT),
    ).fetchall():
        paragraph = resolve(row["target_ref"]) if row["target_ref"] else None
        rec_id = f"{wg_symbol}#{paragraph}" if paragraph in known else None
        db.execute("UPDATE evidence SET recommendation_id = ? WHERE id = ?", (rec_id, row["id"]))
    if recs and unmatched:
        return [
            f"{wg_symbol}: responses to {len(unmatched)} paragraphs not in the report "
            f"({', '.join(unmatched[:5])}{' ...' if len(unmatched) > 5 else ''})"
        ]
    return []


_OHCHR_PARA = re.compile(r"\s+-\s+Para\.\s*")


def _by_recommendation(
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


def _imported_positions(db: sqlite3.Connection, ids: list[str]) -> dict[str, tuple[str, str]]:
    """The position imports give each recommendation, with its source, where every import
    linked to it that states one agrees ("supported" or "noted"): the latest known position of
    a recommendation the indexed PDFs leave pending (its addendum not indexed). An OHCHR
    thematic list's source is the addendum paragraph it cites ("A/HRC/28/15/Add.1 para 3");
    UPR Info's is its answer ("UPR Info: Accepted")."""
    found = _by_recommendation(
        db,
        ids,
        "SELECT l.recommendation_id, i.position, i.position_source, i.source "
        "FROM import_links l JOIN imports i ON i.import_id = l.import_id "
        "WHERE l.recommendation_id IN ({}) "
        f"AND i.position IN ('{Position.SUPPORTED.value}', '{Position.NOTED.value}') "
        "ORDER BY i.source, i.import_id",
        lambda row: (
            row["position"],
            _OHCHR_PARA.sub(" para ", row["position_source"] or row["source"]),
        ),
    )
    return {
        rec_id: stated[0]
        for rec_id, stated in found.items()
        if len({position for position, _ in stated}) == 1
    }


def _response_source(report: WgReport, rec: Recommendation) -> str | None:
    if rec.position_paragraph is None or report.symbol is None:
        return None
    return f"{report.symbol} para {rec.position_paragraph}"


def _filter_sql(where: RecFilter) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    states = load_states()
    if where.state_under_review:
        state = states.resolve(where.state_under_review)
        clauses.append("r.state_under_review = ?")
        params.append(state.name if state else where.state_under_review)
    if where.recommending_state:
        state = states.resolve(where.recommending_state)
        clauses.append(
            "r.id IN (SELECT recommendation_id FROM recommendation_states WHERE name = ?)"
        )
        params.append(state.name if state else where.recommending_state)
    if where.cycle is not None:
        clauses.append("r.cycle = ?")
        params.append(where.cycle)
    if where.response:
        clauses.append("r.response = ?")
        params.append(where.response)
    if where.search:
        clauses.append(
            "r.rowid IN (SELECT rowid FROM recommendations_fts WHERE recommendations_fts MATCH ?)"
        )
        params.append(_fts_query(where.search))
    return ("WHERE " + " AND ".join(clauses)) if clauses else "", params


def _fts_query(text: str) -> str:
    """Quote each word so user text is never read as FTS syntax: all words must appear."""
    words = [word.replace('"', '""') for word in text.split()]
    return " ".join(f'"{word}"' for word in words) or '""'


# "A/HRC/DEC/28/111": the decision the Council took at its 28th session.
_DECISION = re.compile(r"^A/HRC/DEC/(\d+)/")


def _hrc_session(symbol: str) -> str:
    """The Council session a report's symbol names: "A/HRC/28/15" -> "28"."""
    return symbol.split("/")[2] if symbol.count("/") >= 3 else ""


def _document_dict(row: sqlite3.Row) -> dict[str, Any]:
    data = dict(row)
    data["warnings"] = json.loads(data["warnings"])
    return data


def _recommendation_dict(row: sqlite3.Row, states: list[sqlite3.Row]) -> dict[str, Any]:
    """A recommendation with each recommending State once, and `state_pairs`, the number of
    (ask, State) pairs: a cycle-1 item of several asks, each closed by its States, can name
    a State twice ("... (Algeria, Ecuador); ... (Algeria, Ecuador, Egypt)"), as UPR Info's
    rows count it."""
    data = dict(row)
    data["warnings"] = json.loads(data["warnings"])
    named = list(dict.fromkeys((state["name"], state["iso3"]) for state in states))
    data["recommending_states"] = [name for name, _ in named]
    data["recommending_state_codes"] = [code for _, code in named]
    data["state_pairs"] = len(states)
    return data


def _is_busy(error: sqlite3.DatabaseError) -> bool:
    """SQLite's "database is locked" / "database is busy": another connection is writing."""
    return isinstance(error, sqlite3.OperationalError) and any(
        word in str(error) for word in ("database is locked", "database is busy")
    )
