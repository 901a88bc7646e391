"""A learned pair score: a logistic regression over pair features and every TF-IDF term.

Today's similarity weighs words, meaning and the kinds of action by hand. The pair model learns
from labelled reviews (gold clusters) which of them make one commitment: besides a few pair
features (`pair_features`: the meaning cosine, the kinds of action and the groups both asks
name, a shared treaty, the first word, the lengths, and the rapidfuzz scores the model was
trained with), every term of the similarity model's TF-IDF (stems and stem pairs) has two
weights: one for the term in both asks (times the product of its weights in the two), one for
the term in one ask only (times its weight there). "Sanitation" in one ask only says two
commitments; "promote protect right" in both says little.
Where the two asks are printed (`positions`: one paragraph of one report, how far apart) is
read too, when the texts' places are known; a pair without two places in one report (two
reviews, a cycle-1 report) is scored by the same recipe without them, trained beside it and
kept in the same file (arrays named `PLAIN`...): its score is what it was before.

Applied to many pairs, the term part is not a feature vector per pair but one sparse product:
sum_t shared_t a_t b_t - sum_t apart_t (a_t [b_t > 0] + [a_t > 0] b_t) + (A apart)_a + (A
apart)_b, with A the TF-IDF rows, computed over the rows of a block at once (all pairs of one
State) or row by row (blocking's scattered pairs). The rapidfuzz scores, the costly part, are
computed only for the pairs that could reach the cutoff with a perfect word score.

The probability is mapped onto today's scale (0-100) by quantiles over the training pairs, so
that `threshold`, `floor` and `granularity` keep their meaning. Trained by
`pipeline.train_pairs` (`uprdex train-pairs FILE.csv`) and shipped in data/models/pairs/ as
plain arrays (model.npz) and metadata.json; applied with numpy and scipy only.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import sparse  # type: ignore[import-untyped]

from uprdex.pipeline.clusters.pair_features import (
    DENSE_FEATURES,
    Floats,
    Grid,
    IntPairs,
    PairInputs,
    dense_features,
    term_features,
    word_features,
)
from uprdex.pipeline.clusters.positions import (
    POSITION_FEATURES,
    NodePlaces,
    centred,
    position_features,
)
from uprdex.pipeline.model_cache import ModelCache
from uprdex.pipeline.model_files import METADATA_FILE, MODEL_FILE, read_npz_model
from uprdex.pipeline.model_versions import PAIRS, PairModelError, metadata_version
from uprdex.pipeline.word_vectors import (
    COSTLY_VECTOR_FEATURES,
    VECTOR_FEATURES,
    WORD_ARRAYS,
    WordVectors,
    vector_features,
)

__all__ = [
    "CHUNK",
    "DEFAULT_MODEL_DIR",
    "METADATA_FILE",
    "MODEL_FILE",
    "MODEL_FORMAT",
    "PLAIN",
    "LearnedPairs",
    "PairModel",
    "PairModelError",
]

DEFAULT_MODEL_DIR = PAIRS.shipped
"""The shipped model (see pipeline/train_pairs.py to rebuild it)."""
MODEL_FORMAT = PAIRS.format
PLAIN = "plain_"
"""The prefix of the arrays of a position model's companion without position features."""


CHUNK = 50_000
"""Pairs `LearnedPairs._terms` (and the weighted mix's `similarity._row_dots`) take at a time:
one product of the texts' rows where they are few texts' pairs (a State's), entry by entry
else; the two round a float's last bits apart, so a pair's score may depend on its chunk
(`similarity.halfway`)."""
_GATHER = 4096
_BLOCK = 1024
"""Fewest pairs for which one sparse product of their texts' rows may pay (scipy's cost)."""


