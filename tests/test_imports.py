"""Imports of existing databases: linked to PDF recommendations, never duplicated."""

from __future__ import annotations

import csv
import errno
import re
import sqlite3
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from uprdex.extractors.imports import read_thematic_list, read_upr_info
from uprdex.flows.cli import main
from uprdex.flows.ingest import import_file, ingest_paths
from uprdex.pipeline.exports import records
from uprdex.pipeline.report import write_report
from uprdex.pipeline.settings import LoaderSettings
from uprdex.pipeline.store import Store, StoredRecommendation
from uprdex.pipeline.store.responses import refresh_responses

from helpers import as_an_earlier_release_left_it, fixture

ROOT = Path(__file__).resolve().parents[1]
UPR_INFO = fixture("upr_info_slovenia_s20.csv")
THEMATIC = fixture("svn2014_thematic_list.docx")


def test_upr_info_rows_of_one_recommendation_are_grouped_with_stable_ids() -> None:
    records = read_upr_info(UPR_INFO)
    again = read_upr_info(UPR_INFO)
    assert [r.import_id for r in records] == [r.import_id for r in again]
    optional_protocol = next(
        r for r in records if r.text.startswith("Ratify the Optional Protocol to the Rights")
    )
    assert optional_protocol.recommending_states == ("Slovakia", "Portugal")
    assert optional_protocol.import_id.startswith("upr-info:SVN:20:")
    assert optional_protocol.position == "supported"


def test_thematic_list_rows() -> None:
    records = {r.paragraph: r for r in read_thematic_list(THEMATIC)}
    assert len(records) == 163
    first = records["115.1"]
    assert first.wg_symbol == "A/HRC/28/15"
    assert first.recommending_states == ("Croatia",)
    assert first.position_source == "A/HRC/28/15/Add.1 - Para. 3"
    assert first.themes == ("A12 Acceptance of international norms",)
    assert first.extra == {"affected_persons": ["general"]}


def _recommendations(index: Path) -> dict[str, StoredRecommendation]:
    with Store(index) as store:
        return {r.id: r for r in store.recommendations()}


def test_import_before_and_after_the_pdf_gives_no_duplicates(tmp_path: Path) -> None:
    one_worker = LoaderSettings(workers=1)
    pdf_first, import_first = tmp_path / "a.sqlite", tmp_path / "b.sqlite"
    with Store(pdf_first) as store:
        ingest_paths([fixture("slovenia2014_recs.pdf")], store, one_worker)
        import_file(UPR_INFO, "upr-info", store)
    with Store(import_first) as store:
        import_file(UPR_INFO, "upr-info", store)
        ingest_paths([fixture("slovenia2014_recs.pdf")], store, one_worker)
    a, b = _recommendations(pdf_first), _recommendations(import_first)
    assert a.keys() == b.keys()
    assert len([key for key in a if key.startswith("A/HRC/28/15#")]) == 30
    linked = a["A/HRC/28/15#115.3"].imported
    assert [label.source for label in linked] == ["upr-info"]
    assert linked[0].extra["action"] == ["5"]  # UPR Info: "Ratify"
    # The report leaves it "will be examined"; UPR Info knows the answer: the latest known,
    # named as UPR Info's, whichever arrived first.
    assert (a["A/HRC/28/15#115.3"].response, a["A/HRC/28/15#115.3"].response_source) == (
        "supported",
        "UPR Info: Accepted",
    )
    assert {k: (r.response, r.response_source) for k, r in a.items()} == {
        k: (r.response, r.response_source) for k, r in b.items()
    }


def test_the_addendum_answer_wins_over_an_imported_one(tmp_path: Path) -> None:
    one_worker = LoaderSettings(workers=1)
    index = tmp_path / "index.sqlite"
    with Store(index) as store:
        ingest_paths([fixture("slovenia2014_recs.pdf")], store, one_worker)
        import_file(UPR_INFO, "upr-info", store)
        ingest_paths([fixture("svn2014_addendum.pdf")], store, one_worker)
    rec = _recommendations(index)["A/HRC/28/15#115.3"]
    assert rec.response == "supported"
    assert str(rec.response_source).startswith("A/HRC/28/15/Add.1")


def _disagreeing(
    tmp_path: Path, source: str = "thematic-list", noted: str = "A/HRC/28/15/Add.1 - Para. 3"
) -> Path:
    """Slovenia 2014 with UPR Info imported, 115.3 linked to UPR Info's accepted row and a
    noted one: an OHCHR thematic list's (`source`, its `noted` source), or UPR Info's own."""
    index = tmp_path / "index.sqlite"
    with Store(index) as store:
        ingest_paths([fixture("slovenia2014_recs.pdf")], store, LoaderSettings(workers=1))
        import_file(UPR_INFO, "upr-info", store)
        rows = store.db.execute(
            "SELECT l.recommendation_id FROM import_links l JOIN imports i USING (import_id) "
            "WHERE l.recommendation_id = 'A/HRC/28/15#115.3'"
        ).fetchall()
        assert rows
        store.db.execute(
            "INSERT INTO imports SELECT 'x:1', ?, document_sha256, state_under_review, "
            "session, wg_symbol, paragraph, text, recommending_states, 'noted', ?, themes, "
            "extra, row, recommendation_id FROM imports WHERE import_id = "
            "(SELECT import_id FROM import_links WHERE recommendation_id = ?)",
            (source, noted, "A/HRC/28/15#115.3"),
        )
        store.db.execute("INSERT INTO import_links VALUES ('x:1', 'A/HRC/28/15#115.3')")
        refresh_responses(store.db, "A/HRC/28/15")
        store.db.commit()
    return index


