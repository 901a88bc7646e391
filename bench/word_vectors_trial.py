"""Word vectors of UPR stems as pair features: today's pair recipe and ours side by side (#19).

The pair model's only meaning signal is the LSA cosine (`pipeline.semantic`): words used in the
same recommendations. Asks of one commitment worded differently ("domesticate ratified
treaties", "incorporate into national law", "enact legislation giving effect to") share few
words and fewer recommendations. Word vectors from the words around each stem
(`pipeline.train_word_vectors`: PPMI + SVD over the UPR Info export, trained here, seed 0) put
substitutable stems close; `pipeline.word_vectors` reads two pair features from them: `align`
(each word's best cosine in the other ask, idf-weighted, both directions) and `centroid` (the
cosine of the idf-weighted mean vectors).

1. Tuning reviews only (bench/gold, twelve): leave one review out, each scored by a pair model
   trained on the other eleven, for today's recipe (`train_pairs.CONFIG`) and each variant,
   in the same run; then the same recipes trained on all twelve and scored on them (in-sample).
   With --unseen, each fold's word vectors are trained without any row of the held-out
   State (every cycle): the vectors never read the texts they are scored on.
2. Only with --test (run once, for the variant chosen in 1): the five test reviews of
   ../shared/data/gold, each scored by the recipe trained on the twelve tuning reviews (as the
   shipped model is), without word vectors and with the chosen variant.
3. Only with --fresh VARIANT: the same on bench/cluster_protocol.py's FRESH reviews (labelled
   after every choice); with --unseen, the word vectors trained without any row of a fresh or
   test review's State.

The word vectors are trained on the texts of the UPR Info export (no label of any gold file).

Measured (one run each, 2-core machine shared with other jobs): tuning, leave one out, mean
P/R/F1 (lowest F1): today 0.62/0.54/0.56 (0.34), +align 0.63/0.56/0.58 (0.29), +centroid
0.63/0.58/0.60 (0.35), +align+centroid 0.64/0.58/0.59 (0.30); in-sample 0.84, 0.87, 0.87,
0.86. Chosen: +centroid. With --unseen: today 0.56 (0.34), +centroid 0.62/0.59/0.59 (0.34).
Test, run once: today 0.69/0.55/0.60 (lowest 0.43, Nigeria 2013),
+centroid 0.70/0.59/0.63 (lowest 0.38, Nigeria 2013): the mean rises, the lowest review falls,
so the shipped recipe stayed without vectors. Fresh (2026-12-05, fifteen reviews): no vectors
0.66/0.59/0.62 (lowest 0.43), +centroid 0.69/0.65/0.66 (0.50), better on 13 of 15; with --unseen
+centroid 0.68/0.64/0.65 (0.46), better on 12 of 15;
+centroid ships since (train_pairs.CONFIG). "no vectors" is the recipe before, today's now
being +centroid.

Run: .venv/bin/python bench/word_vectors_trial.py [--variants NAME ...] [--unseen]
[--test VARIANT] [--fresh VARIANT]; the fresh check alone: --variants --fresh +centroid
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from cluster_protocol import (
    FRESH,
    GOLD,
    REVIEWS,
    SHARED,
    Review,
    Score,
    labelled,
    load_reviews,
    score,
    scratch_folder,
)

from uprdex.pipeline.clusters import cluster
from uprdex.pipeline.settings import ClusterSettings
from uprdex.pipeline.train_pairs import train_reviews
from uprdex.pipeline.train_word_vectors import train as train_word_vectors

EXPORT = SHARED / "upr_info" / "upr_info_sessions_1-20.csv"
VARIANTS: dict[str, dict[str, Any]] = {
    "no vectors": {"vector_features": []},
    "+align": {"vector_features": ["align"]},
    "+centroid": {"vector_features": ["centroid"]},
    "+align+centroid": {"vector_features": ["align", "centroid"]},
}


def _mean(scores: Sequence[Score]) -> str:
    return (
        f"{statistics.fmean(s.precision for s in scores):.2f}/"
        f"{statistics.fmean(s.recall for s in scores):.2f}/"
        f"{statistics.fmean(s.f1 for s in scores):.2f}"
    )


def _scored(train: Sequence[Review], config: dict[str, Any], held: Sequence[Review]) -> list[Score]:
    """`held` scored by the pair recipe `config` trained on `train`."""
    folder = scratch_folder("uprdex-w2v-")
    train_reviews([labelled(r) for r in train], folder, config)
    settings = replace(ClusterSettings(), pair_model=folder)
    return [score(cluster(r.items, settings).assignment, r.gold) for r in held]


def _without_state(state: str, folder: Path) -> Path:
    """Word vectors trained on the export less every row of `state` (in `folder`)."""
    return _without_states({state}, folder)


EXPORT_NAMES = {"Bolivia (Plurinational State of)": "Bolivia", "Congo": "Republic of Congo"}
"""The export's name ("To") of a gold review's State where it differs."""


def _without_states(states: set[str], folder: Path) -> Path:
    """Word vectors trained on the export less every row of `states` (in `folder`)."""
    train_word_vectors(export_without(states, folder), folder / "words", seed=0)
    return folder / "words"


def export_without(states: set[str], folder: Path) -> Path:
    """The export less every row of `states` (gold review names), as export.csv in `folder`."""
    dropped = {EXPORT_NAMES.get(state, state) for state in states}
    rows = folder / "export.csv"
    with EXPORT.open(encoding="utf-8", newline="") as source:
        reader = csv.DictReader(source)
        with rows.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=reader.fieldnames or [])
            writer.writeheader()
            writer.writerows(row for row in reader if row["To"] not in dropped)
    return rows


def _table(reviews: Sequence[Review], results: dict[str, list[Score]]) -> None:
    names = list(results)
    width = max(len(r.name) for r in reviews) + 2
    print(f"  {'review':<{width}}" + "".join(f"{name:>18}" for name in names))
    for at, review in enumerate(reviews):
        print(f"  {review.name:<{width}}" + "".join(f"{results[n][at].cell():>18}" for n in names))
    print(f"  {'mean P/R/F1':<{width}}" + "".join(f"{_mean(results[n]):>18}" for n in names))
    lows = "".join(f"{min(s.f1 for s in results[n]):>18.2f}" for n in names)
    print(f"  {'lowest F1':<{width}}{lows}")
    base = sum(s.f1 for s in results[names[0]])
    ratios = "".join(f"{sum(s.f1 for s in results[n]) / base:>17.2f}x" for n in names)
    print(f"  {'mean F1 / first':<{width}}{ratios}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--test", metavar="VARIANT", choices=list(VARIANTS)[1:])
    parser.add_argument(
        "--variants",
        nargs="*",
        default=list(VARIANTS),
        choices=list(VARIANTS),
        help="the recipes compared on the tuning reviews (none: the test alone)",
    )
    parser.add_argument(
        "--fresh",
        metavar="VARIANT",
        choices=list(VARIANTS)[1:],
        help="score the fresh reviews once: no vectors against VARIANT",
    )
    parser.add_argument("--unseen", action="store_true", help="vectors without the held-out State")
    args = parser.parse_args()
    if not GOLD.exists() or not EXPORT.exists():
        print(f"skipped: {GOLD} or {EXPORT} not found")
        return 0
    start = time.perf_counter()
    words = scratch_folder("uprdex-words-")
    about = train_word_vectors(EXPORT, words, seed=0)
    print(f"word vectors {about['version']}: {about['stems']:,} stems, {about['dimensions']} dims")
    configs = {n: {**config, "word_vectors": str(words)} for n, config in VARIANTS.items()}
    tuning = load_reviews(tuning=True, tests=False)
    if args.variants:
        print(f"== tuning reviews only, leave one out ({len(tuning)} reviews)")
        folds = {
            review.name: (
                {
                    "word_vectors": str(
                        _without_state(
                            review.name.rsplit(" ", 1)[0],
                            scratch_folder("uprdex-words-"),
                        )
                    )
                }
                if args.unseen
                else {}
            )
            for review in tuning
        }
        if args.unseen:
            print("  each fold's word vectors trained without any row of the held-out State")
        held = {
            name: [
                _scored(
                    [r for r in tuning if r is not review],
                    {**configs[name], **folds[review.name]},
                    [review],
                )[0]
                for review in tuning
            ]
            for name in args.variants
        }
        _table(tuning, held)
        inside = {name: _scored(tuning, configs[name], tuning) for name in args.variants}
        print(
            "  in-sample (trained on all twelve): "
            + "; ".join(f"{name} {_mean(scores)}" for name, scores in inside.items())
        )
    if args.test:
        print(f"== the five test reviews (run once), trained on the {len(tuning)} tuning reviews")
        tests = load_reviews(tuning=False)
        results = {
            name: _scored(tuning, configs[name], tests) for name in ("no vectors", args.test)
        }
        _table(tests, results)
    if args.fresh:
        _fresh(tuning, configs, args.fresh, args.unseen)
    print(f"  ({time.perf_counter() - start:.0f} s)")
    return 0


def _fresh(
    tuning: Sequence[Review], configs: dict[str, dict[str, Any]], variant: str, unseen: bool
) -> None:
    """The fresh reviews (labelled after every choice), each scored by the recipes trained on
    the tuning reviews; with `unseen`, word vectors trained without any row of a fresh or test
    review's State."""
    fresh = load_reviews(fresh=True, tests=False)
    print(f"== {len(fresh)} fresh reviews, trained on the {len(tuning)} tuning reviews")
    chosen = configs[variant]
    if unseen:
        states = {name.rsplit(" ", 1)[0] for name in (*FRESH, *REVIEWS)}
        folder = scratch_folder("uprdex-words-")
        chosen = {**chosen, "word_vectors": str(_without_states(states, folder))}
        print(f"  word vectors without any row of the {len(states)} fresh and test States")
    results = {
        "no vectors": _scored(tuning, configs["no vectors"], fresh),
        variant: _scored(tuning, chosen, fresh),
    }
    _table(fresh, results)
    gains = [b.f1 - a.f1 for a, b in zip(*results.values(), strict=True)]
    print(
        f"  {variant} better on {sum(g > 0 for g in gains)} of {len(gains)}, worse on "
        f"{sum(g < 0 for g in gains)}; mean gain {statistics.fmean(gains):+.3f} (sd "
        f"{statistics.stdev(gains):.3f})"
    )


if __name__ == "__main__":
    sys.exit(main())
