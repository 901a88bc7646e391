"""The recurring gold's cross-cycle links as extra training pairs for the pair model (#19).

The shipped pair model (`train_pairs.CONFIG`, revision 4) was trained (until session 38) on the
12 TUNING reviews' cluster gold only (bench/gold/pairs_training.csv); held out on them it scores
about 0.68/0.61/0.63 (P/R/F1), in-sample 0.89: its per-term weights memorise the training
reviews' words, and most missed pairs are one commitment worded many ways. The recurring gold of
bench/gold (`STATE_Y1_Y2_recurring.csv`, CROSS_CYCLE_METHOD.md: a later ask that asks "the same
core action on the same object" as an earlier one) holds hundreds of labelled paraphrase pairs
of 13 more States, worded years apart. Never measured: those as training pairs.

PRE-REGISTERED (committed before the first scored run; nothing below is chosen after a score).

The rows. Only the 13 tuning recurring pairs of bench/recurrence_more.py (`ALLOWED`:
bench/recurrence_protocol.py TUNING + KEPT_ASIDE + MORE_TUNING: Kazakhstan, Uruguay, Belize,
Tunisia, Ghana, Sri Lanka, Egypt, Albania, Botswana, Central African Republic, Cyprus,
Portugal, Slovakia); its FRESH six and Viet Nam are never read. For each pair, every later x
earlier pair of the two reports' asks (texts as `uprdex ingest` prints them) is a row: a `high`
link of the CSV is a positive, a `low` link is left out, every other later x earlier pair is a
negative. No row is made of two asks of one report (the recurring gold does not label them).
The features are today's (`train_pairs.features` with `CONFIG`: the dense features, the
token_set_ratio, the word vectors' centroid, the terms), read from one `train_pairs.
review_inputs` of the later and the earlier texts together, without ids (no places).

How they enter (declared before any score). The shipped recipe fits two classifiers
(`train_pairs.fit`): the positional one (the position columns, centred; what scores a pair with
two places in one report: every within-review pair of the cycle-2 reviews clustered here) and
PLAIN beside it (no position columns; what scores pairs of two reports, the recurring asks).
- Positional fit: the cross rows are appended with their position columns at the centre (0, as
  `positions.centred` gives any pair without two places in one report) and one more column,
  `cross_report`, 1 on the cross rows and 0 on the within-review rows; its weight absorbs the
  cross rows' other base rate (the mechanics check prints both row counts).
  The arrays written drop that column's weight: at inference it is 0 (every pair clustered is
  within one report). Same learner (liblinear, L2, C 3, seeded), same everything else.
- PLAIN: unchanged (fitted on the within-review rows only, as today): the recurring asks and
  the export's scope "all" score as before (the run checks its arrays equal today's), so the
  only change is the classifier that clusters a review.
- The map onto today's scale (`scale_from`, `scale_to`): from the within-review training pairs
  only, as today (the probabilities read with `cross_report` 0).
The patch is in this process only: `train_pairs.fit` runs with sklearn's `LogisticRegression`
replaced by `CrossLogistic` for its duration (the positional fit, told apart by its width,
gets the rows; any other fit runs as it is); nothing in pipeline/ changes.

Leakage: when a TUNING cluster review R is held out, every recurring pair of R's State is
dropped from that fold's cross rows (Kazakhstan 2014, Tunisia 2012, Ghana 2012 and Sri Lanka
2012 are the later reports of four recurring pairs); the run asserts no fold trains on a cross
row of its held-out State.

The variants (named before any score):
- "A cross": today's recipe + the cross rows, each of weight 1 (as the within-review rows);
- "B cross, one review's weight": the same rows, each weighted so that their total weight
  equals one average training review's (the fold's within-review rows / its training reviews),
  the within rows weight 1 (liblinear takes `sample_weight`).

The bar (step 1). The 12 TUNING reviews (bench/review_groups.py), leave one review out: each
fold's models trained on the 11 others (+ the allowed cross rows, less the held-out State's),
clustering the held-out review at the defaults (`ClusterSettings(pair_model=...)`); today's
recipe ("today") beside them in the same run. A variant passes only if its mean held-out F1
gain over today's is >= +0.02 AND its F1 is strictly higher on >= 8 of 12 AND its mean
precision is not lower by more than 0.005 (`feature_trials.judge`). At most one is chosen: the
best mean F1 among those passing. Printed: every fold, the means, the lowest F1; then each
recipe trained on all 12 (+ all 13 pairs' rows) and scored on them (in-sample, reported only);
the seconds each training took (cost, reported only: today vs with the rows).

Before any score, a mechanics check (`--check`, unscored: no review is clustered): the rows of
each pair file (later and earlier asks, cross pairs, positives, low links left out, negatives,
gold links whose asks uprdex does not print), which recurring pair each held-out review drops,
that no fold trains on its held-out State, that no check review's State is among the 13, and one
fold trained by A beside today's (seconds; the PLAIN arrays equal; `cross_report`'s weight).

Step 2 (the single final check) is declared here only if a variant passes step 1, in a commit
before it runs. If none passes, nothing else runs and nothing ships.

Measured, the mechanics (2026-12-05, 44 s: .venv/bin/python bench/xcycle_trial.py --check):
190,791 cross rows of the 13 pairs, 1,528 positive (high), 1,587 low links left out, no gold
link of an ask uprdex does not print; per pair (later x earlier asks: rows, positive): Kazakhstan
194 x 128: 24,688, 181; Uruguay 188 x 88: 16,397, 187; Belize 103 x 46: 4,663, 82; Tunisia 125 x
12: 1,454, 11; Ghana 148 x 34: 4,966, 106; Sri Lanka 204 x 80: 16,203, 115; Egypt 300 x 165:
49,167, 250; Albania 165 x 106: 17,349, 109; Botswana 175 x 27: 4,671, 99; Central African
Republic 178 x 99: 17,476, 191; Cyprus 105 x 70: 7,279, 74; Portugal 151 x 89: 13,289, 45;
Slovakia 146 x 91: 13,189, 78. Held out, Kazakhstan 2014, Tunisia 2012, Sri Lanka 2012 and Ghana
2012 each drop their State's pair (166,103 / 189,337 / 174,588 / 185,825 cross rows left), the
others train on all 190,791; the within-review rows of a fold: 152,840-171,766 (861-973
positive). So A more than doubles the positives of a fold. One fold (Kazakhstan 2014 out): the
PLAIN arrays equal today's, the same keys and shapes, `cross_report`'s weight +1.16; training
8.6 s today, 17.6 s A.

Measured, step 1 (2026-12-05, one run, 1,634 s on a shared machine: .venv/bin/python
bench/xcycle_trial.py), held out, P/R/F1:

| review | today | A cross | B cross, one review's weight |
|---|---|---|---|
| Kazakhstan 2014 | 0.82/0.74/0.78 | 0.86/0.71/0.78 | 0.84/0.77/0.81 |
| Madagascar 2014 | 0.78/0.71/0.74 | 0.84/0.79/0.81 | 0.82/0.67/0.74 |
| Malaysia 2013 | 0.59/0.63/0.61 | 0.52/0.70/0.60 | 0.70/0.72/0.71 |
| Colombia 2013 | 0.48/0.47/0.48 | 0.39/0.40/0.40 | 0.38/0.49/0.43 |
| Senegal 2013 | 0.65/0.78/0.71 | 0.70/0.73/0.71 | 0.67/0.78/0.72 |
| India 2012 | 0.78/0.80/0.79 | 0.55/0.87/0.67 | 0.75/0.84/0.79 |
| Tunisia 2012 | 0.67/0.26/0.38 | 0.58/0.37/0.45 | 0.65/0.34/0.45 |
| Sri Lanka 2012 | 0.63/0.52/0.57 | 0.54/0.54/0.54 | 0.62/0.54/0.58 |
| Ghana 2012 | 0.45/0.67/0.54 | 0.34/0.71/0.46 | 0.44/0.69/0.54 |
| Brazil 2012 | 0.69/0.45/0.55 | 0.76/0.48/0.59 | 0.74/0.44/0.55 |
| Japan 2012 | 0.75/0.75/0.75 | 0.71/0.73/0.72 | 0.74/0.70/0.72 |
| Ukraine 2012 | 0.81/0.56/0.66 | 0.80/0.65/0.71 | 0.82/0.59/0.69 |
| mean | 0.67/0.61/0.63 | 0.63/0.64/0.62 | 0.68/0.63/0.64 |
| lowest F1 | 0.38 | 0.40 | 0.43 |

- A cross: F1 -0.0088, precision -0.0424, better on 5, worse on 7: FAILS (India 2012 precision
  0.78 -> 0.55, Ghana 0.45 -> 0.34, Colombia 0.48 -> 0.39; a reading, not measured: rows of
  weight 1, as many as the within-review ones, teach "the same ask across years", looser than
  one commitment within a review);
- B cross, one review's weight: F1 +0.0145, precision +0.0065, better on 8, worse on 4 (Colombia
  0.48 -> 0.43, Japan 0.75 -> 0.72, and two of Madagascar, India, Ghana and Brazil, equal at two
  decimals), lowest F1 0.38 -> 0.43: FAILS (the gain is under +0.02; the count and the
  precision conditions are met).
Chosen: none. In-sample (trained on all twelve + all 13 pairs' rows, reported only): today
0.89/0.89/0.885, A 0.85/0.87/0.860, B 0.88/0.88/0.879. Cost (training seconds per model, mean
of the 12 held-out folds, same run, machine shared with another agent): today 31.5 s, A 49.9 s,
B 43.6 s (the cross rows' features are read once per run, in the 25 s of loading: 16 s in the
mechanics run). Step 2 was not declared and not run: no FRESH, UNSEEN, LATEST, NEWEST, FINAL or
TEST review was read; pipeline/ and data/models unchanged.

Run: .venv/bin/python bench/xcycle_trial.py --check        (the mechanics, unscored)
     .venv/bin/python bench/xcycle_trial.py                (step 1)
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import feature_trials
import numpy as np
import numpy.typing as npt
import sklearn.linear_model  # type: ignore[import-untyped]
from cluster_protocol import (
    Review,
    Score,
    indexed_items,
    labelled,
    load_reviews,
    mean_cell,
    print_gains,
    score,
    scratch_folder,
)
from feature_trials import TODAY, judge, run
from recurrence_protocol import KEPT_ASIDE, MORE_TUNING, Pair, recurring_gold
from recurrence_protocol import TUNING as RECURRING_TUNING
from review_groups import FINAL, FRESH, LATEST, NEWEST, UNSEEN
from scipy import sparse  # type: ignore[import-untyped]

from uprdex.pipeline import train_pairs
from uprdex.pipeline.clusters import ClusterItem, cluster
from uprdex.pipeline.clusters.positions import POSITION_FEATURES
from uprdex.pipeline.settings import ClusterSettings
from uprdex.pipeline.train_pairs import CONFIG, LabelledReview

ALLOWED: tuple[Pair, ...] = (*RECURRING_TUNING, *KEPT_ASIDE, *MORE_TUNING)
"""The 13 tuning recurring pairs (bench/recurrence_more.py); FRESH and Viet Nam never."""
A = "A cross"
B = "B cross, one review's weight"
VARIANTS = (TODAY, A, B)
BAR = (0.02, 8)
"""Mean held-out F1 gain, reviews with a higher F1 (of 12); precision -0.005 at most (judge)."""
REAL_LOGISTIC = sklearn.linear_model.LogisticRegression
REAL_FIT = train_pairs.fit


@dataclass(frozen=True)
class Cross:
    """One recurring pair's training rows: every later x earlier pair but the low links."""

    name: str
    state: str
    rows: Any
    """csr, the positional fit's columns (position columns 0), without `cross_report`."""
    labels: npt.NDArray[np.int8]
    later: int
    earlier: int
    low: int
    unprinted: int


