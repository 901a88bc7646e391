"""Addenda: every real response form, and final positions whatever the ingestion order."""

from __future__ import annotations

import csv
from dataclasses import replace
from pathlib import Path

from uprdex.extractors.addendum import expand_refs, parse_addendum
from uprdex.flows.ingest import ingest_paths
from uprdex.pipeline.loader import load_pdf
from uprdex.pipeline.model import (
    DocumentRow,
    DocumentStatus,
    DocumentType,
    Line,
    LoadedDocument,
    Page,
    Position,
    Recommendation,
)
from uprdex.pipeline.settings import LoaderSettings
from uprdex.pipeline.store import Store

from helpers import fixture


def _responses(name: str) -> dict[str, object]:
    addendum = parse_addendum(load_pdf(fixture(name)))
    return {response.ref: response for response in addendum.responses}


def test_ranges_lists_and_wrapped_ranges_expand() -> None:
    refs = [ref for ref, _ in expand_refs("1–5, 14–\n16, 150 – 152, 122.17-18, 122.34- 35")]
    assert refs == [
        "1",
        "2",
        "3",
        "4",
        "5",
        "14",
        "15",
        "16",
        "150",
        "151",
        "152",
        "122.17",
        "122.18",
        "122.34",
        "122.35",
    ]


def test_responses_by_bare_index_with_categories_and_comments() -> None:
    addendum = parse_addendum(load_pdf(fixture("svn2014_addendum.pdf")))
    assert (addendum.symbol, addendum.wg_symbol) == ("A/HRC/28/15/Add.1", "A/HRC/28/15")
    responses = {response.ref: response for response in addendum.responses}
    assert len(responses) == 163  # "accepts 142 ... notes 21 recommendations"
    assert responses["15"].position is Position.SUPPORTED  # "14–" wrapped to "16"
    assert responses["15"].detail == "accepted"
    assert responses["151"].detail == "accepted; considered already implemented or in process"
    assert responses["163"].position is Position.NOTED
    assert responses["18"].paragraph == "4"
    assert responses["18"].comment is not None
    assert responses["18"].comment.startswith("We consider that this recommendation is implemented")


def test_responses_by_full_paragraph() -> None:
    responses = _responses("svn2019_addendum.pdf")
    assert {"122.1", "122.17", "122.18", "122.34", "122.35"} <= set(responses)
    assert "122.2" not in responses  # noted on a page not in this fixture
    comment = responses["122.15"].comment  # printed under the line "122.14– 15"
    assert comment is not None and comment.startswith("Slovenia considers these recommendations")


def test_one_paragraph_per_recommendation() -> None:
    responses = _responses("svn2010_addendum.pdf")
    assert responses["1"].position is Position.NOTED
    assert responses["2"].position is Position.SUPPORTED
    assert [responses[n].position for n in "56789"] == [Position.SUPPORTED] * 5
    assert responses["11"].detail == "accepted; considered already implemented or in process"


def _final(order: list[Path], tmp_path: Path) -> dict[str, tuple[str, str | None]]:
    with Store(tmp_path / f"{order[0].stem}.sqlite") as store:
        for path in order:
            ingest_paths([path], store, LoaderSettings(workers=1))
        return {r.paragraph: (r.response, r.response_source) for r in store.recommendations()}


def test_final_position_does_not_depend_on_ingestion_order(tmp_path: Path) -> None:
    files = [fixture("slovenia2014_recs.pdf"), fixture("svn2014_addendum.pdf")]
    report_first = _final(files, tmp_path)
    addendum_first = _final(files[::-1], tmp_path)
    assert report_first == addendum_first
    assert report_first["115.1"] == ("supported", "A/HRC/28/15/Add.1 para 3")
    assert report_first["115.6"] == ("noted", "A/HRC/28/15/Add.1 para 5")


def test_state_comment_is_evidence_linked_to_its_recommendation(tmp_path: Path) -> None:
    with Store(tmp_path / "index.sqlite") as store:
        ingest_paths([fixture("svn2014_addendum.pdf")], store, LoaderSettings(workers=1))
        ingest_paths([fixture("slovenia2014_recs.pdf")], store, LoaderSettings(workers=1))
        rows = store.db.execute(
            "SELECT recommendation_id, kind, context FROM evidence "
            "WHERE recommendation_id = 'A/HRC/28/15#115.18'"
        ).fetchall()
    assert [(row["kind"]) for row in rows] == ["state_comment"]
    assert "ratified the convention" in rows[0]["context"]


