"""Recurring asks: do word vectors that also read the WG reports' prose find more of them? (#19
part 4, helper corpus2). PRE-REGISTERED: committed before the first scored run.

Why. The recurring asks the index misses are mostly paraphrases the link model gives p < 0.05
("the gender pay gap" vs "disparity of salaries between men and women", "desegregate" vs "Roma
children placed in special schools"). Two human readers agree at F1 0.86; what the index stores
scores 0.66 at P 0.80 on the 13 tuning pairs; the target is F1 0.75 at P 0.80. The vectors "B"
of bench/corpus_vectors_trial.py (the UPR Info export + the 245 WG reports' sentences outside
their conclusions sections, the idf over the export alone; same recipe `train_word_vectors.CONFIG`)
learn such substitutions ("pay" ~ wage, salari; "desegreg" ~ pupil, school). On the clusters
they gave +0.0115 F1 held out (precision -0.001; 12 tuning reviews, leave one out): under that
bench's bar. Here: the recurring asks, where the paraphrases are the misses.

Two arms, everything else the same, in one run:
- "today": the shipped word vectors (data/models/words).
- "B": `corpus_vectors_trial.vectors("B")`.
In each arm, the arm's vectors are used everywhere the vectors are read: the pair model is the
shipped recipe (`train_pairs.CONFIG`, its `centroid` feature reading the arm's vectors, which
the pair model stores a copy of) trained on the 12 TUNING cluster reviews of bench/gold (the
reviews the shipped pair model is trained on), and that pair model scores everything after it:
the link model's features (its pair score, the pair model's dense features, the rare-word
terms), and the default clustering of both reviews whose cross-cycle pairs the index stores.
The link model is trained as bench/recurrence_more.py's arm "recipe on 12" is: the shipped
recipe (`train_recurrence.train`: the logistic regression, its threshold the best mean F1 at
pooled training precision >= 0.85), for each of the 13 tuning pairs (`ALL_TUNING` and
`MORE_TUNING`) left out, trained on the 12 others (their features read by the arm's pair model).
Scored as what the index STORES: the model's links | the default clustering's cross-cycle pairs
(high links must be found, low ones count neither way, any other pair is wrong). The model's
links alone are printed beside, for the record (not part of the bar).

The bar (B against today, over the 13 tuning pairs left out, stored links): B's mean F1 gain
>= +0.02 AND B's mean precision not lower by more than 0.01 AND B's F1 strictly higher on >= 8
of the 13 pairs. Every pair is printed (P, R, F1, found, wrong), then the means and the lowest.

In-run checks, printed: the "today" arm's pair model has the arrays of data/models/pairs (so
this arm is recurrence_more's "recipe on 12" on today's models); `vectors("today")` of
corpus_vectors_trial has the arrays of data/models/words (B's pipeline without the reports
gives today's vectors); and the "today" arm beside recurrence_more's measured "recipe on 12"
(mean P/R/F1 0.815/0.537/0.640, measured on an older main: the models were retrained since on
normalization reading 9, 0b1c9c5, so a difference there is expected and is printed per pair).

The single final check (`--final`), run only if B passes the bar, once, whatever it says: both
arms' link models trained on all 13 tuning pairs (the pair models as above, on the 12 tuning
reviews), scored as stored on Viet Nam 2009 -> 2014 (../shared/data/gold) and the six FRESH
pairs of bench/recurrence_protocol.py (Cameroon, Iraq, Germany, Colombia, Angola, Fiji).
Bar: B's mean stored F1 gain over those 7 >= +0.01 AND its mean stored precision not lower by
more than 0.01. Both arms printed per pair. If B does not pass the tuning bar, `--final` is not
run and neither Viet Nam nor the fresh pairs are read.

No other variant is tried after scores are seen; data/models/* are not replaced.

Measured (2026-12-05, one run, 504 s on the shared 2-core machine, log /tmp/corpus2_tuning.log;
`.venv/bin/python bench/corpus_recurring_trial.py`). Checks: the today arm's pair model has the
arrays of data/models/pairs (True); `vectors("today")` has those of data/models/words (True).
B's vectors: 29,184 export + 65,967 report texts, 5,361 stems (as corpus_vectors_trial's look).
Stored links, each tuning pair left out, P/R/F1, today -> B:

| pair | today | B |
|---|---|---|
| Kazakhstan | 0.833/0.718/0.772 | 0.855/0.718/0.781 |
| Uruguay | 0.894/0.497/0.639 | 0.865/0.513/0.644 |
| Belize | 1.000/0.524/0.688 | 0.976/0.500/0.661 |
| Tunisia | 0.714/0.455/0.556 | 0.833/0.455/0.588 |
| Ghana | 0.927/0.481/0.634 | 0.918/0.425/0.581 |
| Sri Lanka | 0.893/0.583/0.705 | 0.896/0.600/0.719 |
| Egypt | 0.696/0.476/0.565 | 0.711/0.492/0.582 |
| Albania | 0.809/0.505/0.621 | 0.779/0.486/0.599 |
| Botswana | 0.791/0.687/0.735 | 0.819/0.687/0.747 |
| Central African Rep. | 0.888/0.497/0.638 | 0.885/0.524/0.658 |
| Cyprus | 0.830/0.595/0.693 | 0.827/0.581/0.683 |
| Portugal | 0.540/0.600/0.568 | 0.543/0.556/0.549 |
| Slovakia | 0.735/0.462/0.567 | 0.723/0.436/0.544 |
| mean of 13 | 0.812/0.545/0.645 | 0.818/0.536/0.641 |
| lowest | F1 0.556, P 0.540 | F1 0.544, P 0.543 |

The model's links alone, mean P/R/F1: today 0.836/0.496/0.616, B 0.836/0.486/0.609.
B vs today, stored: F1 -0.0035, precision +0.0063, better on 7, worse on 6 of 13. B does not
pass the bar (the F1 gain is under +0.02, and better on 7 < 8). So the declared final check
(`--final`) was not run, and neither Viet Nam nor the fresh pairs were read.

Today against recurrence_more's "recipe on 12" (0.815/0.537/0.640): 0.812/0.545/0.645. Per pair
within 0.011 F1 but for Albania +0.140, Central African Republic -0.035, Tunisia -0.032, Cyprus
+0.026, Botswana -0.021. Since recurrence_more was measured (f03b145) the treaty-protocol
readings changed (3954766: "Albania 2010 -> 2014 lost 14 recurring links this way"; 950fe95,
dbbfa4c), the places of a pair were read per report (e4dc875, b6ec333), and the models were
retrained three times (b66e0b2, 2c130eb, 0b1c9c5); the pair model and vectors here are the
shipped ones (checked), so the difference is those changes, not this bench.

Run: .venv/bin/python bench/corpus_recurring_trial.py [--final]
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import numpy as np
from cluster_protocol import GOLD, Review, labelled, load_reviews, scratch_folder
from corpus_vectors_trial import REPORTS, vectors
from recurrence_cases import Links, groups
from recurrence_learned import ALL_TUNING, STORED, examples
from recurrence_protocol import FRESH, MORE_TUNING, TEST, Pair
from word_vectors_trial import EXPORT

from uprdex.pipeline.clusters.pair_model import DEFAULT_MODEL_DIR as PAIRS_DIR
from uprdex.pipeline.model_files import MODEL_FILE
from uprdex.pipeline.settings import ClusterSettings
from uprdex.pipeline.train_pairs import train_reviews
from uprdex.pipeline.train_recurrence import Example, pair_scores, train
from uprdex.pipeline.word_vectors import DEFAULT_MODEL_DIR as WORDS_DIR

ARMS = ("today", "B")
TUNING_PAIRS = (*ALL_TUNING, *MORE_TUNING)
"""The 13 tuning pairs, in bench/recurrence_more.py's order."""
BAR = (0.02, -0.01, 8)
"""B against today, over the 13 tuning pairs left out: mean stored F1 gain, mean stored
precision difference (at least), pairs with a strictly higher F1."""
FINAL_BAR = (0.01, -0.01)
"""`--final`: mean stored F1 gain and precision difference (at least) over the 7 pairs."""
RECIPE_ON_12 = (0.815, 0.537, 0.640)
"""recurrence_more's "recipe on 12", mean stored P/R/F1 (its docstring, an older main)."""
RECIPE_ON_12_F1 = (
    *(0.775, 0.642, 0.693, 0.588, 0.634, 0.708, 0.575),
    *(0.481, 0.756, 0.673, 0.667, 0.568, 0.556),
)
"""Its F1 per pair, in `TUNING_PAIRS`' order."""

