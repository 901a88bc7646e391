"""Recurring asks across cycles: the Viet Nam 2009 -> 2014 gold, with nothing tuned on it.

Gold: gold/vietnam_2009_2014_recurring.csv (CROSS_CYCLE_METHOD.md): one row per (later, earlier)
link, high or low. Scored as SOURCES.md says: high links must be found, low ones count neither
way, any other cross-cycle pair predicted is a false positive.

1. Today's way: both reviews in one index, clustered with scope "state"; a link is two
   recommendations of different cycles in one cluster.
2. The dedicated matcher (`uprdex.pipeline.clusters.recurrences`): every later ask against every
   earlier ask of the same State, a link where the pair's similarity reaches the cut. The cut is
   chosen on the within-review gold of the four other reviews (Viet Nam 2014's own clusters left
   out): the pair-level cut with the best F1 on their "same commitment" pairs. Nothing is chosen
   on the recurring gold.

Run: .venv/bin/python bench/recurrence_protocol.py (also run by bench_clusters.py)
"""

from __future__ import annotations

import csv
import itertools
import sys
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
from cluster_protocol import BEFORE, GOLD, Review, indexed_items, load_reviews

from uprdex.pipeline.clusters import RECURRENCE_CUT, cluster, pair_matrix, recurrences
from uprdex.pipeline.settings import ClusterSettings

EARLIER, LATER = "A/HRC/12/11", "A/HRC/26/6"
HELD = "Viet Nam 2014"
MORE = Path(__file__).resolve().parent / "gold"
KEPT_ASIDE = {
    # review pairs labelled here with the same method (bench/gold/README.md): name ->
    # (earlier report, later report, earlier symbol, later symbol, gold file)
    "Kazakhstan 2010 -> 2014": (
        "kazakhstan2010.pdf",
        "kazakhstan2014.pdf",
        "A/HRC/14/10",
        "A/HRC/28/10",
        MORE / "kazakhstan_2010_2014_recurring.csv",
    ),
    "Uruguay 2009 -> 2014": (
        "uruguay2009.pdf",
        "uruguay2014.pdf",
        "A/HRC/12/12",
        "A/HRC/26/7",
        MORE / "uruguay_2009_2014_recurring.csv",
    ),
}
CUTS = tuple(float(c) for c in range(30, 92, 2))

Link = tuple[str, str]


def recurring_gold(
    path: Path = GOLD / "vietnam_2009_2014_recurring.csv",
    earlier: str = EARLIER,
    later: str = LATER,
) -> tuple[set[Link], set[Link]]:
    """(high links, low links) as (later id, earlier id)."""
    high: set[Link] = set()
    low: set[Link] = set()
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            link = (f"{later}#{row['later_paragraph']}", f"{earlier}#{row['earlier_paragraph']}")
            (high if row["confidence"] == "high" else low).add(link)
    return high, low


def score_links(found: Iterable[Link], high: set[Link], low: set[Link]) -> tuple[float, ...]:
    found = set(found)
    tp = len(found & high)
    fp = len(found - high - low)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / len(high)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1, tp, fp


def _cell(scores: Sequence[float]) -> str:
    p, r, f, tp, fp = scores
    return f"P {p:.2f} R {r:.2f} F1 {f:.2f} ({tp:.0f} found, {fp:.0f} wrong)"


