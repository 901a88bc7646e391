"""review23: a code review of main's last two sessions (errnames, stopblock, fixrejected,
smalls, fixreview21, smalls2, ...). Each test pins one finding of /work/notes/REPORT-review23.md:
an xfail(strict=True) for what is left, a plain test for what this branch fixed."""

from __future__ import annotations

from pathlib import Path

import pytest

from uprdex.pipeline.store import Store

BROKEN_PDF = b"%PDF-1.7\n" + b"\x00garbage" * 50


def test_a_thematic_list_pdf_that_cannot_be_read_is_named_once(tmp_path: Path) -> None:
    # Finding 6 (fixed). `uprdex import thematic-list list.pdf` of a broken PDF said "failed
    # list.pdf: cannot read as thematic-list (list.pdf: broken PDF (...))": the loader's
    # BadDocumentError names the file in its message, and import_file named it again.
    from uprdex.flows.ingest import import_file

    bad = tmp_path / "list.pdf"
    bad.write_bytes(BROKEN_PDF)
    with Store(tmp_path / "index.sqlite") as store:
        result = import_file(bad, "thematic-list", store)
    assert result.outcome == "failed"
    assert str(result.error).count("list.pdf") == 1, result.error
    assert "broken PDF" in str(result.error), result.error


def test_a_forget_cut_short_before_its_clustering_is_finished_by_running_it_again(
    tmp_path: Path,
) -> None:
    # Finding 3 (fixed by fixforget: the write records the States it leaves to cluster).
    # `cluster forget` drops the correction in one transaction and clusters the States again
    # after it. Cut short between the two (Ctrl-C, exit 130; a kill), the clusters still apply
    # the forgotten link; README's exit codes say "run it again to go on", but run again it
    # says "no link or unlink of A and B is recorded" (exit 2) and leaves the clusters as they
    # were. Nothing else notices: clusters_current() reads settings and models, not the
    # corrections, and `ingest` clusters again only the States it indexed.
    from helpers import cli, fixture

    index = tmp_path / "index.sqlite"
    assert cli("ingest", fixture("slovenia2014_recs.pdf"), "--index", index).exit_code == 0
    a, b = "A/HRC/28/15#115.1", "A/HRC/28/15#115.2"
    with Store(index) as store:
        apart = store.cluster_ids([a, b])
    assert apart[a] != apart[b], apart
    assert cli("cluster", "link", a, b, "--index", index).exit_code == 0
    with Store(index) as store:
        linked = store.cluster_ids([a, b])
        assert linked[a] == linked[b], linked
        store.forget_correction(a, b)  # what forget writes before it clusters again: cut here
    again = cli("cluster", "forget", a, b, "--index", index)
    with Store(index) as store:
        after = store.cluster_ids([a, b])
    assert after[a] != after[b], (again.output, after)


def test_an_addendum_has_the_same_cycle_in_browse_as_in_the_documents_export(
    tmp_path: Path,
) -> None:
    # Finding 4 (fixed by fixforget: stored at write time, store/reviews.py, schema 12).
    # how-it-works: "An addendum or a decision takes the session and cycle of its review's WG
    # report when that is indexed; until it is, ... the one whose reviews its Council session
    # adopts ... so that `--cycle` keeps it". That is applied when the index is read
    # (queries.documents), never stored: `uprdex browse` serves the documents table, where a
    # researcher faceting Documents by cycle does not find the State's answers or decisions.
    import sqlite3
    from contextlib import closing

    from helpers import cli, fixture

    index = tmp_path / "index.sqlite"
    assert cli("ingest", fixture("addendum_matrix_svn2014.pdf"), "--index", index).exit_code == 0
    with Store(index) as store:
        exported = {d.sha256: (d.session, d.cycle) for d in store.documents()}
    assert list(exported.values()) == [(None, 2)], exported  # A/HRC/28/15/Add.1: Council 28
    with closing(sqlite3.connect(index)) as db:
        served = {
            sha: (session, cycle)
            for sha, session, cycle in db.execute("SELECT sha256, session, cycle FROM documents")
        }
    assert served == exported


def test_a_links_import_cut_short_before_its_clustering_is_finished_by_running_it_again(
    tmp_path: Path,
) -> None:
    # Finding 3 (fixed by fixforget).
    # The same gap as `forget`'s: `cluster links --import` records the file's corrections in
    # one transaction, then clusters the States of those that changed; run again after a cut,
    # none changed, so no State is clustered again and the link never applies.
    from uprdex.pipeline.corrections import read_csv

    from helpers import cli, fixture

    a, b = "A/HRC/28/15#115.1", "A/HRC/28/15#115.2"
    team, ours = tmp_path / "team.sqlite", tmp_path / "ours.sqlite"
    shared = tmp_path / "team.csv"
    for index in (team, ours):
        assert cli("ingest", fixture("slovenia2014_recs.pdf"), "--index", index).exit_code == 0
    assert cli("cluster", "link", a, b, "--index", team).exit_code == 0
    assert cli("cluster", "links", "--export", shared, "--index", team).exit_code == 0
    with Store(ours) as store:
        assert len(set(store.cluster_ids([a, b]).values())) == 2
        store.record_corrections(read_csv(shared))  # what --import writes first: cut here
    again = cli("cluster", "links", "--import", shared, "--index", ours)
    with Store(ours) as store:
        after = store.cluster_ids([a, b])
    assert after[a] == after[b], (again.output, after)