def cross_rows(pair: Pair, earlier: Sequence[ClusterItem], later: Sequence[ClusterItem]) -> Cross:
    """The pair's `Cross`: today's features of every later x earlier pair, labelled by the CSV."""
    high, low = recurring_gold(pair)
    printed = {item.id for item in (*earlier, *later)}
    unprinted = sum(not (a in printed and b in printed) for a, b in high | low)
    texts = tuple(item.text for item in (*later, *earlier))
    both = LabelledReview(pair.name, texts, ("",) * len(texts), ("high",) * len(texts))
    words = train_pairs._word_vectors(CONFIG)
    inputs, _ = train_pairs.review_inputs(both, words)
    left, right = np.meshgrid(
        np.arange(len(later)), len(later) + np.arange(len(earlier)), indexing="ij"
    )
    pairs = np.stack([left.ravel(), right.ravel()], axis=1).astype(np.int64)
    ids = [item.id for item in (*later, *earlier)]
    labels = np.array(
        [
            1 if (ids[a], ids[b]) in high else -1 if (ids[a], ids[b]) in low else 0
            for a, b in pairs.tolist()
        ],
        dtype=np.int8,
    )
    keep = labels >= 0
    rows = train_pairs.features(
        inputs,
        pairs[keep],
        list(CONFIG["scorers"]),
        train_pairs._term_scale(float(CONFIG["term_scale"]), float(CONFIG["common_terms"])),
        None,
        tuple(float(k) for k in CONFIG["meaning_knots"]),
        tuple(CONFIG["vector_features"]),
        np.zeros(len(POSITION_FEATURES)),
    )
    state = later[0].state_under_review
    return Cross(
        pair.name,
        state,
        rows,
        labels[keep],
        len(later),
        len(earlier),
        int((~keep).sum()),
        unprinted,
    )


