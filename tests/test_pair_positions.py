"""Where an ask is printed, as the pair model reads it (`pipeline.clusters.positions`).

Since cycle 2 the WG reports print the asks by response paragraph, each in subject order: two
asks printed next to each other are far more often one commitment than two printed far apart.
Texts are real recommendations of Kazakhstan 2014 (A/HRC/28/10, tests/fixtures/pairs_labelled.csv).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from uprdex.pipeline.cluster_reasons import reasons
from uprdex.pipeline.clusters import (
    ClusterItem,
    ClusterSettings,
    cluster,
    load_treaties,
    normalize,
)
from uprdex.pipeline.clusters.pair_model import (
    DEFAULT_MODEL_DIR,
    METADATA_FILE,
    MODEL_FILE,
    PLAIN,
    PairModel,
)
from uprdex.pipeline.clusters.positions import (
    POSITION_FEATURES,
    NodePlaces,
    group_places,
    item_places,
    node_places,
    pair_places,
    position_features,
)
from uprdex.pipeline.clusters.recurrence import RecurrenceSettings
from uprdex.pipeline.clusters.similarity import Similarity, similarity
from uprdex.pipeline.model_files import write_arrays, write_metadata
from uprdex.pipeline.train_pairs import read_labelled

from helpers import fixture

# One commitment (gold: define-criminal-code-art164-incitement), printed as 124.4 and 124.5.
FIRST = (
    "Define criminal offences, in particular those in article 164 of the Criminal Code on "
    "incitement to national, ethnic or racial enmity or discord, or insult to the national "
    "honour and dignity or religious feelings of citizens, in accordance with international "
    "human rights law, and giving special attention to the right to freedom of expression"
)
SECOND = (
    "Clearly define criminal offences provided for under article 164 of the Criminal Code, such "
    "as the incitement to hatred or discord on ethnic or racial grounds, or affronts to national "
    "honour and to religious dignity and believes, so that they are in line with international "
    "norms on freedom of expression"
)


def test_places_follow_the_printed_paragraph_numbers_not_the_id_strings() -> None:
    places = item_places(
        [
            "A/HRC/28/10#124.10",
            "A/HRC/28/10#124.3",
            "A/HRC/28/10#124.4",
            "A/HRC/28/10#125.1",
            "A/HRC/14/10#90.2",
            "A/HRC/28/10",
        ],
        [2, 2, 2, 2, 1, 2],
    )
    report = places[1, 0]
    # 124.10 is printed after 124.4 ("124.10" < "124.4" as text); the paragraph holds three.
    assert places[:4].tolist() == [
        [report, 124, 2, 3],
        [report, 124, 0, 3],
        [report, 124, 1, 3],
        [report, 125, 0, 1],
    ]
    # A cycle-1 report (ordered by speaking State) and an id without a number: no place.
    assert places[4, 0] == places[5, 0] == -1


def test_asks_of_a_cycle_no_labelled_review_is_of_have_no_place() -> None:
    # Every labelled review is of cycle 2; a cycle-3 report (Slovenia 2019, A/HRC/43/15) is
    # laid out otherwise, and an ask of no known cycle may be of any: scored by its text alone.
    ids = ["A/HRC/43/15#121.1", "A/HRC/43/15#121.2", "A/HRC/28/10#124.1", "A/HRC/28/10#124.2"]
    places = item_places(ids, [3, 3, None, 2])
    assert places[:3, 0].tolist() == [-1, -1, -1]
    assert places[3, 0] >= 0


def test_pair_features_of_one_paragraph_two_paragraphs_and_two_reports() -> None:
    places = np.array(
        [[0, 124, 0, 10], [0, 124, 1, 10], [0, 124, 4, 10], [0, 125, 2, 4], [1, 90, 1, 10]]
    )
    raw, placed = position_features(places, np.array([[0, 1], [0, 2], [0, 3], [0, 4]]))
    assert list(POSITION_FEATURES) == ["same_paragraph", "paragraph_log_distance", "paragraphs_gap"]
    assert placed.tolist() == [True, True, True, False]
    assert np.allclose(raw[0], [1, 0, 0])
    assert np.allclose(raw[1], [1, np.log(4), 0])
    # Two paragraphs: the difference of the relative places, 0.05 and 0.625.
    assert np.allclose(raw[2], [0, 0, 0.575])


def test_a_node_is_placed_at_its_first_item_in_printed_order() -> None:
    items = [
        ClusterItem(f"A/HRC/28/10#124.{n}", "Ratify OPCAT", "Kazakhstan", cycle=2)
        for n in (12, 3, 7)
    ]
    earlier = ClusterItem("A/HRC/14/10#90.2", "Ratify OPCAT", "Kazakhstan", cycle=1)
    places = node_places([[items[0], items[1]], [items[2]], [earlier]]).first
    assert places[:, 2].tolist() == [0, 1, 0]
    assert places[2, 0] == -1


def test_a_text_printed_in_two_reports_is_placed_in_each() -> None:
    # One node holds "Ratify OPCAT" of two cycle-2 reports; the other two nodes are printed in
    # one each. A pair is read in the first report both of its nodes are printed in.
    opcat = [
        ClusterItem("A/HRC/28/10#124.3", "Ratify OPCAT", "Kazakhstan", cycle=2),
        ClusterItem("A/HRC/25/5#120.9", "Ratify OPCAT", "Madagascar", cycle=2),
    ]
    neighbour = ClusterItem("A/HRC/28/10#124.4", "Ratify CAT", "Kazakhstan", cycle=2)
    other = ClusterItem("A/HRC/25/5#120.1", "Ratify CED", "Madagascar", cycle=2)
    places = node_places([opcat, [neighbour], [other]])
    # Its first place is in A/HRC/25/5 (the lower symbol), where its pair with `other` is read.
    assert places.first[:, 0].tolist() == [0, 1, 0]
    first, second = pair_places(places, np.array([[0, 1], [1, 0], [0, 2], [1, 2]]))
    assert first.tolist() == [[1, 124, 0, 2], [1, 124, 1, 2], [0, 120, 1, 2], [1, 124, 1, 2]]
    assert second.tolist() == [[1, 124, 1, 2], [1, 124, 0, 2], [0, 120, 0, 2], [0, 120, 0, 2]]
    same = position_features(places, np.array([[0, 1], [0, 2], [1, 2]]))[1]
    assert same.tolist() == [True, True, False]


def test_a_pair_is_read_in_a_later_report_that_is_neither_node_s_first_place() -> None:
    # "Ratify OPCAT" is printed in A/HRC/22/10 and A/HRC/28/10, "Ratify CAT" in A/HRC/25/5 and
    # A/HRC/28/10 (symbols real, numbers made up): the last report is neither node's first
    # place, and the pair is read there, whichever node comes first.
    opcat = [
        ClusterItem("A/HRC/22/10#100.1", "Ratify OPCAT", "Fiji", cycle=2),
        ClusterItem("A/HRC/28/10#124.3", "Ratify OPCAT", "Kazakhstan", cycle=2),
    ]
    cat = [
        ClusterItem("A/HRC/25/5#120.1", "Ratify CAT", "Madagascar", cycle=2),
        ClusterItem("A/HRC/28/10#124.4", "Ratify CAT", "Kazakhstan", cycle=2),
    ]
    places = node_places([opcat, cat])
    first, second = pair_places(places, np.array([[0, 1], [1, 0]]))
    assert first.tolist() == [[2, 124, 0, 2], [2, 124, 1, 2]]
    assert second.tolist() == [[2, 124, 1, 2], [2, 124, 0, 2]]
    assert position_features(places, np.array([[0, 1], [1, 0]]))[1].tolist() == [True, True]


def _read_slowly(places: NodePlaces, pairs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """`pair_places` the obvious way: each pair's first common report, else first places."""
    by_node: dict[int, dict[int, list[int]]] = {}
    for row in places.each.tolist():
        by_node.setdefault(row[0], {})[row[1]] = row[1:]
    left, right = [], []
    for i, j in pairs.tolist():
        common = sorted(set(by_node.get(i, {})) & set(by_node.get(j, {})))
        if common:
            left.append(by_node[i][common[0]])
            right.append(by_node[j][common[0]])
        else:
            left.append(places.first[i].tolist())
            right.append(places.first[j].tolist())
    return np.array(left).reshape(-1, 4), np.array(right).reshape(-1, 4)


