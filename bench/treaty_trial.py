# ruff: noqa: E501  (the lead's rule is copied verbatim, its lines unbroken)
"""Treaty-name reading fixes with the full model retrain (issue #19 part 4, recurring asks;
review22 findings 1 and 3; helper treaty). PRE-REGISTERED: this docstring (the fixes, the
protocols and the lead's ship rule, copied verbatim) is committed before the first scored run.

The fixes are bench/recurcar_fixes.patch (REPORT-recurcar.md, bench/recurcar_trial.py):
1. `TreatyTable.replace` merges a key printed straight after itself during each pass ("the
   Optional Protocol to the Convention on the Rights of the Child (CRC) on the involvement of
   children in armed conflict" reads as OPAC, not "crc crc");
2. aliases of opiccpr2 so that "Optional Protocol to the ICCPR/International Covenant ...,
   aiming at the abolition of the death penalty" reads as the Second Protocol;
3. "adhesion to" reads as ratifying.
The plural "the Optional Protocols to the CRC" (A/HRC/12/2 74.5) is considered only if its
reading is clear from the words; nothing is guessed from context (A/HRC/25/11 104.6 stays).
NORMALIZATION is bumped; the models that read normalized texts are retrained with the
documented commands from the same training data, in the project's order (666bfae): `uprdex
train-similarity` and `uprdex train-word-vectors` on the UPR Info export (seed 0), `uprdex
train-pairs bench/gold/pairs_training.csv`, `bench/recurrence_learned.py --no-test --write
data/models/recurrence`; each rebuilt twice to check the same bytes.

Arms: "today" = the code and models of main 1d6eb96 (this branch's base); "new" = the fixes,
NORMALIZATION bumped and the retrained models. Each arm's features are computed by that arm's
code and models (`--save ARM`, cached in /tmp/treaty/ARM-*.pkl/.npz), both arms then scored in
one run by the same protocol code (`--compare`), as bench/recurcar_trial.py did.

SHIP RULE, pre-registered by the project lead before any scored run (verbatim):

 The fixes are reading bugs, so they ship unless they regress beyond noise. Ship only if ALL hold:
 (a) correctness: over the asks of all 245 WG reports in /work/shared/data, list every ask whose treaty keys change between the old and new normalize; read each against its printed text (if more than 60, all of them still listed, and a random sample of 60 read, seed fixed); zero wrong readings in what you read.
 (b) after the full retrain, the cluster protocol on the 12 TUNING reviews, leave one review out (bench/cluster_protocol.py / the tuning group in bench/review_groups.py, as bench/bridge3_trial.py scored them): mean F1 not down by more than 0.005 and mean precision not down by more than 0.005 against today's shipped models scored in the same run.
 (c) the recurrence protocol on the 13 tuning pairs (as bench/recurcar_trial.py / bench/recurrence_learned.py, link model retrained per fold): mean F1 not down; mean precision not down by more than 0.010.
 NEVER score or read the five gold TEST reviews (Slovenia 2019, Nigeria 2013, Viet Nam 2014, Costa Rica 2014, Norway 2014), the Viet Nam 2009-2014 recurring pair, or the FRESH pairs: the lead scores those after the decision. Do not change any cluster default or threshold; only the reading fixes and the retrained models.

How each part is run here (fixed before any score):
(a) `--list`: the asks of the 245 WG reports of /work/shared/data/wg_reports as uprdex prints
    them (one `uprdex ingest` of all 245 into a scratch index by this branch's code), each ask's
    treaty keys (the keys of the treaty table that `normalize` leaves in its text) under the
    today and new code (the today code run from a copy of 1d6eb96's pipeline and data), every
    ask whose keys differ listed with both key sets and its printed text. Because the rule's
    NEVER outranks "all 245", the WG reports of the five test reviews, of Viet Nam 2009 and of
    the FRESH recurring pairs (bench/recurrence_protocol.py) are left out of the listing, unread
    (the lead can list them after the decision). If more than 60 asks change, a sample of 60
    (random.Random(20261207)) is read.
(b) `--save ARM` then `--compare`: bench/cluster_protocol.py's `load_reviews(tuning=True,
    tests=False)` and `learned_method(ClusterSettings())` leave-one-out (each fold's pair model
    trained by `train_reviews` on the 11 other tuning reviews with the arm's similarity model
    and word vectors; the held-out review clustered at the defaults), scored by its `score`.
(c) bench/recurcar_trial.py's protocol: each of the 13 pairs (ALL_TUNING + MORE_TUNING) left
    out, the link model trained by `train_recurrence.train` on the 12 others from the arm's
    features (the arm's code, similarity model, word vectors and pair model).

Not in the arm (decided before any score): the plural "the Optional Protocols to the CRC"
(74.5). Its words do not say which protocols: the CRC had two in 2009 (OPAC, OPSC) and three
from 2011 (OPIC), and the table carries no date, so no reading of it is clear.

Measured (2026-12-07, one scored run of each arm, the 2-core machine shared at load 4-7):
- `--save today a b c` on 1d6eb96 (ingest of the 228 WG reports 69 s; (b) 351 s; (c) 34 s),
  then bench/treaty_fixes.patch applied (the three fixes, NORMALIZATION 11, the tests), the
  models retrained (train-similarity 79 s: 29,184 -> 29,181 distinct texts, 6,656 terms;
  train-word-vectors 24 s; train-pairs 197 s; recurrence_learned.py --no-test --write 120 s,
  7 tuning pairs left out: rule 0.478, learned 0.637), `--save new a b c` ((b) 304 s, (c) 29
  s), `--compare today new` (61 s; it stopped at (c) on a bug of this file, recurcar_trial's
  CACHE not set on the compare path, fixed and run again, 79 s: (b) read from the same saved
  scores). Built a second time (into /tmp/treaty/second) all four model folders are the same
  bytes (cmp).
- (a): of 26,030 asks, treaty keys change on 3, the normalized text on 4 (all read):
  A/HRC/12/2#74.4 crc -> opcrcac ("the Optional Protocol to the Convention on the Rights of
  the Child (CRC) on the involvement of children in armed conflict": right); A/HRC/13/17#98.7
  crc -> opcrcsc ("the Optional Protocol to the CRC (CRC) on the sale of children, child
  prostitution and child pornography": right); A/HRC/8/36#30(b) opiccpr -> opiccpr2 ("ratify
  the Optional Protocol to the ICCPR aiming at the abolition of the death penalty": right,
  the Second Protocol's title); A/HRC/25/11#104.22, keys ced cat as before, "adhes" ->
  "ratifi" ("through the adhesion to the CPED and the CAT": right). Zero wrong: HOLDS.
- (b): mean P/R/F1 today 0.6749/0.6122/0.6291, new 0.6683/0.6132/0.6272: F1 -0.0019,
  precision -0.0066 (down by more than 0.005): FAILS. Today reproduces bridge3_trial's today
  fold for fold. Brazil 2012 0.69/0.45/0.55 -> 0.62/0.45/0.52, Madagascar 0.74 -> 0.75, Sri
  Lanka 0.57 -> 0.58, India 0.79 -> 0.78, Japan 0.75 -> 0.74, the others' F1 the same.
- (c): mean P/R/F1 today 0.8335/0.4977/0.6178 (recurcar's today, pair for pair), new
  0.8324/0.5090/0.6267: F1 +0.0089, precision -0.0011: HOLDS. CAR 0.585 -> 0.644 (81 -> 93
  found, 5 wrong both), Ghana 0.663 -> 0.698, Albania 0.571 -> 0.594.
So the rule is NOT met ((b) fails on precision): nothing in pipeline/ or data/ changes. Read
after the verdict, choosing nothing: no text of the 12 tuning reviews normalizes otherwise
((a) lists every changed text of the 228 reports), so (b)'s change comes only from the models
retrained on the UPR Info export (3 fewer distinct texts) and each fold's pair model on them.
With the patch and the retrained models applied, test_normalize, test_pair_model,
test_review22, test_recurrence*, test_recurring_filter, test_clusters, test_cluster_parts and
test_pair_positions gave 169 passed, 4 xfailed (the OPAC test and 104.22's split-off test
pass; 104.6, Dominica and the two other findings stay strict xfail).
"""

