"""Self-training on the review being clustered (transductive): does it hold out? (#19)

The pair model's per-term weights memorise the training reviews' words (in-sample F1 about
0.87, held out about 0.63): a review's own commitment words (Sri Lanka's "LLRC", Colombia's
"military jurisdiction") have no weight when it is clustered. Its sure core is right about 0.96
of the time held out (`records.core_cut`), its doubtful members about 0.61. Measured and failed
before: a review's repeated words as features (bench/burst_trial.py), pseudo labels on OTHER
unlabelled WG reports (bench/selftrain_trial.py), second-order features
(bench/context_trial.py). Never measured: pseudo labels of the review BEING clustered. The
review is clustered with the model (the defaults), its clusters become pseudo gold, the same
recipe (`train_pairs.CONFIG`: learner, features and C unchanged) is refitted on the training
reviews + this pseudo-labelled review, and the review is clustered again at the defaults with
the refitted model. The refit gives the review's own words weights from its confident pairs,
which may pull in its less similar paraphrases.

The pseudo review (`selftrain_trial.pseudo_labelled`, all clusters): each member of a
multi-member cluster whose member confidence reaches `core_cut` is "high" in its cluster (the
sure core), below it "low" (a doubtful member: its pairs inside its cluster are left out of
training, as the gold's `low`; its pairs with other clusters count as two commitments); a
singleton is a "high" singleton. Its ids are the items' ids (where each is printed, as
`cluster_protocol.labelled` gives them), so its pairs carry position features like the gold
reviews'. The held-out review's gold is never read before its scores: the pseudo labels are
made from its texts and ids alone (its items are the protocol's, the paragraphs its gold
lists, as every protocol run clusters them).

Variants (named before any score):
- "A core": the pseudo review above; refit on the training reviews + it; cluster again.
- "B sure negatives": as A, but a pair of two clusters (singletons included) is a negative only
  where today's pair probability (the fold's model before the refit, its logit as trained:
  `PairModel.logits_slow`) is below `NEGATIVE_BELOW` = 0.05; every other pair outside the
  core pairs is left out (`train_pairs.labelled_pairs` patched in this process for the pseudo
  review only).
- "C core, twice": A, then the review clustered with A's refitted model is pseudo-labelled
  again (as A) and the recipe refitted once more on the training reviews + that pseudo review
  (the first pseudo review dropped); cluster again.
Nothing in pipeline/ changes; `train_pairs.labelled_pairs` is patched in this process only.

PRE-REGISTERED (committed before the first scored run):
0. A mechanics check, unscored (`--mechanics N`): the first N folds of step 1 without any
   score: the pseudo review's counts (asks, multi-member clusters, core and doubtful members,
   singletons; its positive, negative and left-out pairs, and B's) and the refit's seconds.
   No pseudo pair's precision is read from the gold before the scored run.
1. Leave one TUNING review out (bench/cluster_protocol.py TUNING, 12 reviews; no test, fresh,
   unseen, latest, newest or final review is read): in each fold the base model is today's
   recipe trained on the 11 others (today's arm, printed beside in the same run), then each
   variant's transductive refit on the held-out review's own pseudo labels. Printed: every
   fold, the means, the lowest F1. The bar (`feature_trials.judge`): mean F1 gain >= +0.02
   over today's AND F1 strictly higher on >= 8 of 12 AND mean precision not lower by more than
   0.005. At most one is chosen: the highest mean F1 among those passing.
2. The cost: the refit's seconds per review (train_reviews on the training reviews + the pseudo
   review; a product would refit at ingest), printed per fold and as a mean.
3. Only if one passes, and only after the chosen variant and its bar are committed here: one
   single final check (`--final VARIANT`, run once): today's recipe vs the variant, the base
   model trained on the 12 tuning reviews (each review refitted on the 12 + its own pseudo
   labels), on the 45 reviews of FRESH+UNSEEN+LATEST+NEWEST+FINAL pooled
   (`feature_trials.print_later`). Bar: pooled mean F1 gain >= +0.01 AND precision not lower
   by more than 0.005 AND better on >= 24 of 45. TEST is never run.

Measured, 0 (2026-12-05, `--mechanics 2`, 256 s, no score): Kazakhstan 2014 held out, 194
asks, 30 clusters of 2+ (49 core, 46 doubtful members), 99 singletons; the pseudo review's
pairs: 83 positive, 18,574 negative, 64 left out (B: 18,434 negative, 204 left out; C's second
round: 25 clusters, 88 positive); Madagascar 2014, 160 asks, 28 clusters (32 core, 46
doubtful), 82 singletons, 45 positive, 12,613 negative (B 12,445). Refit 29-37 s.

Measured, 1 and 2 (2026-12-05, one run, 1,427 s: .venv/bin/python bench/transduce_trial.py),
held out on the 12 tuning reviews, mean P/R/F1 (lowest F1):
- today              0.67/0.61/0.63 (0.38)
- A core             0.73/0.56/0.62 (0.28): F1 -0.0089, precision +0.0556, better on 6, worse
  on 6 (Tunisia 2012 0.38 -> 0.28, Sri Lanka 2012 0.57 -> 0.51, Brazil 2012 0.55 -> 0.48;
  Madagascar 2014 0.74 -> 0.78, Malaysia 2013 0.61 -> 0.64, Colombia 2013 0.48 -> 0.51): fails;
- B sure negatives   0.70/0.60/0.63 (0.38): F1 +0.0033, precision +0.0278, better on 7, worse
  on 2: fails;
- C core, twice      0.74/0.56/0.63 (0.28): F1 -0.0032, precision +0.0681, better on 7, worse
  on 5: fails.
None passes (F1 +0.02, 8 of 12, precision -0.005 at most): nothing is chosen, the final check
of 3 is not run (the 45 later reviews not read), TEST not run; pipeline/ unchanged. The refit
(step 2): mean 30.5 s per review (A; B 29.8, C 29.6; one core of a shared machine), nearly all
of it the liblinear fit over every training pair, whatever the review's size (the 12 tuning
reviews' `review_inputs` take 0.4 s, `train_pairs.fit` on them 35.5 s, timed once apart).
A reading, not measured further: the pseudo review adds 3-83 positive pairs and 7,700-26,600
negatives (A; every pair of two pseudo clusters, the review's less similar paraphrases among
them; Tunisia 2012, the lowest review: 3 positive, 7,723 negative), so its own words learn
"apart" more than "together": precision rises (+0.03 to +0.07), recall falls (0.61 -> 0.56
with A and C), and the paraphrases the refit was meant to pull in stay out.

Run: .venv/bin/python bench/transduce_trial.py --mechanics 2   (step 0, unscored)
     .venv/bin/python bench/transduce_trial.py                 (steps 1 and 2)
     .venv/bin/python bench/transduce_trial.py --final NAME    (step 3, once, declared first)
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import numpy.typing as npt
from cluster_protocol import (
    Review,
    Score,
    labelled,
    load_reviews,
    pair_model_folder,
    print_gains,
    score,
    scratch_folder,
)
from feature_trials import TODAY, judge, later_reviews, print_later, run
from selftrain_trial import pseudo_labelled

from uprdex.pipeline import train_pairs
from uprdex.pipeline.clusters import cluster
from uprdex.pipeline.clusters.pair_model import PairModel
from uprdex.pipeline.clusters.positions import PLACED_CYCLES
from uprdex.pipeline.settings import ClusterSettings
from uprdex.pipeline.train_pairs import LabelledReview

NEGATIVE_BELOW = 0.05
"""Variant B: a pair of two pseudo clusters is a negative only below this probability."""
VARIANTS = ("A core", "B sure negatives", "C core, twice")
BASE_LABELLED_PAIRS = train_pairs.labelled_pairs
_OVERRIDES: dict[str, npt.NDArray[np.int8]] = {}
"""Pseudo review name -> its pair labels (B), in place of `labelled_pairs`'."""


