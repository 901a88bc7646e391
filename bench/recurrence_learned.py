"""Recurring asks: the learned link classifier (pipeline/clusters/recurrence_model.py) against
today's default matcher, each review pair scored with nothing chosen on it.

Gold (CROSS_CYCLE_METHOD.md), scored as SOURCES.md says: high links must be found, low ones
count neither way, any other cross-cycle pair predicted is a false positive.

- Seven tuning pairs (bench/gold, each by its own annotator): Kazakhstan 2010 -> 2014, Uruguay
  2009 -> 2014, Belize 2009 -> 2013, Tunisia 2008 -> 2012, Ghana 2008 -> 2012, Sri Lanka 2008
  -> 2012, Egypt 2010 -> 2014. Each is scored leaving itself out: the model (weights and
  threshold) trained on the other six.
- Viet Nam 2009 -> 2014 (../shared/data/gold): the test of issue #19, scored by the model
  trained on all seven; nothing is chosen on it. `--no-test` leaves it out (for work on the
  features: each look at it is counted in the issue note).

Before: `RecurrenceSettings()` through `recurrence_matrices` and `matched`, the path
bench/recurrence_protocol.py scores. After: the model's links (probability >= its threshold,
the best mean F1 with precision >= 0.80 on each training pair).

With --scale: the UPR Info export's rows clustered with scope "all" (as bench_clusters.py's
scale part), the default recurrences against the model's, timed in one run (the 41,000-row
target is 30 s for the whole clustering).

Run: .venv/bin/python bench/recurrence_learned.py [--no-test] [--write DIR] [--scale]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
from cluster_protocol import GOLD, indexed_items
from recurrence_protocol import KEPT_ASIDE, TEST, TUNING, Pair, recurring_gold

from uprdex.pipeline.clusters import RecurrenceSettings, cluster
from uprdex.pipeline.clusters.pair_model import PairModel
from uprdex.pipeline.clusters.recurrence import matched, recurrence_matrices
from uprdex.pipeline.clusters.recurrence_model import candidate_features
from uprdex.pipeline.semantic import SemanticModel
from uprdex.pipeline.settings import ClusterSettings
from uprdex.pipeline.train_recurrence import Example, pair_scores, train

ALL_TUNING = (*TUNING, *KEPT_ASIDE)
"""The rule matcher's three tuning pairs and the four it keeps aside: the model learns from all."""

Scores = tuple[float, float, float, int, int]


def cell(scores: Scores) -> str:
    p, r, f, tp, fp = scores
    return f"P {p:.2f} R {r:.2f} F1 {f:.2f} ({tp} found, {fp} wrong)"


STORED: dict[str, tuple[list, list]] = {}
"""Each pair's (earlier, later) items, for the check of what the index stores."""


def examples(pairs: tuple[Pair, ...]) -> list[tuple[Example, np.ndarray]]:
    """Each pair's example (features, labels) and today's default links as a boolean matrix."""
    by_symbol = indexed_items([pdf for p in pairs for pdf in (p.earlier_pdf, p.later_pdf)])
    settings = ClusterSettings()
    out = []
    for pair in pairs:
        earlier, later = by_symbol[pair.earlier_symbol], by_symbol[pair.later_symbol]
        STORED[pair.name] = (earlier, later)
        high, low = recurring_gold(pair)
        row = {item.id: at for at, item in enumerate(later)}
        col = {item.id: at for at, item in enumerate(earlier)}
        missing = {link for link in high | low if link[0] not in row or link[1] not in col}
        if missing:
            raise SystemExit(f"{pair.name}: gold ids not in the index: {sorted(missing)[:5]}")
        labels = np.zeros((len(later), len(earlier)), dtype=np.int8)
        for a, b in low:
            labels[row[a], col[b]] = -1
        for a, b in high:
            labels[row[a], col[b]] = 1
        features, _ = candidate_features(earlier, later, settings)
        default = RecurrenceSettings()
        cross, within = recurrence_matrices(earlier, later, default, settings)
        before = matched(cross, within, default) > 0
        out.append((Example(pair.name, features, labels), before))
    return out


