"""Readers for existing recommendation databases: the UPR Info export (CSV) and OHCHR thematic
lists (.docx, or PDF read with pdfplumber). Each gives ImportedRec records; the store links them
to PDF-extracted recommendations of the same review and keeps their labels apart from what
uprdex infers.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from uprdex.extractors.state_lists import split_recommending_states
from uprdex.extractors.tables import join_cell, read_rows, ruled_pages
from uprdex.pipeline.errors import BadDocumentError, ImportFileError, cannot_read
from uprdex.pipeline.loader import load_pdf
from uprdex.pipeline.model import ImportedRec, ImportSource
from uprdex.pipeline.names import display_name
from uprdex.pipeline.states import load_states
from uprdex.pipeline.text import normalize_text

__all__ = ["ImportReader", "read_thematic_list", "read_upr_info"]

UPR_INFO = ImportSource.UPR_INFO
THEMATIC_LIST = ImportSource.THEMATIC_LIST
_RESPONSES = {"accepted": "supported", "supported": "supported", "noted": "noted"}
_NON_WORD = re.compile(r"[^\w]+")


_FINAL_STOP = re.compile(r"\s*[.;]+$")


@dataclass
class _Group:
    """UPR Info rows that are one recommendation (same SuR, session and text)."""

    text: str
    code: str
    row: int
    states: list[str] = field(default_factory=list)
    responses: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)


Reader = Callable[[Path, bytes], list[ImportedRec]]
"""Records of a file's bytes (read once by the caller); the path only names the file."""


class ImportReader(Protocol):
    """A reader as called: the file's bytes given (read once, by the caller who hashed them),
    or read from `path` when not."""

    def __call__(self, path: Path, data: bytes | None = None) -> list[ImportedRec]: ...


def _one_line(kind: ImportSource) -> Callable[[Reader], ImportReader]:
    """A reader of the file's bytes (`data`, read here when not given) whose every error is
    one ImportFileError naming the file once: its own, or "cannot read as KIND (what went
    wrong)" of another (python-docx's KeyError for a broken .docx, pdfplumber's or the csv
    module's), never Python's repr of it."""

    def wrap(reader: Reader) -> ImportReader:
        @functools.wraps(reader)
        def read(path: Path, data: bytes | None = None) -> list[ImportedRec]:
            try:
                return reader(path, path.read_bytes() if data is None else data)
            except ImportFileError:
                raise
            except UnicodeDecodeError as error:
                why = f"not a UTF-8 text file ({error.reason}); save it as UTF-8"
                raise ImportFileError(display_name(path), why) from error
            except BadDocumentError as error:  # a thematic list's PDF: its reason names no file
                reason = error.reason
            except OSError as error:  # the file went, or its disk failed, while it was read
                raise ImportFileError(display_name(path), cannot_read(error)) from error
            except KeyError as error:  # str() of a KeyError is its repr
                reason = str(error.args[0]) if error.args else type(error).__name__
            except Exception as error:  # python-docx, pdfplumber: their own errors
                reason = str(error) or type(error).__name__
            raise ImportFileError(display_name(path), f"cannot read as {kind} ({reason})")

        return read

    return wrap


def _add(items: list[str], value: str) -> None:
    value = value.strip()
    if value and value not in items:
        items.append(value)


@_one_line(UPR_INFO)
def read_upr_info(path: Path, data: bytes) -> list[ImportedRec]:
    """The UPR Info export: one row per recommendation-State pair, no paragraph numbers.

    Rows with the same State under review, session and text are one recommendation with
    several recommending States. Ids are stable: SuR code, session and a hash of the text.
    A file it cannot read is an ImportFileError naming it (and the line).
    """
    states = load_states()
    grouped: dict[tuple[str, int, str], _Group] = {}
    _not_text(path, data)
    with io.StringIO(data.decode("utf-8-sig"), newline="") as handle:
        reader = csv.DictReader(handle)
        missing = _UPR_INFO_COLUMNS - set(reader.fieldnames or [])
        if missing:
            columns = ", ".join(sorted(missing))
            raise ImportFileError(
                display_name(path), f"not a UPR Info export (missing columns {columns})"
            )
        for number, row in enumerate(_rows(reader, path), start=2):
            session = _session(row, path, reader.line_num)
            sur = states.resolve(row["To"])
            sur_name = sur.name if sur else row["To"].strip()
            # The contract's text ends without its final "." or ";" ("... under domestic law.").
            text = _FINAL_STOP.sub("", row["Text"].strip())
            key = (sur_name, session, normalize_text(text))
            group = grouped.get(key)
            if group is None:
                code = sur.iso3 if sur and sur.iso3 else normalize_text(sur_name)
                group = grouped[key] = _Group(text, code, number)
            if "Unknown" not in row["From"]:
                recommending = states.resolve(row["From"])
                _add(group.states, recommending.name if recommending else row["From"])
            _add(group.responses, row["Response"])
            for theme in row["Issue"].split(","):
                _add(group.themes, theme)
            _add(group.actions, row.get("Action") or "")
    return [
        ImportedRec(
            import_id=f"{UPR_INFO}:{group.code}:{session}:"
            f"{hashlib.sha1(normalized.encode()).hexdigest()[:12]}",
            source=UPR_INFO,
            state_under_review=sur_name,
            session=session,
            wg_symbol=None,
            paragraph=None,
            text=group.text,
            recommending_states=tuple(group.states),
            position=_RESPONSES.get(group.responses[0].lower())
            if len(group.responses) == 1
            else None,
            position_source=f"UPR Info: {', '.join(group.responses)}",
            themes=tuple(group.themes),
            extra={"action": group.actions},
            row=group.row,
        )
        for (sur_name, session, normalized), group in grouped.items()
    ]


