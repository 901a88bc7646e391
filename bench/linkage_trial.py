"""From pair scores to clusters, held out: the linkage trial (issue #19).

The pair model scores each pair; the linkage turns the scores into clusters. This trial asks how
much the second step can still give, under the protocol of bench/cluster_protocol.py: each of
#19's five test reviews is clustered by a pair model trained on the nine other gold reviews, with
the linkage's settings chosen without it. To choose honestly, every review a setting is chosen
on is itself scored by a pair model trained without it (and without the test review): nested
leave one out, so no choice reads in-sample probabilities (the tuning reviews score 0.90 in
sample, 0.60 held out). A second choice uses the five tuning reviews only (each scored by a
model trained on the other four) and the model trained on the five, as the shipped defaults do.

Linkages compared, each over its grid:
- average: today's average linkage on the 0-100 scale (the probability mapped by quantiles)
  with a no-chaining floor, over threshold x floor;
- log-odds: average linkage on the pair model's log-odds, a merge at a mean log-odds, a floor
  on the least pair;
- correlation: correlation clustering on log-odds minus a bias (greedy merges of the pair of
  clusters with the largest positive sum, then moves of one ask to the cluster it adds most to,
  as in clustering by a pairwise classifier), under the same floor.

It also prints two bounds that are not choices: the best F1 any one cut of the pair log-odds
reaches on each test review's pairs (the pairs alone, before any linkage), and each linkage's
best single setting read off the test reviews themselves (a peek, to show the headroom).

Run: .venv/bin/python bench/linkage_trial.py (needs the `train` extra; trains 46 pair models,
5-10 minutes on two cores). Its figures (the commit that added it, 2026-12-04) are of the pair
recipe and the graph of then: `graph` reads each node's places since bench/linkage2_trial.py.
"""

from __future__ import annotations

import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
from cluster_protocol import (
    GOLD,
    REVIEWS,
    Review,
    Score,
    load_reviews,
    pair_model_folder,
    print_table,
    score,
)

from uprdex.pipeline.clusters import ClusterSettings, cluster
from uprdex.pipeline.clusters.blocking import same_author_pairs
from uprdex.pipeline.clusters.linkage import node_key
from uprdex.pipeline.clusters.positions import node_places, position_features
from uprdex.pipeline.clusters.similarity import Similarity
from uprdex.pipeline.clusters.treaties import load_treaties

Matrix = npt.NDArray[np.float64]
SURE = 12.0
"""Log-odds of a pair the treaty rules join (the same ratification asked)."""


@dataclass(frozen=True)
class Graph:
    """One review's nodes (as `cluster` builds them) and their pairs under one pair model."""

    review: Review
    nodes: list[list[str]]
    scores: Matrix
    """0-100, as `cluster` scores with cutoff 0 (treaty rules, unknown words, same author)."""
    logits: Matrix
    apart: npt.NDArray[np.bool_]
    """Pairs that never share a cluster: different treaties, or one recommending State."""
    opening: npt.NDArray[np.bool_]
    """Pairs that open by ratifying the same treaty (raised to the floor, as `cluster` does)."""
    sure: npt.NDArray[np.bool_]


