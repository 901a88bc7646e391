"""The second look's two tree stages for bench/stack_trial.py (D residual, E candidates).

Each reads rows whose column 0 is the pair's logit (the position model's) and the other columns
the pair features, and answers `fit(x, y)` and `predict_proba(x)` as sklearn's classifiers do,
so the trial's stack code serves them unchanged. Settings fixed by reasoning before any score
(see the trial's docstring).

Mechanics only, before any score of D: a first draft of D clipped the working response to +-4
(LogitBoost's bound); on synthetic data (1.8% positives, /tmp, not kept) it made in-sample log
loss worse than the starting logit's (0.085 against 0.066): a positive at small p loses its 1/p,
so the leaves all turn negative. It was replaced, before the commit of the pre-registration, by
no clipping and l2_regularization 1 (in-sample log loss 0.059 on the same synthetic data).

After the trial's run 3 (both fail), a diagnostic, reported only and choosing nothing (a scratch
script, not kept; each fold rebuilt as in the run; the held-out review's pairs with two places
in one report): the stages keep the logit's ranking now but barely add to it. AUC / average
precision, logit -> D -> E: Malaysia 2013 (26,581 pairs, 103 one commitment) 0.9965/0.640 ->
0.9966/0.647 -> 0.9967/0.647; Sri Lanka 2012 (20,440, 112) 0.9929/0.651 -> 0.9939/0.658 ->
0.9935/0.641; Tunisia 2012 (7,655, 38) 0.9900/0.395 -> 0.9900/0.395 -> 0.9900/0.395. Pairs
mapped at or above the default threshold 52.5 (one commitment among them): Malaysia today 163
(72), D 179 (77), E 173 (78); Sri Lanka 119 (71), 128 (72), 143 (74); Tunisia 24 (11), 26
(10), 22 (12): a few more pairs over the threshold at about today's pair precision, and the
clusters' precision falls (average linkage joins groups through them).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
from scipy.special import expit  # type: ignore[import-untyped]

Floats = npt.NDArray[np.float64]

RESIDUAL: dict[str, Any] = {"rounds": 30, "shrink": 0.1}
"""D: 30 Newton rounds of one depth-3 tree each, each step shrunk to a tenth."""
TREE: dict[str, Any] = {
    "max_iter": 1,
    "max_depth": 3,
    "learning_rate": 1.0,
    "l2_regularization": 1.0,
    "early_stopping": False,
    "random_state": 0,
}
"""One round's tree: sklearn's regressor with one iteration fits the weighted mean of the working
response (its baseline) plus one tree whose leaves are -sum(gradient) / (sum(hessian) + l2), with
gradient w (baseline - z) and hessian w: sum(y - p) / (sum w + 1) in a leaf, one Newton step
(XGBoost's, with its default lambda 1)."""
CANDIDATE_QUANTILE = 0.90
"""E: trees only over the pairs whose logit is at or above this quantile of the training pairs'."""


class Residual:
    """D: the logit as a fixed starting score; trees fit only a correction (Newton steps on the
    logistic loss, each a regression tree on the working response (y - p) / w weighted by
    w = p (1 - p))."""

    def __init__(self) -> None:
        self.trees: list[Any] = []

    def fit(self, x: Floats, y: npt.NDArray[Any]) -> Residual:
        from sklearn.ensemble import HistGradientBoostingRegressor  # type: ignore[import-untyped]

        score = np.array(x[:, 0], dtype=np.float64)
        self.trees = []
        for _ in range(int(RESIDUAL["rounds"])):
            p = expit(score)
            weight = np.clip(p * (1 - p), 1e-12, None)
            response = (y - p) / weight
            tree = HistGradientBoostingRegressor(**TREE).fit(x, response, sample_weight=weight)
            score += RESIDUAL["shrink"] * tree.predict(x)
            self.trees.append(tree)
        return self

    def predict_proba(self, x: Floats) -> Floats:
        score = np.array(x[:, 0], dtype=np.float64)
        for tree in self.trees:
            score += RESIDUAL["shrink"] * tree.predict(x)
        p = expit(score)
        return np.column_stack([1 - p, p])


class Candidates:
    """E: trees (`trees()`) fitted only on the candidate pairs (logit at or above the training
    pairs' `CANDIDATE_QUANTILE`); every other pair keeps its logit's probability."""

    def __init__(self, trees: Any) -> None:
        self.trees = trees
        self.cutoff = np.inf

    def fit(self, x: Floats, y: npt.NDArray[Any]) -> Candidates:
        self.cutoff = float(np.quantile(x[:, 0], CANDIDATE_QUANTILE))
        keep = x[:, 0] >= self.cutoff
        self.trees.fit(x[keep], y[keep])
        return self

    def predict_proba(self, x: Floats) -> Floats:
        p = expit(np.asarray(x[:, 0], dtype=np.float64))
        keep = x[:, 0] >= self.cutoff
        if keep.any():
            p[keep] = self.trees.predict_proba(x[keep])[:, 1]
        return np.column_stack([1 - p, p])
