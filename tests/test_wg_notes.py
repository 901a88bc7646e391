"""The State's notes and comments on its asks (extractors/wg_notes.py), on paragraphs built from
the reports' wordings: regressions found in review (see /work/notes/REPORT-review3.md)."""

from __future__ import annotations

import pytest

from uprdex.extractors.wg_items import Item, Paragraph
from uprdex.extractors.wg_notes import comments_on_cited, notes_on_asks, reasons_in_lead_ins
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


def _after_a_list(note: str, head: int = 97, count: int = 5) -> list[Paragraph]:
    """A list lead-in with `count` items, then the note."""
    items = [Item(head, i, str(i), 3, ["Ratify (France);"], False) for i in range(1, count + 1)]
    return [
        Paragraph(
            head, 3, ["The following recommendations did not enjoy the support of X:"], items
        ),
        Paragraph(head + 1, 3, [note]),
    ]


@pytest.mark.parametrize(
    "note",
    [
        "The recommendations above, except 97.3, do not enjoy the support of X "
        "for the reasons explained in the national report.",
        "X considers that the recommendations above, with the exception of recommendation "
        "97.3, are not in conformity with its laws.",
        "The recommendations above, other than 97.3, do not enjoy the support of X, as it "
        "considers them contrary to its Constitution.",
    ],
)
def test_the_recommendations_above_except_one_is_no_comment_on_that_one(note: str) -> None:
    # ON_THE_ASKS_ABOVE took every item of the list above, the one the note leaves out too.
    notes, _ = notes_on_asks(_after_a_list(note), [_ask(f"97.{i}") for i in range(1, 6)])
    assert "97.3" not in [n.refers_to for n in notes]


@pytest.mark.parametrize(
    ("note", "named"),
    [
        (
            "Recommendations 97.2 and 97.5 above are already implemented through measures other "
            "than legislation.",
            ["97.2", "97.5"],
        ),
        (
            "X considers that recommendations Nos. 1, 2, 3 and 4 above are already implemented, "
            "apart from the part on the death penalty.",
            ["97.1", "97.2", "97.3", "97.4"],
        ),
    ],
)
def test_other_than_or_apart_from_leaving_no_ask_out_keeps_the_note(
    note: str, named: list[str]
) -> None:
    # review4's M2: any "other than" or "apart from" dropped the note, and the asks lost their
    # comment and "already implemented" detail. No such note is in the 245 reports (latent).
    notes, asks = notes_on_asks(_after_a_list(note), [_ask(f"97.{i}") for i in range(1, 6)])
    assert [n.refers_to for n in notes] == named
    assert [a.paragraph for a in asks if a.position_detail] == named


@pytest.mark.parametrize(
    "note",
    [
        "The above recommendations will be examined by X, which will provide responses in "
        "due time.",
        "The recommendations above do not enjoy the support of the Republic of X.",
        # review4's M3: a State's name in brackets or in lower case was taken for more.
        "The recommendations above do not enjoy the support of Iran (Islamic Republic of).",
        "The above recommendations did not enjoy the support of Côte d’Ivoire.",
        # review5's M3: which asks it is on was taken for more (Nigeria 2009's para 104 goes on).
        "X takes note of the recommendations above.",
        "X took note of the above recommendations.",
        # left9: where they were made (every ask was) was taken for more.
        "X takes note of the above recommendations made during the interactive dialogue.",
        "X takes note of the recommendations above, made during the dialogue.",
    ],
)
def test_a_note_that_only_states_a_position_is_no_comment(note: str) -> None:
    # A promise to respond, or the position the lead-in already gave, says nothing of the asks.
    notes, _ = notes_on_asks(_after_a_list(note), [_ask(f"97.{i}") for i in range(1, 6)])
    assert notes == []


def test_a_note_giving_its_position_and_more_stays_the_comment_on_each() -> None:
    # Singapore 2011 (A/HRC/18/11) para 98, and Ghana 2012's "until the referendum ...".
    for note in (
        "The recommendations above do not enjoy the support of Singapore for the reasons "
        "explained in the national report and during the interactive dialogue.",
        "The above recommendations cannot enjoy the support of Ghana until the referendum on "
        "the Constitution takes place.",
        "X takes note of the above recommendations made during the dialogue and will "
        "implement them by 2015.",
    ):
        notes, _ = notes_on_asks(_after_a_list(note), [_ask(f"97.{i}") for i in range(1, 6)])
        assert [n.refers_to for n in notes] == [f"97.{i}" for i in range(1, 6)]


def _two_lists_and_a_note(note: str) -> list[Paragraph]:
    """Paragraphs 90 and 93, six items each, then the note."""
    lists = [
        Paragraph(
            head,
            3,
            ["The following recommendations did not enjoy the support of X:"],
            [Item(head, i, str(i), 3, ["Ratify (France);"], False) for i in range(1, 7)],
        )
        for head in (90, 93)
    ]
    return [*lists, Paragraph(94, 3, [note])]


