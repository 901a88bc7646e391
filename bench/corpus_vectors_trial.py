"""Word vectors trained on more UPR prose: the export's asks and the WG reports' full text (#19).

PRE-REGISTERED (committed before the first scored run).

The pair model's one meaning signal beyond LSA is the `centroid` cosine of word vectors
(`pipeline.train_word_vectors`: PPMI + SVD over the 29,184 distinct normalized texts of the UPR
Info export). The misses left are paraphrases ("the gender pay gap" vs "disparity of salaries
between men and women"); 1M words of short asks know few such substitutions. Here the same
recipe (`train_word_vectors.CONFIG`: 100 dims, window 4, min_count 5, seed 0: one change, the
texts) reads more in-domain prose as well: the 245 WG reports of ../shared/data/wg_reports
(their interactive dialogue, the State's presentation, and the recommendations).

The corpus. Each report is read with the project's fast loader (`pipeline.loader.load_pdf`,
pypdfium2) and `wg_items.body_lines` (no running headers, footers or footnotes). Its lines are
cut into paragraphs where a line opens with a paragraph number ("12. ", "118.17 ") or a letter
("(a) ", "(iv) "), that number or letter dropped, and each paragraph into SENTENCES (after ".",
"!" or "?" before a capital): the unit nearest an ask in length, and the window never runs
from one sentence into the next. Each sentence is normalized as the clusters do
(`pipeline.clusters.normalize`, which strips a closing State list itself, as it does for an
ask: `strip_states` is applied); empty ones go. The vectors are trained on the distinct texts
of the export (as today) followed by the distinct report sentences not already among them
(one list, each text once).
- today: the export alone (as data/models/words: the same arrays, checked);
- A: the export + every sentence of the 245 reports;
- B: A without the reports' conclusions sections (from the last "Conclusions and/or
  recommendations" heading to the annex, as `wg_items` finds it: the recommendations, which
  the export already holds as its rows): the reports' prose only. A report without such a
  heading keeps all its sentences (their number is printed). Cycle-1 reports also print asks
  in section I ("Canada recommended that Viet Nam (a) increase ..."); they stay in B.
The vocabulary is, as today, the stems in at least 5 training texts: the reports bring stems
the asks use fewer than 5 times (part of the one change: more text, same recipe).

The idf the vectors store (the centroid's word weights, stored in the pair model) is computed
over the EXPORT's distinct texts alone, in every variant (`train_word_vectors.idf`; today's is
that already). Chosen before scoring, because: the change measured is what the vectors know,
one change at a time; the idf weighs the words of an ask against the words of other asks,
which the export is made of, while the reports' prose would lower the weight of words the
dialogue repeats ("delegation", "welcome", "note") and raise the asks' own verbs. A stem the
reports add that no export text holds gets the highest idf (a stem in no text); such a stem
is in no ask of the export.

Labels: none are read. The reports of the TEST, FRESH, UNSEEN, LATEST, NEWEST and FINAL
reviews are among the 245 PDFs: unlabelled text, as the export rows of those reviews already
are in today's vectors.

1. The bar (tuning reviews only, bench/gold, twelve): leave one review out, each fold's pair
   model (`train_pairs.CONFIG` as shipped, centroid feature) trained on the 11 others with the
   variant's vectors, today's vectors beside it in the same run. A variant passes if its mean
   held-out F1 gain over today is >= +0.015 AND its F1 is higher on >= 7 of 12 AND its mean
   precision is not lower by more than 0.005. At most one is chosen: the passing one with the
   best mean F1. Every fold, the means and the lowest F1 are printed.
   With --unseen (not a bar, reported only): each fold's vectors (today's too) trained without
   any text of the held-out review's State: neither its export rows (any cycle) nor its
   reports (any cycle, the State read from each report's head).
2. --look (unscored, run first): the corpus sizes, the training seconds and model size, and
   the nearest stems of a few under each variant's vectors.
3. A final check, only if one passes: declared in this docstring and committed before it is
   run, run once (none passed: not written).

Looked first (unscored, `--look`, one run, 50 s, before this docstring was committed): the 245
reports read in 21 s (2,428,016 printed words, 105,859 sentences, 75,578 outside the
conclusions; every report has a conclusions heading and a State read). Training texts: today
29,184 (372,618 stems), A 29,184 + 69,535 (1,484,771 stems, 4.0x), B 29,184 + 65,967
(1,412,293); vocabulary 2,708 / 5,425 / 5,361 stems; fit 7.1 / 9.9 / 9.7 s; model.npz 240 /
456 / 451 KB. Nearest stems: "pay" today attent, men, gap, narrow, inequ, wage; A gap, wage,
market, men, salari; "desegreg" not in today's vocabulary, A pupil, syllabus, kindergarten,
grade, school; "segreg" today diversif, academ, occup; A discrimin, elimin, prejudic, exclus.

Measured (2-core machine shared with another agent's jobs; one run each):
- Bar run (`.venv/bin/python bench/corpus_vectors_trial.py`, 771 s), held-out F1 per review,
  today / A / B: Kazakhstan 2014 0.78/0.79/0.80, Madagascar 2014 0.74/0.75/0.75, Malaysia 2013
  0.61/0.66/0.67, Colombia 2013 0.48/0.49/0.49, Senegal 2013 0.71/0.71/0.71, India 2012
  0.78/0.82/0.82, Tunisia 2012 0.38/0.34/0.41, Sri Lanka 2012 0.57/0.59/0.60, Ghana 2012
  0.54/0.53/0.53, Brazil 2012 0.55/0.53/0.53, Japan 2012 0.75/0.71/0.73, Ukraine 2012
  0.66/0.65/0.66. Mean P/R/F1 (lowest F1): today 0.68/0.61/0.63 (0.38), A 0.67/0.62/0.63
  (0.34), B 0.67/0.63/0.64 (0.41). A: F1 +0.0025, better on 7 of 12 (worse on 5), precision
  -0.0091: fails. B: F1 +0.0115, better on 8 (worse on 3), precision -0.0013: fails (the F1
  gain is under +0.015). Chosen: none; so no final check was declared or run, and no training
  command was built.
- --unseen (reported only, 1,083 s): today 0.66/0.61/0.63 (0.38), A 0.68/0.61/0.63 (0.35),
  B 0.67/0.61/0.63 (0.35); A F1 +0.0069, precision +0.0137, better on 7, worse on 4; B F1
  +0.0062, precision +0.0092, better on 8, worse on 3.
- Cost, had one passed: reading and normalizing the 245 PDFs 18-21 s, then the fit 9-10 s
  (today's fit 3-7 s); model.npz 240 KB -> 456 KB (5,425 stems for 2,708), and the pair model
  keeps a copy of the arrays. Training would need the PDFs (`uprdex train-word-vectors CSV
  --reports DIR` or the like).

Run: .venv/bin/python bench/corpus_vectors_trial.py [--look] [--variants NAME ...] [--unseen]
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
from cluster_protocol import GOLD, SHARED, Review, Score, load_reviews, print_gains, scratch_folder
from feature_trials import held_out
from word_vectors_trial import EXPORT, _scored, export_without

from uprdex.extractors.metadata import find_state_under_review
from uprdex.extractors.wg_items import SECTION_END, SECTION_HEADING, body_lines
from uprdex.pipeline.clusters import load_treaties, normalize
from uprdex.pipeline.loader import load_pdf
from uprdex.pipeline.model_files import write_arrays, write_metadata
from uprdex.pipeline.states import load_states
from uprdex.pipeline.text import join_lines
from uprdex.pipeline.tfidf import vocabulary_from_blob
from uprdex.pipeline.train_semantic import read_texts
from uprdex.pipeline.train_word_vectors import CONFIG, document_frequency, fit, idf
from uprdex.pipeline.word_vectors import METADATA_FILE, MODEL_FILE, MODEL_FORMAT, WordVectors

REPORTS = SHARED / "wg_reports"
VARIANTS = ("today", "A", "B")
"""today: the export; A: + all report sentences; B: + the report sentences outside the
conclusions section."""

# "12. During the interactive dialogue, 96 delegations made statements.", "118.17 Ratify the
# OP-CAT (France);", "(a) The United Nations Convention on the Rights of Persons with
# Disabilities", "(iv) ...": a line that opens a paragraph (its number or letter dropped).
PARAGRAPH_START = re.compile(r"^(?:\d{1,3}\.(?:\d{1,3}\.?)?|\((?:[a-z]|[ivx]{1,4})\))\s+(?=\S)")
# "... adopted the report on Germany. The delegation of Germany ...": a sentence ends at ".",
# "!" or "?" before a capital ("Convention No. 169" goes on).
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"“‘(]?[A-Z])")

LOOK_WORDS = (
    "pay",
    "salaries",
    "wage",
    "disparity",
    "desegregate",
    "segregation",
    "domestic",
    "incorporate",
    "Roma",
)


@dataclass(frozen=True)
class Report:
    """One WG report's normalized sentences: all, and those outside its conclusions section."""

    name: str
    state: str | None
    sentences: tuple[str, ...]
    prose: tuple[str, ...]
    headed: bool
    """Whether a conclusions heading was found (without one, `prose` is every sentence)."""
    words: int


