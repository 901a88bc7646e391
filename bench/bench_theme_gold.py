"""Themes against researcher-labelled gold (bench/gold/themes), not UPR Info's labels.

The theme gold (bench/gold/themes/THEME_METHOD.md) says, ask by ask, which themes a researcher
files each recommendation of Peru 2012 (A/HRC/22/15) and Slovakia 2014 (A/HRC/26/12) under (the
test reviews, scored by default), and of Burkina Faso 2013, Afghanistan 2014 and Yemen 2014 (the
development reviews, `--dev`, to choose a change on); all five are in the theme model's test
split. Scored per review and pooled: micro and macro F1 (macro over the themes present in the
gold or predicted), and P/R/F1 per theme, for (a) the keyword themes (data/themes.yaml), (b) the
classifier's labels (data/models/themes), (c) the themes exports show today (ThemeTagger.shown:
the classifier's labels, less those of a theme marked needs_keyword without its keyword, and the
keyword themes marked beside_model; the keyword themes where it gives none; the third trial's,
shipped), (d) UPR Info's labels of the same asks (the export rows
of the same State and session, matched by normalized text; asks that match none are left out of
that row, and every method is also scored on the matched asks alone), and (e) with `--trial`,
the second trial's shown themes (ThemeTagger.shown of bench/themes_trial2.yaml, data/themes.yaml
before the third trial), next to (c) on the UPR Info labels of the classifier's own test reviews
too, and the third trial's bar. Then the annotators' agreement:
each blind overlap (second/<review>_overlap30_themes.csv) against the main annotator's labels
of those 30 asks (micro F1 is the same both ways; P and R swap), with today's shown themes on
the same asks against each annotator (the test reviews only: the development reviews have no
overlap).

The asks' texts are the annotators' inputs (bench/gold/themes/inputs/<review>_asks.csv), as
`uprdex ingest` reads the reports.

Pre-registered for the first theme trial (helper themetrial, written and committed before any
scored run against this gold; "today" in it was the classifier's labels, the keyword themes
where it gives none, which this bench no longer prints; the gold files were not opened, nor
the annotators' worktrees):
- the change: a theme may be marked `beside_model: true` in data/themes.yaml: its keyword hits
  are shown beside the classifier's labels (ThemeTagger.shown), not only where the classifier
  gives none, except a hit whose every match lies inside a longer phrase another theme matched
  ("gender" of "gender identity", "executions" of "extrajudicial executions"). Marked, 18:
  Women's rights, Disabilities, Migrants, Asylum-seekers - refugees, Internally displaced
  persons, Human rights defenders, Sexual Orientation and Gender Identity, Trafficking, NHRI,
  Counter-terrorism, Corruption, HIV - Aids, Death penalty, Enforced disappearances, Impunity
  (the group an ask is for, or a subject, named by words with no other sense here), and Labour,
  Human rights education and training, Development (looser words, but the themes the reviews
  found hidden: review32 finding 7, review33 finding 6, review34 finding 8, review36 finding 1,
  review37 finding 2; themes36's diagnosis). Left out, from knowledge of the keywords and a
  reading of the added hits on the classifier's test reviews (Peru 2012 and Slovakia 2014 left
  out of that reading): International instruments and Civil society (a convention or a
  consultation named in passing), Torture (FGM is its keyword), Rights of the Child (its
  keywords "domestic violence", "rape", "youth"), Minorities ("ethnic" of ethnic discrimination,
  "persons belonging to" vulnerable groups), Indigenous peoples ("African descent", "tribal"
  chiefs), Freedom of religion (prisoners of conscience, review35), Right to education ("vocational
  training"), Technical assistance ("seek", "assistance"), and the rest (loose words: "expression",
  "media", "committee", "movement", "water", "land"). The classifier's labels are never
  removed: a keyword veto (themes36's needs_keyword on SOGI) was considered and dropped, as on
  the test reviews its 3 removals are all right labels (coded words: "against the order of
  nature", "consensual sexual activity between adults"). No retrain; the model is unchanged.
- the bar, on the pooled gold of both reviews (main annotators' files): the trial's shown
  themes' micro F1 AND macro F1 above today's shown themes'; no theme with at least 5 gold asks
  with an F1 lower by more than 0.05; and, on the UPR Info labels of the classifier's test
  reviews (this bench, `--trial`), the shown themes' micro F1 and macro F1 each not lower by
  more than 0.010. All four, or it is not shipped.
- seen before this was written (UPR Info labels only; never the gold): on the classifier's
  test reviews (4,668 asks) today's shown themes score micro F1 0.9045, macro F1 0.8715 against
  UPR Info; adding one theme's keyword hits alone moved micro F1 by -0.0048 to +0.0004 (UPR
  Info leaves out most of the themes the hits add, as themes36 found); the trial as written,
  0.9045 -> 0.9000 micro, 0.8715 -> 0.8673 macro (run with a made-up gold under /tmp while the
  bench was written), so that part of the bar is known to pass: the gold is the test. On
  bench_themes.py's held-out rows (WG sessions 13-20, on most of which the classifier was
  fitted, so that it repeats their labels) the trial scores 0.9846 -> 0.9701 micro, 0.9798 ->
  0.9623 macro: printed for information, not part of the bar (themes36 found that score
  cannot judge a change toward the researcher's view). Seen
  too, of the two gold reviews' asks (not their gold): the first 4 asks of each input file
  (`head`), and that the classifier gives SOGI without a SOGI keyword on none of their rows in
  the UPR Info test split.
- measured (one run, `--trial`, after `git merge main` brought the gold; the pre-registration
  e4b30cd was committed at 21:40 UTC, the gold merged into main at 21:45): PASSES all four.
  Pooled gold (275 asks): today's shown themes micro F1 0.7870 (P 0.848, R 0.734), macro F1
  0.6819; the trial's micro F1 0.7941 (P 0.839, R 0.754), macro F1 0.7075. Per review: Peru
  0.7967 -> 0.8024 micro, 0.7114 -> 0.7373 macro; Slovakia 0.7797 -> 0.7879, 0.6670 -> 0.6803.
  Themes of at least 5 gold asks whose F1 moved (pooled): Labour 0.692 -> 0.772, Human rights
  education and training 0.800 -> 0.897, Trafficking 0.867 -> 0.903, Disabilities 0.923 ->
  1.000, SOGI 0.909 -> 1.000, Women's rights 0.884 -> 0.869 (the only one lower: P 0.86 ->
  0.81); with fewer, Counter-terrorism 0.000 -> 1.000 (1 ask), Development 0.444 -> 0.333 (4
  asks). UPR Info labels of the classifier's test reviews: micro F1 0.9045 -> 0.9000, macro
  0.8715 -> 0.8673 (within 0.010). Shipped: exports, the report and `recs` show it.
- the fair picture (same run): on the 266 asks UPR Info's export prints (126 of Peru's 129, 140
  of Slovakia's 146), against the gold: UPR Info's own labels micro F1 0.8091, macro 0.7132;
  today's shown themes 0.7861, 0.6879; the trial's 0.7935, 0.7135; the keyword themes alone
  0.7879, 0.6824; the classifier alone 0.7846, 0.6835. The annotators' agreement on the blind
  overlaps (30 asks each): Peru micro F1 0.9412 (macro 0.9122), Slovakia 0.9811 (0.9444); on
  the same asks today's shown themes score 0.8454 / 0.8687 (Peru, against the main / second
  annotator) and 0.7660 / 0.7571 (Slovakia). So UPR Info's experts are about 0.02 micro F1
  above uprdex's themes on the annotators' reading, and both far below the two annotators'
  agreement; the largest gaps are recall of National plan of action (0.23), Impunity (0.10),
  Racial discrimination (0.60) and Freedom of opinion and expression (0.17).

Pre-registered for the second theme trial (helper themetrial2, written and committed before any
scored run on the test reviews, Peru 2012 and Slovakia 2014, whose gold files, notes and second/
were not opened; chosen on the development gold and knowledge of the terms only):
- the change, bench/themes_trial2.yaml (data/themes.yaml with it; shipping it is copying it
  there), in five parts, each at the largest loss the development gold showed:
  (1) Impunity (recall 0.07 on 41 development asks: "impunity" was its only keyword, and the
  gold files investigating and prosecuting those responsible, and transitional justice, under
  it, as THEME_METHOD.md says) gets the keywords "perpetrator", "accountable", "accountability",
  "transitional justice", "prosecute";
  (2) National plan of action (recall 0.39 on 31) is marked beside_model (its "action plan"
  hits were hidden behind the classifier's other labels) and gets "strategy" (the method counts
  a strategy or programme as one: "National Basic Education Development Strategy");
  (3) Labour (recall 0.62 on 24) gets "employment", "unemployment", "job creation" (the known
  miss: "unemployment" was only Development's keyword);
  (4) Torture and other CID treatment (precision 0.51 on 23: the classifier, which learnt UPR
  Info's filing, labels female genital mutilation and harmful practices Torture; the method says
  they are not) loses the keywords "female genital mutilation", "FGM", "sexual mutilation" and
  is marked needs_keyword, a new flag (ThemeTagger.shown): the classifier's label of the theme
  is shown only where one of its keywords matches; it gets "national preventive mechanism" and
  "mistreatment" (two misses);
  (5) NHRI gets "national human rights institutions" (the known miss: the plural's "rights"
  lemmatizes to "right", so the singular keyword's LEMMA pattern never met it).
  Considered and left out: removing "unemployment" from Development (no change on the
  development gold), the SOGI veto (no SOGI false label on the development gold), Justice's
  Rome Statute labels and Rights of the Child on "women and girls" (the annotators' edges, not
  a term's sense).
- the bar, on the pooled test gold of both reviews (main annotators' files), the trial's shown
  themes against today's (the first trial's, shipped): micro F1 AND macro F1 higher; no theme
  with at least 5 test-gold asks with an F1 lower by more than 0.05; and, on the UPR Info
  labels of the classifier's test reviews (this bench, `--trial`), micro F1 and macro F1 each
  not lower by more than 0.025. All four, or it is not shipped.
- seen before this was written: the development gold (`--dev --trial`, 580 asks): today micro
  F1 0.8305 (P 0.843, R 0.818), macro 0.7757; the trial 0.8627 (P 0.864, R 0.862), 0.8048. Per
  review: Burkina Faso 0.8735 -> 0.9029 micro, 0.7258 -> 0.7778 macro; Afghanistan 0.8321 ->
  0.8592, 0.7565 -> 0.7800; Yemen 0.7904 -> 0.8324, 0.7304 -> 0.7931. Per theme: Impunity
  0.136 -> 0.765, National plan of action 0.558 -> 0.897, Labour 0.769 -> 1.000, Torture 0.645
  -> 0.930, no other theme moved. Each part alone (micro F1 from 0.8305): Impunity 0.8429,
  National plan of action 0.8379 (beside_model alone 0.8333), Labour 0.8356, Torture 0.8382.
  UPR Info labels of the classifier's test reviews (4,668 asks): micro F1 0.9000 -> 0.8793,
  macro 0.8673 -> 0.8454 (Impunity 1.000 -> 0.385, National plan of action 0.849 -> 0.480,
  Labour 0.869 -> 0.765, Torture 0.951 -> 0.859, NHRI 0.937 -> 0.934): UPR Info files under
  Impunity only the asks that say "impunity", under National plan of action only action plans,
  and FGM under Torture, so the change moves away from its labels by design; the 0.025
  allowance was set after seeing these (-0.0207 micro, -0.0219 macro), so that part of the bar
  is known to pass: the test gold is the test. Sessions 13-20 (information): 0.9701 -> 0.9496
  micro, 0.9623 -> 0.9398 macro.
- measured (one run, `--trial`, on the test reviews, after the pre-registration f9ad9eb was
  committed): PASSES all four. Pooled test gold (275 asks): today's shown themes micro F1
  0.7941 (P 0.839, R 0.754), macro F1 0.7075 (the first trial's figures, as it shipped); the
  second trial's micro F1 0.8180 (P 0.844, R 0.793), macro F1 0.7263. Per review: Peru 0.8024
  -> 0.8214 micro, 0.7373 -> 0.7555 macro; Slovakia 0.7879 -> 0.8154, 0.6803 -> 0.7067.
  Themes whose F1 moved (pooled): Labour 0.772 -> 0.852 (33 gold asks), National plan of
  action 0.368 -> 0.784 (31), Impunity 0.182 -> 0.552 (20; P 1.00 -> 0.89), NHRI 0.818 ->
  0.870 (13); Torture unchanged at 0.974 (20); no theme lower. UPR Info labels of the
  classifier's test reviews: micro F1 0.9000 -> 0.8793, macro 0.8673 -> 0.8454 (within
  0.025). On the 266 asks UPR Info prints: UPR Info's own labels micro 0.8091, macro 0.7132;
  today's shown themes 0.7935, 0.7135; the trial's 0.8172, 0.7327. Still lowest in recall:
  Freedom of opinion and expression (0.17 of 6), Impunity (0.40 of 20), Racial discrimination
  (0.60 of 53). Shipped: bench/themes_trial2.yaml became data/themes.yaml (exports, the report,
  `recs`: flows/extract.theme_hits stores no vetoed label); data/themes.yaml as it was was kept
  as bench/themes_trial1.yaml for `--trial` (until the third trial staged its own file in its
  place; git show 738ec11:bench/themes_trial1.yaml has it).

After the second trial, not pre-registered (the lead, session 56): it left A/HRC/28/13 108.105
"Continue and strengthen its fight against harmful traditional practices" with no theme (its only
label was the vetoed Torture). Women's rights and Rights of the Child get "harmful practice",
"harmful traditional practice", "harmful cultural practice", "traditional harmful practice",
"harmful customary practice": the practices CEDAW and the CRC's joint general recommendation
(31/18) names, filed under both by THEME_METHOD.md and the development annotators (A/HRC/24/4
135.77, A/HRC/26/8 115.68). No test-gold ask holds the words (its scores cannot move); the
development gold: micro F1 0.8627 -> 0.8638, macro 0.8048 -> 0.8049. Over the 245 WG reports 67
asks hold one of the phrases (a seeded 10 read: all about such practices).

Pre-registered for the third theme trial (helper themetrial3, written and committed before any
scored run on the test reviews, Peru 2012 and Slovakia 2014, whose gold files, notes and second/
were not opened; chosen on the development gold and knowledge of the terms only; "today" is
main's HEAD f715c2e: the second trial and the harmful-practices keywords; one slip: a grep
meant for the development inputs counted, by a glob, the lines of slovakia2014_asks.csv naming
discrimination, 26, no text or label):
- the change, bench/themes_trial3.yaml (data/themes.yaml with it; shipping it is copying it
  there), in three parts:
  (1) Freedom of opinion and expression (recall 0.38 on 13 development asks: 7 of its 8 misses
  are asks about journalists or the press law, which THEME_METHOD.md files under Freedom of the
  press "also expression", and the classifier gives Freedom of the press alone) is marked
  beside_model and gets "journalist", "freedom of the press", "freedom of press", "press
  freedom", "media freedom", "freedom of the media" (not "media" alone: media campaigns); it
  loses "opinion" alone ("national opinion", "public opinion", "expert opinion": a false label
  once beside the classifier; "freedom of opinion", "opinion and expression" stay);
  (2) Impunity (recall 0.63 on 41) gets "those responsible" ("bring those responsible to
  justice", "penalize those persons responsible"), "commission of inquiry", "investigation"
  (the method: investigating, prosecuting and punishing those responsible). Tried and left
  out: "investigate" (4 of its 8 new development labels wrong: investigate forced marriage,
  implement a law), "prosecution" (2 of 3 wrong: criminal prosecutions of women for moral
  crimes), "punish" (3 of 4 wrong), "Rome Statute" (12 of 15 wrong: the annotators file
  ratifying it under International instruments alone);
  (3) Sexual Orientation and Gender Identity is marked needs_keyword (review33 finding 6: the
  classifier labels sexual and gender-based violence and "sex and gender" grounds SOGI), with
  the coded words a veto would otherwise strip (read over the export's asks whose SOGI label
  the bare veto removed: 38 of them, most right): "gender expression", "gender identity and
  expression" (these two also keep "expression" from adding Freedom of opinion and
  expression), "sexual minority", "gender minority", "LGBTs", "Yogyakarta", "transsexual",
  "transsexuality", "transexuality", "sex reassignment", "trans-phobic", "sexual preference",
  "sexual identity", "sexual diversity", "order of nature", "consensual sexual activity",
  "consensual sexual act", "consensual sex act", "consensual sexual conduct", "consensual
  sexual relations between", "consensual relations between adults" (not "consensual sexual"
  alone: "consensual sexual relations out of wedlock"), "non-conventional family". The
  development gold has one SOGI ask and no false SOGI label, so this part cannot move it; the
  first trial saw the classifier give SOGI without a SOGI keyword on none of the test reviews'
  asks, so it should not move the test gold either: it is here for the corpus (below).
  Considered and left out: Racial discrimination (no development-gold ask is filed under it:
  the development annotators file none of their 38 asks naming discrimination there, so
  adding "discrimination" or "non-discrimination" to it would only add false labels on the
  development gold); Detention marked needs_keyword less its OP-CAT keywords (development:
  Detention 0.737 -> 0.933, 8 false labels of OP-CAT asks removed and none right; but over the
  export's asks it removes 531 labels, and of the 47 that name no OP-CAT, CAT or NPM most are
  right: persons deprived of their liberty, arraigo, solitary confinement, ICRC visits,
  correctional facilities; it needs a longer keyword list first); Justice's Rome Statute and
  transitional justice labels (the classifier's, from UPR Info; "court" of International
  Criminal Court is a Justice keyword, so a veto cannot reach them); Treaty bodies for the
  complaint procedures (a beside_model mark would show "committee" and "as recommended by"
  everywhere).
- the bar, on the pooled test gold of both reviews (main annotators' files), the trial's shown
  themes against today's: micro F1 AND macro F1 higher; no theme with at least 5 test-gold
  asks with an F1 lower by more than 0.05; and, on the UPR Info labels of the classifier's test
  reviews (this bench, `--trial`), micro F1 and macro F1 each not lower by more than 0.010.
  All four, or it is not shipped.
- seen before this was written: the development gold (`--dev --trial`, 580 asks): today micro
  F1 0.8638 (P 0.864, R 0.864), macro 0.8049; the trial 0.8708 (P 0.865, R 0.877), 0.8149. Per
  review: Burkina Faso 0.9066 -> 0.9066 micro, 0.7784 -> 0.7784 macro (no change); Afghanistan
  0.8592 -> 0.8659, 0.7800 -> 0.7869; Yemen 0.8324 -> 0.8464, 0.7931 -> 0.8105. Per theme:
  Freedom of opinion and expression 0.556 -> 0.960 (P 1.00 -> 1.00, R 0.38 -> 0.92), Impunity
  0.765 -> 0.868 (P 0.96 -> 0.94, R 0.63 -> 0.80); no other theme moved. Each part alone
  (micro F1 from 0.8638): Freedom of opinion and expression 0.8675 (beside_model alone
  0.8639), Impunity 0.8671, SOGI 0.8638. UPR Info labels of the classifier's test reviews
  (4,668 asks): micro F1 0.8792 -> 0.8741, macro 0.8454 -> 0.8415; the 0.010 allowance is the
  first trial's, chosen after seeing these (-0.0051, -0.0040), so that part of the bar is known
  to pass: the test gold is the test. Sessions 13-20 (information): 0.9493 -> 0.9435 micro,
  0.9398 -> 0.9356 macro. Over the 30,958 distinct asks of UPR Info's export (sessions 1-20)
  the shown themes change on 820: Freedom of opinion and expression +384, Impunity +455,
  SOGI +1 -10, International instruments +1 (Ukraine's Bill 8711, once its SOGI label goes),
  Women's rights -1 ("sexual and gender minorities": "gender" inside a SOGI phrase now); 5 of
  the 820 are asks of the test reviews, not read. A seeded sample of 20 changed asks
  (random.seed(3), the test reviews' asks left out), read by eye: 17 right; wrong: Impunity on
  funding "investigations of violence against women", on cooperating with the Human Rights
  Council's Commission of Inquiry, and on disbanding bodies that "carry out arrests, detentions
  and investigations". Samples of two drafts were read before it: 17 of 20 (wrong: Impunity on
  legal counsel during "criminal investigation", on treatment of those responsible for
  domestic violence; Freedom of opinion and expression on "expressions of racism"), then 18 of
  20 (both wrong "gender expression": so the SOGI phrases above). The 10 SOGI removals: 8
  wrong labels gone (sex and gender as grounds of discrimination 3, sexual violence 2, a plan
  on sexual and gender-based violence, incitement to discrimination "regarding sex", "sexual
  discrimination"), 2 right ones lost (Bill 8711, on "propaganda of homosexuality"; violence
  "on the basis of their sexuality": "sexuality" is also sexuality education); its gain is
  right (defenders "in the field of sexual minorities").
- measured (one run, `--trial`, on the test reviews, 01:08 UTC, after the pre-registration
  93ddb32 was committed): PASSES all four. Pooled test gold (275 asks): today's shown themes
  micro F1 0.8180 (P 0.844, R 0.793), macro F1 0.7263 (the second trial's figures, as it
  shipped); the third trial's micro F1 0.8212 (P 0.844, R 0.800), macro F1 0.7330. Per review:
  Peru 0.8214 -> 0.8221 micro, 0.7555 -> 0.7624 macro; Slovakia 0.8154 -> 0.8206, 0.7067 ->
  0.7125. Themes whose F1 moved (pooled): Impunity 0.552 -> 0.667 (20 gold asks; P 0.89 ->
  0.85, R 0.40 -> 0.55), Freedom of opinion and expression 0.286 -> 0.500 (6; R 0.17 -> 0.33);
  SOGI unchanged at 1.000 (6); no theme lower. UPR Info labels of the classifier's test
  reviews: micro F1 0.8792 -> 0.8741, macro 0.8454 -> 0.8415 (within 0.010). On the 266 asks
  UPR Info prints: UPR Info's own labels micro 0.8091, macro 0.7132; today's shown themes
  0.8172, 0.7327; the trial's 0.8206, 0.7395. Still lowest in recall: Racial discrimination
  (0.60 of 53, unchanged: the test annotators file general non-discrimination there, the
  development annotators never), Public security (0.00 of 6), Freedom of association and
  peaceful assembly (0.40 of 5), Freedom of opinion and expression (0.33 of 6). Shipped:
  bench/themes_trial3.yaml became data/themes.yaml (exports, the report, `recs`); data/themes.yaml
  as it was (the second trial's and the harmful-practices keywords) is bench/themes_trial2.yaml,
  which `--trial` now scores as the baseline ("second trial") beside today's ("shown today" is
  the third trial).

Run: .venv/bin/python bench/bench_theme_gold.py [--trial] [--dev] [--gold DIR]
  --trial: also the second trial's shown themes (bench/themes_trial2.yaml), the taxonomy the
    third trial was measured against and shipped over, and the third trial's bar.
  --dev: score the development reviews (to choose on), not the test reviews.
  --gold DIR: the folder of <review>_themes.csv and second/ (default bench/gold/themes).
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from bench_themes import Scores

from uprdex.extractors.themes import ThemeTagger
from uprdex.pipeline.theme_model import ThemeModel

BENCH = Path(__file__).resolve().parent
GOLD = BENCH / "gold" / "themes"
INPUTS = GOLD / "inputs"
SHARED = BENCH.parents[1] / "shared" / "data"
EXPORT = SHARED / "upr_info" / "upr_info_sessions_1-20.csv"
REVIEWS = {"peru2012": ("Peru", "14"), "slovakia2014": ("Slovakia", "18")}
"""Each test review of the gold: the State under review and WG session as UPR Info's export
names them (A/HRC/22/15 is Peru's review of session 14, A/HRC/26/12 Slovakia's of session 18)."""
DEV_REVIEWS = {
    "burkinafaso2013": ("Burkina Faso", "16"),
    "afghanistan2014": ("Afghanistan", "18"),
    "yemen2014": ("Yemen", "18"),
}
"""The development reviews (`--dev`), to choose a change on: A/HRC/24/4 is Burkina Faso's review
of session 16, A/HRC/26/4 Afghanistan's and A/HRC/26/8 Yemen's of session 18."""
SECOND_TRIAL_THEMES = BENCH / "themes_trial2.yaml"
"""data/themes.yaml before the third trial's change (the second trial's, with the harmful-practices
keywords; `--trial` scores it beside today's, to rerun the third trial's comparison)."""
MIN_SUPPORT = 5

Labels = Mapping[str, frozenset[str]]


def read_labels(path: Path) -> dict[str, frozenset[str]]:
    """Each ask's themes in a gold file (`id,themes,note`, themes separated by " | ")."""
    with path.open(encoding="utf-8", newline="") as handle:
        return {
            row["id"]: frozenset(t.strip() for t in (row["themes"] or "").split("|") if t.strip())
            for row in csv.DictReader(handle)
        }


