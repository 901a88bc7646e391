"""Paraphrase evidence: precision at several thresholds on hand-labelled sentences, for the score
ingest used until echo5 ("score", at SCORE_THRESHOLD 0.50) and the candidate rules against
frame-only echoes, among them ingest's rule since echo5 ("typical+object", at 0.40), side by
side, on eight documents (saudiarabia2013 and newzealand2014 labelled at 0.40 or more only: see
"Fresh check" below; srilanka2012 and turkmenistan2013 likewise, see "typical+object at 0.40"
held out again).

- Slovenia's cycle-3 national report (A/HRC/WG.6/34/SVN/1, slovenia/cycle3/g1923444.pdf),
  against the 163 recommendations of its cycle-2 WG report (A/HRC/28/15): every sentence the
  score proposed at 0.40 or more, and fab75aa's ("unseen" below) at 0.35 or more, was labelled by
  hand (does it restate or report on the same ask?) in bench/labels/g1923444_paraphrases.csv,
  before the default threshold was chosen.
- Slovenia's cycle-2 national report (A/HRC/WG.6/20/SVN/1, slovenia/cycle2/g1413493.pdf),
  against the 97 recommendations of its cycle-1 WG report (A/HRC/14/15): every sentence the
  score or fab75aa's proposed at 0.30 or more (113 pairs, 65 right) was labelled by hand in
  bench/labels/g1413493_paraphrases.csv, and committed before any rule was scored on it.
  Doubtful, labelled as said: 111.56/111.55 on a rise or a new count of court backlogs (right),
  111.22 on the disability act (right: the ask names persons with disabilities), 111.90/111.71 on
  the cultural rights of minorities and Roma (right), 111.37 on a crisis centre adapted for older
  people (right), 111.13 on the updated Programme for Children and Youth (right), 111.51 on
  children under the family violence act and 111.59 on incitement to religious hatred under the
  Religious Freedom Act (wrong), a block of footnotes on the erased's children (111.79, wrong).
- Slovenia's cycle-3 UN compilation (A/HRC/WG.6/34/SVN/2, slovenia/cycle3/g1925890.pdf), against
  the 163 asks of A/HRC/28/15: every (sentence, ask) pair the score gives 0.30 or more, each
  sentence's best or not (122 pairs, 71 right), labelled by hand in
  bench/labels/g1925890_paraphrases.csv (its sentence_start: 100 characters) and committed
  (01ef51b) before any score of the "group" rule; its doubtful calls are in that commit's message.
- Montenegro's cycle-2 WG report (A/HRC/23/12, wg_reports/montenegro2013.pdf), its part I only
  (up to PART_TWO: the State's presentation, which reports on the cycle-1 asks, and the
  interactive dialogue; ingest reads no WG report for paraphrases, so this stands in for another
  State's national report, which the shared data lacks), against the 20 asks of its cycle-1 WG
  report (A/HRC/10/74): every (sentence, ask) pair the score gives 0.30 or more (101 pairs, 69
  right), labelled by hand in bench/labels/montenegro2013_paraphrases.csv (100 characters) and
  committed (3f74906) before any score of a rule on it; its doubtful calls are in that commit's
  message. Chosen (echo4) by counts only, before any score was read: no test or label file used
  it, and the score proposes 11 pairs at 0.50 in it.
Recall is not measured: that needs every sentence labelled against every recommendation.

"score+group" (echo3; written, with its bar, before its first scored run): an ask that names a
group of people (`paraphrase_rules.GROUPS`: women, children, older persons, persons with
disabilities, migrants, refugees and asylum seekers, stateless, erased persons, Roma, minorities,
LGBTI, indigenous peoples, defenders and journalists, workers, persons deprived of liberty,
religious communities, homeless; each with close forms, "girls", "minors", "Sinti", "detainees")
is scored for a sentence only when the sentence names one of its groups; the best remaining ask
is proposed, at the same threshold. The bar, pre-registered, at the default threshold 0.50, the
rule against the score on each document, a proposal with no label counting as wrong: on
g1925890 (held out: never looked at while the rule was written) it ships only if it removes wrong
proposals (wrong before - wrong after >= 1) and loses at most as many right ones as it removes
wrong ones (right before - right after <= wrong before - wrong after); on g1923444 and g1413493
it must not be worse (wrong after <= wrong before, and the same bound on right lost). The other
thresholds are printed, not judged.
Result (first scored run, after 04f41f6): NOT SHIPPED, it fails the bar on g1925890, where the
score proposes 2 pairs at 0.50, both right, and score+group the same 2: no wrong proposal to
remove. On g1413493 it removes the one wrong proposal (111.78, the night workers "regardless of
their gender" against the erased persons, 0.506; review18 finding 1's first case), right 9 -> 9;
on g1923444 it changes nothing at 0.50 (15 right, 1 wrong). Not judged, for information: at 0.45
and 0.40 on g1925890 it removes one proposal, labelled wrong but doubtful (115.67, "equal access
to quality education for all students" against Roma children's, 0.482), and loses no right one;
at 0.40 on the three documents it removes 18 proposals (5 labelled right, 13 wrong) and adds 2
with no label. It cannot help finding 1's second case: "CRC welcomed the creation of a Child
Observatory." names children, as 111.51 does.
Fourth document (echo4; written before score+group's first run on it): the same rule, group list
and bar, with montenegro2013 held out (HELD_OUT: it must remove >= 1 wrong proposal at 0.50 and
lose at most as many right ones as it removes wrong ones) and the three Slovenia documents, now
g1925890 too, held to "not worse".
Result (its first and only scored run, after c6ba9c7): NOT SHIPPED, it fails the bar on
montenegro2013: at 0.50 the score proposes 11 pairs (10 right, 1 wrong), score+group 6 (5 right,
1 wrong): it removes no wrong proposal and loses 5 right ones. Four of them are 66.1 (ratify
OP-CAT and "the Convention on the Rights of Persons with Disabilities"), whose treaty's name
names persons with disabilities, against sentences welcoming the ratification of "CRPD"; one is
66.10 (domestic violence, "... against women"), against "It also welcomed the adoption of
legislation on protection from domestic violence.". The wrong one it keeps, 66.19 (the legal
status of refugees) against "... success in the areas of LGBT rights, torture prevention and
housing for refugees in the Konik camp." (0.508), names refugees. On the Slovenia documents, the
same as before: it passes (right 15 -> 15, wrong 1 -> 1; 9 -> 9, 1 -> 0; 2 -> 2, 0 -> 0). Not
judged, on montenegro2013 (proposed / right, score -> score+group): 0.45, 16 / 14 -> 8 / 6;
0.40, 28 / 25 -> 16 / 13; 0.30, 92 / 66 -> 62 / 43; typical+object at 0.40 gives 10 / 10, unseen
at 0.40 6 / 6.

"score+function" (fixtheme, review22 finding 4; written, with its bar, before its first scored
run): English function words (spaCy's stop-word list, `paraphrase_rules.FUNCTION_WORDS`) are left
out of the terms of both the sentence and the asks; the night-work sentence shares "they" with
111.78. The bar, pre-registered, at the default threshold 0.50, the rule against the score, a
proposal with no label counting as wrong: on the three documents held out for it (g1923444,
g1925890, montenegro2013: not looked at while it was written) it loses no right proposal and
adds no wrong one, and over the three it removes at least one wrong proposal; on g1413493, where
its case is, it loses no right proposal. It ships (into `paraphrase.terms`) only if it passes.
Result (its first and only scored run, after cb2b0b7): NOT SHIPPED, it fails the bar. It does
remove the night-work pair (0.506 -> 0.419), but shorter vectors raise other scores: at 0.50,
right / wrong-or-unlabelled, score -> score+function: g1923444 15 / 1 -> 14 / 6 (2 right lost);
g1925890 2 / 0 -> 4 / 1; montenegro2013 10 / 1 -> 11 / 1; over the three held out, 6 more wrong
proposals, none removed. On g1413493 9 / 1 -> 9 / 2, one right proposal lost (another gained).

"score+object2" (para: review18 finding 1, review22 finding 4, review28 finding 5; written,
with its bar, before its first scored run): an ask is scored for a sentence only when the two
share at least two distinct terms outside FRAME_WORDS and FUNCTION_WORDS (paraphrase_rules
`shared_objects`; both lists fixed before this trial, the two set a priori, nothing tuned). It
only removes candidates, so every pair it proposes is one the score proposes with the same score.
The cases it is for are the check, not the data: the night-work sentence against 111.78
(g1413493, a test's pair, OBJECT2_CHECK: left out of the bar's counts) and "CRC welcomed the
creation of a Child Observatory." against 111.51 (g1414064, no label). The bar, pre-registered,
the rule against the score, a proposal with no label counting as wrong, counts pooled over the
four labelled documents with the night-work pair left out:
(a) at the default threshold 0.50: it removes at least one wrong proposal, adds no wrong one on
    any document, and keeps at least 95% of the score's right proposals (recall, as far as the
    labels measure it, down by at most 5%: of the score's 36 right ones it may lose one);
(b) at 0.45 and at 0.40 (below the default, where the score proposes more wrong pairs): its
    precision is not below the score's;
(c) the three pinned cases (test_review18's two, test_review22's night work) and review28
    finding 5's pass with it in ingest;
(d) on the Slovenia set (its 18 PDFs ingested together), each paraphrase at 0.50 it removes is
    read and judged by hand after the run, and it removes no more right ones than wrong ones
    outside the labelled pairs.
It ships (into `paraphrase.match_sentences`) only if it passes all four.
Result (its first and only scored run, after 4bb303b): NOT SHIPPED, it fails (a): at 0.50 it
loses no right proposal (36 -> 36) but removes no wrong one either: the two wrong proposals left
at 0.50 once the night-work pair is set aside, g1923444's and montenegro2013's 66.19 (housing for
refugees in the Konik camp, 0.508), each share two object terms with their ask. It passes the
rest: (b) precision 0.797 -> 0.805 at 0.45 and 0.729 -> 0.760 at 0.40 (at 0.40 it removes 9
proposals, 7 wrong, 2 right: g1413493's 111.10 at 0.477, "Slovenia is examining the modalities of
including the Human Rights Ombudsman ...", and g1923444's 115.69 at 0.416, protection against
discrimination in the Constitution); (c) with it in ingest (tried, not committed) test_review18's
two cases, test_review22's night work and review28 finding 5's Child Observatory pass; (d) on
the Slovenia set it removes exactly two of the 43 paraphrases at 0.50, the night-work pair and
the Child Observatory (both wrong: the cases themselves), and changes no other. Per document at
0.50, right / wrong-or-unlabelled, score -> score+object2: g1923444 15 / 1 -> 15 / 1; g1413493
9 / 1 -> 9 / 0 (the night-work pair, left out of the bar); g1925890 2 / 0 -> 2 / 0;
montenegro2013 10 / 1 -> 10 / 1. Not judged: at 0.30, over the four, 417 proposals (205 right)
-> 357 (198 right).
Fresh check (para, after that run; written, with its bar, before score+object2 was scored on
them): two more documents no test or label file used, labelled from the score's pairs alone and
committed (374c3ae) before any rule was scored on them: Saudi Arabia's and New Zealand's cycle-2
WG reports, part I (A/HRC/25/3 against the 70 asks of A/HRC/11/23; A/HRC/26/3 against the 64 of
A/HRC/12/8), every pair the score gives 0.40 or more, each sentence's best or not (17 pairs, 11
right; 59, 51 right; below 0.40 they have no labels). FRESH, pooled, no label counting as wrong:
(a) at 0.50 it removes at least one wrong proposal, adds no wrong one on either document and
keeps at least 95% of the score's right proposals; (b) at 0.45 and 0.40 its precision is not
below the score's. The bar above failed, so this session ships nothing whatever this gives:
it is measured for the next decision, not to reverse that one.
Result (its first and only run, after b2ebe49): it FAILS (a) there too. At 0.50,
right / wrong-or-unlabelled, score -> score+object2: saudiarabia2013 6 / 3 -> 6 / 0 (the three
removed are welcomes of the accession to "OP-CRC-SC and OP-CRC-AC" against 87.4, "Become party
to the Rome Statute", 0.544: they share "ratifi" alone, the protocols being no ask's words);
newzealand2014 19 / 2 -> 13 / 2: six right proposals lost, all against 81.22 "Consider adopting
its National Plan of Action for Human Rights" (0.458 to 0.795: "the Second National Action Plan
on Human Rights"), whose words but "plan" are FRAME_WORDS ("national", "action", "human",
"rights"): a frame word list cannot tell an ask's frame from an object named in frame words.
Pooled: right 25, lost 6 (24%); wrong removed 3. (b) holds: precision 0.795 -> 0.893 at 0.45,
0.814 -> 0.872 at 0.40.

"typical+object at 0.40" held out again (para, after score+object2 failed; written, with its
bar, before it was scored on the two documents below, and before they were labelled): echo2's
rule, unchanged (chosen then on g1923444 and g1413493 alone; held out on two unlabelled
documents it was judged less precise, 11 right, 2 wrong against 10, 1). On the six documents
above, already read, it proposes at 0.40 75 right of 78 against the score's 61 of 69 at 0.50,
and it drops the pinned cases (the night work, the Child Observatory): not judged, seen. Two more
documents no test or label file used, Sri Lanka's 2012 and Turkmenistan's 2013 WG reports, part
I (A/HRC/22/16 and A/HRC/24/3, as their files say, against the asks of A/HRC/8/46 and
A/HRC/10/79), labelled by hand (FRESH2) on every pair the score gives 0.40 or more and every pair
typical+object proposes at 0.40 or more, mixed, with neither score nor rule shown. Its bar,
pooled over the two, no label counting as wrong: typical+object at 0.40 against the score at
0.50 (a) is at least as precise and (b) proposes at least 95% as many right pairs. It would ship
only in a later session (this one's rule failed); the figures are for that decision.
Result (its first and only run, after the labels' commit): it PASSES: typical+object at 0.40
proposes 15 pairs, 12 right (srilanka2012 8 / 6, turkmenistan2013 7 / 6), the score at 0.50 19,
12 right (13 / 7, 6 / 5): precision 0.63 -> 0.80, right 12 -> 12. Not judged: score+object2 at
0.50 there, 13 / 7 -> 12 / 7 and 6 / 5 -> 6 / 5. For that decision, measured and not committed
to ingest: with typical+object at 0.40 in ingest the pinned cases pass (test_review18's two,
test_review22's, test_review28's Child Observatory), test_paraphrase's "115.2 scores > 0.7" does
not (0.59: the scores change, not only the proposals), and the Slovenia set's 43 paraphrases
become 59: 10 gone (among them the two pinned cases, and also "It recommended the
implementation of the 2006-2016 Programme for Children and Youth." against 111.13), 26 new
(among them the Act on the erased against 111.86, the Ombudsman's A status against 115.39, but
also a table line "Status of national human rights institutions ... B (2000) B (2010)" against
111.10): a larger change than a filter, to be judged whole before it ships.
Judged whole (echo5, bench/typical_object_slovenia_bar.md, its bar pre-registered before the
pairs were listed): every pair of both lists on the Slovenia set labelled blind
(bench/labels/slovenia_set_paraphrases.csv, 69 pairs: 58 right, 7 wrong, 4 doubtful). It PASSES:
the added pairs are right 22 of 26 against the removed 6 of 10 (7 with the doubtful one right);
the whole list 36 of 43 right (0.837) -> 52 of 59 (0.881), 40 -> 55 with the doubtful counted
right (0.930 -> 0.932). typical+object at 0.40 is ingest's rule since then
(`paraphrase.match_sentences`, EvidenceSettings 0.40).

The rules (bench/paraphrase_rules.py `match_with`): "score" is ingest's `match_sentences` (a
sentence's words that no ask uses are left out of its length); "unseen" counts them as words seen
nowhere (fab75aa, review18 finding 1); "+object" also asks the sentence to share a word outside
FRAME_WORDS with the ask; "typical" counts them as a typical ask word (the asks' median idf).
Chosen on these two documents only, as the most right echoes with no more wrong proposals than the
score at 0.50: typical+object at 0.40, 29 right of 29 proposed (the score at 0.50: 24 of 26; unseen
at 0.40: 24 of 25; unseen+object at 0.40: 24 of 24). Held out (whole documents against A/HRC/14/15,
each proposal judged by hand): the 2014 compilation (g1414064) and stakeholders' summary (g1409727)
gave 10 right, 1 wrong, 1 doubtful with the score at 0.50 and 11 right, 2 wrong, 1 doubtful with
typical+object at 0.40 (unseen at 0.40: 9, 2, 1). Less precise held out, so ingest keeps the score
at 0.50. "kept" counts the right echoes the score keeps at 0.50 that a rule keeps.

The sentences are cut as ingest cuts them (`page_sentences`, the body lines of each page). In
g1923444, since headings are left out and a line opening with a paragraph number starts a
sentence, 16 of the 375 sentences are gone, all headings run into the next paragraph's number
("Erased persons Recommendations 66, 95-97, ... 51."), and no other sentence changed; four
labels named such headings, all "does not restate": "Institutional framework of human rights
protection Recommendations 22, ..." (115.153, 0.56), "Economic, social and cultural rights
Recommendations 24, ..." (115.71, 0.45), "Challenges in the field of human rights since the
last review A." (115.1, 0.40), proposed before, and "Achievements in the sphere of human rights
A.", not proposed before either. Labels are matched to sentences by their first 70 characters,
as below. One label, "The Human Rights Ombudsman has already applied for status A. 11.", was
made on an earlier cut and matches no sentence either way.
Run: .venv/bin/python bench/bench_paraphrase.py
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path
from typing import Any

from paraphrase_rules import match_with

from uprdex.extractors.wg_report import parse_wg_report
from uprdex.pipeline.loader import load_pdf
from uprdex.pipeline.paraphrase import page_sentences

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
LABELS = Path(__file__).resolve().parent / "labels"
# (the document, the WG report whose asks it answers), under SHARED
DOCUMENTS = {
    "g1923444": ("slovenia/cycle3/g1923444.pdf", "slovenia/cycle2/g1423930.pdf"),
    "g1413493": ("slovenia/cycle2/g1413493.pdf", "slovenia/cycle1/g1012049.pdf"),
    "g1925890": ("slovenia/cycle3/g1925890.pdf", "slovenia/cycle2/g1423930.pdf"),
    "montenegro2013": ("wg_reports/montenegro2013.pdf", "wg_reports/montenegro2009.pdf"),
    "saudiarabia2013": ("wg_reports/saudiarabia2013.pdf", "wg_reports/saudiarabia2009.pdf"),
    "newzealand2014": ("wg_reports/newzealand2014.pdf", "wg_reports/newzealand2009.pdf"),
    "srilanka2012": ("wg_reports/srilanka2012.pdf", "wg_reports/srilanka2008.pdf"),
    "turkmenistan2013": ("wg_reports/turkmenistan2013.pdf", "wg_reports/turkmenistan2009.pdf"),
}
# The document the bar holds out (never looked at while the rule was written).
HELD_OUT = "montenegro2013"
# A WG report is read up to its part II, the recommendations: "II. Conclusions and/or
# recommendations**" (A/HRC/23/12 p. 16), not its table of contents' line, "II. Conclusions
# and/or recommendations...... 117–120 16".
PART_TWO = re.compile(r"II\.\s+Conclusions and/or recommendations(?!.*\.{5})")
RULES: dict[str, dict[str, Any]] = {
    "score": {},
    "unseen": {"other_words": "unseen"},
    "unseen+object": {"other_words": "unseen", "object_word": True},
    "typical+object": {"other_words": "typical", "object_word": True},
    "score+group": {"group": True},
    "score+function": {"function_words": True},
    "score+object2": {"shared_objects": 2},
}
# The documents held out for score+function (its case, the night-work sentence, is g1413493's).
FUNCTION_HELD_OUT = ("g1923444", "g1925890", "montenegro2013")
# score+object2's check, left out of its bar's counts: the night-work sentence against the erased
# (A/HRC/WG.6/20/SVN/1 p. 11, test_review18 and test_review22).
OBJECT2_CHECK = ("g1413493", "A/HRC/14/15#111.78 The current legislation on night work")
# The documents of score+object2's bar, and of its fresh check (labelled at 0.40 or more only).
OBJECT2_DOCUMENTS = ("g1923444", "g1413493", "g1925890", "montenegro2013")
FRESH = ("saudiarabia2013", "newzealand2014")
# The documents of typical+object's second held-out check.
FRESH2 = ("srilanka2012", "turkmenistan2013")
Proposal = tuple[str, float, bool | None]  # "ask sentence start", score, label (None: none)
# The score's threshold, ingest's default before echo5 (the bars below were written against it;
# ingest's rule since then is typical+object at 0.40, EvidenceSettings).
SCORE_THRESHOLD = 0.50
THRESHOLDS = (0.30, 0.35, 0.40, 0.45, 0.50, 0.55, 0.60)


def _proposals(name: str, rule: dict[str, Any]) -> list[Proposal]:
    """Each proposal of `rule` in document `name`: (its ask and sentence, score, label or None)."""
    document_file, report_file = DOCUMENTS[name]
    report = parse_wg_report(load_pdf(SHARED / report_file))
    recs = {f"{report.symbol}#{r.paragraph}": r.text for r in report.recommendations}
    sentences = _sentences(SHARED / document_file)
    with (LABELS / f"{name}_paraphrases.csv").open(encoding="utf-8") as handle:
        labels = {
            (row["recommendation_id"], row["sentence_start"]): row["restates"].strip() == "1"
            for row in csv.DictReader(handle)
        }
    start = max(len(sentence_start) for _, sentence_start in labels)  # 70 or 100 characters
    found = []
    for match in match_with(sentences, recs, min(THRESHOLDS), **rule):
        key = (match.recommendation_id, sentences[match.sentence][:start])
        found.append((f"{key[0]} {key[1]}", match.score, labels.get(key)))
    return found


def _sentences(path: Path) -> list[str]:
    """The sentences of the document at `path` as ingest cuts them, up to PART_TWO if any."""
    sentences = []
    for page in load_pdf(path).pages:
        lines = []
        for line in page.lines:
            if PART_TWO.match(line.text):
                return sentences + page_sentences(lines)
            if not line.is_note:
                lines.append(line.text)
        sentences += page_sentences(lines)
    return sentences


def main() -> int:
    if not SHARED.exists():
        print(f"skipped: {SHARED} not found (the shared corpus is not here)")
        return 0
    default = SCORE_THRESHOLD
    print(f"the score's threshold {default}; each cell: proposed labelled right precision kept")
    changes: dict[str, dict[str, int]] = {}
    object2: dict[str, dict[str, list[Proposal]]] = {}
    typical: dict[str, dict[str, list[Proposal]]] = {}
    for name in DOCUMENTS:
        runs = {rule: _proposals(name, kwargs) for rule, kwargs in RULES.items()}
        kept = {key for key, score, right in runs["score"] if score >= default and right}
        print(f"\n{name} (right echoes the score keeps at {default}: {len(kept)})")
        print(f"{'threshold':>9} " + " ".join(f"{rule:>26}" for rule in RULES))
        for threshold in THRESHOLDS:
            cells = []
            for found in runs.values():
                chosen = [(key, right) for key, score, right in found if score >= threshold]
                known = [right for _, right in chosen if right is not None]
                precision = sum(known) / len(known) if known else float("nan")
                still = sum(1 for key, right in chosen if key in kept)
                counts = f"{len(chosen):>4} {len(known):>4} {sum(known):>4}"
                cells.append(f"{counts} {precision:>5.2f} {still:>4}")
            print(f"{threshold:>9.2f} " + " ".join(f"{cell:>26}" for cell in cells))
        if name not in FRESH + FRESH2:
            print(_bar(name, runs["score"], runs["score+group"], default))
        changes[name] = _changes(runs["score"], runs["score+function"], default)
        print(f"score -> score+function at {default}: {changes[name]}")
        typical[name] = {rule: runs[rule] for rule in ("score", "typical+object")}
        object2[name] = {
            rule: [p for p in runs[rule] if not (name == OBJECT2_CHECK[0] and _checked(p))]
            for rule in ("score", "score+object2")
        }
    print(_function_bar(changes))
    print(_object2_bar({name: object2[name] for name in OBJECT2_DOCUMENTS}, default))
    print("fresh check, " + _object2_bar({name: object2[name] for name in FRESH}, default))
    print(_typical_check(typical, default))
    return 0


def _typical_check(runs: dict[str, dict[str, list[Proposal]]], default: float) -> str:
    """typical+object at 0.40 against the score at `default` on FRESH2 (see the docstring)."""
    counts = []
    for rule, threshold in (("score", default), ("typical+object", 0.40)):
        chosen = [r for name in FRESH2 for _, s, r in runs[name][rule] if s >= threshold]
        counts.append((len(chosen), sum(1 for r in chosen if r)))
    (proposed, right), (proposed2, right2) = counts
    passed = right2 * proposed >= right * proposed2 and right2 >= 0.95 * right
    return (
        f"typical+object at 0.40 on {', '.join(FRESH2)}: right {right2} of {proposed2}; the score "
        f"at {default}: {right} of {proposed}: {_verdict(passed)}"
    )


def _checked(proposal: Proposal) -> bool:
    """Whether `proposal` is score+object2's check (OBJECT2_CHECK), left out of its bar."""
    return proposal[0].startswith(OBJECT2_CHECK[1])


