"""`uprdex train-themes`, `train-similarity`, `train-word-vectors` and `train-pairs`: rebuild
the shipped models."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.markup import escape

from uprdex.flows.cli._common import err, out, writing
from uprdex.flows.exit_codes import EXIT_SOME_FAILED

F = TypeVar("F", bound=Callable[..., Any])
SEED_HELP = "Random seed: the same data and seed rebuild the same model."


def _out_option(model: str) -> Callable[[F], F]:
    """--out: where a training command writes its model (default: the shipped one)."""
    return click.option(
        "--out",
        "out_dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help=f"Model folder (default: the shipped data/models/{model}).",
    )


def _trained(
    train: Callable[[Path], dict[str, Any]],
    error: type[Exception],
    out_dir: Path | None,
    default: Path,
    csv_file: Path,
) -> tuple[dict[str, Any], Path]:
    """`train(folder)`'s result and the folder (`out_dir`, else the shipped `default`); a
    training `error`, or a `csv_file` that is not UTF-8 (Excel's "CSV" is Windows-1252), is one
    line on stderr and the exit status of a failed batch."""
    folder = out_dir or default
    try:
        with writing(out_dir):
            return train(folder), folder
    except error as exc:
        message = str(exc)
    except UnicodeDecodeError as exc:
        # The decoder reads in chunks: its offset is not the file's, so none is given.
        message = f"{csv_file.name}: not a UTF-8 text file ({exc.reason}); save it as UTF-8"
    err.print(f"[red]error[/] {escape(message)}")
    sys.exit(EXIT_SOME_FAILED)


@click.command("train-themes")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_out_option("themes")
@click.option("--seed", type=int, default=0, show_default=True, help=SEED_HELP)
def train_themes(csv_file: Path, out_dir: Path | None, seed: int) -> None:
    """Train the theme classifier on a UPR Info export (CSV with Text, Issue, To, Session).

    Splits by review (never by row), tunes the decision threshold on the validation reviews
    and prints the held-out scores beside a TF-IDF + logistic regression baseline. Needs the
    training extra (scikit-learn); the same data and seed rebuild the same model.
    """
    from uprdex.pipeline.theme_model import DEFAULT_MODEL_DIR
    from uprdex.pipeline.train_themes import TrainError, train

    result, folder = _trained(
        lambda folder: train(csv_file, folder, seed=seed),
        TrainError,
        out_dir,
        DEFAULT_MODEL_DIR,
        csv_file,
    )
    test, baseline = result["scores"]["test"], result["scores"]["baseline_test"]
    out.print(f"model {result['version']} written to {escape(str(folder))}")
    out.print(
        f"held-out reviews: micro-F1 {test['micro_f1']:.3f} (baseline "
        f"{baseline['micro_f1']:.3f}), macro-F1 {test['macro_f1']:.3f} (baseline "
        f"{baseline['macro_f1']:.3f})"
    )


@click.command("train-similarity")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_out_option("similarity")
@click.option("--seed", type=int, default=0, show_default=True, help=SEED_HELP)
def train_similarity(csv_file: Path, out_dir: Path | None, seed: int) -> None:
    """Train the similarity model the clusters use, on a CSV of recommendations (Text column).

    Learns from the texts alone which words are used for the same asks (latent semantic
    analysis); no labels are needed. Needs the training extra (scikit-learn); the same data
    and seed rebuild the same model.
    """
    from uprdex.pipeline.semantic import DEFAULT_MODEL_DIR
    from uprdex.pipeline.train_semantic import TrainSemanticError, train

    result, folder = _trained(
        lambda folder: train(csv_file, folder, seed=seed),
        TrainSemanticError,
        out_dir,
        DEFAULT_MODEL_DIR,
        csv_file,
    )
    out.print(
        f"model {result['version']} written to {escape(str(folder))}: "
        f"{result['texts']:,} texts, {result['terms']:,} terms, {result['dimensions']} dimensions"
    )


@click.command("train-word-vectors")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_out_option("words")
@click.option("--seed", type=int, default=0, show_default=True, help=SEED_HELP)
def train_word_vectors(csv_file: Path, out_dir: Path | None, seed: int) -> None:
    """Train word vectors of the UPR's stems on a CSV of recommendations (Text column).

    Learns from the words around each stem which stems stand for one another ("domesticate",
    "incorporate" a treaty); no labels are needed. A pair model trained with them
    (`train_pairs.CONFIG["vector_features"]`) keeps a copy. Needs the training extra
    (scikit-learn); the same data and seed rebuild the same model.
    """
    from uprdex.pipeline.train_word_vectors import TrainWordVectorsError, train
    from uprdex.pipeline.word_vectors import DEFAULT_MODEL_DIR

    result, folder = _trained(
        lambda folder: train(csv_file, folder, seed=seed),
        TrainWordVectorsError,
        out_dir,
        DEFAULT_MODEL_DIR,
        csv_file,
    )
    out.print(
        f"model {result['version']} written to {escape(str(folder))}: "
        f"{result['texts']:,} texts, {result['stems']:,} stems, {result['dimensions']} dimensions"
    )


@click.command("train-pairs")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_out_option("pairs")
@click.option(
    "--word-vectors",
    "word_vectors",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=None,
    help="Word vectors folder (from `train-word-vectors --out`; default: data/models/words).",
)
def train_pairs(csv_file: Path, out_dir: Path | None, word_vectors: Path | None) -> None:
    """Train the pair model the clusters use with `--learned`, on labelled reviews.

    CSV_FILE has one row per recommendation: review, id, text, cluster_id, confidence (high or
    low), as bench/pair_training_data.py writes it from gold clusters; the ids
    ("A/HRC/28/10#124.7") tell where each is printed, a feature. Every pair of one review is an
    example. The model keeps a copy of the word vectors it reads. Needs the training
    extra (scikit-learn); the same file and vectors rebuild the same model.
    """
    from uprdex.pipeline.clusters.pair_model import DEFAULT_MODEL_DIR
    from uprdex.pipeline.train_pairs import TrainPairsError, train

    config = {"word_vectors": str(word_vectors)} if word_vectors else None
    result, folder = _trained(
        lambda folder: train(csv_file, folder, config),
        TrainPairsError,
        out_dir,
        DEFAULT_MODEL_DIR,
        csv_file,
    )
    out.print(
        f"model {result['version']} written to {escape(str(folder))}: "
        f"{result['recommendations']:,} recommendations of {len(result['reviews'])} reviews"
    )
