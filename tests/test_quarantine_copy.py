"""The quarantine's copy of a failed file when the file itself fails meanwhile: the message
names that file, not the copy being written."""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

import pytest

from uprdex.flows import nightly
from uprdex.pipeline.files import copy_whole
from uprdex.pipeline.inbox import CHANGED_SINCE_READ, quarantine

UNREADABLE = Path("/proc/self/mem")  # a file whose every read at offset 0 fails: EIO


@pytest.mark.parametrize("source", [Path("gone.pdf"), UNREADABLE])
def test_a_source_that_cannot_be_opened_or_read_is_named_not_the_copy(
    tmp_path: Path, source: Path
) -> None:
    # The inbox file removed between `is_file` and `open` (or its disk failing): the error
    # said "cannot write quarantine/...: No such file or directory", the wrong file.
    source = source if source.is_absolute() else tmp_path / source
    out = tmp_path / "quarantine" / "copy.pdf"
    out.parent.mkdir()
    with pytest.raises(OSError) as refused:
        copy_whole(source, out)
    assert refused.value.filename == str(source)
    assert not any(out.parent.iterdir())


def test_a_nightly_run_says_which_file_it_could_not_copy_to_the_quarantine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What `uprdex run` prints beside the failed file ("not copied to the quarantine: ...").
    monkeypatch.setattr(nightly, "get_run_logger", lambda: logging.getLogger("test"))
    summary = nightly.NightlySummary()
    nightly._quarantine(summary, UNREADABLE, "ab" * 32, "failed", "load", tmp_path)
    assert summary.not_quarantined == {str(UNREADABLE): "cannot read (Input/output error)"}


def test_a_file_saved_over_since_it_was_read_is_not_quarantined_under_the_old_hash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The quarantine names its copy by the sha256 of the bytes that failed; a file saved over
    # since then was copied as it is now, under the old hash: a copy of other bytes, which a
    # later run takes as the failed file's (ingestbytes' report).
    monkeypatch.setattr(nightly, "get_run_logger", lambda: logging.getLogger("test"))
    failed = b"%PDF-1.7 the bytes that failed"
    path = tmp_path / "inbox" / "report.pdf"
    path.parent.mkdir()
    path.write_bytes(b"%PDF-1.7 the bytes saved over them")
    quarantine = tmp_path / "quarantine"
    summary = nightly.NightlySummary()
    nightly._quarantine(
        summary, path, hashlib.sha256(failed).hexdigest(), "failed", "load", quarantine
    )
    assert summary.not_quarantined == {str(path): CHANGED_SINCE_READ}
    assert not quarantine.exists() or not any(quarantine.iterdir())
    assert path.read_bytes() == b"%PDF-1.7 the bytes saved over them"  # the original untouched


def test_a_failed_file_as_it_was_read_is_quarantined(tmp_path: Path) -> None:
    data = b"%PDF-1.7 broken"
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    copy = quarantine(
        path, hashlib.sha256(data).hexdigest(), "failed", "load", tmp_path / "quarantine"
    )
    assert copy.read_bytes() == data
