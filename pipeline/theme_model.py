"""Learned theme classifier: the UPR Info issues of a recommendation, from a trained linear model.

The model is trained by `pipeline.train_themes.train` on the UPR Info export (54 expert-labelled
issues) and shipped in data/models/themes/ as plain arrays, never as a pickle:

- model.npz: the two TF-IDF vocabularies (word 1-2 grams and character 2-5 grams, as UTF-8
  text, one term per line, in column order), their idf vectors, the linear weights (int8 with
  one scale per theme, one column per theme), biases, the thresholds (on the margin and in
  the score scale) and the per-theme Platt calibration (a, b) fitted on the validation split;
- metadata.json: version, classes, training data sha256, seed, split and measured scores.

Prediction rebuilds the TF-IDF features with the same analyzers scikit-learn used at training
(lower-cased text with whitespace runs collapsed; words are `\\b\\w\\w+\\b` tokens; sublinear tf,
idf, l2 norm per block) and takes one sparse-dense matrix product: scikit-learn is not needed at
run time.

A theme is returned when its margin reaches its threshold. Every UPR Info recommendation has at
least one issue, so a text with no theme at its threshold gets its best theme (the one least
below its threshold) when that margin is at most `at_least_one_margin` below the threshold
(recorded in metadata; chosen on the validation reviews). The score shown is the
Platt-calibrated probability of the theme (logistic of a * margin + b, fitted on validation), so
scores from different themes are comparable; a theme may be returned with a score below 0.5.

Example:
    >>> model = ThemeModel.load()
    >>> model.predict(["Abolish the death penalty"])  # doctest: +SKIP
    [[('Death penalty', 0.99)]]
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import sparse  # type: ignore[import-untyped]

from uprdex.pipeline.errors import UprdexError
from uprdex.pipeline.model_cache import ModelCache
from uprdex.pipeline.model_files import METADATA_FILE, MODEL_FILE, read_npz_model
from uprdex.pipeline.resources import data_path
from uprdex.pipeline.tfidf import TfidfBlock, vocabulary_from_blob

__all__ = [
    "DEFAULT_MODEL_DIR",
    "METADATA_FILE",
    "MODEL_FILE",
    "MODEL_FORMAT",
    "ThemeModel",
    "ThemeModelError",
    "char_ngrams",
    "normalize_text",
    "select_themes",
    "word_ngrams",
]

DEFAULT_MODEL_DIR = data_path("models", "themes")
"""The shipped model (see pipeline/train_themes.py to rebuild it)."""

MODEL_FORMAT = 2
"""Layout of model.npz; bumped when the arrays or the analyzers change."""

_TOKEN = re.compile(r"(?u)\b\w\w+\b")
_BATCH = 2048

FloatArray = npt.NDArray[np.float32]
BoolArray = npt.NDArray[np.bool_]


class ThemeModelError(UprdexError, ValueError):
    """A theme model directory that is missing, incomplete or of another format."""


def normalize_text(text: str) -> str:
    """The text the analyzers see: lower case, every whitespace run a single space."""
    return " ".join(text.lower().split())


def select_themes(
    margins: npt.NDArray[np.floating[Any]],
    thresholds: npt.NDArray[np.floating[Any]],
    at_least_one_margin: float | None,
) -> BoolArray:
    """Themes at or above their margin threshold, plus the best one for a row with none.

    The best theme of a row is the one furthest above (or least below) its threshold; it is
    added only when it is at most `at_least_one_margin` below it (None: never).
    """
    gap = margins - thresholds
    selected: BoolArray = gap >= 0
    if at_least_one_margin is not None:
        empty = np.flatnonzero(~selected.any(axis=1))
        best = gap[empty].argmax(axis=1)
        close = gap[empty, best] >= -at_least_one_margin
        selected[empty[close], best[close]] = True
    return selected


def word_ngrams(text: str, ngram_range: tuple[int, int] = (1, 2)) -> list[str]:
    """Word n-grams of a normalized text, as scikit-learn's word analyzer makes them."""
    tokens = _TOKEN.findall(text)
    low, high = ngram_range
    grams: list[str] = list(tokens) if low == 1 else []
    for n in range(max(low, 2), high + 1):
        grams.extend(" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1))
    return grams


def char_ngrams(text: str, ngram_range: tuple[int, int] = (2, 5)) -> list[str]:
    """Character n-grams of a normalized text, as scikit-learn's "char" analyzer makes them."""
    low, high = ngram_range
    size = len(text)
    return [text[i : i + n] for n in range(low, min(high, size) + 1) for i in range(size - n + 1)]


class ThemeModel:
    """The trained theme classifier: `ThemeModel.load()` then `predict(texts)`."""

    def __init__(
        self,
        *,
        classes: Sequence[str],
        blocks: Sequence[TfidfBlock],
        weights: FloatArray,
        bias: FloatArray,
        platt_a: FloatArray,
        platt_b: FloatArray,
        margin_thresholds: FloatArray,
        thresholds: FloatArray,
        metadata: dict[str, Any],
    ) -> None:
        n_features = sum(len(block.idf) for block in blocks)
        n_classes = len(classes)
        if weights.shape != (n_features, n_classes):
            raise ThemeModelError(
                f"weights are {weights.shape}, expected ({n_features}, {n_classes})"
            )
        for name, array in (
            ("bias", bias),
            ("platt", platt_a),
            ("margin_thresholds", margin_thresholds),
            ("thresholds", thresholds),
        ):
            if array.shape != (n_classes,):
                raise ThemeModelError(f"{name} has shape {array.shape}, expected ({n_classes},)")
        self.classes: tuple[str, ...] = tuple(classes)
        self._blocks = tuple(blocks)
        self._weights = weights
        self._bias = bias
        self._platt_a = platt_a
        self._platt_b = platt_b
        self.margin_thresholds = margin_thresholds
        self.thresholds = thresholds
        self.metadata = metadata
        rule = metadata.get("at_least_one", {})
        self.at_least_one_margin: float | None = (
            float(rule["margin"]) if rule.get("enabled") else None
        )

    @property
    def version(self) -> str:
        """The model version recorded at training (data hash and seed included)."""
        return str(self.metadata.get("version", "unknown"))

    @classmethod
    def load(cls, path: Path | None = None) -> ThemeModel:
        """The model in `path` (default: the shipped one), read once per process and cached."""
        return _MODELS.get(path or DEFAULT_MODEL_DIR)

    @classmethod
    def _read(cls, directory: Path) -> ThemeModel:
        rebuild = "reinstall uprdex, or rebuild it with `uprdex train-themes FILE.csv`"
        model = read_npz_model(
            directory, "theme model", MODEL_FORMAT, rebuild, ThemeModelError, cls._build
        )
        for block in model._blocks:
            if len(block.vocabulary) != len(block.idf):
                raise ThemeModelError(
                    f"{directory / MODEL_FILE}: a vocabulary does not match its idf"
                )
        return model

    @classmethod
    def _build(cls, arrays: dict[str, Any], metadata: dict[str, Any]) -> ThemeModel:
        word_range = tuple(metadata["word_ngram_range"])
        char_range = tuple(metadata["char_ngram_range"])
        blocks = [
            TfidfBlock(
                lambda text: word_ngrams(text, (word_range[0], word_range[1])),
                vocabulary_from_blob(arrays["word_vocab"]),
                arrays["word_idf"].astype(np.float64),
            ),
            TfidfBlock(
                lambda text: char_ngrams(text, (char_range[0], char_range[1])),
                vocabulary_from_blob(arrays["char_vocab"]),
                arrays["char_idf"].astype(np.float64),
            ),
        ]
        return cls(
            classes=[str(name) for name in metadata["classes"]],
            blocks=blocks,
            weights=(arrays["weights_int8"].astype(np.float32) * arrays["weights_scale"]).astype(
                np.float32
            ),
            bias=arrays["bias"].astype(np.float32),
            platt_a=arrays["platt_a"].astype(np.float32),
            platt_b=arrays["platt_b"].astype(np.float32),
            margin_thresholds=arrays["margin_thresholds"].astype(np.float32),
            thresholds=arrays["thresholds"].astype(np.float32),
            metadata=metadata,
        )

    def decision(self, texts: Sequence[str]) -> FloatArray:
        """Raw linear margins, one row per text and one column per class."""
        out = np.empty((len(texts), len(self.classes)), dtype=np.float32)
        for start in range(0, len(texts), _BATCH):
            batch = [normalize_text(text) for text in texts[start : start + _BATCH]]
            features = sparse.hstack([block.transform(batch) for block in self._blocks]).tocsr()
            out[start : start + len(batch)] = features.astype(np.float32) @ self._weights
        out += self._bias
        return out

    def scores(self, texts: Sequence[str]) -> FloatArray:
        """Calibrated probability of every class for every text."""
        return self._calibrate(self.decision(texts))

    def subjects(self, texts: Sequence[str]) -> FloatArray:
        """What each text is about, cheaply: unit vectors of its calibrated theme scores read
        from the word features alone (their margin doubled to stand for the character
        features, which cost four fifths of `scores`). Dot products compare two asks' subjects
        ("Abolish the death penalty" / "Introduce a moratorium on executions": near 1)."""
        words = self._blocks[0]
        out = np.empty((len(texts), len(self.classes)), dtype=np.float32)
        for start in range(0, len(texts), _BATCH):
            batch = [normalize_text(text) for text in texts[start : start + _BATCH]]
            features = words.transform(batch).astype(np.float32)
            out[start : start + len(batch)] = features @ self._weights[: len(words.idf)]
        vectors = self._calibrate(2 * out + self._bias)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        result: FloatArray = np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)
        return result

    def _calibrate(self, margins: FloatArray) -> FloatArray:
        return _sigmoid(margins * self._platt_a + self._platt_b)

    def select(self, texts: Sequence[str]) -> BoolArray:
        """The 0/1 theme matrix that `predict` returns as names (blank texts included)."""
        return select_themes(self.decision(texts), self.margin_thresholds, self.at_least_one_margin)

    def predict(self, texts: Sequence[str]) -> list[list[tuple[str, float]]]:
        """The themes of each text (see the module docstring), best first, with their score.

        A blank text has no theme.
        """
        margins = self.decision(texts)
        selected = select_themes(margins, self.margin_thresholds, self.at_least_one_margin)
        probabilities = self._calibrate(margins)
        result: list[list[tuple[str, float]]] = []
        for text, row, chosen in zip(texts, probabilities, selected, strict=True):
            if not text.strip():
                result.append([])
                continue
            hits = np.flatnonzero(chosen)
            ordered = hits[np.argsort(-row[hits], kind="stable")]
            result.append([(self.classes[i], round(float(row[i]), 4)) for i in ordered])
        return result

    def labels(self, texts: Iterable[str]) -> list[list[str]]:
        """The theme names only, best first (what `themes` in an export holds)."""
        return [[name for name, _ in hits] for hits in self.predict(list(texts))]


def _sigmoid(values: FloatArray) -> FloatArray:
    clipped = np.clip(values, -40.0, 40.0)
    result: FloatArray = (1.0 / (1.0 + np.exp(-clipped))).astype(np.float32)
    return result


def sigmoid(value: float) -> float:
    """Logistic function of one value (used to put thresholds in the score scale)."""
    return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, value))))


_MODELS: ModelCache[ThemeModel] = ModelCache(ThemeModel._read)
