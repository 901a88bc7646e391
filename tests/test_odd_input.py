"""What a researcher's real machine gives uprdex that a clean checkout does not: odd folder and
file names, settings saved by another editor, special files, a CSV cut short. Each ends as one
line naming the file or setting and what is wrong (or works), never a traceback."""

from __future__ import annotations

import hashlib
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from uprdex.flows.ingest import ingest_paths
from uprdex.pipeline.inbox import quarantine
from uprdex.pipeline.settings import LoaderSettings
from uprdex.pipeline.store import Store

from helpers import UPRDEX_MAIN, fixture, ingested, run_uprdex, uprdex_env
from helpers import cli as _cli

REPORT = fixture("andorra2011_recs.pdf")
UPRDEX = Path(sys.executable).parent / "uprdex"
EXIT_SOME_FAILED, EXIT_USAGE = 1, 2


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return ingested((REPORT.name,), tmp_path_factory.mktemp("odd") / "index.sqlite")


def test_square_brackets_in_a_path_or_argument_are_printed_not_read_as_markup(
    index: Path, tmp_path: Path
) -> None:
    # A folder "UPR [final]" or a file "report [final].pdf": rich read the brackets as its
    # markup, so a name lost its "[final]" and a "[/...]" ended in a MarkupError traceback.
    folder = tmp_path / "UPR [/draft] [final]"
    folder.mkdir(parents=True)
    copy = shutil.copy(index, folder / "index.sqlite")
    status = _cli("status", "--index", copy)
    assert status.exit_code == 0 and f"Index {copy}" in status.output
    missing = _cli("ingest", folder / "report [final].pdf", REPORT, "--index", copy)
    assert f"{folder / 'report [final].pdf'}: no such file or folder" in missing.stderr
    assert f"Index {copy}:" in missing.output
    out = folder / "out [final].csv"
    export = _cli("export", "--what", "documents", "--format", "csv", "--out", out, "--index", copy)
    assert export.exit_code == 0 and f"to {out}" in export.stderr
    for command in ("show", "evidence"):
        shown = _cli(command, "A/HRC/16/8", "[/b]", "--index", copy)
        assert shown.exit_code == EXIT_USAGE
        assert shown.stderr.strip() == "error no recommendation [/b] in A/HRC/16/8 in the index"


def test_a_uprdex_toml_saved_by_a_windows_editor_is_read_or_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Notepad's UTF-8 opens with a byte order mark (tomllib: "Invalid statement"); an editor
    # saving in Windows-1252 writes "é" as the byte 0xe9 (a UnicodeDecodeError traceback).
    monkeypatch.chdir(tmp_path)
    toml = tmp_path / "uprdex.toml"
    toml.write_bytes(b'\xef\xbb\xbf[workspace]\nindex = "caf\xc3\xa9.sqlite"\n')
    read = _cli("status")
    assert read.exit_code == 0 and "No index at café.sqlite yet" in read.output
    toml.write_bytes(b'[workspace]\nindex = "caf\xe9.sqlite"\n')
    named = _cli("status")
    assert named.exit_code == EXIT_USAGE
    assert named.stderr.strip() == (
        f"error {toml}: not UTF-8 text (byte 24: invalid continuation byte); save it as UTF-8"
    )


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("UPRDEX_WORKSPACE_LOCK_TIMEOUT", "nan"),
        ("UPRDEX_LOADER_TIMEOUT_SECONDS", "nan"),
        ("UPRDEX_LOADER_TIMEOUT_SECONDS", "inf"),  # review2: no time budget at all
    ],
)
def test_a_setting_that_is_not_a_finite_number_is_refused_by_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, setting: str, value: str
) -> None:
    # NaN passed the range checks (nan < 0 is false); ingest then ended in a traceback
    # (filelock: "timeout must be a number of seconds, not nan").
    monkeypatch.chdir(tmp_path)
    section, name = setting.split("_", 2)[1].lower(), setting.split("_", 2)[2].lower()
    (tmp_path / "uprdex.toml").write_text(f"[{section}]\n{name} = {value}\n", encoding="utf-8")
    from_file = _cli("ingest", REPORT, "--index", tmp_path / "index.sqlite")
    assert from_file.exit_code == EXIT_USAGE
    assert f"uprdex.toml: [{section}] {name} must be a number, got {value}" in from_file.stderr
    (tmp_path / "uprdex.toml").unlink()
    monkeypatch.setenv(setting, value.upper())
    from_variable = _cli("ingest", REPORT, "--index", tmp_path / "index.sqlite")
    assert from_variable.exit_code == EXIT_USAGE
    assert f"{setting}: " in from_variable.stderr
    assert f"got {value.upper()!r}" in from_variable.stderr
    assert not (tmp_path / "index.sqlite").exists()


