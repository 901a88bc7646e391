"""Recurring asks matched on their subject: real asks of Uruguay and Kazakhstan (bench/gold)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from uprdex.pipeline.clusters import (
    ClusterItem,
    ClusterSettings,
    RecurrenceSettings,
    cluster,
    recurrences,
)
from uprdex.pipeline.clusters.recurrence import SUBJECT_MATCH

RULE = ClusterSettings(learned_recurrence=False)
"""The rule (`RecurrenceSettings`) in place of the learned link model, the default."""


def ask(symbol: str, paragraph: str, text: str, state: str, session: int, by: str) -> ClusterItem:
    return ClusterItem(
        f"{symbol}#{paragraph}", text, state, 1 if session < 13 else 2, session, (by,)
    )


# Uruguay 2009 (A/HRC/12/12) and 2014 (A/HRC/26/7).
URUGUAY_2009 = [
    ask("A/HRC/12/12", "78.3", "Ratify ILO Convention No. 169 (Peru)", "Uruguay", 5, "Peru"),
]
URUGUAY_2014 = [
    ask(
        "A/HRC/26/7",
        "123.4",
        "Consider the adoption of ILO Convention No. 169, in order to ensure the effective "
        "protection and promotion of the rights of indigenous peoples, contributing to the "
        "recognition of their national identity, particularly the ones of the Charrúa Nation",
        "Uruguay",
        18,
        "Bolivia (Plurinational State of)",
    ),
    ask(
        "A/HRC/26/7",
        "123.6",
        "Ratify ILO Convention No. 169 on indigenous peoples",
        "Uruguay",
        18,
        "Uzbekistan",
    ),
]
# Kazakhstan 2010 (A/HRC/14/10) and 2014 (A/HRC/28/10).
KAZAKHSTAN_2010 = [
    ask(
        "A/HRC/14/10",
        "95.21",
        "To introduce the post of the national ombudsman for the rights of the child with a view "
        "to the effective promotion and protection of children’s rights",
        "Kazakhstan",
        7,
        "Iran (Islamic Republic of)",
    ),
    ask(
        "A/HRC/14/10",
        "95.2",
        "To sign and ratify the Optional Protocol to the International Covenant on Economic, "
        "Social and Cultural Rights",
        "Kazakhstan",
        7,
        "Spain",
    ),
]
KAZAKHSTAN_2014 = [
    ask(
        "A/HRC/28/10",
        "125.19",
        "Establish a separate Office of the Ombudsman on the Rights of the Child",
        "Kazakhstan",
        20,
        "Russian Federation",
    ),
    ask(
        "A/HRC/28/10",
        "125.21",
        "Introduce the office of the Ombudsman for the rights of the child to effectively "
        "promote and protect the rights of the child",
        "Kazakhstan",
        20,
        "Tajikistan",
    ),
]


def _pairs(found: object) -> set[tuple[str, str]]:
    return {(r.later_id.split("#")[1], r.earlier_id.split("#")[1]) for r in found}  # type: ignore[attr-defined]


def test_a_reworded_ask_for_the_same_institution_recurs() -> None:
    # A child ombudsman asked for in 2010 and twice again in 2014 (the Kazakhstan gold: both
    # high). "Establish a separate Office of ..." scores 51 with the 2010 wording on similarity
    # alone; its subject (children's rights, the institution) is the same, and the other 2014
    # ask, which repeats the 2010 one, is near-identical to it. The mechanism, at a `near`
    # that reaches them (SUBJECT_MATCH's, 85, is the protocol's choice).
    sharing = replace(SUBJECT_MATCH, near=75.0)
    found = _pairs(recurrences(KAZAKHSTAN_2010, KAZAKHSTAN_2014, recurrence=sharing))
    assert found == {("125.19", "95.21"), ("125.21", "95.21")}
    # The subjects lift the pair's own score well above the similarity alone.
    alone = {
        r.later_id.split("#")[1]: r.score
        for r in recurrences(KAZAKHSTAN_2010, KAZAKHSTAN_2014, recurrence=RecurrenceSettings(cut=1))
    }
    direct = RecurrenceSettings(cut=1, subject_weight=SUBJECT_MATCH.subject_weight)
    lifted = {
        r.later_id.split("#")[1]: r.score
        for r in recurrences(KAZAKHSTAN_2010, KAZAKHSTAN_2014, recurrence=direct)
    }
    assert alone["125.19"] < 54 and lifted["125.19"] >= alone["125.19"] + 5


def test_an_ask_shares_what_a_near_identical_ask_of_its_review_repeats() -> None:
    # "Consider the adoption of ILO Convention No. 169 ..." (the gold: high to "Ratify ILO
    # Convention No. 169") scores 35 with it by itself; "Ratify ILO Convention No. 169 on
    # indigenous peoples" of the same review repeats it and is near-identical to it.
    # The mechanism, at a `near` that reaches them (SUBJECT_MATCH's is the protocol's choice).
    sharing = RecurrenceSettings(cut=62.0, subject_weight=0.2, near=55.0)
    found = recurrences(URUGUAY_2009, URUGUAY_2014, recurrence=sharing)
    assert _pairs(found) == {("123.4", "78.3"), ("123.6", "78.3")}
    scores = {r.later_id.split("#")[1]: r.score for r in found}
    # Reached through the other ask: scored as the weaker of the two steps.
    assert 55.0 <= scores["123.4"] < scores["123.6"] == 100.0
    # Without sharing, the weaker ask is not found.
    assert ("123.4", "78.3") not in _pairs(
        recurrences(URUGUAY_2009, URUGUAY_2014, recurrence=replace(sharing, near=None))
    )


@pytest.mark.parametrize(
    "settings", [RecurrenceSettings(clustered=False), replace(SUBJECT_MATCH, clustered=False)]
)
def test_the_clustering_stores_the_links_the_matcher_finds(settings: RecurrenceSettings) -> None:
    items = [*URUGUAY_2009, *URUGUAY_2014, *KAZAKHSTAN_2010, *KAZAKHSTAN_2014]
    stored = {
        (r.later_id, r.earlier_id): r.score
        for r in cluster(items, RULE, recurrence=settings).recurrences
    }
    matched = {
        (r.later_id, r.earlier_id): r.score
        for earlier, later in ((URUGUAY_2009, URUGUAY_2014), (KAZAKHSTAN_2010, KAZAKHSTAN_2014))
        for r in recurrences(earlier, later, recurrence=settings)
    }
    assert stored.keys() == matched.keys()
    assert all(abs(stored[key] - matched[key]) <= 0.2 for key in stored)


# Uruguay's national preventive mechanism, asked for in 2009 and twice again in 2014 (the
# Uruguay gold: both high).
NPM_2009 = [
    ask(
        "A/HRC/12/12",
        "78.39",
        "Ensure that its national preventive mechanism complies with the Optional Protocol to CAT "
        "and sufficient human, financial and logistical resources are granted to it",
        "Uruguay",
        5,
        "United Kingdom of Great Britain and Northern Ireland",
    ),
]
NPM_2014 = [
    ask(
        "A/HRC/26/7",
        "123.17",
        "Further strengthen the National Preventive Mechanism under the Optional Protocol to the "
        "Convention against Torture and Other Cruel, Inhuman or Degrading Treatment or Punishment "
        "by ensuring its autonomy, allocating necessary resources and developing a plan for its "
        "effective implementation",
        "Uruguay",
        18,
        "Serbia",
    ),
    ask(
        "A/HRC/26/7",
        "123.18",
        "Proceed with the establishment of a National Preventive Mechanism against Torture in "
        "accordance with the Optional Protocol to the Convention against Torture, ensuring their "
        "independence, adequate funding and resources, and the development of a detailed plan "
        "for its effective implementation",
        "Uruguay",
        18,
        "Spain",
    ),
]


def test_asks_of_two_reviews_in_one_cluster_repeat_each_other() -> None:
    # The three asks make one cluster; at a cut between the two 2014 asks' own scores with the
    # 2009 ask (about 52 and 60), the matcher alone links only one.
    settings = RecurrenceSettings(cut=56.0)
    result = cluster([*NPM_2009, *NPM_2014], RULE, recurrence=settings)
    assert len({result.assignment[item.id] for item in [*NPM_2009, *NPM_2014]}) == 1
    alone = _pairs(recurrences(NPM_2009, NPM_2014, recurrence=settings))
    assert len(alone) == 1
    stored = {(r.later_id.split("#")[1], r.earlier_id.split("#")[1]): r for r in result.recurrences}
    assert set(stored) == {("123.17", "78.39"), ("123.18", "78.39")}
    # Each keeps its own pair's score: the one the cluster brings scores under the cut.
    assert sorted(r.score < settings.cut for r in stored.values()) == [False, True]
    # Without the clusters' pairs, the clustering stores what the matcher finds.
    only = cluster([*NPM_2009, *NPM_2014], RULE, recurrence=replace(settings, clustered=False))
    assert _pairs(only.recurrences) == alone


@pytest.mark.parametrize(
    "changes",
    [
        {"cut": 0.0},
        {"cut": 101.0},
        {"subject_weight": 1.0},
        {"subject_weight": -0.1},
        {"near": 0.0},
    ],
)
def test_recurrence_settings_are_checked(changes: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        RecurrenceSettings(**changes)  # type: ignore[arg-type]


def test_with_the_mix_the_rule_finds_the_recurring_asks() -> None:
    # The link model reads the pair model's scores; with the weighted mix in their place
    # (`learned` off), the recurring asks are the rule's whatever `learned_recurrence` says.
    items = [*URUGUAY_2009, *URUGUAY_2014, *KAZAKHSTAN_2010, *KAZAKHSTAN_2014, *NPM_2009, *NPM_2014]
    mix = ClusterSettings(learned=False)
    rule = cluster(items, replace(mix, learned_recurrence=False)).recurrences
    assert cluster(items, mix).recurrences == rule


# review32 finding 8: A/HRC/28/10 p. 14, 124.2 asks to implement the Czech Republic's asks of
# Kazakhstan's 2010 review (A/HRC/14/10): three of them, as printed, and an ask of another
# State on the follow-up of that review.
CZECH_2010 = [
    ask(
        "A/HRC/14/10",
        "95.28",
        "To strengthen measures aimed at eliminating child labour; to protect girls, children "
        "with disabilities, children in institutions and children born out of wedlock against "
        "discrimination; and to increase the attention accorded to protecting the rights of the "
        "child in the area of juvenile justice",
        "Kazakhstan",
        7,
        "Czechia",
    ),
    ask(
        "A/HRC/14/10",
        "95.54",
        "To strengthen the roles of judges and defence lawyers in the criminal procedure, and to "
        "guarantee full access for defendants to the legal counsel of their choice",
        "Kazakhstan",
        7,
        "Czechia",
    ),
    ask(
        "A/HRC/14/10",
        "97.20",
        "To review provisions set out in its Criminal Code criminalizing libel in order to "
        "ensure that they comply with the International Covenant on Civil and Political Rights "
        "and the standards of the Organization for Security and Cooperation in Europe, and to "
        "put an end to attempts to block Internet sites or filter their content",
        "Kazakhstan",
        7,
        "Czechia",
    ),
    ask(
        "A/HRC/14/10",
        "97.4",
        "To give yearly briefings to the Human Rights Council on the follow-up of the "
        "recommendations of this universal periodic review session as a voluntary measure",
        "Kazakhstan",
        7,
        "Hungary",
    ),
]
SIX_OF_2010 = (
    "Speed up the effective implementation of the six universal periodic review "
    "recommendations made by the Czech Republic and accepted by Kazakhstan in 2010"
)


@pytest.mark.parametrize("settings", [ClusterSettings(), RULE])
def test_an_ask_to_implement_a_states_earlier_asks_repeats_them(settings: ClusterSettings) -> None:
    later = ask("A/HRC/28/10", "124.2", SIX_OF_2010, "Kazakhstan", 20, "Czech Republic")
    found = _pairs(cluster([*CZECH_2010, later], settings).recurrences)
    assert {("124.2", "95.28"), ("124.2", "95.54"), ("124.2", "97.20")} <= found, found


@pytest.mark.parametrize(
    "text",
    [
        # No earlier review named, or one the index does not hold.
        "Speed up the implementation of the recommendations made by the Czech Republic",
        SIX_OF_2010.replace("2010", "2009"),
        # Two States named: whose asks, the words leave open.
        SIX_OF_2010.replace("the Czech Republic", "the Czech Republic and Hungary"),
        # One recommendation of the Czech Republic's three: which one, they do not say.
        "Implement the recommendation made by the Czech Republic in 2010",
    ],
)
def test_an_ask_naming_no_one_earlier_review_and_state_links_nothing_by_its_words(
    text: str,
) -> None:
    from uprdex.pipeline.clusters.recurrence_named import named_links

    later = ask("A/HRC/28/10", "124.2", text, "Kazakhstan", 20, "Czech Republic")
    assert not named_links([*CZECH_2010, later])
    # Hungary made one ask in 2010: the singular names it.
    one = ask(
        "A/HRC/28/10",
        "124.9",
        "Implement the recommendation made by Hungary in 2010",
        "Kazakhstan",
        20,
        "Hungary",
    )
    assert named_links([*CZECH_2010, one]) == [("A/HRC/28/10#124.9", "A/HRC/14/10#97.4")]
