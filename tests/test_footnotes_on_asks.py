"""The footnotes a WG report prints on its asks, kept with them (review25 finding 6): "The
recommendation as read during the interactive dialogue: ..." gives the ask as the State heard
it, and was dropped with the page's other footnotes. saudiarabia2013_asread.pdf holds A/HRC/25/3's
pages 13-15 (fixture pages 3-5): 138.5 "(Tunisia);" ends page 13 with its marker 1, whose note is
printed on page 14; the loader glues notes 2-7's markers to the line above ("... and the Rome
Statute”. 2"); note 7 runs on to page 15."""

from __future__ import annotations

import html
import json
from pathlib import Path

from uprdex.pipeline.loader import load_pdf
from uprdex.pipeline.model import AskFootnote

from helpers import by_paragraph, cli, fixture, ingested, parsed

AS_READ = "The recommendation as read in the interactive dialogue "


def test_the_footnote_giving_the_ask_as_read_is_kept_with_it() -> None:
    # Fixture page 4 (A/HRC/25/3 p. 14): "138.18. Consider ratifying the ICCPR and the ICESCR
    # (Spain);5", note 5: "The recommendation as read in the interactive dialogue “Ratify the
    # ICCPR and the ICESCR”".
    asks = by_paragraph(parsed("saudiarabia2013_asread.pdf"))
    spain = asks["138.18"]
    assert spain.footnotes == (AskFootnote("5", 4, AS_READ + "“Ratify the ICCPR and the ICESCR”"),)
    # The ask itself is unchanged: its text, and its State list without the marker.
    assert spain.text == "Consider ratifying the ICCPR and the ICESCR"
    assert spain.recommending_states == ("Spain",)
    # Each marked ask has its own note, and no other ask takes one (not the page's "** The
    # conclusions and recommendations have not been edited.").
    marked = {rec.paragraph: [note.marker for note in rec.footnotes] for rec in asks.values()}
    assert {paragraph: markers for paragraph, markers in marked.items() if markers} == {
        "138.5": ["1"],
        "138.6": ["2"],
        "138.12": ["3"],
        "138.17": ["4"],
        "138.18": ["5"],
        "138.19": ["6"],
        "138.21": ["7"],
        "138.26": ["8"],
    }
    assert all(note.text.startswith(AS_READ) for rec in asks.values() for note in rec.footnotes)


def test_footnote_marker_glued_to_the_note_line_above_opens_its_own_note() -> None:
    # The loader reads note 2's marker at the end of note 1's last line: "ICESCR, OP-CAT, and
    # the Rome Statute”. 2". Note 1 kept it and note 2's text; note 2 was lost.
    asks = by_paragraph(parsed("saudiarabia2013_asread.pdf"))
    statute = (
        AS_READ + "“ Accelerate its accession to the ICCPR, ICESCR, OP-CAT, and the Rome Statute”."
    )
    assert [note.text for note in asks["138.6"].footnotes] == [statute]
    assert [note.text for note in asks["138.12"].footnotes] == [
        AS_READ + "“Continue the ratification the main international instruments on human "
        "rights, notably the ICESCR and ICCPR“."
    ]


def test_a_marker_ending_a_page_finds_its_note_on_the_next_page() -> None:
    # "138.5. Accelerate its accession to the ICCPR and ICESCR (Tunisia);1" is the last line of
    # page 3 (A/HRC/25/3 p. 13); note 1 is printed at the foot of page 4. Note 7 of page 4 runs
    # on to page 5 ("... and accede to the Agreement on Privileges and / Immunities”.").
    asks = by_paragraph(parsed("saudiarabia2013_asread.pdf"))
    (first,) = asks["138.5"].footnotes
    assert (asks["138.5"].page, first.page, first.marker) == (3, 4, "1")
    assert first.text.endswith("OP-CAT, and the Rome Statute”.")
    (runs_on,) = asks["138.21"].footnotes
    assert runs_on.text.endswith("accede to the Agreement on Privileges and Immunities”.")


