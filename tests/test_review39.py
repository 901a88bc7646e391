"""review39: uprdex used as a human-rights researcher following Switzerland's UPR would, on
Switzerland 2008 (A/HRC/8/41) and 2012 (A/HRC/22/11), each finding pinned as a test; an
xfail(strict) one fails on today's code. The texts are quoted as the reports print them (pages
are the PDF's, 1-based). Every paragraph number, text, recommending State, response and page of
the 174 asks was checked against the PDFs' text: all are right, word for word, but two asks of
2008 that paragraph 58 cites (findings 1 and 2); the other findings are in the ids `show`
suggests, search, "asked before", clusters and themes."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from helpers import asks_by_id, cli, shared_ingested

CORPUS = (
    "wg_reports/switzerland2008.pdf",  # A/HRC/8/41, cycle 1 (session 2)
    "wg_reports/switzerland2012.pdf",  # A/HRC/22/11, cycle 2 (session 14)
)
EARLIER = "A/HRC/8/41"
LATER = "A/HRC/22/11"
_FOUND = re.compile(r"^(A/HRC/\d+/\d+#[\w.()]+) ", re.MULTILINE)


@pytest.fixture(scope="module")
def corpus_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Switzerland's two WG reports, ingested once (one worker)."""
    return shared_ingested(CORPUS, tmp_path_factory.mktemp("review39") / "index.sqlite")


def _asks(index: Path) -> dict[str, dict[str, Any]]:
    return asks_by_id(index, "CHE")


def _repeats(asks: dict[str, dict[str, Any]], later: str) -> set[str]:
    return {link["id"] for link in asks[f"{LATER}#{later}"]["repeats"] or []}


def _found(index: Path, *args: str) -> set[str]:
    """The ids `uprdex search ARGS` lists (all of them)."""
    result = cli("search", *args, "--limit", "0", "--index", index)
    assert result.exit_code == 0, result.output
    return set(_FOUND.findall(result.output))


# Finding 1. A/HRC/8/41 p. 16, 58 "One recommendation noted in the present report in paragraphs
# 10, 15, 25 and 39 (the ratification of the International Convention on the Protection of the
# Rights of All Migrant Workers and Members of Their Families) ... did not enjoy the support of
# Switzerland". Paragraph 39 (p. 11) asks it in its last sentence: "In the same vein, Guatemala
# urged Switzerland to consider ratifying the ICRMW." uprdex gave 39 the sentence before it,
# Guatemala's reiteration of CERD's recommendation on racism ("While acknowledging the efforts
# ... Guatemala wished to reiterate the recommendation made by CERD that Switzerland continue its
# efforts to prevent and to fight racism and xenophobia, ..."), noted: so 2012's 122.12
# ("Intensify its efforts to fight against racism, intolerance and xenophobia in society",
# Algeria) and 123.41 (a public education campaign against preconceptions about foreigners,
# Timor-Leste) were "asked before" and noted in 2008, and 124.1 (ICRMW, noted again) did not
# name Guatemala's ask among those it repeats.
@pytest.mark.corpus
def test_a_paragraph_cited_on_a_subject_gives_its_sentence_on_that_subject(
    corpus_index: Path,
) -> None:
    ask = _asks(corpus_index)[f"{EARLIER}#39"]
    text = "In the same vein, Guatemala urged Switzerland to consider ratifying the ICRMW"
    assert ask["text"] == text
    assert (ask["recommending_states"], ask["response"]) == (["Guatemala"], "noted")
    assert ask["source"]["page"] == 11


@pytest.mark.corpus
@pytest.mark.parametrize("later", ["122.12", "123.41"])
def test_a_2012_ask_on_racism_does_not_repeat_a_2008_ask_on_the_icrmw(
    corpus_index: Path, later: str
) -> None:
    assert f"{EARLIER}#39" not in _repeats(_asks(corpus_index), later)


@pytest.mark.corpus
def test_the_2012_icrmw_ask_repeats_guatemalas_2008_icrmw_ask(corpus_index: Path) -> None:
    assert f"{EARLIER}#39" in _repeats(_asks(corpus_index), "124.1")


