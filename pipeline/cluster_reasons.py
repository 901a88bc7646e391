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
from functools import partial
from typing import Any

import numpy as np

from uprdex.pipeline.clusters import load_treaties, normalize
from uprdex.pipeline.clusters.positions import (
    NodePlaces,
    Places,
    group_places,
    item_places,
    pair_places,
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
    clusters export lists them. A text printed in two reports (one clustering node) is named
    by its copy where the pair's score was read (`positions.pair_places`).
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
    treaties = load_treaties(settings.treaties)
    scores = _scored([normalize(text, treaties) for text in texts], pairs, settings, places)
    matrix = [[100.0] * size for _ in range(size)]
    for (i, j), score in zip(pairs, scores, strict=True):
        matrix[i][j] = matrix[j][i] = score
    return matrix


def _scored(
    normalized: Sequence[str],
    pairs: Sequence[tuple[int, int]],
    settings: ClusterSettings,
    places: Places | NodePlaces | None = None,
) -> list[float]:
    """Scores of `pairs`, indices into `normalized` (texts as `normalize` gives them;
    `places`: where each is printed, `positions`; None: nowhere known)."""
    if not pairs:
        return []
    treaties = load_treaties(settings.treaties)
    similarity = Similarity(list(normalized), treaties, settings, places)
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
    normalized = [[normalize(texts[m], treaties) for m in group] for group in groups]
    nodes = [
        shared
        for group, keys in zip(groups, normalized, strict=True)
        for shared in shared_rows([row[m] for m in group], keys)
    ]
    places = group_places(placed, nodes)
    pairs: list[tuple[int, int]] = []
    start = 0
    for group in groups:
        size = len(group)
        pairs += [(start + i, start + j) for i in range(size) for j in range(i + 1, size)]
        start += size
    scores = _scored([key for keys in normalized for key in keys], pairs, settings, places)
    read_at = partial(_read_at, nodes=nodes, places=places, placed=placed, ids=ids)
    found: dict[str, Reasons] = {}
    at = start = 0
    for cluster, group in zip(clusters, groups, strict=True):
        closest: dict[int, tuple[int, float]] = {}
        strongest: tuple[int, int, float] | None = None
        for i in range(len(group)):
            for j in range(i + 1, len(group)):
                # Two asks of one node are one text to the clustering: 100, as in `Cluster`.
                one_node = nodes[start + i] is nodes[start + j]
                score = 100.0 if one_node else round(float(scores[at]), 1)
                at += 1
                for one, other in ((i, j), (j, i)):
                    if one not in closest or score > closest[one][1]:
                        closest[one] = (other, score)
                if strongest is None or score > strongest[2]:
                    strongest = (i, j, score)
        ends = list(enumerate(group, start))  # each member's index in `nodes`, and its id
        named = {
            group[one]: (read_at(ends[one], ends[other])[1], score)
            for one, (other, score) in closest.items()
        }
        strongest_named: tuple[str, str, float] | None = None
        if strongest is not None:
            i, j, score = strongest
            strongest_named = (*read_at(ends[i], ends[j]), score)
        found[cluster["cluster_id"]] = Reasons(
            named, strongest_named, tuple(cluster.get("corrections", ()))
        )
        start += len(group)
    return found


def _read_at(
    one: tuple[int, str],
    other: tuple[int, str],
    nodes: Sequence[Sequence[int]],
    places: NodePlaces,
    placed: Places,
    ids: Sequence[str],
) -> tuple[str, str]:
    """The copies of a pair of members (each: its index in `nodes`, the rows in `placed` and
    `ids` of its clustering node's members; and its id) at whose places the pair's score was
    read (`positions.pair_places`): for a text printed in two reports, the copy in the first
    report both nodes are printed in. A pair of one node, or one that reads no two places in
    one report, scores alike at every copy: the members themselves."""
    (a, a_id), (b, b_id) = one, other
    if nodes[a] is nodes[b] or len(nodes[a]) == len(nodes[b]) == 1:
        return a_id, b_id
    left, right = pair_places(places, np.array([[a, b]], dtype=np.int64))
    if left[0, 0] < 0 or left[0, 0] != right[0, 0]:
        return a_id, b_id
    return _copy_at(nodes[a], left[0], placed, ids), _copy_at(nodes[b], right[0], placed, ids)


def _copy_at(rows: Sequence[int], place: Places, placed: Places, ids: Sequence[str]) -> str:
    """The id of the member (of `rows`) printed at `place`."""
    return next(ids[row] for row in rows if (placed[row] == place).all())
