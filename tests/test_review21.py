"""review21: a review of what landed on main since 7145f19 (echo3, themes3, echo4, recurgroups,
smalls, leftovers), each finding pinned as an xfail(strict) test that fails on today's code."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import fixture, ingested


@pytest.mark.parametrize(
    "line",
    [
        # slovakia2014.pdf p. 3 (A/HRC/26/12): a cycle named as past the rule does not read.
        "As a follow-up to the first cycle, all recommendations had been",
        # afghanistan2014.pdf p. 3 (A/HRC/26/4).
        "Afghanistan had gone through the first UPR cycle in May 2009",
        # Not the UPR's: a school cycle, as reports on Lusophone and Francophone States say.
        "Enrolment rose to 95 per cent for the first cycle of basic education",
    ],
)
# review21 finding 1: a document without a symbol dated 2012 (cycle 2's first year) that named
# cycle 1 as past in words the old rule did not list, or a cycle not the UPR's, took cycle 1.
def test_a_cycle_named_as_past_in_real_wording_is_not_the_documents_own(
    tmp_path: Path, line: str
) -> None:
    from uprdex.flows.extract import extract_file

    from hostile import text_pdf

    path = tmp_path / "submission.pdf"
    path.write_bytes(text_pdf(["Joint NGO submission on Slovakia", "October 2012", line]))
    document = extract_file(path).document
    assert (document.symbol, document.session, document.cycle) == (None, None, None)


# review21 finding 6: the session table said cycle 4 ends with session 54 (years_of_cycle, the
# _YEAR_STARTS comment), yet cycle_of_session(55) was 4.
def test_a_session_after_the_fourth_cycle_is_not_the_fourth_cycles() -> None:
    from uprdex.pipeline.symbols import cycle_of_session, year_of_session, years_of_cycle

    assert year_of_session(54) == 2027 and year_of_session(55) is None
    assert (cycle_of_session(54), cycle_of_session(55), cycle_of_session(0)) == (4, None, None)
    assert years_of_cycle(4) == (2022, 2027) and years_of_cycle(5) == (None, None)


# review21 finding 2: "ECRI's fifth cycle" (the Council of Europe's) gave UPR cycle 5 to a 2019
# report; since fixreview21's finding-1 fix it is no cycle a document names as its own (no UPR).
def test_a_fifth_cycle_named_by_a_document_dated_2019_is_not_the_upr_cycle(
    tmp_path: Path,
) -> None:
    from uprdex.flows.extract import extract_file

    from hostile import text_pdf

    lines = [
        "Slovenia: shadow report of the Legal Information Centre",
        "March 2019",
        "ECRI's fifth cycle report on Slovenia found that hate speech online had increased.",
    ]
    path = tmp_path / "shadow.pdf"
    path.write_bytes(text_pdf(lines))
    document = extract_file(path).document
    assert (document.symbol, document.session, document.cycle) == (None, None, None)


def test_the_response_detail_a_label_is_not_called_the_states_own_words(
    tmp_path: Path,
) -> None:
    # review21 finding 4: "Response detail" was described as "the State's answer in its own
    # words" (README, schema.yaml, pipeline/matrix.py, the browse queries), but it is uprdex's
    # label: A/HRC/14/15/Add.1 para 3 says "accepts the recommendations on ratifying ... cannot
    # make a definitive statement", the cell says "supported in part", which it never prints.
    import re

    import uprdex
    from uprdex.pipeline import browse, matrix
    from uprdex.pipeline.loader import load_pdf

    index = ingested(("slovenia2010_recs.pdf", "svn2010_addendum.pdf"), tmp_path / "i.sqlite")
    with uprdex.open_index(index) as opened:
        (rec,) = [r for r in opened.recommendations() if r["id"] == "A/HRC/14/15#111.3"]
    assert rec["response_source"] == "A/HRC/14/15/Add.1 para 3"
    printed = " ".join(
        " ".join(page.text for page in load_pdf(fixture("svn2010_addendum.pdf")).pages).split()
    )
    assert rec["response_detail"] == "supported in part"
    assert rec["response_detail"] not in printed.lower()
    root = Path(__file__).resolve().parents[1]
    texts = [
        (root / "README.md").read_text(encoding="utf-8"),
        (root / "data" / "schema.yaml").read_text(encoding="utf-8"),
        (root / "docs" / "how-it-works.md").read_text(encoding="utf-8"),
        matrix.__doc__ or "",
        *(query["description"] for query in browse.QUERIES.values()),
    ]
    # A paragraph, a table row or a YAML entry that speaks of the detail.
    units = [unit for text in texts for unit in re.split(r"\n\s*\n|\n(?=\||    \w)", text)]
    speaking = [u for u in units if re.search(r"response[_ ]detail|supported in part", u, re.I)]
    assert speaking
    assert [u for u in speaking if "own words" in u] == []


def test_a_paragraph_number_after_a_heading_ending_in_cycle_is_not_a_cycle_number(
    tmp_path: Path,
) -> None:
    # review21 finding 3: "UPR cycle 4" was read across a line break, so a heading ending in
    # "cycle" and the next paragraph's number ("3. The coalition ...") gave cycle 3 to a
    # symbol-less submission dated 2016.
    from uprdex.flows.extract import extract_file

    from hostile import text_pdf

    lines = [
        "Joint NGO submission on Slovenia",
        "March 2016",
        "I. Methodology and consultation for this review cycle",
        "3. The coalition of 12 organisations prepared this report.",
    ]
    path = tmp_path / "submission.pdf"
    path.write_bytes(text_pdf(lines))
    document = extract_file(path).document
    assert (document.symbol, document.session, document.cycle) == (None, None, None)


# review21 finding 5: of an unknown paragraph of an indexed report the CLI said "no
# recommendation 999.9 in A/HRC/28/15 in the index", the API "no recommendation
# A/HRC/28/15#999.9 in the index"; both now say Named.said. An empty id said "no recommendation
#  in the index".
def test_the_api_error_of_an_unknown_paragraph_is_the_clis_line(tmp_path: Path) -> None:
    from click.testing import CliRunner

    import uprdex
    from uprdex.flows.cli import main

    index = ingested(("slovenia2014_recs.pdf",), tmp_path / "i.sqlite")
    given = "A/HRC/28/15#999.9"
    said = CliRunner().invoke(main, ["evidence", given, "--index", str(index)])
    assert said.exit_code == 2, said.output
    with uprdex.open_index(index) as opened, pytest.raises(uprdex.UnknownIdError) as raised:
        opened.evidence(given)
    assert said.output.strip() == f"error {raised.value}", said.output
    with uprdex.open_index(index) as opened, pytest.raises(uprdex.UnknownIdError) as raised:
        opened.evidence("")
    assert str(raised.value) == 'no recommendation "" in the index'


@pytest.mark.parametrize("dated", ["March 2019", None])
def test_a_fifth_upr_cycle_whose_years_are_unknown_is_not_taken_from_words(
    tmp_path: Path, dated: str | None
) -> None:
    # fixreview21 (review21 finding 2): years_of_cycle(5) is (None, None), so the date check
    # never applied to it: "for the fifth UPR cycle" gave cycle 5 to a report dated 2019.
    from uprdex.flows.extract import extract_file

    from hostile import text_pdf

    lines = ["Slovenia: shadow report for the fifth UPR cycle", *([dated] if dated else [])]
    path = tmp_path / "shadow.pdf"
    path.write_bytes(text_pdf(lines))
    document = extract_file(path).document
    assert (document.symbol, document.session, document.cycle) == (None, None, None)


@pytest.mark.parametrize("kinds", [("link", "unlink"), ("unlink", "link")])
def test_of_a_link_and_an_unlink_recorded_in_one_second_the_one_recorded_last_holds(
    tmp_path: Path, kinds: tuple[str, str]
) -> None:
    # review21 (outside its diff): a link and an unlink recorded in the same second under two
    # imported ids that name one ask once its WG report is indexed were decided by their ids,
    # and the line said "the later, the unlink ... holds" when the link was recorded second.
    from click.testing import CliRunner
    from test_contradiction_lines import _imported_ids, _rows

    from uprdex.flows.cli import main
    from uprdex.pipeline.corrections import Correction
    from uprdex.pipeline.store import Store

    index = tmp_path / "index.sqlite"
    a1, a2, b, _ = _imported_ids(_rows(tmp_path), index)
    at, (first, second) = "2026-12-06T20:00:00", kinds
    with Store(index) as store:
        assert store.record_corrections([Correction.of(a1, b, first, who="r", at=at)])
        assert store.record_corrections([Correction.of(a2, b, second, who="r", at=at)])
    result = CliRunner().invoke(
        main, ["ingest", str(fixture("slovenia2014_recs.pdf")), "--index", str(index)]
    )
    assert result.exit_code == 0, result.output
    with Store(index) as store:
        applied = store.applied_corrections()
    (held,) = applied.held
    (line,) = applied.conflicts
    assert held.kind.value == second and f"the later, the {second} recorded {at}, holds" in line