def read_asks(path: Path) -> dict[str, str]:
    """Each ask's text in an input file (`id,recommending_states,text,...`), in file order."""
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["id"]: row["text"] for row in csv.DictReader(handle)}


def score(gold: Labels, predicted: Mapping[str, Iterable[str]]) -> Scores:
    """Counts of the predicted themes against the gold, over the gold's asks (an ask with no
    prediction predicts nothing)."""
    scores = Scores(Counter(), Counter(), Counter())
    for ask, wanted in gold.items():
        found = set(predicted.get(ask, ()))
        scores.tp.update(found & wanted)
        scores.fp.update(found - wanted)
        scores.fn.update(wanted - found)
    return scores


def themes_of(scores: Scores) -> list[str]:
    """The themes present in the gold or predicted."""
    return sorted(set(scores.tp) | set(scores.fp) | set(scores.fn))


def macro_f1(scores: Scores) -> float:
    """Mean F1 over the themes present in the gold or predicted; 0 when there are none."""
    themes = themes_of(scores)
    return scores.macro_f1(themes) if themes else 0.0


def text_key(text: str) -> str:
    """A text as matched across sources: NFKC, lower case, only letters and digits, one space
    between words (the export and the report print quotes, dashes and final stops apart)."""
    folded = unicodedata.normalize("NFKC", text).lower()
    return " ".join(re.findall(r"\w+", folded))


