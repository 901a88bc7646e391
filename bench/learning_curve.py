"""What more labelled reviews would buy the clusters: today's recipe's learning curve (#19).

Every trial of a new pair feature since session 20 moved held-out F1 by about a hundredth; two
trials with more training reviews (more_data_trial, latent_more_trial) gained a little each. This
bench asks the question behind them directly, so that the next labelling effort can be weighed:
how does held-out cluster F1 grow with the number of labelled reviews the shipped recipe
(`train_pairs.CONFIG`, `uprdex train-pairs`) is trained on?

The reviews: every labelled review of bench/gold (bench/review_groups.py: TUNING, FRESH, UNSEEN,
LATEST, NEWEST, FINAL), never the five TEST reviews of ../shared/data/gold. Five folds fixed
before any score (sorted by name, the i-th in fold i mod 5, as latent_more_trial). For each fold,
its other reviews are shuffled once (`random.Random(fold)`) and the recipe is trained on nested
prefixes of 6, 12, 24 and all of them (45-46); each model clusters the fold's reviews at
granularity 0.4, 0.5 (the default) and 0.6. Printed: mean P/R/F1 over all held-out reviews per
training size and granularity, the gain per doubling of the training reviews, and where a
straight line through the last two sizes (F1 against log2 of the reviews) would reach 0.80.
Nothing is chosen here; the shipped model is not touched. Reading the figures, note that the
12-review point was the shipped model's size (until --compare below), and that every review is
scored by models that never saw it.

Measured (2026-12-05, one run, 1,337 s on the 2-core machine shared with two helpers' trials:
.venv/bin/python bench/learning_curve.py), mean P/R/F1 over the 57 reviews held out:

| reviews trained on | granularity 0.4 | 0.5 (default) | 0.6 |
|---|---|---|---|
| 6 | 0.77/0.52/0.608 | 0.69/0.62/0.642 | 0.64/0.70/0.655 |
| 12 (shipped until --compare) | 0.76/0.58/0.650 | 0.69/0.67/0.665 | 0.62/0.73/0.658 |
| 24 | 0.75/0.61/0.662 | 0.68/0.68/0.669 | 0.61/0.75/0.662 |
| all other folds (45-46) | 0.76/0.62/0.672 | 0.69/0.69/0.685 | 0.62/0.75/0.671 |

Per doubling at the end: +0.011 (0.4), +0.017 (0.5), +0.010 (0.6); a straight line through
the last two sizes reaches 0.80 at about 5,200 labelled reviews at 0.5 (193,000 at 0.4,
471,000 at 0.6). About 200 reviews are held in each UPR cycle. More labels of this kind buy
recall, precision stays where it is; they cannot bring today's recipe to the issue's target.

--compare (PRE-REGISTERED, committed before it is run; the means above were seen): the
recipe trained on every labelled non-TEST review would replace the shipped 12-review model
only if, at granularity 0.5, in the same folds, the model trained on all other folds against
the one trained on their 12-review prefix scores: mean F1 gain >= +0.01 AND F1 strictly higher
on >= 29 of the 57 AND mean precision not lower by more than 0.005 (`feature_trials.judge`).
It trains and clusters exactly as the run above (the same seeds and prefixes) and prints every
review ("today" is the 12-review prefix). The TEST reviews are not read.

Measured, --compare (2026-12-05, one run, 417 s): the 12-review prefix 0.69/0.67/0.66 (lowest
0.38), all other folds 0.69/0.69/0.68 (lowest 0.27, Canada 2013 0.41 -> 0.27): F1 +0.0202,
precision +0.0078, better on 36 of 57, worse on 21: PASSES. So the shipped pair model is
trained on every labelled review of bench/gold (bench/pair_training_data.py), never on a
TEST review.

Run: .venv/bin/python bench/learning_curve.py
     .venv/bin/python bench/learning_curve.py --compare
"""

from __future__ import annotations

import argparse
import itertools
import math
import random
import statistics
import sys
import time
from collections.abc import Sequence

from cluster_protocol import (
    GOLD,
    Review,
    Score,
    load_reviews,
    mean_cell,
    pair_model_folder,
    print_gains,
    score,
)
from feature_trials import TODAY, judge

from uprdex.pipeline.clusters import cluster
from uprdex.pipeline.settings import ClusterSettings

