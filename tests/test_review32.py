"""review32: uprdex used as a human-rights researcher monitoring Kazakhstan's UPR would, on
Kazakhstan 2010 (A/HRC/14/10) and 2014 (A/HRC/28/10), each finding pinned as an xfail(strict)
test that fails on today's code. The texts are quoted as the reports print them (pages are the
PDF's, 1-based). No review, bench or model has used Kazakhstan before."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from helpers import asks_by_id, cli, shared_ingested

CORPUS = (
    "wg_reports/kazakhstan2010.pdf",  # A/HRC/14/10, cycle 1 (session 7)
    "wg_reports/kazakhstan2014.pdf",  # A/HRC/28/10, cycle 2 (session 20)
)
EARLIER = "A/HRC/14/10"
LATER = "A/HRC/28/10"


@pytest.fixture(scope="module")
def corpus_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Kazakhstan's two WG reports, ingested once (one worker)."""
    return shared_ingested(CORPUS, tmp_path_factory.mktemp("review32") / "index.sqlite")


def _asks(index: Path) -> dict[str, dict[str, Any]]:
    return asks_by_id(index, "KAZ")


def _repeats(asks: dict[str, dict[str, Any]], later: str) -> set[str]:
    return {link["id"] for link in asks[f"{LATER}#{later}"]["repeats"] or []}


# Finding 1. The Migrant Workers Convention, asked in both reviews, is not linked across them.
# A/HRC/14/10 p. 21, 97.1 "To consider adhering to the International Convention on the Protection
# of the Rights of All Migrant Workers and Their Family Members (Algeria)" (pending: its answer is
# in the addendum). A/HRC/28/10 p. 23, 126.1 "Consider the possibility of acceding to the
# International Convention on the Protection of the Rights of All Migrant Workers and Members of
# their Families (ICRMW) (Egypt)", 126.2 "Ratify ICRMW (Sierra Leone)", 126.3 "Consider ratifying
# ICRMW (Kyrgyzstan)", 126.4 "Consider becoming a party to ICRMW (Indonesia)", all noted. None of
# the four has an "asked before", 97.1 no "asked again later", and 97.1 is in none of their
# clusters, at any granularity (at 1 it joins 124.14 on migration control and extradition).
@pytest.mark.corpus
@pytest.mark.parametrize("later", ["126.1", "126.2", "126.3", "126.4"])
def test_icrmw_asks_of_2014_repeat_2010s_97_1(corpus_index: Path, later: str) -> None:
    assert f"{EARLIER}#97.1" in _repeats(_asks(corpus_index), later)


@pytest.mark.corpus
def test_icrmw_asks_of_both_reviews_are_one_cluster(corpus_index: Path) -> None:
    asks = _asks(corpus_index)
    assert asks[f"{EARLIER}#97.1"]["cluster_id"] == asks[f"{LATER}#126.1"]["cluster_id"]


