"""What the pair model reads of two asks: the pair features.

A few dense features (the meaning cosine, the kinds of action and the groups both asks name, a
shared treaty, the first word, the lengths), the rapidfuzz scores of the two texts, and every
term of the similarity model's TF-IDF (stems and stem pairs) in both asks or in one only, in the
slow form the model is trained on (`term_features`). `PairInputs` holds what they read of each
normalized text, computed once for all pairs. `pair_model` weighs them.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process
from scipy import sparse  # type: ignore[import-untyped]

from uprdex.pipeline.clusters.feature_names import DENSE_FEATURES
from uprdex.pipeline.clusters.positions import (
    NodePlaces,
    Places,
)
from uprdex.pipeline.word_vectors import (
    Lexicon,
    WordVectors,
    row_dots,
)

__all__ = [
    "DENSE_FEATURES",
    "GROUPS",
    "Floats",
    "Grid",
    "IntPairs",
    "PairInputs",
    "dense_features",
    "term_features",
    "text_scores",
    "word_features",
]


GROUPS = tuple(
    re.compile(pattern)
    for pattern in (
        r"\b(?:women|woman|girl|gender|femal|matern)",
        r"\b(?:child|minor|juvenil|adolesc|youth|boy|pupil|student)",
        r"\bdisab",
        r"\b(?:migrant|migrat|foreign|asylum|refuge|stateless|immigr)",
        r"\b(?:indigen|tribal|afro|ethnic|minor(?:iti)?\b|roma|dalit|caste)",
        r"\b(?:lgbt|sexual orient|gender ident|homosexu|intersex|same sex)",
        r"\b(?:journalist|defend|media|press|blogger)",
        r"\b(?:prison|detain|detent|custodi|incarcer)",
        r"\b(?:older|elder)",
        r"\b(?:religi|belief|faith|worship)",
        r"\btraffick",
        r"\b(?:tortur|ill treatment)",
        r"\b(?:death penalti|capit|execut|moratorium)",
        r"\b(?:health|hiv|aids|medic|hospit)",
        r"\b(?:educ|school)",
        r"\b(?:labour|labor|employ)",
        r"\b(?:water|sanit)",
        r"\bcorrupt",
        r"\b(?:judici|judg|court|tribun)",
        r"\b(?:polic|secur forc|militari|law enforc)",
    )
)
"""Who or what an ask is about, read from its normalized text: asks for different groups are
different commitments."""


IntPairs = npt.NDArray[np.int64]


Floats = npt.NDArray[np.float64]


Grid = tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]
"""Two lists of text indexes whose every (first, second) pair is scored, row by row."""


@dataclass(frozen=True)
class PairInputs:
    """What the pair features read of each normalized text."""

    texts: Sequence[str]
    terms: Any
    """TF-IDF rows of the similarity model (scipy csr, l2-normalized)."""
    vectors: npt.NDArray[np.float32]
    known: npt.NDArray[np.bool_]
    actions: npt.NDArray[np.uint16]
    treaties: Sequence[frozenset[str]]
    groups: npt.NDArray[np.uint64]
    first: npt.NDArray[np.int64]
    words: npt.NDArray[np.float64]
    named: npt.NDArray[np.bool_]
    sets: npt.NDArray[np.uint64]
    """The kinds of action (`normalize.action_mask`) and the `GROUPS` named, as bits."""
    lexicon: Lexicon | None = None
    """The texts' words in the word vectors (`word_vectors`), for a model that reads them."""
    places: Places | NodePlaces | None = None
    """Where each text is printed (`positions`; None: nowhere known, every pair neutral)."""

    @functools.cached_property
    def log_words(self) -> Floats:
        """The log1p of each text's words (`log_shorter`, `log_longer`), computed once."""
        return np.log1p(self.words)

    @classmethod
    def build(
        cls,
        texts: Sequence[str],
        terms: Any,
        vectors: npt.NDArray[np.float32],
        known: npt.NDArray[np.bool_],
        actions: npt.NDArray[np.uint16],
        treaties: Sequence[frozenset[str]],
        word_vectors: WordVectors | None = None,
        places: Places | NodePlaces | None = None,
    ) -> PairInputs:
        groups = np.array(
            [sum(1 << at for at, group in enumerate(GROUPS) if group.search(t)) for t in texts],
            dtype=np.uint64,
        )
        firsts: dict[str, int] = {}
        first = np.array(
            [firsts.setdefault(t.split(" ", 1)[0], len(firsts)) for t in texts], dtype=np.int64
        )
        words = np.array([len(text.split()) for text in texts], dtype=np.float64)
        named = np.array([bool(names) for names in treaties], dtype=bool)
        sets = np.stack([actions.astype(np.uint64), groups], axis=1)
        return cls(
            texts,
            terms.tocsr(),
            vectors,
            known,
            actions,
            treaties,
            groups,
            first,
            words,
            named,
            sets,
            None if word_vectors is None else word_vectors.lexicon(texts),
            places,
        )


