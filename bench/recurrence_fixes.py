"""Recurring asks: the fixes for the learned link model's recall that bench/recurrence_recall.py
scores, each chosen by leaving one tuning pair out (the seven gold pairs of
bench/recurrence_learned.py). A fix (`Fix`): (the training cases, the case left out) -> the
links on the case left out; `FIXES`, those the default run scores.

Measured (2026-12-05, helper recur4), each fix left out (today 0.636): precision level 0.645,
propagation through near-duplicates 0.646, element scores 0.645, the mean word vectors' cosine
as a feature (`CHOSEN`) 0.666, better on all seven. Its fresh check, once: the model alone 0.661
-> 0.673, as the index stores 0.701 -> 0.707 (three pairs up, three down); Viet Nam as stored
0.58 at P 0.71 -> 0.56 at P 0.64. A gain within noise where it was not chosen, and a loss of
precision on the test: not shipped (the feature is on branch `recur4`).

The broad-group fixes, with bench/recurrence_recall.py's runs that measured them:

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
- `settled` (`--settled --fresh`): one fixed setting of `--group`'s family, its choice, check
  and measured figures in `SETTLED`'s docstring.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
from recurrence_cases import AT, GRANULARITIES, Case, Floats, Links, _mean

from uprdex.pipeline.clusters.recurrence_model import RecurrenceModel
from uprdex.pipeline.train_recurrence import (
    THRESHOLDS,
    Example,
    choose_threshold,
    fit_logistic,
    pair_scores,
    train,
)

S = TypeVar("S")
TRAIN_PRECISION = 0.85
"""Today's rule (`train_recurrence.PRECISION`): a setting keeps this pooled training precision."""


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


BAR = (0.02, 0.82)
"""`--group`'s pre-registered bar: mean F1 at least this much over the stored links' and mean
precision at least this, over the seven tuning pairs left out."""
