"""What the index holds: `recs`, `show`, `search`, `evidence` and `cited`."""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from rich.markup import escape

from uprdex.flows.cli._common import (
    NO_RECURRING,
    ask_named_by,
    count,
    err,
    filters,
    index_option,
    limit_option,
    limited,
    open_index,
    out,
    pending_note,
    rec_filter,
    rec_id,
    shown_of,
    state_filters,
    unknown_id,
)
from uprdex.flows.cli._meant import search_notes
from uprdex.flows.cli._unread import may_be, unread_lines
from uprdex.flows.exit_codes import EXIT_SOME_FAILED, EXIT_USAGE
from uprdex.pipeline.model import AskPart

if TYPE_CHECKING:
    from rich.table import Table


@click.command()
@index_option
@filters
@click.option("--json", "as_json", is_flag=True, help="Print JSON lines instead of a table.")
@limit_option(0, "recommendations")
def recs(index: Path | None, as_json: bool, limit: int, **options: Any) -> None:
    """List recommendations, filtered by State, cycle, response or words."""
    from uprdex.pipeline.exports import records, write_export

    with open_index(index) as store:
        where = rec_filter(options, store)
        rows = records(store, "recommendations", where)
        pending = pending_note(store, where)
    matched = len(rows)
    rows = limited(rows, limit)
    if as_json:
        write_export(rows, "jsonl", "recommendations", sys.stdout)
        if pending:
            err.print(pending)
        return
    beside = _Shown(
        bool(options.get("recurring")), options.get("search"), options.get("recommending_state")
    )
    if out.width < _TABLE_WIDTH:
        _print_blocks(rows, beside)
    else:
        out.print(_table(rows, beside))
    if options.get("recurring") and not matched:
        err.print(NO_RECURRING)
    out.print(shown_of(len(rows), matched, "recommendation"))
    if pending:
        err.print(pending)


def _table(rows: list[dict[str, Any]], shown: _Shown) -> Table:
    """The recommendations as a table that fits the terminal and cuts nothing (an id cut to
    "A/HRC/28/…" names nothing, a word cut to "electrici…" loses text): the id, the response
    and the cluster share one column, no id is folded, the States, then the text, fold at their
    words."""
    # Here, not at the top: `uprdex --help` imports this module (rich.table: ~10 ms).
    from rich import box
    from rich.table import Table

    table = Table(
        box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, show_lines=True, expand=True
    )
    table.add_column("id\nresponse\ncluster", no_wrap=True)
    table.add_column("State reviewed\nasked by", overflow="fold", ratio=1, min_width=12)
    table.add_column("text", overflow="fold", ratio=2, min_width=_ASK_WIDTH)
    for row in rows:
        table.add_row(
            "\n".join(
                escape(cell)
                for cell in (
                    row["id"],
                    _response(row["response"], row["response_conflict"], row["response_source"]),
                    row["cluster_id"] or "",
                )
            ),
            f"[bold]{escape(_review(row['state_under_review'], row['year']))}[/]\n"
            + escape(_asked_by(row)),
            "\n".join(_text_lines(row, shown)),
        )
    return table


def _response(response: str, conflict: str | None, source: str | None) -> str:
    """The response, and who disagrees about it: the imports (a UPR Info row and an OHCHR
    thematic list answer an ask the PDFs leave pending each its way), or the WG report's
    section and the addendum (`show` gives both in `response_conflict`)."""
    if not conflict:
        return response
    # Here, not at the top: `uprdex --help` imports this module, and the store's package
    # imports the clustering code and with it numpy and scipy (~0.5 s of every command).
    from uprdex.pipeline.store.responses import report_and_addendum_disagree

    if report_and_addendum_disagree(conflict, response, source):
        return f"{response}, report and addendum disagree"
    return f"{response}, imports disagree"


def _asked_by(row: dict[str, Any]) -> str:
    """Who asked (`exports.asked_by`: that the report prints none, and whom an import names)."""
    from uprdex.pipeline.exports import asked_by

    return asked_by(row)


