"""The views for people (made again after every migration; schema 4's tables are in
store/schema.py), and schema version 8: the lists those views show, stored.

The views give any SQLite tool (and `uprdex browse`) the shapes researchers read without
changing a table: a recommendation with its States, regional groups, themes and evidence
counts in one row; one row per recommendation and recommending State, the shape UPR Info
users know; each evidence row with its document and PDF page; each cluster with its States and
whether a researcher's correction shaped it. Column descriptions: data/schema.yaml.

A recommendation's lists (its recommending States, their regional groups, its themes: JSON
arrays) are stored in `recommendation_lists`, which the views read. Computed in the views, they
cost correlated subqueries on every row, and Datasette's array facet (`select distinct
j.value, inner.* from json_each(inner.themes) j join inner`) computes every one of them again
for each item of each row: on 29,527 recommendations, `uprdex browse`'s Recommendations page
took 5 s and lost its themes facet ("These facets timed out"). Triggers on the tables the lists
come from clear a recommendation's stored list when a row it comes from changes, whoever
writes it; the store computes the cleared lists before every commit (`refresh_lists`), so they
change in the transaction that changes their sources. A list still cleared (another program
wrote its sources) is computed by the view, as before.
"""

from __future__ import annotations

import csv
import hashlib
import re
import sqlite3

from uprdex.pipeline.resources import data_path

__all__ = [
    "VIEWS",
    "add_lists",
    "create_views",
    "drop_views",
    "refresh_lists",
    "refresh_views",
    "states_current",
    "sync_states",
    "view_names",
    "views_current",
    "views_ours",
]


# The themes the exports give a recommendation (pipeline.exports._themes): the issues UPR
# Info's experts gave it, when an imported UPR Info row carries them (the 54 issues the
# classifier learned); else the classifier's, best first, and the keyword themes shown beside
# them (method 'beside'); else the keyword themes.
# A themes cell that is not JSON (typed by hand in another program) holds none: read as it
# is, it would stop every write (`refresh_lists` computes the lists at each commit).
def _chosen(rec: str = "") -> str:
    """chosen_themes' rows: every recommendation's, or only those of `rec` (each branch
    filtered, so that SQLite does not build the whole union to read one recommendation's)."""
    of_l, of_t = (f"l.recommendation_id = {rec} AND ", f"t.recommendation_id = {rec} AND ")
    if not rec:
        of_l = of_t = ""
    return f"""
    SELECT l.recommendation_id, j.value AS theme, 'upr-info' AS method, NULL AS score
    FROM import_links l JOIN imports i USING (import_id), json_each(
        CASE WHEN json_valid(i.themes) THEN i.themes ELSE '[]' END) j
    WHERE {of_l}i.source = 'upr-info'
    UNION
    SELECT recommendation_id, theme, method, score FROM recommendation_themes t
    WHERE {of_t}(method IN ('model', 'beside')
           OR (method = 'keywords' AND NOT EXISTS (
                SELECT 1 FROM recommendation_themes m
                WHERE m.recommendation_id = t.recommendation_id AND m.method = 'model')))
      AND NOT EXISTS (
        SELECT 1 FROM import_links l JOIN imports i USING (import_id)
        WHERE l.recommendation_id = t.recommendation_id AND i.source = 'upr-info'
          AND json_valid(i.themes) AND i.themes != '[]')"""


_CHOSEN_THEMES = f"CREATE VIEW IF NOT EXISTS chosen_themes AS {_chosen()};"


def _themes_of(rec: str) -> str:
    return (
        "(SELECT json_group_array(theme) FROM (SELECT DISTINCT theme "
        f"FROM ({_chosen(rec)}) ORDER BY coalesce(score, 0) DESC, theme))"
    )


# A State that asked several parts of a compound item is named once per part: its first.
def _first_naming(row: str) -> str:
    return (
        "NOT EXISTS (SELECT 1 FROM recommendation_states earlier "
        f"WHERE earlier.recommendation_id = {row}.recommendation_id "
        f"AND earlier.name = {row}.name AND earlier.position < {row}.position)"
    )


