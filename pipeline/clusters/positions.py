"""Where an ask is printed: its place in its report, and the pair features of two places.

Since cycle 2 the WG reports print the recommendations grouped by the State's response (122.x
supported, 123.x noted), each paragraph in subject order: two asks printed next to each other
make one commitment far more often than two printed 30 apart (on the 12 tuning reviews of
bench/gold, 16.5% of the pairs one apart, 0.1% of those more than 30 apart). A place is the
report (an id's document symbol), the paragraph and the ask's rank in it, read from the item
id ("A/HRC/28/10#124.7"). Only an ask of the cycles the pair model learned places from has
one (`PLACED_CYCLES`): not of cycle 1 (those reports are often ordered by speaking State: the
order says nothing), nor of cycle 3 or later, where no labelled review has taught what their
order says (the one labelled, Slovenia 2019, A/HRC/43/15, lost F1 with cycle-2 places); nor an
id without a paragraph number.

The pair features (`POSITION_FEATURES`) of two asks of one report: whether they are printed in
one paragraph (`same_paragraph`); there, the log of how many places apart
(`paragraph_log_distance`); in two paragraphs, how far apart their relative places in their
paragraphs are (`paragraphs_gap`, (rank + 0.5) / size: the paragraphs of supported and of noted
asks each run in subject order, so one commitment split between them sits at similar relative
places). A pair without two places in one report (two reports: the recurring asks, scope
"all"; an ask of another cycle; ids without paragraph numbers, as the UPR Info export's) is
NEUTRAL: the pair model scores it with the same recipe without position features, trained
beside it (`pair_model.PLAIN`), so its score is what it was before.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from itertools import accumulate

import numpy as np
import numpy.typing as npt

from uprdex.pipeline.clusters.records import ClusterItem

__all__ = [
    "PLACED_CYCLES",
    "PLACED_ID",
    "POSITION_FEATURES",
    "NodePlaces",
    "centred",
    "group_places",
    "item_places",
    "node_places",
    "pair_places",
    "position_features",
    "shared_rows",
]

POSITION_FEATURES = ("same_paragraph", "paragraph_log_distance", "paragraphs_gap")
"""The pair features of two places, in the model's order."""

PLACED_ID = re.compile(r"^(?P<report>.+)#(?P<paragraph>\d+)\.(?P<number>\d+)$")
"""An item id with a printed paragraph number: "A/HRC/28/10#124.7"."""

PLACED_CYCLES = frozenset({2})
"""The cycles whose reports the shipped pair model learned places from: every labelled review
of bench/gold is of cycle 2 (2012-2014). On the one cycle-3 review labelled, Slovenia 2019 (a
test review of #19), places learned on cycle 2 lowered its F1 from 0.71 to 0.64."""

Places = npt.NDArray[np.int64]
"""One row per text: report (a code; -1: no place), paragraph, rank in the paragraph, the
paragraph's size."""
UNPLACED = (-1, 0, 0, 1)


def item_places(ids: Sequence[str], cycles: Sequence[int | None] | None = None) -> Places:
    """The place of each id (rows of `Places`), its rank counted among `ids` of its paragraph
    in printed order; none for an ask of a cycle outside `PLACED_CYCLES` (`cycles`; None:
    every id is of those cycles, as the labelled reviews are) or an id without a paragraph
    number."""
    parsed: dict[int, tuple[str, int, int]] = {}
    for at, item_id in enumerate(ids):
        found = PLACED_ID.match(item_id)
        if found and (cycles is None or cycles[at] in PLACED_CYCLES):
            parsed[at] = (found["report"], int(found["paragraph"]), int(found["number"]))
    reports = {report: code for code, report in enumerate(sorted({p[0] for p in parsed.values()}))}
    out = np.array([UNPLACED] * len(ids), dtype=np.int64).reshape(-1, 4)
    sizes = Counter((report, paragraph) for report, paragraph, _ in parsed.values())
    ranks: dict[tuple[str, int], int] = defaultdict(int)
    for at in sorted(parsed, key=lambda i: parsed[i]):
        report, paragraph, _ = parsed[at]
        rank = ranks[report, paragraph]
        ranks[report, paragraph] += 1
        out[at] = (reports[report], paragraph, rank, sizes[report, paragraph])
    return out


@dataclass(frozen=True, slots=True)
class NodePlaces:
    """Where each group of texts (a clustering node: one normalized text) is printed.

    first: one row per group (`Places`), its first place in printed order (the lowest report
    symbol first); each: a row (group, report, paragraph, rank, size) for its first place in
    every report it is printed in, sorted, when some group is printed in two reports (a text
    repeated verbatim at scope "all"), else empty (`first` says all). A pair of groups is
    placed in the first report both are printed in (`pair_places`)."""

    first: Places
    each: npt.NDArray[np.int64]


def shared_rows(rows: Sequence[int], keys: Sequence[Hashable]) -> list[list[int]]:
    """For each member (its row in the places, its clustering node's key), the rows of every
    member with its key, one list object per key: the groups `group_places` places as one
    node each."""
    by_key: dict[Hashable, list[int]] = defaultdict(list)
    for row, key in zip(rows, keys, strict=True):
        by_key[key].append(row)
    return [by_key[key] for key in keys]


