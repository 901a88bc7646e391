"""Expert bridges with the floor, a cheaper and a stricter variant, held out (#19, after bridge2).

PRE-REGISTERED (committed before the first scored run).

bench/bridge2_trial.py's "C floor 0.5" (bridge_trial's bridge, split, bridge_minus_split over
each ask's K = 20 nearest labelled pool asks, a pool pair (m, n) counting only when
min(sim(a, m), sim(b, n)) >= 0.5) raised the held-out F1 (+0.0201) and precision (+0.0136) on
the 12 tuning reviews but was better on only 7 of 12 (the bar needs 8), and it would cost about
36-42 s at the 41,000-ask scale against a 30 s budget. Read bridge_trial's docstring for the
pool, the exclusions and the features, bridge2_trial's for B and C.

The variants (fixed by the lead before any score, by reasoning: the floor removes spurious weak
bridges; K 10 is cheaper; a higher floor should protect precision where C lost it, Tunisia and
Madagascar; no other will be tried, none changed after a score):
- today: `train_pairs.CONFIG` as shipped (the baseline);
- C floor 0.5: bridge2_trial's C, computed by its own code (for reference only: NOT eligible);
- D K 10 floor 0.5: C's floor rule over each ask's 10 nearest pool asks instead of 20 (the 10
  nearest of bridge_trial's 20 by sim, as bridge2's B, then every sim below 0.5 set to 0);
- E K 20 floor 0.6: C's rule with the floor at 0.6 (every sim below 0.6 set to 0).
Setting a sim below the floor to 0 makes a pool pair count exactly when both its sims reach the
floor (the min of a pair is then below the floor exactly when it is 0, each max's floor already),
and a feature with no counting pair is 0. Everything else as C: the pool (every `high` ask of
bench/gold/pairs_training.csv; a review's pairs never read its own gold nor, in a fold, the
held-out review's), the shipped LSA sims, the learner (liblinear L2, C 3, seeded), the features
appended unscaled through `feature_trials.DenseFeatures`. Nothing in pipeline/ changes.

Toy check before the pre-registration (/tmp/bridge3_toy.py, worked by hand first; no review
scored): pool asks p0, p1 (one gold cluster) and p2 (another) of one review; a's sims to them
0.9, 0.3, 0.55, b's 0.2, 0.65, 0.58: bridge / split of (a, b) are 0.65 / 0.58 for A and C and
0.65 / 0 for E (p2's 0.55 and 0.58 fall below 0.6). D on one ask's 12 sims 0.3, 0.9, 0.45, 0.8,
0.7, 0.2, 0.6, 0.55, 0.52, 0.51, 0.49, 0.1 keeps the 10 nearest by sim (0.2 and 0.1 dropped)
with 0.49, 0.45 and 0.3 set to 0; C keeps all 12, zeroing the five below 0.5; E zeroes the
eight below 0.6.

1. The bar (firstpart_trial's, bridge_trial's and bridge2_trial's; the 12 TUNING reviews,
   bench/gold only): leave one review out, each fold's pair model trained on the 11 others,
   clustering the held-out review at the defaults; today, C, D and E in the same run. D or E
   passes if its mean held-out F1 gain over today is >= +0.02 AND its mean precision gain is
   > 0 (strictly) AND its F1 is higher (strictly, unrounded) on >= 8 of 12. At most one is
   chosen: the passing variant of the highest mean F1. C's figures are printed beside them,
   never chosen. Every fold, the means, the lowest F1 and each variant's feature cost
   (neighbours; pair columns; per pair) are printed.
2. Only if one passes 1, and only after that choice is committed here: the single later check
   (--final VARIANT, once): today and the chosen variant, trained on the 12 tuning reviews, on
   the 45 reviews of FRESH + UNSEEN + LATEST + NEWEST + FINAL pooled (each scored review's
   pool without itself). Bar (`feature_trials.print_later`): pooled mean F1 gain >= +0.01 AND
   pooled mean precision not lower by more than 0.005 AND F1 higher on >= 24 of 45.
3. Only if 2 passes, and then once (its code written and committed only then): the five TEST
   reviews of ../shared/data/gold, the pair model trained as the shipped one is (all 57
   bench/gold reviews) plus the variant's features, beside the shipped defaults; every fold,
   the means, the lowest F1. data/models/* are not replaced; the lead decides about shipping.

Measured, 1 (2026-12-07, one run, 2597 s on the shared 2-core machine, load average 5-12:
`.venv/bin/python bench/bridge3_trial.py`, log /tmp/bridge3_tuning.log; C reproduced
bridge2_trial's figures fold for fold). Mean held-out P/R/F1: today 0.67/0.61/0.63, C
0.69/0.63/0.65, D 0.69/0.63/0.64, E 0.71/0.63/0.66.
- C floor 0.5 (reference): F1 +0.0201, precision +0.0136, better on 7, worse on 5 (fails);
- D K 10 floor 0.5: F1 +0.0158, precision +0.0107, better on 8, worse on 4: FAILS (F1 gain);
- E K 20 floor 0.6: F1 +0.0271, precision +0.0350, better on 9, worse on 3, lowest F1 0.47
  (today 0.38): PASSES.
CHOSEN (the only passing variant): E K 20 floor 0.6; committed before the later check (2).

Held-out P/R/F1 of 1, today / C / D / E:
  Kazakhstan 2014   0.82/0.74/0.78  0.88/0.72/0.79  0.85/0.70/0.77  0.84/0.69/0.76
  Madagascar 2014   0.78/0.71/0.74  0.71/0.76/0.74  0.70/0.76/0.73  0.79/0.77/0.78
  Malaysia 2013     0.59/0.63/0.61  0.69/0.70/0.69  0.69/0.72/0.70  0.57/0.60/0.59
  Colombia 2013     0.48/0.47/0.48  0.54/0.51/0.52  0.56/0.53/0.54  0.57/0.47/0.52
  Senegal 2013      0.65/0.78/0.71  0.65/0.76/0.70  0.66/0.77/0.71  0.70/0.75/0.73
  India 2012        0.78/0.80/0.79  0.83/0.87/0.85  0.82/0.87/0.84  0.82/0.87/0.84
  Tunisia 2012      0.67/0.26/0.38  0.56/0.24/0.33  0.60/0.24/0.34  0.76/0.34/0.47
  Sri Lanka 2012    0.63/0.52/0.57  0.67/0.56/0.61  0.63/0.55/0.59  0.63/0.53/0.58
  Ghana 2012        0.45/0.67/0.54  0.43/0.62/0.51  0.40/0.65/0.50  0.46/0.69/0.55
  Brazil 2012       0.69/0.45/0.55  0.76/0.51/0.61  0.73/0.49/0.59  0.74/0.49/0.59
  Japan 2012        0.75/0.75/0.75  0.73/0.73/0.73  0.80/0.74/0.77  0.82/0.81/0.81
  Ukraine 2012      0.81/0.56/0.66  0.80/0.61/0.69  0.79/0.57/0.67  0.79/0.56/0.65
  mean              0.67/0.61/0.63  0.69/0.63/0.65  0.69/0.63/0.64  0.71/0.63/0.66
  lowest F1         0.38            0.33            0.34            0.47
Cost in the run (neighbours cached per review's inputs; pair columns; about 2.15 million pairs
each): C 15.1 s + 35.4 s (23.5 us/pair, 16.5 without the neighbours), D 16.9 s + 11.6 s (13.3,
5.4), E 16.1 s + 34.4 s (23.5, 16.0); the load was about twice bridge2's run.

Measured, 2 (once, 315 s, log /tmp/bridge3_final.log: `--final "E K 20 floor 0.6"`, both
trained on the 12): pooled over the 45, today 0.71/0.67/0.68, E 0.71/0.69/0.69: F1 +0.0078,
precision -0.0036, better on 23, worse on 20, lowest F1 0.41 -> 0.43: E FAILS the later bar
(F1 gain below +0.01 and one review short of 24; the precision half passes). By group, F1 gain:
FRESH (15) +0.0051, UNSEEN (8) -0.0057, LATEST (6) +0.0431 (China 0.57 -> 0.81), NEWEST (9)
-0.0049, FINAL (7) +0.0152. Largest falls: France 0.67 -> 0.55, Peru 0.76 -> 0.69,
Netherlands 0.72 -> 0.66. So the test reviews (3) were not scored; nothing is chosen to ship.
Cost in 2: neighbours 9.6 s + pair columns 17.1 s for 902,728 pairs (29.6 us/pair, 18.9 without
the neighbours).
Read after the verdict (/tmp/bridge3_after.py, twice, load average 6.4-8.8, about twice
bridge2's 3.6): the K = 20 neighbours of the UPR Info export's 29,184 distinct texts 17.4 s /
25.0 s; pair columns on 500,000 pairs C 12.6 / 15.4, D 5.0 / 5.2, E 15.6 / 15.0 us/pair. D costs
0.34-0.39 of C's columns, E the same as C (0.98-1.24). As measured under this load, at
bridge_trial's 3,569,962 pairs (33,074 rows): C 45-55 s, D 18-19 s, E 54-56 s of columns, plus
17-25 s of neighbours. Scaled to bridge2's machine state through C (C's 5.5 us there): D about
1.9-2.2 us/pair, so 7-8 s at 33k and about 20-24 s at 41,000 rows with the neighbours (pairs
x1.24-1.54, neighbours 9.7 s x1.24, as REPORT-bridge2); E about 5.4-6.8 us/pair, about 36-50 s.

Run: .venv/bin/python bench/bridge3_trial.py [--final VARIANT]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import defaultdict
from typing import Any

import bridge2_trial as b2
import bridge_trial as bt
import numpy as np
from cluster_protocol import Score, load_reviews, print_gains
from feature_trials import DenseFeatures, held_out, later_reviews, print_later, run

TODAY = "today"
C, D, E = b2.C, "D K 10 floor 0.5", "E K 20 floor 0.6"
VARIANTS: dict[str, tuple[str, ...]] = {
    TODAY: (),
    C: b2.VARIANTS[b2.C],
    D: tuple(f"{name}_k10_floor" for name in bt.BRIDGES),
    E: tuple(f"{name}_floor06" for name in bt.BRIDGES),
}
ELIGIBLE = (D, E)
HIGH_FLOOR = 0.6
"""E: a pool pair counts only when both of its sims are at least this."""

_COST: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
"""variant -> [neighbour seconds, pair-column seconds, pairs featured]."""


def _variant(active: tuple[str, ...]) -> str:
    return next(name for name, names in VARIANTS.items() if names == active)


def floored(sims: bt.Floats, floor: float) -> bt.Floats:
    """`sims` with every value below `floor` set to 0 (a pool pair then counts only when both
    its sims reach the floor)."""
    return np.where(sims >= floor, sims, 0.0)


def _neighbours(inputs: Any, variant: str) -> tuple[bt.Floats, Any]:
    """The sims and pool indexes each variant's features read for `inputs`."""
    if variant == C:
        return b2._neighbours(inputs, b2.C)
    if variant == D:
        sims, nearest = b2._neighbours(inputs, b2.B)
        return floored(sims, b2.FLOOR), nearest
    sims, nearest = bt._near(inputs)
    return floored(sims, HIGH_FLOOR), nearest


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
# bridge_trial's `trained`/`scored` (the pool exclusions of each fold) use its module FEATURES;
# importing bridge2_trial set it to bridge2's, so it is set here after that import.
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


def tuning() -> None:
    """Leave one tuning review out, all arms; the bar for D and E (C printed for reference)."""
    reviews = load_reviews(tuning=True, tests=False)
    start = time.perf_counter()
    print(f"  pool: {len(bt.pool().review)} high asks, {time.perf_counter() - start:.1f} s")
    print(f"== tuning reviews only, leave one out ({len(reviews)} reviews)", flush=True)
    results = held_out(reviews, list(VARIANTS), bt.scored)
    print_gains(reviews, results)
    print("  reference (not eligible):")
    passes(results, C)
    ok = {arm: passes(results, arm) for arm in ELIGIBLE}
    best = max(
        (arm for arm in ELIGIBLE if ok[arm]),
        key=lambda arm: statistics.fmean(s.f1 for s in results[arm]),
        default=None,
    )
    print(f"  chosen: {best or 'none'}")
    print_cost()


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
    parser.add_argument("--final", metavar="VARIANT", choices=ELIGIBLE, help="the check 2")
    args = parser.parse_args()
    if args.final:
        return run(lambda: final(args.final))
    return run(tuning)


if __name__ == "__main__":
    sys.exit(main())