_UPR_INFO_COLUMNS = {"To", "Text", "From", "Response", "Issue", "Session"}


def _not_text(path: Path, data: bytes) -> None:
    """An ImportFileError for a file no CSV export is: an empty one, or a ZIP archive (an Excel
    workbook: the csv module would say only "invalid start byte")."""
    head = data[:4]
    if not head:
        raise ImportFileError(display_name(path), "not a UPR Info export (an empty file)")
    if head == b"PK\x03\x04":
        why = "not a UPR Info export (a ZIP archive: an Excel workbook?); save it as CSV UTF-8"
        raise ImportFileError(display_name(path), why)


def _rows(reader: csv.DictReader[str], path: Path) -> Iterator[dict[str, str]]:
    """The CSV's rows; an ImportFileError naming the file and line of one the csv module
    cannot read (a field over its size limit, a NUL byte)."""
    try:
        yield from reader
    except csv.Error as error:  # the DictReader's line_num is the last row it gave
        why = f"not a CSV row ({error})"
        raise ImportFileError(display_name(path), why, reader.reader.line_num) from None


def _session(row: dict[str, str], path: Path, line: int) -> int:
    """The row's session; an ImportFileError naming the file and line of a row cut short (a
    download that stopped) or a session that is not a number."""
    missing = sorted(column for column in _UPR_INFO_COLUMNS if row.get(column) is None)
    if missing:
        raise ImportFileError(
            display_name(path),
            f"the row ends before its {', '.join(missing)} (the file cut short? download it again)",
            line,
        )
    try:
        return int(row["Session"])
    except ValueError:
        why = f"Session {row['Session']!r} is not a number"
        raise ImportFileError(display_name(path), why, line) from None


# "UPR of Slovenia (2nd Cycle – 20th session)" in the page header
_LIST_HEADER = re.compile(
    r"UPR of (?P<state>.+?)\s*\(\s*\d+\w*\s+Cycle\s*[-–]\s*(?P<session>\d+)", re.IGNORECASE
)
# "115.1 Take further steps ... (Croatia);\nSource of position: A/HRC/28/15/Add.1 - Para. 3"
_LIST_ITEM = re.compile(
    r"^(?P<paragraph>\d{1,3}\.\d{1,3})\s+(?P<text>.*?)\s*"
    r"(?:Source of position:\s*(?P<source>.+))?$",
    re.IGNORECASE | re.DOTALL,
)
_SOURCE_SYMBOL = re.compile(r"A/HRC/\d+/\d+")


@_one_line(THEMATIC_LIST)
def read_thematic_list(path: Path, data: bytes) -> list[ImportedRec]:
    """An OHCHR thematic list of recommendations, as .docx or as PDF (its table read with
    pdfplumber): paragraph, text, States, position and its source, themes, affected persons
    and SDGs. The PDF gives the rows its DOCX gives. A file it cannot read is an
    ImportFileError naming it."""
    pdf = _list_format(path, data) == "pdf"
    header, rows = _pdf_list(path, data) if pdf else _docx_list(data)
    states = load_states()
    match = _LIST_HEADER.search(header)
    if match is None or not rows:
        raise ImportFileError(
            display_name(path),
            "not an OHCHR thematic list (no 'UPR of X (Nth Cycle - Nth session)' header or no "
            "table)",
        )
    sur = states.resolve(match.group("state"))
    sur_name = sur.name if sur else match.group("state")
    session = int(match.group("session"))
    records: list[ImportedRec] = []
    seen: set[str] = set()
    for number, cells in enumerate(rows, start=1):
        item = _LIST_ITEM.match(cells[0]) if cells else None
        if item is None or item.group("paragraph") in seen:
            continue
        seen.add(item.group("paragraph"))
        source = (item.group("source") or "").strip()
        symbol = _SOURCE_SYMBOL.search(source)
        body, names, _unknown = split_recommending_states(item.group("text"), states)
        themes, extra = _themes_and_extra(cells[2] if len(cells) > 2 else "")
        paragraph = item.group("paragraph")
        records.append(
            ImportedRec(
                import_id=f"{THEMATIC_LIST}:{symbol.group() if symbol else sur_name}#{paragraph}",
                source=THEMATIC_LIST,
                state_under_review=sur_name,
                session=session,
                wg_symbol=symbol.group() if symbol else None,
                paragraph=paragraph,
                text=body,
                recommending_states=tuple(names),
                position=_RESPONSES.get(cells[1].lower()) if len(cells) > 1 else None,
                position_source=source or None,
                themes=themes,
                extra=extra,
                row=number,
            )
        )
    return records


