"""`uprdex browse`: the index in the browser with Datasette, read-only, on this machine.

Datasette gets the index file, the column descriptions of data/schema.yaml, facets for the
questions researchers ask (State under review, cycle, response and uprdex's reading of the
answer, theme, recommending State and regional group, cluster), full-text search over
recommendations and evidence, and three canned queries. A small plugin links each evidence row
to its PDF at the cited page (served from the indexed file when it is still there, unchanged)
and each cluster id to its members. Every page has a JSON twin (add `.json`): the read API.

Example:
    serve(Path("data/index.sqlite"), port=8001)   # http://127.0.0.1:8001/
"""

from __future__ import annotations

import html
import json
import mimetypes
import sqlite3
import textwrap
from collections.abc import Callable, Mapping
from contextlib import closing
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import quote

import yaml

from uprdex.pipeline.browse_search import (
    PARTS_TABLES,
    SEARCHED,
    TABLE_NAMES,
    asked_filter,
    register_escape_fts,
)
from uprdex.pipeline.extras import require
from uprdex.pipeline.resources import data_path

__all__ = [
    "QUERIES",
    "build_datasette",
    "metadata",
    "parts_stored",
    "schema",
    "serve",
    "views_behind",
]

_PARAGRAPH_ORDER = (
    "CAST(substr(paragraph, 1, instr(paragraph, '.') - 1) AS INTEGER), "
    "CAST(substr(paragraph, instr(paragraph, '.') + 1) AS INTEGER)"
)


@dataclass(frozen=True)
class _Canned:
    """A canned query: the columns it shows of each view it reads (`shown`: the view as its
    SQL names it, "recommendation_details r", and the columns, "id, cycle"), and its SQL after
    the SELECT list (`reads`)."""

    title: str
    description: str
    shown: tuple[tuple[str, str], ...]
    reads: str

    def query(self, columns: Mapping[str, set[str]] | None) -> dict[str, Any]:
        """Datasette's query, showing the columns the index's views have (`columns`; None:
        all): an earlier uprdex's view, served as it is, lacks some, and Datasette fails a
        query on a column it does not find. A view whose columns are not known keeps all."""
        selected = []
        for named, wanted in self.shown:
            view, _, alias = named.partition(" ")
            held = (columns or {}).get(view)
            selected += [
                f"{alias}.{column}" if alias else column
                for column in (name.strip() for name in wanted.split(","))
                if not held or column in held
            ]
        select = textwrap.fill(f"SELECT {', '.join(selected)}", width=92, subsequent_indent="    ")
        return {
            "title": self.title,
            "hide_sql": True,
            "description": self.description,
            "sql": f"{select}\n{self.reads}",
        }


_CANNED = {
    "cluster_members": _Canned(
        title="Recommendations of this cluster",
        description="Every member of one duplicate cluster, with its States, response (and "
        "uprdex's reading of the State's answer, such as supported in part: the State's words "
        "are in its response source) and evidence (cluster ids are on the Recommendations and "
        "Clusters pages).",
        shown=(
            (
                "recommendation_details",
                "id, state_under_review, cycle, paragraph, text, recommending_states, response, "
                "response_detail, themes, evidence_documents, latest_evidence",
            ),
        ),
        reads=f"""FROM recommendation_details
WHERE cluster_id = :cluster_id
ORDER BY cycle, document_symbol, {_PARAGRAPH_ORDER}""",
    ),
    "recommendation_evidence": _Canned(
        title="Evidence for a recommendation",
        description="Every document place that cites or echoes one recommendation "
        "(id like A/HRC/28/15#115.18), newest first, with a link to the PDF page.",
        shown=(
            (
                "evidence_pages",
                "document_date, document_type, document_symbol, kind, page, footnote, "
                "as_printed, context, pdf_page, document_path, document_sha256",
            ),
        ),
        reads="""FROM evidence_pages
WHERE recommendation_id = :recommendation_id
ORDER BY document_date DESC, document_symbol, page""",
    ),
    "noted_with_evidence_since": _Canned(
        title="Noted recommendations of a State with their evidence since a date",
        description="The recommendations a State under review noted (did not accept), with "
        "uprdex's reading of the State's answer where it said more (supported in part; the "
        "State's words are in the paragraph its response source names), each with the evidence "
        "of documents dated on or after `since` (2019, 2019-06 or 2019-06-30; empty: all); a "
        "recommendation with none shows one row without evidence.",
        shown=(
            (
                "recommendation_details r",
                "id, cycle, paragraph, text, response_detail, recommending_states, themes",
            ),
            (
                "evidence_pages e",
                "document_date, document_type, document_symbol, kind, page, context, "
                "pdf_page, document_path, document_sha256",
            ),
        ),
        reads=f"""FROM recommendation_details r
LEFT JOIN evidence_pages e ON e.recommendation_id = r.id
    AND e.document_date >= substr(:since, 1, length(e.document_date))
WHERE r.state_under_review = :state_under_review AND r.response = 'noted'
ORDER BY r.cycle, r.document_symbol, {_PARAGRAPH_ORDER.replace("paragraph", "r.paragraph")},
    e.document_date""",
    ),
}


