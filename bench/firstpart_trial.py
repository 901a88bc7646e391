"""A compound ask's first-named action apart from the rest, as pair features, held out (#19).

PRE-REGISTERED (committed before the first scored run).

The gold's method (../shared/data/gold/CLUSTER_METHOD.md): "A compound recommendation (two or
more actions) goes to the cluster of its main, first-named or most specific action, and is
marked `low`." The pair model reads each ask WHOLE: its meaning cosine (LSA), token_set_ratio,
word-vector centroid and terms are those of the whole normalized text, so "Establish an NHRI
and ratify the OP-CAT" is as close to "Ratify the OP-CAT" as to "Establish an NHRI". Never
measured: features that read a compound ask's FIRST-NAMED action clause apart from the rest.

The rule (fixed by reasoning, on the raw ask as printed; no score seen): the text without its
closing State lists (`normalize.strip_states`) is split at the first SEPARATOR (";", "and",
"including" (optionally "by"), "as well as"; a comma before it belongs to it) that is
followed, after optional fillers ("to", "also", "further", "then", "in particular", one
"-ly" adverb), by a MAIN VERB, and whose first clause names an object. A main verb: a word whose
Snowball stem is in `subject_trial.VERBS` (the 145 stems that open at least 30 asks of the UPR
Info export) less `NOT_VERBS` (stems of that list that after "and" are mostly a noun, an
adjective or an adverb: "national", "efforts", "fully", "policies", "support services" ...),
and whose form is not a plural, a nominalisation or an adjective (`NOT_VERB_FORM`: "...tion",
"...ment", "...al", "...ive", "...ed", "...s" but "...ss"); "-ing" forms count ("including by
adopting a law"). The first clause names an object when its normalized text has a stem outside
`VERBS` and `subject_trial.FRAME_NOUNS` (`subject_trial.objects`) and does not end with a main
verb: "Promote and protect the rights of women", "Sign and ratify the CRPD" and "... to
effectively promote and protect the rights of the child" are not split at their "and" (two
verbs of one object); the next separator is tried. (The last condition and "includ" in
`NOT_VERBS` were added after --look, below, showed such splits; no score had been run.)
The ask is COMPOUND when such a split exists: its FIRST clause is the text before the
separator, its LATER clauses everything after it; an ask that is not compound has first clause
= the whole ask, no later clause. Both parts are normalized (`normalize`) as the whole ask is,
and keyed by the whole ask's normalized text (the texts the pair features read; the first raw
text of a normalized text decides).

The features of a pair (a, b) (each appended to `pair_model.DENSE_FEATURES` for this process
only, through `feature_trials.DenseFeatures`; nothing in pipeline/ changes), with F(x) the first
clause, L(x) the later clauses and W(x) the whole normalized ask:
- first_meaning_min / first_meaning_max: the min / max of the LSA meaning cosine (as `meaning`:
  the shipped similarity model's unit vectors, clipped to 0-1, 0 where a text has no known
  term) of F(a) against W(b) and of W(a) against F(b);
- first_ratio_min / first_ratio_max: the same of rapidfuzz token_set_ratio (0-1);
- compound_one: exactly one of the two asks is compound; compound_both: both are;
- later_meaning / later_ratio: the max over the two directions of the LSA cosine /
  token_set_ratio of L(x) against W(y), counted only where x is compound (else 0): a compound
  ask should NOT join the cluster of its second action.
For two asks neither of which is compound, the first_* features equal `meaning` and the
token_set_ratio the recipe already reads, and the others are 0.

The variants (named before any score; no other will be tried):
- today: `train_pairs.CONFIG` as shipped (the baseline);
- A first: today + first_meaning_min, first_meaning_max, first_ratio_min, first_ratio_max,
  compound_one, compound_both;
- B first+later: A + later_meaning, later_ratio.
Learner and regularization: today's recipe unchanged (liblinear logistic regression, L2, C 3,
seeded); the new features enter unscaled (0-1, as `meaning` and the indicators do).

1. The bar (the 12 TUNING reviews, bench/gold only; the five TEST reviews of ../shared/data/gold
   are never run): leave one review out, each fold's pair model trained on the 11 others,
   clustering the held-out review at the defaults (`ClusterSettings(pair_model=...)`), today's
   recipe beside both variants in the same run. A variant passes if its mean held-out F1 gain
   over today is >= +0.02 AND its mean precision gain is > 0 (strictly up) AND its F1 is higher
   (strictly, unrounded) on >= 8 of 12. At most one is chosen: the passing variant of the
   highest mean F1. Every fold, the means and the lowest F1 are printed; then each arm trained
   on all 12 and scored on them (in-sample, reported only).
2. The single final check (--final VARIANT, run once, only if 1 passes, and only after the
   chosen variant is committed here): today's recipe and the chosen variant, each pair model
   trained on the 12 tuning reviews, on the 45 reviews of FRESH + UNSEEN + LATEST + NEWEST +
   FINAL pooled (bench/review_groups.py; as latent_more_trial and object_trial). Bar
   (`feature_trials.print_later`): pooled mean F1 gain >= +0.01 AND pooled mean precision not
   lower by more than 0.005 AND F1 higher on >= 24 of 45. Printed per review and per group.
   data/models/* are not replaced; the lead decides about shipping.

--look (unscored): how many asks of the 12 tuning reviews the rule calls compound, and a few
of their splits: 445 of 2066 (469 before the two fixes named above).

Measured, 1 (2026-12-06, one run, 1735 s on the 2-core machine shared with four other helpers'
jobs: `.venv/bin/python bench/firstpart_trial.py`, log /tmp/firstpart_tuning.log). Held-out
P/R/F1, today / A first / B first+later:
  Kazakhstan 2014   0.82/0.74/0.78  0.84/0.73/0.78  0.84/0.73/0.78
  Madagascar 2014   0.78/0.71/0.74  0.79/0.69/0.74  0.79/0.69/0.74
  Malaysia 2013     0.59/0.63/0.61  0.63/0.65/0.64  0.61/0.63/0.62
  Colombia 2013     0.48/0.47/0.48  0.43/0.44/0.43  0.43/0.44/0.43
  Senegal 2013      0.65/0.78/0.71  0.65/0.75/0.70  0.65/0.75/0.70
  India 2012        0.78/0.80/0.79  0.75/0.80/0.78  0.75/0.80/0.78
  Tunisia 2012      0.67/0.26/0.38  0.67/0.32/0.43  0.71/0.32/0.44
  Sri Lanka 2012    0.63/0.52/0.57  0.56/0.54/0.55  0.56/0.54/0.55
  Ghana 2012        0.45/0.67/0.54  0.45/0.69/0.55  0.45/0.69/0.55
  Brazil 2012       0.69/0.45/0.55  0.69/0.49/0.57  0.69/0.49/0.57
  Japan 2012        0.75/0.75/0.75  0.75/0.74/0.74  0.75/0.74/0.74
  Ukraine 2012      0.81/0.56/0.66  0.81/0.56/0.66  0.81/0.56/0.66
  mean              0.67/0.61/0.63  0.67/0.62/0.63  0.67/0.61/0.63
  lowest F1         0.38            0.43            0.43
- A first: F1 +0.0023, precision -0.0051, better on 4, worse on 7: FAILS the bar;
- B first+later: F1 +0.0014, precision -0.0034, better on 4, worse on 7: FAILS.
Nothing chosen; the final check (2) was not run, and no review outside the 12 was read.
In-sample (trained on all 12): today 0.89/0.89/0.885, A 0.88/0.88/0.877, B 0.88/0.88/0.879.
Read after the verdict (not a choice; /tmp/fp_after.py, 90 s): trained on the 12, A weighs
first_meaning_min +2.36, first_meaning_max +1.53, first_ratio_max +2.47, first_ratio_min +0.25,
compound_one -0.28, compound_both -0.07, and `meaning` falls to +0.90 (the first_* features
equal `meaning` and token_set_ratio on every pair of two asks neither compound, so they take
its weight); B's later_meaning -0.69 and later_ratio +0.70 cancel. The rule against the gold's
`low` marks on the 12 (a mark the method gives compound asks and broader/narrower ones alike):
compound and low 283, compound only 162, low only 617, neither 1004. A structural limit: the
training leaves out, and the score counts neither way, a pair with a `low` member of one gold
cluster, so a compound ask put in its first action's cluster earns nothing; the features can
only help by keeping compound asks out of other clusters, and precision did not rise.

Run: .venv/bin/python bench/firstpart_trial.py [--look | --final VARIANT]
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
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
from feature_trials import DenseFeatures, held_out, later_reviews, print_later, run
from rapidfuzz import fuzz, process
from subject_trial import VERBS, objects

from uprdex.pipeline import train_pairs
from uprdex.pipeline.clusters import cluster, load_treaties, normalize
from uprdex.pipeline.clusters.normalize import stem, strip_states
from uprdex.pipeline.semantic import SemanticModel
from uprdex.pipeline.settings import ClusterSettings

TODAY = "today"
FIRST = (
    "first_meaning_min",
    "first_meaning_max",
    "first_ratio_min",
    "first_ratio_max",
    "compound_one",
    "compound_both",
)
LATER = ("later_meaning", "later_ratio")
VARIANTS: dict[str, tuple[str, ...]] = {
    TODAY: (),
    "A first": FIRST,
    "B first+later": FIRST + LATER,
}

Floats = npt.NDArray[np.float64]

# "Strengthen the NHRI and ensure its independence (Chile);", "Combat violence against women,
# including by adopting a comprehensive law (Spain);", "Ratify the CRPD as well as take steps
# to ...": a separator, optional fillers, then the word that may be a second main verb.
SEPARATOR = re.compile(
    r"(?:\s*;|,?\s+and|,?\s+including(?:\s+by)?|,?\s+as\s+well\s+as)\s+"
    r"(?:(?:to|also|further|then|in\s+particular|\w+ly)\s+)*([A-Za-z]+)\b",
    re.IGNORECASE,
)
_NOT_VERB_STEMS = """
    nation effort polici area field full fulli line view immedi urgent re posit progress regard
    accord prompt favour place order effect step work support final initi activ studi design
    includ"""
NOT_VERBS = frozenset(_NOT_VERB_STEMS.split())
"""Stems of `VERBS` that after "and" mostly name a thing or a manner, not a second action
("including" is a separator itself)."""
MAIN_VERBS = VERBS - NOT_VERBS
NOT_VERB_FORM = re.compile(r"(?:tion|sion|ment|ance|ence|ity|al|ive|ed|[^s]s)$")
"""Plurals, nominalisations, adjectives: "and cooperation", "and national", "and rights"."""


def split(text: str) -> tuple[str, str]:
    """(first clause, later clauses) of an ask as printed; later "" when it is not compound."""
    body = strip_states(text)
    treaties = load_treaties()
    for match in SEPARATOR.finditer(body):
        word = match.group(1).lower()
        if stem(word) not in MAIN_VERBS or NOT_VERB_FORM.search(word):
            continue
        first = body[: match.start()]
        # "to effectively promote and protect the rights of the child": two verbs of one object.
        last = first.rsplit(None, 1)[-1].lower() if first.strip() else ""
        if stem(last) in MAIN_VERBS and not NOT_VERB_FORM.search(last):
            continue
        if objects(normalize(first, treaties)):
            return first, body[match.start(1) :]
    return body, ""


_SPLITS: dict[str, tuple[str, str]] = {}
"""Normalized whole ask -> (normalized first clause, normalized later clauses or "")."""


def remember_splits(reviews: Sequence[Review]) -> None:
    """The normalized parts of every ask of `reviews`, keyed by its normalized text."""
    treaties = load_treaties()
    for review in reviews:
        for item in review.items:
            whole = normalize(item.text, treaties)
            if whole not in _SPLITS:
                first, later = split(item.text)
                _SPLITS[whole] = (
                    normalize(first, treaties) if later else whole,
                    normalize(later, treaties) if later else "",
                )


class Parts:
    """What the trial's features read of one set of pair inputs' texts, computed once."""

    def __init__(self, inputs: Any) -> None:
        texts = list(inputs.texts)
        found = [_SPLITS.get(text, (text, "")) for text in texts]
        self.inputs = inputs
        self.whole = texts
        self.first = [first for first, _ in found]
        self.later = [later for _, later in found]
        self.compound = np.array([bool(later) for later in self.later])
        model = _semantic()
        self.first_vectors = model.vectors(self.first)
        self.later_vectors = model.vectors([later or "" for later in self.later])


_MODEL: list[SemanticModel] = []
_PARTS: list[Parts] = []
"""The last inputs read: a clustering scores its pairs chunk by chunk over one set of inputs."""


def _semantic() -> SemanticModel:
    if not _MODEL:
        _MODEL.append(SemanticModel.load(ClusterSettings().similarity_model))
    return _MODEL[0]


def parts(inputs: Any) -> Parts:
    """The trial's parts of `inputs`' texts, built once per inputs."""
    if not _PARTS or _PARTS[0].inputs is not inputs:
        _PARTS[:] = [Parts(inputs)]
    return _PARTS[0]


def _cosine(left: npt.NDArray[np.float32], right: npt.NDArray[np.float32]) -> Floats:
    """Row-wise cosine of unit rows, clipped to 0-1 (0 where either row is all zeros)."""
    return np.clip(np.einsum("ij,ij->i", left, right, dtype=np.float64), 0, 1)


def _ratio(left: Sequence[str], right: Sequence[str]) -> Floats:
    """Row-wise token_set_ratio, 0-1 (0 where either text is empty)."""
    if not len(left):
        return np.zeros(0)
    scores = process.cpdist(left, right, scorer=fuzz.token_set_ratio, dtype=np.float32)
    return np.asarray(scores, dtype=np.float64) / 100


def _columns(inputs: Any, pairs: npt.NDArray[np.int64], active: tuple[str, ...]) -> Floats:
    found = parts(inputs)
    a, b = pairs[:, 0].tolist(), pairs[:, 1].tolist()
    whole, first = found.whole, found.first
    vectors = np.asarray(inputs.vectors, dtype=np.float32)
    meaning = (
        _cosine(found.first_vectors[a], vectors[b]),
        _cosine(vectors[a], found.first_vectors[b]),
    )
    ratio = (
        _ratio([first[i] for i in a], [whole[j] for j in b]),
        _ratio([whole[i] for i in a], [first[j] for j in b]),
    )
    compound_a, compound_b = found.compound[a], found.compound[b]
    columns: dict[str, Floats] = {
        "first_meaning_min": np.minimum(*meaning),
        "first_meaning_max": np.maximum(*meaning),
        "first_ratio_min": np.minimum(*ratio),
        "first_ratio_max": np.maximum(*ratio),
        "compound_one": (compound_a != compound_b).astype(np.float64),
        "compound_both": (compound_a & compound_b).astype(np.float64),
    }
    if "later_meaning" in active:
        later = found.later
        later_meaning = (
            _cosine(found.later_vectors[a], vectors[b]) * compound_a,
            _cosine(vectors[a], found.later_vectors[b]) * compound_b,
        )
        later_ratio = (
            _ratio([later[i] for i in a], [whole[j] for j in b]) * compound_a,
            _ratio([whole[i] for i in a], [later[j] for j in b]) * compound_b,
        )
        columns["later_meaning"] = np.maximum(*later_meaning)
        columns["later_ratio"] = np.maximum(*later_ratio)
    return np.stack([columns[name] for name in active], axis=1)


FEATURES = DenseFeatures(VARIANTS, _columns)


def trained(train: Sequence[Review], variant: str) -> Path:
    """A pair model of `variant` trained on `train` (its features active from here on)."""
    FEATURES.use(variant)
    folder = scratch_folder("uprdex-firstpart-")
    train_pairs.train_reviews([labelled(r) for r in train], folder)
    return folder


def scored(train: Sequence[Review], variant: str, held: Sequence[Review]) -> list[Score]:
    """`held` clustered at the defaults by `variant` trained on `train`."""
    settings = replace(ClusterSettings(), pair_model=trained(train, variant))
    _PARTS.clear()
    return [score(cluster(r.items, settings).assignment, r.gold) for r in held]


def passes(results: dict[str, list[Score]], arm: str) -> bool:
    """Print `arm` against today's and the bar of 1; whether it passes."""
    pairs = list(zip(results[TODAY], results[arm], strict=True))
    gain = statistics.fmean(b.f1 - a.f1 for a, b in pairs)
    precision = statistics.fmean(b.precision - a.precision for a, b in pairs)
    higher = sum(b.f1 > a.f1 for a, b in pairs)
    ok = gain >= 0.02 and precision > 0 and higher >= 8
    print(
        f"  bar (F1 >= +0.02, precision > 0, better on >= 8 of {len(pairs)}): {arm} F1 "
        f"{gain:+.4f}, precision {precision:+.4f}, better on {higher}, worse on "
        f"{sum(b.f1 < a.f1 for a, b in pairs)}, lowest F1 {min(b.f1 for _, b in pairs):.2f}: "
        f"{'PASSES' if ok else 'fails'}"
    )
    return ok