# Finding 2. Paragraph 25 (p. 8), cited by 58 on the ICRMW too, asks two things in one
# sentence: "Philippines recommended that Switzerland consider ratifying the ICRMW, and
# establishing an independent federal national human rights institution in accordance with the
# Paris Principles." uprdex keeps the whole sentence, noted; the NHRI part is 57.1's ask (p. 14,
# Philippines among its eight States), which Switzerland was to examine, not one it did not
# support. So 2012's NHRI asks say they were asked before and noted: 123.20 ("Consider
# establishing a national human rights institution in compliance with the Paris Principles
# (Poland)") repeats 25 (noted, 66.7) and 57.1; 123.18, 123.19, 123.21, 123.22 likewise.
@pytest.mark.corpus
@pytest.mark.xfail(
    strict=True,
    reason="review39 finding 2: A/HRC/8/41#25, cited by paragraph 58 on the ICRMW only, keeps "
    "its sentence's NHRI ask, noted; 2012's NHRI asks then say the NHRI was noted in 2008",
)
def test_a_sentence_cited_on_a_subject_keeps_only_the_ask_on_it(corpus_index: Path) -> None:
    assert "national human rights institution" not in _asks(corpus_index)[f"{EARLIER}#25"]["text"]


@pytest.mark.corpus
@pytest.mark.xfail(
    strict=True,
    reason="review39 finding 2: 2012's NHRI asks 123.20 and 123.21 repeat A/HRC/8/41#25, "
    "noted, for its NHRI part, which Switzerland did not note (57.1, pending)",
)
@pytest.mark.parametrize("later", ["123.20", "123.21"])
def test_an_nhri_ask_does_not_repeat_a_noted_icrmw_ask(corpus_index: Path, later: str) -> None:
    assert f"{EARLIER}#25" not in _repeats(_asks(corpus_index), later)


# Finding 3. A researcher who types the paragraph of the dialogue that paragraph 58 cites
# ("paragraphs 10, 15, 25 and 39") is pointed to another ask only: `show A/HRC/8/41#15` said
# "did you mean A/HRC/8/41#57.15?" (the item printed "15." under 57, the reservation to article
# 4 of ICERD), not 15(c) and 15(d), Egypt's two asks of paragraph 15 that the index holds; `show
# A/HRC/8/41#10`, 57.10 and not 10(a). Both readings of the number are suggested now.
LETTERED = {
    "15": "did you mean A/HRC/8/41#15(c), A/HRC/8/41#15(d) or A/HRC/8/41#57.15?",
    "10": "did you mean A/HRC/8/41#10(a) or A/HRC/8/41#57.10?",
}


@pytest.mark.corpus
@pytest.mark.parametrize("paragraph", sorted(LETTERED))
def test_a_cited_paragraph_typed_without_its_letter_suggests_its_asks(
    corpus_index: Path, paragraph: str
) -> None:
    result = cli("show", f"{EARLIER}#{paragraph}", "--index", corpus_index)
    assert result.exit_code == 2, result.output
    assert LETTERED[paragraph] in result.output


# Finding 4. A search's British or American spelling misses the other one: p. 22, 123.70
# "... to facilitate their fair, standardised and transparent application (New Zealand)" is not
# found by `search standardized` (which found 122.19's "international standards" only), as the
# word list knows "standardize" and neither "standardized" nor "standardised"; likewise
# "recognized", "criticized", "penalized" ... never searched their -ised forms. And
# `search programmes` found 122.6 and 122.24 ("programmes", p. 15-16) and 123.40 ("programmes",
# p. 20), not 123.82 "through public programs" (p. 23) nor 123.1 "a priority national program"
# (p. 18); `search programs` the other way round.
PROGRAMMES = {f"{LATER}#{p}" for p in ("122.6", "122.24", "123.40", "123.82", "123.1")}
SPELLINGS = {
    "standardized": (("standardized",), {f"{LATER}#123.70"}),
    "standardized-application": (("standardized application",), {f"{LATER}#123.70"}),
    "programmes": (("programmes",), PROGRAMMES),
    "programs": (("programs",), PROGRAMMES),
}


