"""The `uprdex` command line. Only this module turns errors into exit codes."""

from __future__ import annotations

import json
import os
import re
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from uprdex.flows.ingest import (
    IMPORT_READERS,
    IngestResult,
    find_pdfs,
    import_file,
    ingest_paths,
)
from uprdex.pipeline.config import Config, load_config
from uprdex.pipeline.errors import BadIndexError, IndexBusyError
from uprdex.pipeline.exports import FORMATS, KINDS, recommendation_record, records, write_export
from uprdex.pipeline.inbox import index_lock, not_a_pdf, other_files
from uprdex.pipeline.loader import read_with_hash
from uprdex.pipeline.model import Position
from uprdex.pipeline.settings import ClusterSettings, LoaderSettings, default_index_path
from uprdex.pipeline.states import load_states
from uprdex.pipeline.store import STATE_COMMENT, RecFilter, Store

__all__ = ["main"]

# Prefect: no analytics, no network; its temporary server can take ~30 s to start here.
for _name, _value in {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
}.items():
    os.environ.setdefault(_name, _value)

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

_index_option = click.option(
    "--index",
    "index",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Index file (default: $UPRDEX_INDEX or data/index.sqlite).",
)


_FILTER_OPTIONS = (
    click.option("--state-under-review", help="State under review, any known spelling."),
    click.option("--recommending-state", help="Recommending State, any known spelling."),
    click.option("--cycle", type=click.IntRange(min=1), help="UPR cycle (1, 2, 3, 4)."),
    click.option("--response", type=click.Choice([position.value for position in Position])),
)
_SEARCH_OPTION = click.option(
    "--search", help="Words that must all appear in the recommendation text."
)


def _filters(function: Any) -> Any:
    """The filters shared by recs, export and clusters."""
    for option in reversed((*_FILTER_OPTIONS, _SEARCH_OPTION)):
        function = option(function)
    return function


def _state_filters(function: Any) -> Any:
    """The filters without --search (for `search`, whose argument is the words)."""
    for option in reversed(_FILTER_OPTIONS):
        function = option(function)
    return function


@contextmanager
def _locked(config: Config) -> Iterator[None]:
    """The index lock (a second writer waits), or exit 1 with a clear message."""
    try:
        with index_lock(config.index, config.lock_timeout):
            yield
    except IndexBusyError as error:
        err.print(f"[red]error[/] {escape(str(error))}")
        sys.exit(EXIT_SOME_FAILED)


@contextmanager
def _writing(target: Path | None) -> Iterator[None]:
    """Exit 2 with one line when an output file or folder cannot be written."""
    try:
        yield
    except OSError as error:
        where = escape(str(error.filename or target))
        blocking = (
            _file_on_the_way(Path(error.filename))
            if isinstance(error, FileExistsError | NotADirectoryError) and error.filename
            else None
        )
        if blocking is not None:
            # A folder on the way is a file: "File exists" would mislead.
            why = f"{escape(str(blocking))} is a file, not a folder"
            where = escape(str(target))
        else:
            why = str(error.strerror or error)
        err.print(f"[red]error[/] cannot write {where}: {why}")
        sys.exit(EXIT_USAGE)


def _file_on_the_way(path: Path) -> Path | None:
    """`path` or its nearest existing ancestor, when that is a file, not a folder."""
    for place in (path, *path.parents):
        if place.exists():
            return None if place.is_dir() else place
    return None


_SQLITE_MAGIC = b"SQLite format 3\x00"


def _existing(index: Path | None) -> Path:
    """The index path, or exit 2 with one line when there is no index there or the file is not
    a database (before anything is written beside it, such as the lock)."""
    path = index or default_index_path()
    if not path.exists():
        err.print(
            f"[red]error[/] no index at {escape(str(path))}: run `uprdex ingest PATH...` "
            "first, or pass --index FILE"
        )
        sys.exit(EXIT_USAGE)
    try:
        with path.open("rb") as handle:
            head = handle.read(len(_SQLITE_MAGIC))
    except OSError as error:
        err.print(f"[red]error[/] {escape(str(path))}: cannot read the index ({error.strerror})")
        sys.exit(EXIT_USAGE)
    if head and head != _SQLITE_MAGIC:
        err.print(f"[red]error[/] {escape(str(path))}: not an uprdex index (not a database)")
        sys.exit(EXIT_USAGE)
    return path


