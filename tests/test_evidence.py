"""Citation evidence in the index: linked whichever document arrives first, never invented."""

from __future__ import annotations

import re
from pathlib import Path

from uprdex.flows.ingest import ingest_paths
from uprdex.pipeline.settings import LoaderSettings
from uprdex.pipeline.store import RecFilter, Store

from helpers import cli, fixture, ingested
from hostile import text_pdf

COMPILATION = fixture("cit_svn2019_compilation_notes.pdf")  # A/HRC/WG.6/34/SVN/2 endnotes
REPORT = fixture("slovenia2014_recs.pdf")  # A/HRC/28/15, items 115.1-115.30 only


def _evidence(order: list[Path], index: Path) -> list[tuple[object, ...]]:
    with Store(index) as store:
        for path in order:
            ingest_paths([path], store, LoaderSettings(workers=1))
        return sorted(
            (row.recommendation_id, row.page, row.footnote, row.as_printed)
            for row in store.evidence()
        )


def test_evidence_document_ingested_before_its_wg_report(tmp_path: Path) -> None:
    after = _evidence([REPORT, COMPILATION], tmp_path / "a.sqlite")
    before = _evidence([COMPILATION, REPORT], tmp_path / "b.sqlite")
    assert before == after
    assert ("A/HRC/28/15#115.22", 5, "9", "115.22") in after


def test_only_known_paragraphs_are_linked(tmp_path: Path) -> None:
    with Store(tmp_path / "index.sqlite") as store:
        ingest_paths([COMPILATION, REPORT], store, LoaderSettings(workers=1))
        linked = {row.recommendation_id for row in store.evidence()}
        unlinked = store.db.execute(
            "SELECT count(*) FROM evidence WHERE recommendation_id IS NULL"
        ).fetchone()[0]
    numbers = {int(rec_id.split(".")[-1]) for rec_id in linked}
    assert numbers and max(numbers) <= 30  # the fixture report holds 115.1-115.30 only
    assert unlinked > 0  # citations of 115.31+ wait for the full report


def test_evidence_carries_the_sentence_that_bears_the_note(tmp_path: Path) -> None:
    with Store(tmp_path / "index.sqlite") as store:
        ingest_paths([COMPILATION, REPORT], store, LoaderSettings(workers=1))
        rows = store.evidence(RecFilter(state_under_review="Slovenia"))
    row = next(r for r in rows if r.recommendation_id == "A/HRC/28/15#115.22")
    assert row.kind == "citation" and row.document_type == "un_compilation"
    assert row.context == "III. National human rights framework"  # heading with marker 9


def test_national_report_bare_indices_link_to_the_previous_review(tmp_path: Path) -> None:
    national_report = fixture("svn2019_national_report_p1-3.pdf")  # A/HRC/WG.6/34/SVN/1
    with Store(tmp_path / "index.sqlite") as store:
        ingest_paths([national_report, REPORT], store, LoaderSettings(workers=1))
        rows = store.evidence(RecFilter(state_under_review="Slovenia"))
    heading = {
        r.recommendation_id
        for r in rows
        if r.kind == "citation" and r.page == 3 and r.document_type == "national_report"
    }
    # "Recommendations 22, 31–39": the fixture report holds 115.1-115.30, so only 115.22 links.
    assert heading == {"A/HRC/28/15#115.22"}


def test_bare_indices_wait_for_the_review_of_the_previous_cycle(tmp_path: Path) -> None:
    # The 2019 national report's "Recommendations 1–5, 14–16 ..." mean A/HRC/28/15 (cycle 2).
    # With only the cycle-1 report indexed (111.1-111.59) they must not land on it.
    national_report = fixture("svn2019_national_report_p1-3.pdf")
    with Store(tmp_path / "index.sqlite") as store:
        ingest_paths([national_report, fixture("slovenia2010_recs.pdf")], store, LoaderSettings())
        early = {r.recommendation_id for r in store.evidence() if r.kind == "citation"}
        ingest_paths([REPORT], store, LoaderSettings(workers=1))
        later = {r.recommendation_id for r in store.evidence() if r.kind == "citation"}
    assert not early  # nothing linked, in particular nothing to A/HRC/14/15
    assert "A/HRC/28/15#115.14" in later and not any("14/15" in str(r) for r in later)