def test_addendum_that_contradicts_the_report_is_kept_as_a_conflict(tmp_path: Path) -> None:
    # The addendum answers recommendations the report already called pending: no conflict.
    with Store(tmp_path / "index.sqlite") as store:
        ingest_paths(
            [fixture("slovenia2014_recs.pdf"), fixture("svn2014_addendum.pdf")],
            store,
            LoaderSettings(workers=1),
        )
        conflicts = store.db.execute(
            "SELECT count(*) FROM recommendations WHERE response_conflict IS NOT NULL"
        ).fetchone()[0]
        store.db.execute(
            "UPDATE recommendations SET section_response = 'supported' WHERE paragraph = '115.6'"
        )
        with store.transaction() as db:
            from uprdex.pipeline.store.responses import refresh_responses

            refresh_responses(db, "A/HRC/28/15")
        rec = store.recommendation("A/HRC/28/15", "115.6")
    assert conflicts == 0
    assert rec is not None and rec.response == "noted"
    assert rec.response_conflict == (
        "A/HRC/28/15 para 115: supported; A/HRC/28/15/Add.1 para 5: noted"
    )


def _lines_document(texts: list[str]) -> LoadedDocument:
    lines = tuple(Line(text, 1, 80.0 + 14 * i, 70.0, 10.0) for i, text in enumerate(texts))
    return LoadedDocument("0" * 64, "synthetic.pdf", (Page(1, lines, 842.0, True),), "")


def test_numbers_that_go_on_at_the_next_line_start_are_answered_too() -> None:
    # A/HRC/14/15/Add.1 (Slovenia 2010), pages 4 and 6: a column of paragraph numbers beside
    # the text, its list wrapped onto the next line.
    addendum = parse_addendum(
        _lines_document(
            [
                "40., 41., 42., Slovenia accepts these recommendations and already acts "
                "accordingly.",
                "43., 44.",
                "45. Slovenia accepts this recommendation and already acts accordingly.",
                "77., 78., 79., 82., Slovenia accepts these recommendations and refers, in the "
                "light of the",
                "83., 85., 86., 87. decision by the Slovenian Constitutional Court in 2003, to "
                "the Act",
                "Amending the Act regulating the Legal Status of Citizens of Former",
            ]
        )
    )
    refs = {response.ref: response for response in addendum.responses}
    assert sorted(refs, key=int) == [
        "40",
        "41",
        "42",
        "43",
        "44",
        "45",
        "77",
        "78",
        "79",
        "82",
        "83",
        "85",
        "86",
        "87",
    ]
    assert all(r.position is Position.SUPPORTED for r in refs.values())
    assert refs["44"].as_printed == "40., 41., 42. … 43., 44."
    assert "Constitutional Court" in (refs["87"].comment or "")


def test_a_paragraph_that_accepts_part_and_refuses_the_rest_is_noted_in_part() -> None:
    # A/HRC/14/15/Add.1 (Slovenia 2010), paragraph 58; UPR Info counts 111.58 as noted.
    addendum = parse_addendum(
        _lines_document(
            [
                "58. Slovenia accepts the recommendation regarding free legal aid and notes",
                "that it already acts accordingly.",
                "Slovenia cannot accept the recommendation on specialised family",
                "courts.",
                "59., 60. Slovenia accepts these recommendations as freedom of religion is one",
            ]
        )
    )
    refs = {response.ref: response for response in addendum.responses}
    assert (refs["58"].position, refs["58"].detail) == (Position.NOTED, "supported in part")
    assert (refs["59"].position, refs["59"].detail) == (Position.SUPPORTED, "accepted")


def test_a_comment_keeps_the_numbers_printed_above_it() -> None:
    # A/HRC/43/15/Add.1 paragraph 4 lists "122.14-16"; the comments are headed "122.14– 15"
    # and "122.16": evidence shows what the comment's own heading prints.
    addendum = parse_addendum(load_pdf(fixture("svn2019_addendum.pdf")))
    responses = {response.ref: response for response in addendum.responses}
    assert responses["122.15"].as_printed == "122.14-16"
    assert responses["122.15"].comment_as_printed == "122.14– 15"
    assert responses["122.16"].comment_as_printed == "122.16"
    assert responses["122.16"].comment_page == 2