def upr_info_labels(asks: Mapping[str, str], state: str, session: str) -> dict[str, frozenset]:
    """UPR Info's issues of the asks that one export row of the review prints the same text
    as (normalized); rows of one ask (one per recommending State) are united."""
    by_text: dict[str, set[str]] = {}
    with EXPORT.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["To"].strip() == state and row["Session"].strip() == session:
                issues = {i.strip() for i in (row["Issue"] or "").split(",") if i.strip()}
                by_text.setdefault(text_key(row["Text"] or ""), set()).update(issues)
    return {
        ask: frozenset(by_text[text_key(text)])
        for ask, text in asks.items()
        if text_key(text) in by_text
    }


def predictions(
    texts: Sequence[str], tagger: ThemeTagger, model: ThemeModel, trial: bool
) -> dict[str, list[list[str]]]:
    """Each method's themes of the texts, in order: keywords, classifier, with trial the second
    trial's shown themes (ThemeTagger.shown of bench/themes_trial2.yaml), and shown today
    (ThemeTagger.shown of data/themes.yaml: the third trial's, shipped)."""
    hits = tagger.tag_many(texts)
    labels = model.labels(texts)
    methods: dict[str, list[list[str]]] = {
        "keywords": [[hit.theme for hit in found] for found in hits],
        "classifier": labels,
    }
    if trial:
        second = ThemeTagger(SECOND_TRIAL_THEMES)
        found = second.tag_many(texts)
        methods["second trial"] = [second.shown(*p) for p in zip(labels, found, strict=True)]
    methods["shown today"] = [tagger.shown(*pair) for pair in zip(labels, hits, strict=True)]
    return methods


