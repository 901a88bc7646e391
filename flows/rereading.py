"""Which indexed files to read again after an upgrade, and when to keep an earlier reading.

The index records what read each file (`DocumentRow.reader`: `fingerprint.READER_VERSION`, or
`IMPORT_READER`). A file an earlier release read is read again at its next ingest (`uprdex
run` for the inbox, `uprdex ingest`), so that what a release reads better reaches the index;
one that then fails keeps its earlier reading, since nothing indexed is lost. A file found
where it was not read (moved, or renamed) is recorded at its new path (`moved`). A batch
(`uprdex ingest`, a run over the inbox) reads the same bytes found under two names once, and
says the second as a copy of the first, with the first's outcome (`first_of`).
"""

from __future__ import annotations

import os
from pathlib import Path

from packaging.version import InvalidVersion, Version

from uprdex.flows import fingerprint
from uprdex.pipeline.locations import holds
from uprdex.pipeline.model import IMPORT_READER, DocumentStatus
from uprdex.pipeline.names import is_name_warning, name_warnings, path_text, text_path
from uprdex.pipeline.store import Store, StoredDocument

__all__ = [
    "copies_of_another",
    "copy_note",
    "earlier_reading_kept",
    "first_of",
    "is_later",
    "moved",
    "needs_no_reading",
    "read_by_this_release",
]


def read_by_this_release(stored: StoredDocument | None) -> bool:
    """Whether an indexed file needs no reading now: this release read it (`READER_VERSION`),
    it was imported (`uprdex import` reads it again, never as a PDF), or a later release read it
    (this one would read it no better). A file an earlier release read is read again at its
    next ingest, so that what a release reads better reaches the index too."""
    if stored is None or stored.status != DocumentStatus.INDEXED:
        return False
    reader = stored.reader
    current = fingerprint.READER_VERSION
    return reader in (current, IMPORT_READER) or (reader is not None and is_later(reader, current))


def first_of(path: Path, sha256: str, first_path: dict[str, Path]) -> Path | None:
    """The file met earlier in a batch with these bytes (a second download under another
    name is read once, and said as a copy of that file, with its outcome); None for the first
    file of these bytes. `first_path` (sha256 -> path) collects the files of the batch, in the
    order they are met."""
    if sha256 in first_path:
        return first_path[sha256]
    first_path[sha256] = path
    return None


def copy_note(first: str, outcome: str) -> str:
    """What `uprdex ingest` and `uprdex run` say of a copy (`first_of`) once the outcome of
    its first file (`first`, as the command names it) is known, in the line "copy 2019/b.pdf:
    the same file as 2019/a.pdf (indexed)"."""
    return f"the same file as {first} ({outcome})"


def copies_of_another(copies: int) -> str:
    """The batch's count of copies (`first_of`), after its other counts, in the summary lines
    of `uprdex ingest`, `uprdex run` and the run's Prefect artifact: ", 2 copies of another
    file"; nothing when there are none."""
    if not copies:
        return ""
    return f", {copies} {'copy' if copies == 1 else 'copies'} of another file"


def needs_no_reading(
    path: Path, stored: StoredDocument | None, store: Store
) -> tuple[str, ...] | None:
    """The notes on a file of a batch that is not to be read (this release indexed it,
    `read_by_this_release`; `moved`), None when it is to be read. `stored` is the index's
    record of its bytes."""
    if stored is not None and read_by_this_release(stored):
        return moved(stored, path, store)
    return None


def is_later(reader: str, than: str) -> bool:
    """Whether `reader` (a `READER_VERSION`) is of a later uprdex release than `than`: its
    readings are kept by an earlier release, which would read no better."""
    try:
        return Version(reader.rsplit("-", 1)[0]) > Version(than.rsplit("-", 1)[0])
    except InvalidVersion:
        return False


def earlier_reading_kept(
    stored: StoredDocument | None, status: DocumentStatus, error: str | None
) -> str | None:
    """The warning when a file indexed by an earlier release fails when read again (no OCR
    this time, a timeout on a busy machine): its earlier reading stays in the index, since
    nothing indexed is lost. None when the new reading (`status`, `error`: what is wrong,
    naming no file) is to be written. The warning names no file: every line that says it
    names the file before it ("kept 2019/x.pdf: read again by this release, it failed (...)")."""
    if stored is None or stored.status != DocumentStatus.INDEXED:
        return None
    if status is DocumentStatus.INDEXED:
        return None
    failed = error or "failed"
    return f"read again by this release, it failed ({failed}); the earlier reading is kept"


def moved(stored: StoredDocument, path: Path, store: Store) -> tuple[str, ...]:
    """A file indexed where it no longer is (moved, or renamed to a UTF-8 name) is recorded at
    `path`, so that the report's and the browser's links open it; a note saying so. Met at
    another place while the first still holds these bytes, it keeps the first, with a note
    naming it; another file saved at the first place since does not count. A
    path an earlier uprdex stored relative to where its ingest ran is stored as the index
    stores paths now (`locations`) when the file is met there again."""
    shown, first = path_text(path), text_path(stored.path)
    if os.path.abspath(first) == os.path.abspath(path):
        if not first.is_absolute():  # an earlier uprdex's path, relative to where it ran
            store.move_document(stored.sha256, shown, stored.warnings)
        return ()
    if holds(first, stored.sha256):  # the same bytes at a second place: the first stays
        return (f"already indexed as {stored.path}",)
    warnings = [*(w for w in stored.warnings if not is_name_warning(w)), *name_warnings(path)]
    store.move_document(stored.sha256, shown, warnings)
    return (f"moved from {stored.path}: the index now points here",)
