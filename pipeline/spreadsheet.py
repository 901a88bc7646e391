"""Spreadsheet cells that never run: text from documents written to CSV and XLSX safely.

A PDF is untrusted input. A sentence that opens with `=HYPERLINK(...)` or `@SUM(...)` must
reach a spreadsheet as the text it is, never as a formula (OWASP, "CSV Injection"):

- XLSX: every text value is a string cell. openpyxl would otherwise store any text starting
  with "=" as a formula and "#N/A" as an error. Characters XML cannot hold (C0 controls but
  tab, line feed and carriage return) are shown as their Unicode control pictures (U+0007 as
  "␇") instead of aborting the whole workbook, and a text longer than a cell holds (32,767
  characters) is split over continuation cells by the caller (`xlsx_parts`), or cut with a
  visible flag when it must fit in one (`xlsx_cell`), never cut silently.
- CSV: a text cell that begins with "=", "+", "-", "@", a tab or a carriage return gets a
  leading "'", and so does such a character right after a ";" or a tab inside a cell; every
  text cell is in double quotes. OWASP's advice, with its warning about separators: Excel
  where ";" is the list separator, or LibreOffice told to split at ";", cuts
  "Ratify;=cmd|' /C calc'!A0" into two cells, the second a formula, quoted or not (seen in
  LibreOffice 7.4). Not when the export is raw (`--raw`, byte-exact, for programs). Numbers
  and empty cells stay unquoted, so that a program reads the same values and types.

The matrix workbook and any other XLSX writer use `xlsx_cell` / `append_xlsx_row` as well,
and `write_workbook` to save, a row at a time (openpyxl's write-only mode): the same cells
give the same bytes (every part of the zip dated alike, by the index's last change, never the
time of the export), for researchers who diff or hash exports.
"""

from __future__ import annotations

import csv
import errno
import gc
import io
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

from uprdex.pipeline.files import write_streamed
from uprdex.pipeline.text import visible_controls

if TYPE_CHECKING:
    from _typeshed import SizedBuffer
    from openpyxl.cell.cell import Cell
    from openpyxl.workbook.workbook import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

__all__ = [
    "XLSX_MAX_CHARS",
    "append_xlsx_row",
    "csv_cell",
    "csv_lines",
    "csv_text",
    "neutralise",
    "no_room_for_sheets",
    "restore",
    "workbook_time",
    "write_workbook",
    "xlsx_cell",
    "xlsx_part_count",
    "xlsx_parts",
    "xlsx_text",
]

XLSX_MAX_CHARS = 32_767
"""The most characters an Excel cell holds (openpyxl cuts longer text without a word)."""
_CUT_FLAG = "… [cut: {rest:,} more characters; the JSON export has the whole text]"


_FORMULA_SIGNS = r"=+\-@"
"""The characters that make a cell a formula in Excel, LibreOffice or Sheets, as the inside of
a regex character class; at a cell's very start a tab or a carriage return does too."""
_AFTER_SEPARATOR = re.compile(rf"(?<=[;\t])(?='*[{_FORMULA_SIGNS}])")
"""Where a spreadsheet splitting at ";" or a tab would start a cell with a formula, or with
quotes before one (so that `restore` can tell the "'" `neutralise` adds from the text's own)."""
_NEUTRALISED_AFTER_SEPARATOR = re.compile(rf"(?<=[;\t])'(?='*[{_FORMULA_SIGNS}])")
_OPENS_LIKE_A_FORMULA = re.compile(rf"'*[{_FORMULA_SIGNS}\t\r]")


def neutralise(text: str) -> str:
    """`text` with a leading "'" when a spreadsheet would read it as a formula, and one after
    each ";" or tab that a formula character follows; text that already holds quotes there
    gets one more, so that `restore` gives back exactly `text`.

    Example: neutralise('=HYPERLINK("http://x");@SUM(1)') == '\\'=HYPERLINK("http://x");\\'@SUM(1)'.
    """
    text = _AFTER_SEPARATOR.sub("'", text)
    return f"'{text}" if _OPENS_LIKE_A_FORMULA.match(text) else text


def restore(text: str) -> str:
    """`text` as it was before `neutralise` (a CSV file read back)."""
    if text.startswith("'") and _OPENS_LIKE_A_FORMULA.match(text, 1):
        text = text[1:]
    return _NEUTRALISED_AFTER_SEPARATOR.sub("", text)