# Finding 2. More 2014 asks that restate a 2010 ask (often the same State) with no "asked before".
MISSED_REPEATS = {
    # p. 25, 126.35 "Decriminalize defamation and revise the provisions of articles 400 and 403 of
    # the newly adopted Criminal Code ... (Czech Republic)"; A/HRC/14/10 p. 22, 97.20 "To review
    # provisions set out in its Criminal Code criminalizing libel in order to ensure that they
    # comply with the International Covenant on Civil and Political Rights ... (Czech Republic)".
    # 126.35 has no "asked before" at all.
    "decriminalize-defamation-czech": ("126.35", {"97.20", "97.23"}),
    # p. 17, 124.47 "Ensure changes to its criminal and civil codes, decriminalize slander and
    # libel, and protect media freedoms ... (Australia)"; p. 23, 97.22 "To remove the provisions
    # concerning criminal libel against journalists (Australia)". 124.47 has no "asked before".
    "decriminalize-libel-australia": ("124.47", {"97.22", "97.23", "97.25"}),
    # p. 16, 124.33 "Comply without exception with the principle of non-refoulement when people
    # are in danger of being tortured or ill-treated (Uruguay)"; p. 21, 97.7 "To review relevant
    # legal provisions and practices with a view to ensuring strict compliance with the principle
    # of non-refoulement (Czech Republic)". 124.33 lists 95.92 only.
    "non-refoulement": ("124.33", {"97.7"}),
    # p. 25, 126.47 "Remove the restrictions on freedom of assembly, repeal article 10 of the Law
    # on Freedom of Assembly ... (Germany)"; p. 22, 97.14 "To make efforts to speedily draft and
    # implement the new law on the right to assembly with fewer demands regarding prior
    # registration ... (Sweden)". No 2014 assembly ask (126.43, 126.47, 126.48) lists 97.14.
    "law-on-assembly": ("126.47", {"97.14"}),
    # p. 24, 126.18 "Make further efforts to accede and fully align its national legislation with
    # the Rome Statute of the International Criminal Court (Republic of Korea)"; p. 21, 97.3 "To
    # consider ratifying the Rome Statute of the International Criminal Court, as well as ...
    # (Slovenia)". Every other Rome Statute ask of 2014 (126.13-126.17, 126.19) lists 97.3.
    "rome-statute-republic-of-korea": ("126.18", {"97.3"}),
    # p. 24, 126.21 "Take further action to prevent and tackle discrimination of religious
    # minorities, also by revising the rules on registration of religious association ...
    # (Italy)"; p. 22, 97.19 "To consider the rules for the registration of religious groups ...
    # (Norway)", p. 21, 97.10 "To abolish requirements for the registration of religious groups
    # ... (Mexico)". 126.21 has no "asked before".
    "registration-of-religious-groups": ("126.21", {"97.19", "97.10"}),
    # p. 25, 126.42 "Review its legislation that restricts the media freedoms, freedom of assembly
    # and association, and bring them in conformity with international human rights law
    # (Slovenia)"; p. 22, 97.13 "To continue to improve the laws dealing with freedom of
    # expression, in particular freedom of the Internet, the media, elections and political
    # parties, and bringing them into full compliance with international standards (Slovenia)".
    "media-and-assembly-laws-slovenia": ("126.42", {"97.13"}),
}


@pytest.mark.corpus
@pytest.mark.xfail(
    strict=True,
    reason="review32 finding 2: a 2014 ask of Kazakhstan that restates a 2010 ask (often the same "
    "State: defamation, libel, non-refoulement, assembly, Rome Statute, religious registration) "
    "has no 'asked before' naming it",
)
@pytest.mark.parametrize("topic", sorted(MISSED_REPEATS))
def test_kazakhstan_2014_ask_repeats_its_2010_ask(corpus_index: Path, topic: str) -> None:
    later, earlier_paragraphs = MISSED_REPEATS[topic]
    asks = _asks(corpus_index)
    earlier = {f"{EARLIER}#{paragraph}" for paragraph in earlier_paragraphs}
    assert earlier <= asks.keys(), "the earlier asks are indexed"
    repeats = _repeats(asks, later)
    assert repeats & earlier, f"{later} repeats {sorted(repeats)}, none of {sorted(earlier)}"


# Finding 3. A 2014 ask said to repeat a 2010 ask that asks something else.
FALSE_REPEATS = {
    # p. 17, 124.40 "Take steps to ensure that the right to peaceful assembly is not hindered
    # (Norway)"; A/HRC/14/10 p. 16, 95.22 "To strengthen the authorities of the Assembly of the
    # Peoples of Kazakhstan ... (Lebanon)": the Assembly is the State's body of its ethnic
    # communities, not a gathering (score 54.9). They are also one cluster.
    "peaceful-assembly-is-not-the-assembly-of-the-peoples": ("124.40", "95.22"),
    # p. 20, 125.41 "Continue to improve socioeconomic conditions to eradicate inequality ...
    # (Bangladesh)"; p. 17, 95.47 "To further improve prison conditions (Azerbaijan)" (56.9).
    # They are also one cluster.
    "socioeconomic-conditions-are-not-prison-conditions": ("125.41", "95.47"),
    # p. 24, 126.31 "Adopt a National Action Plan to implement Security Council resolution 1325
    # (2000) on Women and Peace and Security (Portugal)"; p. 16, 95.25 "To implement the National
    # Action Plan on human rights (Slovenia)" (33.1).
    "plan-on-resolution-1325-is-not-the-human-rights-plan": ("126.31", "95.25"),
}


