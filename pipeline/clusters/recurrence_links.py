"""The recurrence model's links without every pair's word scores: a bound first.

`RecurrenceModel` reads each later x earlier pair of one State's two reviews in its context:
the clusters' pair score, its rank and margin among the later ask's and the earlier ask's
candidates, the words' token-set score, and cheap features (meaning, rare words, subjects,
kinds of action, lengths). Scoring every pair costs rapidfuzz on each (twice before: the pair
model's words and the feature), though few pairs come near the model's threshold. Here:

1. The cheap features of every pair, and each pair score bounded before its words are read
   (`Similarity.pending`: the words' part of a pair model logit is bounded).
2. A bound of each pair's logit over every value the unread parts may take (scores within
   their bounds, ranks and margins from the bounds of the pair's row and column, the token-set
   score 0-1). Pairs whose bound stays under the threshold cannot link.
3. The words of the pairs that may, then of the pairs that may still change their context
   (a row's best, second best, a rank), until every such context is exact.
4. Their features, exactly as `recurrence_model.scored_features` computes them, and the model.

The links are those of the model over every pair, bit for bit (tests/test_recurrence_links.py
compares them; bench/recurrence_learned.py --scale times both on the UPR Info rows).

Example:
    found = learned_recurrences(items)   # (Recurrence(later_id, earlier_id, score), ...)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from uprdex.pipeline.clusters.normalize import normalize
from uprdex.pipeline.clusters.records import ClusterItem, Recurrence
from uprdex.pipeline.clusters.recurrence_model import (
    FEATURES,
    SCORE_FEATURES,
    CheapFeatures,
    RecurrenceModel,
    cheap_features,
    pair_grid,
    score_context,
    scored_features,
    shipped,
    subject_vectors,
)
from uprdex.pipeline.clusters.recurrence_parts import SURE, by_parts
from uprdex.pipeline.clusters.similarity import PendingScores, Similarity
from uprdex.pipeline.clusters.treaties import load_treaties
from uprdex.pipeline.settings import ClusterSettings

__all__ = ["learned_recurrences", "model_links", "part_links", "review_order", "text_similarity"]

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
Links = tuple[Ints, Ints, Floats]

_AT = {name: at for at, name in enumerate(FEATURES)}
_SLACK = 1e-6
"""How far under the threshold's logit a bound may be and still be looked at (rounding)."""


_SHIFT = 19
"""Scores are compared in bins of their float32 bits shifted this far: 16 bins per doubling."""
_FIRST = int(np.float32(0.125).view(np.int32)) >> _SHIFT
_BINS = (int(np.float32(100).view(np.int32)) >> _SHIFT) - _FIRST + 1
"""The bins from a score of 0.125 (all lower ones in the first) to 100."""


def _bins(scores: npt.NDArray[np.float32]) -> npt.NDArray[np.int64]:
    """Each score's bin: a higher bin is a higher score (within a bin, either may be)."""
    bits = (np.asarray(scores, dtype=np.float32) + np.float32(0)).view(np.int32)  # -0.0 is 0
    out: Ints = np.clip((bits.astype(np.int64) >> _SHIFT) - _FIRST, 0, _BINS - 1)
    return out


def _at_least(bins: npt.NDArray[np.int64], counted: npt.NDArray[np.bool_] | None = None) -> Ints:
    """For each row and bin b (0 to `_BINS`): how many of the row's scores (those `counted`)
    are in bin b or a higher one."""
    rows = bins.shape[0]
    flat = np.arange(rows, dtype=np.int64)[:, None] * _BINS + bins
    chosen = flat.ravel() if counted is None else flat[counted]
    counts = np.bincount(chosen, minlength=rows * _BINS).reshape(rows, _BINS)
    out = np.zeros((rows, _BINS + 1), dtype=np.int64)
    out[:, :-1] = counts[:, ::-1].cumsum(axis=1)[:, ::-1]
    return out


def _counted(table: Ints, bins: Ints) -> Ints:
    """`table[row, bins[row, column]]` for every row and column."""
    rows, width = table.shape
    out: Ints = table.ravel()[np.arange(rows, dtype=np.int64)[:, None] * width + bins]
    return out


def _interval(coefficient: float, low: Floats | float, high: Floats | float) -> Floats:
    """The most `coefficient` x a value within [low, high] can be."""
    out: Floats = np.maximum(np.multiply(coefficient, low), np.multiply(coefficient, high))
    return out


