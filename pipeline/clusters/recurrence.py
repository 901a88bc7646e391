"""Recurring asks: a later review's asks matched against an earlier review's of the same State.

When a State is asked again for what it was asked last cycle, the ask was not implemented: the
signal researchers want most. A later ask repeats an earlier one when their score reaches
`RecurrenceSettings.cut`. By default the score is the clusters' similarity (words and meaning).
The asks of two cycles are seldom worded alike ("Take further structural measures ... to protect
women and children from domestic violence", then "Take additional measures to protect women
from domestic violence"), so the score may also mix in how alike the two asks' subjects are
(their theme scores, `ThemeModel.subjects`): `subject_weight`. And those who track recurrences
link blocks of one commitment many to many ("Abolish the death penalty" from five States to each
earlier ask to abolish it), so a later ask may also repeat what a near-identical ask of its own
review repeats (their score at least `near`), scored as the weaker of the two steps.
`SUBJECT_MATCH` does both (bench/recurrence_protocol.py measures it against the default). A
later ask may repeat several earlier ones, and the other way round. Last, with `clustered`
(the default), the asks of two reviews of one State that the clustering puts in one cluster
repeat each other (`in_clusters`): average linkage joins asks of one commitment whose own
pair scores under the cut (Uruguay's "Proceed with the establishment of a National Preventive
Mechanism against Torture ..." of 2014 scores 50 with "Ensure that its national preventive
mechanism complies with the Optional Protocol to CAT ..." of 2009; another 2014 ask for the
mechanism joins them).

Example:
    found = recurrences(earlier_items, later_items)
    found[0]   # Recurrence(later_id="A/HRC/26/6#143.36", earlier_id="A/HRC/12/11#44(a)", ...)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from uprdex.pipeline.clusters.normalize import normalize, strip_states
from uprdex.pipeline.clusters.records import ClusterItem, Recurrence
from uprdex.pipeline.clusters.similarity import Similarity
from uprdex.pipeline.clusters.treaties import load_treaties
from uprdex.pipeline.settings import ClusterSettings
from uprdex.pipeline.theme_model import ThemeModel

__all__ = [
    "RECURRENCE_CUT",
    "SUBJECT_MATCH",
    "Recurrence",
    "RecurrenceSettings",
    "after_corrections",
    "in_clusters",
    "linked",
    "matched",
    "mixed",
    "pair_matrix",
    "recurrence_matrices",
    "recurrences",
    "subject_vectors",
]

Floats = npt.NDArray[np.float32]


@dataclass(frozen=True, slots=True)
class RecurrenceSettings:
    """How a later ask is matched with the earlier asks it repeats.

    cut: the lowest score (0-100) of a later and an earlier ask for the later to repeat it.
    subject_weight: the share of the score that is how alike the asks' subjects are (the cosine
        of their theme scores x 100); the clusters' similarity has the rest.
    near: two asks of one review scoring at least this share what each repeats (None: never).
    clustered: the asks of two reviews of one State in one cluster also repeat each other
        (`in_clusters`; only `cluster` knows the clusters, `recurrences` ignores it).

    The defaults are the similarity alone at cut 54 and the clusters' pairs:
    bench/recurrence_protocol.py's choice, among the similarity alone at any cut with or without
    the clusters' pairs, on the three tuning pairs below (best summed F1 at precision >= 0.80 on
    each), re-chosen each time the pair model changed (cut 54, then 52 with the model of twelve
    reviews, 54 again with its word vectors' centroid).
    `SUBJECT_MATCH` is the protocol's choice among every setting on the same Kazakhstan 2010 ->
    2014, Uruguay 2009 -> 2014 and Belize 2009 -> 2013 gold (bench/gold). Neither reaches issue
    #19's target on Viet Nam 2009 -> 2014 or on the four pairs kept aside (the protocol prints
    them); `ClusterSettings.learned_recurrence` does better, and is slower.
    """

    cut: float = 54.0
    subject_weight: float = 0.0
    near: float | None = None
    clustered: bool = True

    def __post_init__(self) -> None:
        if not 0 < self.cut <= 100:
            raise ValueError(f"cut must be in (0, 100], got {self.cut}")
        if not 0 <= self.subject_weight < 1:
            raise ValueError(f"subject_weight must be in [0, 1), got {self.subject_weight}")
        if self.near is not None and not 0 < self.near <= 100:
            raise ValueError(f"near must be in (0, 100] or None, got {self.near}")

    @property
    def lowest(self) -> float:
        """The lowest score that links anything (the cut, or `near` when below it)."""
        return self.cut if self.near is None else min(self.cut, self.near)

    def reachable(self) -> float:
        """The lowest similarity from which a pair can reach `lowest` (subjects alike)."""
        return max(0.0, (self.lowest - 100 * self.subject_weight) / (1 - self.subject_weight))


RECURRENCE_CUT = RecurrenceSettings().cut
"""The score from which a later ask repeats an earlier one (`RecurrenceSettings.cut`)."""

SUBJECT_MATCH = RecurrenceSettings(cut=68.0, subject_weight=0.4, near=85.0)
"""The subjects mixed in and near-identical asks sharing their links: bench/recurrence_protocol.py's
choice on the three tuning pairs (of the settings with precision >= 0.80 on each, the best summed
F1)."""


def subject_vectors(texts: Sequence[str], settings: RecurrenceSettings) -> Floats:
    """What each ask is about: unit vectors whose dot products compare two asks' subjects
    (zeros, and no model read, when `settings` give the subjects no weight)."""
    if settings.subject_weight == 0:
        return np.zeros((len(texts), 1), dtype=np.float32)
    return ThemeModel.load().subjects([strip_states(text) for text in texts])


def mixed(
    scores: npt.NDArray[np.float32], cosines: npt.NDArray[np.float32], settings: RecurrenceSettings
) -> Floats:
    """The recurrence score (0-100) of pairs from their similarity and their subjects' cosine."""
    weight = settings.subject_weight
    out: Floats = ((1 - weight) * scores + weight * 100 * np.clip(cosines, 0, 1)).astype(np.float32)
    return out


