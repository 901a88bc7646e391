"""The labelled review groups of the clustering protocol: which reviews test, tune and check
(issue #19). Each group is a dict of review name -> (gold file stem, WG report PDF); the gold
of REVIEWS is in ../shared/data/gold, the others' in bench/gold (README there).

bench/cluster_protocol.py scores them; every trial imports them from there.
"""

from __future__ import annotations

from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
GOLD = SHARED / "gold"
REVIEWS: dict[str, tuple[str, str]] = {
    # name: (gold file stem, WG report under wg_reports/ or "" for the thematic list)
    "Slovenia 2019": ("slovenia2019", ""),
    "Nigeria 2013": ("nigeria2013", "nigeria2013.pdf"),
    "Viet Nam 2014": ("vietnam2014", "vietnam2014.pdf"),
    "Costa Rica 2014": ("costarica2014", "costarica2014.pdf"),
    "Norway 2014": ("norway2014", "norway2014.pdf"),
}
"""The test: issue #19's five reviews (gold in ../shared/data/gold)."""
MORE_GOLD = Path(__file__).resolve().parent / "gold"
TUNING: dict[str, tuple[str, str]] = {
    "Kazakhstan 2014": ("kazakhstan2014", "kazakhstan2014.pdf"),
    "Madagascar 2014": ("madagascar2014", "madagascar2014.pdf"),
    "Malaysia 2013": ("malaysia2013", "malaysia2013.pdf"),
    "Colombia 2013": ("colombia2013", "colombia2013.pdf"),
    "Senegal 2013": ("senegal2013", "senegal2013.pdf"),
    "India 2012": ("india2012", "india2012.pdf"),
    "Tunisia 2012": ("tunisia2012", "tunisia2012.pdf"),
    "Sri Lanka 2012": ("srilanka2012", "srilanka2012.pdf"),
    "Ghana 2012": ("ghana2012", "ghana2012.pdf"),
    "Brazil 2012": ("brazil2012", "brazil2012.pdf"),
    "Japan 2012": ("japan2012", "japan2012.pdf"),
    "Ukraine 2012": ("ukraine2012", "ukraine2012.pdf"),
}
"""Twelve more reviews labelled here with the same method (bench/gold/README.md): in every
fold's training set, never scored as the test. The recipe the trials train on ("today") is
trained on them only; the shipped pair model was too until session 38, and is trained since on
them and every later group below (57 reviews: bench/learning_curve.py --compare)."""
FRESH: dict[str, tuple[str, str]] = {
    "Cameroon 2013": ("cameroon2013", "cameroon2013.pdf"),
    "Dominican Republic 2014": ("dominicanrepublic2014", "dominicanrepublic2014.pdf"),
    "Iraq 2014": ("iraq2014", "iraq2014.pdf"),
    "Germany 2013": ("germany2013", "germany2013.pdf"),
    "Bolivia (Plurinational State of) 2014": ("bolivia2014", "bolivia2014.pdf"),
    "Afghanistan 2014": ("afghanistan2014", "afghanistan2014.pdf"),
    "Angola 2014": ("angola2014", "angola2014.pdf"),
    "Italy 2014": ("italy2014", "italy2014.pdf"),
    "Yemen 2014": ("yemen2014", "yemen2014.pdf"),
    "Ethiopia 2014": ("ethiopia2014", "ethiopia2014.pdf"),
    "Cuba 2013": ("cuba2013", "cuba2013.pdf"),
    "Bahrain 2012": ("bahrain2012", "bahrain2012.pdf"),
    "Turkmenistan 2013": ("turkmenistan2013", "turkmenistan2013.pdf"),
    "Congo 2013": ("congo2013", "congo2013.pdf"),
    "Fiji 2014": ("fiji2014", "fiji2014.pdf"),
}
"""Reviews labelled (bench/gold, each by its own annotator) after the shipped pair model and
every default were chosen: a second and larger check of how the clusters hold on reviews the
project never saw (never trained on until session 38; the shipped pair model is trained on them
since, so the protocol scores the recipe trained on TUNING on them). Read once to confirm two
candidates chosen on the tuning reviews (bench/word_vectors_trial.py --fresh: the word vectors'
centroid, +0.04, shipped since; the rarest shared term, +0.01, not; bench/subject_trial.py
--fresh: the theme model's subject features, +0.001 at precision -0.04, not;
bench/position_trial.py --final, with the UNSEEN and LATEST reviews: where the asks are
printed, +0.02 here, passed), and nothing chosen on them otherwise.
(Philippines 2012 is labelled too but not scored: its report already merges the States' asks
into one paragraph, so its gold has 4 pairs that must be found.)"""
UNSEEN: dict[str, tuple[str, str]] = {
    name: (stem, f"{stem}.pdf")
    for name, stem in (
        ("Burundi 2013", "burundi2013"),
        ("Chad 2013", "chad2013"),
        ("Saudi Arabia 2013", "saudiarabia2013"),
        ("France 2013", "france2013"),
        ("Uzbekistan 2013", "uzbekistan2013"),
        ("El Salvador 2014", "elsalvador2014"),
        ("Iran (Islamic Republic of) 2014", "iran2014"),
        ("Peru 2012", "peru2012"),
    )
}
"""Reviews labelled last (bench/gold, each by its own annotator), after the FRESH reviews were
read: never chosen on (the shipped pair model is trained on them since session 38). The protocol
scores the recipe trained on TUNING on them, and the same recipe trained on the tuning and the
fresh reviews (does more data help?), choosing nothing.
Read once to confirm a candidate chosen on the tuning reviews, with LATEST (bench/position_trial.py
--final: where the asks are printed, +0.04 over the 14, passed)."""
LATEST: dict[str, tuple[str, str]] = {
    name: (stem, f"{stem}.pdf")
    for name, stem in (
        ("Argentina 2012", "argentina2012"),
        ("Canada 2013", "canada2013"),
        ("China 2013", "china2013"),
        ("Democratic Republic of the Congo 2014", "democraticrepublicofthecongo2014"),
        ("Montenegro 2013", "montenegro2013"),
        ("Qatar 2014", "qatar2014"),
    )
}
"""Reviews labelled after the UNSEEN ones were read (bench/gold, each by its own annotator,
2026-12-05): never chosen on (the shipped pair model is trained on them since session 38).
bench/latest_check.py scores the recipe trained on TUNING on them; a candidate chosen on the
other reviews may be checked on them once, declared first (done once: bench/position_trial.py
--final, with UNSEEN and FRESH)."""
NEWEST: dict[str, tuple[str, str]] = {
    name: (stem, f"{stem}.pdf")
    for name, stem in (
        ("Burkina Faso 2013", "burkinafaso2013"),
        ("Gabon 2012", "gabon2012"),
        ("Mauritius 2013", "mauritius2013"),
        ("Netherlands (Kingdom of the) 2012", "netherlands2012"),
        ("New Zealand 2014", "newzealand2014"),
        ("Romania 2013", "romania2013"),
        ("Russian Federation 2013", "russia2013"),
        ("Switzerland 2012", "switzerland2012"),
        ("United Arab Emirates 2013", "unitedarabemirates2013"),
    )
}
"""Reviews labelled after LATEST was read (bench/gold, each by its own annotator, 2026-12-05,
session 34): never chosen on (the shipped pair model is trained on them since session 38). The
check of this session's candidates, each declared in its bench before it is run;
`bench/latest_check.py --newest` scores the recipe trained on TUNING."""
FINAL: dict[str, tuple[str, str]] = {
    name: (stem, f"{stem}.pdf")
    for name, stem in (
        ("Bahamas 2013", "bahamas2013"),
        ("Barbados 2013", "barbados2013"),
        ("Bhutan 2014", "bhutan2014"),
        ("Democratic People's Republic of Korea 2014", "democraticpeoplesrepublicofkorea2014"),
        ("Liechtenstein 2013", "liechtenstein2013"),
        ("Malta 2013", "malta2013"),
        ("Monaco 2013", "monaco2013"),
    )
}
"""Reviews labelled after NEWEST was read (bench/gold, each by its own annotator, 2026-12-05,
session 35): the last cycle-2 reports of ../shared/data/wg_reports whose State no other gold
file names (guinea2014.pdf is a cycle-1 report, A/HRC/15/4). Never chosen on (the shipped pair
model is trained on them since session 38): the check of session 35's candidates, each declared
in its bench before it is run; `bench/latest_check.py --final` scores the recipe trained on
TUNING."""
FIRST_TUNING = tuple(list(TUNING)[:5])
"""The tuning reviews the pair model was first trained on (the shipped model before India and
Tunisia 2012 were labelled)."""
