"""review34: uprdex used as a human-rights researcher following the Philippines' UPR would, on
the Philippines 2008 (A/HRC/8/28, cycle 1, session 1) and 2012 (A/HRC/21/12, cycle 2, session 13),
each finding pinned as a test that failed on the code before its fix, or as an xfail(strict)
test when it is not fixed. The texts are quoted as the reports print them (pages are the PDF's,
1-based). A/HRC/8/28 numbers its 17 asks 1-17 under paragraph 58 (uprdex's 58.1-58.17) and
says "The response of the Philippines to these recommendations will be included in the outcome
report" (para 59: all 17 pending); A/HRC/21/12 lists 45 supported asks (129), 8 supported as
"already implemented or in the process of implementation" (130) and 35 to be examined (131)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from helpers import asks_by_id, cli, shared_ingested

CORPUS = (
    "wg_reports/philippines2008.pdf",  # A/HRC/8/28, cycle 1 (session 1)
    "wg_reports/philippines2012.pdf",  # A/HRC/21/12, cycle 2 (session 13)
)
EARLIER = "A/HRC/8/28"
LATER = "A/HRC/21/12"


@pytest.fixture(scope="module")
def corpus_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Philippines' two WG reports, ingested once (one worker)."""
    return shared_ingested(CORPUS, tmp_path_factory.mktemp("review34") / "index.sqlite")


def _asks(index: Path) -> dict[str, dict[str, Any]]:
    return asks_by_id(index, "PHL")


def _repeats(asks: dict[str, dict[str, Any]], later: str) -> set[str]:
    return {link["id"] for link in asks[f"{LATER}#{later}"]["repeats"] or []}


# What uprdex reads right, pinned so that it stays so: every ask, with its States (the UN short
# names of the export contract) and its response.
@pytest.mark.corpus
def test_every_ask_of_both_reviews_is_read(corpus_index: Path) -> None:
    asks = _asks(corpus_index)
    earlier = {f"{EARLIER}#58.{n}" for n in range(1, 18)}
    later = (
        {f"{LATER}#129.{n}" for n in range(1, 46)}
        | {f"{LATER}#130.{n}" for n in range(1, 9)}
        | {f"{LATER}#131.{n}" for n in range(1, 36)}
    )
    assert set(asks) == earlier | later
    responses = {rec_id: ask["response"] for rec_id, ask in asks.items()}
    assert {responses[rec_id] for rec_id in earlier} == {"pending"}
    assert [responses[f"{LATER}#{p}"] for p in ("129.45", "130.1", "131.1")] == [
        "supported",
        "supported",
        "pending",
    ]
    # p. 20, 129.36 "... (Venezuela, Bolivarian Republic of)"; p. 16, 129.3 "... (Palestine)";
    # p. 18, 129.19 "... (Turkey)"; p. 15, 58.4 "... (Slovenia, Mexico, United Kingdom and the
    # Netherlands) and the International Convention ... (Slovenia, Mexico)".
    states = {rec_id: ask["recommending_states"] for rec_id, ask in asks.items()}
    assert "Venezuela (Bolivarian Republic of)" in states[f"{LATER}#129.36"]
    assert states[f"{LATER}#129.3"] == ["State of Palestine", "Qatar"]
    assert asks[f"{LATER}#129.19"]["recommending_state_codes"] == ["TUR"]
    assert asks[f"{EARLIER}#58.4"]["recommending_state_codes"] == ["SVN", "MEX", "GBR", "NLD"]


# Finding 1. A/HRC/21/12 prints the ask "as read during the interactive dialogue" in a footnote
# between quotation marks; its font's quotes are read as U+2015 (horizontal bar) and U+2016
# (double vertical line), so `show`, the exports and the HTML report print p. 17's footnote 1 on
# 129.14 as "... dialogue: ―Effectively fight against extrajudicial killings, ... executions.‖"
# and p. 21's footnote 2 on 130.2 as "... dialogue: ―Continue to uphold ... signed up to.‖".
FOOTNOTES = {
    "129.14": (
        "The recommendation as read during the interactive dialogue: “Effectively fight against "
        "extrajudicial killings, including by non-State actors, by strengthening accountability "
        "mechanisms and implementing the necessary reforms identified by the Special Rapporteur "
        "on extrajudicial, summary or arbitrary executions.”"
    ),
    "130.2": (
        "The recommendation as read during the interactive dialogue: “Continue to uphold and "
        "enact national laws and legislation in accordance with universally agreed human rights "
        "standards it has signed up to.”"
    ),
}


