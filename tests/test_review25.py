"""review25: uprdex used as a human-rights researcher would, on real reports no other test reads
(El Salvador 2010 and 2014), each finding pinned as an xfail(strict) test that fails on today's
code."""

from __future__ import annotations

import csv
import json
import re
import shlex
import shutil
from pathlib import Path
from typing import Any

import pytest

from uprdex.pipeline.clusters.treaties import fold_words, load_treaties

from helpers import SHARED, asks_by_id, cli, shared_ingested

CORPUS = (
    "wg_reports/elsalvador2010.pdf",  # A/HRC/14/5, cycle 1 (session 7)
    "wg_reports/elsalvador2014.pdf",  # A/HRC/28/5, cycle 2 (session 20)
)


@pytest.fixture(scope="module")
def corpus_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """El Salvador's two WG reports, ingested once (one worker)."""
    return shared_ingested(CORPUS, tmp_path_factory.mktemp("review25") / "index.sqlite")


def _asks(index: Path) -> dict[str, dict[str, Any]]:
    return asks_by_id(index, "El Salvador")


def _repeats(rec: dict[str, Any]) -> set[str]:
    return {earlier["id"] for earlier in rec["repeats"] or []}


@pytest.mark.xfail(
    strict=True,
    reason="review25 finding 1 (cause): the misnamed 'International Covenant for the Protection "
    "of All Persons from Enforced Disappearance' (A/HRC/14/5 82.13, France) is not read as the "
    "CED",
)
def test_the_misnamed_covenant_on_enforced_disappearance_is_the_ced() -> None:
    # A/HRC/14/5 p. 18, 82.13: "To sign and ratify the International Covenant for the Protection
    # of All Persons from Enforced Disappearance (France);"
    treaties = load_treaties()
    text = "To sign and ratify the International Covenant for the Protection of All Persons "
    text += "from Enforced Disappearance"
    assert "ced" in treaties.replace(fold_words(text)).split()


@pytest.mark.corpus
@pytest.mark.xfail(
    strict=True,
    reason="review25 finding 1: El Salvador 2014's asks to ratify the CED (105.1, 105.5) have no "
    "'asked before', though 2010's 82.13 asked it (printed 'International Covenant')",
)
def test_el_salvador_2014_asks_to_ratify_the_ced_repeat_the_2010_ask(corpus_index: Path) -> None:
    asks = _asks(corpus_index)
    # A/HRC/28/5 p. 19, 105.1: "Ratify the International Convention for the Protection of All
    # Persons from Enforced Disappearance; ... (Portugal)"; 105.5 "Continue its efforts aimed at
    # ratifying the Convention for the Protection of All Persons from Enforced Disappearance
    # (Argentina)".
    unlinked = [
        later
        for later in ("A/HRC/28/5#105.1", "A/HRC/28/5#105.5")
        if "A/HRC/14/5#82.13" not in _repeats(asks[later])
    ]
    assert unlinked == []


@pytest.mark.corpus
@pytest.mark.xfail(
    strict=True,
    reason="review25 finding 2: El Salvador 2014's 105.29 'adoption of a national human rights "
    "plan' is not linked to 2010's 81.8 'preparation of a national plan on human rights'",
)
def test_el_salvador_2014_national_human_rights_plan_repeats_the_2010_ask(
    corpus_index: Path,
) -> None:
    asks = _asks(corpus_index)
    # A/HRC/14/5 p. 13, 81.8: "To continue its efforts to ensure the full enjoyment of human
    # rights through the participatory preparation of a national plan on human rights
    # (Bolivia);" A/HRC/28/5 p. 20, 105.29: "Promote the drawing up and adoption of a national
    # human rights plan (...)".
    assert "A/HRC/14/5#81.8" in _repeats(asks["A/HRC/28/5#105.29"])


@pytest.mark.corpus
@pytest.mark.xfail(
    strict=True,
    reason="review25 finding 2: El Salvador 2014's 105.22 'abolish the death penalty for all "
    "crimes' is linked to 2010's 82.23 only, not to 82.24 or 82.26 that asked the same",
)
def test_el_salvador_2014_abolition_for_all_crimes_repeats_the_2010_asks(
    corpus_index: Path,
) -> None:
    asks = _asks(corpus_index)
    # A/HRC/14/5 p. 19, 82.24: "To amend the relevant legislation in order to abolish capital
    # punishment entirely, ... (Slovakia)"; 82.26: "To modify the military code in order to
    # eliminate capital punishment for all crimes (France)". A/HRC/28/5 p. 20, 105.22:
    # "Withdraw the reservation to the Second Protocol to ICCPR and abolish the death penalty
    # for all crimes (Montenegro)".
    assert {"A/HRC/14/5#82.24", "A/HRC/14/5#82.26"} <= _repeats(asks["A/HRC/28/5#105.22"])


