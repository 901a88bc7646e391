"""The learned theme classifier: the shipped model, its run-time features, and training."""

from __future__ import annotations

import csv
import json
import time
from pathlib import Path

import numpy as np
import pytest

from uprdex.pipeline.theme_model import (
    DEFAULT_MODEL_DIR,
    METADATA_FILE,
    MODEL_FILE,
    ThemeModel,
    ThemeModelError,
    char_ngrams,
    normalize_text,
    select_themes,
    word_ngrams,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures"

# Real recommendations with their UPR Info issues (upr_info_sessions_1-20.csv).
REAL = [
    (
        "Ratify the International Convention for the Protection of All Persons from Enforced "
        "Disappearance",
        {"Enforced disappearances", "International instruments"},
    ),
    (
        "Implement measures to protect detainees from torture, cruel, inhuman or degrading "
        "treatment and ensure that all cases of persons detained are brought to the attention "
        "of the judiciary without delay. ",
        {"Detention", "Torture and other CID treatment"},
    ),
    (
        "Consider the establishment of an office of the ombudsman for children's rights, "
        "devoted purely to the protection of the rights of children",
        {"NHRI", "Rights of the Child"},
    ),
    (
        "Ratify the Council of Europe Convention on Preventing and Combating Violence against "
        "Women and Domestic Violence, also known as the Istanbul Convention, which it signed on "
        "8 September 2011",
        {"International instruments", "Women's rights"},
    ),
    (
        "Continue efforts towards the introduction of human rights training in the educational "
        "system and training programmes",
        {"Human rights education and training"},
    ),
]


@pytest.fixture(scope="module")
def shipped() -> ThemeModel:
    return ThemeModel.load()


def test_shipped_model_loads_fast_and_is_small() -> None:
    assert (DEFAULT_MODEL_DIR / MODEL_FILE).stat().st_size <= 25 * 1024 * 1024
    started = time.perf_counter()
    model = ThemeModel._read(DEFAULT_MODEL_DIR)
    assert time.perf_counter() - started < 2.0
    assert len(model.classes) == 54
    metadata = json.loads((DEFAULT_MODEL_DIR / METADATA_FILE).read_text("utf-8"))
    assert model.version == metadata["version"]
    assert metadata["scores"]["test"]["micro_f1"] > metadata["scores"]["baseline_test"]["micro_f1"]


def test_load_is_cached(shipped: ThemeModel) -> None:
    assert ThemeModel.load() is shipped
    assert ThemeModel.load(DEFAULT_MODEL_DIR) is shipped


@pytest.mark.parametrize(("text", "expected"), REAL)
def test_real_recommendations_get_their_expert_labels(
    shipped: ThemeModel, text: str, expected: set[str]
) -> None:
    hits = shipped.predict([text])[0]
    labels = {name for name, _ in hits}
    assert expected <= labels, hits
    assert len(labels - expected) <= 1, hits
    scores = [score for _, score in hits]
    assert scores == sorted(scores, reverse=True)
    assert all(0.0 < score <= 1.0 for score in scores)


def test_predictions_are_stable(shipped: ThemeModel) -> None:
    texts = [text for text, _ in REAL]
    first = shipped.predict(texts)
    assert shipped.predict(list(reversed(texts))) == list(reversed(first))
    assert shipped.predict([*texts, "", "   "])[:5] == first
    assert shipped.predict([]) == []
    assert shipped.labels([""]) == [[]]


def test_select_themes_gives_an_empty_row_its_best_theme_only_when_close() -> None:
    thresholds = np.array([-0.25, -0.25, 0.1])
    margins = np.array(
        [
            [-0.40, -0.30, 0.00],  # none at threshold; best gap -0.05 (theme 1): rescued
            [-0.60, -0.90, -0.30],  # best gap -0.35: too far, stays empty
            [0.20, -0.30, 0.15],  # two themes at threshold: untouched
        ]
    )
    rescued = select_themes(margins, thresholds, 0.15)
    assert rescued.tolist() == [[False, True, False], [False, False, False], [True, False, True]]
    plain = select_themes(margins, thresholds, None)
    assert plain.tolist() == [[False, False, False], [False, False, False], [True, False, True]]


def test_text_with_no_strong_theme_still_gets_its_best_one(shipped: ThemeModel) -> None:
    # No theme reaches its threshold for these; only the first is close enough to be rescued.
    texts = ["Continue to make progress", "Keep up the good work"]
    rule = shipped.metadata["at_least_one"]
    assert rule["enabled"] and shipped.at_least_one_margin == rule["margin"]
    gaps = shipped.decision(texts) - shipped.margin_thresholds
    assert (gaps < 0).all()
    assert gaps[0].max() >= -rule["margin"] > gaps[1].max()
    close, far = shipped.predict(texts)
    assert [name for name, _ in close] == [shipped.classes[int(gaps[0].argmax())]]
    assert far == []


def test_runtime_features_match_scikit_learn() -> None:
    text_vectorizer = pytest.importorskip("sklearn.feature_extraction.text")
    texts = [text for text, _ in REAL] + ["Ratify  OP-CAT\tand\nICRMW ", "a", ""]
    for analyzer, ours, ngram_range in (
        ("word", word_ngrams, (1, 2)),
        ("char", char_ngrams, (2, 5)),
    ):
        vectorizer = text_vectorizer.TfidfVectorizer(
            analyzer=analyzer, ngram_range=ngram_range, preprocessor=normalize_text
        )
        theirs = vectorizer.build_analyzer()
        for text in texts:
            assert ours(normalize_text(text), ngram_range) == theirs(text)


def test_missing_model_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ThemeModelError, match="no theme model"):
        ThemeModel.load(tmp_path)