def test_a_bare_number_after_a_full_number_of_another_paragraph_names_no_ask() -> None:
    # "Nos. 90.2, 90.3 and 5" after paragraph 93's items: 5 is 90.5 by the list, 93.5 by the
    # paragraph above; either may be wrong, so the note names 90.2 and 90.3 only (it named
    # 90.5, the head of the full number having replaced the paragraph above).
    note = "X considers that recommendations Nos. 90.2, 90.3 and 5 above are already implemented."
    asks = [_ask(f"{head}.{i}") for head in (90, 93) for i in range(1, 7)]
    notes, _ = notes_on_asks(_two_lists_and_a_note(note), asks)
    assert [n.refers_to for n in notes] == ["90.2", "90.3"]


def test_a_bare_number_after_a_full_number_of_the_paragraph_above_is_its_item() -> None:
    # "Nos. 93.2, 93.3 and 5" after paragraph 93's items: both readings give 93.5.
    note = "X considers that recommendations Nos. 93.2, 93.3 and 5 above are already implemented."
    asks = [_ask(f"{head}.{i}") for head in (90, 93) for i in range(1, 7)]
    notes, _ = notes_on_asks(_two_lists_and_a_note(note), asks)
    assert [n.refers_to for n in notes] == ["93.2", "93.3", "93.5"]


@pytest.mark.parametrize(
    "note",
    [
        "X made the following statement: recommendation 97.2 of its first review had been "
        "implemented in 2009.",
        "X considers that recommendations 97.1 and 97.2 of the previous cycle have been "
        "implemented.",
        "Regarding recommendation 97.2 from the first UPR cycle, X recalled that it had been "
        "implemented.",
    ],
)
def test_a_number_of_an_earlier_review_is_no_comment_on_this_reviews_ask(note: str) -> None:
    # "recommendation 97.2 of its first review" was the comment on this review's 97.2.
    notes, _ = notes_on_asks(_after_a_list(note), [_ask(f"97.{i}") for i in range(1, 6)])
    assert notes == []


def test_a_paragraph_cited_of_an_earlier_review_is_no_cited_ask() -> None:
    # Cycle 1's "paragraph 23 (b)" of the first review is not this review's ask 23(b).
    asks = [_ask(p) for p in ("23(b)", "26(c)")]
    earlier = Paragraph(
        66,
        9,
        [
            "With regard to recommendation 26 (c), and to paragraph 23 (b) of its first review, "
            "the State under review offers the following comments: it has been implemented."
        ],
    )
    assert [c.refers_to for c in comments_on_cited([earlier], asks)] == ["26(c)"]


def test_as_and_a_capital_in_a_later_sentence_of_a_lead_in_is_no_reason() -> None:
    # review4's M4: "as" + a capital word anywhere after the position phrase was a reason, so
    # the lead-in became the comment on each of its items. No such lead-in is in the 245
    # reports (latent). A reason word in a later sentence still counts: Cuba 2009 (A/HRC/11/22)
    # para 132, page 28, "Cuba rejected those recommendations based on ...".
    later_as = Paragraph(
        97,
        3,
        [
            "The following recommendations enjoy the support of X, which considers that some of "
            "them are already implemented. As Regards recommendation 5, X notes:"
        ],
        [Item(97, i, str(i), 3, ["Ratify (France);"], False) for i in range(1, 3)],
    )
    cuba = Paragraph(
        132,
        28,
        [
            "The recommendations noted in the report in paragraphs 53 (b) and (c), 64 (a) above "
            "did not enjoy the support of Cuba. Cuba rejected those recommendations based on one "
            "or more of the following arguments: (a) no people can accept that its right to "
            "self-determination ... be questioned;"
        ],
    )
    asks = [
        Recommendation(p, "Ratify", ("France",), position, lead_in, 3, p)
        for p, position, lead_in in (
            ("97.1", Position.SUPPORTED, "97"),
            ("97.2", Position.SUPPORTED, "97"),
            ("53(b)", Position.NOTED, "132"),
            ("64(a)", Position.NOTED, "132"),
        )
    ]
    comments = reasons_in_lead_ins([later_as, cuba], asks)
    assert [(c.paragraph, c.refers_to) for c in comments] == [("132", "53(b)"), ("132", "64(a)")]


