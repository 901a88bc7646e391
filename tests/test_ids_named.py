"""`named`: what an id a researcher typed names, the one call every command that takes an id
(`show`, `evidence`, `cluster link/unlink/forget`, `Index.evidence`) resolves it with."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from uprdex.flows.cli import main
from uprdex.flows.ingest import import_file, ingest_paths
from uprdex.pipeline.settings import LoaderSettings
from uprdex.pipeline.store import Store

from helpers import fixture, ingested, shared_ingested

ASK = "A/HRC/28/15#115.22"


@pytest.fixture(scope="module")
def indexes(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """UPR Info's Slovenia 2014 rows alone, and with their WG report and a compilation that
    cites its asks."""
    folder = tmp_path_factory.mktemp("ids")
    alone, full = folder / "alone.sqlite", folder / "full.sqlite"
    with Store(alone) as store:
        import_file(fixture("upr_info_slovenia_s20.csv"), "upr-info", store)
    with Store(full) as store:
        import_file(fixture("upr_info_slovenia_s20.csv"), "upr-info", store)
        ingest_paths(
            [fixture("slovenia2014_recs.pdf"), fixture("cit_svn2019_compilation_notes.pdf")],
            store,
            LoaderSettings(workers=1),
        )
    return alone, full


def _kept(index: Path, ask: str = ASK) -> str:
    """The imported ask's id that the import of `ask` had before its report was indexed."""
    with Store(index) as store:
        return str(
            store.db.execute(
                "SELECT import_id FROM imports WHERE recommendation_id = ?", [ask]
            ).fetchone()[0]
        )


def test_a_report_ask_is_named_in_any_case_and_spacing(indexes: tuple[Path, Path]) -> None:
    with Store(indexes[1]) as store:
        for given in (ASK, " a/hrc/28/15 # 115.22 "):
            found = store.named(given)
            assert (found.ask, found.via, found.standing, found.said) == (ASK, None, False, "")


def test_a_space_inside_a_paragraph_number_does_not_name_another_ask(
    indexes: tuple[Path, Path],
) -> None:
    # review19 (minor): `named` removed all whitespace, so "115.3 0" named the real ask 115.30.
    with Store(indexes[1]) as store:
        assert store.named("A/HRC/28/15#115.30").ask == "A/HRC/28/15#115.30"
        assert store.named("A/HRC/28/15#115.3").ask == "A/HRC/28/15#115.3"
        assert store.named("A/HRC/28/15#115.3 0").ask is None


def test_an_imported_id_kept_from_before_names_the_report_ask_and_says_so(
    indexes: tuple[Path, Path],
) -> None:
    kept = _kept(indexes[1])
    with Store(indexes[1]) as store:
        for given in (kept, kept.upper()):
            found = store.named(given)
            assert found.ask == ASK and not found.standing
            assert found.via is not None and found.via.import_id == kept
            assert found.said.startswith(f"{kept}, an imported ask, is now the report's {ASK}")
            assert found.said.endswith(": its WG report is indexed")


def test_an_import_standing_alone_is_named_as_the_index_spells_it(
    indexes: tuple[Path, Path],
) -> None:
    with Store(indexes[0]) as store:
        first = store.db.execute("SELECT import_id FROM imports ORDER BY row LIMIT 1").fetchone()[0]
        found = store.named(f" {first.upper()} ")
    assert (found.ask, found.via, found.standing, found.said) == (first, None, True, "")


def test_an_id_that_names_no_ask_says_so_with_the_one_it_most_likely_means(
    indexes: tuple[Path, Path],
) -> None:
    kept = _kept(indexes[1])
    typo = kept[:-1] + ("0" if kept[-1] != "0" else "1")
    with Store(indexes[1]) as store:
        for given, meant, where in (
            ("A/HRC/28/15:115.22", ASK, "A/HRC/28/15:115.22"),
            ("A/HRC/28/15/#115.22", ASK, "115.22 in A/HRC/28/15/"),
            (typo, kept, typo),
            ("upr-info:SVN:20:000000000000", None, "upr-info:SVN:20:000000000000"),
            ("a/hrc/28/15 # 999.9", None, "999.9 in A/HRC/28/15"),
        ):
            found = store.named(given)
            assert (found.ask, found.nearest) == (None, meant), given
            unknown = f"no recommendation {where} in the index"
            assert found.said == (f"{unknown}; did you mean {meant}?" if meant else unknown)