def test_an_empty_uprdex_index_or_config_variable_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `UPRDEX_INDEX=$IDX uprdex ingest ...` with IDX unset made the index "." (the working
    # folder): ingest ended in a traceback ("unable to open database file") and left a lock
    # named "..lock"; UPRDEX_CONFIG= blamed a ./uprdex.toml nobody named.
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("UPRDEX_INDEX", "")
    ingest = _cli("ingest", REPORT)
    assert ingest.exit_code == EXIT_USAGE
    assert ingest.stderr.strip() == "error UPRDEX_INDEX: [workspace] index must be a path, got ''"
    assert list(tmp_path.iterdir()) == []
    monkeypatch.delenv("UPRDEX_INDEX")
    monkeypatch.setenv("UPRDEX_CONFIG", "")
    status = _cli("status")
    assert status.exit_code == EXIT_USAGE
    assert status.stderr.strip() == (
        "error UPRDEX_CONFIG is empty: name the configuration file, or unset it"
    )


def test_an_index_setting_naming_a_folder_is_one_line_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # UPRDEX_INDEX=~/upr (a folder; --index refuses one, the variable and uprdex.toml did not):
    # a lock ~/upr.lock beside the folder, then SQLite's "unable to open database file" traceback.
    folder = tmp_path / "upr"
    folder.mkdir()
    monkeypatch.setenv("UPRDEX_INDEX", str(folder))
    for args in (["ingest", REPORT], ["cluster"], ["import", "upr-info", REPORT]):
        result = _cli(*args)
        assert result.exit_code == EXIT_USAGE, args
        assert result.stderr.strip() == (
            f"error {folder} is a folder, not an index file: name a file in it "
            f"({folder / 'index.sqlite'})"
        )
    assert sorted(path.name for path in tmp_path.iterdir()) == ["upr"]
    assert list(folder.iterdir()) == []


def test_a_pipe_or_device_named_x_pdf_fails_alone_and_at_once(tmp_path: Path) -> None:
    # A named pipe's open waited for a writer forever (the worker's 120 s, then the main
    # process hung); /dev/zero was read until the main process ran out of memory.
    fifo = tmp_path / "fifo.pdf"
    os.mkfifo(fifo)
    zero = tmp_path / "zero.pdf"
    zero.symlink_to("/dev/zero")
    loop = tmp_path / "loop.pdf"
    loop.symlink_to(loop)
    report = shutil.copy(REPORT, tmp_path / "report.pdf")
    index = tmp_path / "index.sqlite"

    def bounded() -> None:  # a regression must not take the machine's memory
        resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))

    args = [UPRDEX, "ingest", fifo, zero, loop, report, "--index", index]
    result = subprocess.run(args, capture_output=True, text=True, timeout=120, preexec_fn=bounded)
    assert result.returncode == EXIT_SOME_FAILED, result.stderr
    assert f"failed {fifo.name}: cannot read (a named pipe, not a file)" in result.stderr
    assert f"failed {zero.name}: cannot read (a device, not a file)" in result.stderr
    assert f"error {loop}: a symbolic link to nothing (its target is gone, or it points to" in (
        result.stderr
    )
    assert "1 indexed" in result.stdout


UPR_INFO_HEADER = "To,To-Rgrp,To-Org,Text,From,From-Rgrp,From-Org,Response,Action,Issue,Session\n"
UPR_INFO_ROW = (
    'Andorra,WEOG,"OIF, EU",Ratify the ICRMW,Cuba,GRULAC,"OAS",Noted,4,'
    '"International instruments",10\n'
)


