"""The State's comments on its asks (extractors/wg_notes.py), on paragraphs whose text is cut
from the WG reports in ../shared/data/wg_reports (each test names its source, symbol, paragraph
and page): the notes left unread in /work/notes/REPORT-reading3.md and REPORT-review4.md."""

from __future__ import annotations

from uprdex.extractors.wg_items import Item, Paragraph
from uprdex.extractors.wg_notes import notes_on_asks, reasons_in_lead_ins
from uprdex.pipeline.model import Position, Recommendation


def _ask(paragraph: str, position: Position, lead_in: str, state: str = "France") -> Recommendation:
    return Recommendation(
        paragraph, "Ratify the convention", (state,), position, lead_in, 3, paragraph
    )


def _items(head: int, texts: list[str]) -> list[Item]:
    return [Item(head, i, f"{i}.", 22, [text], False) for i, text in enumerate(texts, 1)]


# Colombia 2009 (A/HRC/10/82) para 88, page 30: its asks are cited from section I.
COLOMBIA_2009_88 = (
    "The recommendations noted in the report in paragraphs 19(d), 19(e), 22(c), 23(b), 23(d), "
    "23(e), 35(c), 37(a), 37(c), 40(e), 60(a) above did not enjoy the support of Colombia. "
    "Colombia submitted its views on these recommendations. These views are included in an "
    "addendum to the report of the Working Group (A/HRC/10/82/Add.1)."
)
# Colombia 2013 (A/HRC/24/6) para 118, page 22: a lead-in with items.
COLOMBIA_2013_118 = (
    "The following recommendations did not enjoy the support of Colombia. Colombia submitted "
    "its views on these recommendations. These views are included in an addendum to the "
    "report of the Working Group (A/HRC/24/6/Add.1):"
)
# Colombia 2009 para 87, page 23 (cut short): its views are on section-I asks, not its items.
COLOMBIA_2009_87 = (
    "The recommendations formulated during the interactive dialogue have been examined by "
    "Colombia and the recommendations listed below enjoy the support of Colombia. Colombia has "
    "submitted its views on recommendations noted in the report in paragraphs 19(a), 19(b), "
    "19(f). These views are included in an addendum to the report of the Working Group "
    "(A/HRC/10/82/Add.1):"
)


def test_a_lead_in_saying_the_states_views_on_its_asks_are_in_an_addendum_is_their_comment() -> (
    None
):
    # The report's only word that the State commented on these asks, and where: without it the
    # asks showed no comment at all.
    paragraphs = [
        Paragraph(
            87, 23, [COLOMBIA_2009_87], _items(87, ["Step up efforts to fight torture (Denmark);"])
        ),
        Paragraph(88, 30, [COLOMBIA_2009_88]),
        Paragraph(
            118,
            22,
            [COLOMBIA_2013_118],
            _items(
                118,
                [
                    "Ratify international human rights instruments to which Colombia is not yet "
                    "a party (Niger);",
                    "Consider ratifying the Optional Protocol to the Convention against Torture "
                    "(Peru);",
                ],
            ),
        ),
    ]
    asks = [
        _ask("87.1", Position.SUPPORTED, "87"),
        _ask("19(d)", Position.NOTED, "88"),
        _ask("60(a)", Position.NOTED, "88"),
        _ask("118.1", Position.NOTED, "118"),
        _ask("118.2", Position.NOTED, "118"),
    ]
    comments = reasons_in_lead_ins(paragraphs, asks)
    assert [(c.paragraph, c.refers_to) for c in comments] == [
        ("88", "19(d)"),
        ("88", "60(a)"),
        ("118", "118.1"),
        ("118", "118.2"),
    ]
    assert "(A/HRC/10/82/Add.1)" in comments[0].text
    assert comments[2].text == COLOMBIA_2013_118


