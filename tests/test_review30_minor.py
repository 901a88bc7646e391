"""review30's minor findings (REPORT-review30.md, "Taste or minor"): a filter value no ask of the
index holds, a `themes` command README's wording sent a researcher to look for, folders an
export makes, and the State's own words on a noted ask."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from uprdex.flows.cli import main

from helpers import cli, ingested

# The session index (conftest `built_index`): Algeria 2008 (cycle 1) and Slovenia 2014 (cycle 2).


@pytest.mark.parametrize("command", [["recs"], ["search", "rights"], ["clusters"]])
def test_a_cycle_no_ask_holds_is_said_not_a_quiet_zero(index: Path, command: list[str]) -> None:
    # review30: `recs --cycle 7` said "0 recommendations" and nothing of there being no cycle 7.
    result = cli(*command, "--cycle", "7", "--index", index)
    assert result.exit_code == 0  # as an unknown theme or State: a warning, not an error
    assert "--cycle 7: no cycle 7 in this index: it holds cycles 1, 2" in result.stderr
    assert "no cycle" not in result.stdout
    held = cli(*command, "--cycle", "2", "--index", index)
    assert "in this index" not in held.stderr


def test_a_known_state_the_index_holds_no_review_of_is_said(index: Path) -> None:
    # The same silence for a State uprdex knows that the index holds no review of ("SLV" is El
    # Salvador, not Slovenia: review25); a State it holds says nothing.
    result = cli("recs", "--state-under-review", "SLV", "--index", index)
    said = "no review of El Salvador in this index: it holds reviews of Algeria, Slovenia"
    assert said in result.stderr
    assert result.stdout.rstrip().endswith("0 recommendations")
    assert result.stderr.count("\n") == 1  # one line
    asked = cli("recs", "--recommending-state", "Tuvalu", "--index", index)
    assert "--recommending-state Tuvalu: no ask by Tuvalu in this index: it holds asks by" in (
        asked.stderr
    )
    assert "and " in asked.stderr and " more" in asked.stderr  # dozens of States: not all named
    for option, state in (("--state-under-review", "DZA"), ("--recommending-state", "FRA")):
        assert "in this index" not in cli("recs", option, state, "--index", index).stderr


def test_a_documents_export_reads_the_cycles_of_its_documents(tmp_path: Path) -> None:
    # `export --what documents` filters documents: an addendum alone is of cycle 1 (test_cli's
    # review5 M2) though the index holds no recommendation of any cycle.
    index = ingested(("svn2010_addendum.pdf",), tmp_path / "index.sqlite")
    args = ("export", "--what", "documents", "--format", "csv", "--index", index, "--cycle")
    assert "in this index" not in cli(*args, "1").stderr
    assert "no cycle 7 in this index: it holds cycle 1" in cli(*args, "7").stderr


def test_themes_lists_what_theme_takes_with_its_asks(index: Path) -> None:
    # review30: README's "a theme as `themes` names it" sent a researcher looking for a
    # `uprdex themes` command; only a mistyped --theme listed them.
    result = cli("themes", "--index", index)
    assert result.exit_code == 0, result.output
    exported = cli(
        "export", "--what", "recommendations", "--format", "jsonl", "--index", index
    ).stdout.splitlines()
    asks: dict[str, int] = {}
    for line in exported:
        for theme in json.loads(line)["themes"]:
            asks[theme] = asks.get(theme, 0) + 1
    listed = {
        name: int(number)
        for number, name in (
            line.strip().split("  ", 1) for line in result.stdout.splitlines()[:-1]
        )
    }
    assert {name: n for name, n in listed.items() if n} == asks
    assert 0 in listed.values()  # the classifier's themes no ask here has
    numbers = [listed[name] for name in listed]
    assert numbers == sorted(numbers, reverse=True)  # most asks first
    top = max(asks, key=lambda name: asks[name])
    recs = cli("recs", "--theme", top.upper(), "--index", index)
    assert recs.stdout.rstrip().endswith(f"\n{asks[top]} recommendations")


@pytest.mark.parametrize(
    "args",
    [
        ["export", "--what", "recommendations", "--format", "csv", "--out", "{}/x.csv"],
        ["export", "--what", "matrix", "--format", "xlsx", "--out", "{}/m.xlsx"],
        ["report", "--out", "{}"],
    ],
)
def test_an_output_folder_made_is_said(index: Path, tmp_path: Path, args: list[str]) -> None:
    # review30: `export --out /nonexistent/dir/x.xlsx` made the folders without a word.
    folder = tmp_path / "new" / "dir"
    typed = [arg.format(folder) for arg in args]
    first = cli(*typed, "--index", index)
    assert first.exit_code == 0, first.output
    assert f"(made the folders {tmp_path / 'new'}, {folder})" in first.output
    again = cli(*typed, "--index", index)
    assert again.exit_code == 0 and "made the folder" not in again.output


def test_show_brief_gives_the_states_words_on_a_noted_ask(tmp_path: Path) -> None:
    # review30: the 28 of Iran 2010's para 92 that Iran "considers to be inconsistent with the
    # Institution-Building text and/or not internationally recognized human rights" read only
    # "noted; the State comments in para 92" in `show --brief`; the index keeps the words.
    index = ingested(("iran2010_notes.pdf",), tmp_path / "index.sqlite")
    shown = CliRunner().invoke(main, ["show", "A/HRC/14/12#92.2", "--brief", "--index", str(index)])
    assert shown.exit_code == 0, shown.output
    text = " ".join(shown.stdout.split())
    assert "the State's words (A/HRC/14/12, p. 3): The recommendations below" in text
    assert "Iran considers to be inconsistent with the Institution-Building text" in text
    # 92.1 is not among the 28: no comment of the State's on it.
    other = CliRunner().invoke(main, ["show", "A/HRC/14/12#92.1", "--brief", "--index", str(index)])
    assert "the State's words" not in other.stdout
