"""A learned pair classifier against the weighted mix: the trial (issue #19).

Its fast, shipped form is `uprdex.pipeline.clusters.pair_model` (the default since), measured
by bench/cluster_protocol.py; this trial keeps the slow form with more features (four
rapidfuzz scores, today's score, |a - b| per term) for comparison. "Today" below is the
weighted mix (`ClusterSettings(learned=False)`).

Issue #19 asks to measure a pair classifier trained on the labelled pairs. This is that
measurement, under the protocol of bench/cluster_protocol.py: for each of #19's five test
reviews, the classifier is trained on the nine other gold reviews (the five of bench/gold
included) and scored on the held-out one.

The classifier: a logistic regression over
- today's similarity (`Similarity.pairs`, the score the clusters use), the four rapidfuzz
  scores, the meaning and rare-word cosines, the kinds of action both name, the groups both name
  (women, children, migrants ...), the treaties both name, the first word, the lengths;
- for every term of the similarity model's TF-IDF (stems and stem pairs), its weight in both asks
  (the product) and in one only (the difference): which shared words make one commitment, which
  words apart make two.

It prints, per held-out review:
1. the average precision of the pair scores (the ranking of "same commitment" pairs above the
   others; pairs with a `low` member of one gold cluster left out), today's similarity beside
   the classifier's;
2. the clusters' P/R/F1 with the classifier's score in place of today's, mapped onto today's
   scale by quantiles over the training pairs (so the default threshold and floor keep their
   meaning), alone and averaged with today's score.

Run: .venv/bin/python bench/pair_model_trial.py (needs the `train` extra: scikit-learn).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
from cluster_protocol import GOLD, REVIEWS, Review, Score, load_reviews, score
from rapidfuzz import fuzz, process
from scipy import sparse  # type: ignore[import-untyped]

from uprdex.pipeline.clusters import ClusterSettings, cluster, load_treaties, normalize
from uprdex.pipeline.clusters.pair_features import GROUPS
from uprdex.pipeline.clusters.similarity import Similarity, _row_dots
from uprdex.pipeline.semantic import SemanticModel

_TODAY = Similarity.pairs
"""Today's score (kept: the trial swaps `Similarity.pairs` for the classifier's)."""


def _bits(values: npt.NDArray[np.uint64]) -> npt.NDArray[np.float32]:
    return np.bitwise_count(values).astype(np.float32)


def _jaccard(
    left: npt.NDArray[np.uint64], right: npt.NDArray[np.uint64]
) -> list[npt.NDArray[np.float32]]:
    """Jaccard of two bit sets where both are set, whether both are, whether they are disjoint."""
    both = (left > 0) & (right > 0)
    jaccard = np.where(both, _bits(left & right) / np.maximum(_bits(left | right), 1), 0)
    return [jaccard, both.astype(np.float32), (both & ((left & right) == 0)).astype(np.float32)]


def pair_features(
    similarity: Similarity, model: SemanticModel, pairs: npt.NDArray[np.int64]
) -> Any:
    """The classifier's features of `pairs` (rows of two text indexes) as one sparse matrix."""
    texts = similarity.texts
    left = [texts[i] for i in pairs[:, 0].tolist()]
    right = [texts[j] for j in pairs[:, 1].tolist()]
    columns = [_TODAY(similarity, pairs, 0) / 100]
    for scorer in (fuzz.token_set_ratio, fuzz.token_sort_ratio, fuzz.ratio, fuzz.partial_ratio):
        columns.append(process.cpdist(left, right, scorer=scorer, dtype=np.float32) / 100)
    known = (similarity.known[pairs[:, 0]] & similarity.known[pairs[:, 1]]).astype(np.float32)
    assert similarity.vectors is not None and similarity.rows is not None
    columns.append(np.clip(_row_dots(similarity.vectors, pairs), 0, 1) * known)
    columns.append(np.clip(_row_dots(similarity.rows, pairs), 0, 1) * known)
    actions = similarity.actions.astype(np.uint64)
    columns += _jaccard(actions[pairs[:, 0]], actions[pairs[:, 1]])
    groups = np.array(
        [sum(1 << at for at, group in enumerate(GROUPS) if group.search(t)) for t in texts],
        dtype=np.uint64,
    )
    columns += _jaccard(groups[pairs[:, 0]], groups[pairs[:, 1]])
    named = [similarity.treaties[i] & similarity.treaties[j] for i, j in pairs.tolist()]
    columns.append(np.array([bool(shared) for shared in named], dtype=np.float32))
    firsts = [text.split()[:1] for text in texts]
    columns.append(np.array([firsts[i] == firsts[j] for i, j in pairs.tolist()], np.float32))
    words = np.array([len(text.split()) for text in texts], dtype=np.float32)
    shorter = np.minimum(words[pairs[:, 0]], words[pairs[:, 1]])
    longer = np.maximum(words[pairs[:, 0]], words[pairs[:, 1]])
    columns += [shorter / np.maximum(longer, 1), np.log1p(shorter), np.log1p(longer)]
    terms = model.terms(texts).tocsr()
    a, b = terms[pairs[:, 0]], terms[pairs[:, 1]]
    dense = sparse.csr_matrix(np.stack(columns, axis=1).astype(np.float32))
    return sparse.hstack([dense, a.multiply(b), abs(a - b)]).tocsr()


