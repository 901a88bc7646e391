"""Blocking: which pairs of asks are scored at all.

Within one State under review every pair is scored; across all States only pairs that share rare
words or word pairs (never all pairs), plus every pair that opens by ratifying the same treaty.
Two asks of one review by the same State are never paired.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from uprdex.pipeline.clusters.records import ClusterItem
from uprdex.pipeline.settings import ClusterSettings, Scope


@lru_cache(maxsize=512)
def upper_indices(n: int) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """`np.triu_indices(n, 1)` (every pair i < j of n things), read-only and kept: posting
    lists and blocks ask for the same small sizes tens of thousands of times."""
    left, right = (np.asarray(side, dtype=np.int64) for side in np.triu_indices(n, 1))
    left.flags.writeable = right.flags.writeable = False
    return left, right


def _block_keys(text: str) -> set[str]:
    """Words and adjacent word pairs of a normalized text."""
    tokens = text.split()
    keys = set(tokens)
    keys.update(f"{a} {b}" for a, b in itertools.pairwise(tokens))
    return keys


def _candidate_pairs(
    texts: Sequence[str], blocks: Sequence[object], max_df: int
) -> npt.NDArray[np.int64]:
    """Node pairs (i < j, same block, sorted) that share two rare keys: the only pairs scored.

    A key (word or word pair) shared by more than `max_df` nodes of a block says little about
    duplication ("ensure", "human rights") and proposes no pairs, so every node has at most
    (its keys x max_df) candidates and the cost grows linearly with the number of nodes. A node
    whose keys are all that common is still paired through its `_FALLBACK_KEYS` rarest keys.
    """
    postings: dict[tuple[object, str], list[int]] = defaultdict(list)
    node_keys = [_block_keys(t) for t in texts]
    for node, (block, keys) in enumerate(zip(blocks, node_keys, strict=True)):
        for key in keys:
            postings[(block, key)].append(node)
    size = len(texts)
    chunks = [_pairs_within(nodes, size) for nodes in postings.values() if 1 < len(nodes) <= max_df]
    for node, (block, keys) in enumerate(zip(blocks, node_keys, strict=True)):
        counted = sorted((len(postings[(block, k)]), k) for k in keys)
        if counted and counted[0][0] > max_df:
            for _, key in counted[:_FALLBACK_KEYS]:
                others = np.array(postings[(block, key)], dtype=np.int64)
                others = others[others != node]
                codes = np.minimum(others, node) * size + np.maximum(others, node)
                chunks.append(np.repeat(codes, _MIN_SHARED))
    if not chunks:
        return np.empty((0, 2), dtype=np.int64)
    codes, shared = np.unique(np.concatenate(chunks), return_counts=True)
    # One shared word pair or rare word alone is chance ("Roma" in a text on education and one
    # on housing); two are worth a comparison. Texts of one word share at most one key.
    lengths = np.array([len(keys) for keys in node_keys], dtype=np.int64)
    left, right = codes // size, codes % size
    keep = (shared >= _MIN_SHARED) | (np.minimum(lengths[left], lengths[right]) < _MIN_SHARED)
    return np.stack([left[keep], right[keep]], axis=1)


def _pairs_within(nodes: list[int], size: int) -> npt.NDArray[np.int64]:
    """All pairs (i < j) of one posting list as codes i * size + j (nodes are increasing)."""
    array = np.array(nodes, dtype=np.int64)
    left, right = upper_indices(len(array))
    return array[left] * size + array[right]


_FALLBACK_KEYS = 2
_MIN_SHARED = 2


def scope_key(item: ClusterItem, scope: Scope) -> object:
    if scope == "review":
        return (item.state_under_review, item.session)
    if scope == "state":
        return item.state_under_review
    return None


def same_author_pairs(node_items: Sequence[Sequence[ClusterItem]]) -> npt.NDArray[np.int64]:
    """Node pairs (codes i * size + j, i < j) holding asks of one review by one State.

    None of the Slovenia 2019 gold's 339 duplicate pairs is such a pair. In the UPR Info export,
    247 clusters of one review (scope "review") held two different asks of one State before this
    rule ("Continue to fight HIV-AIDS with the support of the international community" and
    "Continue to fight poverty ...", both Bangladesh's to Dominica).
    """
    by_author: dict[tuple[str, int, str], list[int]] = defaultdict(list)
    for node, group in enumerate(node_items):
        authors = {
            (item.state_under_review, item.session, state)
            for item in group
            if item.session is not None
            for state in item.recommending_states
        }
        for author in authors:
            by_author[author].append(node)
    size = len(node_items)
    chunks = [_pairs_within(nodes, size) for nodes in by_author.values() if len(nodes) > 1]
    return np.unique(np.concatenate(chunks)) if chunks else np.empty(0, dtype=np.int64)


def candidates(
    texts: Sequence[str],
    blocks: Sequence[object],
    settings: ClusterSettings,
    opening: Sequence[str | None],
) -> npt.NDArray[np.int64]:
    """Node pairs (i < j) to score: every pair of a small scope, blocking's pairs in a large one.

    opening: the treaty each text opens by ratifying (None when it does not).

    Without the similarity model (`semantic_weight` 0) only blocking's pairs are scored: two
    texts that share no rare word cannot score high on words alone.
    """
    if settings.semantic_weight == 0:
        return _with_treaty_pairs(_candidate_pairs(texts, blocks, settings.max_df), blocks, opening)
    by_block: dict[object, list[int]] = defaultdict(list)
    for node, block in enumerate(blocks):
        by_block[block].append(node)
    chunks: list[npt.NDArray[np.int64]] = []
    large: list[int] = []
    for nodes in by_block.values():
        if len(nodes) <= settings.dense_limit:
            array = np.array(nodes, dtype=np.int64)
            left, right = upper_indices(len(array))
            chunks.append(np.stack([array[left], array[right]], axis=1))
        else:
            large.extend(nodes)
    if large:
        large_texts, large_blocks = [texts[n] for n in large], [blocks[n] for n in large]
        local = _with_treaty_pairs(
            _candidate_pairs(large_texts, large_blocks, settings.max_df),
            large_blocks,
            [opening[n] for n in large],
        )
        chunks.append(np.array(large, dtype=np.int64)[local])
    if not chunks:
        return np.empty((0, 2), dtype=np.int64)
    return np.concatenate(chunks)


def _with_treaty_pairs(
    pairs: npt.NDArray[np.int64], blocks: Sequence[object], opening: Sequence[str | None]
) -> npt.NDArray[np.int64]:
    """`pairs` and every pair of one block whose asks open by ratifying the same treaty.

    Across all States "ratify the CED" is too common a word to propose pairs (`max_df`), yet
    an ask left uncompared with a member can never join that treaty's cluster.
    """
    by_treaty: dict[tuple[object, str], list[int]] = defaultdict(list)
    for node, (block, treaty) in enumerate(zip(blocks, opening, strict=True)):
        if treaty is not None:
            by_treaty[(block, treaty)].append(node)
    size = len(blocks)
    chunks = [pairs[:, 0] * size + pairs[:, 1]]
    chunks.extend(_pairs_within(nodes, size) for nodes in by_treaty.values() if len(nodes) > 1)
    codes = np.unique(np.concatenate(chunks))
    return np.stack([codes // size, codes % size], axis=1)