def group_places(placed: Places, groups: Sequence[Sequence[int]]) -> NodePlaces:
    """The places of each group of texts (indexes into `placed`, rows of `item_places`): in
    each report, its first placed member's in printed order (`NodePlaces`)."""
    first = np.array([UNPLACED] * len(groups), dtype=np.int64).reshape(-1, 4)
    rows: list[tuple[int, ...]] = []
    spread = False
    for node, members in enumerate(groups):
        by_report: dict[int, list[int]] = {}
        for place in placed[list(members)].tolist():
            known = by_report.get(place[0])
            if place[0] >= 0 and (known is None or place < known):
                by_report[place[0]] = place
        if by_report:
            first[node] = min(by_report.values())
            spread = spread or len(by_report) > 1
            rows.extend((node, *place) for place in sorted(by_report.values()))
    each = np.array(rows if spread else [], dtype=np.int64).reshape(-1, 5)
    return NodePlaces(first, each)


def node_places(groups: Sequence[Sequence[ClusterItem]]) -> NodePlaces:
    """The places of each group of items (a clustering node; every item of the run in one)
    (`group_places`), ranks counted among all of them."""
    items = [item for group in groups for item in group]
    placed = item_places([item.id for item in items], [item.cycle for item in items])
    ends = accumulate(len(group) for group in groups)
    return group_places(
        placed, [range(end - len(group), end) for end, group in zip(ends, groups, strict=True)]
    )


def pair_places(places: Places | NodePlaces, pairs: npt.NDArray[np.int64]) -> tuple[Places, Places]:
    """The two places of each pair (rows of two text indexes) its features read: their places
    in the first report (lowest symbol) both are printed in, else their first places.

    The first common report, not the one that scores highest: a pair whose first places are
    in one report reads them, as before a group kept a place per report; and a text printed
    in many reports (scope "all") would otherwise take its closest neighbour among them, a
    pull towards merging that the model, trained on one report a pair, never learned."""
    first, each = (places.first, places.each) if isinstance(places, NodePlaces) else (places, None)
    left, right = first[pairs[:, 0]], first[pairs[:, 1]]
    if each is None or not len(each):
        return left, right
    counts = np.bincount(each[:, 0], minlength=len(first))
    look = np.nonzero(
        (left[:, 0] >= 0)
        & (right[:, 0] >= 0)
        & (left[:, 0] != right[:, 0])
        & ((counts[pairs[:, 0]] > 1) | (counts[pairs[:, 1]] > 1))
    )[0]
    if not len(look):
        return left, right
    reports = int(each[:, 1].max()) + 1  # a report may be no group's first
    keys = each[:, 0] * reports + each[:, 1]
    # Every report of the pair's first group, in order, looked up among its second group's.
    sizes = counts[pairs[look, 0]]
    owner = np.repeat(np.arange(len(look)), sizes)
    offset = np.arange(len(owner)) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    mine = np.repeat(np.searchsorted(each[:, 0], pairs[look, 0]), sizes) + offset
    wanted = pairs[look, 1][owner] * reports + each[mine, 1]
    theirs = np.minimum(np.searchsorted(keys, wanted), len(keys) - 1)
    hit = np.nonzero(keys[theirs] == wanted)[0]
    found, at = np.unique(owner[hit], return_index=True)  # the first common report of each
    left[look[found]] = each[mine[hit[at]], 1:]
    right[look[found]] = each[theirs[hit[at]], 1:]
    return left, right


def position_features(
    places: Places | NodePlaces, pairs: npt.NDArray[np.int64]
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]]:
    """`POSITION_FEATURES` of each pair (rows of two text indexes), uncentred, and whether the
    pair has two places in one report (`pair_places`)."""
    first, second = pair_places(places, pairs)
    placed = (first[:, 0] >= 0) & (first[:, 0] == second[:, 0])
    same = placed & (first[:, 1] == second[:, 1])
    apart = np.maximum(np.abs(first[:, 2] - second[:, 2]), 1)
    distance = np.where(same, np.log(apart), 0.0)
    relative = (first[:, 2] + 0.5) / first[:, 3], (second[:, 2] + 0.5) / second[:, 3]
    gap = np.where(placed & ~same, np.abs(relative[0] - relative[1]), 0.0)
    return np.stack([same.astype(np.float64), distance, gap], axis=1), placed


def centred(
    places: Places | NodePlaces | None,
    pairs: npt.NDArray[np.int64],
    centre: npt.NDArray[np.float64],
) -> npt.NDArray[np.float64]:
    """`position_features` less `centre` (their mean over the positive training pairs), 0 for
    a pair without two places in one report (and for every pair without `places`)."""
    if places is None:
        return np.zeros((len(pairs), len(POSITION_FEATURES)))
    raw, placed = position_features(places, pairs)
    return np.where(placed[:, None], raw - centre, 0.0)
