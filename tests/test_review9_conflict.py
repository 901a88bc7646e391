"""review9: recs says "imports disagree" for any response_conflict, also the one between the WG
report's section and the addendum, which involves no import."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from uprdex.flows.cli import main
from uprdex.flows.ingest import ingest_paths
from uprdex.pipeline.settings import LoaderSettings
from uprdex.pipeline.store import Store
from uprdex.pipeline.store.responses import refresh_responses

from helpers import fixture


def test_a_report_and_addendum_conflict_is_not_said_to_be_the_imports(tmp_path: Path) -> None:
    index = tmp_path / "index.sqlite"
    with Store(index) as store:  # as test_addendum's conflict test makes one
        ingest_paths(
            [fixture("slovenia2014_recs.pdf"), fixture("svn2014_addendum.pdf")],
            store,
            LoaderSettings(workers=1),
        )
        store.db.execute(
            "UPDATE recommendations SET section_response = 'supported' WHERE paragraph = '115.6'"
        )
        with store.transaction() as db:
            refresh_responses(db, "A/HRC/28/15")
        assert not store.db.execute("SELECT count(*) FROM imports").fetchone()[0]
    listed = CliRunner(env={"COLUMNS": "200"}).invoke(
        main, ["recs", "--index", str(index), "--response", "noted"]
    )
    assert "A/HRC/28/15#115.6" in listed.output
    assert "imports disagree" not in listed.output, listed.output
    assert "noted, report and addendum disagree" in listed.output, listed.output
