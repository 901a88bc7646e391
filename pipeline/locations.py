"""Where an indexed file is: what `documents.path` holds and how it is read back.

A file inside the folder that holds the index (a workspace's `data/inbox/x.pdf`, the index
being `data/index.sqlite`) is stored relative to that folder, as "./inbox/x.pdf", so that
the workspace copied or moved whole keeps its links; any other file is stored as an absolute
path ("/home/ana/Downloads/x.pdf"). Read back, "./..." is joined to the index's folder,
wherever the command runs. An index written before this rule holds paths relative to the
folder its ingest ran in, never starting with "./" (pathlib drops it): "data/inbox/x.pdf", the
ingest run in the workspace that holds `data/index.sqlite`. Such a path is looked for from the
index's folder and each folder above it, then from the working folder (as an earlier uprdex
read it), and names (`older_path`): the file found inside the index's folder that holds the
document's bytes; none does, the file found inside the index's folder whatever it holds (a new
version saved at the place the index read: the workspace's inbox, as a "./" path is trusted,
even with an old copy outside); none is found there, a file found outside that holds the
bytes (the index kept apart from its workspace); else none, lest a file that only shares the
name (another workspace of the same layout above the index) be taken for the document. It
names that file until the file is met again and stored in this form.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Collection
from functools import lru_cache
from pathlib import Path

from uprdex.pipeline.names import path_text, text_path

__all__ = ["IN_INDEX_FOLDER", "holds", "located", "older_path", "shown", "stored_path"]

IN_INDEX_FOLDER = "./"
"""How a stored path relative to the index's folder starts."""


def stored_path(path: str, index: Path) -> str:
    """What `documents.path` holds for the file at `path` (as `path_text` writes it, from the
    working folder) in the index at `index`."""
    if path.startswith(IN_INDEX_FOLDER):
        return path  # stored already
    where = Path(os.path.abspath(text_path(path)))
    try:
        inside = where.relative_to(_folder(index))
    except ValueError:
        return path_text(where)
    return IN_INDEX_FOLDER + path_text(inside)


def located(stored: str, index: Path, sha256: str) -> Path:
    """The file a stored `documents.path` names (of the document with this SHA-256): joined to
    the index's folder for the paths this rule stores; an older index's relative path where
    `older_path` finds it."""
    if stored.startswith(IN_INDEX_FOLDER):
        return _folder(index) / text_path(stored[len(IN_INDEX_FOLDER) :])
    path = text_path(stored)
    return path if path.is_absolute() else older_path(path, index, sha256)


def older_path(path: Path, index: Path, sha256: str, taken: Collection[str] = ()) -> Path:
    """Where a path an earlier uprdex stored, relative to the folder its ingest ran in, names
    the file of the document with this SHA-256. That folder is not recorded, but it was the
    workspace that holds the index, in the index's folder or above (`data/inbox/x.pdf` beside
    `data/index.sqlite`), or the working folder. Of the files found from these, the nearest
    to the index first: the one inside the index's folder that holds these bytes; none does,
    the one inside the index's folder whatever it holds now (a new version saved at the place
    the index read replaces the old one at the next ingest, as at a path this rule stores,
    even when an old copy sits outside); none is inside, one outside that holds these bytes
    (the index kept apart from its workspace); else the path as stored (missing, as an
    earlier uprdex read it): a file that only shares the name, outside the workspace
    (another of the same layout above the index), is never taken for the document, whose
    asks its ingest would delete. A file inside whose place is `taken` (stored as another
    document's, in this rule's form) counts only if it holds these bytes: it is that
    document's, whose next version would "replace" this one too. Files are read only where
    that could change the answer (one found inside the index's folder, not taken, is not)."""
    folder = _folder(index)
    places = _files_named(path, folder)
    ours = [
        place
        for place in places
        if Path(os.path.abspath(place)).is_relative_to(folder)
        and (stored_path(path_text(place), index) not in taken or holds(place, sha256))
    ]
    if len(ours) == 1:
        return ours[0]  # the answer whatever it holds: not read
    if ours:
        return next((place for place in ours if holds(place, sha256)), ours[0])
    return next((place for place in places if holds(place, sha256)), path)


def shown(stored: str, index: Path, sha256: str) -> str:
    """A stored path as the exports, the report and the terminal show it (`located`, as
    `path_text` writes it): a path that opens from any folder."""
    return path_text(located(stored, index, sha256))


def holds(path: Path, sha256: str) -> bool:
    """Whether the file at `path` still holds the bytes with this SHA-256: another file may
    have been saved under its name since it was read."""
    try:
        found = os.stat(path)
        return (
            stat.S_ISREG(found.st_mode)
            and _sha256(os.fspath(path), found.st_ino, found.st_size, found.st_mtime_ns) == sha256
        )
    except OSError:
        return False


def _files_named(path: Path, folder: Path) -> list[Path]:
    """The distinct files a relative path names from the index's `folder` and each folder
    above it, the nearest first, then from the working folder."""
    places, seen = [], set()
    for anchor in (folder, *folder.parents, Path(os.getcwd())):
        try:
            found = os.stat(anchor / path)
        except OSError:
            continue
        if not stat.S_ISDIR(found.st_mode) and (found.st_dev, found.st_ino) not in seen:
            seen.add((found.st_dev, found.st_ino))
            places.append(anchor / path)
    return places


@lru_cache(maxsize=1024)
def _sha256(path: str, inode: int, size: int, mtime_ns: int) -> str:
    """SHA-256 of a regular file, read again only when it is replaced or written to: the
    exports ask it of one document's file once per evidence row."""
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _folder(index: Path) -> Path:
    return Path(os.path.abspath(index)).parent
