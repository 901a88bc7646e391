"""Asks of the corpus's WG reports left with no theme, before and after a change of the keywords.

Parses every report of ../shared/data/wg_reports as ingest does (`parse_wg_report`) and gives each
ask the themes an export shows (`flows.extract.theme_hits`: the classifier's labels and the keyword
themes shown beside them, else the keyword themes). An ask has no theme when the classifier
abstains and no keyword matches. With `--before FILE` the same asks are also tagged with another
themes file (the keywords before a change: `git show main:data/themes.yaml > /tmp/before.yaml`),
and the asks that file leaves empty but data/themes.yaml themes are listed, a seeded random sample
of them printed for reading by hand, and so are the asks whose keyword themes gained a theme (the
new keyword hits, shown or not).

Run: .venv/bin/python bench/bench_theme_gaps.py [--before FILE] [--sample 40] [--seed 0]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from uprdex.extractors.themes import ThemeTagger
from uprdex.extractors.wg_report import parse_wg_report
from uprdex.pipeline.loader import load_pdf
from uprdex.pipeline.theme_model import ThemeModel

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "data"


def _asks(path: Path) -> list[tuple[str, str]]:
    """(ask id, text) of every recommendation of one WG report."""
    report = parse_wg_report(load_pdf(path))
    symbol = report.symbol or path.stem
    return [(f"{symbol}#{rec.paragraph}", rec.text) for rec in report.recommendations]


def parse_corpus(cache: Path | None) -> list[tuple[str, str]]:
    """Every ask of the corpus, read from `cache` when it exists (written otherwise)."""
    if cache and cache.is_file():
        return [(ask, text) for ask, text in json.loads(cache.read_text(encoding="utf-8"))]
    paths = sorted((SHARED / "wg_reports").glob("*.pdf"))
    with ProcessPoolExecutor(max_workers=2) as pool:
        asks = [ask for found in pool.map(_asks, paths) for ask in found]
    if cache:
        cache.write_text(json.dumps(asks), encoding="utf-8")
    return asks


def themes_of(texts: Sequence[str], model: ThemeModel, tagger: ThemeTagger) -> list[list[str]]:
    """The themes an export shows: the classifier's labels and the keyword themes shown beside
    them (ThemeTagger.shown), else the keyword themes."""
    labels = model.labels(texts)
    keywords = tagger.tag_many(texts)
    return [tagger.shown(found, hits) for found, hits in zip(labels, keywords, strict=True)]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, help="themes file to compare with (old keywords)")
    parser.add_argument("--sample", type=int, default=40, help="newly themed asks to print")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--cache", type=Path, help="JSON file keeping the parsed asks")
    parser.add_argument("--show-empty", type=int, default=0, help="asks still empty to print")
    args = parser.parse_args(argv)
    if not (SHARED / "wg_reports").is_dir():
        print(f"skipped: {SHARED / 'wg_reports'} not found (the shared corpus is not here)")
        return 0
    asks = parse_corpus(args.cache)
    texts = [text for _, text in asks]
    model = ThemeModel.load()
    labels = model.labels(texts)
    after = themes_of(texts, model, ThemeTagger())
    empty = [i for i, found in enumerate(after) if not found]
    reports = len({ask.split("#")[0] for ask, _ in asks})
    print(f"{len(asks)} asks in {reports} WG reports")
    print(f"classifier abstains: {sum(not found for found in labels)}")
    print(f"no theme (classifier and keywords of data/themes.yaml): {len(empty)}")
    rng = random.Random(args.seed)
    for i in rng.sample(empty, min(args.show_empty, len(empty))):
        print(f"  EMPTY {asks[i][0]}: {asks[i][1]}")
    if args.before is None:
        return 0
    before = themes_of(texts, model, ThemeTagger(args.before))
    was_empty = [i for i, found in enumerate(before) if not found]
    themed = [i for i in was_empty if after[i]]
    lost = [i for i, found in enumerate(before) if found and not after[i]]
    changed = sum(1 for b, a in zip(before, after, strict=True) if b != a)
    print(f"no theme with {args.before}: {len(was_empty)}")
    print(f"newly themed: {len(themed)}; themed before, empty now: {len(lost)}")
    print(f"asks whose shown themes changed: {changed}")
    print("themes given:", dict(Counter(t for i in themed for t in after[i]).most_common()))
    for i in sorted(rng.sample(themed, min(args.sample, len(themed)))):
        print(f"  NEW {asks[i][0]} -> {', '.join(after[i])}: {asks[i][1]}")
    old_hits, new_hits = ThemeTagger(args.before).tag_many(texts), ThemeTagger().tag_many(texts)
    gained = [
        (i, sorted({h.theme for h in new} - {h.theme for h in old}))
        for i, (old, new) in enumerate(zip(old_hits, new_hits, strict=True))
    ]
    gained = [(i, found) for i, found in gained if found]
    print(f"new keyword hits (a keyword theme gained, shown or not): {len(gained)} asks")
    for i, found in sorted(rng.sample(gained, min(args.sample, len(gained)))):
        print(f"  HIT {asks[i][0]} +{', '.join(found)}: {asks[i][1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
