"""The records clustering takes and gives: an item to cluster, a cluster, a run's result."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from uprdex.pipeline.settings import ClusterSettings


@dataclass(frozen=True, slots=True)
class ClusterItem:
    """One recommendation to cluster: id like "A/HRC/43/15#121.1", its text and where from.

    recommending_states: who made it. Two items of one review (same State under review and
    session) that share a recommending State never share a cluster.
    parts: what each State asked in a joint ask, as printed ("Abolish the death penalty",
    Luxembourg's of A/HRC/14/12 92.20; `recurrence_parts.state_asks` of the index's
    `recommendation_parts`); empty for an ask of one wording. The recurring asks compare them
    one by one (`recurrence_parts`).
    """

    id: str
    text: str
    state_under_review: str
    cycle: int | None = None
    session: int | None = None
    recommending_states: tuple[str, ...] = ()
    parts: tuple[str, ...] = ()


CORE_MARGIN = 10.0
"""Points above the threshold from which a member's mean similarity to the others makes it the
sure core. On the five gold reviews with the defaults (bench/cluster_protocol.py, session 38),
pairs whose members are both in the core are right 94% of the time; pairs with a doubtful
member 57%."""


def core_cut(settings: ClusterSettings) -> float:
    """The member confidence (0-1) from which a member is the sure core of its cluster."""
    return min(1.0, (settings.threshold + CORE_MARGIN) / 100)


@dataclass(frozen=True, slots=True)
class Cluster:
    """One duplicate cluster (possibly a single recommendation).

    canonical_id / canonical_text: the most central member (highest total similarity to the
    others), its text without the closing State list.
    recurring: one State under review has members from more than one cycle: the ask came back.
    confidence: how alike the members are (0-1): the mean similarity of all member pairs / 100
        (None for a single recommendation).
    member_confidence: each member's mean similarity to the other members / 100. A member at or
        above `core_cut` is the sure core; below it, a doubtful member the average took in.
    """

    id: str
    member_ids: tuple[str, ...]
    canonical_id: str
    canonical_text: str
    cycles: tuple[int, ...]
    recurring: bool
    confidence: float | None = None
    member_confidence: Mapping[str, float] = field(default_factory=dict)

    @property
    def size(self) -> int:
        """Number of member recommendations."""
        return len(self.member_ids)

    def doubtful(self, settings: ClusterSettings) -> tuple[str, ...]:
        """The members whose confidence is below `core_cut(settings)`: not the sure core."""
        cut = core_cut(settings)
        return tuple(m for m, c in sorted(self.member_confidence.items()) if c < cut)


@dataclass(frozen=True, slots=True)
class Recurrence:
    """A later ask that repeats an earlier ask made to the same State in an earlier review,
    and how alike they are (0-100, the clusters' similarity).

    by_cluster: found only because one cluster holds both (`recurrence.in_clusters`), not by
    their own score: it holds while one cluster does (`recurrence.after_corrections`)."""

    later_id: str
    earlier_id: str
    score: float
    by_cluster: bool = False


@dataclass(frozen=True, slots=True)
class ClusterResult:
    """Clusters of one run, the item id -> cluster id map, how much work blocking saved, and
    the recurring asks the run's scored pairs hold (`pipeline.clusters.recurrence`)."""

    clusters: tuple[Cluster, ...]
    assignment: Mapping[str, str]
    settings: ClusterSettings
    compared_pairs: int = 0
    possible_pairs: int = 0
    by_id: Mapping[str, Cluster] = field(default_factory=dict)
    recurrences: tuple[Recurrence, ...] = ()

    def multi(self) -> tuple[Cluster, ...]:
        """Clusters with two or more members."""
        return tuple(c for c in self.clusters if c.size > 1)