def _line(name: str, scores: Scores, asks: int) -> str:
    p, r, f = scores.prf()
    return f"  {name:<14} {asks:5d} {p:6.3f} {r:6.3f} {f:8.4f} {macro_f1(scores):8.4f}"


def _table(title: str, rows: Iterable[tuple[str, Scores, int]]) -> None:
    print(f"\n{title}\n  {'':<14} {'asks':>5} {'P':>6} {'R':>6} {'micro F1':>8} {'macro F1':>8}")
    for name, scores, asks in rows:
        print(_line(name, scores, asks))


def _per_theme(named: Mapping[str, Scores]) -> None:
    """P/R/F1 per theme of each method, the gold's support first."""
    themes = sorted(
        set().union(*(themes_of(s) for s in named.values())),
        key=lambda t: (-next(iter(named.values())).support(t), t),
    )
    print(f"\n  {'theme':<44} {'gold':>4}  " + "  ".join(f"{n[:17]:>17}" for n in named))
    print(f"  {'':<44} {'':>4}  " + "  ".join(f"{'P    R    F1':>17}" for _ in named))
    for theme in themes:
        cells = "  ".join("{:5.2f}{:5.2f}{:7.3f}".format(*s.prf(theme)) for s in named.values())
        print(f"  {theme:<44} {next(iter(named.values())).support(theme):4d}  {cells}")


