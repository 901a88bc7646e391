"""Citations of recommendations by number: real pages cut under tests/fixtures (CITATIONS.md)
and synthetic lines for the forms no real page in the corpus shows."""

from __future__ import annotations

from pathlib import Path

import pytest

from uprdex.extractors.citations import find_citations, resolve
from uprdex.pipeline.loader import load_pdf
from uprdex.pipeline.model import Citation, Line, LoadedDocument, Page

FIXTURES = Path(__file__).resolve().parent / "fixtures"
# The paragraphs of A/HRC/28/15 (Slovenia 2014): 115.1 to 115.163.
SLOVENIA_2014 = {f"115.{item}" for item in range(1, 164)}


@pytest.fixture(scope="module")
def compilation() -> list[Citation]:
    """A/HRC/WG.6/34/SVN/2 pages 1, 2, 4, 5 (body) and 11, 12 (endnotes 1-89)."""
    return find_citations(load_pdf(FIXTURES / "cit_svn2019_compilation_notes.pdf"))


def of_note(citations: list[Citation], note: str) -> list[Citation]:
    return [citation for citation in citations if citation.footnote == note]


def document(*pages: list[Line]) -> LoadedDocument:
    """A document of synthetic lines (page numbers are taken from the lines)."""
    return LoadedDocument(
        "0" * 64,
        "synthetic.pdf",
        tuple(Page(index, tuple(lines), 842.0, True) for index, lines in enumerate(pages, 1)),
        "",
    )


def body(text: str, page: int = 1, markers: tuple[tuple[int, str], ...] = ()) -> Line:
    return Line(text, page, 100.0, 70.0, 10.0, False, markers)


def note(text: str, page: int = 1) -> Line:
    return Line(text, page, 700.0, 70.0, 8.0, True)


def refs(citations: list[Citation]) -> list[str]:
    return [citation.ref for citation in citations]


def test_endnote_cites_symbol_and_carries_heading_with_its_marker(
    compilation: list[Citation],
) -> None:
    cited = of_note(compilation, "9")
    assert refs(cited) == ["115.22"] + [f"115.{item}" for item in range(31, 40)]
    assert {citation.symbol for citation in cited} == {"A/HRC/28/15"}
    assert {citation.page for citation in cited} == {5}
    # marker 9 is printed after the heading on page 1
    assert cited[0].context == "III. National human rights framework"
    assert cited[1].as_printed == "115.31–115.39"


def test_range_wrapped_across_lines_is_expanded(compilation: list[Citation]) -> None:
    # endnote 14: "..., 115.62–" / "115.70, 115.74, ..."
    wrapped = [c for c in of_note(compilation, "14") if c.as_printed == "115.62–115.70"]
    assert refs(wrapped) == [f"115.{item}" for item in range(62, 71)]
    assert len(of_note(compilation, "14")) == 34
    assert of_note(compilation, "14")[0].context == "1. Equality and non-discrimination"


def test_misprinted_range_offers_repaired_reading(compilation: list[Citation]) -> None:
    # endnote 41: "paras. 151.119–115.127" means 115.119 to 115.127
    cited = of_note(compilation, "41")
    assert refs(cited) == [f"115.{item}" for item in range(119, 128)]
    first, last = cited[0], cited[-1]
    assert first.candidates == ("151.119", "115.119")
    assert first.corrected
    assert last.candidates == ("115.127",)
    assert not last.corrected
    assert resolve(first, SLOVENIA_2014) == ("115.119", True)
    assert resolve(last, SLOVENIA_2014) == ("115.127", False)
    assert resolve(first, {"151.119"}) == ("151.119", False)


