"""What decides that a document is read again: the code that reads it."""

from __future__ import annotations

from pathlib import Path

import pytest

from uprdex.flows import extract, fingerprint


def test_a_change_to_how_one_file_is_read_changes_the_reader_version(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """review12: flows/extract.py reads one file (tables, citations, sentences, OCR, themes:
    `extract_file`), but READER_VERSION and CODE_VERSION hash only pipeline/ and extractors/.
    An edit there neither reads the indexed documents again nor misses Prefect's cached
    extraction (its key holds CODE_VERSION), and a Dask worker running other extract.py code
    is not refused."""
    before = (fingerprint._fingerprint(), fingerprint._fingerprint(models="themes"))
    reading = Path(extract.__file__).resolve()
    original = Path.read_bytes

    def edited(path: Path) -> bytes:
        data = original(path)
        return data + b"\n# a change to how citations are read\n" if path == reading else data

    monkeypatch.setattr(Path, "read_bytes", edited)
    after = (fingerprint._fingerprint(), fingerprint._fingerprint(models="themes"))
    assert after[0] != before[0], "CODE_VERSION ignores flows/extract.py"
    assert after[1] != before[1], "READER_VERSION ignores flows/extract.py"
