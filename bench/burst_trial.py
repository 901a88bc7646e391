"""Words a review repeats beyond what the corpus predicts (burstiness), as pair features of the
pair model: today's recipe and three variants (#19).

The per-term weights memorise the training reviews' words. A review's own commitment has its own
word (Sri Lanka 2012's "LLRC", Japan's "daiyo kangoku", Colombia's "military jurisdiction"):
held out, such a word has no weight of its own, and two asks sharing it get no credit beyond
the meaning cosine and the fuzzy scores. The other side: Japan's "moratorium" and "abolish" are
each repeated in that review, and an ask with one and an ask with the other are two
commitments. Burstiness is generic: it carries over to any review's own words.

Definitions (the texts clustered together: one review here, in training and held out; at run
time one scope block):
- n: the block's distinct normalized texts; local_df(t): how many of them hold the stem t;
- df_corpus(t), N: from the similarity model's idf (sklearn's smoothed idf over its N = 29,199
  training texts of the UPR Info export, `metadata["texts"]`): df_corpus = (1 + N) exp(1 -
  idf) - 1, exact for that formula (min_df 10, so every term has df_corpus >= 10);
- burst(t) = log(local_df(t) / n) - log(df_corpus(t) / N);
- beta(t) = max(0, burst(t)) for a unigram stem of the similarity model's vocabulary (treaty
  keys included) held by at least 2 of the block's distinct texts (a word the review repeats);
  0 for stem pairs (unigrams only: a stem pair's burst mostly repeats its stems'), for a stem
  in one text only, and for words outside the vocabulary (no corpus count);
- a_t, b_t: the two asks' TF-IDF weights (the similarity model's rows, l2-normalized, as the
  pair model's term features read them).
Pair features:
- `shared_burst` = sum over the stems t in both asks of a_t b_t beta(t): the TF-IDF cosine with
  each shared stem weighed by how much the review repeats it. A TF-IDF-weighted sum, not a
  max: it is one sparse product of the block's rows (as the term part of the pair model is
  computed at scale, so `bench_clusters --scale` can stay within 30 s), and a repeated stem
  counts by how much of each ask it is (a word in a long ask counts less).
- `apart_burst` = min over the two asks of the sum over the stems t of that ask only (not in
  the other) of its weight there times beta(t): each ask has a repeated word of its own
  ("moratorium" vs "abolish"). The min, not the sum of the two sides: a longer restatement of
  one commitment ("implement the LLRC's recommendations, in particular on accountability") has
  repeated words on one side only; two commitments have them on both.
The features are appended to `pair_model.DENSE_FEATURES` for the run (patched in this process
only, as bench/context_trial.py did; the product's own features, places included, unchanged;
the `PLAIN` companion reads them too). A pair of two identical texts reads the block's values.

Variants: A `shared_burst`; B `apart_burst`; C both.

PRE-REGISTERED (committed before the first scored run):
1. Leave one TUNING review out (bench/cluster_protocol.py TUNING, 12 reviews; no test, fresh,
   unseen, latest, newest or final review is read): for each review, today's recipe
   (`train_pairs.CONFIG`) and each variant, trained on the 11 others, clustering the held-out
   review at the defaults (`ClusterSettings(pair_model=...)`); per-review P/R/F1, means, lowest
   F1, how many reviews each variant improves (F1 strictly higher) and worsens; then each
   recipe trained on all 12 and scored on them (in-sample), and the learned weight of each new
   feature (the model trained on all 12).
   The bar: a variant is chosen only if its mean held-out F1 is at least +0.02 over today's
   (same run) AND its F1 is strictly higher on at least 8 of the 12 AND its mean precision is
   not lower than today's. At most one is chosen: the highest mean F1 among those passing.
2. Only if one passes, and only after the chosen variant and this bar are committed here: one final
   check (`--final VARIANT`, run once): today's recipe and the chosen variant, each trained on the
   12 tuning reviews (as the shipped model was until session 38), on bench/cluster_protocol.py's
   FINAL reviews (7, never read). Bar: mean FINAL F1 gain >= +0.01 AND mean FINAL precision not
   lower. The same run prints NEWEST + UNSEEN + LATEST + FRESH (read before: reported only) and, if
   FINAL passes, the 5 TEST reviews (reported only).

Measured, 1 (2026-12-05, one run, 403 s: .venv/bin/python bench/burst_trial.py), held out on
the 12 tuning reviews, mean P/R/F1 (lowest F1):
- today      0.68/0.61/0.63 (0.38)  (the shipped recipe's held-out figure)
- A shared   0.67/0.61/0.63 (0.37): F1 -0.0046, precision -0.0093, better on 5, worse on 6
  (Sri Lanka 2012 0.61 -> 0.56, precision 0.71 -> 0.60; India 2012 0.77 -> 0.75, Tunisia
  2012 0.38 -> 0.37; Kazakhstan 2014 0.78 -> 0.79, Senegal 2013 0.71 -> 0.72);
- B apart    0.68/0.62/0.63 (0.38): F1 +0.0012, precision +0.0020, better on 3, worse on 1;
- C both     0.67/0.61/0.63 (0.37): F1 -0.0037, precision -0.0075, better on 5, worse on 6.
All three FAIL the bar; none is chosen and the final check of 2 is not run (FINAL not read).
In-sample (trained on all 12): today 0.88/0.88/0.874, A 0.88/0.89/0.879, B 0.88/0.88/0.875,
C 0.88/0.89/0.879. What it learned (trained on all 12; placed model, then the plain one):
today meaning +4.216 / +4.578; A shared_burst +1.200 / +1.219 (meaning +3.941 / +4.312);
B apart_burst -0.082 / -0.166 (meaning +4.191 / +4.527); C shared_burst +1.188 / +1.190,
apart_burst -0.051 / -0.135 (meaning +3.926 / +4.276). The shared feature takes a little
weight from the meaning cosine and costs precision on the review it was meant to help (Sri
Lanka 2012); the apart feature is given almost no weight: as the look showed, the death penalty
frames' own words are not bursty (common in the export too).
Why Sri Lanka 2012 fell (a diagnostic of a tuning review, reported only, choosing nothing;
15 s: .venv/bin/python bench/burst_trial.py --why "Sri Lanka 2012"): A joins 14 pairs today
does not, all false: 7 implement-llrc + report-llrc-progress-to-hrc, 6 implement-llrc +
implement-nhrap, 1 disseminate-nhrap + implement-nhrap; and loses 7 true implement-llrc pairs
(pieces today 8,2,1,1,1,1,1,1; A 7,2,1,1,1,1,1,1,1). A word the review repeats ("llrc",
"nhrap") is the review's subject, shared by several of its commitments (implement the LLRC,
report on it, fund it), not the mark of one commitment.

A look before the scored run (`--look`, no clustering, no score): the features on Sri Lanka
2012's and Japan 2012's pairs (tuning reviews), by gold relation. Seen (2026-12-05, 4 s,
.venv/bin/python bench/burst_trial.py --look), mean (share > 0):
- Sri Lanka 2012 (201 distinct texts), highest beta: llrc 4.98, sri 4.23, lanka 4.17, lesson
  3.70, livelihood 3.68, nhrap 3.66 (the State's own name is bursty too: kept, as declared);
  shared_burst: one commitment 0.322 (0.94), two 0.013 (0.30), within implement-llrc 0.562
  (1.00), implement-llrc x implement-nhrap 0.117; apart_burst: one 0.643, two 0.844, within
  implement-llrc 1.463 (long asks), llrc x nhrap 1.263.
- Japan 2012 (171): highest beta japan 4.63, wedlock 4.11, hagu 3.75 (moratorium is not among
  them: it is common in the export too); shared_burst: one 0.207, two 0.008; within
  dp-moratorium 0.242, abolish-death-penalty x dp-moratorium 0.198; apart_burst: one 0.441,
  two 0.758, within dp-moratorium 0.888, abolish x moratorium 0.979: the death penalty frames
  are barely told apart by either.

The harness (leave one out, the bar, the final check, the feature patching): feature_trials.py.
Run: .venv/bin/python bench/burst_trial.py [--variants NAME ...]
     .venv/bin/python bench/burst_trial.py --look
     .venv/bin/python bench/burst_trial.py --why TUNING_REVIEW [--final VARIANT]
     .venv/bin/python bench/burst_trial.py --variants --final NAME   (the check of 2)
"""

