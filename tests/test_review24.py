"""review24: a code review of session 50's change on main (docerror, fixforget, fixcache,
sigint, browsecols, fixclause, fixrun2, prefectpriv). Each test pins one finding of
/work/notes/REPORT-review24.md: an xfail(strict=True) for what is left, a plain test for what
this branch fixed."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest


def test_a_worker_start_held_ctrl_c_and_sigterm_and_calls_both_handlers() -> None:
    # Finding 1 (fixed). `interrupts_held` (sigint's; pipeline/signal_hold.py since ingestbytes)
    # notes each SIGINT/SIGTERM that arrives while the main thread starts a worker and calls its
    # handler afterwards, in one loop: the first handler that raises (Ctrl-C's
    # KeyboardInterrupt) ends the loop, and a SIGTERM noted after it is never handled. Before
    # (the mask alone), CPython ran the SIGTERM handler at its next check, as it does for any
    # two signals whose first handler raises. Now the handlers are called through an
    # ExitStack: each runs, the first exception goes on.
    from uprdex.pipeline.signal_hold import interrupts_held

    got: list[int] = []
    before = signal.signal(signal.SIGTERM, lambda signum, frame: got.append(signum))
    try:
        with pytest.raises(KeyboardInterrupt), interrupts_held():
            os.kill(os.getpid(), signal.SIGINT)
            os.kill(os.getpid(), signal.SIGTERM)
        for _ in range(100):  # a check or two, where CPython runs a handler still tripped
            pass
    finally:
        signal.signal(signal.SIGTERM, before)
    assert got == [signal.SIGTERM]


def test_the_nightly_extract_task_does_not_raise_for_a_file_gone_since_the_scan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Finding 2 (fixed). fixcache made extract_task read the file itself (read_with_hash, an
    # OSError "retried" by `_transient`); before, the worker's extract_file made it a failed
    # reading.
    # A file moved or deleted from the inbox while a long run reads the others is the plainest
    # case of "changed since the inbox was scanned": nothing of it is read or cached. It
    # raised FileNotFoundError (retried twice, then a failed file, exit 1, and Prefect's
    # traceback on the terminal); then it was NotRead. Now (stale) the flow reads each file
    # once, as it reaches it: one gone is noted in the one 'not read' line, nothing submitted.
    import logging

    from uprdex.flows import nightly
    from uprdex.pipeline.names import FileNames
    from uprdex.pipeline.store import Store

    monkeypatch.setattr(nightly, "get_run_logger", lambda: logging.getLogger("review24"))
    gone = tmp_path / "inbox" / "report.pdf"
    summary = nightly.NightlySummary()
    names = FileNames.apart([gone], [gone.parent])
    with Store(tmp_path / "index.sqlite") as store:
        assert list(nightly._to_read([gone], store, summary, names)) == []
    assert summary.changed == [(str(gone), f"report.pdf: {nightly.GONE}")], summary.changed
    assert summary.failed == []


def test_forget_of_a_pair_never_recorded_is_a_usage_error_though_a_state_is_stale(
    tmp_path: Path,
) -> None:
    # Finding 3 (fixed). A run again of a forget cut short exits 0 ("no link or unlink ... is
    # recorded") after finishing its clustering; any pair with a stale State passed for one.
    # Now a forget records the pairs it was given beside the stale States (one meta value,
    # `store.stale`), and only those exit 0: another pair finishes the clustering, then is
    # the usage error it is without a stale State (exit 2).
    from uprdex.pipeline.store import Store

    from helpers import cli, fixture

    a, b, c = "A/HRC/28/15#115.1", "A/HRC/28/15#115.2", "A/HRC/28/15#115.3"
    index = tmp_path / "index.sqlite"
    assert cli("ingest", fixture("slovenia2014_recs.pdf"), "--index", index).exit_code == 0
    assert cli("cluster", "link", a, b, "--index", index).exit_code == 0
    with Store(index) as store:
        store.forget_correction(a, b)  # a forget of a and b cut short before its clustering
    typo = cli("cluster", "forget", a, c, "--index", index)  # c never linked to a
    assert "no link or unlink of" in typo.output, typo.output
    assert typo.exit_code == 2, (typo.exit_code, typo.output)


def test_migration_step_12_reads_an_index_whose_documents_has_a_column_it_does_not_know(
    tmp_path: Path,
) -> None:
    # Finding 5 (fixed). Step 12 (`settle_reviews`) built today's StoredDocument from
    # `SELECT * FROM documents`: an index whose `documents` has other columns than today's
    # dataclass (one a later migration adds, or drops) failed to open with a TypeError. It now
    # selects the six columns it reads.
    import sqlite3

    from uprdex.pipeline.store import Store
    from uprdex.pipeline.store.schema import SCHEMA_VERSION

    from helpers import ingested

    index = ingested(("addendum_matrix_svn2014.pdf",), tmp_path / "index.sqlite")
    db = sqlite3.connect(index, isolation_level=None)
    (settled,) = db.execute("SELECT session, cycle FROM documents").fetchall()
    assert settled != (None, None)
    db.execute("ALTER TABLE documents ADD COLUMN added_later TEXT")
    db.execute("UPDATE documents SET session = NULL, cycle = NULL")
    db.execute("UPDATE meta SET value = '11' WHERE key = 'schema_version'")
    db.close()
    with Store(index):  # opening it migrates it: step 12 again
        pass
    db = sqlite3.connect(index)
    assert db.execute("SELECT session, cycle FROM documents").fetchall() == [settled]
    assert db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == (
        str(SCHEMA_VERSION),
    )
    db.close()


def test_the_nightly_extract_task_says_an_inbox_file_it_cannot_read_in_one_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Finding 4 (fixed). Since fixcache the task reads the file: a PermissionError (a file
    # the run's user may not read) was raised, retried twice by `_transient` (an OSError),
    # then said as "PermissionError: [Errno 13] Permission denied: '/abs/inbox/x.pdf'" in a
    # line naming the file already, with Prefect's traceback. Then it was the failed file's
    # reason, "cannot read (Permission denied)". Now (stale) the flow reads each file once:
    # the same reason, read once (no retry changes it), nothing submitted, nothing to
    # quarantine.
    import logging

    from uprdex.flows import nightly
    from uprdex.pipeline import loader
    from uprdex.pipeline.names import FileNames
    from uprdex.pipeline.store import Store

    from helpers import fixture

    monkeypatch.setattr(nightly, "get_run_logger", lambda: logging.getLogger("review24"))
    reads: list[Path] = []
    read = loader._read_once  # each try of `read_with_hash`, which tries again on an EIO

    def counted(path: Path) -> tuple[bytes, str]:
        reads.append(path)
        return read(path)

    monkeypatch.setattr(loader, "_read_once", counted)
    data = fixture("slovenia2014_recs.pdf").read_bytes()
    unreadable = tmp_path / "report.pdf"
    if os.geteuid() == 0:  # root reads a file of mode 000: a folder of that name cannot be read
        unreadable.mkdir()
        why = "a folder, not a file"
    else:
        unreadable.write_bytes(data)
        unreadable.chmod(0)
        why = "Permission denied"
    summary = nightly.NightlySummary()
    names = FileNames.apart([unreadable], [tmp_path])
    try:
        with Store(tmp_path / "index.sqlite") as store:
            assert list(nightly._to_read([unreadable], store, summary, names)) == []
    finally:
        unreadable.chmod(0o700)
    assert summary.failed == [(str(unreadable), f"report.pdf: cannot read ({why})")]
    assert reads == [unreadable]  # not retried
    assert summary.not_quarantined == {str(unreadable): "no bytes of it were read"}


@pytest.mark.parametrize("failure", ["crash", "timeout"])
def test_a_reading_cut_short_is_recorded_under_the_bytes_read_not_those_saved_over_since(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: str
) -> None:
    # Finding 7 (fixed, ingestbytes). `uprdex ingest` hashed each file in its skip pass, its
    # worker read the file again, and after a crash or a timeout `_over_budget` hashed the file
    # as it was then: a file saved over while it was read had its failed reading recorded under
    # the new bytes' sha256 (which were never read), and its own bytes went unrecorded. Now
    # each file is read once, its bytes handed to the worker, and every outcome is theirs.
    import hashlib
    import time

    from uprdex.flows import extract
    from uprdex.flows.ingest import ingest_paths
    from uprdex.pipeline.settings import LoaderSettings
    from uprdex.pipeline.store import Store

    monkeypatch.setenv("UPRDEX_SANDBOX", "fork")  # the worker runs the reader set here
    report = tmp_path / "report.pdf"
    report.write_bytes(b"%PDF-1.7 the report as it was read")
    read = hashlib.sha256(report.read_bytes()).hexdigest()
    saved = b"%PDF-1.7 the report saved over while it was read"

    def saved_over_as_it_is_read(path: Path, *args: object, **kwargs: object) -> None:
        report.write_bytes(saved)
        if failure == "crash":
            os._exit(1)
        time.sleep(60)

    monkeypatch.setattr(extract, "load_pdf", saved_over_as_it_is_read)
    settings = LoaderSettings(workers=1, timeout_seconds=1.0)
    with Store(tmp_path / "index.sqlite") as store:
        [result] = ingest_paths([report], store, settings)
        assert report.read_bytes() == saved, "the worker did not save the file over"
        assert (result.outcome, result.sha256) == ("failed", read)
        stored = store.document(read)
        assert stored is not None and stored.status == "failed"
        assert store.document(hashlib.sha256(saved).hexdigest()) is None