def test_imports_that_disagree_leave_the_position_open_and_say_so(tmp_path: Path) -> None:
    rec = _recommendations(_disagreeing(tmp_path))["A/HRC/28/15#115.3"]
    assert rec.response == "pending"
    # probe2: an ask two imports answered each its way read "pending" with no word of either
    # answer.
    assert rec.response_conflict == "A/HRC/28/15/Add.1 para 3: noted; UPR Info: Accepted"


def test_upr_info_rows_of_an_asks_halves_answer_it_in_part(tmp_path: Path) -> None:
    # review25 finding 8: UPR Info splits El Salvador 2010's 82.28 into "reduce preventive
    # detention" (Accepted) and "prevent and punish torture per CAT" (Noted); the ask stayed
    # "pending", as if the State had not answered. One database's answer in part is counted as
    # an addendum's partial acceptance: noted, "supported in part" (docs/how-it-works.md).
    index = _disagreeing(tmp_path, "upr-info", "UPR Info: Noted")
    rec = _recommendations(index)["A/HRC/28/15#115.3"]
    assert (rec.response, rec.response_detail, rec.response_source, rec.response_conflict) == (
        "noted",
        "supported in part",
        "UPR Info: Accepted; UPR Info: Noted",
        None,
    )


def test_recs_and_search_say_the_imports_disagree_on_a_pending_ask(tmp_path: Path) -> None:
    # probe3: over the whole index, 54 of the 55 OP-CAT asks recs listed as "pending" were
    # answered, UPR Info splitting each into an accepted and a noted row; only `show` and the
    # exports said so (response_conflict), and "pending" read as never answered.
    index = str(_disagreeing(tmp_path))
    for columns in ("100", "50"):
        runner = CliRunner(env={"COLUMNS": columns})
        table = runner.invoke(
            main, ["recs", "--index", index, "--search", "communications procedure"]
        )
        assert "pending, imports disagree" in table.output
    found = CliRunner().invoke(main, ["search", "communications procedure", "--index", index])
    assert "A/HRC/28/15#115.3 review of Slovenia 2014 (pending, imports disagree;" in found.output


def test_imported_texts_end_without_their_final_stop(tmp_path: Path) -> None:
    # 3,119 texts of the full UPR Info export end with "." ("... under domestic law.").
    stopped = _rewritten(tmp_path / "stopped.csv", lambda row: {"Text": row["Text"].rstrip() + "."})
    plain, dotted = read_upr_info(UPR_INFO), read_upr_info(stopped)
    assert [r.text for r in dotted] == [r.text for r in plain]
    assert not any(r.text.endswith((".", ";")) for r in dotted)
    assert [r.import_id for r in dotted] == [r.import_id for r in plain]  # ids unchanged


def test_an_imported_recommendation_alone_has_the_year_of_its_session(tmp_path: Path) -> None:
    with Store(tmp_path / "index.sqlite") as store:
        import_file(UPR_INFO, "upr-info", store)
    recs = _recommendations(tmp_path / "index.sqlite")
    assert {(r.session, r.year, r.cycle) for r in recs.values()} == {(20, 2014, 2)}


def test_second_import_of_the_same_file_adds_nothing(tmp_path: Path) -> None:
    with Store(tmp_path / "index.sqlite") as store:
        first = import_file(UPR_INFO, "upr-info", store)
        count = store.summary()["recommendations"]
        second = import_file(UPR_INFO, "upr-info", store)
        assert store.summary()["recommendations"] == count
    assert (first.outcome, second.outcome) == ("indexed", "unchanged")


def test_thematic_list_for_an_ingested_review_fills_in_labels(tmp_path: Path) -> None:
    with Store(tmp_path / "index.sqlite") as store:
        ingest_paths([fixture("slovenia2014_recs.pdf")], store, LoaderSettings(workers=1))
        import_file(THEMATIC, "thematic-list", store)
        recs = {r.id: r for r in store.recommendations()}
    assert len(recs) == 163  # 30 from the PDF fixture, 133 from the list alone
    assert sum(r.origin == "pdf" for r in recs.values()) == 30
    themes = recs["A/HRC/28/15#115.1"].imported[0].themes
    assert themes == ("A12 Acceptance of international norms",)