@pytest.mark.corpus
@pytest.mark.parametrize("case", sorted(SPELLINGS))
def test_search_finds_the_other_spelling_of_a_word(corpus_index: Path, case: str) -> None:
    words, expected = SPELLINGS[case]
    found = _found(corpus_index, *words)
    assert expected <= found, f"missing {sorted(expected - found)}"


@pytest.mark.corpus
def test_a_respelt_ize_word_says_what_else_was_searched(corpus_index: Path) -> None:
    result = cli("search", "standardized", "--index", corpus_index)
    assert 'also searched: standardised (for "standardized")' in result.output


# Finding 5. A 2012 ask that restates a 2008 ask has no "asked before" naming it.
MISSED_REPEATS = {
    # p. 23, 123.80 "Protect minors and ensure that imprisonment of minors is separated from
    # imprisonment of adults (Uzbekistan)", 123.79 "Build or designate detention facilities for
    # unaccompanied minors ... separate from adult facilities (United States of America)"; p. 15,
    # 57.10 "To treat offenders under the age of 18 in police custody and detention differently
    # from adults (Canada)".
    "minors-apart-from-adults-uzbekistan": ("123.80", "57.10"),
    "minors-apart-from-adults-usa": ("123.79", "57.10"),
    # p. 21, 123.45 "Establish an independent mechanism in all cantons of the country with a
    # mandate to investigate all complaints about excessive use of force, cruel treatment and
    # other police abuse (Uzbekistan)"; p. 15, 57.11 "To recruit minorities in the police and
    # establish a body tasked to carry out inquiries into cases of police brutality (Canada)".
    "police-complaints-body": ("123.45", "57.11"),
    # p. 21, 123.58 "Provide concrete legal measures against hate speech and incitement
    # (Egypt)"; p. 15, 57.7 "To adopt a specific law prohibiting incitement to racial and
    # religious hatred, ... (Egypt)": the same State again.
    "incitement-law-of-egypt": ("123.58", "57.7"),
    # p. 22, 123.73 "Take firm measures against discrimination in all forms and in particular
    # that against foreign women (Viet Nam)"; p. 15, 57.16 "To further address and enhance
    # combating the root causes of discrimination, particularly of foreign migrant women, ...
    # (Slovenia)".
    "foreign-women": ("123.73", "57.16"),
    # p. 17, 122.29 "Adopt a strategy to combat trafficking in persons, particularly women and
    # children, improve the protection of victims and prosecute and punish perpetrators
    # (Greece)" and p. 16, 122.27 "Consider developing a comprehensive plan to combat trafficking
    # in human beings (Poland)"; p. 16, 57.22 "Regarding trafficking of women and girls and their
    # sexual exploitation, to formulate a comprehensive strategy, which should include measures
    # of prevention, prosecution and punishment of offenders ... (Islamic Republic of Iran)".
    "trafficking-strategy": ("122.29", "57.22"),
    "trafficking-plan": ("122.27", "57.22"),
    # p. 23, 123.75 "Adopt measures to reduce gender inequality in the labour market, allowing
    # women and men to reconcile family and professional responsibilities, ... (Slovakia)";
    # p. 16, 57.19 "To strengthen efforts to guarantee equal opportunities in the labour market,
    # in particular for women from minority groups (the Netherlands)" (122.23, the same words
    # as 123.75's first nine, repeats it).
    "labour-market-equality": ("123.75", "57.19"),
}


@pytest.mark.corpus
@pytest.mark.xfail(
    strict=True,
    reason="review39 finding 5: a 2012 ask of Switzerland that restates a 2008 ask (minors "
    "apart from adults in detention, a body to investigate police abuse, a law against "
    "incitement, discrimination of foreign women, a trafficking strategy, equality in the "
    "labour market) has no 'asked before' naming it",
)
@pytest.mark.parametrize("topic", sorted(MISSED_REPEATS))
def test_switzerland_2012_ask_repeats_its_2008_ask(corpus_index: Path, topic: str) -> None:
    later, earlier = MISSED_REPEATS[topic]
    asks = _asks(corpus_index)
    assert f"{EARLIER}#{earlier}" in asks, "the earlier ask is indexed"
    assert f"{EARLIER}#{earlier}" in _repeats(asks, later)


