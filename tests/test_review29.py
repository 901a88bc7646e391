"""review29: findings of the review of d607f44..458a470, as strict xfails."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from uprdex.flows.cli import main

from helpers import fixture

# Finding 1: one file named twice in one `uprdex ingest` (as a file and inside a folder given
# too, or twice) is said as a copy of itself: 'copy t/a.pdf: the same file as t/a.pdf
# (indexed)' and '2 files: 1 indexed, ..., 1 copy of another file': there is one file.


def test_a_file_named_twice_is_not_a_copy_of_another_file(tmp_path: Path) -> None:
    folder = tmp_path / "t"
    folder.mkdir()
    shutil.copy(fixture("andorra2011_recs.pdf"), folder / "a.pdf")
    index = str(tmp_path / "index.sqlite")
    result = CliRunner().invoke(
        main, ["ingest", str(folder), str(folder / "a.pdf"), "--index", index, "--workers", "1"]
    )
    assert result.exit_code == 0, result.output
    assert "copy of another file" not in result.output, result.output
    assert "1 file: 1 indexed" in result.output, result.output


# Finding 2: the written-out names of the normalizer's abbreviations are matched by their
# words' stems, and the Snowball stem of British "organisation" ("organis") is not that of
# "organization" ("organ"): on an index of 32,069 asks (4 WG reports + UPR Info's export),
# `search "non-governmental organization"` gives 205 results (note: also searched NGO, NGOs),
# `search "non-governmental organisation"` 1 result and no note; "civil society
# organisations" 5, not widened to CSO (86). ILO's row in data/search_aliases.csv spells
# both; the normalizer's abbreviations do not.
@pytest.mark.parametrize("words", ["non-governmental organisation", "civil society organisations"])
def test_a_british_spelling_of_a_written_out_name_is_widened_too(words: str) -> None:
    from uprdex.pipeline.store.search_terms import search_terms

    assert any(term.also for term in search_terms(words)), search_terms(words)


# Finding 3: in one `uprdex ingest` of a folder, a failed file's line names it as
# `FileNames.line` does ("failed truncated.pdf: broken PDF ..."), and the line of its copy
# names it by the path given ("copy in/zz.pdf: the same file as in/truncated.pdf (failed)"):
# the reader is to see that "truncated.pdf" and "in/truncated.pdf" are one file.


def test_a_copy_names_its_failed_first_file_as_the_failure_line_does(tmp_path: Path) -> None:
    from hostile import _scan

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "c.pdf").write_bytes(_scan())
    shutil.copy(folder / "c.pdf", folder / "d.pdf")
    index = str(tmp_path / "index.sqlite")
    result = CliRunner().invoke(main, ["ingest", str(folder), "--index", index, "--workers", "1"])
    assert result.exit_code == 1, result.output
    failure = next(line for line in result.output.splitlines() if line.startswith("needs_ocr "))
    named = failure.split()[1].rstrip(":")
    assert f"the same file as {named} (needs_ocr)" in result.output, result.output
