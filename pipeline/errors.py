"""Errors a researcher can act on: each says what is wrong and what to do."""

from __future__ import annotations

__all__ = [
    "BadDocumentError",
    "BadIndexError",
    "ImportFileError",
    "IndexBusyError",
    "MissingExtraError",
    "OutputError",
    "ReadOnlyIndexError",
    "UnknownIdError",
    "UprdexError",
    "cannot_read",
]


class UprdexError(Exception):
    """Base class of every error uprdex raises on purpose."""


class BadDocumentError(UprdexError):
    """A file that cannot be read as a PDF (broken, encrypted, not a PDF). `reason` says what is
    wrong and names no file ("an HTML page (no %PDF header); save the real PDF"): a reading of
    these bytes is the same under any name. The message names the file too (`file`, as shown)."""

    def __init__(self, file: str, reason: str) -> None:
        super().__init__(file, reason)
        self.file = file
        self.reason = reason

    def __str__(self) -> str:
        return f"{self.file}: {self.reason}"


class FileChangedError(UprdexError):
    """A file whose bytes are no longer those it was read (and hashed) from: saved over since."""


class ImportFileError(UprdexError):
    """A file `uprdex import` cannot read as the export it was given as (a UPR Info CSV, an
    OHCHR thematic list). `reason` says what is wrong in a line and names no file ("not a UPR
    Info export (missing columns Session)"); `line`, the file's line it is on, or None. The
    message names the file once (`file`, as shown): "cut.csv line 4: Session '' is not a
    number"."""

    def __init__(self, file: str, reason: str, line: int | None = None) -> None:
        super().__init__(file, reason, line)
        self.file = file
        self.reason = reason
        self.line = line

    def __str__(self) -> str:
        where = f" line {self.line}" if self.line else ""
        return f"{self.file}{where}: {self.reason}"


class IndexBusyError(UprdexError):
    """Another uprdex run holds the index."""


class BadIndexError(UprdexError):
    """A file given as the index that is not an uprdex index (or not a database at all)."""


class ReadOnlyIndexError(BadIndexError):
    """An index this uprdex would bring up to date before reading it (an earlier release's
    schema or views) that it cannot write: the file, its folder or its disk is read-only."""


class OutputError(UprdexError):
    """An output file or folder that cannot be written."""


class MissingExtraError(UprdexError):
    """An optional part of uprdex (a pyproject extra) that is not installed."""


class UnknownIdError(UprdexError, LookupError):
    """An id that names no recommendation of the index: "no recommendation A/HRC/28/15:115.22
    in the index; did you mean A/HRC/28/15#115.22?" (`nearest`, the id it most likely means,
    or None), the line `uprdex evidence` says of it."""

    def __init__(self, message: str, given: str, nearest: str | None) -> None:
        super().__init__(message)
        self.given = given
        self.nearest = nearest


def cannot_read(error: OSError) -> str:
    """What a file `loader.read_with_hash` (or any read: the quarantine's copy) failed on is,
    naming no file: "cannot read (Permission denied)", "cannot read (a named pipe, not a file)".
    Here, not in the loader, so that the inbox says it without loading pdfium."""
    return f"cannot read ({error.strerror or error})"
