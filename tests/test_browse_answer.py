"""`uprdex browse` shows the State's own answer wording beside the position: a recommendation
Slovenia "accepts in part" reads "noted" in the index's response, and its views gave nothing
else (`response_detail` and `response_conflict` were in the exports and the report, not in
the views researchers browse). An index whose views an earlier release made gets them on open."""

from __future__ import annotations

import asyncio
import re
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from uprdex.pipeline import views
from uprdex.pipeline.store import Store
from uprdex.pipeline.store.responses import refresh_responses

from helpers import ingested

pytest.importorskip("datasette", reason="the browse extra (datasette) is not installed")

# A/HRC/14/15/Add.1 para 3: "Slovenia accepts in part recommendation 3 ..." (UPR Info: Noted)
IN_PART = "A/HRC/14/15#111.3"
ANSWER = ("response", "response_detail", "response_source", "response_conflict")


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Slovenia 2010: the WG report (111.1-111.59) and its addendum."""
    folder = tmp_path_factory.mktemp("browse_answer")
    return ingested(("slovenia2010_recs.pdf", "svn2010_addendum.pdf"), folder / "index.sqlite")


def _page(index: Path, path: str) -> Any:
    """A page's JSON as `uprdex browse` serves it (Datasette's own client)."""
    from uprdex.pipeline.browse import build_datasette

    async def fetch() -> Any:
        datasette = build_datasette(index)
        await datasette.invoke_startup()
        response = await datasette.client.get(f"/{index.stem}/{path}")
        assert response.status_code == 200, response.text[:2000]
        return response.json()

    return asyncio.run(fetch())


def _rows(index: Path, view: str, **args: str) -> list[dict[str, Any]]:
    """The view's rows (Datasette's JSON API)."""
    rows: list[dict[str, Any]] = _page(
        index, f"{view}.json?{urlencode({**args, '_shape': 'array', '_size': 'max'})}"
    )
    return rows


def _facets(index: Path, view: str) -> dict[str, dict[str, int]]:
    """The counts of each facet of the view's page (its facets computed: not the array shape)."""
    results = _page(index, f"{view}.json")["facet_results"]
    results = results.get("results", results)  # Datasette 1.0 nests them
    return {
        name: {item["value"]: item["count"] for item in facet["results"]}
        for name, facet in results.items()
    }


def _stored(index: Path, rec_id: str) -> dict[str, Any]:
    with Store(index) as store:
        row = store.db.execute(
            f"SELECT {', '.join(ANSWER)} FROM recommendations WHERE id = ?", (rec_id,)
        ).fetchone()
    return dict(zip(ANSWER, row, strict=True))


def test_a_partly_accepted_ask_shows_its_answer_wording_beside_noted(index: Path) -> None:
    assert _stored(index, IN_PART)["response_detail"] == "supported in part"
    (details,) = _rows(index, "recommendation_details", id=IN_PART)
    assert {key: details.get(key) for key in ANSWER} == _stored(index, IN_PART)
    assert (details["response"], details["response_detail"]) == ("noted", "supported in part")
    by_state = _rows(index, "recommendation_by_state", recommendation_id=IN_PART)
    assert by_state
    assert {(row["response"], row.get("response_detail")) for row in by_state} == {
        ("noted", "supported in part")
    }


def test_the_answer_wording_is_a_facet_filter_in_browse(index: Path) -> None:
    rows = _rows(index, "recommendation_details", response_detail="supported in part")
    with Store(index) as store:
        (count,) = store.db.execute(
            "SELECT count(*) FROM recommendations WHERE response_detail = 'supported in part'"
        ).fetchone()
    assert count and len(rows) == count


def test_two_sources_that_disagree_are_shown_in_browse(tmp_path: Path) -> None:
    index = ingested(("slovenia2010_recs.pdf", "svn2010_addendum.pdf"), tmp_path / "i.sqlite")
    with Store(index) as store:
        store.db.execute(
            "UPDATE recommendations SET section_response = 'supported' WHERE id = ?", (IN_PART,)
        )
        with store.transaction() as db:
            refresh_responses(db, "A/HRC/14/15")
    conflict = _stored(index, IN_PART)["response_conflict"]
    assert conflict and "supported" in conflict and "noted" in conflict
    (details,) = _rows(index, "recommendation_details", id=IN_PART)
    assert details.get("response_conflict") == conflict
    (by_state, *_) = _rows(index, "recommendation_by_state", recommendation_id=IN_PART)
    assert by_state.get("response_conflict") == conflict


