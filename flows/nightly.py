"""Prefect flows: `ingest_inbox`, `build_index` and `nightly` (the work of both, in its one flow
run).

Tasks are thin wrappers over the stage functions in pipeline/: retries only for transient
errors (a bad PDF is not retried, it is quarantined), results cached on the file hash and the
code version, and log lines that name the file. The index is written only by the flow itself,
one document per transaction, under the index lock.
"""

from __future__ import annotations

import logging
import sqlite3
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.client.schemas.objects import State, TaskRun
from prefect.context import TaskRunContext
from prefect.futures import PrefectFuture
from prefect.task_runners import ThreadPoolTaskRunner

from uprdex.flows import scaleout
from uprdex.flows.extract import Extracted, at_path
from uprdex.flows.fingerprint import CODE_VERSION, settings_key
from uprdex.flows.ingest import extract_isolated, write_reading
from uprdex.flows.interrupts import the_run_begins
from uprdex.flows.logs import quiet_the_terminal_after_a_stop
from uprdex.flows.rereading import (
    copies_of_another,
    earlier_reading_kept,
    first_of,
    needs_no_reading,
)
from uprdex.flows.run_summary import Copy, NightlySummary
from uprdex.pipeline.config import Config, load_config
from uprdex.pipeline.errors import cannot_read
from uprdex.pipeline.exports import records, write_export
from uprdex.pipeline.files import write_whole
from uprdex.pipeline.inbox import inbox_pdfs, index_lock, not_a_pdf, other_files, quarantine_failed
from uprdex.pipeline.loader import read_with_hash
from uprdex.pipeline.model import DocumentStatus
from uprdex.pipeline.names import BY_NAME, FileNames, path_text, text_path
from uprdex.pipeline.report import write_report
from uprdex.pipeline.sandbox import WorkerStartError
from uprdex.pipeline.settings import ClusterSettings, LoaderSettings
from uprdex.pipeline.store import Store, StoredDocument

__all__ = ["Copy", "NightlySummary", "build_index", "ingest_inbox", "nightly", "task_runner"]


TRANSIENT = (OSError, TimeoutError, sqlite3.OperationalError)
EXPORT_KINDS = ("recommendations", "evidence", "clusters", "documents")
EXPORT_FORMATS = ("csv", "jsonl")
CACHE_DAYS = 30
"""A cached extraction is used for this long, and its file deleted from Prefect's result
storage after it (`prune_cache`), so that the cache does not pile up."""
BUILT_STAMP = ".built-from"
"""In the reports folder: the `build_key` the outputs were last built from."""


def _transient(task: Any, task_run: TaskRun, state: State[Any]) -> bool:
    """Retry a task only when it failed for a passing reason (I/O, a busy database)."""
    try:
        state.result()
    except TRANSIENT:
        return True
    except Exception:
        return False
    return False


CACHE_PREFIX = "extract-"


def _extract_cache_key(context: TaskRunContext, parameters: dict[str, Any]) -> str:
    """The file's hash, the code version (code, tables, models) and the settings that change a
    document's result: change any and the document is extracted again."""
    settings = parameters["settings"] or LoaderSettings()
    return f"{CACHE_PREFIX}{parameters['sha256']}-{CODE_VERSION}-{settings_key(settings)}"


