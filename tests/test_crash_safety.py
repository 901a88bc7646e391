"""Crash safety: `uprdex ingest` killed with SIGKILL at random points, then run again, leaves the
index an uninterrupted run leaves; two ingests started together never corrupt it.

Each document is written in one transaction (WAL), so a kill loses at most the document being
written; the rerun must then finish the job, including what is computed after the last document
(the duplicate clusters).
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from helpers import fixture

pytestmark = pytest.mark.slow

# Small real fixtures that touch every table: WG reports of three cycles (recommendations,
# States, themes, clusters), the addendum answering one of them (responses) and a stakeholders'
# summary citing it (evidence).
FILES = [
    "slovenia2014_recs.pdf",
    "svn2014_addendum.pdf",
    "cit_svn2014_stakeholders.pdf",
    "andorra2011_recs.pdf",
    "algeria2008_recs.pdf",
    "burundi2013_recs.pdf",
    "cit_malawi2011_p22.pdf",
]
KILLS = 20
SEED = 8
UPRDEX = Path(sys.executable).parent / "uprdex"

# What must be equal, table by table (ingested_at and rowids differ from run to run).
SNAPSHOT = {
    # Not `warnings`: an addendum's "responses to paragraphs not in the report" lands on the WG
    # report too when the report is (re)written after it, so it depends on the order.
    "documents": "SELECT sha256, path, type, symbol, status, error, pages FROM documents",
    "recommendations": "SELECT id, document_sha256, paragraph, text, response, response_source, "
    "section_response, response_conflict, cluster_id, origin FROM recommendations",
    "recommendation_states": "SELECT recommendation_id, position, name, iso3 "
    "FROM recommendation_states",
    "recommendation_themes": "SELECT recommendation_id, theme, method FROM recommendation_themes",
    "responses": "SELECT document_sha256, ref, position, page FROM responses",
    "evidence": "SELECT recommendation_id, target_symbol, target_ref, document_sha256, page, "
    "footnote, kind, as_printed FROM evidence",
    "clusters": "SELECT cluster_id, canonical_id, size, recurring FROM clusters",
}
# Rows whose parent is gone, or rows that no longer belong to anything.
ORPHANS = {
    "recommendations without document": "SELECT id FROM recommendations r WHERE NOT EXISTS "
    "(SELECT 1 FROM documents d WHERE d.sha256 = r.document_sha256)",
    "recommendation_states without recommendation": "SELECT recommendation_id FROM "
    "recommendation_states s WHERE NOT EXISTS (SELECT 1 FROM recommendations r "
    "WHERE r.id = s.recommendation_id)",
    "recommendation_themes without recommendation": "SELECT recommendation_id FROM "
    "recommendation_themes t WHERE NOT EXISTS (SELECT 1 FROM recommendations r "
    "WHERE r.id = t.recommendation_id)",
    "responses without document": "SELECT ref FROM responses x WHERE NOT EXISTS "
    "(SELECT 1 FROM documents d WHERE d.sha256 = x.document_sha256)",
    "evidence without document": "SELECT id FROM evidence e WHERE NOT EXISTS "
    "(SELECT 1 FROM documents d WHERE d.sha256 = e.document_sha256)",
    "evidence linked to a missing recommendation": "SELECT id FROM evidence e WHERE "
    "e.recommendation_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM recommendations r "
    "WHERE r.id = e.recommendation_id)",
    "recommendations in a missing cluster": "SELECT id FROM recommendations r WHERE "
    "r.cluster_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM clusters c "
    "WHERE c.cluster_id = r.cluster_id)",
}


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixtures copied side by side, so that every run names the same paths."""
    folder = tmp_path_factory.mktemp("crash")
    for name in FILES:
        (folder / name).write_bytes(fixture(name).read_bytes())
    return folder


@dataclass(frozen=True)
class Reference:
    """An uninterrupted run: the index it leaves and when its documents were written."""

    snapshot: dict[str, list[tuple[Any, ...]]]
    first_document: float  # seconds from start to the first document committed
    seconds: float  # the whole run


@pytest.fixture(scope="module")
def reference(workspace: Path) -> Reference:
    index = workspace / "reference.sqlite"
    start = time.monotonic()
    process = _ingest(workspace, index)
    first = None
    while process.poll() is None:
        if first is None and _documents(index):
            first = time.monotonic() - start
        time.sleep(0.005)
    seconds = time.monotonic() - start
    assert process.returncode == 0 and first is not None
    assert _assert_sound(index)
    return Reference(_snapshot(index), first, seconds)