from __future__ import annotations

import functools
import statistics
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import feature_trials
import numpy as np
import numpy.typing as npt
from cluster_protocol import Review, Score, labelled, load_reviews, score, scratch_folder
from feature_trials import DenseFeatures, run, steps, variant_parser

from uprdex.pipeline import train_pairs
from uprdex.pipeline.clusters import cluster, pair_model
from uprdex.pipeline.clusters.pair_model import PairModel
from uprdex.pipeline.semantic import SemanticModel
from uprdex.pipeline.settings import ClusterSettings

BURST_FEATURES = ("shared_burst", "apart_burst")
VARIANTS: dict[str, tuple[str, ...]] = {
    "today": (),
    "A shared": ("shared_burst",),
    "B apart": ("apart_burst",),
    "C both": BURST_FEATURES,
}
REPEATED = 2
"""Fewest of the block's distinct texts a stem must be in to count (a word the review repeats)."""

_CACHE: dict[int, tuple[Any, npt.NDArray[np.float64]]] = {}
"""id(PairInputs) -> (the inputs, both features over every pair of its texts: n x n x 2)."""

Floats = npt.NDArray[np.float64]


@functools.cache
def corpus() -> tuple[npt.NDArray[np.bool_], Floats]:
    """Which TF-IDF terms are unigram stems, and each term's log(df_corpus / N)."""
    model = SemanticModel.load()
    terms, idf = model.term_idf()
    n = int(model.metadata["texts"])
    df = (1 + n) * np.exp(1 - idf) - 1
    unigram = np.array([" " not in term for term in terms], dtype=bool)
    return unigram, np.log(np.maximum(df, 1) / n)


