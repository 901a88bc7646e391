"""Where an indexed file is: what `documents.path` holds and how it is read back.

A file inside the folder that holds the index (a workspace's `data/inbox/x.pdf`, the index
being `data/index.sqlite`) is stored relative to that folder, as "./inbox/x.pdf", so that
the workspace copied or moved whole keeps its links; any other file is stored as an absolute
path ("/home/ana/Downloads/x.pdf"). Read back, "./..." is joined to the index's folder,
wherever the command runs. An index written before this rule holds paths relative to the
folder its ingest ran in, never starting with "./" (pathlib drops it): "data/inbox/x.pdf", the
ingest run in the workspace that holds `data/index.sqlite`. Such a path is looked for from the
index's folder and each folder above it, the nearest first, then from the working folder (as
an earlier uprdex read it); it names the first file found, until the file is met again and
stored in this form.
"""

from __future__ import annotations

import os
from pathlib import Path

from uprdex.pipeline.loader import path_text, read_with_hash, text_path

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


def located(stored: str, index: Path) -> Path:
    """The file a stored `documents.path` names: joined to the index's folder for the paths
    this rule stores; an older index's relative path where `older_path` finds it."""
    if stored.startswith(IN_INDEX_FOLDER):
        return _folder(index) / text_path(stored[len(IN_INDEX_FOLDER) :])
    path = text_path(stored)
    return path if path.is_absolute() else older_path(path, index)


def older_path(path: Path, index: Path) -> Path:
    """Where a path an earlier uprdex stored, relative to the folder its ingest ran in, names
    a file: that folder is not recorded, but it was the workspace that holds the index, in the
    index's folder or above (`data/inbox/x.pdf` beside `data/index.sqlite`), or the working
    folder. The first of these where the file is, the nearest to the index first; in none, the
    path as stored (missing, as an earlier uprdex read it)."""
    folder = _folder(index)
    for anchor in (folder, *folder.parents, Path(os.getcwd())):
        if (anchor / path).exists():
            return anchor / path
    return path


def shown(stored: str, index: Path) -> str:
    """A stored path as the exports, the report and the terminal show it (`located`, as
    `path_text` writes it): a path that opens from any folder."""
    return path_text(located(stored, index))


def holds(path: Path, sha256: str) -> bool:
    """Whether the file at `path` still holds the bytes with this SHA-256: another file may
    have been saved under its name since it was read."""
    try:
        return path.is_file() and read_with_hash(path)[1] == sha256
    except OSError:
        return False


def _folder(index: Path) -> Path:
    return Path(os.path.abspath(index)).parent
