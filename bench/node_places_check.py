"""A node's place in each report against its first place only: what changes, and what must not.

A clustering node (one normalized text of one scope block) printed in several reports keeps a
place in each (`positions.NodePlaces`), and a pair of nodes is read in the first report both
are printed in. Before, a node had its first place only (`NodePlaces.first`). This prints, in
one run, both ways side by side:
- every candidate pair's score as `cluster` first scores it: the pairs placed by the first
  places and the pairs with no report in common must score exactly as before; only the newly
  placed pairs may differ;
- the clusters and the recurring asks `cluster` gives.

On the 12 tuning reviews (bench/cluster_protocol.py TUNING), each alone (one report: nothing
may change) and all at scope "all"; with --wg, the 245 WG reports at scope "all" (ingested
first, about 2 minutes). Chooses nothing.

Run: .venv/bin/python bench/node_places_check.py [--wg]
"""

from __future__ import annotations

import sys
import time
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace

import numpy as np
import numpy.typing as npt
from cluster_protocol import GOLD, SHARED, indexed_items, load_reviews

from uprdex.pipeline.clusters import ClusterItem, ClusterResult, cluster, linkage, positions
from uprdex.pipeline.settings import ClusterSettings

Scored = tuple[npt.NDArray[np.int64], npt.NDArray[np.float32], npt.NDArray[np.bool_]]


@contextmanager
def first_scores(first_only: bool) -> Iterator[list[Scored]]:
    """While open, `cluster` records its first scoring of the candidate pairs (pairs, scores,
    placed); `first_only`: its nodes have their first place only (the code before)."""
    found: list[Scored] = []
    plain_similarity, plain_places = linkage.Similarity, linkage.node_places

    class Recording(plain_similarity):  # type: ignore[misc,valid-type]
        def pairs(
            self, pairs: npt.NDArray[np.int64], cutoff: float, *, placed: bool = True
        ) -> npt.NDArray[np.float32]:
            scores = super().pairs(pairs, cutoff, placed=placed)
            if placed and not found:
                inputs = None if self.learned is None else self.learned.inputs
                where = None if inputs is None else inputs.places
                flag = (
                    np.zeros(len(pairs), dtype=bool)
                    if where is None
                    else positions.position_features(where, pairs)[1]
                )
                found.append((pairs.copy(), scores.copy(), flag))
            return scores

    def first_places(groups: Sequence[Sequence[ClusterItem]]) -> positions.NodePlaces:
        places = plain_places(groups)
        return positions.NodePlaces(places.first, np.empty((0, 5), dtype=np.int64))

    linkage.Similarity = Recording  # type: ignore[misc]
    if first_only:
        linkage.node_places = first_places
    try:
        yield found
    finally:
        linkage.Similarity, linkage.node_places = plain_similarity, plain_places


def _groups(result: ClusterResult) -> set[frozenset[str]]:
    return {frozenset(c.member_ids) for c in result.clusters}


def compare(name: str, items: Sequence[ClusterItem], settings: ClusterSettings) -> bool:
    """Print one line for these items both ways; whether every pair that must keep its score
    did."""
    runs = []
    for first_only in (True, False):
        with first_scores(first_only) as found:
            result = cluster(items, settings)
        runs.append((result, *found[0]))
    (before, pairs, old, placed_before), (after, same_pairs, new, placed_after) = runs
    assert (pairs == same_pairs).all()
    kept = placed_before | ~placed_after
    fresh = ~placed_before & placed_after
    identical = bool((old[kept] == new[kept]).all()) and not (placed_before & ~placed_after).any()
    changed = _groups(before) ^ _groups(after)
    recurring = [{(r.later_id, r.earlier_id) for r in x.recurrences} for x in (before, after)]
    print(
        f"  {name:18s} {len(items):6d} asks {len(pairs):9,d} pairs; placed "
        f"{placed_before.sum():7,d} -> {placed_after.sum():7,d}; the others score as before: "
        f"{identical} ("
        f"{kept.sum():,d}); newly placed {fresh.sum():,d}, {(old[fresh] != new[fresh]).sum():,d}"
        f" score otherwise; clusters {len(before.clusters):,d} -> {len(after.clusters):,d} "
        f"({len(changed):,d} differ); recurring asks {len(recurring[0]):,d} -> "
        f"{len(recurring[1]):,d} ({len(recurring[0] ^ recurring[1]):,d} differ)"
    )
    return identical


def main() -> int:
    if not GOLD.exists():
        print(f"skipped: {GOLD} not found (the shared corpus is not on this machine)")
        return 0
    start = time.perf_counter()
    settings = ClusterSettings()
    everywhere = replace(settings, scope="all")
    if "--wg" in sys.argv:
        pdfs = sorted(path.name for path in (SHARED / "wg_reports").glob("*.pdf"))
        runs = [("245 WG, all", [i for rows in indexed_items(pdfs).values() for i in rows])]
        chosen = {"245 WG, all": everywhere}
    else:
        tuning = load_reviews(tuning=True, tests=False)
        runs = [(r.name, list(r.items)) for r in tuning]
        runs.append(("12 tuning, all", [i for r in tuning for i in r.items]))
        chosen = defaultdict(lambda: settings, {"12 tuning, all": everywhere})
    print("== a node's place in each report (after) against its first place only (before)")
    kept = [compare(name, items, chosen[name]) for name, items in runs]
    print(f"  every pair that must keep its score kept it: {all(kept)}")
    print(f"  ({time.perf_counter() - start:.0f} s)")
    return 0 if all(kept) else 1


if __name__ == "__main__":
    sys.exit(main())
