"""review9: an index an earlier uprdex wrote (documents.path relative to the folder its ingest
ran in) meets a new version of one of its files at the same place. Before the paths branch the
older version was replaced ("an older version at the same path"); now both stay."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from uprdex.flows.cli import main

from helpers import fixture


def test_a_new_version_of_a_file_an_older_index_holds_replaces_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inbox = tmp_path / "data" / "inbox"
    inbox.mkdir(parents=True)
    shutil.copy(fixture("andorra2011_recs.pdf"), inbox / "andorra.pdf")
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    args = ["ingest", "data/inbox", "--index", "data/index.sqlite", "--workers", "1"]
    assert runner.invoke(main, args, catch_exceptions=False).exit_code == 0
    with sqlite3.connect("data/index.sqlite") as db:  # as an uprdex before paths stored it
        db.execute("UPDATE documents SET path = 'data/inbox/andorra.pdf'")
    with (inbox / "andorra.pdf").open("ab") as pdf:  # a new version of the file, same place
        pdf.write(b"%a new version\n")
    result = runner.invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 0
    assert "replaces A/HRC/16/8 read at this place before" in result.output, result.output
    with sqlite3.connect("data/index.sqlite") as db:
        paths = [row[0] for row in db.execute("SELECT path FROM documents")]
    assert len(paths) == 1, paths


def test_a_file_saved_under_the_name_of_one_renamed_is_not_taken_for_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a.pdf is renamed 0.pdf, and another report is saved as a.pdf: 0.pdf is not "already
    # indexed as a.pdf" (a.pdf holds other bytes now), and after one ingest both are indexed.
    inbox = tmp_path / "data" / "inbox"
    inbox.mkdir(parents=True)
    shutil.copy(fixture("andorra2011_recs.pdf"), inbox / "a.pdf")
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    args = ["ingest", "data/inbox", "--index", "data/index.sqlite", "--workers", "1"]
    assert runner.invoke(main, args, catch_exceptions=False).exit_code == 0
    (inbox / "a.pdf").rename(inbox / "0.pdf")
    shutil.copy(fixture("albania2010_recs.pdf"), inbox / "a.pdf")
    result = runner.invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 0
    assert "already indexed as" not in result.output, result.output
    with sqlite3.connect("data/index.sqlite") as db:
        documents = sorted(db.execute("SELECT path, state_under_review FROM documents"))
    assert documents == [("./inbox/0.pdf", "Andorra"), ("./inbox/a.pdf", "Albania")]
