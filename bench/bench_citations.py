"""Citations of recommendations against hand labels, with a naive regex as the baseline.

Labels: bench/labels/g1925890_citations.csv, one row per paragraph that A/HRC/WG.6/34/SVN/2
(Slovenia 2019 compilation) cites in its endnotes, read from the document (ranges expanded,
misprints labelled with the paragraph meant). Compares (page, footnote, symbol, paragraph):
as extracted, and after `resolve` against the paragraphs of A/HRC/28/15 parsed from its PDF.
The baseline reads every "NNN.N" of the page text as one citation. Also prints the speed of
find_citations over the Slovenia document set.

Part 2, bare indices: bench/labels/g1923444_bare_citations.csv lists, as printed (read from the
document by hand), every list of recommendations that A/HRC/WG.6/34/SVN/1 (Slovenia's 2019
national report) cites by bare index ("Recommendations 22, 31–39" under a heading, "(Recommendation
105)" in a note). In note 11 "101, 135, 136 in 137" is labelled as the four it means. Compares
(page, footnote, paragraph) after resolving against A/HRC/28/15, whose recommendations are all in
paragraph 115; the baseline is the citations without bare indices.
Run: .venv/bin/python bench/bench_citations.py
"""

from __future__ import annotations

import csv
import re
import sys
import time
from collections import Counter
from pathlib import Path

from uprdex.extractors.citations import find_citations, resolve
from uprdex.extractors.wg_report import parse_wg_report
from uprdex.pipeline.loader import load_pdf
from uprdex.pipeline.model import Citation, LoadedDocument

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
LABELS = Path(__file__).resolve().parent / "labels" / "g1925890_citations.csv"
BARE_LABELS = Path(__file__).resolve().parent / "labels" / "g1923444_bare_citations.csv"
BARE_DOCUMENT = "slovenia/cycle3/g1923444.pdf"
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

    bench_bare(known)

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


def bare_labels() -> Counter[tuple[int, str, str]]:
    """(page, footnote, paragraph) -> how many times the national report cites it by index."""
    expected: Counter[tuple[int, str, str]] = Counter()
    with BARE_LABELS.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            for part in row["printed"].split(","):
                low, _, high = part.strip().partition("–")
                for number in range(int(low), int(high or low) + 1):
                    expected[(int(row["page"]), row["footnote"], f"115.{number}")] += 1
    return expected


def bench_bare(known: set[str]) -> None:
    expected = bare_labels()
    document = load_pdf(SHARED / BARE_DOCUMENT)
    print(f"\n{BARE_DOCUMENT}: {sum(expected.values())} labelled citations by bare index")
    print(f"{'':36} {'recall':>7} {'precision':>9}")
    for name, bare in (("without bare indices (before)", False), ("with bare indices", True)):
        found: Counter[tuple[int, str, str]] = Counter()
        for citation in find_citations(document, bare_indices=bare):
            resolved = resolve(citation, known)
            if citation.symbol is None and resolved:
                found[(citation.page, citation.footnote or "", resolved[0])] += 1
        recall, precision = scores(found, expected)  # type: ignore[arg-type]
        print(f"{name:36} {recall:7.3f} {precision:9.3f}")
    for key in sorted((expected - found) + (found - expected)):
        print(f"  {'missed' if key in expected else 'extra '} {key}")


if __name__ == "__main__":
    sys.exit(main())