def test_pair_places_reads_every_pair_as_the_slow_reading_does() -> None:
    # Random groups of random places (some unplaced) in up to five reports, every ordered pair.
    rng = np.random.default_rng(19)
    for _ in range(300):
        count = int(rng.integers(2, 30))
        placed = np.column_stack(
            [
                rng.integers(0, int(rng.integers(1, 6)), count),
                rng.integers(100, 103, count),
                rng.integers(0, 5, count),
                np.full(count, 5),
            ]
        )
        placed[rng.random(count) < 0.15] = (-1, 0, 0, 1)
        owner = rng.integers(0, int(rng.integers(1, count + 1)), count)
        places = group_places(placed, [np.nonzero(owner == g)[0] for g in np.unique(owner)])
        size = len(places.first)
        pairs = np.array([(i, j) for i in range(size) for j in range(size) if i != j])
        if not len(pairs):
            continue
        want = _read_slowly(places, pairs)
        got = pair_places(places, pairs)
        assert got[0].tolist() == want[0].tolist()
        assert got[1].tolist() == want[1].tolist()


def _scores(places: np.ndarray | None, model: Path | None = None) -> float:
    treaties = load_treaties()
    texts = [normalize(text, treaties) for text in (FIRST, SECOND)]
    similarity = Similarity(texts, treaties, ClusterSettings(pair_model=model), places)
    return float(similarity.pairs(np.array([[0, 1]]), cutoff=0)[0])


