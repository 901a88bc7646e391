"""TF-IDF features rebuilt at run time from shipped arrays, as scikit-learn computed them.

The trained models (themes, similarity) are fitted with scikit-learn's `TfidfVectorizer`
(sublinear tf, smoothed idf, l2 norm) and shipped as a vocabulary and an idf vector, never as a
pickle. `TfidfBlock.transform` gives the same rows without scikit-learn.

Example:
    block = TfidfBlock(str.split, vocabulary_from_blob(blob), idf)
    rows = block.transform(["ratify opcat", "abolish death penalty"])   # csr, l2-normalized
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import repeat

import numpy as np
import numpy.typing as npt
from scipy import sparse  # type: ignore[import-untyped]

__all__ = ["TfidfBlock", "vocabulary_blob", "vocabulary_from_blob"]


@dataclass(frozen=True, slots=True)
class TfidfBlock:
    """One TF-IDF block: its analyzer, vocabulary (term -> column) and idf."""

    analyzer: Callable[[str], list[str]]
    vocabulary: dict[str, int]
    idf: npt.NDArray[np.float64]

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """Sublinear-tf, idf-weighted, l2-normalized rows, one per text."""
        lookup = self.vocabulary.get
        lengths: list[int] = []
        columns: list[int] = []
        counts: list[int] = []
        for text in texts:
            counted = Counter(self.analyzer(text))
            # map() keeps the per-term lookup in C: a text has ~1,000 character n-grams.
            columns.extend(map(lookup, counted, repeat(-1)))
            counts.extend(counted.values())
            lengths.append(len(counted))
        cols = np.asarray(columns, dtype=np.int64)
        rows = np.repeat(np.arange(len(texts)), lengths)
        known = cols >= 0
        cols, rows = cols[known], rows[known]
        data = (1.0 + np.log(np.asarray(counts, dtype=np.float64)[known])) * self.idf[cols]
        ptr = np.concatenate(([0], np.cumsum(np.bincount(rows, minlength=len(texts)))))
        norms = np.sqrt(np.bincount(rows, weights=data * data, minlength=len(texts)))
        data /= np.where(norms > 0, norms, 1.0)[rows]
        return sparse.csr_matrix((data, cols, ptr), shape=(len(texts), len(self.idf)))


def vocabulary_blob(terms: Iterable[str]) -> npt.NDArray[np.uint8]:
    """Terms in column order as one UTF-8 array, one term per line (for `np.savez`)."""
    terms = list(terms)
    if any("\n" in term for term in terms):
        raise ValueError("a vocabulary term contains a newline")
    return np.frombuffer("\n".join(terms).encode("utf-8"), dtype=np.uint8)


def vocabulary_from_blob(blob: npt.NDArray[np.uint8]) -> dict[str, int]:
    """The term -> column map stored by `vocabulary_blob`."""
    terms = blob.tobytes().decode("utf-8").split("\n") if blob.size else []
    return {term: column for column, term in enumerate(terms)}
