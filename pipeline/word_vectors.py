"""Word vectors of the UPR's own words, and the pair features read from them.

The similarity model (`pipeline.semantic`) puts words close when they are used in the same
recommendations. Words that stand for one another ("domesticate", "incorporate", "give effect
to" a ratified treaty) rarely share a recommendation: they share neighbours. Word vectors
learned from the words around each word (positive PMI of a window of stems, reduced by a seeded
truncated SVD: `pipeline.train_word_vectors`) put them close.

From them, two pair features for the pair model (`pipeline.clusters.pair_model`), each 0-1:
- align: for each word of one ask, its best cosine to a word of the other, weighed by the word's
  idf; the mean of the two directions (a soft word alignment);
- centroid: the cosine of the asks' idf-weighted mean vectors.

The words are the normalized stems of `pipeline.clusters.normalize` (the model's vocabulary).
Shipped inside the pair model's arrays when it uses them (`WORD_ARRAYS`), built by `uprdex
train-word-vectors` into data/models/words.

Example:
    >>> vectors = WordVectors.load()  # doctest: +SKIP
    >>> lexicon = vectors.lexicon(["domest ratifi treati", "incorpor convent nation law"])
    >>> vector_features(lexicon, np.array([[0, 1]]), ("align",))  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import sparse  # type: ignore[import-untyped]

from uprdex.pipeline.errors import UprdexError
from uprdex.pipeline.model_cache import ModelCache
from uprdex.pipeline.model_files import METADATA_FILE, MODEL_FILE, read_npz_model
from uprdex.pipeline.resources import data_path
from uprdex.pipeline.tfidf import vocabulary_from_blob

__all__ = [
    "COSTLY_VECTOR_FEATURES",
    "DEFAULT_MODEL_DIR",
    "METADATA_FILE",
    "MODEL_FILE",
    "MODEL_FORMAT",
    "VECTOR_FEATURES",
    "WORD_ARRAYS",
    "Lexicon",
    "WordVectors",
    "WordVectorsError",
    "row_dots",
    "vector_features",
]

DEFAULT_MODEL_DIR = data_path("models", "words")
"""Where `uprdex train-word-vectors` writes the model by default."""
MODEL_FORMAT = 1
WORD_ARRAYS = ("vocab", "vectors_int8", "vectors_scale", "idf")
"""The model's arrays (model.npz), also stored in a pair model that uses them."""
VECTOR_FEATURES = ("align", "centroid")
"""The pair features the word vectors give, each 0-1."""
COSTLY_VECTOR_FEATURES = frozenset({"align"})
"""Those computed only for the pairs that could reach a cutoff (as the rapidfuzz scores)."""

_CHUNK = 4096
_CELLS = 2_000_000
"""Pairs aligned (or whose rows `row_dots` gathers) at once, and the most word-to-word
cosines a chunk gathers (float32)."""

Floats = npt.NDArray[np.float64]


class WordVectorsError(UprdexError, ValueError):
    """A word vector model that is missing, unreadable or of another format."""


@dataclass(frozen=True)
class Lexicon:
    """The known words of each text (each once) as a sparse matrix of their idf weights, texts
    x stems, and the texts' idf-weighted mean vectors (unit length, zero for a text with no
    known word). The padded word lists the alignment reads (`ids`, `weights`) are built on first
    use: the centroid alone does not need them (27 MB for the 33,074 UPR Info rows)."""

    unit: npt.NDArray[np.float32]
    spread: Any
    """scipy csr, texts x stems: the stem's idf where the text has it."""
    centroids: npt.NDArray[np.float32]

    @cached_property
    def ids(self) -> npt.NDArray[np.int32]:
        """Each text's known words, their rows in `unit`, ascending, -1 past the text's end."""
        return self._padded(self.spread.indices, -1, np.int32)

    @cached_property
    def weights(self) -> Floats:
        """The idf weight of each of `ids` (0 past the text's end)."""
        return self._padded(self.spread.data, 0.0, np.float64)

    def _padded(self, values: npt.NDArray[Any], fill: float, dtype: type) -> npt.NDArray[Any]:
        """`values` (one per stored entry of `spread`), one row per text, padded with `fill`."""
        lengths = np.diff(self.spread.indptr)
        width = max(int(lengths.max(initial=0)), 1)
        out: npt.NDArray[Any] = np.full((len(lengths), width), fill, dtype=dtype)
        out[np.arange(width) < lengths[:, None]] = values
        return out