def test_a_file_that_is_not_an_export_fails_clearly(tmp_path: Path) -> None:
    bad = tmp_path / "notes.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    with Store(tmp_path / "index.sqlite") as store:
        result = import_file(bad, "upr-info", store)
    assert result.outcome == "failed"
    assert result.error is not None and "not a UPR Info export" in result.error


def _without_content_types(target: Path) -> Path:
    """The real thematic list's .docx without its [Content_Types].xml (python-docx raises
    KeyError for it)."""
    with zipfile.ZipFile(THEMATIC) as source, zipfile.ZipFile(target, "w") as out:
        for item in source.infolist():
            if item.filename != "[Content_Types].xml":
                out.writestr(item, source.read(item))
    return target


def _workbook(target: Path) -> Path:
    """An Excel workbook (a UPR Info export saved as .xlsx, not CSV)."""
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["To", "Text", "From", "Response", "Issue", "Session"])
    book.save(target)
    return target


def _long_field(target: Path) -> Path:
    """A UPR Info CSV whose first row's text is over the csv module's field limit."""
    header = "To,To-Rgrp,To-Org,Text,From,From-Rgrp,From-Org,Response,Action,Issue,Session\n"
    target.write_text(
        header + 'Andorra,WEOG,EU,"' + "x" * 140_000 + '",Cuba,G,O,Noted,4,Issue,10\n',
        encoding="utf-8",
    )
    return target


@pytest.mark.parametrize(
    ("kind", "make", "said"),
    [
        (
            "thematic-list",
            _without_content_types,
            "cannot read as thematic-list (There is no item named '[Content_Types].xml' in the "
            "archive)",
        ),
        (
            "thematic-list",
            lambda target: target.write_bytes(THEMATIC.read_bytes()[:3000]) and target,
            "a Word .docx or ZIP archive cut short (no ZIP directory); download it again",
        ),
        ("upr-info", lambda t: t.touch() or t, "not a UPR Info export (an empty file)"),
        (
            "upr-info",
            _workbook,
            "not a UPR Info export (a ZIP archive: an Excel workbook?); save it as CSV UTF-8",
        ),
    ],
    ids=["docx-without-content-types", "docx-cut-short", "empty-csv", "xlsx-as-csv"],
)
def test_an_import_file_that_cannot_be_read_is_one_line_naming_it_and_saying_what_is_wrong(
    tmp_path: Path, kind: str, make: Callable[[Path], Path], said: str
) -> None:
    # review23 finding 7: KeyError("There is no item named ...") was said as its repr; a cut
    # .docx was "neither a Word .docx nor a PDF"; an empty CSV listed all six columns as
    # missing; a workbook was "not a UTF-8 text file (invalid start byte)".
    given = make(tmp_path / ("list.docx" if kind == "thematic-list" else "export.xlsx"))
    with Store(tmp_path / "index.sqlite") as store:
        result = import_file(given, kind, store)
    assert (result.outcome, result.error) == ("failed", f"{given.name}: {said}")


def test_a_csv_row_the_csv_module_cannot_read_is_named_by_file_and_line(tmp_path: Path) -> None:
    # It was "cannot read as upr-info (field larger than field limit (131072))": no line.
    given = _long_field(tmp_path / "long.csv")
    with Store(tmp_path / "index.sqlite") as store:
        result = import_file(given, "upr-info", store)
    assert result.error == (
        "long.csv line 2: not a CSV row (field larger than field limit (131072))"
    )


def test_an_error_a_reader_s_library_raises_is_one_line_naming_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # review23 finding 7: an OSError was said as its repr ("OSError(5, 'Input/output error')")
    # and a ValueError of pdfplumber's was trusted to name the file, which it does not.
    import docx

    import uprdex.extractors.imports as imports

    def disk_fails(path: str) -> None:
        raise OSError(errno.EIO, "Input/output error")

    def pdfplumber_fails(*args: object) -> None:
        raise ValueError("Unsupported image type")

    monkeypatch.setattr(docx, "Document", disk_fails)
    monkeypatch.setattr(imports, "read_rows", pdfplumber_fails)
    pdf = tmp_path / "list.pdf"
    pdf.write_bytes(fixture("svn2014_thematic_list.pdf").read_bytes())
    with Store(tmp_path / "index.sqlite") as store:
        said = [import_file(f, "thematic-list", store).error for f in (THEMATIC, pdf)]
    assert said == [
        f"{THEMATIC.name}: cannot read (Input/output error)",
        "list.pdf: cannot read as thematic-list (Unsupported image type)",
    ]


