"""A word printed with a hyphen inside it is found by the word typed joined, hyphenated or
spaced: `search cooperation` missed every ask that prints "co-operation", `search
nongovernmental` every "non-governmental" (full-text search reads "co" "operation"; review34
finding 3 added an alias for "extra-judicial" alone). The index's folded columns drop hyphens
as they drop apostrophes, and a typed word with a hyphen is searched as typed OR joined
(pipeline/store/folding.py, schema 18)."""

from __future__ import annotations

import json
import re
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from uprdex.pipeline.store import SCHEMA_VERSION
from uprdex.pipeline.store.folding import APOSTROPHES, folded_sql, fts_phrase

from helpers import cli, copy_index, ingested

# A/HRC/14/12 (tests/fixtures/iran2010_recs.pdf): 90.59 "Strengthen cooperation with
# non-governmental organizations, ... (Japan)"; 90.60 "Step up efforts to enhance the
# participation of women in all spheres of socio-economic life, ... (Lebanon)".
NGO_ASK = "A/HRC/14/12#90.59"
SOCIO_ASK = "A/HRC/14/12#90.60"


@pytest.fixture(scope="module")
def iran_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return ingested(
        ("iran2010_recs.pdf", "iran2010_notes.pdf"), tmp_path_factory.mktemp("hyphens") / "i.sqlite"
    )


def _hits(index: Path, *args: str) -> dict[str, dict[str, object]]:
    result = cli("search", *args, "--json", "--limit", "0", "--index", index)
    assert result.exit_code == 0, result.output
    hits = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]
    return {str(hit["id"]): hit for hit in hits}


@pytest.mark.parametrize(
    ("spellings", "ask"),
    [
        (("nongovernmental", "non-governmental", "non governmental"), NGO_ASK),
        (("nongovernmental organizations", "non-governmental organizations"), NGO_ASK),
        (("socioeconomic", "socio-economic", "socio economic life"), SOCIO_ASK),
    ],
)
def test_a_hyphenated_word_is_found_joined_hyphenated_or_spaced(
    iran_index: Path, spellings: tuple[str, ...], ask: str
) -> None:
    found = [set(_hits(iran_index, words)) for words in spellings]
    assert ask in found[0]
    assert all(each == found[0] for each in found), dict(zip(spellings, found, strict=True))


def test_the_snippet_marks_the_word_as_printed_with_its_hyphen(iran_index: Path) -> None:
    hit = _hits(iran_index, "nongovernmental")[NGO_ASK]
    assert hit["matched"] == ["non-governmental"]
    assert "with non-governmental organizations" in str(hit["snippet"])


def test_a_hyphenated_query_also_finds_the_word_printed_joined() -> None:
    assert fts_phrase("co-operation") == '("co-operation" OR "cooperation")'
    assert fts_phrase("Baha'i") == '("Baha\'i" OR "Bahai")'  # apostrophes as before
    assert fts_phrase("cooperation") == '"cooperation"'


def test_recs_and_the_part_a_state_asked_fold_hyphens_the_same(iran_index: Path) -> None:
    from uprdex.pipeline.model import AskPart
    from uprdex.pipeline.store.queries import matching_parts

    result = cli("recs", "--search", "nongovernmental", "--json", "--index", iran_index)
    assert result.exit_code == 0, result.output
    assert NGO_ASK in result.output, result.output[-400:]
    # a compound item: the part that prints "non-governmental" holds the word typed joined
    parts = (
        AskPart("Release all political prisoners", ("Germany",)),
        AskPart("facilitate the registration of non-governmental organizations", ("Poland",)),
    )
    assert matching_parts(parts, "nongovernmental") == (parts[1],)


def test_what_another_program_writes_is_folded_by_the_triggers(
    iran_index: Path, tmp_path: Path
) -> None:
    index = copy_index(iran_index, tmp_path / "written.sqlite")
    with closing(sqlite3.connect(index)) as db, db:
        (rec_id,) = db.execute("SELECT id FROM recommendations ORDER BY rowid LIMIT 1").fetchone()
        db.execute(
            "UPDATE recommendations SET text = text || ' through re-examination' WHERE id = ?",
            (rec_id,),
        )
    result = cli("search", "reexamination", "--json", "--limit", "0", "--index", index)
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["id"] for line in result.output.splitlines()] == [rec_id]


def _as_schema_17(index: Path) -> None:
    """The index as the release before this one (schema 17) left it: its folded columns drop
    apostrophes only."""
    db = sqlite3.connect(index, isolation_level=None)
    triggers = db.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN "
        "('recommendations', 'evidence')"
    ).fetchall()
    for name, _ in triggers:
        db.execute(f"DROP TRIGGER {name}")
    notes = "(SELECT group_concat(json_extract(value, '$.text'), ' ') FROM json_each({}.footnotes))"
    stored = notes.format("recommendations")
    db.execute("DELETE FROM recommendations_fts")
    db.execute(
        "INSERT INTO recommendations_fts(rowid, text, folded_text, notes, folded_notes) "
        f"SELECT rowid, text, {folded_sql('text', APOSTROPHES)}, {stored}, "
        f"{folded_sql(stored, APOSTROPHES)} FROM recommendations"
    )
    db.execute("ALTER TABLE evidence DROP COLUMN folded_context")
    db.execute(
        "ALTER TABLE evidence ADD COLUMN folded_context TEXT "
        f"GENERATED ALWAYS AS ({folded_sql('context', APOSTROPHES)}) VIRTUAL"
    )
    db.execute("INSERT INTO evidence_fts(evidence_fts) VALUES ('rebuild')")
    for _, sql in triggers:
        for row in ("new.text", notes.format("new")):
            sql = sql.replace(folded_sql(row), folded_sql(row, APOSTROPHES))
        db.execute(sql)
    asked = db.execute("SELECT text, recommendation_id, name FROM recommendation_asked_fts")
    rows = asked.fetchall()
    db.execute("DELETE FROM recommendation_asked_fts")
    db.executemany(
        "INSERT INTO recommendation_asked_fts VALUES (?, ?, ?, ?)",
        [(text, re.sub(f"[{APOSTROPHES}]", "", text), rec, name) for text, rec, name in rows],
    )
    db.execute("UPDATE meta SET value = '17' WHERE key = 'schema_version'")
    db.close()


def test_an_index_of_schema_17_is_folded_again_when_opened(
    iran_index: Path, tmp_path: Path
) -> None:
    index = copy_index(iran_index, tmp_path / "schema17.sqlite")
    _as_schema_17(index)
    with closing(sqlite3.connect(index)) as db:  # schema 17's index: no "nongovernmental"
        match = "SELECT count(*) FROM recommendations_fts WHERE recommendations_fts MATCH ?"
        assert db.execute(match, ["nongovernmental"]).fetchone() == (0,)
        assert db.execute(match, ["Bahai"]).fetchone() != (0,)  # apostrophes folded
    assert NGO_ASK in _hits(index, "nongovernmental")
    assert _hits(index, "Bahai").keys() == _hits(iran_index, "Bahai").keys()
    with closing(sqlite3.connect(index)) as db:
        version = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        assert version == (str(SCHEMA_VERSION),)
        hyphenated = "SELECT count(*) FROM evidence WHERE {} GLOB '*-*'"
        assert db.execute(hyphenated.format("context")).fetchone()[0] > 0
        assert db.execute(hyphenated.format("folded_context")).fetchone() == (0,)
