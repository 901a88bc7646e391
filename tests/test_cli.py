"""The `uprdex` command line: help everywhere, exit codes and exports per the contract."""

from __future__ import annotations

import csv
import fcntl
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from uprdex.flows.cli import main
from uprdex.pipeline.settings import ClusterSettings
from uprdex.pipeline.store import Store

from helpers import (
    as_an_earlier_release_left_it,
    as_older_models_clustered_it,
    cli,
    copy_index,
    fixture,
    ingested,
)

CONTRACT_REC_FIELDS = {
    "id",
    "document_symbol",
    "paragraph",
    "state_under_review",
    "cycle",
    "session",
    "year",
    "text",
    "recommending_states",
    "recommending_state_codes",
    "response",
    "response_source",
    "themes",
    "cluster_id",
    "source",
}
CONTRACT_DOC_FIELDS = {
    "sha256",
    "path",
    "type",
    "symbol",
    "state_under_review",
    "cycle",
    "pages",
    "status",
    "error",
}


def test_every_command_has_help() -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["--help"]).exit_code == 0
    for name, command in main.commands.items():
        result = runner.invoke(main, [name, "--help"])
        assert result.exit_code == 0, name
        assert command.help and len(command.help) > 20, name


def _commands(
    command: click.Command, path: tuple[str, ...] = ()
) -> list[tuple[str, click.Command]]:
    """Every command and subcommand of `uprdex`, with its name as typed."""
    found = [(" ".join(path), command)]
    if isinstance(command, click.Group):
        for name, sub in command.commands.items():
            found += _commands(sub, (*path, name))
    return found


def test_every_option_says_what_it_does() -> None:
    # `--response`, `--format`, `search --limit`, `clusters --min-size` and `--seed` showed
    # only their choices or default in --help.
    silent = [
        f"uprdex {name} {option.opts[0]}"
        for name, command in _commands(main)
        for option in command.params
        if isinstance(option, click.Option) and not option.help
    ]
    assert not silent


def test_help_names_only_sections_that_exist() -> None:
    # `uprdex serve --help` sent readers to README, "Schedule", a section the README has not.
    root = Path(__file__).resolve().parents[1]
    named = [
        (name, "README.md" if doc == "README" else doc, section)
        for name, command in _commands(main)
        for doc, section in re.findall(r"(README|[\w/.-]+\.md), \"([^\"]+)\"", command.help or "")
    ]
    assert named
    for name, doc, section in named:
        text = (root / doc).read_text(encoding="utf-8")
        heading = rf"^#+ {re.escape(section)}|\*\*{re.escape(section)}\*\*"
        assert re.search(heading, text, re.M), f"uprdex {name}: {doc}, {section!r}"


def test_the_readme_names_the_commands_that_take_the_filters() -> None:
    # review9: README said "Every listing and export takes the same filters", which `evidence`,
    # `cited` and `report` do not take. The commands it names take each filter it names
    # (`search` takes its words as its query), and no other command takes them.
    readme = Path(__file__).resolve().parents[1] / "README.md"
    text = " ".join(readme.read_text(encoding="utf-8").split())
    said = re.search(r"((?:`\w+`(?:,| and)? )+)take the same filters: (.*?) \(a theme", text)
    assert said, "README: the commands that take the filters"
    named = set(re.findall(r"`(\w+)`", said.group(1)))
    flags = set(re.findall(r"`(--[\w-]+)", said.group(2)))
    assert {"--state-under-review", "--theme"} <= flags
    taking = {
        name
        for name, command in _commands(main)
        if flags & {opt for param in command.params for opt in param.opts}
    }
    assert taking - {"report"} == named
    for name in named:
        command = main.commands[name]
        options = {opt for param in command.params for opt in param.opts}
        assert flags - {"--search"} <= options and (name == "search" or "--search" in options)


def test_the_readme_says_how_recs_search_and_clusters_end_as_each_prints_it(
    tmp_path: Path,
) -> None:
    # review28 finding 6: README said `recs`, `search` and `clusters` end with "20 of 22
    # results"; only `search` says "results" ("1 of 435 recommendations", "1 of 83 clusters of
    # 2 or more"). Each command's last line has the shape of README's example for it.
    index = tmp_path / "index.sqlite"
    runner = CliRunner()
    pdf = str(fixture("slovenia2014_recs.pdf"))
    assert runner.invoke(main, ["ingest", pdf, "--index", str(index)]).exit_code == 0
    readme = Path(__file__).resolve().parents[1] / "README.md"
    text = " ".join(readme.read_text(encoding="utf-8").split())
    said = re.search(r"end by saying how many of how many match: (.*?)\.(?: |$)", text)
    assert said, "README: how recs, search and clusters end"
    examples = dict(re.findall(r'`(\w+)` "([^"]+)"', said.group(1)))
    for name, args in (("recs", []), ("search", ["rights"]), ("clusters", [])):
        shown = runner.invoke(main, [name, *args, "--limit", "1", "--index", str(index)])
        last = shown.stdout.splitlines()[-1]
        assert re.sub(r"\d+", "N", last) == re.sub(r"\d+", "N", examples.get(name, "")), (
            name,
            last,
            examples,
        )


def test_ingest_exit_codes(tmp_path: Path) -> None:
    runner = CliRunner()
    index = str(tmp_path / "index.sqlite")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(fixture("andorra2011_recs.pdf"), inbox / "good.pdf")
    (inbox / "broken.pdf").write_bytes(b"<html>404</html>")
    result = runner.invoke(main, ["ingest", str(inbox), "--index", index, "--workers", "1"])
    assert result.exit_code == 1
    assert "broken.pdf: an HTML page" in result.output
    assert "1 indexed" in result.output
    assert runner.invoke(main, ["ingest", "--index", index]).exit_code == 2
    missing = runner.invoke(main, ["ingest", str(tmp_path / "nope.pdf"), "--index", index])
    assert missing.exit_code == 2


def test_export_recommendations_jsonl_follows_the_contract(index: Path) -> None:
    result = CliRunner().invoke(
        main,
        [
            "export",
            "--what",
            "recommendations",
            "--format",
            "jsonl",
            "--index",
            str(index),
        ],
    )
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert len(rows) == 47
    assert all(set(row) >= CONTRACT_REC_FIELDS for row in rows)
    iran = next(row for row in rows if row["id"] == "A/HRC/28/15#115.6")
    assert iran["recommending_state_codes"] == ["IRN"]
    assert iran["response"] == "pending"
    assert iran["response_source"] == "A/HRC/28/15 para 115"
    assert iran["source"]["page"] == 3 and len(iran["source"]["sha256"]) == 64


