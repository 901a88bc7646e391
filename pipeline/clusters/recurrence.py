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
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from uprdex.pipeline.clusters.normalize import normalize
from uprdex.pipeline.clusters.records import ClusterItem
from uprdex.pipeline.clusters.similarity import Similarity
from uprdex.pipeline.clusters.treaties import load_treaties
from uprdex.pipeline.settings import ClusterSettings

__all__ = ["RECURRENCE_CUT", "Recurrence", "pair_matrix", "recurrences"]

RECURRENCE_CUT = 56.0
"""The similarity from which a later ask repeats an earlier one: the pair-level cut with the best
F1 on the "same commitment" pairs of four gold reviews (bench/recurrence_protocol.py; Viet Nam
2014, whose recurring asks are the test, left out)."""


@dataclass(frozen=True, slots=True)
class Recurrence:
    """A later ask that repeats an earlier one, and how alike they are (0-100)."""

    later_id: str
    earlier_id: str
    score: float


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
