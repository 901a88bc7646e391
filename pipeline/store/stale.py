"""What a change of the corrections left to cluster again, in one meta value.

`cluster forget` and `cluster links --import` write the corrections in one transaction and
cluster again in the next. The write records, in its own transaction, the States of the asks
the corrections name (each with whether it must be clustered from scratch) and, for a forget,
the pairs it was given; the clustering that makes those States again clears them. Cut short
between the two, the next clustering command (the command run again, an ingest, `uprdex
cluster`) makes them first, and `uprdex status` names them.

Stored as one JSON object under the meta key `clusters_stale`:
{"states": [["Slovenia", true]], "forgot": [["A/HRC/28/15#115.1", "A/HRC/28/15#115.2"]]}.
Schema 12 stored the two lists under two keys; the step to schema 13 (`one_stale_value`)
makes them one, and an uprdex of schema 12 refuses an index of 13, so only that form is read.
"""

from __future__ import annotations

import json
import shlex
import sqlite3
from collections.abc import Iterable
from typing import NoReturn

from uprdex.pipeline.errors import BadIndexError

__all__ = ["forgotten_pairs", "one_stale_value", "stale_states", "write_stale"]

_KEY = "clusters_stale"
_FORGOT_OF_SCHEMA_12 = "clusters_stale_forgot"


def _stored(db: sqlite3.Connection) -> dict[str, list[list[object]]]:
    """The stored value, {} when none. A BadIndexError for any other form (schema 12's list
    among them, which the step to schema 13 made one value): read as none, a cut-short change
    would be lost."""
    row = db.execute("SELECT value FROM meta WHERE key = ?", (_KEY,)).fetchone()
    if row is None:
        return {}
    value = _parsed(db, _KEY, row[0])
    if not (
        isinstance(value, dict)
        and _pairs(value.get("states", []), bool)
        and _pairs(value.get("forgot", []), str)
    ):
        _unwritten(db, _KEY, row[0])
    return value


def _parsed(db: sqlite3.Connection, key: str, stored: str) -> object:
    """The JSON value `stored` under `key`; a BadIndexError naming the key when it is not
    JSON."""
    try:
        return json.loads(stored)
    except ValueError:
        _unwritten(db, key, stored)


def _pairs(value: object, second: type) -> bool:
    """True for a list of [str, `second`] pairs (a State and its fresh, or two ids), the form
    `write_stale` writes; stale_states and forgotten_pairs unpack each item as a pair."""
    return isinstance(value, list) and all(
        isinstance(item, list)
        and len(item) == 2
        and isinstance(item[0], str)
        and isinstance(item[1], second)
        for item in value
    )


def _unwritten(db: sqlite3.Connection, key: str, stored: str) -> NoReturn:
    """The BadIndexError of a meta value `key` in no form uprdex writes, quoting it."""
    path = db.execute("PRAGMA database_list").fetchone()[2]
    raise BadIndexError(
        f"{path}: its meta value {key} is {stored[:80]!r}, in no form uprdex writes "
        f"(another program's?); `sqlite3 {shlex.quote(path)} \"DELETE FROM meta WHERE key IN "
        f"('{_KEY}', '{_FORGOT_OF_SCHEMA_12}')\"` "
        "drops it, then `uprdex cluster` makes every State's clusters again"
    )


def stale_states(db: sqlite3.Connection) -> dict[str, bool]:
    """The States whose clusters a change of the corrections made stale and no clustering has
    made again yet, each with whether it must be clustered from scratch (`fresh`)."""
    return {str(state): bool(fresh) for state, fresh in _stored(db).get("states", [])}


def forgotten_pairs(db: sqlite3.Connection) -> set[tuple[str, str]]:
    """The pairs of ids (sorted) a `cluster forget` dropped corrections by, and those
    corrections' own pairs, while its States are stale: what a run again of it may be."""
    return {(str(first), str(second)) for first, second in _stored(db).get("forgot", [])}


def write_stale(
    db: sqlite3.Connection,
    states: dict[str, bool],
    forgot: Iterable[tuple[str, str]] | None = None,
) -> None:
    """Store the stale `states` and the pairs a forget was given (`forgot`; None: as stored).
    No stale State clears both: the pairs go with them. Nothing is written when both are as
    stored (a write would change the index's generation)."""
    pairs = forgotten_pairs(db) if forgot is None else set(forgot)
    if not states:
        pairs = set()
    if states == stale_states(db) and pairs == forgotten_pairs(db):
        return
    if not states:
        db.execute("DELETE FROM meta WHERE key = ?", (_KEY,))
        return
    value = {"states": sorted(states.items()), "forgot": sorted(pairs)}
    db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (_KEY, json.dumps(value)))


def one_stale_value(db: sqlite3.Connection) -> None:
    """Schema 13: schema 12's two keys (`clusters_stale`: the list of [State, fresh];
    `clusters_stale_forgot`: the list of pairs) as the one value; a value already one (the
    version set back) stays as it is. A value in neither form is a BadIndexError naming its
    key (`_stored`'s)."""
    if not db.execute("SELECT 1 FROM sqlite_master WHERE name = 'meta'").fetchone():
        return  # a database with no meta table: `schema.view_columns`' in memory
    rows = dict(
        db.execute(
            "SELECT key, value FROM meta WHERE key IN (?, ?)", (_KEY, _FORGOT_OF_SCHEMA_12)
        ).fetchall()
    )
    db.execute("DELETE FROM meta WHERE key = ?", (_FORGOT_OF_SCHEMA_12,))
    states = _parsed(db, _KEY, rows[_KEY]) if _KEY in rows else None
    if isinstance(states, list):
        forgot = _parsed(db, _FORGOT_OF_SCHEMA_12, rows.get(_FORGOT_OF_SCHEMA_12, "[]"))
        for key, pairs, second in ((_KEY, states, bool), (_FORGOT_OF_SCHEMA_12, forgot, str)):
            if not _pairs(pairs, second):  # the message names the key that is wrong
                _unwritten(db, key, rows[key])
        value = json.dumps({"states": states, "forgot": forgot})
        db.execute("UPDATE meta SET value = ? WHERE key = ?", (value, _KEY))
    _stored(db)  # any other form: its one line, before the index is said up to date