def test_show_and_evidence_suggest_the_ask_a_mistyped_hash_id_means_as_link_does(
    indexes: tuple[Path, Path], tmp_path: Path
) -> None:
    # idsplit: `cluster link A/HRC/28/15/#115.22 ...` said "did you mean A/HRC/28/15#115.22?"
    # (nearest_id), while `show` and `evidence` of the same id said only "no recommendation
    # 115.22 in A/HRC/28/15/ in the index": two answers to one id.
    index = tmp_path / "index.sqlite"
    shutil.copy(indexes[1], index)
    given = "A/HRC/28/15/#115.22"
    linked = CliRunner().invoke(
        main, ["cluster", "link", given, "A/HRC/28/15#115.1", "--index", str(index)]
    )
    assert linked.exit_code == 2 and f"did you mean {ASK}?" in linked.output, linked.output
    for command in ("show", "evidence"):
        said = CliRunner().invoke(main, [command, given, "--index", str(index)])
        assert said.exit_code == 2, said.output
        assert said.output.strip() == (
            f"error no recommendation 115.22 in A/HRC/28/15/ in the index; did you mean {ASK}?"
        ), said.output


@pytest.mark.parametrize("given", ["A/HRC/28/15/#115.22", "A/HRC/28/15#999.9"])
def test_cluster_link_unlink_and_forget_say_an_unknown_id_in_show_s_line(
    indexes: tuple[Path, Path], tmp_path: Path, given: str
) -> None:
    # fixreview21 left: `cluster link`/`unlink` of an unknown id said click's usage and "Error:
    # no recommendation A/HRC/28/15#999.9 in the index (`uprdex recs` lists them)", `forget`
    # "no link or unlink of A/HRC/28/15#999.9 and ... is recorded", `show` and `evidence`
    # "error no recommendation 999.9 in A/HRC/28/15 in the index" (Named.said).
    index = tmp_path / "index.sqlite"
    shutil.copy(indexes[1], index)
    shown = CliRunner().invoke(main, ["show", given, "--index", str(index)])
    assert shown.exit_code == 2 and shown.output.startswith("error no recommendation ")
    for command in ("link", "unlink", "forget"):
        said = CliRunner().invoke(
            main, ["cluster", command, given, "A/HRC/28/15#115.1", "--index", str(index)]
        )
        assert (said.exit_code, said.output) == (2, shown.output), command


def test_the_python_api_takes_a_report_ask_id_in_any_case_as_the_cli_does(
    indexes: tuple[Path, Path],
) -> None:
    # idsplit: `uprdex evidence a/hrc/28/15#115.22` lists the ask's evidence (the symbol in any
    # case), while Index.evidence("a/hrc/28/15#115.22") gave [] with no word.
    import uprdex

    cited = CliRunner().invoke(main, ["evidence", ASK.lower(), "--index", str(indexes[1])])
    assert cited.exit_code == 0 and cited.output.splitlines()[-1].endswith("for A/HRC/28/15 115.22")
    with uprdex.open_index(indexes[1]) as opened:
        of_the_ask = opened.evidence(ASK)
        assert of_the_ask and opened.evidence(ASK.lower()) == of_the_ask
        assert opened.evidence(" A/HRC/28/15 # 115.22") == of_the_ask


def test_the_python_api_of_an_id_that_names_no_ask_raises_the_clis_error_with_its_suggestion(
    indexes: tuple[Path, Path],
) -> None:
    # leftovers: `uprdex evidence A/HRC/28/15:115.22` exits 2 with "did you mean
    # A/HRC/28/15#115.22?", while Index.evidence("A/HRC/28/15:115.22") returned [], as for an
    # ask no document cites: a notebook could not tell a typo from an uncited ask.
    import uprdex
    from uprdex.pipeline.errors import UprdexError

    with uprdex.open_index(indexes[1]) as opened:
        for given, meant, where in (
            ("A/HRC/28/15:115.22", ASK, "A/HRC/28/15:115.22"),
            ("A/HRC/28/15#999.9", None, "999.9 in A/HRC/28/15"),
        ):
            said = CliRunner().invoke(main, ["evidence", given, "--index", str(indexes[1])])
            assert said.exit_code == 2, said.output
            with pytest.raises(uprdex.UnknownIdError) as raised:
                opened.evidence(given)
            assert isinstance(raised.value, UprdexError)
            assert (raised.value.given, raised.value.nearest) == (given, meant)
            unknown = f"no recommendation {where} in the index"
            assert str(raised.value) == (f"{unknown}; did you mean {meant}?" if meant else unknown)
            # The CLI's line, word for word (fixreview21: of an unknown paragraph too).
            assert said.output.strip() == f"error {raised.value}", said.output
            with pytest.raises(uprdex.UnknownIdError):
                opened.dataframe("evidence", recommendation_id=given)
        # An ask of the index that no document cites is no error: its evidence is none.
        cited = {row["recommendation_id"] for row in opened.evidence()}
        uncited = next(rec["id"] for rec in opened.recommendations() if rec["id"] not in cited)
        assert opened.evidence(uncited) == []


