"""The index: re-ingesting changes nothing, a changed file replaces its rows, search works."""

from __future__ import annotations

import dataclasses
import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from uprdex.flows.ingest import import_file, ingest_paths
from uprdex.pipeline.clusters import ClusterItem, ClusterResult, cluster, recurrence_model
from uprdex.pipeline.clusters.pair_model import DEFAULT_MODEL_DIR
from uprdex.pipeline.model_files import write_arrays
from uprdex.pipeline.settings import ClusterSettings, LoaderSettings
from uprdex.pipeline.store import SCHEMA_VERSION, RecFilter, Store

from helpers import (
    as_an_earlier_release_left_it,
    as_older_models_clustered_it,
    clustered_with,
    fixture,
)

ONE_WORKER = LoaderSettings(workers=1)


def _assignment(store: Store) -> dict[str, str]:
    """Each recommendation's cluster id, as the index holds it."""
    return dict(store.db.execute("SELECT id, cluster_id FROM recommendations").fetchall())


def _counts(index: Path) -> tuple[int, int, int]:
    db = sqlite3.connect(index)
    try:
        return tuple(  # type: ignore[return-value]
            db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("documents", "recommendations", "recommendation_states")
        )
    finally:
        db.close()


def test_reingesting_the_same_file_changes_nothing(tmp_path: Path) -> None:
    index = tmp_path / "index.sqlite"
    with Store(index) as store:
        first = ingest_paths([fixture("slovenia2014_recs.pdf")], store, ONE_WORKER)
    before = _counts(index)
    with Store(index) as store:
        second = ingest_paths([fixture("slovenia2014_recs.pdf")], store, ONE_WORKER)
    assert [r.outcome for r in first] == ["indexed"]
    assert [r.outcome for r in second] == ["unchanged"]
    assert _counts(index) == before
    assert before[1] == 30


def test_changed_file_at_the_same_path_replaces_its_rows(tmp_path: Path) -> None:
    index = tmp_path / "index.sqlite"
    path = tmp_path / "inbox" / "report.pdf"
    path.parent.mkdir()
    shutil.copy(fixture("slovenia2014_recs.pdf"), path)
    with Store(index) as store:
        ingest_paths([path], store, ONE_WORKER)
    shutil.copy(fixture("andorra2011_recs.pdf"), path)
    with Store(index) as store:
        ingest_paths([path], store, ONE_WORKER)
        documents = store.documents()
        recs = store.recommendations()
    assert [d.symbol for d in documents] == ["A/HRC/16/8"]
    assert {r.document_symbol for r in recs} == {"A/HRC/16/8"}


def test_every_recommendation_traces_to_document_hash_page_and_text(tmp_path: Path) -> None:
    with Store(tmp_path / "index.sqlite") as store:
        ingest_paths([fixture("albania2014_recs.pdf")], store, ONE_WORKER)
        recs = store.recommendations()
        hashes = {d.sha256 for d in store.documents()}
    assert recs
    for rec in recs:
        assert rec.document_sha256 in hashes
        assert rec.page >= 1 and rec.text and rec.as_printed


def test_filters_and_full_text_search(tmp_path: Path) -> None:
    with Store(tmp_path / "index.sqlite") as store:
        ingest_paths(
            [fixture("slovenia2014_recs.pdf"), fixture("algeria2008_recs.pdf")], store, ONE_WORKER
        )
        by_state = store.recommendations(RecFilter(recommending_state="Iran"))
        found = store.recommendations(RecFilter(search="enforced disappearance"))
        supported = store.recommendations(
            RecFilter(state_under_review="Algeria", response="supported")
        )
    assert [r.id for r in by_state] == ["A/HRC/28/15#115.6"]
    assert by_state[0].recommending_state_codes == ("IRN",)
    assert {r.id for r in found} >= {"A/HRC/8/29#69.5", "A/HRC/28/15#115.14"}
    assert len(supported) == 17


