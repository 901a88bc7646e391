"""Standard commitments: a table of the UN's recurring asks as a rule beside the treaty rules (#19).

Error analysis (bench/missed_analysis.py, the 12 TUNING reviews held out, today's recipe): 399
gold pairs missed, 332 false. Most missed pairs are country-specific commitments worded many ways
(Sri Lanka's LLRC 25, Brazil's poverty 18); among the standard commitments that recur in every
review, the death penalty both loses pairs (a moratorium split in Malaysia 8 and Japan 8,
abolition in Kazakhstan 5, Madagascar 3) and costs the most false pairs (an abolition joined with
a moratorium, a moratorium with a ratification of ICCPR-OP2: Japan 14 + 12, Malaysia 12 + 2 + 2
+ 2, Ghana 12 + 6, India 6, Tunisia 3: about 70 of the 332); asks to ratify a treaty worded
around the ratification ("Continue to speed up Malaysia's efforts towards accession to the Rome
Statute", "Promptly ratify and implement the OP to CEDAW", "Accede to and fully align its
national legislation with ... the Rome Statute") are left out of the treaty's cluster because the
treaty rule reads only asks that open with "ratify T" (Malaysia 8, Kazakhstan 6, Madagascar 7
missed pairs); NHRIs in line with the Paris Principles (Kazakhstan 8, Senegal 6, Brazil 6); a
standing invitation joined with answering visit requests (Malaysia 6 false pairs).

THE REMEDY (one rule, pre-registered before any scored run): a table of standard commitments,
each a pattern over the normalized text (as `normalize` prints it; patterns read from how the
UPR Info export words these asks), and a group:
  death penalty: dp_moratorium `moratori`; dp_abolish `abol(ish|it) ... death penalti|capit
    punish` (up to 3 words between); dp_mandatory `mandatori|compulsori|automat ... death
    penalti|capit`; ratify:opiccpr2 (the death penalty's treaty);
  special procedures: standing_invitation `(stand|open) invit`; sp_visits `visit request`,
    `request ... visit`, `pend ... request`;
  nhri: `pari principl`, `nation human right (institut|commiss)`, `nhri`, `ombudsman`;
  birth registration: `birth ... registr`, `registr ... birth|new born|newborn|children`;
  child marriage: `(child|earli|forc) ... marriag`, `marriag age`, `minimum age ... marriag`;
  fgm: `femal genit`, `fgm`, `excis`;
  ratify: ratify:T, `ratifi` or `sign` followed (anywhere later) by a treaty key T (the first
    key after it).
An ask's HEAD is the commitment whose match starts first, if it starts within the ask's first
6 normalized words (after normalize drops the weak openers); else the ask has none. An ask is
PLAIN for its head when every one of its stems is one of the head's words: the stems found in
at least 5% of the UPR Info export's asks (its 'Text', normalized) with that head (for ratify:T,
pooled over every T, treaty keys excluded), derived from that unlabelled export in this run.
Applied after the treaty rules to every scored pair, except pairs the treaty rules set to 0
(different treaties named):
  - heads of one group but different commitments: 0 (never in one cluster: "abolish the death
    penalty" / "establish a moratorium on executions"; "extend a standing invitation" /
    "respond to visit requests");
  - the same head and at least one plain: 100 (as the treaty rule joins "Ratify T" with an ask
    that opens by ratifying T);
  - the same head, neither plain: at least the cutoff (neither keeps the other out).
Groups with one commitment (nhri, birth registration, child marriage, fgm) and ratify (asks to
ratify different treaties are left to the treaty rules) only join.
The rule is the same in training (the scale's quantiles read `Similarity.pairs`) and in
clustering; the pair features and `train_pairs.CONFIG` are unchanged.

PRE-REGISTERED (committed before the first scored run):
1. Leave one TUNING review out (bench/cluster_protocol.py TUNING, 12 reviews; no test, fresh or
   unseen review read): for each review, today's recipe and the remedy, each trained on the 11
   others (the remedy's rule on in its training and clustering), clustering the held-out review
   at the defaults; per-review P/R/F1, means, lowest F1. The bar: mean held-out F1 gain >= +0.02
   over today's (same run) AND F1 strictly higher on >= 8 of the 12.
2. Only if 1 passes, a declared single final check (declared here, committed, then run once:
   `--final`): today's recipe and the remedy, each trained on the 12 tuning reviews (as shipped),
   on the 15 FRESH + 8 UNSEEN reviews (23). Bar: mean F1 over the 23 gain >= +0.01 AND mean
   precision not lower. If it passes, the same run prints the 5 TEST reviews (reported only).

Measured, 1 (2026-12-05, one run, 106 s: .venv/bin/python bench/missed_trial.py), held out on
the 12 tuning reviews, P/R/F1 today -> remedy:
  Kazakhstan 2014 0.84/0.68/0.75 -> 0.86/0.71/0.78  Madagascar 2014 0.82/0.80/0.81 -> 0.86/0.88/0.87
  Malaysia 2013  0.50/0.52/0.51 -> 0.68/0.63/0.65  Colombia 2013   0.51/0.44/0.47 -> 0.56/0.40/0.47
  Senegal 2013   0.63/0.65/0.64 -> 0.60/0.55/0.58  India 2012      0.62/0.80/0.70 -> 0.66/0.80/0.73
  Tunisia 2012   0.53/0.26/0.35 -> 0.64/0.18/0.29  Sri Lanka 2012  0.61/0.55/0.58 -> 0.61/0.55/0.58
  Ghana 2012     0.37/0.52/0.43 -> 0.35/0.56/0.43  Brazil 2012     0.67/0.43/0.52 -> 0.64/0.36/0.46
  Japan 2012     0.73/0.73/0.73 -> 0.91/0.79/0.85  Ukraine 2012    0.78/0.54/0.64 -> 0.83/0.54/0.65
  mean today 0.634/0.578/0.595 (lowest 0.35), remedy 0.683/0.581/0.611 (lowest 0.29): F1 +0.016,
  precision +0.049; better on 7 of 12, worse on 5. FAILS the bar (+0.02 and better on >= 8).
The final check (2) was not run: FRESH, UNSEEN and TEST not read. Nothing ships.

Why, read afterwards on the tuning reviews only (`--why`, one run, 87 s; `--split`, one run, 86
s; diagnostics, nothing chosen by them):
- where it works: the death penalty's moratorium kept apart from abolition (Japan: false pairs
  abolish + moratorium 14 -> 0, moratorium + public debate 12 -> 0, moratorium found 28 -> 36;
  Malaysia: abolish-mandatory + moratorium 12 -> 0; India 6 -> 0), ratifications worded around
  the ratification joined (Malaysia Rome Statute found 7 -> 15, Madagascar OP-CEDAW 3 -> 6),
  abolition joined (Kazakhstan 10 -> 15).
- two faults of the design: (a) the head is the first commitment named, but the operative act
  can come later: "Strengthen its commitment in favor of the abolition of the death penalty by
  ratifying [ICCPR-OP2]" is headed dp_abolish and kept apart from the OP2 cluster the gold puts
  it in (Senegal: ratify-iccpr-op2 found 15 -> 7; Tunisia abolition 3 -> 1); (b) `plain` lets
  an ask name other treaties, so "Ratify CAT, its Optional Protocol, CED, Rome" is a plain
  "ratify CAT" and joins at 100 (India: ratify-cat + ratify-ced false 4 -> 15). Also the FGM
  join adds false pairs with harmful-practices asks (Ghana 5 -> 10).
- the rule also moves the pair model's map onto today's scale (training reads the quantiles of
  `Similarity.pairs`, rule included): Brazil's poverty cluster, which no head touches, loses
  pairs (found 10 -> 4, F1 0.52 -> 0.46), Colombia's VAW plan 3 -> 1. With the rule at
  clustering only (today's models, `--split`): 0.671/0.597/0.620, F1 +0.024, precision +0.037,
  better on 6, worse on 2 (Senegal 0.64 -> 0.54, Ghana 0.43 both), 4 unchanged: it would fail
  the ">= 8 of 12" part too; a rule that touches only the standard asks leaves some reviews
  unchanged, and unchanged is not better.

Run: .venv/bin/python bench/missed_trial.py          (1)
     .venv/bin/python bench/missed_trial.py --final  (2, once, only after 1 passes)
     .venv/bin/python bench/missed_trial.py --why    (tuning only: where the pairs move)
     .venv/bin/python bench/missed_trial.py --split  (tuning only: the rule at clustering
                                                      only, today's models; a diagnostic)
"""

