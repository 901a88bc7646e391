"""Train the pair model (`pipeline.clusters.pair_model`) on labelled reviews.

The input is a CSV of gold recommendations, one row each: review, id, text, cluster_id,
confidence ("high" or "low"), as bench/pair_training_data.py writes it from gold cluster files.
Every pair of two recommendations of one review is an example: the same gold cluster with both
members `high` is "one commitment", different gold clusters "two"; a pair with a `low` member
of one cluster is left out (the method marks compound asks `low`). A logistic regression
(liblinear, L2, seeded) is fitted on `pair_model.dense_features`, the rapidfuzz scores of
`CONFIG["scorers"]` and `pair_model.term_features`; its probability is mapped onto the scale
of the weighted mix (`ClusterSettings(learned=False)`) by quantiles over the training
pairs. Needs scikit-learn (the `train` extra); the same file rebuilds the same arrays.

Example:
    metadata = train(Path("bench/gold/pairs_training.csv"), DEFAULT_MODEL_DIR)
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import sparse  # type: ignore[import-untyped]

from uprdex.pipeline.clusters import ClusterSettings, load_treaties, normalize
from uprdex.pipeline.clusters.pair_model import (
    DENSE_FEATURES,
    METADATA_FILE,
    MODEL_FILE,
    MODEL_FORMAT,
    PairInputs,
    dense_features,
    term_features,
    word_features,
)
from uprdex.pipeline.clusters.similarity import Similarity
from uprdex.pipeline.errors import UprdexError
from uprdex.pipeline.extras import require
from uprdex.pipeline.model_files import write_arrays, write_metadata
from uprdex.pipeline.train_themes import file_sha256

__all__ = [
    "CONFIG",
    "LabelledReview",
    "TrainPairsError",
    "fit",
    "read_labelled",
    "train",
    "train_reviews",
]

CONFIG: dict[str, Any] = {
    "revision": 1,
    "scorers": ["token_set_ratio"],
    "C": 3.0,
    "term_scale": 1.0,
    "term_classes": 0,
    "balance_reviews": False,
    "scale_folds": 0,
    "scale_steps": 1001,
}
"""scorers: the rapidfuzz scores among the features; C: the inverse L2 strength; scale_steps:
quantiles of the map onto today's scale. Chosen on the five tuning reviews of bench/gold alone
(each scored by a model trained on the other four; mean cluster F1): token_set_ratio 0.669,
no rapidfuzz score 0.615, four (token_set, token_sort, ratio, partial_ratio) 0.639; C 1: 0.645,
10: 0.610, 30: 0.607; the TF-IDF cosine and the weight of the unshared terms as features of
their own besides the terms': 0.621."""

FIELDS = ("review", "id", "text", "cluster_id", "confidence")


class TrainPairsError(UprdexError, ValueError):
    """The training data cannot train a pair model."""


@dataclass(frozen=True)
class LabelledReview:
    """One review's recommendations (texts as printed) and their gold clusters."""

    name: str
    texts: tuple[str, ...]
    clusters: tuple[str, ...]
    confidences: tuple[str, ...]


def read_labelled(csv_path: Path) -> list[LabelledReview]:
    """The reviews of a labelled CSV (`FIELDS`), in file order."""
    rows: dict[str, list[dict[str, str]]] = defaultdict(list)
    with csv_path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [f for f in FIELDS if f not in (reader.fieldnames or [])]
        if missing:
            raise TrainPairsError(f"{csv_path}: no {', '.join(missing)} column")
        for row in reader:
            if row["confidence"] not in ("high", "low"):
                raise TrainPairsError(
                    f"{csv_path}: confidence must be high or low, got {row['confidence']!r}"
                )
            rows[row["review"]].append(row)
    return [
        LabelledReview(
            name,
            tuple(r["text"] for r in group),
            tuple(r["cluster_id"] for r in group),
            tuple(r["confidence"] for r in group),
        )
        for name, group in rows.items()
    ]


