"""`uprdex browse` answers as `recs` does: a searched page keeps a compound item for a State only
when the words are in the parts that State asked for, and the list facets (themes, recommending
States, regional groups) count as Datasette's array facet without sorting whole rows."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from uprdex.pipeline.store import RecFilter, Store

from helpers import ingested

pytest.importorskip("datasette", reason="the browse extra (datasette) is not installed")

COMPOUND = "A/HRC/8/44#60.1"  # OP-CAT (UK, Albania, Mexico, Brazil), Hague Convention (Canada, ...)


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Japan 2008 (compound items) and Slovenia 2014."""
    folder = tmp_path_factory.mktemp("browse_asks")
    return ingested(("japan2008_recs.pdf", "slovenia2014_recs.pdf"), folder / "index.sqlite")


def _pages(index: Path, *paths: str, record: list[str] | None = None) -> list[dict[str, Any]]:
    """Each page's JSON (rows as objects) through Datasette's own client; `record` gathers the
    SQL Datasette ran."""
    from uprdex.pipeline.browse import build_datasette

    async def fetch() -> list[dict[str, Any]]:
        datasette = build_datasette(index)
        await datasette.invoke_startup()
        if record is not None:
            execute = datasette.execute

            async def recorded(database: str, sql: str, *args: Any, **kwargs: Any) -> Any:
                record.append(sql)
                return await execute(database, sql, *args, **kwargs)

            datasette.execute = recorded
        bodies = []
        for path in paths:
            response = await datasette.client.get(f"/{index.stem}/{path}")
            assert response.status_code == 200, response.text[:2000]
            bodies.append(response.json())
        return bodies

    return asyncio.run(fetch())


def _ids(index: Path, view: str, **args: str) -> set[str]:
    query = urlencode({**args, "_shape": "objects", "_size": "max"})
    (body,) = _pages(index, f"{view}.json?{query}")
    return {row.get("id") or row["recommendation_id"] for row in body["rows"]}


def test_browse_search_with_a_recommending_state_keeps_only_the_parts_it_asked(
    index: Path,
) -> None:
    # Filtering by Canada and searching "Convention against Torture" listed Japan 2008's 60.1
    # in the browser, where `recs` does not: Canada asked only for the Hague Convention.
    torture, hague = "Convention against Torture", "Hague Convention"
    by_state = "recommendation_by_state"
    assert COMPOUND not in _ids(index, by_state, recommending_state="Canada", _search=torture)
    assert COMPOUND in _ids(index, by_state, recommending_state="Canada", _search=hague)
    assert COMPOUND in _ids(index, by_state, recommending_state="Brazil", _search=torture)
    details = "recommendation_details"
    canada = {"recommending_states__arraycontains": "Canada"}
    assert COMPOUND not in _ids(index, details, **canada, _search=torture)
    assert COMPOUND in _ids(index, details, **canada, _search=hague)
    assert COMPOUND in _ids(index, details, _search=torture)  # no State chosen: the whole text


def test_browse_and_recs_list_the_same_asks_for_a_state_and_words(index: Path) -> None:
    with Store(index) as store:
        compound_states = [
            name
            for (name,) in store.db.execute(
                "SELECT DISTINCT name FROM recommendation_asked_fts ORDER BY name"
            )
        ]
    assert len(compound_states) >= 8
    for state in compound_states:
        for words in ("torture", "Hague Convention", "death penalty", "Optional Protocol"):
            with Store(index) as store:
                wanted = {
                    rec.id
                    for rec in store.recommendations(
                        RecFilter(recommending_state=state, search=words)
                    )
                }
            rows = _ids(index, "recommendation_by_state", recommending_state=state, _search=words)
            listed = _ids(
                index,
                "recommendation_details",
                recommending_states__arraycontains=state,
                _search=words,
            )
            assert rows == wanted == listed, (state, words)


@pytest.mark.parametrize(
    ("view", "keys", "lists"),
    [
        ("recommendation_details", {"id"}, {"themes", "recommending_states", "regional_groups"}),
        ("recommendation_by_state", {"recommendation_id", "recommending_state"}, {"themes"}),
        ("cluster_overview", {"cluster_id"}, {"states_under_review"}),
    ],
)
def test_list_facets_count_as_datasettes_and_read_only_keys_and_lists(
    index: Path, view: str, keys: set[str], lists: set[str]
) -> None:
    # Datasette's array facet (`select distinct j.value, inner.*`) sorts whole rows, text and
    # all, once per item of a list: on 117,204 asks the Recommendations page lost its themes,
    # recommending States and regional groups ("These facets timed out").
    sql: list[str] = []
    (ours,) = _pages(index, f"{view}.json?_extra=facet_results", record=sql)
    arrays = "&".join(f"_facet_array={name}" for name in sorted(lists))
    (datasettes,) = _pages(index, f"{view}.json?_extra=facet_results&{arrays}")

    def counts(body: dict[str, Any], name: str, kind: str) -> dict[str, int]:
        (facet,) = [
            facet
            for facet in body["facet_results"].values()
            if facet["name"] == name and facet["type"] == kind
        ]
        return {row["value"]: row["count"] for row in facet["results"]}

    for name in lists:
        assert counts(ours, name, "list"), name
        assert counts(ours, name, "list") == counts(datasettes, name, "array"), name
    read = [_inner_columns(query) for query in sql if "json_each" in query]
    assert read, "no list facet ran"
    for columns in read:
        # the keys and the one list counted: not the text, not the other lists
        assert columns - keys <= lists and len(columns - keys) == 1, columns


