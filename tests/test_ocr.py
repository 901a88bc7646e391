"""Opt-in OCR for scans: ocrmypdf runs on a copy, the original stays as it was."""

from __future__ import annotations

import hashlib
import os
import stat
import sys
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from uprdex.flows.extract import extract_file
from uprdex.pipeline.model import DocumentStatus
from uprdex.pipeline.settings import LoaderSettings

from helpers import fixture


@pytest.fixture
def scan(tmp_path: Path) -> Path:
    """A PDF whose page has no text layer."""
    pdf = pdfium.PdfDocument.new()
    pdf.new_page(595, 842)
    path = tmp_path / "scan.pdf"
    pdf.save(path)
    return path


@pytest.fixture
def fake_ocrmypdf(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An `ocrmypdf` on PATH that 'recognises' a real report (it copies a text PDF)."""
    folder = tmp_path / "bin"
    folder.mkdir()
    program = folder / "ocrmypdf"
    program.write_text(
        f"#!{sys.executable}\nimport shutil, sys\n"
        f"shutil.copyfile({str(fixture('andorra2011_recs.pdf'))!r}, sys.argv[-1])\n",
        encoding="utf-8",
    )
    program.chmod(program.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    return program


def test_scan_needs_ocr_by_default(scan: Path, fake_ocrmypdf: Path) -> None:
    extracted = extract_file(scan, LoaderSettings())
    assert extracted.document.status is DocumentStatus.NEEDS_OCR
    assert "run OCR (e.g. ocrmypdf)" in (extracted.document.error or "")


def test_opt_in_ocr_indexes_the_recognised_text(scan: Path, fake_ocrmypdf: Path) -> None:
    before = scan.read_bytes()
    extracted = extract_file(scan, LoaderSettings(ocr=True))
    assert extracted.document.status is DocumentStatus.INDEXED
    assert extracted.document.sha256 == hashlib.sha256(before).hexdigest()  # the original's
    assert extracted.report is not None and len(extracted.report.recommendations) == 2
    assert any("ocrmypdf" in warning for warning in extracted.document.warnings)
    assert scan.read_bytes() == before


def test_opt_in_ocr_without_ocrmypdf_still_says_needs_ocr(
    scan: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    extracted = extract_file(scan, LoaderSettings(ocr=True))
    assert extracted.document.status is DocumentStatus.NEEDS_OCR
