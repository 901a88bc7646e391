"""Reading one file: load it, classify it and read what it holds (a WG report's
recommendations, an addendum's responses, the themes, the citations, the sentences).

`extract_data` is a pure stage (a file's bytes in, records out) that never raises for a bad
document: it returns a failed record saying what is wrong, so the batch goes on. Its caller reads
the file once and hands it the bytes: `flows.ingest` runs it in worker processes, for `uprdex
ingest` and for the nightly flow's `extract` task, and writes the results. Nothing in a reading
depends on the file's name (a reading of the same bytes is the same under any name: Prefect
caches it on them): `at_path` gives it this run's path and the warning that name gets, and a
command names the file where it says the error (`names.FileNames`).
`extract_file` reads a file by its path in this process, without a worker or budget: the tests'
and the benchmarks' way to read one file, which the program does not use."""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from uprdex.extractors.addendum import parse_addendum
from uprdex.extractors.citations import find_citations
from uprdex.extractors.doctype import classify
from uprdex.extractors.metadata import (
    find_date,
    find_named_cycle,
    find_reviewed_session,
    find_state_under_review,
    find_symbol,
    find_year,
)
from uprdex.extractors.tables import Row, read_rows, ruled_pages, with_row_context
from uprdex.extractors.wg_report import parse_wg_report
from uprdex.flows import fingerprint
from uprdex.pipeline.errors import BadDocumentError, UprdexError, cannot_read
from uprdex.pipeline.forked import in_parts
from uprdex.pipeline.loader import load_pdf, read_with_hash
from uprdex.pipeline.model import (
    Addendum,
    Citation,
    DocumentRow,
    DocumentStatus,
    DocumentType,
    LoadedDocument,
    ThemeHit,
    WgReport,
)
from uprdex.pipeline.names import name_warnings, path_text
from uprdex.pipeline.paraphrase import page_sentences
from uprdex.pipeline.settings import LoaderSettings
from uprdex.pipeline.symbols import cycle_of_session, session_of_symbol, wg_symbol_of
from uprdex.pipeline.theme_model import ThemeModel

if TYPE_CHECKING:
    from uprdex.extractors.themes import ThemeTagger

__all__ = [
    "Extracted",
    "at_path",
    "extract_data",
    "extract_file",
    "failed_document",
    "tag_recommendations",
    "theme_hits",
]


@dataclass(frozen=True, slots=True)
class Extracted:
    """Everything extracted from one file, ready for the store."""

    document: DocumentRow
    report: WgReport | None = None
    addendum: Addendum | None = None
    themes: dict[str, tuple[ThemeHit, ...]] = field(default_factory=dict)
    citations: tuple[Citation, ...] = ()
    sentences: tuple[tuple[int, str], ...] = ()
    worker: str = ""
    """The Dask worker that extracted it ("" when it was this machine)."""
    over_budget: bool = False
    """The reading ran out of time or memory, or crashed: a result of the machine's load as
    much as of the file, which a cache must not keep."""


def extract_file(path: Path, settings: LoaderSettings | None = None) -> Extracted:
    """`extract_data` of the file at `path`, read here (no worker, no budget): for tests and
    benchmarks; a file that cannot be read gives a failed record, as `uprdex ingest` says it."""
    try:
        data, _ = read_with_hash(path)
    except OSError as error:
        return failed_document(path, None, cannot_read(error))
    return extract_data(path, data, settings)


