"""Keyword theme tagging: the shipped taxonomy tags real recommendations, the YAML is the only
place a user edits, and keywords written in dictionary form match every inflection."""

from __future__ import annotations

import csv
import os
import shutil
from pathlib import Path

import pytest

from uprdex.extractors.themes import DEFAULT_THEMES_PATH, ThemesFileError, ThemeTagger
from uprdex.pipeline.model import ThemeHit


def themes_of(hits: list[ThemeHit]) -> dict[str, tuple[str, ...]]:
    """Theme name -> matched words."""
    return {hit.theme: hit.matched for hit in hits}


# Real recommendations from the UPR Info export (WG sessions 1-12) with their UPR Info issues.
REAL = {
    # Djibouti 2009, from France
    "Sign and ratify the International Convention for the Protection of All Persons from "
    "Enforced Disappearance": {
        "International instruments": ("Sign and ratify", "Convention"),
        "Enforced disappearances": ("Enforced Disappearance",),
    },
    # Iran 2010, from Australia
    "Cease all planned executions of juvenile offenders, and to prohibit the imposition of the "
    "death penalty for crimes committed by minors": {
        "Death penalty": ("executions", "death penalty"),
        "Rights of the Child": ("juvenile", "minors"),
    },
    # Samoa 2011, from the United States
    "Involve civil society organizations in the follow-up to this review": {
        "Civil society": ("civil society organizations",),
        "UPR process": ("follow-up", "this review"),
    },
    # Eritrea 2009, from Austria
    "Cease arbitrary arrest and detention of people based on their religious beliefs, and "
    "review the legal framework governing religious groups and organizations": {
        "Detention": ("arbitrary arrest", "detention"),
        "Freedom of religion and belief": ("religious", "beliefs"),
    },
}


def test_real_recommendations_get_their_upr_info_issues_with_matched_words() -> None:
    tagger = ThemeTagger()
    for text, expected in REAL.items():
        assert themes_of(tagger.tag(text)) == expected, text


def test_tag_many_equals_tag_one_by_one() -> None:
    tagger = ThemeTagger()
    texts = [*REAL, "", "Continue its efforts"]
    assert tagger.tag_many(texts) == [tagger.tag(text) for text in texts]
    assert tagger.tag("Continue its efforts") == []


def test_hits_are_frozen_and_in_file_order() -> None:
    hits = ThemeTagger().tag("Abolish the death penalty and ratify the Rome Statute")
    assert [hit.theme for hit in hits] == ["International instruments", "Justice", "Death penalty"]
    with pytest.raises(AttributeError):
        hits[0].theme = "Other"  # type: ignore[misc]


def test_sentence_initial_inflection_matches_base_form_keyword() -> None:
    # Recommendations start with a capitalised verb; spaCy's lookup lemmatizer keys on the exact
    # text and would leave "Ratifying" as is.
    hits = themes_of(ThemeTagger().tag("Ratifying the Convention on the Rights of the Child"))
    assert hits["International instruments"] == ("Ratifying", "Convention")


def write_themes(path: Path, body: str) -> Path:
    path.write_text(body, encoding="utf-8")
    return path


def test_lemma_matching_finds_every_form_of_a_keyword_in_dictionary_form(tmp_path: Path) -> None:
    path = write_themes(tmp_path / "t.yaml", "themes:\n  Treaties:\n    keywords: [ratify]\n")
    texts = ["Ratifying CAT", "It ratified CAT", "It ratifies CAT", "Ratification of CAT"]
    assert [themes_of(hits) for hits in ThemeTagger(path).tag_many(texts)] == [
        {"Treaties": ("Ratifying",)},
        {"Treaties": ("ratified",)},
        {"Treaties": ("ratifies",)},
        {},
    ]
    assert ThemeTagger(path, lemmas=False).tag("Ratifying CAT") == []


def test_keyword_in_inflected_form_matches_only_as_written(tmp_path: Path) -> None:
    # "housing" shares the lemma "house": a keyword matches other forms only when written in
    # dictionary form, and `exact` keeps even a dictionary form to itself.
    body = "themes:\n  Housing:\n    keywords: [housing]\n  Press:\n    exact: [press]\n"
    tagger = ThemeTagger(write_themes(tmp_path / "t.yaml", body))
    assert themes_of(tagger.tag("Improve social housing")) == {"Housing": ("housing",)}
    assert tagger.tag("House the families and address pressing needs") == []
    assert themes_of(tagger.tag("Free the Press")) == {"Press": ("Press",)}


def test_theme_and_keyword_added_to_yaml_are_used_without_code_changes(tmp_path: Path) -> None:
    path = tmp_path / "themes.yaml"
    shutil.copy(DEFAULT_THEMES_PATH, path)
    text = "Ensure that business enterprises respect human rights in their supply chains"
    assert ThemeTagger(path).tag(text) == []

    with path.open("a", encoding="utf-8") as handle:
        handle.write("\n  Business and human rights:\n    keywords:\n      - business enterprise\n")
    os.utime(path, ns=(1, 1))  # a new modification time, whatever the file system's resolution
    assert themes_of(ThemeTagger(path).tag(text)) == {
        "Business and human rights": ("business enterprises",)
    }

    with path.open("a", encoding="utf-8") as handle:
        handle.write("      - supply chain\n")
    os.utime(path, ns=(2, 2))
    assert themes_of(ThemeTagger(path).tag(text)) == {
        "Business and human rights": ("business enterprises", "supply chains")
    }


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("themes:\n  Death penalty:\n    keywords: death penalty\n", "must be a list"),
        ("themes:\n  Death penalty:\n    keyword: [death penalty]\n", "'keywords' and/or"),
        ("themes:\n  Death penalty: {}\n", "has no keywords"),
        ("- death penalty\n", "top-level mapping 'themes:'"),
        ("themes: [\n", "not valid YAML"),
    ],
)
def test_malformed_themes_file_says_what_is_wrong(tmp_path: Path, body: str, message: str) -> None:
    with pytest.raises(ThemesFileError, match=message):
        ThemeTagger(write_themes(tmp_path / "t.yaml", body))