def _labelled_pairs(review: LabelledReview) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int8]]:
    """`train_pairs.labelled_pairs`, with B's labels for a pseudo review registered."""
    pairs, labels = BASE_LABELLED_PAIRS(review)
    return pairs, _OVERRIDES.get(review.name, labels)


train_pairs.labelled_pairs = _labelled_pairs


def pseudo_review(review: Review, folder: Path) -> LabelledReview:
    """The review's clusters by the model in `folder` as training labels (module docstring),
    with its items' ids (where each is printed); its gold is not read."""
    pseudo = pseudo_labelled(f"pseudo {review.name}", review.items, folder, confident_only=False)
    # The ids as `cluster_protocol.labelled` gives them (that function reads the gold).
    ids = tuple(item.id if item.cycle in PLACED_CYCLES else "" for item in review.items)
    return replace(pseudo, ids=ids)


def sure_negatives(pseudo: LabelledReview, folder: Path) -> npt.NDArray[np.int8]:
    """B's labels of the pseudo review's pairs: its core pairs 1, a pair of two clusters 0 only
    where the model in `folder` gives it a probability below `NEGATIVE_BELOW`, else -1."""
    model = PairModel.load(folder)
    inputs, _ = train_pairs.review_inputs(pseudo, model.word_vectors)
    pairs, labels = BASE_LABELLED_PAIRS(pseudo)
    probability = 1 / (1 + np.exp(-model.logits_slow(inputs, pairs)))
    unsure = (labels == 0) & (probability >= NEGATIVE_BELOW)
    return np.where(unsure, -1, labels).astype(np.int8)