@pytest.mark.corpus
@pytest.mark.xfail(
    strict=True,
    reason="review32 finding 3: a 2014 ask of Kazakhstan is said to repeat a 2010 ask that asks "
    "something else (peaceful assembly vs the Assembly of the Peoples of Kazakhstan; "
    "socioeconomic vs prison conditions; a 1325 action plan vs the human rights action plan)",
)
@pytest.mark.parametrize("pair", sorted(FALSE_REPEATS))
def test_kazakhstan_2014_ask_does_not_repeat_an_unrelated_2010_ask(
    corpus_index: Path, pair: str
) -> None:
    later, earlier = FALSE_REPEATS[pair]
    repeats = _repeats(_asks(corpus_index), later)
    assert f"{EARLIER}#{earlier}" not in repeats, f"{later} repeats {sorted(repeats)}"


# Finding 4. Clusters (default granularity) that put unrelated asks together, or split one
# commitment.
@pytest.mark.corpus
def test_misprinted_crpd_ask_is_with_the_crpd_asks(corpus_index: Path) -> None:
    # p. 18: 125.4 "Continue to take necessary steps towards the ratification of CRPD (Japan)";
    # 125.5 "Continue its work towards the speedy ratification of CPRD (Russian Federation)";
    # p. 23, 126.2 "Ratify ICRMW (Sierra Leone)".
    asks = _asks(corpus_index)
    cluster = {p: asks[f"{LATER}#{p}"]["cluster_id"] for p in ("125.4", "125.5", "126.2")}
    assert cluster["125.5"] != cluster["126.2"], cluster
    assert cluster["125.5"] == cluster["125.4"], cluster


UNRELATED_IN_ONE_CLUSTER = {
    # A/HRC/14/10 p. 16, 95.22 "To strengthen the authorities of the Assembly of the Peoples of
    # Kazakhstan ..." and A/HRC/28/10 p. 17, 124.40 "Take steps to ensure that the right to
    # peaceful assembly is not hindered".
    "assembly-of-the-peoples-vs-peaceful-assembly": (f"{EARLIER}#95.22", f"{LATER}#124.40"),
    # A/HRC/14/10 p. 17, 95.47 "To further improve prison conditions" and A/HRC/28/10 p. 20,
    # 125.41 "Continue to improve socioeconomic conditions to eradicate inequality ...".
    "prison-conditions-vs-socioeconomic-conditions": (f"{EARLIER}#95.47", f"{LATER}#125.41"),
}


@pytest.mark.corpus
@pytest.mark.xfail(
    strict=True,
    reason="review32 finding 4: two unrelated asks that share a word ('assembly', 'conditions') "
    "are one cluster, the only members",
)
@pytest.mark.parametrize("pair", sorted(UNRELATED_IN_ONE_CLUSTER))
def test_unrelated_asks_are_not_one_cluster(corpus_index: Path, pair: str) -> None:
    first, second = UNRELATED_IN_ONE_CLUSTER[pair]
    asks = _asks(corpus_index)
    assert asks[first]["cluster_id"] != asks[second]["cluster_id"], pair