Scores = tuple[float, float, float, int, int]
Case = tuple[Example, Links]
"""A pair's example (features, labels) read with an arm's pair model, and its default
clustering's cross-cycle pairs (later x earlier: both in one cluster)."""


def same_arrays(one: Path, other: Path) -> bool:
    """Whether two model folders hold equal arrays (model.npz)."""
    with np.load(one / MODEL_FILE) as a, np.load(other / MODEL_FILE) as b:
        return set(a.files) == set(b.files) and all(np.array_equal(a[k], b[k]) for k in a.files)


def arm_vectors(arm: str) -> Path:
    """The arm's word vectors folder."""
    return WORDS_DIR if arm == "today" else vectors(arm)


@cache
def tuning_reviews() -> tuple[Review, ...]:
    """The 12 tuning cluster reviews of bench/gold (one ingest per run)."""
    return tuple(load_reviews(tuning=True, tests=False))


def pair_model(arm: str) -> Path:
    """The shipped pair recipe trained on the 12 tuning reviews with the arm's vectors."""
    reviews = tuning_reviews()
    folder = scratch_folder(f"uprdex-corpus2-pairs-{arm}-")
    config = {} if arm == "today" else {"word_vectors": str(arm_vectors(arm))}
    start = time.perf_counter()
    train_reviews([labelled(r) for r in reviews], folder, config)
    print(
        f"  {arm}: pair model trained on {len(reviews)} tuning reviews "
        f"({time.perf_counter() - start:.0f} s)",
        flush=True,
    )
    return folder


