"""Who asked which part of a compound recommendation (`state_lists.ask_parts`): Japan 2008's
60.1 (A/HRC/8/44) bundles OP-CAT (United Kingdom, Albania, Mexico, Brazil), the Hague
Convention (Canada, Netherlands) and more in one numbered item."""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
from pathlib import Path

import pytest

from uprdex.extractors.state_lists import ask_parts
from uprdex.pipeline.states import load_states
from uprdex.pipeline.store import RecFilter, Store

from helpers import by_paragraph, cli, ingested, parsed

UK = "United Kingdom of Great Britain and Northern Ireland"


@pytest.fixture(scope="module")
def japan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index holding Japan 2008's recommendations."""
    return ingested(("japan2008_recs.pdf",), tmp_path_factory.mktemp("parts") / "index.sqlite")


def _parts(text: str) -> list[tuple[str, tuple[str, ...]]]:
    return [(part.text, part.recommending_states) for part in ask_parts(text, load_states())]


def test_compound_item_names_who_asked_each_part() -> None:
    parts = by_paragraph(parsed("japan2008_recs.pdf"))["60.1"].parts
    by_text = {part.text: part.recommending_states for part in parts}
    assert by_text["the Optional Protocol to the Convention against Torture"] == (
        UK,
        "Albania",
        "Mexico",
        "Brazil",
    )
    assert by_text[
        "the Hague Convention on Civil Aspects of International Child Abduction, 1980"
    ] == (
        "Canada",
        "Netherlands (Kingdom of the)",
    )
    # The closing ask has its own list, "(Portugal)", cut from the item's text like any last list.
    assert parts[-1].text.startswith("Sign the Second Optional Protocol")
    assert parts[-1].recommending_states == ("Portugal",)
    assert len(parts) == 9


def test_item_with_one_list_or_the_same_states_has_no_parts() -> None:
    assert _parts("Ratify OP-CAT (Brazil, Mexico);") == []
    assert _parts("Enact legislation (Austria) to abolish the death penalty (Austria);") == []


def test_shared_object_goes_to_the_states_of_its_ask() -> None:
    # A/HRC/24/14 140.11: the Convention is what both asked, each with its own verb.
    assert _parts(
        "Consider ratifying (Philippines)/ acceding to (Egypt) the International Convention on "
        "the Protection of the Rights of All Migrant Workers and Members of Their Families;"
    ) == [
        ("Consider ratifying", ("Philippines",)),
        ("acceding to", ("Egypt",)),
        (
            "the International Convention on the Protection of the Rights of All Migrant "
            "Workers and Members of Their Families",
            ("Philippines", "Egypt"),
        ),
    ]
    # A stray ")" after the last list is no part (A/HRC/13/16 71.2).
    assert _parts("Accede to (Slovenia)/sign (Sweden) the Protocol (France) ;)")[-1][0] == (
        "the Protocol"
    )
    # An ask opened after a ";" with no list of its own cannot be told: not attributed.
    assert _parts("Ratify OP-CAT (Brazil); sign the CED")[-1] == ("sign the CED", ())


def test_search_with_recommending_state_keeps_only_the_parts_it_asked(japan: Path) -> None:
    def ids(state: str, words: str | None) -> set[str]:
        with Store(japan) as store:
            found = store.recommendations(RecFilter(recommending_state=state, search=words))
        return {rec.id for rec in found}

    assert "A/HRC/8/44#60.1" not in ids("Canada", "Convention against Torture")
    assert "A/HRC/8/44#60.1" in ids("United Kingdom", "Convention against Torture")
    assert "A/HRC/8/44#60.1" in ids("Canada", "Hague Convention")
    assert "A/HRC/8/44#60.1" in ids("Brazil", "ratify Convention against Torture")
    assert "A/HRC/8/44#60.1" in ids("Canada", None)
    result = cli("recs", "--recommending-state", "Canada", "--search", "Torture", "--index", japan)
    assert result.exit_code == 0 and "60.1" not in result.output