def _found_parts(
    parts: Sequence[AskPart],
    words: str | None = None,
    state: str | None = None,
    text: str | None = None,
) -> list[str]:
    """The parts of a compound item the words were found in (`parts` themselves when no
    `words` are given: a search hit's), one a line with the States that asked each."""
    from uprdex.pipeline.store import matching_parts

    found = matching_parts(parts, words, state, text) if words else parts
    return [
        f"the part: {escape(part.text)} "
        f"({escape(', '.join(part.recommending_states) or 'not attributed')})"
        for part in found
    ]


def _review(state: str | None, year: int | None) -> str:
    """Whose review an ask is of, and when: "Armenia 2010". Over many States the id alone
    names none, and the States beside it are the ones that asked."""
    return " ".join(filter(None, (state, str(year) if year else None))) or "State not known"


def _print_blocks(rows: list[dict[str, Any]], shown: _Shown) -> None:
    """The recommendations one block each, for a terminal too narrow for the table's columns
    (they would fold the ids): the id, its response and cluster, its States, its text."""
    for row in rows:
        out.print(escape(row["id"]), soft_wrap=False)
        response = _response(row["response"], row["response_conflict"], row["response_source"])
        out.print(escape(" ".join(filter(None, (response, row["cluster_id"])))))
        review = _review(row["state_under_review"], row["year"])
        out.print(escape(f"review of {review}"), soft_wrap=False)
        out.print(escape("asked by " + _asked_by(row)), soft_wrap=False)
        for line in _text_lines(row, shown):
            out.print(line, soft_wrap=False)
        out.print()


@dataclass(frozen=True)
class _Shown:
    """What `recs` prints under each text besides it: the asks it repeats or is repeated by
    (--recurring), the parts its words were found in (--search)."""

    recurring: bool = False
    search: str | None = None
    recommending_state: str | None = None


def _text_lines(row: dict[str, Any], shown: _Shown) -> list[str]:
    """A recommendation's text; of an item that bundles several asks, the parts --search found
    (those --recommending-state asked), each with its States; with --recurring, the asks it
    repeats or is repeated by."""
    lines = [escape(row["text"])]
    if shown.search and row["parts"]:
        lines += _found_parts(
            [AskPart(part["text"], tuple(part["recommending_states"])) for part in row["parts"]],
            shown.search,
            shown.recommending_state,
            row["text"],
        )
    if shown.recurring:
        lines += _asks(row["repeats"], "asked before (response then):")
        lines += _asks(row["repeated_by"], "asked again later:")
    return lines


def _asks(asks: list[dict[str, Any]], label: str) -> list[str]:
    """The asks of other reviews that a row repeats or is repeated by, under their label, one
    a line with the response: "A/HRC/14/15#111.73 (supported)"."""
    if not asks:
        return []
    return [label, *(escape(f"{ask['id']} ({ask['response']})") for ask in asks)]


_ASK_WIDTH = len("A/HRC/43/15#122.141")
"""The text column is never narrower than an id of another review (folded, its first line
would name another ask: "A/HRC/14/15#111.7")."""
_TABLE_WIDTH = 60
"""Narrower terminals get a block per recommendation: the table's columns would not hold an
id whole."""


@click.command()
@click.argument("symbol")
@click.argument("paragraph", required=False)
@index_option
@click.option(
    "--brief",
    is_flag=True,
    help="A short view for reading, as recs and search print an ask, instead of the JSON record.",
)
def show(symbol: str, paragraph: str | None, index: Path | None, brief: bool) -> None:
    """Show one recommendation: e.g. `uprdex show A/HRC/28/15 115.8` (or A/HRC/28/15#115.8).

    Prints its whole record as JSON (the export contract's, with every field uprdex adds);
    --brief, its text, response, themes, cluster, the parts of an item that bundles several
    asks with the States that asked each, the footnotes the report prints on it (the ask as
    read during the interactive dialogue), the asks of other reviews it repeats or is repeated
    by, and how many evidence records `uprdex evidence` lists.
    """
    from uprdex.pipeline.exports import in_own_report, recommendation_record
    from uprdex.pipeline.store import STATE_COMMENT

    with open_index(index) as store:
        named = ask_named_by(store, symbol, paragraph)
        found = store.recommendation(named.ask, None) if named.ask else None
        rows = store.evidence(recommendation_id=found.id) if found else []
    if found is None:
        unknown_id(named)  # an id that names nothing, as `cluster link` says of one
    record = recommendation_record(found)
    if not brief:
        out.print_json(json.dumps(record, ensure_ascii=False))
        return
    # The State's own words on it ("Iran considers to be inconsistent with ..."), which the
    # response's detail only points at ("the State comments in para 92").
    words = [
        f"  the State's words ({escape(row.document_symbol or Path(row.document_path).name)}, "
        f"p. {row.page}): {escape(row.context)}"
        for row in rows
        if row.kind == STATE_COMMENT
    ]
    for line in _brief(record, sum(not in_own_report(row) for row in rows), words):
        out.print(line)