def test_search_text_is_never_read_as_query_syntax(tmp_path: Path) -> None:
    with Store(tmp_path / "index.sqlite") as store:
        ingest_paths([fixture("slovenia2014_recs.pdf")], store, ONE_WORKER)
        plain = store.recommendations(RecFilter(search="ICRMW"))
        assert store.recommendations(RecFilter(search='ICRMW" OR "x')) == []
        assert store.recommendations(RecFilter(search="(ICRMW*")) == plain
        # Six print "ICRMW"; 115.11 writes the Convention out (search reads its names as one),
        # and 115.12 prints "the International Convention on the Rights of Migrant Workers and
        # Members of Their Families" (a printed name data/search_aliases.csv adds, review30).
        assert len(plain) == 8


def test_a_word_of_punctuation_alone_does_not_empty_a_search(tmp_path: Path) -> None:
    # "enforced & disappearance", "enforced - disappearance": each word was quoted as an FTS5
    # phrase, and "&" or "-" is a phrase of no word, which matches no row: every search that
    # held one found nothing (recs --search, search, and browse's search box alike).
    with Store(tmp_path / "index.sqlite") as store:
        ingest_paths([fixture("slovenia2014_recs.pdf")], store, ONE_WORKER)
        plain = {r.id for r in store.recommendations(RecFilter(search="enforced disappearance"))}
        searched = {h.recommendation.id for h in store.search("enforced disappearance").hits}
        assert plain and searched == plain
        for words in (
            "enforced & disappearance",
            "enforced - disappearance",
            "– enforced / disappearance",
        ):
            assert {r.id for r in store.recommendations(RecFilter(search=words))} == plain, words
            assert {h.recommendation.id for h in store.search(words).hits} == plain, words
        assert store.recommendations(RecFilter(search="-")) == []


def test_schema_version_is_recorded_and_reopening_migrates_nothing(tmp_path: Path) -> None:
    index = tmp_path / "index.sqlite"
    Store(index).close()
    Store(index).close()
    db = sqlite3.connect(index)
    version = db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0]
    mode = db.execute("PRAGMA journal_mode").fetchone()[0]
    db.close()
    assert int(version) == SCHEMA_VERSION
    assert mode == "wal"


def test_second_copy_of_a_report_keeps_its_recommendations_once(tmp_path: Path) -> None:
    copy = tmp_path / "copy.pdf"
    # Same report, other bytes (as the same WG report downloaded from two sites).
    copy.write_bytes(fixture("andorra2011_recs.pdf").read_bytes() + b"\n% another copy\n")
    with Store(tmp_path / "index.sqlite") as store:
        ingest_paths([fixture("andorra2011_recs.pdf")], store, ONE_WORKER)
        second = ingest_paths([copy], store, ONE_WORKER)
        recs = store.recommendations()
    assert [r.id for r in recs] == ["A/HRC/16/8#85.1", "A/HRC/16/8#85.2"]
    assert second[0].warnings == (
        "2 recommendations already indexed from another copy of A/HRC/16/8; kept once",
    )


def test_recommendations_carry_keyword_themes_with_the_matched_words(tmp_path: Path) -> None:
    with Store(tmp_path / "index.sqlite") as store:
        ingest_paths([fixture("slovenia2014_recs.pdf")], store, ONE_WORKER)
        rec = store.recommendation("A/HRC/28/15", "115.6")
    assert rec is not None
    hits = {hit.theme: hit.matched for hit in rec.theme_hits}
    assert "Migrants" in hits and "International instruments" in hits
    assert "Ratify" in hits["International instruments"]


