"""The labelled recommendations `uprdex train-pairs` learns from: gold reviews with their texts.

Writes one row per gold recommendation (review, id, text, cluster_id, confidence), the text as
`uprdex ingest` prints it (bench/cluster_protocol.py's `load_reviews`). By default every
labelled review of bench/gold (bench/review_groups.py: TUNING, FRESH, UNSEEN, LATEST, NEWEST,
FINAL; 57), never #19's five test reviews: the shipped pair model is trained on that file
(bench/gold/pairs_training.csv), so the test reviews score the shipped model itself, held out.
Until session 38 it held the 12 tuning reviews only; bench/learning_curve.py --compare (each
review held out, 5 folds) chose the larger set: F1 +0.020, precision +0.008, better on 36 of
57. --tuning-only writes the 12 (the recipe the trials train on); --with-test-reviews adds the
five (bench/cluster_protocol.py's "pairs, N others" column measures that recipe leaving out
the review it scores: no better held out).

Run: .venv/bin/python bench/pair_training_data.py [OUT.csv] [--tuning-only | --with-test-reviews]
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from cluster_protocol import GOLD, REVIEWS, load_reviews

DEFAULT_OUT = Path(__file__).resolve().parent / "gold" / "pairs_training.csv"


def main() -> int:
    if not GOLD.exists():
        print(f"skipped: {GOLD} not found (the shared corpus is not on this machine)")
        return 0
    arguments = [a for a in sys.argv[1:] if not a.startswith("--")]
    out = Path(arguments[0]) if arguments else DEFAULT_OUT
    every_group = "--tuning-only" not in sys.argv
    reviews = load_reviews(
        tuning=True,
        fresh=every_group,
        unseen=every_group,
        latest=every_group,
        newest=every_group,
        final=every_group,
    )
    if "--with-test-reviews" not in sys.argv:
        reviews = [review for review in reviews if review.name not in REVIEWS]
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["review", "id", "text", "cluster_id", "confidence"])
        for review in reviews:
            for item in review.items:
                cluster_id, confidence = review.gold[item.id]
                writer.writerow([review.name, item.id, item.text, cluster_id, confidence])
    print(f"{out}: {sum(len(r.items) for r in reviews)} recommendations of {len(reviews)} reviews")
    return 0


if __name__ == "__main__":
    sys.exit(main())