def _brief(row: dict[str, Any], evidence: int, words: list[str]) -> list[str]:
    """`show --brief`: the ask's line as `search` prints it, then its text and what a reader
    asks next, one item a line; `words`, the lines of the State's comments on it, under its
    response."""
    from uprdex.pipeline.exports import answer_detail

    review = _review(row["state_under_review"], row["year"])
    response = _response(row["response"], row["response_conflict"], row["response_source"])
    states = _asked_by(row)
    answer = "; ".join(part for part in (answer_detail(row), row["response_source"]) if part)
    lines = [
        f"[bold]{escape(row['id'])}[/] review of {escape(review)} ({escape(response)}; asked by "
        f"{escape(states)})",
        f"  {escape(row['text'])}",
        f"  response: {escape(row['response'])}" + (f" ({escape(answer)})" if answer else ""),
    ]
    lines += words
    if row["response_conflict"]:
        lines.append(f"  sources disagree: {escape(row['response_conflict'])}")
    lines.append(f"  themes: {escape('; '.join(row['themes'])) or 'none'}")
    lines.append(f"  cluster: {escape(row['cluster_id'] or 'none')}")
    lines.append(
        f"  printed: {escape(row['document_symbol'])}, p. {row['source']['page']}"
        if row["document_symbol"]
        else f"  printed: in no indexed report ({escape(row['origin'])} import)"
    )
    lines += [f"  {line}" if at == 0 else f"    {line}" for at, line in enumerate(_parts(row))]
    lines += [
        f"  footnote {escape(note['marker'])} (p. {note['page']}): {escape(note['text'])}"
        for note in row["footnotes"]
    ]
    for asks, label in (
        (row["repeats"], "asked before (response then):"),
        (row["repeated_by"], "asked again later:"),
    ):
        lines += [
            f"  {line}" if at == 0 else f"    {line}" for at, line in enumerate(_asks(asks, label))
        ]
    lines.append(
        f"  evidence: {count(evidence, 'record')}"
        + (
            f" (`uprdex evidence {escape(row['document_symbol'])} {escape(row['paragraph'])}`)"
            if row["document_symbol"]
            else ""
        )
    )
    lines += [f"  [yellow]warning[/] {escape(warning)}" for warning in row["warnings"]]
    return lines


def _parts(row: dict[str, Any]) -> list[str]:
    """Who asked which part of an item that bundles several asks (the record's `parts`)."""
    if not row.get("parts"):
        return []
    lines = ["parts, each with the States that asked it:"]
    for part in row["parts"]:
        states = ", ".join(part["recommending_states"]) or "not attributed"
        lines.append(f"{escape(part['text'])} ({escape(states)})")
    return lines


