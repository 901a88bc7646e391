"""Prefect flows over an inbox of real fixtures (one session-wide test harness)."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from prefect.events.worker import EventsWorker
from prefect.logging.handlers import APILogWorker
from prefect.settings import get_current_settings
from prefect.task_runners import ThreadPoolTaskRunner
from prefect.testing.utilities import prefect_test_harness

import uprdex.flows.nightly as nightly_module
from uprdex.flows.extract import Extracted, extract_file
from uprdex.flows.ingest import _over_budget
from uprdex.flows.nightly import CACHE_DAYS, CACHE_PREFIX, ingest_inbox, nightly, prune_cache
from uprdex.pipeline.config import Config
from uprdex.pipeline.sandbox import WorkerStartError
from uprdex.pipeline.settings import ClusterSettings, LoaderSettings
from uprdex.pipeline.store import Store

from helpers import (
    as_an_earlier_release_left_it,
    as_older_models_clustered_it,
    clustered_with,
    fixture,
    run_uprdex,
    uprdex_env,
)

pytestmark = pytest.mark.prefect

GOOD = ["slovenia2014_recs.pdf", "andorra2011_recs.pdf"]


@pytest.fixture(scope="module", autouse=True)
def harness() -> Iterator[None]:
    """One temporary Prefect API for every flow test, stopped after them with Prefect's
    background workers: left running, they drew on the global `random` while later
    Hypothesis tests generated their data (a HypothesisDeprecationWarning, now and then)."""
    with prefect_test_harness(server_startup_timeout=180):
        yield
    APILogWorker.drain_all(timeout=10)
    EventsWorker.drain_all(timeout=10)


def _workspace(root: Path, corrupt: bool = False, salt: str = "") -> dict[str, str]:
    """An inbox with the good fixtures; a salt gives them bytes (and a hash) of their own, so
    that no earlier test's cached extraction answers for them."""
    inbox = root / "inbox"
    inbox.mkdir(parents=True)
    for name in GOOD:
        shutil.copy(fixture(name), inbox / name)
        if salt:
            with (inbox / name).open("ab") as handle:
                handle.write(f"\n% {salt}\n".encode())
    if corrupt:
        (inbox / "corrupt.pdf").write_bytes(b"%PDF-1.4\n" + b"\x00" * 64)
    return {
        "inbox": str(inbox),
        "index": str(root / "index.sqlite"),
        "quarantine": str(root / "quarantine"),
        "reports": str(root / "reports"),
    }


def _rows(index: str) -> int:
    import sqlite3

    db = sqlite3.connect(index)
    try:
        return int(db.execute("SELECT count(*) FROM recommendations").fetchone()[0])
    finally:
        db.close()


def test_flow_indexes_the_inbox_and_a_rerun_does_no_work(tmp_path: Path) -> None:
    paths = _workspace(tmp_path)
    first = nightly(**paths)
    rows = _rows(paths["index"])
    export = Path(paths["reports"], "recommendations.jsonl")
    built = export.stat().st_mtime_ns
    second = nightly(**paths)
    assert sorted(Path(p).name for p in first.indexed) == sorted(GOOD)
    assert rows == 32
    assert (second.indexed, second.skipped) == ([], 2)
    assert _rows(paths["index"]) == rows
    assert len(export.read_text(encoding="utf-8").splitlines()) == rows
    # Nothing changed: the outputs are not rewritten.
    assert second.exports == [] and export.stat().st_mtime_ns == built
    # A change made outside the flow (re-clustering by words only) is picked up next night.
    with Store(Path(paths["index"])) as store:
        store.update_clusters(ClusterSettings(semantic_weight=0, threshold=74, floor=54))
    third = nightly(**paths)
    assert str(export) in third.exports and export.stat().st_mtime_ns != built


