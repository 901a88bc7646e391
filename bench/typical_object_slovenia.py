"""typical+object at 0.40 against the score at 0.50 on Slovenia's set ingested whole: the bar
pre-registered in bench/typical_object_slovenia_bar.md (read it first).

`list` ingests Slovenia's 18 PDFs twice into fresh indexes under OUT, `link_paraphrases`
calling the score at 0.50 ("before") and then typical+object at 0.40 ("after"), each through
`paraphrase_rules.match_with` whatever ingest's default, and writes the union of both lists'
paraphrase pairs, shuffled (SEED), for labelling blind (OUT/blind.txt, OUT/labels_blank.csv:
no score, no rule, not which list).
`score` ingests the same way again, reads bench/labels/slovenia_set_paraphrases.csv (matched on
document, page, ask and the sentence's first 100 characters) and prints the bar's figures, and
which list holds each pair: the key the bar's file speaks of is this second ingest, not a file.
Run: .venv/bin/python bench/typical_object_slovenia.py list | score
"""

from __future__ import annotations

import csv
import random
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from paraphrase_rules import match_with

import uprdex.pipeline.store.linking as linking
from uprdex.flows.ingest import ingest_paths
from uprdex.pipeline.paraphrase import Match
from uprdex.pipeline.settings import LoaderSettings
from uprdex.pipeline.store import Store

SLOVENIA = Path(__file__).resolve().parents[2] / "shared" / "data" / "slovenia"
OUT = Path(tempfile.gettempdir()) / "echo5"
LABELS = Path(__file__).resolve().parent / "labels" / "slovenia_set_paraphrases.csv"
SEED = 5
Pair = tuple[str, int, str, str]  # document symbol (or file name), page, ask id, sentence


def _score(sentences: Sequence[str], recs: Mapping[str, str], threshold: float) -> list[Match]:
    """The score at 0.50 (ingest's rule before echo5), whatever threshold ingest passes."""
    return match_with(sentences, recs, 0.50)


def _typical(sentences: Sequence[str], recs: Mapping[str, str], threshold: float) -> list[Match]:
    """typical+object at 0.40 (ingest's rule since echo5), whatever threshold ingest passes."""
    return match_with(sentences, recs, 0.40, other_words="typical", object_word=True)


def _pairs(index: Path) -> tuple[list[Pair], dict[str, str]]:
    """Slovenia's 18 PDFs ingested into `index`: its paraphrase pairs, and the asks' texts."""
    pdfs = sorted(SLOVENIA.rglob("*.pdf"))
    assert len(pdfs) == 18, pdfs
    with Store(index) as store:
        ingest_paths(pdfs, store, LoaderSettings(workers=1))
        rows = store.db.execute(
            "SELECT coalesce(d.symbol, d.path), e.page, e.recommendation_id, e.context "
            "FROM evidence e JOIN documents d ON d.sha256 = e.document_sha256 "
            "WHERE e.kind = 'paraphrase'"
        ).fetchall()
        asks = dict(store.db.execute("SELECT id, text FROM recommendations").fetchall())
    return sorted((str(r[0]), int(r[1]), str(r[2]), str(r[3])) for r in rows), asks


def _lists() -> tuple[list[Pair], list[Pair], dict[str, str]]:
    """The before and after lists (fresh indexes under OUT), and the asks' texts."""
    OUT.mkdir(exist_ok=True)
    for name in ("before.sqlite", "after.sqlite"):
        (OUT / name).unlink(missing_ok=True)
    original = linking.match_sentences
    try:
        linking.match_sentences = _score  # type: ignore[assignment]
        before, asks = _pairs(OUT / "before.sqlite")
        linking.match_sentences = _typical  # type: ignore[assignment]
        after, _ = _pairs(OUT / "after.sqlite")
    finally:
        linking.match_sentences = original
    return before, after, asks


def _union(before: list[Pair], after: list[Pair]) -> list[Pair]:
    """Both lists' pairs, shuffled (SEED): the order they are labelled in."""
    union = sorted(set(before) | set(after))
    random.Random(SEED).shuffle(union)
    return union


def list_pairs() -> int:
    before, after, asks = _lists()
    union = _union(before, after)
    with (OUT / "blind.txt").open("w", encoding="utf-8") as handle:
        for n, (document, page, ask, sentence) in enumerate(union, 1):
            handle.write(f"[{n}] {document} p. {page}\n  ASK {ask}: {asks[ask]}\n")
            handle.write(f"  SENTENCE: {sentence}\n\n")
    with (OUT / "labels_blank.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["item", "document", "page", "recommendation_id", "sentence_start", "restates"]
        )
        for n, (document, page, ask, sentence) in enumerate(union, 1):
            writer.writerow([n, document, page, ask, sentence[:100], ""])
    print(f"{len(union)} pairs to label (which list holds each is not said)")
    return 0


def score() -> int:
    before, after, _ = _lists()
    with LABELS.open(encoding="utf-8") as handle:
        labels = {
            (
                row["document"],
                int(row["page"]),
                row["recommendation_id"],
                row["sentence_start"],
            ): row["restates"].strip()
            for row in csv.DictReader(handle)
        }
    union = _union(before, after)
    keys = {pair: (pair[0], pair[1], pair[2], pair[3][:100]) for pair in union}
    assert len(set(keys.values())) == len(union) and set(keys.values()) == set(labels)
    assert set(labels.values()) <= {"0", "1", "?"}
    label = {pair: labels[key] for pair, key in keys.items()}
    groups = {
        "common": [p for p in union if p in before and p in after],
        "removed": [p for p in union if p in before and p not in after],
        "added": [p for p in union if p in after and p not in before],
    }
    n = {name: len(found) for name, found in groups.items()}
    print(
        f"before {len(before)}, after {len(after)}: common {n['common']}, removed "
        f"{n['removed']}, added {n['added']}"
    )
    verdicts = []
    for reading, doubtful in (("doubtful as wrong", "0"), ("doubtful as right", "1")):
        right = {
            name: sum(1 for p in found if label[p].replace("?", doubtful) == "1")
            for name, found in groups.items()
        }
        was = (right["common"] + right["removed"], n["common"] + n["removed"])
        now = (right["common"] + right["added"], n["common"] + n["added"])
        a = right["added"] * n["removed"] >= right["removed"] * n["added"]
        b = now[0] * was[1] >= was[0] * now[1]
        verdicts.append(a and b)
        print(
            f"{reading}: right common {right['common']}/{n['common']}, removed "
            f"{right['removed']}/{n['removed']}, added {right['added']}/{n['added']}"
        )
        print(
            f"  (a) added {right['added'] / n['added']:.3f} >= removed "
            f"{right['removed'] / n['removed']:.3f}: {_holds(a)}"
        )
        print(
            f"  (b) after {now[0]}/{now[1]} = {now[0] / now[1]:.3f} >= before "
            f"{was[0]}/{was[1]} = {was[0] / was[1]:.3f}: {_holds(b)}"
        )
    print(f"doubtful: {sum(1 for v in label.values() if v == '?')}")
    print("bar: " + ("PASSES" if all(verdicts) else "FAILS"))
    for name in ("removed", "added", "common"):
        for document, page, ask, sentence in sorted(groups[name]):
            mark = label[(document, page, ask, sentence)]
            print(f"{name} [{mark}] {ask} {document} p. {page}: {sentence[:80]}")
    return 0


def _holds(passed: bool) -> str:
    return "holds" if passed else "fails"


if __name__ == "__main__":
    sys.exit({"list": list_pairs, "score": score}[sys.argv[1]]())