@pytest.mark.corpus
@pytest.mark.xfail(
    strict=True,
    reason="review25 finding 3: four 'asked again' links join asks that only share a word: a "
    "standing invitation and reparations (81.17/103.33), torture and violence against women "
    "(81.31/104.16), preventive detention and an overdue CAT report (82.28/103.5), a children's "
    "act's resources and child migrants' repatriation (82.20/103.59)",
)
def test_asks_that_only_share_a_word_are_not_asked_again(corpus_index: Path) -> None:
    asks = _asks(corpus_index)
    # A/HRC/14/5 p. 13, 81.17 "To extend a standing invitation to all special procedures of the
    # United Nations to further such cooperation" (done: A/HRC/14/5 para 84);
    # A/HRC/28/5 p. 15, 103.33 "Take further steps to address victims' rights, including taking
    # forward reparations for victims of internal armed conflict, and to explore possible
    # cooperation with United Nations special procedures in that regard".
    wrong = {
        ("A/HRC/28/5#103.33", "A/HRC/14/5#81.17"),
        ("A/HRC/28/5#104.16", "A/HRC/14/5#81.31"),
        ("A/HRC/28/5#103.5", "A/HRC/14/5#82.28"),
        ("A/HRC/28/5#103.59", "A/HRC/14/5#82.20"),
    }
    found = {(later, earlier) for later, earlier in wrong if earlier in _repeats(asks[later])}
    assert found == set()


@pytest.mark.corpus
@pytest.mark.xfail(
    strict=True,
    reason="review25 finding 4: 'decriminalize and remove the ban on abortion' (105.49) and "
    "'Decriminalize abortion and ensure ... legal abortion services' (105.56) are in two clusters",
)
def test_el_salvador_2014_asks_to_decriminalize_abortion_share_a_cluster(
    corpus_index: Path,
) -> None:
    asks = _asks(corpus_index)
    # A/HRC/28/5 p. 22, 105.49 "Make the necessary constitutional and legislative amendments in
    # order to decriminalize and remove the ban on abortion (Australia)"; 105.56 "Decriminalize
    # abortion and ensure that safe and legal abortion services are available ... (Slovenia)".
    assert asks["A/HRC/28/5#105.49"]["cluster_id"] == asks["A/HRC/28/5#105.56"]["cluster_id"]


@pytest.mark.corpus
def test_the_footnote_with_the_ask_as_read_is_kept(corpus_index: Path) -> None:
    # review25 finding 6. A/HRC/14/5 p. 17, 81.72 "To pursue and intensify initiatives in the
    # area of housing (Algeria)1;" note 1: "The recommendation as read during the interactive
    # dialogue: To pursue and intensify initiatives in the area of housing within the framework
    # of the plan for 2009-2014, which sets as an objective a house for everyone."
    record = _asks(corpus_index)["A/HRC/14/5#81.72"]
    assert "a house for everyone" in json.dumps(record)
    (note,) = record["footnotes"]
    assert (note["marker"], note["page"]) == ("1", 17)
    assert note["text"].startswith("The recommendation as read during the interactive dialogue:")
    # The marker is not glued to the State list, and the ask's text is as printed.
    assert record["recommending_states"] == ["Algeria"]
    assert record["text"] == "To pursue and intensify initiatives in the area of housing"


@pytest.mark.corpus
def test_a_number_as_printed_under_its_paragraph_suggests_the_asks_it_may_be(
    corpus_index: Path,
) -> None:
    # review25 finding 7: 'uprdex evidence A/HRC/14/5 17' said no such recommendation, with no
    # "did you mean". A/HRC/14/5 p. 13 prints "17. To extend a standing invitation ..." under
    # paragraph 81, and p. 18 "17. To ratify the Rome Statute ..." under paragraph 82:
    # uprdex's 81.17 and 82.17. `show` says the same line.
    for command in ("evidence", "show"):
        result = cli(command, "A/HRC/14/5", "17", "--index", corpus_index)
        assert result.exit_code == 2, result.output
        assert "did you mean A/HRC/14/5#81.17 or A/HRC/14/5#82.17?" in result.output, command
    # A number no paragraph prints stays without a suggestion.
    assert "did you mean" not in cli("show", "A/HRC/14/5", "140", "--index", corpus_index).output