def test_themes_come_from_the_classifier_with_keywords_as_explanation(tmp_path: Path) -> None:
    from uprdex.pipeline.exports import records

    with Store(tmp_path / "index.sqlite") as store:
        ingest_paths([fixture("slovenia2014_recs.pdf")], store, ONE_WORKER)
        rec = next(r for r in records(store, "recommendations") if r["paragraph"] == "115.8")
    methods = {hit["method"] for hit in rec["theme_hits"]}
    assert methods == {"model", "keywords"}
    model = [hit["theme"] for hit in rec["theme_hits"] if hit["method"] == "model"]
    assert rec["themes"] and set(rec["themes"]) == set(model)
    assert "International instruments" in rec["themes"]  # "Ratify ICRMW"


def test_generation_changes_with_content_only(tmp_path: Path) -> None:
    index = tmp_path / "index.sqlite"
    with Store(index) as store:
        empty = store.generation()
    with Store(index) as store:  # reopening writes nothing
        assert store.generation() == empty
        ingest_paths([fixture("andorra2011_recs.pdf")], store, LoaderSettings(workers=1))
        after_ingest = store.generation()
        assert after_ingest > empty
        ingest_paths([fixture("andorra2011_recs.pdf")], store, LoaderSettings(workers=1))
        assert store.generation() == after_ingest  # the same file again changes nothing
        store.update_clusters()
        clustered = store.generation()
        store.update_clusters()  # the same settings and documents: the same clusters
        assert store.generation() == clustered


def test_stored_cluster_settings_keep_choices_and_follow_new_defaults(tmp_path: Path) -> None:
    # An index clustered with the defaults of its release (meaning weight 0.6) and a chosen
    # threshold: the choice stays, the old default gives way to the current one.
    with Store(tmp_path / "index.sqlite") as store:
        whole = (
            '{"threshold": 60.0, "scorer": "token_set_ratio", "scope": "state", "floor": 45.0, '
            '"max_df": 100, "semantic_weight": 0.6, "similarity_model": "1.2+data.x.seed0"}'
        )
        with store.transaction() as db:
            db.execute("INSERT OR REPLACE INTO meta VALUES ('cluster_settings', ?)", (whole,))
        assert store.cluster_settings() == ClusterSettings(threshold=60.0)
        store.update_clusters(ClusterSettings(scope="all"))
        assert store.cluster_settings() == ClusterSettings(scope="all")


def test_cluster_settings_stored_before_meaning_give_way_to_the_defaults(tmp_path: Path) -> None:
    with Store(tmp_path / "index.sqlite") as store:
        old = '{"threshold": 74, "scorer": "token_set_ratio", "scope": "state", "floor": 54}'
        with store.transaction() as db:
            db.execute("INSERT OR REPLACE INTO meta VALUES ('cluster_settings', ?)", (old,))
        assert store.cluster_settings() == ClusterSettings()
        store.update_clusters(ClusterSettings(threshold=60, floor=50))
        assert store.cluster_settings() == ClusterSettings(threshold=60, floor=50)


def test_a_fresh_clustering_forgets_the_order_documents_arrived_in(tmp_path: Path) -> None:
    with Store(tmp_path / "index.sqlite") as store:
        ingest_paths([fixture("andorra2011_recs.pdf")], store, LoaderSettings(workers=1))
        store.update_clusters()
        scratch = _assignment(store)
        # Earlier increments may have left a pair together that the whole index would part.
        first = min(scratch)
        second = min(rec_id for rec_id in scratch if scratch[rec_id] != scratch[first])
        with store.transaction() as db:
            db.execute(
                "UPDATE recommendations SET cluster_id = ? WHERE id = ?", (scratch[first], second)
            )
        store.update_clusters()  # incremental: clusters of earlier runs are kept whole
        kept = _assignment(store)
        assert kept[first] == kept[second]
        store.update_clusters(fresh=True)
        again = _assignment(store)
    assert again == scratch


