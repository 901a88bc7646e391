"""Keyword themes shown beside the classifier's labels (data/themes.yaml `beside_model`): the
classifier, trained on UPR Info's labels, gave "Continue its fight against terrorism" Public
security only (review37 finding 2); a theme researchers look for by name was missing from
`themes`, `recs --theme` and the report. Pre-registered and scored on researcher-labelled gold
in bench/bench_theme_gold.py."""

from __future__ import annotations

from uprdex.flows.extract import theme_hits
from uprdex.pipeline.exports import _themes
from uprdex.pipeline.store.rows import StoredThemeHit


def _shown(text: str) -> list[str]:
    hits = theme_hits([text])[0]
    return _themes([StoredThemeHit(h.theme, h.matched, h.method, h.score) for h in hits], [])


def test_fight_against_terrorism_shows_counter_terrorism_beside_the_classifiers_theme() -> None:
    # A/HRC/28/14 p. 26, 127.229 "Continue its fight against terrorism (Bangladesh)".
    hits = theme_hits(["Continue its fight against terrorism"])[0]
    assert [h.theme for h in hits if h.method == "model"] == ["Public security"]
    assert [(h.theme, h.matched) for h in hits if h.method == "beside"] == [
        ("Counter-terrorism", ("terrorism",))
    ]
    assert _shown("Continue its fight against terrorism") == [
        "Public security",
        "Counter-terrorism",
    ]


def test_training_law_enforcement_on_torture_shows_human_rights_training() -> None:
    # A/HRC/21/12 p. 18, 129.19 (review34 finding 8): Torture and other CID treatment only.
    text = (
        "Reinforce its training programmes for all law enforcement personnel on the absolute "
        "prohibition of torture"
    )
    assert "Human rights education and training" in _shown(text)


# The second theme trial (bench/bench_theme_gold.py), chosen on the development gold: asks of
# Burkina Faso 2013 (A/HRC/24/4) and Yemen 2014 (A/HRC/26/8).


def test_female_genital_mutilation_is_not_torture() -> None:
    # A/HRC/24/4 135.80: the classifier, which learnt UPR Info's filing, adds Torture.
    themes = _shown("Continue to work to eliminate FGM, particularly in rural areas")
    assert "Torture and other CID treatment" not in themes
    assert "Women's rights" in themes


def test_torture_named_keeps_the_classifiers_torture_label() -> None:
    hits = theme_hits(["Take effective measures to prevent torture in places of detention"])[0]
    assert "Torture and other CID treatment" in [h.theme for h in hits if h.method == "model"]


def test_transitional_justice_is_impunity() -> None:
    # A/HRC/26/8 115.84: Justice only.
    text = (
        "Accelerate the issuance of the Transitional Justice Act and the National "
        "Reconciliation Act"
    )
    assert "Impunity" in _shown(text)


def test_an_action_plan_beside_the_subjects_theme_is_a_national_plan_of_action() -> None:
    # A/HRC/26/8 115.38: Women's rights only.
    text = (
        "Establish and implement a comprehensive action plan to further improve and promote "
        "women’s rights"
    )
    assert "National plan of action" in _shown(text)


def test_unemployment_is_labour() -> None:
    # A/HRC/26/8 115.126: Poverty and Development.
    text = (
        "Continue its efforts to adopt programs and projects to combat poverty and reduce "
        "unemployment"
    )
    assert "Labour" in _shown(text)
