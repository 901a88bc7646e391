"""The linkage's bookkeeping: what it scores at merge time, and how often; the clusters' pair
scores in one batch.

The hate-speech and racism texts are recommendations to Slovenia (A/HRC/43/15, paras 122.47,
121.9, 122.35); the others are short asks of the kinds the clusters meet (a treaty, prisons).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pytest

from uprdex.pipeline.clusters import load_treaties, normalize
from uprdex.pipeline.clusters.linkage import Linkage
from uprdex.pipeline.clusters.similarity import Similarity
from uprdex.pipeline.settings import ClusterSettings


def test_a_pair_scored_at_merge_time_is_never_scored_again() -> None:
    # Nodes 0-4, the pairs blocking scored (the edges) and those a merge scores (`complete`).
    # 0+1 merge (95): their links to 2 and 4 lack (1, 2) and (1, 4), which are scored.
    # 2+3 merge (90): the link to {0, 1} lacks (0, 3) and (1, 3); (0, 3) is under the floor
    # (0), so {0, 1} and {2, 3} stay apart. {0, 1}+4 merge (85): 4's link to {2, 3} lacks
    # {0, 1} x {2, 3}, three of whose four pairs were scored before.
    edges = {(0, 1): 95.0, (2, 3): 90.0, (0, 4): 85.0, (0, 2): 80.0, (2, 4): 70.0, (3, 4): 70.0}
    later = {(1, 2): 70.0, (1, 4): 85.0, (0, 3): 0.0, (1, 3): 60.0}
    asked: list[tuple[int, int]] = []

    def complete(pairs: npt.NDArray[np.int64]) -> npt.NDArray[np.float32]:
        asked.extend(map(tuple, pairs.tolist()))
        return np.array([{**edges, **later}[(a, b)] for a, b in pairs.tolist()], np.float32)

    linkage = Linkage(5, threshold=50, complete=complete)
    for (a, b), score in edges.items():
        linkage.add_edge(a, b, score)
    linkage.run()
    assert sorted(map(sorted, linkage.members.values())) == [[0, 1, 4], [2, 3]]
    assert sorted(asked) == sorted({*later, (0, 2)})  # each once; (0, 2) is blocking's


def test_the_pairs_of_many_clusters_score_in_one_batch_as_each_alone() -> None:
    texts = [
        "Ratify the Convention on the Rights of Persons with Disabilities (France);",
        "Consider ratifying the Convention on the Rights of Persons with Disabilities (Peru);",
        "Sustain efforts in combating hate speech and other hate crimes (Nigeria);",
        "Increase governmental efforts to combat racism, intolerance and hate speech (Egypt);",
        "Intensify measures and programmes to combat racism, xenophobia and intolerance "
        "(Philippines);",
        "Improve prison conditions (Chile);",
    ]
    settings = ClusterSettings()
    treaties = load_treaties(settings.treaties)
    similarity = Similarity([normalize(text, treaties) for text in texts], treaties, settings)
    assert similarity.learned is not None  # the shipped pair model: the batched path
    groups = [[0, 1], [2, 3, 4], [5], [1, 2, 5]]
    batched = similarity.matrices(groups)
    for nodes, matrix in zip(groups, batched, strict=True):
        alone = similarity.matrix(nodes)
        assert matrix.shape == (len(nodes), len(nodes))
        # Equal today; a batch may round a pair's last bits otherwise (`LearnedPairs._terms`).
        assert matrix == pytest.approx(alone, abs=1e-3)
    assert batched[0][0, 1] > 50 > batched[1][0, 2]  # the scores are the model's, not zeros