@pytest.mark.parametrize(
    ("last_row", "said"),
    [
        (
            "Andorra,WEOG,EU,Ratify the",
            "cut.csv line 4: the row ends before its From, Issue, Response, Session (the file "
            "cut short? download it again)",
        ),
        (UPR_INFO_ROW.replace(",10\n", ",\n"), "cut.csv line 4: Session '' is not a number"),
    ],
)
def test_a_upr_info_row_cut_short_is_named_by_file_and_line(
    index: Path, tmp_path: Path, last_row: str, said: str
) -> None:
    # A download that stopped mid-row, or a row with no session: the message was Python's
    # ("int() argument must be a string ... not 'NoneType'"; "invalid literal for int() with
    # base 10: ''", without the file's name).
    csv = tmp_path / "cut.csv"
    csv.write_text(UPR_INFO_HEADER + UPR_INFO_ROW * 2 + last_row, encoding="utf-8")
    copy = shutil.copy(index, tmp_path / "index.sqlite")
    result = _cli("import", "upr-info", csv, "--index", copy)
    assert result.exit_code == EXIT_SOME_FAILED
    assert result.stderr.strip() == f"failed {said}"


def test_a_thematic_list_that_is_not_a_docx_says_what_it_is(index: Path, tmp_path: Path) -> None:
    # python-docx said "Package not found at 'list.docx'" for a text, an empty file or a PDF
    # saved as .docx, and KeyError("There is no item named '[Content_Types].xml' ...") for a
    # ZIP; a PDF list is read by its bytes now, whatever its name.
    cases = {
        "notes.docx": (b"UPR of Slovenia\n", "neither a Word .docx nor a PDF"),
        "empty.docx": (b"", "an empty file"),
        "old.doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "a Word 97-2003 .doc"),
    }
    archive = tmp_path / "archive.docx"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("notes.txt", "not a Word document")
    for name, (data, _what) in cases.items():
        (tmp_path / name).write_bytes(data)
    cases["archive.docx"] = (b"", "a ZIP archive without a Word document in it")
    for name, (_, what) in cases.items():
        copy = shutil.copy(index, tmp_path / "index.sqlite")
        result = _cli("import", "thematic-list", tmp_path / name, "--index", copy)
        assert result.exit_code == EXIT_SOME_FAILED
        assert result.stderr.strip() == (
            f"failed {name}: not an OHCHR thematic list ({what}); save it as .docx or PDF"
        )
    misnamed = shutil.copy(fixture("svn2014_thematic_list.pdf"), tmp_path / "list.docx")
    read = _cli("import", "thematic-list", misnamed, "--index", copy)
    assert read.exit_code == 0 and "163 recommendations" in read.output


FULL = 36_000
"""A disk that fills at 36 kB a file (above SQLite's 32 kB shared-memory file, below each
export of three reports)."""


def _full_disk() -> None:
    """In the child: no file grows past FULL bytes (EFBIG, as ENOSPC on a full disk)."""
    resource.setrlimit(resource.RLIMIT_FSIZE, (FULL, FULL))


@pytest.fixture(scope="module")
def larger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("larger") / "index.sqlite"
    reports = ("slovenia2014_recs.pdf", "bhutan2014_recs.pdf", "albania2010_recs.pdf")
    with Store(path) as store:
        ingest_paths([fixture(name) for name in reports], store, LoaderSettings(workers=1))
    return path


