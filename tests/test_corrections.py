"""A researcher's links and unlinks: the stage that applies them, and that they hold through a
from-scratch `uprdex cluster`, `--defaults`, a new ingest, a re-ingest and a retrained model."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from uprdex.flows.cli import main
from uprdex.pipeline.cluster_reasons import pair_scores
from uprdex.pipeline.clusters import Cluster, ClusterItem, ClusterResult, Recurrence, cluster
from uprdex.pipeline.corrections import (
    Correction,
    CorrectionError,
    apply_corrections,
    contradictions,
    merge_corrections,
    read_csv,
    write_csv,
)
from uprdex.pipeline.settings import ClusterSettings
from uprdex.pipeline.store import Store

from helpers import FIXTURES, fixture

# Slovenia 2014 (A/HRC/28/15): the clustering puts the asks to ratify the migrant workers'
# convention together (115.8, 115.9) and keeps trafficking (2010, 111.40) apart from
# ratifying the enforced disappearance convention (2014, 115.5).
TOGETHER = ("A/HRC/28/15#115.8", "A/HRC/28/15#115.9")
APART = ("A/HRC/14/15#111.40", "A/HRC/28/15#115.5")


def _items(*texts: str) -> list[ClusterItem]:
    return [ClusterItem(f"R#{i}", text, "Slovenia", 3, 34) for i, text in enumerate(texts, 1)]


def _score(texts: list[str], places: object = None) -> list[list[float]]:
    """Words in common, as a share of the longer text (0-100): enough to tell the groups
    (wherever they are printed)."""
    words = [set(text.split()) for text in texts]
    return [[100 * len(a & b) / max(len(a), len(b)) for b in words] for a in words]


def _groups(result: ClusterResult) -> set[frozenset[str]]:
    return {frozenset(c.member_ids) for c in result.clusters}


def _result(groups: list[list[str]]) -> ClusterResult:
    """A clustering's output with these groups (cluster "c-N" for group N)."""
    clusters = tuple(
        Cluster(f"c-{n}", tuple(sorted(group)), min(group), "", (3,), False)
        for n, group in enumerate(groups)
    )
    return ClusterResult(
        clusters=clusters,
        assignment={member: c.id for c in clusters for member in c.member_ids},
        settings=ClusterSettings(),
    )


ITEMS = _items(
    "ratify the convention on migrant workers",
    "ratify the convention on migrant workers promptly",
    "combat trafficking in persons",
    "combat trafficking in persons and punish traffickers",
    "ratify the migrant workers convention and combat trafficking",
)


def test_a_link_merges_the_two_clusters_around_it() -> None:
    result = _result([["R#1", "R#2"], ["R#3", "R#4"], ["R#5"]])
    link = Correction.of("R#2", "R#3", "link")
    applied = apply_corrections(result, ITEMS, [link], _score)
    assert _groups(applied) == {frozenset({"R#1", "R#2", "R#3", "R#4"}), frozenset({"R#5"})}
    # The merged cluster keeps the id of the cluster holding the smallest member.
    assert applied.assignment["R#4"] == "c-0"


def test_links_are_transitive() -> None:
    result = _result([["R#1"], ["R#2"], ["R#3"], ["R#4"], ["R#5"]])
    links = [Correction.of("R#1", "R#3", "link"), Correction.of("R#3", "R#5", "link")]
    applied = apply_corrections(result, ITEMS, links, _score)
    assert applied.assignment["R#1"] == applied.assignment["R#5"]
    assert applied.assignment["R#2"] != applied.assignment["R#1"]


def test_an_unlink_splits_a_cluster_and_the_others_follow_the_nearer_end() -> None:
    result = _result([["R#1", "R#2", "R#3", "R#4", "R#5"]])
    unlink = Correction.of("R#1", "R#3", "unlink")
    applied = apply_corrections(result, ITEMS, [unlink], _score)
    assert applied.assignment["R#1"] != applied.assignment["R#3"]
    assert applied.assignment["R#2"] == applied.assignment["R#1"]  # migrant workers
    assert applied.assignment["R#4"] == applied.assignment["R#3"]  # trafficking
    # The part with the smallest member keeps the id; the other gets a new one.
    assert applied.assignment["R#1"] == "c-0"
    assert applied.assignment["R#3"].startswith("c-") and len(applied.assignment["R#3"]) == 14


def test_linked_recommendations_move_together_when_an_unlink_splits() -> None:
    result = _result([["R#1", "R#2", "R#3", "R#4", "R#5"]])
    corrections = [
        Correction.of("R#1", "R#3", "unlink"),
        # R#4 reads like trafficking, but the researcher ties it to R#2.
        Correction.of("R#2", "R#4", "link"),
    ]
    applied = apply_corrections(result, ITEMS, corrections, _score)
    assert applied.assignment["R#4"] == applied.assignment["R#2"] == applied.assignment["R#1"]
    assert applied.assignment["R#3"] != applied.assignment["R#1"]


