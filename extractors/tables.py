"""Tables of UPR documents, read with pdfplumber where the page draws them.

pdfplumber reads a ruled table cell by cell, which the text layer cannot: a cell's wrapped lines
stay in their cell, a row keeps its columns. It builds an object per character (about 150 ms a
page), so it runs only on the pages the loader saw draw a grid of rules (`Page.ruled`): an OHCHR
thematic list as PDF (recommendation, position, themes), an addendum's matrix (recommendation,
State, position), an NGO report's annex matrix (recommendation, assessment).

A row a page break cuts in two is one row again, and the header row each page repeats is kept
once, so that a table reads as its DOCX does.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from io import BytesIO
from pathlib import Path

from uprdex.pipeline.model import Citation, LoadedDocument
from uprdex.pipeline.text import join_lines

__all__ = [
    "Row",
    "join_cell",
    "read_rows",
    "ruled_pages",
    "starts_with_reference",
    "with_row_context",
]

# pdfplumber's settings for tables drawn with rules ("lines" is its default strategy): cells
# whose text is closer than this to a rule still belong to the cell.
_TABLE_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
# "115.1 Take further steps ...", "65.12", "Rec. 118.4": a row that names its recommendation.
_REFERENCE = re.compile(r"^\s*(?:Rec(?:ommendation)?s?\.?\s*)?\d{1,3}\.\d{1,3}\b", re.I)


@dataclass(frozen=True, slots=True)
class Row:
    """One table row: its cells' text as printed (lines kept), and the page it starts on."""

    cells: tuple[str, ...]
    page: int

    @property
    def text(self) -> str:
        """The row on one line, cells joined by " | ", each cell's lines joined."""
        return " | ".join(join_cell(cell.splitlines()) for cell in self.cells if cell)


# A line of a cell that ends where a word goes on: a range after its dash ("(2009–" /
# "2014)") or a compound after its hyphen before a capital ("anti-" / "Gypsyism"); a compound
# before a small letter is `join_lines`' to mend.
_GOES_ON = re.compile(r"(?:\d[–—]|[A-Za-z]-)$")


def join_cell(lines: Iterable[str]) -> str:
    """A cell's wrapped lines joined as one text: "anti-" / "Gypsyism" is "anti-Gypsyism",
    "(2009–" / "2014)" is "(2009–2014)", "asylum-" / "seekers" is "asylum-seekers"."""
    pieces: list[str] = []
    for line in (line.strip() for line in lines):
        if pieces and _GOES_ON.search(pieces[-1]) and (line[:1].isupper() or line[:1].isdigit()):
            pieces[-1] += line
        elif line:
            pieces.append(line)
    return join_lines(pieces)


def ruled_pages(document: LoadedDocument) -> list[int]:
    """The 1-based pages that draw a grid of rules."""
    return [page.number for page in document.pages if page.ruled]


def starts_with_reference(cell: str) -> bool:
    """Whether a cell opens with a recommendation's number: "115.1 Take further steps ..."."""
    return _REFERENCE.match(cell) is not None


def read_rows(source: Path | BytesIO, pages: Sequence[int]) -> list[Row]:
    """The rows of the ruled tables on these pages, in reading order, a row cut by a page
    break joined again and a repeated header row kept once.

    A row continues the one before when its first cell opens neither a recommendation nor a
    section of the table ("Theme: A12 ...") and the row before ended its page.
    """
    import pdfplumber

    raw: list[tuple[list[str], int, bool]] = []  # cells, page, first row of its page
    if not pages:
        return []
    with pdfplumber.open(source, pages=list(pages)) as pdf:
        for page in pdf.pages:
            first = True
            for table in page.find_tables(_TABLE_SETTINGS):
                for cells in table.extract():
                    raw.append(([cell or "" for cell in cells], page.page_number, first))
                    first = False
    return _joined(raw)


def _joined(raw: Iterable[tuple[list[str], int, bool]]) -> list[Row]:
    rows: list[Row] = []
    header: tuple[str, ...] | None = None
    for cells, page, first in raw:
        cells_ = tuple(cells)
        if header is None and any(cells_):
            header = cells_
        elif first and cells_ == header:
            continue  # the header row, repeated at the top of a page
        elif first and rows and _continues(cells_, rows[-1]):
            previous = rows[-1]
            merged = tuple(
                "\n".join(part for part in (before, after) if part)
                for before, after in zip(previous.cells, cells_, strict=False)
            )
            rows[-1] = Row(merged, previous.page)
            continue
        rows.append(Row(cells_, page))
    return rows


def _continues(cells: tuple[str, ...], previous: Row) -> bool:
    """Is this first row of a page the rest of the last row of the page before? Not when it
    opens a recommendation ("115.16 Ratify ...") or a section ("Theme: D32 ...")."""
    if len(cells) != len(previous.cells):
        return False
    opening = cells[0].strip()
    return not opening or not (starts_with_reference(opening) or opening.startswith("Theme:"))


def with_row_context(citations: Iterable[Citation], rows: Sequence[Row]) -> list[Citation]:
    """Citations whose number opens a table row, given that row as their context: an NGO
    report's annex matrix "115.22 Broaden the mandate ... | Implemented | The Protection
    against Discrimination Act of 2016 ..." says what the report holds of that recommendation,
    which the text layer breaks across the columns."""
    opening = {
        (row.page, match.group()): row
        for row in rows
        if row.cells and (match := _NUMBER.match(row.cells[0].strip()))
    }
    return [
        replace(citation, context=row.text, context_page=row.page)
        if (row := opening.get((citation.page, _number_of(citation.as_printed))))
        else citation
        for citation in citations
    ]


_NUMBER = re.compile(r"\d{1,3}\.\d{1,3}(?!\d)")


def _number_of(printed: str) -> str:
    found = _NUMBER.search(printed.replace(" ", ""))
    return found.group() if found else printed
