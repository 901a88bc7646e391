"""Linkage: average linkage under a no-chaining floor, cluster ids, and `cluster` itself."""

from __future__ import annotations

import hashlib
import heapq
import operator
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import partial
from pathlib import Path

import numpy as np
import numpy.typing as npt

from uprdex.pipeline.clusters.blocking import candidates, same_author_pairs, scope_key
from uprdex.pipeline.clusters.normalize import normalize, strip_states
from uprdex.pipeline.clusters.positions import node_places, position_features
from uprdex.pipeline.clusters.records import Cluster, ClusterItem, ClusterResult
from uprdex.pipeline.clusters.recurrence import RecurrenceSettings, in_clusters, linked
from uprdex.pipeline.clusters.recurrence_links import learned_recurrences
from uprdex.pipeline.clusters.recurrence_named import with_named
from uprdex.pipeline.clusters.similarity import (
    Similarity,
    halfway,
    matrices_halfway,
    opening_treaties,
)
from uprdex.pipeline.clusters.treaties import TreatyTable, load_treaties
from uprdex.pipeline.forked import in_background, in_halves, in_parts
from uprdex.pipeline.settings import ClusterSettings


def _cluster_id(member_ids: Iterable[str]) -> str:
    first = min(member_ids)
    return "c-" + hashlib.sha1(first.encode("utf-8")).hexdigest()[:12]


_BACKGROUND_FROM = 5_000
"""From this many recommendations a whole run uses a second process: the texts are normalized
in parts (`in_parts`), and blocking's pairs and the recurring asks found in forks
(`in_background`)."""

_REPORTED = re.compile(
    r"^(?=.*\brecommended\b)(?:[A-Z][\w'’.-]*\s+)+(?:also\s+|further\s+)?[a-z]\w*ed\b"
)
"""A cycle-1 report's account of an ask: a State's name, a verb in the past tense, and
"recommended" ("Mexico recommended that Ghana adopt ...", "Italy also acknowledged ... and
recommended the adoption of ..."), where an ask opens with its verb ("Adopt a legal ...")."""

_COMPLETE_LIMIT = 2_000
"""Most pairs scored at once to complete one link (blocking's large scopes)."""


