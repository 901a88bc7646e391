"""Similarity of two normalized asks (0-100): words, meaning, the kinds of action, treaties."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process

from uprdex.pipeline.clusters.blocking import upper_indices
from uprdex.pipeline.clusters.normalize import action_mask, normalize
from uprdex.pipeline.clusters.pair_features import PairInputs, text_scores
from uprdex.pipeline.clusters.pair_model import CHUNK, LearnedPairs, PairModel, PairModelError
from uprdex.pipeline.clusters.positions import NodePlaces, Places
from uprdex.pipeline.clusters.treaties import TreatyTable, load_treaties
from uprdex.pipeline.semantic import SemanticModel
from uprdex.pipeline.settings import SCORER_NAMES, ClusterSettings

Scorer = Callable[..., float]
SCORERS: Mapping[str, Scorer] = {name: getattr(fuzz, name) for name in SCORER_NAMES}
"""rapidfuzz scorers a `ClusterSettings.scorer` may name (all return 0-100)."""

_SKETCH = 1024
"""Numbers per text of the rare words' rows (`_sketch`)."""
_GATHER = 2048
"""Pairs whose rows `_row_dots` gathers at once where it multiplies row by row."""
_MATRIX_BATCH = 100_000
"""About how many pairs `Similarity.matrices` scores in one call."""
_SLACK = 1e-9
"""How much wider than the word scores' range `PendingScores` takes a logit's: float rounding
never puts a score outside its bounds."""
WORDS = "token_set_ratio"
"""The rapidfuzz scorer `PendingScores.words` holds (the pair model's, and a feature of the
recurrence model)."""


