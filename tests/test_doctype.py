"""Document types and symbols from the first page: UN documents by masthead, symbol and title,
NGO reports and news by the words they use about themselves."""

from __future__ import annotations

from pathlib import Path

import pytest

from uprdex.extractors.doctype import classify
from uprdex.extractors.metadata import find_date, find_state_under_review, find_symbol, find_year
from uprdex.pipeline.loader import load_pdf
from uprdex.pipeline.symbols import year_of_session

# First pages as their text layers print them (A/HRC/8/37 Peru 2008; A/HRC/11/23 Saudi
# Arabia 2009, whose title misses "Group").
PERU_2008 = (
    "UNITED \nNATIONS A\nGeneral Assembly Distr. \nGENERAL \nA/HRC/8/37 \n28 May 2008 \n"
    "Original: ENGLISH \nHUMAN RIGHTS COUNCIL \nEighth session \nAgenda item 6 \n"
    "UNIVERSAL PERIODIC REVIEW \nPeru * \n"
)
SAUDI_ARABIA_2009 = (
    "GE.09-11753\nUNITED \nNATIONS A\nGeneral Assembly Distr. \nGENERAL \nA/HRC/11/23 \n"
    "4 March 2009 \nOriginal: ENGLISH \nHUMAN RIGHTS COUNCIL \nEleventh session \n"
    "Agenda item 6 \nUNIVERSAL PERIODIC REVIEW \n"
    "Report of the Working on the Universal Periodic Review * \nSaudi Arabia \n"
)
# An NGO's report, written for these tests, as such reports open.
NGO_REPORT = (
    "Shadow Report: Slovenia\nA joint submission by a coalition of civil society "
    "organisations\nNovember 2019\nIn its second review (A/HRC/28/15), Slovenia received "
    "recommendation 115.22. Slovenia has not implemented it. Mexico and Chile also asked "
    "Slovenia to act.\n"
)
NEWS_STORY = (
    "Geneva, 15 November 2019 (Reuters) - Slovenia told the UN Human Rights Council it would "
    "review its asylum law, a government spokesperson said on Tuesday. Slovenia's minister said "
    "the Government of Slovenia had acted on the recommendations of its 2014 review.\n"
)


def test_wg_reports_without_their_usual_title_are_wg_reports() -> None:
    for page in (PERU_2008, SAUDI_ARABIA_2009):
        assert classify(find_symbol(page), page) == "wg_report"


def test_a_symbol_an_ngo_report_cites_is_not_its_own() -> None:
    assert find_symbol(NGO_REPORT) is None
    assert classify(None, NGO_REPORT) == "ngo_report"
    assert find_state_under_review(NGO_REPORT) == "Slovenia"
    assert find_date(NGO_REPORT) == "2019-11"  # as precise as printed


def test_a_news_story_is_news() -> None:
    assert find_symbol(NEWS_STORY) is None
    assert classify(None, NEWS_STORY) == "news"
    assert find_state_under_review(NEWS_STORY) == "Slovenia"


def test_every_report_of_the_corpus_is_a_wg_report(shared_data: Path) -> None:
    reports = sorted((shared_data / "wg_reports").glob("*.pdf"))
    others = [
        path.name
        for path in reports
        if classify(find_symbol(text := load_pdf(path).first_page_text), text) != "wg_report"
    ]
    assert len(reports) == 245 and others == []


def test_year_of_session() -> None:
    # Sessions 1-20 as the 245 WG reports date their reviews; 36 met in November 2020 and 41 in
    # November 2022; 51-53 in 2026 and 54 in 2027, three a year as since 2023 (leftovers: 51
    # on had none); after the table's last session the year is not guessed (a cycle's first
    # year held two: 2012, 2017, 2022).
    cases = {1: 2008, 3: 2008, 4: 2009, 12: 2011, 13: 2012, 14: 2012, 15: 2013, 20: 2014}
    cases |= {34: 2019, 36: 2020, 41: 2022, 42: 2023, 50: 2025, 51: 2026, 53: 2026, 54: 2027}
    cases |= {55: None, 0: None, None: None}
    for session, year in cases.items():
        assert year_of_session(session) == year, session