def matched(cross: Floats, within: Floats, settings: RecurrenceSettings) -> Floats:
    """The links among later (rows) x earlier (columns) asks given their recurrence scores
    (`cross`) and those of the later asks among themselves (`within`, -1 or 0 where two are
    not of one review): each link's score, 0 where none. A pair links when it reaches the cut,
    or when the later ask scores at least `near` with an ask of its review that links to that
    earlier ask (then scored as the weaker of the two steps; one step, no chains)."""
    base = np.where(cross >= settings.cut, cross, 0).astype(np.float32)
    if settings.near is None or not len(base):
        return base
    near = np.where(within >= settings.near, within, 0).astype(np.float32)
    np.fill_diagonal(near, 0)
    out = base.copy()
    for row in np.nonzero(near.any(axis=1))[0].tolist():
        via = np.minimum(near[row][:, None], base).max(axis=0)
        out[row] = np.maximum(out[row], via)
    return out


def linked(
    pairs: npt.NDArray[np.int64],
    scores: npt.NDArray[np.float32],
    groups: Sequence[Sequence[ClusterItem]],
    settings: RecurrenceSettings | None = None,
) -> tuple[Recurrence, ...]:
    """The recurrences among scored node pairs (each node a group of items of one normalized
    text), as `matched` finds them in a matrix: items of one State under review from two
    reviews whose pair reaches the cut or are in one node (the same text asked again), and
    the links a near-identical ask of the same review lends."""
    settings = settings or RecurrenceSettings()
    later_of: dict[tuple[str, str], float] = {}
    near: dict[str, list[tuple[ClusterItem, float]]] = defaultdict(list)

    def add(a: ClusterItem, b: ClusterItem, score: float) -> None:
        if a.state_under_review != b.state_under_review:
            return
        ordered = _later_first(a, b)
        if ordered is not None:
            if score >= settings.cut:
                key = (ordered[0].id, ordered[1].id)
                later_of[key] = max(later_of.get(key, 0.0), score)
        elif settings.near is not None and score >= settings.near and _one_review(a, b):
            near[a.id].append((b, score))
            near[b.id].append((a, score))

    for group in groups:
        for at, a in enumerate(group):
            for b in group[at + 1 :]:
                add(a, b, 100.0)
    # Only pairs that could link with subjects alike are worth the subjects' cost.
    hopeful = np.nonzero(scores >= settings.reachable())[0]
    states = _node_states(groups)
    left, right = pairs[hopeful, 0], pairs[hopeful, 1]
    alike = (states[left] == states[right]) | (states[left] < 0) | (states[right] < 0)
    hopeful, left, right = hopeful[alike], left[alike], right[alike]
    if len(hopeful):
        nodes = np.unique(np.concatenate([left, right]))
        vectors = subject_vectors([groups[n][0].text for n in nodes.tolist()], settings)
        at_left, at_right = np.searchsorted(nodes, left), np.searchsorted(nodes, right)
        cosines = np.einsum("ij,ij->i", vectors[at_left], vectors[at_right])
        combined = mixed(scores[hopeful], cosines, settings)
        keep = np.nonzero(combined >= settings.lowest)[0]
        for x, y, score in zip(
            left[keep].tolist(), right[keep].tolist(), combined[keep].tolist(), strict=True
        ):
            for a in groups[x]:
                for b in groups[y]:
                    add(a, b, round(float(score), 1))
    found = dict(later_of)
    earlier_of: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for (later, earlier), score in later_of.items():
        earlier_of[later].append((earlier, score))
    for later, links in earlier_of.items():
        for other, closeness in near.get(later, ()):
            for earlier, score in links:
                key = (other.id, earlier)
                found[key] = max(found.get(key, 0.0), min(score, closeness))
    return tuple(
        Recurrence(later, earlier, score) for (later, earlier), score in sorted(found.items())
    )