from __future__ import annotations

import argparse
import csv
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import numpy.typing as npt
from cluster_protocol import (
    GOLD,
    SHARED,
    Review,
    Score,
    labelled,
    load_reviews,
    pair_model_folder,
    score,
    scratch_folder,
)

from uprdex.pipeline import train_pairs
from uprdex.pipeline.clusters import cluster, load_treaties, normalize
from uprdex.pipeline.clusters.similarity import Similarity
from uprdex.pipeline.settings import ClusterSettings

EXPORT = SHARED / "upr_info" / "upr_info_sessions_1-20.csv"
_DP = r"(?:death penalti|capit punish|capit)"
COMMITMENTS: tuple[tuple[str, str, str], ...] = (
    # key, group, pattern over the normalized text
    ("dp_moratorium", "death penalty", r"\bmoratori"),
    ("dp_abolish", "death penalty", rf"\babol(?:ish|it)\w* (?:\w+ ){{0,3}}?{_DP}"),
    ("dp_mandatory", "death penalty", rf"\b(?:mandatori|compulsori|automat) (?:\w+ ){{0,3}}?{_DP}"),
    ("standing_invitation", "special procedures", r"\b(?:stand|open) invit"),
    (
        "sp_visits",
        "special procedures",
        r"\bvisit request|\brequest (?:\w+ ){0,3}?visit|\bpend (?:\w+ ){0,2}?request",
    ),
    (
        "nhri",
        "nhri",
        r"\bpari principl|\bnation human right (?:institut|commiss)|\bnhri\b|\bombudsman",
    ),
    (
        "birth_registration",
        "birth registration",
        r"\bbirth (?:\w+ ){0,2}?registr"
        r"|\bregistr (?:\w+ ){0,3}?(?:birth|new born|newborn|children)",
    ),
    (
        "child_marriage",
        "child marriage",
        r"\b(?:child|earli|forc) (?:\w+ ){0,2}?marriag"
        r"|\bmarriag\w* age|\bminimum age (?:\w+ ){0,2}?marriag",
    ),
    ("fgm", "fgm", r"\bfemal genit|\bfgm\b|\bexcis"),
)
"""The standard commitments besides ratifying a treaty (read on normalized text)."""
PATTERNS = tuple((key, group, re.compile(pattern)) for key, group, pattern in COMMITMENTS)
_RATIFY = re.compile(r"\b(?:ratifi|sign)\b")
WITHIN = 6
"""A head starts within the ask's first WITHIN normalized words."""
SHARE = 0.05
"""A head's words: the stems of at least SHARE of the export's asks with that head."""


