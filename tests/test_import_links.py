"""Which PDF recommendation a UPR Info row is linked to (pipeline/store/linking.py)."""

from __future__ import annotations

import csv
from pathlib import Path

from uprdex.flows.ingest import import_file, ingest_paths
from uprdex.pipeline.exports import records
from uprdex.pipeline.settings import LoaderSettings
from uprdex.pipeline.store import Store
from uprdex.pipeline.store.linking import _Asks, _best_match

from helpers import fixture

HEADER = ["To", "To-Rgrp", "To-Org", "Text", "From", "From-Rgrp", "From-Org", "Response"]


def _linked(
    tmp_path: Path, report: str, to: str, session: int, rows: list[tuple[str, str, str]]
) -> dict[str, list[str]]:
    """Ingest one fixture report, import UPR Info rows (text, From, Response) of its review;
    each text -> the recommendations it is linked to."""
    export = tmp_path / "upr_info.csv"
    with export.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow([*HEADER, "Action", "Issue", "Session"])
        for text, by, response in rows:
            writer.writerow([to, "", "", text, by, "", "", response, "5", "", str(session)])
    with Store(tmp_path / "index.sqlite") as store:
        ingest_paths([fixture(report)], store, LoaderSettings(workers=1))
        import_file(export, "upr-info", store)
        found: dict[str, list[str]] = {}
        for row in store.db.execute(
            "SELECT i.text, l.recommendation_id FROM imports i "
            "JOIN import_links l USING (import_id) ORDER BY 1, 2"
        ):
            found.setdefault(row["text"], []).append(row["recommendation_id"])
        return found


def test_a_row_that_is_one_part_of_a_compound_item_links_to_the_item(tmp_path: Path) -> None:
    # probe3: A/HRC/8/44 60.1 gives each part its States ("... the Optional Protocol to the
    # Convention against Torture (United Kingdom, Albania, Mexico, Brazil) the Optional
    # Protocol to the Convention on the Elimination of Discrimination against Women
    # (Portugal, Albania, Mexico, Brazil), ..."); UPR Info's "Ratify the OP-CAT" (United
    # Kingdom) and the others stood as asks of their own: the same ask counted twice, once
    # pending and once supported.
    rows = [
        ("Ratify the OP-CAT and the OP-CEDAW", "Brazil", "Accepted"),
        ("Ratify the OP-CAT, the OP-CEDAW and the CPRD", "Mexico", "Accepted"),
        ("Ratify the OP-CEDAW.", "Portugal", "Accepted"),
        ("Ratify the OP-CAT", "United Kingdom", "Accepted"),
    ]
    found = _linked(tmp_path, "japan2008_recs.pdf", "Japan", 2, rows)
    for text, by, _ in rows:
        assert found[text.rstrip(".")] == ["A/HRC/8/44#60.1"], (text, by)
    with Store(tmp_path / "index.sqlite") as store:
        assert not store.db.execute(
            "SELECT id FROM recommendations WHERE origin != 'pdf'"
        ).fetchall()
        item = next(r for r in records(store, "recommendations") if r["id"] == "A/HRC/8/44#60.1")
    # probe3: "by whom" over-counted a compound item's ask (recommending_states names every
    # State of the item); each linked row now says which States made its part.
    parts = {(label["text"], tuple(label["recommending_states"])) for label in item["imported"]}
    assert ("Ratify the OP-CAT", ("United Kingdom of Great Britain and Northern Ireland",)) in parts
    assert ("Ratify the OP-CEDAW", ("Portugal",)) in parts


def test_a_treaty_spelled_out_meets_its_abbreviation(tmp_path: Path) -> None:
    # A/HRC/10/83 105.1 "Consider ratifying OP-CAT (United Kingdom, ...) in the near future
    # (Denmark), signing the Optional Protocol (Sweden) ..."; UPR Info spells it out.
    text = "Consider signing the Optional Protocol to the Convention against Torture"
    found = _linked(tmp_path, "uzbekistan2009_recs.pdf", "Uzbekistan", 3, [(text, "Sweden", "")])
    assert found[text] == ["A/HRC/10/83#105.1"]


def test_a_row_in_the_dialogue_s_words_links_to_the_ask_of_the_dialogue(tmp_path: Path) -> None:
    # A/HRC/10/75 53(d), France: "establishing a moratorium on executions and seriously
    # considering its complete abolition"; UPR Info keeps the dialogue's verb, and words in
    # another form: the row stood as an ask of its own.
    text = (
        "Recommended establishing a moratorium on executions and seriously consider abolition "
        "of the death penalty"
    )
    found = _linked(
        tmp_path, "uae2009_dialogue.pdf", "United Arab Emirates", 3, [(text, "France", "Noted")]
    )
    assert found[text] == ["A/HRC/10/75#53(d)"]