def in_clusters(
    found: Sequence[Recurrence],
    clusters: Sequence[Sequence[int]],
    groups: Sequence[Sequence[ClusterItem]],
    score: Callable[[npt.NDArray[np.int64]], npt.NDArray[np.float32]],
) -> tuple[Recurrence, ...]:
    """`found` and the pairs of asks to one State from two reviews that one cluster (a list
    of nodes, each a group of items) holds, these scored by `score` on their nodes (a link
    already found keeps its score; the others are `by_cluster`), by later then earlier id."""
    links = {(link.later_id, link.earlier_id): link for link in found}
    wanted: dict[tuple[str, str], tuple[int, int]] = {}
    for nodes in clusters:
        if len(nodes) < 2:
            continue
        members = [(node, item) for node in nodes for item in groups[node]]
        for key, pair in _two_reviews(members):
            if key not in links:
                wanted[key] = pair
    if wanted:
        keys = sorted(wanted)
        scored = score(np.array([wanted[key] for key in keys], dtype=np.int64)).tolist()
        for (later, earlier), s in zip(keys, scored, strict=True):
            links[(later, earlier)] = Recurrence(later, earlier, round(float(s), 1), True)
    return tuple(links[key] for key in sorted(links))


def after_corrections(
    found: Sequence[Recurrence],
    clusters: Sequence[Sequence[ClusterItem]],
    shaped: Collection[int],
    apart: Collection[frozenset[str]],
    score: Callable[[Sequence[str]], Sequence[Sequence[float]]],
) -> tuple[Recurrence, ...]:
    """The recurring asks once a researcher's corrections changed the `clusters` (`found`:
    the clustering's, before them), by later then earlier id.

    An unlinked pair (`apart`) repeats nothing. A link found only because one cluster held
    both asks (`by_cluster`) holds while one corrected cluster does. In each cluster a
    correction shaped (`shaped`, indices into `clusters`: those holding an ask a link or an
    unlink names) the asks of two reviews of one State repeat each other, as `in_clusters`
    finds them, scored by `score` (the square matrix of some texts' similarities, 0-100) a
    pair the clustering's own score did not link: a link across reviews is "asked before".
    So the same corrections give the same links whichever clustering they follow, one from
    scratch or one that kept the corrected clusters of the last run whole.
    """
    cluster_of = {item.id: n for n, members in enumerate(clusters) for item in members}

    def holds(link: Recurrence) -> bool:
        if frozenset((link.later_id, link.earlier_id)) in apart:
            return False
        at = cluster_of.get(link.later_id)
        return not link.by_cluster or (at == cluster_of.get(link.earlier_id) and at not in shaped)

    kept = {(link.later_id, link.earlier_id): link for link in found if holds(link)}
    for n in sorted(shaped):
        wanted = [
            (key, pair)
            for key, pair in _two_reviews(list(enumerate(clusters[n])))
            if key not in kept and frozenset(key) not in apart
        ]
        if not wanted:
            continue
        read = sorted({at for _, pair in wanted for at in pair})
        matrix = score([clusters[n][at].text for at in read])
        row = {at: r for r, at in enumerate(read)}
        for (later, earlier), (x, y) in wanted:
            similarity = round(float(matrix[row[x]][row[y]]), 1)
            kept[(later, earlier)] = Recurrence(later, earlier, similarity, True)
    return tuple(kept[key] for key in sorted(kept))