def load_cross() -> list[Cross]:
    """The `Cross` of each allowed pair (one ingest of their 26 reports)."""
    by_symbol = indexed_items([pdf for p in ALLOWED for pdf in (p.earlier_pdf, p.later_pdf)])
    return [cross_rows(p, by_symbol[p.earlier_symbol], by_symbol[p.later_symbol]) for p in ALLOWED]


class Arm:
    """What the patched fit adds: the cross rows in use, how they weigh, what it learned."""

    rows: Sequence[Cross] = ()
    weighted = False
    reviews = 0
    cross_weight: float | None = None


class CrossLogistic:
    """sklearn's LogisticRegression for `train_pairs.fit`: the positional fit (the width of the
    cross rows) gets `Arm.rows` with a `cross_report` column, whose weight it drops; any other
    fit is the real one."""

    def __init__(self, **kwargs: Any) -> None:
        self.inner = REAL_LOGISTIC(**kwargs)
        self.extended = False

    def fit(self, rows: Any, y: npt.NDArray[Any]) -> CrossLogistic:
        width = Arm.rows[0].rows.shape[1] if Arm.rows else -1
        if rows.shape[1] != width:
            self.inner.fit(rows, y)
            self.coef_, self.intercept_ = self.inner.coef_, self.inner.intercept_
            return self
        x = sparse.vstack([c.rows for c in Arm.rows]).tocsr()
        cross_y = np.concatenate([c.labels for c in Arm.rows])
        each = len(y) / Arm.reviews / len(cross_y) if Arm.weighted else 1.0
        self.extended = True
        self.inner.fit(
            self._with(sparse.vstack([rows, x]).tocsr(), len(y)),
            np.concatenate([y, cross_y]),
            sample_weight=np.concatenate([np.ones(len(y)), np.full(len(cross_y), each)]),
        )
        self.coef_ = self.inner.coef_[:, :-1]
        self.intercept_ = self.inner.intercept_
        Arm.cross_weight = float(self.inner.coef_[0, -1])
        return self

    @staticmethod
    def _with(rows: Any, within: int) -> Any:
        """`rows` and the `cross_report` column: 0 for the first `within`, 1 after."""
        flag = np.zeros((rows.shape[0], 1))
        flag[within:] = 1.0
        return sparse.hstack([rows, sparse.csr_matrix(flag)]).tocsr()

    def predict_proba(self, rows: Any) -> npt.NDArray[np.float64]:
        """With `cross_report` 0: every pair the scale map reads is within one review."""
        out: npt.NDArray[np.float64] = self.inner.predict_proba(
            self._with(rows, rows.shape[0]) if self.extended else rows
        )
        return out