def _object2_bar(runs: dict[str, dict[str, list[Proposal]]], default: float) -> str:
    """score+object2's pre-registered bar, parts (a) and (b), on the documents of `runs` (see the
    module docstring: the same on its four documents and its fresh check's two)."""
    at = {
        name: _changes(found["score"], found["score+object2"], default)
        for name, found in runs.items()
    }
    right = sum(c["right_before"] for c in at.values())
    lost = sum(c["right_lost"] for c in at.values())
    removed = sum(c["wrong_before"] - c["wrong_after"] for c in at.values())
    a = removed >= 1 and all(c["wrong_after"] <= c["wrong_before"] for c in at.values())
    a = a and right - lost >= 0.95 * right
    lines = [f"score+object2 at {default}: {at}"]
    lines.append(f"(a) right {right}, lost {lost}; wrong removed {removed}: {_verdict(a)}")
    b = True
    for threshold in (0.45, 0.40):
        precision = []
        for rule in ("score", "score+object2"):
            chosen = [r for f in runs.values() for _, s, r in f[rule] if s >= threshold]
            precision.append(sum(1 for r in chosen if r) / len(chosen))
        b = b and precision[1] >= precision[0]
        lines.append(f"(b) at {threshold}: precision {precision[0]:.3f} -> {precision[1]:.3f}")
    lines.append(f"(b): {_verdict(b)}; score+object2 bar (a)+(b): {_verdict(a and b)}")
    return "\n".join(lines)