def beta(rows: Any) -> Floats:
    """beta(t) of every TF-IDF term for the block of these texts' rows (duplicates counted once:
    pass the distinct texts' rows)."""
    unigram, corpus_rate = corpus()
    local = np.asarray((rows > 0).sum(axis=0), dtype=np.float64).ravel()
    n = max(rows.shape[0], 1)
    burst = np.log(np.maximum(local, 1) / n) - corpus_rate
    return np.where(unigram & (local >= REPEATED), np.maximum(burst, 0), 0.0)


def burst_matrix(texts: Sequence[str], terms: Any) -> Floats:
    """Both features of every pair of `texts` (their TF-IDF rows `terms`): n x n x 2."""
    rows = terms.astype(np.float64).tocsr()
    firsts: dict[str, int] = {}
    for at, text in enumerate(texts):
        firsts.setdefault(text, at)
    weights = beta(rows[np.array(list(firsts.values()), dtype=np.int64)])
    weighted = rows.multiply(weights).tocsr()
    present = (rows > 0).astype(np.float64)
    shared = np.asarray((weighted @ rows.T).todense())
    own = np.asarray(weighted.sum(axis=1)).ravel()
    # overlap[i, j]: i's weighted stems that j has too; own[i] - overlap[i, j]: i's own.
    overlap = np.asarray((weighted @ present.T).todense())
    alone = own[:, None] - overlap
    apart = np.minimum(alone, alone.T)
    return np.stack([shared, np.maximum(apart, 0)], axis=2)


def burst_features(inputs: Any, pairs: npt.NDArray[np.int64]) -> Floats:
    """`BURST_FEATURES` of each pair of the inputs' texts (one block: all the texts)."""
    key = id(inputs)
    if key not in _CACHE:
        _CACHE[key] = (inputs, burst_matrix(inputs.texts, inputs.terms))
    matrix = _CACHE[key][1]
    return matrix[pairs[:, 0], pairs[:, 1]]