@click.command()
@click.argument("words")
@index_option
@state_filters
@limit_option(20, "results")
@click.option("--json", "as_json", is_flag=True, help="Print JSON lines instead.")
def search(words: str, index: Path | None, limit: int, as_json: bool, **options: Any) -> None:
    """Search recommendation texts, their footnotes and the evidence about them, best first.

    Example: `uprdex search "freedom of information" --state-under-review Cambodia`. Words
    in double quotes are a phrase, searched as typed: `uprdex search '"death penalty"'`. A
    word in capitals is found only where it is printed in capitals (WHO, not "who").
    """
    from uprdex.pipeline.exports import recommendation_record

    with open_index(index) as store:
        where = rec_filter(options, store)
        found = store.search(words, where, limit)
        notes = search_notes(store, where, words, found.matched)
        pending = pending_note(store, where, words)
    for hit in found.hits:
        rec = hit.recommendation
        if as_json:
            out.print_json(
                json.dumps(
                    {
                        "id": rec.id,
                        # The store marks the matched words with \x02 ... \x03: JSON gets
                        # the plain snippet and the words apart.
                        "snippet": hit.snippet.replace("\x02", "").replace("\x03", ""),
                        "matched": sorted(set(re.findall("\x02(.*?)\x03", hit.snippet))),
                        "found_in": hit.found_in,
                        "text": rec.text,
                        "parts": [
                            {"text": part.text, "recommending_states": part.recommending_states}
                            for part in hit.parts
                        ],
                    },
                    ensure_ascii=False,
                ),
                indent=None,
            )
            continue
        review = _review(rec.state_under_review, rec.year)
        response = _response(rec.response, rec.response_conflict, rec.response_source)
        out.print(
            f"[bold]{escape(rec.id)}[/] review of {escape(review)} ({response}; asked by "
            f"{escape(_asked_by(recommendation_record(rec)))})"
        )
        snippet = escape(hit.snippet).replace("\x02", "[bold]").replace("\x03", "[/bold]")
        out.print(f"  {escape(hit.found_in)}: {snippet}")
        for line in _found_parts(hit.parts):  # of an item that bundles asks
            out.print(f"  {line}")
    if not as_json:
        out.print(shown_of(len(found.hits), found.matched, "result"))
    for note in filter(None, [*notes, pending]):
        err.print(note)


@click.command()
@click.argument("symbol")
@click.argument("paragraph", required=False)
@index_option
def evidence(symbol: str, paragraph: str | None, index: Path | None) -> None:
    """Every place a document cites or echoes one recommendation, newest document first.

    Example: `uprdex evidence A/HRC/28/15 115.22` (or A/HRC/28/15#115.22).
    """
    from uprdex.pipeline.exports import in_own_report
    from uprdex.pipeline.store import STATE_COMMENT

    with open_index(index) as store:
        named = ask_named_by(store, symbol, paragraph)
        if named.standing:
            err.print(
                f"[red]error[/] {escape(named.given)} is an ask known from an import, printed"
                " in no indexed report: no page cites its number (`uprdex show ID` gives its "
                "record)"
            )
            sys.exit(EXIT_USAGE)
        # An ask whose report is not indexed yet may be cited already: its places are shown.
        waiting = named.ask is None
        symbol, paragraph = named.ask.rsplit("#", 1) if named.ask else rec_id(symbol, paragraph)
        rows = (
            store.waiting_evidence(symbol, paragraph)
            if waiting
            else store.evidence(recommendation_id=named.ask)
        )
        answers = store.waiting_answers(symbol, paragraph) if waiting else []
        documents = store.documents() if waiting else []
        # Its report indexed, the ask is not in it (a misprint, a typo); a report that failed to
        # read is in the index with no symbol: when the report is not indexed, it may be any.
        in_report = any(d.symbol == symbol and d.status == "indexed" for d in documents)
        unread = [] if in_report else [d for d in documents if d.status != "indexed"]
    if waiting and not rows and not answers:
        err.print(
            f"[red]error[/] {escape(named.said)}"
            + (f"; its report {may_be(unread)}:" if unread and not named.nearest else "")
        )
        for line in [] if named.nearest else unread_lines(unread):
            err.print(line)
        sys.exit(EXIT_USAGE)
    own = [row for row in rows if in_own_report(row)]
    for row in rows:
        where = f"p. {row.page}" + (f", note {row.footnote}" if row.footnote else "")
        if row.context_page not in (None, row.page):  # a note's sentence, pages before it
            where += f"; context on p. {row.context_page}"
        fixed = " (misprint repaired)" if row.corrected else ""
        kind = "State's comment" if row.kind == STATE_COMMENT else row.kind
        if row in own:
            kind += " in the report itself"
        if waiting:
            kind += _by_bare_index(row.target_ref, paragraph)
        out.print(
            f"[bold]{escape(row.document_symbol or Path(row.document_path).name)}[/] "
            f"({row.document_type}, {where}) {kind}{fixed}: {escape(row.context)}"
        )
    for answer in answers:
        where = f"p. {answer.page}" + (f", para {answer.paragraph}" if answer.paragraph else "")
        out.print(
            f"[bold]{escape(answer.addendum_symbol or '')}[/] (addendum, {where}) the State's "
            f"answer{_by_bare_index(answer.ref, paragraph)}: {escape(answer.detail)}"
        )
    # A report is not evidence of itself (the export contract): its State's comments on its
    # own asks are shown, not counted.
    counted = (
        f"{count(len(rows) - len(own), 'evidence record')} for {escape(symbol)} {escape(paragraph)}"
    )
    if own:
        counted += f" (not counted: the State's comment{'s' * (len(own) > 1)} in the report itself)"
    if waiting:
        why = "is not indexed yet"
        if in_report:
            why = "is indexed and prints no such recommendation"
        elif unread:
            why = f"is not in the index: it {may_be(unread)}, below"
        counted += f" (its report, {escape(symbol)}, {why})"
    out.print(counted)
    for line in unread_lines(unread):
        out.print(line)


