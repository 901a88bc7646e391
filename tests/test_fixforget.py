"""fixforget: review23's findings 3 and 4 beyond the review's own tests. A correction cut off
from its clustering is remembered with it; an addendum's session and cycle are stored as its
review's, updated when its report arrives, also in an index an earlier release wrote."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from uprdex.pipeline.store import Store

from helpers import cli, fixture

A, B = "A/HRC/28/15#115.1", "A/HRC/28/15#115.2"


def _stored_cycles(index: Path) -> dict[str, tuple[int | None, int | None]]:
    """(session, cycle) of each document as the documents table holds it (browse serves it)."""
    with closing(sqlite3.connect(index)) as db:
        return {
            symbol: (session, cycle)
            for symbol, session, cycle in db.execute("SELECT symbol, session, cycle FROM documents")
        }


def test_an_addendum_indexed_before_its_report_takes_the_reports_session_when_it_arrives(
    tmp_path: Path,
) -> None:
    index = tmp_path / "index.sqlite"
    assert cli("ingest", fixture("addendum_matrix_svn2014.pdf"), "--index", index).exit_code == 0
    assert cli("ingest", fixture("slovenia2014_recs.pdf"), "--index", index).exit_code == 0
    stored = _stored_cycles(index)
    assert stored["A/HRC/28/15/Add.1"] == stored["A/HRC/28/15"] == (20, 2), stored
    with Store(index) as store:
        exported = {d.symbol: (d.session, d.cycle) for d in store.documents()}
    assert exported == stored


def test_an_index_an_earlier_release_wrote_stores_its_addendas_cycle_when_opened(
    tmp_path: Path,
) -> None:
    index = tmp_path / "index.sqlite"
    assert cli("ingest", fixture("addendum_matrix_svn2014.pdf"), "--index", index).exit_code == 0
    with closing(sqlite3.connect(index)) as db, db:  # as schema 11 left it: nothing stored
        db.execute("UPDATE documents SET session = NULL, cycle = NULL")
        db.execute("UPDATE meta SET value = '11' WHERE key = 'schema_version'")
    with Store(index):
        pass
    assert _stored_cycles(index) == {"A/HRC/28/15/Add.1": (None, 2)}


def test_status_names_the_states_a_forget_cut_short_left_and_an_ingest_clusters_them(
    tmp_path: Path,
) -> None:
    index = tmp_path / "index.sqlite"
    assert cli("ingest", fixture("slovenia2014_recs.pdf"), "--index", index).exit_code == 0
    assert cli("cluster", "link", A, B, "--index", index).exit_code == 0
    with Store(index) as store:
        store.forget_correction(A, B)  # forget cut short before its clustering
    status = cli("status", "--index", index)
    assert "clusters of Slovenia made before a correction changed" in status.output, status.output
    assert cli("ingest", fixture("addendum_matrix_svn2014.pdf"), "--index", index).exit_code == 0
    with Store(index) as store:
        after = store.cluster_ids([A, B])
        assert store.clusters_current()
    assert after[A] != after[B], after