def _paragraphs(lines: Sequence[str]) -> Iterator[str]:
    """The paragraphs of printed lines, each without its number or letter."""
    parts: list[str] = []
    for line in lines:
        opened = PARAGRAPH_START.match(line)
        if opened and parts:
            yield join_lines(parts)
            parts = []
        parts.append(line[opened.end() :] if opened else line)
    if parts:
        yield join_lines(parts)


def _sentences(lines: Sequence[str]) -> list[str]:
    """The normalized sentences of printed lines (empty ones dropped)."""
    treaties = load_treaties()
    out = []
    for paragraph in _paragraphs(lines):
        for sentence in SENTENCE_END.split(paragraph):
            normalized = normalize(sentence, treaties)
            if normalized:
                out.append(normalized)
    return out


def read_report(path: Path) -> Report:
    """A WG report's sentences, normalized (`load_pdf`, `body_lines`, `normalize`)."""
    document = load_pdf(path)
    head = "\n".join([document.first_page_text, *(page.text for page in document.pages[:3])])
    lines = [line.text for page in document.pages for line in body_lines(page)]
    starts = [at for at, line in enumerate(lines) if SECTION_HEADING.match(line)]
    start = end = len(lines)
    if starts:
        start = starts[-1]
        end = next((at for at in range(start, len(lines)) if SECTION_END.match(lines[at])), end)
    before, section, after = (
        _sentences(part) for part in (lines[:start], lines[start:end], lines[end:])
    )
    return Report(
        path.stem,
        find_state_under_review(head, load_states()),
        (*before, *section, *after),
        (*before, *after),
        bool(starts),
        sum(len(line.split()) for line in lines),
    )


