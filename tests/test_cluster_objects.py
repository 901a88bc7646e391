"""What an ask acts on and for whom (pipeline.clusters.objects), as the pair model reads it.

Texts are real recommendations of the tuning reviews (bench/gold): Madagascar 2014
(A/HRC/28/13), Senegal 2013 (A/HRC/25/4), Malaysia 2013
(A/HRC/25/10). None is from #19's five test reviews.
"""

from __future__ import annotations

from uprdex.pipeline.clusters import normalize
from uprdex.pipeline.clusters.objects import OBJECTS, read_groups, read_masks, read_objects

# A/HRC/28/13 108.124 (gold "combat-poverty").
POVERTY_RATE = "Make efforts to reduce the poverty rate"


def test_one_object_written_two_ways_reads_as_one() -> None:
    # A/HRC/25/4 124.48 and 124.50 (gold "eradicate-fgm"); A/HRC/25/10 146.122 and 146.124.
    assert read_objects(
        normalize("Continue its efforts to eradicate female genital mutilation")
    ) == ("genital mutilation",)
    assert read_objects(
        normalize(
            "Continue to strengthen all public policies with a view to eliminating feminine "
            "genital mutilation"
        )
    ) == ("genital mutilation",)
    assert "death penalty" in read_objects(
        normalize(
            "Instate an official moratorium on executions with a view to abolishing capital "
            "punishment"
        )
    )


def test_stem_inside_another_word_names_no_object() -> None:
    # "reduc" holds "educ": the poverty rate is no ask on education.
    assert read_objects(normalize(POVERTY_RATE)) == ("poverty",)


def test_groups_named_in_other_words_read_as_one() -> None:
    # A/HRC/25/4 126.5 and 126.7, one gold cluster ("decriminalize-same-sex-relations").
    same_sex = (
        "Amend its Penal Code to decriminalise sexual relations between persons of the same sex"
    )
    orientation = (
        "Repeal all laws criminalizing sexual orientation and gender identity and take concrete "
        "measures for the protection of sexual minorities"
    )
    assert (
        read_groups(normalize(same_sex))
        == read_groups(normalize(orientation))
        == ("LGBTI persons",)
    )


def test_moratorium_and_mandatory_death_penalty_read_apart() -> None:
    # A/HRC/25/10 146.119 (gold "death-penalty-moratorium") and 146.110
    # ("abolish-mandatory-death-penalty"): two commitments on one subject.
    moratorium = read_objects(normalize("Establish a moratorium on the death penalty"))
    mandatory = read_objects(
        normalize(
            "Broaden the review of the death penalty with a view of eliminating mandatory death "
            "sentencing for capital offences"
        )
    )
    assert moratorium == ("death penalty moratorium", "death penalty")
    assert mandatory == ("mandatory death penalty", "death penalty")


def test_masks_are_the_objects_and_groups_read() -> None:
    # A/HRC/25/10 146.172 (gold "birth-registration"): one object, one group, as bits.
    text = normalize(
        "Ensure birth registration of all children to facilitate the access to social services"
    )
    objects, groups = read_masks([text, normalize(POVERTY_RATE)])
    names = [name for name, _ in OBJECTS]
    assert read_objects(text) == ("birth registration",)
    assert objects.tolist() == [1 << names.index("birth registration"), 1 << names.index("poverty")]
    assert read_groups(text) == ("children",)
    assert groups.tolist() == [1 << 1, 0]