class Similarity:
    """Scores (0-100) between normalized texts: the rapidfuzz scorer and the semantic cosine.

    places: where each text is printed (`positions.item_places`, or each node's place in each
    report, `positions.node_places`), read by a pair model with position features; None:
    nowhere known (every pair scored as its texts alone say)."""

    def __init__(
        self,
        texts: Sequence[str],
        treaties: TreatyTable,
        settings: ClusterSettings,
        places: Places | NodePlaces | None = None,
    ) -> None:
        self.texts = texts
        self.scorer = SCORERS[settings.scorer]
        self.weight = settings.semantic_weight
        self.rare_weight = settings.rare_weight
        model = (
            SemanticModel.load(settings.similarity_model)
            if (self.weight + self.rare_weight > 0 or settings.learned) and texts
            else None
        )
        terms = None if model is None else model.terms(texts)
        self.vectors = None if model is None else model.project(terms)
        # The TF-IDF rows the vectors come from: the shared stems weighed by their rarity, so
        # that a shared frame ("promote and protect the rights of") counts for little.
        self.rows = (
            None if terms is None or self.rare_weight == 0 or settings.learned else _sketch(terms)
        )
        self.known = (
            np.zeros(len(texts), dtype=bool)
            if self.vectors is None
            else np.abs(self.vectors).sum(axis=1) > 0
        )
        self.treaties = [frozenset(t for t in text.split() if t in treaties.keys) for text in texts]
        self.named = np.array([bool(names) for names in self.treaties], dtype=bool)
        self.ratified = [_ratified(text, treaties) for text in texts]
        self.action_weight = settings.action_weight
        self.actions = np.array([action_mask(text) for text in texts], dtype=np.uint16)
        # The learned pair score (`pair_model`) in place of the weighted mix.
        self.learned = None
        usable = model is not None and terms is not None and self.vectors is not None
        if settings.learned and usable:
            assert model is not None and self.vectors is not None
            pair_model = PairModel.load(settings.pair_model)
            trained_with = pair_model.metadata.get("similarity_model")
            if trained_with != model.version:
                raise PairModelError(
                    f"the pair model {pair_model.version} was trained with similarity model "
                    f"{trained_with}, not {model.version}: retrain it (`uprdex train-pairs "
                    "FILE.csv`) or cluster without it (learned = false)"
                )
            inputs = PairInputs.build(
                texts,
                terms,
                self.vectors,
                self.known,
                self.actions,
                self.treaties,
                pair_model.word_vectors,
                places,
            )
            self.learned = LearnedPairs(pair_model, inputs)

    @property
    def unplaced(self) -> LearnedPairs | None:
        """The pair model that scores pairs without two places in one report (of before, if
        the shipped one reads places)."""
        if self.learned is None:
            return None
        return self.learned.plain or self.learned

    def pairs(
        self, pairs: npt.NDArray[np.int64], cutoff: float, *, placed: bool = True
    ) -> npt.NDArray[np.float32]:
        """Similarity of each pair, 0 where below `cutoff` or where they name different treaties;
        `placed` False: as asks of two reports (`unplaced`), whatever the texts' places say (a
        recurring ask whose text is also printed in the earlier report, one node there)."""
        if not len(pairs):
            return np.empty(0, dtype=np.float32)
        learned = self.learned if placed else self.unplaced
        if learned is not None:
            scores = self._mixed_where_unknown(pairs, learned.scores(pairs, cutoff), cutoff)
            return self._treaty_rules(pairs, scores, cutoff)
        return self._treaty_rules(pairs, self._mixed(pairs, cutoff), cutoff)

    def _mixed_where_unknown(
        self, pairs: npt.NDArray[np.int64], scores: npt.NDArray[np.float32], cutoff: float
    ) -> npt.NDArray[np.float32]:
        """The pair model's `scores`, with the weighted mix's where a text is one the
        similarity model knows no word of (a name, a typo): the pair model has no terms to
        read, and words alone score it, as in the mix."""
        unknown = np.nonzero(~(self.known[pairs[:, 0]] & self.known[pairs[:, 1]]))[0]
        if len(unknown):
            scores[unknown] = self._mixed(pairs[unknown], cutoff)
        return scores

    def pending(
        self, later: npt.NDArray[np.int64], earlier: npt.NDArray[np.int64]
    ) -> PendingScores:
        """The scores of every (later, earlier) pair of texts, bounded before any word score
        is read (`PendingScores`)."""
        return PendingScores(self, later, earlier)

    def _mixed(self, pairs: npt.NDArray[np.int64], cutoff: float) -> npt.NDArray[np.float32]:
        """The weighted mix of words, meaning, rare words and action kinds (no treaty rule)."""
        scores = np.zeros(len(pairs), dtype=np.float32)
        action = self._action(self.actions[pairs[:, 0]], self.actions[pairs[:, 1]])
        if self.vectors is None:
            lowest = cutoff - self.action_weight / 2
            combined = self._words(pairs, max(lowest, 0)) + action
            scores[:] = np.where(combined >= cutoff, np.minimum(combined, 100), 0)
        else:
            # A text the model knows no word of has no meaning vector: words alone score it.
            known = self.known[pairs[:, 0]] & self.known[pairs[:, 1]]
            weight = np.where(known, self.weight, 0)
            meaning = weight * 100 * np.clip(_row_dots(self.vectors, pairs), 0, 1) + action
            if self.rows is not None:
                rare = np.where(known, self.rare_weight, 0)
                meaning += rare * 100 * np.clip(_row_dots(self.rows, pairs), 0, 1)
                weight = weight + rare
            # Only pairs that could reach the cutoff with a perfect word score are scored.
            hopeful = np.nonzero(meaning + (1 - weight) * 100 >= cutoff)[0]
            words = self._words(pairs[hopeful], 0)
            combined = (1 - weight[hopeful]) * words + meaning[hopeful]
            scores[hopeful] = np.where(combined >= cutoff, np.minimum(combined, 100), 0)
        return scores

    def _treaty_rules(
        self, pairs: npt.NDArray[np.int64], scores: npt.NDArray[np.float32], cutoff: float
    ) -> npt.NDArray[np.float32]:
        # "Ratify the CED" and "Ratify the ICRMW" are 80% the same words and different asks.
        both = np.nonzero(self.named[pairs[:, 0]] & self.named[pairs[:, 1]])[0]
        if not len(both):
            return scores
        for row, (a, b) in zip(both.tolist(), pairs[both].tolist(), strict=True):
            if self.treaties[a].isdisjoint(self.treaties[b]):
                scores[row] = 0
            elif _same_ratification(self.ratified[a], self.ratified[b]):
                scores[row] = 100
            elif _open_alike(self.ratified[a], self.ratified[b]):
                # Both open by ratifying the same treaty, then each ask more: "Accede to the
                # 1961 Convention ... and put in place statelessness determination procedures"
                # and "... and take all relevant measures to reduce the number of stateless
                # persons" (Slovenia 2019 and 2014). Not one ask by itself, but neither blocks
                # the other from the cluster of "Ratify the 1961 Convention".
                scores[row] = max(scores[row], cutoff)
        return scores

    def _action(
        self, left: npt.NDArray[np.uint16], right: npt.NDArray[np.uint16]
    ) -> npt.NDArray[np.float32]:
        """Points for the kinds of action two asks name: + weight/2 for the same kinds, -
        weight/2 for none in common (Jaccard of the kinds, centred), 0 where either names none."""
        shared = np.bitwise_count(left & right).astype(np.float32)
        either = np.bitwise_count(left | right).astype(np.float32)
        both = (left > 0) & (right > 0)
        jaccard = np.divide(shared, either, out=np.zeros_like(shared), where=both)
        points: npt.NDArray[np.float32] = np.where(
            both, self.action_weight * (jaccard - 0.5), 0
        ).astype(np.float32)
        return points

    def _words(self, pairs: npt.NDArray[np.int64], cutoff: float) -> npt.NDArray[np.float32]:
        left = [self.texts[i] for i in pairs[:, 0].tolist()]
        right = [self.texts[j] for j in pairs[:, 1].tolist()]
        # Threads pay off on many pairs, not on the few a merge completes.
        workers = -1 if len(left) > 10_000 else 1
        words: npt.NDArray[np.float32] = process.cpdist(
            left, right, scorer=self.scorer, score_cutoff=cutoff, dtype=np.float32, workers=workers
        )
        return words

    def matrix(self, nodes: Sequence[int]) -> npt.NDArray[np.float32]:
        """All-pairs scores among `nodes` (no cutoff, no treaty rule): for centrality."""
        if self.learned is not None:
            return self._learned_matrices([nodes])[0]
        texts = [self.texts[n] for n in nodes]
        words: npt.NDArray[np.float32] = process.cdist(
            texts, texts, scorer=self.scorer, dtype=np.float32
        )
        actions = self.actions[list(nodes)]
        action = self._action(actions[:, None], actions[None, :])
        if self.vectors is None:
            return (words + action).astype(np.float32)
        vectors = self.vectors[list(nodes)]
        known = self.known[list(nodes)]
        both = known[:, None] & known[None, :]
        weight = np.where(both, self.weight, 0)
        meaning = weight * 100 * np.clip(vectors @ vectors.T, 0, 1)
        if self.rows is not None:
            rows = self.rows[list(nodes)]
            rare = np.where(both, self.rare_weight, 0)
            meaning = meaning + rare * 100 * np.clip(rows @ rows.T, 0, 1)
            weight = weight + rare
        mixed: npt.NDArray[np.float32] = ((1 - weight) * words + meaning + action).astype(
            np.float32
        )
        return mixed

    def matrices(self, groups: Sequence[Sequence[int]]) -> list[npt.NDArray[np.float32]]:
        """`matrix` of each group of nodes; with the pair model, the pairs of many groups
        scored in one call (a run's clusters: thousands of small groups)."""
        if self.learned is None:
            return [self.matrix(nodes) for nodes in groups]
        out: list[npt.NDArray[np.float32]] = []
        for start, stop in _matrix_batches(groups):
            out.extend(self._learned_matrices(groups[start:stop]))
        return out

    def _learned_matrices(self, groups: Sequence[Sequence[int]]) -> list[npt.NDArray[np.float32]]:
        assert self.learned is not None
        uppers = [np.stack(upper_indices(len(nodes)), axis=1) for nodes in groups]
        chosen = np.concatenate(
            [
                np.asarray(nodes, dtype=np.int64)[upper]
                for nodes, upper in zip(groups, uppers, strict=True)
            ]
            + [np.zeros((0, 2), dtype=np.int64)]
        )
        scores = self._mixed_where_unknown(chosen, self.learned.scores(chosen, 0), 0)
        out: list[npt.NDArray[np.float32]] = []
        at = 0
        for nodes, upper in zip(groups, uppers, strict=True):
            matrix = np.zeros((len(nodes), len(nodes)), dtype=np.float32)
            part = scores[at : at + len(upper)]
            at += len(upper)
            matrix[upper[:, 0], upper[:, 1]] = part
            matrix[upper[:, 1], upper[:, 0]] = part
            out.append(matrix)
        return out


