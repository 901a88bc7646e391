"""The hostile corpus (tests/hostile.py) dropped with three good real PDFs, run through
`uprdex ingest` and through the nightly flow: the good three indexed, every hostile file failed
or needs_ocr with its own one-line reason (and, by the flow, quarantined with a .error.json),
every original byte-identical, exit code 1, the whole batch bounded in time."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from uprdex.flows.extract import extract_file
from uprdex.pipeline.names import NAME_NOT_UTF8, display_name, path_text

from helpers import fixture
from hostile import CORPUS, Hostile, make_corpus

# The good files and their symbols; each gets bytes of its own (a comment appended) so that no
# extraction cached by another test's flow run answers for it.
GOOD = {
    "slovenia2014_recs.pdf": "A/HRC/28/15",
    "andorra2011_recs.pdf": "A/HRC/16/8",
    "algeria2008_recs.pdf": "A/HRC/8/29",
}
# The bombs take 2-6 s each to hit the 1 GB memory cap; the rest is fast. A document that
# instead ran into the 120 s time budget would break this bound.
CLI_SECONDS = 90.0
FLOW_SECONDS = 150.0  # the flow also starts task-runner processes and writes the exports
UPRDEX = Path(sys.executable).parent / "uprdex"


@dataclass
class Run:
    """One ingest of the corpus and what it left behind."""

    how: str
    root: Path
    made: list[Hostile]
    before: dict[str, str]
    after: dict[str, str]
    seconds: float
    documents: dict[str, dict[str, Any]]
    index: Path
    exit_code: int | None = None
    output: str = ""
    failed: list[str] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)

    @property
    def inbox(self) -> Path:
        return self.root / "inbox"

    @property
    def quarantine(self) -> Path:
        return self.root / "quarantine"

    def recommendations(self, sha256: str) -> set[tuple[str, str]]:
        """(paragraph, text) of the recommendations stored for one document."""
        with _connect(self.index) as db:
            rows = db.execute(
                "SELECT paragraph, text FROM recommendations WHERE document_sha256 = ?", (sha256,)
            ).fetchall()
        return {(row["paragraph"], row["text"]) for row in rows}


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    """A temporary Prefect API, started only if a flow test runs."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        yield