def test_an_import_links_to_every_paragraph_that_prints_it_for_its_states(tmp_path: Path) -> None:
    # UPR Info's "Ratify ICRMW" row group (Uruguay, Senegal, Sierra Leone, Venezuela, Peru,
    # Bosnia & Herzegovina): A/HRC/28/15 prints the same text at 115.8 for the first five and
    # at 115.10 for Bosnia and Herzegovina alone; 115.9 "Consider ratifying ICRMW" is Sri
    # Lanka's, in no row of the group.
    with Store(tmp_path / "index.sqlite") as store:
        ingest_paths([fixture("slovenia2014_recs.pdf")], store, LoaderSettings(workers=1))
        import_file(UPR_INFO, "upr-info", store)
        main = store.db.execute(
            "SELECT recommendation_id FROM imports WHERE text = 'Ratify ICRMW'"
        ).fetchall()
        links = store.db.execute(
            "SELECT l.recommendation_id FROM import_links l JOIN imports i USING (import_id) "
            "WHERE i.text = 'Ratify ICRMW' ORDER BY 1"
        ).fetchall()
        recs = {r.id: r for r in store.recommendations()}
    assert [row["recommendation_id"] for row in main] == ["A/HRC/28/15#115.8"]
    assert [row["recommendation_id"] for row in links] == [
        "A/HRC/28/15#115.10",
        "A/HRC/28/15#115.8",
    ]
    for paragraph in ("115.8", "115.10"):
        labels = recs[f"A/HRC/28/15#{paragraph}"].imported
        assert [label.themes for label in labels] == [
            ("International instruments", "Labour", "Migrants")
        ]
    assert recs["A/HRC/28/15#115.9"].imported != recs["A/HRC/28/15#115.10"].imported


def test_an_index_from_before_import_links_keeps_its_labels(tmp_path: Path) -> None:
    index = tmp_path / "index.sqlite"
    with Store(index) as store:
        ingest_paths([fixture("slovenia2014_recs.pdf")], store, LoaderSettings(workers=1))
        import_file(UPR_INFO, "upr-info", store)
    # Schema 1 had only imports.recommendation_id.
    db = sqlite3.connect(index)
    with db:
        db.execute("DROP TABLE import_links")
        db.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    db.close()
    recs = _recommendations(index)
    labels = recs["A/HRC/28/15#115.3"].imported
    assert [label.source for label in labels] == ["upr-info"]
    assert recs["A/HRC/28/15#115.8"].imported


def _rewritten(path: Path, change: Callable[[dict[str, str]], dict[str, str]]) -> Path:
    """The UPR Info fixture with `change` applied to each row, written to `path`."""
    with UPR_INFO.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows({**row, **change(row)} for row in rows)
    return path


def _unlabelled(tmp_path: Path) -> Path:
    """The UPR Info fixture as an export of a new session looks before UPR Info labels it."""
    return _rewritten(tmp_path / "unlabelled.csv", lambda row: {"Issue": ""})


def _exported(index: Path) -> dict[str, dict[str, object]]:
    with Store(index) as store:
        return {r["id"]: r for r in records(store, "recommendations")}


def test_unlabelled_imports_get_the_classifier_themes_and_keyword_hits(tmp_path: Path) -> None:
    with Store(tmp_path / "index.sqlite") as store:
        import_file(_unlabelled(tmp_path), "upr-info", store)
    records = _exported(tmp_path / "index.sqlite")
    assert records and all(r["themes"] for r in records.values())
    methods = {h["method"] for r in records.values() for h in r["theme_hits"]}  # type: ignore[attr-defined]
    assert {"model", "keywords"} <= methods <= {"model", "beside", "keywords"}
    icrmw = next(r for r in records.values() if r["text"] == "Ratify ICRMW")
    assert "Migrants" in icrmw["themes"]  # type: ignore[operator]


def test_a_source_s_expert_issues_are_the_export_themes_and_stay_apart(tmp_path: Path) -> None:
    with Store(tmp_path / "index.sqlite") as store:
        import_file(UPR_INFO, "upr-info", store)
    for record in _exported(tmp_path / "index.sqlite").values():
        experts = [t for item in record["imported"] for t in item["themes"]]  # type: ignore[attr-defined]
        assert experts, record["id"]
        assert record["themes"] == list(dict.fromkeys(experts))
        assert any(h["method"] == "model" for h in record["theme_hits"])  # type: ignore[attr-defined]


def test_thematic_list_rows_alone_are_themed_with_their_own_labels_kept(tmp_path: Path) -> None:
    with Store(tmp_path / "index.sqlite") as store:
        import_file(THEMATIC, "thematic-list", store)
    records = _exported(tmp_path / "index.sqlite")
    assert len(records) == 163 and all(r["themes"] for r in records.values())
    first = records["A/HRC/28/15#115.1"]
    assert first["imported"][0]["themes"] == ["A12 Acceptance of international norms"]  # type: ignore[index]
    assert "A12 Acceptance of international norms" not in first["themes"]  # type: ignore[operator]


def test_an_index_imported_into_before_gets_its_themes_on_the_next_import(tmp_path: Path) -> None:
    unlabelled = _unlabelled(tmp_path)
    with Store(tmp_path / "index.sqlite") as store:
        import_file(unlabelled, "upr-info", store)
    with sqlite3.connect(tmp_path / "index.sqlite") as db:
        db.execute("DELETE FROM recommendation_themes")
    assert not any(r["themes"] for r in _exported(tmp_path / "index.sqlite").values())
    with Store(tmp_path / "index.sqlite") as store:
        assert import_file(unlabelled, "upr-info", store).outcome == "unchanged"
    assert all(r["themes"] for r in _exported(tmp_path / "index.sqlite").values())