def test_a_title_quoted_outside_a_un_document_does_not_make_it_one() -> None:
    # Written for these tests, as news stories and NGO reports quote UN titles.
    story = (
        "UN panel adopts review of Slovenia\nGENEVA, 15 November 2019 (Reuters) - The Report of "
        "the Working Group on the Universal\nPeriodic Review on Slovenia was adopted on Friday, "
        "a spokesman told reporters.\n"
    )
    shadow = (
        "Roma Rights Coalition Slovenia - shadow report, October 2019\n1. This civil society "
        "shadow report comments on the National report submitted by\nSlovenia for its third "
        "review (A/HRC/WG.6/34/SVN/1).\n"
    )
    assert classify(None, story) == "news"
    assert classify(None, shadow) == "ngo_report"


def test_a_news_story_about_ngos_is_news() -> None:
    story = (
        "Rights groups urge Slovenia to end Roma segregation\nBy our correspondent, LJUBLJANA, 3 "
        "May 2017\nA coalition of NGOs and civil society organisations on Tuesday called on "
        "Slovenia to end\nsegregated classes for Roma children. The non-governmental groups said "
        "the UN had urged\nSlovenia to ensure access to drinking water for Roma.\n"
    )
    assert classify(None, story) == "news"


def test_an_ngo_report_is_dated_by_its_cover_not_by_the_events_it_reports() -> None:
    # Written for these tests, as NGO reports open.
    shadow = (
        "Slovenian Roma civil society coalition\nShadow report on the third UPR of Slovenia - "
        "March 2019\n\n1. Background. On 3 June 2010 the Human Rights Council adopted the "
        "outcome of\nthe first review of Slovenia.\n"
    )
    assert (find_date(shadow), find_year(shadow)) == ("2019-03", 2019)
    year_only = (
        "Joint submission of civil society\norganisations on Slovenia, 2018\n\n1. The "
        "coalition welcomes that\nSlovenia supported recommendations\n"
    )
    assert (find_date(year_only), find_year(year_only)) == ("2018", 2018)


# A document's own date, not one it quotes or cites. The quoted title and the cited resolution
# are real text of the corpus (A/HRC/DEC/43/112, slovenia/cycle3/g2007307.pdf: "Decision
# adopted by the Human Rights Council on 12 March 2020", "... Human Rights Council resolutions
# 5/1 of 18 June 2007 and 16/21 of 25 March 2011"); the rest is written as NGO documents open.
@pytest.mark.parametrize(
    ("text", "date"),
    [
        pytest.param(
            "Joint NGO submission\nComments on “Decision adopted by the Human Rights Council on "
            "12 March 2020”\nSlovenian Roma civil society coalition\nDate: 30 September 2021\n"
            "1. The coalition welcomes the adoption of the outcome.\n",
            "2021-09-30",
            id="date-field-not-the-quoted-title",
        ),
        pytest.param(
            "Slovenian Roma civil society coalition\n“Decision adopted by the Human Rights Council "
            "on 12 March 2020”: a follow-up\nto the third UPR of Slovenia\nsubmitted by the "
            "coalition\nLjubljana\nJune 2021\n1. The coalition welcomes the adoption of the "
            "outcome.\n",
            "2021-06",
            id="dated-line-not-the-quoted-title",
        ),
        pytest.param(
            "Joint submission of civil society\norganisations on Slovenia, 2018\n\n1. The "
            "coalition welcomes that\nSlovenia supported recommendations\n"
            "1 Human Rights Council resolutions 5/1 of 18 June 2007 and 16/21 of 25 March 2011.\n",
            "2018",
            id="year-line-not-the-footnote",
        ),
        pytest.param(
            # Slovenia_Infographic.pdf (slovenia/cycle3), page 1, as read: no date of its own,
            # so the first one of its text, as before.
            "Slovenia\nThe Universal Periodic\nReview\nSlovenia was reviewed by UPR WG 34, in\n"
            "November of 2019. It received 215\nrecommendations and it supported 182\n"
            "recommendations at the adoption of its UPR\noutcome at Human Rights Council 43, in\n"
            "January 2020 (an increase of 32% with\nrespect to the 2nd cycle).\n",
            "2020-01",
            id="no-own-date-first-date-as-before",
        ),
    ],
)
def test_a_document_without_a_symbol_is_dated_by_its_own_date_not_one_it_quotes(
    text: str, date: str
) -> None:
    assert find_symbol(text) is None
    assert (find_date(text), find_year(text)) == (date, int(date[:4]))


