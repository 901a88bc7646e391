"""The quarantine's copy of a failed file: the bytes the run read and failed on, under their
sha256, whatever the file holds (or whether it is there) by then."""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

import pytest

from uprdex.flows import nightly
from uprdex.pipeline.errors import FileChangedError
from uprdex.pipeline.inbox import quarantine

FAILED = b"%PDF-1.7 the bytes that failed"
SHA256 = hashlib.sha256(FAILED).hexdigest()


def test_a_nightly_run_says_which_file_it_could_not_copy_to_the_quarantine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What `uprdex run` prints beside the failed file ("not copied to the quarantine: ..."):
    # here a file stands where the quarantine folder is to be made.
    monkeypatch.setattr(nightly, "get_run_logger", lambda: logging.getLogger("test"))
    folder = tmp_path / "quarantine"
    folder.write_bytes(b"not a folder")
    path = tmp_path / "report.pdf"
    summary = nightly.NightlySummary()
    read = nightly._Read(path, FAILED, SHA256, None)
    nightly._quarantine(summary, read, "failed", "load", folder)
    assert summary.not_quarantined == {str(path): f"cannot write {folder}: File exists"}


def test_a_file_saved_over_since_it_was_read_is_quarantined_as_it_was_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The quarantine names its copy by the sha256 of the bytes that failed; a file saved over
    # since then was copied as it is now, under the old hash: a copy of other bytes, which a
    # later run takes as the failed file's (ingestbytes' report); then it was not copied at
    # all. Now the copy is of the bytes read: those that failed.
    monkeypatch.setattr(nightly, "get_run_logger", lambda: logging.getLogger("test"))
    path = tmp_path / "inbox" / "report.pdf"
    path.parent.mkdir()
    path.write_bytes(b"%PDF-1.7 the bytes saved over them")
    folder = tmp_path / "quarantine"
    summary = nightly.NightlySummary()
    nightly._quarantine(
        summary, nightly._Read(path, FAILED, SHA256, None), "failed", "load", folder
    )
    assert summary.not_quarantined == {}
    (copy,) = folder.glob("*-report.pdf")
    assert copy.name.startswith(SHA256[:12]) and copy.read_bytes() == FAILED
    assert path.read_bytes() == b"%PDF-1.7 the bytes saved over them"  # the original untouched


def test_bytes_other_than_the_sha256_names_are_not_quarantined(tmp_path: Path) -> None:
    # A copy's name holds the sha256's head, which a later run trusts: bytes of another hash
    # are refused, and nothing is written.
    folder = tmp_path / "quarantine"
    with pytest.raises(FileChangedError):
        quarantine(
            tmp_path / "report.pdf", b"%PDF-1.7 other bytes", SHA256, "failed", "load", folder
        )
    assert not folder.exists() or not any(folder.iterdir())