class PendingScores:
    """The scores (0-100, cutoff 0) of every later x earlier pair of texts (`pairs`, row by
    row), each between `low` and `high` before its word scores are read (the costly part:
    rapidfuzz), and exact once `read`.

    With the pair model the costly part of a pair's logit (its word scores, and a word
    alignment's) lies in `LearnedPairs.word_range`, so each score is bounded by the map of the
    other features' logit plus either end (a text the similarity model does not know: 0-100;
    the treaty rules apply to both ends). `read`
    scores the chosen pairs as `Similarity.pairs` does, from the logits already computed (the
    meaning cosines and the terms of the whole grid as two matrix products, which round a
    pair's last bits as they may), and `words` holds their `WORDS` scores (0-1). `dense`
    keeps the pair model's `dense_features` of every pair (None with the weighted mix, whose
    scores are all computed up front).
    """

    def __init__(
        self, similarity: Similarity, later: npt.NDArray[np.int64], earlier: npt.NDArray[np.int64]
    ) -> None:
        left, right = np.meshgrid(later, earlier, indexing="ij")
        pairs = np.stack([left.ravel(), right.ravel()], axis=1).astype(np.int64)
        self.similarity = similarity
        self.grid = (later, earlier)
        self.pairs = pairs
        self.words = np.full(len(pairs), np.nan)
        self.dense: npt.NDArray[np.float64] | None = None
        # Pairs of two reviews: never two places in one report (`LearnedPairs.plain`).
        learned = similarity.unplaced
        if learned is None:
            self.low = similarity.pairs(pairs, 0)
            self.high = self.low.copy()
            self._partial = None
        else:
            self._partial, self.dense = learned.partial(pairs, (later, earlier))
            least, most = learned.word_range()
            model = learned.model
            self.low = np.asarray(model.mapped(self._partial + least - _SLACK), dtype=np.float32)
            self.high = np.asarray(model.mapped(self._partial + most + _SLACK), dtype=np.float32)
            unknown = ~(similarity.known[pairs[:, 0]] & similarity.known[pairs[:, 1]])
            self.low[unknown], self.high[unknown] = 0, 100
            similarity._treaty_rules(pairs, self.low, 0)
            similarity._treaty_rules(pairs, self.high, 0)
        self.read_ = np.zeros(len(pairs), dtype=bool)

    @property
    def known(self) -> npt.NDArray[np.bool_]:
        """The pairs whose score is exact: read, or bounded to one value."""
        known: npt.NDArray[np.bool_] = self.read_ | (self.low == self.high)
        return known

    def read(self, at: npt.NDArray[np.int64]) -> None:
        """Read the word scores of `pairs[at]` (those not read yet): their scores become exact."""
        at = at[~self.read_[at]]
        if not len(at):
            return
        similarity, chosen = self.similarity, self.pairs[at]
        # Pairs of two reviews: never two places in one report (`LearnedPairs.plain`).
        learned = similarity.unplaced
        if learned is None or self._partial is None:
            self.words[at] = text_scores(similarity.texts, chosen, [WORDS])[:, 0]
        else:
            scorers = learned.model.scorers
            words = text_scores(similarity.texts, chosen, scorers)
            scores = similarity._mixed_where_unknown(
                chosen, learned.finished(self._partial[at], words, chosen), 0
            )
            scores = similarity._treaty_rules(chosen, scores, 0)
            self.low[at] = self.high[at] = scores
            self.words[at] = (
                words[:, scorers.index(WORDS)]
                if WORDS in scorers
                else text_scores(similarity.texts, chosen, [WORDS])[:, 0]
            )
        self.read_[at] = True


