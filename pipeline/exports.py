"""Exports per ../shared/docs/export-contract.md: jsonl, json, csv and xlsx.

Records are made as they are read (`each_record`: recommendations a batch at a time) and
written as they come by one writer per format, none holding the export whole. CSV and XLSX flatten
lists to "; "-joined text and nested objects to `parent_field` columns, and write text that
never runs as a formula (pipeline/spreadsheet.py): XLSX text is string cells, a text longer
than a cell holds continues in `<column>_part2`, `_part3` ... columns at the end; CSV text
that opens like a formula gets a leading "'", and every CSV text cell is quoted, unless `raw`.
JSON and JSONL are exact.
"""

from __future__ import annotations

import contextlib
import errno
import io
import itertools
import json
import marshal
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Protocol, TextIO

from uprdex.pipeline.corrections import Correction
from uprdex.pipeline.files import write_streamed
from uprdex.pipeline.model import DocumentType, ExportFormat, ExportKind, ImportSource
from uprdex.pipeline.spreadsheet import (
    append_xlsx_row,
    csv_lines,
    no_room_for_sheets,
    write_workbook,
    xlsx_part_count,
    xlsx_parts,
)
from uprdex.pipeline.store import (
    STATE_COMMENT,
    ImportedLabel,
    LinkedEvidence,
    RecFilter,
    RepeatedAsk,
    Store,
    StoredCluster,
    StoredDocument,
    StoredRecommendation,
    StoredThemeHit,
)

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook

__all__ = [
    "CONTRACT_TYPES",
    "FORMATS",
    "KINDS",
    "answer_detail",
    "asked_by",
    "cluster_record",
    "each_record",
    "evidence_records",
    "flatten",
    "recommendation_record",
    "records",
    "write_export",
]

KINDS = tuple(kind.value for kind in ExportKind if kind != ExportKind.MATRIX)
"""The record kinds (`records`); the matrix is a workbook of its own (`pipeline.matrix`)."""
CONTRACT_TYPES = frozenset(DocumentType) - {DocumentType.HRC_DECISION}
"""Document types the export contract names; any other (an HRC decision) exports as "other"
with its own name in `type_detail`."""
FORMATS = tuple(fmt.value for fmt in ExportFormat)
_LIST_SEPARATOR = "; "


def asked_by(record: dict[str, Any]) -> str:
    """Who asked, as `show`, `recs`, `search`, the UPR matrix and the report say it: the
    recommending States; for an ask whose report prints none (Indonesia 2008's, Solomon Islands
    2011's 81.23), that, with the States an imported row names ("Cuba as an import names it")."""
    if record["recommending_states"]:
        return ", ".join(record["recommending_states"])
    named = ", ".join(
        dict.fromkeys(name for item in record["imported"] for name in item["recommending_states"])
    )
    return "no State: the report prints none" + (
        f"; {named} as an import names it" if named else ""
    )


# The words a detail may open with that say its response again: an addendum's "accepted" is
# supported ("accepted; considered already implemented or in process").
_RESPONSE_WORDS = {"supported": ("supported", "accepted"), "noted": ("noted",)}


def answer_detail(record: dict[str, Any]) -> str | None:
    """The detail of an ask's response as `show --brief` and the report print it beside the
    response: without an opening word that says the response again ("noted; the State comments
    in para 104" beside noted: "the State comments in para 104"); None when it says no more
    ("accepted" beside supported). The record's `response_detail` stays whole (the exports')."""
    detail = record["response_detail"]
    if not detail:
        return None
    word, _, rest = detail.partition(_LIST_SEPARATOR)
    if word in _RESPONSE_WORDS.get(record["response"], (record["response"],)):
        return rest or None
    return str(detail)


