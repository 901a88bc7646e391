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
