"""`uprdex export` and `uprdex report`: the index as files."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click
from rich.markup import escape

from uprdex.flows.cli._common import (
    count,
    err,
    filters,
    index_option,
    made_folders,
    open_index,
    out,
    pending_note,
    rec_filter,
    workspace,
    writing,
)
from uprdex.flows.exit_codes import EXIT_USAGE
from uprdex.pipeline.model import ExportFormat, ExportKind

# The filters only a recommendation can meet (a document has a State and a cycle).
_RECOMMENDATION_FILTERS = ("recommending_state", "response", "search", "recurring", "theme")
# One record of each kind, as "wrote 1 ..." names it.
_ONE = {
    ExportKind.RECOMMENDATIONS: "recommendation",
    ExportKind.EVIDENCE: "evidence record",
    ExportKind.CLUSTERS: "cluster",
    ExportKind.DOCUMENTS: "document",
}


@click.command()
@click.option(
    "--what",
    type=click.Choice([kind.value for kind in ExportKind]),
    required=True,
    help="Kind of record.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice([fmt.value for fmt in ExportFormat]),
    required=True,
    help="jsonl (one JSON record a line), json (one list), csv or xlsx (a spreadsheet).",
)
@click.option(
    "--out",
    "out_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Output file (default, or -: standard output; xlsx needs a file).",
)
@click.option(
    "--raw",
    is_flag=True,
    help="CSV: write text exactly as it is, for programs (by default a cell that opens with "
    "= + - @, a tab or a CR gets a leading ', as does one after a ; or a tab inside a cell, "
    "and text cells are quoted, so that no spreadsheet runs it as a formula).",
)
@index_option
@filters
def export(
    what: str, fmt: str, out_path: Path | None, raw: bool, index: Path | None, **options: Any
) -> None:
    """Export records (see docs: export contract) as jsonl, json, csv or xlsx.

    Text from documents never becomes a formula: XLSX cells are text, and CSV cells that open
    with = + - @, a tab or a CR (or hold one after a ; or a tab) get a ' (unless --raw).
    JSON and JSONL are exact.
    `--what matrix --format xlsx` writes the UPR matrix: a sheet per State under review, one
    row per recommendation with empty implementation-status and notes columns, and a
    "<State> clusters" sheet each.
    """
    from uprdex.pipeline.exports import each_record, write_export

    if out_path == Path("-"):  # the usual name of standard output
        out_path = None
    if fmt == "xlsx" and out_path is None:
        raise click.UsageError("xlsx needs --out FILE")
    if what == ExportKind.MATRIX:
        if fmt != "xlsx" or out_path is None:
            raise click.UsageError("the matrix is a workbook: --format xlsx --out FILE.xlsx")
        from uprdex.pipeline.matrix import write_matrix

        made = made_folders(out_path.parent)
        with open_index(index) as store, writing(out_path):
            where = rec_filter(options, store)
            written = write_matrix(store, out_path, where)
            pending = pending_note(store, where)
        err.print(
            f"wrote the UPR matrix of {count(written, 'recommendation')} to "
            f"{escape(str(out_path))}{escape(made)}"
        )
        if pending:
            err.print(pending)
        return
    if what == ExportKind.DOCUMENTS:
        # A document has a State under review and a cycle, not a response or recommending
        # States: a filter it cannot meet is said, not ignored.
        asked = [name for name in _RECOMMENDATION_FILTERS if options.get(name)]
        if asked:
            flag = "--" + asked[0].replace("_", "-")
            raise click.UsageError(
                f"{flag} filters recommendations; documents take --state-under-review and --cycle"
            )
    with open_index(index) as store:
        where = rec_filter(options, store, documents=what == ExportKind.DOCUMENTS)
        rows = each_record(store, what, where)
        pending = pending_note(store, where)
        changed = store.last_change()
        made = made_folders(out_path.parent) if out_path else ""
        # Written as they are read from the index, which stays open until the last.
        with writing(out_path):
            written = write_export(rows, fmt, what, out_path or sys.stdout, raw, changed)
    if out_path:
        err.print(
            f"wrote {count(written, _ONE[ExportKind(what)])} to {escape(str(out_path))}"
            f"{escape(made)}"
        )
    if pending:
        err.print(pending)


@click.command()
@click.option(
    "--state-under-review",
    "--state",
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
@index_option
def report(state_under_review: str | None, out_dir: Path | None, index: Path | None) -> None:
    """Write the HTML evidence report: static pages that open offline in any browser."""
    from uprdex.pipeline.report import write_report

    config = workspace(None, index)
    with open_index(index) as store:
        if state_under_review is not None:
            where = rec_filter({"state_under_review": state_under_review})
            if not store.recommendations(where):
                err.print(
                    f"[red]error[/] no recommendations to {escape(state_under_review)} in the "
                    "index: no report written (`uprdex recs` lists what the index holds)"
                )
                sys.exit(EXIT_USAGE)
        folder = out_dir or config.reports / "html"
        made = made_folders(folder)
        with writing(out_dir):
            page = write_report(store, folder, state_under_review)
    out.print(f"report: {escape(str(page))}{escape(made)}")
