"""The HTML evidence report: static pages that open offline, for one State under review or all.

Pages are rendered from Jinja2 templates (pipeline/templates) with autoescaping on, so text read
from PDFs always shows as text. Charts are inline SVG built here; there is no JavaScript, and a
Content-Security-Policy forbids any. For all States, `index.html` links one page per State under
review, so a large index never makes one huge page.
"""

from __future__ import annotations

import functools
import os
import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from uprdex.pipeline.cluster_reasons import Reasons, reasons
from uprdex.pipeline.clusters import core_cut
from uprdex.pipeline.exports import answer_detail, asked_by, evidence_records, records
from uprdex.pipeline.files import write_whole
from uprdex.pipeline.model import Position
from uprdex.pipeline.names import text_path
from uprdex.pipeline.states import load_states
from uprdex.pipeline.store import RecFilter, Store
from uprdex.pipeline.text import CONTROL, visible_controls
from uprdex.pipeline.unanswered import unanswered

__all__ = ["write_report"]

Record = dict[str, Any]

_TEMPLATES = Path(__file__).resolve().parent / "templates"
RESPONSES = tuple(position.value for position in Position)
TOP_STATES = 20
INDEX_CLUSTERS = 100
"""The index page lists this many of the largest clusters; State pages list all of theirs."""
_BAR_SPAN = 260.0
"""Pixels of the longest bar."""
_LABEL_CHARS = 28
_NOT_ANCHOR = re.compile(r"[^A-Za-z0-9.]+")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
# Bidirectional embeddings, overrides and isolates: a right-to-left override in a PDF's text
# must not turn around the page text that follows it.
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
_ODD = re.compile(f"{CONTROL.pattern}|{_BIDI.pattern}")
"""What `_shown` changes: a control character or a bidirectional control."""


@dataclass(frozen=True, slots=True)
class Segment:
    """One coloured part of a bar: a response, or the whole bar of a one-series chart."""

    label: str
    value: int
    x: float
    width: float


@dataclass(frozen=True, slots=True)
class Bar:
    """One row of a horizontal bar chart: full label, total and stacked segments."""

    label: str
    total: int
    segments: tuple[Segment, ...]
    note: str = ""

    @property
    def short_label(self) -> str:
        """The label cut to fit the label column (the full one is the tooltip)."""
        if len(self.label) <= _LABEL_CHARS:
            return self.label
        return self.label[: _LABEL_CHARS - 1].rstrip() + "…"

    @property
    def end(self) -> float:
        """Where the bar ends, in pixels from its start (the value is printed after it)."""
        return sum(segment.width for segment in self.segments)

    @property
    def value_text(self) -> str:
        """What is printed after the bar: "163 — 142 supported, 21 noted"."""
        return f"{self.total} — {self.note}" if self.note else str(self.total)


@dataclass(frozen=True, slots=True)
class Chart:
    """A horizontal bar chart; `legend` names the segments when bars are stacked."""

    title: str
    bars: tuple[Bar, ...]
    legend: tuple[str, ...] = ()
    more: int = 0

    @property
    def value_width(self) -> int:
        """Pixels for the longest text after a bar (about 7 a character at 12 px), so that
        "18425 — 13523 supported, 4901 noted, 1 pending" is never cut."""
        return 7 * max((len(bar.value_text) for bar in self.bars), default=0) + 12


@dataclass(frozen=True, slots=True)
class Coverage:
    """Recommendations of one cycle with and without evidence of follow-up."""

    cycle: int | None
    year: int | None
    with_evidence: tuple[Record, ...]
    without: tuple[Record, ...]


@dataclass(frozen=True, slots=True)
class _Data:
    """Everything the report reads from the index, keyed for lookup."""

    recs: list[Record]
    evidence: dict[str, list[Record]]
    follow_up: dict[str, list[Record]]
    """Evidence from other documents than the State's own comments on its review: what
    coverage counts (an addendum's "Slovenia supports 122.2-4 ..." is no follow-up)."""
    documents: dict[str, Record]
    clusters: list[Record] | None
    by_id: dict[str, Record]
    reasons: dict[str, Reasons]
    """Why each cluster's members are together (closest member and score, corrections)."""
    core: float = 1.0
    """Member confidence from which a member is its cluster's sure core (`core_cut`)."""
    in_clusters: dict[str, list[Record]] = field(default_factory=dict)
    """Member id -> the clusters of two or more it is in: each page finds its own clusters
    without reading every cluster of the index (181 States, 21,435 clusters: 2.8 s)."""


