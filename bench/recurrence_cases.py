"""Recurring asks: the review pairs bench/recurrence_recall.py and its fixes read (`Case`, `load`).

Each pair's link-model example (bench/recurrence_learned.py `examples`), its asks, and what the
fixes read of it: the pair scores within each review, the default clustering of both reviews,
the element scores (`element_features`), the word vectors' centroid cosines
(`centroid_cosines`) and the broad cross-cycle groups (`broad_groups`); and `_mean`, the mean
the tables print.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from recurrence_learned import STORED, examples
from recurrence_protocol import Pair

from uprdex.pipeline.clusters import ClusterItem, cluster
from uprdex.pipeline.clusters.normalize import normalize
from uprdex.pipeline.clusters.recurrence_model import FEATURES, ranks
from uprdex.pipeline.clusters.similarity import Similarity
from uprdex.pipeline.clusters.treaties import load_treaties
from uprdex.pipeline.settings import ClusterSettings
from uprdex.pipeline.train_recurrence import Example
from uprdex.pipeline.word_vectors import vector_features

Floats = npt.NDArray[np.float64]
Links = npt.NDArray[np.bool_]
Groups = tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]
Scores = tuple[float, float, float, int, int]
AT = {name: at for at, name in enumerate(FEATURES)}


@dataclass(frozen=True)
class Case:
    """One review pair: the link model's example, its asks, and what the fixes read: the pair
    scores within each review (later x later, earlier x earlier, 0-100), whether the default
    clustering puts a later and an earlier ask in one cluster (what the index adds to the
    model's links; `clusters`: the cluster of each later and each earlier ask), the element
    features (`element_features`), the word vectors' centroid cosine of every later x earlier
    pair (`centroid_cosines`) and the broad groups (`broad_groups`)."""

    example: Example
    earlier: list[ClusterItem]
    later: list[ClusterItem]
    within_later: Floats
    within_earlier: Floats
    same_cluster: Links
    elements: Floats
    centroids: Floats
    broad: dict[float, Groups]
    clusters: Groups


ELEMENT_BREAK = re.compile(r";\s*|\)\s+and\s+(?=to\s)", re.IGNORECASE)
"""Where one printed item holds several asks, e.g. Ghana 2008, A/HRC/8/36 68.1: "To take the
necessary measures ... (France); to strengthen its efforts in protecting women's rights
(Switzerland) and to take further steps ..."."""


def elements(text: str) -> list[str]:
    """The asks of one printed item: its parts between `ELEMENT_BREAK`s of three words or more
    (the whole text when there is one)."""
    parts = [part.strip() for part in ELEMENT_BREAK.split(text) if len(part.split()) >= 3]
    return parts or [text]


def _similarity(texts: Sequence[str], settings: ClusterSettings) -> Similarity:
    treaties = load_treaties(settings.treaties)
    return Similarity([normalize(text, treaties) for text in texts], treaties, settings)


def _grid(similarity: Similarity, rows: Sequence[int], columns: Sequence[int]) -> Floats:
    left, right = np.meshgrid(rows, columns, indexing="ij")
    pairs = np.stack([left.ravel(), right.ravel()], axis=1).astype(np.int64)
    return similarity.pairs(pairs, 0).reshape(len(rows), len(columns)).astype(np.float64)


def within(items: Sequence[ClusterItem], settings: ClusterSettings) -> Floats:
    """The pair scores of every two asks of one review (100 on the diagonal)."""
    scores = _grid(_similarity([item.text for item in items], settings), *[range(len(items))] * 2)
    np.fill_diagonal(scores, 100.0)
    return scores


def element_features(
    earlier: Sequence[ClusterItem], later: Sequence[ClusterItem], settings: ClusterSettings
) -> Floats:
    """Per later x earlier pair: the best pair score (0-1) between an element of the later
    ask and one of the earlier (`elements`), and its log rank in its row and its column."""
    parts_later = [elements(item.text) for item in later]
    parts_earlier = [elements(item.text) for item in earlier]
    texts = [part for parts in (*parts_later, *parts_earlier) for part in parts]
    owner_later = np.array([r for r, parts in enumerate(parts_later) for _ in parts])
    owner_earlier = np.array([c for c, parts in enumerate(parts_earlier) for _ in parts])
    count = len(owner_later)
    scores = _grid(
        _similarity(texts, settings), range(count), count + np.arange(len(owner_earlier))
    )
    best = np.zeros((len(later), len(earlier)))
    np.maximum.at(best, (owner_later[:, None], owner_earlier[None, :]), scores / 100)
    return np.stack([best, np.log(ranks(best, 1)), np.log(ranks(best, 0))], axis=-1)


def centroid_cosines(
    earlier: Sequence[ClusterItem], later: Sequence[ClusterItem], settings: ClusterSettings
) -> Floats:
    """The cosine (0-1) of the two asks' idf-weighted mean word vectors, as the pair model
    reads it (its `centroid` feature), of every later x earlier pair."""
    similarity = _similarity([item.text for item in [*later, *earlier]], settings)
    assert similarity.learned is not None and similarity.learned.inputs.lexicon is not None
    count = len(later)
    left, right = np.meshgrid(np.arange(count), count + np.arange(len(earlier)), indexing="ij")
    pairs = np.stack([left.ravel(), right.ravel()], axis=1).astype(np.int64)
    cosines = vector_features(similarity.learned.inputs.lexicon, pairs, ["centroid"])
    return cosines[:, 0].reshape(count, len(earlier))


GRANULARITIES = (0.6, 0.7, 0.8, 0.9, 1.0)
"""The broad granularities of `broad_groups` (the default is 0.5)."""


def groups(
    earlier: Sequence[ClusterItem], later: Sequence[ClusterItem], settings: ClusterSettings
) -> Groups:
    """The group (a number) of each later and of each earlier ask when the asks of both reviews
    are clustered together with `settings`."""
    assignment = cluster([*earlier, *later], settings).assignment
    names = {name: at for at, name in enumerate(sorted(set(assignment.values())))}
    return (
        np.array([names[assignment[item.id]] for item in later], dtype=np.int64),
        np.array([names[assignment[item.id]] for item in earlier], dtype=np.int64),
    )


def broad_groups(
    earlier: Sequence[ClusterItem], later: Sequence[ClusterItem]
) -> dict[float, Groups]:
    """Per granularity of `GRANULARITIES`: `groups` at it (the rule's recurrences: the groups
    alone are read)."""
    return {
        g: groups(earlier, later, ClusterSettings(granularity=g, learned_recurrence=False))
        for g in GRANULARITIES
    }


def load(pairs: Sequence[Pair]) -> list[Case]:
    """Each pair's `Case`."""
    settings = ClusterSettings()
    out = []
    for example, _ in examples(tuple(pairs)):
        earlier, later = STORED[example.name]
        later_cluster, earlier_cluster = groups(earlier, later, settings)
        out.append(
            Case(
                example,
                earlier,
                later,
                within(later, settings),
                within(earlier, settings),
                later_cluster[:, None] == earlier_cluster[None, :],
                element_features(earlier, later, settings),
                centroid_cosines(earlier, later, settings),
                broad_groups(earlier, later),
                (later_cluster, earlier_cluster),
            )
        )
    return out


def _mean(values: object) -> float:
    return float(np.mean(list(values)))  # type: ignore[call-overload]