def _cluster_of(index: Path, rec_id: str) -> str:
    """The ask's cluster, read without opening a Store (which brings the views up to date)."""
    with closing(sqlite3.connect(f"{index.as_uri()}?mode=ro", uri=True)) as db:
        (cluster,) = db.execute(
            "SELECT cluster_id FROM recommendations WHERE id = ?", [rec_id]
        ).fetchone()
    assert cluster
    return str(cluster)


def test_the_ready_made_queries_show_the_answer_wording_beside_the_position(index: Path) -> None:
    # leftovers: the views showed "supported in part" beside noted, the two ready-made queries
    # that show asks (a cluster's members, a State's noted asks) did not.
    members = _rows(index, "cluster_members", cluster_id=_cluster_of(index, IN_PART))
    (mine,) = [row for row in members if row["id"] == IN_PART]
    assert (mine["response"], mine.get("response_detail")) == ("noted", "supported in part")
    noted = _rows(index, "noted_with_evidence_since", state_under_review="Slovenia", since="")
    assert {row.get("response_detail") for row in noted if row["id"] == IN_PART} == {
        "supported in part"
    }
    with Store(index) as store:
        wanted = {
            rec: detail
            for rec, detail in store.db.execute(
                "SELECT id, response_detail FROM recommendations WHERE response = 'noted'"
            )
        }
    assert {row["id"]: row.get("response_detail", "missing") for row in noted} == wanted


_ANSWER_COLUMNS = re.compile(r"\s*r\.response_(?:detail|conflict),")


def _earlier(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lacking: re.Pattern[str] = _ANSWER_COLUMNS
) -> Path:
    """An index whose views an earlier release made: without the columns `lacking` matches
    (the answer columns)."""
    with monkeypatch.context() as earlier:
        earlier.setattr(views, "VIEWS", tuple(lacking.sub("", v) for v in views.VIEWS))
        return ingested(("slovenia2010_recs.pdf", "svn2010_addendum.pdf"), tmp_path / "i.sqlite")


def test_an_index_whose_views_an_earlier_release_made_gets_the_answer_on_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The views are CREATE VIEW IF NOT EXISTS: an index made before must get the new views
    # (their digest in meta differs), not keep the old ones silently.
    index = _earlier(tmp_path, monkeypatch)
    db = sqlite3.connect(index)
    made = {row[1] for row in db.execute("PRAGMA table_info('recommendation_details')")}
    db.close()
    assert "response" in made and "response_detail" not in made  # the earlier release's view
    # Served as it is (read-only, or being written) until a command opens it: its pages, with
    # their facets, still answer.
    (details,) = _rows(index, "recommendation_details", id=IN_PART)
    assert "response_detail" not in details
    for view in ("recommendation_details", "recommendation_by_state"):
        assert "response" in _facets(index, view) and "response_detail" not in _facets(index, view)
    # The ready-made queries too, without the wording their views lack.
    members = _rows(index, "cluster_members", cluster_id=_cluster_of(index, IN_PART))
    assert IN_PART in {row["id"] for row in members}
    noted = _rows(index, "noted_with_evidence_since", state_under_review="Slovenia", since="")
    assert IN_PART in {row["id"] for row in noted} and "response_detail" not in noted[0]
    with Store(index):
        pass
    (details,) = _rows(index, "recommendation_details", id=IN_PART)
    assert (details["response"], details.get("response_detail")) == ("noted", "supported in part")


def test_the_answer_wordings_are_counted_beside_the_positions(index: Path) -> None:
    with Store(index) as store:
        wanted = dict(
            store.db.execute(
                "SELECT response_detail, count(*) FROM recommendations "
                "WHERE response_detail IS NOT NULL GROUP BY 1"
            ).fetchall()
        )
    assert wanted.get("supported in part")
    assert _facets(index, "recommendation_details")["response_detail"] == wanted
    # One row per recommending State: a wording is counted once for each State that asked.
    by_state = _facets(index, "recommendation_by_state")["response_detail"]
    assert set(by_state) == set(wanted)