def test_clustering_knows_who_made_each_recommendation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[ClusterItem] = []

    def spy(items: list[ClusterItem], *args: Any, **kwargs: Any) -> ClusterResult:
        seen.extend(items)
        return cluster(items, *args, **kwargs)

    monkeypatch.setattr("uprdex.pipeline.store.clustering.cluster_in_parts", spy)
    with Store(tmp_path / "index.sqlite") as store:
        ingest_paths([fixture("andorra2011_recs.pdf")], store, ONE_WORKER)
        store.update_clusters(fresh=True)
        printed = {rec.id: rec.recommending_states for rec in store.recommendations()}
    assert seen and {item.id: item.recommending_states for item in seen} == printed
    assert all(item.recommending_states for item in seen)


def test_cluster_members_are_listed_in_report_order_whatever_the_ingest_order(
    tmp_path: Path,
) -> None:
    listed = []
    for order in (("slovenia2010", "slovenia2014"), ("slovenia2014", "slovenia2010")):
        with Store(tmp_path / f"{order[0]}.sqlite") as store:
            for name in order:
                ingest_paths([fixture(f"{name}_recs.pdf")], store, ONE_WORKER)
            store.update_clusters(fresh=True)
            clusters = store.clusters(min_size=2)
        listed.append([[member.id for member in c.members] for c in clusters])
    assert listed[0] == listed[1]
    # The 2010 review (A/HRC/14/15) comes before the 2014 one (A/HRC/28/15) in its clusters.
    assert any(
        members[0].startswith("A/HRC/14/") and members[-1].startswith("A/HRC/28/")
        for members in listed[1]
    )


def test_a_pair_model_retrained_on_new_word_vectors_reclusters(tmp_path: Path) -> None:
    # `uprdex train-word-vectors` then `uprdex train-pairs` on the same labels: other word
    # vectors inside the pair model, whose version names them. The index must not keep the
    # clusters the old one made as if nothing changed.
    old, new = tmp_path / "old", tmp_path / "new"
    shutil.copytree(DEFAULT_MODEL_DIR, old)
    shutil.copytree(DEFAULT_MODEL_DIR, new)
    with np.load(new / "model.npz") as stored:
        arrays = {name: stored[name] for name in stored.files}
    arrays["words_vectors_int8"] = arrays["words_vectors_int8"][:, ::-1].copy()
    write_arrays(new / "model.npz", arrays)
    metadata = json.loads((new / "metadata.json").read_text("utf-8"))
    metadata["word_vectors"] = "1.1+data.other.seed0"
    metadata["version"] = metadata["version"].split(".inputs.")[0] + ".inputs.other"
    (new / "metadata.json").write_text(json.dumps(metadata), "utf-8")
    # One folder, retrained in place (a link, so that each version is read afresh).
    folder = tmp_path / "pairs"
    folder.symlink_to(old)
    settings = ClusterSettings(pair_model=folder)
    with Store(tmp_path / "index.sqlite") as store:
        ingest_paths([fixture("andorra2011_recs.pdf")], store, ONE_WORKER)
        store.update_clusters(settings, fresh=True)
        clustered = _assignment(store)
        # Two asks the old model parted, glued as an increment may have left them.
        first = min(clustered)
        second = min(rec_id for rec_id in clustered if clustered[rec_id] != clustered[first])
        with store.transaction() as db:
            db.execute(
                "UPDATE recommendations SET cluster_id = ? WHERE id = ?",
                (clustered[first], second),
            )
        folder.unlink()
        folder.symlink_to(new)
        store.update_clusters(settings, {"Andorra"})
        after = _assignment(store)
    assert after[first] != after[second]


def test_clusters_older_models_made_are_made_again_at_the_next_ingest_of_nothing_new(
    tmp_path: Path,
) -> None:
    # An upgrade that ships retrained models only (the same code: no file is read again), or
    # `uprdex train-*` into the shipped folders: the index's clusters are the old models'.
    index = tmp_path / "index.sqlite"
    with Store(index) as store:
        ingest_paths([fixture("andorra2011_recs.pdf")], store, ONE_WORKER)
    made_with = clustered_with(index)
    as_older_models_clustered_it(index)
    with Store(index) as store:
        ingest_paths([fixture("andorra2011_recs.pdf")], store, ONE_WORKER)  # nothing new
    assert clustered_with(index) == made_with


