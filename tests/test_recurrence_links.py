"""The recurrence model's links by a bounded search (clusters.recurrence_links): the same links
as scoring every pair, on Slovenia's real 2010 and 2014 asks (tests/fixtures)."""

from __future__ import annotations

import dataclasses
import functools

import numpy as np
import pytest

from uprdex.pipeline.clusters import ClusterItem, load_treaties, normalize
from uprdex.pipeline.clusters.recurrence_links import (
    _bound,
    _cheap_logit,
    _Known,
    learned_recurrences,
    model_links,
)
from uprdex.pipeline.clusters.recurrence_model import (
    RecurrenceModel,
    cheap_features,
    ranks,
    scored_features,
    shipped,
    subject_vectors,
)
from uprdex.pipeline.clusters.similarity import PendingScores, Similarity
from uprdex.pipeline.settings import ClusterSettings

from helpers import parsed


@functools.cache
def slovenia() -> tuple[list[ClusterItem], list[ClusterItem]]:
    """(2010 asks, 2014 asks) of the fixture reports."""
    reviews = []
    for name in ("slovenia2010_recs.pdf", "slovenia2014_recs.pdf"):
        report = parsed(name)
        reviews.append(
            [
                ClusterItem(
                    f"{report.symbol}#{rec.paragraph}",
                    rec.text,
                    "Slovenia",
                    report.cycle,
                    report.session,
                    tuple(rec.recommending_states),
                )
                for rec in report.recommendations
            ]
        )
    return reviews[0], reviews[1]


def _arguments(
    settings: ClusterSettings | None = None,
) -> tuple[Similarity, np.ndarray, np.ndarray, np.ndarray, list[str]]:
    earlier, later = slovenia()
    settings = settings or ClusterSettings()
    treaties = load_treaties(settings.treaties)
    both = [*later, *earlier]
    texts = sorted({normalize(item.text, treaties) for item in both})
    at = {text: i for i, text in enumerate(texts)}
    nodes = np.array([at[normalize(item.text, treaties)] for item in both], dtype=np.int64)
    raw = [item.text for item in both]
    similarity = Similarity(texts, treaties, settings)
    return similarity, nodes[: len(later)], nodes[len(later) :], subject_vectors(raw), raw


def _every_pair(model: RecurrenceModel, settings: ClusterSettings | None = None) -> set:
    features, scores = scored_features(*_arguments(settings))
    rows, cols = np.nonzero(model.probability(features) >= model.threshold)
    return set(zip(rows.tolist(), cols.tolist(), scores[rows, cols].tolist(), strict=True))


def _bounded(model: RecurrenceModel, settings: ClusterSettings | None = None) -> set:
    rows, cols, scores = model_links(*_arguments(settings), model)
    return set(zip(rows.tolist(), cols.tolist(), scores.tolist(), strict=True))


def test_the_bounded_search_finds_the_links_of_every_pair() -> None:
    earlier, later = slovenia()
    items = [*earlier, *later]
    bounded = learned_recurrences(items)
    assert len(bounded) > 10
    assert bounded == learned_recurrences(items, every_pair=True)


def test_it_reads_the_words_of_few_pairs(monkeypatch: pytest.MonkeyPatch) -> None:
    # The costly part (rapidfuzz) is read only for the pairs that may link and those whose
    # rank or best they wait on; scoring every pair read them all.
    read: list[int] = []
    original = PendingScores.read

    def counted(self: PendingScores, at: np.ndarray) -> None:
        read.extend(at[~self.read_[at]].tolist())
        original(self, at)

    monkeypatch.setattr(PendingScores, "read", counted)
    earlier, later = slovenia()
    assert learned_recurrences([*earlier, *later])
    assert 0 < len(read) < len(earlier) * len(later) / 4


def test_the_pending_scores_bound_and_then_equal_the_pair_scores() -> None:
    similarity, later, earlier, _, _ = _arguments()
    pending = similarity.pending(later, earlier)
    bounds = pending.low.copy(), pending.high.copy()
    assert (bounds[0] < bounds[1]).mean() > 0.5  # the words matter for most pairs
    pending.read(np.arange(len(pending.pairs)))
    exact = similarity.pairs(pending.pairs, 0)
    assert (bounds[0] <= pending.low).all() and (pending.low <= bounds[1]).all()
    # The grid's products round a pair's last bits as they may; the score is the same.
    assert np.allclose(pending.low, exact, rtol=1e-5, atol=1e-4)
    assert np.array_equal(pending.high, pending.low)


def test_the_bound_is_never_under_a_pair_logit() -> None:
    model = shipped()
    arguments = _arguments()
    features, _ = scored_features(*arguments)
    logits = np.log(model.probability(features) / (1 - model.probability(features)))
    similarity, later, earlier, subjects, raw = arguments
    pending = similarity.pending(later, earlier)
    cheap = _cheap_logit(model, cheap_features(similarity, pending, subjects, raw))
    bound = _bound(model, cheap, _Known.of(pending, logits.shape, True))
    assert (bound >= logits - 1e-9).all()
    # ... and tight enough to leave most pairs out before any word is read.
    assert (bound >= np.log(model.threshold / (1 - model.threshold))).mean() < 0.25


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_any_model_finds_the_same_links_both_ways(seed: int) -> None:
    # Coefficients of other signs (a rank that helps, a margin that hurts): the bound and the
    # context's settling hold for any model, not only the shipped one. The threshold lets the
    # best 1% of pairs link.
    rng = np.random.default_rng(seed)
    model = shipped()
    other = dataclasses.replace(
        model, coefficients=model.coefficients * rng.choice([-1.0, 1.0], len(model.coefficients))
    )
    features, _ = scored_features(*_arguments())
    other.threshold = float(np.quantile(other.probability(features), 0.99))
    found = _bounded(other)
    assert len(found) > 10
    assert found == _every_pair(other)


def test_the_weighted_mix_finds_the_same_links_both_ways() -> None:
    settings = ClusterSettings(learned=False)
    assert _bounded(shipped(), settings) == _every_pair(shipped(), settings)


def test_ranks_count_the_better_scores_ties_sharing() -> None:
    scores = np.array([[0.5, 0.9, 0.5, 0.1], [0.0, 0.0, 0.3, -0.0]])
    expected = 1 + (scores[:, None, :] > scores[:, :, None]).sum(axis=2)
    assert np.array_equal(ranks(scores, 1), expected)
    assert np.array_equal(ranks(scores.T, 0), expected.T)
    assert ranks(scores, 1).tolist() == [[2, 1, 2, 4], [2, 2, 1, 2]]