def _inner_columns(query: str) -> set[str]:
    """The columns an array facet's rows (`with inner as (select ... from`) carry."""
    selected = query.split("inner as (", 1)[1].split(" from ", 1)[0]
    return {column.strip(" []\n") for column in selected.removeprefix("select").split(",")}


def test_a_searched_state_on_one_row_per_state_is_not_probed_pair_by_pair(index: Path) -> None:
    # Brazil + "rights" on one row per recommending State took 13 s on 29,301 asks: SQLite
    # probed the (id, rowid) index for every pair of Brazil's rows and the words' hits.
    search = (
        "SELECT * FROM recommendation_by_state WHERE text_rowid IN (SELECT rowid FROM "
        "recommendations_fts WHERE recommendations_fts MATCH 'rights') AND recommending_state = ?"
    )
    with Store(index) as store:
        plan = " | ".join(
            str(row[-1]) for row in store.db.execute(f"EXPLAIN QUERY PLAN {search}", ("Brazil",))
        )
    assert "id=? AND rowid=?" not in plan, plan


def test_one_row_per_recommending_state_even_when_it_asked_several_parts(index: Path) -> None:
    # Brazil asked Japan 2008's 60.1 for two parts and its State list names it twice: one row
    # per State showed Brazil twice, and the recommending_state facet counted it twice ("which
    # States asked most about women's rights": 153 such pairs in the 245 reports).
    query = urlencode({"recommendation_id": COMPOUND, "_shape": "objects", "_size": "max"})
    (body,) = _pages(index, f"recommendation_by_state.json?{query}")
    states = [row["recommending_state"] for row in body["rows"]]
    assert "Brazil" in states and len(states) == len(set(states)), states


def test_a_state_that_asked_several_parts_is_listed_once_as_the_exports_list_it(
    index: Path,
) -> None:
    # Recommendations showed 60.1's States as "..., Brazil, ..., Brazil, ..." (one name per
    # part it asked), where the exports and `recs` list each State once.
    query = urlencode({"id": COMPOUND, "_shape": "objects"})
    (body,) = _pages(index, f"recommendation_details.json?{query}")
    (row,) = body["rows"]
    with Store(index) as store:
        (rec,) = [rec for rec in store.recommendations(RecFilter()) if rec.id == COMPOUND]
    assert json.loads(row["recommending_states"]) == list(rec.recommending_states)


def test_an_index_from_before_the_parts_served_as_it_is_answers_a_search(
    index: Path, tmp_path: Path
) -> None:
    # review14a finding 6: an index an earlier uprdex wrote (no recommendation_parts, no
    # recommendation_asked_fts: both came today) that `uprdex browse` cannot bring up to date
    # (read-only) is served as it is; its one-row-per-State page, searched, and its
    # Recommendations page, searched with a State chosen, said "Invalid SQL: no such table:
    # recommendation_parts" (400), a traceback in the terminal for each.
    older = _before_the_parts(index, tmp_path)
    query = urlencode({"_search": "torture", "_shape": "objects"})
    chosen = urlencode({"recommending_states__arraycontains": "Brazil", "_search": "torture"})
    by_state, details = _pages(
        older, f"recommendation_by_state.json?{query}", f"recommendation_details.json?{chosen}"
    )
    assert by_state["rows"] and details["rows"]


def test_an_index_from_before_the_parts_is_searched_as_before_and_browse_says_so(
    index: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # fixpaths (review14a finding 6): served as it is, an index without the parts answers a
    # searched page as before the parts rule (Japan 2008's 60.1 for Canada, whose part is the
    # Hague Convention, searched "Convention against Torture"), and the terminal says once why.
    from click.testing import CliRunner

    import uprdex.flows.cli.browsing as browsing
    import uprdex.pipeline.browse as browse
    from uprdex.flows.cli import main
    from uprdex.pipeline.errors import BadIndexError

    older = _before_the_parts(index, tmp_path)
    torture = "Convention against Torture"
    assert COMPOUND in _ids(
        older, "recommendation_by_state", recommending_state="Canada", _search=torture
    )

    def read_only(*args: object, **kwargs: object) -> None:
        raise BadIndexError(f"{older} was written by an older uprdex ... it is read-only")

    monkeypatch.setattr(browsing, "open_index", read_only)
    monkeypatch.setattr(browse, "serve", lambda path, port: None)
    served = CliRunner().invoke(main, ["browse", "--index", str(older)], catch_exceptions=False)
    assert served.exit_code == 0, served.output
    assert served.stderr.count("holds no parts of compound recommendations") == 1, served.stderr
    current = CliRunner().invoke(main, ["browse", "--index", str(index)], catch_exceptions=False)
    assert "holds no parts" not in current.stderr, current.stderr


def _before_the_parts(index: Path, folder: Path) -> Path:
    """A copy of the index as an earlier uprdex left it: without the parts of compound
    recommendations (`recommendation_parts`, `recommendation_asked_fts`)."""
    import shutil
    import sqlite3

    older = Path(shutil.copy(index, folder / "older.sqlite"))
    with sqlite3.connect(older) as db:
        db.executescript(
            "DROP TRIGGER recommendation_asked_fts_ad; DROP TABLE recommendation_asked_fts; "
            "DROP TABLE recommendation_parts;"
        )
    return older
