"""`--recurring` (#19 part 4): the asks a State was asked again, with the earlier ask and the
State's response then, in `recs`, `export` and `clusters`."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

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


def test_recs_lists_only_the_asks_made_again(two_reviews: Path) -> None:
    later = _later_ids(two_reviews)
    assert later, "the fixtures hold asks made again"
    runner = CliRunner()
    options = ["--index", str(two_reviews), "--json"]
    every = runner.invoke(main, ["recs", *options]).output.splitlines()
    listed = runner.invoke(main, ["recs", *options, "--recurring"])
    rows = [json.loads(line) for line in listed.output.splitlines()]
    assert {row["id"] for row in rows} == later
    assert len(rows) < len(every)
    assert all(row["cycle"] == 2 and row["repeats"] for row in rows)
    assert "A/HRC/14/15#111.1" in {ask["id"] for row in rows for ask in row["repeats"]}


def test_the_table_shows_the_earlier_ask_and_its_response(two_reviews: Path) -> None:
    result = CliRunner(env={"COLUMNS": "250"}).invoke(
        main, ["recs", "--index", str(two_reviews), "--recurring", "--state", "Slovenia"]
    )
    assert result.exit_code == 0, result.output
    assert "asked before (response then)" in result.output
    assert "A/HRC/14/15#111.1 (" in result.output
    assert f"{len(_later_ids(two_reviews))} recommendations" in result.output


def test_export_and_clusters_take_the_filter(two_reviews: Path) -> None:
    runner = CliRunner()
    options = ["--index", str(two_reviews), "--recurring"]
    exported = runner.invoke(
        main, ["export", "--what", "recommendations", "--format", "csv", *options]
    )
    rows = list(csv.DictReader(io.StringIO(exported.output)))
    assert {row["id"] for row in rows} == _later_ids(two_reviews)
    listed = runner.invoke(main, ["clusters", *options, "--limit", "0"])
    assert listed.exit_code == 0 and "[asked again in a later cycle]" in listed.output
    assert "A/HRC/14/15#" not in listed.output  # the members shown are the asks made again
