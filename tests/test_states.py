"""The shipped State table resolves the spellings real documents use."""

from __future__ import annotations

from uprdex.pipeline.states import load_states, parentheticals, split_state_list, state_list_names


def test_aliases_from_real_documents_resolve_to_un_short_names() -> None:
    states = load_states()
    cases = {
        "Iran": ("Iran (Islamic Republic of)", "IRN"),
        "DPR Korea": ("Democratic People's Republic of Korea", "PRK"),
        "Bosnia & Herzegovina": ("Bosnia and Herzegovina", "BIH"),
        "Macedonia FYR": ("North Macedonia", "MKD"),
        "UK": ("United Kingdom of Great Britain and Northern Ireland", "GBR"),
        "Turkey": ("Türkiye", "TUR"),
        "Vietnam": ("Viet Nam", "VNM"),
        "Palestine": ("State of Palestine", "PSE"),
        "the Holy See": ("Holy See", "VAT"),
        "Venezuela(Bolivarian Republic of)": ("Venezuela (Bolivarian Republic of)", "VEN"),
        "Democratic People‟s Republic of Korea": ("Democratic People's Republic of Korea", "PRK"),
    }
    for printed, (name, iso3) in cases.items():
        state = states.resolve(printed)
        assert state is not None, printed
        assert (state.name, state.iso3) == (name, iso3)


def test_member_and_observer_counts() -> None:
    kinds = [state.kind for state in load_states().states]
    assert kinds.count("member") == 193
    assert kinds.count("observer") == 2


def test_organisations_have_no_iso_code() -> None:
    state = load_states().resolve("Sovereign Military Order of Malta")
    assert state is not None and state.iso3 is None


def test_unknown_name_is_not_resolved() -> None:
    assert load_states().resolve("Freedonia") is None


def test_split_keeps_nested_parentheses_whole() -> None:
    assert split_state_list("Senegal, Venezuela (Bolivarian Republic of), Peru") == [
        "Senegal",
        "Venezuela (Bolivarian Republic of)",
        "Peru",
    ]


def test_a_state_list_keeps_the_names_that_hold_and_or_a_comma_whole() -> None:
    # The WG reports' lists (extractors/state_lists.py) and the UPR Info linker
    # (pipeline/store/linking.py) read them with this one function.
    states = load_states()
    cases = {
        "Netherlands, United Kingdom of Great Britain and Northern Ireland, France": [
            "Netherlands",
            "United Kingdom of Great Britain and Northern Ireland",
            "France",
        ],
        "Cuba, Venezuela, Bolivarian Republic of": ["Cuba", "Venezuela, Bolivarian Republic of"],
        "Bosnia and Herzegovina": ["Bosnia and Herzegovina"],
        "Ghana, Philippines and Peru": ["Ghana", "Philippines", "Peru"],
        "Czech Republic; Switzerland; France": ["Czech Republic", "Switzerland", "France"],
        "United Kingdom, and Albania": ["United Kingdom", "Albania"],
        "Mexico/Brazil": ["Mexico", "Brazil"],
    }
    for inner, names in cases.items():
        assert state_list_names(inner, states) == names, inner


def test_parentheticals_are_the_top_level_groups_with_their_span() -> None:
    text = "Ratify OP-CAT (Senegal, Venezuela (Bolivarian Republic of)) and CED (Peru)"
    groups = list(parentheticals(text))
    assert [inner for _, _, inner in groups] == [
        "Senegal, Venezuela (Bolivarian Republic of)",
        "Peru",
    ]
    assert [text[start:end] for start, end, _ in groups] == [
        "(Senegal, Venezuela (Bolivarian Republic of))",
        "(Peru)",
    ]


def test_regional_groups() -> None:
    states = load_states()
    groups = {
        name: states.resolve(name).regional_group
        for name in ("Ghana", "Viet Nam", "Slovenia", "Brazil", "Norway", "Holy See")  # type: ignore[union-attr]
    }
    assert groups == {
        "Ghana": "African States",
        "Viet Nam": "Asia-Pacific States",
        "Slovenia": "Eastern European States",
        "Brazil": "Latin American and Caribbean States",
        "Norway": "Western European and other States",
        "Holy See": None,
    }