def score_reviews(
    gold_dir: Path, reviews: Mapping[str, tuple[str, str]], trial: bool
) -> dict[str, Scores]:
    """Print every method's scores per review and pooled; the pooled scores by method."""
    tagger, model = ThemeTagger(), ThemeModel.load()
    pooled: dict[str, Scores] = {}
    matched_pooled: dict[str, Scores] = {}
    sizes: Counter[str] = Counter()
    for review, (state, session) in reviews.items():
        gold = read_labels(gold_dir / f"{review}_themes.csv")
        asks = read_asks(INPUTS / f"{review}_asks.csv")
        missing = [ask for ask in asks if ask not in gold]
        if missing:
            print(f"warning: {review}: {len(missing)} asks have no gold row ({missing[:3]} ...)")
        texts = [asks[ask] for ask in gold if ask in asks]
        ids = [ask for ask in gold if ask in asks]
        gold = {ask: gold[ask] for ask in ids}
        methods = {
            name: dict(zip(ids, found, strict=True))
            for name, found in predictions(texts, tagger, model, trial).items()
        }
        upr = upr_info_labels({ask: asks[ask] for ask in ids}, state, session)
        rows = [(name, score(gold, found), len(gold)) for name, found in methods.items()]
        _table(f"{review}: {len(gold)} asks against the gold", rows)
        _per_theme({name: scores for name, scores, _ in rows})
        matched = {ask: gold[ask] for ask in upr}
        upr_rows = [(n, score(matched, found), len(matched)) for n, found in methods.items()]
        upr_rows.append(("UPR Info", score(matched, upr), len(matched)))
        _table(f"{review}: the {len(upr)} of {len(gold)} asks UPR Info's export prints", upr_rows)
        sizes.update({"all": len(gold), "matched": len(matched)})
        for target, extra in ((pooled, rows), (matched_pooled, upr_rows)):
            for name, scores, _ in extra:
                _add(target.setdefault(name, Scores(Counter(), Counter(), Counter())), scores)
    _table(f"pooled: {', '.join(reviews)}", ((n, s, sizes["all"]) for n, s in pooled.items()))
    _table(
        "pooled: the asks UPR Info prints",
        ((n, s, sizes["matched"]) for n, s in matched_pooled.items()),
    )
    print("\npooled, per theme (P, R, F1):")
    _per_theme(pooled)
    return pooled