@pytest.mark.parametrize(
    ("what", "fmt"),
    [("recommendations", "csv"), ("recommendations", "xlsx"), ("matrix", "xlsx")],
)
def test_an_export_cut_by_a_full_disk_leaves_the_old_file_whole(
    larger: Path, tmp_path: Path, what: str, fmt: str
) -> None:
    # The export was written in place: a full disk left half a CSV (or an empty workbook, and
    # openpyxl's traceback) where the last good export was, e.g. the nightly reports/*.csv.
    out = tmp_path / f"{what}.{fmt}"
    args = [UPRDEX, "export", "--what", what, "--format", fmt, "--out", out, "--index", larger]
    subprocess.run(args, check=True, capture_output=True)
    old = out.read_bytes()
    assert len(old) > FULL
    out.write_bytes(old[:-1] + b"\x00")  # an old file the new export would replace
    old = out.read_bytes()
    cut = subprocess.run(args, capture_output=True, text=True, preexec_fn=_full_disk)
    assert cut.returncode == EXIT_USAGE and "Traceback" not in cut.stderr, cut.stderr
    said = "File too large" if fmt == "csv" else "no room for the workbook's sheets in "
    assert cut.stderr.startswith(f"error cannot write {out}: {said}"), cut.stderr
    assert len(cut.stderr.strip().splitlines()) == 1, cut.stderr
    assert out.read_bytes() == old
    assert sorted(path.name for path in tmp_path.iterdir()) == [out.name]


def test_a_report_cut_by_a_full_disk_leaves_the_old_pages_whole(
    larger: Path, tmp_path: Path
) -> None:
    # The report's pages were written in place, by `uprdex report` as by every nightly run: a
    # full disk left half of albania.html where the last good report was.
    out = tmp_path / "html"
    args = [UPRDEX, "report", "--out", out, "--index", larger]
    subprocess.run(args, check=True, capture_output=True)
    old = {path.name: path.read_bytes() for path in out.iterdir()}
    assert min(len(page) for page in old.values()) > FULL
    cut = subprocess.run(args, capture_output=True, text=True, preexec_fn=_full_disk)
    assert {path.name: path.read_bytes() for path in out.iterdir()} == old
    assert cut.returncode == EXIT_USAGE and "Traceback" not in cut.stderr, cut.stderr
    # The page it could not write (it named the folder).
    assert cut.stderr.startswith(f"error cannot write {out}/"), cut.stderr
    assert cut.stderr.rstrip().endswith(".html: File too large"), cut.stderr
    assert len(cut.stderr.strip().splitlines()) == 1, cut.stderr


def test_a_quarantine_copy_cut_by_a_full_disk_is_not_taken_for_a_copy(tmp_path: Path) -> None:
    # A failed file was copied into the quarantine in place: a full disk left part of it there,
    # and every later run, finding a file of that name, kept the part as the copy.
    scan = tmp_path / "inbox" / "scan.pdf"
    scan.parent.mkdir()
    scan.write_bytes(b"%PDF-1.4\n" + os.urandom(3 * FULL))
    folder = tmp_path / "quarantine"
    script = (
        "import hashlib, sys; from pathlib import Path; "
        "from uprdex.pipeline.inbox import quarantine; "
        "scan = Path(sys.argv[1]); sha256 = hashlib.sha256(scan.read_bytes()).hexdigest(); "
        "quarantine(scan, scan.read_bytes(), sha256, 'no text layer', 'load', Path(sys.argv[2]))"
    )
    args = [sys.executable, "-c", script, scan, folder]
    cut = subprocess.run(args, capture_output=True, text=True, preexec_fn=_full_disk)
    assert cut.returncode != 0 and "File too large" in cut.stderr, cut.stderr
    assert not any(folder.iterdir())  # no part of it, no temporary file
    subprocess.run(args, check=True)  # the next run, on a disk with room
    [copy] = folder.glob("*.pdf")
    assert copy.read_bytes() == scan.read_bytes()


def test_a_quarantine_copy_an_earlier_release_cut_short_is_copied_again(tmp_path: Path) -> None:
    # A release that copied in place left part of a copy on a full disk: every later run,
    # finding a file of that name, took the part for the copy, for ever.
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(b"%PDF-1.4\n" + os.urandom(3 * FULL))
    folder = tmp_path / "quarantine"
    sha256 = hashlib.sha256(scan.read_bytes()).hexdigest()
    first = quarantine(scan, scan.read_bytes(), sha256, "no text layer", "load", folder)
    first.write_bytes(scan.read_bytes()[:FULL])  # as the earlier release left it
    again = quarantine(scan, scan.read_bytes(), sha256, "no text layer", "load", folder)
    assert again == first and again.read_bytes() == scan.read_bytes()


