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
@pytest.mark.xfail(
    strict=True,
    reason="review21 finding 1: a document without a symbol dated in the first year of the "
    "next cycle (2012) that names the cycle before as past in words _PAST_CYCLE does not list "
    "('follow-up to', 'had gone through'), or a cycle that is not the UPR's ('the first cycle "
    "of basic education'), takes that cycle (1), not none",
)
def test_a_cycle_named_as_past_in_real_wording_is_not_the_documents_own(
    tmp_path: Path, line: str
) -> None:
    from uprdex.flows.extract import extract_file

    from hostile import text_pdf

    path = tmp_path / "submission.pdf"
    path.write_bytes(text_pdf(["Joint NGO submission on Slovakia", "October 2012", line]))
    document = extract_file(path).document
    assert (document.symbol, document.session, document.cycle) == (None, None, None)


@pytest.mark.xfail(
    strict=True,
    reason="review21 finding 6: the session table now says cycle 4 ends with session 54 "
    "(years_of_cycle, the _YEAR_STARTS comment), yet cycle_of_session(55) is still 4",
)
def test_a_session_after_the_fourth_cycle_is_not_the_fourth_cycles() -> None:
    from uprdex.pipeline.symbols import cycle_of_session, year_of_session

    assert year_of_session(54) == 2027 and year_of_session(55) is None
    assert cycle_of_session(55) != 4


@pytest.mark.xfail(
    strict=True,
    reason="review21 finding 2: a cycle past the session table (the fifth) has no years "
    "(years_of_cycle(5) is (None, None)), so find_named_cycle's date check never applies to it: "
    "a 2019 NGO report quoting ECRI's 'fifth cycle' (Council of Europe monitoring) takes UPR "
    "cycle 5, years before that cycle can begin",
)
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


@pytest.mark.xfail(
    strict=True,
    reason="review21 finding 4: the matrix's 'Response detail' is described as 'the State's "
    "answer in its own words' (README; 'the State's own words' in pipeline/matrix.py and the "
    "browse queries), but it is uprdex's label: A/HRC/14/15/Add.1 para 3 says 'accepts the "
    "recommendations on ratifying ... cannot make a definitive statement', the cell says "
    "'supported in part', words the addendum never prints",
)
def test_the_response_detail_called_the_states_own_words_is_printed_in_its_source(
    tmp_path: Path,
) -> None:
    import uprdex
    from uprdex.pipeline.loader import load_pdf

    index = ingested(("slovenia2010_recs.pdf", "svn2010_addendum.pdf"), tmp_path / "i.sqlite")
    with uprdex.open_index(index) as opened:
        (rec,) = [r for r in opened.recommendations() if r["id"] == "A/HRC/14/15#111.3"]
    assert rec["response_source"] == "A/HRC/14/15/Add.1 para 3"
    printed = " ".join(
        " ".join(page.text for page in load_pdf(fixture("svn2010_addendum.pdf")).pages).split()
    )
    assert rec["response_detail"].lower() in printed.lower(), rec["response_detail"]


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


@pytest.mark.xfail(
    strict=True,
    reason="review21 finding 5: UnknownIdError is documented as saying what `uprdex evidence` "
    "says (README, its docstring, Index.evidence's), but of an unknown paragraph of an indexed "
    "report the CLI says 'no recommendation 999.9 in A/HRC/28/15 in the index' and the API "
    "'no recommendation A/HRC/28/15#999.9 in the index' (test_ids_named compares the two only "
    "when a nearest id exists)",
)
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
