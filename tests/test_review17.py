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


@pytest.mark.xfail(
    strict=True,
    reason="review17 finding 1: a link moved to the report's asks is stranded when the report "
    "leaves the index (its file replaced) and the imports stand alone again",
)
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
