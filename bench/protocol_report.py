"""The clustering protocol's report: `python bench/cluster_protocol.py` runs `main` here.

Leave one review out over issue #19's five test reviews (settings and pair models chosen
without each), the fresh and unseen reviews scored by the recipe trained on the tuning reviews
(the shipped model is trained on them too since session 38: bench/learning_curve.py), every
gold review held out and in-sample, the granularity chosen on the tuning reviews alone and what each
granularity trades, and the precision of the sure core against doubtful members. The pieces it
scores with are in bench/cluster_protocol.py; the review groups in bench/review_groups.py.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import replace

from cluster_protocol import (
    BEFORE,
    FRESH,
    GOLD,
    GRANULARITIES,
    OLD_MIX,
    REVIEWS,
    TUNING,
    Method,
    Review,
    _scored,
    choose,
    default_grid,
    describe,
    fixed_method,
    fixed_trained_method,
    grid_method,
    learned_method,
    leave_one_out,
    load_reviews,
    mean_cell,
    pair_model_folder,
    print_table,
    score,
)
from review_groups import FIRST_TUNING

from uprdex.pipeline.clusters import cluster
from uprdex.pipeline.clusters.pair_model import PairModel
from uprdex.pipeline.clusters.records import core_cut
from uprdex.pipeline.settings import ClusterSettings

LATER = {"latest": True, "newest": True, "final": True}
"""The labelled groups `main` does not otherwise load, read for the shipped model's check."""


def granularity_table(reviews: Sequence[Review], mix: ClusterSettings) -> None:
    """Mean P/R/F1 over the reviews at each granularity, with the chosen mix or the pair model:
    what the one setting trades."""
    if mix.learned:
        print("  granularity with the shipped pair model (never trained on these reviews):")
    else:
        print(f"  granularity with semantic {mix.semantic_weight:g} rare {mix.rare_weight:g}:")
    for g in GRANULARITIES:
        settings = replace(mix, granularity=g)
        scores = [_scored(settings, review) for review in reviews]
        n = len(scores)
        cells = " ".join(f"{s.f1:.2f}" for s in scores)
        print(
            f"    {g:.1f} (threshold {settings.threshold:4.1f}): mean P/R/F1 "
            f"{sum(s.precision for s in scores) / n:.2f}/{sum(s.recall for s in scores) / n:.2f}"
            f"/{sum(s.f1 for s in scores) / n:.2f}; F1 by review {cells}"
        )


def tuning_granularity(tuning: Sequence[Review]) -> float:
    """The pair model's granularity, chosen on the tuning reviews alone: each scored by the
    recipe trained on the other tuning reviews, at every granularity; the best mean F1 (ties:
    the higher mean precision, then the finer). No test review is read."""
    print(
        f"  the pair model's granularity, chosen on the {len(tuning)} tuning reviews alone (each "
        f"scored by the recipe trained on the other {len(tuning) - 1}):"
    )
    ranked = []
    for at, g in enumerate(GRANULARITIES):
        scores = []
        for review in tuning:
            folder = pair_model_folder([r for r in tuning if r is not review])
            settings = ClusterSettings(pair_model=folder, granularity=g)
            scores.append(score(cluster(review.items, settings).assignment, review.gold))
        n = len(scores)
        mean_p, mean_f1 = sum(s.precision for s in scores) / n, sum(s.f1 for s in scores) / n
        print(
            f"    {g:.1f}: mean P/R/F1 {mean_p:.3f}/{sum(s.recall for s in scores) / n:.3f}/"
            f"{mean_f1:.3f}, lowest {min(s.f1 for s in scores):.2f}"
        )
        ranked.append((round(mean_f1, 3), round(mean_p, 3), -at))
    chosen = GRANULARITIES[-max(ranked)[2]]
    default = ClusterSettings().fineness
    print(
        f"  chosen: {chosen:.1f}; the default: {default:.2g}"
        + (
            ""
            if abs(chosen - default) < 1e-9
            else " (not the protocol's choice: ClusterSettings's docstring says why)"
        )
    )
    return chosen