def _verdict(passed: bool) -> str:
    return "passes" if passed else "fails"


def _changes(before: list[Proposal], after: list[Proposal], threshold: float) -> dict[str, int]:
    """Right and wrong (or no label) proposals at `threshold` before and after a rule."""
    right = [sum(1 for _, s, r in found if s >= threshold and r) for found in (before, after)]
    wrong = [sum(1 for _, s, r in found if s >= threshold and not r) for found in (before, after)]
    lost = {k for k, s, r in before if s >= threshold and r} - {
        k for k, s, r in after if s >= threshold and r
    }
    return {
        "right_before": right[0],
        "right_after": right[1],
        "right_lost": len(lost),
        "wrong_before": wrong[0],
        "wrong_after": wrong[1],
    }


def _function_bar(changes: dict[str, dict[str, int]]) -> str:
    """score+function's pre-registered bar (see the module docstring)."""
    held = [changes[name] for name in FUNCTION_HELD_OUT]
    removed = sum(c["wrong_before"] - c["wrong_after"] for c in held)
    passed = (
        all(c["right_lost"] == 0 and c["wrong_after"] <= c["wrong_before"] for c in held)
        and removed >= 1
        and changes["g1413493"]["right_lost"] == 0
    )
    return f"score+function bar: wrong removed on the held-out three {removed}: " + (
        "passes" if passed else "fails"
    )


def _bar(name: str, before: list[Proposal], after: list[Proposal], threshold: float) -> str:
    """The pre-registered bar of score+group against the score at `threshold` (no label: wrong)."""
    right = [sum(1 for _, s, r in found if s >= threshold and r) for found in (before, after)]
    wrong = [sum(1 for _, s, r in found if s >= threshold and not r) for found in (before, after)]
    removed, lost = wrong[0] - wrong[1], right[0] - right[1]
    passed = lost <= removed and (removed >= 1 if name == HELD_OUT else removed >= 0)
    return (
        f"bar at {threshold}, score -> score+group: right {right[0]} -> {right[1]}, wrong (or no "
        f"label) {wrong[0]} -> {wrong[1]}: {'passes' if passed else 'fails'}"
    )


if __name__ == "__main__":
    sys.exit(main())
