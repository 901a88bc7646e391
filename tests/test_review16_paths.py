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


@pytest.mark.xfail(
    strict=True,
    reason="review16 finding 3: older_path prefers a file with the document's bytes anywhere "
    "above the index (another workspace, a download folder) to the workspace's own file: a new "
    "version saved at the place the index read no longer replaces the old one",
)
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