def fresh_check(fresh: Sequence[Review], tuning: Sequence[Review]) -> None:
    """The recipe trained on the tuning reviews (and the old mix) on the fresh reviews, which
    no choice saw: the defaults on reviews the model never saw. (The shipped model is trained
    on them since session 38.)"""
    print(
        f"== {len(fresh)} fresh reviews, labelled after every default was chosen (read once to "
        "confirm the word vectors, FRESH says): the defaults with the pair recipe trained on the "
        f"{len(tuning)} tuning reviews, on reviews it never saw"
    )
    model = pair_model_folder(tuning)
    results = {
        "mix (old defaults)": [_scored(OLD_MIX, r) for r in fresh],
        "pairs, tuning": [_scored(ClusterSettings(pair_model=model), r) for r in fresh],
        "granularity 0.4": [
            _scored(ClusterSettings(pair_model=model, granularity=0.4), r) for r in fresh
        ],
        "granularity 0.6": [
            _scored(ClusterSettings(pair_model=model, granularity=0.6), r) for r in fresh
        ],
    }
    print_table(fresh, results)
    # The granularities differ in the third decimal of their mean F1 (README's "Granularity").
    cells = "; ".join(f"{label} {mean_cell(scores)}" for label, scores in results.items())
    print(f"  mean P/R/F1, F1 to three decimals: {cells}")


def unseen_check(
    unseen: Sequence[Review], tuning: Sequence[Review], fresh: Sequence[Review]
) -> None:
    """The recipe trained on the tuning reviews on the unseen reviews, beside the same recipe
    trained on the tuning and the fresh reviews: whether more training reviews help on reviews
    neither saw."""
    print(
        f"== {len(unseen)} unseen reviews, labelled after the fresh ones (never chosen on): the "
        f"recipe trained on {len(tuning)} reviews (the tuning ones) and on "
        f"{len(tuning) + len(fresh)} (the tuning and the fresh reviews)"
    )
    tuned = ClusterSettings(pair_model=pair_model_folder(tuning))
    more = ClusterSettings(pair_model=pair_model_folder([*tuning, *fresh]))
    results = {
        "mix (old defaults)": [_scored(OLD_MIX, r) for r in unseen],
        "pairs, tuning": [_scored(tuned, r) for r in unseen],
        f"pairs, {len(tuning) + len(fresh)} reviews": [_scored(more, r) for r in unseen],
    }
    print_table(unseen, results)


def confidence_check(reviews: Sequence[Review], settings: ClusterSettings) -> None:
    """Precision of the predicted pairs whose two members are both the sure core (member
    confidence >= core_cut) against those with a doubtful member, and of clusters whose
    confidence reaches core_cut against the others: what the report's split is worth."""
    counts = {"core": [0, 0], "doubtful": [0, 0], "confident": [0, 0], "loose": [0, 0]}
    for review in reviews:
        result = cluster(review.items, settings)
        for found in result.multi():
            doubtful = set(found.doubtful(settings))
            members = sorted(found.member_ids)
            tight = (found.confidence or 0) >= core_cut(settings)
            for at, a in enumerate(members):
                for b in members[at + 1 :]:
                    (ga, ca), (gb, cb) = review.gold[a], review.gold[b]
                    outcome = 1 if ga != gb else 0 if ca == cb == "high" else None
                    if outcome is None:
                        continue
                    for key in (
                        "doubtful" if a in doubtful or b in doubtful else "core",
                        "confident" if tight else "loose",
                    ):
                        counts[key][outcome] += 1
    cells = []
    for key, (tp, fp) in counts.items():
        cells.append(f"{key} {tp / (tp + fp) if tp + fp else 1:.2f} ({tp + fp} pairs)")
    print(
        "  precision of the defaults' pairs, sure core vs a doubtful member; clusters with "
        f"confidence >= {core_cut(settings):g} vs below:"
    )
    print("    " + "; ".join(cells))