def test_killed_runs_then_rerun_give_the_uninterrupted_index(
    workspace: Path, reference: Reference
) -> None:
    """SIGKILL at seeded random points, each followed by a rerun to completion. One kill in
    four may land anywhere (start-up, creating the schema), the others while documents are
    being written (after the imports, about two thirds of the run)."""
    whole = _per_document(reference.snapshot)
    rng = random.Random(SEED)
    failures = []
    for attempt in range(KILLS):
        index = workspace / f"killed-{attempt}.sqlite"
        low = 0.0 if attempt % 4 == 0 else reference.first_document - 0.1
        delay = rng.uniform(low, reference.seconds)
        process = _ingest(workspace, index)
        time.sleep(delay)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        killed = f"kill {attempt} at {delay:.2f} s, {_documents(index)} documents written"
        if index.exists() and _assert_sound(index):
            # Whatever a kill leaves, each document in the index is whole.
            for sha256, rows in _per_document(_snapshot(index)).items():
                assert rows == whole[sha256], killed
        assert _ingest(workspace, index).wait(timeout=120) == 0
        assert _assert_sound(index)
        difference = _difference(_snapshot(index), reference.snapshot)
        if difference:
            failures.append(f"{killed}, then a rerun:\n{difference}")
    assert not failures, f"{len(failures)} of {KILLS} reruns differ; " + "\n".join(failures)


def test_killed_after_the_last_document_the_rerun_still_clusters(
    workspace: Path, reference: Reference
) -> None:
    """The kill lands after the last document's transaction and before the clusters are
    computed: a rerun, which finds every file already indexed, must still compute them."""
    index = workspace / "killed-before-clusters.sqlite"
    process = _ingest(workspace, index)
    while process.poll() is None:
        if _documents(index) == len(FILES):
            os.killpg(process.pid, signal.SIGKILL)
            break
        time.sleep(0.002)
    process.wait()
    assert _ingest(workspace, index).wait(timeout=120) == 0
    assert _assert_sound(index)
    difference = _difference(_snapshot(index), reference.snapshot)
    assert not difference, difference


def test_two_ingests_started_together_give_the_sequential_index(
    workspace: Path, reference: Reference
) -> None:
    for attempt in range(3):
        index = workspace / f"together-{attempt}.sqlite"
        first, second = _ingest(workspace, index), _ingest(workspace, index)
        assert (first.wait(timeout=120), second.wait(timeout=120)) == (0, 0)
        assert _assert_sound(index)
        difference = _difference(_snapshot(index), reference.snapshot)
        assert not difference, f"attempt {attempt}:\n{difference}"


def _ingest(folder: Path, index: Path) -> subprocess.Popen[bytes]:
    """`uprdex ingest` of the fixtures in its own process group (its workers die with it)."""
    return subprocess.Popen(
        [str(UPRDEX), "ingest", *FILES, "--index", str(index), "--workers", "1"],
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


@contextmanager
def _connect(index: Path) -> Iterator[sqlite3.Connection]:
    db = sqlite3.connect(index, timeout=30)
    try:
        yield db
    finally:
        db.close()


def _documents(index: Path) -> int:
    """Documents committed so far (0 while the index is being created)."""
    if not index.exists():
        return 0
    try:
        with _connect(index) as db:
            return int(db.execute("SELECT count(*) FROM documents").fetchone()[0])
    except sqlite3.OperationalError:  # no such table yet, or the schema is being written
        return 0


def _snapshot(index: Path) -> dict[str, list[tuple[Any, ...]]]:
    with _connect(index) as db:
        return {
            table: sorted(db.execute(sql).fetchall(), key=repr) for table, sql in SNAPSHOT.items()
        }


def _difference(
    actual: dict[str, list[tuple[Any, ...]]], expected: dict[str, list[tuple[Any, ...]]]
) -> str:
    """The rows only one side has, table by table (a few of each), or "" when equal."""
    lines = []
    for table in SNAPSHOT:
        extra = [row for row in actual[table] if row not in expected[table]]
        missing = [row for row in expected[table] if row not in actual[table]]
        if extra or missing:
            lines.append(f"{table}: {len(extra)} rows too many, {len(missing)} missing")
            lines.extend(f"  + {row!r:.300}" for row in extra[:3])
            lines.extend(f"  - {row!r:.300}" for row in missing[:3])
    return "\n".join(lines)


def _per_document(snapshot: dict[str, list[tuple[Any, ...]]]) -> dict[str, list[tuple[Any, ...]]]:
    """Each document's own rows that no other document changes: its recommendations' text."""
    found: dict[str, list[tuple[Any, ...]]] = {row[0]: [] for row in snapshot["documents"]}
    for row in snapshot["recommendations"]:
        found[row[1]].append((row[0], row[2], row[3]))
    return found


def _assert_sound(index: Path) -> bool:
    """SQLite's own checks, then no orphaned rows. A kill before the schema's transaction
    commits leaves an index with no table at all: nothing written, nothing half-written."""
    with _connect(index) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
        if not tables:
            return False
        assert "meta" in tables and "recommendations" in tables, f"a partial schema: {tables}"
        orphans = {name: db.execute(sql).fetchall() for name, sql in ORPHANS.items()}
        assert {name: rows for name, rows in orphans.items() if rows} == {}
        recs = db.execute("SELECT count(*) FROM recommendations").fetchone()[0]
        indexed = db.execute("SELECT count(*) FROM recommendations_fts").fetchone()[0]
        assert indexed == recs, "full-text index out of step with the recommendations"
    return True
