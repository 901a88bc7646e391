"""Where the index says a file is (`documents.path`, pipeline/locations.py): links that open
from any folder, a workspace that can be copied or moved whole, and two files of one name."""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
from pathlib import Path
from urllib.parse import unquote_to_bytes, urlparse

import pytest
from click.testing import CliRunner, Result

from uprdex.flows.cli import main

from helpers import fixture


def _cli(*args: object) -> Result:
    result = CliRunner().invoke(main, [str(arg) for arg in args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def _exported_paths(index: Path) -> list[str]:
    out = _cli("export", "--what", "documents", "--format", "jsonl", "--index", index).stdout
    return [json.loads(line)["path"] for line in out.splitlines()]


def _opened(page: Path) -> set[Path]:
    """The PDFs a report page's links open (`file:` URLs and links relative to the page)."""
    hrefs = re.findall(r'href="([^"#]+\.pdf)[#"]', page.read_text(encoding="utf-8"))
    return {
        Path(os.fsdecode(unquote_to_bytes(urlparse(href).path)))
        if href.startswith("file://")
        else (page.parent / os.fsdecode(unquote_to_bytes(href))).resolve()
        for href in hrefs
    }


def test_links_open_from_any_folder_and_after_the_workspace_is_copied(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # probe3: documents.path held "../shared/data/wg_reports/tunisia2012.pdf", relative to the
    # folder `uprdex ingest` ran in: a report written from another folder linked PDFs that were
    # not there, and an ingest of the same file from another folder recorded it "moved" to a
    # path relative to that folder, breaking the links made from the first.
    workspace, third = tmp_path / "upr", tmp_path / "elsewhere"
    (workspace / "data" / "inbox").mkdir(parents=True)
    third.mkdir()
    shutil.copy(fixture("andorra2011_recs.pdf"), workspace / "data" / "inbox" / "andorra.pdf")
    monkeypatch.chdir(workspace)
    _cli("ingest", "data/inbox", "--index", "data/index.sqlite", "--workers", "1")
    monkeypatch.chdir(tmp_path)
    again = _cli("ingest", "upr/data/inbox", "--index", "upr/data/index.sqlite")
    assert "1 unchanged" in again.output and "moved" not in again.output, again.output
    monkeypatch.chdir(third)
    index = Path("../upr/data/index.sqlite")
    inbox_file = workspace / "data" / "inbox" / "andorra.pdf"
    assert _exported_paths(index) == [str(inbox_file)]
    _cli("report", "--index", index, "--out", "report")
    assert _opened(third / "report" / "andorra.html") == {inbox_file}
    _cli("report", "--index", index)  # into the workspace: data/reports/html
    copy = Path(shutil.copytree(workspace, tmp_path / "copy"))
    shutil.rmtree(workspace)
    copied_file = copy / "data" / "inbox" / "andorra.pdf"
    assert _exported_paths(copy / "data" / "index.sqlite") == [str(copied_file)]
    assert _opened(copy / "data" / "reports" / "html" / "andorra.html") == {copied_file}


def test_a_file_of_the_same_name_in_another_folder_is_another_document(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Both stored as "report.pdf" (relative to the folder each ingest ran in), the second
    # replaced the first as "an older version at the same path": Andorra's asks were gone.
    index = tmp_path / "index" / "index.sqlite"
    for folder, name in (("a", "andorra2011_recs.pdf"), ("b", "albania2010_recs.pdf")):
        (tmp_path / folder).mkdir()
        shutil.copy(fixture(name), tmp_path / folder / "report.pdf")
        monkeypatch.chdir(tmp_path / folder)
        _cli("ingest", "report.pdf", "--index", index, "--workers", "1")
    with sqlite3.connect(index) as db:
        states = {row[0] for row in db.execute("SELECT state_under_review FROM documents")}
    assert states == {"Andorra", "Albania"}
    assert sorted(_exported_paths(index)) == [
        str(tmp_path / "a" / "report.pdf"),
        str(tmp_path / "b" / "report.pdf"),
    ]


def test_an_older_index_s_relative_path_is_stored_anew_when_its_file_is_met_there(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An index written before the rule holds paths relative to where its ingest ran: read
    # from there as before, and stored as the index stores paths now at the next ingest.
    index = tmp_path / "index" / "index.sqlite"
    shutil.copy(fixture("andorra2011_recs.pdf"), tmp_path / "andorra.pdf")
    _cli("ingest", tmp_path / "andorra.pdf", "--index", index, "--workers", "1")
    with sqlite3.connect(index) as db:
        db.execute("UPDATE documents SET path = 'andorra.pdf'")
    monkeypatch.chdir(tmp_path)
    assert _exported_paths(index) == [str(tmp_path / "andorra.pdf")]
    _cli("ingest", "andorra.pdf", "--index", index)
    monkeypatch.chdir(index.parent)
    assert _exported_paths(index) == [str(tmp_path / "andorra.pdf")]


def test_an_older_index_s_relative_paths_open_from_another_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # older14: an earlier uprdex, run in the workspace, stored "data/inbox/andorra.pdf"; read
    # from the working folder, the exports and the report run from another folder named a file
    # that is not there.
    workspace = tmp_path / "upr"
    index = workspace / "data" / "index.sqlite"
    inbox = workspace / "data" / "inbox"
    inbox.mkdir(parents=True)
    shutil.copy(fixture("andorra2011_recs.pdf"), inbox / "andorra.pdf")
    _cli("ingest", inbox / "andorra.pdf", "--index", index, "--workers", "1")
    with sqlite3.connect(index) as db:
        db.execute("UPDATE documents SET path = 'data/inbox/andorra.pdf'")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert _exported_paths(index) == [str(inbox / "andorra.pdf")]
    _cli("report", "--index", index, "--out", elsewhere / "html")
    assert _opened(elsewhere / "html" / "andorra.html") == {inbox / "andorra.pdf"}
    # Met again at its place, it is that file, unchanged (not "moved from data/inbox/...").
    again = _cli("ingest", inbox / "andorra.pdf", "--index", index).stdout
    assert "1 unchanged" in again and "moved" not in again


def test_report_links_to_files_outside_the_workspace_open_wherever_the_report_goes(
    tmp_path: Path,
) -> None:
    # A report linked every PDF relatively ("../../../shared/data/x.pdf"): the reports folder
    # copied with its workspace, or sent on, linked files that were not there.
    index = tmp_path / "upr" / "data" / "index.sqlite"
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    shutil.copy(fixture("andorra2011_recs.pdf"), downloads / "andorra.pdf")
    _cli("ingest", downloads / "andorra.pdf", "--index", index, "--workers", "1")
    _cli("report", "--index", index)
    copy = Path(shutil.copytree(tmp_path / "upr", tmp_path / "backup" / "2025" / "upr"))
    page = copy / "data" / "reports" / "html" / "andorra.html"
    assert _opened(page) == {downloads / "andorra.pdf"}


def test_the_same_file_met_at_another_place_says_where_it_is_indexed(tmp_path: Path) -> None:
    # A copy of an indexed file (another name, another folder) was "unchanged" with no word
    # of which file the index holds.
    index = tmp_path / "data" / "index.sqlite"
    first = tmp_path / "data" / "inbox" / "andorra.pdf"
    first.parent.mkdir(parents=True)
    shutil.copy(fixture("andorra2011_recs.pdf"), first)
    _cli("ingest", first, "--index", index, "--workers", "1")
    copy = Path(shutil.copy(first, tmp_path / "Andorra UPR 2011.pdf"))
    again = _cli("ingest", copy, "--index", index)
    assert "1 unchanged" in again.output and f"already indexed as {first}" in again.output
    assert _exported_paths(index) == [str(first)]


def test_a_copy_read_again_by_a_new_release_keeps_the_first_place(tmp_path: Path) -> None:
    # A file an earlier release read is read again at its next ingest: met as a copy at
    # another place, the index moved there, away from the inbox file still in place.
    index = tmp_path / "data" / "index.sqlite"
    first = tmp_path / "data" / "inbox" / "andorra.pdf"
    first.parent.mkdir(parents=True)
    shutil.copy(fixture("andorra2011_recs.pdf"), first)
    _cli("ingest", first, "--index", index, "--workers", "1")
    with sqlite3.connect(index) as db:
        db.execute("UPDATE documents SET reader = NULL")  # as an earlier release left it
    copy = Path(shutil.copy(first, tmp_path / "Andorra UPR 2011.pdf"))
    again = _cli("ingest", copy, "--index", index, "--workers", "1")
    assert "1 indexed" in again.output, again.output
    assert _exported_paths(index) == [str(first)]


def test_a_search_hit_in_a_document_without_a_symbol_names_a_path_that_opens(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # review9: a hit in the evidence of a document without a symbol (news, an NGO report) was
    # named by the stored "./inbox/x.pdf", which opens from nowhere but the index's folder.
    workspace, elsewhere = tmp_path / "ws", tmp_path / "elsewhere"
    (workspace / "inbox").mkdir(parents=True)
    elsewhere.mkdir()
    for name in ("slovenia2014_recs.pdf", "svn2014_addendum.pdf"):
        shutil.copy(fixture(name), workspace / "inbox" / name)
    monkeypatch.chdir(workspace)
    _cli("ingest", "inbox", "--index", "index.sqlite", "--workers", "1")
    with sqlite3.connect(workspace / "index.sqlite") as db:  # standing in for a news item
        db.execute("UPDATE documents SET symbol = NULL WHERE type = 'addendum'")
    monkeypatch.chdir(elsewhere)
    found = _cli("search", "--index", workspace / "index.sqlite", "National Assembly ratified")
    named = re.search(r"evidence: (\S+\.pdf):", found.output.replace("\n", ""))
    assert named, found.output
    assert Path(named.group(1)) == workspace / "inbox" / "svn2014_addendum.pdf", found.output


def test_an_older_index_s_relative_path_is_not_taken_for_another_file_of_that_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # review14a finding 1: the older path "data/inbox/andorra.pdf" (an ingest run in `proj`,
    # the index kept elsewhere) was looked for above the index's folder before the working
    # folder, and found there in another workspace of the same layout: another file, other
    # bytes. The next write stored that place, and that file's ingest then "replaced" the
    # report it was taken for, deleting its recommendations.
    ours, theirs, index = _older_index_beside_another_workspace(tmp_path, monkeypatch)
    asks = _andorra_asks(index)
    shutil.copy(fixture("albania2014_recs.pdf"), ours.parent / "albania2014.pdf")
    _cli("ingest", ours.parent / "albania2014.pdf", "--index", index, "--workers", "1")  # a write
    _cli("ingest", theirs, "--index", index, "--workers", "1")
    assert _andorra_asks(index) == asks


def test_an_older_index_s_relative_path_exports_the_file_it_read_not_another_of_that_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # review14a finding 1b: run from the folder its ingest ran in, an older index's
    # "data/inbox/andorra.pdf" was exported as the file of that name in another workspace
    # above the index's folder (other bytes), which the report then links to.
    ours, _, index = _older_index_beside_another_workspace(tmp_path, monkeypatch)
    (exported,) = _exported_paths(index)
    assert Path(exported).resolve() == ours.resolve()


@pytest.mark.parametrize("where", ["saved anew in its workspace", "run from another folder"])
def test_an_older_index_s_relative_path_is_not_taken_for_another_file_outside_its_folder(
    where: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # fixpaths: "data/inbox/andorra.pdf" names no file that holds the bytes the index read,
    # the report saved anew in the workspace the older ingest ran in, or that workspace not
    # found from the folder the command runs in; it names one in another workspace above the
    # index (outside the index's folder). That file was taken for the report's place (the
    # nearest found, or the only one), and its ingest "replaced" the report, deleting its
    # recommendations; the export named it.
    ours, theirs, index = _older_index_beside_another_workspace(tmp_path, monkeypatch)
    asks = _andorra_asks(index)
    if where == "saved anew in its workspace":
        with ours.open("ab") as pdf:
            pdf.write(b"%a new version\n")
    else:
        monkeypatch.chdir(tmp_path)
    assert _exported_paths(index) == ["data/inbox/andorra.pdf"]  # as stored: not found
    replaced = _cli("ingest", theirs, "--index", index, "--workers", "1")
    assert "replaces" not in replaced.output, replaced.output
    assert _andorra_asks(index) == asks


def _older_index_beside_another_workspace(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[Path, Path, Path]:
    """Andorra's report at home/proj/data/inbox/andorra.pdf in an index home/indexes kept, its
    path "data/inbox/andorra.pdf" as an earlier uprdex run in home/proj stored it, and Albania's
    report at home/data/inbox/andorra.pdf, another workspace of the same layout: the two files
    (ours, theirs) and the index; the working folder home/proj."""
    home = tmp_path / "home"
    ours, theirs = (
        home / "proj" / "data" / "inbox" / "andorra.pdf",
        home / "data" / "inbox" / "andorra.pdf",
    )
    for name, place in (("andorra2011_recs.pdf", ours), ("albania2010_recs.pdf", theirs)):
        place.parent.mkdir(parents=True)
        shutil.copy(fixture(name), place)
    index = home / "indexes" / "index.sqlite"
    monkeypatch.chdir(home / "proj")
    _cli("ingest", ours, "--index", index, "--workers", "1")
    with sqlite3.connect(index) as db:
        db.execute("UPDATE documents SET path = 'data/inbox/andorra.pdf'")
    return ours, theirs, index


def _andorra_asks(index: Path) -> int:
    with sqlite3.connect(index) as db:
        (asks,) = db.execute(
            "SELECT count(*) FROM recommendations WHERE document_symbol = 'A/HRC/16/8'"
        ).fetchone()
    return int(asks)
