"""The lists `uprdex browse` shows and facets (recommending States, regional groups, themes),
stored in `recommendation_lists` (schema 8) and kept in step with the rows they come from, in
the transaction that writes those rows. Computed by the views, Datasette's array facets
computed them again for every item of every row, and on 29,527 recommendations the
Recommendations page took 5 s and lost its themes facet (bench/bench_browse.py times it)."""

from __future__ import annotations

import csv
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from uprdex.flows.cli import main
from uprdex.flows.ingest import import_file, ingest_paths
from uprdex.pipeline.resources import data_path
from uprdex.pipeline.settings import LoaderSettings
from uprdex.pipeline.store import SCHEMA_VERSION, Store
from uprdex.pipeline.views import drop_views

from helpers import fixture

ONE_WORKER = LoaderSettings(workers=1)
UPR_INFO = fixture("upr_info_slovenia_s20.csv")

# The lists as the views computed them before schema 8 (data/schema.yaml's meaning of each),
# with 1cbeb1d's chosen_themes inlined (so that the oracle does not move with views.py), but
# for two changes since: a themes cell that is not JSON holds no themes, and a keyword theme
# shown beside the classifier's (method 'beside', data/themes.yaml beside_model) is chosen with it.
COMPUTED = """
WITH chosen_themes AS (
    SELECT l.recommendation_id, j.value AS theme, 'upr-info' AS method, NULL AS score
    FROM import_links l JOIN imports i USING (import_id),
        json_each(CASE WHEN json_valid(i.themes) THEN i.themes ELSE '[]' END) j
    WHERE i.source = 'upr-info'
    UNION
    SELECT recommendation_id, theme, method, score FROM recommendation_themes t
    WHERE (method IN ('model', 'beside')
           OR (method = 'keywords' AND NOT EXISTS (
                SELECT 1 FROM recommendation_themes m
                WHERE m.recommendation_id = t.recommendation_id AND m.method = 'model')))
      AND NOT EXISTS (
        SELECT 1 FROM import_links l JOIN imports i USING (import_id)
        WHERE l.recommendation_id = t.recommendation_id AND i.source = 'upr-info'
          AND json_valid(i.themes) AND i.themes != '[]'))
SELECT r.id,
    (SELECT json_group_array(name) FROM (SELECT name FROM recommendation_states
        WHERE recommendation_id = r.id ORDER BY position)),
    (SELECT json_group_array(DISTINCT s.regional_group) FROM recommendation_states rs
        JOIN states s ON s.iso3 = rs.iso3
        WHERE rs.recommendation_id = r.id AND s.regional_group IS NOT NULL),
    (SELECT json_group_array(theme) FROM (SELECT DISTINCT theme FROM chosen_themes
        WHERE recommendation_id = r.id ORDER BY coalesce(score, 0) DESC, theme))
FROM recommendations r
"""
SHOWN = "SELECT id, recommending_states, regional_groups, themes FROM recommendation_details"
STORED = (
    "SELECT recommendation_id, recommending_states, regional_groups, themes "
    "FROM recommendation_lists"
)

Lists = dict[str, tuple[str, str, str]]


def _read(index: Path, sql: str) -> Lists:
    db = sqlite3.connect(index)
    try:
        return {row[0]: tuple(row[1:]) for row in db.execute(sql)}
    finally:
        db.close()


def _in_step(index: Path) -> Lists:
    """The lists the views show, once checked to be the stored ones and what the rows say."""
    computed = _read(index, COMPUTED)
    assert _read(index, STORED) == computed
    assert _read(index, SHOWN) == computed
    return computed


def _as_schema_7_left_it(index: Path) -> None:
    """The index as the release before schema 8 wrote it: no stored lists, no triggers, no
    index of the asks by State code, and none of schema 8's views (they read the lists)."""
    db = sqlite3.connect(index, isolation_level=None)
    triggers = db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall()
    for (trigger,) in triggers:
        if "_lists_" in trigger:
            db.execute(f"DROP TRIGGER {trigger}")
    drop_views(db)
    db.execute("DROP TABLE recommendation_lists")
    db.execute("DROP INDEX recommendation_states_iso3")
    db.execute("UPDATE meta SET value = '7' WHERE key = 'schema_version'")
    db.execute("DELETE FROM meta WHERE key = 'views_sha256'")
    db.close()


def test_the_stored_lists_follow_every_write_of_the_rows_they_come_from(tmp_path: Path) -> None:
    index = tmp_path / "index.sqlite"
    with Store(index) as store:
        ingest_paths([fixture("slovenia2014_recs.pdf")], store, ONE_WORKER)
    read = _in_step(index)
    assert len(read) == 30 and all(states != "[]" for states, _, _ in read.values())
    export = tmp_path / "upr_info.csv"
    shutil.copy(UPR_INFO, export)
    with Store(index) as store:  # UPR Info's issues become the themes of the asks they match
        import_file(export, "upr-info", store)
    imported = _in_step(index)
    assert sum(imported[rec][2] != read[rec][2] for rec in read) > 5
    lines = export.read_text(encoding="utf-8").splitlines(keepends=True)
    export.write_text("".join(lines[:1] + lines[1::2]), encoding="utf-8")  # half its rows
    with Store(index) as store:
        ingest_paths([fixture("svn2014_addendum.pdf")], store, ONE_WORKER)
        import_file(export, "upr-info", store)  # a new version: its rows replaced
    reimported = _in_step(index)
    assert sum(reimported[rec][2] != imported[rec][2] for rec in read) > 2
    with Store(index) as store, store.transaction() as db:  # a release's new States table
        db.execute(
            "UPDATE states SET regional_group = 'Test group' "
            "WHERE name = (SELECT min(name) FROM recommendation_states)"
        )
    regrouped = _in_step(index)
    assert any("Test group" in groups for _, groups, _ in regrouped.values())
    with Store(index) as store, store.transaction() as db:  # a State's code changes
        db.execute(
            "UPDATE states SET iso3 = 'ZZZ' "
            "WHERE name = (SELECT min(name) FROM recommendation_states)"
        )
    recoded = _in_step(index)
    assert not any("Test group" in groups for _, groups, _ in recoded.values())
    with Store(index) as store, store.transaction() as db:
        db.execute("DELETE FROM documents WHERE type = 'wg_report'")
    _in_step(index)
    assert len(_read(index, STORED)) == len(_read(index, "SELECT id FROM recommendations"))


