"""review31: a second reader's review of the footnote reader (footnotes on asks, schema 14).
Each defect found is pinned by a test that failed before its fix; the texts are quoted as the
reports print them (pages are the PDF's, 1-based)."""

from __future__ import annotations

from pathlib import Path

from uprdex.extractors.wg_report import parse_wg_report
from uprdex.pipeline.loader import load_pdf

from helpers import by_paragraph


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
