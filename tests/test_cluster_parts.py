"""Clustering the States of a run in worker processes gives what one process gives.

The comparisons run in a fresh interpreter (`helpers.fresh`): the test process may hold threads
other tests left, where uprdex rightly clusters in one process."""

from __future__ import annotations

import importlib
import sqlite3
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from test_recurrence_links import slovenia

from uprdex.pipeline import forked
from uprdex.pipeline.clusters import ClusterItem, cluster, linkage, parallel
from uprdex.pipeline.clusters.parallel import cluster_in_parts
from uprdex.pipeline.settings import ClusterSettings

from helpers import fresh

_LOAD = """
import json, sqlite3
from uprdex.pipeline.clusters import ClusterItem, cluster, parallel
from uprdex.pipeline.clusters.parallel import cluster_in_parts
from uprdex.pipeline.settings import ClusterSettings
with sqlite3.connect({index!r}) as db:
    authors = {{}}
    for rec_id, name in db.execute("SELECT recommendation_id, name FROM recommendation_states"):
        authors.setdefault(rec_id, []).append(name)
    rows = db.execute(
        "SELECT id, text, state_under_review, cycle, session FROM recommendations ORDER BY id"
    ).fetchall()
items = [ClusterItem(i, t, s or "", c, n, tuple(authors.get(i, ()))) for i, t, s, c, n in rows]
parallel.MIN_ITEMS = 0  # two real reports are enough to split
used = []
map_forked = parallel.map_forked
parallel.map_forked = lambda function, jobs: used.append(len(jobs)) or map_forked(function, jobs)
"""


@pytest.mark.parametrize("scope", ["state", "review"])
def test_parts_give_the_clusters_of_one_process(index: Path, scope: str) -> None:
    found = fresh(
        _LOAD.format(index=str(index))
        + f"""
settings = ClusterSettings(scope={scope!r})
whole = cluster(items, settings)
parts = cluster_in_parts(items, settings, workers=2)
print(json.dumps({{
    "parts": used,
    "states": len({{item.state_under_review for item in items}}),
    "clusters": parts.clusters == whole.clusters,
    "assignment": dict(parts.assignment) == dict(whole.assignment),
    "recurrences": parts.recurrences == whole.recurrences,
    "counts": (parts.compared_pairs, parts.possible_pairs)
    == (whole.compared_pairs, whole.possible_pairs),
    "multi": len(whole.multi()),
}}))
"""
    )
    assert isinstance(found, dict)
    assert found.pop("parts") == [2] and found.pop("states") == 2
    assert found.pop("multi") >= 3
    assert all(found.values()), found


def test_a_previous_cluster_across_two_states_stays_whole(index: Path) -> None:
    """A researcher's link joined an ask to Slovenia and one to Algeria: their States are
    clustered in one part, and the cluster keeps its id."""
    found = fresh(
        _LOAD.format(index=str(index))
        + """
settings = ClusterSettings(scope="state")
existing = dict(cluster(items, settings).assignment)
slovenia = next(i.id for i in items if i.state_under_review == "Slovenia")
algeria = next(i.id for i in items if i.state_under_review == "Algeria")
existing[algeria] = existing[slovenia]
whole = cluster(items, settings, existing)
parts = cluster_in_parts(items, settings, existing, workers=2)
print(json.dumps({
    "parts": used,
    "kept": parts.assignment[algeria] == parts.assignment[slovenia] == existing[slovenia],
    "same": parts.clusters == whole.clusters,
}))
"""
    )
    assert found == {"parts": [], "kept": True, "same": True}  # one part: no worker