def test_a_release_that_moves_a_state_to_another_group_regroups_its_asks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # sync_states's path (DELETE, then INSERT OR REPLACE), not an UPDATE.
    index = tmp_path / "index.sqlite"
    with Store(index) as store:
        ingest_paths([fixture("slovenia2014_recs.pdf")], store, ONE_WORKER)
    shipped = data_path("states.csv")
    with shipped.open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    for row in rows:
        if row["name"] == "France":
            row["regional_group"] = "Test group"
    edited = tmp_path / "states.csv"
    with edited.open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    monkeypatch.setattr(
        "uprdex.pipeline.views.data_path", lambda name: edited if name == "states.csv" else None
    )
    with Store(index):  # the new States table is synced on open
        pass
    lists = _in_step(index)
    assert any("Test group" in groups for states, groups, _ in lists.values() if "France" in states)


def test_a_change_another_program_makes_shows_at_once(tmp_path: Path) -> None:
    index = tmp_path / "index.sqlite"
    with Store(index) as store:
        ingest_paths([fixture("slovenia2014_recs.pdf")], store, ONE_WORKER)
    db = sqlite3.connect(index)  # DB Browser, say: no uprdex to compute the lists
    rec, themes = db.execute(
        "SELECT id, themes FROM recommendation_details WHERE themes != '[]' LIMIT 1"
    ).fetchone()
    db.execute("DELETE FROM recommendation_themes WHERE recommendation_id = ?", (rec,))
    db.commit()
    db.close()
    assert _read(index, SHOWN)[rec][2] == _read(index, COMPUTED)[rec][2] != themes
    with Store(index) as store, store.transaction() as db:  # uprdex's next write stores them
        db.execute("UPDATE meta SET value = value WHERE key = 'schema_version'")
    _in_step(index)


def test_an_index_the_previous_release_wrote_opens_with_its_lists_stored(tmp_path: Path) -> None:
    index = tmp_path / "index.sqlite"
    with Store(index) as store:
        ingest_paths([fixture("slovenia2014_recs.pdf")], store, ONE_WORKER)
        import_file(UPR_INFO, "upr-info", store)
    _as_schema_7_left_it(index)
    result = CliRunner().invoke(main, ["status", "--index", str(index)])
    assert result.exit_code == 0, result.output
    lists = _in_step(index)
    assert len(lists) >= 30 and all(None not in row for row in lists.values())
    db = sqlite3.connect(index)
    assert db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == (
        str(SCHEMA_VERSION),
    )
    db.close()


def test_browse_brings_an_index_the_previous_release_wrote_up_to_date(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("datasette", reason="the browse extra (datasette) is not installed")
    index = tmp_path / "index.sqlite"
    with Store(index) as store:
        ingest_paths([fixture("slovenia2014_recs.pdf")], store, ONE_WORKER)
    _as_schema_7_left_it(index)
    served: list[Path] = []
    monkeypatch.setattr("uprdex.pipeline.browse.serve", lambda path, port: served.append(path))
    result = CliRunner().invoke(main, ["browse", "--index", str(index)])
    assert result.exit_code == 0, result.output
    assert served == [index.resolve()]
    assert len(_in_step(index)) == 30  # the facets read the stored lists


def test_tied_themes_are_listed_alike_by_the_exports_and_the_read_api(tmp_path: Path) -> None:
    # Slovenia 2019's 122.2 has three classifier themes at 1.0, and 2010's 111.32 two UPR Info
    # rows: `uprdex browse` listed their themes by name, the exports (and so the report, `show`
    # and `recs`) in stored order ("Migrants", "Labour", "International instruments"). One
    # rule everywhere: best score first, ties and unscored themes by name.
    import json

    from uprdex.pipeline.exports import records

    index = tmp_path / "index.sqlite"
    export = tmp_path / "upr_info.csv"
    shutil.copy(UPR_INFO, export)
    with Store(index) as store:
        ingest_paths([fixture("slovenia2014_recs.pdf")], store, ONE_WORKER)
        import_file(export, "upr-info", store)
        with store.transaction() as db:  # a tie, stored against the order of the names
            rec = db.execute(
                "SELECT id FROM recommendations "
                "WHERE id NOT IN (SELECT recommendation_id FROM import_links) LIMIT 1"
            ).fetchone()[0]
            hits = ["Migrants", "Labour", "International instruments"]
            db.execute("DELETE FROM recommendation_themes WHERE recommendation_id = ?", (rec,))
            db.executemany(
                "INSERT INTO recommendation_themes VALUES (?, ?, '[]', 'model', 1.0)",
                [(rec, theme) for theme in hits],
            )
        exported = {row["id"]: row["themes"] for row in records(store, "recommendations")}
    shown = {rec_id: json.loads(row[2]) for rec_id, row in _in_step(index).items()}
    assert exported[rec] == sorted(hits)
    assert sum(len(themes) > 1 for themes in exported.values()) > 10
    assert exported == shown