def test_an_index_opened_on_a_full_disk_says_so(larger: Path, tmp_path: Path) -> None:
    # Opening an index writes its -shm file (32 kB): on a full disk `uprdex recs` said
    # "not an uprdex index (disk I/O error)", which sent the user to the wrong file.
    copy = tmp_path / "index.sqlite"
    shutil.copy(larger, copy)

    def no_room() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))

    args = [UPRDEX, "recs", "--index", copy, "--limit", "1"]
    done = subprocess.run(args, capture_output=True, text=True, preexec_fn=no_room)
    assert done.returncode == EXIT_USAGE and len(done.stderr.strip().splitlines()) == 1
    assert done.stderr.startswith(f"error cannot write {copy}: disk I/O error (a full disk")
    assert "free some space and run again" in done.stderr
    assert subprocess.run(args, capture_output=True).returncode == 0  # the disk has room again


def test_an_index_on_a_full_disk_is_one_line_and_stays_whole(tmp_path: Path) -> None:
    # SQLite's "database or disk is full" (or "disk I/O error") ended ingest in a traceback.
    reports = [
        shutil.copy(fixture(name), tmp_path)
        for name in ("slovenia2014_recs.pdf", "bhutan2014_recs.pdf", "albania2010_recs.pdf")
    ]
    index = tmp_path / "index.sqlite"

    def small_disk() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (600_000, 600_000))  # room for one

    args = [UPRDEX, "ingest", *reports, "--index", index]
    cut = subprocess.run(args, capture_output=True, text=True, preexec_fn=small_disk)
    assert cut.returncode == EXIT_USAGE and "Traceback" not in cut.stderr, cut.stderr
    assert cut.stdout.count("indexed ") == 1, cut.stdout
    errors = [line for line in cut.stderr.splitlines() if line.startswith("error")]
    assert errors == [
        f"error cannot write {index}: disk I/O error (a full disk, or a disk or share that "
        "failed); the index holds what was written before, whole, with its -wal file beside it "
        "(keep the two together): free some space and run again"
    ]
    with sqlite3.connect(index) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    again = subprocess.run(args, capture_output=True, text=True)
    assert again.returncode == 0 and "3 files: " in again.stdout, again.stderr
    with Store(index) as store:
        assert store.summary()["documents"] == 3


@pytest.fixture
def read_only_disk(tmp_path: Path) -> Iterator[Path]:
    """A folder on a disk mounted read-only (a tmpfs, remounted so; skipped where mounting is
    not allowed); the index of `index` is copied onto it first."""
    folder = tmp_path / "share"
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", folder])
    if mounted.returncode != 0:
        pytest.skip("mount is not allowed here: no read-only disk to try")
    try:
        yield folder
    finally:
        subprocess.run(["umount", folder], capture_output=True)


def _make_read_only(folder: Path) -> None:
    done = subprocess.run(["mount", "-o", "remount,ro", folder], capture_output=True)
    assert done.returncode == 0, done.stderr


def test_an_index_on_a_read_only_disk_is_read(
    index: Path, tmp_path: Path, read_only_disk: Path
) -> None:
    # A colleague's index on a read-only share: SQLite cannot make the write-ahead log's -shm
    # file beside it, and every read command said "not an uprdex index (unable to open
    # database file)".
    shared = Path(shutil.copy(index, read_only_disk / "index.sqlite"))
    _make_read_only(read_only_disk)
    for args in (["status"], ["recs"], ["show", "A/HRC/16/8#85.1"], ["search", "torture"]):
        result = _cli(*args, "--index", shared)
        assert result.exit_code == 0, (args, result.stderr)
    out = tmp_path / "recommendations.csv"
    export = _cli(
        "export", "--what", "recommendations", "--format", "csv", "--out", out, "--index", shared
    )
    assert export.exit_code == 0 and b"A/HRC/16/8#85.1" in out.read_bytes()
    ingest = _cli("ingest", REPORT, "--index", shared)
    assert ingest.exit_code == EXIT_USAGE
    assert ingest.stderr.startswith(f"error cannot write {shared}.lock: "), ingest.stderr
    assert sorted(path.name for path in read_only_disk.iterdir()) == ["index.sqlite"]


