"""Asked again later (probe2): an ask a later review repeats names the later asks, with the
State's response to them, where a researcher starts ("was this implemented?"): the exports,
`uprdex show`, `uprdex recs --recurring` and the HTML report. Both directions are read from
the same `recurrences` rows, so they always agree."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from uprdex.flows.cli import main
from uprdex.pipeline.report import write_report
from uprdex.pipeline.store import Store

from helpers import SHARED

# Slovenia 2010, 111.73 (Australia): "To continue to improve the living conditions of the Roma
# population"; asked again as 115.72 (2014) and 122.141 (2019).
LIVING_CONDITIONS = "A/HRC/14/15#111.73"


@pytest.fixture(scope="module")
def slovenia_set(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real Slovenia set of the shared corpus (three cycles: reports, addenda, national
    reports, compilations, summaries), ingested once."""
    if not SHARED.exists():
        pytest.skip(f"shared corpus not found at {SHARED}: corpus tests skipped")
    index = tmp_path_factory.mktemp("slovenia") / "index.sqlite"
    arguments = ["ingest", str(SHARED / "slovenia"), "--index", str(index), "--workers", "1"]
    result = CliRunner().invoke(main, arguments)
    assert result.exit_code == 0, result.output
    return index


def _run(*arguments: str, columns: int = 200) -> str:
    result = CliRunner(env={"COLUMNS": str(columns)}).invoke(main, list(arguments))
    assert result.exit_code == 0, result.output
    return result.output


def _records(index: Path) -> dict[str, dict[str, Any]]:
    output = _run("export", "--what", "recommendations", "--format", "jsonl", "--index", str(index))
    return {row["id"]: row for row in map(json.loads, output.splitlines())}


def test_repeats_and_repeated_by_agree_on_the_real_slovenia_set(
    shared_data: Path, slovenia_set: Path
) -> None:
    recs = _records(slovenia_set)
    forward = {(rec, ask["id"], ask["score"]) for rec in recs for ask in recs[rec]["repeats"]}
    backward = {(ask["id"], rec, ask["score"]) for rec in recs for ask in recs[rec]["repeated_by"]}
    with sqlite3.connect(slovenia_set) as db:
        stored = set(db.execute("SELECT later_id, earlier_id, score FROM recurrences"))
    assert forward and forward == backward == stored
    # Each side names the other's review and the State's response to it.
    for rec in recs.values():
        for later in rec["repeated_by"]:
            assert later["cycle"] > rec["cycle"]
            assert (later["year"], later["response"]) == (
                recs[later["id"]]["year"],
                recs[later["id"]]["response"],
            )
    assert not any(rec["repeated_by"] for rec in recs.values() if rec["cycle"] == 3)
    later = [ask["id"] for ask in recs[LIVING_CONDITIONS]["repeated_by"]]
    assert {"A/HRC/28/15#115.72", "A/HRC/43/15#122.141"} <= set(later)
    years = [ask["year"] for ask in recs[LIVING_CONDITIONS]["repeated_by"]]
    assert years == sorted(years)  # the earliest review first


def test_show_recs_and_the_csv_give_the_later_asks(shared_data: Path, slovenia_set: Path) -> None:
    shown = json.loads(_run("show", LIVING_CONDITIONS, "--index", str(slovenia_set)))
    assert "A/HRC/43/15#122.141" in [ask["id"] for ask in shown["repeated_by"]]
    # 2014's 115.72 repeats 111.73 and is asked again in 2019: both show in `recs --recurring`.
    table = _run(
        "recs", "--index", str(slovenia_set), "--recurring", "--search", "Roma running water"
    )
    row = table[table.index("A/HRC/28/15#115.72") :]
    assert "A/HRC/14/15#111.73 (supported)" in row
    # Each label is printed once, its asks a line each under it (review7: tie them together).
    lines = [line.strip() for line in row.splitlines()]
    later = lines.index("asked again later:")
    assert "A/HRC/43/15#122.141 (supported)" in lines[later + 1 : later + 4]
    assert "asked before (response then):" not in lines[later + 1 : later + 4]
    narrow = _run(
        "recs", "--index", str(slovenia_set), "--recurring", "--search", "Roma", columns=80
    )
    assert "…" not in narrow  # the 80-column table still cuts nothing, and fits
    assert max(len(line) for line in narrow.splitlines()) <= 80
    exported = _run(
        "export", "--what", "recommendations", "--format", "csv", "--index", str(slovenia_set)
    )
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(exported))}
    later = json.loads(rows[LIVING_CONDITIONS]["repeated_by"])
    assert "A/HRC/28/15#115.72" in [ask["id"] for ask in later]


def test_the_report_says_an_ask_was_asked_again_later(
    shared_data: Path, slovenia_set: Path, tmp_path: Path
) -> None:
    with Store(slovenia_set) as store:
        page = write_report(store, tmp_path, "Slovenia").read_text(encoding="utf-8")
    block = page.split('id="rec-A-HRC-14-15-111.73"', 1)[1].split("</article>", 1)[0]
    assert "Asked again later" in block
    assert "A/HRC/43/15#122.141 (cycle 3, 2019, " in block
    assert "Further improve living conditions of the Roma population" in block


def test_recs_recurring_in_a_narrow_terminal_folds_no_id(
    shared_data: Path, slovenia_set: Path
) -> None:
    # review6: at 60 columns "A/HRC/14/15#111.73 (supported)" folded to "A/HRC/14/15#111.7" /
    # "3 (supported)", whose first line names another ask (80 of 161 ids on the Slovenia set).
    # One cycle at a time: --recurring lists both ends, so over all cycles each other ask is
    # also a row of its own, whose id the first column prints whole anyway.
    for cycle in ("1", "3"):
        arguments = ["recs", "--index", str(slovenia_set), "--state", "Slovenia", "--recurring"]
        arguments += ["--cycle", cycle]
        rows = [json.loads(line) for line in _run(*arguments, "--json").splitlines()]
        ids = {ask["id"] for row in rows for ask in row["repeats"] + row["repeated_by"]}
        assert ids and not ids & {row["id"] for row in rows}
        for columns in (80, 60, 50, 40):  # review7: from 51 columns down ids were cut again
            table = _run(*arguments, columns=columns)
            assert max(len(line) for line in table.splitlines()) <= columns
            assert sorted(ask for ask in ids if ask not in table) == [], (cycle, columns)


def test_later_asks_scored_alike_are_listed_in_paragraph_order_not_as_text(
    tmp_path: Path,
) -> None:
    # newcomer: on the demo's samples `uprdex recs --recurring` and `show --brief` listed the
    # 2014 asks that repeat 2010's 111.1 (ratify the ICRMW, all scored 100) as 115.10, 115.11,
    # 115.13, 115.6, 115.7, ...: their ids compared as text.
    samples = Path(__file__).resolve().parents[1] / "data" / "samples"
    index = tmp_path / "index.sqlite"
    names = ("slovenia2010_A-HRC-14-15.pdf", "slovenia2014_A-HRC-28-15.pdf")
    _run("ingest", *(str(samples / name) for name in names), "--index", str(index))
    later = _records(index)["A/HRC/14/15#111.1"]["repeated_by"]
    tied = [ask["paragraph"] for ask in later if ask["score"] == later[0]["score"]]
    assert {"115.6", "115.10"} <= set(tied)
    assert tied == sorted(tied, key=lambda paragraph: tuple(map(int, paragraph.split("."))))
    shown = _run("show", "A/HRC/14/15#111.1", "--brief", "--index", str(index))
    assert shown.index("A/HRC/28/15#115.6 ") < shown.index("A/HRC/28/15#115.10 ")