_HEAD = [
    "United Nations A/HRC/53/16/Add.1",
    "Views on conclusions and/or recommendations, voluntary commitments and replies presented "
    "by the State under review",
]


def _positions(texts: list[str]) -> dict[str, str]:
    addendum = parse_addendum(_lines_document(texts))
    return {response.ref: response.position.value for response in addendum.responses}


def test_lists_with_a_colon_and_in_the_passive() -> None:
    # Wordings of other States' addenda (recommendation texts from A/HRC/53/16, Sri Lanka).
    expected = {"65.1": "supported", "65.4": "supported", "65.2": "noted", "65.3": "noted"}
    assert (
        _positions(
            [
                *_HEAD,
                "1. Sri Lanka supports the following recommendations: 65.1, 65.4.",
                "2. Sri Lanka notes the following recommendations: 65.2, 65.3.",
            ]
        )
        == expected
    )
    assert (
        _positions(
            [
                *_HEAD,
                "3. Recommendations 65.2 and 65.3 are noted. The following recommendations are",
                "supported: 65.1, 65.4",
            ]
        )
        == expected
    )


def test_numbers_listed_under_a_heading_take_its_position() -> None:
    assert _positions(
        [*_HEAD, "Supported recommendations", "65.1, 65.4", "Noted recommendations", "65.2"]
    ) == {"65.1": "supported", "65.4": "supported", "65.2": "noted"}


def test_a_table_row_gives_the_position_in_its_column() -> None:
    addendum = parse_addendum(
        _lines_document(
            [
                *_HEAD,
                "Recommendation Position Comments",
                "65.1 Consider participating in core human rights treaties (Ukraine) Supported",
                "65.2 Ratify and implement the Optional Protocol to the Convention against",
                "Torture (North Macedonia) Noted Sri Lanka is not in a position to ratify it.",
            ]
        )
    )
    responses = {response.ref: response for response in addendum.responses}
    assert responses["65.1"].position is Position.SUPPORTED
    assert responses["65.2"].position is Position.NOTED
    assert (
        responses["65.2"].comment is not None and "not in a position" in responses["65.2"].comment
    )


def test_rows_under_a_heading_and_partial_positions() -> None:
    assert _positions(
        [
            *_HEAD,
            "Supported recommendations",
            "65.1 Consider participating in core human rights treaties (Ukraine);",
            "Partially accepted recommendations",
            "65.4 Consider ratifying the Second Optional Protocol (Chile);",
        ]
    ) == {"65.1": "supported", "65.4": "noted"}
    addendum = parse_addendum(
        _lines_document([*_HEAD, "65.6 Ratify the Optional Protocol (Latvia) Supported in part"])
    )
    assert [(r.ref, r.position, r.detail) for r in addendum.responses] == [
        ("65.6", Position.NOTED, "supported in part")
    ]


def test_a_paragraph_among_the_answers_without_a_position_is_unknown() -> None:
    # A/HRC/14/15/Add.1 paragraphs 14-16 (Slovenia 2010), shortened; 15 answers 111.15.
    addendum = parse_addendum(
        _lines_document(
            [
                "1. This document contains the responses of the Government of Slovenia.",
                "14. Slovenia accepts the recommendation. Further activities in this area are",
                "envisaged in the Action Plan.",
                "15. Slovenia agrees with the importance of the 1995 Programme of",
                "Measures for Assisting the Roma and the positive actions for a better",
                "integration of Roma community members into society.",
                "16. Slovenia accepts the recommendation and notes that the new Action",
                "Plan for 2010–2011 has been adopted.",
            ]
        )
    )
    responses = {r.ref: r for r in addendum.responses}
    assert sorted(responses, key=int) == ["14", "15", "16"]  # not the introduction
    assert (responses["15"].position, responses["15"].detail) == (
        Position.UNKNOWN,
        "no position stated",
    )
    assert responses["15"].comment is not None and "1995 Programme" in responses["15"].comment


