"""A search finds an ask by the words of the footnotes its WG report prints on it: "The
recommendation as read in the interactive dialogue “...”" gives the ask's original wording,
which can say more than the printed ask. saudiarabia2013_asread.pdf (A/HRC/25/3 pp. 13-15,
test_footnotes_on_asks) has 8 asks with such notes: 138.5 prints "Accelerate its accession to
the ICCPR and ICESCR", its note 1 reads it as "... ICCPR, ICESCR, OP-CAT, and the Rome
Statute"; 138.6 prints "Consider ratifying OP-CAT" under the same note."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from uprdex.pipeline.store import SCHEMA_VERSION
from uprdex.pipeline.store.folding import fold_index

from helpers import cli, ingested

AS_READ_ASKS = {f"A/HRC/25/3#138.{n}" for n in ("5", "6", "12", "17", "18", "19", "21", "26")}


def _found(index: Path, words: str) -> dict[str, str]:
    """id -> found_in of what `uprdex search WORDS --json` finds."""
    out = cli("search", words, "--json", "--limit", "0", "--index", index).output
    return {hit["id"]: hit["found_in"] for hit in map(json.loads, out.splitlines())}


def _recs(index: Path, words: str) -> set[str]:
    """The ids `uprdex recs --search WORDS --json` lists."""
    out = cli("recs", "--search", words, "--json", "--index", index).output
    return {json.loads(line)["id"] for line in out.splitlines()}


def test_a_search_for_words_only_in_a_footnote_finds_its_ask(tmp_path: Path) -> None:
    index = ingested(("saudiarabia2013_asread.pdf",), tmp_path / "index.sqlite")
    # Words every "as read" note holds and no printed ask: the 8 asks, each found in its note.
    assert _found(index, "interactive dialogue") == dict.fromkeys(AS_READ_ASKS, "footnote")
    assert _recs(index, "interactive dialogue") == AS_READ_ASKS
    # 138.5's "accelerate" is printed, "Rome Statute" only in its note: the words are found in
    # the ask with its notes. 138.21 prints "Rome Statute" but nowhere "accelerate".
    found = _found(index, "accelerate Rome Statute")
    assert found == {"A/HRC/25/3#138.5": "footnote", "A/HRC/25/3#138.6": "footnote"}
    # The line shows the note's words (138.5's printed text has no OP-CAT), the words marked.
    out = cli("search", "accelerate Rome Statute", "--json", "--index", index).output
    hit = json.loads(out.splitlines()[0])
    assert "OP-CAT" in hit["snippet"]
    assert {"Accelerate", "Rome"} <= set(hit["matched"])
    shown = cli("search", "accelerate Rome Statute", "--index", index).output
    assert "  footnote: …Accelerate its accession to the ICCPR, ICESCR, OP-CAT" in shown
    # Words the printed ask holds are found there, as before.
    assert _found(index, "consider ratifying OP-CAT") == {"A/HRC/25/3#138.6": "recommendation"}


def test_an_index_written_before_footnotes_were_searched_migrates(tmp_path: Path) -> None:
    # An index of schema 15 searched the asks' text only (and its apostrophes folded); opened
    # again, its full-text table is made anew from every row, notes with their asks.
    index = ingested(("saudiarabia2013_asread.pdf",), tmp_path / "index.sqlite")
    db = sqlite3.connect(index)
    with db:
        fold_index(db)  # schema 15's full-text tables and triggers
        db.execute("UPDATE meta SET value = '15' WHERE key = 'schema_version'")
    db.close()
    assert _found(index, "interactive dialogue") == dict.fromkeys(AS_READ_ASKS, "footnote")
    db = sqlite3.connect(index)
    (version,) = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    total, indexed = db.execute(
        "SELECT (SELECT count(*) FROM recommendations), (SELECT count(*) FROM recommendations_fts)"
    ).fetchone()
    db.close()
    assert (version, indexed) == (str(SCHEMA_VERSION), total)


def test_browse_finds_an_ask_by_its_footnote(tmp_path: Path) -> None:
    # Datasette's search box on the recommendations (recommendations_fts) reads the notes too;
    # the row shows them (`footnotes`).
    pytest.importorskip("datasette", reason="the browse extra (datasette) is not installed")
    from uprdex.pipeline.browse import build_datasette

    index = ingested(("saudiarabia2013_asread.pdf",), tmp_path / "index.sqlite")

    async def fetch() -> dict[str, Any]:
        datasette = build_datasette(index)
        await datasette.invoke_startup()
        query = urlencode({"_search": "interactive dialogue", "_shape": "objects"})
        response = await datasette.client.get(f"/index/recommendation_details.json?{query}")
        assert response.status_code == 200, response.text[:2000]
        return dict(response.json())

    rows = asyncio.run(fetch())["rows"]
    assert {row["id"] for row in rows} == AS_READ_ASKS
    assert all("interactive dialogue" in row["footnotes"] for row in rows)


def test_a_compound_item_is_found_for_a_state_by_its_words_in_a_footnote(tmp_path: Path) -> None:
    # Norway 2010 (A/HRC/13/5 p. 14) prints 105.2 "... consider (New Zealand, Slovenia) signing
    # and ratifying (Chile,¹ China,² Mexico³), with priority,⁴ (Italy) the Convention on the
    # Rights of Persons with Disabilities ..."; note 2 gives China's ask as read: "live up to
    # the commitment and join the CRPD at an early date (China)". recs --recommending-state
    # China --search dropped the item: the words are in no part China asked for.
    index = ingested(("norway2010_crpd.pdf",), tmp_path / "index.sqlite")

    def listed(state: str, words: str) -> set[str]:
        args = ("recs", "--recommending-state", state, "--search", words, "--json")
        out = cli(*args, "--index", index).output
        return {json.loads(line)["id"] for line in out.splitlines()}

    assert listed("China", "early date") == {"A/HRC/13/5#105.2"}
    found = cli("search", "early date", "--recommending-state", "China", "--json", "--index", index)
    assert [json.loads(line)["id"] for line in found.output.splitlines()] == ["A/HRC/13/5#105.2"]
    # The note is China's (it names China): the item's other States did not say those words,
    # and Italy's own note 4 ("give priority to the ratification process") is Italy's.
    assert listed("Italy", "early date") == set()
    assert listed("Argentina", "early date") == set()
    assert listed("Italy", "give priority") == {"A/HRC/13/5#105.2"}
    assert listed("China", "give priority") == set()


@pytest.mark.parametrize("command", ["recs", "export", "clusters"])
def test_search_option_help_says_the_footnotes_are_searched_too(command: str) -> None:
    # --search of recs, export and clusters finds an ask by its footnotes' words (the 8 asks
    # above, by "interactive dialogue"), but its help said the words "must all appear in the
    # recommendation text": a researcher reading it took such a row for a wrong match.
    shown = " ".join(cli(command, "--help").output.split())
    said = shown[shown.index("--search TEXT") :]
    assert "recommendation text;" not in said
    assert "its footnotes" in said[:200], said[:200]