def main() -> int:
    if not GOLD.exists():
        print(f"skipped: {GOLD} not found (the shared corpus is not on this machine)")
        return 0
    start = time.perf_counter()
    loaded = load_reviews(tuning=True, fresh=True, unseen=True)
    known = len(REVIEWS) + len(TUNING)
    every, fresh = loaded[:known], loaded[known : known + len(FRESH)]
    unseen = loaded[known + len(FRESH) :]
    tests, tuning = every[: len(REVIEWS)], every[len(REVIEWS) :]
    print(
        f"== leave one review out: {len(tests)} test reviews (#19's gold), {len(tuning)} more "
        f"for tuning (bench/gold), {sum(len(r.items) for r in every)} recommendations "
        f"(loaded in {time.perf_counter() - start:.1f} s)"
    )
    grid = default_grid()
    shipped = choose(grid, tuning)
    first_five = [r for r in tuning if r.name in FIRST_TUNING]
    others = len(every) - 1
    shipped_model = PairModel.load()
    trained_on = set(shipped_model.metadata.get("reviews", []))
    methods: dict[str, Method] = {
        "before #19": fixed_method(BEFORE),
        "mix (old defaults)": fixed_method(OLD_MIX),
        f"mix, {others} others": grid_method(grid),
        "mix, tuning": fixed_method(shipped),
        "pairs, first 5 tuning": fixed_trained_method(first_five),
        "pairs, all tuning": fixed_trained_method(tuning),
        f"pairs, {others} others": learned_method(ClusterSettings()),
        "shipped pairs": fixed_method(ClusterSettings()),
    }
    results = leave_one_out(tests, methods, pool=every)
    print("  P/R/F1 on each test review, settings and models chosen without it (mix: the")
    print("  weighted mix of words, meaning, rare words and action kinds; pairs: the pair model")
    print("  trained on the first 5 tuning reviews (the shipped model before), on all")
    print(f"  {len(tuning)} tuning reviews (the shipped model until session 38), on the {others}")
    print("  other gold reviews, and the shipped model itself (trained on the 57 labelled reviews")
    print("  of bench/gold, never on a test review)")
    print_table(tests, results)
    print(f"  the mix chosen on the tuning reviews only: {describe(shipped)}")
    inside = sorted(trained_on & set(REVIEWS))
    print(
        f"  the shipped pair model {shipped_model.version} was trained on {len(trained_on)} "
        f"reviews: {', '.join(sorted(trained_on))}; test reviews among them: "
        f"{', '.join(inside) or 'none'}"
        + (
            f" (so its column is IN-SAMPLE there; '{others} others' is the held-out score of "
            "the same recipe)"
            if inside
            else ""
        )
    )
    fresh_check(fresh, tuning)
    unseen_check(unseen, tuning, fresh)
    labelled = [*tuning, *fresh, *unseen, *load_reviews(tests=False, **LATER)]
    rebuilt = ClusterSettings(pair_model=pair_model_folder(labelled))
    same = all(cluster(r.items).assignment == cluster(r.items, rebuilt).assignment for r in every)
    print(
        f"  the shipped model gives the same clusters on every gold review as one trained here "
        f"on the {len(labelled)} labelled reviews of bench/gold: {same}"
    )
    reference = ClusterSettings(pair_model=pair_model_folder(every))
    print(
        f"  every gold review, the pair recipe held out (trained on the {others} others) and "
        "in-sample (trained on all, the review among them): the gap is what it memorises"
    )
    held = leave_one_out(every, {"held out": learned_method(ClusterSettings())}, verbose=False)[
        "held out"
    ]
    print_table(
        every,
        {
            "mix (old defaults)": [_scored(OLD_MIX, r) for r in every],
            f"pairs, {others} others": held,
            "pairs, in-sample": [_scored(reference, r) for r in every],
        },
    )
    tuning_granularity(tuning)
    granularity_table(tests, shipped)
    # The shipped pair model never saw a test review: the trade-offs are read with it.
    granularity_table(tests, ClusterSettings())
    confidence_check(tests, ClusterSettings())
    print(f"  ({time.perf_counter() - start:.0f} s)")
    return 0