@dataclass(frozen=True)
class Head:
    key: str
    group: str
    start: int
    """The word the match starts at."""


def head(text: str, treaty_keys: frozenset[str]) -> Head | None:
    """The first standard commitment the normalized ask makes, if it starts early enough."""
    found: list[tuple[int, str, str]] = []
    for key, group, pattern in PATTERNS:
        match = pattern.search(text)
        if match:
            found.append((match.start(), key, group))
    for match in _RATIFY.finditer(text):
        later = [w for w in text[match.end() :].split() if w in treaty_keys]
        if later:
            key = f"ratify:{later[0]}"
            group = "death penalty" if later[0] == "opiccpr2" else "ratify"
            found.append((match.start(), key, group))
            break
    if not found:
        return None
    at, key, group = min(found)
    start = text[:at].count(" ")
    return Head(key, group, start) if start < WITHIN else None


def _word_group(key: str) -> str:
    return "ratify" if key.startswith("ratify:") else key


def head_words() -> dict[str, frozenset[str]]:
    """Each head's words, from the UPR Info export (the stems of >= SHARE of its asks)."""
    treaties = load_treaties()
    counts: dict[str, Counter[str]] = {}
    totals: Counter[str] = Counter()
    with EXPORT.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            text = normalize(row["Text"], treaties)
            found = head(text, treaties.keys)
            if found is None:
                continue
            group = _word_group(found.key)
            totals[group] += 1
            counts.setdefault(group, Counter()).update(
                w for w in set(text.split()) if w not in treaties.keys
            )
    return {
        group: frozenset(w for w, n in counts[group].items() if n >= SHARE * totals[group])
        for group in counts
    }


_ACTIVE: list[bool] = [False]
_WORDS: dict[str, frozenset[str]] = {}
_BASE_RULES = Similarity._treaty_rules


def plain(text: str, found: Head, treaty_keys: frozenset[str]) -> bool:
    """Whether every stem of the ask is one of its head's words."""
    words = _WORDS.get(_word_group(found.key), frozenset())
    return all(w in words or w in treaty_keys for w in text.split()) if words else False