def main() -> int:
    if not GOLD.exists():
        print(f"skipped: {GOLD} not found")
        return 0
    args = sys.argv[1:]
    with_test = "--no-test" not in args
    start = time.perf_counter()
    loaded = examples((*ALL_TUNING, TEST) if with_test else ALL_TUNING)
    tuning = loaded[: len(ALL_TUNING)]
    print("\n== recurring asks: today's default (RecurrenceSettings()) and the learned classifier")
    rows = []
    for at, (example, before) in enumerate(tuning):
        others = [e for i, (e, _) in enumerate(tuning) if i != at]
        model = train(others)
        after = pair_scores(model.probability(example.features), example.labels, model.threshold)
        rows.append(
            (f"{example.name} (left out; threshold {model.threshold:.2f})", before, example, after)
        )
    full = train([e for e, _ in tuning])
    if with_test:
        example, before = loaded[-1]
        after = pair_scores(full.probability(example.features), example.labels, full.threshold)
        rows.insert(
            0,
            (
                f"{example.name} (the test; model on all 7, threshold {full.threshold:.2f})",
                before,
                example,
                after,
            ),
        )
    sums = np.zeros(2)
    for name, before_links, example, after in rows:
        before = pair_scores(before_links.astype(np.float64), example.labels, 0.5)
        ratio = after[2] / before[2] if before[2] else float("inf")
        print(f"  {name}")
        print(f"    before: {cell(before)}")
        print(f"    after:  {cell(after)}   F1 x{ratio:.2f}")
        if "left out" in name:
            sums += (before[2], after[2])
    print(
        f"  mean F1 over the 7 left-out tuning pairs: before {sums[0] / 7:.3f}, "
        f"after {sums[1] / 7:.3f}"
    )
    if with_test:
        # The index's path (`cluster` with learned_recurrence, the shipped model): the same
        # links as the model trained here when the shipped model is this run's.
        example = loaded[-1][0]
        earlier, later = STORED[example.name]
        found = cluster([*earlier, *later], ClusterSettings(learned_recurrence=True)).recurrences
        at_row = {item.id: at for at, item in enumerate(later)}
        at_col = {item.id: at for at, item in enumerate(earlier)}
        stored = np.zeros(example.labels.shape)
        for link in found:
            stored[at_row[link.later_id], at_col[link.earlier_id]] = 1
        print(
            f"  {example.name}: what the index stores with learned_recurrence (shipped model): "
            f"{cell(pair_scores(stored, example.labels, 0.5))}"
        )
    if "--write" in args:
        directory = Path(args[args.index("--write") + 1])
        full.metadata["pair_model"] = PairModel.load().version
        full.metadata["similarity_model"] = SemanticModel.load().version
        print(f"  written: {full.save(directory)}")
    print(f"  ({time.perf_counter() - start:.0f} s)")
    if "--scale" in args:
        scale()
    return 0


def scale() -> None:
    """The whole clustering of the UPR Info export, default recurrences against the model's."""
    from bench_clusters import upr_info_items

    items = upr_info_items()
    print(f"\n== scale: {len(items):,} UPR Info rows, scope 'all'")
    timed: list[float] = []
    for name, learned in (("default", False), ("learned_recurrence", True)):
        settings = ClusterSettings(scope="all", learned_recurrence=learned)
        start, cpu = time.perf_counter(), time.process_time()
        result = cluster(items, settings)
        wall, cpu = time.perf_counter() - start, time.process_time() - cpu
        timed.append(wall)
        asks = len({link.later_id for link in result.recurrences})
        print(
            f"  {name}: {wall:.1f} s wall, {cpu:.1f} s CPU; {len(result.recurrences):,} "
            f"recurring links, {asks:,} later asks with one"
        )
    print(f"  learned / default wall: x{timed[1] / timed[0]:.2f}")


if __name__ == "__main__":
    sys.exit(main())
