"""The learned pair score: its fast form, its training, the shipped model, no scikit-learn at run
time.

Texts of tests/fixtures/pairs_labelled.csv are real recommendations of Kazakhstan 2014
(A/HRC/28/10) and Senegal 2013 (A/HRC/25/4) with their gold clusters (bench/gold).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from uprdex.pipeline.clusters import ClusterItem, ClusterSettings, cluster, pair_model
from uprdex.pipeline.clusters.pair_features import DENSE_FEATURES
from uprdex.pipeline.clusters.pair_model import (
    DEFAULT_MODEL_DIR,
    METADATA_FILE,
    MODEL_FILE,
    LearnedPairs,
    PairModel,
    PairModelError,
)
from uprdex.pipeline.clusters.similarity import similarity
from uprdex.pipeline.semantic import SemanticModel
from uprdex.pipeline.train_pairs import labelled_pairs, read_labelled, review_inputs
from uprdex.pipeline.train_themes import file_sha256

from helpers import fixture

LABELLED = fixture("pairs_labelled.csv")


def _random_model(
    seed: int, scorers: tuple[str, ...] = ("token_set_ratio",), knots: tuple[float, ...] = ()
) -> PairModel:
    """Coefficients of every kind, random, so that each part of the fast form counts."""
    rng = np.random.default_rng(seed)
    vocabulary = len(SemanticModel.load()._block.idf)
    arrays = {
        "dense": rng.normal(size=len(DENSE_FEATURES) + len(knots)) * 3,
        "word": np.abs(rng.normal(size=len(scorers))) + 2,  # a word score that counts
        "shared": rng.normal(size=vocabulary).astype(np.float32),
        "apart": rng.normal(size=vocabulary).astype(np.float32),
        "intercept": np.array(rng.normal()),
        "scale_from": np.linspace(0, 1, 11),
        "scale_to": np.linspace(0, 100, 11),
        **({"knots": np.array(knots)} if knots else {}),
    }
    return PairModel(arrays, {"format": 1, "scorers": list(scorers)})


@pytest.mark.parametrize("block", [1024, 1])
def test_fast_form_scores_as_the_full_feature_rows(
    block: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 1: the review's pairs as one product of its rows (a State's, many pairs); 1024: matched
    # entry by entry (few pairs).
    monkeypatch.setattr(pair_model, "_BLOCK", block)
    review = read_labelled(LABELLED)[0]
    inputs, _ = review_inputs(review)
    pairs, _ = labelled_pairs(review)
    for seed, knots in ((0, ()), (1, ()), (2, (0.3, 0.6))):
        model = _random_model(seed, knots=knots)
        learned = LearnedPairs(model, inputs)
        slow = model.logits_slow(inputs, pairs)
        # All pairs of one review: one sparse product of their rows.
        fast, whole = learned.logits(pairs)
        assert whole.all()
        assert np.allclose(fast, slow, rtol=0, atol=1e-9)
        # A few scattered pairs (as blocking proposes them): row by row.
        scattered = pairs[[0, 7, 40, len(pairs) - 1]]
        assert np.allclose(learned.logits(scattered)[0], slow[[0, 7, 40, len(pairs) - 1]])
        # With a cutoff, the word score is skipped only where it could not reach it.
        cutoff = float(np.median(model.mapped(slow)))
        scores = learned.scores(pairs, cutoff)
        expected = np.where(model.mapped(slow) >= cutoff, model.mapped(slow), 0)
        assert np.allclose(scores, expected, atol=1e-4)
        assert 0 < np.count_nonzero(scores) < len(pairs)


def test_training_is_reproducible(tmp_path: Path) -> None:
    pytest.importorskip("sklearn")
    from uprdex.pipeline.train_pairs import train

    first = train(LABELLED, tmp_path / "a")
    second = train(LABELLED, tmp_path / "b")
    assert first == second
    assert first["reviews"] == ["Kazakhstan 2014", "Senegal 2013"]
    with (
        np.load(tmp_path / "a" / MODEL_FILE) as a,
        np.load(tmp_path / "b" / MODEL_FILE) as b,
    ):
        assert sorted(a.files) == sorted(b.files)
        for name in a.files:
            assert np.array_equal(a[name], b[name]), name
    written = json.loads((tmp_path / "b" / METADATA_FILE).read_text("utf-8"))
    assert written == first
    # What it learned ranks the fixture's "one commitment" pairs above the others.
    model = PairModel.load(tmp_path / "a")
    review = read_labelled(LABELLED)[1]
    inputs, mix = review_inputs(review, model.word_vectors)
    # The scale is the weighted mix's, whatever the default (not the shipped pair model's).
    assert mix.learned is None
    pairs, labels = labelled_pairs(review)
    logits, _ = LearnedPairs(model, inputs).logits(pairs)
    assert logits[labels == 1].mean() > logits[labels == 0].mean()


def test_a_model_read_with_other_models_is_another_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The pair model learns from the meaning cosine and the word vectors: the same labels read
    # with another similarity model (the texts normalized anew, retrained) give another version,
    # with or without the vectors, so an index's clusters are computed afresh.
    pytest.importorskip("sklearn")
    from uprdex.pipeline import train_semantic
    from uprdex.pipeline.train_pairs import train

    for config in ({}, {"vector_features": []}):
        shipped = train(LABELLED, tmp_path / "shipped", config)["version"]
        with monkeypatch.context() as patched:
            patched.setattr(SemanticModel, "version", property(lambda _: "1.8+norm.11"))
            assert train(LABELLED, tmp_path / "other", config)["version"] != shipped
    # A new normalization of the texts is a new version of each model trained on them.
    now = train_semantic.text_model_version(1, 8, "0" * 64, 0)
    monkeypatch.setattr(train_semantic, "NORMALIZATION", train_semantic.NORMALIZATION + 1)
    assert train_semantic.text_model_version(1, 8, "0" * 64, 0) != now


def test_the_shipped_models_are_trained_on_texts_normalized_as_now() -> None:
    # A change to `normalize` bumps NORMALIZATION; the shipped models must then be retrained,
    # each on the ones it reads (the pair model on the similarity model's and the vectors' terms
    # of today's texts, the link model on the pair model's scores).
    from uprdex.pipeline.clusters.normalize import NORMALIZATION
    from uprdex.pipeline.clusters.recurrence_model import RecurrenceModel
    from uprdex.pipeline.word_vectors import WordVectors

    tag = f"+norm.{NORMALIZATION}."
    assert tag in SemanticModel.load().version
    assert tag in WordVectors.load().version
    shipped = PairModel.load().metadata
    assert shipped["similarity_model"] == SemanticModel.load().version
    assert shipped["word_vectors"] == WordVectors.load().version
    # And the recurring-ask link model learned from the pair model shipped beside it.
    links = RecurrenceModel.load().metadata
    assert links["pair_model"] == PairModel.load().version
    assert links["similarity_model"] == SemanticModel.load().version


def test_shipped_model_is_small_and_trained_on_the_labelled_reviews_never_the_tests() -> None:
    assert (DEFAULT_MODEL_DIR / MODEL_FILE).stat().st_size < 2_000_000
    model = PairModel.load()
    # Trained on the 57 labelled reviews of bench/gold, never on issue #19's five test
    # reviews: bench/cluster_protocol.py scores the shipped model itself on them, held out.
    data = Path(__file__).resolve().parents[1] / "bench" / "gold" / "pairs_training.csv"
    gold = {review.name for review in read_labelled(data)}
    tests = {"Slovenia 2019", "Nigeria 2013", "Viet Nam 2014", "Costa Rica 2014", "Norway 2014"}
    assert not tests & gold
    assert {"India 2012", "Tunisia 2012", "Ghana 2012", "Ukraine 2012", "Qatar 2014"} <= gold
    assert len(gold) == 57
    # Exactly the labelled groups of bench/review_groups.py, as bench/pair_training_data.py
    # writes them by default (bench/learning_curve.py --compare chose them all).
    sys.path.insert(0, str(data.parents[1]))
    import review_groups as groups

    labelled = (groups.TUNING, groups.FRESH, groups.UNSEEN, groups.LATEST, groups.NEWEST)
    assert gold == {name for group in (*labelled, groups.FINAL) for name in group}
    assert not gold & set(groups.REVIEWS)
    assert set(model.metadata["reviews"]) == gold
    assert model.metadata["data_sha256"] == file_sha256(data)
    assert model.metadata["similarity_model"] == SemanticModel.load().version


def test_missing_model_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(PairModelError, match="no pair model"):
        PairModel.load(tmp_path)
    (tmp_path / MODEL_FILE).write_bytes(b"not a zip")
    (tmp_path / METADATA_FILE).write_text('{"format": 1}', encoding="utf-8")
    with pytest.raises(PairModelError, match="not a model archive"):
        PairModel.load(tmp_path)


def test_learned_clusters_keep_the_treaty_rules() -> None:
    learned = ClusterSettings(learned=True)
    ced = "Ratify the International Convention for the Protection of All Persons from Enforced "
    assert similarity(ced + "Disappearance", "Ratify the ICRMW", learned) == 0
    assert similarity(ced + "Disappearance", "Ratify the CED", learned) == 100
    items = [
        ClusterItem(f"A/HRC/43/15#1.{n}", text, "Slovenia", 3, 34)
        for n, text in enumerate(
            [
                "Adopt a national action plan against trafficking in persons (Chile);",
                "Adopt a national action plan to combat trafficking in persons (Peru);",
                "Ensure access to safe drinking water and sanitation for all Roma (Spain);",
            ]
        )
    ]
    result = cluster(items, learned)
    assert result.assignment[items[0].id] == result.assignment[items[1].id]
    assert result.assignment[items[2].id] != result.assignment[items[0].id]


def test_clustering_with_the_model_does_not_import_scikit_learn() -> None:
    code = (
        "import sys\n"
        "from uprdex.pipeline.clusters import ClusterItem, ClusterSettings, cluster\n"
        "items = [ClusterItem(f'x#{n}', t, 'Slovenia', 3, 34) for n, t in enumerate(\n"
        "    ['Ratify the OP-CAT (Chile);', 'Ratify OPCAT (Peru);', 'Abolish the death penalty'])\n"
        "]\n"
        "result = cluster(items, ClusterSettings(learned=True))\n"
        "assert result.assignment['x#0'] == result.assignment['x#1'], result.assignment\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'sklearn'))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_a_similarity_model_it_was_not_trained_with_is_a_clear_error(tmp_path: Path) -> None:
    pytest.importorskip("sklearn")
    from uprdex.pipeline.train_semantic import train

    train(fixture("upr_info_slovenia_s20.csv"), tmp_path / "model", dimensions=8, min_df=1)
    retrained = ClusterSettings(similarity_model=tmp_path / "model")
    with pytest.raises(PairModelError, match=r"retrain it .* or cluster without it"):
        similarity("Ratify the OP-CAT", "Ratify OPCAT", retrained)
    mix = ClusterSettings(similarity_model=tmp_path / "model", learned=False)
    assert similarity("Ratify the OP-CAT", "Ratify OPCAT", mix) == 100


def test_term_weights_tied_by_class_carry_over_to_unseen_terms(tmp_path: Path) -> None:
    # term_scale 0: no weight of a term's own, only its class's (rarity over the UPR Info
    # export, stem or stem pair), so a term no training pair has still weighs.
    pytest.importorskip("sklearn")
    from uprdex.pipeline.train_pairs import term_classes, train

    train(LABELLED, tmp_path, {"term_scale": 0.0, "term_classes": 4})
    model = PairModel.load(tmp_path)
    classes = term_classes(4)
    assert sorted(set(classes.tolist())) == list(range(8))
    for weights in (model.shared, model.apart):
        for at in range(8):
            tied = weights[classes == at]
            assert np.all(tied == tied[0])
    # Terms of no training text weigh as their class does, not zero.
    review_terms = set()
    for review in read_labelled(LABELLED):
        inputs, _ = review_inputs(review)
        review_terms |= set(inputs.terms.indices.tolist())
    unseen = np.setdiff1d(np.arange(len(classes)), sorted(review_terms))
    assert len(unseen) and np.count_nonzero(model.apart[unseen]) == len(unseen)
    # The per-term model keeps them at zero.
    train(LABELLED, tmp_path / "terms")
    assert not np.any(PairModel.load(tmp_path / "terms").apart[unseen])
    assert json.loads((tmp_path / METADATA_FILE).read_text("utf-8"))["term_classes"] == 4


def test_meaning_knots_weigh_close_meanings_apart() -> None:
    # A model with knots scores by the meaning cosine's excess over each: the same logits as
    # adding max(0, meaning - knot) times its weight by hand.
    review = read_labelled(LABELLED)[0]
    inputs, _ = review_inputs(review)
    pairs, _ = labelled_pairs(review)
    plain = _random_model(3)
    arrays = {
        "dense": np.concatenate([plain.dense, [5.0, -2.0]]),
        "word": plain.word,
        "shared": plain.shared,
        "apart": plain.apart,
        "intercept": np.array(plain.intercept),
        "scale_from": plain.scale_from,
        "scale_to": plain.scale_to,
        "knots": np.array([0.4, 0.8]),
    }
    knotted = PairModel(arrays, plain.metadata)
    meaning = pair_model.dense_features(inputs, pairs)[:, 0]
    extra = 5.0 * np.maximum(meaning - 0.4, 0) - 2.0 * np.maximum(meaning - 0.8, 0)
    assert np.count_nonzero(extra)
    expected = LearnedPairs(plain, inputs).logits(pairs)[0] + extra
    assert np.allclose(LearnedPairs(knotted, inputs).logits(pairs)[0], expected, atol=1e-9)
    with pytest.raises(PairModelError, match="disagree"):
        PairModel({**arrays, "knots": np.array([0.4])}, plain.metadata)
