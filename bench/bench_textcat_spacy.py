"""spaCy's textcat_multilabel against the shipped theme model, same split, in one run (issue #9).

The UPR Info export is split by review with `pipeline.train_themes.split_reviews(seed=0)`, the
split the shipped model was built on. spaCy is trained with its own training loop from the
committed bench/spacy_textcat.cfg on the train reviews, with the validation reviews as its dev
set (best checkpoint); one probability threshold, and the at-least-one margin of
`extractors.theme_model.select_themes`, are then chosen on validation for micro F1, and the test
reviews are scored once. Three lines are printed side by side on the same test reviews:

- the shipped model (data/models/themes, refit on train + validation) as loaded at run time;
- the shipped recipe fitted here on the train reviews only, its margin threshold tuned on
  validation: the same training data spaCy sees;
- spaCy textcat_multilabel (model-best).

Columns: micro and macro F1 (macro over the themes present in test), seconds to classify 10,000
recommendations, model size on disk, load time (in process, and in a fresh process with its
imports) and training time (one fit on the train reviews; spaCy's includes its dev evaluations).

Run: .venv/bin/python bench/bench_textcat_spacy.py  (about 6 minutes on 2 CPU cores)
"""

from __future__ import annotations

import importlib
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import spacy
from spacy.cli.train import train as spacy_train
from spacy.language import Language
from spacy.tokens import DocBin

from uprdex.pipeline.theme_model import DEFAULT_MODEL_DIR, ThemeModel, select_themes
from uprdex.pipeline.train_themes import (
    CONFIG,
    Record,
    _fit,
    _select,
    _tune_threshold,
    f1_scores,
    label_matrix,
    read_export,
    split_reviews,
)

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
EXPORT = SHARED / "upr_info" / "upr_info_sessions_1-20.csv"
SPACY_CONFIG = Path(__file__).resolve().with_name("spacy_textcat.cfg")
SEED = 0
THRESHOLDS = np.round(np.arange(0.05, 0.951, 0.05), 2)
# None: never force a theme; 1.0: always give a text its best theme.
AT_LEAST_ONE_MARGINS: tuple[float | None, ...] = (None, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 1.0)
N_SAMPLE = 10_000


def _write_docbin(
    nlp: Language, records: Sequence[Record], classes: Sequence[str], path: Path
) -> None:
    """Tokenized texts with cats 1.0 / 0.0 for every class, as a .spacy file."""
    docbin = DocBin()
    for record, doc in zip(records, nlp.pipe(r.text for r in records), strict=True):
        doc.cats = {name: float(name in record.labels) for name in classes}
        docbin.add(doc)
    docbin.to_disk(path)


def _spacy_scores(
    nlp: Language, texts: Sequence[str], classes: Sequence[str]
) -> npt.NDArray[np.float32]:
    """Probability of every class for every text, columns in `classes` order."""
    return np.array(
        [[doc.cats[name] for name in classes] for doc in nlp.pipe(texts, batch_size=1000)],
        dtype=np.float32,
    )


def _tune_spacy(
    scores: npt.NDArray[np.float32], gold: Any, classes: Sequence[str]
) -> tuple[float, float | None, float]:
    """Threshold and at-least-one margin with the best validation micro F1 (first on ties)."""
    best: tuple[float, float | None, float] = (0.5, None, -1.0)
    for threshold in THRESHOLDS:
        for margin in AT_LEAST_ONE_MARGINS:
            chosen = select_themes(scores, np.full(len(classes), threshold), margin)
            value = f1_scores(gold, chosen.astype(np.int8), classes)["micro_f1"]
            if value > best[2]:
                best = (float(threshold), margin, value)
    return best


def _timed(function: Callable[[], Any]) -> tuple[Any, float]:
    started = time.perf_counter()
    result = function()
    return result, time.perf_counter() - started


def _fresh_load_seconds(statement: str) -> float:
    """Seconds to import and load a model in a new interpreter (what a CLI call pays)."""
    command = f"import time; t = time.perf_counter(); {statement}; print(time.perf_counter() - t)"
    done = subprocess.run([sys.executable, "-c", command], check=True, capture_output=True)
    return float(done.stdout)


def _megabytes(path: Path) -> float:
    files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files) / 1024 / 1024


def _package_megabytes(*names: str) -> float:
    """Installed size of top-level packages (their directories in site-packages)."""
    total = 0.0
    for name in names:
        total += _megabytes(Path(str(importlib.import_module(name).__file__)).parent)
    return total