def write_report(
    store: Store,
    out_dir: Path,
    state_under_review: str | None = None,
    only: Collection[str] | None = None,
    built: Mapping[str, list[Record]] | None = None,
) -> Path:
    """Write the HTML evidence report into `out_dir` and return the page to open.

    With a State under review, one page `<state>.html` holds its overview, clusters, coverage
    and one anchor per recommendation. Without, `index.html` shows the overview of all States
    and links one such page per State under review; `only` limits the State pages rewritten
    to those States (the nightly run passes the States its new documents touched); `built`,
    the export records of the whole index just built from `store` (`records`, by kind), which
    the report then does not read again.

    Example:
        >>> write_report(Store(Path("data/index.sqlite")), Path("data/reports"), "Slovenia")
        PosixPath('data/reports/slovenia.html')
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    data = _load(store, state_under_review, built or {})
    env = _environment()
    by_state: dict[str, list[Record]] = {}
    for rec in data.recs:
        by_state.setdefault(rec["state_under_review"] or "Unknown", []).append(rec)
    if state_under_review is not None and not by_state:
        by_state[state_under_review] = []
    pages = {state: f"{_slug(state)}.html" for state in by_state}
    locations = {
        rec["id"]: f"{pages[state]}#{_anchor(rec['id'])}"
        for state, recs in by_state.items()
        for rec in recs
    }
    home = "index.html" if state_under_review is None else None
    links = functools.partial(_pdf_href, out_dir=out_dir, index=store.path)
    for state, recs in by_state.items():
        if only is not None and state not in only and (out_dir / pages[state]).exists():
            continue
        html = _state_page(env, data, state, recs, locations, links, home)
        write_whole(out_dir / pages[state], html.encode("utf-8"))
    if home is None:
        return out_dir / pages[next(iter(by_state))]
    html = env.get_template("index.html.j2").render(
        title="All States under review",
        home=None,
        states=_state_rows(by_state, data.follow_up, pages),
        **_sections(data, data.recs, locations, INDEX_CLUSTERS),
    )
    write_whole(out_dir / home, html.encode("utf-8"))
    return out_dir / home


def _state_page(
    env: Environment,
    data: _Data,
    state: str,
    recs: list[Record],
    locations: Mapping[str, str],
    links: Callable[[str, int | None], str],
    home: str | None,
) -> str:
    """The page of one State under review: sections, every recommendation, its documents."""
    return env.get_template("state.html.j2").render(
        title=state,
        home=home,
        **_sections(data, recs, locations, None),
        evidence=data.evidence,
        follow_up=data.follow_up,
        documents=_documents_of(recs, data.evidence, data.documents, links),
        sources=data.documents,
        unanswered=unanswered(recs, data.documents.values()),
        pdf_href=links,
    )


def _load(store: Store, state_under_review: str | None, built: Mapping[str, list[Record]]) -> _Data:
    """Recommendations, their evidence, documents and clusters (None until computed); those
    of `built` (every State's) as they are, for all States."""
    where = RecFilter(state_under_review=state_under_review)

    def read(kind: str, where: RecFilter | None = where) -> list[Record]:
        if state_under_review is None and kind in built:
            return built[kind]
        return records(store, kind, where)

    evidence: dict[str, list[Record]] = {}
    follow_up: dict[str, list[Record]] = {}
    for item in evidence_records(store, where, own_report=True):
        evidence.setdefault(item["recommendation_id"], []).append(item)
        if not item["state_comment"]:
            follow_up.setdefault(item["recommendation_id"], []).append(item)
    try:
        clusters: list[Record] | None = read("clusters")
    except ValueError:
        clusters = None
    recs = read("recommendations")
    multi = [c for c in clusters or () if c["size"] > 1]
    in_clusters: dict[str, list[Record]] = {}
    for cluster in multi:
        for member in cluster["members"]:
            in_clusters.setdefault(member, []).append(cluster)
    texts = {rec["id"]: rec["text"] for rec in recs}
    return _Data(
        recs=recs,
        evidence=evidence,
        follow_up=follow_up,
        documents={doc["sha256"]: doc for doc in read("documents", None)},
        clusters=clusters,
        by_id={rec["id"]: rec for rec in recs},
        reasons=(
            reasons(multi, texts, store.cluster_settings(), {r["id"]: r["cycle"] for r in recs})
            if multi
            else {}
        ),
        core=core_cut(store.cluster_settings()),
        in_clusters=in_clusters,
    )


def _shown(value: Any) -> Any:
    """Text from a document as the page shows it: control characters as their control
    pictures ("␇"), and text that holds bidirectional controls isolated (U+2068 ... U+2069),
    so that an override it opens ends with it. Markup the templates made passes as it is."""
    if type(value) is not str and (not isinstance(value, str) or isinstance(value, Markup)):
        return value
    if not _ODD.search(value):  # nearly every text: a million on a page per State of 181
        return value
    text = visible_controls(value)  # HTML calls them parse errors; browsers show nothing
    return f"\u2068{text}\u2069" if _BIDI.search(text) else text


def _environment() -> Environment:
    """Jinja2 with autoescaping on for every template, and the report's filters."""
    env = Environment(
        loader=FileSystemLoader(_TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        finalize=_shown,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["anchor"] = _anchor
    env.filters["asked_by"] = asked_by
    env.filters["answer_detail"] = answer_detail
    env.filters["printed_as"] = _printed_as
    env.globals["RESPONSES"] = RESPONSES
    env.globals["BAR_SPAN"] = _BAR_SPAN
    return env


def _sections(
    data: _Data,
    recs: list[Record],
    locations: Mapping[str, str],
    cluster_limit: int | None,
) -> dict[str, Any]:
    """Template variables shared by the index and State pages."""
    clusters = None if data.clusters is None else _clusters_of(data, recs)
    return {
        "recs": recs,
        "charts": _charts(recs),
        "coverage": _coverage(recs, data.follow_up),
        "clusters": None if clusters is None else clusters[:cluster_limit],
        "clusters_total": 0 if clusters is None else len(clusters),
        "cluster_sizes": {c["cluster_id"]: c["size"] for c in clusters or ()},
        "by_id": data.by_id,
        "locations": locations,
        "reasons": data.reasons,
        "core": data.core,
    }


def _anchor(rec_id: str) -> str:
    """HTML id of a recommendation: "A/HRC/28/15#115.10" -> "rec-A-HRC-28-15-115.10"."""
    return "rec-" + _NOT_ANCHOR.sub("-", rec_id).strip("-")


def _slug(state: str) -> str:
    """File-name stem of a State's page: "Iran (Islamic Republic of)" -> "iran-islamic-..."."""
    return _NOT_SLUG.sub("-", state.casefold()).strip("-") or "unknown"


def _pdf_href(path: str, page: int | None, out_dir: Path, index: Path) -> str:
    """Link from a report page to a PDF page. Relative when the report and the PDF are both
    in the workspace (the index's folder: `locations`), so that the workspace can move or be
    copied whole; else the PDF's absolute `file:` URL, which opens wherever the report goes.
    A name that is not UTF-8 (stored escaped: `path_text`) is linked by its bytes
    ("caf%E9.pdf"), which a browser opens."""
    target = text_path(path).resolve()
    folder = index.resolve().parent
    fragment = f"#page={page}" if page else ""
    if not (target.is_relative_to(folder) and out_dir.resolve().is_relative_to(folder)):
        return target.as_uri() + fragment
    relative = os.path.relpath(target, out_dir.resolve())
    return quote(os.fsencode(Path(relative).as_posix())) + fragment


def _bars(counts: Iterable[tuple[str, Mapping[str, int]]], keys: Sequence[str]) -> list[Bar]:
    """Bars scaled to the largest total; a segment per key with a count."""
    rows = [(label, [(key, parts.get(key, 0)) for key in keys]) for label, parts in counts]
    largest = max((sum(value for _, value in parts) for _, parts in rows), default=0) or 1
    bars = []
    for label, parts in rows:
        x, segments = 0.0, []
        for key, value in parts:
            if value:
                width = value / largest * _BAR_SPAN
                segments.append(Segment(key, value, x, width))
                x += width
        total = sum(value for _, value in parts)
        note = ", ".join(f"{v} {k}" for k, v in parts if v) if len(keys) > 1 else ""
        bars.append(Bar(label, total, tuple(segments), note))
    return bars


def _charts(recs: Sequence[Record]) -> list[Chart]:
    """Recommendations per cycle and response, per theme, per regional group and per
    recommending State."""
    by_cycle: dict[str, Counter[str]] = {}
    for rec in sorted(recs, key=lambda r: r["cycle"] or 0):
        label = f"Cycle {rec['cycle']}" if rec["cycle"] else "Cycle unknown"
        by_cycle.setdefault(label, Counter())[rec["response"]] += 1
    themes = Counter(theme for rec in recs for theme in rec["themes"])
    states = Counter(state for rec in recs for state in rec["recommending_states"])
    table = load_states()
    groups: Counter[str] = Counter()
    for state, count in states.items():  # each State read once, in the order first asked
        found = table.resolve(state)
        groups[(found.regional_group if found else None) or "Not a UN group"] += count
    return [
        Chart("Per cycle and response", tuple(_bars(by_cycle.items(), RESPONSES)), RESPONSES),
        _ranked("Per theme", themes, None),
        _ranked("Per regional group of the recommending State", groups, None),
        _ranked(f"Per recommending State (top {TOP_STATES})", states, TOP_STATES),
    ]


def _ranked(title: str, counts: Counter[str], limit: int | None) -> Chart:
    """A one-series chart of the most common labels, largest first."""
    top = counts.most_common(limit)
    bars = _bars(((label, {"count": n}) for label, n in top), ("count",))
    return Chart(title, tuple(bars), more=len(counts) - len(top))


def _coverage(recs: Sequence[Record], evidence: Mapping[str, list[Record]]) -> list[Coverage]:
    """Per cycle, which recommendations some later document cites or echoes and which none."""
    groups: dict[tuple[int | None, int | None], tuple[list[Record], list[Record]]] = {}
    for rec in recs:
        found, missing = groups.setdefault((rec["cycle"], rec["year"]), ([], []))
        (found if evidence.get(rec["id"]) else missing).append(rec)
    return [
        Coverage(cycle, year, tuple(found), tuple(missing))
        for (cycle, year), (found, missing) in sorted(groups.items(), key=lambda kv: str(kv[0]))
    ]


def _printed_as(rec: Record) -> str | None:
    """How the report prints an ask's number where that is not its paragraph: '"1." under
    paragraph 90' (a cycle-1 list numbered anew), '"136.69"' (a misprint read as 138.69);
    None when it prints the paragraph ("115.18", "99.1.", "45 (a)")."""
    printed, paragraph = rec.get("as_printed"), rec.get("paragraph")
    if not printed or not paragraph:
        return None
    number = "".join(printed.split()).rstrip(".")
    if number == paragraph:
        return None
    head, dot, own = paragraph.rpartition(".")
    if dot and number == own:
        return f"“{printed}” under paragraph {head}"
    return f"“{printed}”"


def _clusters_of(data: _Data, recs: Sequence[Record]) -> list[Record]:
    """Clusters of two or more that include one of these recommendations, largest first."""
    found = {id(c): c for rec in recs for c in data.in_clusters.get(rec["id"], ())}
    return sorted(found.values(), key=lambda c: (-c["size"], c["cluster_id"]))


def _documents_of(
    recs: Sequence[Record],
    evidence: Mapping[str, list[Record]],
    documents: Mapping[str, Record],
    links: Callable[[str, int | None], str],
) -> list[Record]:
    """The documents these recommendations come from or are cited in, with a link each."""
    shas = {rec["source"]["sha256"] for rec in recs}
    shas |= {item["document"]["sha256"] for rec in recs for item in evidence.get(rec["id"], [])}
    found = [documents[sha] for sha in shas if sha in documents]
    return [
        {**doc, "href": links(doc["path"], None)}
        for doc in sorted(found, key=lambda d: (d["year"] or 0, d["symbol"] or d["path"]))
    ]


def _state_rows(
    by_state: Mapping[str, Sequence[Record]],
    evidence: Mapping[str, list[Record]],
    pages: Mapping[str, str],
) -> list[Record]:
    """One row per State under review for the index page: counts and its page."""
    rows = []
    for state in sorted(by_state):
        recs = by_state[state]
        responses = Counter(rec["response"] for rec in recs)
        cited = sum(1 for rec in recs if evidence.get(rec["id"]))
        rows.append(
            {
                "state": state,
                "page": pages[state],
                "recommendations": len(recs),
                "cycles": sorted({rec["cycle"] for rec in recs if rec["cycle"]}),
                "responses": responses,
                "with_evidence": cited,
            }
        )
    return rows