def recommendation_record(rec: StoredRecommendation) -> dict[str, Any]:
    """The contract's recommendation record (with uprdex's extra fields) of a stored one."""
    return {
        "id": rec.id,
        "document_symbol": rec.document_symbol,
        "paragraph": rec.paragraph,
        "state_under_review": rec.state_under_review,
        "cycle": rec.cycle,
        "session": rec.session,
        "year": rec.year,
        "text": rec.text,
        "recommending_states": list(rec.recommending_states),
        "recommending_state_codes": list(rec.recommending_state_codes),
        "response": rec.response,
        "response_source": rec.response_source,
        "themes": _themes(rec.theme_hits, rec.imported),
        "cluster_id": rec.cluster_id,
        "source": {"sha256": rec.document_sha256, "page": rec.page},
        "as_printed": rec.as_printed,
        "response_detail": rec.response_detail,
        "response_conflict": rec.response_conflict,
        "state_pairs": rec.state_pairs,
        "origin": rec.origin,
        "imported": [
            {
                "source": label.source,
                "response": label.response,
                "response_source": label.response_source,
                "themes": list(label.themes),
                "text": label.text,
                "recommending_states": list(label.recommending_states),
                **label.extra,
            }
            for label in rec.imported
        ],
        "theme_hits": [
            {
                "theme": hit.theme,
                "matched": list(hit.matched),
                "method": hit.method,
                "score": hit.score,
            }
            for hit in rec.theme_hits
        ],
        "warnings": list(rec.warnings),
        # How sure its place in its cluster is (0-1; none when alone), the earlier asks to the
        # same State it repeats, with the State's response then, and the later asks that
        # repeat it (asked again: was it implemented?), with the State's response to them.
        "cluster_confidence": rec.cluster_confidence,
        "repeats": [_other_ask(ask) for ask in rec.repeats],
        "repeated_by": [_other_ask(ask) for ask in rec.repeated_by],
        # Who asked which part of an item that bundles several asks, each with its own States
        # (Japan 2008's 60.1); empty for an item with one State list.
        "parts": [
            {"text": part.text, "recommending_states": list(part.recommending_states)}
            for part in rec.parts
        ],
        # The footnotes the report prints on the ask, most often the ask as the State heard
        # it: "The recommendation as read during the interactive dialogue: ..."
        "footnotes": [
            {"marker": note.marker, "page": note.page, "text": note.text} for note in rec.footnotes
        ],
    }


def _other_ask(ask: RepeatedAsk) -> dict[str, Any]:
    """An ask of another review that one recommendation repeats or is repeated by."""
    return {
        "id": ask.id,
        "document_symbol": ask.document_symbol,
        "paragraph": ask.paragraph,
        "cycle": ask.cycle,
        "year": ask.year,
        "text": ask.text,
        "response": ask.response,
        "score": ask.score,
    }


def _themes(hits: Sequence[StoredThemeHit], imported: Sequence[ImportedLabel]) -> list[str]:
    """The issues UPR Info's experts gave, when an imported row carries them (the 54 issues
    the classifier learned); else the classifier's labels and the keyword themes shown beside
    them (method "beside"); else the keyword themes. Best score first, ties (and themes with
    no score: the experts', the keywords') by name, the order the index's views give them
    (pipeline.views._themes_of), so that the exports, the read API, the report, `show` and
    `recs` list them alike. A thematic list's labels (OHCHR's own taxonomy) stay in
    `imported`."""
    experts = [
        theme for item in imported if item.source == ImportSource.UPR_INFO for theme in item.themes
    ]
    if experts:
        return sorted(set(experts))
    model = [(hit.theme, hit.score or 0.0) for hit in hits if hit.method in ("model", "beside")]
    chosen = model or [(hit.theme, 0.0) for hit in hits if hit.method == "keywords"]
    best: dict[str, float] = {}
    for theme, score in chosen:
        best[theme] = max(score, best.get(theme, score))
    return sorted(best, key=lambda theme: (-best[theme], theme))


def _evidence_record(row: LinkedEvidence) -> dict[str, Any]:
    return {
        "recommendation_id": row.recommendation_id,
        "document": {
            "sha256": row.document_sha256,
            "path": row.document_path,
            "symbol": row.document_symbol,
            "type": _contract_type(row.document_type),
            "type_detail": _type_detail(row.document_type),
        },
        "page": row.page,
        "footnote": row.footnote,
        # The State's own comment on a recommendation (in its addendum or the WG report)
        # cites it by number: a "citation" in the contract, flagged by `state_comment`.
        "kind": "citation" if row.kind == STATE_COMMENT else row.kind,
        "as_printed": row.as_printed,
        "context": row.context,
        "score": row.score,
        "corrected": row.corrected,
        "state_comment": row.kind == STATE_COMMENT,
        # The page where `context` begins: a note's context (the body sentence or heading
        # bearing its marker) is often pages before `page`, where the cited number is. Last,
        # as every field added since the contract, so that no CSV column moves.
        "context_page": row.context_page,
    }


def evidence_records(
    store: Store, where: RecFilter | None = None, own_report: bool = False
) -> list[dict[str, Any]]:
    """Evidence records; the State's comments printed in a recommendation's own WG report
    only with `own_report` (the contract: a report is not evidence of itself)."""
    return [
        _evidence_record(row)
        for row in store.evidence(where)
        if own_report or not in_own_report(row)
    ]