def test_the_ocr_reads_the_bytes_the_index_records_not_the_file_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Finding 2 (fixed). extract_file hashes the file's bytes once, and every stage reads those
    # bytes; OCR (with [loader] ocr) copied the file from its path again, so a file replaced in
    # between (a download finishing in the inbox) was recorded under the first bytes' sha256
    # with the second file's text. A stand-in ocrmypdf copies its input: its output is the
    # bytes it got.
    import hashlib
    import io
    import stat

    import pypdfium2 as pdfium

    from uprdex.flows import extract
    from uprdex.pipeline.model import DocumentStatus
    from uprdex.pipeline.settings import LoaderSettings

    from helpers import fixture

    blank = pdfium.PdfDocument.new()
    blank.new_page(595, 842)
    buffer = io.BytesIO()
    blank.save(buffer)
    scan = buffer.getvalue()
    program = tmp_path / "ocrmypdf"
    program.write_text('#!/bin/sh\nfor a; do prev="$cur"; cur="$a"; done\ncp "$prev" "$cur"\n')
    program.chmod(program.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setattr(extract.shutil, "which", lambda name: str(program))
    path = tmp_path / "scan.pdf"
    path.write_bytes(fixture("slovenia2014_recs.pdf").read_bytes())  # what the path holds now
    hashed = (scan, hashlib.sha256(scan).hexdigest())  # what it held when it was read
    monkeypatch.setattr(extract, "read_with_hash", lambda _: hashed)
    document = extract.extract_file(path, LoaderSettings(ocr=True)).document
    assert document.sha256 == hashed[1]
    assert document.status is DocumentStatus.NEEDS_OCR, (document.type, document.symbol)


def test_the_nightly_extract_task_returns_a_reading_only_of_the_bytes_its_cache_key_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Finding 1 (fixed). `_ingest` hashes every inbox file first (scan_inbox), then submits
    # them all; a file is read when a thread is free, minutes later in a large batch.
    # extract_task's cache key is the scanned sha256 (`_extract_cache_key`), but extract_file
    # read and hashed the file again. Replaced in between (a corrected download saved over the
    # old one), the reading of the new bytes was returned, so cached, under the old bytes'
    # key; a later run that meets the old bytes (in any workspace of this Prefect home)
    # indexed the new file's records at the old file's path. Now (stale) the flow reads each
    # file once and hands the task its bytes with their sha256: the task opens no file, and
    # its reading is of those bytes, whatever the path holds by then.
    import hashlib
    import logging

    from uprdex.flows import nightly
    from uprdex.pipeline.model import DocumentStatus
    from uprdex.pipeline.settings import LoaderSettings

    from helpers import fixture

    monkeypatch.setattr(nightly, "get_run_logger", lambda: logging.getLogger("review23"))
    data = fixture("slovenia2014_recs.pdf").read_bytes()
    sha256 = hashlib.sha256(data).hexdigest()
    path = tmp_path / "report.pdf"
    path.write_bytes(b"%PDF-1.7 saved over it since")
    extracted = nightly.extract_task.fn(str(path), sha256, data, LoaderSettings())
    document = extracted.document
    assert (document.sha256, document.status) == (sha256, DocumentStatus.INDEXED), document.error
    assert document.symbol == "A/HRC/28/15"


@pytest.mark.prefect
def test_run_says_a_file_over_its_time_budget_in_one_line(tmp_path: Path) -> None:
    # Finding 5 (fixed by fixforget: logs._UprdexErrorRecord drops the Failed-state line).
    # House style: only the CLI turns an error into a line. The extract task raises
    # OverBudgetError so that Prefect does not cache the reading; `say_errors_in_one_line` drops
    # Prefect's record of an UprdexError only, so the task's failure is printed too.
    from helpers import fixture, run_uprdex, uprdex_env

    inbox = tmp_path / "inbox" / "2019"
    inbox.mkdir(parents=True)
    (inbox / "report.pdf").write_bytes(fixture("slovenia2014_recs.pdf").read_bytes())
    env = uprdex_env(UPRDEX_LOADER_TIMEOUT_SECONDS="0.01")
    args = ["run", "--inbox", tmp_path / "inbox", "--index", tmp_path / "index.sqlite"]
    done = run_uprdex(*args, env=env, cwd=tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    said = [line for line in done.stderr.splitlines() if "report.pdf" in line]
    assert len(said) == 1 and said[0].startswith("failed 2019/report.pdf: took more than"), said