def cases(pairs: Sequence[Pair], folder: Path) -> list[Case]:
    """Each pair's `Case`, every feature and the clustering read with the pair model `folder`."""
    settings = ClusterSettings(pair_model=folder)
    out = []
    for example, _ in examples(tuple(pairs), settings):
        earlier, later = STORED[example.name]
        later_cluster, earlier_cluster = groups(earlier, later, settings)
        out.append((example, later_cluster[:, None] == earlier_cluster[None, :]))
    return out


def scored(training: Sequence[Case], case: Case) -> tuple[Scores, Scores]:
    """(stored, model alone) on `case` with the link model trained on `training`."""
    model = train([example for example, _ in training])
    example, same_cluster = case
    links = model.probability(example.features) >= model.threshold
    return (
        pair_scores((links | same_cluster).astype(np.float64), example.labels, 0.5),
        pair_scores(links.astype(np.float64), example.labels, 0.5),
    )


def _mean(rows: Sequence[Scores], at: int) -> float:
    return float(np.mean([row[at] for row in rows]))


def _cell(row: Scores) -> str:
    return f"P {row[0]:.3f} R {row[1]:.3f} F1 {row[2]:.3f} ({row[3]} found, {row[4]} wrong)"


def compare(
    names: Sequence[str], table: dict[str, list[tuple[Scores, Scores]]]
) -> tuple[float, float, int]:
    """Each pair's rows, then each arm's means and lowest; (B's mean F1 gain, mean precision
    difference, pairs with a strictly higher F1)."""
    for at, name in enumerate(names):
        print(f"  {name}")
        for arm in ARMS:
            stored, alone = table[arm][at]
            print(
                f"    {arm:6} stored {_cell(stored)}; model alone F1 {alone[2]:.3f} "
                f"(P {alone[0]:.3f})"
            )
    print(f"\n== means over the {len(names)} pairs, stored links (model alone beside)")
    for arm in ARMS:
        stored = [s for s, _ in table[arm]]
        alone = [a for _, a in table[arm]]
        print(
            f"  {arm:6} P {_mean(stored, 0):.3f} R {_mean(stored, 1):.3f} F1 {_mean(stored, 2):.3f}"
            f", lowest F1 {min(r[2] for r in stored):.3f}, lowest P {min(r[0] for r in stored):.3f}"
            f"; model alone P {_mean(alone, 0):.3f} R {_mean(alone, 1):.3f} "
            f"F1 {_mean(alone, 2):.3f}"
        )
    base = [s for s, _ in table["today"]]
    ours = [s for s, _ in table["B"]]
    gain = _mean(ours, 2) - _mean(base, 2)
    precision = _mean(ours, 0) - _mean(base, 0)
    better = sum(b[2] > a[2] for a, b in zip(base, ours, strict=True))
    worse = sum(b[2] < a[2] for a, b in zip(base, ours, strict=True))
    print(
        f"  B vs today: F1 {gain:+.4f}, precision {precision:+.4f}, better on {better}, worse on "
        f"{worse} of {len(names)}"
    )
    return gain, precision, better