def _add(total: Scores, scores: Scores) -> None:
    total.tp.update(scores.tp)
    total.fp.update(scores.fp)
    total.fn.update(scores.fn)


def agreement(gold_dir: Path, reviews: Iterable[str]) -> None:
    """Each overlap file against the main annotator's labels of its asks, both ways, and the
    shown themes of those asks against each annotator."""
    tagger, model = ThemeTagger(), ThemeModel.load()
    print("\nannotators' agreement on the blind overlaps:")
    for review in reviews:
        path = gold_dir / "second" / f"{review}_overlap30_themes.csv"
        if not path.is_file():
            print(f"  {review}: no overlap file {path}")
            continue
        second = read_labels(path)
        main = read_labels(gold_dir / f"{review}_themes.csv")
        main = {ask: main[ask] for ask in second if ask in main}
        asks = read_asks(INPUTS / f"{review}_asks.csv")
        ids = [ask for ask in main if ask in asks]
        found = predictions([asks[ask] for ask in ids], tagger, model, False)["shown today"]
        shown = dict(zip(ids, found, strict=True))
        print(f"  {review}: {len(main)} asks of {path.name} the main annotator labelled")
        for name, truth, other in (
            ("second vs main", main, second),
            ("main vs second", second, main),
        ):
            s = score(truth, other)
            p, r, f = s.prf()
            print(f"    {name}: P {p:.3f} R {r:.3f} micro F1 {f:.4f} macro F1 {macro_f1(s):.4f}")
        for name, labels in (("main", main), ("second", second)):
            s = score(labels, shown)
            print(f"    shown today vs {name:<6} micro F1 {s.prf()[2]:.4f} macro {macro_f1(s):.4f}")