def test_export_documents_json(index: Path) -> None:
    result = CliRunner().invoke(
        main,
        [
            "export",
            "--what",
            "documents",
            "--format",
            "json",
            "--index",
            str(index),
        ],
    )
    rows = json.loads(result.output)
    assert {row["symbol"] for row in rows} == {"A/HRC/28/15", "A/HRC/8/29"}
    assert all(set(row) >= CONTRACT_DOC_FIELDS and row["status"] == "indexed" for row in rows)
    assert {row["type"] for row in rows} == {"wg_report"}


def test_export_documents_of_one_state_leaves_out_the_other_states(index: Path) -> None:
    # probe2: `--what documents --state Slovenia` listed Algeria's report (and every other
    # file of the index); a filter only recommendations can meet was dropped in silence.
    def symbols(*filters: str) -> set[str]:
        result = cli(
            "export", "--what", "documents", "--format", "json", "--index", index, *filters
        )
        return {row["symbol"] for row in json.loads(result.output)}

    assert symbols("--state", "slovenia") == {"A/HRC/28/15"}
    assert symbols("--cycle", "1") == {"A/HRC/8/29"}
    assert symbols("--state", "Slovenia", "--cycle", "1") == set()
    refused = cli(
        "export", "--what", "documents", "--format", "csv", "--index", index, "--response", "noted"
    )
    assert refused.exit_code == 2 and "--response filters recommendations" in refused.output
    # review9: --theme was ignored in silence (a document has no theme).
    refused = cli(
        "export", "--what", "documents", "--format", "csv", "--index", index, "--theme", "women"
    )
    assert refused.exit_code == 2 and "--theme filters recommendations" in refused.output


def test_export_documents_by_cycle_keeps_an_addendum_whose_report_is_not_indexed(
    tmp_path: Path,
) -> None:
    # review5 M2: an addendum (or decision) without its WG report had no cycle, so `--cycle 1`
    # left it out in silence while `--state Slovenia` kept it. A/HRC/14/15/Add.1 is of the
    # Council's 14th session, which adopted cycle 1's reviews.
    index = ingested(("svn2010_addendum.pdf",), tmp_path / "index.sqlite")
    found = cli(
        "export", "--what", "documents", "--format", "jsonl", "--cycle", "1", "--index", index
    )
    rows = [json.loads(line) for line in found.output.splitlines()]
    assert [(row["symbol"], row["cycle"]) for row in rows] == [("A/HRC/14/15/Add.1", 1)]


