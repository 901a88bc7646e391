"""review17: hostile review of fiximports (kept imported ids, corrections moved to the
report's asks) and fixwatch (watch on `run`'s temporary server)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from uprdex.flows.cli import main
from uprdex.pipeline.store import Store

from helpers import fixture


def _run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def _clusters(index: Path) -> dict[str, str]:
    with Store(index) as store:
        return dict(store.db.execute("SELECT id, cluster_id FROM recommendations").fetchall())


def _two_imports(path: Path) -> tuple[str, str]:
    from uprdex.flows.ingest import import_file

    with Store(path) as store:
        import_file(fixture("upr_info_slovenia_s20.csv"), "upr-info", store)
        first, second = (
            row[0] for row in store.db.execute("SELECT import_id FROM imports ORDER BY row LIMIT 2")
        )
    return first, second


def test_a_moved_link_holds_again_when_the_report_leaves_and_the_imports_stand_alone(
    tmp_path: Path,
) -> None:
    # Before fiximports the link stayed under the upr-info: ids, and held again as soon as
    # the imports stood alone. Now link_imports moves it to A/HRC/28/15#115.1/115.2 and nothing
    # moves it back when the WG report's file is replaced by another document (the only way a
    # report leaves the index): the imports are their own records again, the link names two
    # asks the index no longer holds.
    path = tmp_path / "index.sqlite"
    first, second = _two_imports(path)
    _run("cluster", "link", first, second, "--note", "one commitment", "--index", str(path))
    pdf = tmp_path / "svn.pdf"
    shutil.copyfile(fixture("slovenia2014_recs.pdf"), pdf)
    _run("ingest", str(pdf), "--index", str(path))
    assert "A/HRC/28/15#115.1" in _clusters(path)
    shutil.copyfile(fixture("albania2014_recs.pdf"), pdf)  # another report saved over it
    _run("ingest", str(pdf), "--index", str(path))
    found = _clusters(path)
    assert first in found and "A/HRC/28/15#115.1" not in found  # the imports stand alone
    assert "naming an ask not in this index" not in _run("status", "--index", str(path))
    assert found[first] == found[second], "the link does not hold"


def _twin_imports(tmp_path: Path) -> tuple[Path, list[str]]:
    """An index with two UPR Info rows of Slovenia 2014 whose texts differ by two words: both
    match A/HRC/28/15#115.1 once the report is indexed (two imports on one ask)."""
    import csv

    from uprdex.flows.ingest import import_file

    with fixture("upr_info_slovenia_s20.csv").open(newline="") as handle:
        header, row = list(csv.reader(handle))[:2]
    twin = [*row[:3], row[3].replace("Take further steps", "Take steps"), *row[4:]]
    source = tmp_path / "twins.csv"
    with source.open("w", newline="") as handle:
        csv.writer(handle).writerows([header, row, twin])
    path = tmp_path / "index.sqlite"
    with Store(path) as store:
        import_file(source, "upr-info", store)
        ids = [found for (found,) in store.db.execute("SELECT import_id FROM imports ORDER BY row")]
    assert len(ids) == 2
    return path, ids


def test_a_link_of_two_imports_that_become_one_ask_can_still_be_forgotten(
    tmp_path: Path,
) -> None:
    # fiximports' report says such a correction "is left under the import ids". It is not:
    # the first end is moved (A/HRC/28/15#115.1, upr-info:…second), `cluster links` lists it
    # as "(c-… and not in this index)", status counts it stranded, and `cluster forget` of
    # the two ids the researcher typed says "no link or unlink of A/HRC/28/15#115.1 and
    # A/HRC/28/15#115.1 is recorded" (exit 2).
    path, (first, second) = _twin_imports(tmp_path)
    _run("cluster", "link", first, second, "--index", str(path))
    _run("ingest", str(fixture("slovenia2014_recs.pdf")), "--index", str(path))
    with Store(path) as store:
        assert [row[0] for row in store.db.execute("SELECT recommendation_id FROM imports")] == [
            "A/HRC/28/15#115.1"
        ] * 2
        pairs = store.db.execute("SELECT first, second FROM cluster_corrections").fetchall()
    assert [tuple(pair) for pair in pairs] == [tuple(sorted((first, second)))], "half moved"
    result = CliRunner().invoke(main, ["cluster", "forget", first, second, "--index", str(path)])
    assert result.exit_code == 0, result.output