def test_space_inside_paragraph_number_is_read_as_one_number(
    compilation: list[Citation],
) -> None:
    # endnote 61: "paras. 115.105–115.111, 115. 23 and 115.59–" / "115.61". The space is a
    # misprint the reading repairs: corrected, as the contract says.
    spaced = [c for c in of_note(compilation, "61") if c.as_printed == "115. 23"]
    assert [(c.ref, c.candidates, c.corrected) for c in spaced] == [
        ("115.23", ("115. 23", "115.23"), True)
    ]
    assert resolve(spaced[0], SLOVENIA_2014) == ("115.23", True)
    assert len(of_note(compilation, "61")) == 11


def test_every_endnote_citation_of_the_cut_pages(compilation: list[Citation]) -> None:
    notes = {citation.footnote for citation in compilation}
    assert notes == {"2", "9", "14", "30", "35", "38", "41", "49", "55", "61", "72", "75", "84"}
    assert len(compilation) == 140
    assert all(resolve(citation, SLOVENIA_2014) for citation in compilation)


def test_footnote_marker_not_glued_to_number() -> None:
    """Page 5 prints "Goal 4." with superscript 60; the marker must not read as "4.60"."""
    loaded = load_pdf(FIXTURES / "cit_svn2019_compilation_notes.pdf")
    line = next(line for page in loaded.pages for line in page.lines if "Goal 4." in line.text)
    assert line.text.endswith("Goal 4.")
    assert (len(line.text), "60") in line.markers
    assert not [c for c in find_citations(loaded) if c.ref.startswith("4.")]


def test_superscript_marker_after_paragraph_number_is_not_a_digit() -> None:
    text = "The coalition identified recommendations 118.17, 118.18 and 118.20 as priorities."
    marker_at = text.index(" as priorities")
    cited = find_citations(
        document(
            [
                body(text, markers=((marker_at, "4"),)),
                note("4 JS1, para. 58.3. See also AI, paras. 12.1 and 12.4."),
            ]
        )
    )
    assert refs(cited) == ["118.17", "118.18", "118.20"]
    assert {c.footnote for c in cited} == {None}
    assert cited[0].context == text


def test_submission_paragraphs_and_statistics_are_not_citations() -> None:
    """A/HRC/WG.6/20/SVN/3 cites "GIEACPC, para. 1.2" and prints "some 25.671", "(4.4%)",
    "Articles 1.9. 10, 15": none is a recommendation."""
    loaded = load_pdf(FIXTURES / "cit_svn2014_stakeholders.pdf")
    text = "\n".join(page.text for page in loaded.pages)
    assert "GIEACPC, para. 1.2" in text
    assert "25.671" in text
    assert find_citations(loaded) == []


@pytest.mark.parametrize(
    "text",
    [
        "JS1, para. 58.3; HRW, paras. 12.1 and 12.2; CoE-ECRI, para. 115.22.",
        "A/HRC/28/15/Add.1, p. 2 and pp. 115.3-115.4.",
        "Between 30.12.2008 and 31.12.2012, the figure rose from 11.3% to 13.5%.",
        "The budget was EUR 25.5 million in 2012, and 12.2 per cent, 12.4 per cent later.",
        "Ibid., paras. 115.3 and 115.4.",
    ],
)
def test_numbers_that_cite_other_things(text: str) -> None:
    assert find_citations(document([note(f"7 {text}")])) == []
    assert find_citations(document([body(text)])) == []


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("115.44 -115.47", [f"115.{item}" for item in range(44, 48)]),
        ("115.44 - 115.47", [f"115.{item}" for item in range(44, 48)]),
        ("115.44—115.47", [f"115.{item}" for item in range(44, 48)]),
        ("122.17-18", ["122.17", "122.18"]),
        ("115.160–116.2", ["115.160", "116.2"]),
    ],
)
def test_range_forms(printed: str, expected: list[str]) -> None:
    line = note(f"3 For relevant recommendations, see A/HRC/28/15, paras. 115.1, {printed}.")
    cited = find_citations(document([line]))
    assert refs(cited) == ["115.1", *expected]
    assert cited[-1].as_printed == printed