def test_the_shipped_model_reads_where_two_asks_are_printed() -> None:
    adjacent = _scores(np.array([[0, 124, 4, 50], [0, 124, 5, 50]]))
    far = _scores(np.array([[0, 124, 4, 50], [0, 124, 45, 50]]))
    assert adjacent > far
    # Two reports (a recurring ask) or no places: neutral, the same score either way.
    reports = _scores(np.array([[0, 124, 4, 50], [1, 124, 5, 50]]))
    assert reports == _scores(None)
    assert far < reports < adjacent


def test_a_model_without_position_features_ignores_the_places(tmp_path: Path) -> None:
    pytest.importorskip("sklearn")
    from uprdex.pipeline.train_pairs import train

    train(fixture("pairs_labelled.csv"), tmp_path / "placed")
    train(fixture("pairs_labelled.csv"), tmp_path / "plain", {"position_features": []})
    with np.load(tmp_path / "placed" / MODEL_FILE) as arrays:
        assert len(arrays["position"]) == len(arrays["position_centre"]) == 3
    assert PairModel.load(tmp_path / "placed").position_features == POSITION_FEATURES
    plain = tmp_path / "plain"
    assert PairModel.load(plain).position_features == ()
    near = _scores(np.array([[0, 124, 4, 50], [0, 124, 5, 50]]), plain)
    assert near == _scores(np.array([[0, 124, 4, 50], [0, 124, 45, 50]]), plain)
    assert near == _scores(None, plain)


def test_training_reads_the_ids_of_the_labelled_file() -> None:
    review = read_labelled(fixture("pairs_labelled.csv"))[0]
    assert review.ids[:2] == ("A/HRC/28/10#124.3", "A/HRC/28/10#124.4")
    assert len(review.ids) == len(review.texts)