def test_one_process_when_threads_run(index: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A fork copies other threads' locks but not the threads: with threads alive, no fork."""
    with sqlite3.connect(index) as db:
        rows = db.execute(
            "SELECT id, text, state_under_review, cycle, session FROM recommendations"
        ).fetchall()
    items = [ClusterItem(i, t, s or "", c, n) for i, t, s, c, n in rows]
    monkeypatch.setattr(parallel, "MIN_ITEMS", 0)
    monkeypatch.setattr(forked, "start_method", lambda: "fork")
    monkeypatch.setattr(forked.threading, "active_count", lambda: 2)
    monkeypatch.setattr(parallel, "map_forked", None)  # would fail if used
    settings = ClusterSettings(scope="state")
    assert (
        cluster_in_parts(items, settings, workers=2).clusters == cluster(items, settings).clusters
    )


def test_a_large_run_on_two_processes_gives_what_one_gives(tmp_path: Path) -> None:
    """A large run normalizes its texts in parts, proposes blocking's pairs and finds the
    recurring asks in forks, and scores half its pairs and half its clusters' matrices in a
    fork: Slovenia's real 2010 and 2014 asks (tests/fixtures), with the size from which it
    forks set to 0 and chunks of 1,000 pairs (its 3,160 pairs cut at the second's end)."""
    found = fresh(
        f"""
        import importlib, json, os, sys
        sys.path.insert(0, {str(Path(__file__).parent)!r})
        from test_recurrence_links import slovenia
        from uprdex.pipeline import forked
        from uprdex.pipeline.clusters import cluster, linkage
        from uprdex.pipeline.settings import ClusterSettings
        # Batches of 4 pairs and chunks of 1,000: the clusters' matrices and blocking's pairs
        # are more than one (`matrices_halfway`, `halfway`).
        similarity = importlib.import_module("uprdex.pipeline.clusters.similarity")
        similarity._MATRIX_BATCH = 4
        similarity.CHUNK = sys.modules["uprdex.pipeline.clusters.pair_model"].CHUNK = 1000
        earlier, later = slovenia()
        items = [*earlier, *later]
        settings = ClusterSettings(scope="state")
        here = cluster(items, settings)
        forked.cores = lambda: 2
        linkage._BACKGROUND_FROM = 0
        def recorded(name):
            step = getattr(linkage, name)
            def run(*arguments):
                with open(os.path.join({str(tmp_path)!r}, name), "w") as handle:
                    handle.write(str(os.getpid()))
                return step(*arguments)
            setattr(linkage, name, run)
        recorded("learned_recurrences")
        recorded("candidates")
        halves = linkage.in_halves
        def in_halves(function, items, **options):
            def run(part):
                name = getattr(function, "__name__", "")
                path = os.path.join({str(tmp_path)!r}, f"{{name}}-{{len(part)}}-{{os.getpid()}}")
                open(path, "w").close()
                return function(part)
            return halves(run, items, **options)
        linkage.in_halves = in_halves
        parts = []
        map_forked = forked.map_forked
        forked.map_forked = lambda function, jobs: parts.append(len(jobs)) or map_forked(
            function, jobs
        )
        apart = cluster(items, settings)
        print(json.dumps({{
            "parts": parts,
            "me": os.getpid(),
            "links": len(here.recurrences),
            "recurrences": apart.recurrences == here.recurrences,
            "clusters": apart.clusters == here.clusters,
        }}))
        """
    )
    assert isinstance(found, dict)
    me = found.pop("me")
    for step in ("learned_recurrences", "candidates"):
        assert int((tmp_path / step).read_text()) != me, step
    for step in ("scored", "matrices"):  # one half here, one in a fork
        pids = [int(path.name.split("-")[-1]) for path in tmp_path.glob(f"{step}-*")]
        assert len(pids) == 2 and me in pids and len(set(pids)) == 2, (step, pids)
    assert found.pop("parts") == [2]  # the texts, normalized in two parts
    assert found.pop("links") > 10
    assert all(found.values()), found


def test_a_part_of_a_run_uses_no_second_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """A part (`sparse` given by `cluster_in_parts`) runs beside the other parts already: it
    neither normalizes in parts nor forks, however large."""
    monkeypatch.setattr(linkage, "_BACKGROUND_FROM", 0)
    # Chunks of 1,000 pairs: Slovenia's 3,160 are cut at the second's end (`halfway`), and
    # the clusters' matrices in batches of 4 pairs (`matrices_halfway`).
    similarity = importlib.import_module("uprdex.pipeline.clusters.similarity")
    monkeypatch.setattr(similarity, "CHUNK", 1000)
    monkeypatch.setattr(similarity, "_MATRIX_BATCH", 4)
    asked: list[object] = []
    background = linkage.in_background
    monkeypatch.setattr(
        linkage, "in_background", lambda f, worth: asked.append(worth) or background(f, worth=False)
    )
    parts = linkage.in_parts

    def in_parts(function: Any, texts: list[str], **options: Any) -> list[str]:
        asked.append(options.get("workers") != 1 and len(texts) >= options["min_items"])
        return parts(function, texts, min_items=len(texts) + 1)

    monkeypatch.setattr(linkage, "in_parts", in_parts)
    halves = linkage.in_halves

    def in_halves(function: Any, items: Any, **options: Any) -> Any:
        asked.append(options["worth"])
        return halves(function, items, **options)

    monkeypatch.setattr(linkage, "in_halves", in_halves)
    earlier, later = slovenia()
    items = [*earlier, *later]
    cluster(items, ClusterSettings(scope="state"), sparse=False)
    assert asked and not any(asked)
    asked.clear()
    cluster(items, ClusterSettings(scope="state"))  # a whole run would
    assert all(asked)


def test_a_large_run_cuts_its_pairs_where_each_scores_as_in_one_call(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The weighted mix multiplies a chunk of one State's pairs as one matrix product, which
    rounds a score's last bits otherwise than row by row: a large run scores its pairs in two
    calls cut at a chunk's end, each pair as in one call (Slovenia's real asks, chunks of
    1,000 pairs: cut at the middle, 13 of its 3,160 scores differed)."""
    monkeypatch.setattr(linkage, "_BACKGROUND_FROM", 0)
    similarity = importlib.import_module("uprdex.pipeline.clusters.similarity")
    monkeypatch.setattr(similarity, "CHUNK", 1000)
    cuts: list[tuple[int, bool, bool]] = []

    def in_halves(
        function: Any, items: Any, *, join: Any, at: int | None = None, worth: bool = True
    ) -> Any:
        whole = function(items)
        if function.__name__ == "scored":
            at = len(items) // 2 if at is None else at
            halves = join(function(items[:at]), function(items[at:]))
            cuts.append((at, worth, bool(np.array_equal(whole, halves))))
        return whole

    monkeypatch.setattr(linkage, "in_halves", in_halves)
    earlier, later = slovenia()
    cluster([*earlier, *later], ClusterSettings(scope="state", learned=False))
    assert cuts == [(2000, True, True)]


def test_the_clusters_matrices_are_cut_at_the_end_of_a_batch(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`Similarity.matrices` scores its groups' pairs in batches, and a pair model's score may
    depend on its batch's other pairs: a large run cuts the groups at the end of the batch
    nearest half the pairs, so that each half's batches are the whole call's."""
    similarity = importlib.import_module("uprdex.pipeline.clusters.similarity")
    monkeypatch.setattr(similarity, "_MATRIX_BATCH", 4)
    # Pairs 3, 1 | 3, 1 | 6 | 1: batches end after groups 2, 4 and 5; half the 15 pairs
    # falls after group 3, nearest the end of the second batch.
    groups = [[0, 1, 2], [3, 4], [5, 6, 7], [8, 9], [10, 11, 12, 13], [14, 15]]
    assert [stop for _, stop in similarity._matrix_batches(groups)] == [2, 4, 5, 6]
    assert similarity.matrices_halfway(groups) == 4
    assert similarity.matrices_halfway(groups[:2]) == 0  # one batch: no cut
    assert similarity.matrices_halfway([]) == 0