def extract_data(path: Path, data: bytes, settings: LoaderSettings | None = None) -> Extracted:
    """Load, classify and parse the bytes of a file read before, named by `path` (the file is
    not opened); a bad file gives a failed record, not an exception. The reading records their
    sha256, so it is a reading of these bytes whatever the file holds now."""
    sha256 = hashlib.sha256(data).hexdigest()
    try:
        loaded = load_pdf(path, settings, data=data)
    except BadDocumentError as error:
        return failed_document(path, sha256, error.reason)
    pages = len(loaded.pages)
    ocr_warning: tuple[str, ...] = ()
    if loaded.needs_ocr and settings is not None and settings.ocr:
        recognised = _ocr(data, settings)
        if recognised is not None and not recognised.needs_ocr:
            loaded = LoadedDocument(
                sha256, path_text(path), recognised.pages, recognised.first_page_text
            )
            ocr_warning = ("no text layer: the text was recognised by ocrmypdf (check it)",)
    if loaded.needs_ocr:
        return failed_document(
            path,
            sha256,
            "no text layer (a scan?): run OCR (e.g. ocrmypdf) and drop the result",
            DocumentStatus.NEEDS_OCR,
            pages,
        )
    symbol = find_symbol(loaded.first_page_text)
    kind = classify(symbol, loaded.first_page_text)
    report = parse_wg_report(loaded) if kind is DocumentType.WG_REPORT else None
    rows, table_warnings = _table_rows(loaded, data, kind)
    addendum = parse_addendum(loaded, rows) if kind is DocumentType.ADDENDUM else None
    # Page 1 whole (headers too), then pages 2 and 3: each page once, so that names are counted
    # as often as they are printed.
    head = "\n".join([loaded.first_page_text, *(page.text for page in loaded.pages[1:3])])
    year = find_year(loaded.first_page_text)
    # A UN document's session is in its symbol; one without (an infographic) may name it.
    session = (
        session_of_symbol(symbol) if symbol else find_reviewed_session(head, loaded.first_page_text)
    )
    # Nor a session: its cycle, if it names its own ("for the fourth UPR cycle").
    cycle = cycle_of_session(session)
    if cycle is None and symbol is None:
        cycle = find_named_cycle(head, loaded.first_page_text)
    meta = report or WgReport(symbol, find_state_under_review(head), session, cycle, year)
    document = DocumentRow(
        sha256,
        path_text(path),
        kind,
        meta.symbol,
        meta.state_under_review,
        meta.session,
        meta.cycle,
        meta.year,
        pages,
        DocumentStatus.INDEXED,
        None,
        (*loaded.warnings, *meta.warnings, *ocr_warning, *table_warnings),
        find_date(loaded.first_page_text),
        fingerprint.READER_VERSION,
    )
    return Extracted(
        document,
        report,
        addendum,
        tag_recommendations(report),
        _citations(loaded, kind, symbol, rows),
        () if kind in _REPORT_AND_ANSWERS else _sentences(loaded),
    )


def at_path(extracted: Extracted, path: Path) -> Extracted:
    """A reading as this run's file at `path`: its path, and the warning its name gets
    (`name_warnings`); the reading itself is of the bytes, which Prefect caches it on."""
    document = extracted.document
    warnings = document.warnings
    if document.status is DocumentStatus.INDEXED:  # a failed file's line names it, escaped
        warnings = (*warnings, *name_warnings(path))
    shown = replace(document, path=path_text(path), warnings=warnings)
    return replace(extracted, document=shown)


def _sentences(loaded: LoadedDocument) -> tuple[tuple[int, str], ...]:
    """(page, sentence) of the body text, for paraphrase matching."""
    return tuple(
        (page.number, sentence)
        for page in loaded.pages
        for sentence in page_sentences([line.text for line in page.lines if not line.is_note])
    )


def _ocr(data: bytes, settings: LoaderSettings) -> LoadedDocument | None:
    """The PDF of these bytes (the ones hashed, not the file read again: it may have been
    replaced since) as ocrmypdf reads it, or None when it is not installed or fails."""
    program = shutil.which("ocrmypdf")
    if program is None:
        return None
    with tempfile.TemporaryDirectory(prefix="uprdex-ocr-") as tmp:
        source, target = Path(tmp) / "in.pdf", Path(tmp) / "out.pdf"
        source.write_bytes(data)
        try:
            subprocess.run(
                [program, "--quiet", "--skip-text", str(source), str(target)],
                check=True,
                timeout=settings.timeout_seconds,
                capture_output=True,
            )
            return load_pdf(target, settings)
        except (subprocess.SubprocessError, OSError, UprdexError):
            return None


_REPORT_AND_ANSWERS = (DocumentType.WG_REPORT, DocumentType.ADDENDUM)


def _table_rows(
    loaded: LoadedDocument, data: bytes, kind: DocumentType
) -> tuple[list[Row], tuple[str, ...]]:
    """The rows of the ruled tables of a document that may hold a matrix (an addendum's, an
    NGO report's annex), read with pdfplumber on the pages that draw them only; a WG report's
    recommendations are its text. A table pdfplumber cannot read is a warning, not a failure."""
    pages = ruled_pages(loaded)
    if kind is DocumentType.WG_REPORT or not pages:
        return [], ()
    try:
        return read_rows(io.BytesIO(data), pages), ()
    except Exception as error:  # pdfminer raises its own errors on a damaged page
        return [], (f"the tables of pages {pages} could not be read ({error})",)