def _queries(columns: Mapping[str, set[str]] | None) -> dict[str, dict[str, Any]]:
    """The canned queries as the index's views answer them (`columns`; None: this uprdex's)."""
    return {name: canned.query(columns) for name, canned in _CANNED.items()}


QUERIES = _queries(None)
"""Canned queries (Datasette shows each as a form with its parameters)."""

# What each view is faceted and searched by; tables get Datasette's defaults.
_BROWSING: dict[str, dict[str, Any]] = {
    "recommendation_details": {
        "facets": [
            "state_under_review",
            "cycle",
            "response",
            "response_detail",
            {"list": "themes"},
            {"list": "recommending_states"},
            {"list": "regional_groups"},
            "cluster_id",
        ],
        **SEARCHED["recommendation_details"],
    },
    "recommendation_by_state": {
        "facets": [
            "state_under_review",
            "cycle",
            "response",
            "response_detail",
            "recommending_state",
            "regional_group",
            {"list": "themes"},
        ],
        **SEARCHED["recommendation_by_state"],
    },
    "evidence_pages": {
        "facets": ["state_under_review", "document_type", "kind"],
        **SEARCHED["evidence_pages"],
    },
    "cluster_overview": {
        "facets": [{"list": "states_under_review"}, "recurring", "curated"],
        "sort_desc": "size",
    },
}

# What tells a row of each view from the others: a list facet reads only these and its lists.
_ROW_KEYS = {
    "recommendation_details": ("id",),
    "recommendation_by_state": ("recommendation_id", "recommending_state"),
    "cluster_overview": ("cluster_id",),
}

_HOME = """<p>Recommendations made to States in the UN Universal Periodic Review, their
responses, themes and duplicate clusters, and every document page that cites them.</p>
<p>Start with <a href="/{db}/recommendation_details">Recommendations</a> (filter by State,
cycle, response, theme, recommending State or regional group; search the text),
<a href="/{db}/recommendation_by_state">one row per recommending State</a>,
<a href="/{db}/evidence_pages">Evidence</a> or <a href="/{db}/cluster_overview">Clusters</a>.
Queries: <a href="/{db}/cluster_members">recommendations of a cluster</a>,
<a href="/{db}/recommendation_evidence">evidence for a recommendation</a>,
<a href="/{db}/noted_with_evidence_since">noted recommendations with their evidence since a
date</a>. Add <code>.json</code> to any page's address for its data.</p>"""


@lru_cache(maxsize=1)
def schema() -> dict[str, dict[str, Any]]:
    """data/schema.yaml: each table and view with its title, description and columns."""
    loaded = yaml.safe_load(data_path("schema.yaml").read_text(encoding="utf-8"))
    return dict(loaded)