def _by_bare_index(ref: str, paragraph: str) -> str:
    """Before its report is indexed, an addendum's answer by bare index ("18" for 115.18,
    A/HRC/28/15/Add.1) says so: which of the report's lists it answers, the report says."""
    if ref == paragraph:
        return ""
    return (
        f" (answers a no. {escape(ref)}: of this list or another, which the report, not indexed"
        " yet, says)"
    )


@click.command()
@click.argument("file", type=click.Path(path_type=Path))
@index_option
def cited(file: Path, index: Path | None) -> None:
    """What one document cites: each recommendation with page, note and context.

    FILE is the document's file, its sha256 or its symbol (A/HRC/WG.6/34/SVN/2).
    """
    from uprdex.pipeline.loader import read_with_hash
    from uprdex.pipeline.names import path_text
    from uprdex.pipeline.store import STATE_COMMENT
    from uprdex.pipeline.symbols import normalize_symbol

    with open_index(index) as store:
        # Paths as the index stores them: a name that is not UTF-8 with its bytes escaped.
        sha256 = read_with_hash(file)[1] if file.is_file() else path_text(file)
        document = store.find_document([path_text(file), path_text(file.resolve())], sha256)
        documents = store.documents()
        if document is None and not file.exists():
            symbol = normalize_symbol(path_text(file)).upper()
            named = [d for d in documents if (d.symbol or "").upper() == symbol]
            if len(named) > 1:
                err.print(
                    f"[red]error[/] {escape(symbol)} names {len(named)} documents: give one of "
                    "their files or sha256s"
                )
                for d in named:
                    err.print(f"  {escape(d.path)} (sha256 {d.sha256})")
                sys.exit(EXIT_USAGE)
            document = named[0] if named else None
        rows = store.citations_by(document.sha256) if document else []
        reports = {d.symbol for d in documents if d.type == "wg_report" and d.symbol}
    if document is None:
        why = (
            "a folder: give one of its documents"
            if file.is_dir()
            else "not in the index"
            if file.exists()
            else "no such file, nor in the index"
        )
        err.print(f"[red]error[/] {escape(path_text(file))}: {why}")
        sys.exit(EXIT_USAGE)
    if document.status != "indexed":
        err.print(f"[red]{document.status}[/] {escape(str(document.named_error))}: it was not read")
        sys.exit(EXIT_SOME_FAILED)
    for row in rows:
        target = row.recommendation_id or f"{row.target_symbol or '?'} {row.target_ref}"
        status = "" if row.recommendation_id else _why_unlinked(row.target_symbol, reports)
        note = f" note {row.footnote}" if row.footnote else ""
        kind = {
            "citation": "",
            "paraphrase": f" (paraphrase, score {row.score:.2f})",
            STATE_COMMENT: " (the State's comment)",
        }.get(row.kind, f" ({row.kind})")
        out.print(
            f"p. {row.page}{note}: {escape(row.as_printed)} -> {escape(target)}{status}{kind}"
        )
    kinds = Counter("comment" if row.kind == STATE_COMMENT else row.kind for row in rows)
    out.print(", ".join(count(n, kind) for kind, n in sorted(kinds.items())) or "0 citations")


def _why_unlinked(symbol: str | None, reports: set[str]) -> str:
    """Why a citation points at no recommendation, for `cited`."""
    if symbol is None:
        return " (which review? no symbol beside it, and the document's State or date is unknown)"
    if symbol in reports:
        return f" (no such paragraph in {symbol})"
    return " (not in the index yet)"