def test_past_tense_lists_and_position_columns_after_a_dash_or_colon() -> None:
    # Wordings of other addenda, with Cambodia 2014's paragraph numbers (A/HRC/26/16).
    assert _positions(
        [
            *_HEAD,
            "2. The Royal Government of Cambodia accepted the following recommendations: "
            "118.29, 118.30.",
            "3. Cambodia noted recommendations 118.2 and 118.3.",
            "Recommendations 118.4 and 118.7 – Supported",
            "Recommendation 118.9: Noted",
            "118.5: Supported",
            "118.6 – Noted. The Government considers that the law already provides for it.",
        ]
    ) == {
        "118.29": "supported",
        "118.30": "supported",
        "118.2": "noted",
        "118.3": "noted",
        "118.4": "supported",
        "118.7": "supported",
        "118.9": "noted",
        "118.5": "supported",
        "118.6": "noted",
    }


def test_more_list_wordings_and_a_partial_support() -> None:
    # Wordings of other States' addenda, none in ../shared/data (Sri Lanka's numbers).
    expected = {"65.1": "supported", "65.4": "supported", "65.2": "noted", "65.3": "noted"}
    wordings = [
        ["Supported recommendations: 65.1, 65.4", "Noted recommendations (2): 65.2, 65.3"],
        ["Recommendations supported: 65.1, 65.4.", "Recommendations noted: 65.2, 65.3."],
        ["1. Sri Lanka has accepted 65.1 and 65.4.", "2. Sri Lanka has noted 65.2 and 65.3."],
        [
            "Sri Lanka supports the following 2 recommendations: 65.1 and 65.4. It takes note of",
            "the following recommendations: 65.2, 65.3.",
        ],
        [
            "The recommendations 65.1 and 65.4 enjoy the support of Sri Lanka.",
            "The recommendations 65.2 and 65.3 did not enjoy the support of Sri Lanka.",
        ],
        ["65.1 Supported", "65.2 and 65.3 Noted", "65.4 Supported"],
    ]
    for lines in wordings:
        assert _positions([*_HEAD, *lines]) == expected, lines[0]
    partial = parse_addendum(
        _lines_document([*_HEAD, "Sri Lanka supports recommendation 65.1 partially."])
    )
    assert [(r.ref, r.position, r.detail) for r in partial.responses] == [
        ("65.1", Position.NOTED, "supported in part")
    ]
    # A sum of money is not a recommendation's number.
    money = _lines_document([*_HEAD, "In 2019 the Government accepted 35.5 million in aid."])
    assert parse_addendum(money).responses == ()


def test_wordings_of_a_cycle_4_addendum() -> None:
    # Slovenia 2025 (A/HRC/59/15/Add.1), with the numbers of its 2019 review: an introduction
    # numbered "1." that answers nothing, an "and provides ..." clause before the colon, a full
    # stop misprinted between two numbers ("140.35. 140.36"), and a comment heading whose last
    # number is short ("140.82-85, 87").
    addendum = parse_addendum(
        _lines_document(
            [
                *_HEAD,
                "1. This document contains the response of the Government of the Republic of",
                "Slovenia (hereinafter: Slovenia) to the recommendations made during the 3rd",
                "Universal Periodic Review of Slovenia on 13 November 2019.",
                "3. The Government accepts the following recommendations: 122.7, 122.35. 122.36,",
                "122.41. 122.42.",
                "4. The Government accepts the following recommendations and provides some",
                "additional information about the implementation: 122.82, 122.83, 122.84,",
                "122.85, 122.87.",
                "122.82-85, 87",
                "Slovenia has adopted the Resolution on the National Programme.",
            ]
        )
    )
    responses = {r.ref: r for r in addendum.responses}
    assert sorted(responses, key=lambda ref: int(ref.split(".")[1])) == [
        "122.7",
        "122.35",
        "122.36",
        "122.41",
        "122.42",
        "122.82",
        "122.83",
        "122.84",
        "122.85",
        "122.87",
    ]
    assert {r.position for r in responses.values()} == {Position.SUPPORTED}
    assert (
        responses["122.87"].comment
        == "Slovenia has adopted the Resolution on the National Programme."
    )