@cache
def reports() -> tuple[Report, ...]:
    """Every WG report of ../shared/data/wg_reports, read once per run."""
    start = time.perf_counter()
    read = tuple(read_report(path) for path in sorted(REPORTS.glob("*.pdf")))
    print(
        f"  {len(read)} reports read in {time.perf_counter() - start:.0f} s: "
        f"{sum(r.words for r in read):,} printed words, "
        f"{sum(len(r.sentences) for r in read):,} sentences, "
        f"{sum(len(r.prose) for r in read):,} outside the conclusions; "
        f"{sum(not r.headed for r in read)} without a conclusions heading"
        + "".join(f"; no State read: {r.name}" for r in read if r.state is None),
        flush=True,
    )
    return read


@cache
def export_texts(without: str = "") -> tuple[str, ...]:
    """The export's distinct normalized texts (`read_texts`), less every row of `without`."""
    if not without:
        return tuple(read_texts(EXPORT))
    folder = scratch_folder("uprdex-corpus-")
    return tuple(read_texts(export_without({without}, folder)))


def corpus(variant: str, without: str = "") -> tuple[list[str], list[str]]:
    """The export's texts and the variant's report sentences not among them (distinct), less
    any text of the State `without`."""
    export = list(export_texts(without))
    if variant == "today":
        return export, []
    kept = [r for r in reports() if not without or r.state != without]
    sentences = (s for r in kept for s in (r.sentences if variant == "A" else r.prose))
    known = set(export)
    return export, [s for s in dict.fromkeys(sentences) if s not in known]


