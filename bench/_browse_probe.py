"""One side of bench_browse.py: time `uprdex browse`'s pages on one index with the uprdex
that is importable (the bench runs it with the baseline's tree, then with this one).

Prints one JSON object: per page, the wall time of each load of its HTML through Datasette's
own client, the facets that timed out and every facet's values and counts (from its JSON); per
array facet of the Recommendations page, the time and rows of Datasette's facet SQL alone
(sqlite3, no time limit).

Run: .venv/bin/python bench/_browse_probe.py INDEX [REPEATS]
"""

from __future__ import annotations

import asyncio
import json
import re
import sqlite3
import sys
import time
from pathlib import Path
from typing import Any

import uprdex
from uprdex.pipeline.browse import build_datasette

PAGES = (
    "recommendation_details",
    "recommendation_by_state",
    "cluster_overview",
    "evidence_pages",
    # What a researcher opens next: a State's asks, a response, a theme, who asked most about
    # it, and a search with a recommending State (Datasette's facet links and search box).
    "recommendation_details?state_under_review=Nigeria",
    "recommendation_details?response=noted",
    "recommendation_details?themes__arraycontains=Women%27s+rights",
    "recommendation_by_state?themes__arraycontains=Women%27s+rights",
    "recommendation_by_state?recommending_state=Brazil&_search=rights",
    "recommendation_details?recommending_states__arraycontains=Canada&_search=torture",
)
ARRAYS = ("themes", "recommending_states", "regional_groups")
TIMED_OUT = re.compile(r"These facets timed out: ([^<]*)")  # what the page says

# Datasette 0.65's ArrayFacet.facet_results, as it runs it over a table page's rows.
ARRAY_FACET_SQL = """
    with inner as ({sql}),
    deduped_array_items as (
        select distinct j.value, inner.* from json_each([inner].[{col}]) j join inner
    )
    select value as value, count(*) as count from deduped_array_items
    group by value order by count(*) desc, value limit 31
"""
# The same facet as uprdex's list facet runs it (pipeline.browse): over each row's key and list.
LIST_FACET_SQL = ARRAY_FACET_SQL.replace("{sql}", "select [id], [{col}] from ({sql})")


async def _pages(index: Path, repeats: int) -> dict[str, Any]:
    datasette = build_datasette(index)
    await datasette.invoke_startup()
    pages: dict[str, Any] = {}
    for page in PAGES:
        times, body = [], {}
        for _ in range(repeats):
            start = time.perf_counter()
            html = await datasette.client.get(f"/{index.stem}/{page}")
            times.append(time.perf_counter() - start)
            assert html.status_code == 200, html.status_code
        path, _, query = page.partition("?")
        response = await datasette.client.get(
            f"/{index.stem}/{path}.json?_extra=facet_results&{query}"
        )
        body = response.json()
        said = TIMED_OUT.search(html.text)
        facets = {
            name: {str(row["value"]): row["count"] for row in facet["results"]}
            for name, facet in body.get("facet_results", {}).items()
        }
        pages[page] = {
            "seconds": times,
            "rows": body.get("filtered_table_rows_count", body.get("count")),
            "timed_out": said.group(1).strip() if said else "",
            "facets": facets,
        }
    return pages


def _sql_alone(index: Path) -> tuple[dict[str, float], dict[str, list[list[Any]]]]:
    """Seconds and rows of each array facet's SQL on the Recommendations page, as Datasette
    runs it and as uprdex's list facet does ("COLUMN (list facet)")."""
    db = sqlite3.connect(f"file:{index}?mode=ro", uri=True)
    columns = [row[1] for row in db.execute("PRAGMA table_info(recommendation_details)")]
    inner = f"select {', '.join(f'[{c}]' for c in columns)} from [recommendation_details]"
    seconds: dict[str, float] = {}
    rows: dict[str, list[list[Any]]] = {}
    for column in ARRAYS:
        for name, sql in ((column, ARRAY_FACET_SQL), (f"{column} (list facet)", LIST_FACET_SQL)):
            start = time.perf_counter()
            found = db.execute(sql.format(sql=inner, col=column)).fetchall()
            seconds[name] = time.perf_counter() - start
            rows[name] = [list(row) for row in found]
    db.close()
    return seconds, rows


def main() -> None:
    index = Path(sys.argv[1])
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    pages = asyncio.run(_pages(index, repeats))
    seconds, rows = _sql_alone(index)
    print(
        json.dumps(
            {
                "uprdex": str(Path(uprdex.__file__).resolve().parent),
                "pages": pages,
                "sql_alone": seconds,
                "sql_results": rows,
            }
        )
    )


if __name__ == "__main__":
    main()