@pytest.mark.corpus
@pytest.mark.xfail(
    strict=True,
    reason="review32 finding 4: the 2014 asks to decriminalize defamation and libel (126.35, "
    "126.40, 124.47) are in three clusters",
)
def test_asks_to_decriminalize_defamation_are_one_cluster(corpus_index: Path) -> None:
    # A/HRC/28/10 p. 25, 126.35 "Decriminalize defamation and revise the provisions of articles
    # 400 and 403 ... (Czech Republic)"; 126.40 "Protect space for dissent, including by
    # decriminalizing libel and minimizing fines against media outlets (United States of
    # America)"; p. 17, 124.47 "Ensure changes to its criminal and civil codes, decriminalize
    # slander and libel, and protect media freedoms ... (Australia)".
    asks = _asks(corpus_index)
    clusters = {p: asks[f"{LATER}#{p}"]["cluster_id"] for p in ("126.35", "126.40", "124.47")}
    assert len(set(clusters.values())) == 1, clusters


# Finding 5. A/HRC/28/10 p. 17: "125. The following recommendations enjoy the support of
# Kazakhstan, which considers that they are in the process of being implemented." Its 96 asks
# have no response_detail, while para 124's ("... considers that they have already been
# implemented") and 2010's para 96 list ("... are in the process of implementation") have
# "accepted; considered already implemented or in process".
@pytest.mark.corpus
@pytest.mark.parametrize("paragraph", ["125.1", "125.42", "125.96"])
def test_asks_the_state_says_are_being_implemented_say_so(
    corpus_index: Path, paragraph: str
) -> None:
    ask = _asks(corpus_index)[f"{LATER}#{paragraph}"]
    assert ask["response"] == "supported", ask["response"]
    detail = ask["response_detail"]
    assert detail == "accepted; considered already implemented or in process", detail


# Finding 6. Names a researcher types that find nothing.
NAMES = {
    # A/HRC/28/10 p. 24, 126.13 "Ratify the Rome Statute of the International Criminal Court
    # (Costa Rica)": `search ICC` finds 0 results (the treaty table holds "ICC Statute").
    "icc": ("ICC", f"{LATER}#126.13"),
    # p. 24, 126.24 "Strengthen the legal framework for the protection and non-discrimination of
    # lesbian, gay, bisexual, transgender and intersex people (Spain)": `search LGBTI` and
    # `search LGBT` find 0 results.
    "lgbti": ("LGBTI", f"{LATER}#126.24"),
    # A/HRC/14/10 p. 22, 97.20 "... comply with the International Covenant on Civil and Political
    # Rights and the standards of the Organization for Security and Cooperation in Europe ...
    # (Czech Republic)": `search OSCE` finds only Slovenia's asks that print "OSCE".
    "osce": ("OSCE", f"{EARLIER}#97.20"),
}


@pytest.mark.corpus
@pytest.mark.parametrize("case", sorted(NAMES))
def test_search_by_a_common_abbreviation(corpus_index: Path, case: str) -> None:
    words, wanted = NAMES[case]
    found = cli("search", words, "--limit", "0", "--index", corpus_index)
    assert found.exit_code == 0, found.output
    assert wanted in found.output, found.output[-300:]


# Finding 7. Themes.
@pytest.mark.corpus
@pytest.mark.xfail(
    strict=True,
    reason="review32 finding 7: A/HRC/14/10 95.22 on the Assembly of the Peoples of Kazakhstan "
    "(the State's body of its ethnic communities) has the theme 'Freedom of association and "
    "peaceful assembly' only",
)
def test_assembly_of_the_peoples_is_not_peaceful_assembly(corpus_index: Path) -> None:
    # p. 16: 95.22 "To strengthen the authorities of the Assembly of the Peoples of Kazakhstan and
    # to ensure that they are exercised in accordance with the purposes for which the Assembly was
    # created (Lebanon)".
    themes = _asks(corpus_index)[f"{EARLIER}#95.22"]["themes"]
    assert "Freedom of association and peaceful assembly" not in themes, themes


EMPLOYMENT_ASKS = {
    # A/HRC/14/10 p. 19, 95.80 "To increase its efforts to fight unemployment, especially among
    # young people (Sudan)": themes Development.
    f"{EARLIER}#95.80": "fight unemployment",
    # A/HRC/28/10 p. 19, 125.27 "Continue applying an inclusive approach for the implementation
    # of national programmes in the area of employment 1 (Belarus)": no theme at all.
    f"{LATER}#125.27": "national programmes in the area of employment",
    # p. 22, 125.82 "Continue carrying out employment programmes, especially for the young people,
    # the disadvantaged and disabled, ... (Brunei Darussalam)": Development, Disabilities.
    f"{LATER}#125.82": "employment programmes",
}