def test_an_index_whose_last_writes_are_in_its_wal_file_is_not_read_stale(
    index: Path, read_only_disk: Path
) -> None:
    # review2: opened as immutable, SQLite ignores the -wal file: the transactions in it (an
    # ingest cut short by a full disk, a copy taken while uprdex wrote) were silently missing.
    shared = Path(shutil.copy(index, read_only_disk / "index.sqlite"))
    (read_only_disk / "index.sqlite-wal").write_bytes(b"")
    _make_read_only(read_only_disk)
    result = _cli("recs", "--index", shared)
    assert result.exit_code == EXIT_USAGE
    assert result.stderr.strip() == (
        f"error {shared}: cannot read it from here, as SQLite needs to write beside it "
        "(unable to open database file): copy the index (and its -wal file, if there is one) "
        "to a folder you can write"
    )


@contextmanager
def _read_only(path: Path) -> Iterator[None]:
    """`path` read-only during the block (for root, whom permissions do not stop: immutable)."""
    if os.geteuid() == 0:
        if subprocess.run(["chattr", "+i", path], capture_output=True).returncode != 0:
            pytest.skip("chattr +i is not available here: no read-only file for root")
    else:
        path.chmod(0o444)
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", path], capture_output=True)
        path.chmod(0o644)


def test_a_read_only_index_file_is_read_and_a_write_is_one_line(
    index: Path, tmp_path: Path
) -> None:
    # review2: ingest, cluster and cluster link on a read-only index file (in a folder one can
    # write) ended in SQLite's "attempt to write a readonly database" traceback.
    index = Path(shutil.copy(index, tmp_path / "read_only.sqlite"))
    with _read_only(index):
        assert _cli("recs", "--index", index).exit_code == 0
        for args in (
            ["ingest", fixture("algeria2008_recs.pdf")],
            ["cluster", "--granularity", "1"],
        ):
            result = _cli(*args, "--index", index)
            assert result.exit_code == EXIT_USAGE, result.stderr
            assert result.stderr.strip() == (
                f"error cannot write {index}: it is read-only (the file, its folder or its "
                "disk); make it writable, or copy it where you can write"
            )


@pytest.mark.parametrize(
    ("change", "written"),
    [
        (
            "UPDATE meta SET value = '6' WHERE key = 'schema_version'",
            "an older uprdex, and this one brings it up to date",
        ),
        # Views change without a new schema: "an older uprdex" was untrue of a newer one's.
        (
            "UPDATE meta SET value = '0000' WHERE key = 'views_sha256'",
            "another uprdex release, and this one makes its views and States its own",
        ),
        # A table rebuilt in another program drops its triggers: no release was involved
        # (fix11's limit: it said "another uprdex release").
        (
            "DROP TRIGGER recommendation_lists_ai",
            "another program (it dropped uprdex's views, list triggers or rows), and this one "
            "makes them again",
        ),
    ],
)
def test_a_read_only_index_another_release_wrote_says_why_it_is_written(
    index: Path, tmp_path: Path, change: str, written: str
) -> None:
    # An index of an earlier release is brought up to date on opening: read-only, `uprdex recs`
    # said "cannot write i.sqlite: it is read-only", not why a command that reads writes (the
    # message saying so was never reached: the transaction's came first).
    index = Path(shutil.copy(index, tmp_path / "older.sqlite"))
    with sqlite3.connect(index) as db:
        db.execute(change)
    with _read_only(index):
        for args in (["recs"], ["ingest", fixture("algeria2008_recs.pdf")]):
            result = _cli(*args, "--index", index)
            assert result.exit_code == EXIT_USAGE, result.stderr
            assert result.stderr.strip() == (
                f"error {index} was written by {written} before reading it, which writes it; "
                "it is read-only (the file, its folder or its disk): make it writable, or copy "
                "it where you can write"
            )