def _two_reviews(
    members: Sequence[tuple[int, ClusterItem]],
) -> Iterator[tuple[tuple[str, str], tuple[int, int]]]:
    """Each pair of one cluster's asks (each with its node) made to one State in two reviews
    and not one text (one node): (later id, earlier id) and their two nodes, smallest first."""
    by_state: dict[str, list[tuple[int, ClusterItem]]] = defaultdict(list)
    for node, item in members:
        by_state[item.state_under_review].append((node, item))
    for asks in by_state.values():
        for at, (x, a) in enumerate(asks):
            for y, b in asks[at + 1 :]:
                ordered = _later_first(a, b) if x != y else None
                if ordered is not None:
                    yield (ordered[0].id, ordered[1].id), (min(x, y), max(x, y))


def _node_states(groups: Sequence[Sequence[ClusterItem]]) -> npt.NDArray[np.int64]:
    """Each node's State under review as a number, -1 for a node of several States."""
    codes: dict[str, int] = {}
    out = np.empty(len(groups), dtype=np.int64)
    for node, group in enumerate(groups):
        names = {item.state_under_review for item in group}
        out[node] = codes.setdefault(names.pop(), len(codes)) if len(names) == 1 else -1
    return out


def _one_review(a: ClusterItem, b: ClusterItem) -> bool:
    """Two asks to one State of one review (by its session, else its cycle), made by no one
    State: a State does not ask one thing twice in a review."""
    if a.session is not None or b.session is not None:
        same = a.session == b.session
    else:
        same = a.cycle is not None and a.cycle == b.cycle
    return same and not set(a.recommending_states) & set(b.recommending_states)


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


def recurrence_matrices(
    earlier: Sequence[ClusterItem],
    later: Sequence[ClusterItem],
    settings: RecurrenceSettings,
    cluster_settings: ClusterSettings,
) -> tuple[Floats, Floats]:
    """(later x earlier, later x later) recurrence scores; -1 between two later asks that are
    not of one review or share a recommending State."""
    items = [*later, *earlier]
    similarity = pair_matrix(items, items, cluster_settings)
    vectors = subject_vectors([item.text for item in items], settings)
    scores = mixed(similarity, vectors @ vectors.T, settings)
    count = len(later)
    within = scores[:count, :count].copy()
    for row, a in enumerate(later):
        for column, b in enumerate(later):
            if row != column and not _one_review(a, b):
                within[row, column] = -1
    return scores[:count, count:], within


def recurrences(
    earlier: Sequence[ClusterItem],
    later: Sequence[ClusterItem],
    settings: ClusterSettings | None = None,
    recurrence: RecurrenceSettings | None = None,
) -> list[Recurrence]:
    """The later asks that repeat earlier ones (`matched`), by later then earlier id."""
    if not earlier or not later:
        return []
    recurrence = recurrence or RecurrenceSettings()
    cross, within = recurrence_matrices(earlier, later, recurrence, settings or ClusterSettings())
    links = matched(cross, within, recurrence)
    rows, cols = np.nonzero(links)
    found = [
        Recurrence(later[r].id, earlier[c].id, round(float(links[r, c]), 1))
        for r, c in zip(rows.tolist(), cols.tolist(), strict=True)
    ]
    return sorted(found, key=lambda link: (link.later_id, link.earlier_id))
