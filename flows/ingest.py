"""Ingestion stages: find files, extract each (`flows.extract`, in worker processes), write
each to the index; import the existing databases' exports.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import itertools
import os
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TypeVar

from uprdex.extractors.imports import (
    THEMATIC_LIST,
    UPR_INFO,
    ImportReader,
    read_thematic_list,
    read_upr_info,
)
from uprdex.flows.extract import (
    Extracted,
    at_path,
    extract_data,
    failed_document,
    theme_hits,
)
from uprdex.flows.rereading import earlier_reading_kept, first_of, needs_no_reading
from uprdex.pipeline.clusters.pair_model import PairModel
from uprdex.pipeline.errors import ImportFileError, UprdexError, cannot_read
from uprdex.pipeline.loader import read_with_hash
from uprdex.pipeline.model import (
    IMPORT_READER,
    DocumentRow,
    DocumentStatus,
    DocumentType,
)
from uprdex.pipeline.names import BY_NAME, FileNames, path_text, text_path
from uprdex.pipeline.sandbox import Outcome, map_isolated, run_isolated, start_method
from uprdex.pipeline.semantic import SemanticModel
from uprdex.pipeline.settings import ClusterSettings, LoaderSettings
from uprdex.pipeline.states import load_states
from uprdex.pipeline.store import Store
from uprdex.pipeline.symbols import cycle_of_session
from uprdex.pipeline.text import load_vocabulary
from uprdex.pipeline.theme_model import ThemeModel

__all__ = [
    "IMPORT_READERS",
    "IngestResult",
    "Written",
    "find_pdfs",
    "import_file",
    "ingest_paths",
    "write_reading",
]

T = TypeVar("T")

IMPORT_READERS: dict[str, ImportReader] = {
    UPR_INFO.value: read_upr_info,
    THEMATIC_LIST.value: read_thematic_list,
}


@dataclass(frozen=True, slots=True)
class IngestResult:
    """What happened to one file: indexed, unchanged (already indexed), needs_ocr or failed;
    for a copy of a file met before it in the batch (`copy_of`), that file's outcome."""

    path: str
    sha256: str | None
    outcome: str
    recommendations: int = 0
    symbol: str | None = None
    error: str | None = None
    """The line saying what is wrong, naming the file as the command names it
    (`FileNames.line`): "2019/report.pdf: an HTML page (no %PDF header); save the real PDF"."""
    warnings: tuple[str, ...] = ()
    copy_of: str | None = None
    """For the same bytes as a file met before it in the batch (`first_of`): that file, as
    `path` names it. The copy is not read; its outcome is that file's, said after it."""

    @property
    def ok(self) -> bool:
        """True unless the file failed or needs OCR."""
        return self.outcome in ("indexed", "unchanged")


def find_pdfs(paths: Iterable[Path]) -> Iterator[Path]:
    """PDF files named or found (recursively) in folders, in a stable order; a file named
    twice (`uprdex ingest inbox inbox/a.pdf`) once, as first named: it is one file, not a copy
    of another."""
    met: set[Path] = set()
    for path in paths:
        if path.is_dir():
            # Inside folders only regular files: a symlink may point out of the folder.
            found = sorted(
                p
                for p in path.rglob("*")
                if p.suffix.lower() == ".pdf" and not p.is_symlink() and p.is_file()
            )
        else:
            found = [path]
        for each in found:
            if (where := Path(os.path.realpath(each))) not in met:
                met.add(where)
                yield each


