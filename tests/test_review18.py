"""review18: a researcher's review on documents no other test uses; each finding pinned (xfail)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from uprdex.pipeline.store import Store

from helpers import cli, ingested

# A/HRC/14/15#111.78: "To adopt legislative and other measures aimed at including all “erased
# persons”, regardless of where they currently reside"; #111.51: "To continue its efforts to
# effectively protect children’s rights and to combat child trafficking, child prostitution and
# pornography". Neither is restated by the sentences below, which share a word or two with them.
NOT_PARAPHRASES = [
    pytest.param(
        "svn2014_national_report_p11.pdf",
        "A/HRC/14/15#111.78",
        "The current legislation on night work guarantees special protection for night workers",
        id="night-work-is-not-erased-persons",
    ),
    pytest.param(
        "svn2014_compilation_p4.pdf",
        "A/HRC/14/15#111.51",
        "CRC welcomed the creation of a Child Observatory.",
        id="child-observatory-is-not-child-trafficking",
    ),
]


# review18 finding 1 (fixed by echo5's default, typical+object at 0.40: a sentence's words that
# no ask uses count in its length, so the two, 0.506 and 0.53 with the old score, score 0.362
# and 0.179 now).
@pytest.mark.parametrize(("document", "recommendation", "sentence"), NOT_PARAPHRASES)
def test_a_sentence_on_another_subject_is_no_paraphrase_evidence(
    tmp_path: Path, document: str, recommendation: str, sentence: str
) -> None:
    index = ingested(("slovenia2010_recs_all.pdf", document), tmp_path / "index.sqlite")
    with Store(index) as store:
        echoes = [
            row["context"]
            for row in store.db.execute(
                "SELECT context FROM evidence WHERE kind = 'paraphrase' AND recommendation_id = ?",
                (recommendation,),
            )
        ]
    assert not [context for context in echoes if context.startswith(sentence)]


def test_a_failed_file_in_a_sub_folder_is_named_with_its_folder(tmp_path: Path) -> None:
    # review18 finding 2 (fixed by `loader.named_under`): ingest and run named a failed file
    # by its base name only, so two inbox sub-folders' report.pdf could not be told apart.
    inbox = tmp_path / "inbox"
    (inbox / "2014").mkdir(parents=True)
    (inbox / "2019").mkdir()
    (inbox / "2014" / "report.pdf").write_bytes(b"not a PDF, a saved web page\n")
    (inbox / "2019" / "report.pdf").write_bytes(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog")
    result = cli("ingest", inbox, "--index", tmp_path / "index.sqlite", "--workers", "1")
    assert result.exit_code == 1, result.output
    failed = [line for line in result.output.splitlines() if line.startswith("failed ")]
    assert len(failed) == 2, result.output
    for folder in ("2014", "2019"):
        assert [line for line in failed if f"{folder}/report.pdf" in line], failed


def test_the_infographic_of_a_third_cycle_review_is_of_cycle_3(
    shared_data: Path, tmp_path: Path
) -> None:
    infographic = tmp_path / "Slovenia_Infographic.pdf"
    shutil.copyfile(shared_data / "slovenia" / "cycle3" / "Slovenia_Infographic.pdf", infographic)
    index = tmp_path / "index.sqlite"
    assert cli("ingest", infographic, "--index", index, "--workers", "1").exit_code == 0
    exported = cli("export", "--what", "documents", "--format", "jsonl", "--index", index)
    documents = [json.loads(line) for line in exported.output.splitlines() if line.strip()]
    assert [(d["state_under_review"], d["cycle"]) for d in documents] == [("Slovenia", 3)]