@pytest.mark.corpus
@pytest.mark.parametrize("paragraph", sorted(FOOTNOTES))
def test_footnote_quotes_are_quotation_marks(corpus_index: Path, paragraph: str) -> None:
    footnotes = _asks(corpus_index)[f"{LATER}#{paragraph}"]["footnotes"]
    assert [note["text"] for note in footnotes] == [FOOTNOTES[paragraph]]


# Finding 2. A/HRC/8/28 p. 15, 58.4 "To sign and ratify the Optional Protocol to the Convention
# against Torture (Slovenia, Mexico, United Kingdom and the Netherlands) and the International
# Convention on the Protection of All Persons from Enforced Disappearance (Slovenia, Mexico)":
# the treaty's name as many asks print it ("on", not the title's "for"). `search CED`, `search
# ICPPED` and a search for the title find 131.1, 131.2 and 131.4 of 2012, not 58.4.
@pytest.mark.corpus
@pytest.mark.parametrize(
    "words",
    [
        "CED",
        "ICPPED",
        "International Convention for the Protection of All Persons from Enforced Disappearance",
    ],
)
def test_search_for_the_enforced_disappearance_convention_finds_2008s_ask(
    corpus_index: Path, words: str
) -> None:
    found = cli("search", words, "--limit", "0", "--index", corpus_index)
    assert found.exit_code == 0, found.output
    assert f"{EARLIER}#58.4 " in found.output, found.output[-400:]
    assert f"{LATER}#131.1 " in found.output, found.output[-400:]


# Finding 3. A/HRC/21/12 p. 25, 131.32 "... take urgent measures to end extra-judicial killings,
# and enforced disappearances of human rights defenders ... (Ireland)": `search "extrajudicial
# killings"` finds 11 asks, not this one; `search extra-judicial` finds it alone.
@pytest.mark.corpus
@pytest.mark.parametrize("words", ["extrajudicial killings", "extra-judicial"])
def test_search_extrajudicial_finds_both_spellings(corpus_index: Path, words: str) -> None:
    found = cli("search", words, "--limit", "0", "--index", corpus_index)
    assert found.exit_code == 0, found.output
    assert f"{LATER}#131.32 " in found.output, found.output[-400:]
    assert f"{LATER}#129.14 " in found.output, found.output[-400:]


# Finding 4. `uprdex recs --theme torture` says "--theme 'torture' is not a theme of this index,
# whose themes are: ..." (37 names) and lists nothing, without naming the one it means, "Torture
# and other CID treatment" (17 asks here); so do `--theme disappearances` and `--theme
# trafficking in persons`.
@pytest.mark.corpus
@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("torture", "Torture and other CID treatment"),
        ("Disappearances", "Enforced disappearances"),
        ("education", "Human rights education and training or Right to education"),
    ],
)
def test_a_theme_named_by_one_of_its_words_is_suggested(
    corpus_index: Path, typed: str, meant: str
) -> None:
    done = cli("recs", "--theme", typed, "--index", corpus_index)
    assert done.exit_code == 0, done.output
    assert f"(did you mean {meant}?)" in " ".join(done.output.split()), done.output[:400]


# Finding 5. A 2012 ask said to repeat a 2008 ask that asks something else. A/HRC/21/12 p. 24,
# 131.21 "Ensure, in the context of the judicial reform, a gender sensitive and accessible
# judiciary, both in terms of procedures and attitude (Austria)" has "asked before" A/HRC/8/28
# p. 15, 58.11 "To strengthen the witness protection programme and address the root causes of
# this issue in the context of the reform of the judiciary and the armed forces (Switzerland)"
# (score 49.8): only the frame "in the context of the (judicial) reform" is shared.
@pytest.mark.corpus
@pytest.mark.xfail(
    strict=True,
    reason="review34 finding 5: A/HRC/21/12 131.21 (a gender-sensitive judiciary) is said to "
    "repeat A/HRC/8/28 58.11 (the witness protection programme)",
)
def test_gender_sensitive_judiciary_does_not_repeat_witness_protection(
    corpus_index: Path,
) -> None:
    repeats = _repeats(_asks(corpus_index), "131.21")
    assert f"{EARLIER}#58.11" not in repeats, sorted(repeats)


