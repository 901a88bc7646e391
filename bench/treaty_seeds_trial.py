# ruff: noqa: E501  (the lead's rule is copied verbatim, its lines unbroken)
"""Treaty-name reading fixes under a seed-averaged ship rule (helper noise; issue #19 part 4,
review22 findings 1 and 3, review25 finding 1). PRE-REGISTERED: this docstring (the fixes, how
each part is run and the lead's ship rule, copied verbatim) is committed before any scored run.

Why: bench/treaty_trial.py's three fixes failed its part (b) on precision (-0.0066, bar 0.005)
although no text of the 12 tuning reviews normalizes otherwise: one retrain of the models moved
it. This trial scores each arm over three retrain seeds, so that retrain noise is averaged and
measured (today's seed spread).

The fixed arm (this branch): bench/treaty_fixes.patch (1. a treaty key printed straight after
itself is one mention in each pass of the table, so "the Optional Protocol to the CRC (CRC) on
the involvement of children in armed conflict" is OPAC; 2. opiccpr2's alias for the Second
Protocol's title without "Second"; 3. "adhesion to" is ratifying) plus 4. the CED alias
"International Covenant for the Protection of All Persons from Enforced Disappearance" (the
misprint of A/HRC/14/5 82.13, El Salvador 2010), NORMALIZATION 10 -> 11. The today arm: main's
code and data (61fed2f), in a scratch copy (`git archive main`).

SHIP RULE, pre-registered by the project lead (verbatim):

 The four fixes are reading bugs; they ship unless they regress beyond retrain noise. Arms: "today" = main's code and data; "fixed" = the four fixes with NORMALIZATION bumped. For each arm and each seed s in {0, 1, 2}: train-similarity --seed s and train-word-vectors --seed s on the UPR Info export as the documented recipe (bench/treaty_trial.py), then the pair features/model as the recipe; score (b) and (c) below with that arm-seed's models. Ship only if ALL hold:
 (a) correctness: every ask of the non-test WG reports whose treaty keys change between today and fixed is listed and read against its printed text (all if at most 60, else all listed and a random sample of 60 read, seed fixed); zero wrong readings.
 (b) clusters, the 12 TUNING reviews each left out (as bench/treaty_trial.py part (b)): the mean over the three seeds of fixed's mean F1 is not below the mean over the three seeds of today's mean F1 by more than 0.005, and the same for mean precision.
 (c) recurring asks, the 13 tuning pairs each left out (as bench/treaty_trial.py part (c)): mean over seeds of F1 not down by more than 0.005; mean over seeds of precision not down by more than 0.010.
 Report every arm-seed's figures and today's seed spread (max - min) for P, R, F1 in (b) and (c). NEVER score or read the five gold TEST reviews (Slovenia 2019, Nigeria 2013, Viet Nam 2014, Costa Rica 2014, Norway 2014), the Viet Nam 2009-2014 pair, or the FRESH pairs. Change no cluster default or threshold. If it ships, the shipped models are the fixed arm's seed-0 full retrain by the documented commands (train-similarity, train-word-vectors, train-pairs bench/gold/pairs_training.csv, bench/recurrence_learned.py --no-test --write data/models/recurrence), rebuilt twice to check the same bytes, and the strict xfail tests the fixes make pass have their xfail marks removed (each seen failing before).

How each part is run here (fixed before any score). Each arm runs from its own copy of the code
with its own venv (/tmp/noise/today: `git archive main`; /tmp/noise/fixed: `git archive` of
this branch with the fixes), this file copied into each copy's bench/; caches in
/tmp/noise/cache (the arm-seed's (b) scores and (c) features, named ARM-sSEED).
- `--run ARM SEED`: in that arm's copy, `uprdex train-similarity` and `uprdex
  train-word-vectors` on /work/shared/data/upr_info/upr_info_sessions_1-20.csv with `--seed
  SEED`, then `uprdex train-pairs bench/gold/pairs_training.csv` (the documented recipe,
  666bfae, as bench/treaty_trial.py; each writes the copy's data/models, which the scoring
  reads; the models' digests are kept in the cache), then bench/treaty_trial.py's part (b)
  (`save_clusters`: the 12 tuning reviews of cluster_protocol.load_reviews(tuning=True,
  tests=False) each left out, each fold's pair model trained on the 11 others with that
  arm-seed's similarity model and word vectors, clustered at the defaults) and part (c)
  (`save_recurrence`: recurcar_trial's features of the 13 tuning pairs from the arm-seed's code
  and models). The link model of data/models/recurrence plays no part in (b) or (c) (each fold
  of (c) trains its own), so bench/recurrence_learned.py --write runs only for a shipped
  retrain. Order: seed 0 today, fixed; seed 1 today, fixed; seed 2 today, fixed; one at a
  time.
- (a) `--keys ARM` (each arm's code, treaty_trial.save_keys: the asks of one ingest of the WG
  reports not in treaty_trial.LEFT_OUT, made by main's code) then `--list`
  (treaty_trial.list_changes: every ask whose treaty keys change, with its printed text; a
  sample of 60, random.Random(20261207), if more than 60).
- `--compare`: every arm-seed's mean P/R/F1 of (b) and (c) ((c)'s link model retrained per
  fold from the cached features, recurcar_trial.left_out), today's spread (max - min) over the
  seeds, the mean over seeds per arm, and the bars. A missing arm-seed is reported as missing
  and the rule as not completed (no ship).

Measured (2026-12-07, the 2-core machine shared at load 8-10; logs /tmp/noise/logs):
- Setup as registered, with one fix before any score: bench/review_groups.py finds the corpus as
  parents[2]/shared of the copy, so /tmp/noise/shared is a symlink to /work/shared (the first
  (a) step failed on an empty file list, 4 s, and was rerun; nothing scored). The today copy is
  main 61fed2f; main later gained 9cdc766 (TreatyTable._keyed, normalize byte-identical, still
  NORMALIZATION 10), so bench/treaty_seeds_fixes.patch carries the fixed arm rebased on it:
  with it applied, normalize gives the measured fixed arm's text for all 26,030 asks.
- Times per arm-seed (train + (b) + (c)): today-s0 649 s, fixed-s0 844 s, today-s1 928 s,
  fixed-s1 773 s, today-s2 699 s, fixed-s2 332 s (load fell). today-s0's three models are
  the same bytes as main's shipped ones (sha256), and its (b) and (c) reproduce
  bench/treaty_trial.py's today exactly. --compare as registered, all six arm-seeds.
- (a): 26,030 asks of the 245 WG reports less the 17 left out unread; treaty keys change on 4,
  the normalized text on 5, all read against the PDFs' printed text (pdftotext), all right:
  A/HRC/12/2#74.4 crc -> opcrcac (OPAC, "... Child (CRC) on the involvement of children in
  armed conflict"); A/HRC/13/17#98.7 crc -> opcrcsc ("... (CRC) on the sale of children ...");
  A/HRC/14/5#82.13 none -> ced ("To sign and ratify the International Covenant for the
  Protection of All Persons from Enforced Disappearance (France)"); A/HRC/8/36#30(b) opiccpr ->
  opiccpr2 ("the Optional Protocol to the ICCPR aiming at the abolition of the death penalty");
  A/HRC/25/11#104.22 keys ced cat unchanged, "adhes" -> "ratifi" ("through the adhesion to
  the International Convention ... Enforced Disappearance and the Convention against
  Torture"). Zero wrong: HOLDS.
- (b) mean P/R/F1 over the 12 tuning reviews, each left out:
  | seed | today | fixed |
  | 0 | 0.6749/0.6122/0.6291 | 0.6659/0.6116/0.6255 |
  | 1 | 0.6754/0.6167/0.6329 | 0.6781/0.6184/0.6343 |
  | 2 | 0.6870/0.6162/0.6379 | 0.6727/0.6138/0.6313 |
  | mean | 0.6791/0.6150/0.6333 | 0.6722/0.6146/0.6304 |
  today's seed spread (max - min): P 0.0121, R 0.0045, F1 0.0088 (fixed's 0.0123/0.0069/0.0088).
  F1 -0.0029 (bar 0.005: holds), precision -0.0068 (bar 0.005): FAILS.
- (c) mean P/R/F1 over the 13 tuning pairs, each left out:
  | seed | today | fixed |
  | 0 | 0.8335/0.4977/0.6178 | 0.8289/0.5101/0.6266 |
  | 1 | 0.8333/0.4994/0.6199 | 0.8301/0.5102/0.6272 |
  | 2 | 0.8354/0.4995/0.6198 | 0.8291/0.5116/0.6277 |
  | mean | 0.8341/0.4989/0.6192 | 0.8294/0.5106/0.6271 |
  today's seed spread: P 0.0021, R 0.0018, F1 0.0021 (fixed's 0.0012/0.0015/0.0011). F1
  +0.0080 (bar: not down by more than 0.005), precision -0.0047 (bar 0.010): HOLDS.
Verdict: (b) FAILS on precision, so the rule is NOT met and nothing ships: pipeline/ and data/
are main's, NORMALIZATION stays 10, the fixed arm stays in bench/treaty_seeds_fixes.patch.
Read after the verdict, choosing nothing: today's own precision spread over three seeds in (b)
(0.0121) is more than twice the bar, and the three seeds' means differ by 0.0068, about half of
that spread; with three seeds per arm the rule cannot separate a loss of this size from noise.
Caches: /tmp/noise/cache (ARM-sSEED-clusters.pkl, .npz, -c-scores.json, -models.json).
"""