# Uruguay 2014 (A/HRC/26/7) paras 124-125, page 25.
URUGUAY_2014_125 = (
    "Uruguay rejects the recommendation made by the delegation of Bangladesh. Uruguay "
    "effectively protects the family institution, including through laws embodied in the "
    "National Constitution on a wide and non-discriminatory basis, rejecting to limit the "
    "concept of family on grounds of gender identity, sexual orientation or any other reason, "
    "in accordance with our national legislation and the highest international standards on "
    "human rights protection."
)


def test_a_note_naming_an_ask_by_its_recommending_state_is_the_comment_on_that_ask() -> None:
    # 124.1 is Bangladesh's one ask in the list right above the note.
    lead_in = Paragraph(
        124,
        25,
        ["The recommendation below did not enjoy the support of Uruguay:"],
        _items(
            124,
            [
                "Ensure the protection of and right to family life on the premise that family "
                "is the natural and fundamental group of society based upon the stable "
                "relationship between a man and a woman (Bangladesh)."
            ],
        ),
    )
    note = Paragraph(125, 25, [URUGUAY_2014_125])
    asks = [_ask("124.1", Position.NOTED, "124", "Bangladesh")]
    notes, _ = notes_on_asks([lead_in, note], asks)
    assert [(n.paragraph, n.refers_to, n.text) for n in notes] == [
        ("125", "124.1", URUGUAY_2014_125)
    ]
    # Not when the State has two asks in the list above (123.29 and 123.57 are Bangladesh's):
    # which one it means is not said.
    two = [
        _ask("124.1", Position.NOTED, "124", "Bangladesh"),
        _ask("124.2", Position.NOTED, "124", "Bangladesh"),
    ]
    lead_in.items = _items(
        124,
        [
            "Strengthen the National Women’s Institute through greater prominence and adequate "
            "resources (Bangladesh);",
            "Criminalize the dissemination of theories of racial superiority or inferiority and "
            "prohibit organizations which promote and incite racial discrimination (Bangladesh);",
        ],
    )
    assert notes_on_asks([lead_in, note], two)[0] == []


# Nigeria 2009 (A/HRC/11/26) para 104, page 24, right after the 32 items of 103.
NIGERIA_2009_104 = (
    "Nigeria takes note of the recommendations above and in the interim would like to state "
    "that, among the recommendations, there are some that enjoy the support of Nigeria, there "
    "are others that need to be further examined, and there are others which do not enjoy the "
    "support of Nigeria because they are in conflict with its Constitution and laws. The "
    "response of Nigeria to these recommendations will be included in the outcome report "
    "adopted by the Human Rights Council at its eleventh session."
)


def test_a_note_taking_note_of_the_asks_above_with_more_than_a_promise_is_their_comment() -> None:
    # Its last sentence promises the response (the asks stay pending); the first is the
    # State's interim word on them, with a reason for those it refuses. It was no comment, as
    # "takes note of the recommendations above" was no opening of a note on the asks above.
    lead_in = Paragraph(
        103,
        18,
        ["In the course of the discussion, the following recommendations were made to Nigeria:"],
        [
            Item(
                103,
                3,
                "3.",
                19,
                [
                    "Continue to strengthen its human rights institutions and develop further "
                    "measures to ensure the effective implementation of their mandates (Ghana);"
                ],
                False,
            ),
            Item(
                103,
                20,
                "20.",
                21,
                [
                    "Take urgent steps to prevent politically motivated and sectarian and "
                    "religious-based violence (Canada);"
                ],
                False,
            ),
        ],
    )
    asks = [_ask(p, Position.PENDING, "104") for p in ("103.3", "103.20")]
    notes, _ = notes_on_asks([lead_in, Paragraph(104, 24, [NIGERIA_2009_104])], asks)
    assert [(n.paragraph, n.refers_to, n.text) for n in notes] == [
        ("104", "103.3", NIGERIA_2009_104),
        ("104", "103.20", NIGERIA_2009_104),
    ]