def prune_cache() -> int:
    """Delete cached extractions older than `CACHE_DAYS` from Prefect's local result storage
    (they have expired anyway); the number deleted."""
    from prefect.settings import get_current_settings

    storage = Path(get_current_settings().results.local_storage_path)
    cutoff = time.time() - CACHE_DAYS * 86400
    deleted = 0
    for path in storage.glob(f"{CACHE_PREFIX}*"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
                deleted += 1
        except OSError:
            continue  # another run deleted it, or it is not ours to delete
    return deleted


def _extract_run_name() -> str:
    """ "extract inbox/x.pdf": the path as text Prefect's API takes (`path_text`: a name that is
    not UTF-8 would stop its events)."""
    from prefect.runtime import task_run

    return f"extract {path_text(task_run.parameters['path'])}"


class OverBudgetError(Exception):
    """A reading that ran out of time or memory, or crashed (`Extracted.over_budget`): raised
    so that Prefect does not cache it; the flow then handles `extracted` as any failed reading."""

    def __init__(self, extracted: Extracted) -> None:
        super().__init__(extracted)
        self.extracted = extracted

    def __str__(self) -> str:
        document = self.extracted.document
        return BY_NAME.line(text_path(document.path), str(document.error))


GONE = "gone since the inbox was scanned (moved or deleted?): not read"


@task(
    name="extract",
    retries=2,
    retry_delay_seconds=1,
    retry_condition_fn=_transient,
    cache_key_fn=_extract_cache_key,
    cache_expiration=timedelta(days=CACHE_DAYS),
    # Each reading is cached on the disk, not in memory too: Prefect keeps up to 1,000 results
    # in the flow run's memory, every reading of a night's batch until its end (0.2 MB a WG
    # report: 56 MB more for 263 PDFs) while only the few being written are needed.
    cache_result_in_memory=False,
    task_run_name=_extract_run_name,
)
def extract_task(path: str, sha256: str, data: bytes, settings: LoaderSettings) -> Extracted:
    """Load, classify and parse one PDF's bytes (`data`, read once by the flow: `sha256` is
    theirs, the cache key) on this machine or on the run's Dask cluster; never raises for a bad
    PDF: it returns a record."""
    logger = get_run_logger()
    runner = scaleout.active()
    if runner is None:
        extracted = extract_isolated(Path(path), data, settings)
    else:
        extracted = runner.extract(Path(path), data, settings)
    where = f" (on Dask worker {extracted.worker})" if extracted.worker else ""
    document = extracted.document
    if document.status is DocumentStatus.INDEXED:
        logger.info("%s: %s %s%s", path_text(path), document.type, document.symbol or "", where)
    else:
        logger.warning("failed: %s%s", BY_NAME.line(Path(path), str(document.error)), where)
    if extracted.over_budget:  # not cached: another night, on a quieter machine, may read it
        raise OverBudgetError(extracted)
    return extracted


def task_runner(threads: int = 0) -> ThreadPoolTaskRunner[Any]:
    """Local threads: each task hands its document to a sandbox worker process
    (pipeline/sandbox.py), so pdfium never runs in two threads of one process and the parsing
    runs in parallel processes; on Dask each thread waits for a worker's answer, so there are
    as many threads as the cluster runs tasks at once (`threads`). (Prefect's process pool was
    measured ~10x slower here: each spawned worker re-imports the stack and reports its events
    back.)"""
    return ThreadPoolTaskRunner(max_workers=threads or LoaderSettings().processes)


Submit = Callable[[str, str, bytes, LoaderSettings], PrefectFuture[Extracted]]
"""Hands one file (path, sha256, bytes, settings) to `extract_task` on a task runner."""


@flow(name="ingest_inbox", log_prints=True)
def ingest_inbox(config: Config, settings: LoaderSettings | None = None) -> NightlySummary:
    """Scan the inbox, skip what is indexed, extract new files in parallel, write each."""
    settings = settings or LoaderSettings()
    return _ingest(config, settings, extract_task.submit, 2 * settings.processes)


def _on(runner: ThreadPoolTaskRunner[Any]) -> Submit:
    """`extract_task` submitted to this (started) runner, in the current flow run."""

    def submit(
        path: str, sha256: str, data: bytes, settings: LoaderSettings
    ) -> PrefectFuture[Extracted]:
        parameters = {"path": path, "sha256": sha256, "data": data, "settings": settings}
        return runner.submit(extract_task, parameters)

    return submit


@dataclass(frozen=True, slots=True)
class _Read:
    """An inbox file to extract: its bytes, read once, and what the index holds of them."""

    path: Path
    data: bytes
    sha256: str
    earlier: StoredDocument | None


def _ingest(config: Config, settings: LoaderSettings, submit: Submit, ahead: int) -> NightlySummary:
    """`ingest_inbox`'s work, in the flow run that calls it. Each file is read once, when
    fewer than `ahead` are being extracted: its bytes go to the reader and, when it fails, to
    the quarantine; only so many files' bytes are held at once."""
    logger = get_run_logger()
    summary = NightlySummary()
    with (
        index_lock(config.index, config.lock_timeout),
        Store(config.index, evidence=config.evidence, clusters=config.clusters) as store,
    ):
        paths = list(inbox_pdfs(config.inbox))
        summary.found = len(paths)
        summary.left_out = [not_a_pdf(path) for path in other_files(config.inbox)]
        for line in summary.left_out:
            logger.warning("%s", line)
        before = store.applied_corrections()
        # A failed file is named by its path in the inbox: two of one name are told apart.
        names = FileNames.apart(paths, [config.inbox])
        logger.info("%d files in %s", len(paths), config.inbox)
        pending: deque[tuple[_Read, PrefectFuture[Extracted]]] = deque()
        for item in _to_read(paths, store, summary, names):
            summary.to_read += 1
            future = submit(str(item.path), item.sha256, item.data, settings)
            pending.append((item, future))
            if len(pending) >= ahead:
                _settle(*pending.popleft(), store, summary, names, config)
        while pending:
            _settle(*pending.popleft(), store, summary, names, config)
        summary.states |= store.unclustered_states()
        summary.conflicts = list(store.applied_corrections().conflicts_since(before))
    for line in summary.conflicts:
        logger.warning("contradiction %s", line)
    return summary


def _settle(
    item: _Read,
    future: PrefectFuture[Extracted],
    store: Store,
    summary: NightlySummary,
    names: FileNames,
    config: Config,
) -> None:
    """Write the file's reading to the index, quarantine it if it failed, note it in
    `summary`."""
    logger = get_run_logger()
    path = item.path
    try:
        result = future.result()
    except OverBudgetError as error:  # a failed reading, only not cached
        result = error.extracted
    except WorkerStartError:  # no document is to blame: the run stops, in one line
        raise
    except Exception as error:  # a crash or timeout in one document: the batch goes on
        message = f"{type(error).__name__}: {error}"
        kept = earlier_reading_kept(item.earlier, DocumentStatus.FAILED, message)
        if kept:
            _note_kept(summary, path, kept)
            return
        detail = "".join(traceback.format_exception_only(error)).strip()
        _quarantine(summary, item, message, "extract", config.quarantine, detail)
        logger.error(_failed(summary, path, message, names))  # the run's error
        return
    # A cached extraction keeps the path, and the worker, of the run that read it: a file of
    # the same bytes, maybe of another name. Nothing else in it names a file.
    cached = future.state.name == "Cached"
    extracted = at_path(result, path)
    document = extracted.document
    written = write_reading(extracted, store)
    if written.kept:
        _note_kept(summary, path, written.kept)
        return
    if cached:
        summary.cached.append(path_text(path))
    elif extracted.worker:
        summary.workers[path_text(path)] = extracted.worker
    summary.warnings.extend((path_text(path), warning) for warning in written.warnings)
    if extracted.report and extracted.report.state_under_review:
        summary.states.add(extracted.report.state_under_review)
    if document.status is DocumentStatus.INDEXED:
        summary.indexed.append(path_text(path))
        summary.read_again += item.earlier is not None
    else:
        why = document.error or "failed"
        _quarantine(summary, item, why, "load", config.quarantine)
        _failed(summary, path, why, names)


def _to_read(
    paths: list[Path], store: Store, summary: NightlySummary, names: FileNames
) -> Iterator[_Read]:
    """The inbox files to extract, each read once as it is reached: new files, and files an
    earlier release indexed (read again, `read_by_this_release`); the others are noted in
    `summary`: as `uprdex ingest` says them, a copy of a file met before it in the inbox
    (`first_of`) and a file this release indexed (`needs_no_reading`) are not read. A file that
    failed on an earlier night is still a failure (it is in the quarantine already); it is not
    read again each night: `uprdex ingest FILE` retries it. A file that cannot be read fails in
    one line; one gone since the scan is noted in `summary.changed`."""
    logger = get_run_logger()
    first_path: dict[str, Path] = {}
    for path in paths:
        try:
            data, sha256 = read_with_hash(path)  # tried again for an error that may pass
        except FileNotFoundError:
            summary.changed.append((path_text(path), names.line(path, GONE)))
            logger.warning("%s: %s", path_text(path), GONE)
            continue
        except OSError as error:  # said as a broken PDF is: no bytes of it to quarantine
            summary.not_quarantined[path_text(path)] = "no bytes of it were read"
            logger.warning(_failed(summary, path, cannot_read(error), names))
            continue
        earlier = store.document(sha256)
        if (first := first_of(path, sha256, first_path)) is not None:
            shown = (names(path), names(first))
            summary.copies.append(Copy(path_text(path), path_text(first), shown))
        elif (notes := needs_no_reading(path, earlier, store)) is not None:
            summary.skipped += 1
            summary.warnings.extend((path_text(path), note) for note in notes)
        elif earlier is None or earlier.status == DocumentStatus.INDEXED:
            yield _Read(path, data, sha256, earlier)
        else:
            reason = earlier.error or "failed"
            _failed(summary, path, f"{reason} (on an earlier run)", names)
            summary.failed_before.append(path_text(path))


def _failed(summary: NightlySummary, path: Path, why: str, names: FileNames) -> str:
    """Note in `summary` that the file failed, in a line saying `why` (naming no file) that
    names it as `names` does (by its path in the inbox); returns that line."""
    line = names.line(path, why)
    summary.failed.append((path_text(path), line))
    return line


def _quarantine(
    summary: NightlySummary, item: _Read, error: str, stage: str, folder: Path, detail: str = ""
) -> None:
    """`quarantine_failed` of the bytes read: a file it could not copy is noted in `summary`
    and the log."""
    path = item.path
    why = quarantine_failed(path, item.data, item.sha256, error, stage, folder, detail)
    if why:
        summary.not_quarantined[path_text(path)] = why
        get_run_logger().warning("%s: not copied to the quarantine: %s", path_text(path), why)


def _note_kept(summary: NightlySummary, path: Path, kept: str) -> None:
    """Note in `summary` and the log that the earlier reading of the file is kept (`kept`: why)."""
    summary.skipped += 1
    summary.kept.append((path_text(path), kept))
    get_run_logger().warning("%s: %s", path_text(path), kept)


@task(name="cluster")
def cluster_task(index: str, states: set[str], settings: ClusterSettings | None = None) -> int:
    """Bring the duplicate clusters of these States under review up to date (`settings`: the
    configuration's [clusters])."""
    with Store(Path(index), clusters=settings) as store:
        return store.update_clusters(states=states)


@flow(name="build_index")
def build_index(
    config: Config, states: set[str] | None = None, since: str | None = None
) -> list[str]:
    """Bring the outputs up to date: clusters of the touched States, then the exports (see
    `_build`)."""
    return _build(config, states, since)


def _build(config: Config, states: set[str] | None, since: str | None) -> list[str]:
    """`build_index`'s work, in the flow run that calls it: clusters, exports, report.

    The outputs are stamped with what they were built from (`build_key`). When that has not
    changed (a night with no new files, no import, no re-clustering, no new uprdex), nothing is
    rewritten. `since` is the key before this run's ingestion: when the outputs were built from
    it, only the touched States' report pages are rewritten; otherwise all of them are (the
    index changed outside the flow, or a build did not finish).
    """
    logger = get_run_logger()
    written = []
    exports = [config.reports / f"{kind}.{fmt}" for kind in EXPORT_KINDS for fmt in EXPORT_FORMATS]
    stamp = config.reports / BUILT_STAMP
    built = stamp.read_text(encoding="utf-8").strip() if stamp.is_file() else None
    with (
        index_lock(config.index, config.lock_timeout),
        Store(config.index, evidence=config.evidence, clusters=config.clusters) as store,
    ):
        # Paraphrases matched by another rule or threshold (an upgrade, [evidence] in
        # uprdex.toml) are matched again from the stored sentences, and clusters made with other
        # models or settings (`uprdex train-*`) made again, every State's, even on a night with
        # no new file.
        if store.paraphrases_made_otherwise():
            store.rematch_paraphrases()
        if states or not store.clusters_current():
            cluster_task(str(config.index), states or set(), config.clusters)
        key = build_key(store)
        report = config.reports / "html" / "index.html"
        if built == key and all(path.is_file() for path in [*exports, report]):
            logger.info("index unchanged since the outputs were built: nothing to rewrite")
            return []
        stamp.unlink(missing_ok=True)  # a build cut short leaves no stamp: the next is whole
        rows = {kind: records(store, kind) for kind in EXPORT_KINDS}
        changed = store.last_change()
        for kind in EXPORT_KINDS:
            for fmt in EXPORT_FORMATS:
                target = config.reports / f"{kind}.{fmt}"
                write_export(rows[kind], fmt, kind, target, changed=changed)
                written.append(str(target))
        partial = bool(states) and since is not None and built == since
        # The report reads the records just exported, not the index again (6 s of its 15 s
        # CPU on an index with UPR Info's 32,080 asks).
        pages = write_report(
            store, config.reports / "html", only=states if partial else None, built=rows
        )
        written.append(str(pages))
        write_whole(stamp, f"{key}\n".encode())
    logger.info("wrote %s", ", ".join(written))
    return written


def build_key(store: Store) -> str:
    """What outputs built now would be built from: the index, its generation, this code."""
    return f"{store.identity()}:{store.generation()}:{CODE_VERSION}"


def _key_before(config: Config) -> str | None:
    if not config.index.exists():
        return None
    with (
        index_lock(config.index, config.lock_timeout),
        Store(config.index, evidence=config.evidence, clusters=config.clusters) as store,
    ):
        return build_key(store)


@flow(name="nightly")
def nightly(
    inbox: str = "data/inbox",
    index: str = "data/index.sqlite",
    quarantine: str = "data/quarantine",
    reports: str = "data/reports",
    dask_address: str | None = None,
    dask_workers: int = 0,
    ocr: bool = False,
) -> NightlySummary:
    """The nightly job: ingest the inbox, then build the index outputs.

    Parameters are plain paths so that a deployment (uprdex serve) can carry them.
    """
    from prefect.context import FlowRunContext

    run = FlowRunContext.get()
    # Read from the run's context: prefect.runtime.deployment.id asks the API for the flow run
    # of every run that is not a deployment's.
    if run is not None and run.flow_run is not None and run.flow_run.deployment_id is not None:
        # A deployment's run runs in a process Prefect started for it, writing to the terminal
        # of `uprdex serve` (or of a worker): Ctrl-C there stops both, and the command says so.
        # A service manager's stop signals this process with serve and the server: what fails
        # then (calls to the server it ended) is the stop, which serve says in its line.
        # For good: the ExitStack returned is never closed (Prefect logs a run's crash notes
        # after the flow's function has ended).
        quiet_the_terminal_after_a_stop("a served run")
        # From here Prefect reports a Ctrl-C as the run's crash (off the terminal).
        the_run_begins()
    # The stages' settings are the workspace's (uprdex.toml, UPRDEX_* variables); the paths are
    # the run's parameters.
    config = replace(
        load_config(),
        inbox=Path(inbox),
        index=Path(index),
        quarantine=Path(quarantine),
        reports=Path(reports),
    )
    since = _key_before(config)
    loader = replace(config.loader, ocr=ocr or config.loader.ocr)
    prune_cache()
    # The two stages run in this flow run (not as subflows `ingest_inbox` and `build_index`):
    # each flow run costs a round of API calls and a wait for its heartbeat thread at its end.
    cluster = scaleout.active()  # `uprdex run` connects before the flow, to fail in one line
    if cluster is None and (dask_address or dask_workers):
        # distributed's logs follow Prefect's level: quiet unless `uprdex run --verbose`.
        verbose = logging.getLogger("prefect").isEnabledFor(logging.INFO)
        with (
            scaleout.connect(dask_address, dask_workers, verbose) as cluster,
            task_runner(2 * cluster.threads) as runner,
        ):
            summary = _ingest(config, loader, _on(runner), 4 * cluster.threads)
    else:
        threads = 2 * cluster.threads if cluster else 0
        with task_runner(threads) as runner:
            ahead = 2 * (threads or LoaderSettings().processes)  # as many as queue behind them
            summary = _ingest(config, loader, _on(runner), ahead)
    summary.exports = _build(config, summary.states, since)
    publish(summary, config)
    return summary


def publish(summary: NightlySummary, config: Config) -> None:
    """The run's Prefect artifacts: a table of the files indexed, failed, read again but kept
    as an earlier release read them, and not read because they were gone meanwhile (with the
    one-line reason, and the Dask worker when there was one), and a link to the HTML report."""
    from prefect.artifacts import create_link_artifact, create_table_artifact

    listed = [
        *((path, "indexed", "") for path in summary.indexed),
        *((path, "failed", why) for path, why in summary.failed),
        *((path, "earlier reading kept", why) for path, why in summary.kept),
        *((path, "not read", why) for path, why in summary.changed),
        *((copy.path, "copy", summary.copy_line(copy)) for copy in summary.copies),
    ]
    names = FileNames.apart([text_path(path) for path, _, _ in listed], [config.inbox])
    rows = [
        {
            "file": names(text_path(path)),
            "outcome": outcome,
            "error": why,
            "worker": summary.workers.get(path, ""),
        }
        for path, outcome, why in listed
    ]
    create_table_artifact(
        rows,
        key="uprdex-files",
        description=f"{len(summary.indexed)} indexed, {summary.skipped} already indexed, "
        f"{len(summary.failed)} failed{copies_of_another(len(summary.copies))}",
    )
    report = (config.reports / "html" / "index.html").resolve()
    if report.is_file():
        create_link_artifact(report.as_uri(), link_text="The HTML report", key="uprdex-report")
