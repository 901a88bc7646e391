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
reviews (the shipped model until session 38), in each fold on every other gold review, and the
shipped model itself (trained since session 38 on the 57 labelled reviews of bench/gold,
bench/gold/pairs_training.csv: the defaults, which never saw a test review). Last, every gold
review (test and tuning) held out against in-sample: the gap is what the pair model memorises of
the reviews it was trained on.

Run by bench/bench_clusters.py, or alone: .venv/bin/python bench/cluster_protocol.py
Other linkages (log-odds, correlation clustering), chosen held out with nested pair models:
bench/linkage_trial.py.
"""

from __future__ import annotations

import atexit
import csv
import hashlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from review_groups import (
    FINAL,
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
from uprdex.pipeline.clusters.positions import PLACED_CYCLES
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


def indexed_rows(pdfs: Sequence[str]) -> list[dict[str, Any]]:
    """The recommendation records uprdex prints for the WG reports `pdfs` (paths under
    ../shared/data), as `uprdex.open_index` gives them (one ingest into a scratch index)."""
    import uprdex

    env = dict(os.environ, PREFECT_SERVER_ANALYTICS_ENABLED="false", DO_NOT_TRACK="1")
    binary = Path(sys.executable).parent / "uprdex"
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
            return list(opened.recommendations())


def cluster_item(row: Mapping[str, Any]) -> ClusterItem:
    """The clusters' view of one recommendation record."""
    return ClusterItem(
        id=row["id"],
        text=row["text"],
        state_under_review=row["state_under_review"],
        cycle=row["cycle"],
        session=row["session"],
        recommending_states=tuple(row["recommending_states"]),
    )


def indexed_items(pdfs: Sequence[str]) -> dict[str, list[ClusterItem]]:
    """The recommendations uprdex prints for each WG report, by document symbol (one ingest)."""
    by_symbol: dict[str, list[ClusterItem]] = defaultdict(list)
    for row in indexed_rows(pdfs):
        by_symbol[row["document_symbol"]].append(cluster_item(row))
    return by_symbol


def inputs_digest() -> str:
    """A hash of what a bench's cached results are computed from: the code (extractors, pipeline,
    bench), the shipped models and the tables. A cache kept under it is never read by another
    state of the project (a cache of older models once failed merge_trial's own checks)."""
    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for path in sorted(
        [
            *root.glob("extractors/**/*.py"),
            *root.glob("pipeline/**/*.py"),
            *root.glob("bench/*.py"),
            *root.glob("data/models/*/*"),
            *root.glob("data/*.csv"),
            *root.glob("data/*.yaml"),
        ]
    ):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


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


def scratch_folder(prefix: str) -> Path:
    """A scratch folder (a trial's models, exports, indexes) removed when the run ends: by the
    process that made it, not by a forked child leaving first."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    owner = os.getpid()

    def remove() -> None:
        if os.getpid() == owner:
            shutil.rmtree(folder, ignore_errors=True)

    atexit.register(remove)
    return folder


def pair_model_folder(train: Sequence[Review]) -> Path:
    """A pair model trained on `train` only (`uprdex train-pairs` on their gold), in a scratch
    folder; the same reviews give the same folder."""
    key = tuple(sorted(review.name for review in train))
    if key not in _FOLDERS:
        folder = scratch_folder("uprdex-pairs-")
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


def main() -> int:
    """The protocol's whole run (bench/protocol_report.py)."""
    from protocol_report import main as report

    return report()


if __name__ == "__main__":
    sys.exit(main())
