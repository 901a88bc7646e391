"""The meaning of an ask's object apart from its frame, as a pair feature, held out (#19).

PRE-REGISTERED (committed before the first scored run).

Issue #19 names two errors of the pair ranking: unrelated asks merged because they share a
generic frame ("continue to improve access to ...", "promote and protect the rights of ..." for
different groups), and one commitment worded differently split apart. The pair model's meaning
signals read the WHOLE ask: the LSA cosine (`meaning`) and the word vectors' idf-weighted
centroid cosine (`centroid`, `pipeline.word_vectors`). bench/subject_trial.py read the object as
a SET OF STEMS (`subject_trial.objects`: the ask's normalized stems less the frame, `VERBS` and
`FRAME_NOUNS`) by an idf-weighted Jaccard: F1 +0.014, precision +0.032, better on 7 of 12, a near
miss, before the word vectors and the places shipped. Never measured: the object read in
MEANING space, where "pay gap" and "salaries" are close though they share no stem.

The features (each added to `pair_model.DENSE_FEATURES` for this process only, through
`feature_trials.DenseFeatures`; nothing in pipeline/ changes):
- object_centroid: the cosine of the two asks' object centroids, clipped to 0-1 as `centroid`
  is. An ask's object centroid is the idf-weighted mean of the word vectors of its object stems
  (`subject_trial.objects` of its normalized text), with the same vectors and idf as `centroid`
  (the pair inputs' `Lexicon`: its idf-weighted texts x stems matrix, keeping the object stems'
  columns only, times its unit vectors). 0 when either ask has no object stem with a vector;
- object_empty: 1 when either ask has no object stem with a vector (that case), else 0;
- frame_centroid: the same cosine over the frame stems (the stems `objects` drops: those in
  `VERBS` or `FRAME_NOUNS`); 0 when either ask has no frame stem with a vector;
- frame_empty: 1 when either ask has no frame stem with a vector, else 0.

The variants (named before any score; no other will be tried):
- today: `train_pairs.CONFIG` as shipped (the baseline);
- A object: today + object_centroid, object_empty;
- B object+frame: A + frame_centroid, frame_empty.
Learner and regularization: today's recipe unchanged (liblinear logistic regression, L2, C 3,
seeded). The recipe does not scale its dense features (the pair features enter the fit as
computed: cosines 0-1, indicators 0/1, `centroid` included), so the new features are not scaled
either: cosines in 0-1, indicators 0/1, as the existing `centroid` and `groups_disjoint` are.

1. The bar (the 12 TUNING reviews, bench/gold only): leave one review out, each fold's pair
   model trained on the 11 others, clustering the held-out review at the defaults
   (`ClusterSettings(pair_model=...)`), today's recipe beside both variants in the same run. A
   variant passes if its mean held-out F1 gain over today is >= +0.02 AND its F1 is higher
   (strictly, unrounded) on >= 8 of 12 AND its mean precision is not lower than today's by more
   than 0.005. At most one is chosen: the passing variant of the highest mean F1. Every fold,
   the means and the lowest F1 are printed; then each arm trained on all 12 and scored on them
   (in-sample, reported only).
2. Cost (--cost, reported whatever 1 says): the time to score every pair of each of the 12
   tuning reviews' asks (`LearnedPairs.scores`, cutoff 0, the object and frame centroids built
   inside the timing), per 100k pairs, today's pair model vs each variant's, each trained on the
   12 tuning reviews.
3. The single final check (--final VARIANT, run once, only if 1 passes, and only after the
   chosen variant is committed here): today's recipe and the chosen variant, each pair model
   trained on the 12 tuning reviews (as shipped), on the 45 reviews of FRESH + UNSEEN + LATEST +
   NEWEST + FINAL pooled (bench/review_groups.py; all read before for reporting, none chose a
   feature). Bar: pooled mean F1 gain >= +0.01 AND pooled mean precision not lower by more than
   0.005 AND F1 higher on >= 24 of 45. Printed per review and per group. The TEST reviews are
   never run here; data/models/* are not replaced.

Looked at first, unscored (--look; shipped word vectors): "Close the gender pay gap" / "Ensure
equal salaries between men and women": object {gap, gender} / {between, equal, men, salari,
women} ("pay" is in `VERBS`, so frame), centroid 0.72, object_centroid 0.75, frame_centroid
0.01; "... improve access to water" / "... to education": centroid 0.82, object 0.26, frame
1.00; "promote and protect the rights of persons with disabilities" / "... of indigenous
peoples": centroid 0.80, object 0.55, frame 1.00; "Ratify the Convention against Torture" /
"... the Optional Protocol to ...": centroid 0.97, object 0.91 (cat / opcat), frame 1.00.

Measured, 1 (2026-12-05, one run, 1067 s, 2-core machine shared with another helper's jobs:
`.venv/bin/python bench/object_trial.py`, log /tmp/object_tuning.log). Held-out P/R/F1, today /
A object / B object+frame:
  Kazakhstan 2014   0.82/0.74/0.78  0.83/0.75/0.79  0.84/0.74/0.79
  Madagascar 2014   0.78/0.71/0.74  0.79/0.71/0.75  0.79/0.71/0.75
  Malaysia 2013     0.59/0.63/0.61  0.62/0.64/0.63  0.59/0.65/0.62
  Colombia 2013     0.48/0.47/0.48  0.45/0.47/0.46  0.49/0.49/0.49
  Senegal 2013      0.65/0.78/0.71  0.66/0.78/0.72  0.65/0.76/0.70
  India 2012        0.78/0.80/0.79  0.78/0.87/0.82  0.80/0.87/0.83
  Tunisia 2012      0.67/0.26/0.38  0.65/0.29/0.40  0.62/0.26/0.37
  Sri Lanka 2012    0.63/0.52/0.57  0.64/0.52/0.57  0.62/0.55/0.58
  Ghana 2012        0.45/0.67/0.54  0.46/0.69/0.55  0.45/0.67/0.54
  Brazil 2012       0.69/0.45/0.55  0.73/0.43/0.54  0.71/0.40/0.51
  Japan 2012        0.75/0.75/0.75  0.75/0.74/0.74  0.75/0.74/0.74
  Ukraine 2012      0.81/0.56/0.66  0.79/0.56/0.65  0.81/0.56/0.66
  mean              0.67/0.61/0.63  0.68/0.62/0.64  0.68/0.62/0.63
  lowest F1         0.38            0.40            0.37
- A object: F1 +0.0065, better on 8, worse on 4, precision +0.0038: FAILS the bar (F1 gain
  under +0.02);
- B object+frame: F1 +0.0035, better on 6, worse on 4, precision +0.0032: FAILS.
Nothing chosen; the final check (3) was not run, and no review outside the 12 was read.
In-sample (trained on all 12): today 0.89/0.89/0.885, A 0.87/0.89/0.875, B 0.87/0.88/0.874.
Read after the verdict (not a choice): trained on the 12, A's model weighs object_centroid
+2.37 (object_empty -0.32) beside centroid +4.67 and meaning +4.32; B's object_centroid +3.05,
frame_centroid +1.02, frame_empty +0.87 (centroid down to +3.62). The model uses the object's
meaning, but held out it adds little to what the whole-ask centroid, the LSA cosine and the
terms already give.

Measured, 2 (--cost, two runs, 113 s and 116 s, log /tmp/object_cost.log; 181,363 pairs, every
pair of each tuning review's texts, CPU best of 3): scoring per 100k pairs, today 0.537 / 0.432
s, A object 0.472 / 0.499 s, B object+frame 0.625 / 0.668 s (the whole scoring's figures move by
as much as the features cost: rapidfuzz runs threaded on a shared machine); the trial's features
alone (second run), A 0.041 s and B 0.077 s per 100k pairs (about +10% and +18% of today's
scoring).

Run: .venv/bin/python bench/object_trial.py [--look | --cost | --final VARIANT]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Sequence
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from cluster_protocol import (
    Review,
    Score,
    labelled,
    load_reviews,
    mean_cell,
    print_gains,
    score,
    scratch_folder,
)
from feature_trials import DenseFeatures, held_out, judge, later_reviews, print_later, run
from scipy import sparse  # type: ignore[import-untyped]
from subject_trial import objects

from uprdex.pipeline import train_pairs
from uprdex.pipeline.clusters import cluster, load_treaties, normalize
from uprdex.pipeline.clusters.pair_model import LearnedPairs, PairModel
from uprdex.pipeline.settings import ClusterSettings
from uprdex.pipeline.word_vectors import Lexicon, WordVectors

TODAY = "today"
OBJECT = ("object_centroid", "object_empty")
FRAME = ("frame_centroid", "frame_empty")
VARIANTS: dict[str, tuple[str, ...]] = {
    TODAY: (),
    "A object": OBJECT,
    "B object+frame": OBJECT + FRAME,
}

Floats = npt.NDArray[np.float64]


def object_columns(words: WordVectors) -> npt.NDArray[np.bool_]:
    """Whether each stem of the word vectors' vocabulary is an object stem (`objects`)."""
    out = np.zeros(len(words.unit), dtype=bool)
    for stem, at in words.vocabulary.items():
        out[at] = bool(objects(stem))
    return out


