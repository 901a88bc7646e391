"""review16: what the fixpaths merge left (pipeline/locations.py `older_path`)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from uprdex.flows.cli import main

from helpers import fixture


def _cli(*args: object) -> Result:
    result = CliRunner().invoke(main, [str(arg) for arg in args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def test_an_old_copy_above_the_workspace_does_not_stop_a_new_version_replacing_the_old(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The workspace home/proj (index data/index.sqlite, written by an earlier uprdex run in
    # home/proj: "data/inbox/andorra.pdf"); home/data/inbox/andorra.pdf holds the same bytes
    # (a download folder of the same layout, a copy of the workspace). The report is saved
    # anew in the workspace and ingested there. Without the copy: "replaces A/HRC/16/8 read at
    # this place before", one document. With it (seen by hand with albania2010.pdf): the old
    # row's path was restated as home/data/inbox/andorra.pdf, the new version indexed beside it
    # ("already indexed from another copy of A/HRC/16/8; kept once", 0 recommendations of its
    # own), and the exports and report go on naming the other folder's old file.
    home = tmp_path / "home"
    ours = home / "proj" / "data" / "inbox" / "andorra.pdf"
    copy = home / "data" / "inbox" / "andorra.pdf"
    for place in (ours, copy):
        place.parent.mkdir(parents=True)
        shutil.copy(fixture("andorra2011_recs.pdf"), place)
    index = home / "proj" / "data" / "index.sqlite"
    monkeypatch.chdir(home / "proj")
    _cli("ingest", "data/inbox/andorra.pdf", "--index", index, "--workers", "1")
    with sqlite3.connect(index) as db:
        db.execute("UPDATE documents SET path = 'data/inbox/andorra.pdf'")  # an older index
    with ours.open("ab") as pdf:
        pdf.write(b"%a new version\n")
    again = _cli("ingest", "data/inbox/andorra.pdf", "--index", index, "--workers", "1")
    with sqlite3.connect(index) as db:
        paths = [row[0] for row in db.execute("SELECT path FROM documents")]
    assert "replaces" in again.output, again.output
    assert paths == ["./inbox/andorra.pdf"]


def test_an_older_index_s_path_is_not_taken_for_the_file_another_of_its_documents_holds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # fixpaths2: the file inside the index's folder is taken for an older index's document
    # whatever it holds (a new version saved there), but not when the index records it as
    # another document's place. An earlier uprdex stored Andorra's report as
    # "data/inbox/andorra.pdf" (its ingest run in home: the file home/data/inbox/andorra.pdf)
    # and Albania's as the absolute path of the workspace's own data/inbox/andorra.pdf. Taken
    # for Andorra's place too, that file's new version "replaced" both reports, deleting
    # Andorra's asks; Andorra's place is the file outside that holds its bytes.
    home = tmp_path / "home"
    theirs = home / "data" / "inbox" / "andorra.pdf"
    ours = home / "proj" / "data" / "inbox" / "andorra.pdf"
    for name, place in (("andorra2011_recs.pdf", theirs), ("albania2010_recs.pdf", ours)):
        place.parent.mkdir(parents=True)
        shutil.copy(fixture(name), place)
    index = home / "proj" / "data" / "index.sqlite"
    monkeypatch.chdir(home)
    _cli("ingest", theirs, ours, "--index", index, "--workers", "1")
    with sqlite3.connect(index) as db:  # as an earlier uprdex stored them
        db.execute(
            "UPDATE documents SET path = CASE state_under_review "
            "WHEN 'Andorra' THEN 'data/inbox/andorra.pdf' ELSE ? END",
            (str(ours),),
        )
        asks = _asks(db, "Andorra")
    with ours.open("ab") as pdf:  # a new version of Albania's report
        pdf.write(b"%a new version\n")
    monkeypatch.chdir(home / "proj")
    again = _cli("ingest", "data/inbox", "--index", index, "--workers", "1")
    assert "replaces A/HRC/16/8" not in again.output, again.output
    with sqlite3.connect(index) as db:
        assert _asks(db, "Andorra") == asks > 0
        (path,) = db.execute(
            "SELECT path FROM documents WHERE state_under_review = 'Andorra'"
        ).fetchone()
    assert path == str(theirs)  # the file it read, which holds its bytes


def _asks(db: sqlite3.Connection, state: str) -> int:
    (asks,) = db.execute(
        "SELECT count(*) FROM recommendations r JOIN documents d "
        "ON d.sha256 = r.document_sha256 WHERE d.state_under_review = ?",
        (state,),
    ).fetchone()
    return int(asks)