def test_the_chosen_themes_view_gives_the_export_themes(tmp_path: Path) -> None:
    index = tmp_path / "index.sqlite"
    with Store(index) as store:
        ingest_paths([fixture("slovenia2014_recs.pdf")], store, LoaderSettings(workers=1))
        import_file(UPR_INFO, "upr-info", store)
        import_file(THEMATIC, "thematic-list", store)
    with sqlite3.connect(index) as db:
        chosen: dict[str, set[str]] = {}
        for rec_id, theme in db.execute("SELECT recommendation_id, theme FROM chosen_themes"):
            chosen.setdefault(rec_id, set()).add(theme)
    exported = _exported(index)
    assert {k: set(v["themes"]) for k, v in exported.items() if v["themes"]} == chosen  # type: ignore[call-overload]


def test_views_of_an_older_uprdex_are_made_again_on_open(tmp_path: Path) -> None:
    index = tmp_path / "index.sqlite"
    Store(index).close()
    with sqlite3.connect(index) as db:
        db.execute("DROP VIEW chosen_themes")
        db.execute("CREATE VIEW chosen_themes AS SELECT 1 AS recommendation_id")
        db.execute("UPDATE meta SET value = 'older' WHERE key = 'views_sha256'")
    Store(index).close()
    with sqlite3.connect(index) as db:
        columns = [row[1] for row in db.execute("PRAGMA table_info(chosen_themes)")]
    assert columns == ["recommendation_id", "theme", "method", "score"]


def test_an_imported_thematic_list_pdf_is_never_read_again_as_a_pdf(tmp_path: Path) -> None:
    # Imported by an earlier release, then its folder ingested (or the inbox run) after an
    # upgrade: reading it as a PDF would replace the import's rows.
    folder = tmp_path / "lists"
    folder.mkdir()
    listed = folder / "svn2014_thematic_list.pdf"
    listed.write_bytes(fixture("svn2014_thematic_list.pdf").read_bytes())
    index = tmp_path / "index.sqlite"
    with Store(index) as store:
        import_file(listed, "thematic-list", store)
        imported = store.db.execute("SELECT count(*) FROM imports").fetchone()[0]
    as_an_earlier_release_left_it(index, "none")
    with Store(index) as store:
        (result,) = ingest_paths([folder], store, LoaderSettings(workers=1))
        assert result.outcome == "unchanged"
        assert store.db.execute("SELECT count(*) FROM imports").fetchone()[0] == imported > 100
        assert import_file(listed, "thematic-list", store).outcome == "unchanged"
    # Nor counted as read by an earlier release: only `uprdex import` reads it again.
    status = CliRunner().invoke(main, ["status", "--index", str(index)])
    assert status.exit_code == 0 and "read by an earlier" not in status.output


def _answered_with_no_position(tmp_path: Path, upr_info_rows: list[tuple[str, str]]) -> Path:
    """An index of A/HRC/14/15 and its Add.1, whose para 15 answers 111.15 with no position
    (the fixture addendum stops at para 12: its para 15 is added as the reader reads it), and
    UPR Info rows (text, Response) of the United Kingdom's ask, imported last."""
    upr_info = tmp_path / "upr_info_s7.csv"
    with upr_info.open("w", newline="", encoding="utf-8") as out:
        rows = csv.writer(out)
        out.write("To,To-Rgrp,To-Org,Text,From,From-Rgrp,From-Org,Response,Action,Issue,Session\n")
        for text, response in upr_info_rows:
            rows.writerow(
                [
                    *("Slovenia", "EEG", "EU", text, "United Kingdom", "WEOG", "EU"),
                    *(response, "3", "Minorities", "7"),
                ]
            )
    index = tmp_path / "index.sqlite"
    with Store(index) as store:
        names = ("slovenia2010_recs.pdf", "svn2010_addendum.pdf")
        ingest_paths([fixture(name) for name in names], store, LoaderSettings(workers=1))
        store.db.execute(
            "INSERT INTO responses SELECT document_sha256, addendum_symbol, wg_symbol, '15', "
            "'unknown', 'no position stated', 3, '15', '15.' FROM responses LIMIT 1"
        )
        import_file(upr_info, "upr-info", store)
    return index


