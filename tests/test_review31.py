"""review31: a second reader's review of the footnote reader (footnotes on asks, schema 14).
Each defect found is pinned by a test that failed before its fix; the texts are quoted as the
reports print them (pages are the PDF's, 1-based)."""

from __future__ import annotations

from pathlib import Path

from uprdex.extractors.wg_items import footnotes
from uprdex.extractors.wg_report import parse_wg_report
from uprdex.pipeline.loader import load_pdf
from uprdex.pipeline.model import Line, Page

from helpers import by_paragraph

AS_READ = "The recommendation as read during the interactive dialogue: "


def test_a_glued_marker_the_body_did_not_give_still_opens_its_note(shared_data: Path) -> None:
    # Lesotho 2010 (A/HRC/15/7) p. 17 prints notes 1-3 on 96.35, 97.1 and 97.3; the loader reads
    # the body's markers 1 and 2 but not 97.3's ("... and so on (Chad)3;", set on the line), and
    # glues note 3's marker to note 2's last line: "... the Convention on the Rights of the
    # Child” (Australia). 3" then "Recommendation originally read: “Integrate the various regional
    # and international human rights instruments ...” (Chad).". Note 2, on Australia's 97.1,
    # took Chad's original wording of 97.3 as its own.
    asks = by_paragraph(parse_wg_report(load_pdf(shared_data / "wg_reports" / "lesotho2010.pdf")))
    (note,) = asks["97.1"].footnotes
    assert (note.marker, note.page) == ("2", 17)
    assert note.text.endswith("the Convention on the Rights of the Child” (Australia)."), note.text
    assert "Chad" not in note.text, note.text


def test_a_note_line_opening_on_a_date_is_no_glued_marker() -> None:
    # A page laid out as Botswana 2013's: notes in 9 pt under 10 pt body text, only the line
    # printing a note's marker read as a note line. Note 9's second line opens on a date whose
    # day is the next marker the body prints ("10 December ..."): that is the note's text, not
    # note 10 glued to it (no WG report of the corpus prints a glued marker at a line's start).
    def body(text: str, top: float, marker: str) -> Line:
        return Line(text, 14, top, 70.0, 10.0, False, ((len(text), marker),))

    def note(text: str, top: float, marked: bool = False) -> Line:
        return Line(text, 14, top, 70.0, 6.0 if marked else 9.0, marked)

    page = Page(
        14,
        (
            body("138.5. Proclaim a national day of human rights (Tunisia);", 100.0, "9"),
            body("138.6. Ratify the ICCPR (Spain);", 114.0, "10"),
            body("138.7. Ratify the ICESCR (Chile);", 128.0, "11"),
            body("138.8. Ratify the CRPD (Chile);", 142.0, "12"),
            note("9 " + AS_READ + "“Proclaim", 700.0, True),
            note("10 December a national day of human rights” (Tunisia).", 711.0),
            note("10 " + AS_READ + "“Ratify", 722.0, True),
            note("the ICCPR” (Spain).", 733.0),
        ),
        842.0,
        True,
    )
    notes = footnotes(page)
    assert notes["9"][-1] == "10 December a national day of human rights” (Tunisia).", notes
    assert notes["10"][0] == AS_READ + "“Ratify", notes
