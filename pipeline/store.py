"""The consolidated evidence index: one SQLite file, WAL, versioned schema.

Only this module writes the index. Each document is written in its own transaction, so an
interrupted run never leaves a half-written document. Tables and views are named for people
(`documents`, `recommendations`, `recommendation_states`) so that any SQLite tool opens them.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from extractors.addendum import Addendum, wg_symbol_of
from extractors.states import load_states
from pipeline.model import DocumentStatus, Position, Recommendation, WgReport

__all__ = ["SCHEMA_VERSION", "DocumentRow", "RecFilter", "Store", "recommendation_id"]

SCHEMA_VERSION = 1

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
        ingested_at TEXT NOT NULL
    );
    CREATE INDEX documents_path ON documents(path);
    CREATE INDEX documents_symbol ON documents(symbol);
    CREATE TABLE recommendations (
        id TEXT PRIMARY KEY,
        document_sha256 TEXT NOT NULL REFERENCES documents(sha256) ON DELETE CASCADE,
        document_symbol TEXT,
        paragraph TEXT NOT NULL,
        state_under_review TEXT,
        cycle INTEGER,
        session INTEGER,
        year INTEGER,
        text TEXT NOT NULL,
        response TEXT NOT NULL,
        response_source TEXT,
        page INTEGER NOT NULL,
        as_printed TEXT NOT NULL,
        cluster_id TEXT,
        warnings TEXT NOT NULL DEFAULT '[]',
        section_response TEXT NOT NULL,
        section_source TEXT,
        response_detail TEXT,
        response_conflict TEXT
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
        corrected INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX evidence_recommendation ON evidence(recommendation_id);
    CREATE INDEX evidence_target ON evidence(target_symbol);
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
)


def recommendation_id(symbol: str | None, sha256: str, paragraph: str) -> str:
    """Stable id "A/HRC/26/16#118.17" (the file hash stands in for a missing symbol)."""
    return f"{symbol or sha256[:16]}#{paragraph}"


@dataclass(frozen=True, slots=True)
class DocumentRow:
    """What the index records about one ingested file."""

    sha256: str
    path: str
    type: str
    symbol: str | None
    state_under_review: str | None
    session: int | None
    cycle: int | None
    year: int | None
    pages: int
    status: DocumentStatus
    error: str | None
    warnings: tuple[str, ...] = ()


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

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.db = sqlite3.connect(path, timeout=60, isolation_level=None)
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA foreign_keys=ON")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self._migrate()

    def close(self) -> None:
        """Close the connection."""
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT, rolled back on any error."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def _migrate(self) -> None:
        with self.transaction() as db:
            db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
            row = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            version = int(row[0]) if row else 0
            if version > SCHEMA_VERSION:
                raise RuntimeError(
                    f"{self.path} was written by a newer uprdex (schema {version}); upgrade uprdex"
                )
            for script in _MIGRATIONS[version:]:
                for statement in _statements(script):
                    db.execute(statement)
            db.execute(
                "INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),)
            )

    # --- writing -------------------------------------------------------------------------

    def has_document(self, sha256: str) -> bool:
        """True when a file with these bytes is already in the index."""
        row = self.db.execute("SELECT 1 FROM documents WHERE sha256 = ?", (sha256,)).fetchone()
        return row is not None

    def write_document(
        self,
        document: DocumentRow,
        report: WgReport | None = None,
        addendum: Addendum | None = None,
    ) -> list[str]:
        """Replace everything known about this file (and an older version at the same path).

        Then bring the final responses of the WG reports it touches up to date, whichever of
        the report and its addendum came first. Returns the warnings recorded.
        """
        warnings = list(document.warnings)
        with self.transaction() as db:
            touched = self._delete_documents(db, document)
            db.execute(
                "INSERT INTO documents VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
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
                ),
            )
            if report is not None:
                duplicates = self._write_recommendations(db, document, report)
                if duplicates:
                    warnings.append(
                        f"{duplicates} recommendations already indexed from another copy of "
                        f"{report.symbol}; kept once"
                    )
                touched.add(report.symbol)
            if addendum is not None:
                warnings.extend(self._write_responses(db, document, addendum))
                touched.add(addendum.wg_symbol)
            for symbol in sorted(s for s in touched if s):
                warnings.extend(_refresh_responses(db, symbol))
            db.execute(
                "UPDATE documents SET warnings = ? WHERE sha256 = ?",
                (json.dumps(warnings), document.sha256),
            )
        return warnings

    @staticmethod
    def _delete_documents(db: sqlite3.Connection, document: DocumentRow) -> set[str | None]:
        """Delete this file's old rows; returns the WG report symbols they touched."""
        old = db.execute(
            "SELECT type, symbol FROM documents WHERE sha256 = ? OR (path = ? AND sha256 != ?)",
            (document.sha256, document.path, document.sha256),
        ).fetchall()
        db.execute(
            "DELETE FROM documents WHERE sha256 = ? OR (path = ? AND sha256 != ?)",
            (document.sha256, document.path, document.sha256),
        )
        return {
            wg_symbol_of(row["symbol"]) if row["type"] == "addendum" else row["symbol"]
            for row in old
        }

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
                        response.page,
                        "state_comment",
                        response.as_printed,
                        response.comment,
                    ),
                )
        return warnings

    def _write_recommendations(
        self, db: sqlite3.Connection, document: DocumentRow, report: WgReport
    ) -> int:
        """Insert the report's recommendations; returns how many another copy already holds."""
        states = load_states()
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
            for position, name in enumerate(rec.recommending_states):
                state = states.resolve(name)
                state_rows.append(
                    (
                        rec_id,
                        position,
                        state.name if state else name,
                        state.iso3 if state else None,
                        int(state is not None),
                    )
                )
        db.executemany(
            "INSERT OR IGNORE INTO recommendations VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            rec_rows,
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
        """Every document row, newest first."""
        rows = self.db.execute("SELECT * FROM documents ORDER BY ingested_at DESC, path")
        return [_document_dict(row) for row in rows]

    def recommendations(self, where: RecFilter | None = None) -> list[dict[str, Any]]:
        """Recommendations matching the filter, in report and paragraph order."""
        sql, params = _filter_sql(where or RecFilter())
        rows = self.db.execute(
            f"SELECT r.* FROM recommendations r {sql} "
            "ORDER BY r.state_under_review, r.cycle, r.document_symbol, "
            "CAST(substr(r.paragraph, 1, instr(r.paragraph, '.') - 1) AS INTEGER), "
            "CAST(substr(r.paragraph, instr(r.paragraph, '.') + 1) AS INTEGER)",
            params,
        ).fetchall()
        return self._with_states(rows)

    def recommendation(self, symbol: str, paragraph: str) -> dict[str, Any] | None:
        """One recommendation by the symbol of its report and its paragraph number."""
        rows = self.db.execute(
            "SELECT * FROM recommendations WHERE document_symbol = ? AND paragraph = ?",
            (symbol, paragraph),
        ).fetchall()
        found = self._with_states(rows)
        return found[0] if found else None

    def _with_states(self, rows: Sequence[sqlite3.Row]) -> list[dict[str, Any]]:
        by_id: dict[str, list[sqlite3.Row]] = {}
        ids = [row["id"] for row in rows]
        for chunk_start in range(0, len(ids), 500):
            chunk = ids[chunk_start : chunk_start + 500]
            marks = ",".join("?" * len(chunk))
            for state in self.db.execute(
                f"SELECT * FROM recommendation_states WHERE recommendation_id IN ({marks}) "
                "ORDER BY recommendation_id, position",
                chunk,
            ):
                by_id.setdefault(state["recommendation_id"], []).append(state)
        return [_recommendation_dict(row, by_id.get(row["id"], [])) for row in rows]

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


def _statements(script: str) -> Iterator[str]:
    """Split a migration script into statements (trigger bodies keep their inner ';')."""
    buffer: list[str] = []
    for line in script.strip().splitlines():
        buffer.append(line)
        joined = "\n".join(buffer).strip()
        if joined.endswith(";") and sqlite3.complete_statement(joined):
            yield joined
            buffer = []


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
    updates: list[tuple[Any, ...]] = []
    for rec in recs:
        answer = answers.get(rec["paragraph"])
        if answer is None:
            updates.append((rec["section_response"], rec["section_source"], None, None, rec["id"]))
            continue
        where = f"para {answer['paragraph']}" if answer["paragraph"] else f"p. {answer['page']}"
        source = f"{answer['addendum_symbol']} {where}"
        conflict = None
        stated = rec["section_response"]
        if stated in (Position.SUPPORTED.value, Position.NOTED.value) and (
            stated != answer["position"]
        ):
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
        "SELECT id, target_ref FROM evidence WHERE target_symbol = ?", (wg_symbol,)
    ).fetchall():
        paragraph = resolve(row["target_ref"])
        rec_id = f"{wg_symbol}#{paragraph}" if paragraph in known else None
        db.execute("UPDATE evidence SET recommendation_id = ? WHERE id = ?", (rec_id, row["id"]))
    if recs and unmatched:
        return [
            f"{wg_symbol}: responses to {len(unmatched)} paragraphs not in the report "
            f"({', '.join(unmatched[:5])}{' ...' if len(unmatched) > 5 else ''})"
        ]
    return []


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


def _document_dict(row: sqlite3.Row) -> dict[str, Any]:
    data = dict(row)
    data["warnings"] = json.loads(data["warnings"])
    return data


def _recommendation_dict(row: sqlite3.Row, states: list[sqlite3.Row]) -> dict[str, Any]:
    data = dict(row)
    data["warnings"] = json.loads(data["warnings"])
    data["recommending_states"] = [state["name"] for state in states]
    data["recommending_state_codes"] = [state["iso3"] for state in states]
    return data