def _bits(values: npt.NDArray[np.uint64]) -> npt.NDArray[np.float64]:
    return np.bitwise_count(values).astype(np.float64)


def dense_features(
    inputs: PairInputs, pairs: IntPairs, knots: Sequence[float] = (), grid: Grid | None = None
) -> Floats:
    """`DENSE_FEATURES` of each pair (rows of two text indexes), one row per pair, then the
    meaning cosine's excess over each of `knots` (max(0, meaning - knot): a weight of its own
    for close meanings). `grid`: the pairs are every (row, column) of these two lists of
    texts, row by row; the meaning cosines are then one matrix product."""
    a, b = pairs[:, 0], pairs[:, 1]
    out = np.zeros((len(pairs), len(DENSE_FEATURES) + len(knots)))
    dots = (
        row_dots(inputs.vectors, pairs)
        if grid is None
        else (inputs.vectors[grid[0]] @ inputs.vectors[grid[1]].T).ravel()
    )
    out[:, 0] = np.minimum(np.maximum(dots, 0), 1) * (inputs.known[a] & inputs.known[b])
    # The kinds of action and the groups (columns 1-3 and 4-6): Jaccard where both name some,
    # whether both do, whether they name none in common.
    left, right = inputs.sets.take(a, axis=0), inputs.sets.take(b, axis=0)
    both = (left > 0) & (right > 0)
    shared = left & right
    out[:, 1:7:3] = _bits(shared) / np.maximum(_bits(left | right), 1)  # 0 unless both
    out[:, 2:8:3] = both
    out[:, 3:9:3] = both & (shared == 0)
    named = np.nonzero(inputs.named[a] & inputs.named[b])[0]
    if len(named):
        treaties = inputs.treaties
        out[named, 7] = [bool(treaties[i] & treaties[j]) for i, j in pairs[named].tolist()]
    out[:, 8] = inputs.first[a] == inputs.first[b]
    words_a, words_b = inputs.words[a], inputs.words[b]
    out[:, 9] = np.minimum(words_a, words_b) / np.maximum(np.maximum(words_a, words_b), 1)
    # The log of the shorter is the shorter's log.
    logs_a, logs_b = inputs.log_words[a], inputs.log_words[b]
    out[:, 10] = np.minimum(logs_a, logs_b)
    out[:, 11] = np.maximum(logs_a, logs_b)
    for at, knot in enumerate(knots):
        out[:, len(DENSE_FEATURES) + at] = np.maximum(out[:, 0] - knot, 0)
    return out


def word_features(inputs: PairInputs, pairs: IntPairs, scorers: Sequence[str]) -> Floats:
    """The rapidfuzz `scorers` (names of `rapidfuzz.fuzz` functions) of each pair, 0-1."""
    return text_scores(inputs.texts, pairs, scorers)


def text_scores(texts: Sequence[str], pairs: IntPairs, scorers: Sequence[str]) -> Floats:
    """The rapidfuzz `scorers` of each pair of `texts` (rows of two indexes), 0-1."""
    if not scorers or not len(pairs):
        return np.zeros((len(pairs), len(scorers)))
    left = [texts[i] for i in pairs[:, 0].tolist()]
    right = [texts[j] for j in pairs[:, 1].tolist()]
    workers = -1 if len(left) > 10_000 else 1
    out = np.empty((len(pairs), len(scorers)))
    for at, name in enumerate(scorers):
        scores = process.cpdist(
            left, right, scorer=getattr(fuzz, name), dtype=np.float32, workers=workers
        )
        out[:, at] = scores.astype(np.float64) / 100
    return out


def term_features(inputs: PairInputs, pairs: IntPairs) -> Any:
    """Each term's weight in both asks (the product) and in one only (its weight in the ask
    that has it), one sparse row per pair: the slow form the model is trained on."""
    a = inputs.terms[pairs[:, 0]].astype(np.float64)
    b = inputs.terms[pairs[:, 1]].astype(np.float64)
    shared = a.multiply(b).tocsr()
    one_only = a - a.multiply(b > 0) + b - b.multiply(a > 0)
    return sparse.hstack([shared, sparse.csr_matrix(one_only)]).tocsr()