def test_corrections_moved_at_ingest_do_not_contradict_unsaid(tmp_path: Path) -> None:
    # Two UPR Info rows A1, A2 that both match A/HRC/28/15#115.1, and B, C matching 115.2 and
    # 115.3. Before the report: link A1 B, link B C, unlink A2 C (no contradiction: A1 is not
    # A2). The ingest moves all three: link 115.1 115.2, link 115.2 115.3, unlink 115.1 115.3,
    # a contradiction; the unlink is void (the links win), `cluster links` says so only when
    # asked, and the ingest said nothing. Typed by hand, the same unlink is refused (exit 2,
    # "are unlinked but linked through ...").
    import csv

    from uprdex.flows.ingest import import_file
    from uprdex.pipeline.corrections import contradictions

    with fixture("upr_info_slovenia_s20.csv").open(newline="") as handle:
        header, first, second, third = list(csv.reader(handle))[:4]
    twin = [*first[:3], first[3].replace("Take further steps", "Take steps"), *first[4:]]
    source = tmp_path / "rows.csv"
    with source.open("w", newline="") as handle:
        csv.writer(handle).writerows([header, first, twin, second, third])
    path = tmp_path / "index.sqlite"
    with Store(path) as store:
        import_file(source, "upr-info", store)
        a1, a2, b, c = (
            found for (found,) in store.db.execute("SELECT import_id FROM imports ORDER BY row")
        )
    _run("cluster", "link", a1, b, "--index", str(path))
    _run("cluster", "link", b, c, "--index", str(path))
    _run("cluster", "unlink", a2, c, "--index", str(path))
    said = _run("ingest", str(fixture("slovenia2014_recs.pdf")), "--index", str(path))
    with Store(path) as store:
        assert {row[0] for row in store.db.execute("SELECT recommendation_id FROM imports")} == {
            "A/HRC/28/15#115.1",
            "A/HRC/28/15#115.2",
            "A/HRC/28/15#115.3",
        }
        held = store.applied_corrections().held  # as they apply: imported ids read as asks
    assert contradictions(held), "the three corrections, read as the report's asks, contradict"
    assert "contradiction" in said and "the links hold, not the unlink" in said, said


@pytest.mark.prefect
def test_watch_stopped_by_two_ctrl_c_mid_run_still_stops_with_0(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # fixwatch: "Ctrl-C typed twice, 0.3 s apart: the same result". A second press a second
    # later (a user who sees no line yet) lands in the stop itself: 3 of 3 tries at 0.8 s and
    # 1.2 s apart ended -2, after watch's own stop line (how-it-works: exit 0 also mid-run).
    # A second press 0.1 s after the first printed Prefect's "Unable to connect to
    # 'ws://...'" WARNING and "Service 'EventsWorker' failed with 2 pending items" ERROR
    # (1 of 1); a second SIGTERM 1.2 s after the first ended it -15.
    import os
    import signal
    import time

    from test_watch import _watch_stopped_mid_run

    # A Prefect home of its own: a cached extraction (a home shared across runs) moves the
    # stop out of the extraction (fixwatch's trap).
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path / "prefect"))

    def pressed_again_and_again(pid: int) -> None:  # every 0.3 s, until watch has ended
        for _ in range(30):
            try:
                os.killpg(pid, signal.SIGINT)
                if os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT):
                    return
            except (ProcessLookupError, ChildProcessError):
                return
            time.sleep(0.3)

    code, errors, said = _watch_stopped_mid_run(tmp_path, pressed_again_and_again)
    assert said.strip().splitlines()[-1].startswith("stopped watching"), said
    assert code == 0, errors
    assert errors == "", errors


def test_an_imported_id_in_another_case_is_taken_before_its_report_too(tmp_path: Path) -> None:
    # `evidence upr-info:svn:20:99836FE488B3` gives A/HRC/28/15#115.1's evidence once the
    # report is indexed (imported_as: any case), but `show UPR-INFO:SVN:7:C92C05CDEBAA` of an
    # import still standing alone says "error no recommendation UPR-INFO:SVN:7:C92C05CDEBAA in
    # the index; did you mean upr-info:SVN:7:c92c05cdebaa?" (exit 2), an id it knows.
    path = tmp_path / "index.sqlite"
    first, _ = _two_imports(path)
    result = CliRunner().invoke(main, ["show", first.upper(), "--brief", "--index", str(path)])
    assert result.exit_code == 0, result.output