@pytest.fixture(scope="module", params=["cli", pytest.param("flow", marks=pytest.mark.prefect)])
def run(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Run:
    """The corpus and the good three, ingested once per way in."""
    root = tmp_path_factory.mktemp(f"hostile-{request.param}")
    made = make_corpus(root / "inbox", root / "outside")
    for name in GOOD:
        data = fixture(name).read_bytes() + b"\n% hostile corpus\n"
        (root / "inbox" / name).write_bytes(data)
    before = _hashes(root)
    index = root / "index.sqlite"
    start = time.monotonic()
    if request.param == "cli":
        done = subprocess.run(
            [str(UPRDEX), "ingest", str(root / "inbox"), "--index", str(index), "--workers", "2"],
            capture_output=True,
            text=True,
            timeout=600,
        )
        seconds = time.monotonic() - start
        extra: dict[str, Any] = {
            "exit_code": done.returncode,
            "output": done.stdout + done.stderr,
        }
    else:
        request.getfixturevalue("prefect_harness")
        from uprdex.flows.nightly import nightly

        start = time.monotonic()
        summary = nightly(
            str(root / "inbox"), str(index), str(root / "quarantine"), str(root / "reports")
        )
        seconds = time.monotonic() - start
        extra = {"failed": [path for path, _ in summary.failed], "warnings": summary.warnings}
    with _connect(index) as db:
        documents = {
            Path(row["path"]).name: dict(row) for row in db.execute("SELECT * FROM documents")
        }
    return Run(request.param, root, made, before, _hashes(root), seconds, documents, index, **extra)


@pytest.mark.parametrize("item", CORPUS, ids=lambda item: ascii(item.name)[1:-1])
def test_each_hostile_file_fails_alone_with_its_reason(run: Run, item: Hostile) -> None:
    if item not in run.made:
        pytest.skip(f"{item.name} is made from the shared corpus, which is absent")
    if not item.scanned:
        assert path_text(item.name) not in run.documents, f"{item.kind} was ingested"
        return
    name = path_text(item.name)  # as the index stores it
    assert name in run.documents, f"{item.kind}: no documents row"
    row = run.documents[name]
    assert row["status"] in item.statuses, f"{item.kind}: {row['status']} ({row['error']})"
    if row["status"] == "indexed":
        _assert_read_correctly(run, item, row)
        if name != item.name:  # a whole real report under a name that is not UTF-8
            assert run.recommendations(row["sha256"]) == _printed(item.source)
            assert NAME_NOT_UTF8 in json.loads(row["warnings"])
            shown = run.output if run.how == "cli" else str(run.warnings)
            assert NAME_NOT_UTF8 in shown, "the warning is not shown"
        return
    error = row["error"]
    assert "\n" not in error and len(error) < 300, f"not one short line: {error!r}"
    assert not error.startswith(f"{display_name(Path(item.name))}: "), error  # path names it
    assert any(reason in error for reason in item.reasons), f"{item.kind}: {error}"
    if run.how == "flow":
        _assert_quarantined(run, item, row)


def _assert_read_correctly(run: Run, item: Hostile, row: dict[str, Any]) -> None:
    """A file pdfium reads despite the damage must give what the whole file gives, or less:
    never another symbol, never a recommendation the whole file does not print."""
    if item.source is None:
        return
    whole = extract_file(item.source)
    assert (row["type"], row["symbol"]) == (whole.document.type, whole.document.symbol)
    assert run.recommendations(row["sha256"]) <= _printed(item.source)


def _printed(source: Path | None) -> set[tuple[str, str]]:
    """(paragraph, text) of every recommendation the whole real file prints."""
    assert source is not None
    report = extract_file(source).report
    assert report is not None
    return {(rec.paragraph, rec.text) for rec in report.recommendations}


def _assert_quarantined(run: Run, item: Hostile, row: dict[str, Any]) -> None:
    reports = [
        json.loads(path.read_text(encoding="utf-8")) for path in run.quarantine.glob("*.error.json")
    ]
    mine = [report for report in reports if report["sha256"] == row["sha256"]]
    assert len(mine) == 1, f"{item.kind}: {len(mine)} quarantine reports"
    assert mine[0]["reason"] == f"{display_name(Path(item.name))}: {row['error']}"
    assert mine[0]["file"] == path_text(run.inbox / item.name)
    copy = next(
        path
        for path in run.quarantine.iterdir()
        if path.name.startswith(row["sha256"][:12]) and not path.name.endswith(".error.json")
    )
    assert copy.parent == run.quarantine and "\n" not in copy.name and ".." not in copy.name[:13]
    assert _sha256(copy) == row["sha256"]


def test_the_good_files_are_indexed_whole(run: Run) -> None:
    for name, symbol in GOOD.items():
        row = run.documents[name]
        assert (row["status"], row["symbol"]) == ("indexed", symbol)
        expected = extract_file(fixture(name)).report
        assert expected is not None
        assert run.recommendations(row["sha256"]) == {
            (rec.paragraph, rec.text) for rec in expected.recommendations
        }


def test_nothing_outside_the_inbox_is_read(run: Run) -> None:
    secret = _sha256(run.root / "outside" / "secret.pdf")
    assert all(row["sha256"] != secret for row in run.documents.values())
    quarantined = run.quarantine.glob("*") if run.quarantine.exists() else []
    assert not [path for path in quarantined if path.name.startswith(secret[:12])]


def test_every_original_is_byte_identical(run: Run) -> None:
    assert run.after == run.before


def test_the_batch_reports_failure_in_bounded_time(run: Run) -> None:
    if run.how == "cli":
        assert run.exit_code == 1, run.output
        assert run.seconds < CLI_SECONDS
    else:
        failed = {Path(path).name for path in run.failed}
        refused = {name for name, row in run.documents.items() if row["status"] != "indexed"}
        assert failed == refused
        assert run.seconds < FLOW_SECONDS
    with _connect(run.index) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def _hashes(root: Path) -> dict[str, str]:
    """sha256 of every file under root (inbox and outside; a symlink by where it points)."""
    found: dict[str, str] = {}
    for path in sorted([*(root / "inbox").rglob("*"), *(root / "outside").rglob("*")]):
        if path.is_symlink():
            found[str(path)] = f"-> {path.readlink()}"
        elif path.is_file():
            found[str(path)] = _sha256(path)
    return found


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@contextmanager
def _connect(index: Path) -> Iterator[sqlite3.Connection]:
    db = sqlite3.connect(index)
    db.row_factory = sqlite3.Row
    try:
        yield db
    finally:
        db.close()