def test_an_answer_stating_no_position_takes_the_imports_position(tmp_path: Path) -> None:
    # probe2: A/HRC/14/15/Add.1 para 15 answers 111.15 ("Slovenia agrees with the importance
    # of the 1995 Programme of Measures for Assisting the Roma ...") with no position; UPR Info
    # has it Noted, but it read "unknown" as if nothing else were known.
    text = (
        "To continue to implement the 1995 Programme of Measures for Assisting the Roma, and "
        "to introduce annually reviewed targets to measure progress"
    )
    index = _answered_with_no_position(tmp_path, [(text, "Noted")])
    rec = _recommendations(index)["A/HRC/14/15#111.15"]
    assert (rec.response, rec.response_source, rec.response_detail) == (
        "noted",
        "UPR Info: Noted",
        "no position stated in A/HRC/14/15/Add.1 para 15",
    )
    # review5 M7: the report read "noted (no position stated) — UPR Info: Noted", as if UPR
    # Info stated none, and named the addendum paragraph nowhere.
    with Store(index) as store:
        page = write_report(store, tmp_path / "report", "slovenia").read_text(encoding="utf-8")
    block = page.split('id="rec-A-HRC-14-15-111.15"', 1)[1].split("</article>", 1)[0]
    assert "noted (no position stated in A/HRC/14/15/Add.1 para 15) — UPR Info: Noted" in block


def test_an_answer_stating_no_position_takes_upr_infos_answer_in_part(
    tmp_path: Path,
) -> None:
    # review5 M1: with no addendum, UPR Info's noted and accepted rows of one ask were named in
    # response_conflict; with an addendum answer stating no position, nothing said them.
    # review25 finding 8: the two rows are UPR Info's answer in part, noted.
    index = _answered_with_no_position(
        tmp_path,
        [
            (
                "Introduce annually reviewed targets to measure progress of the Roma Programme",
                "Noted",
            ),
            (
                "Continue to implement the 1995 Programme of Measures for Assisting the Roma",
                "Accepted",
            ),
        ],
    )
    with Store(index) as store:
        links = store.db.execute(
            "SELECT count(*) FROM import_links WHERE recommendation_id = 'A/HRC/14/15#111.15'"
        ).fetchone()[0]
    assert links == 2  # both rows are linked: the halves are answered each its way
    rec = _recommendations(index)["A/HRC/14/15#111.15"]
    answer = (rec.response, rec.response_source, rec.response_detail, rec.response_conflict)
    assert answer == (
        "noted",
        "UPR Info: Noted; UPR Info: Accepted",
        "supported in part; no position stated in A/HRC/14/15/Add.1 para 15",
        None,
    )


def test_show_takes_the_id_of_a_recommendation_known_only_from_an_import(tmp_path: Path) -> None:
    # newcomer: README gives such an ask the id 'upr-info:BHR:1:3ce925f24158', "with no #",
    # and `uprdex show` of it said "give the report symbol and the paragraph" (exit 2).
    index = tmp_path / "index.sqlite"
    with Store(index) as store:
        import_file(UPR_INFO, "upr-info", store)
    rec_id = next(iter(_recommendations(index)))
    assert rec_id.startswith("upr-info:SVN:20:")
    runner = CliRunner()
    shown = runner.invoke(main, ["show", rec_id, "--index", str(index)])
    assert shown.exit_code == 0, shown.output
    assert f'"id": "{rec_id}"' in shown.output
    brief = runner.invoke(main, ["show", rec_id, "--brief", "--index", str(index)])
    assert brief.exit_code == 0, brief.output
    assert brief.output.startswith(f"{rec_id} review of Slovenia")
    assert "  printed: in no indexed report (upr-info import)" in brief.output.splitlines()
    gone = runner.invoke(main, ["show", "upr-info:SVN:20:000000000000", "--index", str(index)])
    assert gone.exit_code == 2
    assert (
        gone.output.strip() == "error no recommendation upr-info:SVN:20:000000000000 in the index"
    )
    # `evidence` of it said "give the report symbol and the paragraph": it has neither.
    cited = runner.invoke(main, ["evidence", rec_id, "--index", str(index)])
    assert cited.exit_code == 2
    assert cited.output.startswith(f"error {rec_id} is an ask known from an import, printed in no")


def test_show_of_an_imported_id_after_its_report_is_indexed_names_the_ask_it_became(
    tmp_path: Path,
) -> None:
    # review15 finding 2: README gives an imported ask's id ('upr-info:BHR:1:3ce925f24158',
    # "which `uprdex show` takes as it is") and says the record is gone once its WG report is
    # indexed. Then `uprdex show upr-info:SVN:20:...` (kept from a list made before) said
    # "error no recommendation upr-info:SVN:20:... in the index", exit 2, though `imports`
    # links that id to the PDF's ask (seen on the demo's index with UPR Info sessions 1-20:
    # upr-info:SVN:20:99836fe488b3 is A/HRC/28/15#115.1); no output carries the id any more.
    index = tmp_path / "index.sqlite"
    with Store(index) as store:
        import_file(UPR_INFO, "upr-info", store)
        ingest_paths([fixture("slovenia2014_recs.pdf")], store, LoaderSettings(workers=1))
    with sqlite3.connect(index) as db:
        import_id, became = db.execute(
            "SELECT import_id, recommendation_id FROM imports "
            "WHERE recommendation_id LIKE 'A/HRC/28/15#%' ORDER BY row LIMIT 1"
        ).fetchone()
    assert import_id.startswith("upr-info:SVN:20:") and import_id not in _recommendations(index)
    shown = CliRunner().invoke(main, ["show", import_id, "--index", str(index)])
    assert became in shown.output, shown.output
    # The kept id names the report's ask in one line; `evidence` of it is the ask's.
    said = f"{import_id}, an imported ask, is now the report's {became}: its WG report is indexed"
    assert shown.exit_code == 0 and said in shown.output.splitlines()
    cited = CliRunner().invoke(main, ["evidence", import_id, "--index", str(index)])
    assert cited.exit_code == 0, cited.output
    assert cited.output.splitlines()[0] == said
    symbol, paragraph = became.split("#")
    assert cited.output.splitlines()[-1].endswith(f"for {symbol} {paragraph}")


