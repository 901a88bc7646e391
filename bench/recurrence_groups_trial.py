"""Recurring asks: a later ask repeats an earlier one only when the groups of people they name
agree (issue #19 part 4, helper recurgroups). PRE-REGISTERED: committed before the first scored
run; nothing below is changed after a score is seen.

Why. review20 finding 1 (tests/test_review20.py): Portugal 2014's "ensure access to education
for Ciganos and Roma children" (A/HRC/27/7#126.57) is stored as repeating 2010's "access to
education for children with disabilities" (A/HRC/13/10#101.35, score 48.8): one frame, two
groups of people, two commitments. #19's target (F1 >= 0.75 at precision >= 0.80) needs
precision as well as recall.

The rule (ONE form, chosen before any score: a filter on the links the index stores, not a
feature of the link model; the model is not retrained). The groups an ask names are those of
bench/paraphrase_rules.py's `GROUPS` (fixed by echo3 from the UPR's common vocabulary, before
and apart from any recurring-ask gold: women, children, older persons, persons with
disabilities, migrants, refugees and asylum seekers, stateless persons, erased persons, Roma,
minorities, LGBTI persons, indigenous peoples, human rights defenders and journalists,
workers, persons deprived of liberty, religious communities, homeless persons; each with its
close forms, e.g. girls = women and children, Ciganos is not listed but Roma is), read from the
ask's printed text, with one implication fixed by reasoning: an ask that names Roma also names
minorities (Roma are the minority those reviews mean: "Roma and other minorities"). A later
and an earlier ask DISAGREE when both name at least one group and neither's groups include all
of the other's: each asks for a group the other does not. That is the brief's "share none"
widened, decided by reading the finding alone, not any score: the finding's two asks share
"children" ({Roma, minorities, children} against {children, persons with disabilities}), so
"share none" cannot remove it, while an ask that narrows or widens its group ("children" ->
"Roma children", "women" -> "women and girls") may still repeat. A stored link between two
asks that disagree is dropped; every other link is kept. Asks that name no group are unchanged.

What is scored: what the index STORES, as bench/corpus_recurring_trial.py scores it: the link
model's links | the default clustering's cross-cycle pairs (both reviews clustered together
with the shipped pair model), "today"; and the same with the disagreeing pairs dropped,
"groups". Gold and scoring as bench/recurrence_protocol.py (CROSS_CYCLE_METHOD.md): high links
must be found, low ones count neither way, any other pair predicted is wrong.

Tuning pairs: the 13 of bench/gold the link model is tuned on (recurrence_learned.ALL_TUNING:
recurrence_protocol's TUNING and KEPT_ASIDE, whose four were folded into the link model's
training since; and MORE_TUNING), each left out as recurrence_protocol does: the link model
(the shipped recipe, `train_recurrence.train`) trained on the 12 others. The rule has no
setting, so nothing is chosen; the leave-one-out is only the model's.

The bar, on the 13 tuning pairs left out: "groups" has the higher SUMMED precision (strictly)
AND on none of the 13 is its F1 lower than today's by more than 0.005.

Only if the bar is passed, in the same run, once: Viet Nam 2009 -> 2014 (../shared/data/gold,
the test of #19) and the pairs kept aside from every choice, recurrence_protocol.FRESH
(Cameroon, Iraq, Germany, Colombia, Angola, Fiji: labelled after every recurring-ask choice,
never trained or chosen on), scored as the index stores them today: the SHIPPED link model
(data/models/recurrence) | the default clustering, today and groups side by side. Ship
(default) only if the bar is passed AND groups' F1 on Viet Nam is not lower than today's AND
groups' mean F1 over the six kept-aside pairs is not lower than today's. If the bar is missed,
Viet Nam and the kept-aside pairs are not read.

Printed beside: each pair's links the rule drops (right, wrong, low), and whether the finding's
link (Portugal, a tuning pair) is stored today and with groups.

Measured (2026-12-07, the first and only scored run, 322 s on the shared 2-core machine, load
6-9; log /tmp/recurgroups-trial-scored.log). Stored links, each tuning pair left out, P/R/F1,
today -> groups, and what the rule drops:

| pair | today | groups | dropped (right, wrong, low) |
|---|---|---|---|
| Kazakhstan | 0.827/0.685/0.749 | 0.827/0.685/0.749 | 0, 0, 0 |
| Uruguay | 0.877/0.497/0.635 | 0.875/0.487/0.625 (-0.0094) | 2, 0, 0 |
| Belize | 0.977/0.524/0.683 | same | 0, 0, 0 |
| Tunisia | 0.833/0.455/0.588 | same | 0, 0, 0 |
| Ghana | 0.923/0.566/0.702 | same | 0, 0, 0 |
| Sri Lanka | 0.864/0.609/0.714 | same | 0, 0, 0 |
| Egypt | 0.685/0.488/0.570 | same | 0, 0, 0 |
| Albania | 0.788/0.477/0.594 | same | 0, 0, 1 |
| Botswana | 0.835/0.717/0.772 | 0.831/0.697/0.758 (-0.0135) | 2, 0, 0 |
| Central African Rep. | 0.875/0.513/0.647 | 0.874/0.508/0.642 (-0.0045) | 1, 0, 0 |
| Cyprus | 0.797/0.635/0.707 | same | 0, 0, 0 |
| Portugal | 0.568/0.556/0.562 | 0.581/0.556/0.568 (+0.0064) | 0, 1, 0 |
| Slovakia | 0.780/0.500/0.609 | 0.796/0.500/0.614 (+0.0048) | 0, 1, 0 |
| mean of 13 | 0.818/0.556/0.6563 | 0.819/0.553/0.6550 | 5, 2, 1 |

Summed precision 10.6303 -> 10.6519 (+0.0217: the first half of the bar holds), but F1 falls by
more than 0.005 on Uruguay (-0.0094) and Botswana (-0.0135): the bar is MISSED. So Viet Nam and
the kept-aside pairs were not read, and nothing ships: the index keeps today's links, and
review20 finding 1 stays xfail. The finding's link itself is the model's (not the
clustering's), labelled wrong, and the rule does drop it (Portugal left out: today True,
groups False). Of the 8 links the rule drops on the 13 pairs, 5 are right, 2 wrong, 1 low:
asks that each name a group the other does not are more often one commitment than this rule
assumes. `--dropped` lists them (a look after the verdict, choosing nothing; one run, 272 s,
the same table): the 5 right ones are 3 ratification asks whose groups are only words of
treaty titles (Botswana 2013 116.16 and 116.17 against 2009's 92.1, "... Rights of All Migrant
Workers ..." / "... Persons with Disabilities" against "... Indigenous and Tribal Peoples ...";
Central African Republic 2013 104.21 against 2009's 75.5) and Uruguay's child marriage (2014
123.70, "children") against 2009's minimum marriage age "for both women and men" (78.34,
78.35): "women" there means both sexes, not a group. The 2 wrong ones: the finding, and
Slovakia 2014 110.142 (Roma: education, health, housing) against 2009's 89.74 (children of
minorities), a clustering pair. The 1 low: Albania 2014 105.13 (LGBTI persons and minorities)
against 2010's 67.43 (sexual orientation and gender identity, read as LGBTI and women).
A next trial (its own pre-registration) might read groups outside treaty titles and leave out
"women and men"; chosen on these lists, it would need pairs it was not chosen on.

Run: .venv/bin/python bench/recurrence_groups_trial.py [--dropped: the tuning pairs alone, each
link the rule drops listed with its label, the asks' groups and texts; never the final]
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
from cluster_protocol import GOLD
from paraphrase_rules import named_groups
from recurrence_cases import groups
from recurrence_learned import ALL_TUNING, STORED, examples
from recurrence_protocol import FRESH, MORE_TUNING, TEST, Pair

from uprdex.pipeline.clusters import ClusterItem
from uprdex.pipeline.clusters.recurrence_model import shipped
from uprdex.pipeline.settings import ClusterSettings
from uprdex.pipeline.train_recurrence import Example, pair_scores, train

TUNING_PAIRS = (*ALL_TUNING, *MORE_TUNING)
"""The 13 tuning pairs, in bench/recurrence_more.py's order."""
F1_LOSS = 0.005
"""The most F1 the rule may lose on any one tuning pair."""
FINDING = ("A/HRC/27/7#126.57", "A/HRC/13/10#101.35")
"""review20 finding 1's link (later, earlier)."""

