"""A learned recurring-ask classifier: which (later, earlier) pairs of one State's two reviews
are the same ask asked again.

The rule-based matcher (`recurrence.matched`) links a pair when its score reaches one cut. It
misses links that are the later ask's best match just under the cut, and takes pairs above it
that are far from either ask's best. This model reads each candidate pair in its context: the
clusters' pair score, its rank among the later ask's candidates and among the earlier ask's,
the margin to each one's best, the pair model's features (meaning, the same treaty, the kinds
of action and groups both name, lengths) and how compound the earlier ask is. A logistic
regression over those, with a decision threshold, both chosen on the tuning pairs of bench/gold
(bench/recurrence_learned.py, `pipeline.train_recurrence`); shipped in data/models/recurrence/
as JSON and applied with numpy only. Rebuilt, the same from the same gold (Newton's method,
no randomness), by `.venv/bin/python bench/recurrence_learned.py --no-test --write
data/models/recurrence`.
The index uses it when `ClusterSettings.learned_links` (by default, with the pair model), through
`recurrence_links.learned_recurrences`, which finds the same links scoring few pairs.

Example:
    model = RecurrenceModel.load()
    probabilities = model.probabilities(earlier_items, later_items)   # later x earlier
    links = model.links(earlier_items, later_items)                  # [(later, earlier, p)]
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import sparse  # type: ignore[import-untyped]

from uprdex.pipeline.clusters.feature_names import (
    CONTEXT_FEATURES,
    DENSE_FEATURES,
    RECURRENCE_FEATURES,
)
from uprdex.pipeline.clusters.normalize import normalize, strip_states
from uprdex.pipeline.clusters.pair_features import PairInputs, dense_features
from uprdex.pipeline.clusters.records import ClusterItem
from uprdex.pipeline.clusters.similarity import PendingScores, Similarity
from uprdex.pipeline.clusters.treaties import load_treaties
from uprdex.pipeline.model_versions import (
    RECURRENCE_DIR,
    RECURRENCE_FILE,
    RECURRENCE_FORMAT,
    RecurrenceModelError,
    recurrence_file,
    recurrence_version,
)
from uprdex.pipeline.settings import ClusterSettings
from uprdex.pipeline.theme_model import ThemeModel

__all__ = [
    "CONTEXT_FEATURES",
    "DEFAULT_MODEL_DIR",
    "FEATURES",
    "SCORE_FEATURES",
    "CheapFeatures",
    "RecurrenceModel",
    "RecurrenceModelError",
    "candidate_features",
    "cheap_features",
    "compound",
    "pair_grid",
    "pair_inputs",
    "ranks",
    "score_context",
    "scored_features",
    "shipped",
    "subject_vectors",
]

DEFAULT_MODEL_DIR = RECURRENCE_DIR
MODEL_FILE = RECURRENCE_FILE
MODEL_FORMAT = RECURRENCE_FORMAT

FEATURES = RECURRENCE_FEATURES
"""The features of each candidate pair, in the model's order."""

Floats = npt.NDArray[np.float64]


def compound(text: str) -> float:
    """How many asks in one: clauses joined by ";", "and" + a verb-like break, "including"."""
    lowered = text.lower()
    return float(
        lowered.count(";")
        + lowered.count(" including ")
        + lowered.count(", and ")
        + lowered.count(" as well as ")
    )


def ranks(scores: Floats, axis: int) -> Floats:
    """1 for the best along `axis`, 2 for the next, ... (ties share the better rank): 1 + how
    many beat each score, from one sort of each row."""
    if axis == 0:
        return ranks(scores.T, 1).T
    order = np.argsort(-scores, axis=1, kind="stable")
    ordered = np.take_along_axis(-scores, order, axis=1)
    places = np.broadcast_to(np.arange(scores.shape[1]), scores.shape)
    fresh = np.ones(scores.shape, dtype=bool)
    fresh[:, 1:] = ordered[:, 1:] != ordered[:, :-1]
    first = np.maximum.accumulate(np.where(fresh, places, 0), axis=1)
    out = np.empty(scores.shape, dtype=np.float64)
    np.put_along_axis(out, order, first + 1.0, axis=1)
    return out


def candidate_features(
    earlier: Sequence[ClusterItem],
    later: Sequence[ClusterItem],
    settings: ClusterSettings | None = None,
) -> tuple[Floats, Floats]:
    """(features, scores): `FEATURES` of every later x earlier pair as an array of shape
    (len(later), len(earlier), len(FEATURES)), and the clusters' pair scores (0-100)."""
    count, other = len(later), len(earlier)
    if not count or not other:
        return np.zeros((count, other, len(FEATURES))), np.zeros((count, other))
    return scored_features(*pair_grid(earlier, later, settings))


Grid = tuple[
    Similarity, npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.float32], list[str]
]


