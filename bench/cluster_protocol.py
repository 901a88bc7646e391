"""Leave one review out: cluster quality on reviews no setting was chosen on.

The five gold reviews of ../shared/data/gold (Slovenia 2019, Nigeria 2013, Viet Nam 2014, Costa
Rica 2014, Norway 2014), each labelled by its own annotator. For each review in turn, the setting
(and any learned model) is chosen on the other four only, then scored on it. Scoring follows
SOURCES.md: the pairs of `high` members of one gold cluster must be together; a pair with a `low`
member of the same gold cluster counts neither way; every other predicted pair is a false
positive (a `low` member merged into another gold cluster too).

The texts are the paragraphs uprdex prints for each report (`uprdex ingest` of the WG report
into a scratch index); Slovenia 2019's from the OHCHR thematic list, as the gold was labelled.

Run by bench/bench_clusters.py, or alone: .venv/bin/python bench/cluster_protocol.py
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from uprdex.pipeline.clusters import ClusterItem, cluster
from uprdex.pipeline.settings import ClusterSettings

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
GOLD = SHARED / "gold"
REVIEWS: dict[str, tuple[str, str]] = {
    # name: (gold file stem, WG report under wg_reports/ or "" for the thematic list)
    "Slovenia 2019": ("slovenia2019", ""),
    "Nigeria 2013": ("nigeria2013", "nigeria2013.pdf"),
    "Viet Nam 2014": ("vietnam2014", "vietnam2014.pdf"),
    "Costa Rica 2014": ("costarica2014", "costarica2014.pdf"),
    "Norway 2014": ("norway2014", "norway2014.pdf"),
}
SLOVENIA_SYMBOL = "A/HRC/43/15"

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
    with (GOLD / f"{stem}_clusters.csv").open(encoding="utf-8") as handle:
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


def load_reviews() -> list[Review]:
    """The five gold reviews with the texts uprdex prints for them."""
    pdfs = [pdf for _, pdf in REVIEWS.values() if pdf]
    by_symbol = indexed_items(pdfs)
    reviews = []
    for name, (stem, pdf) in REVIEWS.items():
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
    """Chooses, among `grid`, the settings with the best mean F1 over the training reviews
    (ties: higher mean precision, then the earlier in the grid), and clusters with them."""
    cache: dict[tuple[int, str], Score] = {}

    def fit(train: Sequence[Review]) -> tuple[Clusterer, str]:
        ranked = []
        for at, settings in enumerate(grid):
            scores = []
            for review in train:
                key = (at, review.name)
                if key not in cache:
                    cache[key] = score(cluster(review.items, settings).assignment, review.gold)
                scores.append(cache[key])
            mean_f1 = sum(s.f1 for s in scores) / len(scores)
            mean_p = sum(s.precision for s in scores) / len(scores)
            ranked.append((mean_f1, mean_p, -at))
        _, _, at = max(ranked)
        chosen = grid[-at]
        return (
            lambda items: cluster(items, chosen).assignment,
            f"threshold {chosen.threshold:g} floor {chosen.floor:g}",
        )

    return fit


def fixed_method(settings: ClusterSettings) -> Method:
    """One setting for every fold (today's defaults were chosen before, on Slovenia 2019)."""
    return lambda train: (lambda items: cluster(items, settings).assignment, "fixed")


def leave_one_out(
    reviews: Sequence[Review], methods: Mapping[str, Method], verbose: bool = True
) -> dict[str, list[Score]]:
    """Each method's score on each review, fitted on the other reviews."""
    results: dict[str, list[Score]] = {}
    for label, method in methods.items():
        scores = []
        for held in reviews:
            train = [r for r in reviews if r is not held]
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


def default_grid() -> list[ClusterSettings]:
    """The settings the protocol chooses among: threshold and floor gap of today's similarity."""
    base = ClusterSettings()
    return [
        replace(base, threshold=t, floor=t - gap)
        for t in (45.0, 50.0, 55.0, 60.0, 65.0)
        for gap in (5.0, 10.0, 15.0)
    ]


def main() -> int:
    if not GOLD.exists():
        print(f"skipped: {GOLD} not found (the shared corpus is not on this machine)")
        return 0
    start = time.perf_counter()
    reviews = load_reviews()
    print(
        f"== leave one review out: {len(reviews)} gold reviews, "
        f"{sum(len(r.items) for r in reviews)} recommendations "
        f"(loaded in {time.perf_counter() - start:.1f} s)"
    )
    methods: dict[str, Method] = {
        "today's defaults": fixed_method(ClusterSettings()),
        "grid, chosen LOO": grid_method(default_grid()),
    }
    results = leave_one_out(reviews, methods)
    print("  P/R/F1 on each review, settings chosen without it")
    print_table(reviews, results)
    print(f"  ({time.perf_counter() - start:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
