"""Recurring asks: a later review's asks matched against an earlier review's of the same State.

When a State is asked again for what it was asked last cycle, the ask was not implemented: the
signal researchers want most. Clustering both cycles together finds few of these links (a
cluster holds one commitment's wordings of one review; the earlier wording often joins none of
them), so the matcher compares every later ask with every earlier ask of the State directly and
links those whose similarity (`similarity`, the clusters' own score) reaches `RECURRENCE_CUT`.
A later ask may repeat several earlier ones, and the other way round.

Example:
    found = recurrences(earlier_items, later_items)
    found[0]   # Recurrence(later_id="A/HRC/26/6#143.36", earlier_id="A/HRC/12/11#44(a)", ...)
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from uprdex.pipeline.clusters.normalize import normalize
from uprdex.pipeline.clusters.records import ClusterItem, Recurrence
from uprdex.pipeline.clusters.similarity import Similarity
from uprdex.pipeline.clusters.treaties import load_treaties
from uprdex.pipeline.settings import ClusterSettings

__all__ = ["RECURRENCE_CUT", "Recurrence", "linked", "pair_matrix", "recurrences"]

RECURRENCE_CUT = 54.0
"""The similarity from which a later ask repeats an earlier one: the pair-level cut with the best
F1 on the "same commitment" pairs of four gold reviews (bench/recurrence_protocol.py; Viet Nam
2014, whose recurring asks are the test, left out)."""


def linked(
    pairs: npt.NDArray[np.int64],
    scores: npt.NDArray[np.float32],
    groups: Sequence[Sequence[ClusterItem]],
    cut: float = RECURRENCE_CUT,
) -> tuple[Recurrence, ...]:
    """The recurrences among scored node pairs (each node a group of items of one normalized
    text): items of one State under review from two reviews, in pairs scoring >= `cut` or in
    one node (the same text asked again)."""
    found: dict[tuple[str, str], float] = {}

    def add(a: ClusterItem, b: ClusterItem, score: float) -> None:
        ordered = _later_first(a, b) if a.state_under_review == b.state_under_review else None
        if ordered is None:
            return
        later, earlier = ordered
        key = (later.id, earlier.id)
        found[key] = max(found.get(key, 0.0), score)

    for group in groups:
        for at, a in enumerate(group):
            for b in group[at + 1 :]:
                add(a, b, 100.0)
    strong = np.nonzero(scores >= cut)[0]
    for (x, y), score in zip(pairs[strong].tolist(), scores[strong].tolist(), strict=True):
        for a in groups[x]:
            for b in groups[y]:
                add(a, b, round(float(score), 1))
    return tuple(
        Recurrence(later, earlier, score) for (later, earlier), score in sorted(found.items())
    )


def _later_first(a: ClusterItem, b: ClusterItem) -> tuple[ClusterItem, ClusterItem] | None:
    """The later and the earlier of two asks to one State, by Working Group session (they
    number all reviews in time order), else by cycle; None when they are of one review or
    either's is unknown."""
    for first, second in ((a.session, b.session), (a.cycle, b.cycle)):
        if first is not None and second is not None:
            if first == second:
                return None
            return (a, b) if first > second else (b, a)
    return None


def pair_matrix(
    rows: Sequence[ClusterItem], columns: Sequence[ClusterItem], settings: ClusterSettings
) -> npt.NDArray[np.float32]:
    """Similarity (0-100) of every row item with every column item, as `cluster` scores a pair
    (treaty rule included)."""
    treaties = load_treaties(settings.treaties)
    texts = [normalize(item.text, treaties) for item in [*rows, *columns]]
    similarity = Similarity(texts, treaties, settings)
    left, right = np.meshgrid(
        np.arange(len(rows)), len(rows) + np.arange(len(columns)), indexing="ij"
    )
    pairs = np.stack([left.ravel(), right.ravel()], axis=1).astype(np.int64)
    scores = similarity.pairs(pairs, cutoff=0)
    return scores.reshape(len(rows), len(columns))


def recurrences(
    earlier: Sequence[ClusterItem],
    later: Sequence[ClusterItem],
    settings: ClusterSettings | None = None,
    cut: float = RECURRENCE_CUT,
) -> list[Recurrence]:
    """The later asks that repeat earlier ones (score >= `cut`), by later then earlier id."""
    if not earlier or not later:
        return []
    matrix = pair_matrix(later, earlier, settings or ClusterSettings())
    rows, cols = np.nonzero(matrix >= cut)
    found = [
        Recurrence(later[r].id, earlier[c].id, round(float(matrix[r, c]), 1))
        for r, c in zip(rows.tolist(), cols.tolist(), strict=True)
    ]
    return sorted(found, key=lambda link: (link.later_id, link.earlier_id))