# Finding 6. A 2012 ask said to repeat a 2008 ask that asks something else.
FALSE_REPEATS = {
    # p. 23, 123.85 "Undertake an impact assessment on the possible consequences of its foreign
    # trade policies and investment agreements on the enjoyment of economic, social and cultural
    # rights by the population of its partner countries (Bangladesh)"; p. 6, 15(c) "Egypt
    # recommended that Switzerland rectify this situation, and the justiciability of economic,
    # social, and cultural rights be established in domestic law". Score 38.8.
    "trade-impact-is-not-justiciability": ("123.85", "15(c)"),
    # p. 16, 122.10 "Intensify its efforts to fight discrimination and intolerance, mainly
    # towards asylum seekers, migrants and persons of African origin (Tunisia)"; p. 14, 56.5 "To
    # take necessary steps to prevent the incidence of acts of violence with racist and
    # xenophobic undertones by security agents against foreigners, ... and to bring to justice
    # the perpetrators of such acts (Nigeria)", which 2012's 123.46 (Brazil) restates. Score 47.9.
    "intolerance-is-not-police-violence": ("122.10", "56.5"),
}


@pytest.mark.corpus
@pytest.mark.xfail(
    strict=True,
    reason="review39 finding 6: 123.85 (an impact assessment of trade policies abroad) is said "
    "to repeat 15(c) (justiciability of ESC rights at home), 122.10 (intolerance towards "
    "migrants) 56.5 (violence by security agents)",
)
@pytest.mark.parametrize("topic", sorted(FALSE_REPEATS))
def test_switzerland_2012_ask_does_not_repeat_an_unrelated_2008_ask(
    corpus_index: Path, topic: str
) -> None:
    later, earlier = FALSE_REPEATS[topic]
    assert f"{EARLIER}#{earlier}" not in _repeats(_asks(corpus_index), later)


# Finding 7. Clusters: the same ask apart, different asks together.
SAME_CLUSTER = {
    # p. 23, 123.79 (USA) and 123.80 (Uzbekistan): minors detained apart from adults; each alone.
    "minors-apart-from-adults": (f"{LATER}#123.79", f"{LATER}#123.80"),
    # p. 15, 122.1 "Ratify CED (Spain) (France); Consider the possibility of accession to CED
    # (Paraguay (Argentina)" repeats 57.13 "To sign the International Convention for the
    # Protection of All Persons from Enforced Disappearance (France, Mexico)" (48.5), yet each
    # is alone: "asked before" and the clusters disagree.
    "ced": (f"{LATER}#122.1", f"{EARLIER}#57.13"),
    # p. 18, 123.8, 123.9, 123.10 (Uruguay): withdraw the reservations to articles 10 (1), 37
    # (c) and 40 of the CRC; 123.8 is with 123.7 (Slovenia, "Withdraw remaining reservations to
    # the CRC"), 123.9 and 123.10 are alone.
    "crc-reservations": (f"{LATER}#123.8", f"{LATER}#123.9"),
    # p. 19, 123.28 "Adopt national legislation against discrimination (France)" is with 123.30
    # (legislative reforms against racial discrimination), apart from 123.27 "... Adopt a
    # comprehensive anti-discrimination legislation (Brazil)" and 123.29.
    "anti-discrimination-legislation": (f"{LATER}#123.28", f"{LATER}#123.27"),
    # p. 17, 122.29 (Greece, a strategy against trafficking in women and children) is alone;
    # 57.22 and 123.68 ("Design a strategy against trafficking and sexual exploitation of women
    # and girls ...", Mexico) are one cluster.
    "trafficking-strategy": (f"{LATER}#122.29", f"{LATER}#123.68"),
}


