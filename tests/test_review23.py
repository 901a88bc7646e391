"""review23: a code review of main's last two sessions (errnames, stopblock, fixrejected,
smalls, fixreview21, smalls2, ...). Each test pins one finding of /work/notes/REPORT-review23.md:
an xfail(strict=True) for what is left, a plain test for what this branch fixed."""

from __future__ import annotations

from pathlib import Path

from uprdex.pipeline.store import Store

BROKEN_PDF = b"%PDF-1.7\n" + b"\x00garbage" * 50


def test_a_thematic_list_pdf_that_cannot_be_read_is_named_once(tmp_path: Path) -> None:
    # `uprdex import thematic-list list.pdf` of a broken PDF said "failed list.pdf: cannot read
    # as thematic-list (list.pdf: broken PDF (...))": the loader's BadDocumentError names the
    # file in its message, and import_file named it again around it.
    from uprdex.flows.ingest import import_file

    bad = tmp_path / "list.pdf"
    bad.write_bytes(BROKEN_PDF)
    with Store(tmp_path / "index.sqlite") as store:
        result = import_file(bad, "thematic-list", store)
    assert result.outcome == "failed"
    assert str(result.error).count("list.pdf") == 1, result.error
    assert "broken PDF" in str(result.error), result.error