class PairModel:
    """Coefficients of the pair classifier and the map of its probability onto 0-100."""

    def __init__(self, arrays: dict[str, Any], metadata: dict[str, Any]) -> None:
        self.dense = np.asarray(arrays["dense"], dtype=np.float64)
        self.word = np.asarray(arrays["word"], dtype=np.float64)
        self.shared = np.asarray(arrays["shared"], dtype=np.float64)
        self.apart = np.asarray(arrays["apart"], dtype=np.float64)
        self.intercept = float(arrays["intercept"])
        self.scale_from = np.asarray(arrays["scale_from"], dtype=np.float64)
        self.scale_to = np.asarray(arrays["scale_to"], dtype=np.float64)
        self.knots = tuple(float(k) for k in np.asarray(arrays.get("knots", ())).ravel())
        self.metadata = metadata
        self.scorers: tuple[str, ...] = tuple(metadata.get("scorers", ()))
        # The word vector features (`word_vectors`), with the vectors they were trained with.
        self.vector_features: tuple[str, ...] = tuple(metadata.get("vector_features", ()))
        self.vector = np.asarray(arrays.get("vector", ()), dtype=np.float64).ravel()
        self.word_vectors = (
            WordVectors(
                {name: arrays[f"words_{name}"] for name in WORD_ARRAYS},
                {"version": metadata.get("word_vectors", "unknown")},
            )
            if self.vector_features
            else None
        )
        # Where the asks are printed (`positions`): coefficients, and the features' mean over
        # the positive training pairs, the value of a pair whose places say nothing.
        self.position_features: tuple[str, ...] = tuple(metadata.get("position_features", ()))
        self.position = np.asarray(arrays.get("position", ()), dtype=np.float64).ravel()
        self.position_centre = np.asarray(
            arrays.get("position_centre", ()), dtype=np.float64
        ).ravel()
        if self.position_features not in ((), POSITION_FEATURES):
            raise PairModelError(
                f"pair model: position features {list(self.position_features)} unknown to this "
                f"release (known: {list(POSITION_FEATURES)})"
            )
        if not len(self.position) == len(self.position_centre) == len(self.position_features):
            raise PairModelError("pair model: position coefficients and features disagree")
        # A model with position features scores a pair without two places in one report with
        # the same recipe without them (its arrays named `PLAIN`...), as a model of before.
        plain = {k[len(PLAIN) :]: v for k, v in arrays.items() if k.startswith(PLAIN)}
        shared = {k: v for k, v in arrays.items() if k in ("scale_to", "knots")}
        shared.update((k, v) for k, v in arrays.items() if k.startswith("words_"))
        self.plain = (
            PairModel({**plain, **shared}, {**metadata, "position_features": []})
            if self.position_features
            else None
        )
        if self.position_features and not plain:
            raise PairModelError("pair model: position features without the model of before")
        unknown = sorted(set(self.vector_features) - set(VECTOR_FEATURES))
        if unknown:
            raise PairModelError(
                f"pair model: word vector features {unknown} unknown to this release "
                f"(known: {list(VECTOR_FEATURES)})"
            )
        if len(self.vector) != len(self.vector_features):
            raise PairModelError("pair model: word vector coefficients and features disagree")
        if len(self.dense) != len(DENSE_FEATURES) + len(self.knots) or len(self.word) != len(
            self.scorers
        ):
            raise PairModelError("pair model: coefficients and features disagree")
        if len(self.shared) != len(self.apart):
            raise PairModelError("pair model: term coefficients disagree")

    @property
    def version(self) -> str:
        """What the model was built from (the recipe's revision, the training data's hash)."""
        return metadata_version(self.metadata)

    @classmethod
    def load(cls, path: Path | None = None) -> PairModel:
        """The model in `path` (default: the shipped one), read once per process."""
        return _MODELS.get(path or DEFAULT_MODEL_DIR)

    @classmethod
    def _read(cls, directory: Path) -> PairModel:
        folder = PAIRS
        return read_npz_model(
            directory, folder.kind, folder.format, folder.rebuild, folder.error, cls
        )

    def logits_slow(self, inputs: PairInputs, pairs: IntPairs) -> Floats:
        """The classifier's logit of each pair from the full feature rows (as trained)."""
        terms = term_features(inputs, pairs)
        coef = np.concatenate([self.shared, self.apart])
        dense = dense_features(inputs, pairs, self.knots) @ self.dense
        words = word_features(inputs, pairs, self.scorers) @ self.word
        cheap = self.vectors(inputs, pairs) + self.positions(inputs, pairs)
        return np.asarray(self.intercept + dense + words + cheap + terms @ coef, dtype=np.float64)

    def positions(self, inputs: PairInputs, pairs: IntPairs) -> Floats:
        """The position features' part of each pair's logit (0 for a model without, and for a
        pair without two places in one report, which `LearnedPairs.scores` gives `plain`)."""
        if not self.position_features:
            return np.zeros(len(pairs))
        return np.asarray(centred(inputs.places, pairs, self.position_centre) @ self.position)

    def vectors(self, inputs: PairInputs, pairs: IntPairs, costly: bool | None = None) -> Floats:
        """The word vector features' part of each pair's logit (0 for a model without); only
        the costly ones (the word alignment) or only the cheap ones, if `costly` says."""
        chosen = [
            at
            for at, name in enumerate(self.vector_features)
            if costly is None or (name in COSTLY_VECTOR_FEATURES) == costly
        ]
        if not chosen:
            return np.zeros(len(pairs))
        if inputs.lexicon is None:
            raise PairModelError(f"pair model {self.version}: the texts' word vectors are missing")
        names = [self.vector_features[at] for at in chosen]
        return np.asarray(vector_features(inputs.lexicon, pairs, names) @ self.vector[chosen])

    def mapped(self, logits: Floats) -> Floats:
        """Logits as scores on today's scale (0-100)."""
        probability = 1 / (1 + np.exp(-logits))
        return np.asarray(np.interp(probability, self.scale_from, self.scale_to))


