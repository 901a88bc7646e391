"""What an index records of its clusters, read without the clustering code: the settings in
force, whether the clusters are current, the researchers' corrections and each ask's cluster.

clustering.py makes the clusters and imports numpy and scipy (~0.4 s); `uprdex status` asks
only whether the stored clusters are current, and reads each model's version from its files
(`model_versions`) where clustering reads it from the loaded model: the same string.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

from uprdex.pipeline.config import ConfigError
from uprdex.pipeline.corrections import Correction
from uprdex.pipeline.model_versions import PAIRS, SIMILARITY, recurrence_file, recurrence_version
from uprdex.pipeline.settings import ClusterSettings
from uprdex.pipeline.store.queries import column_of
from uprdex.pipeline.store.stale import stale_states

__all__ = [
    "ModelVersions",
    "cluster_ids",
    "cluster_meta",
    "cluster_settings",
    "clusters_current",
    "corrections_of",
    "differences",
    "made_so",
    "models_of",
    "remembered",
    "remembered_settings",
    "setting_values",
    "settings_over",
]

# The cluster settings an index stores: only those a `uprdex cluster` run set (its overrides).
_STORED_SETTINGS = (
    "threshold",
    "scorer",
    "scope",
    "floor",
    "max_df",
    "semantic_weight",
    "rare_weight",
    "action_weight",
    "learned",
    "learned_recurrence",
)
# Before overrides, indexes stored these settings whole, with the defaults of the time
# (semantic weight 0.6).
_DEFAULTS_STORED_WHOLE: dict[str, Any] = {
    "threshold": 55.0,
    "scorer": "token_set_ratio",
    "scope": "state",
    "floor": 45.0,
    "max_df": 100,
    "semantic_weight": 0.6,
}


def cluster_settings(db: sqlite3.Connection, base: ClusterSettings) -> ClusterSettings:
    """`base` (the defaults, or uprdex.toml's [clusters] over them) with what the last
    `uprdex cluster` run set over it, so that better defaults, a release's or the
    configuration's, reach an index that never chose otherwise."""
    return settings_over(base, remembered_settings(db))


def remembered_settings(db: sqlite3.Connection) -> dict[str, Any]:
    """The cluster settings the last `uprdex cluster` run set, which apply over the base."""
    return remembered(cluster_meta(db))


def remembered(meta: dict[str, Any] | None) -> dict[str, Any]:
    """The settings a `uprdex cluster` run chose, as the index keeps them."""
    if meta is None or not ("overrides" in meta or "semantic_weight" in meta):
        # None yet, or stored before clusters used meaning: word-only defaults of the time.
        return {}
    if "overrides" in meta:
        return dict(meta["overrides"])
    # Stored whole, before overrides were kept apart: a value equal to that release's
    # default was the default, not a choice.
    return {
        name: value
        for name, value in meta.items()
        if name in _DEFAULTS_STORED_WHOLE and value != _DEFAULTS_STORED_WHOLE[name]
    }


def settings_over(base: ClusterSettings, chosen: dict[str, Any]) -> ClusterSettings:
    """`base` with the settings a `uprdex cluster` run `chosen` over it."""
    try:
        return replace(base, **chosen)
    except ValueError as error:
        named = ", ".join(f"{name} = {value}" for name, value in sorted(chosen.items()))
        raise ConfigError(
            f"the index remembers cluster settings of `uprdex cluster` ({named}) that do not "
            f"fit the [clusters] configuration: {error}; change [clusters] in uprdex.toml, or "
            "run `uprdex cluster --defaults` to forget them"
        ) from error


def differences(settings: ClusterSettings, base: ClusterSettings) -> dict[str, Any]:
    """The settings an index remembers of a `uprdex cluster` run: those it set otherwise
    than the base."""
    return {
        name: getattr(settings, name)
        for name in _STORED_SETTINGS
        if getattr(settings, name) != getattr(base, name)
    }


def setting_values(settings: ClusterSettings) -> dict[str, Any]:
    """Every setting as JSON keeps it (paths as text)."""
    return {
        item.name: str(value) if isinstance(value := getattr(settings, item.name), Path) else value
        for item in fields(settings)
    }


ModelVersions = tuple[Callable[[Path | None], str], Callable[[Path | None], str], Callable[[], str]]
"""How to read the version of the similarity model, of the pair model (each of its folder,
None for the shipped one) and of the shipped recurrence model."""

# Read from the models' files, none loaded (`uprdex status`).
_FROM_FILES: ModelVersions = (
    SIMILARITY.version,
    PAIRS.version,
    lambda: recurrence_version(recurrence_file(None)),
)


def models_of(settings: ClusterSettings, versions: ModelVersions = _FROM_FILES) -> str | None:
    """The versions of the models `settings` cluster with, as the index records them: a
    retrained model scores differently, like changed settings. `versions` reads them (the
    clustering from the models it loaded)."""
    similarity, pairs, recurrence = versions
    model = (
        similarity(settings.similarity_model)
        if settings.semantic_weight + settings.rare_weight > 0 or settings.learned
        else None
    )
    if settings.learned:  # and a retrained pair model (its version names the models it reads)
        model = f"{model} pairs {pairs(settings.pair_model)}"
    if settings.learned_links:  # and a retrained link model finds other recurring asks
        # "joint asks by State": links also found part by part (`recurrence_parts`); "named
        # asks": an ask that names a State's earlier asks repeats them (`recurrence_named`), and
        # "asked before" follows the corrected clusters; so an index linked before relinks.
        model = f"{model} recurrence {recurrence()} joint asks by State, named asks"
    return model


def made_so(
    stored: dict[str, Any] | None,
    base: ClusterSettings,
    settings: ClusterSettings,
    model: str | None,
) -> bool:
    """Whether the stored clusters were made with `settings` and the models `model` names (an
    index of an earlier release kept only the chosen settings: over the base, as they applied
    then)."""
    if stored is None:
        return False
    before = stored.get("settings", {**setting_values(base), **remembered(stored)})
    return bool(before == setting_values(settings) and stored.get("similarity_model") == model)


def clusters_current(db: sqlite3.Connection, base: ClusterSettings) -> bool:
    """Whether the stored clusters are made as they would be now: with the settings in force
    and the models they read (not after an upgrade or a `uprdex train-*` that changed a
    model, nor after the base settings changed), and with the corrections recorded (no
    `stale_states`). An index never clustered is current. Loads no model: their versions are
    read from their files."""
    if stale_states(db):
        return False
    stored = cluster_meta(db)
    if stored is None:
        return True
    settings = cluster_settings(db, base)
    return made_so(stored, base, settings, models_of(settings))


def cluster_meta(db: sqlite3.Connection) -> dict[str, Any] | None:
    """How the stored clusters were made (settings, models), as the last clustering wrote it."""
    row = db.execute("SELECT value FROM meta WHERE key = 'cluster_settings'").fetchone()
    return None if row is None else dict(json.loads(row[0]))


# The researchers' corrections (schema 4; pipeline/corrections.py applies them).


def corrections_of(db: sqlite3.Connection, *, as_recorded: bool = False) -> list[Correction]:
    """The researchers' links and unlinks (`uprdex cluster link/unlink`), by pair, or in the
    order they were recorded (`as_recorded`: a recorded one is a new row, the last rowid)."""
    order = "rowid" if as_recorded else "first, second"
    return [
        Correction.of(*row)
        for row in db.execute(
            f"SELECT first, second, kind, note, who, at FROM cluster_corrections ORDER BY {order}"
        )
    ]


def cluster_ids(db: sqlite3.Connection, ids: Sequence[str] | None = None) -> dict[str, str | None]:
    """The cluster of each recommendation (None: not clustered yet): of every one, or of
    those of `ids` that are indexed."""
    if ids is None:
        return dict(db.execute("SELECT id, cluster_id FROM recommendations").fetchall())
    return column_of(db, ids, "cluster_id")
