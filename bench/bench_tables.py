"""Tables with pdfplumber, only where pages draw them: what it costs the fast path.

Part 1 loads the same WG reports with the uprdex loader without and with its grid check (the
0.1 ms-a-page count of path objects that marks a page `ruled`), and extracts them as ingest does
(load, classify, parse, citations, tables), in one process, alternating, best of 5 each; and prints
the ratio. No page of a WG report is ruled, so pdfplumber never runs on one.
Part 2 times pdfplumber's table finder on every page of the same reports: what reading tables
everywhere would cost, against ours.
Part 3 imports the OHCHR thematic list of A/HRC/28/15 as DOCX and as PDF (the DOCX rendered by
LibreOffice, tests/fixtures/svn2014_thematic_list.pdf): the PDF gives the same rows, with
pdfplumber on its 27 ruled pages.
Run: .venv/bin/python bench/bench_tables.py [--reports N]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pdfplumber

from uprdex.extractors.imports import read_thematic_list
from uprdex.flows.extract import extract_file
from uprdex.pipeline import loader
from uprdex.pipeline.loader import load_pdf

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
FIXTURES = ROOT / "tests" / "fixtures"


def best(function: Callable[[], object], runs: int = 3) -> float:
    """The shortest wall time of `runs` calls."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def without_grid_check(function: Callable[[], object]) -> Callable[[], object]:
    """`function` run with the loader's grid check switched off (the loader before tables)."""

    def run() -> object:
        check = loader._draws_grid
        loader._draws_grid = lambda page: False  # type: ignore[assignment]
        try:
            return function()
        finally:
            loader._draws_grid = check

    return run


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=16)
    args = parser.parse_args()
    if not SHARED.exists():
        print(f"skipped: {SHARED} not found (the shared corpus is not on this machine)")
        return 0
    paths = sorted((SHARED / "wg_reports").glob("*.pdf"))[:: 245 // args.reports][: args.reports]
    pages = sum(len(load_pdf(path).pages) for path in paths)
    ruled = sum(len([p for p in load_pdf(path).pages if p.ruled]) for path in paths)
    print(f"{len(paths)} WG reports, {pages} pages, {ruled} ruled")

    def load() -> None:
        for path in paths:
            load_pdf(path)

    def extract() -> None:
        for path in paths:
            extract_file(path)

    extract()  # warm the theme model and the states table
    timings: dict[str, float] = {}
    for name, function in (("load", load), ("extract (as ingest)", extract)):
        # Alternating, so that another process's load on the machine falls on both sides.
        pairs = [(best(without_grid_check(function), 1), best(function, 1)) for _ in range(5)]
        before, ours = min(p[0] for p in pairs), min(p[1] for p in pairs)
        timings[name] = ours
        print(
            f"{name:20} without grid check {before:6.2f} s   with it {ours:6.2f} s   "
            f"ratio {ours / before:.3f} ({pages / ours:.0f} pages/s)"
        )

    def tables_everywhere() -> None:
        for path in paths:
            with pdfplumber.open(path) as pdf:
                for page in pdf.pages:
                    page.find_tables()
                    page.close()

    everywhere = best(tables_everywhere, runs=1)
    print(
        f"pdfplumber's table finder on every page {everywhere:6.2f} s; the whole load with the "
        f"grid check {timings['load']:6.2f} s: {everywhere / timings['load']:.0f}x faster"
    )

    docx, pdf = FIXTURES / "svn2014_thematic_list.docx", FIXTURES / "svn2014_thematic_list.pdf"
    from_docx, from_pdf = read_thematic_list(docx), read_thematic_list(pdf)
    seconds_docx = best(lambda: read_thematic_list(docx), runs=1)
    seconds_pdf = best(lambda: read_thematic_list(pdf), runs=1)
    print(
        f"thematic list A/HRC/28/15: DOCX {len(from_docx)} rows in {seconds_docx:.2f} s, PDF "
        f"{len(from_pdf)} rows in {seconds_pdf:.2f} s; same rows: {from_docx == from_pdf}"
    )
    return 0 if from_docx == from_pdf else 1


if __name__ == "__main__":
    sys.exit(main())