def _rules(
    self: Similarity, pairs: npt.NDArray[np.int64], scores: npt.NDArray[np.float32], cutoff: float
) -> npt.NDArray[np.float32]:
    scores = _BASE_RULES(self, pairs, scores, cutoff)
    if not _ACTIVE[0] or not len(pairs):
        return scores
    keys = load_treaties().keys
    cache = getattr(self, "_heads", None)
    if cache is None:
        heads = [head(text, keys) for text in self.texts]
        plains = [
            h is not None and plain(t, h, keys) for t, h in zip(self.texts, heads, strict=True)
        ]
        cache = (heads, plains)
        self._heads = cache  # type: ignore[attr-defined]
    heads, plains = cache
    for row, (a, b) in enumerate(pairs.tolist()):
        ha, hb = heads[a], heads[b]
        if ha is None or hb is None or ha.group != hb.group:
            continue
        if self.named[a] and self.named[b] and self.treaties[a].isdisjoint(self.treaties[b]):
            continue
        if ha.key != hb.key:
            if ha.group != "ratify":
                scores[row] = 0
        elif plains[a] or plains[b]:
            scores[row] = 100
        else:
            scores[row] = max(scores[row], cutoff)
    return scores


Similarity._treaty_rules = _rules  # type: ignore[method-assign]


def _remedy_folder(train: Sequence[Review]) -> Path:
    _ACTIVE[0] = True
    folder = scratch_folder("uprdex-missed-")
    train_pairs.train_reviews([labelled(r) for r in train], folder)
    return folder


def _scored(recipe: str, train: Sequence[Review], held: Sequence[Review]) -> list[Score]:
    if recipe == "remedy":
        folder = _remedy_folder(train)
    else:
        _ACTIVE[0] = False
        folder = pair_model_folder(train)
        # "rule at clustering only" (a diagnostic, --split): today's model, the rule applied
        # when clustering but not in training's scale map.
        _ACTIVE[0] = recipe != "today"
    settings = replace(ClusterSettings(), pair_model=folder)
    return [score(cluster(r.items, settings).assignment, r.gold) for r in held]


def _mean(scores: Sequence[Score]) -> str:
    return (
        f"{statistics.fmean(s.precision for s in scores):.3f}/"
        f"{statistics.fmean(s.recall for s in scores):.3f}/"
        f"{statistics.fmean(s.f1 for s in scores):.3f}"
    )


def _table(reviews: Sequence[Review], results: dict[str, list[Score]]) -> tuple[float, float, int]:
    names = list(results)
    width = max(len(r.name) for r in reviews) + 2
    cols = {n: max(19, len(n) + 2) for n in names}
    print(f"  {'review':<{width}}" + "".join(f"{n:>{cols[n]}}" for n in names))
    for at, review in enumerate(reviews):
        cells = "".join(f"{results[n][at].cell():>{cols[n]}}" for n in names)
        print(f"  {review.name:<{width}}{cells}")
    print(f"  {'mean P/R/F1':<{width}}" + "".join(f"{_mean(results[n]):>{cols[n]}}" for n in names))
    lows = "".join(f"{min(s.f1 for s in results[n]):>{cols[n]}.2f}" for n in names)
    print(f"  {'lowest F1':<{width}}{lows}")
    today, remedy = results["today"], results["remedy"]
    gains = [b.f1 - a.f1 for a, b in zip(today, remedy, strict=True)]
    precision = statistics.fmean(
        b.precision - a.precision for a, b in zip(today, remedy, strict=True)
    )
    better = sum(g > 0 for g in gains)
    print(
        f"  remedy vs today: mean F1 {statistics.fmean(gains):+.3f}, precision {precision:+.3f}; "
        f"better on {better} of {len(gains)}, worse on {sum(g < 0 for g in gains)}"
    )
    return statistics.fmean(gains), precision, better