def models(final: bool) -> dict[str, list[Case]]:
    """Each arm's cases: the tuning pairs (then, with `final`, the fresh pairs and Viet Nam)."""
    pairs = (*TUNING_PAIRS, *FRESH, TEST) if final else TUNING_PAIRS
    out = {}
    for arm in ARMS:
        folder = pair_model(arm)
        if arm == "today":
            print(
                "  check: the today arm's pair model is data/models/pairs: "
                f"{same_arrays(folder, PAIRS_DIR)}"
            )
            print(
                "  check: corpus_vectors_trial's vectors('today') are data/models/words: "
                f"{same_arrays(vectors('today'), WORDS_DIR)}"
            )
        start = time.perf_counter()
        out[arm] = cases(pairs, folder)
        print(f"  {arm}: {len(pairs)} pairs read ({time.perf_counter() - start:.0f} s)", flush=True)
    return out


def tuning() -> None:
    """The 13 tuning pairs, each left out; the bar; today against recurrence_more's figures."""
    loaded = models(final=False)
    names = [example.name for example, _ in loaded["today"]]
    table: dict[str, list[tuple[Scores, Scores]]] = {arm: [] for arm in ARMS}
    for arm in ARMS:
        arm_cases = loaded[arm]
        for i, case in enumerate(arm_cases):
            table[arm].append(scored([c for j, c in enumerate(arm_cases) if j != i], case))
    print(f"\n== the {len(names)} tuning pairs, each left out (link model on the 12 others)")
    gain, precision, better = compare(names, table)
    passes = gain >= BAR[0] and precision >= BAR[1] and better >= BAR[2]
    print(
        f"  bar (F1 >= +{BAR[0]}, precision >= {BAR[1]}, better on >= {BAR[2]} of 13): "
        f"{'B PASSES' if passes else 'B does not pass'}"
    )
    today = [s for s, _ in table["today"]]
    print(
        "\n== check: today against recurrence_more's 'recipe on 12' (an older main): mean P/R/F1 "
        f"{_mean(today, 0):.3f}/{_mean(today, 1):.3f}/{_mean(today, 2):.3f} vs "
        + "/".join(f"{v:.3f}" for v in RECIPE_ON_12)
    )
    for name, row, old in zip(names, today, RECIPE_ON_12_F1, strict=True):
        print(f"  {name:36} F1 {row[2]:.3f} vs {old:.3f} ({row[2] - old:+.3f})")


def final() -> None:
    """The declared single final check: link models on all 13 tuning pairs, the 7 scored."""
    loaded = models(final=True)
    count = len(TUNING_PAIRS)
    names = [example.name for example, _ in loaded["today"][count:]]
    table = {
        arm: [scored(loaded[arm][:count], case) for case in loaded[arm][count:]] for arm in ARMS
    }
    print(f"\n== FINAL CHECK, once: {', '.join(names)} (link model on the 13 tuning pairs)")
    gain, precision, _ = compare(names, table)
    passes = gain >= FINAL_BAR[0] and precision >= FINAL_BAR[1]
    print(
        f"  bar (F1 >= +{FINAL_BAR[0]}, precision >= {FINAL_BAR[1]}): "
        f"{'B PASSES' if passes else 'B does not pass'}"
    )


def main() -> int:
    if not GOLD.exists() or not REPORTS.exists() or not EXPORT.exists():
        print(f"skipped: {GOLD}, {REPORTS} or {EXPORT} not found")
        return 0
    start = time.perf_counter()
    if "--final" in sys.argv[1:]:
        final()
    else:
        tuning()
    print(f"  ({time.perf_counter() - start:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