from __future__ import annotations

import json
import os
import pickle
import random
import statistics
import subprocess
import sys
import time
from dataclasses import asdict
from pathlib import Path

import numpy as np
import recurcar_trial
from cluster_protocol import SHARED, Score, learned_method, leave_one_out, load_reviews
from recurrence_protocol import FRESH
from recurrence_protocol import TEST as RECURRING_TEST
from review_groups import REVIEWS

import uprdex
from uprdex.pipeline.clusters.normalize import NORMALIZATION, normalize
from uprdex.pipeline.clusters.treaties import load_treaties
from uprdex.pipeline.settings import ClusterSettings

CACHE = Path("/tmp/treaty")
SEED = 20261207
SAMPLE = 60
LEFT_OUT = frozenset(
    {pdf for _, pdf in REVIEWS.values() if pdf}
    | {RECURRING_TEST.earlier_pdf, RECURRING_TEST.later_pdf}
    | {pdf for pair in FRESH for pdf in (pair.earlier_pdf, pair.later_pdf)}
)
"""WG reports the rule's NEVER keeps out of (a): the test reviews', Viet Nam 2009's and the
FRESH recurring pairs'."""


def _asks() -> list[tuple[str, str]]:
    """(id, text) of every ask uprdex prints for the WG reports not LEFT_OUT (one ingest, kept)."""
    index = CACHE / "wg_reports.sqlite"
    if not index.exists():
        pdfs = sorted(
            str(path) for path in (SHARED / "wg_reports").glob("*.pdf") if path.name not in LEFT_OUT
        )
        env = dict(os.environ, PREFECT_SERVER_ANALYTICS_ENABLED="false", DO_NOT_TRACK="1")
        binary = Path(sys.executable).parent / "uprdex"
        start = time.perf_counter()
        scratch = index.with_suffix(".partial")
        subprocess.run([str(binary), "ingest", *pdfs, "--index", str(scratch)], check=True, env=env)
        scratch.rename(index)
        print(f"  ingested {len(pdfs)} WG reports in {time.perf_counter() - start:.0f} s")
    with uprdex.open_index(index) as opened:
        return [(row["id"], row["text"]) for row in opened.recommendations()]


