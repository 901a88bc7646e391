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
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from uprdex.pipeline.clusters.records import ClusterItem

__all__ = [
    "PLACED_CYCLES",
    "PLACED_ID",
    "POSITION_FEATURES",
    "centred",
    "group_places",
    "item_places",
    "node_places",
    "position_features",
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


def group_places(placed: Places, groups: Sequence[Sequence[int]]) -> Places:
    """The place of each group of texts (indexes into `placed`, rows of `item_places`): its
    first placed member's in printed order (a clustering node: one normalized text)."""
    out = np.array([UNPLACED] * len(groups), dtype=np.int64).reshape(-1, 4)
    for node, members in enumerate(groups):
        known = [tuple(placed[m]) for m in members if placed[m, 0] >= 0]
        if known:
            out[node] = min(known)
    return out


def node_places(items: Sequence[ClusterItem], groups: Sequence[Sequence[int]]) -> Places:
    """The place of each group of `items` (indexes; a clustering node) (`group_places`)."""
    placed = item_places([item.id for item in items], [item.cycle for item in items])
    return group_places(placed, groups)


def position_features(
    places: Places, pairs: npt.NDArray[np.int64]
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]]:
    """`POSITION_FEATURES` of each pair (rows of two text indexes), uncentred, and whether the
    pair has two places in one report."""
    first, second = places[pairs[:, 0]], places[pairs[:, 1]]
    placed = (first[:, 0] >= 0) & (first[:, 0] == second[:, 0])
    same = placed & (first[:, 1] == second[:, 1])
    apart = np.maximum(np.abs(first[:, 2] - second[:, 2]), 1)
    distance = np.where(same, np.log(apart), 0.0)
    relative = (first[:, 2] + 0.5) / first[:, 3], (second[:, 2] + 0.5) / second[:, 3]
    gap = np.where(placed & ~same, np.abs(relative[0] - relative[1]), 0.0)
    return np.stack([same.astype(np.float64), distance, gap], axis=1), placed


def centred(
    places: Places | None, pairs: npt.NDArray[np.int64], centre: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """`position_features` less `centre` (their mean over the positive training pairs), 0 for
    a pair without two places in one report (and for every pair without `places`)."""
    if places is None:
        return np.zeros((len(pairs), len(POSITION_FEATURES)))
    raw, placed = position_features(places, pairs)
    return np.where(placed[:, None], raw - centre, 0.0)
