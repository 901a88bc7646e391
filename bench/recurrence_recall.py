"""Recurring asks: why the learned link model misses gold links, and fixes for its recall, each
chosen by leaving one tuning pair out (the seven gold pairs of bench/recurrence_learned.py).

- `--errors`: every high gold link the model misses on each tuning pair left out (the model
  trained on the other six, as bench/recurrence_learned.py scores it), with both texts, the
  pair score, its ranks, the probability, and a class (`classify`); the count of each class.
- default: each fix's figures on the seven pairs left out, today's beside them, in one run.
  Every setting a fix has is chosen on the six training pairs of each fold.
- `--broad` (issue #19, recur5): broad cross-cycle groups. Both reviews' asks clustered together
  at a broad granularity (0.6-1.0), and the later x earlier pairs of one group added to what the
  index stores when they meet a weaker condition: the model's probability >= 0.2-0.5, the pair
  score >= 0.3-0.6, or the group holds a stored link and p >= 0-0.4 (`broad_links`). Prints
  every fixed setting over the seven pairs left out, then two honest choices beside today's:
  `broad` (the setting chosen on the six training pairs, the model trained on them, today's
  rule: pooled training precision >= 0.85) and `broad_nested` (chosen by leaving one training
  pair out, pooled precision >= 0.80, `precision_level`'s rule). One run (7bb18d7 + this):

  | | mean P | mean R | mean F1 | lowest P |
  |---|---|---|---|---|
  | model alone (today) | 0.847 | 0.517 | 0.636 | 0.65 |
  | what the index stores | 0.840 | 0.557 | 0.663 | 0.63 |
  | + broad groups, today's rule | 0.791 | 0.623 | 0.688 | 0.56 |
  | + broad groups, chosen left out | 0.796 | 0.643 | 0.706 | 0.62 |

  Both choose granularity 1.0 in every fold, mostly with p >= 0.2-0.3. Both raise F1 by >= 0.02
  over the stored links but fall under mean precision 0.80, so `--fresh` was not run for it
  (`CHOSEN` stays). Fixed settings keeping P >= 0.83 with F1 about 0.69-0.70 exist (g 0.9-1.0,
  p >= 0.4), but they are read off the left-out figures themselves, so not an honest choice.
- `--group` (issue #19, recur6): a broad group's pairs added only when the group as a whole is a
  confident recurring topic. Written down before any run, the family (`GROUP`, 305 settings)
  and the rule:
  - "dense": at a broad granularity g in 0.6-1.0 (`broad_groups`), a group whose later x
    earlier pairs hold at least k stored links (k 1, 2, 3) and whose density, the share of its
    later x earlier pairs stored-linked, is >= d (d 0, 0.1, 0.2, 0.3, 0.5), adds its pairs
    whose own probability p >= p0 (p0 0, 0.1, 0.2, 0.3). (Stored links: the model's and the
    default clustering's, what the index stores; k 1, d 0 is recur5's "anchored".)
  - "bridged": a pair (L, E) with p >= p0 (p0 0-0.4) where L is stored-linked to an earlier
    ask E' of E's default cluster, or an ask L' of L's default cluster is stored-linked to E
    (the default clustering of both reviews, as the index holds it).
  - The choice: in each fold, on the six training pairs with the model trained on them, the
    setting (or none) with the best mean F1 among those whose pooled training precision is >=
    0.85 (today's rule, `_pick`); scored on the pair left out, beside today's stored links, in
    one run. Every fixed setting's left-out figures are printed too, for the record only.
  - Bar (pre-registered): mean F1 >= stored + 0.02 and mean P >= 0.82 over the seven pairs
    left out. Only if it passes: `--group --fresh`, once (the six fresh pairs and Viet Nam,
    the setting chosen on the seven tuning pairs, beside the stored links).

  Measured (2026-12-05, one run, 51 s):

  | | mean P | mean R | mean F1 | lowest P |
  |---|---|---|---|---|
  | model alone (today) | 0.847 | 0.517 | 0.636 | 0.65 |
  | what the index stores | 0.840 | 0.557 | 0.663 | 0.63 |
  | + confident groups, today's rule | 0.789 | 0.610 | 0.679 | 0.54 |

  Per pair, stored -> with the groups, F1 (P): Kazakhstan 0.78 -> 0.73 (0.83 -> 0.71), Uruguay
  0.64 -> 0.67, Belize 0.68 -> 0.72, Tunisia 0.59 -> 0.59, Ghana 0.65 -> 0.73, Sri Lanka 0.72
  -> 0.75, Egypt 0.58 -> 0.56 (0.63 -> 0.54). Chosen: granularity 1.0 in all seven folds,
  k >= 1 (five) or 2, d 0-0.5, p0 0-0.3; "bridged" never. The bar is missed (F1 +0.016, mean
  P 0.789 < 0.82), so `--group --fresh` was not run and the fresh pairs and Viet Nam were not
  read.

  Why the choice fails: the rule never bit. The stored links themselves hold only 0.820-0.841
  pooled precision on the six training pairs of each fold (the model alone is held to 0.85 by
  its threshold; the default clustering's pairs take it under), and no candidate, "nothing
  added" included, reaches 0.85 in any fold, for `GROUP` and for recur5's `BROAD` alike
  (checked). `_pick` then takes the best training F1 without a precision condition: the loosest
  settings, whose training precision (0.77-0.80) carried over to the pair left out. For the
  record, not a choice: 19 of the 305 fixed settings meet the bar on the left-out figures
  (e.g. g 1.0, k >= 1, d >= 0.3, p >= 0.3: mean P 0.823, F1 0.689; g 0.8, k >= 1, p >= 0.2:
  0.824, 0.686), and "bridged" reaches P 0.805 F1 0.683 (p >= 0.2) to P 0.826 F1 0.678 (p >=
  0.4); reading one off would be tuning on the left-out pairs. A fair next test needs a rule
  that can bite on the stored links (e.g. no loss of training precision against them) and its
  own pre-registration.
- `--fresh`: the one chosen fix (`CHOSEN`) against today's on the six fresh pairs (labelled
  after every choice), then Viet Nam 2009 -> 2014 once, labelled as the test.

Measured (2026-12-05, helper recur4). `--errors`: 447 of the 932 high gold links missed; 302 are
one of several links of an ask whose other link was found (many-to-many topic groups: death
penalty, NHRI, women), 80 the later ask's best candidate under the threshold, 55 one of several
with none found, 10 ranked 2nd or lower, 0 never scored. Fixes, left out (today 0.636):
precision level 0.645, propagation through near-duplicates 0.646, element scores 0.645, the
mean word vectors' cosine as a feature (`CHOSEN`) 0.666, better on all seven. Its fresh check,
once: the model alone 0.661 -> 0.673, as the index stores 0.701 -> 0.707 (three pairs up, three
down); Viet Nam as stored 0.58 at P 0.71 -> 0.56 at P 0.64. A gain within noise where it was not
chosen, and a loss of precision on the test: not shipped (the feature is on branch `recur4`).

Neither `--errors`, `--broad`, `--group` nor the default run reads Viet Nam or the fresh pairs.

Run: .venv/bin/python bench/recurrence_recall.py [--errors | --broad | --group | [--group]
--fresh]
"""