@pytest.mark.corpus
@pytest.mark.xfail(
    strict=True,
    reason="review39 finding 7: asks of Switzerland that ask the same (minors apart from "
    "adults, CED, reservations to the CRC, an anti-discrimination law, a trafficking strategy) "
    "are in different clusters",
)
@pytest.mark.parametrize("topic", sorted(SAME_CLUSTER))
def test_asks_that_ask_the_same_are_one_cluster(corpus_index: Path, topic: str) -> None:
    asks = _asks(corpus_index)
    first, second = SAME_CLUSTER[topic]
    assert asks[first]["cluster_id"] == asks[second]["cluster_id"]


# The five asks to ratify the ICRMW, the one recommendation paragraph 58 says Switzerland did
# not support in 2008 (10(a) Algeria, 15(d) Egypt, 25 Philippines, 39 Guatemala) and 2012's
# 124.1 (seven States, noted again), are never one cluster. Before review39's fix of 39's text,
# {10(a), 15(d), 124.1} were one and 39 was with 2012's 123.41 (a campaign about migrants);
# after it, {10(a), 15(d), 39} are one and 124.1 is alone: its scores with them, 56.3, 54.4
# and 45.2, average 52.0, under the threshold of 52.5 (`uprdex show` gives them in `repeats`).
# 25 (ICRMW and an NHRI) is alone in both.
@pytest.mark.corpus
@pytest.mark.xfail(
    strict=True,
    reason="review39 finding 7: the five asks to ratify the ICRMW (2008's 10(a), 15(d), 25, 39 "
    "and 2012's 124.1) are not one cluster",
)
def test_the_asks_to_ratify_the_icrmw_are_one_cluster(corpus_index: Path) -> None:
    asks = _asks(corpus_index)
    icrmw = [f"{EARLIER}#{p}" for p in ("10(a)", "15(d)", "25", "39")] + [f"{LATER}#124.1"]
    assert len({asks[rec]["cluster_id"] for rec in icrmw}) == 1


@pytest.mark.corpus
@pytest.mark.xfail(
    strict=True,
    reason="review39 finding 7: 56.3 (a gender perspective in the UPR follow-up, Slovenia) and "
    "56.4 (consult stakeholders in the UPR follow-up, United Kingdom) are one cluster",
)
def test_a_gender_perspective_and_consulting_stakeholders_are_not_one_cluster(
    corpus_index: Path,
) -> None:
    asks = _asks(corpus_index)
    assert asks[f"{EARLIER}#56.3"]["cluster_id"] != asks[f"{EARLIER}#56.4"]["cluster_id"]


# p. 19-20: the cluster of 123.27 ("... adopt comprehensive anti-discrimination legislation
# (Canada); Adopt a comprehensive anti-discrimination legislation (Brazil)"), 123.29 (an
# anti-discrimination law, three States) and 123.36 (Iran, racism and "a comprehensive
# anti-discrimination law") is named, in `clusters`, the exports and the report, by its one
# member that asks no law: 123.31 "Adopt comprehensive anti-discrimination strategies (Egypt)".
@pytest.mark.corpus
@pytest.mark.xfail(
    strict=True,
    reason="review39 finding 7: the cluster of asks for an anti-discrimination law (123.27, "
    "123.29, 123.36) is named by 123.31 'Adopt comprehensive anti-discrimination strategies'",
)
def test_a_cluster_of_asks_for_a_law_is_named_by_an_ask_for_a_law(corpus_index: Path) -> None:
    import uprdex

    cluster_id = _asks(corpus_index)[f"{LATER}#123.29"]["cluster_id"]
    with uprdex.open_index(corpus_index) as index:
        (cluster,) = [c for c in index.clusters() if c["cluster_id"] == cluster_id]
    assert re.search(r"\b(?:law|legislation)\b", cluster["canonical_text"]), cluster


