"""Recurring asks: does the link model's recipe gain from twice the training pairs? (issue #19
part 4, session 34, helper recur7). Pre-registered here and committed before any score.

Data: the 13 tuning pairs, the seven older ones (bench/recurrence_protocol.py TUNING and
KEPT_ASIDE, `ALL_TUNING` of bench/recurrence_learned.py) and six new ones (`MORE_TUNING`:
Albania 2010 -> 2014, Botswana 2009 -> 2013, Central African Republic 2009 -> 2013, Cyprus 2010
-> 2014, Portugal 2010 -> 2014, Slovakia 2009 -> 2014; each labelled by its own annotator with
CROSS_CYCLE_METHOD.md, read by nobody before this bench).

The question: the shipped recipe (`train_recurrence.train`: the logistic regression, its
threshold the best mean F1 at pooled training precision >= 0.85) trained on 12 of the 13 pairs,
against today's shipped model, scored on the pair left out. And one variant, chosen before any
score (`LEVEL`):

- "level": the same model on the 12, its threshold's training precision level re-chosen by
  leaving one training pair out (`chosen_level`): levels 0.80-0.90 by 0.01; for each level, each
  of the 12 training pairs is scored by the model trained on the other 11 with its threshold at
  that level on those 11, as what the index stores (its links + the default clustering's
  cross-cycle pairs); the level with the best mean stored F1 among those whose mean stored
  precision is >= 0.82 (the bar's), ties the lowest; when none reaches 0.82, the level with the
  highest mean stored precision. Why: `PRECISION` 0.85 was set on seven pairs for the model
  alone (train_recurrence.py), while the index stores the model's links with the clustering's,
  whose precision is lower (recur6: 0.82-0.84 pooled on six training pairs); with 12 training
  pairs an inner leave-one-out has 11 to train on, and it can set the level for what is stored.
  (A second variant, more features, was considered and left out: the one feature that helped on
  the seven pairs, the word vectors' centroid cosine, was already checked once on the fresh
  pairs, so a second final check of it would not be clean; and no other feature has a measured
  reason.)

The protocol: leave one pair out over the 13. For each pair left out, three arms, each scored
as what the index stores (the model's links | the default clustering's cross-cycle pairs,
`recurrence_fixes.stored`, as `bench/recurrence_recall.py --settled` measures them):
- "shipped": today's model. An older pair left out: the model trained on the other six older
  pairs (as bench/recurrence_learned.py scores it); a new pair: the model trained on the seven
  older pairs (the shipped one, never trained on it; the run checks it equals
  data/models/recurrence).
- "recipe on 12": the shipped recipe trained on the other 12.
- "level on 12": the variant trained on the other 12.
Every fold is printed (P, R, F1, found, wrong), with the model's links alone beside for the
record (not part of the bar).

The bar, for each of the two arms against "shipped", over the 13 pairs left out: mean stored
F1 gain >= +0.02 AND mean stored precision >= 0.82 AND a higher F1 on >= 8 of the 13 pairs. At
most one is chosen: of those passing, the higher mean stored F1 (a tie: "recipe on 12", the
plainer). Only if one passes: its single final check (FRESH and Viet Nam) is declared in this
docstring and committed before it runs, once.

Measured (2026-12-05, one run, 27 min wall on a loaded machine; the bar was not met, so no final
check was declared or run, and neither the fresh pairs nor Viet Nam were read). Stored links,
each pair left out, P/R/F1, "shipped" -> "recipe on 12" -> "level on 12" (its level):

| pair | shipped | recipe on 12 | level on 12 |
|---|---|---|---|
| Kazakhstan | 0.83/0.73/0.778 | 0.83/0.72/0.775 | 0.84/0.72/0.776 (0.86) |
| Uruguay | 0.87/0.51/0.646 | 0.89/0.50/0.642 | 0.89/0.50/0.637 (0.86) |
| Belize | 0.96/0.55/0.698 | 0.98/0.54/0.693 | 1.00/0.51/0.677 (0.87) |
| Tunisia | 0.83/0.45/0.588 | 0.83/0.45/0.588 | 0.83/0.45/0.588 (0.86) |
| Ghana | 0.93/0.49/0.642 | 0.93/0.48/0.634 | 0.94/0.47/0.629 (0.86) |
| Sri Lanka | 0.85/0.63/0.726 | 0.88/0.59/0.708 | 0.91/0.58/0.709 (0.86) |
| Egypt | 0.63/0.54/0.585 | 0.69/0.50/0.575 | 0.71/0.49/0.580 (0.87) |
| Albania | 0.66/0.37/0.471 | 0.74/0.36/0.481 | 0.74/0.36/0.481 (0.86) |
| Botswana | 0.80/0.76/0.777 | 0.84/0.69/0.756 | 0.87/0.69/0.768 (0.86) |
| Central African Rep. | 0.88/0.57/0.692 | 0.91/0.53/0.673 | 0.91/0.53/0.669 (0.86) |
| Cyprus | 0.80/0.58/0.672 | 0.81/0.57/0.667 | 0.86/0.57/0.683 (0.86) |
| Portugal | 0.50/0.60/0.545 | 0.54/0.60/0.568 | 0.54/0.60/0.568 (0.85) |
| Slovakia | 0.73/0.47/0.574 | 0.73/0.45/0.556 | 0.73/0.45/0.556 (0.85) |
| mean of 13 | 0.789/0.559/0.646 | 0.815/0.537/0.640 | 0.828/0.532/0.640 |

"recipe on 12": F1 -0.0060, better on 2 of 13; "level on 12": F1 -0.0056, better on 3 of 13
(mean P 0.828 passes, the gain does not): neither passes, none chosen, nothing ships. More
pairs buy precision, not F1: the 12-pair models' thresholds sit at 0.59-0.62 (the 6-pair ones
0.53-0.60; ad hoc, tuning data only) and link fewer pairs; the nested level lands at 0.85-0.87.
The six new pairs are hard for today's model, which never saw them: stored mean P 0.726, R
0.558, F1 0.622 (the seven older, left out: 0.843/0.560/0.666), Portugal at P 0.50 (27 wrong
of 54; its annotator marked 150 of 195 links low) and Albania at 0.66.

Run: .venv/bin/python bench/recurrence_more.py
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Sequence

import numpy as np
from cluster_protocol import GOLD
from recurrence_cases import Case, Links, _mean, load
from recurrence_fixes import _model, _threshold_at, stored, today
from recurrence_learned import ALL_TUNING
from recurrence_protocol import MORE_TUNING

from uprdex.pipeline.clusters.recurrence_model import RecurrenceModel
from uprdex.pipeline.train_recurrence import pair_scores

Scores = tuple[float, float, float, int, int]
LEVELS = tuple(round(0.80 + 0.01 * k, 2) for k in range(11))
"""The training precision levels `chosen_level` chooses among."""
FLOOR = 0.82
"""The mean stored precision a level must keep on the inner pairs left out (the bar's)."""
BAR = (0.02, 0.82, 8)
"""Mean stored F1 gain over "shipped", mean stored precision, pairs with a higher F1 (of 13)."""


def _scores(links: Links, case: Case) -> Scores:
    return pair_scores(links.astype(np.float64), case.example.labels, 0.5)


def _stored_at(training: Sequence[Case], case: Case, level: float) -> Links:
    """What the index stores with the model trained on `training`, its threshold at `level`."""
    model = _model(training)
    threshold = _threshold_at(
        [model.probability(c.example.features) for c in training],
        [c.example for c in training],
        level,
    )
    out: Links = (model.probability(case.example.features) >= threshold) | case.same_cluster
    return out


def chosen_level(training: Sequence[Case]) -> float:
    """The level of `LEVELS` (the module docstring's rule): each training pair left out, scored
    as stored by the model trained on the others at that level."""
    rows = {
        level: [
            _scores(_stored_at([d for j, d in enumerate(training) if j != i], c, level), c)
            for i, c in enumerate(training)
        ]
        for level in LEVELS
    }

    def key(level: float) -> tuple[bool, float, float]:
        precision = _mean(r[0] for r in rows[level])
        sure = precision >= FLOOR
        return sure, _mean(r[2] for r in rows[level]) if sure else precision, -level

    return max(LEVELS, key=key)


CHOSEN_LEVELS: dict[str, float] = {}
"""The level each fold chose (by the left-out pair's name), for the print."""


def level(training: Sequence[Case], case: Case) -> Links:
    """The variant: the model on `training`, its level chosen by `chosen_level`."""
    chosen = chosen_level(training)
    CHOSEN_LEVELS[case.example.name] = chosen
    return _stored_at(training, case, chosen)


Arm = Callable[[Sequence[Case], Case], Links]


def main() -> int:
    if not GOLD.exists():
        print(f"skipped: {GOLD} not found")
        return 0
    start = time.perf_counter()
    cases = load((*ALL_TUNING, *MORE_TUNING))
    old = cases[: len(ALL_TUNING)]
    shipped = RecurrenceModel.load()
    same = _model(old).version == shipped.version
    print(f"\n== the recipe on the 7 older pairs is the shipped model: {same}")
    if not same:
        raise SystemExit("the shipped model is not the recipe on the seven older pairs")
    arms: dict[str, tuple[Arm, bool]] = {
        "shipped": (stored, False),
        "recipe on 12": (stored, True),
        "level on 12": (level, True),
    }
    print(f"== {len(cases)} tuning pairs, each left out: stored links (model alone beside)")
    table: dict[str, list[Scores]] = {name: [] for name in arms}
    for i, case in enumerate(cases):
        others = [c for j, c in enumerate(cases) if j != i]
        older = [c for c in old if c is not case]
        print(f"  {case.example.name} ({int((case.example.labels == 1).sum())} high links)")
        for name, (arm, twelve) in arms.items():
            training = others if twelve else older
            scores = _scores(arm(training, case), case)
            alone = _scores(today(training, case), case)
            table[name].append(scores)
            extra = f", level {CHOSEN_LEVELS[case.example.name]:.2f}" if arm is level else ""
            print(
                f"    {name:13} stored P {scores[0]:.3f} R {scores[1]:.3f} F1 {scores[2]:.3f} "
                f"({scores[3]} found, {scores[4]} wrong); model alone F1 {alone[2]:.3f} "
                f"(P {alone[0]:.3f}){extra}"
            )
    base = table["shipped"]
    print(f"\n== means over the {len(cases)} pairs left out, stored links")
    passing: dict[str, float] = {}
    for name, rows in table.items():
        p, r, f = (_mean(row[k] for row in rows) for k in range(3))
        gain = f - _mean(row[2] for row in base)
        better = sum(row[2] > b[2] for row, b in zip(rows, base, strict=True))
        line = f"  {name:13} P {p:.3f} R {r:.3f} F1 {f:.3f}, lowest P {min(x[0] for x in rows):.3f}"
        if name != "shipped":
            passed = gain >= BAR[0] and p >= BAR[1] and better >= BAR[2]
            if passed:
                passing[name] = f
            line += (
                f"; gain {gain:+.4f}, better on {better} of {len(rows)}: "
                f"{'passes' if passed else 'does not pass'}"
            )
        print(line)
    chosen = max(passing, key=lambda n: (passing[n], n == "recipe on 12")) if passing else None
    print(f"  chosen: {chosen or 'none'} ({time.perf_counter() - start:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
