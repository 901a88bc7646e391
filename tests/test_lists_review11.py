"""review11: the stored lists (schema 8) against writes the facets branch's tests do not make.
Each failed before its fix (see /work/notes/REPORT-review11.md and REPORT-fix11.md), but
test_an_imports_themes_change_another_program_makes_is_shown, which catches the removal of the
`imports` trigger."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_odd_input import _read_only
from test_store_lists import COMPUTED, SHOWN, _as_schema_7_left_it, _in_step, _read

from uprdex.flows.cli import main
from uprdex.flows.ingest import import_file, ingest_paths
from uprdex.pipeline.settings import LoaderSettings
from uprdex.pipeline.store import Store
from uprdex.pipeline.views import views_current

from helpers import fixture

ONE_WORKER = LoaderSettings(workers=1)
UPR_INFO = fixture("upr_info_slovenia_s20.csv")


def _index(tmp_path: Path, imported: bool = False) -> Path:
    index = tmp_path / "index.sqlite"
    with Store(index) as store:
        ingest_paths([fixture("slovenia2014_recs.pdf")], store, ONE_WORKER)
        if imported:
            import_file(UPR_INFO, "upr-info", store)
    return index


def _uprdex_writes(index: Path) -> None:
    with Store(index) as store, store.transaction() as db:
        db.execute("INSERT OR REPLACE INTO meta VALUES ('review11', '1')")


def _other_program(index: Path, *statements: tuple[str, tuple[object, ...]]) -> None:
    db = sqlite3.connect(index, isolation_level=None)  # DB Browser, the sqlite3 shell
    for sql, args in statements:
        db.execute(sql, args)
    db.close()


def test_a_themes_cell_typed_as_plain_text_does_not_stop_every_write(tmp_path: Path) -> None:
    # DB Browser: a researcher types an issue into imports.themes without the JSON brackets.
    # Before schema 8 only the pages that show that recommendation's themes failed; now
    # refresh_lists raises "malformed JSON" in every transaction (ingest, cluster link...).
    index = _index(tmp_path, imported=True)
    db = sqlite3.connect(index)
    (import_id,) = db.execute(
        "SELECT l.import_id FROM import_links l JOIN imports i USING (import_id) "
        "WHERE i.themes != '[]' LIMIT 1"
    ).fetchone()
    db.close()
    _other_program(
        index, ("UPDATE imports SET themes = 'Right to health' WHERE import_id = ?", (import_id,))
    )
    _uprdex_writes(index)  # raised sqlite3.OperationalError: malformed JSON
    _in_step(index)  # that cell holds no themes: the view and the stored list agree


def test_a_state_another_program_replaces_leaves_no_stale_regional_group(tmp_path: Path) -> None:
    # INSERT OR REPLACE deletes the old row without its DELETE trigger (recursive_triggers is
    # off), so the asks of the State's old code keep their stored regional group.
    index = _index(tmp_path)
    db = sqlite3.connect(index)
    name, kind, group = db.execute(
        "SELECT s.name, s.kind, s.regional_group FROM states s "
        "JOIN recommendation_states rs ON rs.iso3 = s.iso3 LIMIT 1"
    ).fetchone()
    db.close()
    _other_program(
        index, ("INSERT OR REPLACE INTO states VALUES (?, 'ZZZ', ?, ?)", (name, kind, group))
    )
    assert _read(index, SHOWN) == _read(index, COMPUTED)
    _uprdex_writes(index)
    _in_step(index)


def test_a_recommendation_whose_lists_row_is_gone_is_still_shown(tmp_path: Path) -> None:
    # The views inner-join recommendation_lists: a row deleted by another program (or never
    # made, a trigger lost in a table rebuild) hides the recommendation from both views for
    # good; uprdex's next write does not make the row again.
    index = _index(tmp_path)
    rec = next(iter(_read(index, COMPUTED)))
    _other_program(index, ("DELETE FROM recommendation_lists WHERE recommendation_id = ?", (rec,)))
    _uprdex_writes(index)
    assert rec in _read(index, SHOWN)


def test_an_imports_themes_change_another_program_makes_is_shown(tmp_path: Path) -> None:
    # Passes on be034dd; it fails when the trigger on `imports` is removed, which no test of
    # the facets branch notices.
    index = _index(tmp_path, imported=True)
    db = sqlite3.connect(index)
    (import_id,) = db.execute(
        "SELECT l.import_id FROM import_links l JOIN imports i USING (import_id) "
        "WHERE i.source = 'upr-info' AND i.themes != '[]' LIMIT 1"
    ).fetchone()
    db.close()
    _other_program(
        index, ("UPDATE imports SET themes = '[\"Zz review11\"]' WHERE import_id = ?", (import_id,))
    )
    assert _read(index, SHOWN) == _read(index, COMPUTED)
    _uprdex_writes(index)
    assert any("Zz review11" in themes for _, _, themes in _in_step(index).values())


def _triggers(index: Path) -> set[str]:
    db = sqlite3.connect(index)
    try:
        return {
            name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        }
    finally:
        db.close()


def test_a_list_trigger_another_program_dropped_is_made_again_and_its_lists_mended(
    tmp_path: Path,
) -> None:
    # DB Browser's "Modify table" rebuilds a table and drops its triggers; a write made
    # meanwhile leaves the lists stale, which the next uprdex open for writing mends.
    index = _index(tmp_path)
    made = _triggers(index)
    _other_program(
        index,
        ("DROP TRIGGER states_lists_update", ()),
        ("UPDATE states SET regional_group = 'Zz review11' WHERE regional_group IS NOT NULL", ()),
    )
    _uprdex_writes(index)
    assert _triggers(index) == made
    assert any("Zz review11" in groups for _, groups, _ in _in_step(index).values())


def test_browse_serves_an_index_being_written_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An index to bring up to date while another program holds the write lock: browse served
    # nothing until the writer ended (workspace.lock_timeout, 600 s), then exited 75.
    pytest.importorskip("datasette", reason="the browse extra (datasette) is not installed")
    index = _index(tmp_path)
    _as_schema_7_left_it(index)
    monkeypatch.setenv("UPRDEX_WORKSPACE_LOCK_TIMEOUT", "3")
    served: list[Path] = []
    monkeypatch.setattr("uprdex.pipeline.browse.serve", lambda path, port: served.append(path))
    holder = sqlite3.connect(index, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        result = CliRunner().invoke(main, ["browse", "--index", str(index)])
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.exit_code == 0, result.output
    assert "being written by another program (browse does not wait)" in result.output
    assert "its views are an older uprdex's (schema 7; " in result.output  # leftovers
    assert served == [index.resolve()]


def test_a_lists_row_of_no_recommendation_is_dropped_once(tmp_path: Path) -> None:
    # A recommendation another program deleted while its trigger was missing leaves its row:
    # the counts differ, and every open made the views and lists again (0.75 s on 29,527).
    index = _index(tmp_path)
    _other_program(
        index, ("INSERT INTO recommendation_lists VALUES ('gone#1', '[]', '[]', '[]')", ())
    )
    _uprdex_writes(index)
    db = sqlite3.connect(index)
    try:
        assert views_current(db)
    finally:
        db.close()
    _in_step(index)


def _views(index: Path) -> set[str]:
    db = sqlite3.connect(index)
    try:
        return {
            name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'view'")
        }
    finally:
        db.close()


def test_a_view_another_program_dropped_is_made_again_by_a_command(tmp_path: Path) -> None:
    # review12 finding 4: views_current checked the list triggers but not the views, so a
    # view dropped in DB Browser (recommendation_details, which `uprdex browse` opens on) was
    # never made again.
    index = _index(tmp_path)
    made = _views(index)
    assert "recommendation_details" in made
    _other_program(index, ("DROP VIEW recommendation_details", ()))
    result = CliRunner().invoke(main, ["recs", "--index", str(index)])
    assert result.exit_code == 0, result.output
    assert _views(index) == made
    assert _read(index, SHOWN) == _read(index, COMPUTED)


def test_a_read_only_index_that_lost_a_view_says_another_program_dropped_it(
    tmp_path: Path,
) -> None:
    # The message 1497200 gives for lost list triggers: no uprdex release was involved.
    index = _index(tmp_path)
    _other_program(index, ("DROP VIEW recommendation_details", ()))
    with _read_only(index):
        result = CliRunner().invoke(main, ["recs", "--index", str(index)])
    assert result.exit_code == 2, result.output
    assert " ".join(result.stderr.split()) == (
        f"error {index} was written by another program (it dropped uprdex's views, list "
        "triggers or rows), and this one makes them again before reading it, which writes it; "
        "it is read-only (the file, its folder or its disk): make it writable, or copy it "
        "where you can write"
    )