def _cheap_logit(model: RecurrenceModel, features: CheapFeatures) -> Floats:
    """Each pair's logit less the parts the pair scores and the words give."""
    weight = model.coefficients / model.scale
    out: Floats = model.intercept - float(weight @ model.mean) + features.weighed(weight)
    return out


@dataclass(frozen=True)
class _Known:
    """What is known of a State pair's scores: each between `low` and `high` (0-1; `bins`: the
    `_bins` of both ends), exact where `known`; the words between `words_low` and
    `words_high`."""

    low: Floats
    high: Floats
    bins: tuple[Ints, Ints]
    known: npt.NDArray[np.bool_]
    words_low: Floats
    words_high: Floats

    @classmethod
    def of(cls, pending: PendingScores, shape: tuple[int, int], words: bool) -> _Known:
        read = pending.read_.reshape(shape)
        taken = np.where(read, pending.words.reshape(shape), 0.0) if words else np.zeros(shape)
        return cls(
            pending.low.astype(np.float64).reshape(shape) / 100,
            pending.high.astype(np.float64).reshape(shape) / 100,
            (_bins(pending.low).reshape(shape), _bins(pending.high).reshape(shape)),
            pending.known.reshape(shape),
            taken,
            np.where(read, taken, 1.0) if words else taken,
        )


def _bound(model: RecurrenceModel, cheap: Floats, now: _Known) -> Floats:
    """The highest logit each pair may have: its `cheap` part, plus the most the parts read
    from the pair scores and the words can give within what is known."""
    weight = model.coefficients / model.scale
    w = {name: float(weight[_AT[name]]) for name in FEATURES}
    low, high = now.low, now.high
    # score, and score less the row's and the column's best: one linear form in the score.
    along = w["score"] + w["margin_later"] + w["margin_earlier"]
    out = cheap + _interval(along, low, high)
    out += _interval(-w["margin_later"], low.max(axis=1, keepdims=True), high.max(1, keepdims=True))
    out += _interval(-w["margin_earlier"], low.max(0, keepdims=True), high.max(0, keepdims=True))
    # Ranks: 1 + the pairs that surely beat it (a higher bin), up to 1 + those that may (not
    # in a lower bin; itself left out).
    bins_low, bins_high = now.bins
    later = (
        1 + _counted(_at_least(bins_low), bins_high + 1),
        _counted(_at_least(bins_high), bins_low),
    )
    earlier = (
        1 + _counted(_at_least(bins_low.T), bins_high.T + 1).T,
        _counted(_at_least(bins_high.T), bins_low.T).T,
    )
    for name, (best, worst) in (("later", later), ("earlier", earlier)):
        out += _interval(w[f"log_rank_{name}"], np.log(best), np.log(worst))
        out += _interval(w[f"best_{name}"], worst == 1, best == 1)
    out += _interval(
        w["best_both"], (later[1] == 1) & (earlier[1] == 1), (later[0] == 1) & (earlier[0] == 1)
    )
    # The gap to the row's second best is the score at most, and only for the row's best.
    out += _interval(w["gap_second_later"], 0.0, np.where(later[0] == 1, high, 0.0))
    out += _interval(w["token_set"], now.words_low, now.words_high)
    return out


def _unsettled(now: _Known, hopeful: npt.NDArray[np.bool_]) -> npt.NDArray[np.bool_]:
    """The unread pairs that may still change the context of a hopeful pair (all read) in
    their row or column: its rank, the line's best, and in a row the second best where a
    hopeful pair is the best."""
    need = np.zeros_like(now.known)
    other = now.low.shape[1]
    for axis in (1, 0):
        low, high, known, chosen = now.low, now.high, now.known, hopeful
        bins_low, bins_high = now.bins
        if axis == 0:  # columns as rows
            low, high, known, chosen = low.T, high.T, known.T, chosen.T
            bins_low, bins_high = bins_low.T, bins_high.T
        lines = chosen.any(axis=1, keepdims=True)
        value = np.where(known, low, -np.inf)
        top = value.max(axis=1, keepdims=True)
        unread = np.where(known, -np.inf, low).max(axis=1, keepdims=True)
        # The line's best: any unread pair that may beat what is known of it.
        wanted = lines & (high > np.maximum(top, unread))
        # A hopeful pair's rank: an unread pair that may or may not beat it (a hopeful pair in
        # a bin from the unread pair's low's to its high's).
        table = _at_least(bins_low, chosen)
        wanted |= _counted(table, bins_low) > _counted(table, bins_high + 1)
        if axis == 1 and other > 1:
            runner = np.partition(value, other - 2, axis=1)[:, -2:-1]
            leads = (chosen & (value == top)).any(axis=1, keepdims=True)
            wanted |= leads & (high > np.maximum(runner, unread))
        need |= (~known & wanted) if axis == 1 else (~known & wanted).T
    return need