from __future__ import annotations

import hashlib
import json
import pickle
import statistics
import subprocess
import sys
import time
from pathlib import Path

import recurcar_trial
import treaty_trial
from cluster_protocol import Score

from uprdex.pipeline.resources import data_path

ARMS = ("today", "fixed")
SEEDS = (0, 1, 2)
CACHE = Path("/tmp/noise/cache")
ROOT = Path(__file__).resolve().parents[1]
EXPORT = "/work/shared/data/upr_info/upr_info_sessions_1-20.csv"
# Bars of the rule: (b) F1 and precision 0.005 each; (c) F1 0.005, precision 0.010.
BARS = {"b": (0.005, 0.005), "c": (0.005, 0.010)}

Means = tuple[float, float, float]


def _name(arm: str, seed: int) -> str:
    return f"{arm}-s{seed}"


def _timed(command: list[str]) -> None:
    start = time.perf_counter()
    subprocess.run(command, check=True, cwd=ROOT)
    print(f"  {time.perf_counter() - start:.0f} s: {' '.join(command[1:3])}", flush=True)


def _digests() -> dict[str, str]:
    """sha256 of every file of the three models the scoring reads, as written by this run."""
    out = {}
    for model in ("similarity", "words", "pairs"):
        for path in sorted(data_path("models", model).iterdir()):
            out[f"{model}/{path.name}"] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def run(arm: str, seed: int) -> None:
    """Retrain this arm-seed's models in the running copy, then save (b) and (c) (cached)."""
    name = _name(arm, seed)
    if (CACHE / f"{name}-clusters.pkl").exists() and (CACHE / f"{name}.npz").exists():
        print(f"  {name}: cached")
        return
    binary = str(Path(sys.executable).parent / "uprdex")
    _timed([binary, "train-similarity", EXPORT, "--seed", str(seed)])
    _timed([binary, "train-word-vectors", EXPORT, "--seed", str(seed)])
    _timed([binary, "train-pairs", "bench/gold/pairs_training.csv"])
    (CACHE / f"{name}-models.json").write_text(json.dumps(_digests(), indent=1))
    treaty_trial.save_clusters(name)
    treaty_trial.save_recurrence(name)