def upr_info_heldout() -> None:
    """The second trial's and today's shown themes on UPR Info's labels: of the classifier's own
    test reviews (pipeline/train_themes.split_reviews, seed 0: no text it was fitted on; the bar),
    and of WG sessions 13-20 (bench_themes.py's held-out rows, which the classifier was mostly
    fitted on: for information)."""
    from bench_themes import SPLITS, load_rows

    from uprdex.pipeline.train_themes import read_export, split_reviews

    test = [(r.text, r.labels) for r in split_reviews(read_export(EXPORT), 0).test]
    for title, rows in (
        ("UPR Info labels of the classifier's test reviews (the held-out bar)", test),
        (
            "UPR Info labels of WG sessions 13-20 (bench_themes.py held-out)",
            load_rows(SPLITS["held-out"]),
        ),
    ):
        ids = [str(i) for i in range(len(rows))]
        upr = {i: labels for i, (_, labels) in zip(ids, rows, strict=True)}
        found = predictions([text for text, _ in rows], ThemeTagger(), ThemeModel.load(), True)
        _table(
            title,
            (
                (name, score(upr, dict(zip(ids, found[name], strict=True))), len(ids))
                for name in ("second trial", "shown today")
            ),
        )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--trial", action="store_true", help="also score the second trial's themes (the baseline)"
    )
    parser.add_argument("--gold", type=Path, default=GOLD, help="folder of the gold files")
    parser.add_argument(
        "--dev", action="store_true", help="score the development reviews, not the test reviews"
    )
    args = parser.parse_args(argv)
    reviews = DEV_REVIEWS if args.dev else REVIEWS
    wanted = [args.gold / f"{review}_themes.csv" for review in reviews]
    absent = [path for path in wanted if not path.is_file()]
    if absent:
        print(
            f"no theme gold: {', '.join(str(p) for p in absent)} not found (the annotators'"
            " files land in bench/gold/themes; --gold DIR reads another folder)"
        )
        return 1
    if not EXPORT.is_file():
        print(f"skipped: {EXPORT} not found (the shared corpus is not on this machine)")
        return 0
    pooled = score_reviews(args.gold, reviews, args.trial)
    agreement(args.gold, reviews)
    if args.trial:
        upr_info_heldout()
        second, today = pooled["second trial"], pooled["shown today"]
        worse = [
            f"{t} ({second.prf(t)[2]:.3f} -> {today.prf(t)[2]:.3f})"
            for t in themes_of(second)
            if second.support(t) >= MIN_SUPPORT and today.prf(t)[2] < second.prf(t)[2] - 0.05
        ]
        print(
            f"\nsecond trial -> shown today (the third trial), pooled gold: micro F1 "
            f"{second.prf()[2]:.4f} -> {today.prf()[2]:.4f}, macro F1 {macro_f1(second):.4f} -> "
            f"{macro_f1(today):.4f}; "
            f"themes of >= {MIN_SUPPORT} gold asks with F1 lower by > 0.05: {worse or 'none'}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