def test_clusters_other_models_made_are_made_again_on_a_night_with_no_new_file(
    tmp_path: Path,
) -> None:
    # An upgrade that ships retrained models only reads no file again: the night still
    # clusters with the new models, not only rebuilds the outputs from the old clusters.
    paths = _workspace(tmp_path, salt="older-models")
    nightly(**paths)
    made_with = clustered_with(Path(paths["index"]))
    as_older_models_clustered_it(Path(paths["index"]))
    again = nightly(**paths)
    assert (again.indexed, again.skipped) == ([], 2)
    assert clustered_with(Path(paths["index"])) == made_with


def test_paraphrases_another_rule_matched_are_matched_again_on_a_night_with_no_new_file(
    tmp_path: Path,
) -> None:
    # An upgrade with another paraphrase rule, or a new paraphrase_threshold: the night matches
    # the stored sentences again though it reads no file, and the index records this rule.
    paths = _workspace(tmp_path, salt="older-paraphrases")
    # A national report: its sentences are stored, and matched against the WG report's asks.
    national = Path(paths["inbox"], "svn2019_national_report_p1-3.pdf")
    national.write_bytes(fixture(national.name).read_bytes() + b"\n% older-paraphrases\n")
    nightly(**paths)
    with sqlite3.connect(paths["index"]) as db:
        db.execute(
            "UPDATE meta SET value = ? WHERE key = 'paraphrase_rule'",
            (json.dumps({"rule": "score", "threshold": 0.5}),),
        )
    db.close()
    with Store(Path(paths["index"])) as store:
        assert store.paraphrases_made_otherwise() == "score at 0.50"
    again = nightly(**paths)
    assert (again.indexed, again.skipped) == ([], 3)
    with Store(Path(paths["index"])) as store:
        assert store.paraphrases_made_otherwise() is None