@pytest.mark.parametrize("why", ["read-only", "being written"])
def test_browse_says_in_one_line_it_serves_older_views_it_cannot_update(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, why: str
) -> None:
    # leftovers: browse served an earlier release's views (no response_detail, no
    # response_conflict) of an index it could not update, read-only without a word, being
    # written with "serving it as it is" only: a researcher looked for the State's words.
    from click.testing import CliRunner

    import uprdex.pipeline.browse as browse
    from uprdex.flows.cli import main
    from uprdex.pipeline.store import connection

    index = _earlier(tmp_path, monkeypatch)
    monkeypatch.setattr(browse, "serve", lambda path, port: None)
    if why == "read-only":  # as the file, its folder or its disk would be (root writes any)
        monkeypatch.setattr(connection, "_writable", lambda path: False)
    with closing(sqlite3.connect(index, isolation_level=None)) as writer:
        if why == "being written":
            writer.execute("BEGIN IMMEDIATE")
        served = CliRunner().invoke(main, ["browse", "--index", str(index)], catch_exceptions=False)
    assert served.exit_code == 0, served.output
    (line,) = [said for said in served.stderr.splitlines() if said.strip()]
    assert line.startswith(str(index.resolve())) and why in line, line
    assert "older uprdex" in line and "response_detail, response_conflict" in line, line
    assert "Serving" in served.stdout
    (details,) = _rows(index, "recommendation_details", id=IN_PART)
    assert "response_detail" not in details  # served as it is
    monkeypatch.undo()
    monkeypatch.setattr(browse, "serve", lambda path, port: None)
    current = CliRunner().invoke(main, ["browse", "--index", str(index)], catch_exceptions=False)
    assert current.exit_code == 0 and not current.stderr.strip(), current.stderr


# Columns an earlier release's views might lack beside the answer's: the newest evidence date
# of recommendation_details, the printed id and the context of evidence_pages.
_OTHER_COLUMNS = re.compile(
    r"\(SELECT max\(document_date\) FROM evidence_pages\s+WHERE recommendation_id = r\.id\) "
    r"AS latest_evidence,|\be\.as_printed, e\.context, "
)


def test_the_ready_made_queries_answer_on_views_without_other_columns_than_the_answer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # browsecols: an earlier release's queries were answered by cutting response_detail out of
    # their SQL with a regular expression; a view without any other column they show
    # (latest_evidence, as_printed, context) failed the query ("no such column").
    index = _earlier(tmp_path, monkeypatch, _OTHER_COLUMNS)
    with closing(sqlite3.connect(f"{index.as_uri()}?mode=ro", uri=True)) as db:
        made = {
            view: {row[1] for row in db.execute(f"PRAGMA table_info('{view}')")}
            for view in ("recommendation_details", "evidence_pages")
        }
    assert "latest_evidence" not in made["recommendation_details"]
    assert not {"as_printed", "context"} & made["evidence_pages"]
    assert "response_detail" in made["recommendation_details"]
    members = _rows(index, "cluster_members", cluster_id=_cluster_of(index, IN_PART))
    (mine,) = [row for row in members if row["id"] == IN_PART]
    assert (mine["response"], mine["response_detail"]) == ("noted", "supported in part")
    assert "latest_evidence" not in mine and "evidence_documents" in mine
    noted = _rows(index, "noted_with_evidence_since", state_under_review="Slovenia", since="")
    assert IN_PART in {row["id"] for row in noted}
    assert "context" not in noted[0] and "document_symbol" in noted[0]
    with_evidence = [row for row in noted if row["document_symbol"]]
    assert with_evidence, "Slovenia's noted asks have evidence (the addendum)"
    cited = with_evidence[0]["id"]
    evidence = _rows(index, "recommendation_evidence", recommendation_id=cited)
    assert evidence and not {"as_printed", "context"} & set(evidence[0])
    assert {row["document_symbol"] for row in evidence} == {
        row["document_symbol"] for row in with_evidence if row["id"] == cited
    }


def test_this_releases_view_columns_are_those_of_a_new_index(tmp_path: Path) -> None:
    # browsecols: browse read this release's view columns from a new empty index it made on
    # disk; they are now SQLite's reading of the views in memory: the same columns, in order.
    from uprdex.pipeline.store.schema import view_columns

    with Store(tmp_path / "new.sqlite") as store:
        made = {
            name: [row[1] for row in store.db.execute(f"PRAGMA table_info('{name}')")]
            for name in views.view_names()
        }
    assert view_columns() == made
    assert "response_detail" in made["recommendation_details"]


def test_older_views_are_faceted_by_their_columns_beside_a_view_another_program_broke(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # browsecols: the columns of every faceted view were read at once, and one view that no
    # longer reads (cluster_overview, its corrections table dropped by another program) lost
    # them all: the Recommendations page of an earlier release's views then failed on the
    # response_detail facet ("no such column").
    index = _earlier(tmp_path, monkeypatch)
    with closing(sqlite3.connect(index)) as db:
        db.execute("DROP TABLE cluster_corrections")
        db.commit()
        with pytest.raises(sqlite3.OperationalError):
            db.execute("PRAGMA table_info('cluster_overview')")
    facets = _facets(index, "recommendation_details")
    assert "response" in facets and "response_detail" not in facets
    (details,) = _rows(index, "recommendation_details", id=IN_PART)
    assert details["response"] == "noted"
