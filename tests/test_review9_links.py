"""review9: the pass by keys compares a UPR Info row with each State's part of a compound item,
the words before that State's list, which may be one or two words ("Sign (Portugal)", "Enact
legislation (Austria)"): token_set_ratio gives 100 whenever those words are among the row's, so
a row of that State about anything else is linked to the item (another treaty, another act)."""

from __future__ import annotations

from pathlib import Path

from test_import_links import _linked


def test_a_row_is_not_linked_to_another_ask_by_the_first_words_of_its_state_s_part(
    tmp_path: Path,
) -> None:
    # A/HRC/18/15 79.5 "Enact legislation (Austria) to definitively abolish (France, Australia)
    # the death penalty; ...", 79.1 "Sign (Portugal), accede to (Australia) and ratify the
    # second Optional Protocol ...", 79.7 "Introduce (Belgium) and establish a moratorium ...".
    # These rows ask something else; none is printed in the fixture: each stands apart.
    rows = [
        ("Enact legislation to criminalize domestic violence", "Austria", "Accepted"),
        ("Sign and ratify the Convention against Torture", "Portugal", "Noted"),
        ("Introduce a definition of torture in its criminal code", "Belgium", "Accepted"),
    ]
    found = _linked(
        tmp_path, "stvincent2011_recs.pdf", "Saint Vincent and the Grenadines", 11, rows
    )
    linked = {text: ids for text, ids in found.items() if any("#79." in i for i in ids)}
    assert linked == {}, linked


def test_a_row_naming_a_treaty_is_not_linked_to_an_ask_of_its_optional_protocol(
    tmp_path: Path,
) -> None:
    # A/HRC/27/5 134.4 "Ratify the Optional Protocol to the International Covenant on Economic,
    # Social and Cultural Rights (Portugal)": its key "ratifi the opicescr" and a row's
    # "ratifi the icescr" score 94 by characters, but they are two treaties.
    rows = [("Ratify the ICESCR", "Portugal", "Noted")]
    found = _linked(tmp_path, "drc2014_recs.pdf", "Democratic Republic of the Congo", 19, rows)
    assert all("#" not in i for i in found["Ratify the ICESCR"]), found