Labelled = tuple[Any, npt.NDArray[np.int8], npt.NDArray[np.float32]]
"""A review's features of all its pairs, labels (1 same, 0 apart, -1 ignored), today's score."""


def labelled(review: Review, model: SemanticModel) -> Labelled:
    """Every pair of the review's recommendations, featured and labelled by its gold."""
    settings = ClusterSettings(learned=False)  # "today": the weighted mix
    treaties = load_treaties(settings.treaties)
    similarity = Similarity([normalize(i.text, treaties) for i in review.items], treaties, settings)
    pairs = np.array(np.triu_indices(len(review.items), 1)).T.astype(np.int64)
    gold = [review.gold[item.id] for item in review.items]
    labels = np.array(
        [
            0 if gold[i][0] != gold[j][0] else 1 if gold[i][1] == gold[j][1] == "high" else -1
            for i, j in pairs.tolist()
        ],
        dtype=np.int8,
    )
    features = pair_features(similarity, model, pairs)
    return features, labels, np.asarray(features[:, 0].todense()).ravel() * 100


def average_precision(scores: npt.NDArray[np.float32], labels: npt.NDArray[np.int8]) -> float:
    """Mean precision at each "same commitment" pair ranked by score (ties: pessimistic)."""
    keep = labels >= 0
    order = np.lexsort((labels[keep], -scores[keep]))
    hits = labels[keep][order] == 1
    found = np.cumsum(hits)
    return float((found[hits] / (np.nonzero(hits)[0] + 1)).mean())


def classifier(train: Sequence[Labelled]) -> Any:
    from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]

    features = sparse.vstack([x for x, _, _ in train]).tocsr()
    labels = np.concatenate([y for _, y, _ in train])
    keep = labels >= 0
    return LogisticRegression(C=1.0, max_iter=2000, solver="liblinear").fit(
        features[keep], labels[keep]
    )


def scorer(
    fitted: Any, train: Sequence[Labelled], model: SemanticModel, mix: float
) -> Callable[..., Any]:
    """`Similarity.pairs` with the classifier's score mapped onto today's scale (quantiles over
    the training pairs), `mix` of it and the rest today's; the treaty rule kept."""
    steps = np.linspace(0, 1, 2001)
    ours = np.concatenate([fitted.predict_proba(x)[:, 1] for x, _, _ in train])
    today = np.concatenate([h for _, _, h in train])
    mapped_from, mapped_to = np.quantile(ours, steps), np.quantile(today, steps)
    plain = _TODAY

    def pairs(self: Similarity, chosen: npt.NDArray[np.int64], cutoff: float) -> Any:
        if not len(chosen):
            return np.empty(0, dtype=np.float32)
        base = plain(self, chosen, 0)
        learned = np.interp(
            fitted.predict_proba(pair_features(self, model, chosen))[:, 1], mapped_from, mapped_to
        )
        mixed = np.where((base == 0) | (base == 100), base, mix * learned + (1 - mix) * base)
        return np.where(mixed >= cutoff, mixed, 0).astype(np.float32)

    return pairs


def main() -> int:
    if not GOLD.exists():
        print(f"skipped: {GOLD} not found (the shared corpus is not on this machine)")
        return 0
    start = time.perf_counter()
    model = SemanticModel.load()
    reviews = load_reviews(tuning=True)
    data = {review.name: labelled(review, model) for review in reviews}
    results: dict[str, list[Score]] = {"today": [], "learned": [], "mixed": []}
    print(f"== a learned pair classifier, leave one review out ({len(reviews)} gold reviews)")
    heads = f"{'AP today':>10}{'AP learned':>12}" + "".join(f"{h:>18}" for h in results)
    print(f"  {'review':<18}{heads}")
    plain = _TODAY
    for held in reviews[: len(REVIEWS)]:
        train = [data[r.name] for r in reviews if r is not held]
        fitted = classifier(train)
        features, labels, today = data[held.name]
        aps = (
            average_precision(today, labels),
            average_precision(fitted.predict_proba(features)[:, 1], labels),
        )
        cells = []
        for label, mix in (("today", None), ("learned", 1.0), ("mixed", 0.5)):
            Similarity.pairs = plain if mix is None else scorer(fitted, train, model, mix)  # type: ignore[method-assign]
            mix = ClusterSettings(learned=False)
            found = score(cluster(held.items, mix).assignment, held.gold)
            Similarity.pairs = plain  # type: ignore[method-assign]
            results[label].append(found)
            cells.append(found.cell())
        print(
            f"  {held.name:<18}{aps[0]:>10.3f}{aps[1]:>12.3f}" + "".join(f"{c:>18}" for c in cells)
        )
    means = [
        f"{np.mean([s.precision for s in scores]):.2f}/{np.mean([s.recall for s in scores]):.2f}"
        f"/{np.mean([s.f1 for s in scores]):.2f}"
        for scores in results.values()
    ]
    print(f"  {'mean P/R/F1':<40}" + "".join(f"{m:>18}" for m in means))
    base = sum(s.f1 for s in results["today"])
    print(
        f"  {'mean F1 / today':<40}"
        + "".join(f"{sum(s.f1 for s in scores) / base:>17.2f}x" for scores in results.values())
    )
    print(f"  ({time.perf_counter() - start:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