def patched_fit(
    reviews: Sequence[LabelledReview], config: dict[str, Any] | None = None
) -> dict[str, npt.NDArray[Any]]:
    """`train_pairs.fit` with `CrossLogistic` as its learner."""
    sklearn.linear_model.LogisticRegression = CrossLogistic
    try:
        return REAL_FIT(reviews, config)
    finally:
        sklearn.linear_model.LogisticRegression = REAL_LOGISTIC


train_pairs.fit = patched_fit  # type: ignore[assignment]

SECONDS: dict[str, list[float]] = {name: [] for name in VARIANTS}
"""Each arm's training seconds (the cost)."""
CROSS: list[Cross] = []


def allowed_for(train: Sequence[Review]) -> list[Cross]:
    """The cross rows a model trained on `train` may read: every pair whose State is a training
    review's or none of the tuning reviews' (a held-out review's State is dropped)."""
    held_states = {r.items[0].state_under_review for r in TUNING_REVIEWS} - {
        r.items[0].state_under_review for r in train
    }
    return [c for c in CROSS if c.state not in held_states]


TUNING_REVIEWS: list[Review] = []


def trained(train: Sequence[Review], variant: str) -> Any:
    """A pair model folder of `variant` trained on `train`."""
    Arm.rows = allowed_for(train) if variant != TODAY else ()
    Arm.weighted = variant == B
    Arm.reviews = len(train)
    Arm.cross_weight = None
    folder = scratch_folder("uprdex-xcycle-")
    start = time.perf_counter()
    train_pairs.train_reviews([labelled(r) for r in train], folder)
    SECONDS[variant].append(time.perf_counter() - start)
    return folder