def save_keys(arm: str) -> None:
    """(a): each ask's treaty keys and normalized text under this arm's code."""
    table = load_treaties()
    rows = {}
    for ask, text in _asks():
        normal = normalize(text, table)
        rows[ask] = [[w for w in normal.split() if w in table.keys], normal, text]
    (CACHE / f"{arm}-keys.json").write_text(
        json.dumps({"normalization": NORMALIZATION, "asks": rows})
    )
    print(f"  (a) {arm}: {len(rows)} asks, NORMALIZATION {NORMALIZATION}")


def save_clusters(arm: str) -> None:
    """(b): the 12 tuning reviews left out in turn, this arm's code and models."""
    start = time.perf_counter()
    reviews = load_reviews(tuning=True, tests=False)
    results = leave_one_out(reviews, {arm: learned_method(ClusterSettings())})[arm]
    for review, result in zip(reviews, results, strict=True):
        print(f"    {arm}, {review.name} held out: {result.cell()}", flush=True)
    out = {"names": [r.name for r in reviews], "scores": [asdict(s) for s in results]}
    (CACHE / f"{arm}-clusters.pkl").write_bytes(pickle.dumps(out))
    print(f"  (b) {arm}: {time.perf_counter() - start:.0f} s")


def save_recurrence(arm: str) -> None:
    """(c): every tuning pair's link features and labels, this arm's code and models."""
    start = time.perf_counter()
    recurcar_trial.CACHE = CACHE
    recurcar_trial.save(arm)
    print(f"  (c) {arm}: {time.perf_counter() - start:.0f} s")


def list_changes(before: str, after: str) -> bool:
    """(a): every ask whose treaty keys differ, and the sample read. True if any listed."""
    old = json.loads((CACHE / f"{before}-keys.json").read_text())
    new = json.loads((CACHE / f"{after}-keys.json").read_text())
    assert old["asks"].keys() == new["asks"].keys()
    changed = sorted(a for a in old["asks"] if old["asks"][a][0] != new["asks"][a][0])
    texts = sorted(a for a in old["asks"] if old["asks"][a][1] != new["asks"][a][1])
    print(
        f"== (a) {len(old['asks'])} asks of {len(list((SHARED / 'wg_reports').glob('*.pdf')))}"
        f" WG reports less {len(LEFT_OUT)} left out unread: treaty keys change on {len(changed)}, "
        f"the normalized text on {len(texts)}"
    )
    for ask in texts:
        mark = "KEYS" if ask in changed else "text"
        print(f"  [{mark}] {ask}: {old['asks'][ask][0]} -> {new['asks'][ask][0]}")
        print(f"      today: {old['asks'][ask][1]}")
        print(f"      new:   {new['asks'][ask][1]}")
        print(f"      printed: {old['asks'][ask][2]}")
    if len(changed) > SAMPLE:
        sample = sorted(random.Random(SEED).sample(changed, SAMPLE))
        print(f"  the {SAMPLE} read (random.Random({SEED}).sample): {sample}")
    return bool(changed)


