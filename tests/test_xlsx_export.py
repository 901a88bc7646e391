"""`uprdex export --format xlsx`: the workbook a spreadsheet user opens, written row by row,
and the same bytes for the same index (researchers diff and hash their exports)."""

from __future__ import annotations

import time
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zipfile import ZipFile

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from uprdex.flows.cli import main
from uprdex.flows.ingest import ingest_paths
from uprdex.pipeline.exports import KINDS, flatten, records, write_export
from uprdex.pipeline.settings import LoaderSettings
from uprdex.pipeline.spreadsheet import XLSX_MAX_CHARS
from uprdex.pipeline.store import Store

from helpers import fixture, long_rows


@pytest.fixture(scope="module")
def cited(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Slovenia 2014's asks, its addendum and a stakeholders' summary citing them: rows of
    every kind."""
    path = tmp_path_factory.mktemp("cited") / "index.sqlite"
    with Store(path) as store:
        names = ("svn2014_addendum.pdf", "slovenia2014_recs.pdf", "cit_svn2014_stakeholders.pdf")
        ingest_paths([fixture(name) for name in names], store, LoaderSettings(workers=1))
        store.update_clusters()
    return path


def _export(index: Path, what: str, out: Path) -> None:
    args = ["export", "--what", what, "--format", "xlsx", "--out", str(out), "--index", str(index)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output


def test_two_exports_of_one_index_are_the_same_bytes(index: Path, tmp_path: Path) -> None:
    # openpyxl wrote the time it made and saved the workbook (docProps/core.xml) and the time
    # of each part (the zip's entries): two exports of one index a second apart differed.
    kinds = [*KINDS, "matrix"]
    for kind in kinds:
        _export(index, kind, tmp_path / f"first-{kind}.xlsx")
    time.sleep(1.1)  # a second later: the times written, to the second, differ
    for kind in kinds:
        _export(index, kind, tmp_path / f"second-{kind}.xlsx")
    for kind in kinds:
        first, second = (tmp_path / f"{turn}-{kind}.xlsx" for turn in ("first", "second"))
        assert first.read_bytes() == second.read_bytes(), kind


def test_a_workbook_is_dated_by_the_index_not_1980(
    index: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # xlsxstream dated every workbook 1980-01-01 for steady bytes: Excel's File > Info showed
    # "Created 1/1/1980". It is dated by the index's newest ingest now (still the same bytes
    # for the same index, above), or SOURCE_DATE_EPOCH when set.
    with Store(index) as store:
        newest = max(doc.ingested_at for doc in store.documents())
    expected = datetime.fromisoformat(newest).astimezone(UTC).replace(tzinfo=None)
    assert expected.year > 1980
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    for kind in ("recommendations", "matrix"):
        out = tmp_path / f"{kind}.xlsx"
        _export(index, kind, out)
        properties = load_workbook(out).properties
        assert (properties.created, properties.modified) == (expected, expected), kind
        with ZipFile(out) as archive:
            dates = {part.date_time for part in archive.infolist()}
        # to the minute: a zip keeps time in two-second steps
        assert len(dates) == 1 and dates.pop()[:5] == expected.timetuple()[:5], kind
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14 22:13:20 UTC
    out = tmp_path / "epoch.xlsx"
    _export(index, "matrix", out)
    assert load_workbook(out).properties.created == datetime(2023, 11, 14, 22, 13, 20)


def _shown(value: Any) -> Any:
    """A flattened value as the sheet gives it back: empty text is an empty cell."""
    return None if value == "" else value


@pytest.mark.parametrize("what", KINDS)
def test_an_xlsx_export_shows_every_record_with_its_header_frozen_and_filtered(
    cited: Path, tmp_path: Path, what: str
) -> None:
    with Store(cited) as store:
        flat = [flatten(row) for row in records(store, what)]
    assert flat, what
    out = tmp_path / f"{what}.xlsx"
    _export(cited, what, out)
    book = load_workbook(out)
    assert book.sheetnames == [what]
    sheet = book[what]
    header = list(flat[0])
    last = get_column_letter(len(header))
    assert [cell.value for cell in sheet[1]] == header
    assert [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)] == [
        [_shown(row[key]) for key in header] for row in flat
    ]
    # The README: paragraphs stay text, numbers (cycle, year, page, score) numbers.
    types = {
        key: {cell.data_type for cell in column[1:] if cell.value is not None}
        for key, column in zip(header, sheet.iter_cols(), strict=True)
    }
    assert all(types[key] <= {"s"} for key in header if key in ("paragraph", "as_printed"))
    assert all(types[key] <= {"n"} for key in header if key in ("cycle", "year", "score"))
    # how-it-works: a frozen header, filters and column widths.
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{last}{len(flat) + 1}"
    assert all(
        sheet.column_dimensions[get_column_letter(n)].width for n in range(1, len(header) + 1)
    )
    # A program reading the sheet lazily (pandas does) sizes it by the extent the file states.
    lazy = load_workbook(out, read_only=True)[what]
    assert (lazy.max_row, lazy.max_column) == (len(flat) + 1, len(header))


def test_an_over_long_text_column_is_in_the_filter_and_the_extent(tmp_path: Path) -> None:
    text = "x" * (XLSX_MAX_CHARS + 10)
    rows = [{"id": "a", "context": "short", "score": 1.0}, {"id": "b", "context": text, "score": 0}]
    out = tmp_path / "x.xlsx"
    write_export(rows, "xlsx", "evidence", out)
    sheet = load_workbook(out).active
    assert [cell.value for cell in sheet[1]] == ["id", "context", "score", "context_part2"]
    assert [cell.value for cell in sheet[3]] == ["b", "x" * XLSX_MAX_CHARS, 0, "x" * 10]
    assert sheet.auto_filter.ref == "A1:D3"
    assert load_workbook(out, read_only=True).active.max_column == 4


def test_an_xlsx_export_is_written_row_by_row_not_held_as_a_workbook(tmp_path: Path) -> None:
    # memory's leftover: openpyxl's normal mode held a cell object for every value, and the
    # rows flattened and split, before the first byte (16 MB traced for these 3.4 MB of text).
    # Written row by row (openpyxl's write-only mode), a row's cells at a time.
    rows = long_rows(3000)
    text = sum(len(row["text"]) for row in rows)
    write_export(rows[:2], "xlsx", "recommendations", tmp_path / "warm.xlsx")  # imports
    out = tmp_path / "recommendations.xlsx"
    tracemalloc.start()
    write_export(rows, "xlsx", "recommendations", out)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < text / 5, (peak, text)
    sheet = load_workbook(out, read_only=True).active
    written = list(sheet.iter_rows(min_row=2, values_only=True))
    assert written == [tuple(_shown(value) for value in flatten(row).values()) for row in rows]