def _list_format(path: Path, data: bytes) -> str:
    """ "pdf" or "docx", by the file's bytes, not its name (a PDF saved as list.docx); an
    ImportFileError saying what else it is (python-docx says only "Package not found")."""
    head = data[:8]
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04") and not zipfile.is_zipfile(io.BytesIO(data)):
        # No ZIP directory at its end: a download that stopped, maybe of a real list.
        why = "a Word .docx or ZIP archive cut short (no ZIP directory); download it again"
        raise ImportFileError(display_name(path), why)
    if head.startswith(b"PK\x03\x04"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if "word/document.xml" in archive.namelist():
                return "docx"
        what = "a ZIP archive without a Word document in it"
    elif head.startswith(b"\xd0\xcf\x11\xe0"):
        what = "a Word 97-2003 .doc"
    else:
        what = "an empty file" if not head else "neither a Word .docx nor a PDF"
    why = f"not an OHCHR thematic list ({what}); save it as .docx or PDF"
    raise ImportFileError(display_name(path), why)


def _docx_list(data: bytes) -> tuple[str, list[list[str]]]:
    """The page header and the first table's rows (cell texts) of a thematic list's DOCX."""
    import docx

    document = docx.Document(io.BytesIO(data))
    header = " ".join(p.text for section in document.sections for p in section.header.paragraphs)
    if not document.tables:
        return header, []
    return header, [[_printed(cell.text) for cell in row.cells] for row in document.tables[0].rows]


def _printed(text: str) -> str:
    """A cell's text as printed: a run of spaces typed in Word prints as one."""
    return "\n".join(" ".join(line.split()) for line in text.strip().splitlines())


def _pdf_list(path: Path, data: bytes) -> tuple[str, list[list[str]]]:
    """The first page's header and the table rows of a thematic list's PDF, each cell as its
    DOCX prints it: a cell's wrapped lines joined, one line per theme, per label and per
    listed item ("Affected persons:", "- children")."""
    document = load_pdf(path, data=data)
    rows = read_rows(io.BytesIO(data), ruled_pages(document))
    return document.first_page_text, [
        [
            _paragraphs_of(cell) if at == 2 else join_cell(cell.splitlines())
            for at, cell in enumerate(row.cells)
        ]
        for row in rows
    ]


# A line that opens a paragraph of the themes cell: "A12 Acceptance ...", "Affected persons:",
# "- children", "SDGs:"; any other line is the wrapped rest of the one before.
_OPENS_PARAGRAPH = re.compile(r"^(?:[A-H]\d{1,2}\s|- |[A-Z][\w ]{0,40}:\s*$)")


def _paragraphs_of(cell: str) -> str:
    """A themes cell's wrapped lines joined into its paragraphs, one per line."""
    paragraphs: list[list[str]] = []
    for line in cell.splitlines():
        if not paragraphs or _OPENS_PARAGRAPH.match(line.strip()):
            paragraphs.append([])
        paragraphs[-1].append(line)
    return "\n".join(join_cell(lines) for lines in paragraphs)


def _themes_and_extra(cell: str) -> tuple[tuple[str, ...], dict[str, object]]:
    """Split "A12 Acceptance ...\\nAffected persons:\\n- children\\nSDGs:\\n- 16 ..." into the
    themes and the other labelled lists."""
    themes: list[str] = []
    extra: dict[str, list[str]] = {}
    current: list[str] = themes
    for line in cell.splitlines():
        line = line.strip()
        if not line:
            continue
        if line.endswith(":"):
            current = extra.setdefault(line[:-1].strip().lower().replace(" ", "_"), [])
            continue
        current.append(line.lstrip("- ").strip())
    return tuple(t for t in themes if t), {k: v for k, v in extra.items() if v}
