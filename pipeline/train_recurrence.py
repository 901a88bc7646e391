"""Train the learned recurring-ask classifier (`pipeline.clusters.recurrence_model`).

Each labelled review pair (`Example`) gives the candidate features of every later x earlier
pair and its gold label. A logistic regression is fitted by Newton's method (numpy only, no
randomness: the same data give the same model), then the threshold from which a pair links
is chosen on the same pairs (`choose_threshold`). bench/recurrence_learned.py builds the
examples from the gold of bench/gold, scores each pair left out, and writes the shipped model
(`--no-test --write data/models/recurrence`).

Example:
    model = train(examples)
    model.save(DEFAULT_MODEL_DIR)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from uprdex.pipeline.clusters.recurrence_model import FEATURES, RecurrenceModel

__all__ = [
    "PRECISION",
    "THRESHOLDS",
    "Example",
    "choose_threshold",
    "fit_logistic",
    "pair_scores",
    "train",
]

Floats = npt.NDArray[np.float64]


def fit_logistic(
    x: Floats, y: npt.NDArray[np.bool_], penalty: float = 1.0, iterations: int = 50
) -> tuple[Floats, float, Floats, Floats]:
    """(coefficients, intercept, mean, scale): an L2-penalized logistic regression of `y` on
    the standardized `x`, by Newton's method (deterministic: the same data give the same
    model)."""
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    z = np.hstack([(x - mean) / scale, np.ones((len(x), 1))])
    target = y.astype(np.float64)
    weights = np.zeros(z.shape[1])
    ridge = np.full(z.shape[1], penalty)
    ridge[-1] = 0.0
    for _ in range(iterations):
        p = 1 / (1 + np.exp(-np.clip(z @ weights, -30, 30)))
        gradient = z.T @ (p - target) + ridge * weights
        hessian = (z * (p * (1 - p))[:, None]).T @ z + np.diag(ridge) + 1e-9 * np.eye(len(ridge))
        step = np.linalg.solve(hessian, gradient)
        weights -= step
        if np.abs(step).max() < 1e-8:
            break
    return weights[:-1], float(weights[-1]), mean, scale


@dataclass(frozen=True)
class Example:
    """One labelled review pair: its candidate features (later x earlier x features) and, per
    pair, 1 for a high link, 0 for no link, -1 for a low link (counted neither way)."""

    name: str
    features: Floats
    labels: npt.NDArray[np.int8]


PRECISION = 0.85
"""The precision the threshold must keep on the training pairs. Issue #19's target is 0.80 on
pairs not trained on; asking 0.80 of the training pairs gave 0.76 on the left-out ones (the
model fits its own pairs better), 0.85 the lowest that gave >= 0.80 (0.81) under leave one
tuning pair out (bench/recurrence_learned.py; Viet Nam not looked at for this choice)."""
THRESHOLDS = tuple(round(t, 2) for t in np.arange(0.05, 0.96, 0.01))


def pair_scores(
    probability: Floats, labels: npt.NDArray[np.int8], threshold: float
) -> tuple[float, float, float, int, int]:
    """(precision, recall, F1, found, wrong) of the pairs at least `threshold`, as SOURCES.md
    scores: high links must be found, low ones count neither way, any other is wrong."""
    chosen = probability >= threshold
    tp = int((chosen & (labels == 1)).sum())
    fp = int((chosen & (labels == 0)).sum())
    high = int((labels == 1).sum())
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / high if high else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1, tp, fp


def choose_threshold(probabilities: Sequence[Floats], examples: Sequence[Example]) -> float:
    """The threshold with the best mean F1 over `examples` among those whose pooled precision
    (all their links together) is at least `PRECISION`; the best mean F1 when none is. Ties:
    the lowest. (Asking `PRECISION` of each pair instead lets the pair with the loosest gold
    set it for all: measured in bench/recurrence_learned.py, it halves recall.)"""
    rows = {
        t: [pair_scores(p, e.labels, t) for p, e in zip(probabilities, examples, strict=True)]
        for t in THRESHOLDS
    }

    def mean_f1(t: float) -> float:
        return float(np.mean([r[2] for r in rows[t]]))

    def pooled(t: float) -> float:
        tp = sum(r[3] for r in rows[t])
        fp = sum(r[4] for r in rows[t])
        return tp / (tp + fp) if tp + fp else 1.0

    sure = [t for t in THRESHOLDS if pooled(t) >= PRECISION]
    return max(sure or list(THRESHOLDS), key=lambda t: (mean_f1(t), -t))


def train(examples: Sequence[Example], penalty: float = 1.0) -> RecurrenceModel:
    """The model fitted on `examples` (low links left out), each review pair weighing the same
    as a number of rows, and its threshold chosen on them (`choose_threshold`)."""
    xs, ys = [], []
    for example in examples:
        flat = example.features.reshape(-1, len(FEATURES))
        labels = example.labels.ravel()
        keep = labels >= 0
        xs.append(flat[keep])
        ys.append(labels[keep] == 1)
    coefficients, intercept, mean, scale = fit_logistic(np.vstack(xs), np.concatenate(ys), penalty)
    model = RecurrenceModel(coefficients, intercept, mean, scale, 0.5)
    model.threshold = choose_threshold([model.probability(e.features) for e in examples], examples)
    model.metadata = {"trained_on": [e.name for e in examples], "penalty": penalty}
    return model
