"""Ingestion stages: find files, extract each (in worker processes), write each to the index.

`extract_file` is a pure stage (path in, records out) that never raises for a bad document:
it returns a failed record naming the file and what is wrong, so the batch goes on.
"""

from __future__ import annotations

import contextlib
import functools
import io
import re
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from uprdex.extractors.addendum import parse_addendum
from uprdex.extractors.citations import find_citations
from uprdex.extractors.doctype import classify
from uprdex.extractors.imports import THEMATIC_LIST, UPR_INFO, read_thematic_list, read_upr_info
from uprdex.extractors.metadata import find_date, find_state_under_review, find_symbol, find_year
from uprdex.extractors.tables import Row, read_rows, ruled_pages, with_row_context
from uprdex.extractors.wg_report import parse_wg_report
from uprdex.flows import fingerprint
from uprdex.flows.rereading import earlier_reading_kept, moved, read_by_this_release
from uprdex.pipeline.clusters.pair_model import PairModel
from uprdex.pipeline.errors import UprdexError
from uprdex.pipeline.forked import in_parts
from uprdex.pipeline.loader import (
    display_name,
    load_pdf,
    name_warnings,
    path_text,
    read_with_hash,
)
from uprdex.pipeline.model import (
    IMPORT_READER,
    Addendum,
    Citation,
    DocumentRow,
    DocumentStatus,
    DocumentType,
    ImportedRec,
    LoadedDocument,
    ThemeHit,
    WgReport,
)
from uprdex.pipeline.paraphrase import page_sentences
from uprdex.pipeline.sandbox import map_isolated, run_isolated, start_method
from uprdex.pipeline.semantic import SemanticModel
from uprdex.pipeline.settings import ClusterSettings, LoaderSettings
from uprdex.pipeline.states import load_states
from uprdex.pipeline.store import Store
from uprdex.pipeline.symbols import cycle_of_session, session_of_symbol, wg_symbol_of
from uprdex.pipeline.text import load_vocabulary
from uprdex.pipeline.theme_model import ThemeModel

if TYPE_CHECKING:
    from uprdex.extractors.themes import ThemeTagger

__all__ = [
    "IMPORT_READERS",
    "Extracted",
    "IngestResult",
    "extract_file",
    "find_pdfs",
    "import_file",
    "ingest_paths",
]

T = TypeVar("T")

IMPORT_READERS: dict[str, Callable[[Path], list[ImportedRec]]] = {
    UPR_INFO.value: read_upr_info,
    THEMATIC_LIST.value: read_thematic_list,
}


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


@dataclass(frozen=True, slots=True)
class IngestResult:
    """What happened to one file: indexed, unchanged (already indexed), needs_ocr or failed."""

    path: str
    sha256: str | None
    outcome: str
    recommendations: int = 0
    symbol: str | None = None
    error: str | None = None
    warnings: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """True unless the file failed or needs OCR."""
        return self.outcome in ("indexed", "unchanged")


def find_pdfs(paths: Iterable[Path]) -> Iterator[Path]:
    """PDF files named or found (recursively) in folders, in a stable order."""
    for path in paths:
        if path.is_dir():
            # Inside folders only regular files: a symlink may point out of the folder.
            yield from sorted(
                p
                for p in path.rglob("*")
                if p.suffix.lower() == ".pdf" and not p.is_symlink() and p.is_file()
            )
        else:
            yield path