def in_own_report(row: LinkedEvidence) -> bool:
    """Whether `row` is printed in its recommendation's own WG report, which is not evidence
    of it: "92.1 Regarding the recommendation No. 91.1 ..." printed in A/HRC/19/3."""
    return bool(row.document_symbol) and str(row.recommendation_id).startswith(
        f"{row.document_symbol}#"
    )


def cluster_record(cluster: StoredCluster, corrections: Sequence[Correction]) -> dict[str, Any]:
    """The contract's cluster record of a stored cluster and the corrections that shape it."""
    members = cluster.members
    return {
        "cluster_id": cluster.cluster_id,
        "members": [rec.id for rec in members],
        "canonical_text": cluster.canonical_text,
        "states": list(dict.fromkeys(s for rec in members for s in rec.recommending_states)),
        "size": cluster.size,
        "recurring": cluster.recurring,
        "cycles": list(cluster.cycles),
        "states_under_review": sorted({rec.state_under_review or "" for rec in members}),
        "responses": [rec.response for rec in members],
        # Shaped by a researcher's link or unlink (`uprdex cluster link/unlink`).
        "curated": bool(corrections),
        "corrections": [
            {
                "kind": c.kind.value,
                "first": c.first,
                "second": c.second,
                "note": c.note,
                "who": c.who,
                "at": c.at,
            }
            for c in corrections
        ],
        # The members' mean similarity to each other (0-1) and each member's to the others.
        "confidence": cluster.confidence,
        "member_confidence": (
            [{"id": rec.id, "confidence": rec.confidence} for rec in members]
            if cluster.confidence is not None
            else []
        ),
    }


def _document_record(document: StoredDocument) -> dict[str, Any]:
    return {
        "sha256": document.sha256,
        "path": document.path,
        "type": _contract_type(document.type),
        "symbol": document.symbol,
        "state_under_review": document.state_under_review,
        "cycle": document.cycle,
        "pages": document.pages,
        "status": document.status,
        "error": document.named_error,
        "session": document.session,
        "year": document.year,
        "date": document.date,
        "warnings": list(document.warnings),
        "type_detail": _type_detail(document.type),
    }


def _contract_type(kind: str) -> str:
    return kind if kind in CONTRACT_TYPES else "other"


def _type_detail(kind: str) -> str | None:
    """The document type uprdex knows when the contract has no name for it ("hrc_decision")."""
    return None if kind in CONTRACT_TYPES else kind


def records(store: Store, kind: str, where: RecFilter | None = None) -> list[dict[str, Any]]:
    """The contract's records of one kind."""
    return list(each_record(store, kind, where))


def each_record(
    store: Store, kind: str, where: RecFilter | None = None
) -> Iterator[dict[str, Any]]:
    """The contract's records of one kind, each made as it is read: an export writes them as
    they come (recommendations are read a batch at a time, `Store.each_recommendation`); the
    index stays open until the last is read. An unknown kind fails here, not at the first."""
    if kind == "recommendations":
        return map(recommendation_record, store.each_recommendation(where))
    if kind == "evidence":
        return iter(evidence_records(store, where))
    if kind == "clusters":
        curation = store.cluster_curation()
        return (cluster_record(c, curation.get(c.cluster_id, [])) for c in store.clusters(where))
    if kind == "documents":
        return map(_document_record, store.documents(where))
    if kind == "matrix":
        raise ValueError("the matrix is a workbook: uprdex export --what matrix --format xlsx")
    raise ValueError(f"unknown export kind {kind!r}; choose from {', '.join(KINDS)}")


def flatten(record: dict[str, Any]) -> dict[str, Any]:
    """One level of columns: lists joined with "; ", {"source": {"page": 3}} -> source_page,
    lists of objects (theme_hits, imported) as JSON text."""
    flat: dict[str, Any] = {}
    for key, value in record.items():
        if isinstance(value, dict):
            for inner, inner_value in value.items():
                flat[f"{key}_{inner}"] = inner_value
        elif isinstance(value, list) and any(isinstance(item, dict | list) for item in value):
            flat[key] = json.dumps(value, ensure_ascii=False)  # structured: keep it parseable
        elif isinstance(value, list):
            flat[key] = _LIST_SEPARATOR.join("" if item is None else str(item) for item in value)
        else:
            flat[key] = value
    return flat


def _write_jsonl(rows: Iterable[dict[str, Any]], out: _Writes, kind: str, raw: bool) -> None:
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False) + "\n")