def test_xlsx_round_trips_the_same_rows_as_csv(index: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    csv_path, xlsx_path = tmp_path / "recs.csv", tmp_path / "recs.xlsx"
    for fmt, path in (("csv", csv_path), ("xlsx", xlsx_path)):
        result = runner.invoke(
            main,
            [
                "export",
                "--what",
                "recommendations",
                "--format",
                fmt,
                "--out",
                str(path),
                "--index",
                str(index),
            ],
        )
        assert result.exit_code == 0, result.output
    raw = csv_path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: spreadsheets read the accents right
    csv_rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    sheet = load_workbook(xlsx_path).active
    xlsx_rows = [
        ["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)
    ]
    assert sheet.freeze_panes == "A2"
    assert len(csv_rows) == len(xlsx_rows) == 48
    assert csv_rows[0] == xlsx_rows[0]
    assert [row[0] for row in csv_rows] == [row[0] for row in xlsx_rows]


def test_recs_filters_and_show(index: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(
        main,
        [
            "recs",
            "--index",
            str(index),
            "--recommending-state",
            "Venezuela",
            "--json",
        ],
    )
    ids = [json.loads(line)["id"] for line in result.output.splitlines()]
    assert ids == ["A/HRC/28/15#115.8"]
    shown = runner.invoke(main, ["show", "A/HRC/8/29", "69.6", "--index", str(index)])
    assert shown.exit_code == 0 and "Holy See" in shown.output
    absent = runner.invoke(main, ["show", "A/HRC/8/29", "99.1", "--index", str(index)])
    assert absent.exit_code == 2


def test_show_brief_reads_as_recs_and_search_print_an_ask(index: Path) -> None:
    # `uprdex show` printed only JSON (80 to 125 lines for one ask); --brief is a view to read,
    # the JSON record stays the default, which scripts read.
    runner = CliRunner(env={"COLUMNS": "200"})
    ask = ["A/HRC/28/15", "115.8", "--index", str(index)]
    record = json.loads(runner.invoke(main, ["show", *ask]).output)
    brief = runner.invoke(main, ["show", *ask, "--brief"])
    assert brief.exit_code == 0, brief.output
    lines = brief.output.splitlines()
    assert lines[0] == (
        "A/HRC/28/15#115.8 review of Slovenia 2014 (pending; asked by Senegal, Sierra Leone, "
        "Venezuela (Bolivarian Republic of), Peru, Uruguay)"
    )
    assert lines[1:3] == ["  Ratify ICRMW", f"  response: pending ({record['response_source']})"]
    assert f"  cluster: {record['cluster_id']}" in lines
    assert f"  printed: A/HRC/28/15, p. {record['source']['page']}" in lines
    evidence = runner.invoke(main, ["evidence", *ask]).output.splitlines()[-1]
    counted = evidence.split(" evidence record")[0]
    assert lines[-1].startswith(f"  evidence: {counted} record")
    assert len(lines) < 15


def test_show_brief_does_not_say_the_response_again_in_its_detail(tmp_path: Path) -> None:
    # review26 #6: "response: noted (noted; the State comments in para 104; A/HRC/15/8 para
    # 103)" of Kenya 2010's 103.1; the JSON record (the export contract) keeps the detail whole.
    index = ingested(("kenya2010_notes.pdf",), tmp_path / "index.sqlite")
    ask = ["A/HRC/15/8", "103.1", "--index", str(index)]
    record = json.loads(CliRunner().invoke(main, ["show", *ask]).output)
    assert record["response_detail"] == "noted; the State comments in para 104"
    lines = CliRunner(env={"COLUMNS": "200"}).invoke(main, ["show", *ask, "--brief"]).output
    said = [line for line in lines.splitlines() if line.startswith("  response: ")]
    assert said == ["  response: noted (the State comments in para 104; A/HRC/15/8 para 103)"]


def test_index_from_environment(index: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("UPRDEX_INDEX", str(index))
    result = CliRunner().invoke(main, ["status"])
    assert str(index) in result.output
    assert "recommendations: 47" in result.output


def test_clusters_are_listed_and_exported(index: Path) -> None:
    runner = CliRunner()
    computed = runner.invoke(main, ["cluster", "--scope", "state", "--index", str(index)])
    assert computed.exit_code == 0, computed.output
    assert "47 recommendations clustered (state" in computed.output
    result = runner.invoke(
        main,
        [
            "export",
            "--what",
            "clusters",
            "--format",
            "jsonl",
            "--index",
            str(index),
        ],
    )
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert {"cluster_id", "members", "canonical_text", "states", "size"} <= set(rows[0])
    assert sum(row["size"] for row in rows) == 47  # singletons are clusters too
    members = {member for row in rows for member in row["members"]}
    assert len(members) == 47
    sizes = [row["size"] for row in rows]
    assert sizes == sorted(sizes, reverse=True)


def test_document_text_is_never_read_as_console_markup(index: Path) -> None:
    import sqlite3

    db = sqlite3.connect(index)
    db.execute(
        "UPDATE recommendations SET text = '[bold red]Adopt[/] a law' WHERE paragraph = '115.1'"
    )
    db.commit()
    db.close()
    result = CliRunner().invoke(main, ["recs", "--index", str(index), "--search", "Adopt law"])
    squeezed = "".join(ch for ch in result.output if not ch.isspace() and ch not in "│┃")
    assert "[boldred]Adopt[/]alaw" in squeezed  # printed as written, not styled


def test_evidence_and_cited(index: Path) -> None:
    runner = CliRunner()
    compilation = fixture("cit_svn2019_compilation_notes.pdf")
    runner.invoke(main, ["ingest", str(compilation), "--index", str(index), "--workers", "1"])
    shown = runner.invoke(main, ["evidence", "A/HRC/28/15", "115.22", "--index", str(index)])
    listed = "A/HRC/WG.6/34/SVN/2 (un_compilation, p. 5, note 9; context on p. 1) citation"
    assert listed in shown.output
    cited = runner.invoke(main, ["cited", str(compilation), "--index", str(index)])
    assert cited.exit_code == 0
    assert "115.22 -> A/HRC/28/15#115.22" in cited.output
    # 115.31+ are not in the fixture, a cut of the report
    assert "115.162 (no such paragraph in A/HRC/28/15)" in cited.output


def test_cited_takes_the_symbol_of_an_indexed_document(tmp_path: Path) -> None:
    # review18: `uprdex cited A/HRC/WG.6/34/SVN/2` said "no such file, nor in the index",
    # though the index holds that document under that symbol.
    index = ingested(("cit_svn2019_compilation_notes.pdf",), tmp_path / "index.sqlite")
    by_path = cli("cited", fixture("cit_svn2019_compilation_notes.pdf"), "--index", index)
    by_symbol = cli("cited", "A/HRC/WG.6/34/SVN/2", "--index", index)
    assert by_symbol.exit_code == 0, by_symbol.output
    assert by_symbol.output == by_path.output
    assert "note 9: 115.22 -> A/HRC/28/15 115.22" in by_symbol.output
    # Two versions of one document (other bytes, one symbol): the symbol names both.
    other = tmp_path / "compilation-saved-again.pdf"
    other.write_bytes(fixture("cit_svn2019_compilation_notes.pdf").read_bytes() + b"\n% saved\n")
    assert cli("ingest", other, "--index", index, "--workers", "1").exit_code == 0
    both = cli("cited", "A/HRC/WG.6/34/SVN/2", "--index", index)
    assert both.exit_code == 2
    assert "names 2 documents" in both.output and "compilation-saved-again.pdf" in both.output
    unknown = cli("cited", "A/HRC/WG.6/34/SVN/3", "--index", index)
    assert unknown.exit_code == 2 and "no such file, nor in the index" in unknown.output


def test_evidence_of_an_ask_cited_before_its_report_is_indexed_lists_where(
    tmp_path: Path,
) -> None:
    # review5 M6: with only the 2019 compilation indexed, `evidence A/HRC/28/15 115.22` said
    # "no recommendation 115.22 in A/HRC/28/15 in the index" and exited 2, bad usage, though
    # `cited` lists the citation as waiting for its report.
    index = ingested(("cit_svn2019_compilation_notes.pdf",), tmp_path / "index.sqlite")
    shown = cli("evidence", "A/HRC/28/15", "115.22", "--index", index)
    assert shown.exit_code == 0, shown.output
    listed = "A/HRC/WG.6/34/SVN/2 (un_compilation, p. 5, note 9; context on p. 1) citation"
    assert listed in shown.output
    assert "for A/HRC/28/15 115.22 (its report, A/HRC/28/15, is not indexed yet)" in shown.output
    uncited = cli("evidence", "A/HRC/28/15", "115.999", "--index", index)
    assert uncited.exit_code == 2 and "no recommendation 115.999" in uncited.output
    missing = cli("cited", tmp_path / "no-such.pdf", "--index", index)
    assert missing.exit_code == 2 and "no such file" in missing.output


def test_one_record_is_counted_in_the_singular(tmp_path: Path) -> None:
    # newcomer: "1 evidence records for A/HRC/28/15 115.22", "wrote 1 documents to ...".
    index = ingested(("cit_svn2019_compilation_notes.pdf",), tmp_path / "index.sqlite")
    shown = cli("evidence", "A/HRC/28/15", "115.22", "--index", index)
    assert shown.output.splitlines()[-1].startswith("1 evidence record for A/HRC/28/15 115.22 ")
    out = tmp_path / "documents.csv"
    written = cli(
        "export", "--what", "documents", "--format", "csv", "--out", out, "--index", index
    )
    assert written.exit_code == 0 and f"wrote 1 document to {out}" in written.output
    out = tmp_path / "evidence.csv"
    written = cli("export", "--what", "evidence", "--format", "csv", "--out", out, "--index", index)
    assert written.exit_code == 0 and " evidence records to " in written.output


def test_evidence_before_its_report_shows_the_states_answer_in_an_indexed_addendum(
    tmp_path: Path,
) -> None:
    # review7 M2: with Slovenia 2014's Add.1 indexed and its report not, the Add.1's comment on
    # 115.18 ("We consider that this recommendation is implemented. ...") is stored under the
    # bare index "18", which `waiting_evidence` never matched: `uprdex evidence A/HRC/28/15
    # 115.18` said "no recommendation 115.18 in A/HRC/28/15 in the index" and exited 2.
    index = ingested(("svn2014_addendum.pdf",), tmp_path / "index.sqlite")
    shown = cli("evidence", "A/HRC/28/15", "115.18", "--index", index)
    assert shown.exit_code == 0, shown.output
    # Which list's 18 only the report says (review8: 116.18, a list Slovenia 2014 has not,
    # showed the same answer): the line says it may be another list's.
    bare = "(answers a no. 18: of this list or another, which the report, not indexed yet, says)"
    assert f"A/HRC/28/15/Add.1 (addendum, p. 2) State's comment {bare}: We consider that" in (
        " ".join(shown.output.split())
    )
    assert f"the State's answer {bare}: accepted; considered already implemented" in (
        " ".join(shown.output.split())
    )
    assert "(its report, A/HRC/28/15, is not indexed yet)" in shown.output
    # Once the report is indexed, the comment is 115.18's, no longer by a bare number.
    ingested(("slovenia2014_recs.pdf",), index)
    linked = cli("evidence", "A/HRC/28/15", "115.18", "--index", index)
    assert "We consider that this recommendation is implemented" in linked.output
    assert "answers a no." not in linked.output and "not indexed yet" not in linked.output


def test_evidence_of_an_ask_whose_report_failed_names_the_failed_file_not_indexed_yet(
    tmp_path: Path,
) -> None:
    # left9: with Slovenia 2014's report failed to read (a broken download, copied to the
    # quarantine by `uprdex run`) and the 2019 compilation citing it indexed, `evidence
    # A/HRC/28/15 115.22` said "(its report, A/HRC/28/15, is not indexed yet)", as if it were
    # only waiting, and nothing of the failed file. A failed file has no symbol: it may be it.
    from uprdex.pipeline.inbox import quarantine

    inbox = tmp_path / "data" / "inbox"
    inbox.mkdir(parents=True)
    broken = inbox / "slovenia2014.pdf"
    broken.write_bytes(fixture("slovenia2014_recs.pdf").read_bytes()[:20_000])
    index = ingested(("cit_svn2019_compilation_notes.pdf",), tmp_path / "data" / "index.sqlite")
    failed = cli("ingest", broken, "--index", index, "--workers", "1")
    assert failed.exit_code == 1, failed.output
    data = broken.read_bytes()
    sha256 = hashlib.sha256(data).hexdigest()
    quarantined = tmp_path / "data" / "quarantine"
    copy = quarantine(broken, data, sha256, "broken PDF", "extract", quarantined)
    shown = cli("evidence", "A/HRC/28/15", "115.22", "--index", index)
    assert shown.exit_code == 0, shown.output
    said = " ".join(shown.output.split())
    assert "not indexed yet" not in said
    assert (
        "(its report, A/HRC/28/15, is not in the index: it may be the file that could not be "
        "read, below)" in said
    )
    assert f"failed {broken}: broken PDF" in said
    assert f"(copied to {copy}; its error: {copy.name}.error.json)" in said
    uncited = cli("evidence", "A/HRC/28/15", "115.999", "--index", index)
    assert uncited.exit_code == 2
    assert "its report may be the file that could not be read" in " ".join(uncited.output.split())


def test_evidence_finds_the_quarantine_copy_of_a_failed_file_in_an_inbox_subfolder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # review23 finding 13: the copy was looked for beside the file's folder's folder
    # (data/inbox/2019/x.pdf gave data/inbox/quarantine) or in the quarantine of the folder
    # the command ran in: a file in a subfolder of the inbox never showed its copy.
    from uprdex.pipeline.inbox import quarantine

    year = tmp_path / "data" / "inbox" / "2019"
    year.mkdir(parents=True)
    broken = year / "slovenia2014.pdf"
    broken.write_bytes(fixture("slovenia2014_recs.pdf").read_bytes()[:20_000])
    index = ingested(("cit_svn2019_compilation_notes.pdf",), tmp_path / "data" / "index.sqlite")
    assert cli("ingest", broken, "--index", index, "--workers", "1").exit_code == 1
    data = broken.read_bytes()
    sha256 = hashlib.sha256(data).hexdigest()
    quarantined = tmp_path / "data" / "quarantine"
    copy = quarantine(broken, data, sha256, "broken PDF", "extract", quarantined)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # no workspace here: its quarantine is not this one
    said = " ".join(cli("evidence", "A/HRC/28/15", "115.22", "--index", index).output.split())
    assert f"failed {broken}: broken PDF" in said
    assert f"(copied to {copy}; its error: {copy.name}.error.json)" in said


def test_evidence_shows_but_does_not_count_the_reports_own_comments(index: Path) -> None:
    """A report is not evidence of itself (the export contract): "68. Albania considers that
    recommendations Nos. 8, 9, ... above are either already implemented ..." (A/HRC/13/6) is
    shown beside 67.8 as the State's comment in the report itself, and not counted."""
    runner = CliRunner()
    report = fixture("albania2010_recs.pdf")
    runner.invoke(main, ["ingest", str(report), "--index", str(index), "--workers", "1"])
    shown = runner.invoke(main, ["evidence", "A/HRC/13/6", "67.8", "--index", str(index)])
    assert shown.exit_code == 0, shown.output
    assert "State's comment in the report itself: Albania considers" in shown.output
    assert "0 evidence records for A/HRC/13/6 67.8 (not counted: the State's comment in the" in (
        shown.output
    )


def test_a_file_that_failed_fails_again_on_the_next_ingest(tmp_path: Path) -> None:
    runner = CliRunner()
    index = str(tmp_path / "index.sqlite")
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"<html>404</html>")
    for _ in range(2):
        result = runner.invoke(main, ["ingest", str(broken), "--index", index, "--workers", "1"])
        assert result.exit_code == 1, result.output
        assert "broken.pdf: an HTML page" in result.output
        assert "0 unchanged, 1 failed" in result.output


def test_the_same_file_at_two_paths_is_read_once(tmp_path: Path) -> None:
    first, second = tmp_path / "a.pdf", tmp_path / "b.pdf"
    shutil.copy(fixture("andorra2011_recs.pdf"), first)
    shutil.copy(first, second)
    index = str(tmp_path / "index.sqlite")
    result = CliRunner().invoke(
        main, ["ingest", str(first), str(second), "--index", index, "--workers", "1"]
    )
    assert result.exit_code == 0, result.output
    assert "1 indexed, 0 unchanged, 0 failed, 1 copy of another file" in result.output
    assert f"copy {second}: the same file as {first} (indexed)" in result.output


def test_ingest_of_a_mistyped_path_is_one_line_and_makes_no_index(tmp_path: Path) -> None:
    # `uprdex ingest ~/Downloads/upr/` (README) before that folder exists made data/index.sqlite
    # and printed "0 files: 0 indexed, 0 unchanged, 0 failed. Index ..." above the error.
    missing = tmp_path / "Downloads" / "upr"
    index = tmp_path / "data" / "index.sqlite"
    result = CliRunner().invoke(main, ["ingest", str(missing), "--index", str(index)])
    assert result.exit_code == 2
    assert result.output.strip() == f"error {missing}: no such file or folder"
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_read_commands_need_an_existing_index(tmp_path: Path) -> None:
    runner = CliRunner()
    missing = tmp_path / "typo.sqlite"
    for command in (["recs"], ["export", "--what", "documents", "--format", "json"], ["clusters"]):
        result = runner.invoke(main, [*command, "--index", str(missing)])
        assert result.exit_code == 2, command
        assert f"no index at {missing}" in result.output
    assert not missing.exists()
    status = runner.invoke(main, ["status", "--index", str(missing)])
    assert status.exit_code == 0 and "No index at" in status.output
    not_a_database = tmp_path / "notes.sqlite"
    not_a_database.write_text("hello, not a database\n" * 100)
    bad = runner.invoke(main, ["recs", "--index", str(not_a_database)])
    assert bad.exit_code == 2
    assert "not an uprdex index" in bad.output and "Traceback" not in bad.output


def test_a_command_refused_for_its_index_leaves_nothing_behind(tmp_path: Path) -> None:
    runner = CliRunner()
    missing = tmp_path / "nodir" / "x.sqlite"
    result = runner.invoke(main, ["cluster", "--index", str(missing)])
    assert result.exit_code == 2 and f"no index at {missing}" in result.output
    assert not missing.parent.exists()
    notes = tmp_path / "notes.md"
    notes.write_text("# not a database\n")
    result = runner.invoke(main, ["cluster", "--index", str(notes)])
    assert result.exit_code == 2 and "not an uprdex index" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.md"]


def test_an_output_that_cannot_be_written_is_one_line(index: Path, tmp_path: Path) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    for command in (
        ["export", "--what", "clusters", "--format", "csv", "--out", str(blocked / "x.csv")],
        ["report", "--out", str(blocked / "html")],
    ):
        result = CliRunner().invoke(main, [*command, "--index", str(index)])
        assert result.exit_code == 2, result.output
        assert f"cannot write {blocked}" in result.output
        assert f"{blocked} is a file, not a folder" in result.output
        assert "Traceback" not in result.output and len(result.output.splitlines()) == 1


def test_a_missing_inbox_is_a_usage_error(tmp_path: Path) -> None:
    missing = tmp_path / "nope"
    result = CliRunner().invoke(
        main, ["run", "--inbox", str(missing), "--index", str(tmp_path / "i.sqlite")]
    )
    assert result.exit_code == 2
    assert result.output.strip() == f"error no inbox folder at {missing}"
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_importing_a_file_that_is_not_text_names_it(tmp_path: Path) -> None:
    pdf = fixture("chad2009_recs.pdf")
    result = CliRunner().invoke(
        main, ["import", "upr-info", str(pdf), "--index", str(tmp_path / "i.sqlite")]
    )
    assert result.exit_code == 1
    assert "failed chad2009_recs.pdf: not a UTF-8 text file" in result.output
    assert len(result.output.splitlines()) == 1


def test_cluster_listing_limits_say_what_they_hide(index: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["cluster", "--index", str(index)]).exit_code == 0
    listed = runner.invoke(main, ["clusters", "--index", str(index), "--limit", "1"])
    assert listed.exit_code == 0
    assert listed.output.splitlines()[-1].startswith("1 of ")
    for bad in (["--limit", "-1"], ["--min-size", "0"]):
        assert runner.invoke(main, ["clusters", *bad, "--index", str(index)]).exit_code == 2


def test_cluster_settings_are_remembered_until_defaults(index: Path) -> None:
    runner = CliRunner()
    chosen = runner.invoke(
        main, ["cluster", "--threshold", "70", "--action-weight", "0", "--index", str(index)]
    )
    # With the weighted mix, the rule finds the recurring asks (the link model reads the pair
    # model's scores).
    assert "action weight 0, recurring asks by the rule, >= 70)" in chosen.output
    remembered = runner.invoke(main, ["cluster", "--index", str(index)]).output
    assert "action weight 0, recurring asks by the rule, >= 70)" in remembered
    defaults = ClusterSettings()
    # The options of the weighted mix chose it; the defaults are the pair model's.
    expected = f"(state, the pair model, >= {defaults.threshold:g})"
    again = runner.invoke(main, ["cluster", "--defaults", "--index", str(index)])
    assert again.exit_code == 0 and expected in again.output
    assert expected in runner.invoke(main, ["cluster", "--index", str(index)]).output
    bad = runner.invoke(main, ["cluster", "--action-weight", "-1", "--index", str(index)])
    assert bad.exit_code == 2 and "action_weight must be in [0, 100]" in bad.output
    strict = runner.invoke(main, ["cluster", "--granularity", "0", "--index", str(index)])
    assert strict.exit_code == 0 and ">= 70)" in strict.output
    broad = runner.invoke(main, ["cluster", "--granularity", "1", "--index", str(index)])
    assert broad.exit_code == 0 and ">= 35)" in broad.output
    assert (
        runner.invoke(main, ["cluster", "--granularity", "2", "--index", str(index)]).exit_code == 2
    )


def test_rule_recurrences_are_chosen_and_remembered(index: Path) -> None:
    # The learned link model is the default; the rule is a choice the index remembers.
    runner = CliRunner()
    assert ClusterSettings().learned_recurrence
    off = runner.invoke(main, ["cluster", "--rule-recurrences", "--index", str(index)])
    assert off.exit_code == 0 and "recurring asks by the rule" in off.output
    with Store(index) as store:
        assert not store.cluster_settings().learned_recurrence
    remembered = runner.invoke(main, ["cluster", "--index", str(index)])
    assert "recurring asks by the rule" in remembered.output
    on = runner.invoke(main, ["cluster", "--learned-recurrences", "--index", str(index)])
    assert on.exit_code == 0 and "by the rule" not in on.output
    with Store(index) as store:
        assert store.cluster_settings().learned_recurrence


def test_bad_worker_count_is_a_usage_error(tmp_path: Path) -> None:
    index = tmp_path / "index.sqlite"
    result = CliRunner().invoke(
        main,
        ["ingest", str(fixture("andorra2011_recs.pdf")), "--workers", "-3", "--index", str(index)],
    )
    assert result.exit_code == 2
    assert not index.exists()


def test_recommendation_ids_in_any_spelling(index: Path) -> None:
    runner = CliRunner()
    for args in (["A/HRC/28/15#115.8"], ["a/hrc/28/15", "115.8"], [" A/HRC/28/15 ", "115.8 "]):
        shown = runner.invoke(main, ["show", *args, "--index", str(index)])
        assert shown.exit_code == 0, args
        assert '"A/HRC/28/15#115.8"' in shown.output
    for command in ("show", "evidence"):  # an id that names nothing: bad usage, not a file
        unknown = runner.invoke(main, [command, "A/HRC/28/15", "999.9", "--index", str(index)])
        assert unknown.exit_code == 2, command
        assert "no recommendation 999.9 in A/HRC/28/15" in unknown.output


def test_search_takes_its_words_once_and_warns_on_unknown_states(index: Path) -> None:
    runner = CliRunner()
    assert "--search" not in runner.invoke(main, ["search", "--help"]).output
    result = runner.invoke(
        main, ["recs", "--state-under-review", "Narnia", "--index", str(index), "--json"]
    )
    assert result.exit_code == 0
    assert "'Narnia' is not a State name uprdex knows" in result.output


# review32: a misspelt State or theme gave 0 asks and a warning with no suggestion.
@pytest.mark.parametrize(
    ("option", "given", "meant"),
    [
        ("--state-under-review", "Slovnia", "Slovenia"),
        ("--recommending-state", "Kazakstan", "Kazakhstan"),
        ("--theme", "internatonal instruments", "International instruments"),
    ],
)
def test_a_misspelt_state_or_theme_is_answered_with_the_name_it_likely_means(
    index: Path, option: str, given: str, meant: str
) -> None:
    result = CliRunner().invoke(main, ["recs", option, given, "--index", str(index)])
    assert result.exit_code == 0, result.output
    assert f"(did you mean {meant}?)" in " ".join(result.output.split())
    # a name like none gets no suggestion
    other = CliRunner().invoke(main, ["recs", option, "Narnia", "--index", str(index)])
    assert "did you mean" not in other.output


def test_the_pending_note_names_the_addendum_that_would_answer_the_asks(index: Path) -> None:
    # review32: the CLI said "its addendum (`uprdex ingest FILE.pdf`)" where the HTML report
    # names it (A/HRC/28/15/Add.1: Slovenia 2014's answers, not in this index).
    for command in (("recs",), ("search", "rights")):
        said = cli(*command, "--state", "Slovenia", "--response", "noted", "--index", index)
        assert said.exit_code == 0, said.output
        note = " ".join(said.stderr.split())
        assert "are pending: no answer of the State's to them is indexed" in note, command
        assert "its addendum, A/HRC/28/15/Add.1 (`uprdex ingest FILE.pdf`)" in note, command


def test_csv_writes_booleans_as_json_does(index: Path) -> None:
    runner = CliRunner()
    runner.invoke(main, ["cluster", "--index", str(index)])
    result = runner.invoke(
        main, ["export", "--what", "clusters", "--format", "csv", "--index", str(index)]
    )
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert rows and {row["recurring"] for row in rows} <= {"true", "false"}


def test_cited_tells_a_document_that_cites_nothing_from_one_not_indexed(
    index: Path, tmp_path: Path
) -> None:
    runner = CliRunner()
    report = runner.invoke(
        main, ["cited", str(fixture("andorra2011_recs.pdf")), "--index", str(index)]
    )
    assert report.exit_code == 2 and "not in the index" in report.output
    folder = runner.invoke(main, ["cited", str(tmp_path), "--index", str(index)])
    assert folder.exit_code == 2 and "a folder: give one of its documents" in folder.output
    own = runner.invoke(
        main, ["cited", str(fixture("algeria2008_recs.pdf")), "--index", str(index)]
    )
    assert own.exit_code == 0 and "0 citations" in own.output


def test_cited_on_a_file_that_was_not_read_says_so(tmp_path: Path) -> None:
    runner = CliRunner()
    index = str(tmp_path / "index.sqlite")
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"<html>404</html>")
    runner.invoke(main, ["ingest", str(broken), "--index", index, "--workers", "1"])
    result = runner.invoke(main, ["cited", str(broken), "--index", index])
    assert result.exit_code == 1
    assert "it was not read" in result.output and "0 citations" not in result.output


def test_search_json_has_plain_snippets_and_the_matched_words(index: Path) -> None:
    result = CliRunner().invoke(
        main, ["search", "migrant workers", "--json", "--index", str(index)]
    )
    hits = [json.loads(line) for line in result.output.splitlines()]
    assert hits
    assert not any("\x02" in hit["snippet"] or "\x03" in hit["snippet"] for hit in hits)
    assert {word.lower() for hit in hits for word in hit["matched"]} <= {"migrant", "workers"}


def test_files_in_a_folder_that_are_not_pdfs_are_named(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(fixture("andorra2011_recs.pdf"), folder / "report.pdf")
    shutil.copy(fixture("svn2014_thematic_list.docx"), folder / "sub" / "list.docx")
    (folder / "letter.doc").write_bytes(b"PK\x03\x04 a Word file")
    (folder / ".DS_Store").write_bytes(b"\x00")
    result = CliRunner().invoke(
        main, ["ingest", str(folder), "--index", str(tmp_path / "i.sqlite"), "--workers", "1"]
    )
    assert result.exit_code == 0, result.output
    assert "list.docx: not a PDF, left out (an OHCHR thematic list is read by" in result.output
    assert "letter.doc: not a PDF, left out" in result.output
    assert ".DS_Store" not in result.output


def test_a_folder_without_pdfs_is_named(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = CliRunner().invoke(
        main, ["ingest", str(tmp_path / "empty"), "--index", str(tmp_path / "i.sqlite")]
    )
    assert result.exit_code == 0
    assert "empty: no PDF files in this folder" in result.output


def test_recs_says_when_a_limit_hides_rows(index: Path) -> None:
    result = CliRunner().invoke(
        main, ["recs", "--index", str(index), "--state-under-review", "Slovenia", "--limit", "2"]
    )
    assert result.output.rstrip().endswith("2 of 30 recommendations")


def test_recs_table_in_an_80_column_terminal_cuts_no_id_and_no_word(index: Path) -> None:
    # probe2: at 80 columns every id read "A/HRC/28/…" and every cluster "c-a00662fa…", and
    # long words lost their ends ("electrici…"): the table named no recommendation.
    # review5: keeping the ids whole made the table 84 wide, and the terminal broke every line.
    rows = [
        json.loads(line) for line in cli("recs", "--index", index, "--json").output.splitlines()
    ]
    for columns in (80, 60):
        narrow = CliRunner(env={"COLUMNS": str(columns)})
        table = narrow.invoke(main, ["recs", "--index", str(index), "--state", "Slovenia"]).output
        assert "…" not in table
        assert max(len(line) for line in table.splitlines()) <= columns
        for row in rows:
            if row["state_under_review"] == "Slovenia":
                assert row["id"] in table and row["cluster_id"] in table


def test_report_on_a_state_the_index_does_not_hold_writes_nothing(
    index: Path, tmp_path: Path
) -> None:
    out = tmp_path / "html"
    result = CliRunner().invoke(
        main,
        ["report", "--index", str(index), "--state-under-review", "Atlantis", "--out", str(out)],
    )
    assert result.exit_code == 2  # review5 M6: what the index does not hold, as show's
    assert "no recommendations to Atlantis in the index" in result.output
    assert not out.exists() or not any(out.iterdir())
    held = CliRunner().invoke(
        main,
        ["report", "--index", str(index), "--state-under-review", "Algeria", "--out", str(out)],
    )
    assert held.exit_code == 0 and any(out.iterdir())


def _console_script(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    """`uprdex ARGS` as the console script runs it (`run`), after `code`."""
    script = (
        f"import sys; {code}; from uprdex.flows.cli import run; "
        "sys.argv = ['uprdex', *sys.argv[1:]]; run()"
    )
    return subprocess.run(
        [sys.executable, "-c", script, *args], capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize(
    "args",
    [
        ["recs"],
        ["search", "rights"],
        ["clusters"],
        ["evidence", "A/HRC/28/15", "115.22"],
        ["show", "A/HRC/28/15", "115.22"],
        *(
            ["export", "--what", "recommendations", "--format", fmt]
            for fmt in ("jsonl", "csv", "json")
        ),
    ],
    ids=lambda args: "-".join(args[:1] + args[4:]),
)
def test_every_printing_command_ends_a_closed_pipe_with_141_not_1(
    index: Path, args: list[str]
) -> None:
    # `uprdex export ... | head` exited 1, which README gives to "some files failed", and rich
    # ended `uprdex recs | head` with 1 too: a closed pipe now ends every printing command
    # quietly with 141 (128 + SIGPIPE), as `cat` or `grep` end in a pipe.
    script = "import sys; from uprdex.flows.cli import run; sys.argv[0] = 'uprdex'; run()"
    # The reader is gone before the first write (the 47 records, 60 kB, would fit in the
    # pipe: read one line first, and the export may finish before the reader goes).
    process = subprocess.Popen(
        [sys.executable, "-c", script, *args, "--index", str(index)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()
    assert process.wait(timeout=120) == 141
    assert process.stderr.read() == b""


def test_csv_export_into_a_pipe_closed_after_some_output_ends_with_141(index: Path) -> None:
    # review13: with PYTHONUNBUFFERED=1 the whole CSV went out in one write; when the reader
    # left mid-way the write came back short with no error and the export ended 0, its output
    # cut. The pipe is made small (4 kB) so that the 60 kB export cannot fit in it.
    script = "import sys; from uprdex.flows.cli import run; sys.argv[0] = 'uprdex'; run()"
    read_end, write_end = os.pipe()
    fcntl.fcntl(write_end, 1031, 4096)  # F_SETPIPE_SZ
    args = ["export", "--what", "recommendations", "--format", "csv", "--index", str(index)]
    process = subprocess.Popen(
        [sys.executable, "-c", script, *args],
        stdout=write_end,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    os.close(write_end)
    with os.fdopen(read_end, "rb") as reader:
        assert reader.readline().startswith(b"id,")
    assert process.wait(timeout=120) == 141
    assert process.stderr is not None and process.stderr.read() == b""


def test_console_script_keeps_exit_codes_output_and_atexit_handlers(tmp_path: Path) -> None:
    # `run` ends the process without the interpreter's teardown (0.3-0.5 s after spaCy): what a
    # user sees must stay as Python's own end gives it.
    handler = "import atexit; atexit.register(lambda: print('handler ran', flush=True))"
    missing = _console_script(handler, "recs", "--index", str(tmp_path / "none.sqlite"))
    assert missing.returncode == 2
    assert "no index at" in missing.stderr
    assert missing.stdout.strip() == "handler ran"
    ingested = _console_script(
        handler, "ingest", str(fixture("andorra2011_recs.pdf")), "--index", str(tmp_path / "i.db")
    )
    assert ingested.returncode == 0, ingested.stderr
    assert "1 indexed" in ingested.stdout and ingested.stdout.rstrip().endswith("handler ran")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["i.db", "i.db.lock"]  # no -wal left


@pytest.mark.parametrize(
    ("command", "state"), [("recs", "Slovenia"), ("clusters", "Slovenia"), ("report", "Algeria")]
)
def test_state_is_short_for_the_state_under_review(
    command: str, state: str, index: Path, tmp_path: Path
) -> None:
    out = ["--out", str(tmp_path / "html")] if command == "report" else []
    (tmp_path / "html").mkdir()  # else the first says it made the folder (review30)
    long, short = (
        CliRunner().invoke(main, [command, "--index", str(index), flag, state, *out])
        for flag in ("--state-under-review", "--state")
    )
    assert long.exit_code == short.exit_code == 0
    assert short.output == long.output
    everyone = CliRunner().invoke(main, [command, "--index", str(index), *out])
    assert everyone.output != short.output


def test_status_counts_the_documents_an_earlier_release_read(index: Path, tmp_path: Path) -> None:
    copy = copy_index(index, tmp_path / "index.sqlite")
    before = CliRunner().invoke(main, ["status", "--index", str(copy)])
    assert "earlier release" not in before.output
    as_an_earlier_release_left_it(copy, "none")
    after = CliRunner().invoke(main, ["status", "--index", str(copy)])
    documents = CliRunner().invoke(
        main, ["export", "--what", "documents", "--format", "jsonl", "--index", str(copy)]
    )
    indexed = sum(json.loads(line)["status"] == "indexed" for line in documents.output.splitlines())
    assert (
        f"documents read by an earlier uprdex (release or theme model): {indexed} (" in after.output
    )


def test_status_says_the_clusters_were_made_with_other_models(index: Path, tmp_path: Path) -> None:
    # After an upgrade that ships retrained models (or `uprdex train-*` into the shipped
    # folders), the clusters are the old models' until something clusters them again.
    copy = copy_index(index, tmp_path / "index.sqlite")
    before = CliRunner().invoke(main, ["status", "--index", str(copy)])
    assert "clusters made with other" not in before.output
    as_older_models_clustered_it(copy)
    after = CliRunner().invoke(main, ["status", "--index", str(copy)])
    assert "clusters made with other models or settings than this uprdex's" in after.output


def test_status_tells_what_it_holds_when_a_clustering_model_cannot_be_read(
    index: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # [clusters] names a similarity model folder that holds none: status reads the model's
    # version from its folder (pipeline/model_versions.py), and says what it cannot read.
    monkeypatch.setenv("UPRDEX_CLUSTERS_SIMILARITY_MODEL", str(tmp_path))
    status = CliRunner().invoke(main, ["status", "--index", str(index)])
    assert status.exit_code == 0
    assert "recommendations: " in status.output
    assert "cannot tell what the clusters were made with: no similarity model" in status.output


def test_status_counts_the_corrections_whose_asks_are_gone(index: Path, tmp_path: Path) -> None:
    # A release that reads a report otherwise may number its asks otherwise.
    copy = copy_index(index, tmp_path / "index.sqlite")
    db = sqlite3.connect(copy)
    with db:
        (held,) = db.execute("SELECT id FROM recommendations ORDER BY id LIMIT 1").fetchone()
        pair = sorted([held, "A/HRC/99/9#199.1"])
        db.execute(
            "INSERT INTO cluster_corrections (first, second, kind) VALUES (?, ?, 'link')", pair
        )
    db.close()
    status = CliRunner().invoke(main, ["status", "--index", str(copy)])
    assert "corrections naming an ask not in this index: 1 (" in status.output


def test_an_export_to_dash_goes_to_standard_output(
    index: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # probe: `--out -` wrote a file named "-" in the working folder.
    monkeypatch.chdir(tmp_path)
    arguments = ["export", "--what", "documents", "--format", "jsonl", "--index", str(index)]
    result = CliRunner().invoke(main, [*arguments, "--out", "-"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output.splitlines()[0])["sha256"]
    assert not (tmp_path / "-").exists()


def test_listings_over_many_states_name_the_state_reviewed(index: Path) -> None:
    # probe3: over the whole index, `recs --search OPCAT` printed "A/HRC/15/9#93.6  Slovenia
    # ... Provide a legislative basis for the OPCAT ...": Armenia's review of 2010, which
    # Slovenia asked, read as Slovenia's own; search and clusters named no State reviewed.
    for columns in (100, 50):
        table = CliRunner(env={"COLUMNS": str(columns)}).invoke(
            main, ["recs", "--index", str(index)]
        )
        assert "Algeria 2008" in table.output and "Slovenia 2014" in table.output
    narrow = CliRunner(env={"COLUMNS": "50"}).invoke(main, ["recs", "--index", str(index)])
    assert "review of Algeria 2008\nasked by " in narrow.output
    found = cli("search", "torture", "--index", index).output
    assert "review of Algeria 2008 (" in found or "review of Slovenia 2014 (" in found
    runner = CliRunner(env={"COLUMNS": "200"})
    runner.invoke(main, ["cluster", "--index", str(index)])
    listed = runner.invoke(main, ["clusters", "--index", str(index), "--min-size", "2"]).output
    headers = [line for line in listed.splitlines() if line.startswith("c-")]
    assert headers and all(" to Slovenia" in h or " to Algeria" in h for h in headers)


def test_recs_and_export_keep_the_asks_of_one_theme(index: Path) -> None:
    # probe3: "how many death-penalty asks per cycle, and how many supported?" had no answer
    # from recs or export: no filter read the `themes` they print.
    everything = [
        json.loads(line) for line in cli("recs", "--index", index, "--json").output.splitlines()
    ]
    theme = "International instruments"
    expected = [row["id"] for row in everything if theme in row["themes"]]
    assert 0 < len(expected) < len(everything)
    for given in (theme, theme.upper()):
        found = cli("recs", "--index", index, "--theme", given, "--json").output.splitlines()
        assert [json.loads(line)["id"] for line in found] == expected
    exported = cli(
        "export",
        "--what",
        "recommendations",
        "--format",
        "jsonl",
        "--index",
        index,
        "--theme",
        theme,
        "--response",
        "supported",
    ).stdout.splitlines()  # stderr may say how many asks are pending (review25)
    supported = [
        row["id"] for row in everything if theme in row["themes"] and row["response"] == "supported"
    ]
    assert [json.loads(line)["id"] for line in exported] == supported
    typo = CliRunner().invoke(main, ["recs", "--index", str(index), "--theme", "Internatonal"])
    assert "--theme 'Internatonal' is not a theme of this index" in typo.output
    assert "0 recommendations" in typo.output


def test_search_counts_one_result_in_the_singular(index: Path) -> None:
    # probe3: `uprdex search OPCAT --state Cyprus` ended "1 results". (Not with --limit 1:
    # "migrant workers" matches 3, and a cut list says "1 of 3 results", review22.)
    found = cli("search", "migrant workers", "--recommending-state", "Iran", "--index", index)
    assert found.output.rstrip().endswith("\n1 result"), found.output


def test_search_limit_0_shows_every_match_as_recs_limit_0_does(index: Path) -> None:
    # review22 finding 7: `search` refused --limit 0, which `recs` reads as "all".
    every = cli("search", "rights", "--limit", "0", "--index", index)
    assert every.exit_code == 0, every.output
    shown = [line for line in every.output.splitlines() if " review of " in line]
    assert len(shown) > 20  # more than the default limit shows
    assert every.output.rstrip().endswith(f"\n{len(shown)} results")
    first = cli("search", "rights", "--index", index).output
    assert first.rstrip().endswith(f"\n20 of {len(shown)} results"), first


def test_evidence_of_an_ask_not_in_its_indexed_report_does_not_say_the_report_may_have_failed(
    tmp_path: Path,
) -> None:
    # review10: with A/HRC/28/15 indexed and any file failed (here a broken download of
    # another report), `evidence A/HRC/28/15 115.999` (a typo, no such ask) said "its report may
    # be the file that could not be read", though its report is in the index.
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    broken = inbox / "andorra2011.pdf"
    broken.write_bytes(fixture("andorra2011_recs.pdf").read_bytes()[:20_000])
    index = ingested(("slovenia2014_recs.pdf",), tmp_path / "index.sqlite")
    assert cli("ingest", broken, "--index", index, "--workers", "1").exit_code == 1
    assert cli("recs", "--index", index, "--limit", "1").exit_code == 0
    shown = cli("evidence", "A/HRC/28/15", "115.999", "--index", index)
    assert shown.exit_code == 2
    said = " ".join(shown.output.split())
    assert "no recommendation 115.999 in A/HRC/28/15 in the index" in said
    assert "may be the file that could not be read" not in said, said


def test_a_theme_of_an_index_without_themes_is_not_answered_with_an_empty_list(
    tmp_path: Path,
) -> None:
    # smalls37: on an empty index `recs --theme Torture` warned "... is not a theme of this
    # index, whose themes are:  (`uprdex themes` counts their asks)": an empty list.
    index = tmp_path / "new.sqlite"
    with Store(index):
        pass
    said = cli("recs", "--theme", "Torture", "--index", index)
    assert said.exit_code == 0, said.output
    assert said.stderr.strip() == (
        "warning --theme 'Torture' is not a theme of this index: none of its recommendations "
        "has a theme yet"
    ), said.stderr


@pytest.mark.parametrize(
    "command",
    [
        ("show", "A/HRC/28/15#115.22"),
        ("recs",),
        ("search", "torture"),
        ("clusters",),
        ("export", "--what", "recommendations", "--format", "csv"),
    ],
)
def test_a_folder_given_as_index_is_said_in_one_line_as_uprdex_index_says_it(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    # smalls37: `--index ~/upr` (a folder) ended in click's usage and "Invalid value for
    # '--index': File '~/upr' is a directory.", five lines, where UPRDEX_INDEX=~/upr says one
    # (`inbox.not_a_folder`).
    folder = tmp_path / "upr"
    folder.mkdir()
    said = cli(*command, "--index", folder)
    assert said.exit_code == 2, said.output
    assert said.stderr.strip() == (
        f"error {folder} is a folder, not an index file: name a file in it "
        f"({folder / 'index.sqlite'})"
    ), said.stderr
