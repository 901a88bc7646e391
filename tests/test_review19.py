"""review19: hostile review of idsplit (`named`), lines (contradiction lines, failed paths by
their path in the inbox) and fixecho (a document without a symbol takes the cycle of the
"UPR WG N" it names; `cited SYMBOL`). Each finding is an xfail(strict) test that fails on main."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from uprdex.flows.cli import main
from uprdex.flows.ingest import ingest_paths
from uprdex.pipeline.model import DocumentRow
from uprdex.pipeline.settings import LoaderSettings
from uprdex.pipeline.store import Store

from helpers import fixture


def _extracted(tmp_path: Path, lines: list[str]) -> DocumentRow:
    from uprdex.flows.extract import extract_file

    from hostile import text_pdf

    path = tmp_path / "document.pdf"
    path.write_bytes(text_pdf(lines))
    return extract_file(path).document


@pytest.mark.xfail(
    strict=True,
    reason="review19 finding 1: an undated document naming an earlier review first ('UPR WG 20') "
    "and the later one after ('UPR WG 34') is given the earlier review's cycle (2): "
    "find_reviewed_session reads the first 'UPR WG N' only, and with no year nothing guards it",
)
def test_an_undated_document_naming_two_reviews_is_not_given_the_earlier_ones_cycle(
    tmp_path: Path,
) -> None:
    document = _extracted(
        tmp_path,
        [
            "Slovenia",
            "Mid-term implementation assessment",
            "At UPR WG 20 Slovenia received 123 recommendations.",
            "Slovenia was reviewed again by UPR WG 34.",
        ],
    )
    # A document that names WG 34 (2019) is of 2019 or later: not of the second cycle.
    assert document.cycle in (None, 3)


@pytest.mark.xfail(
    strict=True,
    reason="review19 finding 6: a fourth-cycle submission printing no date of its own, whose "
    "first page says 'Slovenia was reviewed by UPR WG 34, in November of 2019', is given cycle 3: "
    "the year that guards the session (find_year) is read from that very sentence",
)
def test_a_later_submission_is_not_dated_by_the_review_it_names(tmp_path: Path) -> None:
    document = _extracted(
        tmp_path,
        [
            "Slovenia",
            "Joint stakeholder submission for the fourth UPR cycle",
            "Slovenia was reviewed by UPR WG 34, in November of 2019.",
        ],
    )
    assert document.cycle != 3


@pytest.mark.xfail(
    strict=True,
    reason="review19 finding 2: a document dated 2019 that names the earlier review first "
    "('UPR WG 20', 2014) and its own after ('UPR WG 34', 2019) gets no cycle: only the first "
    "'UPR WG N' is read, and it fails the year check",
)
def test_a_dated_document_naming_two_reviews_takes_the_one_its_year_fits(tmp_path: Path) -> None:
    document = _extracted(
        tmp_path,
        [
            "Slovenia",
            "Mid-term implementation assessment",
            "Published December 2019",
            "At UPR WG 20 Slovenia received 123 recommendations.",
            "Slovenia was reviewed again by UPR WG 34.",
        ],
    )
    assert (document.session, document.cycle) == (34, 3)


@pytest.mark.xfail(
    strict=True,
    reason="review19 finding 3: a stakeholder submission dated the year before its January "
    "review (July 2019, for UPR WG 35 of January 2020) gets no cycle: _REVIEW_YEARS admits the "
    "session's year and the next, not the year before, when submissions are written",
)
def test_a_submission_dated_the_year_before_its_january_review_takes_its_cycle(
    tmp_path: Path,
) -> None:
    document = _extracted(
        tmp_path,
        [
            "Slovenia",
            "Joint submission of civil society organisations",
            "July 2019",
            "Submitted for the review of Slovenia at UPR WG 35, in January 2020.",
        ],
    )
    assert (document.session, document.cycle) == (35, 3)


@pytest.mark.xfail(
    strict=True,
    reason="review19 finding 4: two files of one name given on their own (a shell glob: "
    "uprdex ingest inbox/*/report.pdf) or at the top of two folders given (uprdex ingest "
    "inbox/2019 inbox/2014) still both print 'failed report.pdf: ...', the review18 finding 2 "
    "defect, left for files not told apart by their path under one folder given",
)
@pytest.mark.parametrize("given", ["files", "folders"])
def test_two_failed_files_of_one_name_given_on_their_own_are_told_apart(
    tmp_path: Path, given: str
) -> None:
    paths = []
    for year in ("2019", "2014"):
        (tmp_path / year).mkdir()
        path = tmp_path / year / "report.pdf"
        path.write_bytes(f"<html>404 {year}</html>".encode())
        paths.append(str(path if given == "files" else path.parent))
    index = str(tmp_path / "index.sqlite")
    result = CliRunner().invoke(main, ["ingest", *paths, "--index", index])
    assert result.exit_code == 1, result.output
    failed = [line.split(": ")[0] for line in result.stderr.splitlines() if "failed " in line]
    assert len(failed) == 2, result.stderr
    assert failed[0] != failed[1], result.stderr


@pytest.fixture(scope="module")
def report_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    index = tmp_path_factory.mktemp("review19") / "index.sqlite"
    with Store(index) as store:
        ingest_paths([fixture("slovenia2014_recs.pdf")], store, LoaderSettings(workers=1))
    return index


# review19 finding 5 (fixed here, one line in ids._by_symbol: strip, not lstrip): an id copied
# with the full stop of its sentence got no "did you mean", though ':' or '/' for '#' did.
def test_an_id_with_a_trailing_full_stop_is_said_with_the_id_it_means(report_index: Path) -> None:
    with Store(report_index) as store:
        assert store.named("A/HRC/28/15#115.1").ask == "A/HRC/28/15#115.1"
        found = store.named("A/HRC/28/15#115.1.")
    assert found.ask is None
    assert found.nearest == "A/HRC/28/15#115.1"