def test_pairs_of_two_reports_score_as_the_model_of_before(tmp_path: Path) -> None:
    # The shipped model keeps the same recipe without position features beside it: the
    # recurring asks (two reviews) and ids without paragraph numbers score as before.
    shipped = PairModel.load()
    assert shipped.plain is not None and shipped.plain.position_features == ()
    with np.load(DEFAULT_MODEL_DIR / MODEL_FILE) as arrays:
        before = {
            name.removeprefix(PLAIN): arrays[name]
            for name in arrays.files
            if name.startswith((PLAIN, "words_")) or name == "scale_to"
        }
    write_arrays(tmp_path / MODEL_FILE, before)
    metadata = {k: v for k, v in shipped.metadata.items() if k != "position_features"}
    write_metadata(tmp_path / METADATA_FILE, metadata)
    two_reports = np.array([[0, 124, 4, 50], [1, 124, 5, 50]])
    assert _scores(two_reports) == _scores(two_reports, tmp_path) == _scores(None, tmp_path)
    assert _scores(np.array([[0, 124, 4, 50], [0, 124, 5, 50]])) != _scores(None, tmp_path)


def test_the_reports_reasons_score_a_pair_where_it_is_printed() -> None:
    # The HTML report's "why together" scores are the clustering's: two asks printed next to
    # each other score as the clustering scores them there, not as if printed nowhere.
    filler = {f"A/HRC/28/10#124.{n}": f"Ratify treaty number {n}" for n in range(1, 41)}
    cluster = {"cluster_id": "c-1", "members": ["A/HRC/28/10#124.4", "A/HRC/28/10#124.5"]}
    settings = ClusterSettings()

    def strongest(near: str, far: str) -> float:
        texts = {**filler, near: FIRST, far: SECOND}
        found = reasons([{**cluster, "members": [near, far]}], texts, settings)
        score = found["c-1"].strongest
        assert score is not None
        return score[2]

    adjacent = strongest("A/HRC/28/10#124.4", "A/HRC/28/10#124.5")
    apart = strongest("A/HRC/28/10#124.4", "A/HRC/28/10#124.40")
    two_reports = strongest("A/HRC/28/10#124.4", "A/HRC/14/10#90.5")

    assert adjacent > apart
    assert two_reports == round(float(_plain_score()), 1)


def _plain_score() -> float:
    treaties = load_treaties()
    texts = [normalize(FIRST, treaties), normalize(SECOND, treaties)]
    return float(Similarity(texts, treaties, ClusterSettings()).pairs(np.array([[0, 1]]), 0)[0])


# Defects found in review (issue #19, review2): a clustering node (one normalized text of one
# scope block) holds every copy of a text, so at scope "state" or "all" a text repeated
# verbatim in two reports is one node, which was placed in one of them only (the lowest
# symbol); it now keeps a place per report. Real texts of Colombia 2013 (A/HRC/24/6 116.11
# and 116.12, one commitment in bench/gold); the later, cycle-3 report repeating them is made
# up (symbol and numbers).
PEACE = "Activate a negotiating process for a peaceful settlement"
FARC = (
    "Continue its work to strengthen the rule of law and its efforts within the peace process "
    "between the Government and the FARC"
)
LATER = [
    ClusterItem("A/HRC/39/6#120.40", PEACE, "Colombia", 3, 30, ("Chile",)),
    ClusterItem("A/HRC/39/6#120.41", FARC, "Colombia", 3, 30, ("Peru",)),
]
# The same two asks printed next to each other in a cycle-2 report (places are read for cycle 2
# only, `positions.PLACED_CYCLES`), made up as above.
PLACED = [replace(item, cycle=2) for item in LATER]