def test_comments_in_a_wg_report_are_evidence_of_what_they_answer(tmp_path: Path) -> None:
    # A/HRC/19/3: "92. Tajikistan offered the following comments: 92.1. Regarding the
    # recommendation No. 91.1, the Law ... is in line with Tajikistan's international ..."
    with Store(tmp_path / "index.sqlite") as store:
        ingest_paths([fixture("tajikistan2011_comments.pdf")], store, LoaderSettings(workers=1))
        paragraphs = {rec.paragraph for rec in store.recommendations()}
        comments = {
            row.recommendation_id: row.context
            for row in store.evidence()
            if row.kind == "state_comment"
        }
    assert "91.1" in paragraphs and not any(p.startswith("92.") for p in paragraphs)
    assert sorted(comments) == [f"A/HRC/19/3#91.{n}" for n in (1, 2, 3, 4)]
    assert comments["A/HRC/19/3#91.3"].endswith("no such bans are imposed in Tajikistan")


def test_the_states_comment_on_a_lettered_cycle_1_ask_reaches_the_index(tmp_path: Path) -> None:
    # review5 S1, A/HRC/8/48 (Tonga 2008): "With regard to recommendations 28 (b); 31 (b); 39
    # (b); and 58 (b), the State under review offers the following comments: ...". The ask's
    # paragraph is "28(b)", with no dot: it was resolved as an addendum's bare index, and the
    # comment stayed linked to nothing (91 comments of nine cycle-1 reports).
    index = ingested(("tonga2008_comments.pdf",), tmp_path / "index.sqlite")
    shown = cli("evidence", "A/HRC/8/48", "28(b)", "--index", index)
    assert shown.exit_code == 0
    assert "State's comment in the report itself: With regard to recommendations 28 (b)" in (
        shown.output
    )


def test_a_heading_that_cites_recommendations_is_not_also_their_paraphrase(
    tmp_path: Path,
) -> None:
    # A/HRC/WG.6/20/SVN/1 p. 8: "A. Rule of law: court backlogs, trial without undue delay,
    # fair trial and ill treatment by law enforcement officials (recommendations 30–31, 54–" /
    # "57)" also restates 111.57 of A/HRC/14/15 in words.
    national_report = fixture("svn2014_national_report_p8.pdf")
    with Store(tmp_path / "index.sqlite") as store:
        ingest_paths([national_report, fixture("slovenia2010_recs.pdf")], store, LoaderSettings())
        rows = [r for r in store.evidence() if r.recommendation_id == "A/HRC/14/15#111.57"]
    assert [(r.kind, r.page) for r in rows] == [("citation", 2)]
    assert "Rule of law" in rows[0].context


def test_an_undated_document_cites_the_one_review_that_has_the_paragraph(tmp_path: Path) -> None:
    # An NGO report with no date, written for this test: 111.13 is a paragraph of Slovenia's
    # first review (A/HRC/14/15), not of the latest indexed one (A/HRC/28/15, 115.x).
    ngo = tmp_path / "ngo.pdf"
    ngo.write_bytes(
        text_pdf(
            [
                "Joint submission of civil society organisations on Slovenia",
                "1. Slovenia supported recommendation 111.13 on children; recommendation",
                "115.22 on the Ombudsman is still not implemented.",
            ]
        )
    )
    reports = [fixture("slovenia2010_recs.pdf"), REPORT]
    with Store(tmp_path / "index.sqlite") as store:
        ingest_paths([ngo, *reports], store, LoaderSettings(workers=1))
        linked = {r.recommendation_id for r in store.evidence() if r.document_type == "ngo_report"}
    assert linked == {"A/HRC/14/15#111.13", "A/HRC/28/15#115.22"}