# Finding 6. 2012 asks that restate a 2008 ask with no "asked before" naming it.
MISSED_REPEATS = {
    # p. 24, 131.23 "Update the Human Rights Council on the findings of the National Monitoring
    # Mechanism and the measures taken to address the issue of extrajudicial killings ...
    # (Hungary)"; A/HRC/8/28 p. 15, 58.6 "... as well as to provide a follow-up report on efforts
    # and measures to address extrajudicial killings and enforced disappearances ... (The
    # Netherlands)". 131.23 has no "asked before".
    "report-on-measures-against-extrajudicial-killings": ("131.23", "58.6"),
    # p. 17, 129.14 "Effectively fight against extrajudicial killings, including by non-State
    # actors, by strengthening accountability mechanisms and implementing the necessary reforms
    # (Germany)", its footnote adding "identified by the Special Rapporteur on extrajudicial,
    # summary or arbitrary executions"; 58.6 "To completely eliminate torture and extrajudicial
    # killings (Holy See) ... taking into account the recommendations of the Special Rapporteur on
    # extrajudicial, summary or arbitrary executions (The Netherlands)".
    "fight-extrajudicial-killings": ("129.14", "58.6"),
    # p. 25, 131.32 "... take urgent measures to end extra-judicial killings, and enforced
    # disappearances of human rights defenders, to investigate all cases and bring those
    # responsible to justice. (Ireland)"; 58.6 "... to intensify its efforts to carry out
    # investigations and prosecutions on extrajudicial killings and punish those responsible
    # (Switzerland)".
    "end-extra-judicial-killings": ("131.32", "58.6"),
    # p. 19, 129.29 "... Effectively fight impunity for cases of extrajudicial killings and
    # enforced disappearance committed by the armed forces and the police ... (Austria) ...";
    # 58.6 (Switzerland's part).
    "impunity-for-extrajudicial-killings": ("129.29", "58.6"),
    # p. 22, 130.7 "... Step up efforts to meet the basic needs of society’s exposed groups, in
    # particular the millions of migrants and seafarers (Holy See)"; p. 15, 58.14 "To step up
    # efforts to continue to meet the basic needs of the poor and other vulnerable groups
    # (Nigeria)". 130.7 has no "asked before".
    "basic-needs-of-vulnerable-groups": ("130.7", "58.14"),
    # p. 16, 129.8 "... Undertake concrete measures to further promote gender equality in
    # employment, gender responsive approach in the judicial system and better maternal care
    # (Thailand)"; p. 14, 58.1 "To continue to develop a gender-responsive approach to issues of
    # violence against women and continue to build supportive environment for women and children
    # within the judicial system ... (New Zealand)".
    "gender-responsive-judicial-system": ("129.8", "58.1"),
}


@pytest.mark.corpus
@pytest.mark.xfail(
    strict=True,
    reason="review34 finding 6: a 2012 ask of the Philippines that restates a 2008 ask "
    "(extrajudicial killings: a report on the measures, accountability, impunity; basic needs "
    "of vulnerable groups; a gender-responsive judicial system) has no 'asked before' naming it",
)
@pytest.mark.parametrize("topic", sorted(MISSED_REPEATS))
def test_philippines_2012_ask_repeats_its_2008_ask(corpus_index: Path, topic: str) -> None:
    later, earlier = MISSED_REPEATS[topic]
    asks = _asks(corpus_index)
    repeats = _repeats(asks, later)
    assert f"{EARLIER}#{earlier}" in repeats, f"{later} repeats {sorted(repeats)}"


# Finding 7. Clusters (default granularity).
@pytest.mark.corpus
@pytest.mark.xfail(
    strict=True,
    reason="review34 finding 7: A/HRC/21/12 131.27 (reparation for the Marcos dictatorship's "
    "victims) and 131.28 (children in detention) are one cluster, the only members",
)
def test_reparation_law_and_children_in_detention_are_not_one_cluster(
    corpus_index: Path,
) -> None:
    # p. 24: 131.27 "Adopt and implement swiftly the law on reparation for victims of violations
    # of human rights during the Marcos dictatorship (Switzerland)"; 131.28 "With reference to
    # the situation of children in detention, follow-up the recommendations in chapter VI of the
    # Human Rights Council resolution on the Rights of the Child adopted in March 2012 (Hungary)".
    asks = _asks(corpus_index)
    assert asks[f"{LATER}#131.27"]["cluster_id"] != asks[f"{LATER}#131.28"]["cluster_id"]