Links = npt.NDArray[np.bool_]
Scores = tuple[float, float, float, int, int]
Case = tuple[Example, Links, Links]
"""A pair's example, its default clustering's cross-cycle pairs, and the pairs that disagree."""
Row = tuple[Scores, Scores, tuple[int, int, int]]
"""A pair's (today, groups, the dropped links as (right, wrong, low))."""


def people(text: str) -> frozenset[str]:
    """The groups of people `text` names: paraphrase_rules' GROUPS, Roma also minorities."""
    found = named_groups(text)
    return found | {"minorities"} if "Roma" in found else found


def disagree(later: Sequence[ClusterItem], earlier: Sequence[ClusterItem]) -> Links:
    """Later x earlier: both asks name a group and each names one the other does not."""
    a = [people(item.text) for item in later]
    b = [people(item.text) for item in earlier]
    return np.array(
        [[bool(x and y and not (x <= y or y <= x)) for y in b] for x in a], dtype=np.bool_
    ).reshape(len(a), len(b))


def cases(pairs: Sequence[Pair]) -> list[Case]:
    """Each pair's example (features read with the shipped models), its default clustering's
    cross-cycle pairs, and the pairs whose groups disagree."""
    settings = ClusterSettings()
    out = []
    for example, _ in examples(tuple(pairs), settings):
        earlier, later = STORED[example.name]
        later_cluster, earlier_cluster = groups(earlier, later, settings)
        same = later_cluster[:, None] == earlier_cluster[None, :]
        out.append((example, same, disagree(later, earlier)))
    return out