from __future__ import annotations

import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
import numpy.typing as npt
from cluster_protocol import GOLD
from recurrence_learned import ALL_TUNING, STORED, examples
from recurrence_protocol import FRESH, TEST, Pair

from uprdex.pipeline.clusters import ClusterItem, cluster
from uprdex.pipeline.clusters.normalize import normalize
from uprdex.pipeline.clusters.recurrence_model import FEATURES, RecurrenceModel, ranks
from uprdex.pipeline.clusters.similarity import Similarity
from uprdex.pipeline.clusters.treaties import load_treaties
from uprdex.pipeline.settings import ClusterSettings
from uprdex.pipeline.train_recurrence import (
    THRESHOLDS,
    Example,
    choose_threshold,
    fit_logistic,
    pair_scores,
    train,
)
from uprdex.pipeline.word_vectors import vector_features

Floats = npt.NDArray[np.float64]
Links = npt.NDArray[np.bool_]
Groups = tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]
Scores = tuple[float, float, float, int, int]
AT = {name: at for at, name in enumerate(FEATURES)}
S = TypeVar("S")
TRAIN_PRECISION = 0.85
"""Today's rule (`train_recurrence.PRECISION`): a setting keeps this pooled training precision."""


@dataclass(frozen=True)
class Case:
    """One review pair: the link model's example, its asks, and what the fixes read: the pair
    scores within each review (later x later, earlier x earlier, 0-100), whether the default
    clustering puts a later and an earlier ask in one cluster (what the index adds to the
    model's links; `clusters`: the cluster of each later and each earlier ask), the element
    features (`element_features`), the word vectors' centroid cosine of every later x earlier
    pair (`centroid_cosines`) and the broad groups (`broad_groups`)."""

    example: Example
    earlier: list[ClusterItem]
    later: list[ClusterItem]
    within_later: Floats
    within_earlier: Floats
    same_cluster: Links
    elements: Floats
    centroids: Floats
    broad: dict[float, Groups]
    clusters: Groups


ELEMENT_BREAK = re.compile(r";\s*|\)\s+and\s+(?=to\s)", re.IGNORECASE)
"""Where one printed item holds several asks, e.g. Ghana 2008, A/HRC/8/36 68.1: "To take the
necessary measures ... (France); to strengthen its efforts in protecting women's rights
(Switzerland) and to take further steps ..."."""


def elements(text: str) -> list[str]:
    """The asks of one printed item: its parts between `ELEMENT_BREAK`s of three words or more
    (the whole text when there is one)."""
    parts = [part.strip() for part in ELEMENT_BREAK.split(text) if len(part.split()) >= 3]
    return parts or [text]


def _similarity(texts: Sequence[str], settings: ClusterSettings) -> Similarity:
    treaties = load_treaties(settings.treaties)
    return Similarity([normalize(text, treaties) for text in texts], treaties, settings)


