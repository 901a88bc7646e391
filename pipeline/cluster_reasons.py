"""Why the members of a duplicate cluster are together: each member's closest other member and
their similarity score (the clustering's own, 0-100), the cluster's strongest pair, and any
researcher's link or unlink that shaped it. The HTML report shows them beside each cluster.

Example:
    found = reasons(clusters, texts, store.cluster_settings())
    found["c-01314ef4ef43"].strongest      # ("A/HRC/28/15#115.8", "A/HRC/28/15#115.10", 100.0)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from uprdex.pipeline.clusters import load_treaties, normalize
from uprdex.pipeline.clusters.positions import (
    PLACED_ID,
    NodePlaces,
    Places,
    group_places,
    item_places,
    shared_rows,
)
from uprdex.pipeline.clusters.similarity import Similarity
from uprdex.pipeline.settings import ClusterSettings

__all__ = ["Reasons", "pair_scores", "reasons"]


@dataclass(frozen=True, slots=True)
class Reasons:
    """Why one cluster's members are together.

    closest: member id -> (its most similar other member, their score); strongest: the pair
    with the highest score; corrections: the links and unlinks that shape the cluster, as the
    clusters export lists them.
    """

    closest: Mapping[str, tuple[str, float]]
    strongest: tuple[str, str, float] | None
    corrections: Sequence[Mapping[str, Any]] = field(default_factory=tuple)


def pair_scores(
    texts: Sequence[str], places: Places | NodePlaces | None, settings: ClusterSettings
) -> list[list[float]]:
    """Every pair's similarity (0-100) as the clustering scores it, as a square matrix (the
    diagonal is 100); all pairs in one batch. `places`: where each text is printed (rows of
    `positions.item_places`, or its clustering node's places, read among all the asks
    clustered); None: nowhere known."""
    size = len(texts)
    pairs = [(i, j) for i in range(size) for j in range(i + 1, size)]
    scores = _scored([list(texts)], pairs, settings, places)
    matrix = [[100.0] * size for _ in range(size)]
    for (i, j), score in zip(pairs, scores, strict=True):
        matrix[i][j] = matrix[j][i] = score
    return matrix


def _scored(
    groups: Sequence[Sequence[str]],
    pairs: Sequence[tuple[int, int]],
    settings: ClusterSettings,
    places: Places | NodePlaces | None = None,
) -> list[float]:
    """Scores of `pairs`, indices into the texts of all groups in order (`places`: where each
    of those texts is printed, `positions`; None: nowhere known)."""
    if not pairs:
        return []
    treaties = load_treaties(settings.treaties)
    normalized = [normalize(text, treaties) for group in groups for text in group]
    similarity = Similarity(normalized, treaties, settings, places)
    return [float(s) for s in similarity.pairs(np.array(pairs, dtype=np.int64), cutoff=0)]


def reasons(
    clusters: Sequence[Mapping[str, Any]],
    texts: Mapping[str, str],
    settings: ClusterSettings,
    cycles: Mapping[str, int | None] | None = None,
) -> dict[str, Reasons]:
    """The reasons of each cluster (records of the clusters export); members whose text is not
    in `texts` are left out of the scores. All pairs are scored at once, as the clustering
    scores them: where each ask is printed is read among all of `texts`' ids (their reports'
    asks), with `cycles` (id -> cycle) giving asks of other cycles than the model learned
    places from no place (`positions.PLACED_CYCLES`; None: every ask placed), and an ask is
    placed as its clustering node (one normalized text of a cluster, all of one scope block):
    in each report the text is printed in."""
    groups = [[m for m in c["members"] if m in texts] for c in clusters]
    ids = list(texts)
    placed = item_places(ids, None if cycles is None else [cycles.get(i) for i in ids])
    row = {item_id: at for at, item_id in enumerate(ids)}
    treaties = load_treaties(settings.treaties)
    nodes = [
        shared
        for group in groups
        for shared in shared_rows(
            [row[m] for m in group], [normalize(texts[m], treaties) for m in group]
        )
    ]
    places = group_places(placed, nodes)
    pairs: list[tuple[int, int]] = []
    start = 0
    for group in groups:
        size = len(group)
        pairs += [(start + i, start + j) for i in range(size) for j in range(i + 1, size)]
        start += size
    scores = _scored([[texts[m] for m in group] for group in groups], pairs, settings, places)
    found: dict[str, Reasons] = {}
    at = start = 0
    for cluster, group in zip(clusters, groups, strict=True):
        closest: dict[str, tuple[str, float]] = {}
        strongest: tuple[str, str, float] | None = None
        for i, a in enumerate(group):
            for j, b in enumerate(group[i + 1 :], start + i + 1):
                # Two asks of one node are one text to the clustering: 100, as in `Cluster`.
                one_node = nodes[start + i] is nodes[j]
                score = 100.0 if one_node else round(float(scores[at]), 1)
                at += 1
                for one, other in ((a, b), (b, a)):
                    if one not in closest or score > closest[one][1]:
                        closest[one] = (other, score)
                if strongest is None or score > strongest[2]:
                    strongest = (a, b, score)
        copies = {a: [ids[row] for row in nodes[start + i]] for i, a in enumerate(group)}
        closest = {one: (_copy_read(one, other, copies), s) for one, (other, s) in closest.items()}
        if strongest is not None:
            a, b, score = strongest
            strongest = (a, _copy_read(a, b, copies), score)
        found[cluster["cluster_id"]] = Reasons(
            closest, strongest, tuple(cluster.get("corrections", ()))
        )
        start += len(group)
    return found


def _copy_read(one: str, other: str, copies: Mapping[str, Sequence[str]]) -> str:
    """The copy of `other`'s text (a member of its clustering node) that its pair with `one`
    is read at, as `positions.pair_places` places a pair: the copy printed in the first report
    (lowest symbol) both nodes are printed in, else its first (lowest symbol; `other` itself
    when none is placed). All copies score alike; the report names the one whose neighbours
    gave the score."""
    if len(copies[other]) < 2 or other in copies[one]:
        return other
    reports = {_report(copy): copy for copy in reversed(copies[other])}
    shared = set(reports) & {_report(copy) for copy in copies[one]}
    known = sorted(report for report in shared or set(reports) if report is not None)
    return reports[known[0]] if known else other


def _report(item_id: str) -> str | None:
    found = PLACED_ID.match(item_id)
    return found["report"] if found else None
