"""Cluster persistence: the settings an index remembers, the clusters it stores, and the
researchers' corrections every clustering keeps.

The clustering itself is pipeline/clusters/ (and pipeline/corrections.py applies the
corrections); this module reads its input from the index and writes its result back.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from functools import partial

from uprdex.pipeline.cluster_reasons import pair_scores
from uprdex.pipeline.clusters import ClusterItem, ClusterResult
from uprdex.pipeline.clusters.pair_model import PairModel
from uprdex.pipeline.clusters.parallel import cluster_in_parts
from uprdex.pipeline.clusters.recurrence_model import shipped as shipped_recurrence
from uprdex.pipeline.clusters.recurrence_parts import state_asks
from uprdex.pipeline.corrections import (
    Correction,
    CorrectionError,
    CorrectionKind,
    apply_corrections,
    contradictions,
    merge_corrections,
    reach,
)
from uprdex.pipeline.semantic import SemanticModel
from uprdex.pipeline.settings import ClusterSettings
from uprdex.pipeline.store.cluster_state import (
    ModelVersions,
    cluster_meta,
    corrections_of,
    differences,
    made_so,
    models_of,
    remembered,
    setting_values,
    settings_over,
)
from uprdex.pipeline.store.connection import Connection
from uprdex.pipeline.store.filters import RecFilter, filter_sql
from uprdex.pipeline.store.ids import asks_of, named_now, recorded_by, resolved
from uprdex.pipeline.store.queries import (
    REPORT_ORDER,
    by_recommendation,
    states_under_review,
)
from uprdex.pipeline.store.rows import ClusterMember, StoredCluster
from uprdex.pipeline.store.stale import forgotten_pairs, stale_states, write_stale

__all__ = [
    "cluster_curation",
    "clusters",
    "forget_correction",
    "record_corrections",
    "update_clusters",
]

# The clustering reads each model's version from the model it loaded (loaded once per
# process: the one it clusters with), `uprdex status` from the model's files.
_LOADED: ModelVersions = (
    lambda path: SemanticModel.load(path).version,
    lambda path: PairModel.load(path).version,
    lambda: shipped_recurrence().version,
)


def update_clusters(
    index: Connection,
    base: ClusterSettings,
    settings: ClusterSettings | None = None,
    states: set[str] | None = None,
    fresh: bool = False,
) -> int:
    """(Re)compute duplicate clusters; returns how many recommendations were clustered.

    With `states`, only the recommendations of those States under review are looked at
    (enough for the "review" and "state" scopes), unless the settings or a model changed since
    the index was clustered: then every State is, once; existing clusters are kept whole and new
    recommendations may join them unless the settings changed, so adding documents never
    renumbers clusters. That makes them depend on the order documents arrived in: `fresh`
    clusters everything from scratch, which gives the same clusters (and ids) for the same
    recommendations whatever their order (`uprdex cluster`).

    `settings` are a `uprdex cluster` run's: the index remembers where they differ from
    `base` (the defaults, or the configuration's [clusters]). Without them, the remembered
    ones apply over `base`.
    """
    stored = cluster_meta(index.db)
    chosen = remembered(stored)
    if settings is None:
        settings = settings_over(base, chosen)
        if stored is None or "overrides" not in stored:
            chosen = differences(settings, base)
    else:
        chosen = differences(settings, base)
    model = models_of(settings, _LOADED)
    same = made_so(stored, base, settings, model)
    if not same:
        # Clusters made otherwise are stale in every State, not only in those asked for: the
        # index records one way its clusters were made.
        states = None
    stale = stale_states(index.db)
    if stale:  # a correction changed since these States were clustered (a command cut short)
        states = None if states is None else states | set(stale)
        fresh = fresh or any(stale.values())
    # Each imported ask's id read as the report's ask it names now.
    corrections = list(resolved(index.db, corrections_of(index.db, as_recorded=True)).held)
    if states is not None and corrections:
        # The other ends of their links are clustered with them.
        states = reach(states, corrections, _states_of(index.db, corrections))
    where, params = "", list(states or ())
    if states is not None and settings.scope != "all":
        where = f"WHERE state_under_review IN ({','.join('?' * len(params))})"
    else:
        params = []
    with index.transaction() as db:
        rows = db.execute(
            "SELECT id, text, state_under_review, cycle, session, cluster_id "
            f"FROM recommendations {where}",
            params,
        ).fetchall()
        authors: dict[str, list[str]] = defaultdict(list)
        for rec_id, name in db.execute(
            "SELECT recommendation_id, name FROM recommendation_states "
            f"WHERE recommendation_id IN (SELECT id FROM recommendations {where})",
            params,
        ):
            authors[rec_id].append(name)
        # What each State asked in a joint ask, compared one by one for the recurring asks.
        parts: dict[str, list[tuple[str, list[str]]]] = defaultdict(list)
        for rec_id, text, named in db.execute(
            "SELECT recommendation_id, text, recommending_states FROM recommendation_parts "
            f"WHERE recommendation_id IN (SELECT id FROM recommendations {where}) "
            "ORDER BY recommendation_id, position",
            params,
        ):
            parts[rec_id].append((text, json.loads(named)))
        items = [
            ClusterItem(
                r["id"],
                r["text"],
                r["state_under_review"] or "",
                r["cycle"],
                r["session"],
                tuple(authors[r["id"]]),
                state_asks(parts.get(r["id"], ())),
            )
            for r in rows
        ]
        existing = (
            {r["id"]: r["cluster_id"] for r in rows if r["cluster_id"]}
            if same and not fresh
            else {}
        )
        result = cluster_in_parts(items, settings, existing)
        result = apply_corrections(
            result, items, corrections, partial(pair_scores, settings=settings), existing
        )
        # Only what changed is written: a re-run that changes nothing leaves the index (and
        # its generation) as it was.
        before = {r["id"]: r["cluster_id"] for r in rows}
        db.executemany(
            "UPDATE recommendations SET cluster_id = ? WHERE id = ?",
            [(cid, rid) for rid, cid in result.assignment.items() if before[rid] != cid],
        )
        ids = [c.id for c in result.clusters]
        stored_clusters = {
            tuple(row)
            for start in range(0, len(ids), 500)
            for row in db.execute(
                "SELECT * FROM clusters WHERE cluster_id IN "
                f"({','.join('?' * len(ids[start : start + 500]))})",
                ids[start : start + 500],
            )
        }
        new_rows = [
            (
                c.id,
                c.canonical_id,
                c.canonical_text,
                c.size,
                json.dumps(list(c.cycles)),
                int(c.recurring),
                settings.scope,
            )
            for c in result.clusters
        ]
        db.executemany(
            "INSERT OR REPLACE INTO clusters VALUES (?,?,?,?,?,?,?)",
            [row for row in new_rows if row not in stored_clusters],
        )
        db.execute(
            "DELETE FROM clusters WHERE cluster_id NOT IN "
            "(SELECT cluster_id FROM recommendations WHERE cluster_id IS NOT NULL)"
        )
        _write_confidence(db, result, [item.id for item in items])
        kept = {
            "overrides": chosen,
            "similarity_model": model,
            "settings": setting_values(settings),
        }
        if stored != kept:
            db.execute(
                "INSERT OR REPLACE INTO meta VALUES ('cluster_settings', ?)",
                (json.dumps(kept),),
            )
        write_stale(db, {} if not where else _without(stale_states(db), set(params)))
    return len(items)


def _mark_stale(
    db: sqlite3.Connection,
    names: dict[str, str],
    changed: Sequence[Correction],
    fresh: bool,
    forgot: Sequence[tuple[str, str]] = (),
) -> None:
    """Record, in the transaction that changes the corrections, the States of the asks they
    name, and the pairs a forget was given (`forgot`; `store.stale`): the clustering after it
    clears them, and, if that never ran, the next one (the command run again, an ingest,
    `uprdex cluster`) makes them again first."""
    asks = sorted({names.get(rec, rec) for c in changed for rec in c.pair})
    if not asks:
        return
    found = {state for state in states_under_review(db, asks).values() if state is not None}
    stale = stale_states(db)
    states = {**stale, **{state: fresh or stale.get(state, False) for state in found}}
    write_stale(db, states, forgotten_pairs(db) | set(forgot))


def _without(stale: dict[str, bool], clustered: set[str]) -> dict[str, bool]:
    return {state: fresh for state, fresh in stale.items() if state not in clustered}


def _write_confidence(db: sqlite3.Connection, result: ClusterResult, ids: list[str]) -> None:
    """Each member's confidence and the recurring asks of the clustered recommendations, only
    what changed (a re-run that changes nothing writes nothing)."""
    confidence = {m: c for found in result.clusters for m, c in found.member_confidence.items()}
    links = {(r.later_id, r.earlier_id): r.score for r in result.recurrences}
    stored_confidence: dict[str, float] = {}
    stored_links: dict[tuple[str, str], float] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        stored_confidence.update(
            db.execute(
                f"SELECT recommendation_id, confidence FROM cluster_members "
                f"WHERE recommendation_id IN ({marks})",
                chunk,
            ).fetchall()
        )
        for later, earlier, score in db.execute(
            f"SELECT later_id, earlier_id, score FROM recurrences WHERE later_id IN ({marks})",
            chunk,
        ):
            stored_links[(later, earlier)] = score
    db.executemany(
        "DELETE FROM cluster_members WHERE recommendation_id = ?",
        [(m,) for m in stored_confidence if m not in confidence],
    )
    db.executemany(
        "INSERT OR REPLACE INTO cluster_members VALUES (?, ?)",
        [(m, c) for m, c in confidence.items() if stored_confidence.get(m) != c],
    )
    db.executemany(
        "DELETE FROM recurrences WHERE later_id = ? AND earlier_id = ?",
        [link for link in stored_links if link not in links],
    )
    db.executemany(
        "INSERT OR REPLACE INTO recurrences VALUES (?, ?, ?)",
        [(*link, score) for link, score in links.items() if stored_links.get(link) != score],
    )


def record_corrections(index: Connection, incoming: Sequence[Correction]) -> list[Correction]:
    """Record links and unlinks (one per pair of asks: a later word on a pair replaces the
    earlier, also one recorded under imported ids that name these asks now); returns those
    that changed something. Nothing is recorded when the result would contradict itself
    (`CorrectionError` lists every contradiction)."""
    with index.transaction() as db:
        existing = corrections_of(db, as_recorded=True)
        names = named_now(db, {rec for c in (*existing, *incoming) for rec in c.pair})
        replaced = {
            old
            for new in incoming
            for old in existing
            if old.pair != new.pair
            and asks_of(names, old.pair) == asks_of(names, new.pair)
            and not (old.at and new.at and old.at > new.at)
        }
        after = merge_corrections([c for c in existing if c not in replaced], incoming)
        # As they apply (imported ids read as the report's asks); one an ingest made already
        # is said at every clustering, and does not block other corrections.
        before = {c.unlink.pair for c in contradictions(resolved(db, existing).held)}
        found = [c for c in contradictions(resolved(db, after).held) if c.unlink.pair not in before]
        if found:
            raise CorrectionError("; ".join(str(c) for c in found))
        changed = [c for c in after if c not in existing]
        db.executemany(
            "DELETE FROM cluster_corrections WHERE first = ? AND second = ?",
            [c.pair for c in replaced],
        )
        db.executemany(
            "INSERT OR REPLACE INTO cluster_corrections VALUES (?, ?, ?, ?, ?, ?)",
            [(c.first, c.second, c.kind.value, c.note, c.who, c.at) for c in changed],
        )
        _mark_stale(db, names, [*changed, *replaced], fresh=False)
    return changed


def cluster_curation(db: sqlite3.Connection) -> dict[str, list[Correction]]:
    """The corrections that shape each cluster (a link: the cluster of both ends; an
    unlink: the cluster of each end), by cluster id."""
    shaped: dict[str, list[Correction]] = defaultdict(list)
    for row in db.execute("SELECT * FROM cluster_curation ORDER BY first, second"):
        shaped[row["cluster_id"]].append(
            Correction(
                row["first"],
                row["second"],
                CorrectionKind(row["kind"]),
                row["note"],
                row["who"],
                row["at"],
            )
        )
    return dict(shaped)


def forget_correction(index: Connection, a: str, b: str) -> list[Correction]:
    """Drop the corrections two ids name (`ids.recorded_by`): the one recorded with these ids,
    else the one recorded with the report's asks imported ids typed name now; two asks' ids
    name every correction `cluster links` lists under them. Returns those dropped."""
    with index.transaction() as db:
        held = corrections_of(db)
        names = named_now(db, {a, b, *(rec for c in held for rec in c.pair)})
        gone = [c for c in held if recorded_by(names, (a, b), c.pair, as_ask=False)]
        if not gone:
            gone = [c for c in held if recorded_by(names, (a, b), c.pair, as_ask=True)]
        db.executemany(
            "DELETE FROM cluster_corrections WHERE first = ? AND second = ?",
            [c.pair for c in gone],
        )
        # Kept whole, a cluster keeps the link: its States are clustered from scratch.
        forgot = [(min(a, b), max(a, b)), *(c.pair for c in gone)]
        _mark_stale(db, names, gone, fresh=True, forgot=forgot)
    return gone


def _states_of(db: sqlite3.Connection, corrections: Sequence[Correction]) -> dict[str, str]:
    """State under review of each recommendation the corrections name (those indexed)."""
    ids = sorted({rec_id for c in corrections for rec_id in c.pair})
    return {rec: state for rec, state in states_under_review(db, ids).items() if state is not None}


def clusters(
    db: sqlite3.Connection, where: RecFilter | None = None, min_size: int = 1
) -> list[StoredCluster]:
    """Clusters of the recommendations matching the filter, largest first, with members
    (id, State under review, response, recommending States). `recurring` keeps the clusters
    asked again in a later cycle (their `recurring`), with their earlier asks: the others
    choose the members."""
    where = where or RecFilter()
    sql, params = filter_sql(replace(where, recurring=False))
    members = db.execute(
        f"SELECT r.id, r.cluster_id, r.state_under_review, r.response, m.confidence "
        f"FROM recommendations r LEFT JOIN cluster_members m ON m.recommendation_id = r.id "
        f"{sql} {'AND' if sql else 'WHERE'} r.cluster_id IS NOT NULL ORDER BY {REPORT_ORDER}",
        params,
    ).fetchall()
    names = by_recommendation(
        db,
        [row["id"] for row in members],
        "SELECT * FROM recommendation_states WHERE recommendation_id IN ({}) "
        "ORDER BY recommendation_id, position",
        lambda row: row["name"],
    )
    grouped: dict[str, list[ClusterMember]] = {}
    for row in members:
        states = tuple(dict.fromkeys(names.get(row["id"], [])))
        grouped.setdefault(row["cluster_id"], []).append(
            ClusterMember(
                row["id"], row["state_under_review"], row["response"], states, row["confidence"]
            )
        )
    confidence = _cluster_confidence(db, list(grouped))
    found = [
        StoredCluster(
            row["cluster_id"],
            row["canonical_id"],
            row["canonical_text"],
            row["size"],
            tuple(json.loads(row["cycles"])),
            bool(row["recurring"]),
            row["scope"],
            tuple(grouped[row["cluster_id"]]),
            confidence.get(row["cluster_id"]),
        )
        for row in db.execute("SELECT * FROM clusters WHERE size >= ?", (min_size,))
        if grouped.get(row["cluster_id"]) and (row["recurring"] or not where.recurring)
    ]
    return sorted(found, key=lambda c: (-c.size, c.cluster_id))


def _cluster_confidence(db: sqlite3.Connection, ids: list[str]) -> dict[str, float]:
    """Each cluster's confidence: the mean of all its members' (not only of those a filter
    lists); none for one recommendation or when a member has none (placed by a link)."""
    found: dict[str, float] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for cluster_id, members, scored, mean in db.execute(
            "SELECT r.cluster_id, COUNT(*), COUNT(m.confidence), AVG(m.confidence) "
            "FROM recommendations r LEFT JOIN cluster_members m ON m.recommendation_id = r.id "
            f"WHERE r.cluster_id IN ({','.join('?' * len(chunk))}) GROUP BY r.cluster_id",
            chunk,
        ):
            if members > 1 and scored == members:
                found[cluster_id] = round(mean, 3)
    return found