def graph(review: Review, folder: Path) -> Graph:
    """The review's node graph under the pair model in `folder`."""
    settings = ClusterSettings(pair_model=folder)
    treaties = load_treaties(settings.treaties)
    keys: dict[tuple[object, str, str | None], int] = {}
    members: list[list[str]] = []
    texts: list[str] = []
    for item in sorted(review.items, key=lambda item: item.id):
        key = node_key(item, settings, treaties, {})
        if key not in keys:
            keys[key] = len(texts)
            members.append([])
            texts.append(key[1])
        members[keys[key]].append(item.id)
    by_id = {item.id: item for item in review.items}
    groups = [[by_id[i] for i in group] for group in members]
    # Where each node is printed, as `cluster` reads it (a pair model that reads places scores
    # a pair of two places in one report with them, any other pair by its `plain` companion).
    similarity = Similarity(texts, treaties, settings, node_places(groups))
    assert similarity.learned is not None
    size = len(texts)
    pairs = np.array(np.triu_indices(size, 1), dtype=np.int64).T
    scores = similarity.pairs(pairs, 0).astype(np.float64)
    learned = similarity.learned
    logits, _ = learned.logits(pairs, 0.0)
    model = learned.model
    plain = model.mapped(logits)
    # A text the model knows no word of is scored by the mix: its log-odds read back off the map
    # of the model that scores the pair.
    probability = np.interp(scores, model.scale_to, model.scale_from)
    if learned.plain is not None and learned.inputs.places is not None:
        unplaced = ~position_features(learned.inputs.places, pairs)[1]
        if unplaced.any():
            companion = learned.plain.model
            logits[unplaced] = learned.plain.logits(pairs[unplaced], 0.0)[0]
            plain[unplaced] = companion.mapped(logits[unplaced])
            probability[unplaced] = np.interp(
                scores[unplaced], companion.scale_to, companion.scale_from
            )
    unknown = ~(similarity.known[pairs[:, 0]] & similarity.known[pairs[:, 1]])
    probability = np.clip(probability, 1e-6, 1 - 1e-6)
    logits = np.where(unknown, np.log(probability / (1 - probability)), logits)
    plain = np.where(unknown, scores, plain)
    apart = (scores == 0) & (plain > 0)
    codes = same_author_pairs(groups)
    apart |= np.isin(pairs[:, 0] * size + pairs[:, 1], codes)
    scores[apart] = 0
    first = [None if opened is None else opened[0][0] for opened in similarity.ratified]
    opening = np.array([first[a] is not None and first[a] == first[b] for a, b in pairs.tolist()])
    sure = (scores == 100) & (plain < 100)

    def square(values: npt.NDArray[np.float64] | npt.NDArray[np.bool_]) -> npt.NDArray[np.generic]:
        out = np.zeros((size, size), dtype=values.dtype)
        out[pairs[:, 0], pairs[:, 1]] = values
        return out | out.T if values.dtype == bool else out + out.T

    return Graph(
        review,
        members,
        square(scores),
        square(logits),
        square(apart),
        square(opening),
        square(sure),
    )


def average(weights: Matrix, threshold: float, floor: float) -> npt.NDArray[np.int64]:
    """Average linkage: merge the two clusters of highest mean weight while it reaches
    `threshold` and no cross pair is below `floor` (dense, for one review)."""
    size = len(weights)
    total = weights.copy()
    count = np.ones((size, size))
    least = weights.copy()
    np.fill_diagonal(least, np.inf)
    alive = np.ones(size, dtype=bool)
    label = np.arange(size)
    while True:
        mean = total / count
        ok = (least >= floor) & (mean >= threshold) & alive[:, None] & alive[None, :]
        np.fill_diagonal(ok, False)
        if not ok.any():
            return label
        a, b = sorted(np.unravel_index(np.argmax(np.where(ok, mean, -np.inf)), ok.shape))
        for matrix, join in ((total, np.add), (count, np.add), (least, np.minimum)):
            matrix[a] = join(matrix[a], matrix[b])
            matrix[:, a] = matrix[a]
        count[a, a], least[a, a] = 1, np.inf
        alive[b] = False
        label[label == b] = a


