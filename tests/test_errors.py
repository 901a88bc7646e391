"""Every error a user can cause ends as one line naming the file or setting and what to do,
with its documented exit code (0 done, 1 some files failed, 2 bad usage or setup, 75 index
busy), never a traceback: the CLI's one error boundary (flows/cli/__init__.py)."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from filelock import FileLock

from uprdex.flows.cli import main

from helpers import fixture, ingested, uprdex_env

UPRDEX = Path(sys.executable).parent / "uprdex"
EXIT_USAGE, EXIT_BUSY = 2, 75
REPORT = fixture("andorra2011_recs.pdf")


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return ingested((REPORT.name,), tmp_path_factory.mktemp("errors") / "index.sqlite")


def _uprdex(*args: str | Path, cwd: Path | None = None) -> tuple[int, str]:
    """Run the installed command; its exit code and its one line of error (asserted)."""
    done = subprocess.run(
        [str(UPRDEX), *map(str, args)], capture_output=True, text=True, cwd=cwd, timeout=300
    )
    return done.returncode, _one_line(done.stdout + done.stderr, done.stderr)


def _one_line(output: str, errors: str) -> str:
    assert "Traceback" not in output, output
    lines = [line for line in errors.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error "), output
    return lines[0]


def _in_process(args: list[str]) -> tuple[int, str]:
    """The CLI in this process (to stand in a broken model or a missing extra)."""
    result: Result = CliRunner().invoke(main, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, _one_line(result.output, result.stderr)


def test_every_help_documents_the_exit_codes() -> None:
    runner = CliRunner()
    for command in [None, *main.commands]:
        result = runner.invoke(main, [command, "--help"] if command else ["--help"])
        text = " ".join(result.output.split())
        assert "Exit codes: 0 done; 1 some files failed" in text, command
        assert "2 bad usage or setup" in text and "75 the index is busy" in text, command


@pytest.mark.parametrize(
    ("toml", "named"),
    [
        ('[workspace\nindex = "x.sqlite"\n', "not valid TOML (Expected ']'"),
        ('[workspace]\nlock_timeout = "soon"\n', "lock_timeout must be a number, got 'soon'"),
        ("[workspace]\ninbox = 3\n", "inbox must be a path, got 3"),
        ('[schedule]\ncron = "0 2 *"\n', "cron must have 5 fields"),
        ('[schedule]\ntimezone = "Mars/Olympus"\n', "unknown time zone 'Mars/Olympus'"),
        ("[nonsense]\nx = 1\n", "unknown section [nonsense]"),
    ],
)
def test_a_bad_uprdex_toml_is_one_line_naming_the_file_and_setting(
    tmp_path: Path, toml: str, named: str
) -> None:
    (tmp_path / "uprdex.toml").write_text(toml, encoding="utf-8")
    code, line = _uprdex("status", cwd=tmp_path)
    assert code == EXIT_USAGE and "uprdex.toml: " in line and named in line, line


def test_an_index_of_a_newer_uprdex_is_one_line(index: Path, tmp_path: Path) -> None:
    newer = tmp_path / "newer.sqlite"
    newer.write_bytes(index.read_bytes())
    with sqlite3.connect(newer) as db:
        db.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    db.close()
    for args in (["recs"], ["ingest", str(REPORT)]):
        code, line = _uprdex(*args, "--index", newer)
        assert code == EXIT_USAGE
        assert str(newer) in line and "newer uprdex" in line and "upgrade uprdex" in line, line


def test_an_index_another_program_is_writing_is_busy(index: Path, tmp_path: Path) -> None:
    # DB Browser with unsaved changes holds a write transaction on the file: reading goes on,
    # writing waits workspace.lock_timeout, then exits 75.
    (tmp_path / "uprdex.toml").write_text("[workspace]\nlock_timeout = 0\n", encoding="utf-8")
    other = sqlite3.connect(index, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        read = subprocess.run(
            [UPRDEX, "recs", "--index", index], capture_output=True, text=True, cwd=tmp_path
        )
        written = [_uprdex(*args, "--index", index, cwd=tmp_path) for args in (["cluster"],)]
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert read.returncode == 0 and "recommendations" in read.stdout, read.stderr
    for code, line in written:
        assert code == EXIT_BUSY and str(index) in line and "try again" in line, line


def test_a_file_that_is_not_an_index_is_one_line(tmp_path: Path) -> None:
    broken = tmp_path / "index.sqlite"
    broken.write_bytes(b"SQLite format 3\x00" + b"\x07" * 5000)
    code, line = _uprdex("recs", "--index", broken)
    assert code == EXIT_USAGE and str(broken) in line and "not an uprdex index" in line


@pytest.fixture
def model_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty folder the theme and similarity models are read from."""
    import uprdex.flows.ingest
    import uprdex.pipeline.semantic
    import uprdex.pipeline.theme_model

    folder = tmp_path / "models"
    folder.mkdir()
    monkeypatch.setattr(uprdex.pipeline.theme_model, "DEFAULT_MODEL_DIR", folder)
    monkeypatch.setattr(uprdex.pipeline.semantic, "DEFAULT_MODEL_DIR", folder)
    monkeypatch.setattr(uprdex.flows.ingest, "_warmed", False)
    yield folder