def test_body_list_wrapped_across_lines() -> None:
    """A/HRC/16/4 (Malawi 2011) page 22: "recommendations 105.8, ... 105.16 and" / "105.31"."""
    cited = find_citations(load_pdf(FIXTURES / "cit_malawi2011_p22.pdf"))
    citations = [c for c in cited if c.kind == "citation"]
    assert refs(citations) == ["105.8", "105.14", "105.15", "105.16", "105.31"]
    assert citations[0].context.startswith("106. Malawi considers that recommendations 105.8")


def test_reprinted_recommendations_are_listings() -> None:
    cited = find_citations(load_pdf(FIXTURES / "cit_malawi2011_p22.pdf"))
    listings = [c for c in cited if c.kind == "listing"]
    assert refs(listings) == [f"105.{item}" for item in range(33, 40)]
    assert listings[0].context.startswith("105.33. Make primary education compulsory")
    annex = document(
        [
            body("Annex: status of the recommendations"),
            body("118.17 Establish a law on freedom of information in accordance with"),
            body("international standards (Belgium); Not implemented."),
        ]
    )
    assert [(c.ref, c.kind) for c in find_citations(annex)] == [("118.17", "listing")]


def test_symbol_qualified_citation_wrapped_in_body_text() -> None:
    """A/HRC/27/12 (Costa Rica 2014) page 10: "(A/HRC/13/15, para." / "91.4)"; and "paragraph
    91.2 of the previous report of the Working Group on the Universal Periodic (A/HRC/13/15)",
    the report named in brackets a few words on."""
    cited = find_citations(load_pdf(FIXTURES / "cit_costarica2014_p10.pdf"))
    assert [(c.symbol, c.ref) for c in cited] == [("A/HRC/13/15", "91.2"), ("A/HRC/13/15", "91.4")]


def test_the_report_named_later_in_the_sentence_is_the_one_cited() -> None:
    # Written for these tests, as NGO reports word it.
    ngo = document(
        [
            body("2. Slovenia also supported recommendations 115.62 and 115.63 on Roma children"),
            body("at its second review (A/HRC/28/15), which remain unimplemented. It supported"),
            body("recommendations 122.5 and 122.6; see also the report of the Special Rapporteur."),
        ]
    )
    cited = [(c.symbol, c.ref) for c in find_citations(ngo)]
    assert cited == [
        ("A/HRC/28/15", "115.62"),
        ("A/HRC/28/15", "115.63"),
        (None, "122.5"),
        (None, "122.6"),
    ]


def test_footnote_list_without_cue_word_gets_the_line_with_its_marker() -> None:
    """A/HRC/18/4 (Denmark 2011) page 19: footnote 2 "split to read as in 106.88 and 106.89"."""
    cited = find_citations(load_pdf(FIXTURES / "cit_denmark2011_p19.pdf"))
    in_note = [c for c in cited if c.kind == "citation"]
    assert [(c.footnote, c.ref) for c in in_note] == [("2", "106.88"), ("2", "106.89")]
    assert in_note[0].context.startswith("106.88. Strengthen the identification")


def test_note_numbers_follow_each_other() -> None:
    """Note 101 goes on with "75 and A/HRC/28/15, ..."; that line does not open note 75."""
    cited = find_citations(
        document(
            [
                note("101 CERD/C/SVN/CO/8-11, para. 7. See also A/HRC/30/43/Add.1, para."),
                note("75 and A/HRC/28/15, paras. 115.3 and 115.4."),
                note("102 See A/HRC/28/15, para. 115.9. 103 A/HRC/28/15, para. 115.10."),
            ]
        )
    )
    assert [(c.footnote, c.ref) for c in cited] == [
        ("101", "115.3"),
        ("101", "115.4"),
        ("102", "115.9"),
        ("103", "115.10"),
    ]