def theme_imported(store: Store) -> int:
    """Theme hits for the imported recommendations that have none (a UPR Info export of a new
    session, a thematic list, any import), as a PDF-extracted one gets them at ingest; the
    labels their source gave stay apart, in `imports`. Returns how many were tagged."""
    pending = store.unthemed_imports()
    if pending:
        hits = theme_hits(list(pending.values()))
        store.write_theme_hits(dict(zip(pending, hits, strict=True)))
    return len(pending)


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
    paths = list(paths)
    found = list(find_pdfs(paths))
    # Two failed files of one name are told apart in what the command prints.
    names = FileNames.apart(found, [path for path in paths if path.is_dir()])
    results: list[IngestResult] = []
    touched: set[str] = set()
    firsts: dict[str, IngestResult] = {}  # sha256 -> the outcome of the first file of them
    held: dict[str, list[IngestResult]] = {}  # sha256 -> copies said once that outcome is

    def said(done: Extracted | IngestResult) -> None:
        """Store one file's reading (if it has one) and say what happened to it; a copy of a
        file met before it, with that file's outcome, as soon as that is known."""
        if isinstance(done, Extracted):
            result = _store(done, store, names)
            if done.report and done.report.state_under_review:
                touched.add(done.report.state_under_review)
        else:
            result = done
        sha256 = result.sha256 or ""
        if result.copy_of is None:
            firsts[sha256] = result
            ready = [result, *held.pop(sha256, ())]
        elif sha256 in firsts:
            ready = [result]
        else:
            held.setdefault(sha256, []).append(result)
            return
        first = firsts[sha256]
        # A copy names its first file as that file's own line did: a failure's line names it
        # as `names` does ("c.pdf"), the others by its path as given.
        first_name = first.path if first.ok else names(text_path(first.path))
        for each in ready:
            told = (
                replace(each, outcome=first.outcome, copy_of=first_name) if each.copy_of else each
            )
            results.append(told)
            if on_result:
                on_result(told)

    prepare = functools.partial(_load_similarity_model, store)
    for extracted in _extract_all(found, store, settings, said, prepare):
        said(extracted)
    # Paraphrases matched by another rule or threshold (an upgrade, [evidence] in uprdex.toml)
    # are matched again from the stored sentences, new files or not.
    if store.paraphrases_made_otherwise():
        store.rematch_paraphrases()
    # Documents committed by a run that was killed before clustering are clustered now, and
    # clusters made with other models or settings (an upgrade, `uprdex train-*`) made again.
    touched |= store.unclustered_states()
    if touched or not store.clusters_current():
        store.update_clusters(states=touched)
    return results


def _extract_all(
    paths: list[Path],
    store: Store,
    settings: LoaderSettings,
    settle: Callable[[Extracted | IngestResult], None],
    meanwhile: Callable[[], object] | None = None,
) -> Iterator[Extracted]:
    """Each file's reading, made in a worker process within the per-document budget. A file is
    read once, as a worker is free for it: the worker is handed those bytes, and every reading
    (a timeout's, a crash's) is of their sha256, whatever the file holds by then. A file no
    worker reads goes to `settle` at once (in this thread), not after the next reading: one
    indexed before ("unchanged", `needs_no_reading`), a copy of one earlier in the batch
    (`IngestResult.copy_of`, its outcome still to come), or one that cannot be read.
    `meanwhile` runs here while the workers read the first documents."""
    first_path: dict[str, Path] = {}

    def to_read() -> Iterator[tuple[Path, bytes]]:
        for path in paths:
            try:
                data, sha256 = read_with_hash(path)
            except OSError as error:
                settle(failed_document(path, None, cannot_read(error)))
                continue
            if (first := first_of(path, sha256, first_path)) is not None:
                settle(IngestResult(path_text(path), sha256, "copy", copy_of=path_text(first)))
                continue
            notes = needs_no_reading(path, store.document(sha256), store)
            if notes is not None:
                settle(IngestResult(path_text(path), sha256, "unchanged", warnings=notes))
                continue
            yield path, data

    reads = to_read()
    head = next(reads, None)  # a batch with nothing to read loads nothing, forks nothing
    if head is not None and start_method() == "fork":
        warm_up()  # once, before the first worker is forked
    outcomes = map_isolated(
        functools.partial(_extract_read, settings=settings),
        itertools.chain([head] if head else [], reads),
        workers=min(settings.processes, len(paths)),
        timeout=settings.timeout_seconds,
        memory_mb=settings.memory_mb,
        meanwhile=meanwhile,
    )
    for outcome in outcomes:
        yield at_path(_reading(outcome, settings), outcome.item[0])


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


