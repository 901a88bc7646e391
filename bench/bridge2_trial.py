"""Expert bridges, two precision-aware and cheaper variants, held out (#19, after bridge_trial).

PRE-REGISTERED (committed before the first scored run).

bench/bridge_trial.py's "A bridges" (bridge, split, bridge_minus_split from each ask's K = 20
nearest labelled pool asks; read its docstring for the pool, the exclusions and the features)
met the F1 half of the bar exactly (+0.0200, better on 8 of 12) but mean precision fell
(-0.0024: Tunisia -0.15, Madagascar -0.06, India -0.04), and at 17 us per pair it would add
about 60-90 s at the 41,000-ask scale, several times the 30 s budget.

The variants (fixed by the lead before any score, by reasoning: weak neighbours make spurious
bridges; a smaller K is cheaper; no other will be tried, none changed after a score):
- today: `train_pairs.CONFIG` as shipped (the baseline);
- A bridges: bridge_trial's three features, K = 20 (for reference only: NOT eligible);
- B K 10: A's three features over each ask's K = 10 nearest pool asks instead of 20 (the 10
  nearest of A's 20, by sim);
- C floor 0.5: A's three features with K = 20, but a pool pair (m, n) counts only when
  min(sim(a, m), sim(b, n)) >= 0.5, else it contributes nothing (a feature with no counting
  pair is 0). Computed as A's `bridge_columns` over the sims with every sim below 0.5 set to 0:
  the min of a pair is then below 0.5 exactly when it is 0, and 0 is each max's floor already.
Everything else as A: the pool (every `high` ask of bench/gold/pairs_training.csv; a review's
pairs never read its own gold nor, in a fold, the held-out review's), the shipped LSA sims,
the learner (liblinear L2, C 3, seeded), the features appended unscaled through
`feature_trials.DenseFeatures`. Nothing in pipeline/ changes.

1. The bar (firstpart_trial's and bridge_trial's; the 12 TUNING reviews, bench/gold only):
   leave one review out, each fold's pair model trained on the 11 others, clustering the
   held-out review at the defaults, today, A, B and C in the same run. B or C passes if its
   mean held-out F1 gain over today is >= +0.02 AND its mean precision gain is > 0 (strictly)
   AND its F1 is higher (strictly, unrounded) on >= 8 of 12. At most one is chosen: the passing
   variant of the highest mean F1. A's figures are printed beside them, never chosen. Every
   fold, the means, the lowest F1 and each variant's feature cost (neighbours; pair columns;
   per pair) are printed. In-sample figures (--inside) are not part of the bar and are not run
   by default (deadline).
2. Only if one passes 1, and only after that choice is committed here: the single later check
   (--final VARIANT, once): today and the chosen variant, trained on the 12 tuning reviews, on
   the 45 reviews of FRESH + UNSEEN + LATEST + NEWEST + FINAL pooled (each scored review's
   pool without itself). Bar (`feature_trials.print_later`): pooled mean F1 gain >= +0.01 AND
   pooled mean precision not lower by more than 0.005 AND F1 higher on >= 24 of 45.
3. Only if 2 passes, and then once (its code written and committed only then): the five TEST
   reviews of ../shared/data/gold, the pair model trained as the shipped one is (all 57
   bench/gold reviews) plus the variant's features, beside the shipped defaults; every fold,
   the means, the lowest F1. data/models/* are not replaced; the lead decides about shipping.

Measured, 1 (2026-12-07, one run, 1055 s on the shared 2-core machine, load average 4-6:
`.venv/bin/python bench/bridge2_trial.py`, log /tmp/bridge2_tuning.log; pool 5302 high asks;
A reproduced bridge_trial's figures fold for fold). Held-out P/R/F1, today / A / B / C:
  Kazakhstan 2014   0.82/0.74/0.78  0.88/0.79/0.83  0.85/0.71/0.77  0.88/0.72/0.79
  Madagascar 2014   0.78/0.71/0.74  0.72/0.71/0.71  0.72/0.76/0.74  0.71/0.76/0.74
  Malaysia 2013     0.59/0.63/0.61  0.64/0.69/0.66  0.69/0.76/0.72  0.69/0.70/0.69
  Colombia 2013     0.48/0.47/0.48  0.50/0.53/0.51  0.58/0.58/0.58  0.54/0.51/0.52
  Senegal 2013      0.65/0.78/0.71  0.63/0.79/0.71  0.67/0.78/0.72  0.65/0.76/0.70
  India 2012        0.78/0.80/0.79  0.74/0.87/0.80  0.83/0.85/0.84  0.83/0.87/0.85
  Tunisia 2012      0.67/0.26/0.38  0.52/0.29/0.37  0.43/0.24/0.31  0.56/0.24/0.33
  Sri Lanka 2012    0.63/0.52/0.57  0.70/0.55/0.62  0.57/0.52/0.54  0.67/0.56/0.61
  Ghana 2012        0.45/0.67/0.54  0.45/0.67/0.54  0.43/0.69/0.53  0.43/0.62/0.51
  Brazil 2012       0.69/0.45/0.55  0.67/0.49/0.57  0.70/0.44/0.54  0.76/0.51/0.61
  Japan 2012        0.75/0.75/0.75  0.81/0.79/0.80  0.73/0.74/0.73  0.73/0.73/0.73
  Ukraine 2012      0.81/0.56/0.66  0.82/0.57/0.67  0.79/0.56/0.65  0.80/0.61/0.69
  mean              0.67/0.61/0.63  0.67/0.64/0.65  0.66/0.63/0.64  0.69/0.63/0.65
  lowest F1         0.38            0.37            0.31            0.33
- A bridges (reference): F1 +0.0200, precision -0.0024, better on 8, worse on 3 (fails);
- B K 10: F1 +0.0108, precision -0.0100, better on 4, worse on 8: FAILS;
- C floor 0.5: F1 +0.0201, precision +0.0136, better on 7, worse on 5: FAILS (one review short
  of 8; its F1 and precision halves pass). Tunisia still falls (P 0.67 -> 0.56, F1 -> 0.33).
Nothing chosen; the later check (2) and the test reviews (3) were not run; no review outside
the 12 was scored. In-sample not run.
Cost in the run (neighbours cached per review's inputs; pair columns): A 6.6 s + 17.5 s for
2,148,127 pairs (11.2 us/pair, 8.2 without the neighbours); B 8.0 s + 7.1 s (7.1, 3.3);
C 6.4 s + 16.7 s (10.7, 7.8). Read after the verdict (/tmp/bridge2_after.py, not a choice;
load average 3.6): the K = 20 neighbours of the UPR Info export's 29,184 distinct texts 9.7 s;
pair columns on 500,000 pairs A 6.1, B 2.0, C 5.5 us/pair. At bridge_trial's 3,569,962 pairs
compared at 33,074 rows: A about 22 s + 10 s, B 7 s + 10 s, C 20 s + 10 s; at 41,000 rows
(pairs x1.24-1.54, neighbours x1.24) A about 39-46 s, B about 21-23 s, C about 36-42 s on
top of the clustering itself. Trained on the 12 (/tmp/bridge2_weights.py): B bridge +0.81,
split -0.34, bridge_minus_split +1.15, meaning +3.24; C +0.44, -0.92, +1.36, meaning +3.82.

Run: .venv/bin/python bench/bridge2_trial.py [--inside | --final VARIANT]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import defaultdict
from typing import Any

import bridge_trial as bt
import numpy as np
from cluster_protocol import Score, load_reviews, mean_cell, print_gains
from feature_trials import DenseFeatures, held_out, later_reviews, print_later, run

TODAY = "today"
A, B, C = "A bridges", "B K 10", "C floor 0.5"
VARIANTS: dict[str, tuple[str, ...]] = {
    TODAY: (),
    A: bt.BRIDGES,
    B: tuple(f"{name}_k10" for name in bt.BRIDGES),
    C: tuple(f"{name}_floor" for name in bt.BRIDGES),
}
ELIGIBLE = (B, C)
SMALL_K = 10
"""B's neighbours: the nearest SMALL_K of A's K = 20."""
FLOOR = 0.5
"""C: a pool pair counts only when both of its sims are at least this."""

_COST: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
"""variant -> [neighbour seconds, pair-column seconds, pairs featured]."""


def _variant(active: tuple[str, ...]) -> str:
    return next(name for name, names in VARIANTS.items() if names == active)


def _neighbours(inputs: Any, variant: str) -> tuple[bt.Floats, Any]:
    """The sims and pool indexes each variant's features read for `inputs`."""
    sims, nearest = bt._near(inputs)
    if variant == B:
        order = np.argsort(-sims, axis=1, kind="stable")[:, :SMALL_K]
        return np.take_along_axis(sims, order, 1), np.take_along_axis(nearest, order, 1)
    if variant == C:
        return np.where(sims >= FLOOR, sims, 0.0), nearest
    return sims, nearest