def test_evidence_says_an_id_is_an_imported_ask_only_of_one_the_index_holds(
    tmp_path: Path,
) -> None:
    # review15 finding 5: on the demo's index `uprdex evidence A/HRC/28/15:115.22` (115.22 is
    # indexed; ':' typed for '#') and `uprdex evidence upr-info:SVN:20:000000000000` (no such
    # ask) both said "error ... is an ask known from an import, printed in no indexed report:
    # no page cites its number (`uprdex show ID` gives its record)", and `uprdex show` of
    # either then said "no recommendation ... in the index" (22fb2b5's _imported looks at the
    # text only).
    index = tmp_path / "index.sqlite"
    with Store(index) as store:
        import_file(UPR_INFO, "upr-info", store)
    for given in ("A/HRC/28/15:115.22", "upr-info:SVN:20:000000000000"):
        said = CliRunner().invoke(main, ["evidence", given, "--index", str(index)])
        assert said.exit_code == 2
        assert "known from an import" not in said.output, said.output


def test_an_id_typed_with_another_sign_for_its_hash_is_said_unknown_with_the_real_one(
    tmp_path: Path,
) -> None:
    # fiximports (review15 finding 5): `evidence A/HRC/28/15:115.22` called it an imported ask
    # and `show` of it said only "no recommendation ... in the index": the index holds
    # A/HRC/28/15#115.22, which neither named.
    index = tmp_path / "index.sqlite"
    with Store(index) as store:
        import_file(UPR_INFO, "upr-info", store)
        ingest_paths([fixture("slovenia2014_recs.pdf")], store, LoaderSettings(workers=1))
        kept = store.db.execute(
            "SELECT import_id FROM imports WHERE recommendation_id = 'A/HRC/28/15#115.22'"
        ).fetchone()[0]
    typo = kept[:-1] + ("0" if kept[-1] != "0" else "1")  # one character of its hash
    for given, meant in (
        ("A/HRC/28/15:115.22", "A/HRC/28/15#115.22"),
        ("a/hrc/28/15 : 115.22", "A/HRC/28/15#115.22"),
        ("A/HRC/28/15/115.22", "A/HRC/28/15#115.22"),  # said "give the report symbol and ..."
        (typo, kept),
        ("upr-info:SVN:20:000000000000", None),
    ):
        for command in ("show", "evidence"):
            said = CliRunner().invoke(main, [command, given, "--index", str(index)])
            assert said.exit_code == 2, said.output
            unknown = f"error no recommendation {given} in the index"
            assert said.output.strip() == (
                f"{unknown}; did you mean {meant}?" if meant else unknown
            ), said.output
    alone = CliRunner().invoke(main, ["show", "A/HRC/28/15", "--index", str(index)])
    assert alone.exit_code == 2 and "give the report symbol and the paragraph" in alone.output


def test_the_python_api_gives_the_evidence_of_an_imported_id_kept_from_before(
    tmp_path: Path,
) -> None:
    # fiximports (review15 finding 2, the Python API): Index.evidence of an imported ask's id
    # kept from before its WG report was indexed gave [] with no word, though the index links
    # the id to the report's ask, which a compilation cites.
    import uprdex

    index = tmp_path / "index.sqlite"
    with Store(index) as store:
        import_file(UPR_INFO, "upr-info", store)
        ingest_paths(
            [fixture("slovenia2014_recs.pdf"), fixture("cit_svn2019_compilation_notes.pdf")],
            store,
            LoaderSettings(workers=1),
        )
        kept = store.db.execute(
            "SELECT import_id FROM imports WHERE recommendation_id = 'A/HRC/28/15#115.22'"
        ).fetchone()[0]
    with uprdex.open_index(index) as opened:
        of_the_ask = opened.evidence("A/HRC/28/15#115.22")
        assert of_the_ask and opened.evidence(kept) == of_the_ask
        # An imported id that names no import is no ask: said as `uprdex evidence` says it
        # (leftovers; it gave [] before).
        with pytest.raises(uprdex.UnknownIdError, match="no recommendation upr-info:SVN:20:0"):
            opened.evidence("upr-info:SVN:20:000000000000")