def extract_file(path: Path, settings: LoaderSettings | None = None) -> Extracted:
    """Load, classify and parse one file; a bad file gives a failed record, not an exception."""
    try:
        data, sha256 = read_with_hash(path)
    except OSError as error:
        return _failed(path, None, f"{display_name(path)}: cannot read ({error.strerror or error})")
    try:
        loaded = load_pdf(path, settings, data=data)
    except UprdexError as error:
        return _failed(path, sha256, str(error))
    pages = len(loaded.pages)
    ocr_warning: tuple[str, ...] = ()
    if loaded.needs_ocr and settings is not None and settings.ocr:
        recognised = _ocr(path, settings)
        if recognised is not None and not recognised.needs_ocr:
            loaded = LoadedDocument(
                sha256, path_text(path), recognised.pages, recognised.first_page_text
            )
            ocr_warning = ("no text layer: the text was recognised by ocrmypdf (check it)",)
    if loaded.needs_ocr:
        return _failed(
            path,
            sha256,
            f"{display_name(path)}: no text layer (a scan?): run OCR (e.g. ocrmypdf) and drop "
            "the result",
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
    session = session_of_symbol(symbol)
    meta = report or WgReport(
        symbol,
        find_state_under_review(head),
        session,
        cycle_of_session(session),
        find_year(loaded.first_page_text),
    )
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
        (*loaded.warnings, *meta.warnings, *ocr_warning, *table_warnings, *name_warnings(path)),
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


def _sentences(loaded: LoadedDocument) -> tuple[tuple[int, str], ...]:
    """(page, sentence) of the body text, for paraphrase matching."""
    return tuple(
        (page.number, sentence)
        for page in loaded.pages
        for sentence in page_sentences([line.text for line in page.lines if not line.is_note])
    )


def _ocr(path: Path, settings: LoaderSettings) -> LoadedDocument | None:
    """The PDF as ocrmypdf reads it (run on a temporary copy), or None when it is not installed
    or fails."""
    program = shutil.which("ocrmypdf")
    if program is None:
        return None
    with tempfile.TemporaryDirectory(prefix="uprdex-ocr-") as tmp:
        source, target = Path(tmp) / "in.pdf", Path(tmp) / "out.pdf"
        shutil.copyfile(path, source)
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
    scores) and the keyword hits that explain them. A large batch (a UPR Info export) is
    shared among forked workers, one per core, which share the tagger and model read here."""
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
    return [
        (*(ThemeHit(theme, (), "model", round(score, 3)) for theme, score in predicted), *found)
        for found, predicted in zip(keywords, labels, strict=True)
    ]


def tag_recommendations(report: WgReport | None) -> dict[str, tuple[ThemeHit, ...]]:
    """Theme hits per recommendation paragraph of a WG report."""
    if report is None or not report.recommendations:
        return {}
    hits = theme_hits([rec.text for rec in report.recommendations])
    return {rec.paragraph: found for rec, found in zip(report.recommendations, hits, strict=True)}


def theme_imported(store: Store) -> int:
    """Theme hits for the imported recommendations that have none (a UPR Info export of a new
    session, a thematic list, any import), as a PDF-extracted one gets them at ingest; the
    labels their source gave stay apart, in `imports`. Returns how many were tagged."""
    pending = store.unthemed_imports()
    if pending:
        hits = theme_hits(list(pending.values()))
        store.write_theme_hits(dict(zip(pending, hits, strict=True)))
    return len(pending)


def _failed(
    path: Path,
    sha256: str | None,
    error: str,
    status: DocumentStatus = DocumentStatus.FAILED,
    pages: int = 0,
) -> Extracted:
    """A document that could not be indexed: its row says why."""
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


def ingest_paths(
    paths: Iterable[Path],
    store: Store,
    settings: LoaderSettings | None = None,
    on_result: Callable[[IngestResult], None] | None = None,
) -> list[IngestResult]:
    """Index every PDF under `paths`; files already indexed (same bytes) are skipped.

    A file that failed before is tried again (with --ocr, or a newer uprdex, it may pass) and
    reported again if it still fails. The same bytes found at two paths are read once.
    Extraction runs in worker processes; each document is written in its own transaction as
    soon as it is ready.
    """
    settings = settings or LoaderSettings()
    results: list[IngestResult] = []
    todo: list[Path] = []
    first_path: dict[str, Path] = {}
    for path in find_pdfs(paths):
        result = _skip_if_indexed(path, store, first_path)
        if result is None:
            todo.append(path)
        else:
            results.append(result)
            if on_result:
                on_result(result)
    touched: set[str] = set()
    prepare = functools.partial(_load_similarity_model, store)
    for extracted in _extract_all(todo, settings, prepare):
        result = _store(extracted, store)
        results.append(result)
        if extracted.report and extracted.report.state_under_review:
            touched.add(extracted.report.state_under_review)
        if on_result:
            on_result(result)
    # Documents committed by a run that was killed before clustering are clustered now, and
    # clusters made with other models or settings (an upgrade, `uprdex train-*`) made again.
    touched |= store.unclustered_states()
    if touched or not store.clusters_current():
        store.update_clusters(states=touched)
    return results


def _skip_if_indexed(path: Path, store: Store, first_path: dict[str, Path]) -> IngestResult | None:
    """ "unchanged" for a file indexed before or a copy of one earlier in this batch; else None.

    `first_path` (sha256 -> path) collects the files of this batch.
    """
    if not path.is_file():
        return None
    try:
        _, sha256 = read_with_hash(path)
    except OSError:
        return None
    if sha256 in first_path:
        note = f"the same file as {path_text(first_path[sha256])}"
        return IngestResult(path_text(path), sha256, "unchanged", warnings=(note,))
    first_path[sha256] = path
    stored = store.document(sha256)
    if stored is not None and read_by_this_release(stored):
        return IngestResult(
            path_text(path), sha256, "unchanged", warnings=moved(stored, path, store)
        )
    return None


def _extract_all(
    paths: list[Path], settings: LoaderSettings, meanwhile: Callable[[], object] | None = None
) -> Iterator[Extracted]:
    """Extract each file in a worker process, within the per-document budget; `meanwhile` runs
    here while the workers read the first documents."""
    if paths and start_method() == "fork":
        warm_up()
    outcomes = map_isolated(
        functools.partial(extract_file, settings=settings),
        paths,
        workers=min(settings.processes, len(paths)),
        timeout=settings.timeout_seconds,
        memory_mb=settings.memory_mb,
        meanwhile=meanwhile,
    )
    for outcome in outcomes:
        yield outcome.result or _over_budget(
            outcome.item, outcome.failure, outcome.detail, settings
        )


def _load_similarity_model(store: Store) -> None:
    """The similarity model the clusters of this index use (read once per process, 0.05-0.15 s),
    read while the workers read the documents rather than after them. A bad setting or model
    is left for the clustering to report, where it always has, after the documents are written."""
    with contextlib.suppress(UprdexError):
        load_cluster_models(store.cluster_settings())


def load_cluster_models(settings: ClusterSettings) -> None:
    """The similarity and pair models clustering with `settings` reads (once per process)."""
    if settings.semantic_weight + settings.rare_weight > 0 or settings.learned:
        SemanticModel.load(settings.similarity_model)
    if settings.learned:
        PairModel.load(settings.pair_model)


def extract_isolated(path: Path, settings: LoaderSettings | None = None) -> Extracted:
    """extract_file in a worker process with the per-document time and memory budget; the
    worker is kept for the next call (from any thread) when the document did not harm it."""
    settings = settings or LoaderSettings()
    if start_method() == "fork":
        warm_up()
    outcome = run_isolated(
        functools.partial(extract_file, settings=settings),
        path,
        timeout=settings.timeout_seconds,
        memory_mb=settings.memory_mb,
    )
    return outcome.result or _over_budget(path, outcome.failure, outcome.detail, settings)


def warm_up() -> None:
    """Load the shared tables once in the parent, so that forked workers inherit them.

    Once and under a lock: the flow's threads fork workers while others may still be here, and
    a child must not inherit a loader's half-held lock.
    """
    global _warmed
    if _warmed:
        return
    from uprdex.extractors.themes import ThemeTagger

    with _WARM_LOCK:
        if not _warmed:
            load_vocabulary()
            load_states()
            ThemeTagger().tag("warm up")
            ThemeModel.load()
            _warmed = True


_WARM_LOCK = threading.Lock()
_warmed = False


def _over_budget(
    path: Path, failure: str | None, detail: str, settings: LoaderSettings
) -> Extracted:
    messages = {
        "timeout": f"took more than {settings.timeout_seconds:g} s to read (damaged or "
        "hostile?); check the file, or raise [loader] timeout_seconds in uprdex.toml "
        "(or UPRDEX_LOADER_TIMEOUT_SECONDS)",
        "memory": f"needed more than {settings.memory_mb} MB to read (a decompression "
        "bomb?); check the file, or raise [loader] memory_mb in uprdex.toml "
        "(or UPRDEX_LOADER_MEMORY_MB)",
        "crash": "the PDF reader crashed on this file; it is probably damaged: download it again",
    }
    message = messages.get(failure or "", f"unexpected error: {detail}")
    try:
        _, sha256 = read_with_hash(path)
    except OSError:
        sha256 = None
    return replace(_failed(path, sha256, f"{display_name(path)}: {message}"), over_budget=True)


def _store(extracted: Extracted, store: Store) -> IngestResult:
    document = extracted.document
    if document.status is DocumentStatus.FAILED and not document.sha256:
        return IngestResult(document.path, None, "failed", error=document.error)
    stored = store.document(document.sha256)
    if kept := earlier_reading_kept(stored, document.status, document.error):
        return IngestResult(document.path, document.sha256, "unchanged", warnings=(kept,))
    warnings = store.write_document(
        document,
        extracted.report,
        extracted.addendum,
        extracted.themes,
        extracted.citations,
        extracted.sentences,
    )
    count = len(extracted.report.recommendations) if extracted.report else 0
    return IngestResult(
        document.path,
        document.sha256,
        document.status.value,
        count,
        document.symbol,
        document.error,
        tuple(warnings),
    )


def import_file(path: Path, kind: str, store: Store) -> IngestResult:
    """Import an existing database file ("upr-info" CSV or "thematic-list" .docx or PDF).

    The same file imported twice changes nothing; a changed file replaces its old rows.
    """
    shown, name = path_text(path), display_name(path)
    try:
        _, sha256 = read_with_hash(path)
    except OSError as error:
        return IngestResult(
            shown, None, "failed", error=f"{name}: cannot read ({error.strerror or error})"
        )
    if store.document(sha256) is not None:
        # An index imported into before imports were themed gets its themes now.
        theme_imported(store)
        return IngestResult(shown, sha256, "unchanged")
    try:
        records = IMPORT_READERS[kind](path)
    except UnicodeDecodeError as error:
        message = f"{name}: not a UTF-8 text file ({error.reason}); save it as UTF-8"
    except (ValueError, KeyError, OSError) as error:
        # A reader's ValueError names the file already (as `path.name`: shown as text here).
        message = path_text(str(error)) if isinstance(error, ValueError) else f"{name}: {error!r}"
    except Exception as error:  # python-docx raises its own errors for a non-docx file
        message = f"{name}: cannot read as {kind} ({error})"
    else:
        message = ""
    if message:
        return IngestResult(shown, sha256, "failed", error=message)
    sessions = {rec.session for rec in records}
    document = DocumentRow(
        sha256,
        shown,
        DocumentType.OTHER,
        None,
        _only({rec.state_under_review for rec in records}),
        _only(sessions),
        cycle_of_session(_only(sessions)),
        None,
        0,
        DocumentStatus.INDEXED,
        None,
        reader=IMPORT_READER,
    )
    store.write_import(document, records)
    theme_imported(store)
    store.update_clusters(states={rec.state_under_review for rec in records})
    return IngestResult(shown, sha256, "indexed", len(records))


def _only(values: set[T]) -> T | None:
    """The one value of a set, or None when it has none or several."""
    return next(iter(values)) if len(values) == 1 else None
