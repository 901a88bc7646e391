"""Keyword theme tagging against the UPR Info issue labels.

Scores data/themes.yaml on the UPR Info export rows of WG sessions 13-20, which were held out
while the keywords were written from sessions 1-12: precision, recall, F1 and support per issue,
micro and macro F1 overall, and throughput. The baseline matches keywords only as written (no
lemmas). With `--before FILE` (the keywords before a change: `git show main:data/themes.yaml >
/tmp/before.yaml`) the same rows are also scored with that file, in the same run: micro and macro
F1 before and after, and every theme whose row changed.

Pre-registered for the named-peoples and climate-treaty keywords (session themes3, written and
committed before their first scored run):
- the change: Indigenous peoples gains names of Indigenous peoples that UN documents use and
  that name nothing else (Sami, Saami, Inuit, Metis, Kalinago, Carib, Adivasi, Scheduled Tribes,
  Batwa, Pygmy, Pygmies, Orang Asli, Ainu, Mapuche, Mayan, Maya people, Garifuna, Miskito,
  Quechua, Aymara, Kanak, Khoisan, Maasai, Ogiek, Endorois, Sengwer, Native American, American
  Indian, Alaska Native, Native Hawaiian); Environment gains Paris Agreement and Kyoto
  Protocol. Chosen from knowledge of the peoples, not from the corpus; left out as names of
  places or of groups not held Indigenous in every use: San, Guarani, Amazigh, Bedouin, Hmong,
  Papuan, Rapa Nui, Chittagong Hill Tracts.
- the bar: the keywords ship if, on the held-out sessions 13-20, micro F1 and macro F1 are not
  lower than before, and if at least 90 % of their new hits over the 245 WG reports of the
  corpus (bench_theme_gaps.py; every hit, or a seeded random 40 if more) are right when read.

Pre-registered for review32 finding 7 (helper fixr32c, written and committed before its first
scored run):
- the change: a theme may list `not` names, inside which its keywords mean something else (a
  keyword matched within one does not count). Freedom of association and peaceful assembly
  lists the bodies called Assembly or Association (General, National, Legislative,
  Parliamentary, Constituent, Federal, Consultative, People's Assembly; Assembly of the Peoples,
  of the Republic, of States Parties; World Health Assembly; ASEAN, SAARC, bar association):
  its bare keywords "assembly" and "association" read them as the freedom (review32: "the
  Assembly of the Peoples of Kazakhstan", a State body). Labour gains "employment" and "right to
  work" (the right to work of ICESCR art. 6). Chosen from knowledge of the names, not from
  scores; "unemployment" stays Development's only (before writing this, the export's label
  counts over sessions 1-20 were looked at: UPR Info files 47 of 61 "unemployment" rows under
  Development, 6 under Labour; 101 of 353 "employment" rows under Labour).
- the bar (themes3's): on the held-out sessions 13-20, micro F1 and macro F1 not lower than
  before, and at least 90 % of the changed keyword hits over the WG reports (gained and lost;
  every one, or a seeded random 40 if more) right when read. Only then does it ship.
- measured (one run, --before the old file): micro F1 0.8600 -> 0.8589, macro F1 0.7869 ->
  0.7866, both lower: FAILS, not shipped (bench/fixr32c_themes.patch keeps the code and the
  file). Rows changed on two themes: Labour P 0.812 -> 0.696, F1 0.776 -> 0.743 (fp 131 -> 265:
  UPR Info files "employment" asks under many issues); Freedom of association and peaceful
  assembly P 0.753 -> 0.804, F1 0.751 -> 0.770 (fp 71 -> 52). Over the 228 WG reports (26,030
  asks) the keyword hits change on 388 (Labour +284, Freedom of association -104; 15 of each
  read, seeded: the 15 removals all name a body, the additions all say employment), but the
  themes shown change on ONE ask (A/HRC/28/10 125.27): everywhere else the classifier answers.

Pre-registered for review33 finding 6 and review34 finding 8 (helper themes36, written and
committed before its first scored run):
- the diagnosis: every mis-tag named is the classifier's, and the classifier learnt it from
  UPR Info's own labels of those very asks (the export of sessions 1-20 labels A/HRC/28/13
  108.69 "... sexual and gender-based violence ..." Sexual Orientation and Gender Identity,
  108.105 "... harmful traditional practices" Torture only, 108.109 and 108.103 with Torture;
  A/HRC/21/12 129.19 Torture only, 130.8 International instruments only; the classifier gives
  them these labels at score 0.99-1.0). No keyword matches SOGI in 108.69 or Torture in
  108.103/105/109: the keywords already say what a researcher says. For 130.8 and 129.19 the
  keywords already find Development and Human rights education and training (the "training"
  keyword), but exports show the classifier's labels whenever it gives any, so keyword themes
  are not shown; Kazakhstan's employment asks (review32 finding 7) are the same case (the
  classifier gives Development, or nothing for 125.27). Only removals are attempted here.
- the change: a theme may be marked `needs_keyword: true` in data/themes.yaml: its subject is
  always named in words (a group, an act), so the classifier's label for it is kept only where
  one of its keywords is found (ThemeTagger.confirmed; flows.extract.theme_hits and what
  exports show). Marked: Sexual Orientation and Gender Identity and Torture and other CID
  treatment. Their keywords gain, from knowledge of the terms (their other words or the
  instruments that name them, none chosen from scores): SOGI gender expression, sex
  characteristics, sexual minority, sexual diversity, LGBTQ, LGBTQI, queer, transsexual,
  transphobic, trans persons, trans people, Yogyakarta Principles; Torture ill-treat, ill treat,
  inhuman treatment, cruel treatment, Istanbul Protocol, national preventive mechanism (OPCAT's
  body). "Gender-based violence" is no SOGI evidence (it is Women's rights'); "harmful
  traditional practices" is no Torture evidence (female genital mutilation, FGM, already a
  Torture keyword, stays one). Other themes a closed vocabulary names (Death penalty, HIV - Aids,
  Trafficking, ...) are not marked: no finding names them. No retrain; the model is unchanged.
- the bar (themes3's, both ways): on the held-out sessions 13-20, micro F1 and macro F1 not
  lower than before, for the keyword themes (this bench) and for the themes exports show
  (`--shown`); and over the 245 WG reports (bench_theme_gaps.py --before, seed 0, every change
  or a random 40): at least 90 % of the new hits (keyword hits gained, HIT; shown themes
  gained, GAINED) right when read, and at least 90 % of the removed hits (shown themes lost,
  LOST) wrong when read. Only then does it ship.
- seen before this was committed: a smoke run of the new code on the dev split (sessions
  1-12, not the bar's rows) loaded this file for `--shown` by mistake: shown micro F1 0.9823 ->
  0.9813, macro F1 0.9787 -> 0.9780 (the classifier was fitted on most of those asks; Torture R
  0.996 -> 0.967, SOGI R 0.998 -> 0.962). Nothing above was changed after it.
- measured (one run each, --before main's file): keyword themes pass (micro F1 0.8600 ->
  0.8602, macro F1 0.7869 -> 0.7870; Torture tp 853 -> 861, fp 39 -> 43; SOGI tp 300 -> 304,
  fp 2 -> 3); the themes exports show FAIL (micro F1 0.9846 -> 0.9834, macro F1 0.9798 ->
  0.9791: Torture tp 909 -> 859, SOGI tp 309 -> 303, fp unchanged at 7 and 0, since UPR Info
  labels the asks that lose the classifier's label as it does). Over the 245 WG reports (28,768
  asks) shown themes change on 94 asks (Torture lost on 76, SOGI on 18; 5 fall back to a
  keyword theme, 18 are left with none). Read: the new keyword hits, 30 of 34 right (88 %,
  FAILS: A/HRC/15/2 76.20, 76.21, 76.24, 76.25, Kyrgyzstan's "national preventive mechanism
  that will ... guarantee the rights of ... minorities", conflict prevention, not OPCAT's; 76.21
  unclear, counted against); the removed shown themes, 23 of a seeded 40 wrong (58 %, FAILS):
  the label was right on 15 the keywords do not name ("cruel and inhumane", "mistreatment",
  "illegal treatment by law enforcement", police "beatings", tasers; "genital mutilation",
  "excision" x3; coerced or non-consensual sterilization x2; "sexual preferences ... same
  gender", "sex reassignment surgeries and reparative therapies", "non-conventional family
  models", Ukraine's Bill 8711) and 2 are unclear. NOT shipped: bench/themes36_themes.patch
  keeps the code, the keywords and the bench options (`git apply` on this branch). What it
  shows: the classifier learnt these labels from UPR Info, which files harmful traditional
  practices under Torture (45 of the 62 export rows saying "traditional practices"); a
  keyword-evidence veto needs a far fuller vocabulary than the keyword lists have.

Run: .venv/bin/python bench/bench_themes.py [--split dev] [--before FILE]
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from uprdex.extractors.themes import ThemeTagger

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
EXPORT = SHARED / "upr_info" / "upr_info_sessions_1-20.csv"
SPLITS = {"dev": range(1, 13), "held-out": range(13, 21)}


@dataclass(frozen=True, slots=True)
class Scores:
    """Per-theme counts of one tagging run against the gold labels."""

    tp: Counter[str]
    fp: Counter[str]
    fn: Counter[str]

    def prf(self, theme: str | None = None) -> tuple[float, float, float]:
        """Precision, recall, F1 of one theme, or micro-averaged over all when None."""
        tp, fp, fn = (
            (self.tp[theme], self.fp[theme], self.fn[theme])
            if theme
            else (self.tp.total(), self.fp.total(), self.fn.total())
        )
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return precision, recall, f1

    def macro_f1(self, themes: Sequence[str]) -> float:
        """Mean F1 over the themes, each counting once whatever its support."""
        return sum(self.prf(theme)[2] for theme in themes) / len(themes)

    def support(self, theme: str) -> int:
        """Gold rows carrying the theme."""
        return self.tp[theme] + self.fn[theme]


def load_rows(sessions: range) -> list[tuple[str, frozenset[str]]]:
    """(recommendation text, UPR Info issues) of the export rows of the given WG sessions."""
    with EXPORT.open(encoding="utf-8", newline="") as handle:
        return [
            (row["Text"], frozenset(i.strip() for i in row["Issue"].split(",") if i.strip()))
            for row in csv.DictReader(handle)
            if int(row["Session"]) in sessions
        ]


def score(tagger: ThemeTagger, rows: Sequence[tuple[str, frozenset[str]]]) -> tuple[Scores, float]:
    """Counts against the gold labels, and texts tagged per second."""
    tagger.tag("Ratify the Convention")  # warm up: the lemma table loads on first use
    started = time.perf_counter()
    predicted = tagger.tag_many(text for text, _ in rows)
    rate = len(rows) / (time.perf_counter() - started)
    scores = Scores(Counter(), Counter(), Counter())
    for (_, gold), hits in zip(rows, predicted, strict=True):
        found = {hit.theme for hit in hits}
        scores.tp.update(found & gold)
        scores.fp.update(found - gold)
        scores.fn.update(gold - found)
    return scores, rate


def _compare(before: Scores, after: Scores, themes: Sequence[str]) -> None:
    """Micro and macro F1 with the old and the new keywords, and the themes whose row moved."""
    print(f"\n{'':24} {'before':>8} {'after':>8}")
    for label, old, new in [
        ("micro precision", before.prf()[0], after.prf()[0]),
        ("micro recall", before.prf()[1], after.prf()[1]),
        ("micro F1", before.prf()[2], after.prf()[2]),
        ("macro F1", before.macro_f1(themes), after.macro_f1(themes)),
    ]:
        print(f"{label:<24} {old:8.4f} {new:8.4f}")
    moved = [t for t in themes if (before.tp[t], before.fp[t]) != (after.tp[t], after.fp[t])]
    print(f"themes whose row changed: {len(moved)}")
    for theme in moved:
        (p0, r0, f0), (p1, r1, f1) = before.prf(theme), after.prf(theme)
        print(
            f"  {theme:<44} P {p0:.3f}->{p1:.3f} R {r0:.3f}->{r1:.3f} F1 {f0:.3f}->{f1:.3f} "
            f"tp {before.tp[theme]}->{after.tp[theme]} fp {before.fp[theme]}->{after.fp[theme]}"
        )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=sorted(SPLITS), default="held-out")
    parser.add_argument("--before", type=Path, help="themes file to compare with (old keywords)")
    args = parser.parse_args(argv)
    if not SHARED.exists():
        print(f"skipped: {SHARED} not found (the shared corpus is not on this machine)")
        return 0
    sessions = SPLITS[args.split]
    rows = load_rows(sessions)
    started = time.perf_counter()
    ours = ThemeTagger()
    print(f"themes file loaded and compiled in {time.perf_counter() - started:.2f}s")
    themes = [theme.name for theme in ours.themes]
    unknown = {t for _, gold in rows for t in gold} - set(themes)
    if unknown:
        print(f"warning: issues in the export with no theme in the file: {sorted(unknown)}")
    scores, rate = score(ours, rows)
    baseline, _ = score(ThemeTagger(lemmas=False), rows)

    print(f"\n{args.split}: WG sessions {sessions.start}-{sessions.stop - 1}, {len(rows)} rows")
    print(f"{'theme':<46} {'P':>5} {'R':>5} {'F1':>5} {'support':>7}")
    for theme in sorted(themes, key=lambda t: scores.prf(t)[2]):
        p, r, f = scores.prf(theme)
        print(f"{theme:<46} {p:5.2f} {r:5.2f} {f:5.2f} {scores.support(theme):7d}")

    print(f"\n{'':<24} {'baseline':>12} {'ours':>9} {'ratio':>6}")
    print(f"{'':<24} {'(as written)':>12} {'(+lemma)':>9}")
    for label, base, our in [
        ("micro precision", baseline.prf()[0], scores.prf()[0]),
        ("micro recall", baseline.prf()[1], scores.prf()[1]),
        ("micro F1", baseline.prf()[2], scores.prf()[2]),
        ("macro F1", baseline.macro_f1(themes), scores.macro_f1(themes)),
    ]:
        print(f"{label:<24} {base:12.3f} {our:9.3f} {our / base:6.2f}")
    if args.before is not None:
        _compare(score(ThemeTagger(args.before), rows)[0], scores, themes)
    print(f"\nthroughput: {rate:,.0f} texts/s (ours, first pass over the texts, one process)")
    print(f"gold labels: {scores.tp.total() + scores.fn.total()} on {len(rows)} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
