"""A compound is found whether it is printed joined or spaced: `search childcare` missed Bhutan
2014's "2011 Child Care and Protection Act", `search "child care"` its "proper childcare", and
README said so of "socio economic" (hyphens had been folded: test_search_hyphens). A word typed
that the shipped word list knows as two words joined also searches the two as a phrase, and two
words typed that it knows joined also search the joined word (`search_terms._plain_terms`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from uprdex.pipeline.store.search_terms import search_terms

from helpers import cli, ingested

# A/HRC/27/8 (tests/fixtures/bhutan2014_recs.pdf): 118.29 "... the Child Adoption Act and the
# 2011 Child Care and Protection Act (Bolivia ...)"; 118.78 "... water and sanitation and
# proper childcare, encouraging exclusive breastfeeding ... (Ireland)"; 118.74 "Continue the
# process of strengthening free health care and free education ... (United Arab Emirates)".
SPACED = "A/HRC/27/8#118.29"
JOINED = "A/HRC/27/8#118.78"
HEALTH_CARE = "A/HRC/27/8#118.74"


@pytest.fixture(scope="module")
def bhutan_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return ingested(("bhutan2014_recs.pdf",), tmp_path_factory.mktemp("compounds") / "b.sqlite")


def _found(index: Path, *args: str) -> set[str]:
    result = cli(*args, "--json", "--limit", "0", "--index", index)
    assert result.exit_code == 0, result.output
    return {json.loads(line)["id"] for line in result.stdout.splitlines() if line.startswith("{")}


@pytest.mark.parametrize("command", [["search"], ["recs", "--search"]])
def test_a_compound_is_found_joined_or_spaced(bhutan_index: Path, command: list[str]) -> None:
    joined = _found(bhutan_index, *command, "childcare")
    assert joined == _found(bhutan_index, *command, "child care"), joined
    assert {SPACED, JOINED} <= joined
    assert HEALTH_CARE in _found(bhutan_index, *command, "healthcare")
    # quoted, the word is searched as typed only, as a treaty's name is
    assert _found(bhutan_index, *command, '"childcare"') == {JOINED}


def test_the_note_says_what_else_was_searched(bhutan_index: Path) -> None:
    found = cli("search", "childcare", "--index", bhutan_index)
    assert found.exit_code == 0, found.output
    assert 'also searched: child care (for "childcare")' in found.stderr, found.stderr
    assert """search them as typed only: '"childcare"'""" in found.stderr, found.stderr


def test_only_two_words_that_carry_meaning_make_a_compound() -> None:
    def also(words: str) -> list[tuple[str, ...]]:
        return [term.also for term in search_terms(words)]

    assert also("socioeconomic") == [("socio economic",)]
    assert also("socio economic") == [("socioeconomic",)]
    assert also("Viet Nam") == [("vietnam",)]
    # the word list holds prefixes and pieces of words ("in", "th"), and stop words: none is
    # half of a compound ("control over all militias" is no "overall")
    assert also("information that overall") == [(), (), ()]
    assert also("over all") == [(), ()]