def _write_json(rows: Iterable[dict[str, Any]], out: _Writes, kind: str, raw: bool) -> None:
    # The bytes of `json.dump(rows, indent=1)`, a record at a time: each record's lines one
    # level in (JSON text holds no line break but these), between "[" and "]", or "[]".
    opening = "[\n "
    for row in rows:
        out.write(opening + json.dumps(row, ensure_ascii=False, indent=1).replace("\n", "\n "))
        opening = ",\n "
    out.write("[]\n" if opening == "[\n " else "\n]\n")


EMPTY_HEADERS: dict[str, tuple[str, ...]] = {
    kind: tuple(columns.split())
    for kind, columns in {
        "recommendations": "id document_symbol paragraph state_under_review cycle session year "
        "text recommending_states recommending_state_codes response response_source themes "
        "cluster_id source_sha256 source_page as_printed response_detail response_conflict "
        "state_pairs origin imported theme_hits warnings cluster_confidence repeats repeated_by "
        "parts footnotes",
        "evidence": "recommendation_id document_sha256 document_path document_symbol "
        "document_type document_type_detail page footnote kind as_printed context score "
        "corrected state_comment context_page",
        "clusters": "cluster_id members canonical_text states size recurring cycles "
        "states_under_review responses curated corrections confidence member_confidence",
        "documents": "sha256 path type symbol state_under_review cycle pages status error "
        "session year date warnings type_detail",
    }.items()
}
"""CSV and XLSX columns of an export with no rows (a table with rows takes its own columns;
tests/test_exports.py checks both agree)."""


def _write_csv(rows: Iterable[dict[str, Any]], out: _Writes, kind: str, raw: bool) -> None:
    header, flats = _flattened(rows, kind)
    cells = ([flat.get(key) for key in header] for flat in flats)
    for line in csv_lines(header, cells, raw):
        out.write(line)


def _flattened(
    rows: Iterable[dict[str, Any]], kind: str
) -> tuple[list[str], Iterator[dict[str, Any]]]:
    """A table's columns (its first row's; an empty table's, `EMPTY_HEADERS`) and its rows,
    each flattened as it is read."""
    flats = map(flatten, rows)
    first = next(flats, None)
    if first is None:
        return list(EMPTY_HEADERS[kind]), flats
    return list(first), itertools.chain([first], flats)


class _Writes(Protocol):
    def write(self, text: str, /) -> object: ...


class _WholeWrites:
    """A text stream's bytes written whole to its unbuffered file (PYTHONUNBUFFERED=1, `python
    -u`): there a write that a reader leaving cuts short reports no error, and Python's text
    layer drops the rest unseen (the export ended 0, its output cut). Writing the rest meets
    the closed pipe: BrokenPipeError, which the CLI ends with 141."""

    def __init__(self, out: TextIO, raw: io.RawIOBase) -> None:
        self._raw, self._encoding, self._errors = raw, out.encoding, out.errors or "strict"

    def write(self, text: str) -> int:
        data = memoryview(text.encode(self._encoding, self._errors))
        while data:
            data = data[self._raw.write(data) or 0 :]
        return len(text)


def _whole_writes(out: TextIO) -> _Writes:
    """`out`, or `_WholeWrites` when its bytes go to its file unbuffered."""
    raw = getattr(out, "buffer", None)
    if not isinstance(raw, io.RawIOBase):
        return out  # buffered: its buffer writes every byte, or fails
    out.flush()
    return _WholeWrites(out, raw)


_Writer = Callable[[Iterable[dict[str, Any]], _Writes, str, bool], None]
_TEXT_WRITERS: dict[str, _Writer] = {
    "jsonl": _write_jsonl,
    "json": _write_json,
    "csv": _write_csv,
}


def write_export(
    rows: Iterable[dict[str, Any]],
    fmt: str,
    kind: str,
    out: Path | TextIO,
    raw: bool = False,
    changed: str | None = None,
) -> int:
    """Write records in a format to a file path or an open text stream (not xlsx); returns
    how many. The records are read once, as they are written (`each_record`'s or a list).

    CSV files get a UTF-8 byte order mark so that spreadsheet programs read accents right;
    CSV on standard output has none, for scripts. CSV text that opens like a formula ("=",
    "+", "-", "@", a tab or a CR) gets a leading "'", and every text cell is quoted, unless
    `raw` (byte-exact, for programs). A workbook is dated `changed`, the index's last change
    (`spreadsheet.workbook_time`).
    """
    counted = _Counted(rows)
    if fmt == "xlsx":
        if not isinstance(out, Path):
            raise ValueError("xlsx needs --out FILE")
        _write_xlsx(counted, kind, out, changed)
        return counted.count
    writer = _TEXT_WRITERS.get(fmt)
    if writer is None:
        raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
    if isinstance(out, Path):
        encoding = "utf-8-sig" if fmt == "csv" else "utf-8"
        write_streamed(
            out, lambda handle: _write_text(handle, encoding, writer, counted, kind, raw)
        )
    else:
        writer(counted, _whole_writes(out), kind, raw)
    return counted.count