@pytest.mark.corpus
def test_zero_noted_says_how_many_asks_no_indexed_answer_decided(corpus_index: Path) -> None:
    # review25 finding 5: with no addendum of El Salvador indexed, `recs --response noted` said
    # "0 recommendations" and nothing more, while 102 asks (A/HRC/14/5 para 82: 40, A/HRC/28/5
    # para 105: 62) are pending, and UPR Info records 45 noted.
    noted = cli(*noted_args("recs"), "--index", corpus_index)
    assert "0 recommendations" in noted.output
    assert "102 asks that the other filters match are pending" in noted.output, noted.output
    assert "uprdex import upr-info" in noted.output
    # The other commands that filter on the response say it too.
    for command in (("clusters",), ("export", "--what", "recommendations", "--format", "csv")):
        assert "102 asks" in cli(*noted_args(*command), "--index", corpus_index).output, command
    searched = cli("search", "torture", *noted_args(), "--index", corpus_index)
    assert "asks that the other filters match are pending" in searched.output
    # Only when asks are pending: the pending ones themselves need no such line.
    pending = cli("recs", "--state", "SLV", "--response", "pending", "--index", corpus_index)
    assert "102 recommendations" in pending.output and "note" not in pending.output


def noted_args(*command: str) -> tuple[str, ...]:
    """A command filtered on El Salvador's noted asks."""
    return (*command, "--state-under-review", "El Salvador", "--response", "noted")


def _upr_info_of_el_salvador(folder: Path) -> Path:
    """The UPR Info export's rows of El Salvador (sessions 7 and 20), as a researcher extracts
    them."""
    source = SHARED / "upr_info" / "upr_info_sessions_1-20.csv"
    with source.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = [row for row in reader if row["To"] == "El Salvador"]
        columns = list(reader.fieldnames or ())
    path = folder / "upr_info_el_salvador.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, columns)
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.mark.corpus
def test_upr_infos_answer_in_two_halves_answers_the_ask_in_part(
    corpus_index: Path, tmp_path: Path
) -> None:
    # review25 finding 8: after `uprdex import upr-info`, 82.28 (Mexico) stayed "pending",
    # response_conflict "UPR Info: Accepted; UPR Info: Noted": UPR Info splits it into "reduce
    # preventive detention" (Accepted) and "prevent and punish torture per CAT" (Noted). A State
    # answered: in part, noted, as docs/how-it-works.md counts an addendum's partial answer.
    index = tmp_path / "index.sqlite"
    shutil.copy(corpus_index, index)
    imported = cli("import", "upr-info", _upr_info_of_el_salvador(tmp_path), "--index", index)
    assert imported.exit_code == 0, imported.output
    asks = _asks(index)
    ask = asks["A/HRC/14/5#82.28"]
    assert (ask["response"], ask["response_detail"], ask["response_conflict"]) == (
        "noted",
        "supported in part",
        None,
    )
    assert ask["response_source"] == "UPR Info: Accepted; UPR Info: Noted"
    assert [rec for rec, found in asks.items() if found["response"] == "pending"] == []
    # Every ask answered, `recs --response noted` has no pending asks to speak of.
    noted = cli(*noted_args("recs"), "--index", index)
    assert "pending" not in noted.output.replace("--response pending", ""), noted.output


@pytest.mark.corpus
def test_a_state_option_takes_its_iso_code_as_every_state_option_does(
    corpus_index: Path,
) -> None:
    # review25 finding 9: `--state-under-review SLV` gave "not a State name uprdex knows" and 0
    # results, while `--recommending-state USA` worked (an alias in data/states.csv).
    by_name = cli("recs", "--state-under-review", "El Salvador", "--json", "--index", corpus_index)
    for code in ("SLV", "slv"):
        by_code = cli("recs", "--state-under-review", code, "--json", "--index", corpus_index)
        assert "not a State name" not in by_code.output
        assert by_code.output == by_name.output
    asked = cli("recs", "--recommending-state", "MEX", "--json", "--index", corpus_index)
    assert "A/HRC/14/5#82.28" in asked.output and "not a State name" not in asked.output
    # A word that is no code stays no State.
    assert "not a State name" in cli("recs", "--state", "XYZ", "--index", corpus_index).output


def _readme_exports() -> list[str]:
    """Every `uprdex export` command line README gives before "How it is built", as typed."""
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    head = readme.split("## How it is built", 1)[0]
    spans = re.findall(r"`(uprdex\s+export[^`]*)`", head, re.S)
    lines = re.findall(r"^(uprdex export[^#\n]*)", head, re.M)
    return [" ".join(command.split()) for command in [*spans, *lines]]


@pytest.mark.corpus
def test_every_export_readme_shows_runs_as_typed(
    corpus_index: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # review25 finding 9: README line 94 gave "`uprdex export --what matrix`", which stops with
    # "Missing option '--format'" (exit 2).
    monkeypatch.chdir(tmp_path)
    commands = _readme_exports()
    assert any("--what matrix" in command for command in commands), commands
    for command in commands:
        result = cli(*shlex.split(command)[1:], "--index", corpus_index)
        assert result.exit_code == 0, (command, result.output)