def _states_of(rec: str) -> str:
    """Its States once each, in print order, as the exports list them."""
    return (
        "(SELECT json_group_array(name) FROM (SELECT name FROM recommendation_states named "
        f"WHERE recommendation_id = {rec} AND {_first_naming('named')} ORDER BY position))"
    )


def _groups_of(rec: str) -> str:
    return (
        "(SELECT json_group_array(DISTINCT s.regional_group) FROM recommendation_states rs "
        f"JOIN states s ON s.iso3 = rs.iso3 WHERE rs.recommendation_id = {rec} "
        "AND s.regional_group IS NOT NULL)"
    )


# The stored list, or (cleared by a change another program made) the list computed.
_LISTS = (
    f"coalesce(l.recommending_states, {_states_of('r.id')}) AS recommending_states",
    f"coalesce(l.regional_groups, {_groups_of('r.id')}) AS regional_groups",
    f"coalesce(l.themes, {_themes_of('r.id')}) AS themes",
)

# The contract's evidence: a recommendation's own WG report is not evidence of itself.
_EVIDENCE_PAGES = """
    CREATE VIEW IF NOT EXISTS evidence_pages AS
    SELECT e.id, e.recommendation_id, r.state_under_review, r.cycle, r.paragraph,
        CASE e.kind WHEN 'state_comment' THEN 'citation' ELSE e.kind END AS kind,
        e.kind = 'state_comment' AS state_comment,
        d.type AS document_type, d.symbol AS document_symbol, d.date AS document_date,
        e.page, e.footnote, e.as_printed, e.context, e.context_page, e.score, e.corrected,
        d.path || '#page=' || e.page AS pdf_page, d.path AS document_path, e.document_sha256
    FROM evidence e
    JOIN documents d ON d.sha256 = e.document_sha256
    JOIN recommendations r ON r.id = e.recommendation_id
    WHERE d.symbol IS NULL
       OR substr(e.recommendation_id, 1, length(d.symbol) + 1) != d.symbol || '#';
"""

# Beside the position, uprdex's reading of the answer (response_detail: its kind, not the
# State's words) and a disagreement of sources: a partly accepted ask is "noted" ("supported in
# part"), and the position alone hides it.
_RECOMMENDATION_DETAILS = f"""
    CREATE VIEW IF NOT EXISTS recommendation_details AS
    SELECT r.id, r.state_under_review, r.cycle, r.session, r.year, r.document_symbol,
        r.paragraph, r.text, {_LISTS[0]}, {_LISTS[1]},
        r.response, r.response_detail, r.response_source, r.response_conflict, {_LISTS[2]},
        r.cluster_id, c.size AS cluster_size,
        (SELECT count(DISTINCT document_sha256) FROM evidence_pages
            WHERE recommendation_id = r.id) AS evidence_documents,
        (SELECT max(document_date) FROM evidence_pages
            WHERE recommendation_id = r.id) AS latest_evidence,
        r.page, r.footnotes, r.document_sha256, r.rowid AS text_rowid
    FROM recommendations r JOIN recommendation_lists l ON l.recommendation_id = r.id
    LEFT JOIN clusters c ON c.cluster_id = r.cluster_id;
"""

# The unary + on text_rowid keeps SQLite off the (id, rowid) index when a search
# (`text_rowid IN (SELECT rowid FROM recommendations_fts ...)`) meets a recommending State:
# it probed every pair of the State's rows and the words' hits (Brazil and "rights", 29,301
# asks: 1.9 s a query, 13 s the page with its count and facets; with the +: 0.02 s). A State
# that asked several parts of a compound item: one row.
_RECOMMENDATION_BY_STATE = f"""
    CREATE VIEW IF NOT EXISTS recommendation_by_state AS
    SELECT r.id AS recommendation_id, r.state_under_review, r.cycle, r.session, r.year,
        r.document_symbol, r.paragraph, r.text,
        rs.name AS recommending_state, rs.iso3 AS recommending_state_code, s.regional_group,
        r.response, r.response_detail, r.response_conflict, {_LISTS[2]}, r.cluster_id,
        +r.rowid AS text_rowid
    FROM recommendations r JOIN recommendation_lists l ON l.recommendation_id = r.id
    LEFT JOIN recommendation_states rs ON rs.recommendation_id = r.id AND {_first_naming("rs")}
    LEFT JOIN states s ON s.iso3 = rs.iso3;
"""

