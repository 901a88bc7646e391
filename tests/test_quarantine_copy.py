"""The quarantine's copy of a failed file when the file itself fails meanwhile: the message
names that file, not the copy being written."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from uprdex.flows import nightly
from uprdex.pipeline.files import copy_whole

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
    assert summary.not_quarantined == {
        str(UNREADABLE): f"cannot read {UNREADABLE}: Input/output error"
    }
