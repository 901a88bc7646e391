"""Is the granularity the limit? Each tuning review at its own granularity (#19).

Experts differ mostly in how finely they split, and the clusters' recall differs most between
reviews. Two ways to give each review its own granularity, and the ceiling of any such way, by
leave one review out over the twelve tuning reviews of bench/cluster_protocol.py (each scored by
the pair model trained on the other eleven; no test or fresh review is read):

- fixed: the default granularity (0.5) for every review;
- share: the granularity (0.30 to 0.80, step 0.05) at which the share of the review's asks in a
  cluster of two or more comes closest to that share in the other reviews' gold;
- pairs: the same with the number of clustered pairs per ask;
- oracle: each review at its best granularity, read off its own gold (a ceiling, not a method).

Measured (2026-12-05, mean cluster F1 over the twelve): with the pair model of the word vectors'
centroid, fixed 0.595, share 0.561, pairs 0.579, oracle 0.654 (58 s); with the model before it
(a scratch run of the same method), fixed 0.562, share 0.540, pairs 0.547, oracle 0.614. Matching
the gold's share of clustered asks pushes every review to 0.80 and loses; even the oracle gains
only 0.06: the pair ranking, not the cut, is the limit.

Run: .venv/bin/python bench/adaptive_granularity_trial.py
"""

from __future__ import annotations

import statistics
import sys
import time
from collections import Counter
from collections.abc import Mapping

from cluster_protocol import GOLD, TUNING, Review, load_reviews, pair_model_folder, score

from uprdex.pipeline.clusters import cluster
from uprdex.pipeline.settings import ClusterSettings

GRANULARITIES = tuple(round(0.30 + 0.05 * step, 2) for step in range(11))
FIXED = 0.5


def shape(assignment: Mapping[str, str]) -> tuple[float, float]:
    """(share of the asks in a cluster of 2+, clustered pairs per ask) of an assignment."""
    sizes = Counter(assignment.values())
    asks = len(assignment)
    clustered = sum(1 for cluster_id in assignment.values() if sizes[cluster_id] > 1)
    pairs = sum(n * (n - 1) / 2 for n in sizes.values())
    return clustered / asks, pairs / asks


def gold_shape(review: Review) -> tuple[float, float]:
    return shape({item: cluster_id for item, (cluster_id, _) in review.gold.items()})


def main() -> int:
    if not GOLD.exists():
        print(f"skipped: {GOLD} not found (the shared corpus is not on this machine)")
        return 0
    start = time.perf_counter()
    tuning = [r for r in load_reviews(tuning=True) if r.name in TUNING]
    print(f"== {len(tuning)} tuning reviews, each at its own granularity (leave one review out)")
    totals: dict[str, list[float]] = {"fixed": [], "share": [], "pairs": [], "oracle": []}
    for review in tuning:
        others = [r for r in tuning if r is not review]
        folder = pair_model_folder(others)
        sweep = {}
        for granularity in GRANULARITIES:
            settings = ClusterSettings(pair_model=folder, granularity=granularity)
            assignment = cluster(review.items, settings).assignment
            sweep[granularity] = (score(assignment, review.gold).f1, shape(assignment))
        targets = [statistics.fmean(gold_shape(r)[k] for r in others) for k in (0, 1)]
        chosen = {
            kind: min(GRANULARITIES, key=lambda g, k=k: abs(sweep[g][1][k] - targets[k]))
            for k, kind in enumerate(("share", "pairs"))
        }
        best = max(GRANULARITIES, key=lambda g: sweep[g][0])
        row = {
            "fixed": sweep[FIXED][0],
            "share": sweep[chosen["share"]][0],
            "pairs": sweep[chosen["pairs"]][0],
            "oracle": sweep[best][0],
        }
        for kind, value in row.items():
            totals[kind].append(value)
        print(
            f"  {review.name:18} fixed {row['fixed']:.2f} | share ({chosen['share']:.2f}) "
            f"{row['share']:.2f} | pairs ({chosen['pairs']:.2f}) {row['pairs']:.2f} | oracle "
            f"({best:.2f}) {row['oracle']:.2f} | gold share {gold_shape(review)[0]:.2f}, ours "
            f"at {FIXED} {sweep[FIXED][1][0]:.2f}"
        )
    means = "; ".join(f"{kind} {statistics.fmean(v):.3f}" for kind, v in totals.items())
    print(f"  mean F1: {means}")
    ratio = statistics.fmean(totals["share"]) / statistics.fmean(totals["fixed"])
    print(f"  share / fixed: {ratio:.2f}x ({time.perf_counter() - start:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
