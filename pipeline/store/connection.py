"""One open index file: WAL, the schema brought up to date, and transactions.

Each document is written in its own transaction, so an interrupted run never leaves a
half-written document; another program writing the index past the busy timeout is an
IndexBusyError, never a traceback.
"""

from __future__ import annotations

import os
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Self

from uprdex.pipeline.errors import BadIndexError, IndexBusyError, OutputError, UprdexError
from uprdex.pipeline.store.schema import check_ours, migrate
from uprdex.pipeline.views import refresh_lists

__all__ = ["Connection"]


class Connection:
    """The connection to one index file, its transactions and its identity."""

    def __init__(self, path: Path, busy_timeout: float = 60.0) -> None:
        """Open (or create) the index; wait up to `busy_timeout` seconds for another program
        writing it, then raise IndexBusyError."""
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        read_only = path.exists() and not _writable(path)
        self.db = (
            _read_only(path, busy_timeout)
            if read_only
            else sqlite3.connect(path, timeout=busy_timeout, isolation_level=None)
        )
        self.db.row_factory = sqlite3.Row
        try:
            check_ours(self.db, path)
            if not read_only:
                self.db.execute("PRAGMA journal_mode=WAL")
                self.db.execute("PRAGMA synchronous=NORMAL")
            # Foreign keys off: a migration rebuilds a parent table.
            migrate(self.db, path, self.transaction, read_only)
            self.db.execute("PRAGMA foreign_keys=ON")
        except sqlite3.DatabaseError as error:
            self.db.close()
            if _is_busy(error):
                raise self._busy() from error
            if isinstance(error, sqlite3.OperationalError) and _is_full(error):
                # Opening writes too: SQLite's -shm file beside the index.
                raise self._full(error) from error
            raise BadIndexError(f"{path}: not an uprdex index ({error})") from error
        except UprdexError:
            self.db.close()
            raise

    def close(self) -> None:
        """Close the connection."""
        self.db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def reading(self) -> Iterator[None]:
        """One read of the index (BEGIN ... COMMIT): every query inside sees it as the first
        did, whatever another program commits meanwhile (WAL), for an output read in several
        queries that must agree (the UPR matrix: its sheets' sizes, then their rows)."""
        if self.db.in_transaction:
            yield
            return
        self.db.execute("BEGIN")
        try:
            yield
        finally:
            self.db.execute("COMMIT")  # nothing was written: it ends the read

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT, rolled back on any error. A transaction that changed
        rows also computes the recommendations' lists its writes cleared (`refresh_lists`)
        and bumps the index's `generation`. Another program writing the index past the
        busy timeout is an IndexBusyError."""
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            if _is_busy(error):
                raise self._busy() from error
            if "readonly" in str(error):
                raise self._read_only() from error
            raise
        before = self.db.total_changes
        try:
            yield self.db
            if self.db.total_changes != before:
                refresh_lists(self.db)
                self.db.execute(
                    "INSERT INTO meta VALUES ('generation', '1') ON CONFLICT(key) "
                    "DO UPDATE SET value = CAST(value AS INTEGER) + 1"
                )
            self.db.execute("COMMIT")
        except BaseException as error:
            if self.db.in_transaction:  # a COMMIT that failed on a full disk may have ended it
                self.db.execute("ROLLBACK")
            if isinstance(error, sqlite3.OperationalError) and "readonly" in str(error):
                raise self._read_only() from error
            if isinstance(error, sqlite3.OperationalError) and _is_full(error):
                raise self._full(error) from error
            raise

    def _full(self, error: sqlite3.OperationalError) -> OutputError:
        return OutputError(
            f"cannot write {self.path}: {error} (a full disk, or a disk or share that failed); "
            "the index holds what was written before, whole, with its -wal file beside it "
            "(keep the two together): free some space and run again"
        )

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

    def _read_only(self) -> OutputError:
        return OutputError(
            f"cannot write {self.path}: it is read-only (the file, its folder or its disk); "
            "make it writable, or copy it where you can write"
        )

    def _busy(self) -> IndexBusyError:
        return IndexBusyError(
            f"{self.path} is being written by another program (another uprdex, or DB Browser "
            "with unsaved changes); try again when it has finished"
        )


def _writable(path: Path) -> bool:
    """Whether the index and its folder (where SQLite keeps its -wal and -shm files) can be
    written: not on a read-only disk or share, not a file made read-only."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def _read_only(path: Path, busy_timeout: float) -> sqlite3.Connection:
    """An index that cannot be written, opened for reading (`mode=ro`). A write-ahead-log
    index needs its -shm file beside it: on a read-only disk, which nobody writes, it is
    opened as immutable; anywhere else (a folder only its owner may write, while an ingest may
    be running; a -wal file with the last transactions in it) immutable would read stale data,
    so it is refused in one line."""
    uri = path.resolve().as_uri()
    db = sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=busy_timeout, isolation_level=None)
    try:
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return db
    except sqlite3.OperationalError as error:
        db.close()
        wal = path.with_name(path.name + "-wal")
        if not _read_only_disk(path.parent) or wal.exists():
            raise BadIndexError(
                f"{path}: cannot read it from here, as SQLite needs to write beside it ({error}): "
                "copy the index (and its -wal file, if there is one) to a folder you can write"
            ) from error
    return sqlite3.connect(f"{uri}?immutable=1", uri=True, isolation_level=None)


def _read_only_disk(folder: Path) -> bool:
    """Whether `folder` is on a disk or share mounted read-only."""
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def _is_full(error: sqlite3.OperationalError) -> bool:
    """SQLite's "database or disk is full" (ENOSPC) or "disk I/O error" (another write
    error, such as a file grown past its size limit)."""
    return any(words in str(error) for words in ("disk is full", "disk I/O error"))


def _is_busy(error: sqlite3.DatabaseError) -> bool:
    """SQLite's "database is locked" / "database is busy": another connection is writing."""
    return isinstance(error, sqlite3.OperationalError) and any(
        word in str(error) for word in ("database is locked", "database is busy")
    )