def _grid(similarity: Similarity, rows: Sequence[int], columns: Sequence[int]) -> Floats:
    left, right = np.meshgrid(rows, columns, indexing="ij")
    pairs = np.stack([left.ravel(), right.ravel()], axis=1).astype(np.int64)
    return similarity.pairs(pairs, 0).reshape(len(rows), len(columns)).astype(np.float64)


def within(items: Sequence[ClusterItem], settings: ClusterSettings) -> Floats:
    """The pair scores of every two asks of one review (100 on the diagonal)."""
    scores = _grid(_similarity([item.text for item in items], settings), *[range(len(items))] * 2)
    np.fill_diagonal(scores, 100.0)
    return scores


def element_features(
    earlier: Sequence[ClusterItem], later: Sequence[ClusterItem], settings: ClusterSettings
) -> Floats:
    """Per later x earlier pair: the best pair score (0-1) between an element of the later
    ask and one of the earlier (`elements`), and its log rank in its row and its column."""
    parts_later = [elements(item.text) for item in later]
    parts_earlier = [elements(item.text) for item in earlier]
    texts = [part for parts in (*parts_later, *parts_earlier) for part in parts]
    owner_later = np.array([r for r, parts in enumerate(parts_later) for _ in parts])
    owner_earlier = np.array([c for c, parts in enumerate(parts_earlier) for _ in parts])
    count = len(owner_later)
    scores = _grid(
        _similarity(texts, settings), range(count), count + np.arange(len(owner_earlier))
    )
    best = np.zeros((len(later), len(earlier)))
    np.maximum.at(best, (owner_later[:, None], owner_earlier[None, :]), scores / 100)
    return np.stack([best, np.log(ranks(best, 1)), np.log(ranks(best, 0))], axis=-1)


def centroid_cosines(
    earlier: Sequence[ClusterItem], later: Sequence[ClusterItem], settings: ClusterSettings
) -> Floats:
    """The cosine (0-1) of the two asks' idf-weighted mean word vectors, as the pair model
    reads it (its `centroid` feature), of every later x earlier pair."""
    similarity = _similarity([item.text for item in [*later, *earlier]], settings)
    assert similarity.learned is not None and similarity.learned.inputs.lexicon is not None
    count = len(later)
    left, right = np.meshgrid(np.arange(count), count + np.arange(len(earlier)), indexing="ij")
    pairs = np.stack([left.ravel(), right.ravel()], axis=1).astype(np.int64)
    cosines = vector_features(similarity.learned.inputs.lexicon, pairs, ["centroid"])
    return cosines[:, 0].reshape(count, len(earlier))


GRANULARITIES = (0.6, 0.7, 0.8, 0.9, 1.0)
"""The broad granularities of `broad_groups` (the default is 0.5)."""


def groups(
    earlier: Sequence[ClusterItem], later: Sequence[ClusterItem], settings: ClusterSettings
) -> Groups:
    """The group (a number) of each later and of each earlier ask when the asks of both reviews
    are clustered together with `settings`."""
    assignment = cluster([*earlier, *later], settings).assignment
    names = {name: at for at, name in enumerate(sorted(set(assignment.values())))}
    return (
        np.array([names[assignment[item.id]] for item in later], dtype=np.int64),
        np.array([names[assignment[item.id]] for item in earlier], dtype=np.int64),
    )


def broad_groups(
    earlier: Sequence[ClusterItem], later: Sequence[ClusterItem]
) -> dict[float, Groups]:
    """Per granularity of `GRANULARITIES`: `groups` at it (the rule's recurrences: the groups
    alone are read)."""
    return {
        g: groups(earlier, later, ClusterSettings(granularity=g, learned_recurrence=False))
        for g in GRANULARITIES
    }


def load(pairs: Sequence[Pair]) -> list[Case]:
    """Each pair's `Case`."""
    settings = ClusterSettings()
    out = []
    for example, _ in examples(tuple(pairs)):
        earlier, later = STORED[example.name]
        later_cluster, earlier_cluster = groups(earlier, later, settings)
        out.append(
            Case(
                example,
                earlier,
                later,
                within(later, settings),
                within(earlier, settings),
                later_cluster[:, None] == earlier_cluster[None, :],
                element_features(earlier, later, settings),
                centroid_cosines(earlier, later, settings),
                broad_groups(earlier, later),
                (later_cluster, earlier_cluster),
            )
        )
    return out


# The fixes. Each: (the training cases, the case left out) -> the links on the case left out.
Fix = Callable[[Sequence[Case], Case], Links]


def today(training: Sequence[Case], case: Case) -> Links:
    """The shipped recipe: `train` on the training pairs, its threshold."""
    model = _model(training)
    return model.probability(case.example.features) >= model.threshold


def stored(training: Sequence[Case], case: Case) -> Links:
    """What the index stores: the model's links and the cross-cycle pairs of one cluster."""
    return today(training, case) | case.same_cluster


