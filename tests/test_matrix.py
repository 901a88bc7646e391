"""The UPR matrix workbook: a sheet per State under review and a clusters sheet each, opened
with openpyxl as a spreadsheet program would."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from uprdex.flows.cli import main
from uprdex.pipeline.matrix import IMPLEMENTATION_STATUSES, RESPONSE_FILLS, sheet_names
from uprdex.pipeline.store import Store

from helpers import cli, fixture, ingested

FORMULA = '=HYPERLINK("http://example.org","click")'
HEADER = [
    "Cycle",
    "Paragraph",
    "Recommendation",
    "Recommending States",
    "Response",
    "Response detail",
    "Response source",
    "Themes",
    "Cluster",
    "Evidence documents",
    "Latest evidence",
    "Implementation status",
    "Notes",
    "Page",
    "Footnotes",
    "Asked before",
    "Id",
]


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Slovenia 2010 and 2014 (with its addendum and the 2019 compilation that cites it) and
    Albania 2014; one recommendation's text made to look like a formula."""
    path = tmp_path_factory.mktemp("matrix") / "index.sqlite"
    names = (
        "slovenia2014_recs.pdf",
        "svn2014_addendum.pdf",
        "slovenia2010_recs.pdf",
        "svn2019_compilation_p1.pdf",
        "albania2014_recs.pdf",
    )
    result = CliRunner().invoke(
        main, ["ingest", *(str(fixture(n)) for n in names), "--index", str(path)]
    )
    assert result.exit_code == 0, result.output
    with Store(path) as store, store.transaction() as db:
        db.execute("UPDATE recommendations SET text = ? WHERE id = 'A/HRC/28/15#115.2'", (FORMULA,))
    return path


