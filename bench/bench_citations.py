"""Citations of recommendations against hand labels, with a naive regex as the baseline.

Labels: bench/labels/g1925890_citations.csv, one row per paragraph that A/HRC/WG.6/34/SVN/2
(Slovenia 2019 compilation) cites in its endnotes, read from the document (ranges expanded,
misprints labelled with the paragraph meant). Compares (page, footnote, symbol, paragraph):
as extracted, and after `resolve` against the paragraphs of A/HRC/28/15 parsed from its PDF.
The baseline reads every "NNN.N" of the page text as one citation. Also prints the speed of
find_citations over the Slovenia document set.
Run: .venv/bin/python bench/bench_citations.py
"""

from __future__ import annotations

import csv
import re
import sys
import time
from collections import Counter
from pathlib import Path

from extractors.citations import Citation, find_citations, resolve
from extractors.wg_report import parse_wg_report
from pipeline.loader import load_pdf
from pipeline.model import LoadedDocument

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
LABELS = Path(__file__).resolve().parent / "labels" / "g1925890_citations.csv"
DOCUMENT = "slovenia/cycle3/g1925890.pdf"
CITED_REPORT = "slovenia/cycle2/g1423930.pdf"  # A/HRC/28/15
TARGET = 0.97
NAIVE = re.compile(r"\b\d{2,3}\.\d{1,3}\b")

Key = tuple[int, str, str, str]


def labels() -> Counter[Key]:
    """(page, footnote, symbol, paragraph) -> how many times the labels cite it."""
    with LABELS.open(encoding="utf-8") as handle:
        return Counter(
            (int(row["page"]), row["footnote"], row["symbol"], row["ref"])
            for row in csv.DictReader(handle)
        )


def keys(citations: list[Citation], known: set[str] | None) -> Counter[Key]:
    """Keys of the citations; with `known`, each paragraph is the one `resolve` picks."""
    found: Counter[Key] = Counter()
    for citation in citations:
        ref = citation.ref
        if known is not None:
            resolved = resolve(citation, known)
            ref = resolved[0] if resolved else f"unresolved:{citation.ref}"
        found[(citation.page, citation.footnote or "", citation.symbol or "", ref)] += 1
    return found


def naive(document: LoadedDocument) -> Counter[Key]:
    """Baseline: every NNN.N on a page, with the page's only symbol and no footnote."""
    return Counter(
        (page.number, "", "A/HRC/28/15", match.group())
        for page in document.pages
        for match in NAIVE.finditer(page.text)
    )


def scores(found: Counter[Key], expected: Counter[Key]) -> tuple[float, float]:
    hits = sum((found & expected).values())
    precision = hits / sum(found.values()) if found else 0.0
    return hits / sum(expected.values()), precision


def main() -> int:
    if not SHARED.exists():
        print(f"skipped: {SHARED} not found (the shared corpus is not here)")
        return 0
    expected = labels()
    document = load_pdf(SHARED / DOCUMENT)
    known = {r.paragraph for r in parse_wg_report(load_pdf(SHARED / CITED_REPORT)).recommendations}
    citations = find_citations(document)
    # The baseline cannot tell footnotes apart: compare it on (page, symbol, paragraph) only.
    loose = Counter({(k[0], "", k[2], k[3]): n for k, n in expected.items()})
    rows = [
        ("naive NNN.N regex (no footnote)", scores(naive(document), loose)),
        ("find_citations, ref as extracted", scores(keys(citations, None), expected)),
        ("find_citations + resolve", scores(keys(citations, known), expected)),
    ]
    print(f"{DOCUMENT}: {sum(expected.values())} labelled citations, {len(known)} known paragraphs")
    print(f"{'':36} {'recall':>7} {'precision':>9}")
    for name, (recall, precision) in rows:
        print(f"{name:36} {recall:7.3f} {precision:9.3f}")
    found = keys(citations, known)
    for key in sorted((expected - found) + (found - expected)):
        print(f"  {'missed' if key in expected else 'extra '} {key}")
    base_recall, base_precision = rows[0][1]
    recall, precision = rows[2][1]
    print(
        f"ratio ours/baseline: recall {recall / base_recall:.2f}x, "
        f"precision {precision / base_precision:.2f}x"
    )
    ok = min(recall, precision) >= TARGET
    print(f"target recall and precision >= {TARGET}: {'met' if ok else 'NOT met'}")

    documents = [load_pdf(path) for path in sorted((SHARED / "slovenia").rglob("*.pdf"))]
    pages = sum(len(loaded.pages) for loaded in documents)
    start = time.perf_counter()
    total = sum(len(find_citations(loaded)) for loaded in documents)
    elapsed = time.perf_counter() - start
    print(
        f"throughput: find_citations on {len(documents)} Slovenia PDFs, {pages} pages: "
        f"{elapsed:.3f} s, {pages / elapsed:,.0f} pages/s ({total} citations and listings; "
        f"loading not counted)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