def pair_grid(
    earlier: Sequence[ClusterItem],
    later: Sequence[ClusterItem],
    settings: ClusterSettings | None = None,
) -> Grid:
    """`scored_features`' arguments for the later x earlier asks, each ask a text of its own:
    the similarity of their texts (later asks first), the later and the earlier asks' indexes
    there, their subject vectors and their texts as written."""
    settings = settings or ClusterSettings()
    treaties = load_treaties(settings.treaties)
    raw = [item.text for item in [*later, *earlier]]
    similarity = Similarity([normalize(text, treaties) for text in raw], treaties, settings)
    count = len(later)
    return (
        similarity,
        np.arange(count),
        count + np.arange(len(earlier)),
        subject_vectors(raw),
        raw,
    )


def subject_vectors(raw: Sequence[str]) -> npt.NDArray[np.float32]:
    """What each ask is about (`ThemeModel.subjects`), from its text as written."""
    vectors: npt.NDArray[np.float32] = ThemeModel.load().subjects(
        [strip_states(text) for text in raw]
    )
    return vectors


def scored_features(
    similarity: Similarity,
    later: npt.NDArray[np.int64],
    earlier: npt.NDArray[np.int64],
    subjects: npt.NDArray[np.float32],
    raw: Sequence[str],
) -> tuple[Floats, Floats]:
    """`candidate_features` of the later x earlier asks given as indexes of `similarity`'s
    texts (an ask's index there may be shared by asks of one text), with each ask's subject
    vector and text as written (rows: the later asks, then the earlier ones): every pair
    scored (`recurrence_links.model_links` finds the same links scoring few)."""
    count, other = len(later), len(earlier)
    pending = similarity.pending(later, earlier)
    cheap = cheap_features(similarity, pending, subjects, raw)
    out = cheap.full()
    pending.read(np.arange(count * other))
    scores = pending.low.astype(np.float64).reshape(count, other)
    out[..., : len(SCORE_FEATURES)] = score_context(scores / 100)
    if cheap.words:
        out[..., 15] = pending.words.reshape(count, other)
    return out, scores


SCORE_FEATURES = CONTEXT_FEATURES[:9]
"""The features read from the pair scores of the grid: `score_context`'s, in this order."""


def score_context(s: Floats) -> Floats:
    """`SCORE_FEATURES` of every later x earlier pair from their scores `s` (0-1, later asks as
    rows): the score, its margins to its row's and column's best, its ranks there, whether it
    is the best, and the best's gap to the row's second."""
    count, other = s.shape
    row_best = s.max(axis=1, keepdims=True)
    col_best = s.max(axis=0, keepdims=True)
    rank_later = ranks(s, 1)
    rank_earlier = ranks(s, 0)
    second = np.sort(s, axis=1)[:, -2:-1] if other > 1 else np.zeros((count, 1))
    out = np.empty((count, other, len(SCORE_FEATURES)))
    out[..., 0] = s
    out[..., 1] = s - row_best
    out[..., 2] = s - col_best
    out[..., 3] = np.log(rank_later)
    out[..., 4] = np.log(rank_earlier)
    out[..., 5] = rank_later == 1
    out[..., 6] = rank_earlier == 1
    out[..., 7] = (rank_later == 1) & (rank_earlier == 1)
    out[..., 8] = np.where(rank_later == 1, row_best - second, 0.0)
    return out


@dataclass(frozen=True)
class CheapFeatures:
    """The `FEATURES` of a later x earlier grid that need no pair score nor words: each a
    (later, earlier) array or one that broadcasts to it (`columns`, by feature index), and the
    pair model's dense features of every pair, row by row (`dense`, None: left 0)."""

    shape: tuple[int, int]
    columns: dict[int, Floats]
    dense: Floats | None
    words: bool
    """Whether the token-set feature counts (0 where the similarity has no meaning vectors)."""

    def full(self) -> Floats:
        """Every pair's features, those read from the pair scores and words left 0."""
        out = np.zeros((*self.shape, len(FEATURES)))
        for at, values in self.columns.items():
            out[..., at] = values
        if self.dense is not None:
            out[..., len(CONTEXT_FEATURES) :] = self.dense[:, : len(DENSE_FEATURES)].reshape(
                *self.shape, len(DENSE_FEATURES)
            )
        return out

    def at(self, rows: npt.NDArray[np.int64], columns: npt.NDArray[np.int64]) -> Floats:
        """`full()[rows, columns]`, without the rest."""
        out = np.zeros((len(rows), len(FEATURES)))
        for at, values in self.columns.items():
            out[:, at] = np.broadcast_to(values, self.shape)[rows, columns]
        if self.dense is not None:
            chosen = rows * self.shape[1] + columns
            out[:, len(CONTEXT_FEATURES) :] = self.dense[chosen, : len(DENSE_FEATURES)]
        return out

    def weighed(self, weight: Floats) -> Floats:
        """`full() @ weight`, summed feature by feature (no array of every feature)."""
        out = np.zeros(self.shape)
        for at, values in self.columns.items():
            out += weight[at] * values
        if self.dense is not None:
            dense = self.dense[:, : len(DENSE_FEATURES)] @ weight[len(CONTEXT_FEATURES) :]
            out += dense.reshape(self.shape)
        return out