def main() -> int:
    if not EXPORT.is_file():
        print(f"skipped: {EXPORT} not found (the shared data is not mounted)")
        return 0
    records = read_export(EXPORT)
    split = split_reviews(records, SEED)
    classes = sorted({label for record in records for label in record.labels})
    shipped, shipped_load = _timed(ThemeModel.load)
    if list(shipped.classes) != classes:
        print("the shipped model's classes differ from the export's; retrain it first")
        return 1
    gold_val = label_matrix(split.validation, classes)
    gold_test = label_matrix(split.test, classes)
    val_texts = [r.text for r in split.validation]
    test_texts = [r.text for r in split.test]
    sample = (test_texts * (N_SAMPLE // len(test_texts) + 1))[:N_SAMPLE]
    print(
        f"split by review, seed {SEED}: reviews {split.reviews}, recommendations "
        f"train {len(split.train)}, validation {len(split.validation)}, test {len(split.test)}"
    )

    work = Path(tempfile.mkdtemp(prefix="uprdex-textcat-"))
    blank = spacy.blank("en")
    _write_docbin(blank, split.train, classes, work / "train.spacy")
    _write_docbin(blank, split.validation, classes, work / "dev.spacy")
    print(f"training spaCy from {SPACY_CONFIG.name} into {work} (log below)\n")
    overrides = {
        "paths.train": str(work / "train.spacy"),
        "paths.dev": str(work / "dev.spacy"),
        "system.seed": SEED,
    }
    _, spacy_train_seconds = _timed(lambda: spacy_train(SPACY_CONFIG, work, overrides=overrides))
    model_best = work / "model-best"
    nlp, spacy_load = _timed(lambda: spacy.load(model_best))
    threshold, margin, val_micro = _tune_spacy(
        _spacy_scores(nlp, val_texts, classes), gold_val, classes
    )

    def spacy_select(texts: Sequence[str]) -> Any:
        scores = _spacy_scores(nlp, texts, classes)
        return select_themes(scores, np.full(len(classes), threshold), margin)

    spacy_test = f1_scores(gold_test, spacy_select(test_texts).astype(np.int8), classes)
    _, spacy_seconds = _timed(lambda: spacy_select(sample))

    shipped_test = f1_scores(gold_test, shipped.select(test_texts).astype(np.int8), classes)
    _, shipped_seconds = _timed(lambda: shipped.select(sample))

    fitted, recipe_fit = _timed(
        lambda: _fit([r.text for r in split.train], label_matrix(split.train, classes), SEED)
    )
    recipe_threshold = _tune_threshold(fitted.decision(val_texts), gold_val, classes)
    recipe_test = f1_scores(
        gold_test, _select(fitted.decision(test_texts), recipe_threshold), classes
    )
    _, recipe_seconds = _timed(lambda: _select(fitted.decision(sample), recipe_threshold))

    shipped_fresh = _fresh_load_seconds(
        "from uprdex.pipeline.theme_model import ThemeModel; ThemeModel.load()"
    )
    spacy_fresh = _fresh_load_seconds(f"import spacy; spacy.load({str(model_best)!r})")

    rule = "never" if margin is None else f"within {margin}"
    print(
        f"\nspaCy decision rule (chosen on validation, micro F1 {val_micro:.4f}): threshold "
        f"{threshold}, at least one theme {rule} of it"
    )
    print(
        f"shipped recipe on train only: margin threshold {float(recipe_threshold[0])}, "
        f"at least one theme within {CONFIG['at_least_one_margin']} (as shipped)"
    )
    header = ("micro_f1", "macro_f1", "10k texts s", "size MB", "load s", "fresh load s", "train s")
    print(f"\n{'test reviews, n=' + str(len(test_texts)):34}" + "".join(f"{h:>13}" for h in header))
    shipped_mb, spacy_mb = _megabytes(DEFAULT_MODEL_DIR), _megabytes(model_best)
    rows: list[tuple[str, dict[str, Any], list[float | None]]] = [
        (
            "shipped model (train + val)",
            shipped_test,
            [shipped_seconds, shipped_mb, shipped_load, shipped_fresh, None],
        ),
        ("shipped recipe, train only", recipe_test, [recipe_seconds, None, None, None, recipe_fit]),
        (
            "spaCy textcat_multilabel",
            spacy_test,
            [spacy_seconds, spacy_mb, spacy_load, spacy_fresh, spacy_train_seconds],
        ),
    ]
    for name, scores, numbers in rows:
        cells = [f"{scores['micro_f1']:>13.4f}", f"{scores['macro_f1']:>13.4f}"]
        cells += [f"{'-':>13}" if n is None else f"{n:>13.2f}" for n in numbers]
        print(f"{name:34}" + "".join(cells))
    print(
        f"{'ratio spaCy / shipped model':34}"
        f"{spacy_test['micro_f1'] / shipped_test['micro_f1']:>13.3f}"
        f"{spacy_test['macro_f1'] / shipped_test['macro_f1']:>13.3f}"
        f"{spacy_seconds / shipped_seconds:>13.2f}"
        f"{spacy_mb / shipped_mb:>13.1f}"
    )
    print(
        f"(macro over {len(spacy_test['per_class'])} themes present in test; size: "
        "model-best folder vs data/models/themes; train s: one fit on the train reviews)"
    )
    print(
        f"installed: spacy + thinc {_package_megabytes('spacy', 'thinc'):.0f} MB (a runtime "
        f"dependency already); scikit-learn {_package_megabytes('sklearn'):.0f} MB "
        "(dev extra, to train the shipped model only)"
    )
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