def _cell(row: Scores) -> str:
    return f"P {row[0]:.3f} R {row[1]:.3f} F1 {row[2]:.3f} ({row[3]} found, {row[4]} wrong)"


def scored(links: Links, case: Case) -> Row:
    """(today, groups, the dropped links as (right, wrong, low)) with the model's `links`."""
    example, same, off = case
    today = links | same
    ours = today & ~off
    dropped = today & off
    labels = example.labels
    counts = (
        int((dropped & (labels == 1)).sum()),
        int((dropped & (labels == 0)).sum()),
        int((dropped & (labels == -1)).sum()),
    )
    return (
        pair_scores(today.astype(np.float64), labels, 0.5),
        pair_scores(ours.astype(np.float64), labels, 0.5),
        counts,
    )


def table(names: Sequence[str], rows: Sequence[Row]) -> None:
    """Each pair's today and groups, what the rule drops, then the means and sums."""
    for name, (today, ours, (right, wrong, low)) in zip(names, rows, strict=True):
        print(f"  {name}")
        print(f"    today  {_cell(today)}")
        print(
            f"    groups {_cell(ours)}  F1 {ours[2] - today[2]:+.4f}; dropped {right} right, "
            f"{wrong} wrong, {low} low"
        )
    for label, at in (("today", 0), ("groups", 1)):
        picked = [row[at] for row in rows]
        print(
            f"  {label:6} mean P {np.mean([r[0] for r in picked]):.3f} R "
            f"{np.mean([r[1] for r in picked]):.3f} F1 {np.mean([r[2] for r in picked]):.4f}; "
            f"summed P {sum(r[0] for r in picked):.4f}; lowest F1 {min(r[2] for r in picked):.3f}"
        )