def scored(train: Sequence[Review], variant: str, held: Sequence[Review]) -> list[Score]:
    """`held` clustered at the defaults by `variant` trained on `train`."""
    folder = trained(train, variant)
    states = {r.items[0].state_under_review for r in held if r not in train}
    assert not states & {c.state for c in Arm.rows}, "a held-out State's cross rows trained on"
    settings = replace(ClusterSettings(), pair_model=folder)
    return [score(cluster(r.items, settings).assignment, r.gold) for r in held]


def prepare() -> None:
    start = time.perf_counter()
    TUNING_REVIEWS[:] = load_reviews(tuning=True, tests=False)
    CROSS[:] = load_cross()
    print(f"  (reviews and cross rows read in {time.perf_counter() - start:.0f} s)", flush=True)


def check() -> None:
    """The mechanics, unscored."""
    prepare()
    print(f"== the {len(CROSS)} allowed recurring pairs' rows")
    for c in CROSS:
        positives = int((c.labels == 1).sum())
        print(
            f"  {c.name:28} later {c.later:3}, earlier {c.earlier:3}: {c.later * c.earlier:6} "
            f"cross pairs, {positives:4} positive (high), {c.low:4} low left out, "
            f"{len(c.labels) - positives:6} negative; links of unprinted asks {c.unprinted}"
        )
    total = sum(len(c.labels) for c in CROSS)
    print(f"  all: {total} rows, {sum(int((c.labels == 1).sum()) for c in CROSS)} positive")
    names = {c.state for c in CROSS}
    later = [n.rsplit(" ", 1)[0] for g in (FRESH, UNSEEN, LATEST, NEWEST, FINAL) for n in g]
    assert not names & set(later), "a check review's State is among the recurring pairs"
    print(f"  no check review's State among the 13: {sorted(names)}")
    print("== each held-out tuning review's fold")
    for held in TUNING_REVIEWS:
        train = [r for r in TUNING_REVIEWS if r is not held]
        used = allowed_for(train)
        assert held.items[0].state_under_review not in {c.state for c in used}
        dropped = [c.name for c in CROSS if c not in used]
        labels = np.concatenate([train_pairs.labelled_pairs(labelled(r))[1] for r in train])
        print(
            f"  {held.name:16} drops {dropped or 'none'}: {len(used)} pairs, "
            f"{sum(len(c.labels) for c in used)} cross rows "
            f"({sum(int((c.labels == 1).sum()) for c in used)} positive), "
            f"{int((labels >= 0).sum())} within-review rows ({int((labels == 1).sum())} positive)"
        )
    train = TUNING_REVIEWS[1:]
    folders = {name: trained(train, name) for name in (TODAY, A)}
    print(f"== one fold ({TUNING_REVIEWS[0].name} out) trained, seconds: {_seconds()}")
    arrays = {name: np.load(folder / "model.npz") for name, folder in folders.items()}
    plain = [k for k in arrays[TODAY].files if k.startswith("plain_")]
    same = all(np.array_equal(arrays[TODAY][k], arrays[A][k]) for k in plain)
    print(f"  PLAIN arrays equal ({len(plain)}): {same}; same keys and shapes: ", end="")
    print(
        all(arrays[TODAY][k].shape == arrays[A][k].shape for k in arrays[TODAY].files)
        and arrays[TODAY].files == arrays[A].files
    )
    print(f"  cross_report weight (A): {Arm.cross_weight:.3f}")


def _seconds() -> str:
    return ", ".join(
        f"{name} {statistics.fmean(s):.1f} s (n {len(s)})" for name, s in SECONDS.items() if s
    )


def tuning_run(variants: Sequence[str]) -> None:
    """Step 1: leave one tuning review out, the bar, in-sample."""
    prepare()
    print(f"== tuning reviews only, leave one out ({len(TUNING_REVIEWS)} reviews)")
    held = feature_trials.held_out(TUNING_REVIEWS, variants, scored)
    print_gains(TUNING_REVIEWS, held)
    passing = {
        name: statistics.fmean(s.f1 for s in held[name])
        for name in variants[1:]
        if judge(held, name, BAR[0], BAR[1], "bar")
    }
    chosen = max(passing, key=lambda n: passing[n]) if passing else None
    print(f"  chosen: {chosen or 'none'}")
    print(f"  training seconds, held out: {_seconds()}")
    inside = {name: scored(TUNING_REVIEWS, name, TUNING_REVIEWS) for name in variants}
    print(
        "  in-sample (trained on all twelve): "
        + "; ".join(f"{n} {mean_cell(s)}" for n, s in inside.items())
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="the mechanics, unscored")
    args = parser.parse_args()
    return run(check if args.check else lambda: tuning_run(list(VARIANTS)))


if __name__ == "__main__":
    sys.exit(main())