def test_more_list_forms_and_partial_support_in_every_form() -> None:
    # Wordings modelled on the WG reports' own lead-ins (Sri Lanka's numbers).
    assert _positions(
        [
            *_HEAD,
            "1. The following recommendations enjoy the support of Sri Lanka: 65.1, 65.4.",
            "2. Sri Lanka notes recommendations 65.2 to 65.3.",
        ]
    ) == {"65.1": "supported", "65.4": "supported", "65.2": "noted", "65.3": "noted"}
    partial = [
        "3. Recommendation 65.1 is supported in part: Sri Lanka supports the strategy but not its",
        "timeline.",
    ]
    parsed = parse_addendum(_lines_document([*_HEAD, *partial]))
    assert [(r.ref, r.position, r.detail) for r in parsed.responses] == [
        ("65.1", Position.NOTED, "supported in part")
    ]
    assert expand_refs("122.82-85, 87") is not None
    assert [ref for ref, _ in expand_refs("122.82-84, 87")] == [
        "122.82",
        "122.83",
        "122.84",
        "122.87",
    ]


def test_one_paragraph_that_supports_in_part_is_noted_in_part() -> None:
    # The cycle-1 form, one numbered paragraph per recommendation: as the list forms count it.
    parsed = parse_addendum(
        _lines_document(
            [
                *_HEAD,
                "5. Slovenia partially accepts the recommendation.",
                "6. Slovenia accepts the recommendation.",
            ]
        )
    )
    assert [(r.ref, r.position, r.detail) for r in parsed.responses] == [
        ("5", Position.NOTED, "supported in part"),
        ("6", Position.SUPPORTED, "accepted"),
    ]


def test_slovenia_2025_addendum_answers_all_254_as_it_counts_them() -> None:
    # A/HRC/59/15/Add.1 paragraphs 1-5 and three comments, as printed: "Slovenia received 254
    # recommendations ... of which 217 are supported and 37 noted".
    lines = fixture("svn2025_addendum_paras.txt").read_text(encoding="utf-8").splitlines()
    parsed = parse_addendum(_lines_document([*_HEAD, *(line for line in lines if line.strip())]))
    responses = {r.ref: r for r in parsed.responses}
    assert set(responses) == {f"140.{number}" for number in range(1, 255)}
    positions = [r.position for r in responses.values()]
    assert (positions.count(Position.SUPPORTED), positions.count(Position.NOTED)) == (217, 37)
    assert responses["140.209"].comment and responses["140.87"].comment
    with fixture("svn2025_thematic_list.csv").open(encoding="utf-8") as handle:
        listed = {row["paragraph"]: row["position"].lower() for row in csv.DictReader(handle)}
    assert {ref: r.position.value for ref, r in responses.items()} == listed


def test_a_refusal_in_list_form_is_noted() -> None:
    # A State cannot formally reject: "cannot accept" is noted, never "supported".
    for refusal in (
        "cannot accept the following recommendations:",
        "is unable to support the following recommendations:",
        "is not in a position to accept recommendations",
        "does not support the following recommendations:",
    ):
        assert _positions([*_HEAD, f"2. Sri Lanka {refusal} 65.3, 65.4."]) == {
            "65.3": "noted",
            "65.4": "noted",
        }, refusal


def test_more_list_wordings_of_other_states() -> None:
    assert _positions(
        [
            *_HEAD,
            "1. Sri Lanka has taken note of the following recommendations: 65.6, 65.7.",
            "2. The following recommendations have been noted by Sri Lanka: 65.9, 65.10.",
            "3. The following recommendations are considered already implemented: 65.5, 65.8.",
            "4. Sri Lanka supports in part recommendation 65.3.",
        ]
    ) == {
        "65.6": "noted",
        "65.7": "noted",
        "65.9": "noted",
        "65.10": "noted",
        "65.5": "supported",
        "65.8": "supported",
        "65.3": "noted",
    }
    addendum = parse_addendum(
        _lines_document(
            [
                *_HEAD,
                "The following recommendations are considered already implemented: 65.5, 65.8.",
            ]
        )
    )
    assert {r.detail for r in addendum.responses} == {
        "accepted; considered already implemented or in process"
    }
    assert _positions([*_HEAD, "Supported: 65.1, 65.2", "Noted: 65.3"]) == {
        "65.1": "supported",
        "65.2": "supported",
        "65.3": "noted",
    }