def test_a_date_printed_without_its_space_is_read() -> None:
    # review38: A/HRC/24/7 (Uzbekistan 2013) p. 1 as its text layer reads it; its date was null
    uzbekistan_2013 = (
        "GE.13-15479\nHuman Rights Council\nTwenty-fourth session\nAgenda item 6\nUniversal "
        "Periodic Review\nReport of the Working Group on the Universal\nPeriodic Review*\n"
        "Uzbekistan\nUnited Nations A/HRC/24/7\nGeneral Assembly Distr.: General\n5 July2013\n"
        "Original: English\n"
    )
    assert (find_date(uzbekistan_2013), find_year(uzbekistan_2013)) == ("2013-07-05", 2013)


def test_the_state_an_ngo_report_is_about_when_it_names_another_once() -> None:
    shadow = (
        "Slovenian Roma civil society coalition - shadow report, May 2018\n1. Slovenia "
        "supported recommendations 115.44 - 115.47 on hate speech.\n2. Slovenia noted "
        "recommendation 115.7.\n3. The same applies to recommendations 118.17 and 118.18 made "
        "to Cambodia (A/HRC/26/16).\n"
    )
    assert find_state_under_review(shadow) == "Slovenia"
    both = "Slovenia and Croatia were reviewed. Slovenia and Croatia answered.\n"
    assert find_state_under_review(both) is None


def test_the_only_state_an_ngo_report_names_is_its_state() -> None:
    once = (
        "Shadow report of civil society organisations on Slovenia\nMarch 2021\n"
        "1. The Government has not implemented recommendations 122.5, 122.7 and 122.9.\n"
    )
    assert find_state_under_review(once) == "Slovenia"
    assert find_state_under_review("Annual report 2021\nOur work in the region.\n") is None


@pytest.mark.parametrize(
    ("symbol", "cycle"),
    [
        ("A/HRC/8/29", 1),  # the first Council session that adopted WG reports
        ("A/HRC/19/12", 1),  # WG 12's reports, the last of cycle 1
        ("A/HRC/20/1", 2),  # sessions 20, 35 and 51 adopted no review: the boundaries
        ("A/HRC/21/5", 2),
        ("A/HRC/28/15/Add.1", 2),
        ("A/HRC/DEC/28/111", 2),
        ("A/HRC/34/1", 2),
        ("A/HRC/35/1", 3),
        ("A/HRC/36/1", 3),
        ("A/HRC/43/15", 3),
        ("A/HRC/50/1", 3),
        ("A/HRC/51/1", 4),
        ("A/HRC/52/1", 4),
        ("A/HRC/65/1", 4),  # WG 54's reports, the last of cycle 4 (WG 41's at 52)
        ("A/HRC/66/1", None),  # may adopt the fifth cycle's: unknown, as WG 55's cycle is
        ("A/HRC/99/1", None),
        ("A/HRC/7/1", None),  # before the UPR's first reports
        ("A/HRC/WG.6/34/SVN/2", None),  # a WG document: its session is the WG's, not the Council's
        ("a/hrc/28/15", None),
        (None, None),
    ],
)
def test_a_council_document_takes_the_cycle_its_session_adopts(
    symbol: str | None, cycle: int | None
) -> None:
    from uprdex.pipeline.symbols import council_session_of, cycle_of_council_session

    assert cycle_of_council_session(council_session_of(symbol)) == cycle