@dataclass(frozen=True)
class Arm:
    """One variant's clustering of the held-out review, and what its refit was fed."""

    assignment: Mapping[str, str]
    counts: str
    seconds: float


def counts(pseudo: LabelledReview, labels: npt.NDArray[np.int8]) -> str:
    """The pseudo review's members and pairs, in a line."""
    sizes: dict[str, int] = {}
    for cluster_id in pseudo.clusters:
        sizes[cluster_id] = sizes.get(cluster_id, 0) + 1
    multi = [c for c, n in sizes.items() if n > 1]
    in_multi = [at for at, c in enumerate(pseudo.clusters) if sizes[c] > 1]
    core = sum(pseudo.confidences[at] == "high" for at in in_multi)
    return (
        f"{len(pseudo.texts)} asks, {len(multi)} clusters of 2+ ({core} core, "
        f"{len(in_multi) - core} doubtful), {len(pseudo.texts) - len(in_multi)} singletons; "
        f"pairs +{int((labels == 1).sum())} -{int((labels == 0).sum())} "
        f"left out {int((labels == -1).sum())}"
    )


def refit(
    train: Sequence[LabelledReview], pseudo: LabelledReview, labels: npt.NDArray[np.int8] | None
) -> tuple[Path, float]:
    """Today's recipe fitted on `train` + `pseudo` (with `labels` for its pairs, if given),
    in a scratch folder; the fit's seconds."""
    folder = scratch_folder("uprdex-transduce-")
    if labels is not None:
        _OVERRIDES[pseudo.name] = labels
    start = time.perf_counter()
    try:
        train_pairs.train_reviews([*train, pseudo], folder)
    finally:
        _OVERRIDES.pop(pseudo.name, None)
    return folder, time.perf_counter() - start


def assignment(review: Review, folder: Path) -> Mapping[str, str]:
    """The review clustered at the defaults with the pair model in `folder`."""
    return cluster(review.items, ClusterSettings(pair_model=folder)).assignment


def arms(train: Sequence[Review], held: Review, variants: Sequence[str]) -> dict[str, Arm]:
    """Today's clustering of `held` (the model trained on `train`) and each variant's, its
    gold unread."""
    base = pair_model_folder(train)
    gold = [labelled(review) for review in train]
    out = {TODAY: Arm(assignment(held, base), "", 0.0)}
    first = pseudo_review(held, base)
    plain = BASE_LABELLED_PAIRS(first)[1]
    refitted: Path | None = None
    if "A core" in variants or "C core, twice" in variants:
        refitted, seconds = refit(gold, first, None)
        if "A core" in variants:
            out["A core"] = Arm(assignment(held, refitted), counts(first, plain), seconds)
    if "B sure negatives" in variants:
        labels = sure_negatives(first, base)
        folder, seconds = refit(gold, first, labels)
        out["B sure negatives"] = Arm(assignment(held, folder), counts(first, labels), seconds)
    if "C core, twice" in variants:
        assert refitted is not None
        second = pseudo_review(held, refitted)
        folder, seconds = refit(gold, second, None)
        again = BASE_LABELLED_PAIRS(second)[1]
        out["C core, twice"] = Arm(assignment(held, folder), counts(second, again), seconds)
    return out


