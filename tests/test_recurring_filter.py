"""`--recurring` (#19 part 4): the asks a State was asked in two reviews, either end (the later
ask with the earlier one and the State's response then, the earlier ask with the later asks that
repeat it), in `recs`, `export`, the Python API and `clusters`."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from uprdex import Index
from uprdex.flows.cli import main

from helpers import ingested


@pytest.fixture(scope="module")
def two_reviews(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Slovenia 2010 and 2014 (excerpts of the real reports): 2014 asks again to ratify the
    ICRMW and the CED."""
    names = ("slovenia2010_recs.pdf", "slovenia2014_recs.pdf")
    return ingested(names, tmp_path_factory.mktemp("recurring") / "index.sqlite")


def _later_ids(index: Path) -> set[str]:
    with sqlite3.connect(index) as db:
        return {row[0] for row in db.execute("SELECT later_id FROM recurrences")}


def _recurring_ids(index: Path) -> set[str]:
    """Both ends of every stored recurrence: the later asks and the earlier ones they repeat."""
    with sqlite3.connect(index) as db:
        return {
            row[0]
            for row in db.execute(
                "SELECT later_id FROM recurrences UNION SELECT earlier_id FROM recurrences"
            )
        }


def test_recs_lists_only_the_asks_made_again(two_reviews: Path) -> None:
    later = _later_ids(two_reviews)
    assert later, "the fixtures hold asks made again"
    runner = CliRunner()
    options = ["--index", str(two_reviews), "--json"]
    every = runner.invoke(main, ["recs", *options]).output.splitlines()
    listed = runner.invoke(main, ["recs", *options, "--recurring"])
    rows = [json.loads(line) for line in listed.output.splitlines()]
    assert {row["id"] for row in rows} == _recurring_ids(two_reviews)
    assert len(rows) < len(every)
    assert all(row["repeats"] if row["cycle"] == 2 else row["repeated_by"] for row in rows)
    assert "A/HRC/14/15#111.1" in {ask["id"] for row in rows for ask in row["repeats"]}


def test_recurring_on_the_earlier_review_lists_the_asks_asked_again_later(
    two_reviews: Path,
) -> None:
    # review6 M3: `recs --cycle 1 --recurring` listed nothing and said to "index an earlier and
    # a later review", though both were indexed and 2014 asks 2010's 111.1 again: a researcher
    # who starts on the old review wants the asks that came back.
    options = ["--index", str(two_reviews), "--state", "Slovenia", "--cycle", "1", "--recurring"]
    listed = CliRunner().invoke(main, ["recs", *options, "--json"])
    rows = [json.loads(line) for line in listed.output.splitlines()]
    assert "A/HRC/14/15#111.1" in {row["id"] for row in rows}
    assert all(row["cycle"] == 1 and row["repeated_by"] for row in rows)
    shown = CliRunner().invoke(main, ["recs", *options])
    assert "index an earlier and a later review" not in shown.output
    assert f"{len(rows)} recommendations" in shown.output


def test_the_table_shows_the_earlier_ask_and_its_response(two_reviews: Path) -> None:
    result = CliRunner(env={"COLUMNS": "250"}).invoke(
        main, ["recs", "--index", str(two_reviews), "--recurring", "--state", "Slovenia"]
    )
    assert result.exit_code == 0, result.output
    assert "asked before (response then)" in result.output
    assert "A/HRC/14/15#111.1 (" in result.output
    assert f"{len(_recurring_ids(two_reviews))} recommendations" in result.output


def test_export_takes_the_filter(two_reviews: Path) -> None:
    rows = _exported(two_reviews, "recommendations", "--recurring")
    assert {row["id"] for row in rows} == _recurring_ids(two_reviews)


def test_clusters_keeps_the_clusters_asked_again_with_their_earlier_asks(
    two_reviews: Path,
) -> None:
    every = _exported(two_reviews, "clusters")
    chosen = _exported(two_reviews, "clusters", "--recurring")
    assert chosen and len(chosen) < len(every)
    assert {c["cluster_id"] for c in chosen} == {c["cluster_id"] for c in every if c["recurring"]}
    assert all(len(c["members"]) == c["size"] for c in chosen)  # the earlier asks too
    options = ["--index", str(two_reviews), "--recurring", "--limit", "0"]
    listed = CliRunner().invoke(main, ["clusters", *options])
    assert listed.exit_code == 0, listed.output
    assert "A/HRC/14/15#111.1" in listed.output  # the 2010 ask the 2014 asks repeat
    heads = [line for line in listed.output.splitlines() if line.startswith("c-")]
    assert heads and all("[asked again in a later cycle]" in line for line in heads)


def test_nothing_asked_again_says_why(tmp_path: Path) -> None:
    one = ingested(("slovenia2014_recs.pdf",), tmp_path / "index.sqlite")
    result = CliRunner().invoke(main, ["recs", "--index", str(one), "--recurring"])
    assert result.exit_code == 0
    assert "no ask here repeats an ask of an earlier review" in result.output
    assert "With one review of a State indexed there is none" in result.output


def test_the_python_api_takes_the_filter(two_reviews: Path) -> None:
    with Index(two_reviews) as index:
        rows = index.recommendations(state_under_review="Slovenia", recurring=True)
    assert {row["id"] for row in rows} == _recurring_ids(two_reviews)


def _exported(index: Path, what: str, *options: str) -> list[dict[str, Any]]:
    """The records `uprdex export --what WHAT --format jsonl OPTIONS` writes."""
    arguments = ["export", "--what", what, "--format", "jsonl", "--index", str(index), *options]
    result = CliRunner().invoke(main, arguments)
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.output.splitlines()]