def _open(index: Path | None, create: bool = False) -> Store:
    """The index (created when `create`), or exit 2 with one line when it is missing or bad."""
    path = index or default_index_path()
    if not create:
        _existing(path)
    try:
        return Store(path)
    except BadIndexError as error:
        err.print(f"[red]error[/] {escape(str(error))}")
        sys.exit(EXIT_USAGE)


def _rec_filter(options: dict[str, Any]) -> RecFilter:
    states = load_states()
    for option in ("state_under_review", "recommending_state"):
        name = options.get(option)
        if name and states.resolve(name) is None:
            err.print(
                f"[yellow]warning[/] --{option.replace('_', '-')} {escape(name)!r} is not a "
                "State name uprdex knows; matching it as printed"
            )
    return RecFilter(**{key: options.get(key) for key in RecFilter.__dataclass_fields__})


def _rec_id(symbol: str, paragraph: str | None) -> tuple[str, str]:
    """(symbol, paragraph) from "A/HRC/28/15 115.8" or "A/HRC/28/15#115.8", any case."""
    if paragraph is None:
        if "#" not in symbol:
            raise click.UsageError(
                "give the report symbol and the paragraph: A/HRC/28/15 115.8 (or A/HRC/28/15#115.8)"
            )
        symbol, paragraph = symbol.rsplit("#", 1)
    return "".join(symbol.split()).upper(), "".join(paragraph.split())


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="uprdex")
def main() -> None:
    """uprdex: an evidence index of UN Universal Periodic Review recommendations.

    Drop Working Group reports (and other UPR documents) in a folder, `uprdex ingest` it, then
    query with `uprdex recs`, `uprdex show` or `uprdex export`.
    """


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@_index_option
@click.option(
    "--workers",
    type=click.IntRange(min=0),
    default=0,
    help="Worker processes (default: one per core).",
)
@click.option("--ocr", is_flag=True, help="Run ocrmypdf (when installed) on scans, on a copy.")
def ingest(paths: tuple[Path, ...], index: Path | None, workers: int, ocr: bool) -> None:
    """Index PDF files or folders of PDFs.

    Prints one line per file and a summary. Exit code 0 when every file was indexed, 1 when any
    failed (the others are still indexed).
    """
    missing = [path for path in paths if not path.exists()]
    for path in missing:
        err.print(f"[red]error[/] {path}: no such file or folder")
    settings = LoaderSettings(workers=workers, ocr=ocr)
    for folder in (p for p in paths if p.is_dir()):
        for other in other_files(folder):
            err.print(f"[yellow]skipped[/] {escape(not_a_pdf(other))}")
    total = sum(1 for _ in find_pdfs(p for p in paths if p.exists()))
    for folder in (p for p in paths if p.is_dir()):
        if not any(find_pdfs([folder])):
            err.print(f"[yellow]warning[/] {escape(str(folder))}: no PDF files in this folder")
    config = _workspace(None, index)
    with (
        _locked(config),
        _open(index, create=True) as store,
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

        def report(result: IngestResult) -> None:
            progress.advance(task)
            _print_result(result)

        results = ingest_paths([p for p in paths if p.exists()], store, settings, report)
        summary = store.summary()
    failed = [r for r in results if not r.ok]
    out.print(
        f"{len(results)} files: {sum(r.outcome == 'indexed' for r in results)} indexed, "
        f"{sum(r.outcome == 'unchanged' for r in results)} unchanged, {len(failed)} failed. "
        f"Index {store.path}: {summary['recommendations']} recommendations from "
        f"{summary['documents'] - summary['failed']} documents"
        + (
            f"; {_count(summary['failed'], 'file')} in it could not be read (`uprdex status` "
            "lists them)."
            if summary["failed"]
            else "."
        )
    )
    if missing and not results:
        sys.exit(EXIT_USAGE)
    sys.exit(EXIT_SOME_FAILED if failed or missing else EXIT_OK)


def _count(number: int, noun: str) -> str:
    """'1 file', '2 files'."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _print_result(result: IngestResult) -> None:
    if result.ok:
        detail = f"{result.recommendations} recommendations" if result.recommendations else ""
        symbol = f" {result.symbol}" if result.symbol else ""
        out.print(f"[green]{result.outcome}[/] {escape(result.path)}{symbol} {detail}".rstrip())
        for warning in result.warnings:
            err.print(f"  [yellow]warning[/] {escape(result.path)}: {escape(warning)}")
    else:
        err.print(f"[red]{result.outcome}[/] {escape(result.error or '')}")


@main.command("import")
@click.argument("kind", type=click.Choice(sorted(IMPORT_READERS)))
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_index_option
def import_(kind: str, file: Path, index: Path | None) -> None:
    """Import an existing database: a UPR Info export (CSV) or an OHCHR thematic list (.docx).

    Imported recommendations are linked to the ones read from WG report PDFs of the same
    review (never duplicated); their labels (themes, positions) are kept with their source.
    Importing the same file again changes nothing.
    """
    with _locked(_workspace(None, index)), _open(index, create=True) as store:
        result = import_file(file, kind, store)
        summary = store.summary()
    _print_result(result)
    if not result.ok:
        sys.exit(EXIT_SOME_FAILED)
    out.print(f"Index {store.path}: {summary['recommendations']} recommendations.")


@main.command()
@_index_option
@_filters
@click.option("--json", "as_json", is_flag=True, help="Print JSON lines instead of a table.")
@click.option(
    "--limit", type=click.IntRange(min=0), default=0, help="Show at most N rows (0: all)."
)
def recs(index: Path | None, as_json: bool, limit: int, **options: Any) -> None:
    """List recommendations, filtered by State, cycle, response or words."""
    with _open(index) as store:
        rows = records(store, "recommendations", _rec_filter(options))
    matched = len(rows)
    rows = rows[:limit] if limit else rows
    if as_json:
        write_export(rows, "jsonl", "recommendations", sys.stdout)
        return
    table = Table("id", "recommending States", "response", "cluster", "text", show_lines=False)
    for row in rows:
        table.add_row(
            escape(row["id"]),
            escape(", ".join(row["recommending_states"])),
            row["response"],
            row["cluster_id"] or "",
            escape(row["text"]),
        )
    out.print(table)
    shown = f"{len(rows)} of {matched}" if len(rows) < matched else f"{matched}"
    out.print(f"{shown} {'recommendation' if matched == 1 else 'recommendations'}")


@main.command()
@click.argument("symbol")
@click.argument("paragraph", required=False)
@_index_option
def show(symbol: str, paragraph: str | None, index: Path | None) -> None:
    """Show one recommendation: e.g. `uprdex show A/HRC/28/15 115.8` (or A/HRC/28/15#115.8)."""
    symbol, paragraph = _rec_id(symbol, paragraph)
    with _open(index) as store:
        found = store.recommendation(symbol, paragraph)
    if found is None:
        err.print(f"[red]error[/] no recommendation {paragraph} in {symbol} in the index")
        sys.exit(EXIT_SOME_FAILED)
    out.print_json(json.dumps(recommendation_record(found), ensure_ascii=False))


@main.command()
@click.option("--what", type=click.Choice(KINDS), required=True, help="Kind of record.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), required=True)
@click.option(
    "--out",
    "out_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Output file (default: standard output; xlsx needs a file).",
)
@_index_option
@_filters
def export(what: str, fmt: str, out_path: Path | None, index: Path | None, **options: Any) -> None:
    """Export records (see docs: export contract) as jsonl, json, csv or xlsx."""
    if fmt == "xlsx" and out_path is None:
        raise click.UsageError("xlsx needs --out FILE")
    with _open(index) as store:
        rows = records(store, what, _rec_filter(options))
    with _writing(out_path):
        write_export(rows, fmt, what, out_path or sys.stdout)
    if out_path:
        err.print(f"wrote {len(rows)} {what} to {out_path}")


@main.command()
@click.argument("words")
@_index_option
@_state_filters
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON lines instead.")
def search(words: str, index: Path | None, limit: int, as_json: bool, **options: Any) -> None:
    """Search recommendation texts and the evidence about them, best matches first.

    Example: `uprdex search "freedom of information" --state-under-review Cambodia`.
    """
    with _open(index) as store:
        hits = store.search(words, _rec_filter(options), limit)
    for hit in hits:
        if as_json:
            out.print_json(
                json.dumps(
                    {
                        "id": hit["id"],
                        # The store marks the matched words with \x02 ... \x03: JSON gets
                        # the plain snippet and the words apart.
                        "snippet": hit["snippet"].replace("\x02", "").replace("\x03", ""),
                        "matched": sorted(set(re.findall("\x02(.*?)\x03", hit["snippet"]))),
                        "found_in": hit["found_in"],
                        "text": hit["text"],
                    },
                    ensure_ascii=False,
                ),
                indent=None,
            )
            continue
        out.print(
            f"[bold]{escape(hit['id'])}[/] ({hit['response']}; "
            f"{escape(', '.join(hit['recommending_states']))})"
        )
        snippet = escape(hit["snippet"]).replace("\x02", "[bold]").replace("\x03", "[/bold]")
        out.print(f"  {escape(hit['found_in'])}: {snippet}")
    if not as_json:
        out.print(f"{len(hits)} results")


@main.command()
@click.argument("symbol")
@click.argument("paragraph", required=False)
@_index_option
def evidence(symbol: str, paragraph: str | None, index: Path | None) -> None:
    """Every place a document cites or echoes one recommendation, newest document first.

    Example: `uprdex evidence A/HRC/28/15 115.22` (or A/HRC/28/15#115.22).
    """
    symbol, paragraph = _rec_id(symbol, paragraph)
    with _open(index) as store:
        if store.recommendation(symbol, paragraph) is None:
            err.print(f"[red]error[/] no recommendation {paragraph} in {symbol} in the index")
            sys.exit(EXIT_SOME_FAILED)
        rows = store.evidence(recommendation_id=f"{symbol}#{paragraph}")
    for row in rows:
        where = f"p. {row['page']}" + (f", note {row['footnote']}" if row["footnote"] else "")
        fixed = " (misprint repaired)" if row["corrected"] else ""
        kind = "State's comment" if row["kind"] == STATE_COMMENT else row["kind"]
        out.print(
            f"[bold]{escape(row['symbol'] or Path(row['path']).name)}[/] "
            f"({row['type']}, {where}) {kind}{fixed}: {escape(row['context'])}"
        )
    out.print(f"{len(rows)} evidence records for {symbol} {paragraph}")


@main.command()
@click.argument("file", type=click.Path(path_type=Path))
@_index_option
def cited(file: Path, index: Path | None) -> None:
    """What one document cites: each recommendation with page, note and context."""
    with _open(index) as store:
        sha256 = read_with_hash(file)[1] if file.is_file() else str(file)
        document = store.find_document([str(file), str(file.resolve())], sha256)
        rows = store.citations_by(document["sha256"]) if document else []
        reports = {d["symbol"] for d in store.documents() if d["type"] == "wg_report"}
    if document is None:
        err.print(f"[red]error[/] {escape(str(file))}: not in the index")
        sys.exit(EXIT_SOME_FAILED)
    if document["status"] != "indexed":
        err.print(f"[red]{document['status']}[/] {escape(str(document['error']))}: it was not read")
        sys.exit(EXIT_SOME_FAILED)
    for row in rows:
        target = row["recommendation_id"] or f"{row['target_symbol'] or '?'} {row['target_ref']}"
        status = "" if row["recommendation_id"] else _why_unlinked(row["target_symbol"], reports)
        note = f" note {row['footnote']}" if row["footnote"] else ""
        kind = {
            "citation": "",
            "paraphrase": f" (paraphrase, score {row['score']:.2f})",
            STATE_COMMENT: " (the State's comment)",
        }.get(row["kind"], f" ({row['kind']})")
        out.print(
            f"p. {row['page']}{note}: {escape(row['as_printed'])} -> {escape(target)}{status}{kind}"
        )
    kinds = Counter("comment" if row["kind"] == STATE_COMMENT else row["kind"] for row in rows)
    out.print(", ".join(_count(n, kind) for kind, n in sorted(kinds.items())) or "0 citations")


def _why_unlinked(symbol: str | None, reports: set[str]) -> str:
    """Why a citation points at no recommendation, for `cited`."""
    if symbol is None:
        return " (which review? no symbol beside it, and the document's State or date is unknown)"
    if symbol in reports:
        return f" (no such paragraph in {symbol})"
    return " (not in the index yet)"


_CLUSTER_DEFAULTS = ClusterSettings()


@main.command("cluster")
@click.option(
    "--scope",
    type=click.Choice(["review", "state", "all"]),
    default=None,
    help="Which recommendations may share a cluster: one review, one State under "
    "review across its cycles (the default), or all States. Like every setting here it is "
    "remembered: left out, the last one given applies.",
)
@click.option(
    "--threshold",
    type=float,
    default=None,
    help="Lowest average similarity (0-100) for two groups to merge (the default "
    f"{_CLUSTER_DEFAULTS.threshold:g}).",
)
@click.option(
    "--scorer", default=None, help=f"rapidfuzz scorer (the default {_CLUSTER_DEFAULTS.scorer})."
)
@click.option(
    "--semantic-weight",
    type=float,
    default=None,
    help="Share of meaning (the similarity model's cosine) in the similarity, 0-1; the rest "
    f"is the rapidfuzz word score (the default {_CLUSTER_DEFAULTS.semantic_weight:g}; 0 matches "
    "on words only).",
)
@click.option(
    "--action-weight",
    type=float,
    default=None,
    help="Points (0-100) a pair gains when both asks name the same kinds of action "
    "(investigate and punish, a plan, a law, training ...), up to half of it, or loses when "
    f"they name different ones (the default {_CLUSTER_DEFAULTS.action_weight:g}; 0 ignores them).",
)
@click.option(
    "--defaults",
    is_flag=True,
    help="Forget the remembered settings: the defaults, with only the options given here.",
)
@_index_option
def cluster_(
    scope: str | None,
    threshold: float | None,
    scorer: str | None,
    semantic_weight: float | None,
    action_weight: float | None,
    defaults: bool,
    index: Path | None,
) -> None:
    """(Re)compute duplicate-recommendation clusters from scratch with these settings.

    The same recommendations give the same clusters and ids, whatever the order their
    documents arrived in. Later ingests update the clusters incrementally with these
    settings (remembered, until `--defaults`): existing clusters keep their ids and new
    recommendations join them, so run this again for the clusters the whole index gives.
    """
    _existing(index)
    with _locked(_workspace(None, index)), _open(index) as store:
        current = ClusterSettings() if defaults else store.cluster_settings()
        try:
            settings = replace(
                current,
                scope=scope or current.scope,  # type: ignore[arg-type]  # a click.Choice
                threshold=current.threshold if threshold is None else threshold,
                scorer=scorer or current.scorer,
                semantic_weight=(
                    current.semantic_weight if semantic_weight is None else semantic_weight
                ),
                action_weight=current.action_weight if action_weight is None else action_weight,
            )
        except ValueError as error:
            raise click.BadParameter(str(error)) from error
        before = dict(store.db.execute("SELECT id, cluster_id FROM recommendations").fetchall())
        count = store.update_clusters(settings, fresh=True)
        after = dict(store.db.execute("SELECT id, cluster_id FROM recommendations").fetchall())
        multi = [c for c in store.clusters() if c["size"] > 1]
    moved = sum(1 for rec_id, cluster_id in after.items() if before.get(rec_id) != cluster_id)
    out.print(
        f"{count} recommendations clustered ({settings.scope}, {settings.scorer} with "
        f"meaning weight {settings.semantic_weight:g}, action weight "
        f"{settings.action_weight:g}, >= {settings.threshold:g}): "
        f"{len(multi)} clusters of 2 or more; {moved} "
        f"{'recommendation' if moved == 1 else 'recommendations'} changed cluster."
    )


@main.command("clusters")
@_index_option
@_filters
@click.option("--min-size", type=click.IntRange(min=1), default=2, show_default=True)
@click.option("--limit", type=click.IntRange(min=0), default=20, show_default=True, help="0: all.")
def clusters_(index: Path | None, min_size: int, limit: int, **options: Any) -> None:
    """List duplicate clusters, largest first, with members, States and responses."""
    with _open(index) as store:
        found = store.clusters(_rec_filter(options), min_size=min_size)
    shown = found[:limit] if limit else found
    for group in shown:
        flag = " \\[asked again in a later cycle]" if group["recurring"] else ""
        out.print(
            f"[bold]{group['cluster_id']}[/] ({group['size']}){flag}: "
            f"{escape(group['canonical_text'])}"
        )
        for rec in group["members"]:
            states = ", ".join(rec["recommending_states"])
            out.print(f"  {rec['id']:24} {rec['response']:9} {escape(states)}")
    listed = f"{len(shown)} of {len(found)}" if len(shown) < len(found) else f"{len(found)}"
    out.print(f"{listed} clusters of {min_size} or more")


@main.command()
@click.option(
    "--state-under-review",
    default=None,
    help="One State (default: all, one page each, with an index page).",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder (default: the reports folder's html/).",
)
@_index_option
def report(state_under_review: str | None, out_dir: Path | None, index: Path | None) -> None:
    """Write the HTML evidence report: static pages that open offline in any browser."""
    from uprdex.pipeline.report import write_report

    config = _workspace(None, index)
    with _open(index) as store:
        if state_under_review is not None:
            where = _rec_filter({"state_under_review": state_under_review})
            if not store.recommendations(where):
                err.print(
                    f"[red]error[/] no recommendations to {escape(state_under_review)} in the "
                    "index: no report written (`uprdex recs` lists what the index holds)"
                )
                sys.exit(EXIT_SOME_FAILED)
        with _writing(out_dir):
            page = write_report(store, out_dir or config.reports / "html", state_under_review)
    out.print(f"report: {page}")


@main.command("train-themes")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Model folder (default: the shipped data/models/themes).",
)
@click.option("--seed", type=int, default=0, show_default=True)
def train_themes(csv_file: Path, out_dir: Path | None, seed: int) -> None:
    """Train the theme classifier on a UPR Info export (CSV with Text, Issue, To, Session).

    Splits by review (never by row), tunes the decision threshold on the validation reviews
    and prints the held-out scores beside a TF-IDF + logistic regression baseline. Needs the
    training extra (scikit-learn); the same data and seed rebuild the same model.
    """
    from uprdex.pipeline.theme_model import DEFAULT_MODEL_DIR
    from uprdex.pipeline.train_themes import TrainError, train

    try:
        with _writing(out_dir):
            result = train(csv_file, out_dir or DEFAULT_MODEL_DIR, seed=seed)
    except TrainError as error:
        err.print(f"[red]error[/] {escape(str(error))}")
        sys.exit(EXIT_SOME_FAILED)
    test, baseline = result["scores"]["test"], result["scores"]["baseline_test"]
    out.print(f"model {result['version']} written to {out_dir or DEFAULT_MODEL_DIR}")
    out.print(
        f"held-out reviews: micro-F1 {test['micro_f1']:.3f} (baseline "
        f"{baseline['micro_f1']:.3f}), macro-F1 {test['macro_f1']:.3f} (baseline "
        f"{baseline['macro_f1']:.3f})"
    )


@main.command("train-similarity")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Model folder (default: the shipped data/models/similarity).",
)
@click.option("--seed", type=int, default=0, show_default=True)
def train_similarity(csv_file: Path, out_dir: Path | None, seed: int) -> None:
    """Train the similarity model the clusters use, on a CSV of recommendations (Text column).

    Learns from the texts alone which words are used for the same asks (latent semantic
    analysis); no labels are needed. Needs the training extra (scikit-learn); the same data
    and seed rebuild the same model.
    """
    from uprdex.pipeline.semantic import DEFAULT_MODEL_DIR
    from uprdex.pipeline.train_semantic import TrainSemanticError, train

    try:
        with _writing(out_dir):
            result = train(csv_file, out_dir or DEFAULT_MODEL_DIR, seed=seed)
    except TrainSemanticError as error:
        err.print(f"[red]error[/] {escape(str(error))}")
        sys.exit(EXIT_SOME_FAILED)
    out.print(
        f"model {result['version']} written to {out_dir or DEFAULT_MODEL_DIR}: "
        f"{result['texts']:,} texts, {result['terms']:,} terms, {result['dimensions']} dimensions"
    )


@main.command()
@_index_option
def status(index: Path | None) -> None:
    """Where the index is and what it holds."""
    path = index or default_index_path()
    if not path.exists():
        out.print(f"No index at {escape(str(path))} yet: `uprdex ingest PATH...` creates it.")
        return
    with _open(index) as store:
        summary = store.summary()
        documents = store.documents()
    out.print(f"Index {store.path}")
    for key, value in summary.items():
        out.print(f"  {key.replace('_', ' ')}: {value}")
    for document in documents:
        if document["status"] != "indexed":
            # The error names the file already ("scan.pdf: no text layer ..."): say it once.
            reason = str(document["error"]).removeprefix(f"{Path(document['path']).name}: ")
            where = escape(document["path"])
            out.print(f"  [red]{document['status']}[/] {where}: {escape(reason)}")


def _workspace(inbox: Path | None, index: Path | None) -> Config:
    return load_config().with_paths(inbox=inbox, index=index)


_inbox_option = click.option(
    "--inbox",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Inbox folder (default: uprdex.toml's, else data/inbox).",
)
_dask_options = (
    click.option(
        "--dask-address",
        default=None,
        help="Run per-document tasks on this Dask scheduler (tcp://host:8786).",
    ),
    click.option(
        "--dask-workers",
        type=int,
        default=0,
        help="Run per-document tasks on a local Dask cluster of N worker processes.",
    ),
)


@main.command()
@_inbox_option
@_index_option
@_dask_options[0]
@_dask_options[1]
@click.option("--ocr", is_flag=True, help="Run ocrmypdf (when installed) on scans, on a copy.")
def run(
    inbox: Path | None,
    index: Path | None,
    dask_address: str | None,
    dask_workers: int,
    ocr: bool,
) -> None:
    """Run the nightly flow once, now, without a Prefect server.

    Ingests the inbox (failed files are copied to the quarantine beside it, with a
    .error.json), then writes the exports to the reports folder. Exit code 1 when any file
    failed.
    """
    from uprdex.flows.nightly import nightly

    if inbox is not None and not inbox.is_dir():
        err.print(f"[red]error[/] no inbox folder at {escape(str(inbox))}")
        sys.exit(EXIT_USAGE)
    config = _workspace(inbox, index)
    try:
        summary = nightly(
            str(config.inbox),
            str(config.index),
            str(config.quarantine),
            str(config.reports),
            dask_address,
            dask_workers,
            ocr,
        )
    except IndexBusyError as error:
        err.print(f"[red]error[/] {error}")
        sys.exit(EXIT_SOME_FAILED)
    for _path, reason in summary.failed:
        err.print(f"[red]failed[/] {escape(reason)} (copied to {config.quarantine})")
    for line in summary.left_out:
        err.print(f"[yellow]skipped[/] {escape(line)}")
    out.print(
        f"{summary.found} files in {config.inbox}: {len(summary.indexed)} indexed, "
        f"{summary.skipped} already indexed, {len(summary.failed)} failed. "
        f"Index {config.index}; exports in {config.reports}."
    )
    sys.exit(EXIT_SOME_FAILED if summary.failed else EXIT_OK)


@main.command()
@_inbox_option
@_index_option
@click.option(
    "--cron", default=None, help="Cron schedule (default: uprdex.toml's, else '0 2 * * *')."
)
@click.option(
    "--timezone", default=None, help="Time zone of the schedule (IANA name, e.g. Europe/Zurich)."
)
@click.option(
    "--register-only",
    is_flag=True,
    help="Register the deployment and return, "
    "without starting the runner that executes the scheduled runs.",
)
def serve(
    inbox: Path | None,
    index: Path | None,
    cron: str | None,
    timezone: str | None,
    register_only: bool,
) -> None:
    """Register the nightly deployment with its cron schedule on a Prefect server and serve it.

    Needs a running server: `prefect server start` (SQLite, binds 127.0.0.1), then
    PREFECT_API_URL=http://127.0.0.1:4200/api in the environment. See README, "Schedule".
    """
    if not os.environ.get("PREFECT_API_URL"):
        raise click.UsageError(
            "uprdex serve needs a Prefect server: run `prefect server start` in another "
            "terminal and set PREFECT_API_URL=http://127.0.0.1:4200/api"
        )
    from prefect.schedules import Cron

    from uprdex.flows.nightly import nightly

    config = _workspace(inbox, index)
    try:
        config = replace(config, cron=cron or config.cron, timezone=timezone or config.timezone)
    except ValueError as error:
        raise click.BadParameter(str(error)) from error
    schedule = Cron(config.cron, timezone=config.timezone)
    parameters = {
        "inbox": str(config.inbox.resolve()),
        "index": str(config.index.resolve()),
        "quarantine": str(config.quarantine.resolve()),
        "reports": str(config.reports.resolve()),
    }
    if register_only:
        deployment = nightly.to_deployment(
            name=DEPLOYMENT, schedules=[schedule], parameters=parameters
        )
        deployment_id = deployment.apply()  # type: ignore[union-attr]
        out.print(
            f"registered nightly/{DEPLOYMENT} ({deployment_id}) with schedule "
            f"{schedule.cron} {schedule.timezone or 'UTC'}"
        )
        return
    nightly.serve(name=DEPLOYMENT, schedules=[schedule], parameters=parameters)


DEPLOYMENT = "uprdex-nightly"


@main.command()
@_inbox_option
@_index_option
@click.option(
    "--debounce",
    type=float,
    default=10.0,
    show_default=True,
    help="Seconds without new files before a run starts.",
)
def watch(inbox: Path | None, index: Path | None, debounce: float) -> None:
    """Watch the inbox and run the nightly flow when PDFs land (no server needed).

    Runs start once no file has arrived for --debounce seconds, so a folder copied in at once
    is one run. Stop with Ctrl-C.
    """
    from watchdog.events import FileSystemEvent, FileSystemEventHandler
    from watchdog.observers import Observer

    from uprdex.flows.nightly import nightly
    from uprdex.flows.watch import Debouncer

    config = _workspace(inbox, index)
    config.inbox.mkdir(parents=True, exist_ok=True)
    debouncer = Debouncer(debounce)

    class _Handler(FileSystemEventHandler):
        def on_any_event(self, event: FileSystemEvent) -> None:
            if str(event.src_path).lower().endswith(".pdf"):
                debouncer.poke()

    observer = Observer()
    observer.schedule(_Handler(), str(config.inbox), recursive=True)
    observer.start()
    out.print(f"watching {config.inbox} (Ctrl-C to stop)")
    debouncer.poke()  # files already waiting are picked up at start
    try:
        while True:
            if debouncer.wait_until_due():
                summary = nightly(
                    str(config.inbox),
                    str(config.index),
                    str(config.quarantine),
                    str(config.reports),
                )
                out.print(f"{len(summary.indexed)} indexed, {len(summary.failed)} failed")
    except KeyboardInterrupt:
        pass
    finally:
        observer.stop()
        observer.join()
