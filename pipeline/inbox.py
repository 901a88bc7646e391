"""Inbox semantics: scan, quarantine and the index lock. Originals are never modified or deleted.

A file that fails is *copied* to the quarantine with a `.error.json` beside it; a fixed file
dropped again has other bytes, so it is tried again. One lock file beside the index keeps two
runs from writing it at once.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from filelock import FileLock, Timeout

from uprdex.pipeline.errors import BadIndexError, FileChangedError, IndexBusyError
from uprdex.pipeline.files import write_whole
from uprdex.pipeline.names import BY_NAME, display_name, path_text

__all__ = [
    "PARTIAL_SUFFIXES",
    "InboxFile",
    "inbox_pdfs",
    "index_lock",
    "is_partial",
    "not_a_folder",
    "not_a_pdf",
    "other_files",
    "quarantine",
    "quarantine_failed",
    "quarantined_as",
    "scan_inbox",
]

PARTIAL_SUFFIXES = (".crdownload", ".part", ".partial", ".download", ".opdownload", ".tmp")
"""A file still being downloaded or copied: Chrome's x.pdf.crdownload, Firefox's x.pdf.part
(beside an empty placeholder x.pdf), Safari's x.pdf.download, Opera's .opdownload, a copy's
.x.pdf.tmp. rsync's temporary .x.pdf.Ab12Cd is not .pdf either. Each becomes x.pdf by a
rename when it is complete."""


@dataclass(frozen=True, slots=True)
class InboxFile:
    """A PDF found in the inbox, with the hash of its bytes."""

    path: Path
    sha256: str


def is_partial(path: Path) -> bool:
    """True for a download or copy still under way (PARTIAL_SUFFIXES), and for the placeholder
    x.pdf a browser keeps beside x.pdf.part until the download is complete."""
    name = path.name.lower()
    if name.endswith(PARTIAL_SUFFIXES):
        return True
    return any(path.with_name(path.name + suffix).exists() for suffix in PARTIAL_SUFFIXES)


def inbox_pdfs(inbox: Path) -> Iterator[Path]:
    """Every regular PDF file under the inbox (symlinks, folders named *.pdf and downloads
    still under way are skipped), in a stable order; none is opened."""
    if not inbox.is_dir():
        return
    for path in sorted(inbox.rglob("*")):
        if path.suffix.lower() != ".pdf" or path.is_symlink() or not path.is_file():
            continue
        if is_partial(path):
            continue  # still downloading: the rename that completes it brings it in
        yield path


def scan_inbox(inbox: Path) -> Iterator[InboxFile]:
    """`inbox_pdfs`, each with its sha256 (`uprdex watch` tells a change by it)."""
    for path in inbox_pdfs(inbox):
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        yield InboxFile(path, digest.hexdigest())


def other_files(folder: Path) -> list[Path]:
    """Regular files under the folder that are not PDFs (hidden files like .DS_Store and
    downloads still under way aside), for a line each saying why uprdex leaves them."""
    if not folder.is_dir():
        return []
    return sorted(
        path
        for path in folder.rglob("*")
        if path.suffix.lower() != ".pdf"
        and not any(part.startswith(".") for part in path.relative_to(folder).parts)
        and not path.name.lower().endswith(PARTIAL_SUFFIXES)
        and path.is_file()
        and not path.is_symlink()
    )


def not_a_pdf(path: Path) -> str:
    """Why a file is left out, and what to do instead, in one line."""
    hints = {
        ".docx": "an OHCHR thematic list is read by `uprdex import thematic-list FILE`",
        ".csv": "a UPR Info export is read by `uprdex import upr-info FILE`",
    }
    hint = hints.get(path.suffix.lower(), "save it as PDF to index it")
    return f"{display_name(path)}: not a PDF, left out ({hint})"


def quarantine(
    path: Path, data: bytes, sha256: str, error: str, stage: str, folder: Path, detail: str = ""
) -> Path:
    """Write the bytes of a failed file (`data`, as it was read and failed: the file is not
    read again) into the quarantine folder as `<sha256[:12]>-<name>`, with
    `<sha256[:12]>-<name>.error.json` beside it: its "reason" is `error` (what is wrong, naming
    no file) in a line naming the file, as the index records it. Bytes other than those
    `sha256` names are a FileChangedError, and nothing is written: a copy's name says what it
    holds. A copy that cannot be written is an OSError naming it, and no .error.json is
    written: one is never without its copy."""
    if hashlib.sha256(data).hexdigest() != sha256:
        raise FileChangedError(f"{path_text(path)}: these bytes are not those of {sha256[:12]}")
    folder.mkdir(parents=True, exist_ok=True)
    target = quarantined_as(path, sha256, folder)
    # A copy cut short would pass for one: a release that copied in place left part of it on
    # a full disk. The name holds the sha256's head, so a copy of another size is such a part.
    if not (target.exists() and target.stat().st_size == len(data)):
        write_whole(target, data)
    report = {
        "file": path_text(path),
        "sha256": sha256,
        "stage": stage,
        "reason": BY_NAME.line(path, error),
        "detail": detail,
        "time": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    write_whole(
        target.with_name(target.name + ".error.json"),
        json.dumps(report, ensure_ascii=False, indent=1).encode("utf-8"),
    )
    return target


def quarantine_failed(
    path: Path, data: bytes, sha256: str, error: str, stage: str, folder: Path, detail: str = ""
) -> str:
    """`quarantine` the failed file's bytes: "" when copied, else why not, in a line (a
    quarantine that cannot be written: a full disk, a folder the run may not write); the batch
    goes on either way."""
    try:
        quarantine(path, data, sha256, error, stage, folder, detail)
    except OSError as refused:
        return f"cannot write {refused.filename or folder}: {refused.strerror or refused}"
    return ""


def quarantined_as(path: Path, sha256: str | None, folder: Path) -> Path:
    """Where `quarantine` copies a failed file in `folder` (its `.error.json` beside it)."""
    # The file's own name may hold anything ("../", newlines): keep only safe characters.
    safe = "".join(ch if ch.isalnum() or ch in "._-" else "_" for ch in path.name)[:120]
    return folder / f"{(sha256 or 'unreadable')[:12]}-{safe}"


def not_a_folder(index: Path) -> None:
    """A BadIndexError when the index named is a folder (UPRDEX_INDEX=~/upr): its lock would
    be ~/upr.lock, and SQLite's error a traceback."""
    if index.is_dir():
        raise BadIndexError(
            f"{index} is a folder, not an index file: name a file in it ({index / 'index.sqlite'})"
        )


@contextmanager
def index_lock(index: Path, timeout: float) -> Iterator[None]:
    """Hold the index's lock, waiting up to `timeout` seconds for another run to finish; a
    BadIndexError, before any lock is made, when the index named is a folder."""
    not_a_folder(index)
    index.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(index) + ".lock")
    try:
        lock.acquire(timeout=timeout)
    except Timeout as error:
        raise IndexBusyError(
            f"{index} is being written by another uprdex run (waited {timeout:.0f} s); "
            "try again when it has finished"
        ) from error
    try:
        yield
    finally:
        lock.release()
