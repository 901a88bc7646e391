"""The UPR matrix: the workbook NGOs and UN country teams track implementation in.

`uprdex export --what matrix --format xlsx --out FILE.xlsx` writes one sheet per State under
review, named after it, with one row per recommendation, the latest review first (cycle,
paragraph, text, recommending States, response, uprdex's reading of the State's answer (its
kind, "supported in part": `response_detail`, a label, not the State's words) and the paragraph
that prints the State's words (`response_source`), themes, cluster, evidence documents, latest
evidence) and two empty columns for the researcher, "Implementation status" (a drop-down list,
any text allowed) and "Notes", then the page of its WG report that prints it, the footnotes the
report prints on it ("3 (p. 17): Recommendation originally read: ...", one a line), the
earlier asks it repeats ("Asked before": "95.14 (2010, supported)", one a line) and its id
(the columns before keep their places: a script may read them by position);
then a "<State> clusters" sheet with one row per duplicate cluster of two or more. Headers are
frozen and filtered, text wraps in readable widths, and the response is a coloured cell.

Every text from a document is a string cell, never a formula ("=HYPERLINK(...)" in a PDF stays
text), through `pipeline.spreadsheet` as in every XLSX export.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from uprdex.pipeline.exports import asked_by, recommendation_record
from uprdex.pipeline.spreadsheet import write_workbook, xlsx_cell
from uprdex.pipeline.store import RecFilter, Store, StoredCluster

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook

__all__ = ["IMPLEMENTATION_STATUSES", "RESPONSE_FILLS", "sheet_names", "write_matrix"]

IMPLEMENTATION_STATUSES = ("Not implemented", "Partially implemented", "Fully implemented")
"""The drop-down of the "Implementation status" column (UPR Info's implementation levels)."""

RESPONSE_FILLS = {
    "supported": ("C6EFCE", "006100"),
    "noted": ("FFEB9C", "9C5700"),
    "pending": ("E7E6E6", "3A3838"),
}
"""Background and text colour of a response cell (Excel's good / neutral / grey styles)."""


@dataclass(frozen=True, slots=True)
class _Column:
    header: str
    width: float
    wrap: bool = False


_RECOMMENDATION_COLUMNS = (
    _Column("Cycle", 7),
    _Column("Paragraph", 11),
    _Column("Recommendation", 60, wrap=True),
    _Column("Recommending States", 24, wrap=True),
    _Column("Response", 11),
    _Column("Response detail", 18, wrap=True),
    _Column("Response source", 16, wrap=True),
    _Column("Themes", 26, wrap=True),
    _Column("Cluster", 16),
    _Column("Evidence documents", 11, wrap=True),
    _Column("Latest evidence", 12, wrap=True),
    _Column("Implementation status", 18, wrap=True),
    _Column("Notes", 30, wrap=True),
    _Column("Page", 6),
    _Column("Footnotes", 40, wrap=True),
    _Column("Asked before", 22, wrap=True),
    _Column("Id", 20),
)
_CLUSTER_COLUMNS = (
    _Column("Cluster", 16),
    _Column("Size", 6),
    _Column("Canonical text", 60, wrap=True),
    _Column("Members", 26, wrap=True),
    _Column("Recommending States", 36, wrap=True),
    _Column("Responses", 16, wrap=True),
    _Column("Cycles", 8),
    _Column("Asked again", 9),
    _Column("Corrected", 10),
)

_SHEET_LIMIT = 31  # characters Excel allows in a sheet name
_NOT_IN_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")
_PARENTHESES = re.compile(r"\s*\([^)]*\)")


def sheet_names(states: Sequence[str]) -> dict[str, tuple[str, str]]:
    """Each State's two sheet names: its own and "<State> clusters", within Excel's 31
    characters ("Venezuela (Bolivarian Republic of)" -> "Venezuela", "Venezuela clusters"),
    unique whatever the case."""
    taken: set[str] = set()
    names: dict[str, tuple[str, str]] = {}
    for state in states:
        clean = _NOT_IN_SHEET_NAME.sub("-", state).strip("' ") or "Unknown"
        short = _PARENTHESES.sub("", clean).strip() or clean
        own = _unique(_fit(clean, short, _SHEET_LIMIT), taken)
        limit = _SHEET_LIMIT - len(" clusters")
        clusters = _unique(_fit(clean, short, limit) + " clusters", taken)
        names[state] = (own, clusters)
    return names


def _fit(name: str, short: str, limit: int) -> str:
    for candidate in (name, short):
        if len(candidate) <= limit:
            return candidate
    return short[: limit - 1].rstrip() + "…"


def _unique(name: str, taken: set[str]) -> str:
    candidate, number = name, 2
    while candidate.casefold() in taken:
        suffix = f" {number}"
        candidate = name[: _SHEET_LIMIT - len(suffix)] + suffix
        number += 1
    taken.add(candidate.casefold())
    return candidate


def write_matrix(store: Store, out: Path, where: RecFilter | None = None) -> int:
    """Write the UPR matrix of the recommendations matching the filter; returns how many
    recommendations it holds. Each row goes to its sheet's file as it is made (openpyxl's
    write-only mode, `write_workbook`), the recommendations read from the index a batch at a
    time in the matrix's order (`Store.matrix_recommendations`): neither the workbook nor the
    recommendations are ever held whole."""
    with store.reading():  # the sheets' sizes and their rows from one read of the index
        evidence = store.evidence_summary()
        clusters = {c.cluster_id: c for c in store.clusters(min_size=2)}
        curated = store.cluster_curation()
        sizes = store.matrix_states(where)
        names = sheet_names(sorted(sizes))

        def fill(workbook: Workbook) -> None:
            if not sizes:
                _table(workbook.create_sheet("Matrix"), _RECOMMENDATION_COLUMNS, [], 0)
            # The latest review first: the one being followed up; report order within one.
            recs = map(recommendation_record, store.matrix_recommendations(where))
            for state, rows in itertools.groupby(recs, _sheet_state):
                own, clusters_sheet = names[state]
                sheet = workbook.create_sheet(own)
                sheet.oddHeader.center.text = state
                ids: set[str] = set()
                made = _recommendation_rows(rows, evidence, clusters, ids)
                _status_list(sheet, sizes[state])
                _table(sheet, _RECOMMENDATION_COLUMNS, made, sizes[state])
                mine = [c for c in clusters.values() if ids.intersection(m.id for m in c.members)]
                sheet = workbook.create_sheet(clusters_sheet)
                sheet.oddHeader.center.text = f"{state}: duplicate clusters"
                _table(
                    sheet,
                    _CLUSTER_COLUMNS,
                    (_cluster_row(c, c.cluster_id in curated) for c in mine),
                    len(mine),
                )

        # A full disk leaves the old workbook whole.
        write_workbook(out, fill, store.last_change())
    return sum(sizes.values())


def _sheet_state(rec: dict[str, Any]) -> str:
    """The State whose sheet lists `rec` (`Store.matrix_recommendations`' order)."""
    return rec["state_under_review"] or "Unknown"


def _recommendation_rows(
    recs: Iterable[dict[str, Any]],
    evidence: dict[str, tuple[int, str | None]],
    clusters: dict[str, StoredCluster],
    ids: set[str],
) -> Iterator[list[Any]]:
    """A State's rows as they are read, each recommendation's id noted in `ids` (its
    clusters sheet lists the clusters they are in)."""
    for rec in recs:
        ids.add(rec["id"])
        yield _recommendation_row(rec, evidence, clusters)


def _recommendation_row(
    rec: dict[str, Any],
    evidence: dict[str, tuple[int, str | None]],
    clusters: dict[str, StoredCluster],
) -> list[Any]:
    documents, latest = evidence.get(rec["id"], (0, None))
    cluster = rec["cluster_id"] if rec["cluster_id"] in clusters else None
    return [
        rec["cycle"],
        rec["paragraph"],
        rec["text"],
        asked_by(rec),
        rec["response"],
        rec["response_detail"],
        rec["response_source"],
        ", ".join(rec["themes"]),
        cluster,
        documents,
        latest,
        None,
        None,
        rec["source"]["page"],
        _footnotes(rec["footnotes"]),
        _asked_before(rec["repeats"]),
        rec["id"],
    ]


def _footnotes(notes: list[dict[str, Any]]) -> str | None:
    """An ask's footnotes as a cell, one a line as `show --brief` and the report print them:
    "3 (p. 17): Recommendation originally read: “Integrate ...” (Chad)."; none: an empty cell."""
    return "\n".join(f"{n['marker']} (p. {n['page']}): {n['text']}" for n in notes) or None


def _asked_before(repeats: list[dict[str, Any]]) -> str | None:
    """The earlier asks to the same State an ask repeats, one a line, the most alike first,
    with the year of their review and the State's response then: "95.14 (2010, supported)"
    (one review of a State a year); none: an empty cell."""
    lines = []
    for ask in repeats:
        when = ask["year"] or (f"cycle {ask['cycle']}" if ask["cycle"] else "year unknown")
        lines.append(f"{ask['paragraph'] or ask['id']} ({when}, {ask['response']})")
    return "\n".join(lines) or None


def _cluster_row(cluster: StoredCluster, curated: bool) -> list[Any]:
    members = cluster.members
    states = dict.fromkeys(s for m in members for s in m.recommending_states)
    responses = Counter(m.response for m in members)
    return [
        cluster.cluster_id,
        cluster.size,
        cluster.canonical_text,
        "\n".join(m.id for m in members),
        ", ".join(states),
        ", ".join(f"{n} {response}" for response, n in responses.most_common()),
        ", ".join(str(c) for c in cluster.cycles),
        "yes" if cluster.recurring else "no",
        "yes" if curated else "no",
    ]


def _table(sheet: Any, columns: Sequence[_Column], rows: Iterable[list[Any]], count: int) -> None:
    """Header and `count` rows as cells that never run (`pipeline.spreadsheet`), each row
    written as it comes; frozen header, filter, widths, wrapping, row heights and the
    response's colour. A write-only sheet takes its layout before its first row, and
    nothing more once this is done."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    last = get_column_letter(len(columns))
    extent = f"A1:{last}{count + 1}"
    sheet.calculate_dimension = lambda: extent  # which a write-only sheet does not know ahead
    for col, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(col)].width = column.width
    sheet.freeze_panes = "A2"
    # Printed: landscape, one page wide, the header on every page.
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"
    sheet.auto_filter.ref = f"A1:{last}{max(count + 1, 2)}"
    header_fill = PatternFill("solid", fgColor="D9E1F2")
    sheet.row_dimensions[1].height = _height(columns, [c.header for c in columns])
    header = [xlsx_cell(sheet, c.header) for c in columns]
    for cell in header:
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.append(header)
    wrapped = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    centred = Alignment(vertical="top", horizontal="center")
    responses = {
        response: (PatternFill("solid", fgColor=fill), Font(color=font, bold=True))
        for response, (fill, font) in RESPONSE_FILLS.items()
    }
    for r, values in enumerate(rows, start=2):
        # Spreadsheet programs do not grow a row for wrapped text written by a program.
        sheet.row_dimensions[r].height = _height(columns, values)
        cells = [xlsx_cell(sheet, value) for value in values]
        for column, cell, value in zip(columns, cells, values, strict=True):
            cell.alignment = wrapped if column.wrap else centred if isinstance(value, int) else top
            if column.header == "Response" and value in responses:
                cell.fill, cell.font = responses[value]
        sheet.append(cells)
        del sheet.row_dimensions[r]  # written with its row: none is kept
    sheet.close()  # finished now, not left open until the save with every other (two a State)


def _height(columns: Sequence[_Column], values: Sequence[Any]) -> float:
    """Row height in points for the longest wrapped cell (about 1.2 characters per unit of
    column width at 11 points, 15 points a line)."""
    lines = 1
    for column, value in zip(columns, values, strict=True):
        if column.wrap and value:
            per_line = max(int(column.width * 1.2), 1)
            wrapped = sum(-(-max(len(part), 1) // per_line) for part in str(value).split("\n"))
            lines = max(lines, wrapped)
    return 15.0 * lines


def _status_list(sheet: Any, rows: int) -> None:
    """The implementation-status drop-down (a warning, not a refusal, for other words)."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    if rows == 0:
        return
    column = get_column_letter(
        1 + [c.header for c in _RECOMMENDATION_COLUMNS].index("Implementation status")
    )
    validation = DataValidation(
        type="list",
        formula1='"' + ",".join(IMPLEMENTATION_STATUSES) + '"',
        allow_blank=True,
        errorStyle="warning",
    )
    validation.add(f"{column}2:{column}{rows + 1}")
    sheet.data_validations.append(validation)  # a write-only sheet has no add_data_validation