@pytest.mark.parametrize(
    ("dated", "cycle"),
    [
        ("January 2020", 3),  # the review's outcome, adopted at the Council the next year
        ("2019", 3),
        ("March 2024", None),  # a later document that names the review before its own
    ],
)
def test_a_document_without_a_symbol_takes_the_cycle_of_the_wg_session_it_names(
    tmp_path: Path, dated: str, cycle: int | None
) -> None:
    # review18: UPR Info's infographic of Slovenia's third review prints "Slovenia was reviewed
    # by UPR WG 34, in November of 2019" and no symbol; it was indexed with cycle null.
    from uprdex.flows.extract import extract_file

    from hostile import text_pdf

    path = tmp_path / "infographic.pdf"
    lines = [
        "Slovenia",
        "The Universal Periodic Review",
        f"Published {dated}",
        "Slovenia was reviewed by UPR WG 34, in",
        "November of 2019. It received 215 recommendations and it supported 182",
        "recommendations at the adoption of its UPR outcome at Human Rights Council 43.",
    ]
    path.write_bytes(text_pdf(lines))
    document = extract_file(path).document
    assert (document.state_under_review, document.cycle) == ("Slovenia", cycle)
    assert document.session == (34 if cycle else None)


def test_a_document_dated_only_in_the_sentence_naming_an_earlier_review_takes_no_cycle(
    tmp_path: Path,
) -> None:
    # fixcycle: the year that guards the session is no longer read from the sentence naming it
    # (review19 finding 6); a date it prints later than the review's documents still rules the
    # session out, as the document is later.
    from uprdex.flows.extract import extract_file

    from hostile import text_pdf

    path = tmp_path / "note.pdf"
    lines = [
        "Slovenia",
        "Follow-up note of civil society",
        "In March 2024 we recall that Slovenia was reviewed by UPR WG 34.",
    ]
    path.write_bytes(text_pdf(lines))
    document = extract_file(path).document
    assert (document.session, document.cycle) == (None, None)


@pytest.mark.parametrize(
    ("lines", "cycle"),
    [
        (
            [
                "Joint submission of civil society on Slovenia",
                "for the fourth UPR cycle",
                "March 2024",
            ],
            4,
        ),
        (["Slovenia", "Submission to the third cycle of the UPR", "2019"], 3),
        (["Slovenia: NGO report for the 4th UPR cycle", "October 2023"], 4),
        (["Slovenia", "Universal Periodic Review (third cycle)", "2019"], 3),
        (["Stakeholder submission for the UPR cycle 4 of Slovenia"], 4),
        (["Submission on Slovenia for the fourth UPR cycle"], 4),  # undated
        # Several cycles named: which is its own is not read.
        (
            [
                "Slovenia: submission for the third UPR cycle",
                "the second cycle asked for it",
                "2019",
            ],
            None,
        ),
        # An earlier cycle named as past, dated or not.
        (["Slovenia", "In the second cycle, Slovenia received 164 recommendations."], None),
        (["Slovenia", "Since the first cycle of the UPR, Slovenia ratified the OPCAT"], None),
        # A cycle not tied to the UPR in its phrase: not read as the UPR's (fixreview21).
        (["Slovenia: NGO report for the 4th cycle", "October 2023"], None),
        # Dated years after that cycle's reviews: it names an earlier cycle.
        (["Slovenia", "Shadow report: the first UPR cycle", "May 2015"], None),
    ],
)
def test_a_document_without_a_symbol_takes_the_one_cycle_it_names_as_its_own(
    tmp_path: Path, lines: list[str], cycle: int | None
) -> None:
    # leftovers: an NGO submission "for the fourth UPR cycle", no symbol, no "UPR WG N", was
    # indexed with cycle null.
    from uprdex.flows.extract import extract_file

    from hostile import text_pdf

    path = tmp_path / "submission.pdf"
    path.write_bytes(text_pdf(lines))
    document = extract_file(path).document
    assert (document.symbol, document.session, document.cycle) == (None, None, cycle)