def _columns(inputs: Any, pairs: npt.NDArray[np.int64], active: tuple[str, ...]) -> Floats:
    chosen = [BURST_FEATURES.index(name) for name in active]
    return burst_features(inputs, pairs)[:, chosen]


FEATURES = DenseFeatures(VARIANTS, _columns, on_use=_CACHE.clear)
use = FEATURES.use
_FOLDERS: dict[str, Path] = {}
"""Variant -> the folder it was last trained in."""


def _trained(train: Sequence[Review], variant: str) -> Path:
    use(variant)
    folder = scratch_folder("uprdex-burst-")
    train_pairs.train_reviews([labelled(r) for r in train], folder)
    _FOLDERS[variant] = folder
    return folder


def _scored(train: Sequence[Review], variant: str, held: Sequence[Review]) -> list[Score]:
    """`held` scored by today's recipe with `variant`'s features, trained on `train`."""
    settings = replace(ClusterSettings(), pair_model=_trained(train, variant))
    out = [score(cluster(review.items, settings).assignment, review.gold) for review in held]
    use("today")
    return out


def weights(folder: Path, variant: str) -> str:
    """The learned weights of the variant's features (and the meaning cosine's), both models."""
    use(variant)
    model = PairModel.load(folder)
    parts = []
    for label, fitted in (("placed", model), ("plain", model.plain)):
        if fitted is None:
            continue
        named = dict(zip(pair_model.DENSE_FEATURES, fitted.dense.tolist(), strict=True))
        cells = ", ".join(f"{n} {named[n]:+.3f}" for n in ("meaning", *VARIANTS[variant]))
        parts.append(f"{label}: {cells}")
    use("today")
    return "; ".join(parts)


def tuning_run(variants: Sequence[str]) -> None:
    feature_trials.tuning_run(
        load_reviews(tuning=True, tests=False),
        variants,
        _scored,
        learned=lambda name: print(
            f"  weights ({name}, trained on all twelve): {weights(_FOLDERS[name], name)}"
        ),
    )


def final_run(variant: str) -> None:
    tuning = load_reviews(tuning=True, tests=False)
    folders = {name: _trained(tuning, name) for name in ("today", variant)}
    use("today")

    def checked(name: str, reviews: Sequence[Review]) -> list[Score]:
        use(name)
        settings = replace(ClusterSettings(), pair_model=folders[name])
        out = [score(cluster(r.items, settings).assignment, r.gold) for r in reviews]
        use("today")
        return out

    feature_trials.final_run(
        variant, checked, "final", reported=("newest", "unseen", "latest", "fresh")
    )


def look() -> None:
    """The features on two tuning reviews' pairs, by gold relation (no clustering, no score)."""
    terms, _ = SemanticModel.load().term_idf()
    chosen = [r for r in load_reviews(tuning=True, tests=False) if r.name in LOOKED]
    for review in chosen:
        data = labelled(review)
        inputs = train_pairs.review_inputs(data)[0]
        matrix = burst_matrix(inputs.texts, inputs.terms)
        rows = inputs.terms.tocsr()
        firsts = {text: at for at, text in reversed(list(enumerate(inputs.texts)))}
        weights = beta(rows[np.array(sorted(firsts.values()), dtype=np.int64)])
        top = np.argsort(-weights)[:15]
        print(f"== {review.name}: {len(firsts)} distinct texts; highest beta:")
        print("   " + ", ".join(f"{terms[t]} {weights[t]:.2f}" for t in top))
        pairs, labels = train_pairs.labelled_pairs(data)
        clusters = np.array(data.clusters)
        groups = {
            "one commitment": labels == 1,
            "two commitments": labels == 0,
            **{
                f"in {name}": (clusters[pairs[:, 0]] == name) & (clusters[pairs[:, 1]] == name)
                for name in LOOKED[review.name][0]
            },
            **{
                f"{a} x {b}": ((clusters[pairs[:, 0]] == a) & (clusters[pairs[:, 1]] == b))
                | ((clusters[pairs[:, 0]] == b) & (clusters[pairs[:, 1]] == a))
                for a, b in LOOKED[review.name][1]
            },
        }
        for label, mask in groups.items():
            values = matrix[pairs[mask, 0], pairs[mask, 1]]
            if not len(values):
                print(f"   {label}: no pair")
                continue
            cells = "; ".join(
                f"{feature} mean {values[:, at].mean():.3f}, median "
                f"{statistics.median(values[:, at].tolist()):.3f}, "
                f"> 0 {np.mean(values[:, at] > 0):.2f}"
                for at, feature in enumerate(BURST_FEATURES)
            )
            print(f"   {label} ({int(mask.sum())} pairs): {cells}")


