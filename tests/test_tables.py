"""Tables read with pdfplumber on the pages that draw them: a thematic list as PDF, an
addendum's matrix, an NGO report's annex matrix (fixtures in tests/fixtures/TABLES.md)."""

from __future__ import annotations

from pathlib import Path

from uprdex.extractors.imports import read_thematic_list
from uprdex.extractors.tables import read_rows, ruled_pages
from uprdex.flows.extract import extract_file
from uprdex.flows.ingest import import_file, ingest_paths
from uprdex.pipeline.loader import load_pdf
from uprdex.pipeline.settings import LoaderSettings
from uprdex.pipeline.store import Store

from helpers import fixture
from hostile import _pdf, _stream

THEMATIC_DOCX = fixture("svn2014_thematic_list.docx")
THEMATIC_PDF = fixture("svn2014_thematic_list.pdf")  # the DOCX rendered by LibreOffice
MATRIX = fixture("addendum_matrix_svn2014.pdf")


def test_a_thematic_list_pdf_gives_the_rows_of_its_docx(tmp_path: Path) -> None:
    from_docx, from_pdf = read_thematic_list(THEMATIC_DOCX), read_thematic_list(THEMATIC_PDF)
    assert len(from_pdf) == 163 and from_pdf == from_docx
    rows = {rec.paragraph: rec for rec in from_pdf}
    # A cell wrapped after a dash, and themes wrapped in a narrow column, read as printed.
    assert "(2009–2014)" in rows["115.106"].text
    assert rows["115.133"].themes == (
        "A12 Acceptance of international norms",
        "E32 Right to just and favourable conditions of work",
        "B31 Equality & non-discrimination",
    )
    with Store(tmp_path / "index.sqlite") as store:
        result = import_file(THEMATIC_PDF, "thematic-list", store)
    assert (result.outcome, result.recommendations) == ("indexed", 163)


def test_only_pages_that_draw_a_grid_are_read_as_tables() -> None:
    assert ruled_pages(load_pdf(THEMATIC_PDF)) == list(range(1, 28))
    # A WG report draws one rule above its notes and a logo: its pages stay on the fast path.
    assert ruled_pages(load_pdf(fixture("slovenia2014_recs.pdf"))) == []


def test_an_addendum_matrix_answers_every_row(tmp_path: Path) -> None:
    # 30 rows over 3 pages, two of them cut by a page break; the text layer's lines of the
    # same matrix lose four answers (115.2, 115.11, 115.19, 115.25).
    addendum = extract_file(MATRIX).addendum
    assert addendum is not None
    responses = {r.ref: r for r in addendum.responses}
    assert list(responses) == [f"115.{n}" for n in range(1, 31)]
    assert (responses["115.2"].position.value, responses["115.2"].detail) == (
        "supported",
        "accepted; considered already implemented or in process",
    )
    assert responses["115.2"].comment == "The amendment was ratified in 2013."
    assert (responses["115.17"].position.value, responses["115.17"].detail) == (
        "noted",
        "supported in part",
    )
    assert responses["115.19"].position.value == "noted"
    assert responses["115.30"].page == 3
    with Store(tmp_path / "index.sqlite") as store:
        ingest_paths([fixture("slovenia2014_recs.pdf"), MATRIX], store, LoaderSettings(workers=1))
        final = {r.paragraph: r.response for r in store.recommendations()}
    assert final["115.6"] == "noted" and final["115.3"] == "supported"


def _interleaved_matrix() -> bytes:
    """A one-page matrix as Word exports it: rules drawn around the cells, and the text drawn
    line by line across the row (each line of every cell, then the next), so that the text
    layer mixes the columns. Written for this test."""
    rows = [
        (["Recommendation"], ["Status"], ["Assessment"]),
        (
            [
                "115.25 Place a particular focus on",
                "the education and employability",
                "of Roma women (Norway)",
            ],
            ["Partially", "implemented"],
            ["Two programmes reached 140", "Roma women in 2016."],
        ),
        (
            ["115.22 Broaden the mandate and", "powers of the equality institutions", "(Israel)"],
            ["Implemented"],
            ["An independent Advocate of", "the Principle of Equality", "was set up in 2016."],
        ),
    ]
    columns = (60, 260, 360, 540)
    ops = [b"0.5 w"]
    top, line_height = 760, 12
    tops = [top]
    for row in rows:
        tops.append(tops[-1] - line_height * max(len(cell) for cell in row) - 6)
    for y in tops:
        ops.append(b"%d %d m %d %d l S" % (columns[0], y, columns[-1], y))
    for x in columns:
        ops.append(b"%d %d m %d %d l S" % (x, tops[0], x, tops[-1]))
    for row, y in zip(rows, tops, strict=False):
        for line in range(max(len(cell) for cell in row)):
            for cell, x in zip(row, columns, strict=False):
                if line < len(cell):
                    text = cell[line].replace("(", "\\(").replace(")", "\\)").encode("latin-1")
                    baseline = y - line_height * (line + 1)
                    ops.append(b"BT /F1 9 Tf %d %d Td (%s) Tj ET" % (x + 4, baseline, text))
    head = b"BT /F1 11 Tf 60 790 Td (Shadow report on Slovenia - annex, June 2017) Tj ET"
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [4 0 R] /Count 1 /MediaBox [0 0 595 842] >>",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            b"<< /Type /Page /Parent 2 0 R /Contents 5 0 R "
            b"/Resources << /Font << /F1 3 0 R >> >> >>",
            _stream(b"\n".join([head, *ops])),
        ]
    )


def test_an_ngo_annex_matrix_gives_each_cited_recommendation_its_row(tmp_path: Path) -> None:
    path = tmp_path / "annex.pdf"
    path.write_bytes(_interleaved_matrix())
    assert [row.cells[1] for row in read_rows(path, [1])[1:]] == [
        "Partially\nimplemented",
        "Implemented",
    ]
    extracted = extract_file(path)
    assert extracted.document.type.value == "ngo_report"
    contexts = {c.ref: c.context for c in extracted.citations}
    assert contexts["115.22"] == (
        "115.22 Broaden the mandate and powers of the equality institutions (Israel) | "
        "Implemented | An independent Advocate of the Principle of Equality was set up in 2016."
    )
    assert contexts["115.25"].split(" | ")[1] == "Partially implemented"