def opening_treaties(texts: Sequence[str], treaties: TreatyTable) -> list[str | None]:
    """The treaty each normalized text opens by ratifying (None when it does not): blocking
    compares every pair of asks that open with one treaty."""
    opened = (_ratified(text, treaties) for text in texts)
    return [None if first is None else first[0][0] for first in opened]


def _ratified(text: str, treaties: TreatyTable) -> tuple[tuple[str, ...], bool] | None:
    """The treaties a normalized ask opens by ratifying, and whether that is all it asks:
    "ratifi stateless1961 put place ..." -> (("stateless1961",), False); "ratifi iccpr icescr"
    -> (("iccpr", "icescr"), True); None when it does not open with a ratification. A treaty's
    own protocols named right after it go with it, as the first-named ask decides: "ratifi cat
    opcat" (Ratify CAT and its Optional Protocol) -> (("cat",), True)."""
    words = text.split()
    if not words or words[0] != "ratifi":
        return None
    named = list(itertools.takewhile(lambda word: word in treaties.keys, words[1:]))
    keys: list[str] = []
    for key in named:
        if not keys or key not in treaties.protocols.get((keys[-1], "all"), ()):
            keys.append(key)
    return (tuple(keys), len(named) == len(words) - 1) if keys else None


def _same_ratification(
    a: tuple[tuple[str, ...], bool] | None, b: tuple[tuple[str, ...], bool] | None
) -> bool:
    """One ask only ratifies, and the other opens by ratifying the same treaty: "Ratify the
    1961 Convention" and "Accede to the 1961 Convention ... and put in place statelessness
    determination procedures" (the first-named ask decides, as the Slovenia gold counts it).
    Two asks that each add their own action ("Ratify OP-CAT and establish a national
    preventive mechanism" / "... and extend a standing invitation") are scored as usual."""
    if a is None or b is None or not (a[1] or b[1]):
        return False
    plain, other = (a, b) if a[1] else (b, a)
    if other[1]:
        return set(plain[0]) == set(other[0])
    return plain[0] == other[0][:1] if len(plain[0]) == 1 else set(plain[0]) == set(other[0])


