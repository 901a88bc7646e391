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
