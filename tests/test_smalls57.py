"""smalls57: mends earlier reviews left. A State typed by a name researchers use that no UN
document prints ("Holland") or by its UN name in French ("Suisse"); an id whose paragraph is
typed with zeros before its numbers ("115.022")."""

from __future__ import annotations

from pathlib import Path

import pytest

from uprdex.flows.cli._meant import state_meant
from uprdex.pipeline.states import load_states

from helpers import cli, shared_ingested

# Names a researcher types for a State that `recs --state X` took for no State, with no
# suggestion: "'Holland' is not a State name uprdex knows; matching it as printed".
SUGGESTED = {
    "Holland": "Netherlands (Kingdom of the)",
    "holland": "Netherlands (Kingdom of the)",
    "Schweiz": "Switzerland",
    "Deutschland": "Germany",
    "England": "United Kingdom of Great Britain and Northern Ireland",
}


@pytest.mark.parametrize("typed", sorted(SUGGESTED))
def test_a_name_researchers_type_for_a_state_suggests_it(typed: str) -> None:
    states = load_states()
    assert states.given(typed) is None  # suggested, not read as the State
    assert state_meant(typed, states) == f" (did you mean {SUGGESTED[typed]}?)"


def test_a_name_suggested_for_a_state_is_said_by_recs(index: Path) -> None:
    result = cli("recs", "--recommending-state", "Holland", "--index", index)
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    assert "'Holland' is not a State name uprdex knows (did you mean Netherlands (Kingdom of" in (
        said
    ), said


@pytest.fixture(scope="module")
def switzerland(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Switzerland 2012's WG report (A/HRC/22/11), ingested once."""
    folder = tmp_path_factory.mktemp("smalls57")
    return shared_ingested(("wg_reports/switzerland2012.pdf",), folder / "index.sqlite")


@pytest.mark.corpus
def test_switzerland_s_un_name_in_french_names_it(switzerland: Path) -> None:
    # The UN's French short name of Switzerland, and one of its own languages: taken as it.
    assert load_states().given("Suisse") == load_states().given("Switzerland")
    typed = cli("recs", "--state", "Suisse", "--index", switzerland, "--limit", "0")
    named = cli("recs", "--state", "Switzerland", "--index", switzerland, "--limit", "0")
    assert typed.exit_code == 0, typed.output
    assert "not a State name" not in typed.output
    assert "Switzerland" in typed.output and typed.output == named.output


# An id whose paragraph is typed with zeros before its numbers, as a list padded to sort shows
# it, named no ask and `show` suggested none: "no recommendation 115.022 in A/HRC/28/15 in the
# index".
PADDED = {
    "A/HRC/28/15#115.022": "A/HRC/28/15#115.22",
    "A/HRC/28/15#0115.22": "A/HRC/28/15#115.22",
    "A/HRC/28/15#115.010": "A/HRC/28/15#115.10",
    "a/hrc/28/15:115.08": "A/HRC/28/15#115.8",
}


@pytest.mark.parametrize("typed", sorted(PADDED))
def test_an_id_typed_with_leading_zeros_suggests_the_ask(index: Path, typed: str) -> None:
    result = cli("show", typed, "--index", index)
    assert result.exit_code == 2
    assert f"did you mean {PADDED[typed]}?" in result.output, result.output


def test_a_paragraph_typed_with_a_leading_zero_is_said_as_the_report_numbers_it(
    index: Path,
) -> None:
    # "#0115" suggested paragraph 115's asks, but named it "paragraph 0115".
    result = cli("show", "A/HRC/28/15#0115", "--index", index)
    assert result.exit_code == 2
    said = " ".join(result.output.split())
    assert "did you mean the asks of paragraph 115, A/HRC/28/15#115.1 to" in said, said
