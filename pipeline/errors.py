"""Errors a researcher can act on: each says what is wrong and what to do."""

from __future__ import annotations

__all__ = [
    "BadDocumentError",
    "BadIndexError",
    "IndexBusyError",
    "MissingExtraError",
    "OutputError",
    "UprdexError",
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


class IndexBusyError(UprdexError):
    """Another uprdex run holds the index."""


class BadIndexError(UprdexError):
    """A file given as the index that is not an uprdex index (or not a database at all)."""


class OutputError(UprdexError):
    """An output file or folder that cannot be written."""


class MissingExtraError(UprdexError):
    """An optional part of uprdex (a pyproject extra) that is not installed."""