def propagated(
    probability: Floats, threshold: float, case: Case, floor: float, near: float
) -> Links:
    """The links at `threshold`, and the pairs at least `floor` where a near-duplicate (pair
    score >= `near` within its review) of either ask is linked to the other."""
    links = probability >= threshold
    near_later = case.within_later >= near
    near_earlier = case.within_earlier >= near
    np.fill_diagonal(near_later, False)
    np.fill_diagonal(near_earlier, False)
    as_int = links.astype(np.int32)
    supported = (near_later.astype(np.int32) @ as_int > 0) | (
        as_int @ near_earlier.astype(np.int32) > 0
    )
    out: Links = links | ((probability >= floor) & supported)
    return out


PROPAGATION = tuple(
    (near, drop) for near in (50.0, 60.0, 70.0, 80.0) for drop in (0, 0.1, 0.2, 0.3)
)


def _pick(candidates: Sequence[Callable[[int], Links]], training: Sequence[Case]) -> int:
    """The candidate with the best mean F1 over `training` among those whose pooled precision
    is at least `TRAIN_PRECISION` (today's rule for the threshold); the best mean F1 of all when
    none is (as for every candidate over the stored links: `--group`); ties: the first."""
    best: tuple[tuple[bool, float], int] | None = None
    for at, candidate in enumerate(candidates):
        rows = [
            pair_scores(candidate(i).astype(np.float64), c.example.labels, 0.5)
            for i, c in enumerate(training)
        ]
        tp, fp = sum(r[3] for r in rows), sum(r[4] for r in rows)
        key = ((tp / (tp + fp) if tp + fp else 1.0) >= TRAIN_PRECISION, _mean(r[2] for r in rows))
        if best is None or key > best[0]:
            best = (key, at)
    assert best is not None
    return best[1]


def _mean(values: object) -> float:
    return float(np.mean(list(values)))  # type: ignore[call-overload]


def near_duplicates(training: Sequence[Case], case: Case) -> Links:
    """Propagation through near-duplicates (`propagated`), its two settings chosen on the
    training pairs with the model trained on them."""
    model = train([c.example for c in training])
    probabilities = [model.probability(c.example.features) for c in training]
    t = model.threshold
    candidates = [
        lambda i, near=near, drop=drop: propagated(probabilities[i], t, training[i], t - drop, near)
        for near, drop in PROPAGATION
    ]
    near, drop = PROPAGATION[_pick(candidates, training)]
    return propagated(model.probability(case.example.features), t, case, t - drop, near)


def _extended(case: Case, extra: Floats) -> Example:
    e = case.example
    return Example(e.name, np.concatenate([e.features, extra], axis=-1), e.labels)


def _fit(examples_: Sequence[Example]) -> tuple[Callable[[Floats], Floats], float]:
    """`train` for any number of features: (probability, threshold)."""
    width = examples_[0].features.shape[-1]
    keep = [e.labels.ravel() >= 0 for e in examples_]
    x = np.vstack([e.features.reshape(-1, width)[k] for e, k in zip(examples_, keep, strict=True)])
    y = np.concatenate([e.labels.ravel()[k] == 1 for e, k in zip(examples_, keep, strict=True)])
    coefficients, intercept, mean, scale = fit_logistic(x, y)

    def probability(features: Floats) -> Floats:
        z = (features - mean) / scale @ coefficients + intercept
        out: Floats = 1 / (1 + np.exp(-np.clip(z, -30, 30)))
        return out

    return probability, choose_threshold([probability(e.features) for e in examples_], examples_)


def with_elements(training: Sequence[Case], case: Case) -> Links:
    """The model with three more features: the best score between the two asks' elements
    (`element_features`) and its ranks."""
    probability, threshold = _fit([_extended(c, c.elements) for c in training])
    return probability(_extended(case, case.elements).features) >= threshold


def with_centroid(training: Sequence[Case], case: Case) -> Links:
    """The model with one more feature: the cosine of the two asks' mean word vectors
    (`centroid_cosines`), which the pair model reads inside its score."""
    probability, threshold = _fit([_extended(c, c.centroids[..., None]) for c in training])
    return probability(_extended(case, case.centroids[..., None]).features) >= threshold


def precision_level(training: Sequence[Case], case: Case) -> Links:
    """Today's model with the training precision its threshold keeps chosen by leaving one
    training pair out: the level (0.80-0.88) with the best mean left-out F1 among those whose
    pooled left-out precision is at least 0.80 (the issue's target)."""
    levels = tuple(round(0.80 + 0.01 * k, 2) for k in range(9))
    inner = [
        train([c.example for j, c in enumerate(training) if j != i]) for i in range(len(training))
    ]
    held = [m.probability(c.example.features) for m, c in zip(inner, training, strict=True)]

    def threshold(model_probabilities: list[Floats], cases: Sequence[Case], level: float) -> float:
        return _threshold_at(model_probabilities, [c.example for c in cases], level)

    def left_out(level: float) -> tuple[bool, float]:
        rows = []
        for i, (model, c) in enumerate(zip(inner, training, strict=True)):
            rest = [d for j, d in enumerate(training) if j != i]
            t = threshold([model.probability(d.example.features) for d in rest], rest, level)
            rows.append(pair_scores(held[i], c.example.labels, t))
        tp, fp = sum(r[3] for r in rows), sum(r[4] for r in rows)
        return (tp / (tp + fp) if tp + fp else 1.0) >= 0.80, _mean(r[2] for r in rows)

    level = max(levels, key=left_out)
    model = train([c.example for c in training])
    t = threshold([model.probability(c.example.features) for c in training], training, level)
    return model.probability(case.example.features) >= t