@pytest.mark.parametrize(
    ("note", "position"),
    [
        (
            "Uruguay rejects the recommendation made by the delegation of France in paragraph "
            "124.7 below.",
            Position.NOTED,
        ),
        (
            "Uruguay could not accept the recommendation of France on the death penalty made "
            "during the dialogue.",
            Position.SUPPORTED,
        ),
        (
            "Uruguay rejects the recommendation made by the delegation of France.",
            Position.SUPPORTED,
        ),
    ],
)
def test_a_note_on_a_states_ask_naming_a_number_or_another_position_is_no_comment_on_it(
    note: str, position: Position
) -> None:
    # review5's M4: a note naming "the recommendation made by" France was the comment on
    # France's one ask in the list right above, whatever number it named (124.7, an ask of
    # another list) and whatever position it stated ("rejects" on an ask the State supported).
    lead_in = Paragraph(
        123,
        25,
        [f"The following recommendations were {position.value} by Uruguay:"],
        [
            Item(123, 1, "1", 25, ["Ratify the convention (Germany);"], False),
            Item(123, 2, "2", 25, ["Abolish the death penalty (France);"], False),
        ],
    )
    asks = [
        Recommendation(f"123.{i}", "Ratify", (state,), position, "123", 25, f"123.{i}")
        for i, state in ((1, "Germany"), (2, "France"))
    ]
    notes, _ = notes_on_asks([lead_in, Paragraph(124, 25, [note])], asks)
    assert notes == []


@pytest.mark.parametrize(
    "note",
    [
        "Uruguay rejects the recommendation made by the delegation of France, since Law No. "
        "18.026 already provides for it.",
        "Uruguay rejects the recommendation made by the delegation of France: article 2.1 of "
        "the Constitution already provides for it.",
        "Uruguay rejects the recommendation made by the delegation of France, as paragraph 3 of "
        "article 7 of the Constitution and US$ 1.5 million a year already provide for it.",
    ],
)
def test_a_note_citing_a_law_number_is_still_the_comment_on_the_states_ask(note: str) -> None:
    # review7's M1: any "No. 1..." or "2.1" was taken for an ask's number, so a note on France's
    # one noted ask that cites a law, an article or a sum was lost: no comment at all
    # (`NOTE_ON_FULL_NUMBERS` finds no ask 18.026 or 2.1 either).
    lead_in = Paragraph(
        123,
        25,
        ["The following recommendations were noted by Uruguay:"],
        [
            Item(123, 1, "1", 25, ["Ratify the convention (Germany);"], False),
            Item(123, 2, "2", 25, ["Abolish the death penalty (France);"], False),
        ],
    )
    asks = [
        Recommendation(f"123.{i}", "Ratify", (state,), Position.NOTED, "123", 25, f"123.{i}")
        for i, state in ((1, "Germany"), (2, "France"))
    ]
    notes, _ = notes_on_asks([lead_in, Paragraph(124, 25, [note])], asks)
    assert [note.refers_to for note in notes] == ["123.2"]


@pytest.mark.parametrize(
    "note",
    [
        # A/HRC/10/82 (Colombia 2009): the dialogue's lettered asks ("19(d)", "37(a)") are
        # restated in the lists, 37(a) in 88, not 87.
        "Colombia rejects the recommendation made by the delegation of France in paragraph "
        "37(a) above.",
        # A/HRC/8/19 (Bahrain 2008): "the recommendation of Switzerland reflected in paragraph 35
        # above", a paragraph of the dialogue.
        "With regard to the recommendation of France reflected in paragraph 37 above, Colombia "
        "cannot accept it.",
        # An ask of the earlier review by its full number, of a list this report has not.
        "Colombia rejects the recommendation made by the delegation of France at its first "
        "review (A/HRC/10/82, para. 60.5), as it did then.",
    ],
)
def test_a_note_naming_a_dialogue_paragraph_is_no_comment_on_the_states_ask_above(
    note: str,
) -> None:
    # review8: fix7 (3e195a5) skips "paragraph N" only when N is not before the first list, so a
    # dialogue paragraph, whose ask any list may restate, became the comment on France's one
    # ask in the list above (87.2), though it names the ask of list 89. 2b1a6a6 gave none.
    lists = [
        Paragraph(
            87,
            20,
            ["The following recommendations did not enjoy the support of Colombia:"],
            [
                Item(87, 1, "1", 20, ["Ratify the convention (Germany);"], False),
                Item(87, 2, "2", 20, ["Abolish the death penalty (France);"], False),
            ],
        ),
        Paragraph(88, 20, [note]),
        Paragraph(
            89,
            21,
            ["The following recommendation did not enjoy the support of Colombia:"],
            [Item(89, 1, "1", 21, ["Invite the Special Rapporteur (France);"], False)],
        ),
    ]
    asks = [
        Recommendation(paragraph, "x", (state,), Position.NOTED, paragraph[:2], 20, paragraph)
        for paragraph, state in (("87.1", "Germany"), ("87.2", "France"), ("89.1", "France"))
    ]
    notes, _ = notes_on_asks(lists, asks)
    assert [note.refers_to for note in notes] == []