def test_an_earlier_copy_of_an_ask_does_not_hide_where_the_later_one_is_printed() -> None:
    # Two placed reports in one scope block: at scope "all", or at scope "state" once a State
    # has two reports of a placed cycle.
    earlier = ClusterItem("A/HRC/24/6#116.12", FARC, "Colombia", 2, 16, ("Peru",))
    alone = cluster(PLACED, ClusterSettings(scope="all"))
    assert alone.assignment[PLACED[0].id] == alone.assignment[PLACED[1].id]
    # The earlier report holds the same text: 120.41 joins its node, printed at 116.12 too.
    # The pair 120.40-120.41 is still read where both are printed, next to each other (56.6),
    # not as two reports' (49.2 < 52.5, as when a node was placed at its first place only).
    both = cluster([earlier, *PLACED], ClusterSettings(scope="all"))
    assert both.assignment[PLACED[0].id] == both.assignment[PLACED[1].id]


def test_a_recurring_ask_in_a_cluster_scores_as_a_pair_of_two_reports() -> None:
    earlier = [
        ClusterItem("A/HRC/24/6#116.11", PEACE, "Colombia", 2, 16, ("Chile",)),
        ClusterItem("A/HRC/24/6#116.12", FARC, "Colombia", 2, 16, ("Peru",)),
    ]
    result = cluster([*earlier, LATER[1]], ClusterSettings())
    links = {(r.later_id, r.earlier_id): r.score for r in result.recurrences}
    # One cluster holds the three. 120.41 (FARC) shares a node with 116.12, placed next to
    # 116.11: the link 120.41 -> 116.11 stored that neighbour pair's score (56.6), not the two
    # reports' (49.2, as before places were read).
    assert len(result.clusters) == 1
    found = links[("A/HRC/39/6#120.41", "A/HRC/24/6#116.11")]
    assert found == pytest.approx(similarity(FARC, PEACE), abs=0.05)


def test_the_rule_finds_recurring_asks_on_the_scores_of_two_reports() -> None:
    earlier = [
        ClusterItem("A/HRC/24/6#116.11", PEACE, "Colombia", 2, 16, ("Chile",)),
        ClusterItem("A/HRC/24/6#116.12", FARC, "Colombia", 2, 16, ("Peru",)),
    ]
    result = cluster(
        [*earlier, LATER[1]],
        ClusterSettings(learned_recurrence=False),
        recurrence=RecurrenceSettings(clustered=False),
    )
    links = {(r.later_id, r.earlier_id): r.score for r in result.recurrences}
    # 120.41 -> 116.11 scores 49.2 as two reports' asks; their nodes' pair, placed next to
    # each other in A/HRC/24/6, scores 56.6 and linked them.
    assert ("A/HRC/39/6#120.41", "A/HRC/24/6#116.11") not in links
    assert links[("A/HRC/39/6#120.41", "A/HRC/24/6#116.12")] == 100.0


def test_the_reasons_of_a_cluster_give_the_score_the_clustering_joined_it_on() -> None:
    settings = ClusterSettings()
    found = cluster(PLACED, settings).clusters
    assert len(found) == 1
    joined = found[0]
    record = {"cluster_id": joined.id, "members": list(joined.member_ids)}
    texts = {i.id: i.text for i in PLACED}
    cycles = {i.id: i.cycle for i in PLACED}
    strongest = reasons([record], texts, settings, cycles)[joined.id].strongest
    assert strongest is not None
    # A cluster of two: its confidence is its one pair's score (0.566); the report says 49.2,
    # below the threshold the pair was joined at.
    assert strongest[2] == pytest.approx(100 * (joined.confidence or 0), abs=0.1)