def extract_isolated(path: Path, data: bytes, settings: LoaderSettings | None = None) -> Extracted:
    """`extract_data` of bytes read once by the caller (named by `path`, which is not opened
    again) in a worker process with the per-document time and memory budget; the worker is
    kept for the next call (from any thread) when the document did not harm it."""
    settings = settings or LoaderSettings()
    if start_method() == "fork":
        warm_up()
    outcome = run_isolated(
        functools.partial(_extract_read, settings=settings),
        (path, data),
        timeout=settings.timeout_seconds,
        memory_mb=settings.memory_mb,
    )
    return _reading(outcome, settings)


def _extract_read(read: tuple[Path, bytes], settings: LoaderSettings) -> Extracted:
    """`extract_data` of one (path, bytes): what a worker process is handed."""
    return extract_data(*read, settings)


def _reading(
    outcome: Outcome[tuple[Path, bytes], Extracted], settings: LoaderSettings
) -> Extracted:
    """A worker's reading of (path, bytes), or, when it ran out of time or memory or crashed,
    the failed reading of those bytes: `uprdex ingest`'s and the nightly flow's one rule."""
    path, data = outcome.item
    return outcome.result or _over_budget(path, outcome.failure, outcome.detail, settings, data)


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
    path: Path, failure: str | None, detail: str, settings: LoaderSettings, data: bytes
) -> Extracted:
    """The failed reading of the bytes (`data`, of the file at `path`) a worker was handed and
    ran out of time or memory on, or crashed on: under their sha256, not the file's now."""
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
    sha256 = hashlib.sha256(data).hexdigest()
    return replace(failed_document(path, sha256, message), over_budget=True)


@dataclass(frozen=True, slots=True)
class Written:
    """What `write_reading` did with one reading."""

    kept: str | None = None
    """Why nothing was written: an earlier release's reading of these bytes is kept
    (`earlier_reading_kept`)."""
    warnings: tuple[str, ...] = ()
    """What the index recorded of the file (`Store.write_document`)."""


def write_reading(extracted: Extracted, store: Store) -> Written:
    """Write one reading (of a file with bytes: `document.sha256`) to the index, in its own
    transaction, unless it failed where an earlier release's reading of the same bytes
    stays (`earlier_reading_kept`). `uprdex ingest` and the nightly flow write each file so."""
    document = extracted.document
    earlier = store.document(document.sha256)
    if kept := earlier_reading_kept(earlier, document.status, document.error):
        return Written(kept=kept)
    warnings = store.write_document(
        document,
        extracted.report,
        extracted.addendum,
        extracted.themes,
        extracted.citations,
        extracted.sentences,
    )
    return Written(warnings=tuple(warnings))


def _store(extracted: Extracted, store: Store, names: FileNames) -> IngestResult:
    """Write a reading to the index; what happened to the file, its error in a line naming it
    as `names` does."""
    document = extracted.document
    error = document.error and names.line(text_path(document.path), document.error)
    if document.status is DocumentStatus.FAILED and not document.sha256:
        return IngestResult(document.path, None, "failed", error=error)
    written = write_reading(extracted, store)
    if written.kept:
        return IngestResult(document.path, document.sha256, "unchanged", warnings=(written.kept,))
    count = len(extracted.report.recommendations) if extracted.report else 0
    return IngestResult(
        document.path,
        document.sha256,
        document.status.value,
        count,
        document.symbol,
        error,
        written.warnings,
    )


def import_file(path: Path, kind: str, store: Store) -> IngestResult:
    """Import an existing database file ("upr-info" CSV or "thematic-list" .docx or PDF).

    The same file imported twice changes nothing; a changed file replaces its old rows. The
    file is read once: the rows recorded are those of the bytes its sha256 is of.
    """
    shown = path_text(path)
    try:
        data, sha256 = read_with_hash(path)
    except OSError as error:
        return IngestResult(shown, None, "failed", error=BY_NAME.line(path, cannot_read(error)))
    if store.document(sha256) is not None:
        # An index imported into before imports were themed gets its themes now.
        theme_imported(store)
        return IngestResult(shown, sha256, "unchanged")
    try:
        records = IMPORT_READERS[kind](path, data)
    except ImportFileError as error:  # names the file once (and the line of a row)
        return IngestResult(shown, sha256, "failed", error=str(error))
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
