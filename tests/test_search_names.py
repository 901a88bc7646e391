"""A search for a treaty or a body by its name finds the asks that print its abbreviation, and
the other way round, as the clusters read the two as one (review28 finding 4): the forms are the
normalizer's treaty table and abbreviations, and data/search_aliases.csv. What the words found
before they still find; stderr says what else was searched."""

from __future__ import annotations

import re
import shlex
import sqlite3
from pathlib import Path

import pytest

from helpers import cli, ingested

REPORTS = (
    "iran2010_recs.pdf",  # A/HRC/14/12: 91.1 "Ratify CAT ..."; 90.11, 90.12 "... NHRI ..."
    "burundi2009_recs.pdf",  # A/HRC/10/71: 80.1 "... the Convention on the Rights of Persons
    # with Disabilities and the Optional Protocol thereto", never "CRPD"
    "burundi2013_recs.pdf",  # A/HRC/23/9: 126.9 "Ratify CRPD, CPED and OP-CAT"; 126.11 "...
    # ratification of the Optional Protocol to the Convention against Torture"
    "japan2008_recs.pdf",  # A/HRC/8/44: 60.1 bundles the OP-CAT (United Kingdom, ...) and the
    # Hague Convention (Canada, ...)
)


@pytest.fixture(scope="module")
def names_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The four reports, ingested once."""
    return ingested(REPORTS, tmp_path_factory.mktemp("names") / "index.sqlite")


def _ids(output: str) -> list[str]:
    """The ids of the result lines `search` printed, best first."""
    return re.findall(r"^(A/HRC/\S+#\S+) ", output, re.MULTILINE)


def _search(index: Path, words: str, *filters: str) -> list[str]:
    found = cli("search", words, *filters, "--limit", "0", "--index", index)
    assert found.exit_code == 0, found.output
    return _ids(found.output)


def test_a_treaty_name_finds_the_ask_that_prints_only_its_abbreviation(names_index: Path) -> None:
    found = cli(
        "search", "Convention against Torture", "--state-under-review", "IRN",
        "--index", names_index,
    )  # fmt: skip
    assert found.exit_code == 0, found.output
    assert _ids(found.output) == ["A/HRC/14/12#91.1"], found.output  # "Ratify CAT (Italy, ...)"
    # The reader sees why a result without their words shows up: the snippet marks CAT, and
    # stderr names what else was searched.
    assert 'also searched: CAT, UNCAT (for "Convention against Torture")' in found.stderr
    assert "also searched" not in found.stdout


def test_readme_example_finds_the_asks_that_print_nhri(names_index: Path) -> None:
    found = _search(names_index, "national human rights institution", "--state-under-review", "IRN")
    # 90.10 writes it out (and prints "(NHRI)"); 90.11 and 90.12 print only "NHRI".
    assert sorted(found) == ["A/HRC/14/12#90.10", "A/HRC/14/12#90.11", "A/HRC/14/12#90.12"]


def test_an_abbreviation_finds_the_asks_that_write_the_treaty_out(names_index: Path) -> None:
    found = _search(names_index, "CRPD", "--state-under-review", "Burundi")
    assert "A/HRC/10/71#80.1" in found  # "the Convention on the Rights of Persons with ..."
    assert "A/HRC/23/9#126.9" in found  # "Ratify CRPD, CPED and OP-CAT"


def test_a_protocol_abbreviation_is_the_protocol_not_the_treaty(names_index: Path) -> None:
    protocol = _search(names_index, "OP-CAT", "--state-under-review", "Burundi")
    assert {"A/HRC/23/9#126.9", "A/HRC/23/9#126.11"} <= set(protocol)  # OP-CAT; written out
    # Iran's 91.1 asks for CAT in six parts and for its Optional Protocol in Chile's, which
    # prints "the Optional Protocol to CAT" (review30 finding 10): that part, not CAT's, is found.
    found = cli("search", "OP-CAT", "--state-under-review", "IRN", "--index", names_index)
    assert _ids(found.output) == ["A/HRC/14/12#91.1"], found.output
    assert "the part: ratify the Optional Protocol to CAT (Chile)\n" in found.output


def test_the_part_a_state_asked_is_found_by_the_other_name(names_index: Path) -> None:
    # Japan 2008's 60.1: the United Kingdom asked for "the Optional Protocol to the Convention
    # against Torture", Canada for the Hague Convention.
    uk = cli(
        "recs", "--recommending-state", "GBR", "--search", "OP-CAT", "--index", names_index,
    )  # fmt: skip
    assert "A/HRC/8/44#60.1" in uk.stdout, uk.output
    shown = " ".join(uk.stdout.split())  # the table folds the text at the terminal's width
    assert "the part: the Optional Protocol to the Convention against Torture" in shown
    assert "also searched: OPCAT" in uk.stderr
    canada = cli(
        "recs", "--recommending-state", "Canada", "--search", "OP-CAT", "--index", names_index,
    )  # fmt: skip
    assert "A/HRC/8/44#60.1" not in canada.stdout, canada.output


@pytest.mark.parametrize(
    "words",
    [
        "Convention against Torture",
        "CAT",
        "CRPD",
        "Convention on the Rights of Persons with Disabilities",
        "national human rights institution",
        "OP-CAT",
    ],
)
def test_widening_only_adds_and_what_it_adds_names_the_same_thing(
    names_index: Path, words: str
) -> None:
    found = cli("search", words, "--limit", "0", "--json", "--index", names_index)
    hits = {hit["id"]: hit for hit in map(_json, found.stdout.splitlines())}
    before = _plain_matches(names_index, words)
    assert before <= set(hits), "a result of the typed words was lost"
    added = set(hits) - before
    assert added, f"{words!r} found nothing more than its words"
    assert "also searched: " in found.stderr, found.stderr
    from uprdex.pipeline.store.search_terms import search_terms

    # Each added ask holds one of the other names as whole words: "CAT" is not "category"
    # (it may be the CAT of "OP-CAT": the typed "Convention against Torture" matches "the
    # Optional Protocol to the Convention against Torture" too).
    spelled = [re.escape(name) for term in search_terms(words) for name in term.also]
    other = re.compile(r"\b(?:" + "|".join(spelled) + r")s?\b", re.IGNORECASE)
    for id_ in added:
        assert other.search(hits[id_]["text"]), (id_, hits[id_]["text"])


def _json(line: str) -> dict[str, str]:
    import json

    return dict(json.loads(line))


def _plain_matches(index: Path, words: str) -> set[str]:
    """The asks whose text holds every typed word (what `search` found before it widened)."""
    query = " ".join('"' + word.replace('"', '""') + '"' for word in words.split())
    with sqlite3.connect(index) as db:
        rows = db.execute(
            "SELECT r.id FROM recommendations_fts f JOIN recommendations r ON r.rowid = f.rowid "
            "WHERE recommendations_fts MATCH ?",
            [query],
        )
        return {row[0] for row in rows}


# review29 finding 2: names are matched by their words' stems, and "organisation" stems apart
# from "organization" (Snowball and FTS5's porter alike). A record is searched here as FTS5 reads
# it, with the term `search` builds, so no corpus is needed.
@pytest.mark.parametrize(
    ("words", "text"),
    [
        ("non-governmental organisation", "Consult non-governmental organizations (Norway)"),
        ("civil society organisations", "Involve CSOs in the follow-up (Chile)"),
        ("civil society organizations", "Involve civil society organisations (Chile)"),
        ("NGO", "Protect non-governmental organisations (Canada)"),
    ],
)
def test_either_spelling_of_a_written_out_name_finds_the_other(words: str, text: str) -> None:
    assert _fts_finds(words, text), words


@pytest.mark.parametrize(
    ("words", "text"),
    [
        ("CAT's", "Ratify the Convention against Torture (Ghana)"),
        ("Women's Convention", "Ratify CEDAW (Chile)"),
    ],
)
def test_a_possessive_or_a_name_with_s_is_widened(words: str, text: str) -> None:
    # review29 finding 5: "CAT's" split into "cat" "s", a run ending inside the typed word
    assert _fts_finds(words, text), words


# review30 finding 10: a treaty printed under a name the treaty table does not hold, or with
# its name's article left out, as the UPR Info export prints them (sessions 1-20).
@pytest.mark.parametrize(
    ("words", "text"),
    [
        ("OPCAT", "Accede to the Optional Protocol to CAT and establish its national preventive"),
        ("OP-CEDAW", "Ratify the Optional Protocol to CEDAW (Mexico)"),
        (
            "ICRMW",
            "Ratify the Convention on the Rights of Migrant Workers and Their Family Members",
        ),
        (
            "ICRMW",
            "Consider ratifying the International Convention on the Protection of the Rights of "
            "Migrant Workers and Their Families and the ILO Convention 189",
        ),
        (
            "CEDAW",
            "ensure equal treatment of women and girls, particularly by ratifying the Convention "
            "to Eliminate All Forms of Discrimination against Women (Thailand)",
        ),
        ("Convention to Eliminate All Forms of Discrimination against Women", "Ratify CEDAW"),
    ],
)
def test_a_treaty_printed_under_another_name_is_found_by_its_usual_one(
    words: str, text: str
) -> None:
    assert _fts_finds(words, text), words
    # the treaty's name, not its subject: "the rights of migrant workers" names no convention
    assert not _fts_finds(
        words, "Protect the rights of migrant workers and members of their families"
    )


# review32 finding 6 and its minor items: a common abbreviation, or a name printed another way,
# that found nothing. The texts are Kazakhstan's asks as A/HRC/14/10 and A/HRC/28/10 print them,
# and the UPR Info export's other spellings (sessions 1-20).
@pytest.mark.parametrize(
    ("words", "text"),
    [
        # A/HRC/28/10 126.13
        ("ICC", "Ratify the Rome Statute of the International Criminal Court (Costa Rica)"),
        # A/HRC/28/10 126.24; "LGBTI" 23 times and "LGBT" 100 times in the export
        (
            "LGBTI",
            "Strengthen the legal framework for the protection and non-discrimination of "
            "lesbian, gay, bisexual, transgender and intersex people (Spain)",
        ),
        ("LGBT", "Protect lesbian, gay, bisexual and transgender persons (Norway)"),
        ("LGBTI", "Decriminalize same-sex relations and protect the rights of LGBT persons"),
        # A/HRC/14/10 97.20
        (
            "OSCE",
            "comply with the International Covenant on Civil and Political Rights and the "
            "standards of the Organization for Security and Cooperation in Europe",
        ),
        ("OSCE", "Cooperate with the Organization for Security and Co-operation in Europe"),
        # A/HRC/14/10 95.102, A/HRC/28/10 125.24
        (
            "NPM",
            "To share its experience regarding its innovative independent national mechanism "
            "for the prevention of torture (Morocco)",
        ),
        (
            "NPM",
            "Improve the working capacity of the national mechanism on the prevention of "
            "torture, by strengthening the visits to detention and police centres (Spain)",
        ),
        # A/HRC/14/10 95.16
        (
            "ombudsman",
            "To review the institutions of the Human Rights Commission and the Human Rights "
            "Commissioner (ombudsperson)",
        ),
        # A/HRC/28/10 125.5 misprints CRPD; "CPRD" 7 times in the export, always the CRPD
        ("CRPD", "Continue its work towards the speedy ratification of CPRD (Russian Federation)"),
        ("CPRD", "Ratify the Convention on the Rights of Persons with Disabilities"),
        # A/HRC/14/10 95.97 misprints the Fund's name; the export prints it so once, and
        # "United Nations Children's Fund" 5 times
        (
            "UNICEF",
            "To strengthen cooperation with the international community and international "
            "organizations, including the United Nation’s Children’s Fund, the United Nations "
            "Educational, Scientific and Cultural Organization and OHCHR",
        ),
        ("UNICEF", "Cooperate with the United Nations Children's Fund (Ghana)"),
    ],
)
def test_a_common_abbreviation_or_another_printed_name_is_found(words: str, text: str) -> None:
    assert _fts_finds(words, text), words


def test_a_name_with_a_comma_is_listed_as_one_name_in_the_note() -> None:
    from uprdex.pipeline.store.search_terms import search_terms, widened_note

    note = widened_note(search_terms("LGBTI")) or ""
    assert note.startswith('also searched: LGBT, "lesbian, gay, bisexual, transgender", '), note


# codereview2: `search ICCPR-OP2` said it "also searched: 2nd opiccpr, ... 2nd ICCPR OP1": the
# table's key for the first Protocol, and the first Protocol's names under "second".
@pytest.mark.parametrize("words", ["ICCPR-OP2", "Second Optional Protocol to the ICCPR"])
def test_the_second_protocol_is_widened_by_its_own_names_only(words: str) -> None:
    from uprdex.pipeline.store.search_terms import search_terms

    (term,) = search_terms(words)
    wrong = [
        name
        for name in term.also
        if re.search(r"opiccpr|\b(first|1st)\b|OP ?-?1\b|OP1", name, re.IGNORECASE)
    ]
    assert wrong == [], wrong
    # still widened by the second Protocol's own names
    assert "Second Optional Protocol to the Covenant on Civil and Political Rights" in term.also


def _fts_finds(words: str, text: str) -> bool:
    from uprdex.pipeline.store.search_terms import search_terms

    query = " AND ".join(term.fts for term in search_terms(words))
    with sqlite3.connect(":memory:") as db:
        db.execute("CREATE VIRTUAL TABLE t USING fts5(text, tokenize='porter unicode61')")
        db.execute("INSERT INTO t VALUES (?)", [text])
        return bool(db.execute("SELECT 1 FROM t WHERE t MATCH ?", [query]).fetchall())


# review29 finding 6: quoted words were searched as loose words (`search '"against torture"'`
# found "... violence against women and the Special Rapporteur on torture ...").
def test_a_quoted_phrase_finds_its_words_next_to_each_other_in_order(names_index: Path) -> None:
    loose = _search(names_index, "rights of women")
    phrase = _search(names_index, '"rights of women"')
    # Iran 2010's 90.32 "... protecting and promoting the rights of women"; not 90.7 "... the
    # rights of vulnerable groups, including women ...", which the loose words find.
    assert phrase == ["A/HRC/14/12#90.32"], phrase
    assert set(phrase) < set(loose), loose
    assert _search(names_index, '"women of rights"') == []


@pytest.mark.parametrize(
    ("words", "finds"),
    [
        ('abolish "death penalty"', True),
        ('"penalty death"', False),
        ('abolish "penalty death', False),  # a quote left open runs to the end, as in browse
        ('"death penalties"', True),  # other forms of a word match, as everywhere in search
        # typographic quotes, as a phrase pasted from a Word document or a web page has them:
        # they were read as part of the words, so the words were loose ("penalty death" found)
        ("abolish “death penalty”", True),
        ("“penalty death”", False),
        ("„penalty death“", False),
        ("abolish “penalty death", False),
    ],
)
def test_a_quoted_phrase_is_one_fts5_phrase(words: str, finds: bool) -> None:
    assert _fts_finds(words, "Abolish the death penalty (Chile)") is finds, words


def test_quoted_words_are_searched_as_typed_not_by_the_other_names(names_index: Path) -> None:
    # Iran 2010's 91.1 prints only "CAT": quoting the name is how a researcher leaves it out.
    for command in (["search"], ["recs", "--search"]):
        found = cli(
            *command, '"Convention against Torture"', "--state-under-review", "IRN",
            "--index", names_index,
        )  # fmt: skip
        assert found.exit_code == 0, found.output
        assert "A/HRC/14/12#91.1" not in found.stdout, found.output
        assert "also searched" not in found.stderr, found.stderr


@pytest.mark.parametrize("command", [["search"], ["recs", "--search"]])
def test_the_note_is_said_only_when_another_name_found_an_ask(
    names_index: Path, command: list[str]
) -> None:
    # The note said "also searched: ..." whenever a word named something, though the other
    # names found nothing more: Japan 2008's three asks that name the Convention against
    # Torture all write it out; "CAT dog" finds nothing at all.
    for words in ("Convention against Torture", "CAT dog"):
        found = cli(*command, words, "--state-under-review", "JPN", "--index", names_index)
        assert found.exit_code == 0, found.output
        assert "also searched" not in found.stderr, (words, found.stderr)
    found = cli(
        *command, "Convention against Torture", "--state-under-review", "IRN",
        "--index", names_index,
    )  # fmt: skip
    assert 'also searched: CAT, UNCAT (for "Convention against Torture")' in found.stderr
    # and how to leave them out, as a shell takes it
    assert """search them as typed only: '"Convention against Torture"'""" in found.stderr


def _readme_searches() -> list[list[str]]:
    """Every `uprdex search` command line README gives before "How it is built", as a shell
    splits it."""
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    head = readme.split("## How it is built", 1)[0]
    lines = re.findall(r"^uprdex search .*$", head, re.M)
    return [shlex.split(line, comments=True)[1:] for line in lines]


def test_readme_search_lines_run_as_typed_and_a_quoted_phrase_is_a_phrase(
    names_index: Path,
) -> None:
    commands = _readme_searches()
    phrases = [phrase for args in commands for phrase in re.findall(r'"([^"]+)"', args[1])]
    assert phrases, "README shows no search with a quoted phrase"
    for args in commands:
        found = cli(*args, "--limit", "0", "--json", "--index", names_index)
        assert found.exit_code == 0, (args, found.output)
        hits = [_json(line) for line in found.stdout.splitlines()]
        assert hits, args
        for phrase in re.findall(r'"([^"]+)"', args[1]):
            together = re.compile(r"\W+".join(map(re.escape, phrase.split())), re.IGNORECASE)
            texts = [hit["text"] for hit in hits if hit["found_in"] == "recommendation"]
            assert texts and all(together.search(text) for text in texts), (phrase, texts)