def test_an_unlink_split_scores_the_members_where_they_are_printed() -> None:
    # Colombia 2013 (A/HRC/24/6) prints two asks of one commitment next to each other, 116.11
    # and 116.12 (bench/gold): read there they score 54.2 (as texts alone, 47.1). A third ask
    # printed 38 places further down (made up: its number and text) reads closer to 116.12 as
    # a text (64.2) and further where it is printed (52.0). The clustering joins the three;
    # unlinking the third from 116.11 splits them, and 116.12 stays with its neighbour, as the
    # clustering scored them, not with the ask its text alone is closer to.
    symbol = "A/HRC/24/6#116."
    texts = {n: f"Ratify treaty number {n}" for n in range(1, 61)}
    texts[11] = "Activate a negotiating process for a peaceful settlement"
    texts[12] = (
        "Continue its work to strengthen the rule of law and its efforts within the peace "
        "process between the Government and the FARC"
    )
    texts[50] = "Continue the peace process between the Government and the FARC through negotiation"
    items = [ClusterItem(f"{symbol}{n}", text, "Colombia", 2, 16) for n, text in texts.items()]
    settings = ClusterSettings()
    result = cluster(items, settings)
    assert len({result.assignment[f"{symbol}{n}"] for n in (11, 12, 50)}) == 1
    unlink = Correction.of(f"{symbol}50", f"{symbol}11", "unlink")
    applied = apply_corrections(result, items, [unlink], partial(pair_scores, settings=settings))
    assert applied.assignment[f"{symbol}12"] == applied.assignment[f"{symbol}11"]
    assert applied.assignment[f"{symbol}50"] != applied.assignment[f"{symbol}11"]


def test_an_unlink_split_reads_a_text_printed_in_two_reports_where_the_clustering_did() -> None:
    # Scope "all": the FARC ask of Colombia 2013 (A/HRC/24/6#116.12, real) is printed again in
    # a later cycle-2 report next to the peace ask (made up, as the rest of that report: 120.40
    # and 120.41), and a close text 38 places further (120.79). One node holds both FARC asks,
    # read with the peace ask where both are printed, next to each other (as in the test
    # above: 54.2; with 120.79 52.0). Unlinking the peace ask from 120.79 splits the four: the
    # FARC asks go with the peace ask, as the clustering scored them, not with 120.79 because
    # the earlier copy, read alone in its own report, scores as two reports' (47.1 with the
    # peace ask, 64.2).
    farc = (
        "Continue its work to strengthen the rule of law and its efforts within the peace "
        "process between the Government and the FARC"
    )
    later = "A/HRC/39/6#120."
    texts = {n: f"Ratify treaty number {n}" for n in range(1, 91)}
    texts[40] = "Activate a negotiating process for a peaceful settlement"
    texts[41] = farc
    texts[79] = "Continue the peace process between the Government and the FARC through negotiation"
    items = [ClusterItem(f"{later}{n}", text, "Colombia", 2, 30) for n, text in texts.items()]
    items.append(ClusterItem("A/HRC/24/6#116.12", farc, "Colombia", 2, 16))
    settings = ClusterSettings(scope="all")
    result = cluster(items, settings)
    asks = ["A/HRC/24/6#116.12", f"{later}40", f"{later}41", f"{later}79"]
    assert len({result.assignment[ask] for ask in asks}) == 1
    unlink = Correction.of(f"{later}40", f"{later}79", "unlink")
    applied = apply_corrections(result, items, [unlink], partial(pair_scores, settings=settings))
    assert applied.assignment[f"{later}41"] == applied.assignment[f"{later}40"]
    assert applied.assignment["A/HRC/24/6#116.12"] == applied.assignment[f"{later}40"]


# One State's asks of two reviews: E of 2010 (session 7), L of 2014 (session 20).
TWO_REVIEWS = [
    ClusterItem("E#1", "consider ratifying the convention on migrant workers", "Kazakhstan", 1, 7),
    ClusterItem("L#1", "ratify the convention on migrant workers", "Kazakhstan", 2, 20),
    ClusterItem("L#2", "ratify the convention on migrant workers promptly", "Kazakhstan", 2, 20),
]


def _links(result: ClusterResult) -> set[tuple[str, str, float]]:
    return {(r.later_id, r.earlier_id, r.score) for r in result.recurrences}