def metadata(database: str, columns: Mapping[str, set[str]] | None = None) -> dict[str, Any]:
    """Datasette metadata for an index served under the name `database`; with the `columns`
    of its views, a facet on a column its view lacks (an earlier uprdex's view, served as it
    is) is left out: Datasette fails the whole page on it ("no such column")."""
    tables: dict[str, dict[str, Any]] = {}
    for name, entry in schema().items():
        table: dict[str, Any] = {"description": entry["description"].strip()}
        if entry.get("hidden"):
            table["hidden"] = True
        else:
            table["title"] = entry["title"]
            table["columns"] = dict(entry["columns"])
        browsing = dict(_BROWSING.get(name, {}))
        if "facets" in browsing and columns is not None and name in columns:
            browsing["facets"] = [
                f for f in browsing["facets"] if not isinstance(f, str) or f in columns[name]
            ]
        tables[name] = {**table, **browsing}
    for fts in ("recommendations_fts", "evidence_fts", "recommendation_asked_fts"):
        tables[fts] = {"hidden": True}
    return {
        "title": "uprdex: UPR recommendations and their evidence",
        "description_html": _HOME.format(db=quote(database)),
        "source": "UN/OHCHR documents (and UPR Info, where imported)",
        "databases": {database: {"tables": tables, "queries": _queries(columns)}},
    }


def build_datasette(index: Path) -> Any:
    """A Datasette instance serving this index read-only, with uprdex's metadata and plugin."""
    datasette = require("datasette.app", "browse", "uprdex browse")
    database = index.stem
    instance = datasette.Datasette(
        files=[str(index)],
        metadata=metadata(database, _view_columns(index)),
        settings={
            # Facets over a view compute its JSON columns for every row: give them time.
            "facet_time_limit_ms": 2000,
            "sql_time_limit_ms": 5000,
            "allow_download": False,
            "suggest_facets": False,
        },
    )
    if database not in instance.databases:
        raise RuntimeError(f"Datasette named the index {list(instance.databases)}")
    _register_plugin()
    return instance


def parts_stored(index: Path) -> bool:
    """Whether the index holds the parts of compound recommendations that a searched page's
    parts rule reads (`browse_search.asked_filter`): one an earlier uprdex wrote, served as it
    is, does not.
    True when the index cannot be read here (Datasette says why)."""
    try:
        with closing(sqlite3.connect(f"{index.absolute().as_uri()}?mode=ro", uri=True)) as db:
            return {name for (name,) in db.execute(TABLE_NAMES)} >= PARTS_TABLES
    except (sqlite3.Error, ValueError):
        return True


def _view_columns(index: Path) -> dict[str, set[str]] | None:
    """The columns of each view of the index (None when it cannot be read here); a view that
    no longer reads (another program dropped a table under it) is left out, not the others."""
    try:
        with closing(sqlite3.connect(f"{index.absolute().as_uri()}?mode=ro", uri=True)) as db:
            found = {}
            for (name,) in db.execute(_VIEW_NAMES).fetchall():
                try:  # a view another program broke: Datasette says why on its page
                    found[name] = set(_columns(db, name))
                except sqlite3.Error:
                    continue
            return found
    except (sqlite3.Error, ValueError):
        return None


def views_behind(index: Path) -> str | None:
    """What the views of an index browse serves as it is (it could not bring them up to date)
    are, beside this uprdex's: "its views are an older uprdex's (schema 7; this one's 8),
    without response_detail, response_conflict"; None when they are this uprdex's, or the
    index cannot be read here."""
    from uprdex.pipeline.store.schema import SCHEMA_VERSION, schema_version, view_columns
    from uprdex.pipeline.views import views_current, views_ours

    try:
        with closing(sqlite3.connect(f"{index.absolute().as_uri()}?mode=ro", uri=True)) as db:
            version = schema_version(db)
            if version == SCHEMA_VERSION and views_current(db):
                return None
            dropped = version == SCHEMA_VERSION and views_ours(db)
            current = view_columns()
            held = {name: set(_columns(db, name)) for name in current}
    except (sqlite3.Error, ValueError):
        return None
    if dropped:
        return "its views, list triggers or lists are not all there (another program changed it)"
    lacking = [
        column
        for name, columns in current.items()
        for column in columns
        if column not in held[name]
    ]
    schemas = f" (schema {version}; this one's {SCHEMA_VERSION})" * (version != SCHEMA_VERSION)
    whose = "a newer uprdex's" if version > SCHEMA_VERSION else "an older uprdex's"
    if version == SCHEMA_VERSION and not lacking:
        whose = "another uprdex release's"
    return f"its views are {whose}{schemas}" + (
        f", without {', '.join(dict.fromkeys(lacking))}" if lacking else ""
    )