@pytest.mark.parametrize("kind", ["upr-info", "thematic-list"])
def test_an_import_file_saved_over_after_its_hash_is_read_as_the_bytes_hashed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    # import_file hashed the file, then its reader opened it again: a file saved over in
    # between had the new bytes' rows (or failure) recorded under the old bytes' sha256, and
    # an import of the old bytes later was "unchanged". Now the bytes hashed are those read.
    import hashlib

    import uprdex.flows.ingest as ingest

    source = UPR_INFO if kind == "upr-info" else THEMATIC
    given = tmp_path / source.name
    given.write_bytes(source.read_bytes())
    # The file saved over: the export's first three rows (a list: not a list at all).
    head = b"".join(UPR_INFO.read_bytes().splitlines(keepends=True)[:4])
    read = ingest.read_with_hash

    def saved_over_after_the_hash(path: Path) -> tuple[bytes, str]:
        hashed = read(path)
        path.write_bytes(head)
        return hashed

    monkeypatch.setattr(ingest, "read_with_hash", saved_over_after_the_hash)
    reader = read_upr_info if kind == "upr-info" else read_thematic_list
    with Store(tmp_path / "index.sqlite") as store:
        result = import_file(given, kind, store)
    assert result.sha256 == hashlib.sha256(source.read_bytes()).hexdigest()
    assert (result.outcome, result.error) == ("indexed", None), result.error
    assert result.recommendations == len(reader(source)) > 3


def test_import_says_which_of_its_recommendations_were_already_read_from_pdfs(
    tmp_path: Path,
) -> None:
    # review28 finding 6: `import upr-info` printed "32080 recommendations", then "Index ...:
    # 32070 recommendations" without saying why: 542 imported rows were asks already read
    # from the WG reports' PDFs. Each number is said with what it counts.
    index = tmp_path / "index.sqlite"
    runner = CliRunner()
    pdf = fixture("slovenia2014_recs.pdf")
    assert runner.invoke(main, ["ingest", str(pdf), "--index", str(index)]).exit_code == 0
    # The fixture's rows, and one asked of a State whose report is not indexed.
    export = tmp_path / "upr_info.csv"
    with UPR_INFO.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    with export.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, list(rows[0]))
        writer.writeheader()
        writer.writerows([*rows, {**rows[0], "To": "Croatia"}])
    result = runner.invoke(main, ["import", "upr-info", str(export), "--index", str(index)])
    assert result.exit_code == 0, result.output
    with sqlite3.connect(index) as db:
        imported, matched, asks = db.execute(
            "SELECT (SELECT count(*) FROM imports), count(DISTINCT l.import_id), "
            "count(DISTINCT l.recommendation_id) FROM import_links l "
            "JOIN recommendations r ON r.id = l.recommendation_id WHERE r.origin = 'pdf'"
        ).fetchone()
        total, from_pdfs = db.execute(
            "SELECT count(*), sum(origin = 'pdf') FROM recommendations"
        ).fetchone()
    assert 0 < matched < imported and total < from_pdfs + imported, (imported, matched, total)
    said = " ".join(result.output.split())
    assert (
        f"{imported} recommendations in the file: {matched} matched to {asks} asks already read "
        f"from WG reports' PDFs (their labels added there), {imported - matched} known only "
        "from imports"
    ) in said, said
    assert (
        f"{total} recommendations: {from_pdfs} read from PDFs, {total - from_pdfs} known only "
        "from imports."
    ) in said, said


def _shape(source: str) -> str:
    """A response_source with its symbol, numbers and answer left out: "SYMBOL para N"."""
    source = re.sub(r"A/HRC/[\w/.-]*\w", "SYMBOL", source)
    return re.sub(r"\b(Accepted|Noted)\b", "ANSWER", re.sub(r"\d+", "N", source))


def test_readme_and_schema_show_every_kind_of_response_source_an_import_gives(
    tmp_path: Path,
) -> None:
    # review28 finding 6: after `import upr-info` an ask's response_source reads "UPR Info:
    # Accepted" (no paragraph to cite), but README and the schema described only an
    # addendum's or the WG report's paragraph.
    index = tmp_path / "index.sqlite"
    with Store(index) as store:
        ingest_paths([fixture("slovenia2014_recs.pdf")], store, LoaderSettings(workers=1))
        import_file(UPR_INFO, "upr-info", store)
    with sqlite3.connect(index) as db:
        given = {row[0] for row in db.execute("SELECT response_source FROM recommendations")}
    shapes = {_shape(source) for source in given if source}
    assert "UPR Info: ANSWER" in shapes, given
    schema = yaml.safe_load((ROOT / "data" / "schema.yaml").read_text(encoding="utf-8"))
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    words = readme[readme.index("- **response**:") :].split("\n- **")[0]
    described = {
        "README's words": words,
        **{
            f"schema.yaml's {name}": schema[name]["columns"]["response_source"]
            for name in ("recommendation_details", "recommendations")
        },
    }
    for where, text in described.items():
        examples = {_shape(example) for example in re.findall(r'"([^"]+)"', text)}
        assert shapes <= examples, (where, shapes - examples, text)