def test_exports_and_show_give_the_parts(japan: Path) -> None:
    result = cli("export", "--what", "recommendations", "--format", "jsonl", "--index", japan)
    records = {row["id"]: row for row in map(json.loads, result.output.splitlines())}
    parts = records["A/HRC/8/44#60.1"]["parts"]
    assert {"text": "the Optional Protocol to the Convention against Torture",
            "recommending_states": [UK, "Albania", "Mexico", "Brazil"]} in parts  # fmt: skip
    assert any(not row["parts"] for row in records.values())  # one list: no parts
    result = cli("export", "--what", "recommendations", "--format", "csv", "--index", japan)
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(result.output))}
    assert json.loads(rows["A/HRC/8/44#60.1"]["parts"]) == parts
    brief = cli("show", "A/HRC/8/44", "60.1", "--brief", "--index", japan).output
    assert "the Hague Convention on Civil Aspects of International Child Abduction, 1980 " in brief
    assert "(Canada, Netherlands (Kingdom of the))" in brief


def test_report_shows_who_asked_what(japan: Path, tmp_path: Path) -> None:
    result = cli("report", "--out", tmp_path / "html", "--index", japan)
    assert result.exit_code == 0, result.output
    page = (tmp_path / "html" / "japan.html").read_text(encoding="utf-8")
    assert "Who asked what" in page
    assert "“the Optional Protocol to the Convention against Torture”: United Kingdom" in page
    # review13: the parts restated the whole item (Israel 2008's 100.34: 14 parts, 2,402
    # characters) on lines split by <br>, a wrapped line looking like a new part. Each part is
    # now an item of a list, cut to its opening words, the whole part in its tooltip.
    parts = page.split('<ul class="parts">', 1)[1].split("</ul>", 1)[0]
    assert parts.count("<li") == 9 and "<br>" not in parts
    cut = re.findall(r"<li title=\"([^\"]*)\">“([^”]*)”", parts)
    assert all(len(shown) <= 81 and title.startswith(shown.rstrip("…")) for title, shown in cut)
    assert any(shown.endswith("…") for _, shown in cut)


def test_variant_verbs_share_their_object() -> None:
    # A/HRC/12/2 74.4: the Protocol is what all four asked, each with its own verb.
    parts = _parts(
        "Ratify (Mexico, Austria) / Consider ratifying (Djibouti) / Sign and ratify (Belgium) "
        "the Optional Protocol to the Convention on the Rights of the Child (CRC) on the "
        "involvement of children in armed conflict (Belgium);"
    )
    assert set(parts[-1][1]) == {"Mexico", "Austria", "Djibouti", "Belgium"}
    # A/HRC/15/9 93.2: Greece asked to ratify the Convention, as soon as possible.
    assert _parts(
        "Ratify the International Convention for the Protection of All Persons from Enforced "
        "Disappearance (Azerbaijan, Argentina, Uruguay) as soon as possible (Greece);"
    )[0][1] == ("Azerbaijan", "Argentina", "Uruguay", "Greece")


def _as_schema_8_left_it(index: Path) -> None:
    """The index as the release before the parts wrote it: no parts, an older reader."""
    db = sqlite3.connect(index, isolation_level=None)
    db.execute("DROP TRIGGER recommendation_asked_fts_ad")
    db.execute("DROP TABLE recommendation_asked_fts")
    db.execute("DROP TABLE recommendation_parts")
    db.execute("UPDATE documents SET reader = '0.0.1-0123456789abcdef'")
    db.execute("UPDATE meta SET value = '8' WHERE key = 'schema_version'")
    db.close()


def test_an_earlier_index_gains_the_parts_when_its_report_is_read_again(tmp_path: Path) -> None:
    index = ingested(("japan2008_recs.pdf",), tmp_path / "index.sqlite")
    canada_torture = RecFilter(recommending_state="Canada", search="Torture")
    _as_schema_8_left_it(index)
    with Store(index) as store:  # migrated: no parts yet, the item is kept as before
        assert "A/HRC/8/44#60.1" in {rec.id for rec in store.recommendations(canada_torture)}
    for _ in range(2):  # read again (an earlier release read it), twice: no stale words left
        db = sqlite3.connect(index, isolation_level=None)
        db.execute("UPDATE documents SET reader = '0.0.1-0123456789abcdef'")
        db.close()
        ingested(("japan2008_recs.pdf",), index)
        with Store(index) as store:
            assert "A/HRC/8/44#60.1" not in {r.id for r in store.recommendations(canada_torture)}
        db = sqlite3.connect(index)
        pairs = db.execute("SELECT count(*) FROM recommendation_asked_fts").fetchone()[0]
        db.close()
        assert pairs == len(
            {
                (rec.paragraph, state)
                for rec in parsed("japan2008_recs.pdf").recommendations
                for part in rec.parts
                for state in part.recommending_states
            }
        )


