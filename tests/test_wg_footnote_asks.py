"""Asks a WG report prints in a paragraph's footnote (extractors/wg_report.py), when the
footnote is not on the paragraph's first page (review4's M5). No report of the 245 prints one
so; the pages here are the real lines of russia2013_footnote.pdf (A/HRC/24/14, pages 3 and 27:
paragraph 141 and its footnote 1) laid out over two pages as a report would print them."""

from __future__ import annotations

from dataclasses import replace

import pytest

from uprdex.extractors.wg_report import parse_wg_report
from uprdex.pipeline.loader import load_pdf
from uprdex.pipeline.model import Line, LoadedDocument, Page

from helpers import fixture, russias_footnote_asks


def _page(number: int, lines: list[Line], like: Page) -> Page:
    return Page(number, tuple(replace(line, page=number) for line in lines), like.height, True)


def _laid_out(split: str) -> LoadedDocument:
    """The fixture with its page 4 (the report's 27) printed over pages 4 and 5: paragraph 141
    going on to page 5, its marker there too ("marker"), or its footnote running on to page 5
    ("footnote"). Page 5 has the report's page-3 introduction as its body text."""
    document = load_pdf(fixture("russia2013_footnote.pdf"))
    first, intro, heading, last = document.pages
    lines = list(last.lines)
    # Body lines of the report's page 3, moved below paragraph 142's last line.
    body = [replace(line, top=430 + 12 * i) for i, line in enumerate(intro.lines[1:16])]
    if split == "marker":
        at = next(i for i, line in enumerate(lines) if line.text.startswith("below are not"))
        ends = next(i for i, line in enumerate(lines) if line.is_note)
        pages = [lines[:at], [*lines[at:ends], *body, *lines[ends:]]]
    else:
        runs_on = next(i for i, line in enumerate(lines) if line.text.startswith("Allow and"))
        pages = [lines[:runs_on], [*body, *lines[runs_on:]]]
    return replace(
        document,
        pages=(first, intro, heading, *(_page(4 + i, page, last) for i, page in enumerate(pages))),
    )


@pytest.mark.parametrize("split", ["marker", "footnote"])
def test_asks_in_a_footnote_on_the_next_page_or_running_on_to_it_are_read(split: str) -> None:
    # The marker was looked for on the paragraph's first page only, and the note read on that
    # page only: the asks were lost (marker) or cut to the first (footnote), with no warning.
    first, second = russias_footnote_asks(parse_wg_report(_laid_out(split)))
    # review5's M5: each ask was given the marker's page, 141.2 too when printed on page 5.
    assert (first.page, second.page) == ((5, 5) if split == "marker" else (4, 5))


def _next_page_prints(below: str) -> LoadedDocument:
    """The fixture with a page 5 after its page 4 (the report's 27, whose footnote 1 is the last
    note of the page): the report's page-3 body text, and below it, in the notes, the real
    "** Conclusions and recommendations have not been edited." of the fixture's page 3
    ("asterisk note") or a page footer in Madagascar 2014's form, "2 GE.14-24933" ("footer")."""
    document = load_pdf(fixture("russia2013_footnote.pdf"))
    first, intro, heading, last = document.pages
    body = [replace(line, top=430 + 12 * i) for i, line in enumerate(intro.lines[1:16])]
    starred = next(line for line in heading.lines if line.text.startswith("** Conclusions"))
    printed = (
        starred
        if below == "asterisk note"
        else replace(last.lines[-1], text="28 GE.13-15930", top=750)
    )
    return replace(
        document,
        pages=(first, intro, heading, last, _page(5, [*body, printed], last)),
    )


@pytest.mark.parametrize("below", ["asterisk note", "footer"])
def test_an_asterisk_note_or_a_footer_on_the_next_page_is_not_read_as_the_footnote_running_on(
    below: str,
) -> None:
    # review5's M5: the lines above the next page's first marker were all taken for the end of
    # the footnote: 141.2 read "... these regions (Georgia). ** Conclusions and recommendations
    # have not been edited" or "... these regions (Georgia). 28 GE.13-15930".
    russias_footnote_asks(parse_wg_report(_next_page_prints(below)))