def test_the_reasons_read_a_text_printed_in_two_reports_where_the_clustering_did() -> None:
    # Scope "all": the FARC ask printed in the earlier report and again in the later one is one
    # clustering node, read with 120.79 (38 places further down the later report) where both
    # are printed. The report's "why together" reads it so too, not the earlier copy alone in
    # its own report, scored as two reports' (about 10 points higher: above any score the
    # clustering gave 120.79).
    earlier, later, far = "A/HRC/24/6#116.12", PLACED[1].id, "A/HRC/39/6#120.79"
    texts = {f"A/HRC/39/6#120.{n}": f"Ratify treaty number {n}" for n in range(1, 91)}
    texts |= {item.id: item.text for item in PLACED}
    texts[far] = "Continue the peace process between the Government and the FARC"
    texts[earlier] = FARC

    def closest_score(members: list[str]) -> float:
        record = {"cluster_id": "c-1", "members": members}
        return reasons([record], texts, ClusterSettings(scope="all"))["c-1"].closest[far][1]

    where_printed = closest_score([later, far])
    assert closest_score([earlier, far]) > where_printed + 5  # the two reports' reading
    assert closest_score([earlier, later, far]) == where_printed
    # And it names the copy the score was read at, the one printed in 120.79's report, in
    # either order of the members.
    for members in ([earlier, later, far], [later, earlier, far]):
        record = {"cluster_id": "c-1", "members": members}
        found = reasons([record], texts, ClusterSettings(scope="all"))["c-1"].closest
        assert found[far] == (later, where_printed)


# Two asks the treaty rule scores 100 (one ratification), for pairs that tie two copies' 100.
OPCAT = "Ratify the Optional Protocol to the Convention against Torture"
OPCAT_NPM = f"{OPCAT} and establish a national preventive mechanism"


def test_the_strongest_pair_names_both_copies_where_the_pair_is_read() -> None:
    # Scope "all": OPCAT printed in Colombia's cycle-1 and cycle-2 reports (one node), OPCAT_NPM
    # in the cycle-2 report just before it (numbers made up). The strongest pair, OPCAT and
    # OPCAT_NPM (100, found first), is read where both are printed, in A/HRC/24/6: both copies
    # named there, as OPCAT_NPM's closest names it, not the cycle-1 copy beside it.
    texts = {"A/HRC/10/82#87.3": OPCAT, "A/HRC/24/6#116.2": OPCAT_NPM, "A/HRC/24/6#116.3": OPCAT}
    record = {"cluster_id": "c-1", "members": list(texts)}
    found = reasons([record], texts, ClusterSettings(scope="all"))["c-1"]
    assert found.strongest == ("A/HRC/24/6#116.3", "A/HRC/24/6#116.2", 100.0)
    assert found.closest["A/HRC/24/6#116.2"] == ("A/HRC/24/6#116.3", 100.0)


def test_the_strongest_pair_of_texts_printed_in_three_reports_is_read_in_the_first_both_are() -> (
    None
):
    # OPCAT printed in three cycle-2 reports, OPCAT_NPM in the last two (symbols real, numbers
    # made up): their pair is read in A/HRC/24/6, the first report both are printed in.
    ids = ["A/HRC/22/10#100.3", "A/HRC/24/6#116.2", "A/HRC/24/6#116.3"]
    ids += ["A/HRC/25/5#100.2", "A/HRC/25/5#100.3"]
    texts = dict(zip(ids, [OPCAT, OPCAT_NPM, OPCAT, OPCAT_NPM, OPCAT], strict=True))
    record = {"cluster_id": "c-1", "members": ids}
    found = reasons([record], texts, ClusterSettings(scope="all"))["c-1"]
    assert found.strongest == ("A/HRC/24/6#116.3", "A/HRC/24/6#116.2", 100.0)


def test_the_reasons_name_no_copy_in_a_report_of_a_cycle_without_places() -> None:
    # Both asks printed in Colombia's cycle-1 report (A/HRC/10/82, no places: ordered by
    # speaking State) and its cycle-2 report: their pair is read in the cycle-2 report, the
    # only one with places, though the cycle-1 symbol sorts first.
    texts = {
        "A/HRC/10/82#87.3": OPCAT,
        "A/HRC/10/82#87.4": OPCAT_NPM,
        "A/HRC/24/6#116.3": OPCAT,
        "A/HRC/24/6#116.4": OPCAT_NPM,
    }
    cycles = {item_id: 1 if "/10/" in item_id else 2 for item_id in texts}
    record = {"cluster_id": "c-1", "members": list(texts)}
    found = reasons([record], texts, ClusterSettings(scope="all"), cycles)["c-1"]
    assert found.strongest == ("A/HRC/24/6#116.3", "A/HRC/24/6#116.4", 100.0)
    assert found.closest["A/HRC/24/6#116.4"] == ("A/HRC/24/6#116.3", 100.0)