def test_ranked_search_keeps_only_the_parts_a_recommending_state_asked(japan: Path) -> None:
    # `uprdex search WORDS --recommending-state X` did not read the parts: Canada's search for
    # the Convention against Torture found 60.1, where Canada asked for the Hague Convention.
    def searched(state: str, words: str) -> set[str]:
        with Store(japan) as store:
            hits = store.search(words, RecFilter(recommending_state=state), limit=0).hits
        return {hit.recommendation.id for hit in hits}

    def listed(state: str, words: str) -> set[str]:
        with Store(japan) as store:
            found = store.recommendations(RecFilter(recommending_state=state, search=words))
        return {rec.id for rec in found}

    assert "A/HRC/8/44#60.1" not in searched("Canada", "Convention against Torture")
    assert "A/HRC/8/44#60.1" in searched("Canada", "Hague Convention")
    for state, words in (  # the fixture holds no evidence: both list the same asks
        ("Canada", "Convention against Torture"),
        ("Canada", "Hague Convention"),
        ("United Kingdom", "Convention against Torture"),
        ("Brazil", "Optional Protocol"),
        ("Peru", "Migrant Workers"),
        ("Netherlands", "Torture"),
    ):
        assert searched(state, words) == listed(state, words), (state, words)
    result = cli("search", "Torture", "--recommending-state", "Canada", "--index", japan)
    assert result.exit_code == 0 and "60.1" not in result.output


def test_ranked_search_shows_the_part_found_and_who_asked_it(japan: Path) -> None:
    args = ("search", "Convention against Torture", "--index", japan)
    result = cli(*args, "--recommending-state", "United Kingdom")
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())  # as a narrow terminal folds it
    assert (
        "the part: the Optional Protocol to the Convention against Torture "
        f"({UK}, Albania, Mexico, Brazil)" in said
    )
    hits = [json.loads(line) for line in cli(*args, "--json").stdout.splitlines()]
    found = next(hit for hit in hits if hit["id"] == "A/HRC/8/44#60.1")
    assert found["parts"] == [
        {"text": "the Optional Protocol to the Convention against Torture",
         "recommending_states": [UK, "Albania", "Mexico", "Brazil"]}
    ]  # fmt: skip


def test_recs_with_search_shows_the_part_found_and_who_asked_it(japan: Path) -> None:
    from click.testing import CliRunner

    from uprdex.flows.cli import main

    def recs(*args: str) -> str:
        runner = CliRunner(env={"COLUMNS": "50"})  # a block per ask: no cell folds the line
        result = runner.invoke(main, ["recs", *args, "--index", str(japan)])
        assert result.exit_code == 0, result.output
        return " ".join(result.output.split())

    said = recs("--recommending-state", "UK", "--search", "Convention against Torture")
    assert (
        "the part: the Optional Protocol to the Convention against Torture "
        f"({UK}, Albania, Mexico, Brazil)" in said
    )
    assert "the part: the Hague Convention" not in said
    assert "the part:" not in recs("--recommending-state", "UK")  # no words, no part found
    assert "the part: the Hague Convention" in recs("--search", "Hague Convention")


def test_a_part_holding_the_most_words_is_the_one_found(japan: Path) -> None:
    # Brazil's parts hold "ratify" in none (its lead, searched but not stored): the part is the
    # one holding the most words, OP-CAT, not OP-CEDAW's "against".
    args = ("search", "ratify Convention against Torture", "--recommending-state", "Brazil")
    hits = [json.loads(line) for line in cli(*args, "--json", "--index", japan).stdout.splitlines()]
    assert [hit["id"] for hit in hits] == ["A/HRC/8/44#60.1"]
    assert [part["text"] for part in hits[0]["parts"]] == [
        "the Optional Protocol to the Convention against Torture"
    ]


