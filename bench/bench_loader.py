"""Loader speed: naive pdfplumber against the uprdex loader and full parse, on the same pages.

Part 1 times, on the same sample of real WG report pages, (a) pdfplumber's `extract_text` page
by page (the naive baseline), (b) `pipeline.loader.load_pdf` and (c) load + WG report parse, in
one process, and prints pages/s and the ratio. Part 2 ingests the whole corpus of 245 reports into
a fresh index with the default worker processes and prints the wall time, pages/s and peak
memory. Targets (issue 2): >= 10x faster than the naive loader; the 245 reports fully parsed and
indexed in <= 60 s on a 2-core machine.

Run: .venv/bin/python bench/bench_loader.py [--sample-reports N]
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

import pdfplumber

from uprdex.extractors.wg_report import parse_wg_report
from uprdex.flows.ingest import ingest_paths
from uprdex.pipeline.loader import load_pdf
from uprdex.pipeline.store import Store

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "data"


def naive_pdfplumber(paths: list[Path]) -> int:
    """Extract every page's text with pdfplumber; returns pages read."""
    pages = 0
    for path in paths:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_text()
                pages += 1
                page.close()
    return pages


def ours_load(paths: list[Path]) -> int:
    """Load every page with the uprdex loader; returns pages read."""
    return sum(len(load_pdf(path).pages) for path in paths)


def ours_parse(paths: list[Path]) -> int:
    """Load and parse every report; returns pages read."""
    pages = 0
    for path in paths:
        document = load_pdf(path)
        parse_wg_report(document)
        pages += len(document.pages)
    return pages


def timed(function: object, paths: list[Path]) -> tuple[int, float]:
    """(pages, seconds) of one call."""
    start = time.perf_counter()
    pages = function(paths)  # type: ignore[operator]
    return pages, time.perf_counter() - start


def peak_mb() -> tuple[float, float]:
    """Peak resident memory of this process and of its largest child, in MB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, child


def evidence_overhead(paths: list[Path]) -> None:
    """Part 3: what citation search and keyword themes (issue 4's budget), and the trained
    theme classifier, add to loading and parsing a report."""
    from uprdex.extractors.themes import ThemeTagger
    from uprdex.flows.extract import _citations
    from uprdex.pipeline.theme_model import ThemeModel

    tagger, model = ThemeTagger(), ThemeModel.load()
    tagger.tag("warm up")  # load spaCy before timing
    core = evidence = classifier = 0.0
    for path in paths:
        start = time.perf_counter()
        document = load_pdf(path)
        report = parse_wg_report(document)
        texts = [rec.text for rec in report.recommendations]
        parsed = time.perf_counter()
        _citations(document, "wg_report", report.symbol)  # as ingestion runs them
        tagger.tag_many(texts)
        tagged = time.perf_counter()
        model.predict(texts)
        end = time.perf_counter()
        core += parsed - start
        evidence += tagged - parsed
        classifier += end - tagged
    print(
        f"Part 3: {len(paths)} reports, one process: load + parse {core:.2f} s; citations "
        f"and keyword themes add {evidence:.2f} s = {evidence / core:.0%} (target <= 30%); "
        f"the theme classifier adds {classifier:.2f} s = {classifier / core:.0%}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sample-reports",
        type=int,
        default=12,
        help="reports in the same-pages comparison (every 20th of the corpus)",
    )
    args = parser.parse_args()
    corpus = sorted((SHARED / "wg_reports").glob("*.pdf"))
    if not corpus:
        print(f"skipped: {SHARED / 'wg_reports'} not found (the shared corpus is not here)")
        return 0
    sample = corpus[:: max(1, len(corpus) // args.sample_reports)][: args.sample_reports]

    print(f"Part 1: the same {len(sample)} reports, one process")
    base_pages, base_s = timed(naive_pdfplumber, sample)
    load_pages, load_s = timed(ours_load, sample)
    parse_pages, parse_s = timed(ours_parse, sample)
    assert base_pages == load_pages == parse_pages, (base_pages, load_pages, parse_pages)
    print(f"  {'':34} {'pages':>6} {'seconds':>8} {'ms/page':>8} {'pages/s':>8} {'speed-up':>9}")
    for name, seconds in (
        ("pdfplumber extract_text (naive)", base_s),
        ("uprdex loader", load_s),
        ("uprdex loader + WG parse", parse_s),
    ):
        print(
            f"  {name:34} {base_pages:>6} {seconds:>8.2f} {seconds / base_pages * 1000:>8.1f}"
            f" {base_pages / seconds:>8.0f} {base_s / seconds:>8.1f}x"
        )

    print(f"Part 2: all {len(corpus)} reports, ingest into a fresh index (default workers)")
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "index.sqlite") as store:
        start = time.perf_counter()
        results = ingest_paths(corpus, store, None)
        seconds = time.perf_counter() - start
        summary = store.summary()
        pages = sum(row.pages for row in store.documents())
    evidence_overhead(corpus[::5])
    own, child = peak_mb()
    failed = sum(not r.ok for r in results)
    print(
        f"  {len(results)} files ({failed} failed), {pages} pages, "
        f"{summary['recommendations']} recommendations"
    )
    print(
        f"  {seconds:.1f} s wall ({pages / seconds:.0f} pages/s); target <= 60 s: "
        f"{'met' if seconds <= 60 else 'NOT met'}"
    )
    print(f"  peak memory: main process {own:.0f} MB, largest worker {child:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
