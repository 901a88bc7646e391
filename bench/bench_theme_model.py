"""Learned theme classifier against the TF-IDF + logistic-regression baseline, same split.

The UPR Info export is split by review (To + Session) with the seed recorded in the shipped
model's metadata (pipeline/train_themes.py). The shipped model (data/models/themes) is used as
is after checking that its metadata matches this file and split; the baseline (TF-IDF defaults,
one-vs-rest logistic regression, threshold 0.5) is retrained here on the same train +
validation reviews. Both are scored on the held-out test reviews: micro and macro F1 side by
side, the 10 weakest themes, throughput on 10,000 recommendations and model load time.

Run: .venv/bin/python bench/bench_theme_model.py [--retrain]
  --retrain: train the model from scratch into a temporary directory first (a few minutes).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from uprdex.pipeline.theme_model import DEFAULT_MODEL_DIR, MODEL_FILE, MODEL_FORMAT, ThemeModel
from uprdex.pipeline.train_themes import (
    _merge,
    baseline_scores,
    f1_scores,
    file_sha256,
    label_matrix,
    read_export,
    split_reviews,
    train,
)

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
EXPORT = SHARED / "upr_info" / "upr_info_sessions_1-20.csv"
TARGET_MICRO, TARGET_MACRO, TARGET_SECONDS, TARGET_LOAD = 0.90, 0.82, 10.0, 2.0


def _check(metadata: dict[str, Any], sha: str, sizes: dict[str, int]) -> list[str]:
    problems = []
    if metadata.get("format") != MODEL_FORMAT:
        problems.append(f"format {metadata.get('format')} != {MODEL_FORMAT}")
    if metadata.get("data_sha256") != sha:
        problems.append("trained on another export (data sha256 differs)")
    recorded = metadata.get("split", {}).get("recommendations", {})
    if any(recorded.get(name) != size for name, size in sizes.items()):
        problems.append(f"split differs: model {recorded}, here {sizes}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--retrain", action="store_true", help="train the model here first")
    args = parser.parse_args(argv)
    if not EXPORT.is_file():
        print(f"skipped: {EXPORT} not found (the shared data is not mounted)")
        return 0

    model_dir = DEFAULT_MODEL_DIR
    if args.retrain:
        model_dir = Path(tempfile.mkdtemp(prefix="uprdex-themes-"))
        started = time.perf_counter()
        train(EXPORT, model_dir, seed=0)
        print(f"retrained in {time.perf_counter() - started:.0f} s into {model_dir}")

    started = time.perf_counter()
    model = ThemeModel._read(model_dir.resolve())
    load_seconds = time.perf_counter() - started
    seed = int(model.metadata["seed"])
    records = read_export(EXPORT)
    split = split_reviews(records, seed)
    sizes = {
        "train": len(split.train),
        "validation": len(split.validation),
        "test": len(split.test),
    }
    problems = _check(model.metadata, file_sha256(EXPORT), sizes)
    if problems:
        print("the model in", model_dir, "does not match this split:", "; ".join(problems))
        print("rerun with --retrain, or rebuild the shipped model with `uprdex train-themes`")
        return 1

    classes = list(model.classes)
    gold = label_matrix(split.test, classes)
    texts = [r.text for r in split.test]
    ours = f1_scores(gold, model.select(texts).astype(np.int8), classes)
    started = time.perf_counter()
    baseline = baseline_scores(_merge([*split.train, *split.validation]), split.test, classes)
    baseline_seconds = time.perf_counter() - started

    print(f"model {model.version} ({model_dir})")
    print(
        f"decision rule: margin thresholds {np.unique(model.margin_thresholds.round(4)).tolist()}, "
        f"at least one theme within {model.at_least_one_margin} of its threshold"
    )
    print(
        f"split by review, seed {seed}: reviews {split.reviews}, recommendations {sizes} "
        "(deduplicated; no text in two parts)"
    )
    print(f"\n{'':24}{'baseline':>10}{'ours':>10}{'ratio':>8}{'target':>8}")
    for key, target in (("micro_f1", TARGET_MICRO), ("macro_f1", TARGET_MACRO)):
        ratio = ours[key] / baseline[key] if baseline[key] else float("inf")
        print(f"{key:24}{baseline[key]:>10.4f}{ours[key]:>10.4f}{ratio:>8.3f}{target:>8.2f}")
    print(
        f"(baseline trained in {baseline_seconds:.0f} s; macro over {len(ours['per_class'])} "
        "themes present in test)"
    )

    print("\nweakest 10 themes (ours), F1 and test support, baseline F1 beside:")
    weakest = sorted(ours["per_class"].items(), key=lambda item: item[1]["f1"])[:10]
    for name, values in weakest:
        base = baseline["per_class"].get(name, {}).get("f1", 0.0)
        print(f"  {name:46}{values['f1']:>7.3f}  n={values['support']:<5} baseline {base:.3f}")

    sample = (texts * (10_000 // len(texts) + 1))[:10_000]
    started = time.perf_counter()
    model.predict(sample)
    seconds = time.perf_counter() - started
    print(f"\nthroughput: 10,000 recommendations in {seconds:.2f} s (target <= {TARGET_SECONDS} s)")
    command = (
        "import time; t = time.perf_counter(); from uprdex.pipeline.theme_model import ThemeModel; "
        f"ThemeModel.load(__import__('pathlib').Path({str(model_dir)!r})); "
        "print(time.perf_counter() - t)"
    )
    fresh = float(
        subprocess.run(
            [sys.executable, "-c", command], check=True, capture_output=True, text=True
        ).stdout
    )
    print(
        f"load: {load_seconds:.2f} s in process, {fresh:.2f} s in a fresh process with imports "
        f"(target <= {TARGET_LOAD} s)"
    )
    size = (model_dir / MODEL_FILE).stat().st_size / 1024 / 1024
    print(f"model size: {size:.1f} MB (target <= 25 MB)")
    met = (
        ours["micro_f1"] >= TARGET_MICRO
        and ours["macro_f1"] >= TARGET_MACRO
        and seconds <= TARGET_SECONDS
        and fresh <= TARGET_LOAD
        and size <= 25
    )
    print("targets met" if met else "targets NOT met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
