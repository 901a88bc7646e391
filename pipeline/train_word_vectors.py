"""Train the word vectors (`pipeline.word_vectors`) on a UPR Info export.

Every distinct text is normalized as the clusters see it (`pipeline.clusters.normalize`: stems,
treaty keys, no State list or opener). Stems used in at least `min_count` texts are the
vocabulary. Each stem's neighbours within `window` stems are counted (a neighbour k stems away
counts (window - k + 1) / window, as word2vec's shrinking window weighs it), the counts become
positive pointwise mutual information with the context counts smoothed by `context_power`
(Levy, Goldberg and Dagan 2015: this and the SVD below match word2vec's skip-gram on small
corpora), and a seeded truncated SVD keeps `dimensions` of it, each scaled by the square root
of its singular value. Vectors are stored as int8 with one scale per dimension, with each stem's
idf over the texts (smoothed, as scikit-learn's). No labels are used. Needs scikit-learn (the
`train` extra); the same data and seed rebuild the same arrays.

Example:
    metadata = train(Path("upr_info_sessions_1-20.csv"), DEFAULT_MODEL_DIR, seed=0)
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import sparse  # type: ignore[import-untyped]

from uprdex.pipeline.errors import UprdexError
from uprdex.pipeline.extras import require
from uprdex.pipeline.model_files import write_arrays, write_metadata
from uprdex.pipeline.tfidf import vocabulary_blob
from uprdex.pipeline.train_semantic import read_texts, text_model_version
from uprdex.pipeline.train_themes import file_sha256
from uprdex.pipeline.word_vectors import METADATA_FILE, MODEL_FILE, MODEL_FORMAT

__all__ = ["CONFIG", "TrainWordVectorsError", "document_frequency", "fit", "idf", "train"]

CONFIG: dict[str, Any] = {
    "revision": 1,
    "dimensions": 100,
    "window": 4,
    "min_count": 5,
    "context_power": 0.75,
    "singular_power": 0.5,
}
"""revision: the training procedure, in the vectors' version (and so in the version of a pair
model trained with them) beside how the texts are normalized (`normalize.NORMALIZATION`).
Revisions 2 and 3 were normalization changes only; they are `NORMALIZATION`'s now, and the
procedure is still the first."""


class TrainWordVectorsError(UprdexError, ValueError):
    """The training data cannot train word vectors."""


def cooccurrences(
    texts: Sequence[str], vocabulary: dict[str, int], window: int
) -> sparse.csr_matrix:
    """Weighted counts of each stem's neighbours within `window` stems (symmetric, csr)."""
    rows: list[npt.NDArray[np.int64]] = []
    columns: list[npt.NDArray[np.int64]] = []
    weights: list[npt.NDArray[np.float64]] = []
    lookup = vocabulary.get
    for text in texts:
        ids = np.array([i for i in map(lookup, text.split()) if i is not None], dtype=np.int64)
        for distance in range(1, min(window, len(ids) - 1) + 1):
            left, right = ids[:-distance], ids[distance:]
            weight = np.full(len(left), (window - distance + 1) / window)
            rows += [left, right]
            columns += [right, left]
            weights += [weight, weight]
    size = len(vocabulary)
    if not rows:
        return sparse.csr_matrix((size, size))
    return sparse.coo_matrix(
        (np.concatenate(weights), (np.concatenate(rows), np.concatenate(columns))),
        shape=(size, size),
    ).tocsr()


def ppmi(counts: sparse.csr_matrix, context_power: float) -> sparse.csr_matrix:
    """Positive pointwise mutual information of the counts, context counts raised to
    `context_power` (csr, only the positive entries kept)."""
    counts = counts.tocoo()
    words = np.asarray(counts.sum(axis=1)).ravel()
    contexts = np.asarray(counts.sum(axis=0)).ravel() ** context_power
    # log P(w, c) / (P(w) P(c)) with P(c) the smoothed context share.
    pmi = np.log(counts.data * contexts.sum() / (words[counts.row] * contexts[counts.col]))
    keep = pmi > 0
    return sparse.csr_matrix((pmi[keep], (counts.row[keep], counts.col[keep])), shape=counts.shape)


def fit(texts: Sequence[str], config: dict[str, Any], seed: int) -> dict[str, npt.NDArray[Any]]:
    """The word vector arrays (`word_vectors.WORD_ARRAYS`) of normalized texts."""
    require("sklearn", "train", "uprdex train-word-vectors")
    from sklearn.utils.extmath import randomized_svd  # type: ignore[import-untyped]

    frequency = document_frequency(texts)
    kept = sorted(
        (word for word, n in frequency.items() if n >= int(config["min_count"])),
        key=lambda word: (-frequency[word], word),
    )
    dimensions = int(config["dimensions"])
    if len(kept) <= dimensions:
        raise TrainWordVectorsError(
            f"{len(kept)} stems in at least {config['min_count']} texts; need more than "
            f"{dimensions} for {dimensions} dimensions"
        )
    vocabulary = {word: at for at, word in enumerate(kept)}
    matrix = ppmi(
        cooccurrences(texts, vocabulary, int(config["window"])), float(config["context_power"])
    )
    left, singular, _ = randomized_svd(matrix, dimensions, n_iter=7, random_state=seed)
    # Each dimension's sign fixed by its largest entry: the same data, the same arrays.
    signs = np.sign(left[np.abs(left).argmax(axis=0), np.arange(dimensions)])
    vectors = left * signs * singular ** float(config["singular_power"])
    scale = np.abs(vectors).max(axis=0) / 127
    scale[scale == 0] = 1.0
    return {
        "vocab": vocabulary_blob(kept),
        "vectors_int8": np.round(vectors / scale).astype(np.int8),
        "vectors_scale": scale.astype(np.float32),
        "idf": idf(frequency, len(texts), kept),
    }


def document_frequency(texts: Iterable[str]) -> Counter[str]:
    """In how many of the normalized texts each stem is."""
    return Counter(word for text in texts for word in set(text.split()))


def idf(frequency: Mapping[str, int], count: int, words: Sequence[str]) -> npt.NDArray[np.float32]:
    """Each of `words`' idf over `count` texts of which `frequency[word]` hold it (smoothed, as
    scikit-learn's: a stem in none of them has the highest)."""
    df = np.array([frequency.get(word, 0) for word in words], dtype=np.float64)
    return (np.log((1 + count) / (1 + df)) + 1).astype(np.float32)


def train(
    csv_path: Path, out_dir: Path, seed: int = 0, config: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Fit word vectors on the export's texts (Text column); write model.npz and
    metadata.json to out_dir. Returns the metadata written."""
    sklearn = require("sklearn", "train", "uprdex train-word-vectors")
    config = {**CONFIG, **(config or {})}
    texts = read_texts(csv_path)
    arrays = fit(texts, config, seed)
    data_sha = file_sha256(csv_path)
    metadata: dict[str, Any] = {
        "format": MODEL_FORMAT,
        "version": text_model_version(MODEL_FORMAT, config["revision"], data_sha, seed),
        "data_file": csv_path.name,
        "data_sha256": data_sha,
        "seed": seed,
        "texts": len(texts),
        "stems": len(arrays["idf"]),
        **{key: value for key, value in config.items() if key != "revision"},
        "sklearn": sklearn.__version__,
    }
    write_arrays(out_dir / MODEL_FILE, arrays)
    write_metadata(out_dir / METADATA_FILE, metadata)
    return metadata
