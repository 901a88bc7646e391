"""Which commitments the clusters miss, and which false merges cost most (#19, tuning only).

Each of the 12 TUNING reviews (bench/cluster_protocol.py) clustered at the defaults by the pair
model trained on the 11 others (today's recipe, `train_pairs.CONFIG`), as the protocol's
leave-one-out does. For every gold cluster: its `high` members, the pairs that must be found,
those found and missed; for every predicted cluster that joins members of two gold clusters:
the false pairs, by the two gold clusters. No test, fresh or unseen review is read.

Run: .venv/bin/python bench/missed_analysis.py [--top N] [--dump FILE.json]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from collections.abc import Mapping

from cluster_protocol import GOLD, Review, load_reviews, pair_model_folder, score

from uprdex.pipeline.clusters import cluster, load_treaties, normalize
from uprdex.pipeline.settings import ClusterSettings


def analyse(review: Review, assignment: Mapping[str, str]) -> dict[str, object]:
    """Missed pairs by gold cluster and false pairs by the two gold clusters joined."""
    texts = {item.id: item.text for item in review.items}
    by_gold: dict[str, list[str]] = defaultdict(list)
    for item, (gold, confidence) in review.gold.items():
        if confidence == "high":
            by_gold[gold].append(item)
    missed: dict[str, dict[str, object]] = {}
    for gold, members in by_gold.items():
        must = len(members) * (len(members) - 1) // 2
        if not must:
            continue
        parts = Counter(assignment[m] for m in members)
        found = sum(n * (n - 1) // 2 for n in parts.values())
        if found < must:
            missed[gold] = {
                "size": len(members),
                "must": must,
                "missed": must - found,
                "parts": sorted(parts.values(), reverse=True),
                "texts": [texts[m] for m in members],
                "predicted": [assignment[m] for m in members],
            }
    ours: dict[str, list[str]] = defaultdict(list)
    for item in review.gold:
        ours[assignment[item]].append(item)
    false: Counter[tuple[str, str]] = Counter()
    examples: dict[tuple[str, str], tuple[str, str]] = {}
    for members in ours.values():
        for at, a in enumerate(members):
            for b in members[at + 1 :]:
                ga, gb = review.gold[a][0], review.gold[b][0]
                if ga != gb:
                    key = (min(ga, gb), max(ga, gb))
                    false[key] += 1
                    examples.setdefault(key, (texts[a], texts[b]))
    return {
        "missed": missed,
        "false": [
            {"pair": list(key), "count": n, "example": list(examples[key])}
            for key, n in false.most_common()
        ],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--dump")
    args = parser.parse_args()
    if not GOLD.exists():
        print(f"skipped: {GOLD} not found")
        return 0
    tuning = load_reviews(tuning=True, tests=False)
    treaties = load_treaties()
    out: dict[str, object] = {}
    rows_missed = []
    rows_false = []
    for review in tuning:
        folder = pair_model_folder([r for r in tuning if r is not review])
        assignment = cluster(review.items, ClusterSettings(pair_model=folder)).assignment
        result = score(assignment, review.gold)
        print(f"  {review.name}: {result.cell()} tp {result.tp} fp {result.fp} fn {result.fn}")
        found = analyse(review, assignment)
        out[review.name] = {"score": result.cell(), "fn": result.fn, "fp": result.fp, **found}
        for gold, info in found["missed"].items():  # type: ignore[attr-defined]
            rows_missed.append((info["missed"], review.name, gold, info))
        for info in found["false"]:  # type: ignore[attr-defined]
            rows_false.append((info["count"], review.name, info))
    total_fn = sum(r[0] for r in rows_missed)
    total_fp = sum(r[0] for r in rows_false)
    print(f"== missed pairs: {total_fn}; by gold cluster, largest first")
    for n, name, gold, info in sorted(rows_missed, key=lambda r: -r[0])[: args.top]:
        print(
            f"  {n:4d} of {info['must']:4d}  {name}: {gold} "
            f"(size {info['size']}, parts {info['parts']})"
        )
        for text in info["texts"][:4]:
            print(f"        - {normalize(text, treaties)[:110]}")
    print(f"== false pairs: {total_fp}; by the two gold clusters joined, largest first")
    for n, name, info in sorted(rows_false, key=lambda r: -r[0])[: args.top]:
        a, b = info["pair"]
        print(f"  {n:4d}  {name}: {a} + {b}")
        for text in info["example"]:
            print(f"        - {text[:110]}")
    if args.dump:
        with open(args.dump, "w", encoding="utf-8") as handle:
            json.dump(out, handle, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