def test_headings_with_a_letter_or_the_position_after_and_bare_lists_under_them() -> None:
    assert _positions(
        [
            *_HEAD,
            "A. Supported recommendations",
            "65.1, 65.2, 65.4",
            "B. Noted recommendations",
            "65.3",
        ]
    ) == {"65.1": "supported", "65.2": "supported", "65.4": "supported", "65.3": "noted"}
    assert _positions(
        [
            *_HEAD,
            "Recommendations supported by Sri Lanka",
            "65.1, 65.2",
            "Recommendations noted by Sri Lanka",
            "65.3",
        ]
    ) == {"65.1": "supported", "65.2": "supported", "65.3": "noted"}
    # Bare indexes into the report's pending paragraph, under a heading.
    assert _positions(
        [*_HEAD, "Supported recommendations", "1–3, 6", "Noted recommendations", "4, 5"]
    ) == {
        "1": "supported",
        "2": "supported",
        "3": "supported",
        "6": "supported",
        "4": "noted",
        "5": "noted",
    }


def test_one_paragraph_per_recommendation_named_by_full_number() -> None:
    # The addendum's own paragraph numbers (5., 6.) are not the recommendations it answers.
    two = [
        *_HEAD,
        "5. Recommendation 65.1 (Ukraine): Sri Lanka supports this recommendation.",
        "6. Recommendation 65.2 (North Macedonia): Sri Lanka notes this recommendation.",
    ]
    assert _positions(two) == {"65.1": "supported", "65.2": "noted"}
    four = [
        *two,
        "7. Recommendation 65.3 (Chile): Sri Lanka supports this recommendation.",
        "8. Recommendation 65.4 (Chile): Sri Lanka cannot accept this recommendation.",
    ]
    assert _positions(four) == {
        "65.1": "supported",
        "65.2": "noted",
        "65.3": "supported",
        "65.4": "noted",
    }
    rows = [
        *_HEAD,
        "65.1 Sri Lanka supports this recommendation.",
        "65.2 Sri Lanka notes this recommendation.",
        "65.3 Sri Lanka supports this recommendation.",
    ]
    assert _positions(rows) == {"65.1": "supported", "65.2": "noted", "65.3": "supported"}


def test_table_rows_with_a_state_column_and_qualified_positions() -> None:
    assert _positions(
        [
            *_HEAD,
            "Recommendation Recommending State Position",
            "65.1 Consider participating in core human rights treaties Ukraine Supported",
            "65.2 Ratify the Optional Protocol to the Convention against Torture North "
            "Macedonia Noted",
            "65.3 Ratify the Second Optional Protocol (Chile) Supported (already implemented)",
            "65.4 Consider ratifying ICRMW (Chile) Supported, already implemented",
            "65.5 Ratify ICRMW (Chile) Supported/Noted",
        ]
    ) == {
        "65.1": "supported",
        "65.2": "noted",
        "65.3": "supported",
        "65.4": "supported",
        "65.5": "noted",
    }


def test_comments_and_figures_do_not_answer() -> None:
    # Cases a QA run found after the forms above were added: the recommendation's own text,
    # figures, a capitalised word inside a comment, a wrapped comment line, a label in prose.
    assert (
        _positions(
            [
                *_HEAD,
                "65.12 Accept the visit request of the Special Rapporteur on torture (Denmark)",
                "65.13 Continue to support the national human rights institution (Cuba) Under "
                "consideration",
            ]
        )
        == {}
    )
    assert _positions(
        [
            *_HEAD,
            "65.2 Ratify the Optional Protocol to the CRPD (Chile) Noted Slovenia runs the "
            "Supported Employment programme",
            "65.7 Adopt an action plan on Roma (Germany) Supported The Ombudsman Noted, in 2019,",
        ]
    ) == {"65.2": "noted", "65.7": "supported"}
    assert _positions(
        [
            *_HEAD,
            "B. Noted recommendations",
            "65.2 Expand the Supported Living Programme to all regions (Ireland)",
            "65.3 Ratify ICRMW (Chile) The Government explains that the",
            "recommendations accepted in the previous cycle on this topic were implemented.",
            "65.4 Ratify OP-CAT (Chile)",
        ]
    ) == {"65.2": "noted", "65.3": "noted", "65.4": "noted"}
    assert (
        _positions([*_HEAD, "1. Slovenia received 163 recommendations. Supported: 142; Noted: 21."])
        == {}
    )
    assert _positions(
        [
            *_HEAD,
            "1. Sri Lanka supports the following recommendations: 65.1, 65.4.",
            "4. 12.5 thousand persons benefited; the Government supports further funding.",
        ]
    ) == {"65.1": "supported", "65.4": "supported"}


