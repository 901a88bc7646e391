"""A file indexed, then moved or renamed (a name that is not UTF-8 made readable): the index
follows it, so that the report's and the browser's links open it again."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from click.testing import CliRunner

from uprdex.flows.cli import main
from uprdex.pipeline.names import NAME_NOT_UTF8, path_text
from uprdex.pipeline.store import Store

from helpers import fixture


def _documents(index: Path) -> list[tuple[str, list[str]]]:
    """Each document's path as the exports give it (one that opens from any folder)."""
    with Store(index) as store:
        return [(document.path, list(document.warnings)) for document in store.documents()]


def test_a_file_renamed_to_a_utf8_name_is_found_under_it(tmp_path: Path) -> None:
    inbox, index = tmp_path / "inbox", tmp_path / "index.sqlite"
    inbox.mkdir()
    windows = inbox / os.fsdecode(b"Andorra \x96 2011.pdf")  # cp1252's en dash
    shutil.copy(fixture("andorra2011_recs.pdf"), windows)
    runner = CliRunner()
    first = runner.invoke(main, ["ingest", str(inbox), "--index", str(index), "--workers", "1"])
    assert first.exit_code == 0, first.output
    assert NAME_NOT_UTF8 in first.output
    assert _documents(index) == [(path_text(windows), [NAME_NOT_UTF8])]

    renamed = windows.rename(inbox / "Andorra – 2011.pdf")
    again = runner.invoke(main, ["ingest", str(inbox), "--index", str(index), "--workers", "1"])
    assert again.exit_code == 0, again.output
    assert "unchanged" in again.output and "moved from" in again.output
    assert _documents(index) == [(str(renamed), [])]


def test_a_file_still_where_it_was_read_stays_there(tmp_path: Path) -> None:
    inbox, index = tmp_path / "inbox", tmp_path / "index.sqlite"
    inbox.mkdir()
    shutil.copy(fixture("andorra2011_recs.pdf"), inbox / "first.pdf")
    runner = CliRunner()
    runner.invoke(main, ["ingest", str(inbox), "--index", str(index), "--workers", "1"])
    shutil.copy(inbox / "first.pdf", tmp_path / "copy.pdf")  # the same bytes elsewhere
    again = runner.invoke(main, ["ingest", str(tmp_path / "copy.pdf"), "--index", str(index)])
    assert again.exit_code == 0 and "moved" not in again.output
    assert [path for path, _ in _documents(index)] == [str(inbox / "first.pdf")]
