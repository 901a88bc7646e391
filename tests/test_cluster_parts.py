"""Clustering the States of a run in worker processes gives what one process gives."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from uprdex.pipeline import forked
from uprdex.pipeline.clusters import ClusterItem, cluster, parallel
from uprdex.pipeline.clusters.parallel import cluster_in_parts
from uprdex.pipeline.settings import ClusterSettings


def _items(index: Path) -> list[ClusterItem]:
    with sqlite3.connect(index) as db:
        authors: dict[str, list[str]] = {}
        for rec_id, name in db.execute("SELECT recommendation_id, name FROM recommendation_states"):
            authors.setdefault(rec_id, []).append(name)
        rows = db.execute(
            "SELECT id, text, state_under_review, cycle, session FROM recommendations ORDER BY id"
        ).fetchall()
    return [ClusterItem(i, t, s or "", c, n, tuple(authors.get(i, ()))) for i, t, s, c, n in rows]


@pytest.fixture
def items(index: Path, monkeypatch: pytest.MonkeyPatch) -> list[ClusterItem]:
    monkeypatch.setattr(parallel, "MIN_ITEMS", 0)  # two real reports are enough to split
    monkeypatch.setattr(parallel, "may_fork", lambda: True)  # whatever threads other tests left
    found = _items(index)
    assert len({item.state_under_review for item in found}) == 2
    return found


@pytest.mark.parametrize("scope", ["state", "review"])
def test_parts_give_the_clusters_of_one_process(items: list[ClusterItem], scope: str) -> None:
    settings = ClusterSettings(scope=scope)
    whole = cluster(items, settings)
    parts = cluster_in_parts(items, settings, workers=2)
    assert parts.clusters == whole.clusters
    assert dict(parts.assignment) == dict(whole.assignment)
    assert parts.recurrences == whole.recurrences
    assert (parts.compared_pairs, parts.possible_pairs) == (
        whole.compared_pairs,
        whole.possible_pairs,
    )
    assert len(whole.multi()) >= 3


def test_a_previous_cluster_across_two_states_stays_whole(items: list[ClusterItem]) -> None:
    """A researcher's link joined an ask to Slovenia and one to Algeria: their States are
    clustered in one part, and the cluster keeps its id."""
    settings = ClusterSettings(scope="state")
    first = cluster(items, settings)
    existing = dict(first.assignment)
    slovenia = next(i.id for i in items if i.state_under_review == "Slovenia")
    algeria = next(i.id for i in items if i.state_under_review == "Algeria")
    existing[algeria] = existing[slovenia]
    whole = cluster(items, settings, existing)
    parts = cluster_in_parts(items, settings, existing, workers=2)
    assert parts.assignment[algeria] == parts.assignment[slovenia] == existing[slovenia]
    assert parts.clusters == whole.clusters


def test_one_process_when_threads_run(
    items: list[ClusterItem], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fork copies other threads' locks but not the threads: with threads alive, no fork."""
    monkeypatch.setattr(forked.threading, "active_count", lambda: 2)
    monkeypatch.setattr(parallel, "may_fork", forked.may_fork)
    monkeypatch.setattr(parallel, "map_forked", None)  # would fail if used
    settings = ClusterSettings(scope="state")
    assert (
        cluster_in_parts(items, settings, workers=2).clusters == cluster(items, settings).clusters
    )