def model_links(
    similarity: Similarity,
    later: npt.NDArray[np.int64],
    earlier: npt.NDArray[np.int64],
    subjects: npt.NDArray[np.float32],
    raw: Sequence[str],
    model: RecurrenceModel,
    *,
    threshold: float | None = None,
    linkable: npt.NDArray[np.bool_] | None = None,
) -> Links:
    """(rows, columns, scores): the later x earlier pairs (indexes of `similarity`'s texts;
    subject vectors and texts as written, later asks first) whose probability reaches
    `threshold` (default: the model's), and their pair scores (0-100): those of
    `scored_features` and `model.probability`, reading the words of only the pairs that may
    link. `linkable`: the earlier asks whose pairs may link (default: all); the others are
    still candidates, which place the ranks and margins of the pairs that may."""
    count, other = len(later), len(earlier)
    if not count or not other:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0)
    pending = similarity.pending(later, earlier)
    features = cheap_features(similarity, pending, subjects, raw)

    # Branch and bound: drop the pairs whose bound falls under the threshold, read the rest,
    # then the pairs their context still waits on, until nothing is left to read.
    shape = (count, other)
    cheap = _cheap_logit(model, features)
    threshold = model.threshold if threshold is None else threshold
    cut = np.log(threshold / (1 - threshold)) - _SLACK
    hopeful = np.ones(shape, dtype=bool)
    if linkable is not None:
        hopeful &= linkable[None, :]
    while True:
        now = _Known.of(pending, shape, features.words)
        hopeful &= _bound(model, cheap, now) >= cut
        need = hopeful & ~pending.read_.reshape(shape)
        if not need.any():
            need = _unsettled(now, hopeful)
        if not need.any():
            break
        pending.read(np.flatnonzero(need))
    low = now.low
    rows_, columns = np.nonzero(hopeful)
    if not len(rows_):
        return rows_, columns, np.zeros(0)
    # Every pair that may change a hopeful pair's context is read. An unread pair's low end
    # places it as its score would: above a hopeful pair of its line, or not above it, and
    # never above the line's best (nor its second where a hopeful pair leads).
    context = score_context(low)[rows_, columns]
    chosen = features.at(rows_, columns)
    chosen[:, : len(SCORE_FEATURES)] = context
    if features.words:
        chosen[:, _AT["token_set"]] = pending.words.reshape(count, other)[rows_, columns]
    linked = model.probability(chosen) >= threshold
    rows_, columns = rows_[linked], columns[linked]
    exact = pending.low.astype(np.float64).reshape(count, other)
    return rows_, columns, exact[rows_, columns]


def part_links(
    earlier: Sequence[ClusterItem],
    later: Sequence[ClusterItem],
    model: RecurrenceModel,
    settings: ClusterSettings | None = None,
) -> tuple[Recurrence, ...]:
    """The later asks (whole) that repeat an earlier joint ask: the model reads the later asks
    against the earlier ones with each joint ask replaced by its parts (`by_parts`), and a later
    ask and one part of a joint ask at probability `SURE` or more link the two items, scored as
    their best such pair; none when no earlier ask has parts. Only the parts' pairs may link,
    so only they, and the whole asks' pairs their ranks and margins wait on, are scored
    (`model_links`): the links of scoring every pair."""
    if not later or not any(item.parts for item in earlier):
        return ()
    columns = by_parts(earlier)
    joint = np.array([bool(item.parts) for item in earlier for _ in item.parts or (item.text,)])
    rows, cols, scores = model_links(
        *pair_grid(columns, later, settings), model, threshold=SURE, linkable=joint
    )
    best: dict[tuple[str, str], float] = {}
    for r, c, score in zip(rows.tolist(), cols.tolist(), scores.tolist(), strict=True):
        key = (later[r].id, columns[c].id)
        best[key] = max(best.get(key, 0.0), round(score, 1))
    return tuple(
        Recurrence(later_id, earlier_id, s) for (later_id, earlier_id), s in sorted(best.items())
    )


