"""File and folder names that are not UTF-8 (a folder unzipped from an archive made on Windows:
b"caf\\xe9.pdf"), and UTF-8 names that spell such an escape: each is indexed, named, exported and
opened as the file it is."""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
from pathlib import Path
from urllib.parse import unquote

import pytest

from uprdex.pipeline.names import NAME_SPELLS_ESCAPE

from helpers import cli as _cli
from helpers import fixture

REPORT = fixture("andorra2011_recs.pdf")
EXIT_SOME_FAILED, EXIT_USAGE = 1, 2


def test_cited_takes_a_file_whose_name_is_not_utf8(tmp_path: Path) -> None:
    # b"caf\xe9.pdf" (unzipped from a Windows archive) is indexed since 814c10e; `uprdex
    # cited` of it ended in a UnicodeEncodeError traceback (SQLite refuses the surrogate).
    folder = Path(os.fsdecode(bytes(tmp_path) + b"/d\xe9p"))
    folder.mkdir()
    report = Path(shutil.copy(REPORT, folder / os.fsdecode(b"caf\xe9.pdf")))
    index = tmp_path / "index.sqlite"
    assert _cli("ingest", folder, "--index", index).exit_code == 0
    for named in (report, Path(os.path.relpath(report))):
        found = _cli("cited", named, "--index", index)
        assert found.exit_code == 0 and found.output.strip(), found.stderr
    (folder / os.fsdecode(b"other\xe9.pdf")).write_bytes(b"%PDF-1.4 not indexed")
    missing = _cli("cited", folder / os.fsdecode(b"other\xe9.pdf"), "--index", index)
    assert missing.exit_code == EXIT_USAGE
    assert missing.stderr.strip().endswith("d\\xe9p/other\\xe9.pdf: not in the index")


def test_a_name_not_utf8_and_one_spelling_its_escape_are_two_documents(tmp_path: Path) -> None:
    # The bytes b"caf\xe9.pdf" are stored escaped as "caf\xe9.pdf", which is also how a file
    # named with a backslash, x, e, 9 was stored: in one batch the second replaced the first
    # ("2 indexed", exit 0, and one document left in the index).
    odd = tmp_path / os.fsdecode(b"caf\xe9.pdf")
    spelled = tmp_path / "caf\\xe9.pdf"
    shutil.copy(fixture("albania2010_recs.pdf"), odd)
    shutil.copy(REPORT, spelled)
    index = tmp_path / "index.sqlite"
    result = _cli("ingest", odd, spelled, "--index", index)
    assert result.exit_code == 0 and "from 2 documents" in result.stdout, result.output
    with sqlite3.connect(index) as db:
        rows = sorted(db.execute("SELECT path, sha256 FROM documents"))
    assert [path for path, _ in rows] == ["./caf\\\\xe9.pdf", "./caf\\xe9.pdf"]  # `locations`
    from uprdex.pipeline.locations import located  # what browse and the report open

    assert [located(path, index, sha256) for path, sha256 in rows] == [spelled, odd]
    assert (
        f"unchanged {tmp_path}/caf\\\\xe9.pdf" in _cli("ingest", spelled, "--index", index).stdout
    )


def test_run_names_an_inbox_or_index_path_that_is_not_utf8(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A folder unzipped from a Windows archive (b"d\xe9p"): the nightly flow's parameters went
    # to Prefect's API as JSON, which ended in a UnicodeEncodeError traceback (httpx).
    monkeypatch.chdir(tmp_path)
    odd = Path(os.fsdecode(b"d\xe9p"))
    odd.mkdir()
    shutil.copy(REPORT, odd / "report.pdf")
    Path("inbox").mkdir()
    for args, name in (
        (["--inbox", odd, "--index", "index.sqlite"], "inbox"),
        (["--inbox", "inbox", "--index", odd / "index.sqlite"], "index"),
    ):
        result = _cli("run", *args)
        assert result.exit_code == EXIT_USAGE
        line = result.stderr.strip()
        assert line.startswith(f"error d\\xe9p{'/index.sqlite' * (name == 'index')}: the {name}")
        assert "not UTF-8 text" in line and "\n" not in line
    assert sorted(os.listdir()) == sorted(["inbox", os.fsdecode(b"d\xe9p")])


def test_an_index_an_earlier_release_wrote_links_a_name_spelling_an_escape(
    tmp_path: Path,
) -> None:
    # An earlier release stored a file named "a\xe9 b.pdf" in letters as it is; read back as
    # the bytes b"a\xe9 b.pdf", the report linked a file that is not there, and browse answered
    # that it is not there any more.
    spelled = Path(shutil.copy(REPORT, tmp_path / "a\\xe9 b.pdf"))
    index = tmp_path / "index.sqlite"
    assert _cli("ingest", spelled, "--index", index).exit_code == 0
    with sqlite3.connect(index) as db:
        db.execute("UPDATE documents SET path = ?", (str(spelled),))
    assert _cli("report", "--index", index, "--out", tmp_path / "html").exit_code == 0
    pages = (page.read_text(encoding="utf-8") for page in (tmp_path / "html").glob("*.html"))
    hrefs = {href for page in pages for href in re.findall(r'href="([^"#]+\.pdf)[#"]', page)}
    assert hrefs and {unquote(href) for href in hrefs} == {"../a\\xe9 b.pdf"}, hrefs


def test_a_name_spelling_an_escape_is_warned_of_as_one_not_utf8_is(tmp_path: Path) -> None:
    # A file named "a\xe9 b.pdf" in letters is stored and exported as "a\\xe9 b.pdf", so that
    # it is not taken for the bytes b"a\xe9 b.pdf": that was said nowhere.
    spelled = Path(shutil.copy(REPORT, tmp_path / "a\\xe9 b.pdf"))
    index = tmp_path / "index.sqlite"
    ingest = _cli("ingest", spelled, "--index", index)
    assert ingest.exit_code == 0 and NAME_SPELLS_ESCAPE in ingest.output, ingest.output
    exported = _cli("export", "--what", "documents", "--format", "json", "--index", index)
    [document] = json.loads(exported.stdout)
    assert document["path"] == f"{tmp_path}/a\\\\xe9 b.pdf"
    assert NAME_SPELLS_ESCAPE in document["warnings"], document