# A correction shapes the cluster of each of its ends (a link: the one cluster of both). An
# end recorded under an imported ask's id is the report's ask that import is linked to, once
# its WG report is indexed (`store.ids.resolved`); a correction whose ends are one ask, none.
_CLUSTER_CURATION = """
    CREATE VIEW IF NOT EXISTS cluster_curation AS
    WITH k AS (
        SELECT k.*, COALESCE(ra.id, k.first) AS a_id, COALESCE(rb.id, k.second) AS b_id
        FROM cluster_corrections k
        LEFT JOIN imports ia ON ia.import_id = k.first
        LEFT JOIN recommendations ra ON ra.id = ia.recommendation_id
        LEFT JOIN imports ib ON ib.import_id = k.second
        LEFT JOIN recommendations rb ON rb.id = ib.recommendation_id
    )
    SELECT a.cluster_id, k.kind, k.first, k.second, k.note, k.who, k.at
    FROM k JOIN recommendations a ON a.id = k.a_id JOIN recommendations b ON b.id = k.b_id
    WHERE k.a_id != k.b_id
    UNION
    SELECT b.cluster_id, k.kind, k.first, k.second, k.note, k.who, k.at
    FROM k JOIN recommendations a ON a.id = k.a_id JOIN recommendations b ON b.id = k.b_id
    WHERE k.a_id != k.b_id;
"""

_CLUSTER_OVERVIEW = """
    CREATE VIEW IF NOT EXISTS cluster_overview AS
    SELECT c.cluster_id, c.size, c.canonical_text,
        (SELECT json_group_array(DISTINCT state_under_review) FROM recommendations
            WHERE cluster_id = c.cluster_id) AS states_under_review,
        (SELECT json_group_array(DISTINCT rs.name) FROM recommendations r
            JOIN recommendation_states rs ON rs.recommendation_id = r.id
            WHERE r.cluster_id = c.cluster_id) AS recommending_states,
        (SELECT count(DISTINCT rs.name) FROM recommendations r
            JOIN recommendation_states rs ON rs.recommendation_id = r.id
            WHERE r.cluster_id = c.cluster_id) AS recommending_state_count,
        c.cycles, c.recurring,
        EXISTS (SELECT 1 FROM cluster_curation k WHERE k.cluster_id = c.cluster_id) AS curated,
        c.canonical_id, c.scope
    FROM clusters c;
"""

VIEWS = (
    _CHOSEN_THEMES,
    _EVIDENCE_PAGES,
    _RECOMMENDATION_DETAILS,
    _RECOMMENDATION_BY_STATE,
    _CLUSTER_CURATION,
    _CLUSTER_OVERVIEW,
)
"""The views, each after those it reads (`create_views`)."""

_VIEW_NAME = re.compile(r"CREATE VIEW IF NOT EXISTS (\w+)")

_LIST_NAMES = ("recommending_states", "regional_groups", "themes")
_STALE = " OR ".join(f"{name} IS NULL" for name in _LIST_NAMES)

# What clears a stored list: a table, the recommendations a row of it (`{row}`) feeds, and
# the lists it clears.
_SOURCES = (
    ("recommendation_states", "{row}.recommendation_id", "recommending_states, regional_groups"),
    ("recommendation_themes", "{row}.recommendation_id", "themes"),
    ("import_links", "{row}.recommendation_id", "themes"),
    (
        "imports",
        "SELECT recommendation_id FROM import_links WHERE import_id = {row}.import_id",
        "themes",
    ),
    (
        "states",
        "SELECT recommendation_id FROM recommendation_states WHERE iso3 = {row}.iso3",
        "regional_groups",
    ),
)