@pytest.mark.parametrize(
    "command", ["train-themes", "train-similarity", "train-word-vectors", "train-pairs"]
)
def test_training_on_a_csv_saved_by_excel_is_one_line(tmp_path: Path, command: str) -> None:
    # Excel's "CSV" is Windows-1252: "Côte d'Ivoire" has the byte 0xf4, and every train-*
    # command ended in a UnicodeDecodeError traceback.
    csv = tmp_path / "excel.csv"
    row = UPR_INFO_ROW.replace("Ratify the ICRMW", "Ratify the ICRMW, as Côte d'Ivoire did")
    csv.write_bytes((UPR_INFO_HEADER + row * 3).encode("cp1252"))
    result = _cli(command, csv, "--out", tmp_path / "model")
    assert result.exit_code == EXIT_SOME_FAILED
    assert result.stderr.strip() == (
        "error excel.csv: not a UTF-8 text file (invalid continuation byte); save it as UTF-8"
    )
    assert not (tmp_path / "model").exists()


def test_another_programs_database_given_as_the_index_is_left_as_it_is(tmp_path: Path) -> None:
    # `--index ~/.mozilla/.../places.sqlite` (a mistyped path): `uprdex recs` wrote uprdex's
    # 60-odd tables and views into it and switched it to write-ahead logging, then showed
    # "0 recommendations".
    other = tmp_path / "places.sqlite"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
        db.execute("INSERT INTO moz_places (url) VALUES ('https://www.upr-info.org')")
    db.close()
    before = other.read_bytes()
    for args in (["recs"], ["status"], ["ingest", REPORT]):
        result = _cli(*args, "--index", other)
        assert result.exit_code == EXIT_USAGE, args
        assert result.stderr.strip() == (
            f"error {other}: not an uprdex index (another program's database, with the tables "
            "moz_places); left as it is"
        )
    assert other.read_bytes() == before


def test_an_export_to_a_symbolic_link_writes_the_file_it_names(index: Path, tmp_path: Path) -> None:
    # reports/recommendations.csv linked to a file in a synced folder: the link is written
    # through, as before exports were renamed into place (783a142 replaced the link itself).
    real = tmp_path / "synced" / "recommendations.csv"
    real.parent.mkdir()
    real.write_text("old\n", encoding="utf-8")
    link = tmp_path / "recommendations.csv"
    link.symlink_to(real)
    result = _cli(
        "export", "--what", "documents", "--format", "csv", "--out", link, "--index", index
    )
    assert result.exit_code == 0
    assert link.is_symlink() and real.read_text(encoding="utf-8-sig").startswith("sha256,")
    assert sorted(path.name for path in real.parent.iterdir()) == ["recommendations.csv"]


FULL_INDEX_RUN = (
    """
from uprdex.pipeline.errors import OutputError
from uprdex.pipeline.store import Store

def full(self, *args, **kwargs):
    raise OutputError(f"cannot write {self.path}: database or disk is full; the index holds "
                      "what was written before, whole: free some space and run again")

Store.write_document = full
"""
    + UPRDEX_MAIN
)


def test_a_nightly_run_stopped_by_its_index_is_one_line(tmp_path: Path) -> None:
    # The index's disk filled during `uprdex run`: the error line came after Prefect's
    # 30-line "Encountered exception during execution" traceback.
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(REPORT, inbox)
    index = tmp_path / "index.sqlite"
    env = uprdex_env(HOME=str(tmp_path / "home"))
    args = ["run", "--inbox", inbox, "--index", index]
    done = run_uprdex(*args, script=FULL_INDEX_RUN, env=env, timeout=600)
    assert done.returncode == EXIT_USAGE, done.stderr
    assert "Traceback" not in done.stderr and "Encountered exception" not in done.stderr
    # Prefect's own shutdown notes may come too on a busy machine ("EventsWorker - Still
    # processing items", from any of its workers): one line each, none about the error.
    notes = "Still processing items"
    assert [line for line in done.stderr.splitlines() if notes not in line] == [
        f"error cannot write {index}: database or disk is full; the index holds what was "
        "written before, whole: free some space and run again"
    ]
