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
    """A file that cannot be read as a PDF (broken, encrypted, not a PDF)."""


class IndexBusyError(UprdexError):
    """Another uprdex run holds the index."""


class BadIndexError(UprdexError):
    """A file given as the index that is not an uprdex index (or not a database at all)."""


class OutputError(UprdexError):
    """An output file or folder that cannot be written."""


class MissingExtraError(UprdexError):
    """An optional part of uprdex (a pyproject extra) that is not installed."""