def _columns(db: sqlite3.Connection, name: str) -> list[str]:
    return [row[1] for row in db.execute(f"PRAGMA table_info('{name}')")]


_VIEW_NAMES = "SELECT name FROM sqlite_master WHERE type = 'view'"


def serve(index: Path, port: int) -> None:
    """Serve the index to this machine only (127.0.0.1) until interrupted (Ctrl-C)."""
    uvicorn = require("uvicorn", "browse", "uprdex browse")
    instance = build_datasette(index)
    uvicorn.run(instance.app(), host="127.0.0.1", port=port, log_level="warning")


# --- the plugin ----------------------------------------------------------------------------


def _register_plugin() -> None:
    """Datasette hooks (once per process): the route that serves an indexed document, and
    links in cells."""
    from datasette import hookimpl
    from datasette.plugins import pm

    if pm.get_plugin(_PLUGIN) is None:
        plugin = ModuleType(_PLUGIN)
        plugin.register_routes = hookimpl(_routes)  # type: ignore[attr-defined]
        plugin.render_cell = hookimpl(_cell)  # type: ignore[attr-defined]
        plugin.extra_body_script = hookimpl(_script)  # type: ignore[attr-defined]
        plugin.register_facet_classes = hookimpl(_facet_classes)  # type: ignore[attr-defined]
        plugin.filters_from_request = hookimpl(asked_filter)  # type: ignore[attr-defined]
        # after Datasette's own (which registers escape_fts), so that this one is the one kept
        plugin.prepare_connection = hookimpl(trylast=True)(register_escape_fts)  # type: ignore[attr-defined]
        plugin.handle_exception = hookimpl(_error_page)  # type: ignore[attr-defined]
        # in its stead: Datasette awaits every handler's page, so its own would still print
        pm.unregister(name=_DATASETTE_ERRORS)
        pm.register(plugin, name=_PLUGIN)


_DATASETTE_ERRORS = "datasette.handle_exception"


def _error_page(datasette: Any, request: Any, exception: Exception) -> Any:
    """Datasette's own error page, without the traceback it prints in the terminal for every
    error when the page is not there (404: a mistyped table, an old bookmark) or the request is
    bad (400); a server error (500) prints it, as Datasette does."""
    import rich
    from datasette.handle_exception import handle_exception

    page = handle_exception(datasette, request, exception)
    if getattr(exception, "status", 500) >= 500:
        return page

    async def quietly() -> Any:
        with rich.get_console().capture():
            return await page()

    return quietly


_PLUGIN = "uprdex"
_PDF_ROUTE = "/-/uprdex/document/"


# A table page opens on its rows: the column descriptions fold under one line, and each column
# heading shows its own on hover.
_SCRIPT = """
document.querySelectorAll("dl.column-descriptions").forEach(function (list) {
  var details = document.createElement("details");
  var summary = document.createElement("summary");
  summary.textContent = "What each column holds";
  list.parentNode.insertBefore(details, list);
  details.appendChild(summary);
  details.appendChild(list);
});
document.querySelectorAll("th[data-column-description]").forEach(function (heading) {
  heading.title = heading.getAttribute("data-column-description");
});
"""

_JSON_LISTS = frozenset(
    {"recommending_states", "regional_groups", "themes", "states_under_review", "cycles"}
)
_RESPONSE_COLOURS = {
    "supported": "#d8f0dc",
    "noted": "#fbe0c8",
    "pending": "#f1f1f1",
    "unknown": "#ffffff",
}


def _script() -> str:
    return _SCRIPT