def tuning() -> None:
    """Leave one tuning review out, every arm; the bar; then in-sample."""
    reviews = load_reviews(tuning=True, tests=False)
    remember_splits(reviews)
    print(f"== tuning reviews only, leave one out ({len(reviews)} reviews)")
    results = held_out(reviews, list(VARIANTS), scored)
    print_gains(reviews, results)
    passing = [name for name in list(VARIANTS)[1:] if passes(results, name)]
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
    remember_splits([*tuning_reviews, *pooled])
    print(f"== {len(pooled)} {'+'.join(g.upper() for g in groups)} reviews, both trained on the 12")
    results = {arm: scored(tuning_reviews, arm, pooled) for arm in (TODAY, variant)}
    print_later(groups, results, variant)


def look() -> None:
    """Unscored: how many tuning asks the rule calls compound, and a few splits."""
    reviews = load_reviews(tuning=True, tests=False)
    asks = [item.text for review in reviews for item in review.items]
    found = [(text, *split(text)) for text in asks]
    compound = [f for f in found if f[2]]
    print(f"  {len(compound)} of {len(asks)} tuning asks compound")
    for text, first, later in compound[:: max(1, len(compound) // 25)]:
        print(f"  {text[:160]!r}\n    FIRST {first[:100]!r}\n    LATER {later[:100]!r}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--look", action="store_true", help="unscored: the rule's splits")
    parser.add_argument("--final", metavar="VARIANT", choices=list(VARIANTS)[1:])
    args = parser.parse_args()
    if args.look:
        return run(look)
    if args.final:
        return run(partial(final, args.final))
    return run(tuning)


if __name__ == "__main__":
    sys.exit(main())
