"""Trial: drop the UPR Info labels that the theme classifier, cross-fitted, holds to be noise.

review22 finding 6: A/HRC/25/11 105.32 (Brazil), "Step up efforts for the protection of children
subject to recruitment into armed forces, including through the adoption of adequate legislation
on the matter", gets "Indigenous peoples" first at 0.99. The cause is not a keyword (the test
calls the classifier alone, and no keyword of data/themes.yaml is in the text): UPR Info's own
export labels this very row "Indigenous peoples, Rights of the Child" (session 17), and the row is
in the shipped model's training reviews, so the LinearSVC fits it: the bigrams of its clause
("recruitment into", "adequate legislation", "the matter", "forces including") carry positive
Indigenous-peoples weights that no other text gives them. Of the export's 619 rows labelled
"Indigenous peoples", 15 name no people by any indigenous word or name; 13 are right on reading
(the Hmong, the Treaty of Waitangi, the Guaraní Kaiowá, UNDRIP ...), 2 are noise (this one, and
Vanuatu's "Continue to incorporate CEDAW principles ..."). A fix for one row is a hand edit; the
principled one is a rule for every label of every theme.

Pre-registered (written and committed before the first scored run):
- the rule: the training reviews (train + validation, never test) are cut into 5 folds by
  review (seeded permutation, seed 0); a model with the shipped recipe (`train_themes._fit`) is
  fitted on 4 folds and gives margins on the 5th. A gold label whose out-of-fold margin is below
  -1.0 (outside the SVM's margin, on the wrong side: the model confidently says the text is not
  about it) is dropped from that record, unless it is the record's only label. The tuning model,
  thresholds, Platt calibration and the final model are then fitted on the cleaned records
  exactly as `train_themes.train` does; the test reviews keep UPR Info's labels as they are.
- the bar: the cleaned model ships if, on the held-out test reviews, scored in the same run as
  the shipped model, its micro F1 is not lower and its macro F1 not lower by more than 0.002,
  and if CAR 2013's 105.32 no longer gets "Indigenous peoples". Over all asks of the 245 WG
  reports, the asks that gain or lose "Indigenous peoples" are counted and 15 of those that change
  (seeded sample) are read by hand.

Result (first and only scored run, after cb2b0b7; 1,520 s on the shared 2 cores): the bar's
figures pass, but the reading does not, so the cleaned model is NOT SHIPPED.
- Dropped: 536 of 46,349 train + validation labels (Justice 60, ESC rights 25, Rights of the
  Child 23, ...; Indigenous peoples 9).
- Held-out test reviews, shipped -> cleaned: micro F1 0.9042 -> 0.9059, macro F1 0.8708 ->
  0.8732 (Indigenous peoples F1 0.910 -> 0.923, support 77). 105.32 gets "Rights of the Child"
  only (0.99).
- The 28,768 asks of the 245 WG reports, themes as an export shows them (the classifier's,
  else the keywords'): 562 get Indigenous peoples before, 554 after; 10 lose it, 2 gain it. All
  12 read (fewer than 15 change). Right: 105.32, "children from minority groups" (A/HRC/27/3
  131.114) and "poverty, indigence and social exclusion" (A/HRC/12/12 78.76, "indige") lose it;
  two Maori asks gain it (the classifier abstains, the keyword "Maori" answers). Wrong: six asks
  that name an Indigenous people lose it: First Nations, Metis and Inuit (A/HRC/24/11 128.74),
  Aboriginal girls and women (128.136), First Nations' students (128.137), the Mapuche (A/HRC/
  12/10 97.3), the Orang Asli (A/HRC/25/10 146.215), the San communities (A/HRC/14/11 87.46).
  Doubtful: "religious and tribal minorities, Dalits" (A/HRC/21/10 138.118). So 5 right, 6 wrong:
  out of fold, a text naming a people that only its own review names looks as unlikely as a
  wrong label does, and the rule drops both.
- Not measured: the theme model's `subjects` feed the recurrence model and the clusters'
  `subject_weight`, so a new theme model would also move "asked before" links and clusters.

Run: .venv/bin/python bench/theme_label_noise_trial.py [--out DIR]   (several minutes)
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from uprdex.pipeline import train_themes
from uprdex.pipeline.theme_model import DEFAULT_MODEL_DIR, ThemeModel
from uprdex.pipeline.train_themes import (
    Record,
    Split,
    _fit,
    f1_scores,
    label_matrix,
    read_export,
    split_reviews,
)

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
EXPORT = SHARED / "upr_info" / "upr_info_sessions_1-20.csv"
FOLDS, NOISE_MARGIN, SEED = 5, -1.0, 0
ASK = (
    "Step up efforts for the protection of children subject to recruitment into armed forces, "
    "including through the adoption of adequate legislation on the matter"
)


def clean(records: list[Record], classes: list[str]) -> tuple[list[Record], list[tuple[str, str]]]:
    """`records` with the labels the cross-fitted model holds to be noise dropped (the rule)."""
    reviews = sorted({r.review for r in records})
    order = np.random.default_rng(SEED).permutation(len(reviews))
    fold = {reviews[index]: rank % FOLDS for rank, index in enumerate(order)}
    gold = label_matrix(records, classes)
    margins = np.zeros(gold.shape)
    for k in range(FOLDS):
        inside = np.array([fold[r.review] != k for r in records])
        texts = np.array([r.text for r in records], dtype=object)
        fitted = _fit(list(texts[inside]), gold[inside], SEED)
        margins[~inside] = fitted.decision(list(texts[~inside]))
        print(f"  fold {k + 1}/{FOLDS} done", flush=True)
    cleaned, dropped = [], []
    for row, record in enumerate(records):
        noise = {c for c in record.labels if margins[row, classes.index(c)] < NOISE_MARGIN}
        if noise == record.labels:
            noise = set()
        dropped += [(c, record.text) for c in sorted(noise)]
        cleaned.append(Record(record.review, record.norm, record.text, record.labels - noise))
    return cleaned, dropped


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="where to write the cleaned model")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    records = read_export(EXPORT)
    split = split_reviews(records, SEED)
    classes = sorted({label for record in records for label in record.labels})
    seen = [*split.train, *split.validation]
    cleaned, dropped = clean(seen, classes)
    print(f"labels dropped: {len(dropped)} of {sum(len(r.labels) for r in seen)}")
    by_theme: dict[str, int] = {}
    for theme, _ in dropped:
        by_theme[theme] = by_theme.get(theme, 0) + 1
    print("  by theme:", sorted(by_theme.items(), key=lambda item: -item[1]))
    for theme, text in dropped:
        if theme == "Indigenous peoples":
            print(f"  Indigenous peoples dropped: {text[:110]}")
    n_train = len(split.train)
    cleaned_split = Split(cleaned[:n_train], cleaned[n_train:], split.test, split.reviews)
    train_themes.split_reviews = lambda _records, _seed=0: cleaned_split  # type: ignore[assignment]
    out = args.out or Path(tempfile.mkdtemp(prefix="uprdex-themes-clean-"))
    train_themes.train(EXPORT, out, SEED)
    print(f"cleaned model in {out} ({time.perf_counter() - started:.0f} s)")

    gold = label_matrix(split.test, classes)
    texts = [r.text for r in split.test]
    print(f"\n{'held-out test reviews':28}{'micro F1':>10}{'macro F1':>10}")
    models = {"shipped": ThemeModel._read(DEFAULT_MODEL_DIR), "cleaned": ThemeModel._read(out)}
    scores = {}
    for name, model in models.items():
        scores[name] = f1_scores(gold, model.select(texts).astype(np.int8), classes)
        print(f"{name:28}{scores[name]['micro_f1']:>10.4f}{scores[name]['macro_f1']:>10.4f}")
        print(f"  105.32: {model.predict([ASK])[0]}")
    ip = "Indigenous peoples"
    for name in models:
        print(f"  {ip} F1 {name}: {scores[name]['per_class'].get(ip)}")
    moved = [
        (name, scores["shipped"]["per_class"][name]["f1"], values["f1"])
        for name, values in scores["cleaned"]["per_class"].items()
        if abs(values["f1"] - scores["shipped"]["per_class"][name]["f1"]) >= 0.01
    ]
    print("  themes whose F1 moved by 0.01 or more:", moved)
    passed = (
        scores["cleaned"]["micro_f1"] >= scores["shipped"]["micro_f1"]
        and scores["cleaned"]["macro_f1"] >= scores["shipped"]["macro_f1"] - 0.002
        and ip not in models["cleaned"].labels([ASK])[0]
    )
    print("bar:", "passes" if passed else "fails")
    return 0


if __name__ == "__main__":
    sys.exit(main())
