"""TF-IDF features rebuilt at run time from shipped arrays, as scikit-learn computed them.

The trained models (themes, similarity) are fitted with scikit-learn's `TfidfVectorizer`
(sublinear tf, smoothed idf, l2 norm) and shipped as a vocabulary and an idf vector, never as a
pickle. `TfidfBlock.transform` gives the same rows without scikit-learn, as `Rows`: scipy's
compressed sparse row layout in numpy arrays, with the one product the models take
(`Rows.dot`, the same float32 sums as scipy's `csr @ dense`). scipy is not imported at run
time: its import alone cost more than scoring a report.

Example:
    block = TfidfBlock(str.split, vocabulary_from_blob(blob), idf)
    rows = block.transform(["ratify opcat", "abolish death penalty"])   # l2-normalized
    margins = rows.astype(np.float32).dot(weights)                      # one row per text
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

__all__ = ["Rows", "TfidfBlock", "vocabulary_blob", "vocabulary_from_blob"]

_ROWS = 256
"""Rows per product in `Rows.dot` (a slice's products take stored values x k floats)."""


class RowSource(Protocol):
    """A dense matrix, or anything that gives its rows by index (`Rows.dot`)."""

    @property
    def shape(self) -> tuple[int, ...]: ...

    def __getitem__(self, rows: Any) -> Any: ...


@dataclass(frozen=True, slots=True)
class Rows:
    """Sparse rows in scipy's csr layout: row i holds `data[indptr[i]:indptr[i + 1]]` in the
    columns `indices[indptr[i]:indptr[i + 1]]`, in the order they were stored."""

    data: npt.NDArray[Any]
    indices: npt.NDArray[np.int64]
    indptr: npt.NDArray[np.int64]
    columns: int

    @property
    def shape(self) -> tuple[int, int]:
        """(rows, columns), as scipy gives it."""
        return len(self.indptr) - 1, self.columns

    def astype(self, dtype: Any) -> Rows:
        """The same rows with their values converted and, as scipy's `astype` leaves them
        (it sorts a converted matrix's indices), each row's values in column order."""
        lines = np.repeat(np.arange(self.shape[0], dtype=np.int64), np.diff(self.indptr))
        order = np.argsort(lines * self.columns + self.indices)  # no two values share a key
        return Rows(self.data[order].astype(dtype), self.indices[order], self.indptr, self.columns)

    def slice(self, start: int, stop: int) -> Rows:
        """Rows start to stop (as scipy's `rows[start:stop]`)."""
        stop = min(stop, self.shape[0])
        low, high = int(self.indptr[start]), int(self.indptr[stop])
        return Rows(
            self.data[low:high],
            self.indices[low:high],
            self.indptr[start : stop + 1] - low,
            self.columns,
        )

    @staticmethod
    def hstack(blocks: Sequence[Rows]) -> Rows:
        """The blocks side by side (their columns one after the other), each row's values in
        block order, as scipy's `hstack(...).tocsr()` stores them."""
        lengths = np.stack([np.diff(block.indptr) for block in blocks], axis=1)
        offsets = np.cumsum([0, *(block.columns for block in blocks)])
        row_of = [np.repeat(np.arange(len(lengths)), np.diff(b.indptr)) for b in blocks]
        order = np.argsort(
            np.concatenate([rows * len(blocks) + n for n, rows in enumerate(row_of)]),
            kind="stable",
        )
        data = np.concatenate([block.data for block in blocks])[order]
        indices = np.concatenate(
            [block.indices + offset for block, offset in zip(blocks, offsets, strict=False)]
        )[order]
        indptr = np.concatenate([[0], np.cumsum(lengths.sum(axis=1))]).astype(np.int64)
        return Rows(data, indices, indptr, int(offsets[-1]))

    def dot(self, matrix: RowSource) -> npt.NDArray[Any]:
        """This (rows x columns) times a dense (columns x k) matrix, with the float sums
        exactly as scipy's `csr @ dense` makes them: each output row starts at zero and adds
        value x matrix row for each stored value, in stored order (column order after
        `astype`). numpy adds the k-th product of every row at once, for k = 0, 1, ... (its
        own reductions sum in another order, which changes the last bits). `matrix` may be
        anything that gives its rows by index (a model's int8 weights, rescaled only for the
        columns used)."""
        n_rows, width = self.shape[0], matrix.shape[1]
        if n_rows > _ROWS:  # the products of a slice of rows at a time (~40 MB)
            return np.concatenate(
                [self.slice(start, start + _ROWS).dot(matrix) for start in range(0, n_rows, _ROWS)]
            )
        lengths = np.diff(self.indptr)
        order = np.argsort(-lengths, kind="stable")  # longest first: rows with > k values lead
        place = np.empty(n_rows, dtype=np.int64)
        place[order] = np.arange(n_rows)
        lines = np.repeat(np.arange(n_rows), lengths)
        rank = np.arange(len(self.indices)) - self.indptr[lines]
        by_rank = np.argsort(rank * n_rows + place[lines])  # no two values share a key
        used, position = np.unique(self.indices, return_inverse=True)
        products = self.data[by_rank, None] * matrix[used][position[by_rank]]
        out = np.zeros((n_rows, width), dtype=products.dtype)
        offset = 0
        for count in np.bincount(rank).tolist():  # rows holding a k-th value: the first `count`
            out[:count] += products[offset : offset + count]
            offset += count
        result = np.empty_like(out)
        result[order] = out
        return result


@dataclass(frozen=True, slots=True)
class TfidfBlock:
    """One TF-IDF block: its analyzer, vocabulary (term -> column) and idf."""

    analyzer: Callable[[str], list[str]]
    vocabulary: dict[str, int]
    idf: npt.NDArray[np.float64]

    def transform(self, texts: Sequence[str]) -> Rows:
        """Sublinear-tf, idf-weighted, l2-normalized rows, one per text."""
        vocabulary = self.vocabulary
        indptr = [0]
        indices: list[int] = []
        counts: list[int] = []
        for text in texts:
            for term, count in Counter(self.analyzer(text)).items():
                column = vocabulary.get(term)
                if column is not None:
                    indices.append(column)
                    counts.append(count)
            indptr.append(len(indices))
        cols = np.asarray(indices, dtype=np.int64)
        data = (1.0 + np.log(np.asarray(counts, dtype=np.float64))) * self.idf[cols]
        ptr = np.asarray(indptr, dtype=np.int64)
        lengths = np.diff(ptr)
        rows = np.repeat(np.arange(len(texts)), lengths)
        norms = np.sqrt(np.bincount(rows, weights=data * data, minlength=len(texts)))
        data /= np.where(norms > 0, norms, 1.0)[rows]
        return Rows(data, cols, ptr, len(self.idf))


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