def cheap_features(
    similarity: Similarity,
    pending: PendingScores,
    subjects: npt.NDArray[np.float32],
    raw: Sequence[str],
) -> CheapFeatures:
    """The `CheapFeatures` of `pending`'s later x earlier grid, with each ask's subject vector
    and text as written (later asks first)."""
    later, earlier = pending.grid
    count, other = len(later), len(earlier)
    texts = similarity.texts
    words = np.array(
        [len(texts[i].split()) for i in [*later.tolist(), *earlier.tolist()]], dtype=np.float64
    )
    clauses = np.array([compound(text) for text in raw])
    cosines = np.clip(subjects[:count] @ subjects[count:].T, 0, 1).astype(np.float64)
    columns = {
        9: np.log1p(words[:count])[:, None],
        10: np.log1p(words[count:])[None, :],
        11: np.log1p(clauses[count:])[None, :],
        12: np.log1p(clauses[:count])[:, None],
        13: cosines,
        16: np.log(ranks(cosines, 1)),
    }
    inputs = pair_inputs(similarity, texts)
    if inputs is None:
        return CheapFeatures((count, other), columns, None, False)
    dense = (
        pending.dense
        if pending.dense is not None
        else dense_features(inputs, pending.pairs, (), pending.grid)
    )
    rows = inputs.terms
    if rows.shape[1] > 1:
        rare = np.asarray((rows[later] @ rows[earlier].T).todense(), dtype=np.float64)
        columns[14] = rare
        columns[17] = np.log(ranks(rare, 1))
        columns[18] = rare - rare.max(axis=1, keepdims=True)
    return CheapFeatures((count, other), columns, dense, True)


def pair_inputs(similarity: Similarity, texts: Sequence[str]) -> PairInputs | None:
    if similarity.learned is not None:
        inputs: PairInputs = similarity.learned.inputs
        return inputs
    if similarity.vectors is None:
        return None
    return PairInputs.build(
        texts,
        sparse.csr_matrix((len(texts), 1)),
        similarity.vectors,
        similarity.known,
        similarity.actions,
        similarity.treaties,
    )


@dataclass
class RecurrenceModel:
    """Coefficients over standardized `FEATURES`, and the probability from which a pair links."""

    coefficients: Floats
    intercept: float
    mean: Floats
    scale: Floats
    threshold: float
    metadata: dict[str, Any] = field(default_factory=dict)

    @property
    def version(self) -> str:
        """A fingerprint of what the model decides with (its weights and threshold): a
        retrained model that links otherwise has another (read from its file alone by
        `uprdex status`: `model_versions.recurrence_version`)."""
        return recurrence_version(self.to_json())

    def probability(self, features: Floats) -> Floats:
        """The probability that each pair (features on the last axis) is a recurrence."""
        z = (features - self.mean) / self.scale @ self.coefficients + self.intercept
        out: Floats = 1 / (1 + np.exp(-np.clip(z, -30, 30)))
        return out

    def probabilities(
        self,
        earlier: Sequence[ClusterItem],
        later: Sequence[ClusterItem],
        settings: ClusterSettings | None = None,
    ) -> Floats:
        """The later x earlier matrix of probabilities."""
        features, _ = candidate_features(earlier, later, settings)
        return self.probability(features)

    def links(
        self,
        earlier: Sequence[ClusterItem],
        later: Sequence[ClusterItem],
        settings: ClusterSettings | None = None,
    ) -> list[tuple[str, str, float]]:
        """(later id, earlier id, probability) of the pairs at least `threshold`."""
        p = self.probabilities(earlier, later, settings)
        rows, cols = np.nonzero(p >= self.threshold)
        return [
            (later[r].id, earlier[c].id, float(p[r, c]))
            for r, c in zip(rows.tolist(), cols.tolist(), strict=True)
        ]

    def to_json(self) -> dict[str, Any]:
        return {
            "format": MODEL_FORMAT,
            "features": list(FEATURES),
            "coefficients": [round(float(v), 10) for v in self.coefficients],
            "intercept": round(self.intercept, 10),
            "mean": [round(float(v), 10) for v in self.mean],
            "scale": [round(float(v), 10) for v in self.scale],
            "threshold": round(self.threshold, 10),
            "metadata": self.metadata,
        }

    def save(self, directory: Path) -> Path:
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / MODEL_FILE
        path.write_text(json.dumps(self.to_json(), indent=1, sort_keys=True) + "\n")
        return path

    @classmethod
    def load(cls, directory: Path | None = None) -> RecurrenceModel:
        data = recurrence_file(directory)
        return cls(
            np.array(data["coefficients"]),
            float(data["intercept"]),
            np.array(data["mean"]),
            np.array(data["scale"]),
            float(data["threshold"]),
            data.get("metadata", {}),
        )


_LOADED: dict[Path, RecurrenceModel] = {}


def shipped(directory: Path | None = None) -> RecurrenceModel:
    """The recurrence model of `directory` (default: the shipped one), read once per process."""
    path = directory or DEFAULT_MODEL_DIR
    if path not in _LOADED:
        _LOADED[path] = RecurrenceModel.load(path)
    return _LOADED[path]