class Linkage:
    """Average linkage over a sparse graph whose edges are the pairs scoring >= floor.

    Every cluster pair kept in `links` is complete (all cross pairs are edges), so a merge never
    puts two items that score below the floor together: no chaining. Where blocking left pairs
    uncompared (`complete` given), a merge scores the pairs a promising link lacks (its average
    so far reaches the threshold) instead of dropping it: "Ratify the CED" reaches the CED
    cluster even though blocking compared it with only some members.
    """

    def __init__(
        self,
        size: int,
        threshold: float,
        complete: Callable[[npt.NDArray[np.int64]], npt.NDArray[np.float32]] | None = None,
    ) -> None:
        self.members: dict[int, list[int]] = {i: [i] for i in range(size)}
        self.seed: dict[int, str | None] = dict.fromkeys(range(size))
        self.links: dict[int, dict[int, tuple[float, int]]] = {i: {} for i in range(size)}
        self.threshold = threshold
        self.complete = complete
        self.size = size
        # Scores `complete` gave (key x * size + y): a link dropped (below the threshold, or
        # a pair under the floor) is often proposed again by a later merge.
        self.completed: dict[int, float] = {}

    def add_edge(self, a: int, b: int, score: float) -> None:
        self.links[a][b] = (score, 1)
        self.links[b][a] = (score, 1)

    def merge(self, a: int, b: int) -> int:
        """Merge clusters a and b into the one with the smaller id; keep complete links only."""
        keep, gone = min(a, b), max(a, b)
        sides = {keep: list(self.members[keep]), gone: self.members[gone]}
        self.members[keep].extend(self.members.pop(gone))
        self.seed[keep] = self.seed[keep] or self.seed[gone]
        del self.seed[gone]
        left, right = self.links.pop(keep), self.links.pop(gone)
        merged: dict[int, tuple[float, int]] = {}
        lacking: list[tuple[int, list[int], tuple[float, int]]] = []
        for other in left.keys() | right.keys():
            if other in (keep, gone):
                continue
            self.links[other].pop(keep, None)
            self.links[other].pop(gone, None)
            if other in left and other in right:
                (s1, c1), (s2, c2) = left[other], right[other]
                merged[other] = (s1 + s2, c1 + c2)
            elif self.complete is not None:
                total, count = left.get(other) or right[other]
                missing = sides[gone] if other in left else sides[keep]
                if (
                    total / count >= self.threshold
                    and len(missing) * len(self.members[other]) <= _COMPLETE_LIMIT
                ):
                    lacking.append((other, missing, (total, count)))
        merged.update(self._completed(lacking))
        for other, link in merged.items():
            self.links[other][keep] = link
        self.links[keep] = merged
        return keep

    def _completed(
        self, lacking: list[tuple[int, list[int], tuple[float, int]]]
    ) -> dict[int, tuple[float, int]]:
        """The links in `lacking` whose unscored pairs all reach the floor, with those scores."""
        if not lacking or self.complete is None:
            return {}
        size, known = self.size, self.completed
        keys = [
            min(x, y) * size + max(x, y)
            for other, missing, _ in lacking
            for x in self.members[other]
            for y in missing
        ]
        unknown = sorted({key for key in keys if key not in known})
        if unknown:
            codes = np.array(unknown, dtype=np.int64)
            pairs = np.stack([codes // size, codes % size], axis=1)
            known.update(zip(unknown, self.complete(pairs).tolist(), strict=True))
        scores = [known[key] for key in keys]
        done: dict[int, tuple[float, int]] = {}
        at = 0
        for other, missing, (total, count) in lacking:
            n = len(self.members[other]) * len(missing)
            chunk = scores[at : at + n]
            at += n
            if all(score > 0 for score in chunk):
                done[other] = (total + sum(chunk), count + n)
        return done

    def can_merge(self, a: int, b: int) -> bool:
        seed_a, seed_b = self.seed[a], self.seed[b]
        return seed_a is None or seed_b is None or seed_a == seed_b

    def run(self) -> None:
        threshold = self.threshold
        heap: list[tuple[float, int, int]] = []
        for a, links in self.links.items():
            for b, (total, count) in links.items():
                if a < b and total / count >= threshold:
                    heap.append((-total / count, a, b))
        heapq.heapify(heap)
        while heap:
            neg_avg, a, b = heapq.heappop(heap)
            link = self.links.get(a, {}).get(b)
            if link is None or -neg_avg != link[0] / link[1] or not self.can_merge(a, b):
                continue
            keep = self.merge(a, b)
            for other, (total, count) in self.links[keep].items():
                if total / count >= threshold:
                    heapq.heappush(heap, (-total / count, min(keep, other), max(keep, other)))


def node_key(
    item: ClusterItem,
    settings: ClusterSettings,
    treaties: TreatyTable,
    existing: Mapping[str, str],
    normalized: str | None = None,
) -> tuple[object, str, str | None]:
    """The node `cluster` puts an item in: its scope block, normalized text (`normalized`,
    if known) and previous cluster (one ask from several States, listed once per State, is
    compared once)."""
    text = normalize(item.text, treaties) if normalized is None else normalized
    return scope_key(item, settings.scope), text, existing.get(item.id)


def _normalized(texts: Sequence[str], treaties: Path | None) -> list[str]:
    """`texts` normalized with the treaty table at `treaties` (a part's work: the table is
    read in the worker, not sent to it)."""
    table = load_treaties(treaties)
    return [normalize(text, table) for text in texts]


def needs_completion(settings: ClusterSettings, largest: int) -> bool:
    """Whether blocking chose the pairs (no meaning scores, or a block of more than
    `dense_limit` distinct texts), so that a merge must score the pairs a link lacks."""
    return settings.semantic_weight == 0 or largest > settings.dense_limit


def cluster(
    items: Sequence[ClusterItem],
    settings: ClusterSettings | None = None,
    existing: Mapping[str, str] | None = None,
    recurrence: RecurrenceSettings | None = None,
    *,
    sparse: bool | None = None,
) -> ClusterResult:
    """Group recommendations that make the same ask into clusters with stable ids.

    Args:
        items: the recommendations; ids must be unique.
        settings: scorer, thresholds and scope (defaults: `ClusterSettings()`).
        existing: item id -> cluster id from a previous run. Those items keep their cluster id,
            clusters of a previous run are never merged with each other, and new items may join
            them. New clusters get "c-" + a hash of their smallest member id, so the same input
            always gives the same ids.
        recurrence: how the recurring asks among the scored pairs are found (defaults:
            `RecurrenceSettings()`).
        sparse: whether a merge scores the pairs blocking left out (`Linkage.complete`);
            None decides here, from the largest block. A part of a larger run
            (`pipeline.clusters.parallel`) is told the whole run's answer.

    Returns:
        Every item's cluster (singletons included), each with its canonical text.
    """
    settings = settings or ClusterSettings()
    existing = existing or {}
    ids = [item.id for item in items]
    if len(set(ids)) != len(ids):
        duplicated = sorted({i for i in ids if ids.count(i) > 1})[:3]
        raise ValueError(f"item ids must be unique; repeated: {', '.join(duplicated)}")
    treaties = load_treaties(settings.treaties)
    ordered = sorted(items, key=lambda item: item.id)

    # One node per distinct (scope block, normalized text, previous cluster): exact duplicates
    # (one ask from several States, listed once per State) are compared once.
    node_of: dict[tuple[object, str, str | None], int] = {}
    node_items: list[list[ClusterItem]] = []
    texts: list[str] = []
    blocks: list[object] = []
    seeds: list[str | None] = []
    # A large whole run uses a second process (a part of a run runs beside the others
    # already): the texts are normalized in parts.
    large = sparse is None and len(items) >= _BACKGROUND_FROM
    normalized = in_parts(
        partial(_normalized, treaties=settings.treaties),
        [item.text for item in ordered],
        min_items=_BACKGROUND_FROM,
        workers=None if large else 1,
    )
    for item, text in zip(ordered, normalized, strict=True):
        key = node_key(item, settings, treaties, existing, text)
        block, text, seed = key
        if key not in node_of:
            node_of[key] = len(texts)
            node_items.append([])
            texts.append(text)
            blocks.append(block)
            seeds.append(seed)
        node_items[node_of[key]].append(item)

    # Where each node is printed: its first item's place in each report (`positions`), for
    # the pair model.
    places = node_places(node_items)
    # Blocking proposes the pairs in a fork while the similarity model reads the texts here.
    with in_background(
        partial(candidates, texts, blocks, settings, opening_treaties(texts, treaties)),
        worth=large,
    ) as proposed:
        similarity = Similarity(texts, treaties, settings, places)
        pairs = proposed()
    apart = same_author_pairs(node_items)

    def scored(pairs: npt.NDArray[np.int64], placed: bool = True) -> npt.NDArray[np.float32]:
        scores = similarity.pairs(pairs, settings.min_pair, placed=placed)
        if len(pairs) and len(apart):
            codes = pairs[:, 0] * len(texts) + pairs[:, 1]
            at = np.minimum(np.searchsorted(apart, codes), len(apart) - 1)
            scores[apart[at] == codes] = 0  # `apart` is sorted: no sort per call
        return scores

    # A large run scores half the pairs in a fork meanwhile, cut where each pair scores as in
    # one call (at a chunk's end: the weighted mix's scores of a State's pairs depend on their
    # chunk's other pairs).
    cut = halfway(len(pairs))
    scores = in_halves(scored, pairs, join=_joined, at=cut, worth=large and cut > 0)
    learned = settings.learned_links and settings.scope != "review"
    if learned:
        recurring = partial(
            learned_recurrences,
            items,
            settings,
            similarity,
            {item.id: node for node, group in enumerate(node_items) for item in group},
        )
    else:
        # The recurring asks are pairs of two reviews, scored as such: a node's pair is placed
        # in a report both nodes are printed in, which need not hold both of a recurring
        # ask's items. Only the pairs placed in one report score otherwise: those are scored
        # again.
        across = scores
        if similarity.unplaced is not similarity.learned and settings.scope != "review":
            placed = position_features(places, pairs)[1]
            across = scores.copy()
            across[placed] = scored(pairs[placed], False)
        recurring = partial(linked, pairs, across, node_items, recurrence)
    # Where blocking chose the pairs, a merge scores the pairs a promising link still lacks.
    if sparse is None:
        sparse = needs_completion(settings, max(Counter(blocks).values(), default=0))
    # The model's recurring asks, apart from the linkage, are found in a fork meanwhile.
    with in_background(recurring, worth=large and learned) as found:
        linkage = _linked(pairs, scores, seeds, settings.threshold, scored if sparse else None)
        repeated = found()
    if settings.scope != "review":
        # An ask that names the earlier asks it comes back to repeats them, whatever its words.
        repeated = with_named(
            repeated,
            items,
            {item.id: node for node, group in enumerate(node_items) for item in group},
            lambda pairs: similarity.pairs(pairs, 0, placed=False),
        )
    if (recurrence or RecurrenceSettings()).clustered:
        # Scored again without a cutoff: a pair of one cluster may score under the floor
        # (a previous run's cluster joined whole). Each is a pair of two reviews, scored as
        # such: a node's pair is placed in a report both nodes are printed in, which may be
        # the earlier one.
        repeated = in_clusters(
            repeated,
            [sorted(members) for members in linkage.members.values()],
            node_items,
            lambda pairs: similarity.pairs(pairs, 0, placed=False),
        )

    groups = {root: sorted(members) for root, members in linkage.members.items()}
    # Each cluster's pairs, for its centre and confidences: batched for all clusters; a large
    # run scores the later batches, about half the pairs, in a fork meanwhile.
    joint = [
        root for root, nodes in groups.items() if len(nodes) > 1 or len(node_items[nodes[0]]) > 1
    ]
    chosen = [groups[root] for root in joint]
    cut = matrices_halfway(chosen)
    matrices = dict(
        zip(
            joint,
            in_halves(
                similarity.matrices, chosen, join=operator.add, at=cut, worth=large and cut > 0
            ),
            strict=True,
        )
    )
    clusters = [
        _make_cluster([node_items[n] for n in nodes], linkage.seed[root], matrices.get(root))
        for root, nodes in groups.items()
    ]
    clusters.sort(key=lambda c: c.id)
    assignment = {member: c.id for c in clusters for member in c.member_ids}
    block_sizes: dict[object, int] = defaultdict(int)
    for item in items:
        block_sizes[scope_key(item, settings.scope)] += 1
    return ClusterResult(
        clusters=tuple(clusters),
        assignment=assignment,
        settings=settings,
        compared_pairs=len(pairs),
        possible_pairs=sum(n * (n - 1) // 2 for n in block_sizes.values()),
        by_id={c.id: c for c in clusters},
        recurrences=repeated,
    )


def _linked(
    pairs: npt.NDArray[np.int64],
    scores: npt.NDArray[np.float32],
    seeds: Sequence[str | None],
    threshold: float,
    complete: Callable[[npt.NDArray[np.int64]], npt.NDArray[np.float32]] | None,
) -> Linkage:
    """The linkage of the nodes, run: the scored `pairs` its edges, each previous cluster
    (`seeds`: each node's, or None) whole from the start."""
    linkage = Linkage(len(seeds), threshold, complete)
    chosen = scores > 0
    for (a, b), score in zip(pairs[chosen].tolist(), scores[chosen].tolist(), strict=True):
        linkage.add_edge(a, b, score)
    # Clusters of the previous run start whole (their members were judged together before).
    by_seed: dict[str, int] = {}
    for node, seed in enumerate(seeds):
        if seed is None:
            continue
        if seed in by_seed:
            by_seed[seed] = linkage.merge(by_seed[seed], node)
        else:
            by_seed[seed] = node
            linkage.seed[node] = seed
    linkage.run()
    return linkage


def _joined(
    first: npt.NDArray[np.float32], second: npt.NDArray[np.float32]
) -> npt.NDArray[np.float32]:
    return np.concatenate([first, second])


def _make_cluster(
    groups: list[list[ClusterItem]],
    seed: str | None,
    scores: npt.NDArray[np.float32] | None,
) -> Cluster:
    """A cluster of `groups` (its nodes' items); `scores`: the nodes' pair scores
    (`Similarity.matrix`), None for one recommendation alone."""
    members = sorted((item for group in groups for item in group), key=lambda item: item.id)
    center = 0
    confidence: float | None = None
    member_confidence: dict[str, float] = {}
    if scores is not None:
        # Most central: highest total similarity to the others, weighted by how many
        # recommendations share each text; ties go to the smallest member id (stable). A
        # text of one ask is preferred to a cycle-1 item that merges several ("Consider
        # issuing a standing invitation ... (Brazil); Extend a standing invitation ...
        # (Latvia)"), which is central because it holds every wording, a whole sentence
        # to a lettered ask cut from a paragraph ("establish a national human rights ..."),
        # and an ask in its own words to a cycle-1 report's account of it, central for the
        # same reason ("Italy also acknowledged with satisfaction the fifteen-year de facto
        # moratorium ... and recommended the adoption of a legal moratorium ...").
        matrix = scores.astype(np.float64)
        # Recommendations of one text score 100 with each other.
        np.fill_diagonal(matrix, 100.0)
        weights = np.array([len(group) for group in groups], dtype=np.float64)
        totals = (matrix @ weights).tolist()
        texts = [strip_states(group[0].text) for group in groups]
        single = [n for n, text in enumerate(texts) if ";" not in text]
        readable = [n for n in single if texts[n][:1].isupper()]
        asks = [n for n in readable if not _REPORTED.search(texts[n])]
        chosen = asks or readable or single or range(len(groups))
        center = max(chosen, key=lambda n: (totals[n], -n))
        # Each member's mean similarity to the others (itself left out once).
        clipped = np.clip(matrix, 0, 100)
        others = (clipped @ weights - 100.0) / (len(members) - 1) / 100
        for n, group in enumerate(groups):
            for item in group:
                member_confidence[item.id] = round(float(others[n]), 3)
        confidence = round(float(sum(member_confidence.values()) / len(member_confidence)), 3)
    canonical = min(groups[center], key=lambda item: item.id)
    cycles = tuple(sorted({item.cycle for item in members if item.cycle is not None}))
    # Recurring: the same State under review was asked again in a later cycle (with scope
    # "all", one cluster also holds the same ask made to other States in other cycles).
    by_state: dict[str, set[int]] = defaultdict(set)
    for item in members:
        if item.cycle is not None:
            by_state[item.state_under_review].add(item.cycle)
    member_ids = tuple(item.id for item in members)
    return Cluster(
        id=seed or _cluster_id(member_ids),
        member_ids=member_ids,
        canonical_id=canonical.id,
        canonical_text=strip_states(canonical.text),
        cycles=cycles,
        recurring=any(len(seen) > 1 for seen in by_state.values()),
        confidence=confidence,
        member_confidence=member_confidence,
    )