@pytest.fixture(scope="module")
def workbook(index: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("out") / "matrix.xlsx"
    result = CliRunner().invoke(
        main,
        [
            "export",
            "--what",
            "matrix",
            "--format",
            "xlsx",
            "--out",
            str(out),
            "--index",
            str(index),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "wrote the UPR matrix of" in result.output
    return out


def test_one_sheet_per_state_under_review_and_a_clusters_sheet_each(workbook: Path) -> None:
    book = load_workbook(workbook)
    assert book.sheetnames == ["Albania", "Albania clusters", "Slovenia", "Slovenia clusters"]


def test_one_row_per_recommendation_with_the_researchers_columns_empty(
    workbook: Path, index: Path
) -> None:
    rows = _table(workbook, "Slovenia")
    with Store(index) as store:
        expected = {
            rec.id: rec for rec in store.recommendations() if rec.state_under_review == "Slovenia"
        }
        evidence = store.evidence_summary()
    by_id = {row["Id"]: row for row in rows}
    assert set(by_id) == set(expected)
    cycles = [row["Cycle"] for row in rows]
    assert cycles == sorted(cycles, reverse=True)
    for rec_id, row in by_id.items():
        rec = expected[rec_id]
        assert row["Paragraph"] == rec.paragraph and isinstance(row["Paragraph"], str)
        # review30 #11: the page of the WG report that prints it, to find it in the PDF.
        assert row["Page"] == rec.page and isinstance(row["Page"], int)
        assert row["Recommending States"] == ", ".join(rec.recommending_states)
        assert row["Response"] == rec.response
        documents = (row["Evidence documents"], row["Latest evidence"])
        assert documents == evidence.get(rec_id, (0, None))
        assert row["Implementation status"] is None and row["Notes"] is None
    assert {row["Latest evidence"] for row in rows if row["Evidence documents"]} == {
        "2015-03-04",
        "2019-08-30",
    }  # Add.1, the compilation
    assert by_id["A/HRC/28/15#115.10"]["Paragraph"] == "115.10"  # not 115.1


def test_the_states_own_answer_and_where_it_is_stated_sit_beside_the_response(
    tmp_path: Path,
) -> None:
    # The matrix gave only "noted" for Slovenia 2010's 111.3, which the State "accepts in
    # part" (A/HRC/14/15/Add.1 para 3): the researcher filling it had to look the words up.
    index = ingested(("slovenia2010_recs.pdf", "svn2010_addendum.pdf"), tmp_path / "i.sqlite")
    out = tmp_path / "matrix.xlsx"
    args = ("export", "--what", "matrix", "--format", "xlsx", "--out", out, "--index", index)
    assert cli(*args).exit_code == 0
    rows = _table(out, "Slovenia")
    by_id = {row["Id"]: row for row in rows}
    assert by_id["A/HRC/14/15#111.3"]["Response"] == "noted"
    assert by_id["A/HRC/14/15#111.3"]["Response detail"] == "supported in part"
    assert by_id["A/HRC/14/15#111.3"]["Response source"] == "A/HRC/14/15/Add.1 para 3"
    with Store(index) as store:
        stored = {rec.id: rec for rec in store.recommendations()}
    assert set(by_id) == set(stored)
    for rec_id, row in by_id.items():
        rec = stored[rec_id]
        assert (row["Response detail"], row["Response source"]) == (
            rec.response_detail,
            rec.response_source,
        )
    assert {row["Response detail"] for row in rows} > {"accepted", "supported in part"}


def _table(workbook: Path, sheet: str) -> list[dict[str, Any]]:
    """A sheet's rows keyed by the header, as a tool reading the matrix by column name does;
    the header checked first."""
    header, *rows = load_workbook(workbook)[sheet].iter_rows(values_only=True)
    assert list(header) == HEADER
    return [dict(zip(HEADER, row, strict=True)) for row in rows]


def test_text_from_documents_is_a_string_cell_never_a_formula(workbook: Path) -> None:
    sheet = load_workbook(workbook)["Slovenia"]
    ids = HEADER.index("Id")
    (cell,) = [
        row[2] for row in sheet.iter_rows(min_row=2) if row[ids].value == "A/HRC/28/15#115.2"
    ]
    assert cell.value == FORMULA
    assert cell.data_type == "s"


def test_frozen_header_filter_widths_wrapping_and_coloured_responses(workbook: Path) -> None:
    sheet = load_workbook(workbook)["Slovenia"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{_letter('Id')}{sheet.max_row}"
    assert sheet.column_dimensions["C"].width >= 50  # the recommendation
    assert sheet["C2"].alignment.wrap_text
    seen = set()
    for (cell,) in sheet.iter_rows(min_row=2, min_col=5, max_col=5):
        fill, font = RESPONSE_FILLS[cell.value]
        assert (cell.fill.fgColor.rgb, cell.font.color.rgb) == (f"00{fill}", f"00{font}")
        seen.add(cell.value)
    assert seen == {"supported", "noted", "pending"}
    (validation,) = sheet.data_validations.dataValidation
    status = _letter("Implementation status")
    assert str(validation.sqref) == f"{status}2:{status}{sheet.max_row}"
    assert validation.formula1 == '"' + ",".join(IMPLEMENTATION_STATUSES) + '"'


def test_the_clusters_sheet_lists_each_cluster_with_its_members_and_states(
    workbook: Path, index: Path
) -> None:
    book = load_workbook(workbook)
    rows = list(book["Slovenia clusters"].iter_rows(values_only=True))
    assert rows[0][:5] == ("Cluster", "Size", "Canonical text", "Members", "Recommending States")
    with Store(index) as store:
        clusters = {
            c.cluster_id: c
            for c in store.clusters(min_size=2)
            if any(m.state_under_review == "Slovenia" for m in c.members)
        }
    assert {row[0] for row in rows[1:]} == set(clusters)
    for row in rows[1:]:
        cluster = clusters[row[0]]
        assert row[1] == cluster.size
        assert row[3].split("\n") == [m.id for m in cluster.members]
    used = {row["Cluster"] for row in _table(workbook, "Slovenia") if row["Cluster"]}
    assert used == set(clusters)
    assert book["Slovenia clusters"].freeze_panes == "A2"


def _letter(header: str) -> str:
    """The column letter of a header of the recommendations sheet."""
    from openpyxl.utils import get_column_letter

    return get_column_letter(1 + HEADER.index(header))


def test_sheet_names_fit_excel_and_stay_unique() -> None:
    names = sheet_names(
        [
            "Venezuela (Bolivarian Republic of)",
            "United Kingdom of Great Britain and Northern Ireland",
            "Bolivia (Plurinational State of)",
            "Slovenia",
        ]
    )
    assert names["Venezuela (Bolivarian Republic of)"] == ("Venezuela", "Venezuela clusters")
    assert names["Slovenia"] == ("Slovenia", "Slovenia clusters")
    every = [name for pair in names.values() for name in pair]
    assert all(len(name) <= 31 for name in every)
    assert len({name.casefold() for name in every}) == len(every)


def test_the_matrix_is_only_a_workbook(index: Path) -> None:
    result = CliRunner().invoke(
        main, ["export", "--what", "matrix", "--format", "csv", "--index", str(index)]
    )
    assert result.exit_code == 2
    assert "the matrix is a workbook" in result.output


def test_each_asks_footnotes_are_a_readable_cell_beside_its_page(tmp_path: Path) -> None:
    # The matrix had no footnotes: a researcher saw 138.18 "Consider ratifying the ICCPR and
    # the ICESCR" and not that Spain asked "Ratify ..." in the dialogue (A/HRC/25/3 p. 14,
    # note 5), which the record, show --brief and the report give.
    index = ingested(("saudiarabia2013_asread.pdf",), tmp_path / "i.sqlite")
    out = tmp_path / "matrix.xlsx"
    args = ("export", "--what", "matrix", "--format", "xlsx", "--out", out, "--index", index)
    assert cli(*args).exit_code == 0
    by_id = {row["Id"]: row for row in _table(out, "Saudi Arabia")}
    assert by_id["A/HRC/25/3#138.18"]["Footnotes"] == (
        "5 (p. 4): The recommendation as read in the interactive dialogue "
        "“Ratify the ICCPR and the ICESCR”"
    )
    assert by_id["A/HRC/25/3#138.20"]["Footnotes"] is None
    noted = [row["Id"] for row in by_id.values() if row["Footnotes"]]
    assert len(noted) == 8 and all(row["Page"] for row in by_id.values())


def test_an_ask_asked_before_names_the_earlier_asks_with_their_year_and_response(
    workbook: Path, index: Path
) -> None:
    # review32: the matrix had no "Asked before", the first thing an implementation tracker
    # needs (was it asked last time, and what did the State say?); the report and `show`
    # gave it.
    by_id = {row["Id"]: row for row in _table(workbook, "Slovenia")}
    with Store(index) as store:
        stored = {rec.id: rec for rec in store.recommendations()}
    asked_again = [rec_id for rec_id in by_id if stored[rec_id].repeats]
    assert asked_again, "Slovenia 2014 repeats none of its 2010 asks"
    for rec_id, row in by_id.items():
        expected = [
            f"{ask.paragraph} ({ask.year}, {ask.response})" for ask in stored[rec_id].repeats
        ]
        assert (row["Asked before"] or "").split("\n") == (expected or [""])
    assert all(stored[rec_id].cycle == 2 for rec_id in asked_again)
    first = by_id[asked_again[0]]["Asked before"].split("\n")[0]
    assert re.fullmatch(r"\d+\.\d+ \(2010, (supported|noted|pending)\)", first), first