def _open_alike(
    a: tuple[tuple[str, ...], bool] | None, b: tuple[tuple[str, ...], bool] | None
) -> bool:
    """Both asks open by ratifying the same treaty first."""
    return a is not None and b is not None and a[0][0] == b[0][0]


def halfway(count: int) -> int:
    """Where to cut `count` pairs in two calls of `Similarity.pairs` whose weighted mix scores
    each pair as one call does, to the bit: the end of the chunk (`CHUNK`) nearest the middle
    (0: nowhere). (The pair model's terms may differ in a float64's last bits, which its
    float32 scores do not keep.)"""
    return CHUNK * round(count / 2 / CHUNK)


def _matrix_batches(groups: Sequence[Sequence[int]]) -> Iterator[tuple[int, int]]:
    """The groups (start, stop) that `Similarity.matrices` scores in one call of the pair
    model: each batch ends at the group with which its pairs reach `_MATRIX_BATCH`."""
    start = 0
    while start < len(groups):
        stop, pairs = start, 0
        while stop < len(groups) and (stop == start or pairs < _MATRIX_BATCH):
            pairs += len(groups[stop]) * (len(groups[stop]) - 1) // 2
            stop += 1
        yield start, stop
        start = stop


def matrices_halfway(groups: Sequence[Sequence[int]]) -> int:
    """Where to cut `groups` in two calls of `Similarity.matrices` that score each pair as one
    call does: the end of its batch (`_matrix_batches`; a pair's score may depend on its
    batch's other pairs) nearest half the pairs (0: nowhere, one batch)."""
    ends = [stop for _, stop in _matrix_batches(groups)][:-1]
    if not ends:
        return 0
    so_far = np.cumsum([len(nodes) * (len(nodes) - 1) // 2 for nodes in groups])
    return min(ends, key=lambda end: abs(2 * int(so_far[end - 1]) - int(so_far[-1])))


def similarity(a: str, b: str, settings: ClusterSettings | None = None) -> float:
    """How alike two recommendations are (0-100), as `cluster` scores a pair it compares when
    it does not know where both are printed (two reports; asks of one report are scored by
    their places too, `positions`).

    0 when they name different treaties. For explaining a cluster, or why two asks are apart
    (`cluster` compares only the pairs of one scope, and across all States only those that
    blocking proposes).
    """
    settings = settings or ClusterSettings()
    treaties = load_treaties(settings.treaties)
    texts = [normalize(a, treaties), normalize(b, treaties)]
    scores = Similarity(texts, treaties, settings).pairs(np.array([[0, 1]]), cutoff=0)
    return float(scores[0])


def _sketch(rows: Any) -> npt.NDArray[np.float32]:
    """TF-IDF rows (csr) as dense rows of `_SKETCH` numbers whose dot products are the rows'
    cosines: each term adds its weight, with a sign, to one bucket chosen by its column (a
    count sketch). Two terms of a pair share a bucket with odds 1/_SKETCH, so the estimate is
    off only where that happens (by the product of their small weights). Dense rows score many
    pairs at once as the meaning vectors do, where scipy's row indexing would cost more than
    the products."""
    columns = rows.indices.astype(np.uint64)
    mixed = (columns * np.uint64(2654435761)) % np.uint64(1 << 32)
    buckets = (mixed % np.uint64(_SKETCH)).astype(np.int64)
    signs = np.where((mixed >> np.uint64(16)) & np.uint64(1), 1.0, -1.0)
    lines = np.repeat(np.arange(rows.shape[0]), np.diff(rows.indptr))
    out = np.zeros((rows.shape[0], _SKETCH), dtype=np.float32)
    np.add.at(out, (lines, buckets), (signs * rows.data).astype(np.float32))
    return out


def _row_dots(
    vectors: npt.NDArray[np.float32], pairs: npt.NDArray[np.int64]
) -> npt.NDArray[np.float32]:
    """Dot product of the two rows of each pair, in chunks (both sides of 400k pairs at once
    would take over 1 GB). A chunk of the pairs of one State (all pairs of a few hundred
    texts) is one matrix product of those texts, gathered; scattered pairs are multiplied row
    by row."""
    out = np.empty(len(pairs), dtype=np.float32)
    for start in range(0, len(pairs), CHUNK):
        chunk = pairs[start : start + CHUNK]
        nodes = np.unique(chunk)
        if len(nodes) ** 2 <= 4 * len(chunk):
            sub = vectors[nodes]
            local = np.searchsorted(nodes, chunk)
            out[start : start + len(chunk)] = (sub @ sub.T)[local[:, 0], local[:, 1]]
        else:
            # A slice of the pairs at a time: both sides of 50k pairs of the rare words' 1,024
            # numbers are 400 MB of fresh memory, which took 10x the products (each pair's
            # sum is the same, however many are taken at once).
            for low in range(start, start + len(chunk), _GATHER):
                part = pairs[low : min(low + _GATHER, start + len(chunk))]
                out[low : low + len(part)] = np.einsum(
                    "ij,ij->i", vectors[part[:, 0]], vectors[part[:, 1]]
                )
    return out
