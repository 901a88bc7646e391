"""The State's notes and comments on its asks (extractors/wg_notes.py), on paragraphs built from
the reports' wordings: regressions found in review (see /work/notes/REPORT-review3.md)."""

from __future__ import annotations

from uprdex.extractors.wg_items import Item, Paragraph
from uprdex.extractors.wg_notes import comments_on_cited
from uprdex.pipeline.model import Position, Recommendation


def _ask(paragraph: str) -> Recommendation:
    return Recommendation(
        paragraph, "Ratify the convention", ("France",), Position.NOTED, "60", 3, paragraph
    )


def test_a_count_or_a_date_before_offered_comments_is_not_a_cited_ask() -> None:
    # "the 12 remaining recommendations" was a comment on ask 12, and "On 22 May 2008" one on
    # ask 22: only a citation run ("recommendation 26 (c)") names a cited ask.
    asks = [_ask(p) for p in ("12", "22", "26(c)")]
    count = Paragraph(
        65,
        9,
        [
            "With regard to the 12 remaining recommendations, the State "
            "under review offers the following comments: it will consider them."
        ],
    )
    date = Paragraph(
        66,
        9,
        [
            "On 22 May 2008, with regard to recommendation 26 (c), the State "
            "under review offers the following comments: The death penalty ..."
        ],
    )
    assert [c.refers_to for c in comments_on_cited([count, date], asks)] == ["26(c)"]


def test_a_date_or_a_count_in_a_comment_printed_as_an_item_is_not_a_cited_ask() -> None:
    # Burundi 2009's items name their asks "as included in paragraphs 23 (Germany), ...": any
    # other number in the item ("the Penal Code of 22 April 2009", "12 cases") was one too.
    asks = [_ask(p) for p in ("12", "22", "24(b)")]
    lead_in = Paragraph(
        83,
        20,
        [
            "Burundi takes note of the recommendations reflected in "
            "paragraphs 12, 22 and 24 (b) and offers the following comments:"
        ],
    )
    item = Item(
        83,
        1,
        "1",
        20,
        [
            "With regard to recommendations concerning torture, as included "
            "in paragraphs 24 (b) (Belgium), Burundi indicated that the Penal "
            "Code of 22 April 2009 punishes it, and that 12 cases were tried."
        ],
        False,
    )
    comments = comments_on_cited([lead_in], asks, [item])
    assert [c.refers_to for c in comments] == ["24(b)"]
