"""A file whose reading fails for a reason that may pass (EIO: a failing disk, a network share
gone) is read again by every command that reads one, as `uprdex run` always did: `uprdex ingest`
and `uprdex import` read it once and failed it."""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

import pytest

from uprdex.pipeline import loader

from helpers import cli, fixture


def _failing_reads(monkeypatch: pytest.MonkeyPatch, name: str, failures: int) -> list[str]:
    """The first `failures` reads of a file named `name` fail with EIO, as a failing disk's do
    (the others read it); the list of its reads, which grows with each."""
    reads: list[str] = []
    read_bytes = Path.read_bytes

    def failing(path: Path) -> bytes:
        if path.name == name:
            reads.append(str(path))
            if len(reads) <= failures:
                raise OSError(errno.EIO, os.strerror(errno.EIO), str(path))
        return read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", failing)
    monkeypatch.setattr(loader, "READ_PAUSE", 0.0)
    return reads


def test_ingest_reads_again_a_file_whose_first_reads_fail_with_eio(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `uprdex ingest` read a file once: an EIO that passed a second later failed it ("failed
    # share.pdf: cannot read (Input/output error)", exit 1), where `uprdex run` read it again.
    shutil.copy(fixture("slovenia2014_recs.pdf"), tmp_path / "share.pdf")
    reads = _failing_reads(monkeypatch, "share.pdf", failures=loader.READ_TRIES - 1)
    result = cli("ingest", tmp_path / "share.pdf", "--index", tmp_path / "index.sqlite")
    assert result.exit_code == 0, result.output
    assert len(reads) == loader.READ_TRIES, reads
    assert result.output.startswith(f"indexed {tmp_path / 'share.pdf'} A/HRC/28/15 "), result.output
    assert "1 file: 1 indexed, 0 unchanged, 0 failed." in result.output


def test_ingest_says_a_file_it_still_cannot_read_after_its_tries_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The line `uprdex run` says of it: the file and the error named once, no errno, no trace.
    shutil.copy(fixture("slovenia2014_recs.pdf"), tmp_path / "share.pdf")
    shutil.copy(fixture("algeria2008_recs.pdf"), tmp_path / "local.pdf")
    reads = _failing_reads(monkeypatch, "share.pdf", failures=loader.READ_TRIES)
    result = cli("ingest", tmp_path, "--index", tmp_path / "index.sqlite")
    assert result.exit_code == 1, result.output
    assert len(reads) == loader.READ_TRIES, reads
    said = [line for line in result.output.splitlines() if "share.pdf" in line]
    assert said == ["failed share.pdf: cannot read (Input/output error)"], result.output
    assert "2 files: 1 indexed, 0 unchanged, 1 failed." in result.output


def test_import_reads_again_a_file_whose_first_reads_fail_with_eio(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    given = tmp_path / "upr-info.csv"
    shutil.copy(fixture("upr_info_slovenia_s20.csv"), given)
    reads = _failing_reads(monkeypatch, given.name, failures=loader.READ_TRIES - 1)
    result = cli("import", "upr-info", given, "--index", tmp_path / "index.sqlite")
    assert result.exit_code == 0, result.output
    assert len(reads) == loader.READ_TRIES, reads
    assert result.output.startswith(f"indexed {given}: "), result.output