def _means(scores: list[tuple[float, float, float]]) -> tuple[float, float, float]:
    return tuple(statistics.fmean(s[i] for s in scores) for i in range(3))  # type: ignore[return-value]


def compare(before: str, after: str) -> None:
    """(b) and (c), both arms scored in this run, against the rule's bars."""
    old = pickle.loads((CACHE / f"{before}-clusters.pkl").read_bytes())
    new = pickle.loads((CACHE / f"{after}-clusters.pkl").read_bytes())
    assert old["names"] == new["names"]
    print(f"== (b) clusters, 12 tuning reviews left out: P/R/F1 {before} | {after}")
    rows = {before: [], after: []}
    for at, name in enumerate(old["names"]):
        a, b = Score(**old["scores"][at]), Score(**new["scores"][at])
        rows[before].append((a.precision, a.recall, a.f1))
        rows[after].append((b.precision, b.recall, b.f1))
        print(f"  {name:18} {a.cell()} | {b.cell()}")
    mb, ma = _means(rows[before]), _means(rows[after])
    df, dp = ma[2] - mb[2], ma[0] - mb[0]
    ok_b = df >= -0.005 and dp >= -0.005
    print(
        f"  mean {mb[0]:.4f}/{mb[1]:.4f}/{mb[2]:.4f} | {ma[0]:.4f}/{ma[1]:.4f}/{ma[2]:.4f}: "
        f"F1 {df:+.4f}, precision {dp:+.4f} (bar: neither down by more than 0.005): "
        f"{'HOLDS' if ok_b else 'FAILS'}"
    )
    print("== (c) recurring asks, 13 tuning pairs left out (link model retrained per fold)")
    recurcar_trial.CACHE = CACHE
    arms = {arm: recurcar_trial.left_out(recurcar_trial.load(arm)) for arm in (before, after)}
    names = [e.name for e in recurcar_trial.load(before)]
    for at, name in enumerate(names):
        cells = [
            f"{p:.3f}/{r:.3f}/{f:.3f} ({tp}, {fp})"
            for p, r, f, tp, fp in (a[at] for a in arms.values())
        ]
        print(f"  {name:36} {cells[0]} | {cells[1]}")
    means = {arm: np.mean([s[:3] for s in rows_], axis=0) for arm, rows_ in arms.items()}
    df, dp = means[after][2] - means[before][2], means[after][0] - means[before][0]
    ok_c = df >= 0 and dp >= -0.010
    print(
        f"  mean {'/'.join(f'{v:.4f}' for v in means[before])} | "
        f"{'/'.join(f'{v:.4f}' for v in means[after])}: F1 {df:+.4f} (bar: not down), precision "
        f"{dp:+.4f} (bar: not down by more than 0.010): {'HOLDS' if ok_c else 'FAILS'}"
    )
    print(
        f"(b) {'holds' if ok_b else 'FAILS'}; (c) {'holds' if ok_c else 'FAILS'}; "
        "(a) is read by hand"
    )


def main() -> int:
    args = sys.argv[1:]
    CACHE.mkdir(parents=True, exist_ok=True)
    if args[:1] == ["--save"] and len(args) >= 2:
        parts = args[2:] or ["a", "b", "c"]
        for part, step in (("a", save_keys), ("b", save_clusters), ("c", save_recurrence)):
            if part in parts:
                step(args[1])
        return 0
    if args[:1] == ["--list"] and len(args) == 3:
        list_changes(args[1], args[2])
        return 0
    if args[:1] == ["--compare"] and len(args) == 3:
        compare(args[1], args[2])
        return 0
    print(
        "Run: .venv/bin/python bench/treaty_trial.py --save ARM [a] [b] [c] | "
        "--list OLD NEW | --compare OLD NEW"
    )
    return 2


if __name__ == "__main__":
    sys.exit(main())