def _threshold_at(
    probabilities: Sequence[Floats], examples_: Sequence[Example], level: float
) -> float:
    """`choose_threshold` with another pooled precision."""
    best: tuple[tuple[bool, float, float], float] | None = None
    for t in THRESHOLDS:
        rows = [pair_scores(p, e.labels, t) for p, e in zip(probabilities, examples_, strict=True)]
        tp, fp = sum(r[3] for r in rows), sum(r[4] for r in rows)
        key = ((tp / (tp + fp) if tp + fp else 1.0) >= level, _mean(r[2] for r in rows), -t)
        if best is None or key > best[0]:
            best = (key, t)
    assert best is not None
    return best[1]


Setting = tuple[float, str, float]
BROAD: tuple[Setting, ...] = (
    *((g, "p", level) for g in GRANULARITIES for level in (0.2, 0.3, 0.4, 0.5)),
    *((g, "score", level) for g in GRANULARITIES for level in (0.3, 0.4, 0.5, 0.6)),
    *((g, "anchored", level) for g in GRANULARITIES for level in (0.0, 0.1, 0.2, 0.3, 0.4)),
)
"""The settings of `broad_links`: (granularity, condition, its level)."""


def broad_links(base: Links, probability: Floats, case: Case, setting: Setting) -> Links:
    """`base` and the later x earlier pairs of one broad group (`broad_groups` at the setting's
    granularity) that meet the setting's condition: "p", the model's probability >= level;
    "score", the pair score (0-1) >= level; "anchored", the group holds a link of `base` and
    the probability >= level."""
    g, kind, level = setting
    later_group, earlier_group = case.broad[g]
    same = later_group[:, None] == earlier_group[None, :]
    if kind == "p":
        condition = probability >= level
    elif kind == "score":
        condition = case.example.features[..., AT["score"]] >= level
    else:
        anchors = np.unique(later_group[np.nonzero(base & same)[0]])
        condition = np.isin(later_group, anchors)[:, None] & (probability >= level)
    out: Links = base | (same & condition)
    return out


_MODELS: dict[tuple[str, ...], RecurrenceModel] = {}


def _model(training: Sequence[Case]) -> RecurrenceModel:
    """`train` on the training pairs, once per set of pairs."""
    key = tuple(c.example.name for c in training)
    if key not in _MODELS:
        _MODELS[key] = train([c.example for c in training])
    return _MODELS[key]


Add = Callable[[Links, Floats, Case, S], Links]
"""What a setting adds: (the stored links, the model's probabilities, the case, the setting)
-> the links."""


def _chosen(training: Sequence[Case], case: Case, settings: Sequence[S], add: Add[S]) -> Links:
    """What the index stores (`stored`) and what `add` adds to it with the setting (or none)
    chosen on the training pairs with the model trained on them, by `_pick`."""
    model = _model(training)
    probabilities = [model.probability(c.example.features) for c in training]
    bases = [
        (p >= model.threshold) | c.same_cluster
        for p, c in zip(probabilities, training, strict=True)
    ]
    candidates = [lambda i: bases[i]] + [
        lambda i, setting=setting: add(bases[i], probabilities[i], training[i], setting)
        for setting in settings
    ]
    at = _pick(candidates, training)
    probability = model.probability(case.example.features)
    base = (probability >= model.threshold) | case.same_cluster
    print(f"    {case.example.name}: chose {settings[at - 1] if at else 'nothing added'}")
    return base if at == 0 else add(base, probability, case, settings[at - 1])


def broad(training: Sequence[Case], case: Case) -> Links:
    """What the index stores and the pairs of one broad cross-cycle group that meet a weaker
    condition (`broad_links`), the setting chosen by `_chosen`."""
    return _chosen(training, case, BROAD, broad_links)


def broad_nested(training: Sequence[Case], case: Case) -> Links:
    """As `broad`, the setting chosen by leaving one training pair out instead (the rule of
    `precision_level`): each training pair scored by the model trained on the other five, the
    setting (or none) with the best mean F1 among those whose pooled precision is >= 0.80."""
    inner = [_model([c for j, c in enumerate(training) if j != i]) for i in range(len(training))]
    held = [m.probability(c.example.features) for m, c in zip(inner, training, strict=True)]
    bases = [
        (p >= m.threshold) | c.same_cluster for p, m, c in zip(held, inner, training, strict=True)
    ]

    def left_out(setting: Setting | None) -> tuple[bool, float]:
        rows = [
            pair_scores(
                (b if setting is None else broad_links(b, p, c, setting)).astype(np.float64),
                c.example.labels,
                0.5,
            )
            for b, p, c in zip(bases, held, training, strict=True)
        ]
        tp, fp = sum(r[3] for r in rows), sum(r[4] for r in rows)
        return (tp / (tp + fp) if tp + fp else 1.0) >= 0.80, _mean(r[2] for r in rows)

    setting = max((None, *BROAD), key=left_out)
    model = _model(training)
    probability = model.probability(case.example.features)
    base = (probability >= model.threshold) | case.same_cluster
    print(f"    {case.example.name}: chose {setting or 'nothing added'}")
    return base if setting is None else broad_links(base, probability, case, setting)