_IS_OBJECT = object_columns(WordVectors.load())
"""Over the vocabulary of the vectors `centroid` reads (CONFIG word_vectors None: the shipped
data/models/words, also the arrays a pair model trained so carries)."""


def part_centroids(lexicon: Lexicon, keep: npt.NDArray[np.bool_]) -> npt.NDArray[np.float32]:
    """Each text's idf-weighted mean vector of its stems in `keep` (unit; 0: no such stem)."""
    assert lexicon.spread.shape[1] == len(keep), "not the vocabulary of the shipped vectors"
    spread = lexicon.spread @ sparse.diags(keep.astype(np.float64))
    centroids = np.asarray(spread @ lexicon.unit, dtype=np.float32)
    norms = np.linalg.norm(centroids, axis=1, keepdims=True)
    np.divide(centroids, norms, out=centroids, where=norms > 0)
    return centroids


_PARTS: list[tuple[Lexicon, npt.NDArray[np.float32], npt.NDArray[np.float32]]] = []
"""The last lexicon read and its texts' (object, frame) centroids: a clustering scores its
pairs chunk by chunk over one set of inputs."""


def parts(lexicon: Lexicon) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]:
    """The (object, frame) centroids of the lexicon's texts, built once per lexicon."""
    if not _PARTS or _PARTS[0][0] is not lexicon:
        _PARTS[:] = [
            (lexicon, part_centroids(lexicon, _IS_OBJECT), part_centroids(lexicon, ~_IS_OBJECT))
        ]
    return _PARTS[0][1], _PARTS[0][2]