def test_a_link_across_reviews_makes_the_same_asked_before_whatever_clustering_it_follows() -> None:
    # review32 finding 9: the clustering finds "asked before" among the clusters it makes, a
    # link merges clusters after it. From scratch the link's cluster is two clusters there (no
    # link across reviews); kept whole from the last run it is one, with the pairs scored
    # then. Either way the 2014 asks repeat the 2010 ask, scored alike.
    link = Correction.of("E#1", "L#1", "link")
    fresh = apply_corrections(_result([["E#1"], ["L#1", "L#2"]]), TWO_REVIEWS, [link], _score)
    matrix = _score([item.text for item in TWO_REVIEWS])
    expected = {("L#1", "E#1", round(matrix[1][0], 1)), ("L#2", "E#1", round(matrix[2][0], 1))}
    assert _links(fresh) == expected
    kept = replace(
        _result([["E#1", "L#1", "L#2"]]),
        recurrences=(Recurrence("L#1", "E#1", 99.0, True), Recurrence("L#2", "E#1", 99.0, True)),
    )
    assert _links(apply_corrections(kept, TWO_REVIEWS, [link], _score)) == expected


def test_an_unlink_split_takes_away_the_asked_before_its_cluster_made() -> None:
    # Both 2014 asks repeat the 2010 ask only as one cluster's members. An unlink of E#1 and
    # L#1 parts E#1 from both (L#2 reads nearer L#1): L#2 no longer repeats it either, as
    # after a clustering that kept the parts whole.
    unlink = Correction.of("E#1", "L#1", "unlink")
    whole = replace(
        _result([["E#1", "L#1", "L#2"]]),
        recurrences=(Recurrence("L#1", "E#1", 80.0, True), Recurrence("L#2", "E#1", 70.0, True)),
    )
    split = apply_corrections(whole, TWO_REVIEWS, [unlink], _score)
    assert split.assignment["E#1"] != split.assignment["L#1"] == split.assignment["L#2"]
    assert not _links(split)
    parts = _result([["E#1"], ["L#1", "L#2"]])
    assert not _links(apply_corrections(parts, TWO_REVIEWS, [unlink], _score))


def test_a_contradiction_is_found_with_the_chain_of_links() -> None:
    corrections = [
        Correction.of("R#1", "R#2", "link"),
        Correction.of("R#2", "R#3", "link"),
        Correction.of("R#1", "R#3", "unlink"),
    ]
    (found,) = contradictions(corrections)
    assert found.unlink.pair == ("R#1", "R#3")
    assert [c.pair for c in found.chain] == [("R#1", "R#2"), ("R#2", "R#3")]
    assert "forget one" in str(found)


def test_a_later_word_on_a_pair_replaces_the_earlier() -> None:
    old = Correction.of("R#2", "R#1", "link", at="2025-01-01T00:00:00+00:00")
    new = Correction.of("R#1", "R#2", "unlink", at="2025-02-01T00:00:00+00:00")
    assert merge_corrections([old], [new]) == [new]
    assert merge_corrections([new], [old]) == [new]  # an older import does not win


def test_corrections_csv_round_trip_keeps_a_note_that_looks_like_a_formula(
    tmp_path: Path,
) -> None:
    corrections = [
        Correction.of("A/HRC/28/15#115.8", "A/HRC/28/15#115.9", "unlink", "=not the same", "ana"),
        Correction.of("A/HRC/28/15#115.1", "A/HRC/28/15#115.2", "link", "same law", "ben", "x"),
    ]
    write_csv(corrections, tmp_path / "links.csv")
    assert "'=not the same" in (tmp_path / "links.csv").read_text(encoding="utf-8-sig")
    assert read_csv(tmp_path / "links.csv") == corrections


def test_a_bad_corrections_file_is_one_line_naming_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "links.csv"
    bad.write_text("kind,first,second\nmaybe,A#1,A#2\n", encoding="utf-8")
    with pytest.raises(CorrectionError, match=r"links.csv row 2: kind must be"):
        read_csv(bad)
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(CorrectionError, match="not a corrections file"):
        read_csv(bad)


# --- through the index and the command line ------------------------------------------------


def _run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def _clusters(index: Path) -> dict[str, str]:
    with Store(index) as store:
        return dict(store.db.execute("SELECT id, cluster_id FROM recommendations").fetchall())


def _holds(index: Path) -> None:
    found = _clusters(index)
    assert found[APART[0]] == found[APART[1]], "the link does not hold"
    assert found[TOGETHER[0]] != found[TOGETHER[1]], "the unlink does not hold"


@pytest.fixture
def index(tmp_path: Path) -> Path:
    """Slovenia's 2010 and 2014 reports, clustered by the algorithm alone, then corrected."""
    path = tmp_path / "index.sqlite"
    report = tmp_path / "slovenia2014.pdf"
    shutil.copy(fixture("slovenia2014_recs.pdf"), report)
    _run("ingest", str(report), str(fixture("slovenia2010_recs.pdf")), "--index", str(path))
    before = _clusters(path)
    assert before[TOGETHER[0]] == before[TOGETHER[1]]
    assert before[APART[0]] != before[APART[1]]
    linked = _run("cluster", "link", *APART, "--note", "one commitment", "--index", str(path))
    assert "both are in cluster" in linked
    _run("cluster", "unlink", *TOGETHER, "--index", str(path))
    _holds(path)
    return path