def why(name: str, variant: str) -> None:
    """Today's recipe and `variant` on one tuning review held out (trained on the 11 others):
    the false and true pairs one has and the other lacks, by gold clusters, and the pieces of
    the gold clusters with most members (a diagnostic: reported only, choosing nothing)."""
    tuning = load_reviews(tuning=True, tests=False)
    review = next(r for r in tuning if r.name == name)
    train = [r for r in tuning if r is not review]
    found: dict[str, set[tuple[str, str]]] = {}
    pieces: dict[str, dict[str, list[int]]] = {}
    for label in ("today", variant):
        folder = _trained(train, label)
        assignment = cluster(review.items, replace(ClusterSettings(), pair_model=folder))
        ids = sorted(review.gold)
        found[label] = {
            (a, b)
            for at, a in enumerate(ids)
            for b in ids[at + 1 :]
            if assignment.assignment[a] == assignment.assignment[b]
        }
        by_gold: dict[str, dict[str, int]] = {}
        for item in ids:
            gold = by_gold.setdefault(review.gold[item][0], {})
            ours = assignment.assignment[item]
            gold[ours] = gold.get(ours, 0) + 1
        pieces[label] = {g: sorted(c.values(), reverse=True) for g, c in by_gold.items()}
        use("today")
    for first, second in (("today", variant), (variant, "today")):
        extra = found[second] - found[first]
        groups: dict[str, int] = {}
        for a, b in extra:
            ga, gb = sorted((review.gold[a][0], review.gold[b][0]))
            key = ga if ga == gb else f"{ga} + {gb}"
            groups[key] = groups.get(key, 0) + 1
        print(f"== pairs {second} joins and {first} does not: {len(extra)}, by gold clusters:")
        for key, count in sorted(groups.items(), key=lambda kv: -kv[1])[:12]:
            print(f"   {count:3d}  {key}")
    largest = sorted(pieces["today"], key=lambda g: -sum(pieces["today"][g]))[:8]
    for gold in largest:
        print(
            f"   pieces of {gold}: today {pieces['today'][gold]}, {variant} {pieces[variant][gold]}"
        )


LOOKED: dict[str, tuple[tuple[str, ...], tuple[tuple[str, str], ...]]] = {
    "Sri Lanka 2012": (("implement-llrc",), (("implement-llrc", "implement-nhrap"),)),
    "Japan 2012": (
        ("dp-moratorium", "abolish-death-penalty"),
        (("abolish-death-penalty", "dp-moratorium"), ("dp-moratorium", "dp-public-debate")),
    ),
}
"""The reviews `look` reads (tuning only), their gold clusters and pairs of clusters shown."""


def main() -> int:
    parser = variant_parser(__doc__, list(VARIANTS))
    parser.add_argument("--look", action="store_true", help="the features only, no score")
    parser.add_argument("--why", metavar="TUNING_REVIEW", help="diagnostic: today vs --final")
    args = parser.parse_args()
    if args.look:
        return run(look)
    if args.why:
        return run(functools.partial(why, args.why, args.final or "A shared"))
    return run(*steps(args, tuning_run, final_run))


if __name__ == "__main__":
    sys.exit(main())
