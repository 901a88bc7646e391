"""What a change of the corrections leaves to cluster again (a `cluster forget` or `links
--import` cut short between its write and its clustering) is one meta value: the stale States
and the pairs a forget was given. An index the release before wrote holds it as two keys
(`clusters_stale`, `clusters_stale_forgot`); opening it makes them one (schema 13), and the
next clustering command finishes it as that release's would have. Only the one value is read
in an index of schema 13."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path

from uprdex.pipeline.store import Store

from helpers import cli, fixture

A, B = "A/HRC/28/15#115.1", "A/HRC/28/15#115.2"


def _stale_keys(index: Path) -> dict[str, object]:
    with closing(sqlite3.connect(index)) as db:
        rows = db.execute("SELECT key, value FROM meta WHERE key LIKE 'clusters_stale%'")
        return {key: json.loads(value) for key, value in rows}


def _linked(index: Path) -> None:
    assert cli("ingest", fixture("slovenia2014_recs.pdf"), "--index", index).exit_code == 0
    assert cli("cluster", "link", A, B, "--index", index).exit_code == 0


def test_a_forget_cut_short_leaves_its_states_and_pair_in_one_meta_value(tmp_path: Path) -> None:
    index = tmp_path / "index.sqlite"
    _linked(index)
    with Store(index) as store:
        store.forget_correction(A, B)  # what forget writes before it clusters again: cut here
        assert store.stale_cluster_states() == {"Slovenia"}
        assert store.forgotten_pairs() == {(A, B)}
    assert len(_stale_keys(index)) == 1, _stale_keys(index)
    again = cli("cluster", "forget", A, B, "--index", index)
    assert again.exit_code == 0, again.output
    assert _stale_keys(index) == {}


def _as_the_release_before_left_a_forget_cut_short(index: Path) -> None:
    """The correction dropped, and the two meta keys that release wrote beside it: the stale
    States, each with whether it is clustered from scratch, and the pairs forget was given;
    its schema version, 12."""
    with closing(sqlite3.connect(index)) as db, db:
        db.execute("DELETE FROM cluster_corrections")
        (state,) = db.execute(
            "SELECT DISTINCT state_under_review FROM recommendations WHERE id IN (?, ?)", (A, B)
        ).fetchone()
        db.execute("DELETE FROM meta WHERE key LIKE 'clusters_stale%'")
        db.execute("INSERT INTO meta VALUES ('clusters_stale', ?)", (json.dumps([[state, True]]),))
        db.execute("INSERT INTO meta VALUES ('clusters_stale_forgot', ?)", (json.dumps([[A, B]]),))
        db.execute("UPDATE meta SET value = '12' WHERE key = 'schema_version'")


def test_a_forget_the_release_before_cut_short_is_finished_by_running_it_again(
    tmp_path: Path,
) -> None:
    index = tmp_path / "index.sqlite"
    _linked(index)
    _as_the_release_before_left_a_forget_cut_short(index)
    status = cli("status", "--index", index)
    assert "clusters of Slovenia made before a correction changed" in status.output, status.output
    again = cli("cluster", "forget", B, A, "--index", index)  # its pair, ids reversed
    assert again.exit_code == 0, again.output
    assert "clustered Slovenia again" in again.output, again.output
    assert f"no link or unlink of {B} and {A} is recorded" in again.output, again.output
    with Store(index) as store:
        after = store.cluster_ids([A, B])
        assert store.clusters_current()
        assert not store.stale_cluster_states() and not store.forgotten_pairs()
    assert after[A] != after[B], after
    assert _stale_keys(index) == {}


def test_another_pair_after_a_forget_the_release_before_cut_short_finishes_it_then_exits_2(
    tmp_path: Path,
) -> None:
    index = tmp_path / "index.sqlite"
    _linked(index)
    _as_the_release_before_left_a_forget_cut_short(index)
    typo = cli("cluster", "forget", A, "A/HRC/28/15#115.3", "--index", index)
    assert typo.exit_code == 2, (typo.exit_code, typo.output)
    assert "clustered Slovenia again" in typo.output, typo.output
    with Store(index) as store:
        after = store.cluster_ids([A, B])
        assert store.clusters_current()
    assert after[A] != after[B], after


def test_the_release_before_s_keys_in_an_index_of_one_value_are_said_in_one_line(
    tmp_path: Path,
) -> None:
    # review26 #7: schema 12's two keys found in an index of schema 13: the list of [State,
    # fresh] read as a dict of State names was "nothing stale", the cut-short forget lost
    # without a word. They were then read as the one value (on every read). An uprdex of
    # schema 12 refuses an index of 13, and the step to 13 makes its keys one value, so only
    # that form is read now (stale): this one, written by no uprdex that reads the index, is
    # said in one line that says how to drop it, exit 2; nothing is lost without a word.
    index = tmp_path / "index.sqlite"
    _linked(index)
    _as_the_release_before_left_a_forget_cut_short(index)
    with closing(sqlite3.connect(index)) as db, db:
        db.execute("UPDATE meta SET value = '13' WHERE key = 'schema_version'")
    status = cli("status", "--index", index)
    assert status.exit_code == 2, (status.exit_code, status.output)
    (line,) = status.output.strip().splitlines()
    assert "its meta value clusters_stale is '[[\"Slovenia\", true]]'" in line, line
    assert "DELETE FROM meta WHERE key IN ('clusters_stale', 'clusters_stale_forgot')" in line


def test_a_stale_value_in_no_form_uprdex_writes_is_said_in_one_line(tmp_path: Path) -> None:
    # review26 #7: any other value must not read as "nothing stale" either.
    index = tmp_path / "index.sqlite"
    _linked(index)
    with closing(sqlite3.connect(index)) as db, db:
        db.execute("INSERT OR REPLACE INTO meta VALUES ('clusters_stale', '\"Slovenia\"')")
    status = cli("status", "--index", index)
    assert status.exit_code == 2, (status.exit_code, status.output)
    lines = status.output.strip().splitlines()
    assert len(lines) == 1 and "clusters_stale" in lines[0] and str(index) in lines[0], lines