def _clusters(name: str) -> Means:
    saved = pickle.loads((CACHE / f"{name}-clusters.pkl").read_bytes())
    scores = [Score(**s) for s in saved["scores"]]
    return tuple(
        statistics.fmean(getattr(s, k) for s in scores) for k in ("precision", "recall", "f1")
    )  # type: ignore[return-value]


def _recurrence(name: str) -> Means:
    # Each fold's link model is retrained here (minutes on a loaded machine): kept per arm-seed.
    kept = CACHE / f"{name}-c-scores.json"
    if not kept.exists():
        rows = recurcar_trial.left_out(recurcar_trial.load(name))
        kept.write_text(json.dumps([[float(v) for v in row] for row in rows]))
    rows = json.loads(kept.read_text())
    return tuple(statistics.fmean(r[i] for r in rows) for i in range(3))  # type: ignore[return-value]


def _cell(means: Means) -> str:
    return "/".join(f"{v:.4f}" for v in means)


def compare() -> bool:
    """Every arm-seed's figures, today's spread, the means over seeds and the bars."""
    verdicts = []
    for part, label, figures in (
        ("b", "(b) clusters, 12 tuning reviews", _clusters),
        ("c", "(c) recurring asks, 13 tuning pairs", _recurrence),
    ):
        print(f"== {label}: mean P/R/F1 per arm-seed")
        got: dict[str, list[Means]] = {arm: [] for arm in ARMS}
        for seed in SEEDS:
            cells = []
            for arm in ARMS:
                name = _name(arm, seed)
                have = (
                    CACHE / f"{name}-clusters.pkl" if part == "b" else CACHE / f"{name}.npz"
                ).exists()
                if have:
                    got[arm].append(figures(name))
                cells.append(_cell(got[arm][-1]) if have else "MISSING")
            print(f"  seed {seed}: today {cells[0]} | fixed {cells[1]}")
        for arm in ARMS:
            if got[arm]:
                spread = [
                    max(m[i] for m in got[arm]) - min(m[i] for m in got[arm]) for i in range(3)
                ]
                print(
                    f"  {arm} spread (max - min) P/R/F1 over {len(got[arm])} seeds: {_cell(tuple(spread))}"
                )  # type: ignore[arg-type]
        complete = all(len(got[arm]) == len(SEEDS) for arm in ARMS)
        if not all(got[arm] for arm in ARMS):
            verdicts.append(False)
            continue
        mean = {
            arm: tuple(statistics.fmean(m[i] for m in got[arm]) for i in range(3)) for arm in ARMS
        }
        df, dp = mean["fixed"][2] - mean["today"][2], mean["fixed"][0] - mean["today"][0]
        f1_bar, p_bar = BARS[part]
        ok = df >= -f1_bar and dp >= -p_bar and complete
        print(
            f"  mean over seeds: today {_cell(mean['today'])} | fixed {_cell(mean['fixed'])}: "
            f"F1 {df:+.4f} (bar -{f1_bar}), precision {dp:+.4f} (bar -{p_bar}): "
            f"{'HOLDS' if ok else ('FAILS' if complete else 'NOT COMPLETED (seeds missing)')}"
        )
        verdicts.append(ok)
    print(
        f"(b) {'holds' if verdicts[0] else 'does not hold'}; (c) {'holds' if verdicts[1] else 'does not hold'}; (a) is read by hand"
    )
    return all(verdicts)


def main() -> int:
    args = sys.argv[1:]
    CACHE.mkdir(parents=True, exist_ok=True)
    treaty_trial.CACHE = CACHE
    recurcar_trial.CACHE = CACHE
    if args[:1] == ["--run"] and len(args) == 3 and args[1] in ARMS:
        run(args[1], int(args[2]))
        return 0
    if args[:1] == ["--keys"] and len(args) == 2 and args[1] in ARMS:
        treaty_trial.save_keys(args[1])
        return 0
    if args == ["--list"]:
        treaty_trial.list_changes("today", "fixed")
        return 0
    if args == ["--compare"]:
        compare()
        return 0
    print(
        "Run: .venv/bin/python bench/treaty_seeds_trial.py --run ARM SEED | --keys ARM | --list | --compare"
    )
    return 2


if __name__ == "__main__":
    sys.exit(main())
