"""The UPR matrix workbook: a sheet per State under review and a clusters sheet each, opened
with openpyxl as a spreadsheet program would."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from uprdex.flows.cli import main
from uprdex.pipeline.matrix import IMPLEMENTATION_STATUSES, RESPONSE_FILLS, sheet_names
from uprdex.pipeline.store import Store

from helpers import fixture

FORMULA = '=HYPERLINK("http://example.org","click")'
HEADER = [
    "Cycle",
    "Paragraph",
    "Recommendation",
    "Recommending States",
    "Response",
    "Themes",
    "Cluster",
    "Evidence documents",
    "Latest evidence",
    "Implementation status",
    "Notes",
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
    sheet = load_workbook(workbook)["Slovenia"]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADER
    with Store(index) as store:
        expected = {
            rec.id: rec for rec in store.recommendations() if rec.state_under_review == "Slovenia"
        }
        evidence = store.evidence_summary()
    by_id = {row[-1]: row for row in rows[1:]}
    assert set(by_id) == set(expected)
    assert [row[0] for row in rows[1:]] == sorted((row[0] for row in rows[1:]), reverse=True)
    for rec_id, row in by_id.items():
        rec = expected[rec_id]
        assert row[1] == rec.paragraph and isinstance(row[1], str)  # "115.10", not 115.1
        assert row[3] == ", ".join(rec.recommending_states)
        assert row[4] == rec.response
        assert (row[7], row[8]) == evidence.get(rec_id, (0, None))
        assert row[9] is None and row[10] is None
    assert {row[8] for row in by_id.values() if row[7]} == {
        "2015-03-04",
        "2019-08-30",
    }  # Add.1, the compilation
    assert by_id["A/HRC/28/15#115.10"][1] == "115.10"


def test_text_from_documents_is_a_string_cell_never_a_formula(workbook: Path) -> None:
    sheet = load_workbook(workbook)["Slovenia"]
    (cell,) = [row[2] for row in sheet.iter_rows(min_row=2) if row[11].value == "A/HRC/28/15#115.2"]
    assert cell.value == FORMULA
    assert cell.data_type == "s"


def test_frozen_header_filter_widths_wrapping_and_coloured_responses(workbook: Path) -> None:
    sheet = load_workbook(workbook)["Slovenia"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:L{sheet.max_row}"
    assert sheet.column_dimensions["C"].width >= 50  # the recommendation
    assert sheet["C2"].alignment.wrap_text
    seen = set()
    for (cell,) in sheet.iter_rows(min_row=2, min_col=5, max_col=5):
        fill, font = RESPONSE_FILLS[cell.value]
        assert (cell.fill.fgColor.rgb, cell.font.color.rgb) == (f"00{fill}", f"00{font}")
        seen.add(cell.value)
    assert seen == {"supported", "noted", "pending"}
    (validation,) = sheet.data_validations.dataValidation
    assert str(validation.sqref) == f"J2:J{sheet.max_row}"
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
    used = {row[6] for row in book["Slovenia"].iter_rows(min_row=2, values_only=True) if row[6]}
    assert used == set(clusters)
    assert book["Slovenia clusters"].freeze_panes == "A2"


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