def tuning_run(split: bool = False) -> None:
    tuning = load_reviews(tuning=True, tests=False)
    print(f"== tuning reviews only, leave one out ({len(tuning)} reviews)")
    results: dict[str, list[Score]] = {"today": [], "remedy": []}
    if split:
        results["rule at clustering only"] = []
    for review in tuning:
        train = [r for r in tuning if r is not review]
        for recipe in results:
            results[recipe].append(_scored(recipe, train, [review])[0])
        print(
            f"    {review.name}: "
            + ", ".join(f"{name} {got[-1].cell()}" for name, got in results.items()),
            flush=True,
        )
    gain, _, better = _table(tuning, results)
    if split:
        alone = {"today": results["today"], "remedy": results["rule at clustering only"]}
        print("  the rule at clustering only (today's models) as 'remedy':")
        _table(tuning, alone)
        print("  (a diagnostic of where the remedy's change comes from: nothing is chosen by it)")
        return
    verdict = "PASSES" if gain >= 0.02 and better >= 8 else "fails"
    print(f"  bar (+0.02 and better on >= 8 of 12): {gain:+.3f}, {better}: {verdict}")


def final_run() -> None:
    tuning = load_reviews(tuning=True, tests=False)
    held = load_reviews(fresh=True, unseen=True, tests=False)
    print(f"== {len(held)} fresh + unseen reviews, both recipes trained on the 12 tuning reviews")
    results = {recipe: _scored(recipe, tuning, held) for recipe in ("today", "remedy")}
    gain, precision, _ = _table(held, results)
    passes = gain >= 0.01 and precision >= 0
    print(
        f"  bar (F1 +0.01, precision not lower): {gain:+.3f}, {precision:+.3f}: "
        f"{'PASSES' if passes else 'fails'}"
    )
    if passes:
        tests = load_reviews()
        print("== 5 test reviews (reported only), trained on the 12 tuning reviews")
        _table(tests, {recipe: _scored(recipe, tuning, tests) for recipe in ("today", "remedy")})


def _pairs(review: Review, assignment: dict[str, str]) -> tuple[Counter[str], Counter[str]]:
    """Found pairs by gold cluster, and false pairs by the two gold clusters joined."""
    found: Counter[str] = Counter()
    false: Counter[str] = Counter()
    ids = sorted(review.gold)
    for at, a in enumerate(ids):
        for b in ids[at + 1 :]:
            if assignment[a] != assignment[b]:
                continue
            (ga, ca), (gb, cb) = review.gold[a], review.gold[b]
            if ga != gb:
                false[" + ".join(sorted((ga, gb)))] += 1
            elif ca == cb == "high":
                found[ga] += 1
    return found, false


def why_run() -> None:
    """Where the remedy gains and loses pairs on each tuning review held out (no choice)."""
    tuning = load_reviews(tuning=True, tests=False)
    treaty_keys = load_treaties().keys
    for review in tuning:
        train = [r for r in tuning if r is not review]
        runs = []
        for recipe in ("today", "remedy"):
            if recipe == "today":
                _ACTIVE[0] = False
                folder = pair_model_folder(train)
            else:
                folder = _remedy_folder(train)
            settings = replace(ClusterSettings(), pair_model=folder)
            runs.append(_pairs(review, dict(cluster(review.items, settings).assignment)))
        (found0, false0), (found1, false1) = runs
        print(f"== {review.name}")
        for label, before, after in (("found", found0, found1), ("false", false0, false1)):
            for key in sorted(set(before) | set(after), key=lambda k: after[k] - before[k]):
                if before[key] != after[key]:
                    print(f"    {label} {before[key]:3d} -> {after[key]:3d}  {key}")
        heads: dict[str, list[str]] = {}
        for item in review.items:
            text = normalize(item.text, load_treaties())
            found = head(text, treaty_keys)
            if found is not None:
                mark = "plain" if plain(text, found, treaty_keys) else "-"
                heads.setdefault(review.gold[item.id][0], []).append(f"{found.key}/{mark}")
        for gold, tags in sorted(heads.items()):
            print(f"      heads in {gold}: {', '.join(tags)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--final", action="store_true")
    parser.add_argument("--words", action="store_true", help="print the heads' words and stop")
    parser.add_argument("--why", action="store_true", help="tuning only: pairs gained and lost")
    parser.add_argument(
        "--split", action="store_true", help="tuning only: the rule at clustering only, beside"
    )
    args = parser.parse_args()
    if not GOLD.exists():
        print(f"skipped: {GOLD} not found")
        return 0
    start = time.perf_counter()
    _WORDS.update(head_words())
    for group, words in sorted(_WORDS.items()):
        print(f"  {group} ({len(words)}): {' '.join(sorted(words))}")
    if args.words:
        return 0
    if args.why:
        why_run()
    elif args.final:
        final_run()
    else:
        tuning_run(args.split)
    print(f"  ({time.perf_counter() - start:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