def test_evidence_lists_the_newest_document_first_by_its_own_date(tmp_path: Path) -> None:
    # probe2: A/HRC/WG.6/34/SVN/1 (6 August 2019), indexed after SVN/2 (30 August 2019), came
    # first in `uprdex evidence`, and the documents' pages interleaved (SVN/1 p. 4, p. 6,
    # SVN/2 p. 12, SVN/1 p. 18): "newest first" went by the year and the time of indexing.
    national_report = fixture("svn2019_national_report_p1-3.pdf")  # A/HRC/WG.6/34/SVN/1
    with Store(tmp_path / "index.sqlite") as store:
        for path in (REPORT, COMPILATION, national_report):
            ingest_paths([path], store, LoaderSettings(workers=1))
        cited = [
            row.document_symbol for row in store.evidence(recommendation_id="A/HRC/28/15#115.22")
        ]
        every = [row.document_symbol for row in store.evidence()]
    assert cited == ["A/HRC/WG.6/34/SVN/2", "A/HRC/WG.6/34/SVN/1"]
    assert every == sorted(every, key=lambda symbol: symbol != "A/HRC/WG.6/34/SVN/2")


def test_an_endnote_says_the_page_where_its_context_is_printed(tmp_path: Path) -> None:
    # A/HRC/WG.6/34/SVN/2 prints endnote 9 ("see A/HRC/28/15, paras. 115.22 and 115.31-115.39")
    # on page 5, and its marker after the heading "III. National human rights framework" on
    # page 1: `page` led a reader to the number, not to the context (probe4: 5 of 30 rows).
    import json

    index = ingested(("slovenia2014_recs.pdf", "cit_svn2019_compilation_notes.pdf"), tmp_path / "i")
    exported = cli("export", "--what", "evidence", "--format", "jsonl", "--index", index)
    records = [json.loads(line) for line in exported.output.splitlines()]
    note = next(r for r in records if r["recommendation_id"] == "A/HRC/28/15#115.22")
    assert (note["page"], note["footnote"], note["context_page"]) == (5, "9", 1)
    assert note["context"] == "III. National human rights framework"
    assert all(isinstance(r["context_page"], int) for r in records)
    assert any(r["context_page"] == r["page"] for r in records)
    listed = cli("evidence", "A/HRC/28/15", "115.22", "--index", index).output
    assert "p. 5, note 9; context on p. 1" in listed
    csv_header = cli("export", "--what", "evidence", "--format", "csv", "--index", index)
    assert "context_page" in csv_header.output.splitlines()[0]
    cli("report", "--index", index, "--out", tmp_path / "html")
    page = (tmp_path / "html" / "slovenia.html").read_text(encoding="utf-8")
    assert re.search(
        r'p\. 5</a><br><span class="muted">context <a href="[^"]*#page=1">p\. 1<', page
    )


def test_an_index_of_schema_8_gets_context_pages_as_its_documents_are_read_again(
    tmp_path: Path,
) -> None:
    import sqlite3

    from uprdex.pipeline.views import drop_views

    index = ingested(("slovenia2014_recs.pdf", "cit_svn2019_compilation_notes.pdf"), tmp_path / "i")
    db = sqlite3.connect(index, isolation_level=None)  # as the release before schema 9 left it
    drop_views(db)
    db.execute("ALTER TABLE evidence DROP COLUMN context_page")
    db.execute("UPDATE meta SET value = '8' WHERE key = 'schema_version'")
    db.execute("UPDATE documents SET reader = NULL")  # read by that release
    db.close()
    with Store(index) as store:
        # A paraphrase is its own context, on its page, from the migration on (schema 9): since
        # echo5 (threshold 0.40) p. 1's "It was recommended that Slovenia ratify ... ICRMW, ..."
        # is one, of 115.5. The release's citations have no context page until read again.
        citations = [row for row in store.evidence() if row.kind == "citation"]
        assert citations and {row.context_page for row in citations} == {None}
    ingested(("slovenia2014_recs.pdf", "cit_svn2019_compilation_notes.pdf"), index)
    with Store(index) as store:
        rows = store.evidence()
    assert rows and all(row.context_page is not None for row in rows)
    assert any(row.context_page == 1 and row.page == 5 for row in rows)
