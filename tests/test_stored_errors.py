"""The index stores a failed document's error as what is wrong alone; the file is the row's
`path` (schema 11). The lines a user reads name the file as before: `uprdex status`, `uprdex
cited FILE`, the exports and `Index.documents` ("report.pdf: an HTML page ..."). An index an
earlier release wrote, whose error opened with the file's name, has that name taken off when
it is opened, only where the error opens with the row's own name and ": "."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from uprdex import Index
from uprdex.pipeline.model import DocumentRow, DocumentStatus, DocumentType
from uprdex.pipeline.names import path_text
from uprdex.pipeline.store import SCHEMA_VERSION, Store

from helpers import cli

HTML = "an HTML page (no %PDF header); save the real PDF"
EMPTY = "empty file (0 bytes)"
FAILED = {"report.pdf": (b"<html>404 Not Found</html>", HTML), "rep\nort.pdf": (b"", EMPTY)}
"""Files that fail, their bytes and what is wrong with them."""
NAMED = {"report.pdf": f"report.pdf: {HTML}", "rep\nort.pdf": f"rep\\nort.pdf: {EMPTY}"}
"""The line naming each, as every release has said it (and stored it, before schema 11): a
control character in the name is shown escaped, so that the line stays one line."""


def _ingested(tmp_path: Path) -> tuple[Path, Path]:
    """An index of the failed files, ingested from an inbox beside it; and the inbox."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name, (data, _) in FAILED.items():
        (inbox / name).write_bytes(data)
    index = tmp_path / "index.sqlite"
    assert cli("ingest", inbox, "--index", index, "--workers", "1").exit_code == 1
    return index, inbox


def _said(index: Path, inbox: Path) -> dict[str, Any]:
    """Every line a user reads of the failed files: `status`, `cited FILE` of each, the
    documents' JSONL export and `Index.documents`."""
    status = cli("status", "--index", index)
    cited = {name: cli("cited", inbox / name, "--index", index) for name in FAILED}
    export = cli("export", "--what", "documents", "--format", "jsonl", "--index", index)
    return {
        "status": (status.exit_code, status.output),
        "cited": {name: (result.exit_code, result.output) for name, result in cited.items()},
        "export": export.output,
        "api": Index(index).documents(),
    }


def _stored_errors(index: Path) -> dict[str, str | None]:
    """documents.error as the index holds it, by file name."""
    db = sqlite3.connect(index)
    rows = db.execute("SELECT path, error FROM documents").fetchall()
    db.close()
    return {Path(path).name: error for path, error in rows}


def _as_schema_10_left_it(index: Path, errors: dict[str, str]) -> None:
    """The index as the release before schema 11 wrote it: each named file's error as given."""
    db = sqlite3.connect(index, isolation_level=None)
    for path, sha256 in db.execute("SELECT path, sha256 FROM documents").fetchall():
        if Path(path).name in errors:
            db.execute(
                "UPDATE documents SET error = ? WHERE sha256 = ?",
                (errors[Path(path).name], sha256),
            )
    db.execute("UPDATE meta SET value = '10' WHERE key = 'schema_version'")
    db.close()


def _version(index: Path) -> int:
    db = sqlite3.connect(index)
    (value,) = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    db.close()
    return int(value)


def test_the_index_stores_what_is_wrong_and_every_line_still_names_the_file(
    tmp_path: Path,
) -> None:
    index, inbox = _ingested(tmp_path)
    assert _stored_errors(index) == {name: reason for name, (_, reason) in FAILED.items()}
    said = _said(index, inbox)
    status = said["status"][1]
    for name, (_, reason) in FAILED.items():
        assert f"failed {path_text(inbox / name)}: {reason}\n" in status, status
        assert said["cited"][name] == (1, f"failed {NAMED[name]}: it was not read\n")
    exported = [json.loads(line) for line in said["export"].splitlines()]
    assert sorted(row["error"] for row in exported) == sorted(NAMED.values())
    assert sorted(row["error"] for row in said["api"]) == sorted(NAMED.values())


def test_an_index_the_previous_release_wrote_shows_the_same_failed_lines(tmp_path: Path) -> None:
    index, inbox = _ingested(tmp_path)
    said = _said(index, inbox)
    _as_schema_10_left_it(index, NAMED)
    assert _said(index, inbox) == said
    assert _version(index) == SCHEMA_VERSION
    assert _stored_errors(index) == {name: reason for name, (_, reason) in FAILED.items()}


EARLIER = {
    "report.pdf": (f"report.pdf: {HTML}", HTML),
    "rep\nort.pdf": (f"rep\\nort.pdf: {EMPTY}", EMPTY),
    "report: draft.pdf": (f"report: draft.pdf: {EMPTY}", EMPTY),
    "scan.pdf": ("page 4: no text layer (a scan?)", "page 4: no text layer (a scan?)"),
    "copy.pdf": (f"report.pdf: {HTML}", f"report.pdf: {HTML}"),
    "notes.pdf": (f"notes.pdf:{EMPTY}", f"notes.pdf:{EMPTY}"),
    "draft.pdf": (f"report: draft.pdf: {EMPTY}", f"report: draft.pdf: {EMPTY}"),
}
"""Errors an earlier release may have stored, by file name, and the error the index holds
once it is opened: only a line opening with the file's own name (as the line shows it) and
": " loses that name; an error naming no file, another file, or its own name otherwise, is
kept whole."""


def test_an_earlier_error_loses_only_its_own_name(tmp_path: Path) -> None:
    index = tmp_path / "index.sqlite"
    with Store(index) as store:
        for number, name in enumerate(EARLIER):
            failed = DocumentRow(
                f"{number:064x}",
                str(tmp_path / "inbox" / name),
                DocumentType.OTHER,
                None,
                None,
                None,
                None,
                None,
                0,
                DocumentStatus.FAILED,
                "as this release reads it",
            )
            store.write_document(failed)
    _as_schema_10_left_it(index, {name: before for name, (before, _) in EARLIER.items()})
    with Store(index) as store:
        stored = {Path(document.path).name: document.error for document in store.documents()}
    assert _version(index) == SCHEMA_VERSION
    assert _stored_errors(index) == stored == {name: after for name, (_, after) in EARLIER.items()}
