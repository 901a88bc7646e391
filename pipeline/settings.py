"""Settings: one frozen dataclass per stage, with defaults and validation."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

__all__ = [
    "SCOPES",
    "SCORER_NAMES",
    "ClusterSettings",
    "EvidenceSettings",
    "LoaderSettings",
    "Scope",
    "default_index_path",
    "granularity_cut",
]

Scope = Literal["review", "state", "all"]
SCOPES: tuple[Scope, ...] = ("review", "state", "all")
SCORER_NAMES = (
    "ratio",
    "partial_ratio",
    "token_sort_ratio",
    "token_set_ratio",
    "token_ratio",
    "partial_token_sort_ratio",
    "WRatio",
    "QRatio",
)
"""The rapidfuzz scorers a `ClusterSettings.scorer` may name (all return 0-100)."""


@dataclass(frozen=True, slots=True)
class LoaderSettings:
    """How PDF pages are read.

    margin: share of the page height at the top and bottom where running headers and footers
    (symbol, GE job number, page number) are looked for.
    superscript_ratio: a digit run printed at most this share of the body size is a footnote
    marker, not part of a number.
    min_chars_per_page: pages with fewer characters than this count as having no text layer.
    workers: documents read at once (0: one per core).
    timeout_seconds, memory_mb: the budget of one document; past it the document fails with
    a clear error and the batch goes on.
    ocr: when a PDF has no text layer and `ocrmypdf` is installed, run it (on a copy; the
    original is never touched) and index the text it finds, with a warning saying so.
    """

    margin: float = 0.12
    superscript_ratio: float = 0.8
    min_chars_per_page: int = 20
    workers: int = 0
    timeout_seconds: float = 120.0
    memory_mb: int = 1024
    ocr: bool = False

    def __post_init__(self) -> None:
        if not 0 <= self.margin < 0.5:
            raise ValueError(f"margin must be in [0, 0.5), got {self.margin}")
        if not 0 < self.superscript_ratio < 1:
            raise ValueError(f"superscript_ratio must be in (0, 1), got {self.superscript_ratio}")
        if self.min_chars_per_page < 0 or self.workers < 0:
            raise ValueError("min_chars_per_page and workers must not be negative")
        if self.timeout_seconds <= 0 or self.memory_mb < 0:
            raise ValueError("timeout_seconds must be positive and memory_mb not negative")

    @property
    def processes(self) -> int:
        """Worker processes for a batch: `workers`, or one per core when 0."""
        return self.workers or os.cpu_count() or 1


@dataclass(frozen=True, slots=True)
class EvidenceSettings:
    """How documents are linked to recommendations they do not cite by number.

    paraphrase_threshold: TF-IDF cosine (0-1) from which a sentence counts as restating a
    recommendation (evidence of kind "paraphrase", with its score); 0.40 since the words of a
    sentence that no recommendation uses count in its length (`paraphrase.match_sentences`),
    which lowers every score (0.50 before, with the old score).
    """

    paraphrase_threshold: float = 0.40

    def __post_init__(self) -> None:
        if not 0 < self.paraphrase_threshold <= 1:
            raise ValueError(
                f"paraphrase_threshold must be in (0, 1], got {self.paraphrase_threshold}"
            )


STRICT_THRESHOLD = 70.0
BROAD_THRESHOLD = 35.0
"""The thresholds at granularity 0 ("same commitment, strict") and 1 ("same subject, broad")."""


def granularity_cut(granularity: float) -> tuple[float, float]:
    """(threshold, floor) of a granularity in [0, 1]: the threshold moves linearly from
    `STRICT_THRESHOLD` to `BROAD_THRESHOLD`, and the floor below it from 10 points at the strict
    end to 20 at the broad end (a broad cluster may hold members that only share the subject)."""
    threshold = STRICT_THRESHOLD - granularity * (STRICT_THRESHOLD - BROAD_THRESHOLD)
    return round(threshold, 2), round(threshold - 10 - 10 * granularity, 2)


@dataclass(frozen=True, slots=True)
class ClusterSettings:
    """How recommendations are grouped into duplicate clusters.

    threshold: lowest average similarity (0-100) between two groups for them to merge.
    similarity of two recommendations: `(1 - semantic_weight)` x the rapidfuzz `scorer` on their
    normalized texts + `semantic_weight` x 100 x the cosine of their vectors from the shipped
    similarity model (`pipeline.semantic`), which also pairs asks written in other words.
    rare_weight: the weight of the cosine of the two asks' TF-IDF rows (stems and stem pairs
    weighed by their rarity in the similarity model's training texts), taken from the words'
    share: words count `1 - semantic_weight - rare_weight`. A frame many asks share ("promote
    and protect the rights of") weighs little there, the object ("Dalits", "sanitation") much.
    action_weight: points a pair gains when both asks name the same kinds of action (see
    `action_kinds`), up to `action_weight / 2`, or loses when they name none in common; a pair
    where either names no kind ("Continue efforts to combat trafficking") is left as it is.
    floor: no two members of a cluster score below this; it is what stops chaining (A~B, B~C,
    A≁C never merges A with C). None means `threshold` (complete linkage).
    scope: which items may share a cluster: "review" (same State under review and WG session),
    "state" (same State under review, across cycles) or "all".
    max_df: blocking: a word or word pair found in more than `max_df` distinct texts of one
    scope is too common to propose candidate pairs (higher finds more pairs and costs more).
    dense_limit: scopes with at most this many distinct texts compare every pair (one State's
    recommendations); larger ones (scope "all") compare only the pairs blocking proposes. With
    `semantic_weight` 0 every scope compares only blocking's pairs (words alone cannot score
    two texts that share no rare word). A text the model knows no word of is scored on words
    alone.
    treaties: treaty table to use instead of the shipped data/treaties.csv.
    similarity_model: similarity model folder instead of the shipped data/models/similarity.
    learned: score pairs with the pair model (`clusters.pair_model`, trained on labelled
    reviews by `uprdex train-pairs`) instead of the weighted mix of words, meaning, rare words
    and action kinds (`semantic_weight`, `rare_weight`, `action_weight` and `scorer` then
    unused but for pairs with a text the similarity model knows no word of); the treaty rules
    apply either way. The default: trained on the twelve tuning reviews, with the cosine of
    the asks' mean word vectors and where two asks of one cycle-2 report are printed among its
    features, it scores a mean F1 of 0.67 (lowest 0.45) on the five test reviews, against the
    mix's 0.56, and 0.68 (lowest 0.41) on fifteen reviews labelled after every choice, against
    the mix's 0.56 (bench/cluster_protocol.py).
    pair_model: pair model folder instead of the shipped data/models/pairs.
    learned_recurrence: find the recurring asks (a later review's asks that repeat an earlier
        review's, same State) with the learned link classifier
        (`clusters.recurrence_model`, data/models/recurrence; the default), or with
        `RecurrenceSettings`' cut (False: `uprdex cluster --rule-recurrences`); not with scope
        "review", nor with the weighted mix (`learned` off; `learned_links`). The protocol's
        choice: on the three tuning pairs (Kazakhstan, Uruguay,
        Belize), each scored by a model trained without it, mean F1 0.56 -> 0.60 (better on
        two), with the pair model before its word vectors. With them now, each of the seven
        gold pairs scored by a model trained without it: the rule's links 0.45 (0.17-0.61),
        the model's 0.64 (0.54-0.72); Viet Nam, the test, as the index stores it, 0.52 at
        precision 0.74 -> 0.58 at 0.71 (bench/recurrence_learned.py,
        bench/recurrence_protocol.py). Cost: the bounded search of `clusters.recurrence_links`
        scores about a tenth of the pairs; bench/recurrence_learned.py --scale-only prints the
        whole clustering of the 33,074 UPR Info rows at scope "all" against the rule's.
    granularity: one setting from "same commitment, strict" (0) to "same subject, broad" (1);
    when given it sets `threshold` and `floor` (`granularity_cut`). Experts differ mostly in
    how finely they split one subject; this is that choice.

    The mix's weights (semantic 0.4, rare 0.2) and granularity 0.5 (threshold 52.5, floor 37.5)
    were the protocol's choice over the first five gold reviews. On the twelve tuning reviews,
    each scored by the pair model trained on the other eleven (with where the asks are
    printed), the protocol chose granularity 0.5 too (mean F1 0.632 against 0.619 at 0.6). With
    the models retrained on the first treaty-protocol reading (session 35) its rule preferred 0.6
    by a hair (0.633 against 0.630, at precision 0.61 against 0.68), and 0.5 stayed: three
    thousandths of F1 are within what one retrain moves, and seven points of precision are not.
    Retrained on its second look (session 36, normalization 10), it chooses 0.5 again: 0.629
    against 0.626 at 0.6, at precision 0.68 against 0.59 (bench/cluster_protocol.py prints it);
    the fifteen reviews labelled after every choice prefer 0.5 too (0.680 against 0.675 at 0.6
    and 0.664 at 0.4). (Before the places were read, the tuning reviews preferred 0.6 by a hair,
    0.605 against 0.595, and the fresh ones 0.5, 0.66 against 0.63.)
    """

    threshold: float = 52.5
    scorer: str = "token_set_ratio"
    scope: Scope = "state"
    floor: float | None = 37.5
    max_df: int = 100
    semantic_weight: float = 0.4
    rare_weight: float = 0.2
    granularity: float | None = None
    action_weight: float = 10.0
    dense_limit: int = 2000
    treaties: Path | None = None
    similarity_model: Path | None = None
    learned: bool = True
    pair_model: Path | None = None
    learned_recurrence: bool = True

    def __post_init__(self) -> None:
        if self.granularity is not None:
            if not 0 <= self.granularity <= 1:
                raise ValueError(f"granularity must be in [0, 1], got {self.granularity}")
            threshold, floor = granularity_cut(self.granularity)
            object.__setattr__(self, "threshold", threshold)
            object.__setattr__(self, "floor", floor)
        if not 0 < self.threshold <= 100:
            raise ValueError(f"threshold must be in (0, 100], got {self.threshold}")
        if self.scorer not in SCORER_NAMES:
            names = ", ".join(SCORER_NAMES)
            raise ValueError(f"scorer must be one of {names}; got {self.scorer!r}")
        if self.scope not in SCOPES:
            raise ValueError(f"scope must be one of {', '.join(SCOPES)}; got {self.scope!r}")
        if self.floor is not None and not 0 < self.floor <= self.threshold:
            raise ValueError(f"floor must be in (0, threshold={self.threshold}], got {self.floor}")
        if self.max_df < 2:
            raise ValueError(f"max_df must be at least 2, got {self.max_df}")
        if not 0 <= self.semantic_weight <= 1:
            raise ValueError(f"semantic_weight must be in [0, 1], got {self.semantic_weight}")
        if not 0 <= self.rare_weight <= 1 - self.semantic_weight:
            raise ValueError(
                f"rare_weight must be in [0, 1 - semantic_weight], got {self.rare_weight}"
            )
        if not 0 <= self.action_weight <= 100:
            raise ValueError(f"action_weight must be in [0, 100], got {self.action_weight}")

    @property
    def fineness(self) -> float:
        """Where `threshold` sits between "same commitment, strict" (0) and "same subject,
        broad" (1): the granularity these settings amount to."""
        return (STRICT_THRESHOLD - self.threshold) / (STRICT_THRESHOLD - BROAD_THRESHOLD)

    @property
    def min_pair(self) -> float:
        """The lowest score two members of one cluster may have."""
        return self.threshold if self.floor is None else self.floor

    @property
    def learned_links(self) -> bool:
        """Whether the link model finds the recurring asks: asked for (`learned_recurrence`)
        and reading the pair model's scores, which it was trained on (with the weighted mix
        the rule does: the model's threshold means nothing on the mix's scores, and its
        bounded search needs the pair model's)."""
        return self.learned_recurrence and self.learned


def default_index_path() -> Path:
    """The index file: $UPRDEX_INDEX, else uprdex.toml's, else ./data/index.sqlite."""
    from uprdex.pipeline.config import load_config

    return load_config().index
