"""Position wordings: one module owns them, and both readers of positions see every one.

The WG-report reader (lead-ins) and the addendum reader (list statements, passive lists, one
answer per paragraph) once kept two refusal lists that drifted apart ("Slovenia did not accept
the recommendation" was read as supported by one form only). Each case below is generated from
the shared module's own lists, so a wording added there is checked in every reader.
"""

from __future__ import annotations

import pytest

from uprdex.extractors.addendum import parse_addendum
from uprdex.extractors.positions import IMPLEMENTED_DETAIL, REFUSED_WORDINGS, REFUSING_WORDINGS
from uprdex.extractors.wg_report import parse_wg_report
from uprdex.pipeline.model import Line, LoadedDocument, Page, Position


def _document(lines: list[str]) -> LoadedDocument:
    page = Page(
        1, tuple(Line(text, 1, 100.0 + i, 70.0, 10.0) for i, text in enumerate(lines)), 842.0, True
    )
    return LoadedDocument("0" * 64, "synthetic.pdf", (page,), "")


def _wg_positions(lead_in: str) -> dict[str, Position]:
    return {paragraph: position for paragraph, (position, _) in _wg_read(lead_in).items()}


def _wg_read(lead_in: str) -> dict[str, tuple[Position, str | None]]:
    # Kenya 2010 (A/HRC/15/8), paragraph numbers as printed there.
    report = parse_wg_report(
        _document(
            [
                "Report of the Working Group on the Universal Periodic Review",
                "Kenya",
                "II. Conclusions and/or recommendations",
                f"102. {lead_in}",
                "102.1. Ratify the Optional Protocol to the Convention against Torture (Denmark);",
                "102.2. Abolish the death penalty (Sweden);",
                "103. All conclusions and/or recommendations contained in the present report "
                "reflect the position of the submitting State(s) and/or the State under review.",
            ]
        )
    )
    return {rec.paragraph: (rec.position, rec.position_detail) for rec in report.recommendations}


def _addendum_positions(paragraphs: list[str]) -> dict[str, tuple[Position, str]]:
    addendum = parse_addendum(
        _document(
            [
                "United Nations A/HRC/15/8/Add.1",
                "Views on conclusions and/or recommendations, voluntary commitments and replies "
                "presented by the State under review",
                *paragraphs,
            ]
        )
    )
    return {r.ref: (r.position, r.detail) for r in addendum.responses}


def _subject(wording: str) -> str:
    """A subject that agrees with the wording: "Kenya does not", "The authorities do not"."""
    return "The authorities" if wording.split()[0] in {"do", "are"} else "Kenya"


@pytest.mark.parametrize("wording", REFUSING_WORDINGS)
def test_every_refusing_wording_is_noted_by_both_readers(wording: str) -> None:
    subject = _subject(wording)
    noted = {"102.1": Position.NOTED, "102.2": Position.NOTED}
    assert _wg_positions(f"{subject} {wording} support the following recommendations:") == noted
    refused = (Position.NOTED, "not accepted")
    # A list statement naming full numbers.
    assert _addendum_positions(
        [
            f"1. {subject} {wording} accept the following recommendations: 102.1, 102.2.",
            "2. Kenya supports the following recommendations: 102.3, 102.4.",
        ]
    ) == {
        "102.1": refused,
        "102.2": refused,
        "102.3": (Position.SUPPORTED, "accepted"),
        "102.4": (Position.SUPPORTED, "accepted"),
    }
    # One answer per recommendation (the cycle-1 form).
    answers = _addendum_positions(
        [
            "1. This document contains the responses of the Government of Kenya.",
            "2. Kenya accepts the recommendation.",
            f"3. {subject} {wording} accept the recommendation.",
        ]
    )
    assert answers == {"2": (Position.SUPPORTED, "accepted"), "3": refused}