def correlation(weights: Matrix, forbidden: npt.NDArray[np.bool_]) -> npt.NDArray[np.int64]:
    """Correlation clustering: greedy merges of the two clusters whose cross weights sum
    highest (while positive, no forbidden pair), then moves of one node to the cluster (or a
    cluster of its own) where its weights sum highest, until none moves."""
    size = len(weights)
    total = weights.copy()
    np.fill_diagonal(total, 0)
    blocked = forbidden.copy()
    alive = np.ones(size, dtype=bool)
    label = np.arange(size)
    while True:
        ok = (total > 0) & ~blocked & alive[:, None] & alive[None, :]
        np.fill_diagonal(ok, False)
        if not ok.any():
            break
        a, b = sorted(np.unravel_index(np.argmax(np.where(ok, total, -np.inf)), ok.shape))
        total[a] += total[b]
        total[:, a] = total[a]
        blocked[a] |= blocked[b]
        blocked[:, a] = blocked[a]
        alive[b] = False
        label[label == b] = a
    weights = weights.copy()
    np.fill_diagonal(weights, 0)
    for _ in range(50):
        moved = False
        for node in range(size):
            # Each label's sum of the node's weights; a label no cluster holds sums 0: a
            # cluster of its own (there is one whenever the node shares its cluster).
            gain = np.bincount(label, weights=weights[node], minlength=size)
            barred = np.bincount(label, weights=forbidden[node], minlength=size) > 0
            gain[barred & (np.arange(size) != label[node])] = -np.inf
            best = int(np.argmax(gain))
            if gain[best] > gain[label[node]] + 1e-9:
                label[node] = best
                moved = True
        if not moved:
            break
    return label


Params = tuple[float, float]
Linkage = Callable[[Graph, Params], npt.NDArray[np.int64]]


def on_scale(found: Graph, params: Params) -> npt.NDArray[np.int64]:
    threshold, floor = params
    scores = np.where(found.opening, np.maximum(found.scores, floor), found.scores)
    scores = np.where(found.sure, 100.0, np.where(found.apart, -1e9, scores))
    return average(scores, threshold, floor)


def _odds(found: Graph, floor: float) -> Matrix:
    logits = np.where(found.opening, np.maximum(found.logits, floor), found.logits)
    return np.where(found.sure, SURE, np.where(found.apart, -1e6, logits))


def on_odds(found: Graph, params: Params) -> npt.NDArray[np.int64]:
    return average(_odds(found, params[1]), *params)


def correlated(found: Graph, params: Params) -> npt.NDArray[np.int64]:
    bias, floor = params
    logits = _odds(found, floor)
    return correlation(np.maximum(logits - bias, -50), logits < floor)


LINKAGES: dict[str, tuple[Linkage, list[Params]]] = {
    "average": (
        on_scale,
        [(t, f) for t in (45, 48.5, 52.5, 56, 59.5) for f in (15, 25, 30, 37.5, 45) if f <= t],
    ),
    "log-odds": (on_odds, [(t, f) for t in (-3, -2, -1, 0, 1) for f in (-8, -6, -4, -2) if f <= t]),
    "correlation": (correlated, [(b, f) for b in (-3, -2, -1, 0, 1) for f in (-10, -6, -4)]),
}


def scored(found: Graph, label: npt.NDArray[np.int64]) -> Score:
    assignment = {i: str(label[n]) for n, ids in enumerate(found.nodes) for i in ids}
    return score(assignment, found.review.gold)


_SCORES: dict[tuple[int, str, Params], Score] = {}


def _score(found: Graph, name: str, params: Params) -> Score:
    key = (id(found), name, params)
    if key not in _SCORES:
        _SCORES[key] = scored(found, LINKAGES[name][0](found, params))
    return _SCORES[key]


def chosen(name: str, inner: Sequence[Graph]) -> Params:
    """The grid's setting with the best mean F1 on `inner` (ties: precision, then order)."""
    grid = LINKAGES[name][1]
    ranked = [
        (
            sum(_score(g, name, p).f1 for g in inner),
            sum(_score(g, name, p).precision for g in inner),
            -at,
        )
        for at, p in enumerate(grid)
    ]
    return grid[-max(ranked)[2]]