def test_link_and_unlink_hold_through_a_clustering_from_scratch(index: Path) -> None:
    output = _run("cluster", "--index", str(index))
    assert "corrections kept: 1 link, 1 unlink" in output
    _holds(index)
    _run("cluster", "--scope", "review", "--threshold", "80", "--index", str(index))
    _holds(index)
    _run("cluster", "--defaults", "--index", str(index))
    _holds(index)


def test_link_and_unlink_hold_through_a_new_ingest_and_a_reingest(
    index: Path, tmp_path: Path
) -> None:
    import pikepdf

    _run("ingest", str(fixture("svn2014_addendum.pdf")), "--index", str(index))
    _holds(index)
    # The same report with other bytes: its recommendations are deleted and written again.
    report = tmp_path / "slovenia2014.pdf"
    with pikepdf.open(report, allow_overwriting_input=True) as pdf:
        pdf.docinfo["/Subject"] = "re-saved"
        pdf.save(report)
    output = _run("ingest", str(report), "--index", str(index))
    assert "indexed" in output
    _holds(index)


def test_link_and_unlink_hold_with_a_retrained_similarity_model(
    index: Path, tmp_path: Path
) -> None:
    from uprdex.pipeline.train_semantic import train

    train(FIXTURES / "upr_info_slovenia_s20.csv", tmp_path / "model", dimensions=8, min_df=1)
    with Store(index) as store:
        # A model of another version: the index's clusters are made again, not kept.
        # The weighted mix: the pair model was trained with the shipped similarity model.
        retrained = ClusterSettings(similarity_model=tmp_path / "model", learned=False)
        store.update_clusters(retrained, {"Slovenia"})
    _holds(index)


def test_links_are_listed_exported_and_imported_into_another_index(
    index: Path, tmp_path: Path
) -> None:
    listed = _run("cluster", "links", "--index", str(index))
    assert f"link   {APART[0]} {APART[1]}" in listed
    assert "'one commitment'" in listed and "2 corrections" in listed
    shared = tmp_path / "links.csv"
    _run("cluster", "links", "--export", str(shared), "--index", str(index))
    other = tmp_path / "other.sqlite"
    _run(
        "ingest",
        str(fixture("slovenia2014_recs.pdf")),
        str(fixture("slovenia2010_recs.pdf")),
        "--index",
        str(other),
    )
    imported = _run("cluster", "links", "--import", str(shared), "--index", str(other))
    assert "2 new or changed" in imported
    _holds(other)


def test_a_contradicting_link_is_refused_and_nothing_changes(index: Path) -> None:
    runner = CliRunner()
    # 115.8 = 115.9 would contradict their unlink.
    result = runner.invoke(main, ["cluster", "link", *TOGETHER, "--index", str(index)])
    assert result.exit_code == 0  # the same pair: the later word replaces the unlink
    assert "replaces the unlink" in result.output
    found = _clusters(index)
    assert found[TOGETHER[0]] == found[TOGETHER[1]]
    _run("cluster", "link", TOGETHER[1], "A/HRC/28/15#115.10", "--index", str(index))
    refused = runner.invoke(
        main, ["cluster", "unlink", TOGETHER[0], "A/HRC/28/15#115.10", "--index", str(index)]
    )
    assert refused.exit_code == 2
    assert "linked through" in refused.output and "forget one" in refused.output
    with Store(index) as store:
        assert len(store.corrections()) == 3


def test_forget_undoes_a_link_from_scratch(index: Path) -> None:
    forgot = _run("cluster", "forget", *APART, "--index", str(index))
    assert "were linked" in forgot
    found = _clusters(index)
    assert found[APART[0]] != found[APART[1]]
    assert found[TOGETHER[0]] != found[TOGETHER[1]]  # the unlink still holds


def test_unlink_after_link_finds_a_free_cluster_id(tmp_path: Path) -> None:
    # Slovenia 2014's 115.1 and 115.2, apart by the algorithm: the link names their cluster
    # after 115.2 (the smaller hash), so the unlink splits 115.2 off a cluster named after it.
    pair = ("A/HRC/28/15#115.1", "A/HRC/28/15#115.2")
    path = tmp_path / "index.sqlite"
    report = tmp_path / "slovenia2014.pdf"
    shutil.copy(fixture("slovenia2014_recs.pdf"), report)
    _run("ingest", str(report), str(fixture("slovenia2010_recs.pdf")), "--index", str(path))
    for kind in ("link", "unlink", "link", "unlink"):
        _run("cluster", kind, *pair, "--index", str(path))
        found = _clusters(path)
        assert (found[pair[0]] == found[pair[1]]) == (kind == "link"), kind
    _run("cluster", "link", *APART, "--index", str(path))  # a later correction works too
    _run("cluster", "--index", str(path))
    found = _clusters(path)
    assert found[pair[0]] != found[pair[1]] and found[APART[0]] == found[APART[1]]