def review_order(item: ClusterItem) -> tuple[int, int] | None:
    """The order of an ask's review among its State's: its WG session, else its cycle."""
    if item.session is not None:
        return (0, item.session)
    if item.cycle is not None:
        return (1, item.cycle)
    return None


def text_similarity(
    items: Sequence[ClusterItem], settings: ClusterSettings
) -> tuple[Similarity, dict[str, int]]:
    """The similarity of the items' distinct normalized texts, and each item id's text index
    there (`learned_recurrences`' `similarity` and `node_of` without a clustering's)."""
    treaties = load_treaties(settings.treaties)
    normalized = {item.id: normalize(item.text, treaties) for item in items}
    texts = sorted(set(normalized.values()))
    at = {text: i for i, text in enumerate(texts)}
    node_of = {key: at[text] for key, text in normalized.items()}
    return Similarity(texts, treaties, settings), node_of


def learned_recurrences(
    items: Sequence[ClusterItem],
    settings: ClusterSettings | None = None,
    similarity: Similarity | None = None,
    node_of: Mapping[str, int] | None = None,
    *,
    every_pair: bool = False,
) -> tuple[Recurrence, ...]:
    """The recurring asks among `items` as the shipped model finds them: for each State under
    review, each later review's asks against each earlier review's (pairs at least the model's
    threshold), scored with the clusters' similarity, and those a joint ask's parts find
    (`part_links`). Asks whose review is unknown are left out.
    `similarity` and `node_of` (item id -> its text's index there): a clustering's, reused.
    `every_pair`: score every pair (`scored_features`, as the model is trained) instead of
    the bounded search (`model_links`); the same links, slower (the benchmark's baseline)."""
    settings = settings or ClusterSettings()
    model = shipped()
    reviews: dict[str, dict[tuple[int, int], list[ClusterItem]]] = {}
    for item in sorted(items, key=lambda i: i.id):
        review = review_order(item)
        if review is not None:
            reviews.setdefault(item.state_under_review, {}).setdefault(review, []).append(item)
    # Only States with two reviews in one order (sessions, or cycles) are compared.
    reviews = {
        state: by_review
        for state, by_review in reviews.items()
        if max(sum(kind == key[0] for key in by_review) for kind in (0, 1)) > 1
    }
    compared = [
        item for by_review in reviews.values() for part in by_review.values() for item in part
    ]
    if similarity is None or node_of is None:
        similarity, node_of = text_similarity(compared, settings)
    asks = sorted({item.text for item in compared})
    vectors = dict(zip(asks, subject_vectors(asks), strict=True)) if asks else {}
    found: list[Recurrence] = []
    for state in sorted(reviews):
        by_review = reviews[state]
        order = sorted(by_review)
        for at_later, later_key in enumerate(order):
            for earlier_key in order[:at_later]:
                if later_key[0] != earlier_key[0]:
                    continue  # a session and a cycle do not order two reviews
                earlier, later = by_review[earlier_key], by_review[later_key]
                both = [*later, *earlier]
                arguments = (
                    similarity,
                    np.array([node_of[item.id] for item in later], dtype=np.int64),
                    np.array([node_of[item.id] for item in earlier], dtype=np.int64),
                    np.stack([vectors[item.text] for item in both]),
                    [item.text for item in both],
                )
                if every_pair:
                    features, scores = scored_features(*arguments)
                    rows, cols = np.nonzero(model.probability(features) >= model.threshold)
                    linked = scores[rows, cols]
                else:
                    rows, cols, linked = model_links(*arguments, model)
                whole = [
                    Recurrence(later[r].id, earlier[c].id, round(float(score), 1))
                    for r, c, score in zip(
                        rows.tolist(), cols.tolist(), linked.tolist(), strict=True
                    )
                ]
                # A joint ask's parts, compared one by one, add the links its whole misses.
                pairs = {(link.later_id, link.earlier_id) for link in whole}
                found.extend(whole)
                found.extend(
                    link
                    for link in part_links(earlier, later, model, settings)
                    if (link.later_id, link.earlier_id) not in pairs
                )
    return tuple(sorted(found, key=lambda link: (link.later_id, link.earlier_id)))