def test_the_footnotes_are_in_the_record_and_show_brief(tmp_path: Path) -> None:
    # A researcher reads them in the record (`show`, the exports, the Python API) and in
    # `show --brief`.
    index = ingested(("saudiarabia2013_asread.pdf",), tmp_path / "index.sqlite")
    shown = cli("show", "A/HRC/25/3", "138.18", "--index", index)
    assert json.loads(shown.output)["footnotes"] == [
        {"marker": "5", "page": 4, "text": AS_READ + "“Ratify the ICCPR and the ICESCR”"}
    ]
    brief = cli("show", "A/HRC/25/3", "138.18", "--brief", "--index", index).output
    assert "footnote 5 (p. 4): The recommendation as read in the interactive dialogue" in brief
    exported = cli("export", "--what", "recommendations", "--format", "jsonl", "--index", index)
    records = {json.loads(line)["id"]: json.loads(line) for line in exported.output.splitlines()}
    assert records["A/HRC/25/3#138.21"]["footnotes"][0]["marker"] == "7"
    assert records["A/HRC/25/3#138.20"]["footnotes"] == []


def test_the_report_shows_each_footnote_with_its_ask(tmp_path: Path) -> None:
    # The HTML report's entry for 138.18 prints its note 5, marker and page, beside the ask.
    from uprdex.pipeline.report import write_report
    from uprdex.pipeline.store import Store

    index = ingested(("saudiarabia2013_asread.pdf",), tmp_path / "index.sqlite")
    with Store(index) as store:
        page = write_report(store, tmp_path / "html", "Saudi Arabia").read_text(encoding="utf-8")
    entry = page[page.index("<h3>A/HRC/25/3#138.18") :]
    entry = entry[: entry.index("</article>")]
    assert "Footnotes" in entry
    assert "5 (p. 4): " + html.escape(AS_READ + "“Ratify the ICCPR and the ICESCR”") in entry


def test_a_marker_printed_as_text_after_the_state_list_finds_its_note() -> None:
    # lesotho2010_chad3.pdf page 4 (A/HRC/15/7 p. 17): "... gender equality and so on (Chad)3;"
    # prints note 3's marker at body size on the baseline, so the loader reads no superscript;
    # 97.3 had no footnote. Botswana 2013 prints "6" alone on the line after "(New Zealand);"
    # (115.75, p. 18) and "8" after "(Congo);" (115.90, p. 19).
    lesotho = by_paragraph(parsed("lesotho2010_chad3.pdf"))
    (chad,) = lesotho["97.3"].footnotes
    assert (chad.marker, chad.page) == ("3", 4)
    assert chad.text.startswith("Recommendation originally read: “Integrate the various regional")
    assert chad.text.endswith("child welfare, gender equality and so on” (Chad).")
    assert lesotho["97.3"].text.endswith("gender equality and so on")
    assert [note.marker for note in lesotho["97.1"].footnotes] == ["2"]
    assert lesotho["97.2"].footnotes == ()
    botswana = by_paragraph(parsed("botswana2013_recs.pdf"))
    assert [(note.marker, note.page) for note in botswana["115.75"].footnotes] == [("6", 4)]
    assert (
        botswana["115.75"]
        .footnotes[0]
        .text.endswith("as recommended by CEDAW in 2010 (New Zealand).”")
    )
    assert [(note.marker, note.page) for note in botswana["115.90"].footnotes] == [("8", 5)]
    assert "indigenous populations (Congo)" in botswana["115.90"].footnotes[0].text


def test_a_superscript_marker_pdfium_puts_on_a_line_of_its_own_is_the_line_befores() -> None:
    # srilanka2012_split.pdf page 4 (A/HRC/22/16 p. 15): "127.27. ... for its implementation
    # (Iraq)⁷;": pdfium gives the raised "7" a line of its own, which the loader kept as a small
    # line low on the page, a note's marker line. So note 7 opened above note 1, 127.27 had no
    # footnote, and note 6, read as the page's last, took the end of note 7 from page 5.
    asks = by_paragraph(parsed("srilanka2012_split.pdf"))
    (seven,) = asks["127.27"].footnotes
    assert (seven.marker, seven.page) == ("7", 4)
    assert seven.text.endswith("and provide necessary funds for its implementation”.")
    (six,) = asks["127.26"].footnotes
    assert six.text.endswith("Human Rights and other relevant mechanisms.”")
    assert asks["127.27"].text.endswith("provide necessary funds for its implementation")
    assert asks["127.27"].recommending_states == ("Iraq",)
    # The marker is the line's: "(New Zealand);" then "6" (Botswana 2013 p. 18) is one line.
    page = load_pdf(fixture("botswana2013_recs.pdf")).pages[3]
    (line,) = [line for line in page.lines if line.text.endswith("(New Zealand);")]
    assert line.markers == ((len(line.text), "6"),)
    assert "6" not in [line.text for line in page.lines]
