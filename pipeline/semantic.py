"""Meaning-based similarity of recommendations: a latent semantic model trained on UPR texts.

Two recommendations can make the same ask in other words ("combat racism and hate speech",
"take measures against discrimination, hate speech and racism"; "prevent violence against
women", "address domestic violence"). Word-overlap scorers miss them. The similarity model maps
a recommendation to a dense vector in which words that are used in the same recommendations
(across the 33k recommendations of the UPR Info export) lie close: latent semantic analysis,
a truncated SVD of the TF-IDF matrix of word stems and stem pairs. The cosine of two vectors is
the semantic score that `pipeline.clusters` mixes with the rapidfuzz score.

The model is trained by `pipeline.train_semantic.train` (`uprdex train-similarity FILE.csv`) and
shipped in data/models/similarity/ as plain arrays:

- model.npz: the vocabulary (UTF-8, one term per line), its idf, and the SVD components as
  int8 with one scale per component (components x terms);
- metadata.json: version, training data sha256, seed, dimensions, vocabulary settings.

Texts given to `vectors` must already be normalized by `pipeline.clusters.normalize` (the
model's terms are its stems and treaty keys).

Example:
    >>> model = SemanticModel.load()
    >>> a, b = model.vectors(["combat racism hate speech", "measur against hate speech racism"])
    >>> float(a @ b) > 0.5   # doctest: +SKIP
    True
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from uprdex.pipeline.model_cache import ModelCache
from uprdex.pipeline.model_files import METADATA_FILE, MODEL_FILE, read_npz_model
from uprdex.pipeline.model_versions import SIMILARITY, SemanticModelError, metadata_version
from uprdex.pipeline.tfidf import TfidfBlock, vocabulary_from_blob

__all__ = [
    "DEFAULT_MODEL_DIR",
    "METADATA_FILE",
    "MODEL_FILE",
    "MODEL_FORMAT",
    "SemanticModel",
    "SemanticModelError",
    "stem_ngrams",
]

DEFAULT_MODEL_DIR = SIMILARITY.shipped
"""The shipped model (see pipeline/train_semantic.py to rebuild it)."""

MODEL_FORMAT = SIMILARITY.format
"""Layout of model.npz; bumped when the arrays or the analyzer change."""

_BATCH = 4096

FloatArray = npt.NDArray[np.float32]


def stem_ngrams(text: str, ngram_range: tuple[int, int] = (1, 2)) -> list[str]:
    """Stems and adjacent stem pairs of a normalized text (whitespace tokens, in order)."""
    tokens = text.split()
    low, high = ngram_range
    grams: list[str] = list(tokens) if low == 1 else []
    for n in range(max(low, 2), high + 1):
        grams.extend(" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1))
    return grams


class SemanticModel:
    """Normalized recommendation texts -> unit vectors whose dot product is their similarity."""

    def __init__(self, block: TfidfBlock, components: FloatArray, metadata: dict[str, Any]) -> None:
        self._block = block
        self._projection = np.ascontiguousarray(components.T)
        self.metadata = metadata

    @property
    def version(self) -> str:
        """Model version: format, training data hash and seed."""
        return metadata_version(self.metadata)

    @property
    def dimensions(self) -> int:
        """Length of each vector."""
        return int(self._projection.shape[1])

    @classmethod
    def load(cls, path: Path | None = None) -> SemanticModel:
        """The model in `path` (default: the shipped one), read once per process and cached."""
        return _MODELS.get(path or DEFAULT_MODEL_DIR)

    @classmethod
    def _read(cls, directory: Path) -> SemanticModel:
        folder = SIMILARITY
        model = read_npz_model(
            directory, folder.kind, folder.format, folder.rebuild, folder.error, cls._build
        )
        block = model._block
        if model._projection.shape[0] != len(block.idf) or len(block.vocabulary) != len(block.idf):
            raise SemanticModelError(
                f"{directory / MODEL_FILE}: vocabulary, idf and components disagree"
            )
        return model

    @classmethod
    def _build(cls, arrays: dict[str, Any], metadata: dict[str, Any]) -> SemanticModel:
        low, high = (int(n) for n in metadata["ngram_range"])
        block = TfidfBlock(
            lambda text: stem_ngrams(text, (low, high)),
            vocabulary_from_blob(arrays["vocab"]),
            arrays["idf"].astype(np.float64),
        )
        components = (
            arrays["components_int8"].astype(np.float32) * arrays["components_scale"][:, None]
        ).astype(np.float32)
        return cls(block, components, metadata)

    def term_idf(self) -> tuple[list[str], npt.NDArray[np.float64]]:
        """The TF-IDF terms in column order and their idf over the training texts."""
        vocabulary = self._block.vocabulary
        return sorted(vocabulary, key=vocabulary.__getitem__), self._block.idf.copy()

    def terms(self, texts: Sequence[str]) -> Any:
        """The TF-IDF rows (scipy csr, l2-normalized) the vectors are projected from: their dot
        product weighs each shared stem or stem pair by its rarity in the training texts."""
        return self._block.transform(texts)

    def vectors(self, texts: Sequence[str]) -> FloatArray:
        """One l2-normalized row per normalized text (all zeros when no term is known)."""
        return self.project(self.terms(texts))

    def project(self, rows: Any) -> FloatArray:
        """The vectors of TF-IDF rows given by `terms` (l2-normalized, zeros stay zeros)."""
        out = np.zeros((rows.shape[0], self.dimensions), dtype=np.float32)
        for start in range(0, rows.shape[0], _BATCH):
            batch = rows[start : start + _BATCH].astype(np.float32)
            out[start : start + batch.shape[0]] = batch @ self._projection
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        np.divide(out, norms, out=out, where=norms > 0)
        return out


_MODELS: ModelCache[SemanticModel] = ModelCache(SemanticModel._read)