def test_changed_cluster_settings_recluster_every_state_not_only_the_new_documents(
    tmp_path: Path,
) -> None:
    # uprdex.toml's [clusters] changed between two ingests: the States the new document does
    # not touch must not keep the clusters of the old settings under the new settings' name.
    index = tmp_path / "index.sqlite"
    with Store(index) as store:
        ingest_paths([fixture("slovenia2014_recs.pdf")], store, ONE_WORKER)
        old = _assignment(store)
    strict = ClusterSettings(threshold=75.0, floor=65.0)
    with Store(index, clusters=strict) as store:
        ingest_paths([fixture("andorra2011_recs.pdf")], store, ONE_WORKER)
        after = _assignment(store)
        store.update_clusters(fresh=True)
        scratch = _assignment(store)
    slovenia = [rec_id for rec_id in old if rec_id.startswith("A/HRC/28/15")]
    assert {rec_id: old[rec_id] for rec_id in slovenia} != {
        rec_id: scratch[rec_id] for rec_id in slovenia
    }  # the new settings do change Slovenia's clusters
    assert after == scratch


def test_a_new_recurrence_model_relinks_the_recurring_asks_of_every_state(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An upgrade ships a retrained link model: an index made with the old one must not keep
    # its recurring asks as if nothing changed.
    index = tmp_path / "index.sqlite"

    def links(store: Store) -> set[tuple[str, str]]:
        rows = store.db.execute("SELECT later_id, earlier_id FROM recurrences")
        return {(later, earlier) for later, earlier in rows}

    with Store(index) as store:
        ingest_paths(
            [fixture("slovenia2010_recs.pdf"), fixture("slovenia2014_recs.pdf")], store, ONE_WORKER
        )
        before = links(store)
    assert before
    shipped = recurrence_model.shipped()
    stricter = dataclasses.replace(shipped, threshold=0.999)
    monkeypatch.setitem(recurrence_model._LOADED, recurrence_model.DEFAULT_MODEL_DIR, stricter)
    with Store(index) as store:
        ingest_paths([fixture("andorra2011_recs.pdf")], store, ONE_WORKER)
        after = links(store)
    assert after < before


def _first_text(store: Store) -> tuple[str, str]:
    rec_id, text = store.db.execute(
        "SELECT id, text FROM recommendations ORDER BY rowid LIMIT 1"
    ).fetchone()
    return rec_id, text


def _read_by_an_earlier_release(index: Path, report: Path) -> tuple[str, str]:
    """`report` indexed as an earlier release left it; its first ask's id and current text."""
    with Store(index) as store:
        ingest_paths([report], store, ONE_WORKER)
        rec_id, text = _first_text(store)
    as_an_earlier_release_left_it(index, rec_id)
    return rec_id, text


def test_a_file_an_earlier_release_read_is_read_again_at_its_next_ingest(tmp_path: Path) -> None:
    index = tmp_path / "index.sqlite"
    report = fixture("slovenia2014_recs.pdf")
    rec_id, text = _read_by_an_earlier_release(index, report)
    counts = _counts(index)
    with Store(index) as store:
        again = ingest_paths([report], store, ONE_WORKER)
        assert [result.outcome for result in again] == ["indexed"]
        assert _first_text(store) == (rec_id, text)
        assert [result.outcome for result in ingest_paths([report], store, ONE_WORKER)] == [
            "unchanged"
        ]
    assert _counts(index) == counts


def test_a_file_that_fails_when_read_again_keeps_its_earlier_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = tmp_path / "index.sqlite"
    report = fixture("slovenia2014_recs.pdf")
    rec_id, _ = _read_by_an_earlier_release(index, report)
    counts = _counts(index)

    def parser_that_fails(*_: object) -> None:
        raise RuntimeError("this release cannot read it")

    monkeypatch.setattr("uprdex.flows.extract.parse_wg_report", parser_that_fails)
    with Store(index) as store:
        (result,) = ingest_paths([report], store, ONE_WORKER)
        assert result.outcome == "unchanged"
        assert "the earlier reading is kept" in result.warnings[0]
        assert _first_text(store) == (rec_id, "as an earlier release read it")
    assert _counts(index) == counts


def test_the_line_of_an_earlier_reading_kept_names_the_file_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # review23 finding 13: "kept inbox/x.pdf: read again by this release, it failed (x.pdf: no
    # text layer ...)": the command names the file before the warning, which named it again.
    index = tmp_path / "index.sqlite"
    report = fixture("slovenia2014_recs.pdf")
    _read_by_an_earlier_release(index, report)

    def parser_that_fails(*_: object) -> None:
        raise RuntimeError("this release cannot read it")

    monkeypatch.setattr("uprdex.flows.extract.parse_wg_report", parser_that_fails)
    with Store(index) as store:
        (result,) = ingest_paths([report], store, ONE_WORKER)
    (warning,) = result.warnings
    assert warning.startswith("read again by this release, it failed (")
    assert "this release cannot read it" in warning and report.name not in warning


def test_reading_again_keeps_the_clusters_of_the_asks_it_reads_the_same(tmp_path: Path) -> None:
    # Imported asks are not read again: the ones read again must join their clusters as they
    # were, not be clustered anew around the imports (which moved four Slovenia asks).
    index = tmp_path / "index.sqlite"
    reports = [fixture("slovenia2010_recs.pdf"), fixture("slovenia2014_recs.pdf")]
    with Store(index) as store:
        ingest_paths(reports, store, ONE_WORKER)
        import_file(fixture("upr_info_slovenia_s20.csv"), "upr-info", store)
        import_file(fixture("svn2014_thematic_list.docx"), "thematic-list", store)
        before = _assignment(store)
        recurrences = store.db.execute("SELECT * FROM recurrences ORDER BY 1, 2").fetchall()
    as_an_earlier_release_left_it(index, "none")
    with Store(index) as store:
        again = ingest_paths(reports, store, ONE_WORKER)
        assert [result.outcome for result in again] == ["indexed", "indexed"]
        assert _assignment(store) == before
        assert store.db.execute("SELECT * FROM recurrences ORDER BY 1, 2").fetchall() == recurrences


def test_a_file_a_later_release_read_is_not_read_again_by_an_earlier_one(tmp_path: Path) -> None:
    index = tmp_path / "index.sqlite"
    report = fixture("slovenia2014_recs.pdf")
    with Store(index) as store:
        ingest_paths([report], store, ONE_WORKER)
        store.db.execute("UPDATE documents SET reader = '99.0-0123456789abcdef'")
        assert [result.outcome for result in ingest_paths([report], store, ONE_WORKER)] == [
            "unchanged"
        ]
        store.db.execute("UPDATE documents SET reader = '0.0.1-0123456789abcdef'")
        assert [result.outcome for result in ingest_paths([report], store, ONE_WORKER)] == [
            "indexed"
        ]


def test_a_reading_again_that_gives_fewer_recommendations_says_so(tmp_path: Path) -> None:
    index = tmp_path / "index.sqlite"
    report = fixture("slovenia2014_recs.pdf")
    _read_by_an_earlier_release(index, report)
    with Store(index) as store:
        fake = store.db.execute("SELECT * FROM recommendations LIMIT 1").fetchone()
        store.db.execute(  # the earlier reading held one more
            "INSERT INTO recommendations (id, document_sha256, text, response, section_response)"
            " VALUES ('A/HRC/28/15#115.999', ?, 'an ask', 'unknown', 'unknown')",
            (fake["document_sha256"],),
        )
        (result,) = ingest_paths([report], store, ONE_WORKER)
    assert "read again, it gives 30 recommendations where the earlier reading gave 31" in (
        result.warnings
    )