def test_a_part_that_refers_back_keeps_what_it_refers_to(shared_data: Path, tmp_path: Path) -> None:
    # review13: Burkina Faso 2008's 98.3 (A/HRC/10/80) prints "Ensure the effective application
    # of the Convention against Torture (Luxembourg), ratify the Optional Protocol thereto
    # (Netherlands, Mexico, Benin, Denmark, Luxembourg) and establish a national preventive
    # mechanism (Benin, Denmark)". The Netherlands asked for OP-CAT (UPR Info's row says so),
    # but its part says "thereto": `recs --recommending-state Netherlands --search torture`
    # dropped the item, which it kept before the parts. 101 of the 231 (item, State) pairs of
    # 2008-2011 whose UPR Info words the filter drops are such back references ("thereto",
    # "accordingly", "in this regard", "the relevant Committee", "the Convention").
    report = shared_data / "wg_reports" / "burkinafaso2009.pdf"
    index = ingested((str(report),), tmp_path / "index.sqlite")

    def ids(state: str, words: str) -> set[str]:
        with Store(index) as store:
            found = store.recommendations(RecFilter(recommending_state=state, search=words))
        return {rec.id for rec in found}

    assert "A/HRC/10/80#98.3" in ids("Netherlands", "Torture")
    assert "A/HRC/10/80#98.3" in ids("Denmark", "Torture")


def _searched(text: str) -> dict[str, str]:
    """Per State, the words `recs --recommending-state S --search` looks in (lead and part)."""
    words: dict[str, str] = {}
    for part in ask_parts(text, load_states()):
        for name in part.recommending_states:
            words[name] = f"{words.get(name, '')} {part.lead} {part.text}"
    return words


def test_a_part_that_completes_or_qualifies_another_keeps_its_words() -> None:
    # review13: "accordingly" (A/HRC/10/69 92.1), "in this regard" (A/HRC/11/27 93.28), "the
    # relevant Committee" (A/HRC/12/10 96.2), "to establish ..." after "Accelerate the reform"
    # and "and through the legislative process" (A/HRC/12/10 96.10): each lost the topic word
    # the State asked for.
    botswana = _searched(
        "accede to the Optional Protocol to the Convention against Torture (France) and to "
        "establish a national preventive mechanism accordingly (Czech Republic, Denmark)"
    )
    assert "Torture" in botswana["Denmark"]
    mexico = _searched(
        "Ensure the timely, effective, and impartial investigations of all allegations "
        "concerning torture (Uzbekistan) and combat impunity in this regard (France, Japan)"
    )
    assert "torture" in mexico["Japan"]
    chile = _searched(
        "Consider ratification of the International Convention for the Protection of All Persons"
        " from Enforced Disappearance (Brazil, Spain, France) and accept the competence of the "
        "relevant Committee (Argentina)"
    )
    assert "Enforced Disappearance" in chile["Argentina"]
    chile = _searched(
        "Accelerate the reform (Nicaragua) to establish a NHRI in accordance with the Paris "
        "Principles (Uzbekistan, Morocco, Bangladesh) promptly (Peru) through expeditious efforts"
        " (Malaysia) and through the legislative process (Pakistan)"
    )
    assert "Paris Principles" in chile["Nicaragua"] and "Paris Principles" in chile["Pakistan"]
    assert "Accelerate" not in chile["Uzbekistan"]  # an ask before it is not theirs


def test_an_enumerated_object_is_searched_with_the_whole_shared_opening() -> None:
    # review13: A/HRC/10/70 52.2 "To consider the possibility of acceding to ... the
    # International Convention on ... Migrant Workers (Algeria, Mexico, Haiti)": the lead was
    # "To consider", and Mexico's search for "acceding" dropped the item.
    haiti = _searched(
        "To consider the possibility of acceding to the other major human rights instruments, in "
        "particular the Convention against Torture (Algeria, Slovenia, France); the Convention on"
        " the Rights of Persons with Disabilities (Argentina); the International Convention on "
        "the Protection of the Rights of All Migrant Workers (Algeria, Mexico, Haiti)"
    )
    assert "possibility of acceding" in haiti["Haiti"]
    assert "Torture" not in haiti["Haiti"]