FOLDS = 5
SIZES = (6, 12, 24)
"""Training sizes besides the whole of the other folds."""
GRANULARITIES = (0.4, 0.5, 0.6)
TARGET = 0.80


def folds(pool: Sequence[Review]) -> list[list[Review]]:
    """Sorted by name, the i-th in fold i mod FOLDS."""
    ordered = sorted(pool, key=lambda review: review.name)
    return [ordered[k::FOLDS] for k in range(FOLDS)]


def curve(
    pool: Sequence[Review],
    sizes: Sequence[int] = (*SIZES, 0),
    granularities: Sequence[float] = GRANULARITIES,
) -> dict[tuple[int, float], list[Score]]:
    """(training size, granularity) -> the scores of every pool review held out, in the order
    of `folds`. The size 0 is all the other folds."""
    results: dict[tuple[int, float], list[Score]] = {}
    for k, held in enumerate(folds(pool)):
        others = [review for review in pool if review not in held]
        random.Random(k).shuffle(others)
        for size in sizes:
            train = others[:size] if size else others
            start = time.perf_counter()
            model = pair_model_folder(train)
            for granularity in granularities:
                settings = ClusterSettings(pair_model=model, granularity=granularity)
                results.setdefault((size, granularity), []).extend(
                    score(cluster(review.items, settings).assignment, review.gold)
                    for review in held
                )
            print(
                f"  fold {k}: trained on {len(train)}, {len(held)} held out, "
                f"{time.perf_counter() - start:.0f} s",
                flush=True,
            )
    return results


def report(results: dict[tuple[int, float], list[Score]], whole: float) -> None:
    """The table, the gain per doubling and the straight line's reach."""
    print(f"\n== mean P/R/F1 over {len(next(iter(results.values())))} reviews held out")
    print("  reviews trained on" + "".join(f"{f'granularity {g}':>24}" for g in GRANULARITIES))
    sizes = (*SIZES, 0)
    for size in sizes:
        label = f"{size}" if size else f"all other folds (~{whole:.0f})"
        cells = "".join(f"{mean_cell(results[(size, g)]):>24}" for g in GRANULARITIES)
        print(f"  {label:<19}{cells}")
    for g in GRANULARITIES:
        f1 = [statistics.fmean(s.f1 for s in results[(size, g)]) for size in sizes]
        steps = ", ".join(f"{b - a:+.3f}" for a, b in itertools.pairwise(f1))
        slope, reach = doubling(f1, [size or whole for size in sizes])
        where = f"about {reach:,.0f} reviews" if reach is not None else "never (no gain)"
        print(
            f"  granularity {g}: F1 gain per step ({steps}); per doubling at the end "
            f"{slope:+.3f}; a straight line reaches {TARGET} at {where}"
        )


def doubling(f1: Sequence[float], reviews: Sequence[float]) -> tuple[float, float | None]:
    """The F1 gained per doubling of the training reviews between the last two sizes, and how
    many reviews a straight line through them (F1 against log2 of the reviews) needs to reach
    TARGET (None: it does not rise)."""
    logs = [math.log2(count) for count in reviews[-2:]]
    slope = (f1[-1] - f1[-2]) / (logs[1] - logs[0])
    if slope <= 0:
        return slope, None
    return slope, 2 ** (logs[1] + (TARGET - f1[-1]) / slope)


def compare(pool: Sequence[Review]) -> None:
    """--compare: every review at 0.5 by the 12-review and the all-other-folds models; the bar."""
    results = curve(pool, (12, 0), (0.5,))
    reviews = [review for held in folds(pool) for review in held]
    scores = {TODAY: results[(12, 0.5)], "all other folds": results[(0, 0.5)]}
    print_gains(reviews, scores)
    judge(scores, "all other folds", 0.01, 29, "the bar")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--compare", action="store_true", help="the pre-registered comparison")
    arguments = parser.parse_args()
    if not GOLD.exists():
        print(f"skipped: {GOLD} not found (the shared corpus is not on this machine)")
        return 0
    start = time.perf_counter()
    pool = load_reviews(
        tests=False, tuning=True, fresh=True, unseen=True, latest=True, newest=True, final=True
    )
    print(f"== {len(pool)} labelled reviews (no TEST review), {FOLDS} folds")
    if arguments.compare:
        compare(pool)
    else:
        results = curve(pool)
        report(results, statistics.fmean(len(pool) - len(held) for held in folds(pool)))
    print(f"\n{time.perf_counter() - start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