def test_the_reasons_name_no_copy_where_the_pair_reads_no_place() -> None:
    # As above, but with the cycles the report passes: A/HRC/39/6 is of cycle 3, without
    # places, so 120.79's pair with the FARC ask reads no place and scores alike at either
    # copy. The reasons name the copy the cluster lists first, not the one printed in 120.79's
    # report, as if the score had been read there.
    earlier, later, far = "A/HRC/24/6#116.12", PLACED[1].id, "A/HRC/39/6#120.79"
    texts = {item.id: item.text for item in PLACED}
    texts |= {earlier: FARC, far: "Continue the peace process between the Government and the FARC"}
    cycles = {item_id: 2 if item_id.startswith("A/HRC/24/") else 3 for item_id in texts}

    def closest(members: list[str]) -> tuple[str, float]:
        record = {"cluster_id": "c-1", "members": members}
        return reasons([record], texts, ClusterSettings(scope="all"), cycles)["c-1"].closest[far]

    score = closest([earlier, far])[1]
    assert closest([later, far])[1] == score
    assert closest([earlier, later, far]) == (earlier, score)


def test_the_reasons_give_two_copies_of_one_text_the_score_the_clustering_gave_them() -> None:
    # Scope "all": the FARC ask printed in two reports is one clustering node: its two copies
    # score 100 together (the cluster's confidence), not as two texts printed side by side.
    earlier = ClusterItem("A/HRC/24/6#116.12", FARC, "Colombia", 2, 16)
    items = [earlier, PLACED[1]]
    settings = ClusterSettings(scope="all")
    (joined,) = cluster(items, settings).clusters
    record = {"cluster_id": joined.id, "members": list(joined.member_ids)}
    texts = {item.id: item.text for item in [*items, *PLACED]}
    alone = {"cluster_id": "c-alone", "members": [PLACED[0].id]}
    found = reasons([alone, record], texts, settings)
    assert found[joined.id].strongest == (earlier.id, PLACED[1].id, 100.0)
    assert joined.confidence == 1.0


def test_a_run_with_texts_printed_in_several_reports_is_the_same_in_any_order() -> None:
    # Scope "all", texts printed verbatim in two or three cycle-2 reports (symbols real,
    # numbers made up), read where each pair is first printed together: the input's order
    # changes neither the clusters nor the recurring asks.
    items = [ClusterItem("A/HRC/24/6#116.12", FARC, "Colombia", 2), *PLACED]
    items.append(ClusterItem("A/HRC/10/82#87.5", PEACE, "Colombia", 1))  # asked before
    for symbol, state in (("A/HRC/22/10", "Fiji"), ("A/HRC/25/5", "Madagascar")):
        items += [
            ClusterItem(f"{symbol}#100.1", PEACE, state, 2),
            ClusterItem(f"{symbol}#100.2", FIRST, state, 2),
            ClusterItem(f"{symbol}#100.9", SECOND, state, 2),
        ]
    items += [
        ClusterItem(f"A/HRC/28/10#124.{n}", t, "Kazakhstan", 2)
        for n, t in ((4, FIRST), (5, SECOND), (6, FARC))
    ]
    settings = ClusterSettings(scope="all")

    def run(order: list[ClusterItem]) -> tuple[dict[str, str], set[tuple[str, str, float]]]:
        result = cluster(order, settings)
        return result.assignment, {(r.later_id, r.earlier_id, r.score) for r in result.recurrences}

    first = run(items)
    rng = np.random.default_rng(19)
    for _ in range(3):
        assert run([items[at] for at in rng.permutation(len(items))]) == first