def _cosine(
    centroids: npt.NDArray[np.float32], pairs: npt.NDArray[np.int64]
) -> tuple[Floats, Floats]:
    """The clipped cosine of each pair's centroids (0 where one is empty), and whether one is."""
    left, right = centroids[pairs[:, 0]], centroids[pairs[:, 1]]
    empty = ~(left.any(axis=1) & right.any(axis=1))
    cosine = np.clip(np.einsum("ij,ij->i", left, right, dtype=np.float64), 0, 1)
    return np.where(empty, 0.0, cosine), empty.astype(np.float64)


def _extra(inputs: Any, pairs: npt.NDArray[np.int64], active: tuple[str, ...]) -> Floats:
    assert inputs.lexicon is not None, "today's recipe reads the word vectors"
    found = dict(zip(("object", "frame"), parts(inputs.lexicon), strict=True))
    columns: dict[str, Floats] = {}
    for part, centroids in found.items():
        if f"{part}_centroid" in active:
            columns[f"{part}_centroid"], columns[f"{part}_empty"] = _cosine(centroids, pairs)
    return np.stack([columns[name] for name in active], axis=1)


FEATURES = DenseFeatures(VARIANTS, _extra)


def trained(train: Sequence[Review], variant: str) -> Path:
    """A pair model of `variant` trained on `train` (its features active from here on)."""
    FEATURES.use(variant)
    folder = scratch_folder("uprdex-object-")
    train_pairs.train_reviews([labelled(r) for r in train], folder)
    return folder


def scored(train: Sequence[Review], variant: str, held: Sequence[Review]) -> list[Score]:
    """`held` clustered at the defaults by `variant` trained on `train`."""
    settings = replace(ClusterSettings(), pair_model=trained(train, variant))
    return [score(cluster(r.items, settings).assignment, r.gold) for r in held]


def tuning() -> None:
    """Leave one tuning review out, every arm; the bar; then in-sample."""
    reviews = load_reviews(tuning=True, tests=False)
    print(f"== tuning reviews only, leave one out ({len(reviews)} reviews)")
    results = held_out(reviews, list(VARIANTS), scored)
    print_gains(reviews, results)
    passing = [name for name in list(VARIANTS)[1:] if judge(results, name, 0.02, 8, "bar")]
    chosen = max(passing, key=lambda n: statistics.fmean(s.f1 for s in results[n]), default=None)
    print(f"  chosen (the passing variant of the highest mean F1): {chosen}")
    inside = {name: scored(reviews, name, reviews) for name in VARIANTS}
    print(
        "  in-sample (trained on all twelve): "
        + "; ".join(f"{name} {mean_cell(s)}" for name, s in inside.items())
    )


