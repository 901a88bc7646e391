"""`uprdex ingest` and `uprdex import`: what goes into the index.

`uprdex --help` imports this module, so `uprdex.flows.rereading` is imported in the functions
that use it: it imports `flows.fingerprint`, which hashes uprdex's code, tables and models as it
loads (about 40 ms of CPU on every command, `--help` too). So is rich's progress bar (rich.table,
rich.live and fractions: ~25 ms).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.console import Console
from rich.markup import escape

from uprdex.flows.cli._common import (
    count,
    err,
    existing,
    index_option,
    locked,
    open_index,
    out,
    say_conflicts,
    workspace,
)
from uprdex.flows.exit_codes import EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE
from uprdex.pipeline.model import ImportSource

if TYPE_CHECKING:
    from uprdex.flows.ingest import IngestResult


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@index_option
@click.option(
    "--workers",
    type=click.IntRange(min=0),
    default=None,
    help="Worker processes (default: [loader] workers, 0 = one per core).",
)
@click.option("--ocr", is_flag=True, help="Run ocrmypdf (when installed) on scans, on a copy.")
def ingest(paths: tuple[Path, ...], index: Path | None, workers: int | None, ocr: bool) -> None:
    """Index PDF files or folders of PDFs.

    Prints one line per file and a summary. Exit code 0 when every file was indexed, 1 when any
    failed (the others are still indexed).
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from uprdex.flows.ingest import find_pdfs, ingest_paths
    from uprdex.pipeline.inbox import not_a_pdf, other_files

    missing = [path for path in paths if not path.exists()]
    for path in missing:
        why = (
            "a symbolic link to nothing (its target is gone, or it points to itself)"
            if path.is_symlink()
            else "no such file or folder"
        )
        err.print(f"[red]error[/] {escape(str(path))}: {why}")
    if len(missing) == len(paths):
        # A mistyped path alone: nothing to read, so no index is made and no summary printed.
        sys.exit(EXIT_USAGE)
    config = workspace(None, index).with_flags(
        "loader", workers=("--workers", workers), ocr=("--ocr", ocr or None)
    )
    for folder in (p for p in paths if p.is_dir()):
        for other in other_files(folder):
            err.print(f"[yellow]skipped[/] {escape(not_a_pdf(other))}")
    total = sum(1 for _ in find_pdfs(p for p in paths if p.exists()))
    for folder in (p for p in paths if p.is_dir()):
        if not any(find_pdfs([folder])):
            err.print(f"[yellow]warning[/] {escape(str(folder))}: no PDF files in this folder")
    with (
        locked(config),
        open_index(index, create=True) as store,
        Progress(
            TextColumn("[progress.description]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            console=err,
            transient=True,
            disable=not err.is_terminal,
        ) as progress,
    ):
        task = progress.add_task("ingesting", total=total)
        # Both on one terminal, the results go above the bar, as its console prints them: on
        # stdout they began on the bar's own line. Piped, stdout stays theirs alone.
        shown = err if out.is_terminal and err.is_terminal else out

        def report(result: IngestResult) -> None:
            progress.advance(task)
            _print_result(result, shown)

        # A report indexed reads imported ids as its asks: corrections recorded under them
        # may now disagree, said once here (and at every `uprdex cluster`).
        before = store.applied_corrections()
        results = ingest_paths([p for p in paths if p.exists()], store, config.loader, report)
        say_conflicts(store.applied_corrections().conflicts_since(before))
        summary = store.summary()
    # A copy of a file before it in the batch is counted apart: its outcome is that file's.
    firsts = [r for r in results if r.copy_of is None]
    failed = [r for r in firsts if not r.ok]
    from uprdex.flows.rereading import copies_of_another

    copied = copies_of_another(len(results) - len(firsts))
    out.print(
        f"{count(len(results), 'file')}: {sum(r.outcome == 'indexed' for r in firsts)} indexed, "
        f"{sum(r.outcome == 'unchanged' for r in firsts)} unchanged, {len(failed)} failed"
        f"{copied}. "
        f"Index {escape(str(store.path))}: {summary['recommendations']} recommendations from "
        f"{count(summary['documents'] - summary['failed'], 'document')}"
        + (
            f"; {count(summary['failed'], 'file')} in it could not be read (`uprdex status` "
            "lists them)."
            if summary["failed"]
            else "."
        )
    )
    if missing and not results:
        sys.exit(EXIT_USAGE)
    sys.exit(EXIT_SOME_FAILED if failed or missing else EXIT_OK)


def _print_result(result: IngestResult, shown: Console) -> None:
    """One file's line on `shown` (stdout, or the terminal's progress console), its warnings and
    its failure on stderr; a copy's line, on the one its first file's line went to."""
    if result.copy_of is not None:
        from uprdex.flows.rereading import copy_note

        colour, console = ("green", shown) if result.ok else ("red", err)
        note = copy_note(result.copy_of, result.outcome)
        console.print(f"[{colour}]copy[/] {escape(result.path)}: {escape(note)}")
    elif result.ok:
        detail = f"{result.recommendations} recommendations" if result.recommendations else ""
        symbol = f" {result.symbol}" if result.symbol else ""
        shown.print(f"[green]{result.outcome}[/] {escape(result.path)}{symbol} {detail}".rstrip())
        for warning in result.warnings:
            err.print(f"  [yellow]warning[/] {escape(result.path)}: {escape(warning)}")
    else:
        err.print(f"[red]{result.outcome}[/] {escape(result.error or '')}")


@click.command("import")
@click.argument("kind", type=click.Choice(sorted(source.value for source in ImportSource)))
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@index_option
def import_(kind: str, file: Path, index: Path | None) -> None:
    """Import an existing database: a UPR Info export (CSV) or an OHCHR thematic list (DOCX/PDF).

    Imported recommendations are linked to the ones read from WG report PDFs of the same
    review (never duplicated); their labels (themes, positions) are kept with their source.
    Importing the same file again changes nothing.
    """
    from uprdex.flows.ingest import import_file

    with locked(workspace(None, index)), open_index(index, create=True) as store:
        # Imported rows linked to a report's asks name them: corrections recorded under
        # their ids may now disagree, said once here as at `uprdex ingest`.
        before = store.applied_corrections()
        result = import_file(file, kind, store)
        made = store.applied_corrections().conflicts_since(before)
        summary = store.summary()
        indexed = result.sha256 if result.outcome == "indexed" else None
        links = store.import_links(indexed) if indexed else None
    if links is None:
        _print_result(result, out)
    else:
        # Its recommendations already read from the PDFs are not counted again in the index.
        out.print(
            f"[green]indexed[/] {escape(result.path)}: "
            f"{count(links.imported, 'recommendation')} in the file: {links.matched} matched "
            f"to {count(links.asks, 'ask')} already read from WG reports' PDFs (their labels "
            f"added there), {links.imported - links.matched} known only from imports"
        )
    say_conflicts(made)
    if not result.ok:
        sys.exit(EXIT_SOME_FAILED)
    alone = summary["recommendations"] - summary["from_pdfs"]
    out.print(
        f"Index {escape(str(store.path))}: {count(summary['recommendations'], 'recommendation')}:"
        f" {summary['from_pdfs']} read from PDFs, {alone} known only from imports."
    )


@click.command()
@index_option
def rematch(index: Path | None) -> None:
    """Match the index's stored sentences to the recommendations again, as this uprdex does.

    After an upgrade that matches paraphrases by another rule, or a new paraphrase_threshold
    in uprdex.toml (`uprdex status` says when): no PDF is read, and the old paraphrase rows
    stay until the new ones are all written. `uprdex run` and `ingest` do it too, once.
    """
    existing(index)
    with locked(workspace(None, index)), open_index(index) as store:
        before = store.paraphrases_made_otherwise()
        rows = store.rematch_paraphrases()
    made = f" (they were matched by {before})" if before else ""
    out.print(f"{count(rows, 'paraphrase')} matched again{made}")
