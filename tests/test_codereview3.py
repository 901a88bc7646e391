"""codereview3: defects found reviewing the day's change (47cb44a..675b16a), each pinned here."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from uprdex.extractors.themes import ThemesFileError, ThemeTagger
from uprdex.flows.cli._meant import theme_meant
from uprdex.pipeline.theme_model import ThemeModel

README = Path(__file__).resolve().parents[1] / "README.md"


# README names the themes shown beside the classifier's as "SOGI", "IDPs" and "refugees", and
# researchers write them so; `recs --theme SOGI` said "--theme 'SOGI' is not a theme of this
# index, whose themes are: ..." (54 names) without naming the one it abbreviates.
@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("SOGI", "Sexual Orientation and Gender Identity"),
        ("IDPs", "Internally displaced persons"),
        ("idp", "Internally displaced persons"),
        ("HRDs", "Human rights defenders"),
        ("IHL", "International humanitarian law"),
    ],
)
def test_a_theme_typed_by_its_initials_is_suggested(typed: str, meant: str) -> None:
    assert theme_meant(typed, ThemeModel.load().classes) == f" (did you mean {meant}?)"


# The start of a theme's name, as a researcher stops typing it: "human rights ed" was suggested
# Human rights defenders (closer by edit distance), not the theme it begins (the rapidfuzz
# suggester of the session's mends).
@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("human rights ed", "Human rights education and training"),
        ("Human rights educ", "Human rights education and training"),
        ("human rights de", "Human rights defenders"),
        ("right to hea", "Right to health"),
    ],
)
def test_the_start_of_a_themes_name_suggests_that_theme(typed: str, meant: str) -> None:
    assert theme_meant(typed, ThemeModel.load().classes) == f" (did you mean {meant}?)"


def test_readme_names_the_themes_shown_beside_the_classifiers_as_theme_takes_them() -> None:
    # "... which the classifier, trained on UPR Info's labels, often leaves out: Women's
    # rights, Disabilities, ...; not a word inside another theme's longer phrase ...)"
    text = " ".join(README.read_text(encoding="utf-8").split())
    listed = re.search(r"often leaves out: (.*?); not a word inside", text)
    assert listed, "README no longer lists the themes shown beside the classifier's"
    names = [name.strip() for name in listed.group(1).split(", ")]
    marked = {theme.name for theme in ThemeTagger().themes if theme.beside_model}
    assert sorted(names) == sorted(marked)


def test_a_mistyped_key_of_a_theme_is_named(tmp_path: Path) -> None:
    # README: edit data/themes.yaml "to add a theme or a keyword"; a researcher marking a theme
    # `beside_models: true` was told "theme 'Labour' must be a mapping with 'keywords' and/or
    # 'exact' lists", which it is: neither the key it holds nor the one it meant was named.
    themes = tmp_path / "t.yaml"
    themes.write_text(
        "themes:\n  Labour:\n    beside_models: true\n    keywords: [labour]\n", encoding="utf-8"
    )
    with pytest.raises(ThemesFileError) as raised:
        ThemeTagger(themes)
    assert "'beside_models'" in str(raised.value), raised.value
    assert "beside_model:" in str(raised.value), raised.value