def test_the_cluster_export_marks_clusters_shaped_by_a_correction(index: Path) -> None:
    import json

    rows = [
        json.loads(line)
        for line in _run(
            "export", "--what", "clusters", "--format", "jsonl", "--index", str(index)
        ).splitlines()
    ]
    curated = {row["cluster_id"]: row for row in rows if row["curated"]}
    found = _clusters(index)
    assert set(curated) == {found[APART[0]], found[TOGETHER[0]], found[TOGETHER[1]]}
    link = curated[found[APART[0]]]["corrections"][0]
    assert (link["kind"], link["note"]) == ("link", "one commitment")
    assert not any(row["corrections"] for row in rows if not row["curated"])


def test_bad_corrections_are_one_line(index: Path) -> None:
    runner = CliRunner()
    missing = runner.invoke(
        main, ["cluster", "link", APART[0], "A/HRC/28/15#999.9", "--index", str(index)]
    )
    said = "no recommendation 999.9 in A/HRC/28/15 in the index"  # as `show` says it
    assert missing.exit_code == 2 and said in missing.output
    itself = runner.invoke(main, ["cluster", "unlink", APART[0], APART[0], "--index", str(index)])
    assert itself.exit_code == 2 and "linked to itself" in itself.output
    mixed = runner.invoke(main, ["cluster", "--scope", "all", "links", "--index", str(index)])
    assert mixed.exit_code == 2 and "--scope set the clustering" in mixed.output


def test_the_report_says_why_each_cluster_is_together(index: Path, tmp_path: Path) -> None:
    import re

    import numpy as np

    from uprdex.pipeline.clusters import load_treaties, normalize
    from uprdex.pipeline.clusters.positions import item_places
    from uprdex.pipeline.clusters.similarity import Similarity
    from uprdex.pipeline.report import write_report

    with Store(index) as store:
        page = write_report(store, tmp_path / "html", "Slovenia").read_text(encoding="utf-8")
        recs = list(store.recommendations())
        texts = {rec.id: rec.text for rec in recs}
        settings = store.cluster_settings()
        linked = store.db.execute(
            "SELECT cluster_id FROM recommendations WHERE id = ?", (APART[0],)
        ).fetchone()[0]
    pairs = re.findall(r"the strongest pair, (\S+) and (\S+), scores ([\d.]+) of 100", page)
    assert len(pairs) == page.count('<h3 id="c-')
    # The clustering's own score of that pair: its texts, and where the two are printed.
    places = item_places([rec.id for rec in recs], [rec.cycle for rec in recs])
    row = {rec.id: at for at, rec in enumerate(recs)}
    treaties = load_treaties(settings.treaties)
    for a, b, score in pairs:
        normalized = [normalize(texts[a], treaties), normalize(texts[b], treaties)]
        similarity = Similarity(normalized, treaties, settings, places[[row[a], row[b]]])
        assert float(score) == round(float(similarity.pairs(np.array([[0, 1]]), 0)[0]), 1)
    section = page.split(f'<h3 id="{linked}"')[1].split("<h3")[0]
    assert "linked by a researcher</span> " + f"{APART[0]} = {APART[1]}" in section
    assert "one commitment" in section
    closest = re.findall(r"<td>(A/HRC/\S+) \(([\d.]+)\)</td>", section)
    assert len(closest) == section.count("<tr>") - 1  # every member names its closest one
    assert "kept apart by a researcher" in page


def test_every_cluster_subcommand_has_help() -> None:
    from uprdex.flows.cli.clustering import cluster_

    runner = CliRunner()
    assert set(cluster_.commands) == {"link", "unlink", "forget", "links"}
    for name, command in cluster_.commands.items():
        result = runner.invoke(main, ["cluster", name, "--help"])
        assert result.exit_code == 0, name
        assert command.help and len(command.help) > 20, name


