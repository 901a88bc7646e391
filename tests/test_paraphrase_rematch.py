"""Paraphrase evidence matched by another rule or threshold (an index built before an upgrade, or
before `paraphrase_threshold` changed in uprdex.toml): `uprdex status` says so, and `uprdex
rematch` (or the next ingest) matches the index's stored sentences again, in one transaction,
to the rows a fresh build gives."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from contextlib import closing
from pathlib import Path

import pytest

from uprdex.flows.ingest import ingest_paths
from uprdex.pipeline.paraphrase import Match
from uprdex.pipeline.settings import EvidenceSettings, LoaderSettings
from uprdex.pipeline.store import Store, linking

from helpers import cli, fixture

NATIONAL_REPORT = fixture("svn2019_national_report_p1-3.pdf")  # A/HRC/WG.6/34/SVN/1
REPORT = fixture("slovenia2014_recs.pdf")  # A/HRC/28/15, 115.1-115.30
OLD = 0.2  # a threshold other than the default, as uprdex.toml set it before


def _built(
    index: Path, threshold: float, paths: Sequence[Path] = (NATIONAL_REPORT, REPORT)
) -> None:
    with Store(index, EvidenceSettings(paraphrase_threshold=threshold)) as store:
        ingest_paths(list(paths), store, LoaderSettings(workers=1))


def _paraphrases(index: Path) -> list[tuple[object, ...]]:
    """Every paraphrase row with what it traces to: document, page, printed sentence."""
    with closing(sqlite3.connect(index)) as db:
        return sorted(
            db.execute(
                "SELECT recommendation_id, target_symbol, target_ref, document_sha256, page, "
                "as_printed, context, score, context_page FROM evidence "
                "WHERE kind = 'paraphrase'"
            ).fetchall()
        )


def test_an_index_matched_at_another_threshold_is_said_stale_and_rematched_as_built_fresh(
    tmp_path: Path,
) -> None:
    old, fresh = tmp_path / "old.sqlite", tmp_path / "fresh.sqlite"
    _built(old, OLD)
    _built(fresh, EvidenceSettings().paraphrase_threshold)
    assert _paraphrases(old) != _paraphrases(fresh)  # the lower threshold keeps more
    status = cli("status", "--index", old)
    assert "paraphrases matched by typical+object at 0.20" in status.output, status.output
    assert "uprdex rematch" in status.output
    again = cli("rematch", "--index", old)
    assert again.exit_code == 0, again.output
    assert f"{len(_paraphrases(fresh))} paraphrase" in again.output, again.output
    assert _paraphrases(old) == _paraphrases(fresh)
    assert _paraphrases(old) and all(row[3] and row[4] and row[6] for row in _paraphrases(old))
    assert "paraphrases matched" not in cli("status", "--index", old).output
    assert "paraphrases matched" not in cli("status", "--index", fresh).output


def test_an_index_of_an_uprdex_that_recorded_no_rule_is_said_stale_and_rematched(
    tmp_path: Path,
) -> None:
    # An index built before the rule was recorded: the rows of an older threshold, no record.
    old, fresh = tmp_path / "old.sqlite", tmp_path / "fresh.sqlite"
    _built(old, OLD)
    with closing(sqlite3.connect(old)) as db, db:
        db.execute("DELETE FROM meta WHERE key = 'paraphrase_rule'")
    _built(fresh, EvidenceSettings().paraphrase_threshold)
    status = cli("status", "--index", old)
    assert "paraphrases matched by an uprdex that recorded no rule" in status.output, status.output
    with Store(old) as store:
        assert store.rematch_paraphrases() == len(_paraphrases(fresh))
        assert store.paraphrases_made_otherwise() is None
    assert _paraphrases(old) == _paraphrases(fresh)


def test_the_next_ingest_rematches_every_state_of_a_stale_index(tmp_path: Path) -> None:
    # The ingest of another State's report matches Slovenia's sentences again too.
    old, fresh = tmp_path / "old.sqlite", tmp_path / "fresh.sqlite"
    _built(old, OLD)
    other = fixture("albania2010_recs.pdf")
    _built(old, EvidenceSettings().paraphrase_threshold, [other])
    _built(fresh, EvidenceSettings().paraphrase_threshold, [NATIONAL_REPORT, REPORT, other])
    assert _paraphrases(old) == _paraphrases(fresh)
    assert "paraphrases matched" not in cli("status", "--index", old).output


def test_a_rematch_cut_short_leaves_the_old_rows_and_record(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = tmp_path / "index.sqlite"
    _built(index, OLD)
    before = _paraphrases(index)
    assert before

    def cut_short(
        sentences: Sequence[str], recommendations: dict[str, str], threshold: float
    ) -> list[Match]:
        # Past the first document's DELETE of its old rows: the transaction is half-written.
        (left,) = store.db.execute(
            "SELECT count(*) FROM evidence WHERE kind = 'paraphrase'"
        ).fetchone()
        assert left < len(before)
        raise KeyboardInterrupt

    monkeypatch.setattr(linking, "match_sentences", cut_short)
    with Store(index) as store, pytest.raises(KeyboardInterrupt):
        store.rematch_paraphrases()
    assert _paraphrases(index) == before
    with closing(sqlite3.connect(index)) as db:
        (recorded,) = db.execute("SELECT value FROM meta WHERE key = 'paraphrase_rule'").fetchone()
    assert json.loads(recorded)["threshold"] == OLD
    assert "paraphrases matched by typical+object at 0.20" in cli("status", "--index", index).output


def test_an_ingest_with_no_new_file_rematches_a_stale_index(tmp_path: Path) -> None:
    # `paraphrase_threshold` changed in uprdex.toml, then the same files ingested again: all
    # are skipped (same bytes), and the paraphrases are matched again all the same.
    old, fresh = tmp_path / "old.sqlite", tmp_path / "fresh.sqlite"
    _built(old, OLD)
    _built(fresh, EvidenceSettings().paraphrase_threshold)
    again = cli("ingest", NATIONAL_REPORT, REPORT, "--index", old)
    assert again.exit_code == 0, again.output
    assert _paraphrases(old) == _paraphrases(fresh)
    assert "paraphrases matched" not in cli("status", "--index", old).output