class LearnedPairs:
    """The pair model applied to one set of texts: the term part as sparse products."""

    def __init__(self, model: PairModel, inputs: PairInputs, rows: Any = None) -> None:
        vocabulary = inputs.terms.shape[1]
        if vocabulary != len(model.shared):
            raise PairModelError(
                f"pair model {model.version}: {len(model.shared)} terms, the similarity model "
                f"{vocabulary}; retrain it with `uprdex train-pairs` after `train-similarity`"
            )
        self.model = model
        self.inputs = inputs
        if rows is None:  # the texts' TF-IDF rows (csr, sorted); a plain companion's are ours
            rows = inputs.terms.astype(np.float64).tocsr()
            rows.sort_indices()
        self.rows = rows
        self.plain = None if model.plain is None else LearnedPairs(model.plain, inputs, rows)
        """The model without position features, for the pairs whose places say nothing."""
        self.costly = any(name in COSTLY_VECTOR_FEATURES for name in model.vector_features)
        # The most the costly features (word scores, the word alignment; each 0-1) could add.
        self.bound = self.word_range()[1]

    # The term part's sparse products, built when first needed: a model that reads places
    # scores a set of texts with no two places in one report (scope "all", imported rows)
    # through `plain` alone, and never needs its own.
    @functools.cached_property
    def left(self) -> Any:
        """left_a . right_b = sum shared a b - sum apart (a [b > 0] + [a > 0] b)."""
        scaled = sparse.diags(self.model.shared)
        apart = sparse.diags(self.model.apart)
        present = (self.rows > 0).astype(np.float64).tocsr()
        return sparse.hstack([self.rows @ scaled, self.rows @ apart, present @ apart]).tocsr()

    @functools.cached_property
    def right(self) -> Any:
        if self.plain is not None:  # the texts' alone, the same for both models
            return self.plain.right
        present = (self.rows > 0).astype(np.float64).tocsr()
        return sparse.hstack([self.rows, -present, -self.rows]).tocsr()

    @functools.cached_property
    def alone(self) -> Floats:
        """Each text's own part of the term sum: (A apart)_a."""
        return np.asarray(self.rows @ self.model.apart, dtype=np.float64).ravel()

    @functools.cached_property
    def spans(self) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """Where each text's row starts among `rows`' stored entries, and how many it has."""
        indptr = self.rows.indptr.astype(np.int64)
        return indptr[:-1], np.diff(indptr)

    def _matched(self, pairs: IntPairs) -> Floats:
        """The term part of the pairs' logits less the texts' own sums: over the terms both
        have, shared_t a_t b_t - apart_t (a_t + b_t). The entries of the first texts' rows, then
        of the second's, gathered at once, keyed by pair and term (ascending on each side) and
        matched by a sorted search (no scipy and its per-call cost)."""
        count, width = len(pairs), self.rows.shape[1]
        chosen = pairs.T.ravel()
        starts, lengths = self.spans[0][chosen], self.spans[1][chosen]
        ends = np.cumsum(lengths)
        split, total = (int(ends[count - 1]), int(ends[-1])) if count else (0, 0)
        if not split or split == total:
            return np.zeros(count)
        at = np.repeat(starts - ends + lengths, lengths) + np.arange(total)
        owner = np.repeat(np.arange(2 * count) % count, lengths)
        terms, values = self.rows.indices[at], self.rows.data[at]
        keys = owner * width + terms
        first, second = keys[:split], keys[split:]
        found = np.minimum(np.searchsorted(second, first), len(second) - 1)
        hit = np.nonzero(second[found] == first)[0]
        term, a, b = terms[hit], values[hit], values[split + found[hit]]
        contribution = self.model.shared[term] * a * b - self.model.apart[term] * (a + b)
        return np.asarray(np.bincount(owner[hit], contribution, count), dtype=np.float64)

    def _terms(self, pairs: IntPairs) -> Floats:
        alone = self.alone[pairs[:, 0]] + self.alone[pairs[:, 1]]
        if len(pairs) < _BLOCK:  # a merge's few missing pairs: no more than needed
            return self._matched(pairs) + alone
        out = np.empty(len(pairs), dtype=np.float64)
        for start in range(0, len(pairs), CHUNK):
            chunk = pairs[start : start + CHUNK]
            nodes = np.unique(chunk)
            # All pairs of a State's asks: one product of their rows. Few or scattered pairs
            # (a merge's missing pairs, blocking's): matched entry by entry.
            if len(nodes) ** 2 <= 4 * len(chunk):
                block = (self.left[nodes] @ self.right[nodes].T).toarray()
                local = np.searchsorted(nodes, chunk)
                out[start : start + len(chunk)] = block[local[:, 0], local[:, 1]]
            else:
                for low in range(start, start + len(chunk), _GATHER):
                    part = pairs[low : min(low + _GATHER, start + len(chunk))]
                    out[low : low + len(part)] = self._matched(part)
        return out + alone

    def partial(self, pairs: IntPairs, grid: Grid | None = None) -> tuple[Floats, Floats]:
        """(each pair's logit less its word scores' part and its costly word vector features'
        (the word alignment), its `dense_features`): what the word scores (`word_features`,
        `finished`) complete. `grid`: as `dense_features`'s (the term part then one product of
        the two lists' rows)."""
        model = self.model
        dense = dense_features(self.inputs, pairs, model.knots, grid)
        if grid is None:
            terms = self._terms(pairs)
        else:
            block = (self.left[grid[0]] @ self.right[grid[1]].T).toarray().ravel()
            terms = block + self.alone[pairs[:, 0]] + self.alone[pairs[:, 1]]
        cheap = model.vectors(self.inputs, pairs, costly=False)
        if model.position_features:
            cheap = cheap + model.positions(self.inputs, pairs)
        return model.intercept + dense @ model.dense + terms + cheap, dense

    def finished(self, partial: Floats, words: Floats, pairs: IntPairs) -> npt.NDArray[np.float32]:
        """Scores (0-100) of `pairs` from their `partial` logits, their word scores (`scorers`)
        and their costly word vector features (the word alignment, computed here)."""
        logits = partial + words @ self.model.word if self.model.scorers else partial
        if self.costly:
            logits = logits + self.model.vectors(self.inputs, pairs, costly=True)
        return np.asarray(self.model.mapped(logits), dtype=np.float32)

    def word_range(self) -> tuple[float, float]:
        """The least and the most the word scores and the costly word vector features (each
        0-1) add to a logit: what `finished` adds to `partial`."""
        costly = [name in COSTLY_VECTOR_FEATURES for name in self.model.vector_features]
        added = np.concatenate([self.model.word, self.model.vector[costly]])
        return float(np.clip(added, None, 0).sum()), float(np.clip(added, 0, None).sum())

    def logits(self, pairs: IntPairs, cutoff: float = 0.0) -> tuple[Floats, npt.NDArray[np.bool_]]:
        """Each pair's logit, and whether it was computed whole: the word scores are computed
        only where a perfect word score could bring the pair to `cutoff` (0-100)."""
        model = self.model
        logits = self.partial(pairs)[0]
        if not model.scorers and not self.costly:
            return logits, np.ones(len(pairs), dtype=bool)
        hopeful = model.mapped(logits + self.bound) >= cutoff
        at = slice(None) if hopeful.all() else np.nonzero(hopeful)[0]
        chosen = pairs[at]
        logits[at] += word_features(self.inputs, chosen, model.scorers) @ model.word
        if self.costly:
            logits[at] += model.vectors(self.inputs, chosen, costly=True)
        return logits, hopeful

    def scores(self, pairs: IntPairs, cutoff: float) -> npt.NDArray[np.float32]:
        """Scores (0-100) of each pair, 0 below `cutoff`; a pair without two places in one
        report scored by `plain`, if the model reads places."""
        if not len(pairs):
            return np.empty(0, dtype=np.float32)
        if self.plain is not None:
            placed = self._placed(pairs)
            if placed is None:  # scope "all", imported rows: no report holds both of a pair
                return self.plain._scores(pairs, cutoff)
            if not placed.all():
                out = np.empty(len(pairs), dtype=np.float32)
                out[~placed] = self.plain.scores(pairs[~placed], cutoff)
                out[placed] = self._scores(pairs[placed], cutoff)
                return out
        return self._scores(pairs, cutoff)

    @functools.cached_property
    def placeable(self) -> npt.NDArray[np.bool_] | None:
        """Whether each text has a place (None: none has, as on imported rows): a pair has two
        in one report only if both its texts have one."""
        places = self.inputs.places
        first = places.first if isinstance(places, NodePlaces) else places
        return None if first is None or not (first[:, 0] >= 0).any() else first[:, 0] >= 0

    def _placed(self, pairs: IntPairs) -> npt.NDArray[np.bool_] | None:
        """Whether each pair has two places in one report (`position_features`); None where
        no pair has."""
        placeable, places = self.placeable, self.inputs.places
        if placeable is None or places is None:
            return None
        both = np.nonzero(placeable[pairs[:, 0]] & placeable[pairs[:, 1]])[0]
        if not len(both):
            return None
        placed = np.zeros(len(pairs), dtype=bool)
        placed[both] = position_features(places, pairs[both])[1]
        return placed if placed.any() else None

    def _scores(self, pairs: IntPairs, cutoff: float) -> npt.NDArray[np.float32]:
        if not len(pairs):
            return np.empty(0, dtype=np.float32)
        logits, whole = self.logits(pairs, cutoff)
        mapped = self.model.mapped(logits)
        return np.where(whole & (mapped >= cutoff), mapped, 0).astype(np.float32)


_MODELS: ModelCache[PairModel] = ModelCache(PairModel._read)
