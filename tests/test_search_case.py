"""A word typed in capitals is found where the text prints it in capitals (searchcase): `search
WHO` (the World Health Organization) found every ask with the pronoun "who", `search AIDS`
every "Legal Aid Bill" (full-text search reads any case, and stems "AIDS" to "aid"). A word in
lower or mixed case is found in any case, as before. `search`, `recs --search` and browse read
the words alike (`search_case.cased_sql`)."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from helpers import cli, ingested

MALAWI = (
    "malawi2011_recs.pdf",  # A/HRC/16/4: 102.56 "... HIV/AIDS, and cooperate with WHO in this
    # regard"; 102.2, 102.3 "... Legal Aid Bill ..."
    "chad2009_recs.pdf",  # A/HRC/12/5: 82.11 "... for all who promote human rights", 82.19,
    # 82.32 "... those who ..."
)
WHO_ASK = "A/HRC/16/4#102.56"
WHO_PRONOUN = {"A/HRC/12/5#82.11", "A/HRC/12/5#82.19", "A/HRC/12/5#82.32"}
LEGAL_AID = {"A/HRC/16/4#102.2", "A/HRC/16/4#102.3"}


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Malawi 2010 and Chad 2009, ingested once."""
    return ingested(MALAWI, tmp_path_factory.mktemp("case") / "index.sqlite")


def _ids(output: str) -> set[str]:
    return set(re.findall(r"^(A/HRC/\S+#\S+) ", output, re.MULTILINE))


@pytest.mark.parametrize("command", [["search"], ["recs", "--search"]])
def test_who_in_capitals_is_the_organization_not_the_pronoun(
    index: Path, command: list[str]
) -> None:
    found = cli(*command, "WHO", "--index", index, *(["--limit", "0"] if len(command) == 1 else []))
    assert found.exit_code == 0, found.output
    assert _ids(found.stdout) == {WHO_ASK}, found.output
    # in lower or mixed case, any case, as before
    for words in ("who", "Who"):
        found = cli(*command, words, "--index", index)
        assert _ids(found.stdout) >= {WHO_ASK, *WHO_PRONOUN}, (words, found.output)


# A word typed in capitals that is no abbreviation (caps lock: "TORTURE") found nothing, and
# nothing said why; the search says how to match any case when lower case finds more.
@pytest.mark.parametrize("command", [["search"], ["recs", "--search"]])
def test_a_search_in_capitals_says_when_lower_case_finds_more(
    index: Path, command: list[str]
) -> None:
    found = cli(*command, "TORTURE", "--index", index)
    assert found.exit_code == 0, found.output
    assert _ids(found.stdout) == set(), found.output
    assert "TORTURE matched only where printed in capitals" in found.stderr, found.output
    assert found.stderr.rstrip().endswith("in lower case it matches any case: torture")
    assert _ids(cli(*command, "torture", "--index", index).stdout), "the fixtures ask on torture"
    # WHO: lower case finds the pronoun too, and the note says so; lower case says nothing
    assert "matched only where printed in capitals" in cli(*command, "WHO", "--index", index).stderr
    assert "capitals" not in cli(*command, "torture", "--index", index).stderr


@pytest.mark.parametrize("command", [["search"], ["recs", "--search"]])
def test_aids_in_capitals_is_not_legal_aid(index: Path, command: list[str]) -> None:
    found = cli(*command, "AIDS", "--state-under-review", "Malawi", "--index", index)
    assert found.exit_code == 0, found.output
    assert WHO_ASK in _ids(found.stdout), found.output  # "HIV/AIDS"
    assert not LEGAL_AID & _ids(found.stdout), found.output
    found = cli(*command, "aids", "--state-under-review", "Malawi", "--index", index)
    assert _ids(found.stdout) >= LEGAL_AID, found.output


def test_the_python_api_reads_capitals_as_the_cli(index: Path) -> None:
    import uprdex

    with uprdex.open_index(index) as opened:
        assert {rec["id"] for rec in opened.recommendations(search="WHO")} == {WHO_ASK}