def test_forget_of_a_mistyped_id_suggests_the_ask_it_means_as_link_does(
    indexes: tuple[Path, Path], tmp_path: Path
) -> None:
    # idsplit: `cluster link A/HRC/28/15:115.1 ...` said "did you mean A/HRC/28/15#115.1?",
    # while `cluster forget A/HRC/28/15:115.1 ...` of the link just made said only "no link or
    # unlink of A/HRC/28/15:115.1 and ... is recorded": not which id it took for which ask.
    index = tmp_path / "index.sqlite"
    shutil.copy(indexes[1], index)
    pair = ("A/HRC/28/15#115.1", "A/HRC/28/15#115.2")
    linked = CliRunner().invoke(main, ["cluster", "link", *pair, "--index", str(index)])
    assert linked.exit_code == 0, linked.output
    for command in ("link", "forget"):
        said = CliRunner().invoke(
            main, ["cluster", command, "A/HRC/28/15:115.1", pair[1], "--index", str(index)]
        )
        assert said.exit_code == 2, said.output
        assert f"did you mean {pair[0]}?" in said.output, said.output


def _symbol_not_read(index: Path, ask: str) -> str:
    """`ask` as a WG report whose symbol was not read leaves it: under its file hash's first 16
    characters ('dcc950482c328277#115.22', symbols.recommendation_id), with no symbol."""
    import sqlite3

    with sqlite3.connect(index) as db:
        sha256 = db.execute("SELECT document_sha256 FROM recommendations WHERE id = ?", [ask])
        hashed = f"{sha256.fetchone()[0][:16]}#{ask.split('#')[1]}"
        db.execute("PRAGMA foreign_keys = OFF")
        tables = db.execute(
            "SELECT m.name FROM sqlite_master m, pragma_table_info(m.name) p "
            "WHERE m.type = 'table' AND p.name = 'recommendation_id'"
        ).fetchall()
        for (table,) in tables:
            db.execute(
                f"UPDATE {table} SET recommendation_id = ? WHERE recommendation_id = ?",
                [hashed, ask],
            )
        db.execute(
            "UPDATE recommendations SET id = ?, document_symbol = NULL WHERE id = ?", [hashed, ask]
        )
    return hashed


def test_every_command_takes_the_id_of_an_ask_whose_report_symbol_was_not_read(
    indexes: tuple[Path, Path], tmp_path: Path
) -> None:
    # idsplit: Index.evidence('dcc950482c328277#115.22') gave the ask's records, but `show`
    # and `cluster link` of that id upper-cased it ('DCC950482C328277') and said "no
    # recommendation ... in the index" (link: "did you mean dcc950482c328277#115.22?", the
    # id typed).
    import uprdex

    index = tmp_path / "index.sqlite"
    shutil.copy(indexes[1], index)
    hashed = _symbol_not_read(index, ASK)
    with Store(index) as store:
        assert store.named(hashed).ask == hashed
    with uprdex.open_index(index) as opened:
        assert opened.evidence(hashed)
    for command in (
        ["show", hashed],
        ["evidence", hashed],
        ["cluster", "link", hashed, "A/HRC/28/15#115.1"],
        ["cluster", "forget", hashed, "A/HRC/28/15#115.1"],
    ):
        said = CliRunner().invoke(main, [*command, "--index", str(index)])
        assert said.exit_code == 0, said.output


def test_an_unknown_thematic_list_id_is_said_as_printed(tmp_path: Path) -> None:
    # review23 finding 9: "no recommendation 121.999 in THEMATIC-LIST:A/HRC/28/15 in the
    # index": the import's prefix was upper-cased as if it were part of the symbol, and a list
    # whose symbol was not read names its State ("thematic-list:Slovenia#...", not SLOVENIA).
    index = tmp_path / "index.sqlite"
    with Store(index) as store:
        import_file(fixture("svn2014_thematic_list.docx"), "thematic-list", store)
        printed = store.db.execute("SELECT import_id FROM imports LIMIT 1").fetchone()[0]
    assert printed.startswith("thematic-list:A/HRC/28/15#")
    for given in ("thematic-list:A/HRC/28/15#121.999", "thematic-list:Slovenia#121.999"):
        result = CliRunner().invoke(main, ["show", given, "--index", str(index)])
        assert f"no recommendation {given} in the index" in result.output, result.output
        assert "THEMATIC-LIST" not in result.output and "SLOVENIA" not in result.output