def final(variant: str) -> None:
    """The single final check: today and `variant`, trained on the 12 tuning reviews, on the
    45 later reviews pooled; per group, then the pooled bar."""
    tuning_reviews = load_reviews(tuning=True, tests=False)
    groups = later_reviews()
    pooled = [review for reviews in groups.values() for review in reviews]
    print(f"== {len(pooled)} {'+'.join(g.upper() for g in groups)} reviews, both trained on the 12")
    results = {arm: scored(tuning_reviews, arm, pooled) for arm in (TODAY, variant)}
    print_later(groups, results, variant)


def cost() -> None:
    """Pair-scoring time per 100k pairs (every pair of each tuning review's asks), today's pair
    model vs each variant's, each trained on the 12 tuning reviews."""
    reviews = load_reviews(tuning=True, tests=False)
    data = [labelled(r) for r in reviews]
    for variant in VARIANTS:
        model = PairModel.load(trained(reviews, variant))
        inputs = [train_pairs.review_inputs(review, model.word_vectors)[0] for review in data]
        pairs = [np.array(np.triu_indices(len(i.texts), 1), dtype=np.int64).T for i in inputs]
        count = sum(len(p) for p in pairs)
        best, alone = float("inf"), float("inf")
        for _ in range(3):
            _PARTS.clear()
            learned = [LearnedPairs(model, i) for i in inputs]
            start = time.process_time()
            for scorer, chosen in zip(learned, pairs, strict=True):
                scorer.scores(chosen, 0.0)
            best = min(best, time.process_time() - start)
            _PARTS.clear()
            start = time.process_time()
            for scored_inputs, chosen in zip(inputs, pairs, strict=True):
                if VARIANTS[variant]:
                    _extra(scored_inputs, chosen, VARIANTS[variant])
            alone = min(alone, time.process_time() - start)
        print(
            f"  {variant}: {count:,} pairs scored in {best:.2f} s CPU (best of 3): "
            f"{best / count * 100_000:.3f} s per 100k pairs; the trial's features alone "
            f"{alone / count * 100_000:.3f} s per 100k"
        )


LOOK = (
    ("Close the gender pay gap", "Ensure equal salaries between men and women"),
    ("Continue to improve access to water", "Continue to improve access to education"),
    (
        "Promote and protect the rights of persons with disabilities",
        "Promote and protect the rights of indigenous peoples",
    ),
    (
        "Ratify the Convention against Torture",
        "Consider ratifying the Optional Protocol to the Convention against Torture",
    ),
)


def look() -> None:
    """Unscored: the object and frame stems of a few asks, and their pairs' cosines."""
    words = WordVectors.load()
    treaties = load_treaties()
    for first, second in LOOK:
        texts = [normalize(first, treaties), normalize(second, treaties)]
        lexicon = words.lexicon(texts)
        pair = np.array([[0, 1]], dtype=np.int64)
        for raw, text in zip((first, second), texts, strict=True):
            kept = objects(text)
            frame = [s for s in text.split() if s not in kept]
            print(f"  {raw!r}: {text!r}; object {sorted(kept)}, frame {frame}")
        whole = float(np.clip(lexicon.centroids[0] @ lexicon.centroids[1], 0, 1))
        object_cosine, object_empty = _cosine(part_centroids(lexicon, _IS_OBJECT), pair)
        frame_cosine, frame_empty = _cosine(part_centroids(lexicon, ~_IS_OBJECT), pair)
        print(
            f"    centroid {whole:.2f}, object_centroid {object_cosine[0]:.2f} (empty "
            f"{object_empty[0]:.0f}), frame_centroid {frame_cosine[0]:.2f} (empty "
            f"{frame_empty[0]:.0f})"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--look", action="store_true", help="unscored: a few asks' features")
    parser.add_argument("--cost", action="store_true", help="pair-scoring time per 100k pairs")
    parser.add_argument("--final", metavar="VARIANT", choices=list(VARIANTS)[1:])
    args = parser.parse_args()
    if args.look:
        look()
        return 0
    if args.final:
        return run(partial(final, args.final))
    return run(cost if args.cost else tuning)


if __name__ == "__main__":
    sys.exit(main())