def settings_table(cases: Sequence[Case], title: str, settings: Sequence[S], add: Add[S]) -> None:
    """Each fixed setting of `add` over the seven pairs left out (the model trained on the
    other six): mean P/R/F1, lowest P."""
    print(f"\n== {title}, each setting fixed, the seven pairs left out")
    rows: dict[S | None, list[Scores]] = {}
    for i, case in enumerate(cases):
        model = _model([c for j, c in enumerate(cases) if j != i])
        probability = model.probability(case.example.features)
        base = (probability >= model.threshold) | case.same_cluster
        for setting in (None, *settings):
            links = base if setting is None else add(base, probability, case, setting)
            rows.setdefault(setting, []).append(
                pair_scores(links.astype(np.float64), case.example.labels, 0.5)
            )
    for setting, scores in rows.items():
        print(
            f"  {setting or 'stored'!s:30} mean P {_mean(r[0] for r in scores):.3f} R "
            f"{_mean(r[1] for r in scores):.3f} F1 {_mean(r[2] for r in scores):.3f}, lowest P "
            f"{min(r[0] for r in scores):.2f}; F1 " + " ".join(f"{r[2]:.2f}" for r in scores)
        )


@dataclass(frozen=True)
class Confident:
    """A setting of `confident_links`: which pairs of a confident recurring topic it adds
    (those whose probability is >= `level`). "dense": the pairs of a broad group (`broad_groups`
    at `granularity`) holding at least `least` stored links and a share >= `density` of its
    later x earlier pairs stored-linked; "bridged": the pairs bridged by a stored link within
    one default cluster."""

    kind: str
    level: float
    granularity: float = 0.5
    least: int = 0
    density: float = 0.0

    def __str__(self) -> str:
        if self.kind == "bridged":
            return f"bridged, p >= {self.level}"
        return f"g {self.granularity}, k >= {self.least}, d >= {self.density}, p >= {self.level}"


GROUP: tuple[Confident, ...] = (
    *(
        Confident("dense", level, g, least, density)
        for g in GRANULARITIES
        for least in (1, 2, 3)
        for density in (0.0, 0.1, 0.2, 0.3, 0.5)
        for level in (0.0, 0.1, 0.2, 0.3)
    ),
    *(Confident("bridged", level) for level in (0.0, 0.1, 0.2, 0.3, 0.4)),
)
"""The family of `--group`, declared before any run (the module docstring)."""


def confident_links(base: Links, probability: Floats, case: Case, setting: Confident) -> Links:
    """`base` and the later x earlier pairs of a confident recurring topic (`Confident`) whose
    probability is >= the setting's level."""
    if setting.kind == "bridged":
        # L is linked to E' of E's cluster, or L' of L's cluster is linked to E.
        later_cluster, earlier_cluster = case.clusters
        same_later = (later_cluster[:, None] == later_cluster[None, :]).astype(np.int32)
        same_earlier = (earlier_cluster[:, None] == earlier_cluster[None, :]).astype(np.int32)
        linked = base.astype(np.int32)
        topic = (linked @ same_earlier > 0) | (same_later @ linked > 0)
    else:
        later_group, earlier_group = case.broad[setting.granularity]
        same = later_group[:, None] == earlier_group[None, :]
        size = int(max(later_group.max(), earlier_group.max())) + 1
        links = np.bincount(later_group[np.nonzero(base & same)[0]], minlength=size)
        pairs = np.bincount(later_group, minlength=size) * np.bincount(
            earlier_group, minlength=size
        )
        density = links / np.maximum(pairs, 1)
        confident = (links >= setting.least) & (density >= setting.density)
        topic = same & confident[later_group][:, None]
    out: Links = base | (topic & (probability >= setting.level))
    return out


def group(training: Sequence[Case], case: Case) -> Links:
    """What the index stores and the pairs of a confident recurring topic (`confident_links`),
    the setting chosen by `_chosen`."""
    return _chosen(training, case, GROUP, confident_links)