class WordVectors:
    """Stems -> unit vectors whose dot product says how well one stands for the other."""

    def __init__(self, arrays: dict[str, Any], metadata: dict[str, Any]) -> None:
        self.vocabulary = vocabulary_from_blob(np.asarray(arrays["vocab"], dtype=np.uint8))
        scaled = np.asarray(arrays["vectors_int8"], dtype=np.float32) * np.asarray(
            arrays["vectors_scale"], dtype=np.float32
        )
        norms = np.linalg.norm(scaled, axis=1, keepdims=True)
        self.unit = np.divide(scaled, norms, out=np.zeros_like(scaled), where=norms > 0)
        self.idf = np.asarray(arrays["idf"], dtype=np.float64)
        if len(self.vocabulary) != len(self.unit) or len(self.idf) != len(self.unit):
            raise WordVectorsError("word vectors: vocabulary, vectors and idf disagree")
        self.arrays = {name: np.asarray(arrays[name]) for name in WORD_ARRAYS}
        self.metadata = metadata

    @property
    def version(self) -> str:
        """What the vectors were built from (the recipe's revision, the export's hash, the seed)."""
        return str(self.metadata.get("version", "unknown"))

    @classmethod
    def load(cls, path: Path | None = None) -> WordVectors:
        """The model in `path` (default: data/models/words), read once per process."""
        return _MODELS.get(path or DEFAULT_MODEL_DIR)

    @classmethod
    def _read(cls, directory: Path) -> WordVectors:
        rebuild = "rebuild it with `uprdex train-word-vectors FILE.csv`"
        return read_npz_model(
            directory, "word vectors", MODEL_FORMAT, rebuild, WordVectorsError, cls
        )

    def lexicon(self, texts: Sequence[str]) -> Lexicon:
        """The known words of each normalized text (each once), as `vector_features` reads them."""
        lookup = self.vocabulary.get
        known = [sorted({i for i in map(lookup, text.split()) if i is not None}) for text in texts]
        lengths = np.fromiter(map(len, known), dtype=np.int64, count=len(known))
        columns = np.fromiter(
            (i for words in known for i in words), dtype=np.int64, count=int(lengths.sum())
        )
        indptr = np.concatenate([[0], np.cumsum(lengths)])
        # The weighted sums as one sparse product (texts x stems, idf where the text has it).
        spread = sparse.csr_matrix(
            (self.idf[columns], columns, indptr), shape=(len(texts), len(self.unit))
        )
        centroids = np.asarray(spread @ self.unit, dtype=np.float32)
        norms = np.linalg.norm(centroids, axis=1, keepdims=True)
        np.divide(centroids, norms, out=centroids, where=norms > 0)
        return Lexicon(self.unit, spread, centroids)


def row_dots(vectors: npt.NDArray[np.float32], pairs: npt.NDArray[np.int64]) -> Floats:
    """Dot product of the two rows of each pair, row by row in slices: both rows of the 3.6
    million pairs of the UPR Info rows within each State at once would take 2.9 GB (100
    float32 each), and a product of the rows of a merge's few texts costs more."""
    if len(pairs) <= _CHUNK:
        dots: Floats = np.einsum("ij,ij->i", vectors[pairs[:, 0]], vectors[pairs[:, 1]])
        return dots
    out = np.empty(len(pairs), dtype=np.float64)
    for low in range(0, len(pairs), _CHUNK):
        part = pairs[low : low + _CHUNK]
        out[low : low + len(part)] = np.einsum("ij,ij->i", vectors[part[:, 0]], vectors[part[:, 1]])
    return out


def _aligned(lexicon: Lexicon, pairs: npt.NDArray[np.int64]) -> Floats:
    """The soft alignment of each pair: for each word of one text its best cosine (at least 0)
    to a word of the other, idf-weighted mean, the mean of both directions."""
    out = np.zeros(len(pairs))
    lengths = (lexicon.ids >= 0).sum(axis=1)
    # Pairs of short texts first, so that each chunk pads to widths alike (a chunk holds at
    # most _CELLS cosines).
    order = np.argsort(np.maximum(lengths[pairs[:, 0]], lengths[pairs[:, 1]]), kind="stable")
    widest = np.maximum(lengths[pairs[order, 0]], lengths[pairs[order, 1]])
    low = 0
    while low < len(order):
        last = min(low + _CHUNK, len(order)) - 1
        size = max(1, min(_CHUNK, _CELLS // max(int(widest[last]), 1) ** 2))
        chosen = order[low : low + size]
        out[chosen] = _aligned_chunk(lexicon, pairs[chosen], lengths)
        low += size
    return out


def _aligned_chunk(
    lexicon: Lexicon, part: npt.NDArray[np.int64], lengths: npt.NDArray[np.int64]
) -> Floats:
    width_left = max(int(lengths[part[:, 0]].max()), 1)
    width_right = max(int(lengths[part[:, 1]].max()), 1)
    left = lexicon.ids[part[:, 0], :width_left]
    right = lexicon.ids[part[:, 1], :width_right]
    # The cosines among the chunk's own words only, then gathered per pair.
    words, local = np.unique(np.concatenate([left.ravel(), right.ravel()]), return_inverse=True)
    local = local.reshape(-1)
    local_left = local[: left.size].reshape(left.shape)
    local_right = local[left.size :].reshape(right.shape)
    vectors = lexicon.unit[np.maximum(words, 0)]
    cosines = np.clip(vectors @ vectors.T, 0, 1)
    cosines[words < 0, :] = 0
    cosines[:, words < 0] = 0
    grid = cosines[local_left[:, :, None], local_right[:, None, :]]
    w_left = lexicon.weights[part[:, 0], :width_left]
    w_right = lexicon.weights[part[:, 1], :width_right]
    forward = (grid.max(axis=2) * w_left).sum(axis=1) / np.maximum(w_left.sum(axis=1), 1e-12)
    backward = (grid.max(axis=1) * w_right).sum(axis=1) / np.maximum(w_right.sum(axis=1), 1e-12)
    result: Floats = (forward + backward) / 2
    return result


def vector_features(lexicon: Lexicon, pairs: npt.NDArray[np.int64], names: Sequence[str]) -> Floats:
    """The `names` (of `VECTOR_FEATURES`) of each pair, one row per pair, each 0-1."""
    out = np.zeros((len(pairs), len(names)))
    if not len(pairs):
        return out
    for at, name in enumerate(names):
        if name == "align":
            out[:, at] = _aligned(lexicon, pairs)
        elif name == "centroid":
            out[:, at] = np.clip(row_dots(lexicon.centroids, pairs), 0, 1)
        else:
            raise WordVectorsError(f"no word vector feature {name!r} (known: {VECTOR_FEATURES})")
    return out


_MODELS: ModelCache[WordVectors] = ModelCache(WordVectors._read)
