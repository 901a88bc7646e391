"""The recurrence model's links by a bounded search (clusters.recurrence_links): the same links
as scoring every pair, on Slovenia's real 2010 and 2014 asks (tests/fixtures), and those of a
joint ask's parts (`part_links`) on them and on Iran 2010 and 2014 (../shared)."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from uprdex.pipeline.clusters import ClusterItem, Recurrence, load_treaties, normalize
from uprdex.pipeline.clusters.recurrence_links import (
    _bound,
    _cheap_logit,
    _Known,
    learned_recurrences,
    model_links,
    part_links,
)
from uprdex.pipeline.clusters.recurrence_model import (
    RecurrenceModel,
    candidate_features,
    cheap_features,
    ranks,
    scored_features,
    shipped,
    subject_vectors,
)
from uprdex.pipeline.clusters.recurrence_parts import SURE, by_parts, state_asks
from uprdex.pipeline.clusters.similarity import PendingScores, Similarity
from uprdex.pipeline.settings import ClusterSettings

from helpers import parsed, shared_ingested


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


@pytest.fixture
def read(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The pairs whose words `PendingScores.read` reads (each once), as they are read."""
    pairs: list[int] = []
    original = PendingScores.read

    def counted(self: PendingScores, at: np.ndarray) -> None:
        pairs.extend(at[~self.read_[at]].tolist())
        original(self, at)

    monkeypatch.setattr(PendingScores, "read", counted)
    return pairs


def test_it_reads_the_words_of_few_pairs(read: list[int]) -> None:
    # The costly part (rapidfuzz) is read only for the pairs that may link and those whose
    # rank or best they wait on; scoring every pair read them all.
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


def _every_part_pair(
    earlier: Sequence[ClusterItem], later: Sequence[ClusterItem], model: RecurrenceModel
) -> tuple[Recurrence, ...]:
    """`part_links` as main c3f22f4 shipped it, the reference: every later ask x every
    candidate (whole asks and the joint asks' parts) scored, then only the parts' pairs kept."""
    if not any(item.parts for item in earlier):
        return ()
    columns = by_parts(earlier)
    joint = np.array([bool(item.parts) for item in earlier for _ in item.parts or (item.text,)])
    features, scores = candidate_features(columns, later)
    linked = (model.probability(features) >= SURE) & joint[None, :]
    best: dict[tuple[str, str], float] = {}
    for r, c in zip(*np.nonzero(linked), strict=True):
        key = (later[r].id, columns[c].id)
        best[key] = max(best.get(key, 0.0), round(float(scores[r, c]), 1))
    return tuple(Recurrence(a, b, s) for (a, b), s in sorted(best.items()))


@functools.cache
def slovenia_joint() -> list[ClusterItem]:
    """Slovenia's 2010 asks of the fixture, each joint ask with what each of its States asked."""
    report = parsed("slovenia2010_recs.pdf")
    parts = {
        f"{report.symbol}#{rec.paragraph}": state_asks(
            [(part.text, part.recommending_states) for part in rec.parts]
        )
        for rec in report.recommendations
    }
    return [dataclasses.replace(item, parts=parts[item.id]) for item in slovenia()[0]]


def _sure_of(
    model: RecurrenceModel, earlier: list[ClusterItem], later: list[ClusterItem]
) -> RecurrenceModel:
    """`model` with its intercept moved so that the best 5% of the parts' pairs reach `SURE`."""
    features, _ = candidate_features(by_parts(earlier), later)
    joint = [bool(item.parts) for item in earlier for _ in item.parts or (item.text,)]
    z = np.log(model.probability(features) / (1 - model.probability(features)))[:, joint]
    shift = np.log(SURE / (1 - SURE)) - float(np.quantile(z, 0.95))
    return dataclasses.replace(model, intercept=model.intercept + shift)


@pytest.mark.parametrize("seed", [None, 1, 2])
def test_part_links_are_those_of_every_pair_reading_few_words(
    read: list[int], seed: int | None
) -> None:
    # Only the parts' pairs may link, but their ranks and margins count the whole asks too:
    # the pairs those wait on are read, and no other. The shipped model, and others whose
    # coefficients have other signs (a rank that helps, a margin that hurts), each with its
    # intercept moved so that 5% of the parts' pairs reach the sure cut.
    earlier, later = slovenia_joint(), slovenia()[1]
    model = shipped()
    if seed is not None:
        signs = np.random.default_rng(seed).choice([-1.0, 1.0], len(model.coefficients))
        model = dataclasses.replace(model, coefficients=model.coefficients * signs)
    model = _sure_of(model, earlier, later)
    read.clear()  # choosing the intercept scored every pair
    found = part_links(earlier, later, model)
    pairs = len(later) * len(by_parts(earlier))
    assert 0 < len(read) < pairs / 4, f"read the words of {len(read)} of {pairs} pairs"
    assert len(found) >= 3
    assert found == _every_part_pair(earlier, later, model)


@pytest.fixture(scope="module")
def iran(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[ClusterItem], list[ClusterItem]]:
    """Iran's 2010 asks (four joint ones, with what each of their States asked) and 2014 asks,
    as the index stores them."""
    import uprdex

    reports = ("wg_reports/iran2010.pdf", "wg_reports/iran2014.pdf")
    index = shared_ingested(reports, tmp_path_factory.mktemp("parts") / "index.sqlite")
    by_symbol: dict[str, list[ClusterItem]] = {"A/HRC/14/12": [], "A/HRC/28/12": []}
    with uprdex.open_index(Path(index)) as opened:
        for row in opened.recommendations(state_under_review="IRN"):
            named = [(part["text"], part["recommending_states"]) for part in row["parts"] or ()]
            by_symbol[row["document_symbol"]].append(
                ClusterItem(
                    row["id"],
                    row["text"],
                    row["state_under_review"],
                    row["cycle"],
                    row["session"],
                    tuple(row["recommending_states"]),
                    state_asks(named),
                )
            )
    return by_symbol["A/HRC/14/12"], by_symbol["A/HRC/28/12"]


@pytest.mark.corpus
def test_iran_2014s_part_links_are_those_of_every_pair_reading_few_words(
    iran: tuple[list[ClusterItem], list[ClusterItem]], read: list[int]
) -> None:
    earlier, later = iran
    assert sum(bool(item.parts) for item in earlier) >= 4  # 92.20, the death penalty, among them
    found = part_links(earlier, later, shipped())
    pairs = len(later) * len(by_parts(earlier))
    assert 0 < len(read) < pairs / 20, f"read the words of {len(read)} of {pairs} pairs"
    assert len(found) > 10
    assert found == _every_part_pair(earlier, later, shipped())
