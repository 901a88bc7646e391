"""A reading's error says what is wrong and names no file: a reading of the same bytes is the
same under any name. Prefect caches a reading on the file's bytes (`extract_task`'s cache key),
and `uprdex run` said "failed report.pdf: an HTML page" of broken.pdf, whose bytes another
workspace's report.pdf had: the cached error named the file that was read. A command names the
file once, where it says the line (`names.FileNames`)."""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from uprdex.flows.extract import at_path, extract_file
from uprdex.flows.ingest import _over_budget
from uprdex.pipeline.model import DocumentRow, DocumentStatus, DocumentType
from uprdex.pipeline.names import NAME_NOT_UTF8, NAME_SPELLS_ESCAPE
from uprdex.pipeline.settings import LoaderSettings
from uprdex.pipeline.store import Store

from helpers import fixture
from hostile import _encrypted

NAMES = ("report.pdf", "broken.pdf")


def _scan() -> bytes:
    """A PDF whose one page has no text layer."""
    pdf = pdfium.PdfDocument.new()
    pdf.new_page(595, 842)
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


BAD: dict[str, Callable[[], bytes]] = {
    "html": lambda: b"<html>404 Not Found</html>",
    "empty": lambda: b"",
    "zip": lambda: b"PK\x03\x04 not a PDF at all",
    "broken": lambda: b"%PDF-1.7\n" + b"\x00garbage" * 50,
    "password": lambda: _encrypted(fixture("andorra2011_recs.pdf")),
    "scan": _scan,
}


@pytest.mark.parametrize("kind", BAD)
def test_a_failed_reading_cached_on_its_bytes_names_no_file(tmp_path: Path, kind: str) -> None:
    data = BAD[kind]()
    readings = []
    for name in NAMES:
        path = tmp_path / name
        path.write_bytes(data)
        readings.append(replace(extract_file(path).document, path=""))
    first, second = readings
    assert first.status is not DocumentStatus.INDEXED, first
    assert not any(name in str(first.error) for name in NAMES), first.error
    # What Prefect's cache keeps of report.pdf is what broken.pdf's reading would be.
    assert first == second


def test_a_reading_cached_on_its_bytes_carries_no_warning_of_its_name(tmp_path: Path) -> None:
    # A cached reading carried the warning of the name it was read under (not UTF-8, or one
    # spelling such a name's escape): a normally named file of the same bytes, served from
    # Prefect's cache, would have been warned of its name.
    names = {b"caf\xe9.pdf": (NAME_NOT_UTF8,), b"a\\xe9 b.pdf": (NAME_SPELLS_ESCAPE,)}
    names[b"report.pdf"] = ()
    data = fixture("andorra2011_recs.pdf").read_bytes()
    paths = [tmp_path / os.fsdecode(name) for name in names]
    readings = []
    for path in paths:
        path.write_bytes(data)
        readings.append(extract_file(path))
    assert readings[0].document.status is DocumentStatus.INDEXED
    assert len({replace(reading.document, path="") for reading in readings}) == 1
    # This run's file gets the warnings of its own name, whichever name the reading was of.
    for reading in readings:
        for path, warnings in zip(paths, names.values(), strict=True):
            shown = at_path(reading, path).document
            assert shown.warnings[len(shown.warnings) - len(warnings) :] == warnings
            assert not set(shown.warnings) & {NAME_NOT_UTF8, NAME_SPELLS_ESCAPE} - set(warnings)


def test_an_unreadable_or_over_budget_reading_names_no_file(tmp_path: Path) -> None:
    folder = tmp_path / "report.pdf"
    folder.mkdir()
    errors = [extract_file(folder).document.error]
    path = fixture("andorra2011_recs.pdf")
    for failure in ("timeout", "memory", "crash", None):
        reading = _over_budget(path, failure, "boom", LoaderSettings(), path.read_bytes())
        errors.append(reading.document.error)
    names = ["report.pdf"] + [path.name] * 4
    assert all(error and name not in error for error, name in zip(errors, names, strict=True))


def test_the_index_records_what_is_wrong_and_the_exports_name_the_file(tmp_path: Path) -> None:
    reason = "an HTML page (no %PDF header); save the real PDF"
    document = DocumentRow(
        "ab" * 32,
        str(tmp_path / "2019" / "report.pdf"),
        DocumentType.OTHER,
        None,
        None,
        None,
        None,
        None,
        0,
        DocumentStatus.FAILED,
        reason,
    )
    with Store(tmp_path / "index.sqlite") as store:
        store.write_document(document)
        stored = store.document(document.sha256)
    assert stored is not None
    assert stored.error == reason  # the file is the row's path
    assert stored.named_error == f"report.pdf: {reason}"  # as every release has said it