def csv_cell(value: Any, raw: bool = False) -> Any:
    """A CSV field: text neutralised (unless `raw`), true/false as JSON writes them, the rest
    as it is."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, str) and not raw:
        return neutralise(value)
    return value


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]], raw: bool = False) -> str:
    """A CSV table (RFC 4180, CRLF line ends) of `header` and `rows`, each value a `csv_cell`:
    unless `raw`, every text cell in double quotes; numbers and None (an empty cell) bare.

    Example: csv_text(["text", "cycle"], [["Ratify;=1+1", 2]]) ==
    'text,cycle\r\n"Ratify;\'=1+1",2\r\n'.
    """
    return "".join(csv_lines(header, rows, raw))


def csv_lines(
    header: Sequence[str], rows: Iterable[Sequence[Any]], raw: bool = False
) -> Iterator[str]:
    """`csv_text`'s table a line at a time (the header, then each row's): written as made, a
    large export's text is never held whole."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    yield buffer.getvalue()
    for row in rows:
        if raw:
            buffer.seek(0)
            buffer.truncate()
            writer.writerow([csv_cell(value, raw) for value in row])
            yield buffer.getvalue()
        else:
            yield ",".join(_quoted(csv_cell(value)) for value in row) + "\r\n"


def _quoted(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return '"' + value.replace('"', '""') + '"'
    return str(value)


def xlsx_text(text: str) -> str:
    """`text` as an XLSX cell can hold it: control characters, which XML cannot carry
    (openpyxl raised IllegalCharacterError), as their control pictures (U+0007 as "␇")."""
    return visible_controls(text)


def xlsx_parts(text: str) -> list[str]:
    """`text` (made cell-safe) in pieces of at most XLSX_MAX_CHARS characters: one piece for
    any text a cell holds, never none."""
    safe = xlsx_text(text)
    return [safe[i : i + XLSX_MAX_CHARS] for i in range(0, len(safe), XLSX_MAX_CHARS)] or [""]


def xlsx_part_count(text: str) -> int:
    """How many pieces `xlsx_parts` cuts `text` into, without cutting it (a control picture
    is one character, as the control it shows)."""
    return max(1, -(-len(text) // XLSX_MAX_CHARS))


def xlsx_cell(sheet: Worksheet, value: Any) -> Cell:
    """A cell of `sheet` for one value, to append (`sheet.append([...])`) or place: text as a
    string cell (never a formula or an error value), numbers and booleans as themselves, None
    empty. Text longer than a cell holds is cut with a visible flag saying how much is left
    out; writers that must keep all of it split it first with `xlsx_parts`."""
    if value is None or isinstance(value, bool | int | float):
        return _placed(sheet, value)
    text = xlsx_text(str(value))
    if len(text) > XLSX_MAX_CHARS:
        kept = XLSX_MAX_CHARS
        while kept + len(flag := _CUT_FLAG.format(rest=len(text) - kept)) > XLSX_MAX_CHARS:
            kept = XLSX_MAX_CHARS - len(flag)
        text = text[:kept] + flag
    cell = _placed(sheet, text)
    cell.data_type = "s"  # openpyxl guessed "f" for "=..." and "e" for "#N/A"
    return cell


def _placed(sheet: Worksheet, value: Any) -> Cell:
    """A cell with a place until `append` gives it its own, as openpyxl's WriteOnlyCell: a
    write-only sheet names the cell (its coordinate) when it takes it."""
    from openpyxl.cell.cell import Cell

    return Cell(sheet, row=1, column=1, value=value)


def append_xlsx_row(sheet: Worksheet, values: Iterable[Any]) -> list[Cell]:
    """Append one row of values as `xlsx_cell`s; returns the cells (to style them)."""
    cells = [xlsx_cell(sheet, value) for value in values]
    sheet.append(cells)
    return cells


def write_workbook(
    out: Path, fill: Callable[[Workbook], object], changed: str | None = None
) -> None:
    """A write-only workbook, its rows appended by `fill`, saved at `out` as `write_streamed`
    saves a file: each row goes to its sheet's file as it is appended (openpyxl's write-only
    mode), so that no workbook of every cell is held; dated `workbook_time(changed)`. An
    OSError when it cannot be written."""
    when = workbook_time(changed)

    def write() -> None:
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        fill(workbook)
        write_streamed(out, lambda handle: _save(workbook, handle, when))

    _unless_full(write)


def _unless_full(write: Callable[[], object]) -> None:
    """`write` a workbook; an OSError when its sheets cannot be. openpyxl writes each sheet to
    a temporary file first (in $TMPDIR): on a full disk lxml raised its SerialisationError
    ("IO_ENOSPC") and the half-written sheets printed "Exception ignored" tracebacks."""
    failure = None
    hook = sys.unraisablehook
    sys.unraisablehook = lambda _unraisable: None  # the sheets' writers, closed as they fall
    try:
        write()
    except Exception as error:
        if type(error).__name__ != "SerialisationError":  # lxml's, an I/O error by its name
            raise
        failure = str(error)
    finally:
        gc.collect()
        sys.unraisablehook = hook
    if failure is not None:
        raise no_room_for_sheets(failure)


def no_room_for_sheets(failure: str, code: int = errno.ENOSPC) -> OSError:
    """The error of a workbook whose sheets' temporary files (in $TMPDIR) cannot be written:
    "no room for the workbook's sheets in /tmp (...)"."""
    where = tempfile.gettempdir()
    return OSError(code, f"no room for the workbook's sheets in {where} ({failure})")


def workbook_time(changed: str | None = None) -> datetime:
    """The time a workbook says it was made and changed, and each part of its zip (UTC):
    SOURCE_DATE_EPOCH when set (the reproducible-builds convention), else `changed`, the
    index's last change (`Store.last_change`, an ISO 8601 time), else `_STEADY_TIME`. Never
    the time of the export: two exports of one index are the same bytes."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        when = datetime.fromtimestamp(int(epoch), UTC)
    elif changed:
        try:
            when = datetime.fromisoformat(changed)
        except ValueError:  # another program's text in the index: no date, not a failure
            return _STEADY_TIME
        when = when.astimezone(UTC) if when.tzinfo else when
    else:
        return _STEADY_TIME
    return max(when.replace(tzinfo=None, microsecond=0), _STEADY_TIME)


def _save(workbook: Workbook, handle: IO[bytes], when: datetime) -> None:
    """The workbook as an XLSX file into `handle`, the same bytes for the same cells and time:
    dated `when` (openpyxl wrote the time it made and saved the workbook, which a diff or a
    hash of two exports of one index then told apart), its parts in a `_SteadyZip`."""
    from openpyxl.writer.excel import ExcelWriter

    workbook.properties.created = workbook.properties.modified = when
    with _SteadyZip(handle, "w", ZIP_DEFLATED, allowZip64=True) as archive:
        archive.date_time = when.timetuple()[:6]
        ExcelWriter(workbook, archive).save()


_STEADY_TIME = datetime(1980, 1, 1)
"""The time of a workbook of an index that records no change: the earliest a zip can say
(openpyxl writes a creation time whatever it is told)."""


class _SteadyZip(ZipFile):
    """A zip whose parts are all dated `date_time`, not when they were written (a sheet's
    temporary file, when it was made)."""

    date_time = _STEADY_TIME.timetuple()[:6]

    def writestr(
        self,
        zinfo_or_arcname: str | ZipInfo,
        data: SizedBuffer | str,
        compress_type: int | None = None,
        compresslevel: int | None = None,
    ) -> None:
        super().writestr(self._part(zinfo_or_arcname), data, compress_type, compresslevel)

    def write(
        self,
        filename: str | os.PathLike[str],
        arcname: str | os.PathLike[str] | None = None,
        compress_type: int | None = None,
        compresslevel: int | None = None,
    ) -> None:
        part = self._part(os.fspath(arcname or filename))  # compresslevel: the zip's (openpyxl's)
        if compress_type is not None:
            part.compress_type = compress_type
        part.file_size = os.path.getsize(filename)  # for ZIP64 beyond 2 GiB, as ZipFile.write
        with open(filename, "rb") as source, self.open(part, "w") as target:
            shutil.copyfileobj(source, target, 1 << 16)

    def _part(self, name: str | ZipInfo) -> ZipInfo:
        if isinstance(name, ZipInfo):
            name.date_time = self.date_time
            return name
        part = ZipInfo(name, self.date_time)
        part.compress_type = self.compression
        part.external_attr = 0o600 << 16  # as ZipFile.writestr gives a file it names
        return part