def test_a_contradiction_written_around_the_cli_is_reported_by_every_clustering(
    index: Path,
) -> None:
    # Written straight into the table (the commands refuse it): APART unlinked, yet both
    # linked to TOGETHER[0].
    with Store(index) as store, store.transaction() as db:
        db.execute(
            "UPDATE cluster_corrections SET kind = 'unlink' WHERE first = ? AND second = ?",
            tuple(sorted(APART)),
        )
        for end in APART:
            db.execute(
                "INSERT INTO cluster_corrections VALUES (?, ?, 'link', '', 'x', '')",
                tuple(sorted((end, TOGETHER[0]))),
            )
    result = CliRunner().invoke(main, ["cluster", "--index", str(index)])
    assert result.exit_code == 0
    assert "contradiction" in result.output and "linked through" in result.output
    listed = CliRunner().invoke(main, ["cluster", "links", "--index", str(index)])
    assert "contradiction" in listed.output


def _exported(index: Path, what: str, *filters: str) -> list[dict[str, Any]]:
    output = _run("export", "--what", what, "--format", "jsonl", "--index", str(index), *filters)
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def test_a_linked_cluster_has_no_confidence_after_the_next_clustering(index: Path) -> None:
    # The link's members were placed by the researcher: no score vouches for them, before or
    # after the clustering that keeps the previous clusters whole (a nightly run's).
    with Store(index) as store:
        store.update_clusters(states={"Slovenia"})
    for step in ((), ("cluster", "--index", str(index))):
        if step:
            _run(*step)
        linked = next(c for c in _exported(index, "clusters") if APART[0] in c["members"])
        assert linked["confidence"] is None and linked["member_confidence"] == []
        recs = {r["id"]: r for r in _exported(index, "recommendations")}
        assert recs[APART[0]]["cluster_confidence"] is None


def test_an_unlinked_pair_is_not_asked_before(index: Path) -> None:
    # 115.14 (2014) repeats 111.2 (2010) until a researcher says they are two asks.
    later, earlier = "A/HRC/28/15#115.14", "A/HRC/14/15#111.2"
    recs = {r["id"]: r for r in _exported(index, "recommendations")}
    assert earlier in [ask["id"] for ask in recs[later]["repeats"]]
    _run("cluster", "unlink", later, earlier, "--index", str(index))
    recs = {r["id"]: r for r in _exported(index, "recommendations")}
    assert earlier not in [ask["id"] for ask in recs[later]["repeats"]]


def _asked_before(index: Path, later: str) -> list[tuple[str, float]]:
    """The earlier asks `later` repeats, with their scores, as the recommendations export
    lists them."""
    recs = {r["id"]: r for r in _exported(index, "recommendations")}
    return [(ask["id"], ask["score"]) for ask in recs[later]["repeats"]]


def test_asked_before_follows_the_corrections_whichever_command_ran_last(
    tmp_path: Path,
) -> None:
    # review32 finding 9: a researcher links a 2014 ask to a 2010 ask the clustering did not
    # (115.5 and 111.40, APART): 115.5 shows 111.40 under "asked before" right after `cluster
    # link`, with one score, through an unrelated unlink, a clustering from scratch and a new
    # ingest. An unlink of a repeat (115.14 and 111.2) holds likewise. Before, only the
    # command run after the link showed it (it kept the linked cluster whole), and a
    # clustering from scratch took it away.
    path = tmp_path / "index.sqlite"
    index = ("--index", str(path))
    _run(
        "ingest",
        str(fixture("slovenia2014_recs.pdf")),
        str(fixture("slovenia2010_recs.pdf")),
        *index,
    )
    earlier, later = APART
    repeated, again = "A/HRC/14/15#111.2", "A/HRC/28/15#115.14"
    assert repeated in dict(_asked_before(path, again))
    steps = {
        "link": ("cluster", "link", earlier, later),
        "unrelated unlink": ("cluster", "unlink", *TOGETHER),
        "unlink of a repeat": ("cluster", "unlink", again, repeated),
        "from scratch": ("cluster",),
        "new ingest": ("ingest", str(fixture("svn2014_addendum.pdf"))),
        "kept whole": ("cluster", "unlink", *TOGETHER),
    }
    seen = {}
    for step, args in steps.items():
        _run(*args, *index)
        seen[step] = dict(_asked_before(path, later))
        assert earlier in seen[step], (step, seen)
        if step != "link" and step != "unrelated unlink":
            assert repeated not in dict(_asked_before(path, again)), step
    assert len({tuple(sorted(found.items())) for found in seen.values()}) == 1, seen


def test_a_filtered_cluster_export_keeps_the_whole_clusters_confidence(index: Path) -> None:
    whole = {c["cluster_id"]: c["confidence"] for c in _exported(index, "clusters")}
    filtered = _exported(index, "clusters", "--cycle", "2")
    assert any(
        len(c["members"]) < len(c["states"]) or c["size"] > len(c["members"]) for c in filtered
    )
    for found in filtered:
        assert found["confidence"] == whole[found["cluster_id"]]