def test_a_misprinted_number_as_the_report_prints_it_leads_to_the_ask(
    indexes: tuple[Path, Path], tmp_path: Path
) -> None:
    # review30 #8: A/HRC/28/12 p. 15 prints Latvia's ask as "136.69" inside paragraph 138;
    # uprdex reads it as 138.69 and keeps as_printed "136.69", yet `show A/HRC/28/12#136.69`
    # said "no recommendation 136.69" with no "did you mean". The same misprint, made here.
    index = shutil.copy(indexes[1], tmp_path / "index.sqlite")
    with Store(index) as store:
        store.db.execute("UPDATE recommendations SET as_printed = '151.22' WHERE id = ?", [ASK])
        found = store.named("A/HRC/28/15#151.22")
        assert (found.ask, found.nearest, found.others) == (None, ASK, ())
        assert found.said == (
            f"no recommendation 151.22 in A/HRC/28/15 in the index; did you mean {ASK}? "
            "(the report prints it as 151.22)"
        )
        # A number no ask prints leads nowhere.
        assert store.named("A/HRC/28/15#151.23").nearest is None
    for command in ("show", "evidence"):
        said = CliRunner().invoke(main, [command, "A/HRC/28/15", "151.22", "--index", str(index)])
        assert said.exit_code == 2 and f"did you mean {ASK}?" in said.output, said.output


def test_an_item_of_a_lead_in_paragraph_suggests_that_item_of_the_nearest_asks(
    tmp_path: Path,
) -> None:
    # review32: `show A/HRC/14/10#96.7` said only "no recommendation": paragraph 96 of
    # Kazakhstan 2010 is a lead-in (p. 21) between its asks 95.1-95.102 and 97.1-97.26, and a
    # researcher who typed 96.7 means 95.7 or 97.7.
    index = shared_ingested(("wg_reports/kazakhstan2010.pdf",), tmp_path / "index.sqlite")
    with Store(index) as store:
        found = store.named("A/HRC/14/10#96.7")
        assert (found.nearest, found.others) == ("A/HRC/14/10#95.7", ("A/HRC/14/10#97.7",))
        # 95 holds asks, but not a 103rd: that is no lead-in; nor is a far-off paragraph.
        assert store.named("A/HRC/14/10#95.103").nearest is None
        assert store.named("A/HRC/14/10#150.7").nearest is None
    said = CliRunner().invoke(main, ["show", "A/HRC/14/10#96.7", "--index", str(index)])
    assert said.exit_code == 2
    assert "did you mean A/HRC/14/10#95.7 or A/HRC/14/10#97.7?" in said.output, said.output


def test_a_bare_paragraph_suggests_its_asks_not_an_item_numbered_like_it(
    tmp_path: Path,
) -> None:
    # codereview: `show A/HRC/14/12#90` (Iran 2010) suggested #90.90, the 90th ask of paragraph
    # 90, where a researcher means the paragraph's asks, 90.1 onwards.
    index = ingested(("iran2010_recs.pdf",), tmp_path / "index.sqlite")
    with Store(index) as store:
        asks = [
            rec.id
            for rec in store.recommendations()
            if (rec.paragraph or "").partition(".")[0] == "90"
        ]
        found = store.named("A/HRC/14/12#90")
    assert len(asks) > 90
    assert (found.nearest, found.others) == (asks[0], (asks[-1],))
    said = CliRunner().invoke(main, ["show", "A/HRC/14/12#90", "--index", str(index)])
    assert said.exit_code == 2
    assert (
        f"did you mean the asks of paragraph 90, A/HRC/14/12#90.1 to {asks[-1]}?" in said.output
    ), said.output


@pytest.mark.parametrize(
    "given",
    ["A/HRC/28/51:115.22", "a/hrc/28/51 - 115.22", "A/HRC/28/51 115.22", "A/HRC/28/51#115.22"],
)
def test_a_mistyped_symbol_is_suggested_whatever_separates_it_from_the_paragraph(
    indexes: tuple[Path, Path], given: str
) -> None:
    # codereview2: review33's symbol typo ("A/HRC/28/31#109.9": did you mean A/HRC/28/13#109.9?)
    # was suggested after a "#" only, while every other separator `named` reads for a symbol it
    # holds ("A/HRC/28/15:115.22", as README shows) got no suggestion, and one argument with a
    # space a UsageError ("give the report symbol and the paragraph"), though both were given.
    with Store(indexes[1]) as store:
        found = store.named(given)
    assert (found.ask, found.nearest) == (None, ASK), found.said


@pytest.mark.parametrize("given", ["A/HRC/28/15#", "a/hrc/28/15 # "])
def test_an_id_with_nothing_after_its_hash_says_the_paragraph_number_is_missing(
    indexes: tuple[Path, Path], given: str
) -> None:
    # smalls37: `uprdex show A/HRC/28/13#` said "no recommendation  in A/HRC/28/13 in the
    # index", an empty paragraph between two spaces.
    with Store(indexes[1]) as store:
        found = store.named(given)
    assert found.ask is None
    said = CliRunner().invoke(main, ["show", given, "--index", str(indexes[1])])
    assert said.exit_code == 2, said.output
    assert said.output.strip() == (
        f"error {given.strip()}: no paragraph number after its '#' (an ask's id is the "
        f"report's symbol, '#' and the paragraph: {ASK})"
    ), said.output