def test_the_files_an_earlier_release_read_are_read_again_next_night(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = _workspace(tmp_path, salt="earlier-release")
    nightly(**paths)
    db = sqlite3.connect(paths["index"])
    rec_id, text = db.execute("SELECT id, text FROM recommendations LIMIT 1").fetchone()
    db.close()
    as_an_earlier_release_left_it(Path(paths["index"]), rec_id)
    # This release's code is other than the one that read them: no cached reading answers.
    monkeypatch.setattr(nightly_module, "CODE_VERSION", "this release")
    again = nightly(**paths)
    assert sorted(Path(p).name for p in again.indexed) == sorted(GOOD)
    assert (again.read_again, again.skipped, again.failed) == (2, 0, [])
    db = sqlite3.connect(paths["index"])
    assert db.execute("SELECT text FROM recommendations WHERE id = ?", (rec_id,)).fetchone() == (
        text,
    )
    db.close()
    assert (
        Path(paths["reports"], "recommendations.jsonl")
        .read_text(encoding="utf-8")
        .count("as an earlier release read it")
        == 0
    )
    assert nightly(**paths).skipped == 2


def test_a_file_that_fails_when_read_again_after_an_upgrade_keeps_its_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = _workspace(tmp_path, salt="kept")
    nightly(**paths)
    rows = _rows(paths["index"])
    # A later release: another code version (no cached extraction answers for it) that cannot
    # read these files.
    monkeypatch.setattr(nightly_module, "CODE_VERSION", "a later release")
    monkeypatch.setattr("uprdex.flows.fingerprint.READER_VERSION", "a later release")

    def reader_that_fails(*_: object) -> None:
        raise RuntimeError("this release cannot read it")

    monkeypatch.setattr(nightly_module, "extract_isolated", reader_that_fails)
    again = nightly(**paths)
    assert (again.indexed, again.failed, again.skipped) == ([], [], 2)
    assert sorted(Path(path).name for path, _ in again.kept) == sorted(GOOD)
    assert all("the earlier reading is kept" in why for _, why in again.kept)
    assert _rows(paths["index"]) == rows
    assert not Path(paths["quarantine"]).exists() or not any(Path(paths["quarantine"]).iterdir())


def test_a_reading_that_ran_out_of_time_is_not_cached_for_the_next_night(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = _workspace(tmp_path, salt="out-of-time")
    nightly(**paths)
    monkeypatch.setattr(nightly_module, "CODE_VERSION", "a later release")
    monkeypatch.setattr("uprdex.flows.fingerprint.READER_VERSION", "a later release")
    reader = nightly_module.extract_isolated

    def out_of_time(path: Path, data: bytes, settings: LoaderSettings | None = None) -> Extracted:
        return _over_budget(path, "timeout", "", settings or LoaderSettings(), data)

    monkeypatch.setattr(nightly_module, "extract_isolated", out_of_time)
    busy = nightly(**paths)
    assert (busy.indexed, len(busy.kept)) == ([], 2)
    assert all("took more than" in why for _, why in busy.kept)
    monkeypatch.setattr(nightly_module, "extract_isolated", reader)
    quiet = nightly(**paths)
    assert (len(quiet.indexed), quiet.read_again, quiet.kept) == (2, 2, [])


def test_a_nightly_run_is_one_flow_run_with_its_task_runs(tmp_path: Path) -> None:
    # Each flow run costs API calls and a wait for its heartbeat at its end: the stages run in
    # the nightly flow run, as its task runs, not as subflows.
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        FlowRunFilter,
        FlowRunFilterId,
        FlowRunFilterParentFlowRunId,
    )

    paths = _workspace(tmp_path, salt=uuid.uuid4().hex)
    state = nightly(**paths, return_state=True)
    run_id = state.state_details.flow_run_id
    assert state.is_completed() and run_id is not None
    with get_client(sync_client=True) as client:
        children = client.read_flow_runs(
            flow_run_filter=FlowRunFilter(
                parent_flow_run_id=FlowRunFilterParentFlowRunId(any_=[run_id])
            )
        )
        names: list[str] = []
        for _ in range(60):  # task runs are recorded from their events, a moment later
            names = sorted(
                run.name
                for run in client.read_task_runs(
                    flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[run_id]))
                )
            )
            if len(names) >= len(GOOD) + 1:
                break
            time.sleep(0.5)
    assert children == []
    assert sum(name.startswith("extract ") for name in names) == len(GOOD), names
    assert any(name.startswith("cluster") for name in names), names


def _pages(paths: dict[str, str]) -> dict[str, int]:
    return {page.name: page.stat().st_mtime_ns for page in Path(paths["reports"]).rglob("*.html")}


def test_new_files_rewrite_their_states_pages_and_an_outside_change_all(tmp_path: Path) -> None:
    paths = _workspace(tmp_path, salt="pages")
    nightly(**paths)
    before = _pages(paths)
    shutil.copy(fixture("albania2014_recs.pdf"), Path(paths["inbox"]) / "albania.pdf")
    nightly(**paths)
    after = _pages(paths)
    rewritten = {name for name, mtime in after.items() if before.get(name) != mtime}
    assert "index.html" in rewritten and any("lbania" in name for name in rewritten)
    assert not any("lovenia" in name or "ndorra" in name for name in rewritten)
    # Changed outside the flow, then a new file: which States changed is not known, so every
    # State's page is rewritten, not only the new file's.
    with Store(Path(paths["index"])) as store:
        store.update_clusters(ClusterSettings(semantic_weight=0, threshold=74, floor=54))
    shutil.copy(fixture("burundi2013_recs.pdf"), Path(paths["inbox"]) / "burundi.pdf")
    nightly(**paths)
    final = _pages(paths)
    assert all(final[name] != after[name] for name in after)


