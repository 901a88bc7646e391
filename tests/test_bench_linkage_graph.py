"""The linkage trials' graph (bench/linkage_trial.py `graph`): a review's node pairs as `cluster`
scores them, with each pair's log-odds under the pair model that scores it."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from uprdex.pipeline.clusters import ClusterItem, ClusterSettings
from uprdex.pipeline.clusters.pair_model import PairModel

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from cluster_protocol import Review
from linkage_trial import graph


def test_a_pair_scored_by_words_alone_has_the_log_odds_of_its_own_model() -> None:
    # A cycle-3 review (no places): every pair is scored by the pair model's companion without
    # position features (`pair_model.PLAIN`), whose map of probability onto 0-100 is its own.
    # The two texts the similarity model knows no word of are scored by the words' mix, and
    # their log-odds are read back off the companion's map, as every other pair's.
    texts = [
        "Zorblaxian quuxification of frobnitz",
        "Zorblaxian quuxification of wibblewobs",
        "Strengthen measures to combat trafficking in persons",
        "Adopt a national action plan against domestic violence",
    ]
    items = tuple(
        ClusterItem(f"A/HRC/43/15#121.{n}", text, "Slovenia", 3, 34, (f"State {n}",))
        for n, text in enumerate(texts, 1)
    )
    folder = ClusterSettings().pair_model
    found = graph(Review("Slovenia 2019", items, {}), folder)
    companion = PairModel.load(folder).plain
    assert companion is not None
    upper = np.triu_indices(len(found.nodes), 1)
    scores, logits = found.scores[upper], found.logits[upper]
    assert len(found.nodes) == 4 and scores[0] > 50  # the two unknown texts, by their words
    assert np.allclose(companion.mapped(logits), scores, atol=0.01)
