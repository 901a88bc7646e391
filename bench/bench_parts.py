"""Who asked which part of a compound ask, against UPR Info's one-row-per-State wording.

With both --recommending-state and --search, `recs`, `search` and the exports keep a compound
item (one with `parts`) only when the words fall in the parts that State asked. UPR Info's
export words each State's ask on a row of its own, so it says which words a State asked for.
For every UPR Info row linked to a compound item and naming one of the item's States, and every
content word of the item's text (4+ letters, not a stop word): the State asked for the word when
its UPR Info wording holds it (porter stems, as the index searches), and the filter keeps or
drops the item for (State, word), read with `filter_sql` as the commands read it.

Prints, per year group (2008-2010: where the reading rules were chosen; 2011: held out; 2012-2014
and all): words the State asked for that the filter drops, (item, State) pairs losing at least
one such word, and the share of the words the State did not ask for that are dropped. Without
the parts rule nothing is dropped: every figure below would be 0. With --base, the same for an
index another version built, side by side, and the (item, State, word) losses each has alone.

Build an index first (about 3 minutes):
    uprdex ingest ../shared/data/wg_reports --index /tmp/parts.sqlite
    uprdex import upr-info ../shared/data/upr_info/upr_info_sessions_1-20.csv --index ...
Run: .venv/bin/python bench/bench_parts.py /tmp/parts.sqlite [--base OLD.sqlite] [--cases F.json]
"""

from __future__ import annotations

import argparse
import json
import re
import sqlite3
import sys
from collections import Counter
from pathlib import Path

from uprdex.pipeline.store.filters import RecFilter, filter_sql

GROUPS = {"2008-2010": (2008, 2010), "2011 (held out)": (2011, 2011), "2012-2014": (2012, 2014)}
WORD = re.compile(r"[A-Za-z][A-Za-z-]{3,}")
STOP = frozenset(
    [
        "the",
        "and",
        "of",
        "to",
        "for",
        "its",
        "all",
        "with",
        "that",
        "this",
        "from",
        "into",
        "their",
        "which",
        "other",
        "such",
        "in",
        "on",
        "as",
        "by",
        "be",
        "an",
        "or",
        "a",
        "at",
    ]
)

Loss = tuple[str, str, str, int]  # (item, State, word, year)


def measure(path: Path) -> tuple[Counter[tuple[str, bool, bool]], set[Loss], set[Loss]]:
    """(counts by (year group, State asked the word, filter keeps the item), the losses, the
    words kept that the State did not ask for)."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    db.row_factory = sqlite3.Row
    db.execute(
        "CREATE VIRTUAL TABLE temp.asked USING fts5(text, rid UNINDEXED, name UNINDEXED,"
        " tokenize='porter unicode61')"
    )
    rows = db.execute(
        "SELECT i.recommendation_id AS rid, i.recommending_states, i.text FROM imports i"
        " WHERE i.recommendation_id IN (SELECT recommendation_id FROM recommendation_parts)"
    ).fetchall()
    for row in rows:
        for name in json.loads(row["recommending_states"]):
            db.execute("INSERT INTO temp.asked VALUES (?,?,?)", (row["text"], row["rid"], name))
    pairs = db.execute(
        "SELECT DISTINCT a.rid, a.name, r.text, r.year FROM temp.asked a"
        " JOIN recommendations r ON r.id = a.rid WHERE a.name IN"
        " (SELECT name FROM recommendation_states WHERE recommendation_id = a.rid)"
    ).fetchall()
    counts: Counter[tuple[str, bool, bool]] = Counter()
    lost: set[Loss] = set()
    extra: set[Loss] = set()
    for pair in pairs:
        group = next((g for g, (a, b) in GROUPS.items() if a <= pair["year"] <= b), None)
        if group is None:
            continue
        for word in sorted({w.lower() for w in WORD.findall(pair["text"])} - STOP):
            asked = db.execute(
                "SELECT 1 FROM temp.asked WHERE asked MATCH ? AND rid = ? AND name = ?",
                (f'"{word}"', pair["rid"], pair["name"]),
            ).fetchone()
            sql, params = filter_sql(RecFilter(search=word, recommending_state=pair["name"]))
            kept = db.execute(
                f"SELECT 1 FROM recommendations r {sql} AND r.id = ?", [*params, pair["rid"]]
            ).fetchone()
            counts[(group, asked is not None, kept is not None)] += 1
            case = (pair["rid"], pair["name"], word, pair["year"])
            if asked and not kept:
                lost.add(case)
            elif kept and not asked:
                extra.add(case)
    return counts, lost, extra


def figures(
    counts: Counter[tuple[str, bool, bool]], lost: set[Loss], _: set[Loss], group: str
) -> list[str]:
    """The three figures of one year group ("all" for every group) as printed cells."""
    span = GROUPS.get(group, (0, 9999))
    pick = Counter[tuple[bool, bool]]()
    for (g, asked, kept), n in counts.items():
        if group == "all" or g == group:
            pick[(asked, kept)] += n
    dropped, kept = pick[(True, False)], pick[(True, True)]
    right, wrong = pick[(False, False)], pick[(False, True)]
    pairs = {(rid, name) for rid, name, _, year in lost if span[0] <= year <= span[1]}
    return [
        f"{dropped:,} of {dropped + kept:,} ({dropped / max(dropped + kept, 1):.1%})",
        f"{len(pairs):,}",
        f"{right:,} of {right + wrong:,} ({right / max(right + wrong, 1):.1%})",
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("index", type=Path, help="an index with the WG reports and UPR Info")
    parser.add_argument("--base", type=Path, help="the same built by another version")
    parser.add_argument(
        "--cases", type=Path, help="write ours' losses and the words kept not asked as JSON here"
    )
    args = parser.parse_args()
    runs = {"ours": measure(args.index)}
    if args.base:
        runs = {"base": measure(args.base), **runs}
    heads = ("asked, dropped", "pairs losing a word", "not asked, dropped")
    for group in [*GROUPS, "all"]:
        print(f"\n{group}")
        cells = {name: figures(*run, group) for name, run in runs.items()}
        for at, head in enumerate(heads):
            print(f"  {head:<22}" + "".join(f"{name}: {c[at]:<28}" for name, c in cells.items()))
    if args.base:
        base, ours = runs["base"][1], runs["ours"][1]
        new_pairs = {(r, n) for r, n, *_ in ours} - {(r, n) for r, n, *_ in base}
        print(
            f"\nlosses mended {len(base - ours):,}, new {len(ours - base):,};"
            f" pairs newly losing a word {len(new_pairs):,}"
        )
    if args.cases:
        lost, extra = sorted(runs["ours"][1]), sorted(runs["ours"][2])
        args.cases.write_text(json.dumps({"lost": lost, "kept_not_asked": extra}, indent=0))
    return 0


if __name__ == "__main__":
    sys.exit(main())
