"""Leave one review out: cluster quality on reviews no setting was chosen on.

The five gold reviews of ../shared/data/gold (Slovenia 2019, Nigeria 2013, Viet Nam 2014, Costa
Rica 2014, Norway 2014), each labelled by its own annotator. For each review in turn, the setting
(and any learned model) is chosen on the other reviews only (the other test reviews and the
tuning reviews of bench/gold), then scored on it. Scoring follows
SOURCES.md: the pairs of `high` members of one gold cluster must be together; a pair with a `low`
member of the same gold cluster counts neither way; every other predicted pair is a false
positive (a `low` member merged into another gold cluster too).

The texts are the paragraphs uprdex prints for each report (`uprdex ingest` of the WG report
into a scratch index); Slovenia 2019's from the OHCHR thematic list, as the gold was labelled.

Methods: the weighted mix of words, meaning, rare words and action kinds (its settings fixed,
or chosen on the other reviews), and the pair model (`uprdex train-pairs`): trained on the
first five tuning reviews (the shipped model before more were labelled), on all the tuning
reviews (the recipe of the shipped model, bench/gold/pairs_training.csv: the defaults, which
never saw a test review), and in each fold on every other gold review. Last, every gold review
(test and tuning) held out against in-sample: the gap is what the pair model memorises of the
reviews it was trained on.

Run by bench/bench_clusters.py, or alone: .venv/bin/python bench/cluster_protocol.py
Other linkages (log-odds, correlation clustering), chosen held out with nested pair models:
bench/linkage_trial.py.
"""

from __future__ import annotations

import csv
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from review_groups import (
    FINAL,
    FIRST_TUNING,
    FRESH,
    GOLD,
    LATEST,
    MORE_GOLD,
    NEWEST,
    REVIEWS,
    SHARED,
    TUNING,
    UNSEEN,
)

from uprdex.pipeline.clusters import ClusterItem, cluster
from uprdex.pipeline.clusters.pair_model import PairModel
from uprdex.pipeline.clusters.positions import PLACED_CYCLES
from uprdex.pipeline.clusters.records import core_cut
from uprdex.pipeline.settings import ClusterSettings
from uprdex.pipeline.train_pairs import LabelledReview, train_reviews

SLOVENIA_SYMBOL = "A/HRC/43/15"
OLD_MIX = ClusterSettings(learned=False, granularity=0.5)
"""The weighted mix at its defaults before the pair model (semantic 0.4, rare 0.2, granularity
0.5)."""
BEFORE = ClusterSettings(
    semantic_weight=0.7, rare_weight=0.0, threshold=55.0, floor=45.0, learned=False
)
"""The settings before issue #19, chosen on Slovenia 2019 alone (with the normalization of
now: the code before #19 scored 0.64/0.47/0.52, lowest F1 0.26)."""

Gold = Mapping[str, tuple[str, str]]
"""paragraph -> (gold cluster, "high" | "low")"""


@dataclass(frozen=True)
class Review:
    """One gold review: its recommendations (ids "SYMBOL#paragraph") and its gold by id."""

    name: str
    items: tuple[ClusterItem, ...]
    gold: Gold


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float
    f1: float
    tp: int
    fp: int
    fn: int

    def cell(self) -> str:
        return f"{self.precision:.2f}/{self.recall:.2f}/{self.f1:.2f}"