SETTLED = Confident("dense", 0.3, granularity=1.0, least=1, density=0.3)
"""Settled on the seven tuning pairs (main, session 32, before `--settled --fresh` ran): of the
fixed settings `--group` prints, left out, the best mean F1 among those with mean precision
>= 0.82 (`BAR`'s): g 1.0, k >= 1, d >= 0.3, p >= 0.3, P 0.823, F1 0.689 (stored: P 0.840, F1
0.663). Its check, pre-registered: on the six fresh pairs it ships only with mean F1 >= stored +
0.02 and mean P >= 0.80; Viet Nam is reported beside it, once.

Measured once (`--settled --fresh`, 79 s): the six fresh pairs, stored -> + settled groups, mean
P 0.874 -> 0.845, R 0.590 -> 0.633, F1 0.7015 -> 0.7213 (+0.0198; per pair +0.036 Cameroon,
+0.025 Iraq, -0.009 Germany, +0.014 Colombia, +0.023 Angola, +0.029 Fiji). Viet Nam 2009 ->
2014: F1 0.576 -> 0.594, P 0.71 -> 0.69, R 0.48 -> 0.52. Under the bar by 0.0002, so not
shipped; the gain is consistent (five of six pairs) but small, and Viet Nam's precision falls."""


def settled(training: Sequence[Case], case: Case) -> Links:
    """What the index stores and the pairs of a confident recurring topic at `SETTLED`, the
    model trained on `training`."""
    model = _model(training)
    probability = model.probability(case.example.features)
    base = (probability >= model.threshold) | case.same_cluster
    return confident_links(base, probability, case, SETTLED)


FIXES: dict[str, Fix] = {
    "today (the shipped recipe)": today,
    "what the index stores (model + clusters)": stored,
    "precision level chosen left out": precision_level,
    "propagation through near-duplicates": near_duplicates,
    "element scores (3 features)": with_elements,
    "the word vectors' centroid cosine (1 feature)": with_centroid,
    "stored + broad cross-cycle groups": broad,
    "stored + broad groups, chosen left out": broad_nested,
    "stored + confident broad groups": group,
}
CHOSEN = "the word vectors' centroid cosine (1 feature)"
"""The fix the default run chose (the best left-out mean F1, better on each of the seven
pairs): the one `--fresh` checks."""


def cell(scores: Scores) -> str:
    return f"{scores[0]:.2f}/{scores[1]:.2f}/{scores[2]:.2f}"


def tuning_table(cases: Sequence[Case], only: Sequence[str] = ()) -> dict[str, tuple[float, float]]:
    """Each fix (those whose name holds one of `only`, when given; today's always) on the seven
    pairs left out; the mean precision and F1 of each."""
    print("\n== the seven tuning pairs, each left out: P/R/F1")
    print(f"  {'fix':44} " + " ".join(f"{c.example.name.split()[0][:9]:>14}" for c in cases))
    base: list[float] = []
    out = {}
    for name, fix in FIXES.items():
        if only and fix is not today and not any(part in name for part in only):
            continue
        start = time.perf_counter()
        rows = [
            pair_scores(
                fix([c for j, c in enumerate(cases) if j != i], case).astype(np.float64),
                case.example.labels,
                0.5,
            )
            for i, case in enumerate(cases)
        ]
        f1 = _mean(r[2] for r in rows)
        precision = _mean(r[0] for r in rows)
        base = base or [f1]
        print(f"  {name:44} " + " ".join(f"{cell(r):>14}" for r in rows))
        print(
            f"  {'':44} mean F1 {f1:.3f} (today {base[0]:.3f}, x{f1 / base[0]:.3f}), mean P "
            f"{precision:.3f}, mean R {_mean(r[1] for r in rows):.3f}, lowest P "
            f"{min(r[0] for r in rows):.2f} "
            f"({time.perf_counter() - start:.0f} s)"
        )
        out[name] = (precision, f1)
    return out


CLASSES = (
    "top: the model's best candidate for the later ask, under the threshold",
    "one of several: another gold link of the same later or earlier ask was found",
    "one of several: none of the ask's gold links found",
    "near: the model's 2nd or 3rd candidate for the later ask",
    "far: below the model's 3rd candidate",
)


def classify(
    probability: Floats, found: Links, labels: npt.NDArray[np.int8], r: int, c: int
) -> str:
    """The class of a missed high link (r, c), first that applies (`CLASSES`)."""
    high = labels == 1
    place = int((probability[r] > probability[r, c]).sum()) + 1
    if place == 1:
        return CLASSES[0]
    if (found & high)[r].any() or (found & high)[:, c].any():
        return CLASSES[1]
    if high[r].sum() > 1 or high[:, c].sum() > 1:
        return CLASSES[2]
    return CLASSES[3] if place <= 3 else CLASSES[4]