def test_a_part_taking_its_object_from_the_stretch_before_keeps_its_words() -> None:
    # bench/bench_parts.py on the 2008-2010 reports: "reform it", "accept it" and "and of the
    # media" lost the object the State asked about (UPR Info: "Reform the judicial system",
    # "Accept the Rome Statute ...", "... full respect for freedom of the media").
    burundi = _searched(
        "Continue efforts in the sector of the judicial system with the support of the "
        "international community (Algeria); intensify efforts to uphold the respect for the rule"
        " of law by ensuring an independent and well functioning judicial system (Sweden), reform"
        " it (Nigeria), and increase the financial and human resources available to it (Czech "
        "Republic)"
    )  # A/HRC/10/71 80.20
    assert "judicial system" in burundi["Nigeria"] and "judicial system" in burundi["Czechia"]
    assert "international community" not in burundi["Nigeria"]  # another ask's
    chile = _searched(
        "Ratify the Rome Statute of the International Criminal Court (France, Brazil, Spain), "
        "accept it (Argentina) and continue with efforts to achieve approval in Congress "
        "(Colombia)"
    )  # A/HRC/12/10 96.1
    assert "Rome Statute" in chile["Argentina"]
    norway = _searched(
        "Consider ratifying or acceding to: OP-ICCPR 2, (Chile), OP-CAT (France, The Netherlands,"
        " Chile); other individual complaints procedures under the treaties to which it is a "
        "party (Norway)"
    )  # A/HRC/11/18 94.1: "it is a party", the State, not an object
    assert "OP-CAT" not in norway["Norway"]
    serbia = _searched(
        "To adopt necessary measures to secure full respect for freedom of expression (Sweden, "
        "Ireland) and of the media (Canada); to ensure investigation of all cases of alleged "
        "violence against journalists (Ireland)"
    )  # A/HRC/10/78 57.19
    assert "full respect for freedom" in serbia["Canada"]
    assert "media" not in serbia["Sweden"]


def test_a_verb_alone_or_a_treaty_named_by_its_initials_keeps_what_it_shares() -> None:
    # "Ratify (United Kingdom, Brazil, Mexico)/Accede to the Optional Protocol to CAT" (A/HRC/11/19
    # 85.4): UPR Info's rows for the three read "Ratify the Optional Protocol to CAT"; "OP-CAT
    # (France, ...)" after "Consider ratifying or acceding to: OP-ICCPR 2 (Chile)" (A/HRC/11/18
    # 94.1): France's row reads "Consider ratifying or acceding to: OP-CAT".
    russia = _searched(
        "Ratify (United Kingdom, Brazil, Mexico)/Accede to the Optional Protocol to CAT (Czech "
        "Republic, Liechtenstein), establish its national preventive mechanism accordingly (Czech "
        "Republic)"
    )
    assert "Optional Protocol to CAT" in russia["Brazil"]
    assert "preventive mechanism" not in russia["Brazil"]  # after the object: not Brazil's
    bangladesh = _searched(
        "Consider ratifying or acceding to: OP-ICCPR 2, (Chile), OP-CAT (France, The Netherlands,"
        " Chile, Czech Republic, Liechtenstein); ICRMW (Chile, Azerbaijan, Mexico)"
    )
    assert "Consider ratifying or acceding to" in bangladesh["France"]
    assert "ICRMW" not in bangladesh["France"] and "OP-CAT" not in bangladesh["Azerbaijan"]


def test_a_part_whose_object_is_the_fragment_after_it_keeps_its_words() -> None:
    # review14a finding 3: Saint Vincent and the Grenadines 2011 (A/HRC/18/15 79.4) prints
    # "Consider the possibility (Ecuador) of abolishing the death penalty (Brazil, Norway)";
    # UPR Info's row for Ecuador reads "Consider the possibility of abolishing the death
    # penalty". Ecuador was searched in "Consider the possibility" only: `recs
    # --recommending-state Ecuador --search "death penalty"` dropped the item, and the cluster
    # of abolition asks it joins dropped Ecuador from who asked it.
    svg = _searched(
        "Consider the possibility (Ecuador) of abolishing the death penalty (Brazil, Norway)"
    )
    assert "death penalty" in svg["Ecuador"]