def test_corrupt_file_is_quarantined_while_the_others_are_indexed(tmp_path: Path) -> None:
    paths = _workspace(tmp_path, corrupt=True)
    original = Path(paths["inbox"], "corrupt.pdf").read_bytes()
    summary = nightly(**paths)
    assert len(summary.indexed) == 2
    assert [Path(path).name for path, _ in summary.failed] == ["corrupt.pdf"]
    reports = list(Path(paths["quarantine"]).glob("*.error.json"))
    assert len(reports) == 1
    report = json.loads(reports[0].read_text(encoding="utf-8"))
    assert report["stage"] == "load" and "corrupt.pdf: broken PDF" in report["reason"]
    assert Path(paths["inbox"], "corrupt.pdf").read_bytes() == original  # never modified
    # Next night the file is still in the inbox: still a failure, not "already indexed", and
    # nothing is rewritten for it.
    (Path(paths["inbox"]) / "minutes.docx").write_bytes(b"PK\x03\x04")
    again = nightly(**paths)
    assert (again.indexed, again.skipped, again.exports) == ([], 2, [])
    assert [line.split(":")[0] for line in again.left_out] == ["minutes.docx"]
    assert [(Path(path).name, "on an earlier run" in why) for path, why in again.failed] == [
        ("corrupt.pdf", True)
    ]


def test_a_quarantine_that_cannot_be_written_does_not_stop_the_batch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A quarantine on a full disk (or read-only): the copy's OSError ended the flow run with
    # Prefect's traceback; the files after it were not read and no export was written.
    from uprdex.pipeline import inbox

    write = inbox.write_whole

    def full(out: Path, data: bytes) -> None:  # room for an .error.json, not for a copy
        if out.suffix == ".pdf":
            raise OSError(errno.ENOSPC, "No space left on device", str(out))
        write(out, data)

    monkeypatch.setattr(inbox, "write_whole", full)
    paths = _workspace(tmp_path, corrupt=True, salt="full quarantine")
    summary = nightly(**paths)
    assert len(summary.indexed) == 2 and summary.exports
    assert [Path(path).name for path, _ in summary.failed] == ["corrupt.pdf"]
    [(path, why)] = summary.not_quarantined.items()
    assert Path(path).name == "corrupt.pdf"
    assert why.startswith(f"cannot write {paths['quarantine']}/") and "No space left" in why


def test_a_flaky_stage_succeeds_on_retry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []

    def flaky(path: Path, data: bytes, settings: object = None) -> object:
        calls.append(path.name)
        if calls.count(path.name) == 1:
            raise OSError("the file is still being copied")
        return extract_file(path)

    monkeypatch.setattr(nightly_module, "extract_isolated", flaky)
    paths = _workspace(tmp_path, salt="flaky")
    config = Config(*(Path(paths[key]) for key in ("inbox", "index", "quarantine", "reports")))
    # One thread, so that the patched stage is the one the task calls.
    in_process = ingest_inbox.with_options(task_runner=ThreadPoolTaskRunner(max_workers=1))
    summary = in_process(config)
    assert sorted(Path(p).name for p in summary.indexed) == sorted(GOOD)
    assert sorted(calls) == sorted(GOOD * 2)


