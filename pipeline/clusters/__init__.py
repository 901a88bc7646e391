"""Duplicate-recommendation clusters: the same ask from several States, or again next cycle.

Recommendations are normalized (case, punctuation, the closing State list, weak openers such as
"Continue efforts to", treaty names and abbreviations to one key) and scored pairwise by a mix
of words and meaning: the rapidfuzz scorer on the normalized texts, and the cosine of their
vectors from the similarity model trained on the UPR Info texts (`pipeline.semantic`), which
pairs asks written in other words ("combat racism and hate speech" / "measures against
discrimination, hate speech and racism"). By default a pair model learned from labelled reviews
(`pair_model`, `uprdex train-pairs`) weighs these signals and every stem instead of fixed
weights (`ClusterSettings.learned`). An ask that only ratifies a treaty and one that opens by
ratifying it score 100; two that open by ratifying the same treaty score at least the floor
(neither keeps the other out of that treaty's cluster); asks that name different treaties score
0. The kind of action each ask names (investigate and punish; a strategy, plan or programme; a
law; training; awareness-raising; help for victims; access to services ...) moves a pair's score
up when both name the same kinds and down when they name different ones: "Take effective
measures to prevent, investigate and punish racist hate speech" and "Strengthen the response of
its criminal justice system in cases of racist hate speech" are one commitment, "Intensify
efforts to combat hate speech" another. Within one State under review every pair is scored;
across all States only pairs that share rare words or word pairs (blocking, never all pairs).
Recommendations are grouped by average linkage under a no-chaining rule: two recommendations
that score below `floor` never share a cluster, whatever lies between them. Nor do two of one
review made by the same State: a State does not ask the same thing twice in one review, so its
two asks on one subject are two commitments ("engage women, children and persons with
disabilities" in the migration strategy and in climate policy, both Fiji's in Slovenia's 2019
review).
Cluster ids are derived from member ids and kept across runs.

Example:
    items = [ClusterItem("A/HRC/43/15#122.5", "Consider ratifying the 1961 Convention on the "
                         "Reduction of Statelessness (Uruguay);", "Slovenia", cycle=3, session=34),
             ...]
    result = cluster(items, ClusterSettings(scope="state"))
    result.assignment["A/HRC/43/15#122.5"]     # "c-" + 12 hex digits, the same on every run
    later = cluster(items + new_items, existing=result.assignment)   # old ids kept
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from uprdex.pipeline.clusters.normalize import ACTION_KINDS, action_kinds, normalize, strip_states
from uprdex.pipeline.clusters.records import (
    CORE_MARGIN,
    Cluster,
    ClusterItem,
    ClusterResult,
    Recurrence,
    core_cut,
)
from uprdex.pipeline.clusters.treaties import TreatyTable, load_treaties
from uprdex.pipeline.settings import ClusterSettings, Scope

if TYPE_CHECKING:
    from uprdex.pipeline.clusters.linkage import cluster
    from uprdex.pipeline.clusters.recurrence import (
        RECURRENCE_CUT,
        RecurrenceSettings,
        pair_matrix,
        recurrences,
    )
    from uprdex.pipeline.clusters.similarity import SCORERS

# Imported on first use (PEP 562), not here: the modules that cluster and score bring numpy,
# scipy and rapidfuzz (~0.4 s), and reading the index (`uprdex recs`, `show`) imports this
# package for `normalize` and the treaties alone. Each name, with the module it is in:
_ON_USE = {
    "cluster": "linkage",
    "RECURRENCE_CUT": "recurrence",
    "RecurrenceSettings": "recurrence",
    "pair_matrix": "recurrence",
    "recurrences": "recurrence",
    "SCORERS": "similarity",
}


def __getattr__(name: str) -> Any:
    """A name of `_ON_USE`, from its module (imported now), kept here for the next use."""
    if name not in _ON_USE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{_ON_USE[name]}"), name)
    globals()[name] = value
    return value


__all__ = [
    "ACTION_KINDS",
    "CORE_MARGIN",
    "RECURRENCE_CUT",
    "SCORERS",
    "Cluster",
    "ClusterItem",
    "ClusterResult",
    "ClusterSettings",
    "Recurrence",
    "RecurrenceSettings",
    "Scope",
    "TreatyTable",
    "action_kinds",
    "cluster",
    "core_cut",
    "load_treaties",
    "normalize",
    "pair_matrix",
    "recurrences",
    "strip_states",
]
