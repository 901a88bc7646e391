"""The learned-merge trial's clusters (bench/merge_trial.py, issue #19): what the merge features
read of one crossfit graph (`Nodes`), a cluster's gold identity (`identity`), and the clusters of
one graph under merges (`State`) with the features of each candidate merge (`FEATURES`, as
pre-registered in bench/merge_trial.py's docstring).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from cluster_protocol import Review
from linkage_trial import SURE, Graph

from uprdex.pipeline.clusters import ClusterSettings
from uprdex.pipeline.clusters.linkage import node_key
from uprdex.pipeline.clusters.treaties import load_treaties

Matrix = npt.NDArray[np.float64]
Labels = npt.NDArray[np.int64]

CLIP = 15.0
GATE = 0.05
"""Least max cross p of a candidate merge."""
CUTS = (0.2, 0.5, 0.8)
FEATURES = (
    "mean log-odds",
    "min log-odds",
    "max log-odds",
    "mean p",
    "share p>0.2",
    "share p>0.5",
    "share p>0.8",
    "log items, smaller",
    "log items, larger",
    "treaty in common",
    "opening in common",
    "mean 0-100 score",
    "min 0-100 score",
    "share opening in common",
)
TODAY = (ClusterSettings().threshold, ClusterSettings().min_pair)


@dataclass(frozen=True)
class Nodes:
    """What the merge features read of one graph, per node and per node pair."""

    graph: Graph
    logits: Matrix
    cannot: npt.NDArray[np.bool_]
    treaties: npt.NDArray[np.bool_]
    """node x treaty key: the node's text names it."""
    items: npt.NDArray[np.float64]
    scale: Matrix
    """Today's 0-100 pair scores as `linkage_trial.on_scale` reads them at today's floor."""


def nodes(found: Graph) -> Nodes:
    """The graph's node features: clipped log-odds, cannot-links, treaty keys, sizes."""
    settings = ClusterSettings()
    table = load_treaties(settings.treaties)
    texts: dict[tuple[object, str, str | None], str] = {}
    for item in sorted(found.review.items, key=lambda item: item.id):
        key = node_key(item, settings, table, {})
        texts.setdefault(key, key[1])
    words = list(texts.values())
    assert len(words) == len(found.nodes)
    named = [{t for t in text.split() if t in table.keys} for text in words]
    keys = sorted(set().union(*named))
    treaties = np.array([[k in n for k in keys] for n in named], dtype=bool).reshape(
        len(words), len(keys)
    )
    logits = np.clip(found.logits, -CLIP, CLIP)
    logits = np.where(found.sure, SURE, logits)
    np.fill_diagonal(logits, CLIP)
    return Nodes(
        found,
        logits,
        found.apart.copy(),
        treaties,
        np.array([len(ids) for ids in found.nodes], dtype=np.float64),
        np.where(
            found.sure,
            100.0,
            np.where(found.opening, np.maximum(found.scores, TODAY[1]), found.scores),
        ),
    )


def identity(members: Sequence[str], gold: Review) -> str:
    """A cluster's gold identity: the gold cluster of most of its high items (else of all)."""
    marks = [gold.gold[i] for i in members]
    high = [g for g, c in marks if c == "high"] or [g for g, _ in marks]
    counts = Counter(high)
    top = max(counts.values())
    return min(g for g, n in counts.items() if n == top)


class State:
    """Clusters of one graph under merges, with every cross statistic the features read."""

    def __init__(self, data: Nodes, start: Labels | None = None) -> None:
        self.data = data
        size = len(data.logits)
        logits = data.logits
        p = 1 / (1 + np.exp(-logits))
        self.total = logits.copy()
        self.psum = p.copy()
        self.count = np.ones((size, size))
        self.least = logits.copy()
        self.most = logits.copy()
        self.over = [(p > cut).astype(np.float64) for cut in CUTS]
        self.cannot = data.cannot.copy()
        self.opening = data.graph.opening.copy()
        self.treaties = data.treaties.copy()
        self.items = data.items.copy()
        self.alive = np.ones(size, dtype=bool)
        self.label = np.arange(size)
        self.members: dict[int, list[str]] = {
            n: list(ids) for n, ids in enumerate(data.graph.nodes)
        }
        self.scale_total = data.scale.copy()
        self.scale_least = data.scale.copy()
        self.opens = data.graph.opening.astype(np.float64)
        for node, root in enumerate([] if start is None else start.tolist()):
            if root != node:
                self.merge(int(self.label[root]), int(self.label[node]))

    def features(self, a: int, others: npt.NDArray[np.int64]) -> Matrix:
        """The features of merging cluster `a` with each of `others` (rows)."""
        count = self.count[a, others]
        small = np.minimum(self.items[a], self.items[others])
        large = np.maximum(self.items[a], self.items[others])
        shared = (self.treaties[others].astype(np.int64) @ self.treaties[a].astype(np.int64)) > 0
        return np.column_stack(
            [
                self.total[a, others] / count,
                self.least[a, others],
                self.most[a, others],
                self.psum[a, others] / count,
                *[over[a, others] / count for over in self.over],
                np.log1p(small),
                np.log1p(large),
                shared.astype(np.float64),
                self.opening[a, others].astype(np.float64),
                self.scale_total[a, others] / count,
                self.scale_least[a, others],
                self.opens[a, others] / count,
            ]
        )

    def candidates(self, a: int) -> npt.NDArray[np.int64]:
        """The live clusters `a` may merge with (max cross p >= GATE, no apart pair)."""
        ok = self.alive & ~self.cannot[a] & (self.most[a] >= math.log(GATE / (1 - GATE)))
        ok[a] = False
        return np.nonzero(ok)[0]

    def merge(self, a: int, b: int) -> int:
        """Merge b into a (a < b); returns a."""
        a, b = min(a, b), max(a, b)
        for matrix, join in (
            (self.total, np.add),
            (self.psum, np.add),
            (self.count, np.add),
            (self.least, np.minimum),
            (self.most, np.maximum),
            *((over, np.add) for over in self.over),
            (self.cannot, np.logical_or),
            (self.opening, np.logical_or),
            (self.scale_total, np.add),
            (self.scale_least, np.minimum),
            (self.opens, np.add),
        ):
            matrix[a] = join(matrix[a], matrix[b])
            matrix[:, a] = matrix[a]
        self.treaties[a] |= self.treaties[b]
        self.items[a] += self.items[b]
        self.alive[b] = False
        self.label[self.label == b] = a
        self.members[a].extend(self.members.pop(b))
        return a
