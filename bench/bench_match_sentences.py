"""Paraphrase matching's cost per sentence no longer grows with the asks' vocabulary.

`paraphrase.match_sentences` weighs a sentence's words that no ask uses at the asks' median idf.
The baseline is how it did so until mends: a copy of the whole idf table per sentence with those
words added (`{**dict.fromkeys(words, typical), **asks.idf}`); ours looks each word up with that
default (`vector(words, asks.idf, typical)`). The sentences are every sentence of the Slovenia
set's 18 PDFs (`page_sentences` on their pages' body lines); the asks, from the UPR Info export
(sessions 1-20): those made to the State with the most of them (about as many as a State's
earlier reviews hold), and all of them (an idf table larger than any State's). Prints, as the
best of REPEATS runs: `match_sentences` whole against the baseline on the first (its time is
mostly reading the asks' and the sentences' words, `terms`, which is unchanged); then the step
that changed alone, each sentence's vector from its terms read beforehand, on both; each with
its ratio and whether both sides give the same matches (the same vectors).
Run: .venv/bin/python bench/bench_match_sentences.py
Measured (mends, 2 shared cores, 2,971 sentences): match_sentences, 534 asks made to Cuba,
1.80 s vs 1.29 s (1.40x), in two more runs 1.24x and 1.16x; the vectors, 975 idf words, 0.192 s
vs 0.058 s (3.3x; then 3.3x, 3.7x), and all 33,074 asks, 5,510 idf words, 1.109 s vs 0.043 s
(25.8x; then 25.5x, 59.5x); the same matches and vectors every time.
"""

from __future__ import annotations

import csv
import sys
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from statistics import median
from typing import Any

from uprdex.pipeline.loader import load_pdf
from uprdex.pipeline.paraphrase import (
    FRAME_WORDS,
    Asks,
    Match,
    ask_scores,
    best_match,
    index_asks,
    match_sentences,
    page_sentences,
    terms,
    vector,
)

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
UPR_INFO = SHARED / "upr_info" / "upr_info_sessions_1-20.csv"
THRESHOLD = 0.40  # EvidenceSettings' default
REPEATS = 3


def copying(
    sentences: Sequence[str], recommendations: Mapping[str, str], threshold: float
) -> list[Match]:
    """The baseline: `match_sentences` as it was, the idf table copied for every sentence."""
    asks = index_asks(recommendations)
    if not sentences or not asks.idf:
        return []
    typical = median(asks.idf.values())
    matches = []
    for index, sentence in enumerate(sentences):
        words = terms(sentence)
        scores = ask_scores(vector(words, {**dict.fromkeys(words, typical), **asks.idf}), asks)
        about = set(words) - FRAME_WORDS
        chosen = {r: s for r, s in scores.items() if about.intersection(asks.terms[r])}
        if match := best_match(index, chosen, threshold):
            matches.append(match)
    return matches


def _sentences() -> list[str]:
    """Every sentence ingest reads in the Slovenia set's PDFs."""
    sentences = []
    for path in sorted((SHARED / "slovenia").rglob("*.pdf")):
        for page in load_pdf(path).pages:
            sentences += page_sentences([line.text for line in page.lines if not line.is_note])
    return sentences


def _best(run: Callable[..., object], *args: Any) -> tuple[float, object]:
    """The best time of REPEATS calls of `run` with `args`, and what it returned."""
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        found = run(*args)
        times.append(time.perf_counter() - start)
    return min(times), found


def _vectors(words: Sequence[list[str]], asks: Asks, copy: bool) -> list[dict[str, float]]:
    """Each sentence's vector (`words`: its terms) as `match_sentences` makes it: with the idf
    table copied (the baseline) or looked up with a default (ours)."""
    typical = median(asks.idf.values())
    if copy:
        return [vector(found, {**dict.fromkeys(found, typical), **asks.idf}) for found in words]
    return [vector(found, asks.idf, typical) for found in words]


def main() -> int:
    if not UPR_INFO.exists():
        print(f"skipped: {UPR_INFO} not found (the shared corpus is not here)")
        return 0
    with UPR_INFO.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    (state, _), *_ = Counter(row["To"] for row in rows).most_common(1)
    made = {f"upr-info:{n}": row["Text"] for n, row in enumerate(rows) if row["To"] == state}
    sentences = _sentences()
    print(f"{len(sentences)} sentences (the Slovenia set); best of {REPEATS} runs, seconds")

    baseline, before = _best(copying, sentences, made, THRESHOLD)
    ours, after = _best(match_sentences, sentences, made, THRESHOLD)
    same = before == after
    print(f"\nmatch_sentences at {THRESHOLD}, the {len(made)} asks made to {state}:")
    print(
        f"  baseline {baseline:.2f}, ours {ours:.2f}: {baseline / ours:.2f}x; same matches: {same}"
    )

    words = [terms(sentence) for sentence in sentences]
    print("\nthe step that changed, each sentence's vector (its terms read once, outside):")
    print(f"  {'asks':<24}{'idf words':>10}{'baseline':>10}{'ours':>8}{'ratio':>9}  same")
    everyone = {f"upr-info:{n}": row["Text"] for n, row in enumerate(rows)}
    for name, chosen in ((f"made to {state}", made), ("all", everyone)):
        asks = index_asks(chosen)
        baseline, before = _best(_vectors, words, asks, True)
        ours, after = _best(_vectors, words, asks, False)
        same = same and before == after
        label = f"{len(chosen):,} {name}"
        print(
            f"  {label:<24}{len(asks.idf):>10,}{baseline:>10.3f}{ours:>8.3f}"
            f"{baseline / ours:>8.1f}x  {before == after}"
        )
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
