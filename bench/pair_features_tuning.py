"""Choose the pair model's features and C on the five tuning reviews alone (never #19's test
reviews): each tuning review is clustered with a model trained on the four others, and each
variant's mean cluster F1 is printed beside the shipped configuration's, in one run.

Variants: the shipped features (`DENSE_FEATURES`, token_set_ratio, C 3), and those plus
`OBJECT_FEATURES` of what each ask acts on and for whom (pipeline/clusters/objects.py).

Run: .venv/bin/python bench/pair_features_tuning.py [C ...]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from cluster_protocol import GOLD, TUNING, Review, labelled, load_reviews, score

from uprdex.pipeline.clusters import cluster
from uprdex.pipeline.clusters.pair_model import DENSE_FEATURES, OBJECT_FEATURES
from uprdex.pipeline.settings import ClusterSettings
from uprdex.pipeline.train_pairs import train_reviews

OBJECTS_3 = OBJECT_FEATURES[:3]
GROUPS_3 = OBJECT_FEATURES[4:7]
ONE_SIDED = (OBJECT_FEATURES[3], OBJECT_FEATURES[7])
FEATURE_SETS: dict[str, tuple[str, ...]] = {
    "shipped": DENSE_FEATURES,
    "+objects": DENSE_FEATURES + OBJECTS_3,
    "+groups": DENSE_FEATURES + GROUPS_3,
    "+objects+groups": DENSE_FEATURES + OBJECTS_3 + GROUPS_3,
    "+all 8": DENSE_FEATURES + OBJECT_FEATURES,
    "+disjoint": (*DENSE_FEATURES, OBJECT_FEATURES[2], OBJECT_FEATURES[6]),
    "+jaccards": (*DENSE_FEATURES, OBJECT_FEATURES[0], OBJECT_FEATURES[4]),
    "+one-sided": DENSE_FEATURES + ONE_SIDED,
}


def fold_scores(reviews: list[Review], config: dict[str, Any]) -> list[float]:
    """F1 of each review clustered with a model trained on the others (default granularity)."""
    out = []
    for held in reviews:
        train = [labelled(r) for r in reviews if r is not held]
        with tempfile.TemporaryDirectory(prefix="uprdex-objpairs-") as folder:
            train_reviews(train, Path(folder), config)
            settings = ClusterSettings(pair_model=Path(folder))
            out.append(score(cluster(held.items, settings).assignment, held.gold).f1)
    return out


def main() -> int:
    if not GOLD.exists():
        print(f"skipped: {GOLD} not found (the shared corpus is not on this machine)")
        return 0
    costs = [float(c) for c in sys.argv[1:]] or [3.0]
    start = time.perf_counter()
    reviews = load_reviews(chosen=TUNING)
    names = [r.name for r in reviews]
    print(f"== pair model features, leave one out among the tuning reviews: {', '.join(names)}")
    print(f"  {'variant':<24}" + "".join(f"{n:>17}" for n in names) + f"{'mean F1':>10}")
    for c in costs:
        for label, features in FEATURE_SETS.items():
            config = {"dense_features": list(features), "C": c}
            f1 = fold_scores(reviews, config)
            cells = "".join(f"{v:>17.3f}" for v in f1)
            print(f"  {label + f', C {c:g}':<24}{cells}{sum(f1) / len(f1):>10.3f}", flush=True)
    print(f"  ({time.perf_counter() - start:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