def _columns(inputs: Any, pairs: Any, active: tuple[str, ...]) -> bt.Floats:
    variant = _variant(active)
    cost = _COST[variant]
    start = time.perf_counter()
    sims, nearest = _neighbours(inputs, variant)
    middle = time.perf_counter()
    bridge, split = bt.bridge_columns(sims, nearest, pairs, bt.pool())
    cost[0] += middle - start
    cost[1] += time.perf_counter() - middle
    cost[2] += len(pairs)
    return np.stack([bridge, split, bridge - split], axis=1)


FEATURES = DenseFeatures(VARIANTS, _columns, review_inputs=bt._review_inputs, on_use=bt._forget)
# bridge_trial's `trained`/`scored` (the pool exclusions of each fold) use its module FEATURES.
bt.FEATURES = FEATURES


def passes(results: dict[str, list[Score]], arm: str) -> bool:
    """Print `arm` against today's and the bar of 1; whether it passes."""
    return bt.passes({TODAY: results[TODAY], arm: results[arm]}, arm)


def print_cost() -> None:
    """Each variant's feature cost: neighbours (cached per review's inputs), columns, per pair."""
    for variant in VARIANTS:
        if variant in _COST:
            near, cols, count = _COST[variant]
            print(
                f"  cost {variant}: neighbours {near:.1f} s, pair columns {cols:.1f} s, "
                f"{int(count)} pairs, {1e6 * (near + cols) / max(count, 1):.1f} us/pair "
                f"({1e6 * cols / max(count, 1):.1f} us/pair without the neighbours)",
                flush=True,
            )


