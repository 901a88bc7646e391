"""File names as uprdex says and stores them: on one printable line, and as text the index,
a JSON file and a terminal take, whatever bytes the name holds.

Apart from the PDF loader, so that the store and every command that reads the index name
files without loading pdfium.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePath

__all__ = [
    "BY_NAME",
    "NAME_NOT_UTF8",
    "NAME_SPELLS_ESCAPE",
    "FileNames",
    "display_name",
    "is_name_warning",
    "name_warnings",
    "path_text",
    "text_path",
    "utf8_name",
]


def display_name(path: Path) -> str:
    """The file's name on one printable line: a newline or control character in a name is
    shown escaped ("report\\n2019.pdf"), so that every error stays one line."""
    return "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in path_text(path.name))


def _shown_under(path: Path, folder: Path) -> str:
    """The file by its path under `folder` on one printable line ("2019/report.pdf", each
    part as `display_name` shows it): two files of one name in two subfolders of an inbox are
    told apart. A file at the top of `folder`, or not under it, is its name."""
    try:
        parts = path.relative_to(folder).parts
    except ValueError:
        parts = ()
    return os.sep.join(display_name(Path(part)) for part in parts) or display_name(path)


@dataclass(frozen=True, slots=True)
class FileNames:
    """How one command names its files in the lines it prints. A reading's error says what is
    wrong and names no file (a reading of the same bytes is the same under any name, and
    Prefect's cache of extractions hands it to every file of those bytes); the line naming the
    file is made once, where it is said, by `line`."""

    shown: Mapping[Path, str] = field(default_factory=dict)
    """The command's files as it names them; any other file is named by its name alone."""

    @classmethod
    def apart(cls, paths: Iterable[Path], folders: Sequence[Path]) -> FileNames:
        """Each file as its path under the first of `folders` that holds it ("2019/report.pdf"
        in an inbox), else by its name; files that would be shown alike are each shown by the
        fewest last parts of their paths as given that tell them apart ("2019/report.pdf" and
        "2014/report.pdf" for `uprdex ingest inbox/*/report.pdf` or `uprdex ingest inbox/2019
        inbox/2014`)."""
        shown = {
            path: next((_shown_under(path, f) for f in folders if path.is_relative_to(f)), None)
            or display_name(path)
            for path in paths
        }
        while True:
            alike: dict[str, list[Path]] = {}
            for path, name in shown.items():
                alike.setdefault(name, []).append(path)
            longer = {
                path: _last_parts(path, len(PurePath(name).parts) + 1)
                for name, group in alike.items()
                if len(group) > 1
                for path in group
                if len(PurePath(name).parts) < len(path.parts)
            }
            if not longer:
                return cls(shown)
            shown |= longer

    def __call__(self, path: Path) -> str:
        """The file as this command names it, on one printable line."""
        return self.shown.get(path) or display_name(path)

    def line(self, path: Path, reason: str) -> str:
        """What is wrong with the file (`reason`, naming no file) in a line that names it as
        this command does: "2019/report.pdf: an HTML page (no %PDF header); save the real PDF"."""
        return f"{self(path)}: {reason}"


BY_NAME = FileNames()
"""Each file by its name alone: how the exports, the quarantine's .error.json and the flow's
log name a failed file, as every release has (the index stores the reason alone, schema 11)."""


def _last_parts(path: Path, count: int) -> str:
    """The last `count` parts of `path`, each as `display_name` shows it: "2019/report.pdf"."""
    return str(PurePath(*(display_name(Path(part)) or part for part in path.parts[-count:])))


_ESCAPED_BYTE = re.compile(r"\\x[0-9a-f]{2}")
"""How `path_text` writes a byte that is not UTF-8: b"caf\\xe9.pdf" as "caf\\xe9.pdf"."""
_ESCAPE = re.compile(rb"\\(\\|x[0-9a-f]{2})")


def path_text(path: Path | str) -> str:
    """`path` as text the index, a JSON file and a terminal take. A name that is not UTF-8 (a
    file unzipped from an archive made on Windows: the bytes b"caf\\xe9.pdf") shows its odd
    bytes escaped ("caf\\xe9.pdf"), where `str(path)` holds lone surrogates that SQLite,
    JSON and a UTF-8 terminal refuse. One text for one path: in an escaped path a backslash is
    doubled, and so is one in a UTF-8 name that reads as an escape (a file named
    "caf\\xe9.pdf" in letters is "caf\\\\xe9.pdf"); `text_path` turns the text back."""
    text = str(path)
    if utf8_name(text) and not _ESCAPED_BYTE.search(text):
        return text
    return os.fsencode(text).replace(b"\\", b"\\\\").decode("utf-8", "backslashreplace")


def text_path(text: str) -> Path:
    """The path `path_text` wrote as `text` (an index's `documents.path`). An earlier
    release stored a UTF-8 name that spells an escape as it is ("caf\\xe9.pdf" in letters):
    where the path read back is not there and `text` as a path is, `text` is that file."""
    if not _ESCAPED_BYTE.search(text):
        return Path(text)
    escaped = text.encode("utf-8")
    path = Path(os.fsdecode(_ESCAPE.sub(lambda m: _unescaped(m[1]), escaped)))
    return Path(text) if not path.exists() and Path(text).exists() else path


def _unescaped(escape: bytes) -> bytes:
    return escape if escape == b"\\" else bytes.fromhex(escape[1:].decode("ascii"))


def utf8_name(path: Path | str) -> bool:
    """Whether `path` is UTF-8 text (not a name from a Windows zip, b"caf\\xe9.pdf")."""
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


_NOT_UTF8 = "its name is not UTF-8 (a file from a Windows zip?)"
NAME_NOT_UTF8 = (
    f"{_NOT_UTF8}: its odd bytes are shown escaped; to see its name as it is, rename it (e.g. "
    "convmv -f cp1252 -t utf-8 --notest FILE) and ingest it again"
)


_SPELLS_ESCAPE = "its name spells an escaped byte (a backslash, x and two hex digits)"
NAME_SPELLS_ESCAPE = (
    f"{_SPELLS_ESCAPE}: its backslashes are shown doubled, so that it is not taken for a name "
    "that is not UTF-8; to see its name as it is, rename it and ingest it again"
)


def name_warnings(path: Path) -> tuple[str, ...]:
    """The warning a file whose name is not UTF-8, or spells such a name's escape, gets: the
    index, the exports and the messages show its name escaped (`path_text`); the report's and
    `uprdex browse`'s links open it (`text_path`). Renamed and ingested again, it is recorded
    under its new name."""
    if not utf8_name(path):
        return (NAME_NOT_UTF8,)
    return (NAME_SPELLS_ESCAPE,) if _ESCAPED_BYTE.search(str(path)) else ()


def is_name_warning(warning: str) -> bool:
    """Whether a warning an index holds is one of `name_warnings`, in its words or an earlier
    release's (which said the links would not open)."""
    return warning.startswith((_NOT_UTF8, _SPELLS_ESCAPE))
