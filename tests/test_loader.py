"""The PDF loader: clean lines, footnote markers apart, bad files named clearly."""

from __future__ import annotations

import re
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from uprdex.pipeline.errors import BadDocumentError
from uprdex.pipeline.loader import HEADER_FOOTER, load_pdf
from uprdex.pipeline.text import join_lines, load_vocabulary

from helpers import fixture


def test_running_headers_and_page_numbers_are_removed() -> None:
    document = load_pdf(fixture("albania2014_recs.pdf"))
    texts = [line.text for page in document.pages for line in page.lines]
    assert not any(text.strip() in {"A/HRC/27/4", "24", "25"} for text in texts)
    assert not any(text.startswith("GE.14-") for text in texts)


def test_first_page_keeps_the_symbol_for_metadata() -> None:
    assert "A/HRC/27/4" in load_pdf(fixture("albania2014_recs.pdf")).first_page_text


def test_superscript_footnote_markers_are_kept_apart_from_the_text() -> None:
    page = load_pdf(fixture("svn2019_compilation_p1.pdf")).pages[0]
    line = next(line for line in page.lines if line.text.startswith("Organization (ILO)"))
    assert line.text == "Organization (ILO)."
    assert line.markers == ((19, "6"),)
    disappearance = next(line for line in page.lines if "Enforced Disappearance," in line.text)
    assert disappearance.text.endswith("Enforced Disappearance,")
    assert [marker for _, marker in disappearance.markers] == ["3"]


def test_footnote_marker_not_glued_to_a_number_in_the_text() -> None:
    page = load_pdf(fixture("svn2019_compilation_p1.pdf")).pages[0]
    text = page.text
    assert "2017 and 2018." in text  # marker 8 follows "2018." in print
    assert "2018.8" not in text


def test_page_without_text_layer_needs_ocr(tmp_path: Path) -> None:
    pdf = pdfium.PdfDocument.new()
    pdf.new_page(595, 842)
    path = tmp_path / "scan.pdf"
    pdf.save(path)
    document = load_pdf(path)
    assert document.needs_ocr
    assert not document.pages[0].has_text_layer


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty file"),
        (b"<html><body>Not found</body></html>", "an HTML page"),
        (b"%PDF-1.7\n" + b"\x00garbage" * 50, "broken PDF"),
    ],
)
def test_bad_files_get_a_clear_error_naming_the_file(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    with pytest.raises(BadDocumentError) as error:
        load_pdf(path)
    assert "report.pdf" in str(error.value)
    assert message in str(error.value)


def test_words_split_by_the_text_layer_are_rejoined() -> None:
    vocabulary = load_vocabulary()
    assert vocabulary.repair("combat discriminati on against Roma") == (
        "combat discrimination against Roma"
    )
    assert vocabulary.repair("Kiribati on the formulation") == "Kiribati on the formulation"


def test_line_end_hyphens_keep_real_compounds_and_join_broken_words() -> None:
    vocabulary = load_vocabulary()
    assert vocabulary.repair("ill\ufffetreatment of detainees") == "ill-treatment of detainees"
    assert vocabulary.repair("mandate\ufffeholders") == "mandate-holders"
    assert vocabulary.repair("discrimi\ufffenation") == "discrimination"


def test_a_compound_hyphen_ending_a_line_stays_in_the_word() -> None:
    # Australia 2011 86.131 printed "... irregular migrants and asylum-" / "seekers, limit ...";
    # Uganda 2011 111.23 "child- and gender-" / "sensitive" keeps its suspended hyphen.
    assert join_lines(["migrants and asylum-", "seekers, limit"]) == (
        "migrants and asylum-seekers, limit"
    )
    assert join_lines(["with child- and gender-", "sensitive care"]) == (
        "with child- and gender-sensitive care"
    )
    assert join_lines(["short-", "and medium-term goals"]) == "short- and medium-term goals"
    # A dash printed as a hyphen inside a line (Australia 2011 para. 29) is left as printed.
    dashes = "the inconsistencies- at the federal, state and territory levels- of the"
    assert join_lines([dashes]) == dashes


def test_a_damaged_cross_reference_table_is_read_with_a_warning(tmp_path: Path) -> None:
    # The defect of ../shared/data/bad/malformed_g0917123.pdf (pdfminer: "Cannot find Root
    # object"): an appended update whose xref section is empty and whose startxref is wrong.
    data = fixture("andorra2011_recs.pdf").read_bytes()
    damaged = tmp_path / "damaged.pdf"
    damaged.write_bytes(
        data
        + b"\nxref\ntrailer\n<</Size 869/Root 1 0 R/Prev 177131>>\nstartxref\n"
        + str(len(data) + 1).encode()
        + b"\n%%EOF\n"
    )
    document = load_pdf(damaged)
    assert len(document.pages) == 4
    assert document.warnings and "damaged PDF" in document.warnings[0]
    assert load_pdf(fixture("andorra2011_recs.pdf")).warnings == ()


def test_a_line_that_opens_with_a_document_symbol_and_goes_on_is_not_a_header() -> None:
    # Brazil 2012 (A/HRC/21/11) prints in an ask, at a line start, "A/HRC/RES/13/27 relating to
    # sport and racism, when preparing and": at the top or bottom of a page, broken before its
    # comma, the line was taken for a running header and removed. The headers themselves stay.
    assert not HEADER_FOOTER.match("A/HRC/RES/13/27 relating to sport and racism")
    assert not HEADER_FOOTER.match("A/HRC/13/42 concerning Lithuania")
    for header in (
        "A/HRC/28/15",
        " A/HRC/ 8/29 ",
        "A/HRC/12/17 Page 16",
        "A/HRC/12/5*",
        "A/HRC24/7",
        "A/HRC/WG.6/7/SVN/1/Corr.1",
        "A/HRC/10/83/Add.1",
        "Page 13",
        "14",
    ):
        assert HEADER_FOOTER.match(header), header


def test_a_broken_pdf_s_reason_is_pdfium_s_cause_not_its_sentence(tmp_path: Path) -> None:
    # review29: a truncated PDF said "broken PDF (Failed to load document (PDFium: Data format
    # error).); download it again or repair it", brackets within brackets and a stop inside.
    path = tmp_path / "report.pdf"
    path.write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 50)
    with pytest.raises(BadDocumentError) as error:
        load_pdf(path)
    assert "broken PDF (PDFium: " in str(error.value), str(error.value)
    assert re.search(r"broken PDF \([^()]+\); download it again", str(error.value))