def _facet_classes() -> list[type]:
    """Facets of the JSON lists (`{"list": COLUMN}`): Datasette's array facet over the rows'
    keys and lists only. Its own SQL (`select distinct j.value, inner.*` over the whole rows)
    sorts every column, the text too, once per item of a list: on 117,204 asks each list
    facet took 1-3 s and the Recommendations page lost three of them ("These facets timed
    out"). The same values and counts (a row is told from the others by its keys)."""
    from datasette.facets import ArrayFacet
    from datasette.utils import escape_sqlite

    class ListFacet(ArrayFacet):  # type: ignore[misc]
        type = "list"
        sql: str
        _only: Any = None  # the one configuration facet_results computes

        async def suggest(self) -> list[Any]:
            return []

        def get_configs(self) -> list[Any]:
            return [self._only] if self._only is not None else list(super().get_configs())

        async def facet_results(self) -> Any:
            keys = _ROW_KEYS.get(self.table)
            if not keys:
                return await super().facet_results()
            whole, results, timed_out = self.sql, [], []
            try:
                for config in self.get_configs():  # each over the keys and its one list
                    column = config["config"].get("column") or config["config"]["simple"]
                    read = ", ".join(escape_sqlite(c) for c in dict.fromkeys((*keys, column)))
                    self.sql, self._only = f"select {read} from ({whole})", config
                    found, late = await super().facet_results()
                    results.extend(found)
                    timed_out.extend(late)
            finally:
                self.sql, self._only = whole, None
            return results, timed_out

    return [ListFacet]


def _routes() -> list[tuple[str, Callable[..., Any]]]:
    return [(rf"^{_PDF_ROUTE}(?P<sha256>[0-9a-f]{{64}})$", _document)]


def _cell(
    row: Mapping[str, Any], value: Any, column: str, database: str, datasette: Any
) -> str | None:
    """A link for a PDF page, a cluster id or a recommendation id; None: Datasette's own."""
    from markupsafe import Markup

    if value is None or value == "":
        return None
    keys = set(row.keys())
    if column in _JSON_LISTS and isinstance(value, str) and value.startswith("["):
        try:
            items = json.loads(value)
        except ValueError:
            return None
        return ", ".join(str(item) for item in items)
    if column == "response" and value in _RESPONSE_COLOURS:
        colour = _RESPONSE_COLOURS[value]
        return Markup(
            f'<span class="response" style="background:{colour};padding:0 .3em">{value}</span>'
        )
    if column == "pdf_page" and {"document_path", "document_sha256"} <= keys:
        from uprdex.pipeline.locations import located

        stored = str(row["document_path"])  # a name not UTF-8 escaped (`path_text`)
        page = str(value).rpartition("#page=")[2]
        label = html.escape(f"{Path(stored).name} p. {page}")
        index = Path(datasette.get_database(database).path)
        if not located(stored, index, str(row["document_sha256"])).is_file():
            return Markup(f'<span class="muted" title="file not found">{label} (not here)</span>')
        href = datasette.urls.path(f"{_PDF_ROUTE}{row['document_sha256']}") + f"#page={page}"
        return Markup(f'<a href="{html.escape(href)}">{label}</a>')
    if column == "cluster_id":
        href = datasette.urls.query(database, "cluster_members") + "?cluster_id=" + quote(value)
        return Markup(f'<a href="{html.escape(href)}">{html.escape(str(value))}</a>')
    if column in ("id", "recommendation_id") and "#" in str(value) and "text" in keys:
        href = (
            datasette.urls.query(database, "recommendation_evidence")
            + "?recommendation_id="
            + quote(str(value), safe="")
        )
        return Markup(f'<a href="{html.escape(href)}">{html.escape(str(value))}</a>')
    return None


async def _document(datasette: Any, request: Any) -> Any:
    """The indexed file with this SHA-256, when it is still at its path and unchanged."""
    from datasette.utils.asgi import AsgiFileDownload, Response

    sha256 = request.url_vars["sha256"]
    database = datasette.get_database()
    rows = await database.execute("SELECT path FROM documents WHERE sha256 = ?", [sha256])
    if not rows.rows:
        return Response.text("no such document in the index", status=404)
    from uprdex.pipeline.locations import holds, located
    from uprdex.pipeline.names import path_text

    path = located(rows.rows[0]["path"], Path(database.path), sha256)
    shown = path_text(path)
    if not path.is_file():
        return Response.text(f"{shown} is not there any more", status=404)
    if not holds(path, sha256):
        return Response.text(f"{shown} changed since it was indexed", status=404)
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return AsgiFileDownload(str(path), content_type=kind)
