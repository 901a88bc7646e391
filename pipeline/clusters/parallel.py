"""`cluster` over the blocks of one run on every core: the same result, sooner.

Within the "review" and "state" scopes no pair crosses a block (one State under review, or one
of its reviews): blocking never proposes one, and the linkage only merges scored pairs. The
blocks can therefore be clustered apart, in forked worker processes, and the results joined.
Cluster ids are hashes of member ids, so they come out the same.

Two things tie blocks together, and are kept together:
- a previous run's cluster that spans blocks (a researcher's link across two States);
- the choice between scoring every pair up front and scoring lazily, made on the largest block
  of the whole run, which each part is given.

It runs in one process when there is one block, few recommendations, or where forking is not
safe (`pipeline.forked.may_fork`).

Example:
    result = cluster_in_parts(items, ClusterSettings(scope="state"))   # == cluster(items, ...)
"""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence

from uprdex.pipeline.clusters.blocking import scope_key
from uprdex.pipeline.clusters.linkage import cluster, needs_completion, node_key
from uprdex.pipeline.clusters.records import ClusterItem, ClusterResult
from uprdex.pipeline.clusters.treaties import load_treaties
from uprdex.pipeline.forked import cores, map_forked, may_fork
from uprdex.pipeline.settings import ClusterSettings

__all__ = ["cluster_in_parts"]

MIN_ITEMS = 1000
"""Below this many recommendations, starting workers costs more than it saves."""

_Part = tuple[list[ClusterItem], ClusterSettings, dict[str, str], bool]


def cluster_in_parts(
    items: Sequence[ClusterItem],
    settings: ClusterSettings | None = None,
    existing: Mapping[str, str] | None = None,
    workers: int | None = None,
) -> ClusterResult:
    """`cluster(items, settings, existing)`, its blocks shared among `workers`
    processes (default: one per core)."""
    settings = settings or ClusterSettings()
    existing = existing or {}
    workers = workers or cores()
    blocks = Counter(scope_key(item, settings.scope) for item in items)
    if (
        settings.scope == "all"
        or workers < 2
        or len(blocks) < 2
        or len(items) < MIN_ITEMS
        or not may_fork()
    ):
        return cluster(items, settings, existing)
    parts = _parts(items, settings, existing, workers)
    if len(parts) < 2:  # previous clusters tie every block together
        return cluster(items, settings, existing)
    sparse = _needs_completion(items, settings, existing, blocks)
    jobs: list[_Part] = [
        (
            part,
            settings,
            {i.id: existing[i.id] for i in part if i.id in existing},
            sparse,
        )
        for part in parts
    ]
    return _joined(map_forked(_cluster_part, jobs), settings)


def _cluster_part(job: _Part) -> ClusterResult:
    part, settings, existing, sparse = job
    return cluster(part, settings, existing, sparse=sparse)


def _needs_completion(
    items: Sequence[ClusterItem],
    settings: ClusterSettings,
    existing: Mapping[str, str],
    blocks: Counter[object],
) -> bool:
    """`cluster`'s choice for the whole run, made on its largest block's nodes (`node_key`),
    which only a block of more items than `dense_limit` can make large: only those are
    normalized here."""
    big = {block for block, size in blocks.items() if size > settings.dense_limit}
    if not big:
        return needs_completion(settings, max(blocks.values()))
    treaties = load_treaties(settings.treaties)
    nodes = {
        node_key(item, settings, treaties, existing)
        for item in items
        if scope_key(item, settings.scope) in big
    }
    return needs_completion(settings, max(Counter(block for block, _, _ in nodes).values()))


def _parts(
    items: Sequence[ClusterItem],
    settings: ClusterSettings,
    existing: Mapping[str, str],
    workers: int,
) -> list[list[ClusterItem]]:
    """The items in up to `workers` parts of whole blocks, blocks that share a previous
    cluster in one part, balanced by the pairs each part compares."""
    root: dict[object, object] = {}

    def find(block: object) -> object:
        while root.setdefault(block, block) != block:
            root[block] = root[root[block]]
            block = root[block]
        return block

    first_block_of: dict[str, object] = {}
    for item in items:
        block = scope_key(item, settings.scope)
        find(block)
        seed = existing.get(item.id)
        if seed is not None:
            other = first_block_of.setdefault(seed, block)
            root[find(other)] = find(block)
    groups: dict[object, list[ClusterItem]] = defaultdict(list)
    for item in items:
        groups[find(scope_key(item, settings.scope))].append(item)
    # Largest first into the lightest part: pairs grow as the square of a block.
    loads = [(0, n) for n in range(min(workers, len(groups)))]
    parts: list[list[ClusterItem]] = [[] for _ in loads]
    for group in sorted(groups.values(), key=len, reverse=True):
        load, n = heapq.heappop(loads)
        parts[n].extend(group)
        heapq.heappush(loads, (load + len(group) ** 2, n))
    return [part for part in parts if part]


def _joined(results: Sequence[ClusterResult], settings: ClusterSettings) -> ClusterResult:
    clusters = tuple(sorted((c for r in results for c in r.clusters), key=lambda c: c.id))
    return ClusterResult(
        clusters=clusters,
        assignment={m: c for r in results for m, c in r.assignment.items()},
        settings=settings,
        compared_pairs=sum(r.compared_pairs for r in results),
        possible_pairs=sum(r.possible_pairs for r in results),
        by_id={c.id: c for c in clusters},
        recurrences=tuple(
            sorted(
                (link for r in results for link in r.recurrences),
                key=lambda link: (link.later_id, link.earlier_id),
            )
        ),
    )