_ROW_TRIGGERS = (
    """CREATE TRIGGER IF NOT EXISTS recommendation_lists_ai AFTER INSERT ON recommendations
    BEGIN INSERT OR REPLACE INTO recommendation_lists (recommendation_id) VALUES (new.id); END""",
    """CREATE TRIGGER IF NOT EXISTS recommendation_lists_ad AFTER DELETE ON recommendations
    BEGIN DELETE FROM recommendation_lists WHERE recommendation_id = old.id; END""",
    """CREATE TRIGGER IF NOT EXISTS recommendation_lists_au AFTER UPDATE OF id ON recommendations
    BEGIN
        DELETE FROM recommendation_lists WHERE recommendation_id = old.id;
        INSERT OR REPLACE INTO recommendation_lists (recommendation_id) VALUES (new.id);
    END""",
)
"""A row in `recommendation_lists` for every recommendation, its lists cleared."""


def _clearing_triggers() -> list[str]:
    """Triggers that clear the lists a written row feeds (a cleared list is left as it is)."""
    triggers = []
    for table, fed, lists in _SOURCES:
        names = lists.split(", ")
        clear = ", ".join(f"{name} = NULL" for name in names)
        stored = " OR ".join(f"{name} IS NOT NULL" for name in names)
        for event, rows in (("INSERT", ("new",)), ("DELETE", ("old",)), ("UPDATE", ("old", "new"))):
            body = "".join(
                f"UPDATE recommendation_lists SET {clear} WHERE ({stored}) "
                f"AND recommendation_id IN ({fed.format(row=row)}); "
                for row in rows
            )
            triggers.append(
                f"CREATE TRIGGER IF NOT EXISTS {table}_lists_{event.lower()} AFTER {event} "
                f"ON {table} BEGIN {body}END"
            )
    return triggers


def add_lists(db: sqlite3.Connection) -> None:
    """Schema 8: `recommendation_lists`, a row per recommendation (every list cleared:
    `refresh_lists`, at the migration's commit, computes them on the views made again)."""
    db.execute(
        "CREATE TABLE IF NOT EXISTS recommendation_lists (recommendation_id TEXT PRIMARY KEY, "
        "recommending_states TEXT, regional_groups TEXT, themes TEXT)"
    )
    db.execute(
        "CREATE INDEX IF NOT EXISTS recommendation_lists_stale "
        f"ON recommendation_lists(recommendation_id) WHERE {_STALE}"
    )
    # A States table change (a release's data/states.csv) finds the asks of each State.
    db.execute(
        "CREATE INDEX IF NOT EXISTS recommendation_states_iso3 ON recommendation_states(iso3)"
    )
    for trigger in _list_triggers():
        db.execute(trigger)
    db.execute(f"UPDATE recommendation_lists SET {', '.join(f'{n} = NULL' for n in _LIST_NAMES)}")
    db.execute(
        "INSERT OR IGNORE INTO recommendation_lists (recommendation_id) "
        "SELECT id FROM recommendations"
    )


def refresh_lists(db: sqlite3.Connection) -> None:
    """Compute the cleared lists (inside the caller's transaction, before it commits)."""
    rec = "recommendation_lists.recommendation_id"
    db.execute(
        "UPDATE recommendation_lists SET "
        f"recommending_states = coalesce(recommending_states, {_states_of(rec)}), "
        f"regional_groups = coalesce(regional_groups, {_groups_of(rec)}), "
        f"themes = coalesce(themes, {_themes_of(rec)}) "
        f"WHERE {_STALE}"
    )


def drop_views(db: sqlite3.Connection) -> None:
    """Drop the views before a migration: SQLite refuses to rename a rebuilt table while a
    view reads a table that is gone ("error in view ...: no such table")."""
    for view in reversed(VIEWS):
        match = _VIEW_NAME.search(view)
        if match:
            db.execute(f"DROP VIEW IF EXISTS {match.group(1)}")


def create_views(db: sqlite3.Connection) -> None:
    """(Re)create the views after a migration, on the schema as it now is."""
    for view in VIEWS:
        db.execute(view.strip())


_TRIGGER_NAME = re.compile(r"CREATE TRIGGER IF NOT EXISTS (\w+)")