def test_one_answer_per_paragraph_reads_refusals_labels_and_noting() -> None:
    assert _positions(
        [
            *_HEAD,
            "5. Recommendation 65.1 (Ukraine): Supported.",
            "6. Recommendation 65.2 (North Macedonia): Sri Lanka is not in a position to accept "
            "this recommendation.",
            "7. Recommendation 65.3 (Chile): Sri Lanka has taken note of this recommendation; "
            "the Ministry supports further dialogue.",
            "8. Recommendation 65.4 (Chile): Noted. Sri Lanka supports the aim.",
            "9. Recommendation 65.5 (Chile): Sri Lanka accepts this recommendation in part.",
        ]
    ) == {"65.1": "supported", "65.2": "noted", "65.3": "noted", "65.4": "noted", "65.5": "noted"}
    # A cycle-1 addendum keeps its answers when a paragraph notes another body's recommendations.
    assert _positions(
        [
            "1. This document contains the responses of the Government of Slovenia.",
            "2. Slovenia accepts the recommendation.",
            "3. Slovenia cannot accept the recommendation.",
            "4. Slovenia accepts the recommendation. The Government has taken note of the "
            "recommendations 12 and 13 of the Committee on the Rights of the Child.",
        ]
    ) == {"2": "supported", "3": "noted", "4": "supported"}


def test_every_answer_form_reads_the_same_refusals() -> None:
    # The list form, a paragraph per recommendation and the cycle-1 form share one wording.
    assert _positions(
        [
            *_HEAD,
            "5. Recommendation 65.1 (Ukraine): Sri Lanka did not accept this recommendation.",
            "6. Recommendation 65.2 (Chile): Sri Lanka supports this recommendation.",
        ]
    ) == {"65.1": "noted", "65.2": "supported"}
    assert _positions(
        [
            "1. This document contains the responses of the Government of Slovenia.",
            "2. Slovenia accepts the recommendation.",
            "3. Slovenia did not accept the recommendation.",
        ]
    ) == {"2": "supported", "3": "noted"}
    assert _positions(
        [*_HEAD, "2. Sri Lanka did not accept the following recommendations: 65.3."]
    ) == {"65.3": "noted"}


def test_the_last_comment_ends_where_the_endnotes_begin() -> None:
    # A/HRC/28/15/Add.1 (Slovenia 2015), pages 7-8: "Rec. 163 See information on
    # recommendations 6–13." closes page 7; page 8 holds only the endnotes ("Notes", "1 The
    # serial numbers of recommendations follow the list in paragraph 115 ..."), printed at the
    # top of the page in the body's place, so not marked as notes by the loader.
    addendum = parse_addendum(load_pdf(fixture("svn2014_addendum_notes.pdf")))
    responses = {response.ref: response for response in addendum.responses}
    assert responses["163"].comment == "See information on recommendations 6–13."
    assert not [r.ref for r in addendum.responses if "serial numbers" in (r.comment or "")]


def test_an_answer_naming_its_ask_by_its_bare_number_answers_that_ask() -> None:
    # older14: "1. Recommendation 3 (Algeria): ..." answered 1, its own paragraph's number, and
    # "4. ... accepts the recommendations contained in paragraph 60" answered 4.
    assert _positions(
        [
            *_HEAD,
            "1. Recommendation 3 (Algeria): Ghana accepts this recommendation.",
            "2. Recommendations Nos. 12 and 13 (Chile): Ghana notes these recommendations.",
        ]
    ) == {"3": "supported", "12": "noted", "13": "noted"}
    assert (
        _positions(
            [
                *_HEAD,
                "4. Japan accepts the recommendations contained in paragraph 60 of the report.",
                "5. Japan notes the recommendation in paragraph 61.",
            ]
        )
        == {}
    )