def test_a_clause_after_a_shared_object_is_searched_for_its_own_list_alone() -> None:
    # review22 finding 2: "V1 (A) / V2 (B) the object; and a clause (B)" gave the clause to A
    # too, in its part and in the verb's lead, so `recs --recommending-state Mexico --search
    # "implement it nationally"` kept A/HRC/12/2 74.4, which only Belgium asked. UPR Info's
    # rows give the object to all and the clause to the closing list's States alone, after ";"
    # and after ", and" with a verb alike (A/HRC/13/17 98.1: DR Congo's row is "Consider
    # ratifying the Convention ... CRPD", Spain's "Ratify the Convention ... CRPD and sign and
    # ratify the Optional Protocol to CPRD").
    car = _searched(
        "Ratify (Mexico, Austria) / Consider ratifying (Djibouti) / Sign and ratify (Belgium) the "
        "Optional Protocol to the Convention on the Rights of the Child (CRC) on the involvement "
        "of children in armed conflict; and implement it nationally (Belgium);"
    )
    assert all("armed conflict" in car[state] for state in ("Mexico", "Djibouti", "Belgium"))
    assert "nationally" in car["Belgium"]
    assert "nationally" not in car["Mexico"] and "nationally" not in car["Djibouti"]
    ethiopia = _searched(
        "Consider ratifying (Democratic Republic of the Congo)/ ratify (Spain) the Convention on "
        "the Rights of Persons with Disabilities (CRPD), and sign and ratify the Optional "
        "Protocol to CPRD (Spain);"
    )
    congo = ethiopia["Democratic Republic of the Congo"]
    assert "Persons with Disabilities" in congo and "Optional Protocol" not in congo
    assert "Optional Protocol to CPRD" in ethiopia["Spain"]
    portugal = _searched(
        "Sign and ratify (Egypt)/consider ratifying (Algeria, Nigeria, Philippines)/ratify "
        "(Argentina) the International Convention on the Protection of the Rights of All Migrant "
        "Workers and Members of Their Families as a way of allowing immigrants to enjoy all of "
        "the rights provided for in this international legal instrument (Algeria)/and hold "
        "national consultations in this regard (Philippines)."
    )  # A/HRC/13/10 104.1: the purpose is Algeria's alone, as UPR Info's rows say
    assert "allowing immigrants" in portugal["Algeria"]
    assert "Migrant Workers" in portugal["Egypt"] and "allowing" not in portugal["Egypt"]
    # Another object after ", and" is still what every verb asked.
    assert (
        "Optional Protocol"
        in _searched(
            "Sign (Gabon) / ratify (Portugal) the Convention against Torture, and the Optional "
            "Protocol thereto (Portugal);"
        )["Gabon"]
    )


def test_a_verb_alone_shares_the_object_of_the_last_variant() -> None:
    # A/HRC/12/8 81.6: the Convention is printed once, in Norway's variant; Mexico asked to
    # ratify it too (review45 finding 1: Mexico's part was "Ratify" alone).
    parts = _parts(
        "Ratify (Mexico) / Consider ratifying and implementing the Indigenous and Tribal Peoples "
        "Convention No. 169 (Norway);"
    )
    assert parts[-2:] == [
        ("Consider ratifying and implementing", ("Norway",)),
        ("the Indigenous and Tribal Peoples Convention No. 169", ("Norway", "Mexico")),
    ]
    # A/HRC/14/3 92.4: no object opens at "the" of "of the International Labour Organization",
    # inside Chile's: the variant stays whole.
    assert _parts(
        "Consider ratifying as soon as possible (Norway)/ratify Convention No. 169 of the "
        "International Labour Organization (Chile);"
    )[-1] == ("ratify Convention No. 169 of the International Labour Organization", ("Chile",))