def review_inputs(review: LabelledReview) -> tuple[PairInputs, Similarity]:
    """The pair features' inputs of a review's texts, and today's similarity of them."""
    from uprdex.pipeline.semantic import SemanticModel

    settings = ClusterSettings(learned=False)  # the weighted mix: the scale mapped onto
    treaties = load_treaties(settings.treaties)
    texts = [normalize(text, treaties) for text in review.texts]
    today = Similarity(texts, treaties, settings)
    assert today.vectors is not None
    terms = SemanticModel.load(settings.similarity_model).terms(texts)
    inputs = PairInputs.build(
        texts, terms, today.vectors, today.known, today.actions, today.treaties
    )
    return inputs, today


def labelled_pairs(review: LabelledReview) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int8]]:
    """Every pair of the review (i < j) and its label: 1 one commitment, 0 two, -1 left out."""
    pairs = np.array(np.triu_indices(len(review.texts), 1), dtype=np.int64).T
    clusters, confidences = review.clusters, review.confidences
    labels = np.array(
        [
            0
            if clusters[i] != clusters[j]
            else 1
            if confidences[i] == confidences[j] == "high"
            else -1
            for i, j in pairs.tolist()
        ],
        dtype=np.int8,
    )
    return pairs, labels


def term_classes(bins: int) -> npt.NDArray[np.int64]:
    """Each TF-IDF term's class: its rarity over the similarity model's training texts (the
    UPR Info export: `bins` bins of equal numbers of terms by idf), times stem or stem pair.
    Weights tied within a class carry over to reviews whose words the training reviews lack."""
    from uprdex.pipeline.semantic import SemanticModel

    terms, idf = SemanticModel.load().term_idf()
    order = np.argsort(np.argsort(idf, kind="stable"), kind="stable")
    rarity = (order * bins) // max(len(idf), 1)
    pair = np.array([" " in term for term in terms], dtype=np.int64)
    return np.asarray(rarity * 2 + pair, dtype=np.int64)


def _class_matrix(classes: npt.NDArray[np.int64]) -> Any:
    """Terms (shared, then apart) -> their class's two columns (shared, then apart)."""
    count = int(classes.max()) + 1 if len(classes) else 0
    one = sparse.csr_matrix(
        (np.ones(len(classes)), (np.arange(len(classes)), classes)), shape=(len(classes), count)
    )
    return sparse.block_diag([one, one]).tocsr()


def features(
    inputs: PairInputs,
    pairs: npt.NDArray[np.int64],
    scorers: Sequence[str],
    term_scale: float = 1.0,
    classes: Any = None,
) -> Any:
    """The rows the classifier is fitted on: dense features, word scores, terms scaled by
    `term_scale` (a smaller scale, a stronger penalty on each term's own weight), then the
    terms summed by class (`classes`: `_class_matrix`), if any (csr)."""
    dense = np.hstack([dense_features(inputs, pairs), word_features(inputs, pairs, scorers)])
    terms = term_features(inputs, pairs)
    blocks = [sparse.csr_matrix(dense)]
    if term_scale:
        blocks.append(terms * term_scale)
    if classes is not None:
        blocks.append(terms @ classes)
    return sparse.hstack(blocks).tocsr()