def finding(case: Case, links: Links) -> None:
    """Whether review20 finding 1's link is stored today and with groups (Portugal)."""
    example, same, off = case
    earlier, later = STORED[example.name]
    row = [item.id for item in later].index(FINDING[0])
    col = [item.id for item in earlier].index(FINDING[1])
    stored = bool(links[row, col] or same[row, col])
    print(
        f"  review20 finding 1 {FINDING[0]} -> {FINDING[1]}: today {stored}, groups "
        f"{stored and not off[row, col]} (model {bool(links[row, col])}, cluster "
        f"{bool(same[row, col])}, label {int(example.labels[row, col])})"
    )


def dropped(case: Case, links: Links) -> None:
    """Each stored link of `case` the rule drops: its label, the two asks' groups and texts."""
    example, same, off = case
    earlier, later = STORED[example.name]
    label = {1: "right", 0: "wrong", -1: "low"}
    for r, c in zip(*np.nonzero((links | same) & off), strict=True):
        a, b = later[r], earlier[c]
        print(
            f"  {example.name}: {label[int(example.labels[r, c])]} "
            f"({'model' if links[r, c] else 'cluster'})\n"
            f"    {a.id} {sorted(people(a.text))}: {a.text}\n"
            f"    {b.id} {sorted(people(b.text))}: {b.text}"
        )


def tuning(loaded: list[Case], listing: bool = False) -> bool:
    """The 13 tuning pairs, each left out (link model on the 12 others); whether the bar holds.
    `listing`: each link the rule drops (`dropped`) first."""
    names = [case[0].name for case in loaded]
    rows = []
    for i, case in enumerate(loaded):
        model = train([c[0] for j, c in enumerate(loaded) if j != i])
        links = model.probability(case[0].features) >= model.threshold
        rows.append(scored(links, case))
        if listing:
            dropped(case, links)
        if case[0].name.startswith("Portugal"):
            finding(case, links)
    print(f"\n== the {len(names)} tuning pairs, each left out (link model on the 12 others)")
    table(names, rows)
    summed = sum(r[1][0] for r in rows) - sum(r[0][0] for r in rows)
    worst = min(r[1][2] - r[0][2] for r in rows)
    passes = summed > 0 and worst >= -F1_LOSS
    print(
        f"  bar: summed precision {summed:+.4f} (> 0), worst F1 change {worst:+.4f} "
        f"(>= -{F1_LOSS}): {'PASSES' if passes else 'MISSED'}"
    )
    return passes


def final(loaded: list[Case]) -> None:
    """Viet Nam and the six kept-aside pairs, once, by the shipped link model."""
    model = shipped()
    rows = [scored(model.probability(case[0].features) >= model.threshold, case) for case in loaded]
    names = [case[0].name for case in loaded]
    print(f"\n== FINAL, once: {', '.join(names)} (the shipped link model | the clustering)")
    table(names, rows)
    vietnam = rows[names.index(TEST.name)]
    kept = [row for name, row in zip(names, rows, strict=True) if name != TEST.name]
    gain = float(np.mean([r[1][2] for r in kept]) - np.mean([r[0][2] for r in kept]))
    ships = vietnam[1][2] >= vietnam[0][2] and gain >= 0
    print(
        f"  Viet Nam F1 {vietnam[0][2]:.4f} -> {vietnam[1][2]:.4f}; kept-aside mean F1 "
        f"{gain:+.4f}: {'SHIP' if ships else 'DO NOT SHIP'}"
    )


def main() -> int:
    if not GOLD.exists():
        print(f"skipped: {GOLD} not found")
        return 0
    start = time.perf_counter()
    if "--dropped" in sys.argv[1:]:
        tuning(cases(TUNING_PAIRS), listing=True)
    elif tuning(cases(TUNING_PAIRS)):
        final(cases((TEST, *FRESH)))
    else:
        print("  the bar is missed: Viet Nam and the kept-aside pairs are not read")
    print(f"  ({time.perf_counter() - start:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
