"""A failed file's line names it by its path under the inbox (or the folder given), so that
two files of one name in two subfolders are told apart; a file at the top keeps its name.
`uprdex ingest`, `uprdex run` (and so `watch` and the nightly flow) said "failed report.pdf"
for data/inbox/2019/report.pdf and data/inbox/2014/report.pdf alike. `uprdex run`'s warning
line names its file the same way."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from uprdex.flows.cli import main

from helpers import fixture, run_uprdex, uprdex_command, uprdex_env


def _inbox(tmp_path: Path) -> Path:
    """An inbox with two saved error pages named report.pdf, in 2019/ and 2014/, and one
    more at its top."""
    inbox = tmp_path / "inbox"
    for year in ("2019", "2014"):
        (inbox / year).mkdir(parents=True)
        (inbox / year / "report.pdf").write_bytes(f"<html>404 {year}</html>".encode())
    (inbox / "top.pdf").write_bytes(b"<html>404 top</html>")
    return inbox


def _failed(errors: str, start: str) -> list[str]:
    return sorted(line.split(": ")[0] for line in errors.splitlines() if line.startswith(start))


def test_ingest_of_a_folder_names_a_failed_file_by_its_path_in_that_folder(
    tmp_path: Path,
) -> None:
    inbox = _inbox(tmp_path)
    index = str(tmp_path / "index.sqlite")
    result = CliRunner().invoke(main, ["ingest", str(inbox), "--index", index])
    assert result.exit_code == 1, result.output
    expected = [f"failed {os.path.join('2014', 'report.pdf')}", "failed top.pdf"]
    expected.insert(0, f"failed {os.path.join('2019', 'report.pdf')}")
    assert _failed(result.stderr, "failed ") == sorted(expected), result.stderr
    assert "an HTML page" in result.stderr


def test_ingest_tells_apart_a_file_at_a_folders_top_and_one_of_its_name_given_alone(
    tmp_path: Path,
) -> None:
    # review19 finding 4, a third way: `uprdex ingest inbox other/top.pdf` said "failed top.pdf"
    # of both; each is now named by the last parts of its path that tell them apart.
    inbox = _inbox(tmp_path)
    (tmp_path / "other").mkdir()
    alone = tmp_path / "other" / "top.pdf"
    alone.write_bytes(b"<html>404 alone</html>")
    index = str(tmp_path / "index.sqlite")
    result = CliRunner().invoke(main, ["ingest", str(inbox), str(alone), "--index", index])
    assert result.exit_code == 1, result.output
    expected = [f"failed {os.path.join(folder, 'top.pdf')}" for folder in ("inbox", "other")]
    expected += [f"failed {os.path.join(year, 'report.pdf')}" for year in ("2019", "2014")]
    assert _failed(result.stderr, "failed ") == sorted(expected), result.stderr


@pytest.mark.prefect
def test_run_names_a_failed_and_a_still_failed_file_by_its_path_in_the_inbox(
    tmp_path: Path,
) -> None:
    inbox = _inbox(tmp_path)
    args = ["run", "--inbox", inbox, "--index", tmp_path / "index.sqlite"]
    names = sorted(
        [os.path.join("2019", "report.pdf"), os.path.join("2014", "report.pdf"), "top.pdf"]
    )
    for _ in ("failed now", "failed on an earlier run"):
        done = run_uprdex(*args, cwd=tmp_path)
        assert done.returncode == 1, done.stdout + done.stderr
        assert _failed(done.stderr, "failed ") == [f"failed {name}" for name in names], done.stderr
    assert done.stderr.count("(on an earlier run)") == 3, done.stderr
    # review29: "(on an earlier run) (copied to .../quarantine)": nothing was copied by this run.
    assert "(on an earlier run) (" not in done.stderr, done.stderr


@pytest.mark.prefect
def test_watch_names_a_still_failed_file_by_its_path_in_the_inbox(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    (inbox / "2019").mkdir(parents=True)
    (inbox / "2019" / "report.pdf").write_bytes(b"<html>404</html>")
    args = ["watch", "--debounce", "0", "--inbox", inbox, "--index", tmp_path / "index.sqlite"]
    watcher = subprocess.Popen(
        uprdex_command(*args),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=uprdex_env(),
        cwd=tmp_path,
    )
    deadline = threading.Timer(300, watcher.kill)  # a watcher that never says its summary
    deadline.start()
    try:
        assert watcher.stdout is not None
        for burst in ("first", "second"):
            lines: list[str] = []
            while not lines or not (lines[-1].endswith(" failed\n") or lines[-1] == ""):
                lines.append(watcher.stdout.readline())  # up to the run's summary
            if burst == "first":  # a second burst, 2019/report.pdf still in the inbox
                shutil.copy(fixture("andorra2011_recs.pdf"), inbox)
        watcher.send_signal(signal.SIGINT)
        errors = watcher.communicate(timeout=120)[1]
    finally:
        deadline.cancel()
        watcher.kill()
    shown = os.path.join("2019", "report.pdf")
    assert _failed(errors, "failed ") == [f"failed {shown}"], errors
    assert _failed(errors, "still failed ") == [f"still failed {shown}"], errors


@pytest.mark.prefect
def test_a_failed_reading_from_the_cache_names_this_run_s_file(tmp_path: Path) -> None:
    # Seen in the full suite: `uprdex run` said "failed report.pdf: an HTML page" of broken.pdf,
    # whose bytes another workspace's report.pdf had (Prefect's cache of extractions is keyed
    # on the bytes, and the cached error named the file that was read).
    page = f"<html>404 {tmp_path}</html>".encode()  # bytes no other test's file has
    for workspace, name in (("first", "report.pdf"), ("second", "broken.pdf")):
        inbox = tmp_path / workspace / "inbox"
        inbox.mkdir(parents=True)
        (inbox / name).write_bytes(page)
        index = tmp_path / workspace / "index.sqlite"
        done = run_uprdex("run", "--inbox", inbox, "--index", index, cwd=tmp_path)
        assert done.returncode == 1, done.stdout + done.stderr
        assert _failed(done.stderr, "failed ") == [f"failed {name}"], done.stderr


@pytest.mark.prefect
def test_run_names_a_file_with_a_warning_by_its_path_in_the_inbox(tmp_path: Path) -> None:
    # review29 finding 6: `uprdex run` said "warning /tmp/r29/inbox/broken_copy.pdf: damaged
    # PDF ..." while its other lines name a file by its path in the inbox.
    data = fixture("andorra2011_recs.pdf").read_bytes()
    (tmp_path / "inbox" / "2019").mkdir(parents=True)
    (tmp_path / "inbox" / "2019" / "report.pdf").write_bytes(
        data  # an appended update with an empty xref section (test_loader's damaged PDF)
        + b"\nxref\ntrailer\n<</Size 869/Root 1 0 R/Prev 177131>>\nstartxref\n"
        + str(len(data) + 1).encode()
        + f"\n%%EOF\n% {tmp_path}\n".encode()  # bytes of its own: no cached reading
    )
    args = ["run", "--inbox", tmp_path / "inbox", "--index", tmp_path / "index.sqlite"]
    done = run_uprdex(*args, cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    warned = [line.strip() for line in done.stderr.splitlines() if "damaged PDF" in line]
    shown = os.path.join("2019", "report.pdf")
    assert [line.split(": ")[0] for line in warned] == [f"warning {shown}"], done.stderr