def _sample(path: Path) -> Path:
    """The 40 Slovenia rows spread over five pseudo-reviews, so that a review split exists."""
    with (FIXTURES / "upr_info_slovenia_s20.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        for index, row in enumerate(rows):
            writer.writerow({**row, "Session": str(16 + index % 5)})
    return path


def test_train_on_a_small_sample(tmp_path: Path) -> None:
    pytest.importorskip("sklearn")
    from uprdex.pipeline.train_themes import train

    sample = _sample(tmp_path / "sample.csv")
    started = time.perf_counter()
    result = train(sample, tmp_path / "a", seed=0)
    assert time.perf_counter() - started < 30
    assert result["seed"] == 0 and len(result["data_sha256"]) == 64
    assert {"test", "baseline_test"} <= set(result["scores"])
    assert result["scores"]["runtime_vs_float64_agreement"] == 1.0
    written = json.loads((tmp_path / "a" / METADATA_FILE).read_text("utf-8"))
    assert written["version"] == result["version"]
    assert set(written["thresholds"]) == set(written["classes"])
    model = ThemeModel.load(tmp_path / "a")
    assert len(model.predict(["Ratify ICRMW"])) == 1

    # Same data and seed: the same model, array for array.
    train(sample, tmp_path / "b", seed=0)
    with (
        np.load(tmp_path / "a" / MODEL_FILE) as first,
        np.load(tmp_path / "b" / MODEL_FILE) as second,
    ):
        assert sorted(first.files) == sorted(second.files)
        for name in first.files:
            assert np.array_equal(first[name], second[name]), name
    assert (tmp_path / "b" / METADATA_FILE).read_text("utf-8") == json.dumps(
        written, indent=2, ensure_ascii=False
    ) + "\n"


def test_train_needs_reviews(tmp_path: Path) -> None:
    pytest.importorskip("sklearn")
    from uprdex.pipeline.train_themes import TrainError, train

    with pytest.raises(TrainError, match="at least 3 reviews"):
        train(FIXTURES / "upr_info_slovenia_s20.csv", tmp_path, seed=0)