def test_a_row_links_to_its_own_states_ask_before_another_states_text(tmp_path: Path) -> None:
    # A/HRC/18/15: UPR Info's "Abolish the death penalty" (Brazil, Norway) is their 79.4
    # "Consider the possibility (Ecuador) of abolishing the death penalty (Ecuador, Brazil,
    # Norway)"; it was linked to 79.5 "Enact legislation (Austria) to definitively abolish
    # (France, Australia) the death penalty; ...", which holds its words, and 79.5's answer
    # counted as Brazil's and Norway's.
    rows = [
        ("Consider the possibility of abolishing the death penalty", "Ecuador", "Noted"),
        ("Abolish the death penalty", "Brazil", "Noted"),
        ("Abolish the death penalty", "Norway", "Noted"),
        ("Definitively abolish the death penalty", "France", "Noted"),
        ("Repeal the death penalty", "Canada", "Noted"),
    ]
    found = _linked(
        tmp_path, "stvincent2011_recs.pdf", "Saint Vincent and the Grenadines", 11, rows
    )
    assert found == {
        "Consider the possibility of abolishing the death penalty": ["A/HRC/18/15#79.4"],
        "Abolish the death penalty": ["A/HRC/18/15#79.4"],
        "Definitively abolish the death penalty": ["A/HRC/18/15#79.5"],
        "Repeal the death penalty": ["A/HRC/18/15#79.5"],
    }


def test_a_state_whose_name_holds_and_gets_its_part_of_a_compound_item() -> None:
    # A/HRC/8/35 60.4 (Ecuador 2008): the linker cut "(Finland, United Kingdom of Great Britain
    # and Northern Ireland)" at its "and" and, "Northern Ireland" being no State, read no list
    # there: the United Kingdom and Finland had no part of the item, and their treaty's words
    # stayed in every other State's part. Its lists are now read as the WG report's reader reads
    # them (pipeline/states.py).
    from uprdex.pipeline.store.linking import _Asks

    text = (
        "To ratify the Second Optional Protocol to the International Covenant on Civil and "
        "Political Rights aiming at the abolition of the death penalty (Finland, United Kingdom "
        "of Great Britain and Northern Ireland); the Optional Protocol to the Convention against "
        "Torture and Other Cruel, Inhuman or Degrading Treatment or Punishment in the near future "
        "(Czech Republic, United Kingdom of Great Britain and Northern Ireland); the International "
        "Convention on the Protection of the Rights of All Migrant Workers and Members of Their "
        "Families (Mexico); the Rome Statute of the International Criminal Court"
    )
    asks = _Asks("Ecuador", {"A/HRC/8/35#60.4": text})
    _, parts = asks.keys("A/HRC/8/35#60.4")
    uk = "United Kingdom of Great Britain and Northern Ireland"
    assert set(parts) == {"Finland", uk, "Czechia", "Mexico"}
    assert parts["Finland"] == asks.key(text.split(" (Finland")[0])
    assert parts[uk] == asks.key(text.split(" (Czech")[0].replace(" (Finland, " + uk + ");", ""))


def test_a_row_asking_one_of_conventions_listed_by_their_numbers_links_to_the_ask() -> None:
    # older14 (probe3's Philippines row): UPR Info's "Accede to ILO Convention No. 189" (Iraq)
    # is Iraq's A/HRC/21/12 131.4, which lists the two Conventions under one name by their
    # numbers; the treaty table reads "ILO Convention No. 189" but not "Conventions Nos. 169 and
    # 189", so the row stood apart as an ask of its own.
    asks = _Asks(
        "Philippines",
        {
            "A/HRC/21/12#131.4": "Accede to the CED and two ILO Conventions Nos. 169 and 189",
            "A/HRC/21/12#131.5": "Ratify the Rome Statute of the International Criminal Court",
        },
    )
    asks.by_state = {"Iraq": ["A/HRC/21/12#131.4", "A/HRC/21/12#131.5"]}
    assert _best_match("Accede to ILO Convention No. 189", ["Iraq"], asks) == "A/HRC/21/12#131.4"
    # Each number is its own Convention: No. 138 is not asked there.
    assert _best_match("Accede to ILO Convention No. 138", ["Iraq"], asks, only_state=True) is None
