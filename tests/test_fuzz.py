"""Fuzz tests of the citation, recommendation and response parsers with random text.

Never an exception, and never an invented record: every citation, recommendation and response
the parsers return is printed in the text they were given. Text is drawn from two sources:
arbitrary unicode, and lines assembled from the words and numbers of real UN documents, which
reach the parsers' deeper paths far more often.
"""

from __future__ import annotations

import os
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from uprdex.extractors.addendum import parse_addendum
from uprdex.extractors.citations import find_citations
from uprdex.extractors.state_lists import split_recommending_states
from uprdex.extractors.wg_report import parse_wg_report
from uprdex.pipeline.model import Line, LoadedDocument, Page
from uprdex.pipeline.spreadsheet import neutralise, restore
from uprdex.pipeline.states import load_states

# UPRDEX_FUZZ_EXAMPLES=5000 for a longer hunt; the default keeps each test to a few seconds.
FUZZ = settings(
    max_examples=int(os.environ.get("UPRDEX_FUZZ_EXAMPLES", "250")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    # The same examples on every run (CI must not pass or fail by chance); set
    # UPRDEX_FUZZ_RANDOM=1, with more UPRDEX_FUZZ_EXAMPLES, to explore new ones.
    derandomize=os.environ.get("UPRDEX_FUZZ_RANDOM") != "1",
)
STATES = load_states()

# Words, cues and numbers as UN documents print them (see the extractors' module docstrings).
WORDS = (
    "see",
    "For",
    "relevant",
    "recommendations",
    "recommendation",
    "Recs.",
    "Rec.",
    "paras.",
    "para.",
    "paragraphs",
    "A/HRC/28/15,",
    "A/HRC/28/15",
    "A/HRC/WG.6/20/SVN/2,",
    "JS1,",
    "CCPR/C/SVN/CO/3,",
    "p.",
    "pp.",
    "page",
    "and",
    "or",
    "to",
    ",",
    ";",
    ".",
    ":",
    "%",
    "per cent",
    "EUR",
    "million",
    "115.22",
    "115.31–115.39",
    "122.17-18",
    "115. 23",
    "115.9",
    "118.09",
    "151.119–115.127",
    "30.12.2008",
    "1–5,",
    "14–",
    "16",
    "6–13",
    "(a)",
    "(b)",
    "Slovenia",
    "(Senegal,",
    "Peru)",
    "(Iran (Islamic Republic of));",
    "(Mexico);",
    "(France 4);",
    "Viet Nam",
    "accepts",
    "accepts the recommendations",
    "notes",
    "supports",
    "does not accept",
    "the following recommendations",
    "enjoy the support of",
    "did not enjoy",
    "will be examined by",
    "have been noted by",
    "Ratify",
    "ICRMW",
    "Consider",
    "Notes",
    "Annex",
    "II. Conclusions and/or recommendations",
    "Accepted recommendations",
    "Noted recommendations",
    "Partially accepted recommendations",
    "12",
    "115.",
    "1.",
    "2.",
    "5., 6., 7.",
    "*",
    "**",
    "\n",
)
# "115. The following ...", "115.1 Ratify ... (Senegal);": lines that open paragraphs and items.
LINE_STARTS = ("", "115. ", "115.1 ", "115.2 ", "116. ", "116.1 ", "1. ", "2. ", "12 ", "* ")

unicode_lines = st.lists(st.text(max_size=120), max_size=40)
un_lines = st.lists(
    st.tuples(
        st.sampled_from(LINE_STARTS),
        st.lists(st.sampled_from(WORDS), max_size=25),
    ).map(lambda parts: (parts[0] + " ".join(parts[1])).replace(" \n ", "\n")),
    max_size=40,
)
any_lines = st.one_of(unicode_lines, un_lines)


@st.composite
def documents(draw: st.DrawFn, lines: st.SearchStrategy[list[str]] = any_lines) -> LoadedDocument:
    """A document of up to three pages of these lines, some of them notes with markers.

    Lines are stripped and never empty, as the loader makes them.
    """
    texts = [part.strip() for text in draw(lines) for part in text.split("\n") if part.strip()]
    pages = draw(st.integers(1, 3))
    built: list[list[Line]] = [[] for _ in range(pages)]
    for index, text in enumerate(texts):
        page = min(pages - 1, index * pages // max(1, len(texts)))
        is_note = draw(st.booleans()) if index % 5 == 4 else False
        markers = tuple(
            (offset, str(number))
            for offset, number in draw(
                st.lists(st.tuples(st.integers(0, len(text)), st.integers(1, 120)), max_size=2)
            )
        )
        size = 8.0 if is_note else 10.0
        built[page].append(
            Line(text, page + 1, 80.0 + 14 * len(built[page]), 70.0, size, is_note, markers)
        )
    return LoadedDocument(
        "0" * 64,
        "fuzz.pdf",
        tuple(Page(n + 1, tuple(page), 842.0, True) for n, page in enumerate(built)),
        "\n".join(line.text for line in built[0]),
    )


def _flat(document: LoadedDocument, body_only: bool = False) -> str:
    """All the document's text (or its body lines only, without notes), whitespace collapsed,
    line-end hyphens joined (as the parsers join wrapped lines)."""
    if body_only:
        text = "\n".join(
            line.text for page in document.pages for line in page.lines if not line.is_note
        )
    else:
        text = "\n".join(page.text for page in document.pages)
    text = re.sub(r"(?<=[-–—])\s*\n\s*", "", text)
    return re.sub(r"\s+", " ", text)


def _words(text: str) -> set[str]:
    """The words of a text, without the punctuation that may end them ("Recs." -> "Recs")."""
    return {word.strip(";.,:") for word in text.split()} - {""}


@FUZZ
@given(documents())
def test_find_citations_cites_only_printed_numbers(document: LoadedDocument) -> None:
    text = _flat(document)
    squeezed = text.replace(" ", "")
    citations = find_citations(document)
    if not re.search(r"\d{2,3}\. ?\d", text):
        assert citations == []
    for citation in citations:
        assert citation.as_printed in text
        head, _, item = citation.candidates[0].partition(".")
        numbers = [int(number) for number in re.findall(r"\d+", citation.as_printed)]
        assert head in citation.as_printed and min(numbers) <= int(item) <= max(numbers)
        assert citation.symbol is None or citation.symbol.replace(" ", "") in squeezed
        assert 1 <= citation.page <= len(document.pages)
        assert citation.ref in citation.candidates


@FUZZ
@given(st.lists(st.text(alphabet=st.characters(exclude_categories=["Nd"])), max_size=30))
def test_text_without_digits_cites_nothing(lines: list[str]) -> None:
    document = LoadedDocument(
        "0" * 64,
        "fuzz.pdf",
        (Page(1, tuple(Line(t, 1, 80.0 + i, 70.0, 10.0) for i, t in enumerate(lines)), 842, True),),
        "",
    )
    assert find_citations(document) == []
    assert parse_wg_report(document).recommendations == ()
    assert parse_addendum(document).responses == ()


def test_marker_in_a_body_without_a_sentence_is_no_crash() -> None:
    # Found by the fuzz test: a superscript marker on a blank body line (the loader drops blank
    # lines, but a LoadedDocument built otherwise may hold one) raised IndexError.
    line = Line("", 1, 80.0, 70.0, 10.0, markers=((0, "1"),))
    document = LoadedDocument("0" * 64, "fuzz.pdf", (Page(1, (line,), 842.0, True),), "")
    assert find_citations(document) == []


# "115.3", "86.1" (cycle-1 item 1 of paragraph 86), "35(a)" and "35" (cited from section I).
PARAGRAPH = re.compile(r"^(?P<head>\d+)(?:\.(?P<item>\d+))?(?:\((?P<letter>[a-z])\))?$")


@FUZZ
@given(documents(un_lines))
def test_parse_wg_report_returns_only_printed_recommendations(document: LoadedDocument) -> None:
    report = parse_wg_report(document, STATES)
    lines = [line.text for page in document.pages for line in page.lines]
    words = _words(" ".join(lines))  # item lines are joined by a space, hyphen or not
    for rec in report.recommendations:
        found = PARAGRAPH.match(rec.paragraph)
        assert found, rec.paragraph
        head, item = found.group("head"), found.group("item")
        assert any(re.match(rf"{head}\s?\.", line) for line in lines), rec.paragraph
        if item is not None and not rec.warnings:
            assert any(
                re.match(rf"(?:{head}\s?\.\s?0*{item}|{item}\.)(?!\d)", line) for line in lines
            ), rec.paragraph
        assert rec.as_printed.split()[0].rstrip(".") in _flat(document)
        assert rec.text and _words(rec.text) <= words, rec.text
        for name in rec.recommending_states:
            assert STATES.resolve(name) or name in _flat(document), name


STATE_NAMES = (
    *(state.name for state in STATES.states[:60]),
    "Iran (Islamic Republic of)",
    "Venezuela (Bolivarian Republic of)",
    "United Kingdom of Great Britain and Northern Ireland",
    "Atlantis",
)
state_text = st.lists(
    st.one_of(
        st.sampled_from(STATE_NAMES),
        st.sampled_from(("(", ")", ",", ", ", " and ", ";", ".", " / ", "(a) ", "(b) ", " ")),
        st.sampled_from(("Ratify ICRMW", "Consider", "CEDAW", "2010", "4", "the", "Optional")),
        st.text(max_size=12),
    ),
    max_size=30,
).map("".join)


@FUZZ
@given(state_text)
def test_split_recommending_states_keeps_the_text_and_invents_no_state(text: str) -> None:
    body, names, unknown = split_recommending_states(text, STATES)
    assert text.strip().startswith(body)
    for name in names:
        assert STATES.resolve(name) or name in text, name
    assert set(unknown) <= set(names)
    assert all(name in text for name in unknown)


@FUZZ
@given(documents())
def test_parse_addendum_answers_only_printed_references(document: LoadedDocument) -> None:
    addendum = parse_addendum(document)
    # An addendum's responses are read from its body; a line break may be printed as a space
    # ("14– 16" for "14–" / "16"), so spaces are not compared.
    text = re.sub(r"\s+", "", _flat(document, body_only=True))
    for response in addendum.responses:
        # A list of numbers that goes on at the next line's start is printed in pieces.
        for piece in response.as_printed.split(" … "):
            assert re.sub(r"\s+", "", piece) in text, response.as_printed
        numbers = [int(n) for n in re.findall(r"\d+", response.as_printed)]
        item = int(response.ref.rpartition(".")[2])
        assert min(numbers) <= item <= max(numbers), (response.ref, response.as_printed)
        prefix = response.ref.rpartition(".")[0]
        assert not prefix or prefix in response.as_printed


@FUZZ
@given(st.text(alphabet=st.sampled_from(list("'=+-@;\t\rab ")), max_size=12))
def test_a_csv_cell_made_safe_reads_back_as_it_was(text: str) -> None:
    """Every text `neutralise` makes safe for a spreadsheet, `restore` gives back exactly
    (review12: a note holding ";'=" lost its "'"; one opening "'=" lost it too), and no piece
    a spreadsheet cuts at ";" or a tab opens like a formula."""
    safe = neutralise(text)
    assert restore(safe) == text
    for piece in re.split(r"[;\t]", safe):
        assert not piece.startswith(("=", "+", "-", "@")), safe
