"""Paraphrase evidence: precision at several thresholds on hand-labelled sentences.

The document: Slovenia's cycle-3 national report (A/HRC/WG.6/34/SVN/1, slovenia/cycle3/
g1923444.pdf), against the 163 recommendations of its cycle-2 WG report (A/HRC/28/15). Every
sentence the matcher proposes at cosine >= 0.40 was labelled by hand (does it restate or report
on the same ask?) in bench/labels/g1923444_paraphrases.csv, before the default threshold was
chosen. Recall is not measured: that needs every sentence of the report labelled against every
recommendation.
The sentences are cut as ingest cuts them (`page_sentences`, the body lines of each page).
Since headings are left out and a line opening with a paragraph number starts a sentence, 16 of
the 375 sentences are gone, all headings run into the next paragraph's number ("Erased persons
Recommendations 66, 95-97, ... 51."), and no other sentence changed; four labels named such
headings, all "does not restate":
"Institutional framework of human rights protection Recommendations 22, ..." (115.153, 0.56),
"Economic, social and cultural rights Recommendations 24, ..." (115.71, 0.45), "Challenges in
the field of human rights since the last review A." (115.1, 0.40), proposed before, and
"Achievements in the sphere of human rights A.", not proposed before either. Labels are
matched to sentences by their first 70 characters, as below. One label, "The Human Rights
Ombudsman has already applied for status A. 11.", was made on an earlier cut and matches no
sentence either way.
Run: .venv/bin/python bench/bench_paraphrase.py
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from uprdex.extractors.wg_report import parse_wg_report
from uprdex.pipeline.loader import load_pdf
from uprdex.pipeline.paraphrase import match_sentences, page_sentences
from uprdex.pipeline.settings import EvidenceSettings

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
LABELS = Path(__file__).resolve().parent / "labels" / "g1923444_paraphrases.csv"


def main() -> int:
    if not SHARED.exists():
        print(f"skipped: {SHARED} not found (the shared corpus is not here)")
        return 0
    report = parse_wg_report(load_pdf(SHARED / "slovenia" / "cycle2" / "g1423930.pdf"))
    recs = {f"{report.symbol}#{r.paragraph}": r.text for r in report.recommendations}
    document = load_pdf(SHARED / "slovenia" / "cycle3" / "g1923444.pdf")
    sentences = [
        s
        for page in document.pages
        for s in page_sentences([line.text for line in page.lines if not line.is_note])
    ]
    with LABELS.open(encoding="utf-8") as handle:
        labels = {
            (row["recommendation_id"], row["sentence_start"]): row["restates"] == "1"
            for row in csv.DictReader(handle)
        }
    matches = match_sentences(sentences, recs, 0.40)
    default = EvidenceSettings().paraphrase_threshold
    print(f"{len(sentences)} sentences, {len(recs)} recommendations; default threshold {default}")
    print(f"{'threshold':>9} {'proposed':>8} {'labelled':>8} {'correct':>7} {'precision':>9}")
    for threshold in (0.40, 0.45, 0.50, 0.55, 0.60, 0.65):
        chosen = [m for m in matches if m.score >= threshold]
        judged = [labels.get((m.recommendation_id, sentences[m.sentence][:70])) for m in chosen]
        known = [j for j in judged if j is not None]
        precision = sum(known) / len(known) if known else float("nan")
        print(
            f"{threshold:>9.2f} {len(chosen):>8} {len(known):>8} {sum(known):>7} {precision:>9.2f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