@pytest.mark.parametrize("wording", REFUSED_WORDINGS)
def test_every_refusal_in_the_passive_is_noted_by_both_readers(wording: str) -> None:
    noted = {"102.1": Position.NOTED, "102.2": Position.NOTED}
    assert _wg_positions(f"The recommendations below {wording} accepted by Kenya:") == noted
    refused = (Position.NOTED, "not accepted")
    assert _addendum_positions(
        [
            f"1. Recommendations 102.1 and 102.2 {wording} accepted.",
            f"2. The following recommendations {wording} supported: 102.3, 102.4.",
            "3. The following recommendations are supported: 102.5, 102.6.",
        ]
    ) == {
        "102.1": refused,
        "102.2": refused,
        "102.3": refused,
        "102.4": refused,
        "102.5": (Position.SUPPORTED, "accepted"),
        "102.6": (Position.SUPPORTED, "accepted"),
    }


def test_support_not_had_is_noted_by_both_readers() -> None:
    # The lead-in reader knew "did not have the support"; the addendum's copy lacked it.
    wording = "did not have the support of Kenya"
    assert _wg_positions(f"The following recommendations {wording}:") == {
        "102.1": Position.NOTED,
        "102.2": Position.NOTED,
    }
    assert _addendum_positions([f"1. The recommendations 102.1 and 102.2 {wording}."]) == {
        "102.1": (Position.NOTED, "not accepted"),
        "102.2": (Position.NOTED, "not accepted"),
    }


@pytest.mark.parametrize(
    ("lead_in", "detail"),
    [
        # Lebanon 2011 (A/HRC/16/18 para 83); an addendum's "rejects" gives "rejected".
        (
            "The following recommendations were rejected by Kenya based on one or more of the "
            "following reasons: (a) not within the scope of the UPR:",
            "rejected",
        ),
        # Senegal 2013 (A/HRC/25/4 para 126); an addendum's "cannot be accepted", "not accepted".
        ("Kenya considers that the recommendations below cannot be accepted:", "not accepted"),
        # Tunisia 2012 (A/HRC/21/5 para 117): the refusal's own word, after "did not enjoy".
        (
            "The recommendations below did not enjoy the support of Kenya, which considers that "
            "the recommendations below cannot be accepted:",
            "not accepted",
        ),
        ("Kenya cannot support the following recommendations:", "not accepted"),
        # Saying no more than the position gives no detail.
        ("The recommendations below did not enjoy the support of Kenya:", None),
        ("The following recommendations will be noted by Kenya:", None),
    ],
)
def test_a_lead_in_s_word_of_refusal_is_its_asks_detail_as_an_addendum_s(
    lead_in: str, detail: str | None
) -> None:
    assert _wg_read(lead_in) == {
        "102.1": (Position.NOTED, detail),
        "102.2": (Position.NOTED, detail),
    }


# review32 finding 5: "in the process of being implemented" was not read as the lead-in's
# "already implemented or in process" (96 asks of Kazakhstan 2014, 21 of Rwanda 2011); the 245 WG
# reports print it in two lead-ins, beside "in the process of implementation" (59 times),
# "already implemented" (47), "already been implemented" (15), "already being implemented" (2).
@pytest.mark.parametrize(
    "lead_in",
    [
        # A/HRC/28/10 para 125 (Kazakhstan 2014)
        "The following recommendations enjoy the support of Kenya, which considers that they "
        "are in the process of being implemented.",
        # A/HRC/17/4 para 79 (Rwanda 2011)
        "The following recommendations enjoy the support of Kenya, which considers that they "
        "are in the process of being implemented:",
    ],
)
def test_asks_in_the_process_of_being_implemented_are_considered_so_by_both_readers(
    lead_in: str,
) -> None:
    implemented = (Position.SUPPORTED, IMPLEMENTED_DETAIL)
    assert _wg_read(lead_in) == {"102.1": implemented, "102.2": implemented}
    assert _addendum_positions(
        [
            "1. Kenya supports recommendations 102.3 and 102.4, which are in the process of "
            "being implemented.",
        ]
    ) == {"102.3": implemented, "102.4": implemented}
