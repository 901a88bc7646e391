"""A copy, within one batch, of a file met before it (the same bytes under another name): read
once, and said as a copy of that file with its outcome, after it, by `uprdex ingest` and
`uprdex run` alike."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from uprdex.flows.cli import main

from helpers import fixture, run_uprdex
from hostile import _scan


def _twins(folder: Path) -> Path:
    """`folder` holding a.pdf (a WG report), b.pdf (a byte copy of it), c.pdf (a scan, no
    text layer) and d.pdf (a byte copy of c): review27 finding 4's batch."""
    folder.mkdir(parents=True)
    shutil.copy(fixture("andorra2011_recs.pdf"), folder / "a.pdf")
    shutil.copy(folder / "a.pdf", folder / "b.pdf")
    (folder / "c.pdf").write_bytes(_scan())
    shutil.copy(folder / "c.pdf", folder / "d.pdf")
    return folder


# review27 finding 4: in a fresh index this printed 'unchanged twin/d.pdf' (warning: 'the same
# file as twin/c.pdf') before c.pdf's 'needs_ocr' line, and '4 files: 1 indexed, 2 unchanged,
# 1 failed': nothing was indexed before, and d.pdf is as unreadable as c.pdf.
def test_a_copy_in_one_ingest_is_said_after_its_original_with_its_outcome(
    tmp_path: Path,
) -> None:
    twin = _twins(tmp_path / "twin")
    index = str(tmp_path / "index.sqlite")
    result = CliRunner().invoke(main, ["ingest", str(twin), "--index", index, "--workers", "2"])
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    scan = next(
        i for i, line in enumerate(lines) if line.startswith("needs_ocr c.pdf: no text layer")
    )
    copy = lines.index(f"copy {twin}/d.pdf: the same file as c.pdf (needs_ocr)")
    assert scan < copy, result.output
    assert f"copy {twin}/b.pdf: the same file as {twin}/a.pdf (indexed)" in lines
    assert "unchanged" not in result.output.replace("0 unchanged", "")
    assert "4 files: 1 indexed, 0 unchanged, 1 failed, 2 copies of another file. " in (
        result.output
    )


def test_a_copy_of_an_unchanged_file_is_said_unchanged(tmp_path: Path) -> None:
    twin = _twins(tmp_path / "twin")
    (twin / "c.pdf").unlink()
    (twin / "d.pdf").unlink()
    index = str(tmp_path / "index.sqlite")
    runner = CliRunner()
    runner.invoke(main, ["ingest", str(twin / "a.pdf"), "--index", index, "--workers", "1"])
    result = runner.invoke(main, ["ingest", str(twin), "--index", index, "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert f"copy {twin}/b.pdf: the same file as {twin}/a.pdf (unchanged)" in result.output
    assert "2 files: 0 indexed, 1 unchanged, 0 failed, 1 copy of another file. " in result.output


@pytest.mark.prefect
def test_a_copy_in_the_inbox_is_said_with_its_original_s_outcome_by_run(tmp_path: Path) -> None:
    # `uprdex run` counted both copies 'already indexed' ('4 files in inbox: 1 indexed, 2 already
    # indexed, 1 failed') and said d.pdf only in a warning, 'the same file as c.pdf'.
    inbox = _twins(tmp_path / "inbox")
    # Bytes of their own, so that no other test's cached extraction answers for them.
    for name in ("a.pdf", "b.pdf"):
        with (inbox / name).open("ab") as end:
            end.write(b"\n% test_batch_copies\n")
    done = run_uprdex("run", "--inbox", inbox, "--index", tmp_path / "index.sqlite", cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    assert "copy b.pdf: the same file as a.pdf (indexed)" in done.stderr, done.stderr
    assert "copy d.pdf: the same file as c.pdf (failed)" in done.stderr, done.stderr
    assert f"4 files in {inbox}: 1 indexed, 0 already indexed, 1 failed, 2 copies of another" in (
        done.stdout
    ), done.stdout


def test_the_count_of_copies_reads_as_english_and_is_left_out_at_none() -> None:
    # review29 finding 4: the run's Prefect artifact said "1 copies of another file", and "0
    # copies of another file" in every run without one; ingest and run built the phrase apart.
    from uprdex.flows.rereading import copies_of_another

    assert copies_of_another(0) == ""
    assert copies_of_another(1) == ", 1 copy of another file"
    assert copies_of_another(3) == ", 3 copies of another file"