def fit(
    reviews: Sequence[LabelledReview], config: dict[str, Any] | None = None
) -> dict[str, npt.NDArray[Any]]:
    """The pair model's arrays fitted on `reviews` (see `PairModel`)."""
    require("sklearn", "train", "uprdex train-pairs")
    from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]

    config = {**CONFIG, **(config or {})}
    scorers = list(config["scorers"])
    term_scale = float(config["term_scale"])
    classes = term_classes(int(config["term_classes"])) if config["term_classes"] else None
    tied = _class_matrix(classes) if classes is not None else None
    rows, labels, today, weights = [], [], [], []
    for review in reviews:
        inputs, similarity = review_inputs(review)
        pairs, label = labelled_pairs(review)
        keep = label >= 0
        rows.append(features(inputs, pairs[keep], scorers, term_scale, tied))
        labels.append(label[keep])
        # balance_reviews: each review's pairs weigh as much in all as any other's.
        count = int(keep.sum())
        weights.append(np.full(count, 1.0 / max(count, 1) if config["balance_reviews"] else 1.0))
        today.append(similarity.pairs(pairs[keep], 0))
    y = np.concatenate(labels) if labels else np.zeros(0, dtype=np.int8)
    if len(set(y.tolist())) < 2:
        raise TrainPairsError("the training pairs need both kinds: one commitment and two")
    x = sparse.vstack(rows).tocsr()
    sample_weight = np.concatenate(weights)
    if config["balance_reviews"]:
        sample_weight *= len(sample_weight) / sample_weight.sum()

    def fitted_on(chosen: Any) -> Any:
        return LogisticRegression(
            C=config["C"], solver="liblinear", max_iter=2000, random_state=0
        ).fit(x[chosen], y[chosen], sample_weight=sample_weight[chosen])

    everything = np.arange(len(y))
    fitted = fitted_on(everything)
    coef = fitted.coef_.ravel()
    dense_end = len(DENSE_FEATURES)
    words_end = dense_end + len(scorers)
    vocabulary = inputs.terms.shape[1]
    # Each term's weight: its own (scaled as its column was) plus its class's.
    per_term = np.zeros(2 * vocabulary)
    at = words_end
    if term_scale:
        per_term += term_scale * coef[at : at + 2 * vocabulary]
        at += 2 * vocabulary
    if tied is not None:
        per_term += tied @ coef[at:]
    steps = np.linspace(0, 1, int(config["scale_steps"]))
    probability = _scale_probability(fitted, fitted_on, x, rows, int(config["scale_folds"]))
    return {
        "dense": coef[:dense_end].astype(np.float64),
        "word": coef[dense_end:words_end].astype(np.float64),
        "shared": per_term[:vocabulary].astype(np.float32),
        "apart": per_term[vocabulary:].astype(np.float32),
        "intercept": np.array(fitted.intercept_[0], dtype=np.float64),
        "scale_from": np.quantile(probability, steps),
        "scale_to": np.quantile(np.concatenate(today), steps),
    }


def _scale_probability(fitted: Any, fitted_on: Any, x: Any, rows: list[Any], folds: int) -> Any:
    """The probabilities the map onto today's scale is read from: of the training pairs by the
    model itself (folds 0), or each review's by a model fitted without it (reviews dealt into
    `folds` groups in order): the scores of a review it has not seen, as a user's will be."""
    if folds < 2 or len(rows) < 2:
        return fitted.predict_proba(x)[:, 1]
    owner = np.repeat(np.arange(len(rows)) % folds, [r.shape[0] for r in rows])
    probability = np.empty(x.shape[0])
    for fold in range(min(folds, len(rows))):
        held = owner == fold
        probability[held] = fitted_on(np.nonzero(~held)[0]).predict_proba(x[held])[:, 1]
    return probability


def train_reviews(
    reviews: Sequence[LabelledReview],
    out_dir: Path,
    config: dict[str, Any] | None = None,
    about: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Fit the pair model on `reviews`; write model.npz and metadata.json (with `about`, what
    the data were) to out_dir. Returns the metadata written."""
    sklearn = require("sklearn", "train", "uprdex train-pairs")
    from uprdex.pipeline.semantic import SemanticModel

    config = {**CONFIG, **(config or {})}
    arrays = fit(reviews, config)
    metadata: dict[str, Any] = {
        "format": MODEL_FORMAT,
        **(about or {}),
        "reviews": [review.name for review in reviews],
        "recommendations": sum(len(review.texts) for review in reviews),
        "similarity_model": SemanticModel.load().version,
        "dense_features": list(DENSE_FEATURES),
        "scorers": list(config["scorers"]),
        "C": config["C"],
        "term_scale": config["term_scale"],
        "term_classes": config["term_classes"],
        "balance_reviews": config["balance_reviews"],
        "scale_folds": config["scale_folds"],
        "sklearn": sklearn.__version__,
    }
    write_arrays(out_dir / MODEL_FILE, arrays)
    write_metadata(out_dir / METADATA_FILE, metadata)
    return metadata


def train(csv_path: Path, out_dir: Path, config: dict[str, Any] | None = None) -> dict[str, Any]:
    """Fit the pair model on the CSV's reviews; write model.npz and metadata.json to out_dir.

    Returns the metadata written.
    """
    require("sklearn", "train", "uprdex train-pairs")
    config = {**CONFIG, **(config or {})}
    data_sha = file_sha256(csv_path)
    about = {
        "version": f"{MODEL_FORMAT}.{config['revision']}+data.{data_sha[:12]}",
        "data_file": csv_path.name,
        "data_sha256": data_sha,
    }
    return train_reviews(read_labelled(csv_path), out_dir, config, about)
