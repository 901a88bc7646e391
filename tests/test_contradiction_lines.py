"""A contradiction between stored corrections that resolving imported UPR Info ids creates
is said, in one line, by every command that writes clusters: `uprdex ingest`, `cluster`,
`cluster links` said it; `uprdex run` (the nightly flow) and `uprdex import` said nothing."""

from __future__ import annotations

import csv
import shutil
import signal
import subprocess
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from uprdex.flows.cli import main
from uprdex.pipeline.corrections import Correction
from uprdex.pipeline.store import Store

from helpers import fixture, run_uprdex, uprdex_command, uprdex_env


def _rows(tmp_path: Path) -> Path:
    """Four UPR Info rows of Slovenia 2014: A1 and A2 (texts two words apart) both match
    A/HRC/28/15#115.1 once the report is indexed, B and C match 115.2 and 115.3."""
    with fixture("upr_info_slovenia_s20.csv").open(newline="") as handle:
        header, first, second, third = list(csv.reader(handle))[:4]
    twin = [*first[:3], first[3].replace("Take further steps", "Take steps"), *first[4:]]
    source = tmp_path / "rows.csv"
    with source.open("w", newline="") as handle:
        csv.writer(handle).writerows([header, first, twin, second, third])
    return source


def _imported_ids(source: Path, index: Path) -> list[str]:
    from uprdex.flows.ingest import import_file

    with Store(index) as store:
        import_file(source, "upr-info", store)
        return [
            found for (found,) in store.db.execute("SELECT import_id FROM imports ORDER BY row")
        ]


def _contradicting(ids: list[str]) -> list[Correction]:
    """Link A1 B, link B C, unlink A2 C: no contradiction while A1 is not A2; one once both
    are read as 115.1 (the links hold, not the unlink)."""
    a1, a2, b, c = ids
    at = "2026-12-06T20:00:00"
    return [
        Correction.of(a1, b, "link", who="r", at=at),
        Correction.of(b, c, "link", who="r", at=at),
        Correction.of(a2, c, "unlink", who="r", at=at),
    ]


def _said(output: str) -> list[str]:
    """The lines that say a contradiction (a copy from Prefect's log would be one more)."""
    return [line for line in output.splitlines() if "contradiction " in line]


def _typed_before_the_report(tmp_path: Path) -> tuple[Path, Path]:
    """An index with the four rows imported and the three corrections typed on their ids, and
    an inbox holding the WG report they match: reading it makes them contradict."""
    source = _rows(tmp_path)
    index = tmp_path / "index.sqlite"
    ids = _imported_ids(source, index)
    with Store(index) as store:
        assert store.record_corrections(_contradicting(ids))
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(fixture("slovenia2014_recs.pdf"), inbox)
    return index, inbox


def _listed_by_cluster_links(index: Path) -> list[str]:
    result = CliRunner().invoke(main, ["cluster", "links", "--index", str(index)])
    assert result.exit_code == 0, result.output
    return _said(result.stderr)


def test_an_import_that_makes_corrections_contradict_says_so_as_cluster_links_does(
    tmp_path: Path,
) -> None:
    # The report first, then corrections recorded under UPR Info ids not imported yet (a
    # colleague's `cluster links --export`), then the UPR Info export: its rows resolve to the
    # report's asks and the three corrections contradict. `uprdex import` said nothing.
    source = _rows(tmp_path)
    ids = _imported_ids(source, tmp_path / "scratch.sqlite")
    index = tmp_path / "index.sqlite"
    result = CliRunner().invoke(
        main, ["ingest", str(fixture("slovenia2014_recs.pdf")), "--index", str(index)]
    )
    assert result.exit_code == 0, result.output
    with Store(index) as store:
        assert store.record_corrections(_contradicting(ids))
    result = CliRunner().invoke(main, ["import", "upr-info", str(source), "--index", str(index)])
    assert result.exit_code == 0, result.output
    expected = _listed_by_cluster_links(index)
    assert expected and "the links hold, not the unlink" in expected[-1], expected
    assert _said(result.stderr) == expected, result.stderr


@pytest.mark.prefect
def test_a_run_that_makes_corrections_contradict_says_so_once_as_ingest_does(
    tmp_path: Path,
) -> None:
    # The same three corrections typed on the imports, then the WG report dropped in the
    # inbox: `uprdex ingest` of it says the contradiction, `uprdex run` of it said nothing.
    index, inbox = _typed_before_the_report(tmp_path)
    done = run_uprdex("run", "--inbox", inbox, "--index", index, cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    expected = _listed_by_cluster_links(index)
    assert expected and "the links hold, not the unlink" in expected[-1], expected
    assert _said(done.stderr) == expected, done.stderr


@pytest.mark.prefect
def test_a_watch_run_that_makes_corrections_contradict_says_so_once(tmp_path: Path) -> None:
    # The same, the report landing in a watched inbox: watch's run said nothing either.
    index, inbox = _typed_before_the_report(tmp_path)
    args = ["watch", "--debounce", "0", "--inbox", inbox, "--index", index]
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
        lines: list[str] = []
        while not lines or not (lines[-1].endswith(" failed\n") or lines[-1] == ""):
            lines.append(watcher.stdout.readline())  # up to the first run's summary
        watcher.send_signal(signal.SIGINT)
        errors = watcher.communicate(timeout=120)[1]
    finally:
        deadline.cancel()
        watcher.kill()
    assert lines[-1] == "1 indexed, 0 failed\n", lines
    expected = _listed_by_cluster_links(index)
    assert expected and "the links hold, not the unlink" in expected[-1], expected
    assert _said(errors) == expected, errors


def test_cluster_links_import_says_only_the_contradictions_its_corrections_make(
    tmp_path: Path,
) -> None:
    # leftovers: `uprdex cluster links --import FILE` said every contradiction the index
    # holds, again at each import of a colleague's file, while import, run and watch say only
    # those their change made (`Resolved.conflicts_since`).
    from uprdex.pipeline.corrections import write_csv

    source = _rows(tmp_path)
    index = tmp_path / "index.sqlite"
    a1, a2, _, c = _imported_ids(source, index)
    result = CliRunner().invoke(
        main, ["ingest", str(fixture("slovenia2014_recs.pdf")), "--index", str(index)]
    )
    assert result.exit_code == 0, result.output
    with Store(index) as store:  # A1 and A2 are both 115.1 now
        assert store.record_corrections(
            [Correction.of(a1, c, "link", who="r", at="2026-12-06T21:00:00")]
        )
    # A colleague's earlier unlink of the same two asks, typed on A2: kept beside the link,
    # which holds (the later).
    shared = tmp_path / "colleague.csv"
    write_csv([Correction.of(a2, c, "unlink", who="s", at="2026-12-06T20:00:00")], shared)
    args = ["cluster", "links", "--import", str(shared), "--index", str(index)]
    made = CliRunner().invoke(main, args)
    assert made.exit_code == 0, made.output
    expected = _listed_by_cluster_links(index)
    assert expected and "name this one pair now" in expected[-1], expected
    assert _said(made.stderr) == expected, made.stderr
    at = "2026-12-06T22:00:00"
    write_csv([Correction.of(f"{ASK}5", f"{ASK}6", "link", who="s", at=at)], shared)
    other = CliRunner().invoke(main, args)
    assert other.exit_code == 0 and "1 new or changed" in other.output, other.output
    assert _said(other.stderr) == [], other.stderr  # its link makes none
    assert _listed_by_cluster_links(index) == expected  # the listing still says it


ASK = "A/HRC/28/15#115."
