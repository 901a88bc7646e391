"""News recognised by the form news takes (masthead, byline, dateline, wire credit), dated as
precisely as it prints its date; NGO reports that quote a story stay NGO reports.

The PDFs are constructed pages rendered by LibreOffice (tests/fixtures/NEWS.md): no news story
is in ../shared/data.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from uprdex.extractors.doctype import classify
from uprdex.extractors.metadata import find_date, find_symbol
from uprdex.flows.ingest import ingest_paths
from uprdex.pipeline.exports import records
from uprdex.pipeline.loader import load_pdf
from uprdex.pipeline.settings import LoaderSettings
from uprdex.pipeline.store import Store

from helpers import fixture
from hostile import text_pdf


@pytest.mark.parametrize(
    ("name", "kind", "date"),
    [
        # Issue #22's story: a two-column page about NGOs and their joint submission, whose
        # NGO words outnumber its news words (typed ngo_report before).
        ("news_phnompenh_2col.pdf", "news", "2014-06-27"),
        ("news_wire_geneva.pdf", "news", "2019-11-15"),
        ("news_us_style.pdf", "news", "2014-06-26"),
        ("news_dateline_colon.pdf", "news", "2008-06-14"),
        ("ngo_report_quoting_news.pdf", "ngo_report", "2019-03"),
        ("ngo_brief_quoting_news.pdf", "ngo_report", "2018-05"),
    ],
)
def test_constructed_pages_are_typed_and_dated(name: str, kind: str, date: str) -> None:
    text = load_pdf(fixture(name)).first_page_text
    assert find_symbol(text) is None
    assert (classify(None, text).value, find_date(text)) == (kind, date)


_STORY = "Slovenia told the Council it would review its asylum law, a spokesman said.\n"


_HEADS = (
    # Datelines in their common forms, each with one more mark of a story.
    "By Ana Horvat, staff reporter\nLJUBLJANA, 3 May 2017 - ",
    "By Ana Horvat\nLJUBLJANA, Slovenia, May 3, 2017 — ",
    "LJUBLJANA, May 3 (Reuters) - ",
    "Ljubljana, 3 May 2017 (AFP) – ",
    "BY ANA HORVAT\nGENEVA, June 13: ",
    "Ana Horvat | Staff Writer\nNEW YORK — Rights groups and diplomats said that ",
    # A masthead with its issue date, and a dateline.
    "Delo\nWednesday, 3 May 2017\nLJUBLJANA, 3 May 2017 - ",
    "Updated: 3 May 2017\nGENEVA (AP) - ",
    "Vol. 12 No. 127 | 3 May 2017\nLJUBLJANA - By our correspondent\nLJUBLJANA, 3 May - ",
)


def test_news_is_recognised_by_its_form_in_every_common_form() -> None:
    # The old reader missed 3 of these 9 (a US-style date, a colon after the dateline, a
    # byline beside an undated dateline).
    missed = [h for h in _HEADS if classify(None, f"Slovenia to review\n{h}{_STORY}") != "news"]
    assert missed == []


def test_a_story_about_a_joint_submission_is_news_by_its_form() -> None:
    # NGO words outnumber news words; masthead, byline and dateline make it news.
    story = (
        "The Slovenia Times\nFriday, 15 November 2019\nNGOs' joint submission on Roma rights\n"
        "By Ana Horvat, staff reporter\nLJUBLJANA, 14 November 2019 - A coalition of NGOs "
        "presented its joint submission to the UPR. Civil society organisations and NGOs asked "
        "for water in Roma settlements.\n"
    )
    assert classify(None, story).value == "news"
    assert find_date(story) == "2019-11-15"


def test_ngo_reports_that_quote_news_stay_ngo_reports() -> None:
    quoting = (
        "Shadow report on the third UPR of Slovenia\nRoma civil society coalition, March 2019\n"
        "1. The Government has not implemented recommendation 115.22.\n2. The press reported:\n"
        "LJUBLJANA, 3 May 2017 (Reuters) - The Government said on Thursday it would act.\n"
        "3. By Ana Horvat, staff reporter, quoted in the Slovenia Times.\n"
    )
    assert classify(None, quoting).value == "ngo_report"
    signed = (
        "By Amnesty International\nSlovenia: Roma without water\nSubmission to the UN Universal "
        "Periodic Review, 34th session\nMay 2019\n"
    )
    assert classify(None, signed).value == "ngo_report"
    assert find_date(signed) == "2019-05"
    # "SLOVENIA – Shadow report" opens NGO covers: a heading in capitals is no dateline.
    cover = "SLOVENIA – Shadow report\nCivil society on the second review\n"
    assert classify(None, cover).value == "ngo_report"


def test_the_documents_export_carries_type_and_date_as_printed(tmp_path: Path) -> None:
    # A shadow report dated only "December 2014" cites 115.22 of A/HRC/28/15 (issued 10
    # December 2014): a month alone counts as its end, so the report is earlier and cited.
    shadow = tmp_path / "shadow_svn_2014.pdf"
    shadow.write_bytes(
        text_pdf(
            [
                "Shadow report on the second review of Slovenia",
                "Roma civil society coalition, December 2014",
                "1. Slovenia should implement recommendation 115.22 without delay.",
            ]
        )
    )
    paths = [fixture("slovenia2014_recs.pdf"), fixture("news_phnompenh_2col.pdf"), shadow]
    with Store(tmp_path / "index.sqlite") as store:
        ingest_paths(paths, store, LoaderSettings(workers=1))
        documents = {Path(row["path"]).name: row for row in records(store, "documents")}
        evidence = records(store, "evidence")
    assert {name: (d["type"], d["date"]) for name, d in documents.items()} == {
        "slovenia2014_recs.pdf": ("wg_report", "2014-12-10"),
        "news_phnompenh_2col.pdf": ("news", "2014-06-27"),
        "shadow_svn_2014.pdf": ("ngo_report", "2014-12"),
    }
    cited = {e["recommendation_id"] for e in evidence if e["document"]["path"] == str(shadow)}
    assert cited == {"A/HRC/28/15#115.22"}
