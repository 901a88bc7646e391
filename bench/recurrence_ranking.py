"""Recurring asks as a ranking: each later ask's candidate earlier asks, measured, not shipped.

Issue #19's idea: rather than one cut on the pair score, look at each later ask's candidates as
a ranking: the pair score, its rank among the later ask's candidates and among the earlier
ask's, the margin to the best, the asks' subjects, and the two steps through a near-identical
ask of either review (one earlier ask repeated by several later ones, and the other way round).
Two linkers are chosen under bench/recurrence_protocol.py's protocol (the tuning pairs only:
best summed F1 among the choices with precision >= 0.80 on each; each tuning pair scored with
the choice on the others, Viet Nam with the choice on all three):

- a rule: the pair reaches `cut`, or reaches `low` and is the best candidate of the later ask
  ("row"), of the earlier ask ("column"), of either, or of both ("mutual");
- a logistic regression over the features (numpy, L2, fitted by Newton's method on the
  training pairs' high links against their unlinked pairs; `low` links left out), the
  probability cut chosen the same way.

Printed beside the matcher of before (similarity >= 54) and the default (`RecurrenceSettings()`,
the clusters' pairs added), in one run.

Run: .venv/bin/python bench/recurrence_ranking.py
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from typing import TypeVar

import numpy as np
from recurrence_protocol import (
    GOLD,
    PRECISION,
    TEST,
    TUNING,
    Link,
    Loaded,
    Scores,
    _cell,
    load,
    score_links,
)

from uprdex.pipeline.clusters import RecurrenceSettings, pair_matrix
from uprdex.pipeline.settings import ClusterSettings

FEATURES = (
    "score",
    "subjects",
    "score - best of the later ask",
    "score - best of the earlier ask",
    "rank among the later ask's (0-5)",
    "rank among the earlier ask's (0-5)",
    "through a later ask (weaker step)",
    "through an earlier ask (weaker step)",
    "margin of the later ask's best to its second",
)
MODES = ("row", "column", "either", "mutual")
RULES = [
    (float(cut), float(low), mode)
    for cut in range(48, 72, 2)
    for low in range(36, 56, 2)
    for mode in MODES
    if low < cut
]
PROBABILITY_CUTS = tuple(round(float(c), 2) for c in np.arange(0.05, 0.96, 0.01))

Rule = tuple[float, float, str]
T = TypeVar("T")


class Ranked:
    """One review pair's candidates: every later x earlier pair, its features and gold."""

    def __init__(self, loaded: Loaded, earlier_scores: np.ndarray) -> None:
        self.loaded = loaded
        scores = loaded.similarity.astype(np.float64)
        mixed, within = loaded.matrices[0.2]
        subjects = np.clip((mixed - 0.8 * scores) / 20, 0, 1)
        within = np.where(within < 0, 0, within.astype(np.float64))
        np.fill_diagonal(within, 0)
        earlier = earlier_scores.astype(np.float64)
        np.fill_diagonal(earlier, 0)
        row_best = scores.max(axis=1, keepdims=True)
        column_best = scores.max(axis=0, keepdims=True)
        ordered = np.sort(scores, axis=1)[:, ::-1]
        second = ordered[:, 1:2] if scores.shape[1] > 1 else np.zeros_like(row_best)
        self.scores, self.row_best, self.column_best = scores, row_best, column_best
        features = [
            scores,
            100 * subjects,
            scores - row_best,
            scores - column_best,
            np.minimum((-scores).argsort(axis=1).argsort(axis=1), 5),
            np.minimum((-scores).argsort(axis=0).argsort(axis=0), 5),
            np.max(np.minimum(within[:, :, None], scores[None, :, :]), axis=1),
            np.max(np.minimum(scores[:, :, None], earlier[None, :, :]), axis=1),
            np.broadcast_to(row_best - second, scores.shape),
        ]
        self.features = np.stack(features, axis=-1).reshape(-1, len(FEATURES))
        later = [item.id for item in loaded.later]
        earlier_ids = [item.id for item in loaded.earlier]
        self.links = [(a, b) for a in later for b in earlier_ids]
        self.label = np.array(
            [1 if link in loaded.high else -1 if link in loaded.low else 0 for link in self.links]
        )

    def found(self, chosen: np.ndarray) -> set[Link]:
        return {self.links[i] for i in np.nonzero(chosen.ravel())[0].tolist()}

    def scored(self, chosen: np.ndarray) -> Scores:
        return score_links(self.found(chosen), self.loaded.high, self.loaded.low)

    def rule(self, rule: Rule) -> np.ndarray:
        cut, low, mode = rule
        s = self.scores
        row, column = s >= self.row_best, s >= self.column_best
        best = {"row": row, "column": column, "either": row | column, "mutual": row & column}
        return (s >= cut) | ((s >= low) & best[mode])


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 1.0) -> np.ndarray:
    """Weights (intercept last) of an L2 logistic regression, by Newton's method."""
    design = np.column_stack([x, np.ones(len(x))])
    weights = np.zeros(design.shape[1])
    penalty = np.full(design.shape[1], l2)
    penalty[-1] = 0
    for _ in range(50):
        p = 1 / (1 + np.exp(-(design @ weights)))
        gradient = design.T @ (p - y) + penalty * weights
        hessian = (design * (p * (1 - p))[:, None]).T @ design + np.diag(penalty)
        step = np.linalg.solve(hessian, gradient)
        weights -= step
        if np.abs(step).max() < 1e-8:
            break
    return weights


