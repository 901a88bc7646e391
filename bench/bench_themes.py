"""Keyword theme tagging against the UPR Info issue labels.

Scores data/themes.yaml on the UPR Info export rows of WG sessions 13-20, which were held out
while the keywords were written from sessions 1-12: precision, recall, F1 and support per issue,
micro and macro F1 overall, and throughput. The baseline matches keywords only as written (no
lemmas). Run: .venv/bin/python bench/bench_themes.py [--split dev]
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from uprdex.extractors.themes import ThemeTagger

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
EXPORT = SHARED / "upr_info" / "upr_info_sessions_1-20.csv"
SPLITS = {"dev": range(1, 13), "held-out": range(13, 21)}


@dataclass(frozen=True, slots=True)
class Scores:
    """Per-theme counts of one tagging run against the gold labels."""

    tp: Counter[str]
    fp: Counter[str]
    fn: Counter[str]

    def prf(self, theme: str | None = None) -> tuple[float, float, float]:
        """Precision, recall, F1 of one theme, or micro-averaged over all when None."""
        tp, fp, fn = (
            (self.tp[theme], self.fp[theme], self.fn[theme])
            if theme
            else (self.tp.total(), self.fp.total(), self.fn.total())
        )
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return precision, recall, f1

    def macro_f1(self, themes: Sequence[str]) -> float:
        """Mean F1 over the themes, each counting once whatever its support."""
        return sum(self.prf(theme)[2] for theme in themes) / len(themes)

    def support(self, theme: str) -> int:
        """Gold rows carrying the theme."""
        return self.tp[theme] + self.fn[theme]


def load_rows(sessions: range) -> list[tuple[str, frozenset[str]]]:
    """(recommendation text, UPR Info issues) of the export rows of the given WG sessions."""
    with EXPORT.open(encoding="utf-8", newline="") as handle:
        return [
            (row["Text"], frozenset(i.strip() for i in row["Issue"].split(",") if i.strip()))
            for row in csv.DictReader(handle)
            if int(row["Session"]) in sessions
        ]


def score(tagger: ThemeTagger, rows: Sequence[tuple[str, frozenset[str]]]) -> tuple[Scores, float]:
    """Counts against the gold labels, and texts tagged per second."""
    tagger.tag("Ratify the Convention")  # warm up: the lemma table loads on first use
    started = time.perf_counter()
    predicted = tagger.tag_many(text for text, _ in rows)
    rate = len(rows) / (time.perf_counter() - started)
    scores = Scores(Counter(), Counter(), Counter())
    for (_, gold), hits in zip(rows, predicted, strict=True):
        found = {hit.theme for hit in hits}
        scores.tp.update(found & gold)
        scores.fp.update(found - gold)
        scores.fn.update(gold - found)
    return scores, rate


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=sorted(SPLITS), default="held-out")
    args = parser.parse_args(argv)
    if not SHARED.exists():
        print(f"skipped: {SHARED} not found (the shared corpus is not on this machine)")
        return 0
    sessions = SPLITS[args.split]
    rows = load_rows(sessions)
    started = time.perf_counter()
    ours = ThemeTagger()
    print(f"themes file loaded and compiled in {time.perf_counter() - started:.2f}s")
    themes = [theme.name for theme in ours.themes]
    unknown = {t for _, gold in rows for t in gold} - set(themes)
    if unknown:
        print(f"warning: issues in the export with no theme in the file: {sorted(unknown)}")
    scores, rate = score(ours, rows)
    baseline, _ = score(ThemeTagger(lemmas=False), rows)

    print(f"\n{args.split}: WG sessions {sessions.start}-{sessions.stop - 1}, {len(rows)} rows")
    print(f"{'theme':<46} {'P':>5} {'R':>5} {'F1':>5} {'support':>7}")
    for theme in sorted(themes, key=lambda t: scores.prf(t)[2]):
        p, r, f = scores.prf(theme)
        print(f"{theme:<46} {p:5.2f} {r:5.2f} {f:5.2f} {scores.support(theme):7d}")

    print(f"\n{'':<24} {'baseline':>12} {'ours':>9} {'ratio':>6}")
    print(f"{'':<24} {'(as written)':>12} {'(+lemma)':>9}")
    for label, base, our in [
        ("micro precision", baseline.prf()[0], scores.prf()[0]),
        ("micro recall", baseline.prf()[1], scores.prf()[1]),
        ("micro F1", baseline.prf()[2], scores.prf()[2]),
        ("macro F1", baseline.macro_f1(themes), scores.macro_f1(themes)),
    ]:
        print(f"{label:<24} {base:12.3f} {our:9.3f} {our / base:6.2f}")
    print(f"\nthroughput: {rate:,.0f} texts/s (ours, first pass over the texts, one process)")
    print(f"gold labels: {scores.tp.total() + scores.fn.total()} on {len(rows)} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