@pytest.mark.parametrize(
    ("files", "named"),
    [
        ({}, "no theme model in {folder}"),
        ({"model.npz": b"junk", "metadata.json": b'{"format": 2}'}, "not a model archive"),
        ({"model.npz": b"PK\x05\x06" + bytes(18), "metadata.json": b"{"}, "unreadable metadata"),
        ({"model.npz": b"PK\x05\x06" + bytes(18), "metadata.json": b"[]"}, "format None"),
        ({"model.npz": b"PK\x05\x06" + bytes(18), "metadata.json": b'{"format": 2}'}, "unreadable"),
    ],
)
def test_missing_or_corrupt_theme_model_is_one_line(
    model_dir: Path, tmp_path: Path, files: dict[str, bytes], named: str
) -> None:
    for name, data in files.items():
        (model_dir / name).write_bytes(data)
    code, line = _in_process(["ingest", str(REPORT), "--index", str(tmp_path / "i.sqlite")])
    assert code == EXIT_USAGE and named.format(folder=model_dir) in line, line
    assert "train-themes" in line or "retrain" in line, line


def test_missing_or_corrupt_similarity_model_is_one_line(model_dir: Path, index: Path) -> None:
    code, line = _in_process(["cluster", "--index", str(index)])
    assert code == EXIT_USAGE and f"no similarity model in {model_dir}" in line
    (model_dir / "model.npz").write_bytes(b"PK\x05\x06" + bytes(18))
    (model_dir / "metadata.json").write_bytes(b'{"format": 1}')
    code, line = _in_process(["cluster", "--index", str(index)])
    assert code == EXIT_USAGE and "unreadable model" in line and "train-similarity" in line


@pytest.mark.parametrize(
    "command", ["train-themes", "train-similarity", "train-word-vectors", "train-pairs"]
)
def test_training_without_scikit_learn_is_one_line(
    command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "sklearn", None)  # import sklearn raises ImportError
    data = fixture("upr_info_slovenia_s20.csv")
    code, line = _in_process([command, str(data), "--out", str(tmp_path / "model")])
    assert code == EXIT_USAGE
    assert line == f"error uprdex {command} needs the train extra: pip install 'uprdex[train]'"


def test_a_busy_index_has_its_own_exit_code(index: Path, tmp_path: Path) -> None:
    (tmp_path / "uprdex.toml").write_text("[workspace]\nlock_timeout = 0\n", encoding="utf-8")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    with FileLock(f"{index}.lock"):  # another uprdex run is writing the index
        for args in (
            ["ingest", REPORT],
            ["cluster"],
            ["import", "upr-info", fixture("upr_info_slovenia_s20.csv")],
            ["run", "--inbox", inbox],
        ):
            code, line = _uprdex(*args, "--index", index, cwd=tmp_path)
            assert code == EXIT_BUSY, (args, line)
            assert f"{index} is being written by another uprdex run" in line
            assert "try again" in line


def test_an_output_that_cannot_be_written_is_one_line(index: Path, tmp_path: Path) -> None:
    blocking = tmp_path / "a-file"
    blocking.write_text("not a folder\n", encoding="utf-8")
    cases = [
        ["export", "--what", "evidence", "--format", "xlsx", "--out", blocking / "x.xlsx"],
        ["export", "--what", "evidence", "--format", "csv", "--out", blocking / "x.csv"],
        ["report", "--out", blocking / "html"],
    ]
    for args in cases:
        code, line = _uprdex(*args, "--index", index)
        assert code == EXIT_USAGE and f"{blocking} is a file, not a folder" in line, line
    code, line = _uprdex("ingest", REPORT, "--index", blocking / "index.sqlite")
    assert code == EXIT_USAGE and f"{blocking} is a file, not a folder" in line, line
    (tmp_path / "uprdex.toml").write_text(
        f'[workspace]\nreports = "{blocking / "reports"}"\n', encoding="utf-8"
    )
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    code, line = _uprdex("run", "--inbox", inbox, "--index", index, cwd=tmp_path)
    assert code == EXIT_USAGE and f"cannot write {blocking / 'reports'}" in line, line


def test_ctrl_c_is_its_own_exit_code_and_one_line(tmp_path: Path) -> None:
    # probe: Ctrl-C ended a command with "Aborted!" and exit 1, the code for "some files
    # failed"; a script could not tell an interrupted run from a partial failure.
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for number in range(40):  # bytes of their own: each is read
        (inbox / f"copy{number}.pdf").write_bytes(REPORT.read_bytes() + b"%" * (number + 1))
    index = tmp_path / "index.sqlite"
    ingest = subprocess.Popen(
        [str(UPRDEX), "ingest", str(inbox), "--index", str(index), "--workers", "1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=uprdex_env(),
    )
    assert ingest.stdout is not None
    ingest.stdout.readline()  # the first document is in
    ingest.send_signal(signal.SIGINT)
    _, stderr = ingest.communicate(timeout=120)
    assert ingest.returncode == 130, stderr
    assert stderr.strip().splitlines()[-1] == (
        "interrupted: what was written before is kept, whole; run the command again to go on"
    )
    assert "Traceback" not in stderr
