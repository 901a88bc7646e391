"""What a WG report's section says beyond its position ("already implemented"), in the index:
kept beside the section's position (schema 7) and given as `response_detail` while the section
is the source; an index an earlier release wrote opens, migrates and gains it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from uprdex.flows.ingest import ingest_paths
from uprdex.pipeline.exports import records
from uprdex.pipeline.settings import LoaderSettings
from uprdex.pipeline.store import SCHEMA_VERSION, Store
from uprdex.pipeline.store.responses import refresh_responses

from helpers import fixture

ONE_WORKER = LoaderSettings(workers=1)
IMPLEMENTED = "accepted; considered already implemented or in process"
REPORT = "A/HRC/27/5"  # DRC 2014: para 134 "... which considers that they are already implemented"


def _details(index: Path) -> dict[str, tuple[str, str | None, str | None]]:
    """Each recommendation's response, response_source and response_detail, as exported."""
    with Store(index) as store:
        return {
            rec["id"]: (rec["response"], rec["response_source"], rec["response_detail"])
            for rec in records(store, "recommendations")
        }


def test_an_already_implemented_section_gives_the_response_detail(tmp_path: Path) -> None:
    index = tmp_path / "index.sqlite"
    with Store(index) as store:
        ingest_paths([fixture("drc2014_recs.pdf")], store, ONE_WORKER)
    details = _details(index)
    assert details[f"{REPORT}#134.1"] == ("supported", f"{REPORT} para 134", IMPLEMENTED)
    assert details[f"{REPORT}#133.1"] == ("supported", f"{REPORT} para 133", None)


def test_an_addendums_own_answer_wins_over_the_sections_detail(tmp_path: Path) -> None:
    index = tmp_path / "index.sqlite"
    with Store(index) as store:
        ingest_paths([fixture("drc2014_recs.pdf")], store, ONE_WORKER)
        (sha256,) = store.db.execute("SELECT sha256 FROM documents").fetchone()
        with store.transaction() as db:
            db.execute(
                "INSERT INTO responses VALUES (?, ?, ?, ?, 'noted', 'noted', 3, '5', ?)",
                (sha256, f"{REPORT}/Add.1", REPORT, "134.1", "134.1"),
            )
            refresh_responses(db, REPORT)
    details = _details(index)
    assert details[f"{REPORT}#134.1"] == ("noted", f"{REPORT}/Add.1 para 5", "noted")
    assert details[f"{REPORT}#134.2"] == ("supported", f"{REPORT} para 134", IMPLEMENTED)


def _as_schema_6_left_it(index: Path) -> None:
    """The index as the release before schema 7 wrote it: no `section_detail` column, its
    responses without the detail, the files read by that release."""
    db = sqlite3.connect(index, isolation_level=None)
    db.execute("ALTER TABLE recommendations DROP COLUMN section_detail")
    db.execute("UPDATE recommendations SET response_detail = NULL")
    db.execute("UPDATE documents SET reader = '0.0.1-0123456789abcdef'")
    db.execute("UPDATE meta SET value = '6' WHERE key = 'schema_version'")
    db.close()


def test_an_index_an_earlier_release_wrote_is_migrated_and_gains_the_detail(
    tmp_path: Path,
) -> None:
    index = tmp_path / "index.sqlite"
    report = fixture("drc2014_recs.pdf")
    with Store(index) as store:
        ingest_paths([report], store, ONE_WORKER)
    _as_schema_6_left_it(index)
    before = _details(index)  # opening it migrates it
    assert before[f"{REPORT}#134.1"] == ("supported", f"{REPORT} para 134", None)
    db = sqlite3.connect(index)
    assert db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == (
        str(SCHEMA_VERSION),
    )
    assert db.execute("SELECT count(*), count(section_detail) FROM recommendations").fetchone() == (
        50,
        0,
    )
    db.close()
    with Store(index) as store:
        (result,) = ingest_paths([report], store, ONE_WORKER)
        assert result.outcome == "indexed"  # read again: an earlier release read it
    after = _details(index)
    assert after[f"{REPORT}#134.1"] == ("supported", f"{REPORT} para 134", IMPLEMENTED)
    assert {k: v[:2] for k, v in after.items()} == {k: v[:2] for k, v in before.items()}
