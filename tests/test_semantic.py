"""The similarity model: the shipped one, its run-time vectors, and training."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from uprdex.pipeline.clusters import normalize
from uprdex.pipeline.semantic import (
    DEFAULT_MODEL_DIR,
    METADATA_FILE,
    MODEL_FILE,
    SemanticModel,
    SemanticModelError,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SAMPLE = FIXTURES / "upr_info_slovenia_s20.csv"

# Real recommendations to Slovenia, A/HRC/43/15 paras 121.34, 122.101, 122.124.
VAW = "Continue policies aimed at preventing and combating all forms of violence against women"
DV = "Strengthen measures aimed at preventing and combating violence against women, including "
SIGN = "Recognize Slovenian sign language in the Slovenian Constitution"


def test_shipped_model_is_small_and_gives_unit_vectors() -> None:
    assert (DEFAULT_MODEL_DIR / MODEL_FILE).stat().st_size < 5_000_000
    model = SemanticModel.load()
    assert model.dimensions == model.metadata["dimensions"]
    vectors = model.vectors([normalize(VAW), normalize(DV), normalize(SIGN), "", "zzzz qqqq"])
    assert vectors.shape == (5, model.dimensions)
    assert np.allclose(np.linalg.norm(vectors[:3], axis=1), 1, atol=1e-5)
    assert not vectors[3].any() and not vectors[4].any()
    # Two wordings of one ask lie closer than either does to another ask.
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.3
    assert SemanticModel.load() is model


def test_missing_or_damaged_model_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(SemanticModelError, match="no similarity model"):
        SemanticModel.load(tmp_path)
    (tmp_path / MODEL_FILE).write_bytes(b"not a zip")
    (tmp_path / METADATA_FILE).write_text('{"format": 1}', encoding="utf-8")
    with pytest.raises(SemanticModelError, match="not a model archive"):
        SemanticModel.load(tmp_path)


def test_training_is_reproducible_and_runtime_matches_scikit_learn(tmp_path: Path) -> None:
    pytest.importorskip("sklearn")
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer

    from uprdex.pipeline.train_semantic import read_texts, train

    result = train(SAMPLE, tmp_path / "a", seed=0, dimensions=8, min_df=1)
    # The 40 rows hold 21 distinct texts (one row per recommending State; "Convention on
    # Protection of All Persons from Enforced Disappearance" is the CED as well).
    assert result["dimensions"] == 8 and result["texts"] == 21
    model = SemanticModel.load(tmp_path / "a")

    # What scikit-learn computes from the same texts, without the int8 storage.
    texts = read_texts(SAMPLE)
    vectorizer = TfidfVectorizer(
        ngram_range=(1, 2), sublinear_tf=True, token_pattern=r"\S+", lowercase=False
    )
    matrix = vectorizer.fit_transform(texts)
    expected = TruncatedSVD(8, random_state=0).fit(matrix).transform(matrix)
    expected /= np.linalg.norm(expected, axis=1, keepdims=True)
    ours = model.vectors(texts)
    agreement = np.einsum("ij,ij->i", ours, expected)
    # int8 components cost a little of the angle, never the direction.
    assert agreement.min() > 0.98 and np.median(agreement) > 0.999

    train(SAMPLE, tmp_path / "b", seed=0, dimensions=8, min_df=1)
    with (
        np.load(tmp_path / "a" / MODEL_FILE) as first,
        np.load(tmp_path / "b" / MODEL_FILE) as second,
    ):
        assert sorted(first.files) == sorted(second.files)
        for name in first.files:
            assert np.array_equal(first[name], second[name]), name
    written = json.loads((tmp_path / "b" / METADATA_FILE).read_text("utf-8"))
    assert written == result


def test_training_needs_enough_texts(tmp_path: Path) -> None:
    pytest.importorskip("sklearn")
    from uprdex.pipeline.train_semantic import TrainSemanticError, train

    with pytest.raises(TrainSemanticError, match="need at least 800"):
        train(SAMPLE, tmp_path, seed=0)