def test_a_reader_that_cannot_start_stops_the_night_and_quarantines_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A spawned worker that cannot start (a library missing in the fresh interpreter, the OOM
    # killer) is no document's fault: `uprdex run` copied every file to the quarantine, each
    # "failed" with the same line, and went on to the exports.
    def cannot_start(path: Path, data: bytes, settings: object = None) -> object:
        raise WorkerStartError("the PDF reader could not start here: ImportError: libpdfium.so")

    monkeypatch.setattr(nightly_module, "extract_isolated", cannot_start)
    paths = _workspace(tmp_path, salt="cannot start")
    config = Config(*(Path(paths[key]) for key in ("inbox", "index", "quarantine", "reports")))
    # One thread, so that the patched stage is the one the task calls.
    in_process = ingest_inbox.with_options(task_runner=ThreadPoolTaskRunner(max_workers=1))
    with pytest.raises(WorkerStartError, match="could not start here"):
        in_process(config)
    quarantine = Path(paths["quarantine"])
    assert not quarantine.exists() or not any(quarantine.iterdir())


def test_a_changed_setting_extracts_again_and_old_cache_files_go(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []

    def counted(path: Path, data: bytes, settings: object = None) -> object:
        calls.append(path.name)
        return extract_file(path)

    monkeypatch.setattr(nightly_module, "extract_isolated", counted)
    paths = _workspace(tmp_path, salt="settings")
    in_process = ingest_inbox.with_options(task_runner=ThreadPoolTaskRunner(max_workers=1))

    def run(name: str, settings: LoaderSettings) -> int:
        before = len(calls)
        config = Config(
            Path(paths["inbox"]), tmp_path / f"{name}.sqlite", tmp_path / "q", tmp_path / "r"
        )
        summary = in_process(config, settings)
        assert len(summary.indexed) == len(GOOD)
        return len(calls) - before

    assert run("first", LoaderSettings()) == len(GOOD)
    assert run("same", LoaderSettings(workers=3)) == 0  # cached: the same result
    assert run("memory", LoaderSettings(memory_mb=2048)) == len(GOOD)
    assert run("ocr", LoaderSettings(ocr=True)) == len(GOOD)
    assert run("margin", LoaderSettings(margin=0.1)) == len(GOOD)
    # The cache is Prefect's result storage, where old entries are deleted at each run.
    storage = Path(get_current_settings().results.local_storage_path)
    cached = sorted(storage.glob(f"{CACHE_PREFIX}*"))
    assert len(cached) >= 4 * len(GOOD)
    old = time.time() - (CACHE_DAYS + 1) * 86400
    os.utime(cached[0], (old, old))
    assert prune_cache() == 1
    assert not cached[0].exists() and all(path.exists() for path in cached[1:])


def test_a_file_saved_over_after_the_scan_is_read_as_it_is_then_and_one_gone_said_in_a_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # review23 finding 1. The extract task's cache key was the hash the inbox scan took; the
    # task read the file again later, so a file saved over in between had its new reading
    # cached under the old bytes' key for 30 days, and a later run meeting the old bytes
    # indexed the new file's records at their path. Then the task read the bytes once and
    # left a file of other bytes for the next run. Now (stale) each file is read once, its
    # sha256 taken of those bytes: a file saved over after the scan is read as it is then,
    # cached under its own bytes only; one gone is said in one line.
    from uprdex.flows.cli._run_lines import each_file

    paths = _workspace(tmp_path, salt=uuid.uuid4().hex)
    target, moved = Path(paths["inbox"]) / GOOD[0], Path(paths["inbox"]) / GOOD[1]
    old = target.read_bytes()
    new = fixture("albania2014_recs.pdf").read_bytes() + old[-40:]
    listed = nightly_module.inbox_pdfs

    def changed_after_the_scan(inbox: Path) -> Iterator[Path]:
        found = list(listed(inbox))
        target.write_bytes(new)  # saved over
        moved.rename(tmp_path / moved.name)  # moved away
        return iter(found)

    monkeypatch.setattr(nightly_module, "inbox_pdfs", changed_after_the_scan)
    config = Config(*(Path(paths[key]) for key in ("inbox", "index", "quarantine", "reports")))
    summary = ingest_inbox(config)
    assert [Path(path).name for path, _ in summary.changed] == [GOOD[1]], summary.changed
    capsys.readouterr()
    each_file(summary, config)  # what `uprdex run` and `uprdex watch` say of it: one line
    said = [line for line in capsys.readouterr().err.splitlines() if GOOD[1] in line]
    assert said == [
        f"skipped {GOOD[1]}: gone since the inbox was scanned (moved or deleted?): not read"
    ], said
    assert ([Path(path).name for path in summary.indexed], summary.failed) == ([GOOD[0]], [])
    scanned, read = (hashlib.sha256(data).hexdigest() for data in (old, new))
    with Store(Path(paths["index"])) as store:
        document = store.document(read)
        assert store.document(scanned) is None
    assert document is not None and "lbania" in (document.state_under_review or "")
    storage = Path(get_current_settings().results.local_storage_path)
    assert not list(storage.glob(f"{CACHE_PREFIX}{scanned}*"))
    # The old bytes back at their path: read (not a cached reading of the other file).
    monkeypatch.setattr(nightly_module, "inbox_pdfs", listed)
    target.write_bytes(old)
    again = ingest_inbox(config)
    assert [Path(path).name for path in again.indexed] == [GOOD[0]], again
    with Store(Path(paths["index"])) as store:
        document = store.document(scanned)
    assert document is not None and "lovenia" in (document.state_under_review or "")


def test_serve_registers_a_cron_deployment_on_a_real_server(
    prefect_server: str, tmp_path: Path
) -> None:
    # Run from a workspace with its default (relative) paths: the deployment keeps them as
    # they are, and names the flow by its module, so nothing in it is a path of this machine.
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    env = uprdex_env(prefect_server)
    args = ["serve", "--register-only", "--cron", "0 2 * * *", "--timezone", "Europe/Zurich"]
    result = run_uprdex(*args, cwd=workspace, env=env, timeout=180)
    assert result.returncode == 0, result.stderr
    script = """
import asyncio, json
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import DeploymentFilter, DeploymentFilterId
async def main():
    async with get_client() as client:
        deployment = await client.read_deployment_by_name("nightly/uprdex-nightly")
        for _ in range(60):
            runs = await client.read_flow_runs(
                deployment_filter=DeploymentFilter(id=DeploymentFilterId(any_=[deployment.id])))
            if runs:
                break
            await asyncio.sleep(1)
        print(json.dumps({"schedules": [[s.schedule.cron, s.schedule.timezone]
                                        for s in deployment.schedules],
                          "runs": [r.state_name for r in runs],
                          "parameters": deployment.parameters,
                          "entrypoint": deployment.entrypoint,
                          "path": deployment.path}))
asyncio.run(main())
"""
    read = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert read.returncode == 0, read.stderr
    found = json.loads(read.stdout.strip().splitlines()[-1])
    assert found["schedules"] == [["0 2 * * *", "Europe/Zurich"]]
    assert found["runs"] and set(found["runs"]) == {"Scheduled"}
    assert found["parameters"] == {
        "inbox": "data/inbox",
        "index": "data/index.sqlite",
        "quarantine": "data/quarantine",
        "reports": "data/reports",
    }
    assert found["entrypoint"] == "uprdex.flows.nightly.nightly"
    assert found["path"] in (None, ".")


def test_the_run_table_lists_the_files_whose_earlier_reading_was_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import prefect.artifacts

    tables: list[list[dict[str, str]]] = []
    monkeypatch.setattr(
        prefect.artifacts, "create_table_artifact", lambda rows, **_: tables.append(rows)
    )
    summary = nightly_module.NightlySummary(
        indexed=["inbox/new.pdf"],
        failed=[("inbox/bad.pdf", "bad.pdf: not a PDF")],
        kept=[("inbox/old.pdf", "read again by this release, it failed (...)")],
    )
    nightly_module.publish(summary, Config(reports=tmp_path / "reports"))
    assert [(row["file"], row["outcome"]) for row in tables[0]] == [
        ("new.pdf", "indexed"),
        ("bad.pdf", "failed"),
        ("old.pdf", "earlier reading kept"),
    ]


def test_the_workers_of_a_local_dask_cluster_are_not_bare_numbers() -> None:
    # newcomer: `uprdex run --dask-workers 2` printed "extracted on Dask workers: 0 1, 1 1".
    from uprdex.flows.cli._run_lines import on_workers

    read = nightly_module.NightlySummary(
        workers={"a.pdf": "0", "b.pdf": "1", "c.pdf": "1"}, to_read=3
    )
    assert on_workers(read) == "worker-0 1, worker-1 2"
    named = nightly_module.NightlySummary(workers={"a.pdf": "w1"}, to_read=1)
    assert on_workers(named) == "w1 1"


def test_an_inbox_file_the_run_cannot_read_fails_in_one_line_naming_it_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # review24 finding 4. Since the extract task reads the file, a PermissionError was raised
    # in it, retried twice, and said as "report.pdf: PermissionError: [Errno 13] Permission
    # denied: '/abs/inbox/report.pdf'" (the file named twice) with Prefect's traceback. Now:
    # one reason, "cannot read (Permission denied)", a failed file, the others indexed.
    from uprdex.flows.cli._run_lines import each_file

    paths = _workspace(tmp_path, salt=uuid.uuid4().hex)
    target = Path(paths["inbox"]) / GOOD[0]
    listed = nightly_module.inbox_pdfs

    def unreadable_after_the_scan(inbox: Path) -> Iterator[Path]:
        for path in listed(inbox):
            if path == target and os.geteuid() == 0:  # root reads a file of mode 000
                target.unlink()
                target.mkdir()
            elif path == target:
                target.chmod(0)
            yield path

    monkeypatch.setattr(nightly_module, "inbox_pdfs", unreadable_after_the_scan)
    config = Config(*(Path(paths[key]) for key in ("inbox", "index", "quarantine", "reports")))
    try:
        summary = ingest_inbox(config)
    finally:
        target.chmod(0o700)
    why = "a folder, not a file" if os.geteuid() == 0 else "Permission denied"
    assert summary.failed == [(str(target), f"{GOOD[0]}: cannot read ({why})")], summary.failed
    assert [Path(path).name for path in summary.indexed] == [GOOD[1]], summary.indexed
    capsys.readouterr()
    each_file(summary, config)  # what `uprdex run` and `uprdex watch` say of it: one line
    (said,) = [line for line in capsys.readouterr().err.splitlines() if GOOD[0] in line]
    assert said.count(GOOD[0]) == 1 and "cannot read" in said, said


_FAILING_DISK = '''
"""Stand-in for a failing disk: reading an inbox file named eio.pdf fails with EIO."""
import errno
import os
import pathlib

_read_bytes = pathlib.Path.read_bytes


def read_bytes(path):
    if path.name == "eio.pdf":
        with open(os.environ["UPRDEX_TEST_READS"], "a") as reads:
            reads.write("read\\n")
        raise OSError(errno.EIO, os.strerror(errno.EIO), str(path))
    return _read_bytes(path)


pathlib.Path.read_bytes = read_bytes
'''


def test_an_inbox_file_a_failing_disk_cannot_read_is_retried_then_one_line(
    tmp_path: Path,
) -> None:
    # The closing note of session 50: an OSError such as EIO (a failing disk, a network share
    # gone) is retried, then `uprdex run` printed Prefect's traceback, its "Finished in state
    # Failed(...)" line, a flow ERROR line and "failed 2019/eio.pdf: OSError: [Errno 5]
    # Input/output error: 'inbox/2019/eio.pdf'" (the file named twice). After the retries it
    # is a failed file in one line, as a file the run may not read is.
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(_FAILING_DISK, encoding="utf-8")
    year = tmp_path / "inbox" / "2019"
    year.mkdir(parents=True)
    # Bytes of its own: no earlier run's cached extraction answers for it without a read.
    salt = f"\n% {uuid.uuid4().hex}\n".encode()
    (year / "eio.pdf").write_bytes(fixture(GOOD[0]).read_bytes() + salt)
    shutil.copy(fixture(GOOD[1]), tmp_path / "inbox")
    reads = tmp_path / "reads.txt"
    env = uprdex_env(
        UPRDEX_TEST_READS=str(reads),
        PYTHONPATH=os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")]),
    )
    done = run_uprdex("run", "--inbox", "inbox", "--index", "index.sqlite", env=env, cwd=tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert len(reads.read_text().splitlines()) == 3  # read, then retried twice
    assert "Traceback" not in done.stderr and "Errno" not in done.stderr, done.stderr
    said = [line for line in done.stderr.splitlines() if "eio.pdf" in line]
    assert said == [
        "failed 2019/eio.pdf: cannot read (Input/output error) (not copied to the quarantine: "
        "no bytes of it were read)"
    ], done.stderr
    assert "1 indexed" in done.stdout and "1 failed" in done.stdout, done.stdout


_INBOX_OPENS: list[str] = []
"""The files opened for reading by this process while a test counts them (`_count_opens`)."""
_COUNTING: list[str] = []  # the folder whose files are counted, when one is
_HOOKED: list[bool] = []


def _count_opens(event: str, args: tuple[object, ...]) -> None:
    """An audit hook (it cannot be removed: it counts only while `_COUNTING` names a folder)."""
    if event != "open" or not _COUNTING or not isinstance(args[0], str | bytes | Path):
        return
    path, mode, flags = os.fsdecode(args[0]), args[1], args[2]
    reading = mode in ("r", "rb") if mode else not (int(flags or 0) & (os.O_WRONLY | os.O_RDWR))
    if reading and path.startswith(_COUNTING[0]):
        _INBOX_OPENS.append(Path(path).name)


def test_a_run_reads_each_new_inbox_file_once_and_quarantines_the_bytes_read(
    tmp_path: Path,
) -> None:
    # `uprdex run` hashed each inbox file (the scan), read it again in the extract task and,
    # when it failed, a third time for its copy in the quarantine. Now each file is read once:
    # its bytes go to the reader, and the quarantine holds those same bytes.
    paths = _workspace(tmp_path, corrupt=True, salt=uuid.uuid4().hex)
    corrupt = (Path(paths["inbox"]) / "corrupt.pdf").read_bytes()
    config = Config(*(Path(paths[key]) for key in ("inbox", "index", "quarantine", "reports")))
    if not _HOOKED:
        sys.addaudithook(_count_opens)
        _HOOKED.append(True)
    _INBOX_OPENS.clear()
    _COUNTING.append(str(Path(paths["inbox"]).resolve()) + os.sep)
    try:
        summary = ingest_inbox(config)
    finally:
        _COUNTING.clear()
    assert sorted(Path(path).name for path in summary.indexed) == sorted(GOOD)
    assert [Path(path).name for path, _ in summary.failed] == ["corrupt.pdf"]
    opened = {name: _INBOX_OPENS.count(name) for name in _INBOX_OPENS}
    assert opened == dict.fromkeys([*GOOD, "corrupt.pdf"], 1), opened
    (copy,) = Path(paths["quarantine"]).glob("*-corrupt.pdf")
    assert copy.read_bytes() == corrupt


def test_a_nights_readings_are_not_held_in_memory_until_its_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # memory: Prefect kept every reading of a night's batch in the flow run's memory (its
    # results cache, up to 1,000) until the run ended, though a reading is written to the
    # index, and cached on the disk, as soon as it is made: 0.2 MB a WG report, 56 MB more for
    # an inbox of 263 PDFs. Only the readings being written are held now.
    from prefect.results import get_result_store

    paths = _workspace(tmp_path, salt="held-in-memory")
    held: list[object] = []
    build = nightly_module._build

    def noting(*args: object) -> list[str]:
        held.extend(record.result for record in get_result_store().cache.values())
        return build(*args)

    monkeypatch.setattr(nightly_module, "_build", noting)
    summary = nightly(**paths)
    assert sorted(Path(path).name for path in summary.indexed) == sorted(GOOD)
    assert [item for item in held if isinstance(item, Extracted)] == []