def test_resolve_never_invents() -> None:
    swapped = Citation("A/HRC/28/15", "115.119", "151.119", 1, "41", "", ("151.119", "115.119"))
    assert resolve(swapped, {"115.119", "151.119"}) is None
    assert resolve(swapped, {"116.1"}) is None
    assert resolve(swapped, {"115.119"}) == ("115.119", True)


def test_national_report_cites_previous_recommendations_by_bare_index() -> None:
    # A/HRC/WG.6/34/SVN/1 pages 1-3: headings "Recommendations 1–5, 14–16, 18, 43, 133" (p. 2)
    # and "Recommendations 22, 31–39" (p. 3), and "thus implementing recommendation 43" (p. 2).
    loaded = load_pdf(FIXTURES / "svn2019_national_report_p1-3.pdf")
    bare = [c for c in find_citations(loaded, bare_indices=True) if "." not in c.ref]
    by_page = {(c.page, c.ref) for c in bare}
    assert {(2, str(n)) for n in (1, 2, 3, 4, 5, 14, 15, 16, 18, 43, 133)} <= by_page
    assert {(3, str(n)) for n in (22, *range(31, 40))} <= by_page
    assert all(c.symbol is None and c.candidates == (c.ref,) for c in bare)
    heading = next(c for c in bare if c.ref == "31")
    assert heading.as_printed == "31–39"
    assert "Institutional framework" in heading.context
    assert [resolve(c, SLOVENIA_2014) for c in bare if c.ref == "22"] == [("115.22", False)]
    # Off unless asked: other documents number their own recommendations.
    assert not [c for c in find_citations(loaded) if "." not in c.ref]


@pytest.mark.parametrize(
    "text",
    [
        "In line with CEDAW general recommendation 19, the Act defines violence.",
        "It follows recommendation 2 of the Committee against Torture.",
        "The ILO Recommendation 200 concerning HIV and AIDS was applied.",
        "The Government follows recommendation 35 of the Special Rapporteur on torture.",
        "Recommendations 115.22 and 115.31 were implemented.",
    ],
)
def test_bare_index_needs_the_previous_review(text: str) -> None:
    found = find_citations(document([body(text)]), bare_indices=True)
    assert not [c for c in found if "." not in c.ref]


def test_bare_index_of_a_report_with_two_recommendation_paragraphs_is_ambiguous() -> None:
    (cited,) = find_citations(document([body("We implemented recommendation 22.")]), True)
    two_paragraphs = {"121.22", "122.22"}
    assert resolve(cited, two_paragraphs) is None
    assert resolve(cited, {"115.21"}) is None  # not a known recommendation: nothing invented


def test_report_named_after_the_numbers_and_recs_without_a_dot() -> None:
    # Wordings of NGO reports (none in ../shared/data), with Slovenia's paragraph numbers.
    cited = find_citations(
        document(
            [
                body("The State supported recommendations 122.5, 122.7 and 122.8 (A/HRC/43/15)."),
                body("Recs 115.44-115.47 concern the Roma community."),
            ]
        )
    )
    assert [(c.symbol, c.ref) for c in cited] == [
        ("A/HRC/43/15", "122.5"),
        ("A/HRC/43/15", "122.7"),
        ("A/HRC/43/15", "122.8"),
        (None, "115.44"),
        (None, "115.45"),
        (None, "115.46"),
        (None, "115.47"),
    ]


def test_numbers_later_in_a_cued_sentence_are_cited_too() -> None:
    # Written for this test, as NGO reports word it; the figures are not recommendations.
    ngo = document(
        [
            body("1. Slovenia supported recommendations 115.44 -"),
            body("115.47 on hate speech and 115.62 - 115.64 on Roma."),
            body("5. In 2015, 115.3 thousand people lived below the poverty line, up 12.4% from"),
            body("2014."),
        ]
    )
    refs = [c.ref for c in find_citations(ngo)]
    assert refs == ["115.44", "115.45", "115.46", "115.47", "115.62", "115.63", "115.64"]