def score(assignment: Mapping[str, str], gold: Gold) -> Score:
    """SOURCES.md's rule over every pair of gold items (ids in `gold` are item ids)."""
    ids = sorted(gold)
    ours: dict[str, list[str]] = defaultdict(list)
    for item in ids:
        ours[assignment[item]].append(item)
    tp = fp = 0
    for members in ours.values():
        for at, a in enumerate(members):
            for b in members[at + 1 :]:
                (ga, ca), (gb, cb) = gold[a], gold[b]
                if ga != gb:
                    fp += 1
                elif ca == "high" and cb == "high":
                    tp += 1
    sizes: dict[str, int] = defaultdict(int)
    for cluster_id, confidence in gold.values():
        sizes[cluster_id] += confidence == "high"
    must = sum(n * (n - 1) // 2 for n in sizes.values())
    fn = must - tp
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / must if must else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Score(precision, recall, f1, tp, fp, fn)


def _read_gold(stem: str, symbol: str) -> dict[str, tuple[str, str]]:
    path = GOLD / f"{stem}_clusters.csv"
    if not path.exists():
        path = MORE_GOLD / path.name
    with path.open(encoding="utf-8") as handle:
        return {
            f"{symbol}#{row['paragraph']}": (row["cluster_id"], row["confidence"])
            for row in csv.DictReader(handle)
        }


def _slovenia_items() -> list[ClusterItem]:
    with (GOLD / "slovenia_thematic_lists_cycles2-3.csv").open(encoding="utf-8") as handle:
        return [
            ClusterItem(
                id=f"{row['wg_report_symbol']}#{row['paragraph']}",
                text=row["recommendation"],
                state_under_review=row["state_under_review"],
                cycle=int(row["cycle"]),
                session=int(row["upr_wg_session"]),
                recommending_states=tuple(
                    name.strip() for name in row["recommending_states"].split(",")
                ),
            )
            for row in csv.DictReader(handle)
            if row["cycle"] == "3"
        ]


def indexed_items(pdfs: Sequence[str]) -> dict[str, list[ClusterItem]]:
    """The recommendations uprdex prints for each WG report, by document symbol (one ingest)."""
    import uprdex

    env = dict(os.environ, PREFECT_SERVER_ANALYTICS_ENABLED="false", DO_NOT_TRACK="1")
    binary = Path(sys.executable).parent / "uprdex"
    by_symbol: dict[str, list[ClusterItem]] = defaultdict(list)
    with tempfile.TemporaryDirectory(prefix="uprdex-protocol-") as scratch:
        index = Path(scratch) / "gold.sqlite"
        paths = [str(SHARED / "wg_reports" / name) for name in pdfs]
        subprocess.run(
            [str(binary), "ingest", *paths, "--index", str(index)],
            check=True,
            capture_output=True,
            env=env,
        )
        with uprdex.open_index(index) as opened:
            for row in opened.recommendations():
                by_symbol[row["document_symbol"]].append(
                    ClusterItem(
                        id=row["id"],
                        text=row["text"],
                        state_under_review=row["state_under_review"],
                        cycle=row["cycle"],
                        session=row["session"],
                        recommending_states=tuple(row["recommending_states"]),
                    )
                )
    return by_symbol


def load_reviews(
    tuning: bool = False,
    fresh: bool = False,
    tests: bool = True,
    unseen: bool = False,
    latest: bool = False,
    newest: bool = False,
    final: bool = False,
) -> list[Review]:
    """The five test reviews (unless `tests` is false), then the tuning ones (if `tuning`),
    the fresh ones (if `fresh`), the unseen ones (if `unseen`), the latest ones (if
    `latest`), the newest ones (if `newest`) and the final ones (if `final`), with the texts
    uprdex prints."""
    chosen = {
        **(REVIEWS if tests else {}),
        **(TUNING if tuning else {}),
        **(FRESH if fresh else {}),
        **(UNSEEN if unseen else {}),
        **(LATEST if latest else {}),
        **(NEWEST if newest else {}),
        **(FINAL if final else {}),
    }
    pdfs = [pdf for _, pdf in chosen.values() if pdf]
    by_symbol = indexed_items(pdfs)
    reviews = []
    for name, (stem, pdf) in chosen.items():
        if not pdf:
            items = _slovenia_items()
            gold = _read_gold(stem, SLOVENIA_SYMBOL)
        else:
            state = name.rsplit(" ", 1)[0]
            symbol = next(s for s, rows in by_symbol.items() if rows[0].state_under_review == state)
            items = by_symbol[symbol]
            gold = _read_gold(stem, symbol)
        known = {item.id for item in items}
        missing = sorted(set(gold) - known)
        if missing:
            raise SystemExit(f"{name}: gold paragraphs not printed by uprdex: {missing[:5]}")
        reviews.append(Review(name, tuple(i for i in items if i.id in gold), gold))
    return reviews


Clusterer = Callable[[Sequence[ClusterItem]], Mapping[str, str]]
Method = Callable[[Sequence[Review]], tuple[Clusterer, str]]
"""Given the training reviews, a clusterer (items -> assignment) fitted on them only, and a
one-line description of what was chosen."""


def grid_method(grid: Sequence[ClusterSettings]) -> Method:
    """Chooses, among `grid`, the settings with the best mean F1 over the training reviews."""

    def fit(train: Sequence[Review]) -> tuple[Clusterer, str]:
        chosen = choose(grid, train)
        return lambda items: cluster(items, chosen).assignment, describe(chosen)

    return fit


def fixed_method(settings: ClusterSettings) -> Method:
    """One setting for every fold (today's defaults were chosen before, on Slovenia 2019)."""
    return lambda train: (lambda items: cluster(items, settings).assignment, "fixed")


def labelled(review: Review) -> LabelledReview:
    """A gold review as the pair model's training takes it."""
    return LabelledReview(
        review.name,
        tuple(item.text for item in review.items),
        tuple(review.gold[item.id][0] for item in review.items),
        tuple(review.gold[item.id][1] for item in review.items),
        # Where each is printed, as clustering reads it: none for an ask of a cycle the
        # shipped model learned no places from (Slovenia 2019's cycle 3).
        tuple(item.id if item.cycle in PLACED_CYCLES else "" for item in review.items),
    )


_FOLDERS: dict[tuple[str, ...], Path] = {}


def pair_model_folder(train: Sequence[Review]) -> Path:
    """A pair model trained on `train` only (`uprdex train-pairs` on their gold), in a scratch
    folder; the same reviews give the same folder."""
    key = tuple(sorted(review.name for review in train))
    if key not in _FOLDERS:
        folder = Path(tempfile.mkdtemp(prefix="uprdex-pairs-"))
        train_reviews([labelled(review) for review in train], folder)
        _FOLDERS[key] = folder
    return _FOLDERS[key]


def fixed_trained_method(train: Sequence[Review]) -> Method:
    """The pair model trained on `train` (reviews never tested), the same in every fold."""

    def fit(_: Sequence[Review]) -> tuple[Clusterer, str]:
        chosen = ClusterSettings(pair_model=pair_model_folder(train))
        return lambda items: cluster(items, chosen).assignment, "fixed"

    return fit


def learned_method(settings: ClusterSettings) -> Method:
    """`settings` with a pair model trained on the fold's training reviews only."""

    def fit(train: Sequence[Review]) -> tuple[Clusterer, str]:
        chosen = replace(settings, learned=True, pair_model=pair_model_folder(train))
        return (
            lambda items: cluster(items, chosen).assignment,
            f"pair model trained on {len(train)} reviews",
        )

    return fit


def leave_one_out(
    reviews: Sequence[Review],
    methods: Mapping[str, Method],
    verbose: bool = True,
    pool: Sequence[Review] | None = None,
) -> dict[str, list[Score]]:
    """Each method's score on each review, fitted on the other reviews of `pool` (default:
    of `reviews`)."""
    results: dict[str, list[Score]] = {}
    for label, method in methods.items():
        scores = []
        for held in reviews:
            train = [r for r in (pool or reviews) if r is not held]
            clusterer, chosen = method(train)
            scores.append(score(clusterer(held.items), held.gold))
            if verbose and chosen != "fixed":
                print(f"  {label}, without {held.name}: {chosen}")
        results[label] = scores
    return results


def print_table(reviews: Sequence[Review], results: Mapping[str, list[Score]]) -> None:
    """One row per review (P/R/F1 of each method), then the means and the minimum F1."""
    labels = list(results)
    width = max(len(r.name) for r in reviews) + 2
    print(f"  {'review':<{width}}" + "".join(f"{label:>22}" for label in labels))
    for at, review in enumerate(reviews):
        cells = "".join(f"{results[label][at].cell():>22}" for label in labels)
        print(f"  {review.name:<{width}}{cells}")
    means = []
    for label in labels:
        scores = results[label]
        n = len(scores)
        means.append(
            f"{sum(s.precision for s in scores) / n:.2f}/{sum(s.recall for s in scores) / n:.2f}"
            f"/{sum(s.f1 for s in scores) / n:.2f}"
        )
    print(f"  {'mean P/R/F1':<{width}}" + "".join(f"{cell:>22}" for cell in means))
    lows = "".join(f"{min(s.f1 for s in results[label]):>22.2f}" for label in labels)
    print(f"  {'lowest F1':<{width}}{lows}")
    base = sum(s.f1 for s in results[labels[0]])
    ratios = "".join(f"{sum(s.f1 for s in results[label]) / base:>21.2f}x" for label in labels)
    print(f"  {'mean F1 / first':<{width}}{ratios}")


def print_gains(
    reviews: Sequence[Review], results: Mapping[str, list[Score]], digits: int = 4
) -> None:
    """`print_table`, then each method against the first: mean F1 and precision gains, and on
    how many reviews its F1 is higher and lower."""
    print_table(reviews, results)
    names = list(results)
    first = results[names[0]]
    for name in names[1:]:
        pairs = list(zip(first, results[name], strict=True))
        gains = [b.f1 - a.f1 for a, b in pairs]
        precision = statistics.fmean(b.precision - a.precision for a, b in pairs)
        print(
            f"  {name} vs {names[0]}: mean F1 {statistics.fmean(gains):+.{digits}f}, precision "
            f"{precision:+.{digits}f}; better on {sum(g > 0 for g in gains)} of {len(gains)}, "
            f"worse on {sum(g < 0 for g in gains)}"
        )


def mean_cell(scores: Sequence[Score]) -> str:
    """Mean P/R/F1 of `scores` (F1 to three decimals)."""
    return (
        f"{statistics.fmean(s.precision for s in scores):.2f}/"
        f"{statistics.fmean(s.recall for s in scores):.2f}/"
        f"{statistics.fmean(s.f1 for s in scores):.3f}"
    )


def mean_f1_precision(scores: Sequence[Score]) -> tuple[float, float]:
    """Mean F1 and mean precision of `scores`."""
    return statistics.fmean(s.f1 for s in scores), statistics.fmean(s.precision for s in scores)


MIXES = ((0.7, 0.0), (0.3, 0.2), (0.4, 0.2))
"""(semantic_weight, rare_weight) pairs the protocol chooses among; words take the rest."""
GRANULARITIES = tuple(step / 10 for step in range(11))


def default_grid() -> list[ClusterSettings]:
    """The settings the protocol chooses among: the mix of words, meaning and rare words, and
    the granularity (threshold and floor)."""
    return [
        ClusterSettings(semantic_weight=w, rare_weight=r, granularity=g, learned=False)
        for w, r in MIXES
        for g in GRANULARITIES
    ]


def describe(settings: ClusterSettings) -> str:
    return (
        f"semantic {settings.semantic_weight:g} rare {settings.rare_weight:g} "
        f"granularity {settings.fineness:.2g} (threshold {settings.threshold:g} "
        f"floor {settings.min_pair:g})"
    )


def choose(grid: Sequence[ClusterSettings], train: Sequence[Review]) -> ClusterSettings:
    """The settings of `grid` with the best mean F1 over `train` (ties: higher mean precision,
    then the earlier in the grid)."""
    ranked = []
    for at, settings in enumerate(grid):
        scores = [_scored(settings, review) for review in train]
        mean_f1 = sum(s.f1 for s in scores) / len(scores)
        mean_p = sum(s.precision for s in scores) / len(scores)
        ranked.append((mean_f1, mean_p, -at))
    return grid[-max(ranked)[2]]


_SCORES: dict[tuple[ClusterSettings, str], Score] = {}


def _scored(settings: ClusterSettings, review: Review) -> Score:
    key = (settings, review.name)
    if key not in _SCORES:
        _SCORES[key] = score(cluster(review.items, settings).assignment, review.gold)
    return _SCORES[key]


def granularity_table(reviews: Sequence[Review], mix: ClusterSettings) -> None:
    """Mean P/R/F1 over the reviews at each granularity, with the chosen mix or the pair model:
    what the one setting trades."""
    if mix.learned:
        print("  granularity with the pair model trained on the tuning reviews (held out here):")
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


def fresh_check(fresh: Sequence[Review]) -> None:
    """The shipped defaults (and the old mix) on the fresh reviews, which no choice saw."""
    print(
        f"== {len(fresh)} fresh reviews, labelled after every default was chosen (never trained "
        "on; read once to confirm the word vectors, FRESH says): the shipped defaults on reviews "
        "the project never saw"
    )
    print_table(
        fresh,
        {
            "mix (old defaults)": [_scored(OLD_MIX, r) for r in fresh],
            "shipped pairs": [_scored(ClusterSettings(), r) for r in fresh],
            "granularity 0.6": [_scored(ClusterSettings(granularity=0.6), r) for r in fresh],
        },
    )


def unseen_check(
    unseen: Sequence[Review], tuning: Sequence[Review], fresh: Sequence[Review]
) -> None:
    """The shipped model on the unseen reviews, beside the same recipe trained on the tuning
    and the fresh reviews: whether more training reviews help on reviews neither saw."""
    print(
        f"== {len(unseen)} unseen reviews, labelled last (never trained or chosen on): the shipped "
        f"model (trained on {len(tuning)} reviews) and the recipe trained on "
        f"{len(tuning) + len(fresh)} (the tuning and the fresh reviews)"
    )
    more = ClusterSettings(pair_model=pair_model_folder([*tuning, *fresh]))
    results = {
        "mix (old defaults)": [_scored(OLD_MIX, r) for r in unseen],
        "shipped pairs": [_scored(ClusterSettings(), r) for r in unseen],
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
    print(f"  {len(tuning)} tuning reviews (the shipped recipe), on the {others} other gold")
    print("  reviews, and the shipped model itself (never trained on a test review)")
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
    fresh_check(fresh)
    unseen_check(unseen, [r for r in every if r.name in TUNING], fresh)
    rebuilt = ClusterSettings(pair_model=pair_model_folder(tuning))
    same = all(cluster(r.items).assignment == cluster(r.items, rebuilt).assignment for r in every)
    print(
        f"  the shipped model gives the same clusters on every gold review as one trained here "
        f"on the {len(tuning)} tuning reviews: {same}"
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
    # The shipped model has seen the test reviews: the trade-offs are read held out, with the
    # same recipe trained on the tuning reviews only.
    held_out = ClusterSettings(pair_model=pair_model_folder(tuning))
    granularity_table(tests, held_out)
    confidence_check(tests, held_out)
    print(f"  ({time.perf_counter() - start:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
