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

With --scale (alone with --scale-only): the UPR Info export's rows with scope "all" (as
bench_clusters.py's scale part). The model's links found by scoring every later x earlier
pair (the baseline: the path before the bounded search) against `model_links`' bounded search
(ours), the recurrence step alone on one similarity, then the whole clustering with the rule's
recurrences, the baseline's and ours, the CPU carried to 41,000 rows as bench_clusters.py
does (the target: 30 s for the whole clustering). The two learned paths must find the same
links.

With --fresh (alone): the six fresh pairs of bench/recurrence_protocol.py (labelled after every
choice), each scored by the rule, the model trained on the seven gold pairs (the shipped
recipe), the model trained on those and the other fresh pairs, and as the index stores it.

Run: .venv/bin/python bench/recurrence_learned.py [--no-test] [--write DIR] [--scale |
--scale-only | --fresh]
"""

from __future__ import annotations

import contextlib
import functools
import math
import os
import random
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from unittest import mock

import numpy as np
from cluster_protocol import GOLD, indexed_items
from recurrence_protocol import FRESH, KEPT_ASIDE, TEST, TUNING, Pair, recurring_gold

from uprdex.pipeline.clusters import ClusterItem, RecurrenceSettings, cluster, linkage
from uprdex.pipeline.clusters.pair_model import PairModel
from uprdex.pipeline.clusters.recurrence import matched, recurrence_matrices
from uprdex.pipeline.clusters.recurrence_links import learned_recurrences, text_similarity
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


def examples(
    pairs: tuple[Pair, ...], settings: ClusterSettings | None = None
) -> list[tuple[Example, np.ndarray]]:
    """Each pair's example (features, labels) and today's default links as a boolean matrix,
    the features read with `settings` (default: `ClusterSettings()`, the shipped models)."""
    by_symbol = indexed_items([pdf for p in pairs for pdf in (p.earlier_pdf, p.later_pdf)])
    settings = settings or ClusterSettings()
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
    if "--scale-only" in args:
        scale()
        return 0
    if "--fresh" in args:
        fresh()
        return 0
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
    """The learned links on the UPR Info export: every pair scored (the baseline, as before)
    against the bounded search (ours), the recurrence step alone and the whole clustering."""
    from bench_clusters import TARGET_ROWS, upr_info_items

    items = upr_info_items()
    settings = ClusterSettings(scope="all", learned_recurrence=True)
    print(f"\n== scale: {len(items):,} UPR Info rows, scope 'all' (load {_load()})")
    # The recurrence step alone, on the clustering's similarity (as `cluster` runs it).
    similarity, node_of = text_similarity(items, settings)
    learned_recurrences(items[:300], settings, similarity, node_of)  # the models read
    step: dict[bool, tuple[float, float, tuple]] = {}
    for every in (True, False):
        start, cpu = time.perf_counter(), time.process_time()
        found = learned_recurrences(items, settings, similarity, node_of, every_pair=every)
        step[every] = (time.perf_counter() - start, time.process_time() - cpu, found)
    (wall_old, cpu_old, old), (wall_new, cpu_new, new) = step[True], step[False]
    print(f"  the recurrence step ({len(new):,} links; load {_load()}):")
    print(f"    every pair scored (baseline)  {wall_old:5.1f} s wall {cpu_old:5.1f} s CPU")
    print(f"    bounded (ours)                {wall_new:5.1f} s wall {cpu_new:5.1f} s CPU")
    print(
        f"    ratio baseline / ours: wall {wall_old / wall_new:.2f}x, CPU "
        f"{cpu_old / cpu_new:.2f}x; the same links: {old == new}"
    )
    if old != new:
        raise SystemExit("the bounded search changed the links")
    # The whole clustering, CPU carried to TARGET_ROWS as bench_clusters.py does.
    runs = {
        "rule recurrences": (ClusterSettings(scope="all", learned_recurrence=False), False),
        "learned, every pair (baseline)": (settings, True),
        "learned, bounded (ours)": (settings, False),
    }
    timed = {}
    for label, (chosen, every) in runs.items():
        with _every_pair(every):
            timed[label] = _whole(items, chosen, TARGET_ROWS)
        wall, cpu, target, links = timed[label]
        print(
            f"  {label:31} {wall:5.1f} s wall {cpu:5.1f} s CPU, {links:,} links; "
            f"{TARGET_ROWS:,} rows ~{target:4.1f} s CPU (budget 30 s)"
        )
    base, ours = timed["learned, every pair (baseline)"], timed["learned, bounded (ours)"]
    rule = timed["rule recurrences"]
    print(
        f"  learned baseline / ours: CPU {base[1] / ours[1]:.2f}x; ours / rule recurrences: CPU "
        f"{ours[1] / rule[1]:.2f}x (load {_load()} on {os.cpu_count()} cores)"
    )


def fresh() -> None:
    """The fresh pairs (labelled after every choice): the rule's links, the shipped recipe's
    (the model trained on the seven gold pairs), the model trained on the seven and the other
    fresh pairs (more data: does it help?), and what the index stores (one clustering of both
    reviews with the defaults)."""
    loaded = examples((*ALL_TUNING, *FRESH))
    tuning, new = loaded[: len(ALL_TUNING)], loaded[len(ALL_TUNING) :]
    shipped_recipe = train([e for e, _ in tuning])
    print(f"\n== {len(new)} fresh pairs, never trained or chosen on")
    sums = np.zeros(4)
    for at, (example, before) in enumerate(new):
        more = train([e for e, _ in tuning] + [e for i, (e, _) in enumerate(new) if i != at])
        earlier, later = STORED[example.name]
        found = cluster([*earlier, *later]).recurrences
        at_row = {item.id: i for i, item in enumerate(later)}
        at_col = {item.id: i for i, item in enumerate(earlier)}
        stored = np.zeros(example.labels.shape)
        for link in found:
            stored[at_row[link.later_id], at_col[link.earlier_id]] = 1
        rows = {
            "rule": pair_scores(before.astype(np.float64), example.labels, 0.5),
            "model on the 7": pair_scores(
                shipped_recipe.probability(example.features),
                example.labels,
                shipped_recipe.threshold,
            ),
            f"model on {len(tuning) + len(new) - 1}": pair_scores(
                more.probability(example.features), example.labels, more.threshold
            ),
            "the index stores": pair_scores(stored, example.labels, 0.5),
        }
        print(f"  {example.name} ({int((example.labels == 1).sum())} high links)")
        for label, scores in rows.items():
            print(f"    {label:18} {cell(scores)}")
        sums += [scores[2] for scores in rows.values()]
    means = ", ".join(
        f"{label} {total / len(new):.3f}"
        for label, total in zip(
            ("rule", "model on 7", "model on more", "stored"), sums, strict=True
        )
    )
    print(f"  mean F1: {means}")


def _load() -> str:
    return f"{os.getloadavg()[0]:.1f}"


@contextlib.contextmanager
def _every_pair(every: bool) -> Iterator[None]:
    """`cluster` with the learned links found by scoring every pair (the path before the
    bounded search), when `every`."""
    if not every:
        yield
        return
    with mock.patch.object(
        linkage, "learned_recurrences", functools.partial(learned_recurrences, every_pair=True)
    ):
        yield


def _whole(
    items: list[ClusterItem], settings: ClusterSettings, target: int
) -> tuple[float, float, float, int]:
    """Wall and CPU seconds of `cluster(items, settings)`, the CPU carried to `target` rows
    (how it grows from half the rows to all), and the recurring links found."""
    cluster(items[:300], settings)
    start, cpu = time.perf_counter(), time.process_time()
    result = cluster(items, settings)
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    half = random.Random(1).sample(items, len(items) // 2)
    before = time.process_time()
    cluster(half, settings)
    growth = math.log(cpu / (time.process_time() - before)) / math.log(len(items) / len(half))
    return wall, cpu, cpu * (target / len(items)) ** growth, len(result.recurrences)


if __name__ == "__main__":
    sys.exit(main())