def mechanics(folds: int) -> None:
    """Step 0: the first `folds` folds' pseudo reviews and refit seconds, no score."""
    tuning = load_reviews(tuning=True, tests=False)
    print(f"== mechanics, unscored: {folds} folds of {len(tuning)} tuning reviews")
    for held in tuning[:folds]:
        train = [r for r in tuning if r is not held]
        start = time.perf_counter()
        for name, arm in arms(train, held, VARIANTS).items():
            if name != TODAY:
                print(f"  {held.name}, {name}: {arm.counts}; refit {arm.seconds:.1f} s")
        print(f"  ({time.perf_counter() - start:.0f} s the fold)", flush=True)


def tuning_run(variants: Sequence[str]) -> None:
    """Steps 1 and 2: leave one tuning review out, today beside each variant; the bar."""
    tuning = load_reviews(tuning=True, tests=False)
    names = [TODAY, *variants]
    print(f"== tuning reviews only, leave one out ({len(tuning)} reviews)")
    results: dict[str, list[Score]] = {name: [] for name in names}
    seconds: dict[str, list[float]] = {name: [] for name in variants}
    for held in tuning:
        train = [r for r in tuning if r is not held]
        start = time.perf_counter()
        done = arms(train, held, variants)
        for name in names:
            results[name].append(score(done[name].assignment, held.gold))
        for name in variants:
            seconds[name].append(done[name].seconds)
            print(f"    {held.name}, {name}: {done[name].counts}; refit {done[name].seconds:.1f} s")
        cells = "; ".join(f"{name} {results[name][-1].cell()}" for name in names)
        print(f"  {held.name} held out: {cells} ({time.perf_counter() - start:.0f} s)", flush=True)
    print_gains(tuning, results)
    passed = [
        name
        for name in variants
        if judge(results, name, 0.02, 8, "bar (pre-registered, 12 tuning reviews)")
    ]
    for name in variants:
        print(f"  refit seconds per review, {name}: mean {statistics.fmean(seconds[name]):.1f}")
    chosen = max(passed, key=lambda n: statistics.fmean(s.f1 for s in results[n]), default=None)
    print(f"  chosen: {chosen or 'none'}")


def final_run(variant: str) -> None:
    """Step 3, once: today vs `variant`, the base model trained on the 12 tuning reviews, on
    the 45 later reviews pooled."""
    tuning = load_reviews(tuning=True, tests=False)
    groups = later_reviews()
    pooled = [review for reviews in groups.values() for review in reviews]
    print(f"== final check, once: {variant} on {len(pooled)} later reviews, base trained on 12")
    results: dict[str, list[Score]] = {TODAY: [], variant: []}
    seconds = []
    for held in pooled:
        done = arms(tuning, held, [variant])
        seconds.append(done[variant].seconds)
        for name in results:
            results[name].append(score(done[name].assignment, held.gold))
        print(
            f"    {held.name}: {done[variant].counts}; refit {done[variant].seconds:.1f} s; "
            f"today {results[TODAY][-1].cell()}, {variant} {results[variant][-1].cell()}",
            flush=True,
        )
    print_later(groups, results, variant)
    print(f"  refit seconds per review: mean {statistics.fmean(seconds):.1f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--mechanics", type=int, metavar="FOLDS")
    parser.add_argument("--variants", nargs="*", default=list(VARIANTS), choices=VARIANTS)
    parser.add_argument("--final", metavar="VARIANT", choices=VARIANTS)
    args = parser.parse_args()
    if args.mechanics:
        return run(lambda: mechanics(args.mechanics))
    if args.final:
        return run(lambda: final_run(args.final))
    return run(lambda: tuning_run(args.variants))


if __name__ == "__main__":
    sys.exit(main())
