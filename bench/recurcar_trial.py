"""Recurring asks: treaty names the table misreads, so that the treaty rule zeroes a repeated
ratification (issue #19 part 4, review22 finding 1, helper recurcar). PRE-REGISTERED: this
docstring (the fixes, the protocol, the bar) is committed before the first scored run.

Why (diagnosed on review22's asks, A/HRC/12/2 -> A/HRC/25/11, read only to find the cause;
nothing below is chosen on them). The clusters' pair score is 0 whenever two asks name treaty
keys with none in common (`Similarity._treaty_rules`), and the link model reads that score:
- 2009's 74.4 "the Optional Protocol to the Convention on the Rights of the Child (CRC) on the
  involvement of children in armed conflict" normalizes to "option protocol crc involv children
  arm conflict": the first pass reads "Convention on the Rights of the Child" as "crc", the
  printed abbreviation "(CRC)" after it stays a second "crc", and "optional protocol to the crc
  crc on the involvement ..." matches no alias of OPAC. `normalize` collapses a key repeated
  right after itself ("... Members of Their Families (ICRMW)"), but only after the table's
  passes, too late for a protocol's name around it. So 74.4 names the CRC, 2013's eight asks to
  ratify OPAC name "opcrcac", and every pair between them scores 0 (p 0.003-0.013).
- 2013's 104.6 "ratify the Optional Protocol to the International Covenant on Civil and
  Political Rights, aiming at the abolition of the death penalty" reads as "opiccpr" (the FIRST
  Optional Protocol, on communications) and "aiming at the abolition ..." stays words, so it
  scores 0 against 2009's "ratify ICCPR-OP 2" asks (75.20, 75.21). The words "aiming at the
  abolition of the death penalty" are the Second Protocol's title; the first has nothing on it.
- 2013's 104.22 "the adhesion to the International Convention for ... Enforced Disappearance
  and the Convention against Torture": "adhesion to" (accession, in the French-speaking
  delegations' English) is not read as ratifying, as "adhere to"/"adherence to" already are.

The fixes (one arm, all three, each a reading rule stated without any score):
1. `TreatyTable.replace`: a key printed right after itself (a name and its abbreviation) is one
   mention, collapsed in each pass, so the next pass can read the protocol's name around it.
2. data/treaties.csv, opiccpr2: alias "Optional Protocol to the iccpr aiming at the abolition
   of the death penalty" (the longest alias wins over opiccpr's "Optional Protocol to the
   iccpr").
3. `normalize._RATIFY`: "adhesion to" is ratifying, as "adherence to".

Correction, written after the fixes were applied and before any scored run: 104.6 as indexed
reads "... to ratify the Optional Protocol to the International Covenant on Civil and Political
Rights, and duly eliminate provisions concerning the capital punishment ..." (review22 quoted it
with "..."): it does not print the Second Protocol's title, so fix 2 does not reach it. Its
words name the first Protocol; only the death penalty around them says the Second is meant, an
inference from context, not a reading rule, left out. Fix 2 stays in the arm as registered
(right for the texts that print the title without "Second").

Not fixed here (diagnosed, no reading rule): Dominica 2014's 94.17 "Decriminalize
homosexuality and combat discrimination based on sexual orientation or gender identity" scores
54.7 with 2010's 72.1 (decriminalize same-sex relations) and 55.3 with 71.7 (training on
SOGI discrimination); the model links 71.7 (p 0.83: 94.17 is 71.7's best candidate, shared
rare words "sexual orientation gender identity") and not 72.1 (p 0.33: 72.1's better candidates
are 94.16/18/19/21, so rank_earlier and margin_earlier count against it, and "homosexuality"
shares no word with "same sex"). A compound later ask whose two halves repeat two earlier asks,
and a learned weight, not a misreading.

The protocol (bench/recurrence_learned.py's, over the 13 tuning pairs of recurrence_more.py:
ALL_TUNING + MORE_TUNING): each pair left out, the link model trained with the shipped recipe
(`train_recurrence.train`) on the 12 others, its links (p >= its threshold) on the pair left out
scored as SOURCES.md says (high links found, low ones neither way, any other pair wrong). Two
arms, the features of each computed by the code of that arm: "today" (this branch before the
fixes) and "fixed". The text models (similarity model, word vectors, pair model) stay the
shipped ones in both arms (trained on NORMALIZATION 10's texts; a fix that ships bumps it and
retrains them). Viet Nam, FRESH and KEPT_ASIDE-as-test are not read. The Central African
Republic pair is one of the 13 (its gold was labelled before review22): it is scored like the
others, not chosen on.

The bar (the brief's): mean F1 over the 13 pairs left out strictly higher in "fixed", AND mean
precision not lower. If it passes: ship the reading fixes (the NORMALIZATION bump and retraining
left to the lead, as 4a7cb67 did); if not: they stay here, measured.

Measured (2026-12-07, the first and only scored run, `--compare today fixed`, ~15 min on the
shared 2-core machine at load 10; log /tmp/recurcar/compare.log). The link model's links, each
tuning pair left out, P/R/F1 (found, wrong):

| pair | today | fixed |
|---|---|---|
| Kazakhstan 2010 -> 2014 | 0.836/0.564/0.673 (102, 20) | 0.820/0.580/0.680 (105, 23) |
| Uruguay 2009 -> 2014 | 0.873/0.369/0.519 (69, 10) | 0.885/0.369/0.521 (69, 9) |
| Belize 2009 -> 2013 | 0.976/0.500/0.661 (41, 1) | same |
| Tunisia 2008 -> 2012 | 0.833/0.455/0.588 (5, 1) | same |
| Ghana 2008 -> 2012 | 0.917/0.519/0.663 (55, 5) | 0.910/0.575/0.705 (61, 6) |
| Sri Lanka 2008 -> 2012 | 0.893/0.583/0.705 (67, 8) | same |
| Egypt 2010 -> 2014 | 0.701/0.432/0.535 (108, 46) | 0.694/0.436/0.536 (109, 48) |
| Albania 2010 -> 2014 | 0.814/0.440/0.571 (48, 11) | 0.765/0.477/0.588 (52, 16) |
| Botswana 2009 -> 2013 | 0.843/0.707/0.769 (70, 13) | 0.826/0.717/0.768 (71, 15) |
| Central African Rep. 2009 -> 2013 | 0.942/0.424/0.585 (81, 5) | 0.948/0.482/0.639 (92, 5) |
| Cyprus 2010 -> 2014 | 0.830/0.527/0.645 (39, 8) | 0.809/0.514/0.628 (38, 9) |
| Portugal 2010 -> 2014 | 0.595/0.489/0.537 (22, 15) | same |
| Slovakia 2009 -> 2014 | 0.783/0.462/0.581 (36, 10) | 0.800/0.462/0.585 (36, 9) |
| mean of 13 | 0.8335/0.4977/0.6178 | 0.8273/0.5106/0.6262 |

Mean F1 +0.0083 (higher on 7 of 13, lower on 2), mean precision -0.0063: the bar is MISSED
(precision down), so nothing ships. The fixes stay here as bench/recurcar_fixes.patch (the three
reading fixes and three tests in tests/test_normalize.py that fail on today's code, checked; the
NORMALIZED_DIGEST pin is unchanged by them, the fixture texts read alike).

Where the change comes from (read after the verdict, choosing nothing: the two arms' saved
features compared): the fixes change the texts of two pairs only, Central African Republic
(244 pair scores changed; +11 found, +0 wrong) and Ghana (130; +6 found, +1 wrong). The other
eleven pairs' features are identical in both arms; their changes (Albania +4 found +5 wrong,
Kazakhstan +3/+3, Botswana +1/+2, Cyprus -1/+1, ...) come only from the link model retrained
on the other pairs' changed features (weights and threshold), which links more loosely there.
An arm that keeps the shipped link model was not scored (not registered).

Run, twice and then once more: `--save today` on the code before the fixes, `--save fixed`
after `git apply bench/recurcar_fixes.patch` (each writes /tmp/recurcar/ARM.npz: every pair's
features and labels; `git apply -R` after), then `--compare today fixed` (the leave-one-out
table; no ingest).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from recurrence_learned import ALL_TUNING, examples
from recurrence_protocol import MORE_TUNING

from uprdex.pipeline.train_recurrence import Example, pair_scores, train

PAIRS = (*ALL_TUNING, *MORE_TUNING)
CACHE = Path("/tmp/recurcar")


def save(arm: str) -> None:
    CACHE.mkdir(parents=True, exist_ok=True)
    loaded = [example for example, _ in examples(PAIRS)]
    arrays = {}
    for at, example in enumerate(loaded):
        arrays[f"f{at}"] = example.features
        arrays[f"l{at}"] = example.labels
    np.savez_compressed(CACHE / f"{arm}.npz", names=[e.name for e in loaded], **arrays)
    print(f"saved {len(loaded)} pairs to {CACHE / f'{arm}.npz'}")


def load(arm: str) -> list[Example]:
    data = np.load(CACHE / f"{arm}.npz")
    return [
        Example(str(name), data[f"f{at}"], data[f"l{at}"]) for at, name in enumerate(data["names"])
    ]


def left_out(cases: list[Example]) -> list[tuple[float, float, float, int, int]]:
    out = []
    for at, case in enumerate(cases):
        model = train([c for i, c in enumerate(cases) if i != at])
        out.append(pair_scores(model.probability(case.features), case.labels, model.threshold))
    return out


def compare(before: str, after: str) -> int:
    arms = {arm: left_out(load(arm)) for arm in (before, after)}
    names = [e.name for e in load(before)]
    print(f"| pair | {before} P/R/F1 (found, wrong) | {after} P/R/F1 (found, wrong) |")
    print("|---|---|---|")
    for at, name in enumerate(names):
        cells = [
            f"{p:.3f}/{r:.3f}/{f:.3f} ({tp}, {fp})"
            for p, r, f, tp, fp in (a[at] for a in arms.values())
        ]
        print(f"| {name} | {cells[0]} | {cells[1]} |")
    means = {arm: np.mean([[s[0], s[1], s[2]] for s in rows], axis=0) for arm, rows in arms.items()}
    print(
        "| mean of 13 | "
        + " | ".join(f"{m[0]:.4f}/{m[1]:.4f}/{m[2]:.4f}" for m in means.values())
        + " |"
    )
    up = means[after][2] > means[before][2]
    kept = means[after][0] >= means[before][0]
    print(
        f"bar: mean F1 up {up} ({means[after][2] - means[before][2]:+.4f}), mean precision not "
        f"down {kept} ({means[after][0] - means[before][0]:+.4f}): "
        f"{'PASSED' if up and kept else 'MISSED'}"
    )
    return 0


def main() -> int:
    args = sys.argv[1:]
    if args[:1] == ["--save"] and len(args) == 2:
        save(args[1])
        return 0
    if args[:1] == ["--compare"] and len(args) == 3:
        return compare(args[1], args[2])
    print(__doc__.rsplit("Run,", 1)[1])
    return 2


if __name__ == "__main__":
    sys.exit(main())