def test_a_full_disk_leaves_the_earlier_corrections_file_whole(tmp_path: Path) -> None:
    """probe4: `uprdex cluster links --export team.csv` wrote over the team's file in place;
    a disk that filled half-way left half a file. Now it is replaced whole or not at all."""
    import subprocess
    import sys
    import textwrap

    out = tmp_path / "team.csv"
    earlier = "kind,first,second,note,who,at\r\nlink,A/HRC/28/15#115.1,A/HRC/28/15#115.2,,ana,\r\n"
    out.write_text(earlier, encoding="utf-8", newline="")
    code = textwrap.dedent(
        f"""
        import resource, signal
        from pathlib import Path
        from uprdex.pipeline.corrections import Correction, write_csv
        pairs = [(f"A/HRC/28/15#115.{{n}}", f"A/HRC/28/15#115.{{n + 1}}") for n in range(1, 30)]
        notes = [Correction.of(a, b, "link", "one commitment " * 4, "ana") for a, b in pairs]
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a full disk: writes fail with EFBIG
        resource.setrlimit(resource.RLIMIT_FSIZE, (400, 400))
        try:
            write_csv(notes, Path({str(out)!r}))
        except OSError:
            raise SystemExit(3)
        """
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 3, done.stderr
    assert out.read_bytes() == earlier.encode()
    assert [p.name for p in tmp_path.iterdir()] == ["team.csv"]


def test_corrections_csv_round_trip_keeps_every_column_not_only_the_note(tmp_path: Path) -> None:
    """review12: since probe4 `write_csv` neutralises every text cell (who, first, second, at),
    but `read_csv` restores only the note: a login "-bot" came back as "'-bot", and importing a
    team's file into the index that wrote it said "1 new or changed" instead of "already here".
    A note that already held ";'=" lost its "'" on the way back."""
    corrections = [
        Correction.of("A/HRC/28/15#115.8", "A/HRC/28/15#115.9", "unlink", "differ", "-bot"),
        Correction.of("A/HRC/28/15#115.1", "A/HRC/28/15#115.2", "link", "x;'=y", "@ana"),
    ]
    write_csv(corrections, tmp_path / "links.csv")
    assert read_csv(tmp_path / "links.csv") == corrections


def test_link_and_forget_take_an_imported_id_kept_from_before_its_report(index: Path) -> None:
    # fiximports (review15 finding 2, `cluster link`): an imported ask's id kept from before
    # its WG report was indexed said "no recommendation upr-info:SVN:20:... in the index",
    # though the index links it to the report's ask.
    from uprdex.flows.ingest import import_file

    with Store(index) as store:
        import_file(fixture("upr_info_slovenia_s20.csv"), "upr-info", store)
        kept = store.db.execute(
            "SELECT import_id FROM imports WHERE recommendation_id = 'A/HRC/28/15#115.1'"
        ).fetchone()[0]
    pair = ("A/HRC/28/15#115.1", "A/HRC/28/15#115.2")
    linked = _run("cluster", "link", kept, pair[1], "--index", str(index))
    assert f"{kept}, an imported ask, is now the report's {pair[0]}" in linked
    assert f"linked {pair[0]} and {pair[1]}; both are in cluster" in linked
    found = _clusters(index)
    assert found[pair[0]] == found[pair[1]]
    assert "forgot that" in _run("cluster", "forget", kept, pair[1], "--index", str(index))
    typo = CliRunner().invoke(
        main, ["cluster", "link", "A/HRC/28/15:115.1", pair[1], "--index", str(index)]
    )
    assert typo.exit_code == 2
    assert "did you mean A/HRC/28/15#115.1?" in typo.output, typo.output


def test_a_link_of_imported_asks_holds_once_their_report_is_indexed(tmp_path: Path) -> None:
    # fiximports (review15 finding 2, kept ids in the index): `cluster link` of two asks known
    # from UPR Info alone was recorded under their upr-info: ids; once the WG report was
    # indexed their records were gone, the link held nothing (115.1 and 115.2, apart by the
    # algorithm, stayed apart) and `status` counted a correction naming no ask.
    from uprdex.flows.ingest import import_file

    path = tmp_path / "index.sqlite"
    with Store(path) as store:
        import_file(fixture("upr_info_slovenia_s20.csv"), "upr-info", store)
        first, second = (
            row[0] for row in store.db.execute("SELECT import_id FROM imports ORDER BY row LIMIT 2")
        )
    _run("cluster", "link", first, second, "--note", "one commitment", "--index", str(path))
    _run("ingest", str(fixture("slovenia2014_recs.pdf")), "--index", str(path))
    pair = ("A/HRC/28/15#115.1", "A/HRC/28/15#115.2")
    found = _clusters(path)
    assert found[pair[0]] == found[pair[1]], "the link does not hold"
    listed = _run("cluster", "links", "--index", str(path))
    assert listed.startswith(f"link   {pair[0]} {pair[1]}") and "'one commitment'" in listed
    assert "not in this index" not in listed
    assert "naming an ask not in this index" not in _run("status", "--index", str(path))


def test_links_of_imported_asks_imported_into_an_index_with_their_report_hold(
    tmp_path: Path,
) -> None:
    # fiximports: `cluster links --import` of a CSV from an index that knew two asks from UPR
    # Info alone recorded them under their upr-info: ids in an index that holds their WG
    # report: the link held nothing there.
    from uprdex.flows.ingest import import_file

    alone, full = tmp_path / "alone.sqlite", tmp_path / "full.sqlite"
    for path in (alone, full):
        with Store(path) as store:
            import_file(fixture("upr_info_slovenia_s20.csv"), "upr-info", store)
            first, second = (
                row[0]
                for row in store.db.execute("SELECT import_id FROM imports ORDER BY row LIMIT 2")
            )
    _run("cluster", "link", first, second, "--index", str(alone))
    shared = tmp_path / "links.csv"
    _run("cluster", "links", "--export", str(shared), "--index", str(alone))
    _run("ingest", str(fixture("slovenia2014_recs.pdf")), "--index", str(full))
    imported = _run("cluster", "links", "--import", str(shared), "--index", str(full))
    assert "1 correction named an imported ask by its id" in imported
    found = _clusters(full)
    assert found["A/HRC/28/15#115.1"] == found["A/HRC/28/15#115.2"], "the link does not hold"


def _imported(path: Path, rows: int = 2) -> list[str]:
    """The first `rows` imported asks' ids of UPR Info's Slovenia 2014 rows, imported here."""
    from uprdex.flows.ingest import import_file

    with Store(path) as store:
        import_file(fixture("upr_info_slovenia_s20.csv"), "upr-info", store)
        return [
            row[0]
            for row in store.db.execute(
                "SELECT import_id FROM imports ORDER BY row LIMIT ?", [rows]
            )
        ]


def test_a_link_of_imported_asks_exported_after_their_report_holds_where_they_stand_alone(
    tmp_path: Path,
) -> None:
    # fixlinks (review17 finding 1): fiximports rewrote a link recorded under upr-info: ids to
    # the report's asks when the report was indexed, so `cluster links --export` wrote
    # A/HRC/28/15#115.1/115.2, and a team mate's index that knows the asks from UPR Info alone
    # got a link of two asks it does not hold ("not in this index and not in this index").
    full, alone = tmp_path / "full.sqlite", tmp_path / "alone.sqlite"
    first, second = _imported(full)
    assert _imported(alone) == [first, second]
    _run("cluster", "link", first, second, "--index", str(full))
    _run("ingest", str(fixture("slovenia2014_recs.pdf")), "--index", str(full))
    shared = tmp_path / "links.csv"
    _run("cluster", "links", "--export", str(shared), "--index", str(full))
    _run("cluster", "links", "--import", str(shared), "--index", str(alone))
    found = _clusters(alone)
    assert found[first] == found[second], "the link does not hold"
    assert "not in this index" not in _run("cluster", "links", "--index", str(alone))


def test_a_link_of_two_imports_of_one_ask_is_listed_as_ignored_not_stranded(
    tmp_path: Path,
) -> None:
    # fixlinks (review17 finding 2): two UPR Info rows that both match A/HRC/28/15#115.1, linked
    # before the report was indexed: fiximports moved one end only, and `cluster links` said
    # "(c-… and not in this index)". Read as the report's asks, it links an ask to itself.
    import csv

    with fixture("upr_info_slovenia_s20.csv").open(newline="") as handle:
        header, row = list(csv.reader(handle))[:2]
    source = tmp_path / "twins.csv"
    with source.open("w", newline="") as handle:
        twin = [*row[:3], row[3].replace("Take further steps", "Take steps"), *row[4:]]
        csv.writer(handle).writerows([header, row, twin])
    path = tmp_path / "index.sqlite"
    from uprdex.flows.ingest import import_file

    with Store(path) as store:
        import_file(source, "upr-info", store)
        first, second = (x for (x,) in store.db.execute("SELECT import_id FROM imports"))
    _run("cluster", "link", first, second, "--index", str(path))
    _run("ingest", str(fixture("slovenia2014_recs.pdf")), "--index", str(path))
    listed = _run("cluster", "links", "--index", str(path))
    assert "one ask now: its two imports match one paragraph; ignored" in listed, listed
    assert "not in this index" not in listed, listed
    forgot = _run("cluster", "forget", "A/HRC/28/15#115.1", second, "--index", str(path))
    assert "forgot that" in forgot
    assert "1 correction" not in _run("cluster", "links", "--index", str(path))