def pair_cut(reviews: Sequence[Review], settings: ClusterSettings) -> float:
    """The similarity cut with the best pair-level F1 on the reviews' gold: a pair of `high`
    members of one gold cluster should reach it, a pair of two gold clusters should not."""
    scores: list[np.ndarray] = []
    labels: list[np.ndarray] = []
    for review in reviews:
        items = list(review.items)
        matrix = pair_matrix(items, items, settings)
        ii, jj = np.triu_indices(len(items), 1)
        gold = [review.gold[item.id] for item in items]
        label = np.array(
            [
                -1 if gold[a][0] != gold[b][0] else 1 if gold[a][1] == gold[b][1] == "high" else 0
                for a, b in zip(ii.tolist(), jj.tolist(), strict=True)
            ]
        )
        keep = label != 0
        scores.append(matrix[ii, jj][keep])
        labels.append(label[keep] == 1)
    every, same = np.concatenate(scores), np.concatenate(labels)
    best = (0.0, CUTS[0])
    for cut in CUTS:
        chosen = every >= cut
        tp = int((chosen & same).sum())
        fp = int((chosen & ~same).sum())
        f1 = 2 * tp / (2 * tp + fp + int((~chosen & same).sum())) if tp else 0.0
        best = max(best, (f1, cut))
    return best[1]


def main() -> int:
    if not GOLD.exists():
        print(f"skipped: {GOLD} not found")
        return 0
    start = time.perf_counter()
    by_symbol = indexed_items(["vietnam2009.pdf", "vietnam2014.pdf"])
    earlier, later = by_symbol[EARLIER], by_symbol[LATER]
    high, low = recurring_gold()
    print(
        f"\n== recurring asks, Viet Nam {len(earlier)} (2009) -> {len(later)} (2014) asks: "
        f"{len(high)} high links, {len(low)} low"
    )
    settings = ClusterSettings()
    for label, chosen in (
        ("before #19", BEFORE),
        ("weighted mix", ClusterSettings(learned=False)),
        ("defaults", settings),
    ):
        result = cluster([*earlier, *later], chosen)
        links = {
            (b.id, a.id)
            for a, b in itertools.product(earlier, later)
            if result.assignment[a.id] == result.assignment[b.id]
        }
        print(f"  one clustering of both reviews ({label}): {_cell(score_links(links, high, low))}")
    others = [r for r in load_reviews() if r.name != HELD]
    cut = pair_cut(others, settings)
    print(f"  matcher cut chosen on the within-review gold of {len(others)} other reviews: {cut:g}")
    found = recurrences(earlier, later, settings, cut=cut)
    links = {(link.later_id, link.earlier_id) for link in found}
    print(f"  dedicated matcher at {cut:g}: {_cell(score_links(links, high, low))}")
    stored = cluster([*earlier, *later], settings).recurrences
    links = {(link.later_id, link.earlier_id) for link in stored}
    print(
        f"  what the index stores (the clustering's pairs >= {RECURRENCE_CUT:g}): "
        f"{_cell(score_links(links, high, low))}"
    )
    print("  the matcher at other cuts (for reading only, not for choosing):")
    matrix = pair_matrix(later, earlier, settings)
    for other in CUTS[::3]:
        rows, cols = np.nonzero(matrix >= other)
        links = {(later[r].id, earlier[c].id) for r, c in zip(rows, cols, strict=True)}
        print(f"    {other:g}: {_cell(score_links(links, high, low))}")
    kept_aside(settings)
    print(f"  ({time.perf_counter() - start:.0f} s)")
    return 0


def kept_aside(settings: ClusterSettings) -> None:
    """The shipped cut on review pairs no choice was made on, and the cuts each would need."""
    pdfs = [pdf for pair in KEPT_ASIDE.values() for pdf in pair[:2]]
    by_symbol = indexed_items(pdfs)
    for name, (_, _, earlier_symbol, later_symbol, path) in KEPT_ASIDE.items():
        earlier, later = by_symbol[earlier_symbol], by_symbol[later_symbol]
        high, low = recurring_gold(path, earlier_symbol, later_symbol)
        found = recurrences(earlier, later, settings, cut=RECURRENCE_CUT)
        links = {(link.later_id, link.earlier_id) for link in found}
        print(
            f"  {name} ({len(high)} high links, {len(low)} low), matcher at "
            f"{RECURRENCE_CUT:g}: {_cell(score_links(links, high, low))}"
        )


if __name__ == "__main__":
    sys.exit(main())