def best_choice(
    train: Sequence[Ranked], choices: Sequence[T], predict: Callable[[Ranked, T], np.ndarray]
) -> T:
    """The choice with the best summed F1 among those with precision >= PRECISION on each."""
    table = {(id(r), c): r.scored(predict(r, c)) for r in train for c in choices}
    sure = [c for c in choices if all(table[(id(r), c)][0] >= PRECISION for r in train)]
    return max(sure or choices, key=lambda c: sum(table[(id(r), c)][2] for r in train))


def learned(train: Sequence[Ranked]) -> Callable[[Ranked], np.ndarray]:
    """The logistic regression fitted on `train`, its probability cut chosen there too."""
    x = np.concatenate([r.features for r in train])
    y = np.concatenate([r.label for r in train])
    keep = y >= 0
    mean, spread = x.mean(axis=0), x.std(axis=0) + 1e-9
    weights = fit_logistic((x[keep] - mean) / spread, y[keep].astype(np.float64))

    def probability(r: Ranked) -> np.ndarray:
        z = np.column_stack([(r.features - mean) / spread, np.ones(len(r.features))]) @ weights
        return 1 / (1 + np.exp(-z))

    cached = {id(r): probability(r) for r in train}
    cut = best_choice(train, PROBABILITY_CUTS, lambda r, c: cached[id(r)] >= c)
    return lambda r: (probability(r) >= cut).reshape(r.scores.shape)


def main() -> int:
    if not GOLD.exists():
        print(f"skipped: {GOLD} not found")
        return 0
    settings = ClusterSettings()
    test, *tuning = (
        Ranked(loaded, pair_matrix(loaded.earlier, loaded.earlier, settings))
        for loaded in load([TEST, *TUNING])
    )
    print("\n== recurring asks as a ranking (bench/recurrence_ranking.py)")
    folds: list[tuple[str, Ranked, list[Ranked]]] = [
        (f"{test.loaded.pair.name} (held out: chosen on the 3 tuning pairs)", test, tuning)
    ]
    folds += [
        (f"{r.loaded.pair.name} (tuning, left out)", r, [t for t in tuning if t is not r])
        for r in tuning
    ]
    for name, ranked, train in folds:
        rule = best_choice(train, RULES, Ranked.rule)
        model = learned(train)
        before = ranked.loaded.before()
        rows = (
            ("before (similarity >= 54)", before),
            (
                "default (chosen seeing the tuning pairs)",
                ranked.loaded.scored(RecurrenceSettings()),
            ),
            (
                f"rule (cut {rule[0]:g}, low {rule[1]:g}, best of {rule[2]})",
                ranked.scored(ranked.rule(rule)),
            ),
            ("logistic regression", ranked.scored(model(ranked))),
        )
        print(f"  {name}")
        for label, scores in rows:
            ratio = scores[2] / before[2] if before[2] else float("inf")
            print(f"    {label:<45} {_cell(scores)}   F1 x{ratio:.2f}")
    print(f"  features: {', '.join(FEATURES)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