def _ghana_2008_answered(shared_data: Path, tmp_path: Path, *answers: str) -> list[Recommendation]:
    """Ghana 2008's asks (A/HRC/8/36) once an addendum of `answers` (its numbered paragraphs)
    is written beside the report."""
    lines = [
        "United Nations A/HRC/8/36/Add.1",
        "Views on conclusions and/or recommendations, voluntary commitments and replies presented "
        "by the State under review",
        *answers,
    ]
    addendum = parse_addendum(replace(_lines_document(lines), first_page_text=lines[0]))
    assert addendum.wg_symbol == "A/HRC/8/36"
    row = DocumentRow(
        "a" * 64,
        str(tmp_path / "add.pdf"),
        DocumentType.ADDENDUM,
        addendum.symbol,
        "Ghana",
        2,
        1,
        2008,
        1,
        DocumentStatus.INDEXED,
        None,
    )
    with Store(tmp_path / "index.sqlite") as store:
        ingest_paths(
            [shared_data / "wg_reports" / "ghana2008.pdf"], store, LoaderSettings(workers=1)
        )
        store.write_document(row, addendum=addendum)
        return list(store.recommendations())


def test_a_cycle_1_ask_numbered_without_a_dot_takes_the_answer_to_its_bare_number(
    shared_data: Path, tmp_path: Path
) -> None:
    # older14: Ghana 2008 (A/HRC/8/36) lists 68.1-68.22 and leaves the dialogue's asks "16",
    # "41", ... pending; an addendum answering "Recommendation 16" was linked to no ask.
    answered = {
        rec.paragraph: (rec.response, rec.response_source)
        for rec in _ghana_2008_answered(
            shared_data,
            tmp_path,
            "1. Recommendation 16 (Czech Republic): Ghana accepts this recommendation.",
            "2. Recommendation 41 (Italy): Ghana notes this recommendation.",
        )
        if rec.paragraph in ("16", "41", "20")
    }
    assert answered == {
        "16": ("supported", "A/HRC/8/36/Add.1 para 1"),
        "41": ("noted", "A/HRC/8/36/Add.1 para 2"),
        "20": ("pending", "A/HRC/8/36 para 70"),
    }


def test_a_bare_number_naming_another_state_s_ask_does_not_answer_a_dialogue_ask(
    shared_data: Path, tmp_path: Path
) -> None:
    # review14a finding 2: Ghana 2008 (A/HRC/8/36) prints both its list 68's items and its
    # dialogue's paragraphs with bare numbers: "20. To allocate more resources ... (Portugal)"
    # is 68.20, "20. Finland also recommended that Ghana abolish ... corporal punishment" is
    # the dialogue's ask 20. "Recommendation 20 (Portugal)" was taken for Finland's ask: its
    # pending position became Portugal's answer.
    answered = _ghana_2008_answered(
        shared_data, tmp_path, "1. Recommendation 20 (Portugal): Ghana accepts this recommendation."
    )
    finland = next(rec for rec in answered if rec.paragraph == "20")
    assert finland.recommending_states == ("Finland",)
    assert finland.response == "pending"


def test_an_answer_that_refers_to_the_recommendation_in_another_paragraph_still_answers() -> None:
    # review14a finding 5: older14's NAMES_A_PARAGRAPH takes any paragraph mentioning "the
    # recommendation(s) in paragraph N" for one answering paragraph N's asks, and drops it:
    # "2. Slovenia accepts the recommendation, as it accepted the recommendation in paragraph
    # 1 above." answered 2 before older14, nothing after.
    assert _positions(
        [
            "1. Slovenia accepts the recommendation.",
            "2. Slovenia accepts the recommendation, as it accepted the recommendation in "
            "paragraph 1 above.",
            "3. Slovenia did not accept the recommendation.",
        ]
    ) == {"1": "supported", "2": "supported", "3": "noted"}


def test_the_bare_numbers_of_a_list_in_a_paragraph_named_do_not_answer_dialogue_asks(
    shared_data: Path, tmp_path: Path
) -> None:
    # review14a finding 2: "Ghana accepts the recommendations 1-22 contained in paragraph 68 of
    # the report" (A/HRC/8/36's list 68.1-68.22) made the dialogue's pending asks 16 (Czechia:
    # decriminalise ...) and 20 (Finland: corporal punishment) supported: older14's fallback
    # takes a bare number for the ask numbered so without a dot whatever list it counts in.
    answered = _ghana_2008_answered(
        shared_data,
        tmp_path,
        "1. Ghana accepts the recommendations 1-22 contained in paragraph 68 of the report.",
    )
    dialogue = {rec.paragraph: rec.response for rec in answered if rec.paragraph in ("16", "20")}
    assert dialogue == {"16": "pending", "20": "pending"}