@pytest.mark.corpus
@pytest.mark.xfail(
    strict=True,
    reason="review34 finding 7: the 2012 asks to ratify the enforced disappearance Convention "
    "are two clusters: 131.1 (six States) alone, 131.2 and 131.4 together",
)
def test_asks_to_ratify_the_enforced_disappearance_convention_are_one_cluster(
    corpus_index: Path,
) -> None:
    # p. 22: 131.1 "Consider the possibility of strengthening efforts to ratify the International
    # Convention for the Protection of All Persons from Enforced Disappearances (Argentina); ...
    # ratify the CED without delay ... (France); accelerate the enactment and implementation of
    # CED (Chile)"; 131.2 "Ratify CED, OP-CRPD (Spain)"; 131.4 "Accede to the CED and two ILO
    # Conventions Nos. 169 and 189 (Iraq)".
    asks = _asks(corpus_index)
    clusters = {p: asks[f"{LATER}#{p}"]["cluster_id"] for p in ("131.1", "131.2", "131.4")}
    assert len(set(clusters.values())) == 1, clusters


# Finding 8. Themes.
THEMES = {
    # p. 22, 130.8 "Continue carrying out efforts so that the Philippines Development Plan
    # (2011–2016) is in accordance with its international human rights obligations
    # (Nicaragua)": International instruments only (the keywords found "Development").
    f"{LATER}#130.8": "Development",
    # p. 18, 129.19 "Reinforce its training programmes for all law enforcement personnel on the
    # absolute prohibition of torture (Turkey)": Torture and other CID treatment only.
    f"{LATER}#129.19": "Human rights education and training",
}


# Fixed by showing the keyword themes of Development and Human rights education and training
# beside the classifier's labels (data/themes.yaml beside_model; themetrial).
@pytest.mark.corpus
@pytest.mark.parametrize("rec_id", sorted(THEMES))
def test_ask_has_the_theme_it_names(corpus_index: Path, rec_id: str) -> None:
    themes = _asks(corpus_index)[rec_id]["themes"]
    assert THEMES[rec_id] in themes, themes


# Finding 9. The 2012 report restates 2008 asks without their numbers, and none of it is
# evidence: uprdex reads no WG report's sentences for paraphrases (flows/extract.py leaves the
# reports and addenda out). A/HRC/21/12 p. 7, para 39: "It noted outstanding requests to visit
# from special procedures mandate holders, including the mandate holder on countering terrorism,
# since the 2008 UPR." (Slovenia, who asked A/HRC/8/28 p. 14, 58.3 "To enable the visit by the
# Special Rapporteur on the promotion and protection of human rights while countering terrorism
# as soon as possible (Slovenia)").
@pytest.mark.corpus
@pytest.mark.xfail(
    strict=True,
    reason="review34 finding 9: A/HRC/21/12 para 39 restates A/HRC/8/28 58.3 (the visit of the "
    "Special Rapporteur on countering terrorism) and is no evidence of it: WG reports are not "
    "read for paraphrases",
)
def test_later_report_restating_an_earlier_ask_is_its_evidence(corpus_index: Path) -> None:
    done = cli("evidence", EARLIER, "58.3", "--index", corpus_index)
    assert done.exit_code == 0, done.output
    assert "0 evidence records" not in done.output, done.output


# Finding 10. `uprdex browse`: a page that does not exist (a mistyped table, another index's
# name in a bookmark: /index/recommendations while the file served is idx.sqlite) answers 404
# "Database not found" in the browser, and prints Datasette's 165-line traceback, with its
# locals, in the terminal that runs `uprdex browse`.
@pytest.mark.corpus
@pytest.mark.parametrize("path", ["/other/recommendations", "/{db}/recommendatoins"])
def test_browse_says_a_missing_page_without_a_traceback(
    corpus_index: Path, path: str, capfd: pytest.CaptureFixture[str]
) -> None:
    import asyncio

    pytest.importorskip("datasette", reason="the browse extra is not installed")
    from uprdex.pipeline.browse import build_datasette

    async def fetch() -> int:
        datasette = build_datasette(corpus_index)
        await datasette.invoke_startup()
        response = await datasette.client.get(path.format(db=corpus_index.stem))
        return int(response.status_code)

    status = asyncio.run(fetch())
    printed = capfd.readouterr()
    assert status == 404
    assert "Traceback" not in printed.out + printed.err, (printed.out + printed.err)[:600]