def ceiling(found: Graph) -> float:
    """Best F1 of any one cut of the pair log-odds over the review's item pairs."""
    gold = found.review.gold
    values, labels = [], []
    for x, left in enumerate(found.nodes):
        for y in range(x + 1, len(found.nodes)):
            for a in left:
                for b in found.nodes[y]:
                    (ga, ca), (gb, cb) = gold[a], gold[b]
                    if ga != gb or ca == cb == "high":
                        values.append(found.logits[x, y])
                        labels.append(ga == gb)
    order = np.argsort(-np.array(values))
    hits = np.cumsum(np.array(labels)[order])
    precision = hits / np.arange(1, len(hits) + 1)
    recall = hits / max(hits[-1], 1)
    return float(np.max(2 * precision * recall / np.maximum(precision + recall, 1e-12)))


def main() -> int:
    if not GOLD.exists():
        print(f"skipped: {GOLD} not found (the shared corpus is not on this machine)")
        return 0
    start = time.perf_counter()
    every = load_reviews(tuning=True)
    tests, tuning = every[: len(REVIEWS)], every[len(REVIEWS) :]
    graphs: dict[tuple[str, tuple[str, ...]], Graph] = {}

    def under(review: Review, train: Sequence[Review]) -> Graph:
        key = (review.name, tuple(sorted(r.name for r in train)))
        if key not in graphs:
            graphs[key] = graph(review, pair_model_folder(train))
        return graphs[key]

    def without(*left: Review, pool: Sequence[Review] = every) -> list[Review]:
        return [r for r in pool if r not in left]

    results: dict[str, list[Score]] = defaultdict(list)
    picks: dict[str, list[str]] = defaultdict(list)
    inner_tuning = [under(r, without(r, pool=tuning)) for r in tuning]
    for held in tests:
        results["defaults"].append(score(cluster(held.items).assignment, held.gold))
        inner = [under(r, without(held, r)) for r in without(held)]
        for name in LINKAGES:
            params = chosen(name, inner)
            picks[name].append(f"{params}")
            results[f"{name}, 9 others"].append(_score(under(held, without(held)), name, params))
            params = chosen(name, inner_tuning)
            results[f"{name}, tuning 5"].append(_score(under(held, tuning), name, params))
        print(f"  {held.name}: {time.perf_counter() - start:.0f} s", flush=True)
    print(
        "== linkage: P/R/F1 on each test review; pair models and settings chosen without it\n"
        "  (9 others: each review a setting is chosen on scored by a model trained without it\n"
        "  and without the test review; tuning 5: chosen on the tuning reviews, each scored by a\n"
        "  model trained on the other four, applied with the model trained on the five)"
    )
    print_table(tests, dict(results))
    for name in LINKAGES:
        settings = "; ".join(f"{r.name}: {p}" for r, p in zip(tests, picks[name], strict=True))
        print(f"  {name}, chosen without each review: {settings}")
        print(f"  {name}, chosen on the tuning reviews: {chosen(name, inner_tuning)}")
    defaults = ClusterSettings()
    today = (defaults.threshold, defaults.min_pair)
    same = all(
        _score(under(r, tuning), "average", today) == results["defaults"][at]
        for at, r in enumerate(tests)
    )
    print(f"  the average linkage here at {today} scores as `cluster` does: {same}")
    held_out = [under(r, without(r)) for r in tests]
    cells = ", ".join(f"{g.review.name} {ceiling(g):.2f}" for g in held_out)
    print(f"  not a choice: best F1 of one cut of the pair log-odds, pairs alone: {cells}")
    for name, (_, grid) in LINKAGES.items():
        best = max(grid, key=lambda p: sum(_score(g, name, p).f1 for g in held_out))
        f1 = [_score(g, name, best).f1 for g in held_out]
        print(
            f"  not a choice: {name}'s best single setting read off the test reviews {best}: "
            f"mean F1 {sum(f1) / len(f1):.2f}, lowest {min(f1):.2f}"
        )
    print(f"  ({time.perf_counter() - start:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