# Finding 8. Themes: a theme the ask names in words hidden, and one it does not name shown.
HIDDEN_THEMES = {
    # p. 18, 123.10 "Withdraw its reservations to Article 40 of CRC (Uruguay)": International
    # instruments and Women's rights; 123.8 and 123.9, the same of articles 10 and 37, have
    # Rights of the Child (the keywords find it on 123.10 too).
    f"{LATER}#123.10": "Rights of the Child",
    # p. 22, 123.70 "Specify the criteria that apply to the consideration of violence when
    # extending residence permits for victims of domestic violence, ... (New Zealand)":
    # Asylum-seekers - refugees only.
    f"{LATER}#123.70": "Women's rights",
    # p. 17, 122.40 "Continue measures to combat activities by transnational criminal and
    # terrorist elements and their front organisations in Switzerland, ... (Sri Lanka)":
    # Trafficking only.
    f"{LATER}#122.40": "Counter-terrorism",
    # p. 16, 122.23 "Adopt measures to reduce gender inequality in the labour market
    # (Bangladesh)": Women's rights only (122.21 likewise; 57.19 has Labour).
    f"{LATER}#122.23": "Labour",
}


# Women's rights, Counter-terrorism and Labour are shown beside the classifier's labels since
# themetrial (data/themes.yaml beside_model); Rights of the Child is not marked.
STILL_HIDDEN = {f"{LATER}#123.10"}


@pytest.mark.corpus
@pytest.mark.parametrize(
    "rec_id",
    [
        pytest.param(
            rec_id,
            marks=pytest.mark.xfail(
                strict=True,
                reason="review39 finding 8: the classifier hides a theme the ask names in words "
                "(Rights of the Child on a reservation to the CRC); the keywords find it",
            ),
        )
        if rec_id in STILL_HIDDEN
        else rec_id
        for rec_id in sorted(HIDDEN_THEMES)
    ],
)
def test_a_theme_the_ask_names_in_words_is_shown(corpus_index: Path, rec_id: str) -> None:
    ask = _asks(corpus_index)[rec_id]
    theme = HIDDEN_THEMES[rec_id]
    assert any(hit["theme"] == theme for hit in ask["theme_hits"] if hit["method"] == "keywords")
    assert theme in ask["themes"], ask["themes"]


SPURIOUS_THEMES = {
    # 123.10 (above): Women's rights, on a reservation to the CRC's article on juvenile justice.
    f"{LATER}#123.10": "Women's rights",
    # p. 17, 122.35 "Take new measures, where necessary, concerning female victims of domestic
    # violence (Republic of Moldova)": Rights of the Child, naming no child.
    f"{LATER}#122.35": "Rights of the Child",
    # 123.70 (above): Asylum-seekers - refugees, on residence permits of victims of violence.
    f"{LATER}#123.70": "Asylum-seekers - refugees",
}


@pytest.mark.corpus
@pytest.mark.xfail(
    strict=True,
    reason="review39 finding 8: the classifier shows a theme the ask does not name (Women's "
    "rights on a reservation to the CRC, Rights of the Child on female victims of domestic "
    "violence, refugees on residence permits)",
)
@pytest.mark.parametrize("rec_id", sorted(SPURIOUS_THEMES))
def test_a_theme_the_ask_does_not_name_is_not_shown(corpus_index: Path, rec_id: str) -> None:
    ask = _asks(corpus_index)[rec_id]
    assert SPURIOUS_THEMES[rec_id] not in ask["themes"], ask["themes"]


# Finding 9. `--theme 'Migrants '` (a space after it, as a copy from the report brings) was "not
# a theme of this index (did you mean Migrants?)" and matched nothing, where `--recommending-state
# 'Guatemala '` and `--state-under-review 'Switzerland '` are read without their space. Fixed
# (codereview3): the filter and the CLI's check read the theme without its end spaces.
@pytest.mark.corpus
def test_a_theme_typed_with_a_trailing_space_is_the_theme(corpus_index: Path) -> None:
    spaced = cli("recs", "--theme", "Migrants ", "--index", corpus_index)
    plain = cli("recs", "--theme", "Migrants", "--index", corpus_index)
    assert spaced.output.splitlines()[-1] == plain.output.splitlines()[-1]
    assert "not a theme of this index" not in spaced.output, spaced.output[:300]