def _citations(
    loaded: LoadedDocument, kind: DocumentType, symbol: str | None, rows: Sequence[Row] = ()
) -> tuple[Citation, ...]:
    """What a document cites. A WG report's numbers are its own items (not evidence of
    themselves), and an addendum's are its responses: only their citations of *other* reports
    by symbol count. A citation that opens a table row has that row as its context."""
    if kind not in _REPORT_AND_ANSWERS:
        # Only the State's own report numbers the previous review's recommendations bare
        # ("Recommendations 22, 31–39"); NGO reports number their own recommendations.
        found = find_citations(loaded, bare_indices=kind is DocumentType.NATIONAL_REPORT)
        return tuple(with_row_context(found, rows))
    # Most reports cite no other report by symbol: skip the full scan when none is printed.
    if not any(_OTHER_REPORT.search(page.text) for page in loaded.pages):
        return ()
    own = {symbol, wg_symbol_of(symbol)}
    return tuple(
        c
        for c in find_citations(loaded)
        if c.symbol and c.symbol not in own and c.kind == "citation"
    )


# "(A/HRC/13/15, para. 91.4)": another report's paragraph, cited by symbol
_OTHER_REPORT = re.compile(r"A/HRC/\d+/\d+,?\s+paras?\.")


def theme_hits(texts: Sequence[str]) -> list[tuple[ThemeHit, ...]]:
    """Each text's theme hits: the trained classifier's labels (method "model", with their
    scores; not a label of a theme data/themes.yaml marks needs_keyword whose keywords the text
    lacks), the keyword themes shown beside them (method "beside": a theme data/themes.yaml
    marks beside_model; both ThemeTagger.shown) and the keyword hits that explain them. A large
    batch (a UPR Info export) is shared among forked workers, one per core, which share the
    tagger and model read here."""
    _theme_tools()
    return in_parts(_theme_hits, texts, min_items=_THEME_PARTS_FROM)


_THEME_PARTS_FROM = 2000
"""Texts from which tagging in worker processes pays (a WG report has about 200)."""


def _theme_tools() -> tuple[ThemeTagger, ThemeModel]:
    """The keyword tagger and the theme classifier, read once per process."""
    from uprdex.extractors.themes import ThemeTagger  # spaCy: ~0.8 s, only when tagging

    return ThemeTagger(), ThemeModel.load()


def _theme_hits(texts: Sequence[str]) -> list[tuple[ThemeHit, ...]]:
    tagger, model = _theme_tools()
    keywords = tagger.tag_many(texts)
    labels = model.predict(texts)
    hits: list[tuple[ThemeHit, ...]] = []
    for found, predicted in zip(keywords, labels, strict=True):
        shown = tagger.shown([theme for theme, _ in predicted], found)
        kept = [(theme, score) for theme, score in predicted if theme in shown]
        beside = set(shown) - {theme for theme, _ in kept} if kept else set()
        hits.append(
            (
                *(ThemeHit(theme, (), "model", round(score, 3)) for theme, score in kept),
                *(
                    ThemeHit(hit.theme, hit.matched, "beside")
                    for hit in found
                    if hit.theme in beside
                ),
                *found,
            )
        )
    return hits


def tag_recommendations(report: WgReport | None) -> dict[str, tuple[ThemeHit, ...]]:
    """Theme hits per recommendation paragraph of a WG report."""
    if report is None or not report.recommendations:
        return {}
    hits = theme_hits([rec.text for rec in report.recommendations])
    return {rec.paragraph: found for rec, found in zip(report.recommendations, hits, strict=True)}


def failed_document(
    path: Path,
    sha256: str | None,
    error: str,
    status: DocumentStatus = DocumentStatus.FAILED,
    pages: int = 0,
) -> Extracted:
    """A document that could not be indexed: its row says why (`error`, naming no file)."""
    return Extracted(
        DocumentRow(
            sha256 or "",
            path_text(path),
            DocumentType.OTHER,
            None,
            None,
            None,
            None,
            None,
            pages,
            status,
            error,
        )
    )