def test_browse_reads_capitals_as_search(index: Path) -> None:
    pytest.importorskip("datasette", reason="the browse extra (datasette) is not installed")
    from test_browse_asks import _ids as browse_ids

    for view in ("recommendation_details", "recommendation_by_state"):
        assert browse_ids(index, view, _search="WHO") == {WHO_ASK}, view
        assert browse_ids(index, view, _search="who") >= {WHO_ASK, *WHO_PRONOUN}, view
        aids = browse_ids(index, view, _search="AIDS", state_under_review="Malawi")
        assert WHO_ASK in aids and not LEGAL_AID & aids, view
    # with a recommending State chosen (the parts rule's clause beside this one)
    chosen = {"recommending_states__arraycontains": "Libya"}
    assert browse_ids(index, "recommendation_details", _search="WHO", **chosen) == {WHO_ASK}
    # raw mode is FTS5's own syntax ("WHO OR ILO"), read as it is: any case
    raw = browse_ids(index, "recommendation_details", _search="WHO", _searchmode="raw")
    assert raw >= {WHO_ASK, *WHO_PRONOUN}


# A record as the full-text index reads it (its text, and the notes printed on it), searched
# with the words' query and the capitals clause, as `search` builds them: no corpus needed.
@pytest.mark.parametrize(
    ("words", "text", "finds"),
    [
        ("WHO", "Cooperate with WHO in this regard", True),
        ("WHO", "Protect women who are victims of violence", False),
        ("who", "Cooperate with WHO in this regard", True),
        ("AIDS", "Combat HIV/AIDS", True),
        ("AIDS", "Adopt the Legal Aid Bill", False),
        ("AIDS", "those who are infected with HIV/AIDs", True),  # A/HRC/17/5 106.49
        ("AIDS", "infant mortality due to Aids", False),
        ("HIV/AIDS", "Combat HIV/aids", False),
        ("US", "Let us ratify the Convention", False),
        ("NGO", "Consult NGOs", True),
        ("NGOs", "Consult the NGO community", True),
        ("NGOs", "Consult ngos", False),
        ("CAT", "Ratify the Convention against Torture", True),  # its other names, any case
        ("Convention against Torture", "Ratify CAT (Italy)", True),
        # a name written in capitals, added by the widening, is read in capitals too
        ("Convention against Torture", "Ratify the cat convention", False),
        # other names in words and in capitals: SQLite read two of the clause's ORed rowid
        # lists as a lookup by rowid and failed ("unable to use function MATCH")
        ("Rome Statute", "Accede to the Rome Statute", True),
        ("Rome Statute", "Ratify the ICC Statute", True),
        ("Rome Statute", "Ratify the icc statute", False),
        ("OP-CAT", "Ratify OP-CAT", True),
        ("OP-CAT", "Ratify op-cat", False),
        ('"WHO guidelines"', "Follow WHO guidelines", True),
        ('"WHO guidelines"', "Follow who guidelines", False),
        ("WHO'S", "Heed WHO’s advice", True),
    ],
)
def test_a_word_in_capitals_is_found_printed_in_capitals(
    words: str, text: str, finds: bool
) -> None:
    assert _finds(words, text) is finds, (words, text)


def test_a_word_in_capitals_in_a_footnote_is_found() -> None:
    assert _finds("WHO", "Strengthen health services", notes="as read: with WHO support")
    assert not _finds("WHO", "Strengthen health services", notes="those who need them")


def test_a_search_without_capitals_reads_as_before() -> None:
    from uprdex.pipeline.store.search_case import capitals, cased_sql
    from uprdex.pipeline.store.search_terms import search_terms

    assert cased_sql(tuple(search_terms("death penalty Who G20 A")), "recommendations_fts") == ""
    assert capitals("HIV/AIDS NGOs CO2 G20 Who A") == ("HIV", "AIDS", "NGO", "CO2")


def _finds(words: str, text: str, notes: str | None = None) -> bool:
    from uprdex.pipeline.store.filters import fts_query
    from uprdex.pipeline.store.search_case import cased_sql
    from uprdex.pipeline.store.search_terms import search_terms

    with sqlite3.connect(":memory:") as db:
        db.execute(
            "CREATE VIRTUAL TABLE recommendations_fts USING fts5(text, folded_text, notes, "
            "folded_notes, tokenize='porter unicode61')"
        )
        db.execute("INSERT INTO recommendations_fts(text, notes) VALUES (?, ?)", [text, notes])
        sql = "SELECT 1 FROM recommendations_fts WHERE recommendations_fts MATCH ?" + cased_sql(
            tuple(search_terms(words)), "recommendations_fts"
        )
        return bool(db.execute(sql, [fts_query(words)]).fetchall())