def test_missing_themes_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ThemesFileError, match="not found"):
        ThemeTagger(tmp_path / "nope.yaml")


@pytest.mark.corpus
def test_shipped_themes_are_exactly_the_upr_info_issues(shared_data: Path) -> None:
    with (shared_data / "upr_info" / "upr_info_sessions_1-20.csv").open(encoding="utf-8") as fh:
        issues = {i.strip() for row in csv.DictReader(fh) for i in row["Issue"].split(",")}
    names = [theme.name for theme in ThemeTagger().themes]
    assert len(names) == 54
    assert set(names) == issues - {""}


def test_keyword_matches_a_word_written_with_or_without_diacritics(tmp_path: Path) -> None:
    # New Zealand's 2014 report writes "Māori" (A/HRC/26/3, 128.90) where the keyword list and
    # most reports write "Maori": the ask had no theme at all.
    body = "themes:\n  Indigenous:\n    keywords: [Maori]\n  Peoples:\n    keywords: [Guaraní]\n"
    tagger = ThemeTagger(write_themes(tmp_path / "t.yaml", body))
    assert themes_of(tagger.tag("Secure Māori political participation")) == {
        "Indigenous": ("Māori",)
    }
    assert themes_of(tagger.tag("Teach Guarani and Maori")) == {
        "Indigenous": ("Maori",),
        "Peoples": ("Guarani",),
    }
    assert themes_of(ThemeTagger().tag("Address Māori concerns")) == {
        "Indigenous peoples": ("Māori",)
    }


def test_ask_naming_an_indigenous_people_or_a_climate_treaty_gets_its_theme() -> None:
    # Dominica 2014 (A/HRC/27/9, 93.79) had no theme at all: "Kalinago" named no keyword.
    tagger = ThemeTagger()
    assert themes_of(
        tagger.tag(
            "Adopt active measures to enable better integration of the Kalinago population "
            "and to close the relative gap they confront"
        )
    ) == {"Indigenous peoples": ("Kalinago",)}
    assert themes_of(tagger.tag("Protect the rights of the Sámi and the Inuit")) == {
        "Indigenous peoples": ("Sámi", "Inuit")
    }
    assert "Environment" in themes_of(tagger.tag("Implement the Paris Agreement"))
    assert "Environment" in themes_of(tagger.tag("Ratify the Kyoto Protocol"))


BESIDE = """themes:
  Public security:
    keywords: [crime]
  Counter-terrorism:
    beside_model: true
    keywords: [terrorism]
  Women's rights:
    beside_model: true
    keywords: [gender, women]
  Sexual Orientation and Gender Identity:
    keywords: [gender identity]
  Justice:
    keywords: [court]
"""


def test_theme_marked_beside_model_is_shown_beside_the_classifiers_labels(tmp_path: Path) -> None:
    tagger = ThemeTagger(write_themes(tmp_path / "t.yaml", BESIDE))
    text = "Combat terrorism and crime through the courts"
    # Counter-terrorism is marked, Justice is not: only the classifier's label and the first.
    assert tagger.shown(["Public security"], tagger.tag(text)) == [
        "Public security",
        "Counter-terrorism",
    ]
    # Where the classifier gives nothing, every keyword theme, as before.
    assert tagger.shown([], tagger.tag(text)) == [
        "Public security",
        "Counter-terrorism",
        "Justice",
    ]


def test_word_of_another_themes_longer_phrase_is_not_shown_beside_the_classifier(
    tmp_path: Path,
) -> None:
    tagger = ThemeTagger(write_themes(tmp_path / "t.yaml", BESIDE))
    sogi = ["Sexual Orientation and Gender Identity"]
    assert tagger.shown(sogi, tagger.tag("Protect persons of every gender identity")) == sogi
    both = tagger.tag("Protect women of every gender identity")
    assert tagger.shown(sogi, both) == [*sogi, "Women's rights"]


def test_beside_model_must_be_true_or_false(tmp_path: Path) -> None:
    body = "themes:\n  Labour:\n    beside_model: sometimes\n    keywords: [labour]\n"
    with pytest.raises(ThemesFileError, match="beside_model of theme 'Labour'"):
        ThemeTagger(write_themes(tmp_path / "t.yaml", body))


VETO = """
themes:
  Torture and other CID treatment:
    needs_keyword: true
    keywords: [torture]
  Women's rights:
    keywords: [women]
"""


def test_label_of_a_theme_marked_needs_keyword_is_shown_only_with_its_keyword(
    tmp_path: Path,
) -> None:
    tagger = ThemeTagger(write_themes(tmp_path / "t.yaml", VETO))
    labels = ["Torture and other CID treatment", "Women's rights"]
    harmful = "Eradicate harmful practices against women"
    assert tagger.shown(labels, tagger.tag(harmful)) == ["Women's rights"]
    torture = "Prevent torture of women in custody"
    assert tagger.shown(labels, tagger.tag(torture)) == labels
    # The veto alone leaves no label: the keyword themes are shown, as where there is none.
    assert tagger.shown(labels[:1], tagger.tag(harmful)) == ["Women's rights"]