@cache
def vectors(variant: str, without: str = "") -> Path:
    """The variant's word vectors (without any text of the State `without`) in a scratch
    folder: fitted on the export and report texts, the idf over the export's texts alone."""
    export, extra = corpus(variant, without)
    texts = [*export, *extra]
    start = time.perf_counter()
    arrays = fit(texts, CONFIG, seed=0)
    stems = vocabulary_from_blob(arrays["vocab"])
    arrays["idf"] = idf(
        document_frequency(export), len(export), sorted(stems, key=stems.__getitem__)
    )
    seconds = time.perf_counter() - start
    folder = scratch_folder("uprdex-corpus-words-")
    write_arrays(folder / MODEL_FILE, arrays)
    words = sum(len(text.split()) for text in texts)
    write_metadata(
        folder / METADATA_FILE,
        {
            "format": MODEL_FORMAT,
            "version": f"{MODEL_FORMAT}.{CONFIG['revision']}+corpus.{variant}"
            f"{'.without.' + without if without else ''}.seed0",
            "texts": len(texts),
            "stems": len(stems),
        },
    )
    print(
        f"  vectors {variant}{' without ' + without if without else ''}: {len(export):,} export "
        f"+ {len(extra):,} report texts, {words:,} stems in all, {len(stems):,} in the "
        f"vocabulary; fit {seconds:.1f} s, {(folder / MODEL_FILE).stat().st_size / 1024:.0f} KB",
        flush=True,
    )
    return folder


def look() -> None:
    """Unscored: each variant's nearest stems of a few words (cosine)."""
    treaties = load_treaties()
    models = {name: WordVectors.load(vectors(name)) for name in VARIANTS}
    for word in LOOK_WORDS:
        stem = normalize(word, treaties)
        print(f"== {word!r} ({stem})")
        for name, model in models.items():
            at = model.vocabulary.get(stem)
            if at is None:
                print(f"  {name}: not in the vocabulary")
                continue
            cosines = model.unit @ model.unit[at]
            terms = sorted(model.vocabulary, key=model.vocabulary.__getitem__)
            best = [i for i in np.argsort(-cosines) if i != at][:10]
            print(f"  {name}: " + ", ".join(f"{terms[i]} {cosines[i]:.2f}" for i in best))


def _state(review: Review) -> str:
    return review.name.rsplit(" ", 1)[0]


def tuning(variants: Sequence[str], unseen: bool) -> None:
    """Leave one tuning review out for each variant, today's first; the bar."""
    reviews = load_reviews(tuning=True, tests=False)

    def scored(train: Sequence[Review], variant: str, held: Sequence[Review]) -> list[Score]:
        without = _state(held[0]) if unseen else ""
        return _scored(train, {"word_vectors": str(vectors(variant, without))}, held)

    print(f"== tuning reviews only, leave one out ({len(reviews)} reviews)")
    if unseen:
        print("  each fold's vectors without any text of the held-out State (reported only)")
    results = held_out(reviews, variants, scored)
    print_gains(reviews, results)
    today = results["today"]
    passing = {}
    for name in variants[1:]:
        gains = [b.f1 - a.f1 for a, b in zip(today, results[name], strict=True)]
        gain = statistics.fmean(gains)
        precision = statistics.fmean(
            b.precision - a.precision for a, b in zip(today, results[name], strict=True)
        )
        better = sum(g > 0 for g in gains)
        passes = gain >= 0.015 and better >= 7 and precision >= -0.005
        print(
            f"  bar (F1 >= +0.015, better on >= 7 of 12, precision >= -0.005): {name} F1 "
            f"{gain:+.4f}, better on {better}, precision {precision:+.4f}, lowest F1 "
            f"{min(s.f1 for s in results[name]):.2f}: {'PASSES' if passes else 'fails'}"
        )
        if passes:
            passing[name] = statistics.fmean(s.f1 for s in results[name])
    if unseen:
        print("  (--unseen: reported only, nothing chosen)")
    elif passing:
        print(f"  chosen: {max(passing, key=passing.__getitem__)}")
    else:
        print("  chosen: none")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--look", action="store_true", help="unscored: corpus sizes, neighbours")
    parser.add_argument("--variants", nargs="*", default=list(VARIANTS[1:]), choices=VARIANTS[1:])
    parser.add_argument("--unseen", action="store_true", help="vectors without the held-out State")
    args = parser.parse_args()
    if not GOLD.exists() or not REPORTS.exists() or not EXPORT.exists():
        print(f"skipped: {GOLD}, {REPORTS} or {EXPORT} not found")
        return 0
    start = time.perf_counter()
    if args.look:
        look()
    elif args.variants:
        tuning(["today", *args.variants], args.unseen)
    print(f"  ({time.perf_counter() - start:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