# INSERT OR REPLACE INTO states (another program's) deletes the row of that name without its
# DELETE trigger (recursive_triggers is off): the asks of its old code are cleared before.
_STATES_REPLACED = """CREATE TRIGGER IF NOT EXISTS states_lists_replace BEFORE INSERT ON states
    BEGIN UPDATE recommendation_lists SET regional_groups = NULL
        WHERE regional_groups IS NOT NULL AND recommendation_id IN (
            SELECT rs.recommendation_id FROM recommendation_states rs
            JOIN states s ON s.iso3 = rs.iso3 WHERE s.name = new.name); END"""


def _list_triggers() -> list[str]:
    return [*_ROW_TRIGGERS, *_clearing_triggers(), _STATES_REPLACED]


def _views_digest() -> str:
    return hashlib.sha256("\n".join((*VIEWS, *_list_triggers())).encode("utf-8")).hexdigest()


def views_current(db: sqlite3.Connection) -> bool:
    """True when the index's views and list triggers are this uprdex's, and every
    recommendation has its row of lists (read only): a view or trigger whose definition
    changed, or one another program dropped (a table rebuilt in DB Browser drops its
    triggers), is made again on open, whatever the schema version."""
    if not views_ours(db):
        return False
    present = {name for (name,) in db.execute("SELECT name FROM sqlite_master")}
    wanted = set(_TRIGGER_NAME.findall("\n".join(_list_triggers())))
    wanted |= set(view_names())
    if not wanted <= present or "recommendation_lists" not in present:
        return False
    (rows_match,) = db.execute(
        "SELECT (SELECT count(*) FROM recommendations) "
        "= (SELECT count(*) FROM recommendation_lists)"
    ).fetchone()
    return bool(rows_match)


def view_names() -> list[str]:
    """The names of the views uprdex makes, in the order it makes them."""
    return _VIEW_NAME.findall("\n".join(VIEWS))


def views_ours(db: sqlite3.Connection) -> bool:
    """True when this uprdex made the index's views (its digest is recorded): a false
    `views_current` then means another program dropped a view, a trigger or rows, not a
    release."""
    row = db.execute("SELECT value FROM meta WHERE key = 'views_sha256'").fetchone()
    return row is not None and row[0] == _views_digest()


def refresh_views(db: sqlite3.Connection) -> None:
    """Drop and create the views and the list triggers (inside the caller's transaction), add
    the missing rows of lists and drop those of no recommendation, clear every list (the
    commit computes them again: a trigger that was missing let them go stale) and record the
    digest."""
    drop_views(db)
    for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
        if "_lists_" in name:
            db.execute(f"DROP TRIGGER {name}")
    add_lists(db)
    db.execute(  # rows of recommendations gone while a trigger was missing
        "DELETE FROM recommendation_lists WHERE recommendation_id NOT IN "
        "(SELECT id FROM recommendations)"
    )
    create_views(db)
    db.execute("INSERT OR REPLACE INTO meta VALUES ('views_sha256', ?)", (_views_digest(),))


def _shipped() -> tuple[bytes, str]:
    raw = data_path("states.csv").read_bytes()
    return raw, hashlib.sha256(raw).hexdigest()


def states_current(db: sqlite3.Connection) -> bool:
    """True when the index's `states` table is the shipped data/states.csv (read only)."""
    row = db.execute("SELECT value FROM meta WHERE key = 'states_sha256'").fetchone()
    return row is not None and row[0] == _shipped()[1]


def sync_states(db: sqlite3.Connection) -> None:
    """Bring the index's `states` table to the shipped data/states.csv (inside the caller's
    transaction); nothing is written when it already matches."""
    if states_current(db):
        return
    raw, digest = _shipped()
    rows = csv.DictReader(raw.decode("utf-8").splitlines())
    db.execute("DELETE FROM states")
    db.executemany(
        "INSERT OR REPLACE INTO states VALUES (?, ?, ?, ?)",
        [(r["name"], r["iso3"] or None, r["kind"], r.get("regional_group") or None) for r in rows],
    )
    db.execute("INSERT OR REPLACE INTO meta VALUES ('states_sha256', ?)", (digest,))