def errors(cases: Sequence[Case]) -> None:
    """Every missed high link of each tuning pair left out, classified, and the counts."""
    counts: Counter[str] = Counter()
    tags: Counter[tuple[str, str]] = Counter()
    print("\n== missed high links, each tuning pair left out (today's recipe)")
    for i, case in enumerate(cases):
        model = train([c.example for j, c in enumerate(cases) if j != i])
        e = case.example
        probability = model.probability(e.features)
        found = probability >= model.threshold
        missed = np.argwhere((e.labels == 1) & ~found)
        print(f"\n-- {e.name}: {int((e.labels == 1).sum())} high links, {len(missed)} missed")
        for r, c in missed.tolist():
            kind = classify(probability, found, e.labels, r, c)
            counts[kind] += 1
            f = e.features[r, c]
            for tag, applies in (
                ("earlier ask compound", f[AT["earlier_compound"]] > 0),
                (
                    "earlier ask 2x longer",
                    f[AT["log_words_earlier"]] - f[AT["log_words_later"]] > np.log(2),
                ),
                ("pair score under 40", f[AT["score"]] < 0.40),
                ("pair score 0 (treaty rule)", f[AT["score"]] == 0),
                ("same cluster (the index adds it)", case.same_cluster[r, c]),
            ):
                tags[(kind, tag)] += bool(applies)
            print(
                f"  [{CLASSES.index(kind) + 1}] {case.later[r].id} <- {case.earlier[c].id}: score "
                f"{100 * f[AT['score']]:.0f}, rank {np.exp(f[AT['log_rank_later']]):.0f} for the "
                f"later, {np.exp(f[AT['log_rank_earlier']]):.0f} for the earlier; p "
                f"{probability[r, c]:.2f} (threshold {model.threshold:.2f})"
            )
            print(f"      later:   {case.later[r].text[:240]}")
            print(f"      earlier: {case.earlier[c].text[:240]}")
    print("\n== classes of the missed high links (seven pairs left out)")
    for at, kind in enumerate(CLASSES, 1):
        extra = ", ".join(f"{tag} {n}" for (k, tag), n in sorted(tags.items()) if k == kind)
        print(f"  [{at}] {counts[kind]:4}  {kind}\n         of which: {extra}")
    print(f"  total {sum(counts.values())}")


def fresh(cases: Sequence[Case], more: Sequence[Case], test: Case, fixes: dict[str, Fix]) -> None:
    """Each of `fixes` (trained and chosen on the seven tuning pairs) on the fresh pairs, then
    on Viet Nam once."""
    print(f"\n== {len(more)} fresh pairs, trained on the seven tuning pairs: {', '.join(fixes)}")
    sums = np.zeros((len(fixes), 3))
    for case in (*more, test):
        rows = [
            pair_scores(fix(cases, case).astype(np.float64), case.example.labels, 0.5)
            for fix in fixes.values()
        ]
        if case is test:
            print(f"\n== the TEST, scored once, after the choice: {case.example.name}")
        else:
            sums += [r[:3] for r in rows]
        print(f"  {case.example.name} ({int((case.example.labels == 1).sum())} high links)")
        for label, r in zip(fixes, rows, strict=True):
            print(
                f"    {label:26} P {r[0]:.2f} R {r[1]:.2f} F1 {r[2]:.2f} "
                f"({r[3]} found, {r[4]} wrong)"
            )
        if case is more[-1]:
            for label, (p, r, f) in zip(fixes, sums / len(more), strict=True):
                print(f"  mean over the fresh pairs, {label:26} P {p:.3f} R {r:.3f} F1 {f:.3f}")


def _stored_chosen(training: Sequence[Case], case: Case) -> Links:
    return FIXES[CHOSEN](training, case) | case.same_cluster


BAR = (0.02, 0.82)
"""`--group`'s pre-registered bar: mean F1 at least this much over the stored links' and mean
precision at least this, over the seven tuning pairs left out."""


def main() -> int:
    if not GOLD.exists():
        print(f"skipped: {GOLD} not found")
        return 0
    args = sys.argv[1:]
    if "--fresh" in args:
        fixes: dict[str, Fix] = (
            {"stored, today": stored, "stored + confident groups": group}
            if "--group" in args
            else {"stored, today": stored, "stored + settled groups": settled}
            if "--settled" in args
            else {
                "model, today": today,
                "model, chosen": FIXES[CHOSEN],
                "stored, today": stored,
                "stored, chosen": _stored_chosen,
            }
        )
        loaded = load((*ALL_TUNING, *FRESH, TEST))
        fresh(loaded[: len(ALL_TUNING)], loaded[len(ALL_TUNING) : -1], loaded[-1], fixes)
        return 0
    cases = load(ALL_TUNING)
    if "--errors" in args:
        errors(cases)
    elif "--broad" in args:
        settings_table(cases, "broad cross-cycle groups", BROAD, broad_links)
        tuning_table(cases, ("stores", "broad"))
    elif "--group" in args:
        settings_table(cases, "confident broad groups", GROUP, confident_links)
        means = tuning_table(cases, ("stores", "confident"))
        f_stored = means["what the index stores (model + clusters)"][1]
        p_group, f_group = means["stored + confident broad groups"]
        passed = f_group >= f_stored + BAR[0] and p_group >= BAR[1]
        print(
            f"\n== the bar (mean F1 >= stored + {BAR[0]}, mean P >= {BAR[1]}): F1 {f_group:.3f} vs "
            f"{f_stored:.3f} + {BAR[0]}, P {p_group:.3f}: {'passed' if passed else 'not passed'}"
        )
    else:
        tuning_table(cases)
    return 0


if __name__ == "__main__":
    sys.exit(main())