# review32 finding 7: asks on employment and unemployment lacked the "Labour" theme (125.27 had
# none), so `recs --theme labour` left them out; the second theme trial (bench/bench_theme_gold.py)
# made "employment" and "unemployment" Labour keywords.
@pytest.mark.corpus
@pytest.mark.parametrize("rec_id", sorted(EMPLOYMENT_ASKS))
def test_an_employment_ask_has_the_labour_theme(corpus_index: Path, rec_id: str) -> None:
    themes = _asks(corpus_index)[rec_id]["themes"]
    assert "Labour" in themes, (EMPLOYMENT_ASKS[rec_id], themes)


# Finding 8. A/HRC/28/10 p. 14, 124.2 "Speed up the effective implementation of the six universal
# periodic review recommendations made by the Czech Republic and accepted by Kazakhstan in 2010
# (Czech Republic)". The Czech Republic made six asks in 2010: 95.28, 95.54, 95.61, 95.64 (p. 16,
# 18, 18, 18, supported), 97.7 and 97.20 (pp. 21-22, pending). 124.2's "asked before" lists three
# asks of other States on UPR follow-up (97.4 Hungary, 95.5 Norway, 95.6 United Kingdom), none of
# the six it names.
@pytest.mark.corpus
def test_ask_to_implement_a_states_earlier_asks_links_them(corpus_index: Path) -> None:
    asks = _asks(corpus_index)
    czech_2010 = {
        rec_id
        for rec_id, ask in asks.items()
        if rec_id.startswith(f"{EARLIER}#") and "CZE" in ask["recommending_state_codes"]
    }
    assert len(czech_2010) == 6, sorted(czech_2010)
    repeats = _repeats(asks, "124.2")
    assert repeats & czech_2010, f"124.2 repeats {sorted(repeats)}"


# Finding 9. A researcher's corrections and "asked before": after `uprdex cluster link` of 2010's
# 97.1 and 2014's 126.1 (both the Migrant Workers Convention, finding 1) 126.1 still has no
# "asked before"; an unrelated `cluster unlink` run next gives it "asked before 97.1 (pending)"
# (score 29.0), and the next `uprdex cluster` takes it away again. What a researcher reads
# depends on which command ran last.
def _copy_index(index: Path, to: Path) -> Path:
    import sqlite3

    with sqlite3.connect(index) as source, sqlite3.connect(to) as copy:
        source.backup(copy)
    return to


@pytest.mark.corpus
def test_asked_before_does_not_depend_on_which_correction_ran_last(
    corpus_index: Path, tmp_path: Path
) -> None:
    index = _copy_index(corpus_index, tmp_path / "corrected.sqlite")
    later = f"{LATER}#126.1"
    seen = {}
    steps = {
        "link": ("cluster", "link", f"{EARLIER}#97.1", later, "--note", "the same treaty"),
        # A/HRC/28/10 p. 17, 124.40 (peaceful assembly) and A/HRC/14/10 p. 16, 95.22 (the Assembly
        # of the Peoples of Kazakhstan), finding 3.
        "unlink": ("cluster", "unlink", f"{LATER}#124.40", f"{EARLIER}#95.22"),
        "cluster": ("cluster",),
    }
    for step, args in steps.items():
        done = cli(*args, "--index", index)
        assert done.exit_code == 0, done.output
        seen[step] = sorted(_repeats(asks_by_id(index, "KAZ"), "126.1"))
    assert len({tuple(repeats) for repeats in seen.values()}) == 1, seen
    # The researcher's link across the two reviews is the "asked before" they wanted.
    assert f"{EARLIER}#97.1" in seen["link"], seen
