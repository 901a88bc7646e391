"""Word vectors of UPR stems and the pair features read from them (issue #19)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from uprdex.pipeline import word_vectors
from uprdex.pipeline.clusters import ClusterItem, ClusterSettings, cluster
from uprdex.pipeline.clusters.pair_features import DENSE_FEATURES
from uprdex.pipeline.clusters.pair_model import (
    DEFAULT_MODEL_DIR,
    LearnedPairs,
    PairModel,
    PairModelError,
)
from uprdex.pipeline.semantic import SemanticModel
from uprdex.pipeline.tfidf import vocabulary_blob
from uprdex.pipeline.train_pairs import labelled_pairs, read_labelled, review_inputs
from uprdex.pipeline.word_vectors import (
    METADATA_FILE,
    MODEL_FILE,
    WordVectors,
    WordVectorsError,
    vector_features,
)

from helpers import fixture

# "domest" and "incorpor" stand for one another (cosine 0.8); "treati" and "water" for nothing.
STEMS = ("domest", "incorpor", "treati", "water")
VECTORS = np.array([[1, 0, 0], [0.8, 0.6, 0], [0, 0, 1], [0, -1, 0]], dtype=np.float64)
IDF = np.array([2.0, 2.0, 1.0, 3.0])


def _vectors() -> WordVectors:
    scale = np.full(3, 1 / 100)
    return WordVectors(
        {
            "vocab": vocabulary_blob(STEMS),
            "vectors_int8": np.round(VECTORS / scale).astype(np.int8),
            "vectors_scale": scale.astype(np.float32),
            "idf": IDF.astype(np.float32),
        },
        {"version": "test"},
    )


def _features(texts: list[str], pairs: list[tuple[int, int]], name: str) -> np.ndarray:
    lexicon = _vectors().lexicon(texts)
    return vector_features(lexicon, np.array(pairs, dtype=np.int64), (name,))[:, 0]


def test_alignment_finds_the_word_that_stands_for_another() -> None:
    texts = ["domest treati", "incorpor treati", "water treati", "domest treati"]
    aligned = _features(texts, [(0, 1), (0, 2), (0, 3)], "align")
    # Each word's best cosine in the other ask, idf-weighted: (2 x 0.8 + 1 x 1) / 3 both ways.
    assert aligned[0] == pytest.approx(2.6 / 3, abs=1e-3)
    # "water" (idf 3) and "domest" (2) stand for no word of the other ask (cosines clipped at
    # 0): only "treati" (1) is found, each way.
    assert aligned[1] == pytest.approx((1 / 3 + 1 / 4) / 2)
    assert aligned[2] == pytest.approx(1.0)


def test_alignment_is_symmetric_and_weighs_rare_words_more() -> None:
    texts = ["domest", "domest water", "domest treati"]
    aligned = _features(texts, [(0, 1), (1, 0), (0, 2)], "align")
    # One way every word is found (1), the other "water" (idf 3) is not: (2 / 5 + 1) / 2.
    assert aligned[0] == pytest.approx((2 / 5 + 1) / 2)
    assert aligned[1] == aligned[0]
    # "treati" is commoner (idf 1): missing it costs less.
    assert aligned[2] == pytest.approx((2 / 3 + 1) / 2)


def test_words_the_vectors_lack_are_left_out() -> None:
    aligned = _features(
        ["domest unknownstem", "incorpor", "unknownstem"], [(0, 1), (2, 2)], "align"
    )
    assert aligned[0] == pytest.approx(0.8, abs=1e-3)
    assert aligned[1] == 0  # no known word


def test_centroid_is_the_cosine_of_the_idf_weighted_means() -> None:
    centroid = _features(["domest treati", "incorpor"], [(0, 1)], "centroid")
    mean = 2 * VECTORS[0] + 1 * VECTORS[2]
    expected = mean @ VECTORS[1] / np.linalg.norm(mean)
    assert centroid[0] == pytest.approx(expected, abs=1e-3)
    with pytest.raises(WordVectorsError, match="no word vector feature"):
        _features(["domest"], [(0, 0)], "nearest")


def test_alignment_in_chunks_of_any_size_is_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(0)
    texts = [" ".join(rng.choice(STEMS, size=rng.integers(1, 9))) for _ in range(40)]
    pairs = np.array(np.triu_indices(len(texts), 1), dtype=np.int64).T
    lexicon = _vectors().lexicon(texts)
    whole = vector_features(lexicon, pairs, ("align",))
    monkeypatch.setattr(word_vectors, "_CELLS", 30)
    monkeypatch.setattr(word_vectors, "_CHUNK", 7)
    assert np.array_equal(vector_features(lexicon, pairs, ("align",)), whole)


def test_training_is_reproducible_and_keeps_stems_of_enough_texts(tmp_path: Path) -> None:
    pytest.importorskip("sklearn")
    from uprdex.pipeline.train_word_vectors import train

    config = {"dimensions": 4, "min_count": 2}
    first = train(fixture("upr_info_slovenia_s20.csv"), tmp_path / "a", seed=0, config=config)
    second = train(fixture("upr_info_slovenia_s20.csv"), tmp_path / "b", seed=0, config=config)
    assert first == second
    with np.load(tmp_path / "a" / MODEL_FILE) as a, np.load(tmp_path / "b" / MODEL_FILE) as b:
        for name in word_vectors.WORD_ARRAYS:
            assert np.array_equal(a[name], b[name]), name
    assert json.loads((tmp_path / "a" / METADATA_FILE).read_text("utf-8")) == first
    model = WordVectors.load(tmp_path / "a")
    assert "ratifi" in model.vocabulary and model.unit.shape == (first["stems"], 4)
    # "Ratify" in many texts weighs less than a stem of two.
    assert model.idf[model.vocabulary["ratifi"]] < model.idf.max()


def test_missing_word_vectors_are_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(WordVectorsError, match="train-word-vectors"):
        WordVectors.load(tmp_path)


def _with_vectors(names: tuple[str, ...], coefficients: tuple[float, ...]) -> PairModel:
    """A pair model with random coefficients and word vector features."""
    rng = np.random.default_rng(5)
    vocabulary = len(SemanticModel.load()._block.idf)
    words = _vectors()
    arrays = {
        "dense": rng.normal(size=len(DENSE_FEATURES)),
        "word": np.array([3.0]),
        "shared": rng.normal(size=vocabulary).astype(np.float32),
        "apart": rng.normal(size=vocabulary).astype(np.float32),
        "intercept": np.array(-1.0),
        "scale_from": np.linspace(0, 1, 11),
        "scale_to": np.linspace(0, 100, 11),
        "vector": np.array(coefficients),
        **{f"words_{name}": words.arrays[name] for name in word_vectors.WORD_ARRAYS},
    }
    metadata = {
        "format": 1,
        "scorers": ["token_set_ratio"],
        "vector_features": list(names),
        "word_vectors": "test",
    }
    return PairModel(arrays, metadata)


def test_fast_form_with_word_vectors_scores_as_the_full_rows() -> None:
    model = _with_vectors(("align", "centroid"), (4.0, -2.0))
    assert model.word_vectors is not None
    review = read_labelled(fixture("pairs_labelled.csv"))[0]
    texts_inputs, _ = review_inputs(review, model.word_vectors)
    pairs, _ = labelled_pairs(review)
    slow = model.logits_slow(texts_inputs, pairs)
    without = _with_vectors(("align", "centroid"), (0.0, 0.0)).logits_slow(texts_inputs, pairs)
    assert not np.allclose(slow, without)  # the features count
    learned = LearnedPairs(model, texts_inputs)
    fast, whole = learned.logits(pairs)
    assert whole.all() and np.allclose(fast, slow, atol=1e-9)
    # With a cutoff, the alignment is skipped only where it could not reach it.
    cutoff = float(np.median(model.mapped(slow)))
    expected = np.where(model.mapped(slow) >= cutoff, model.mapped(slow), 0)
    assert np.allclose(learned.scores(pairs, cutoff), expected, atol=1e-4)
    # The inputs of a model without word vectors lack them: a clear error, not a wrong score.
    bare, _ = review_inputs(review)
    with pytest.raises(PairModelError, match="word vectors are missing"):
        model.logits_slow(bare, pairs)


def test_older_models_without_word_vectors_still_load() -> None:
    # A model of the format before word vectors (and positions): the shipped one's arrays and
    # metadata without them.
    shipped = PairModel.load(DEFAULT_MODEL_DIR)
    metadata = {
        key: value
        for key, value in shipped.metadata.items()
        if key not in ("vector_features", "word_vectors", "position_features")
    }
    model = PairModel(_arrays(shipped), metadata)
    assert model.vector_features == () and model.word_vectors is None
    assert len(model.vector) == 0
    with pytest.raises(PairModelError, match="disagree"):
        arrays = {"vector": np.array([1.0]), **_arrays(model)}
        PairModel(arrays, metadata)


def _arrays(model: PairModel) -> dict[str, np.ndarray]:
    return {
        "dense": model.dense,
        "word": model.word,
        "shared": model.shared,
        "apart": model.apart,
        "intercept": np.array(model.intercept),
        "scale_from": model.scale_from,
        "scale_to": model.scale_to,
    }


def test_a_pair_model_trained_with_word_vectors_carries_them(tmp_path: Path) -> None:
    pytest.importorskip("sklearn")
    from uprdex.pipeline.train_pairs import train
    from uprdex.pipeline.train_word_vectors import train as train_words

    words = train_words(
        fixture("upr_info_slovenia_s20.csv"),
        tmp_path / "words",
        config={"dimensions": 4, "min_count": 2},
    )
    config = {"vector_features": ["align"], "word_vectors": str(tmp_path / "words")}
    metadata = train(fixture("pairs_labelled.csv"), tmp_path / "pairs", config)
    assert metadata["vector_features"] == ["align"]
    assert metadata["word_vectors"] == words["version"]
    model = PairModel.load(tmp_path / "pairs")
    assert len(model.vector) == 1 and model.vector[0] != 0
    assert model.word_vectors is not None
    assert model.word_vectors.vocabulary == WordVectors.load(tmp_path / "words").vocabulary
    # Clustering with it needs no word vector folder: the pair model holds its own.
    items = [
        ClusterItem(f"x#{n}", text, "Slovenia", 3, 34)
        for n, text in enumerate(["Ratify the OP-CAT (Chile);", "Ratify OPCAT (Peru);"])
    ]
    result = cluster(items, ClusterSettings(pair_model=tmp_path / "pairs"))
    assert result.assignment["x#0"] == result.assignment["x#1"]


def test_a_model_with_the_word_alignment_finds_recurring_asks(tmp_path: Path) -> None:
    # The learned recurring asks bound each pair before its costly parts are read, then finish
    # the pairs they choose: a model with the alignment crashed there ("not read from a grid").
    pytest.importorskip("sklearn")
    from uprdex.pipeline.train_pairs import train
    from uprdex.pipeline.train_word_vectors import train as train_words

    train_words(
        fixture("upr_info_slovenia_s20.csv"),
        tmp_path / "words",
        config={"dimensions": 4, "min_count": 2},
    )
    config = {"vector_features": ["align"], "word_vectors": str(tmp_path / "words")}
    train(fixture("pairs_labelled.csv"), tmp_path / "pairs", config)
    settings = ClusterSettings(pair_model=tmp_path / "pairs")
    assert settings.learned_links
    items = [
        ClusterItem("a#1", "Ratify the OP-CAT (Chile);", "Slovenia", 1, 7),
        ClusterItem("b#1", "Ratify OPCAT (Peru);", "Slovenia", 2, 20),
    ]
    result = cluster(items, settings)
    assert [(r.later_id, r.earlier_id) for r in result.recurrences] == [("b#1", "a#1")]


def test_the_centroid_of_many_pairs_gathers_their_rows_in_slices() -> None:
    # The UPR Info rows within each State are 3.6 million pairs: both centroids of each at once
    # (100 float32) took 2.9 GB more than the clustering needs.
    import tracemalloc

    rng = np.random.default_rng(1)
    stems = tuple(f"stem{n}" for n in range(300))
    scale = np.full(100, 1 / 100)
    vectors = WordVectors(
        {
            "vocab": vocabulary_blob(stems),
            "vectors_int8": rng.integers(-100, 100, size=(300, 100)).astype(np.int8),
            "vectors_scale": scale.astype(np.float32),
            "idf": np.ones(300, dtype=np.float32),
        },
        {"version": "test"},
    )
    lexicon = vectors.lexicon([" ".join(rng.choice(stems, size=5)) for _ in range(500)])
    pairs = rng.integers(0, 500, size=(50_000, 2))
    expected = np.clip(
        np.einsum("ij,ij->i", lexicon.centroids[pairs[:, 0]], lexicon.centroids[pairs[:, 1]]),
        0,
        1,
    )
    tracemalloc.start()
    try:
        centroid = vector_features(lexicon, pairs, ("centroid",))[:, 0]
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert np.array_equal(centroid, expected)
    assert peak < 10_000_000  # the rows of all 50,000 pairs: 40 MB


def test_a_pair_model_naming_an_unknown_word_vector_feature_is_refused_on_load() -> None:
    # Read by a release that knows no such feature: refused when loaded, not mid-clustering.
    with pytest.raises(PairModelError, match="nearest"):
        _with_vectors(("nearest",), (1.0,))


def test_train_pairs_reads_the_word_vectors_it_is_given(tmp_path: Path) -> None:
    # `uprdex train-word-vectors --out DIR` then `uprdex train-pairs --word-vectors DIR`: the
    # pair model carries those vectors, not the shipped ones.
    pytest.importorskip("sklearn")
    from click.testing import CliRunner

    from uprdex.flows.cli import main
    from uprdex.pipeline.train_word_vectors import train as train_words

    words = train_words(
        fixture("upr_info_slovenia_s20.csv"),
        tmp_path / "words",
        config={"dimensions": 4, "min_count": 2},
    )
    result = CliRunner().invoke(
        main,
        [
            "train-pairs",
            str(fixture("pairs_labelled.csv")),
            "--out",
            str(tmp_path / "pairs"),
            "--word-vectors",
            str(tmp_path / "words"),
        ],
    )
    assert result.exit_code == 0, result.output
    model = PairModel.load(tmp_path / "pairs")
    assert model.metadata["word_vectors"] == words["version"]
    assert model.word_vectors is not None
    assert model.word_vectors.vocabulary == WordVectors.load(tmp_path / "words").vocabulary
    # Its version names the vectors: trained on the shipped ones, the same labels give another.
    shipped = CliRunner().invoke(
        main,
        ["train-pairs", str(fixture("pairs_labelled.csv")), "--out", str(tmp_path / "shipped")],
    )
    assert shipped.exit_code == 0, shipped.output
    assert PairModel.load(tmp_path / "shipped").version != model.version