def tuning(inside: bool) -> None:
    """Leave one tuning review out, all arms; the bar for B and C (A printed for reference)."""
    reviews = load_reviews(tuning=True, tests=False)
    start = time.perf_counter()
    print(f"  pool: {len(bt.pool().review)} high asks, {time.perf_counter() - start:.1f} s")
    print(f"== tuning reviews only, leave one out ({len(reviews)} reviews)", flush=True)
    results = held_out(reviews, list(VARIANTS), bt.scored)
    print_gains(reviews, results)
    print("  reference (not eligible):")
    passes(results, A)
    ok = {arm: passes(results, arm) for arm in ELIGIBLE}
    best = max(
        (arm for arm in ELIGIBLE if ok[arm]),
        key=lambda arm: statistics.fmean(s.f1 for s in results[arm]),
        default=None,
    )
    print(f"  chosen: {best or 'none'}")
    print_cost()
    if inside:
        scores = {name: bt.scored(reviews, name, reviews) for name in VARIANTS}
        print("  in-sample: " + "; ".join(f"{n} {mean_cell(s)}" for n, s in scores.items()))


def final(variant: str) -> None:
    """The single later check (2): today and `variant`, trained on the 12, on the 45."""
    tuning_reviews = load_reviews(tuning=True, tests=False)
    groups = later_reviews()
    pooled = [review for reviews in groups.values() for review in reviews]
    print(f"== {len(pooled)} {'+'.join(g.upper() for g in groups)} reviews, both trained on the 12")
    results = {arm: bt.scored(tuning_reviews, arm, pooled) for arm in (TODAY, variant)}
    print_later(groups, results, variant)
    print_cost()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--inside", action="store_true", help="also the in-sample figures of 1")
    parser.add_argument("--final", metavar="VARIANT", choices=ELIGIBLE, help="the check 2")
    args = parser.parse_args()
    if args.final:
        return run(lambda: final(args.final))
    return run(lambda: tuning(args.inside))


if __name__ == "__main__":
    sys.exit(main())