class _Counted:
    """Records passed on as they are read, counted (`write_export` says how many it wrote)."""

    def __init__(self, rows: Iterable[dict[str, Any]]) -> None:
        self._rows, self.count = rows, 0

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for row in self._rows:
            self.count += 1
            yield row


def _write_text(
    handle: BinaryIO,
    encoding: str,
    writer: _Writer,
    rows: Iterable[dict[str, Any]],
    kind: str,
    raw: bool,
) -> None:
    """The export's text, encoded into `handle` as it is written (never held whole: the
    nightly run's recommendations.csv is 31 MB of text, 200 MB more at its peak when it was)."""
    text = io.TextIOWrapper(handle, encoding=encoding, newline="")
    writer(rows, text, kind, raw)
    text.flush()
    text.detach()  # `handle` stays open: `write_streamed` flushes it to the disk


def _write_xlsx(rows: Iterable[dict[str, Any]], kind: str, out: Path, changed: str | None) -> None:
    """The records as one sheet, each row written as it is made (`write_workbook`): the
    workbook of every cell at once took the memory of the whole export several times over.
    The sheet's columns and extent precede its rows, and depend on every row: a first pass
    over the records measures them and keeps each row's cells in a temporary file (`_spool`),
    from which the second writes the sheet; the records are read from the index once."""
    from openpyxl.utils import get_column_letter

    with tempfile.TemporaryFile(prefix="uprdex-xlsx-") as spool:
        header, flats = _flattened(rows, kind)
        parts, widths, count = _spool(header, flats, spool)
        spool.seek(0)
        # A text longer than a cell holds goes on in <column>_part2, _part3 ... at the end.
        continued = [
            (at, part) for at, key in enumerate(header) for part in range(2, parts[key] + 1)
        ]

        def fill(workbook: Workbook) -> None:
            sheet = workbook.create_sheet(kind)
            for index, key in enumerate(header, start=1):
                sheet.column_dimensions[get_column_letter(index)].width = min(
                    max(widths[key], 8) + 2, 80
                )
            sheet.freeze_panes = "A2"
            if header:
                # The sheet's extent, which a write-only sheet does not know ahead (programs
                # reading a sheet lazily, as pandas does, size it by it), and the filter over
                # all of it.
                extent = f"A1:{get_column_letter(len(header) + len(continued))}{count + 1}"
                sheet.calculate_dimension = lambda: extent
                sheet.auto_filter.ref = extent
            append_xlsx_row(
                sheet, [*header, *(f"{header[at]}_part{part}" for at, part in continued)]
            )
            for _ in range(count):
                split = [
                    xlsx_parts(value) if isinstance(value, str) else [value]
                    for value in marshal.load(spool)
                ]
                append_xlsx_row(
                    sheet,
                    [
                        *(cells[0] for cells in split),
                        *(
                            split[at][part - 1] if len(split[at]) >= part else None
                            for at, part in continued
                        ),
                    ],
                )

        write_workbook(out, fill, changed)


def _spool(
    header: list[str], flats: Iterable[dict[str, Any]], spool: BinaryIO
) -> tuple[dict[str, int], dict[str, int], int]:
    """The XLSX sheet's first pass: each flattened row's cells, in the columns' order,
    written to `spool`, none kept; how many cells each column's longest text takes, each
    column's width from its first 200 rows, and how many rows. `marshal`, not `pickle`:
    pickle keeps the UTF-8 of each text it writes in the text (CPython's cache), a second
    copy of every record a caller holds."""
    parts = dict.fromkeys(header, 1)
    widths = {key: len(key) for key in header}
    count = 0
    try:
        for count, flat in enumerate(flats, start=1):
            values = [flat[key] for key in header]
            for key, value in zip(header, values, strict=True):
                if isinstance(value, str):
                    parts[key] = max(parts[key], xlsx_part_count(value))
                if count <= 200:
                    widths[key] = max(widths[key], len(str(value or "")))
            marshal.dump(values, spool)
        spool.flush()
    except OSError as error:
        # $TMPDIR full: said as a sheet's own temporary file would say it. Closed here, its
        # unwritten rest dropped (closing it later would fail on that rest again).
        with contextlib.suppress(OSError):
            spool.close()
        raise no_room_for_sheets(
            error.strerror or str(error), error.errno or errno.ENOSPC
        ) from error
    return parts, widths, count
