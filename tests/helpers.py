"""What the tests share: the committed fixtures, the shared corpus, and small builders."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Any

from uprdex.extractors.wg_report import parse_wg_report
from uprdex.pipeline.loader import load_pdf
from uprdex.pipeline.model import Position, Recommendation, WgReport

if TYPE_CHECKING:
    from click.testing import Result

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"


def fixture(name: str) -> Path:
    """Path of a committed fixture PDF."""
    return FIXTURES / name


def ingested(names: tuple[str, ...], index: Path) -> Path:
    """`index` holding the fixtures `names`, ingested by `uprdex ingest` (one worker)."""
    from click.testing import CliRunner

    from uprdex.flows.cli import main

    arguments = ["ingest", *(str(fixture(name)) for name in names), "--index", str(index)]
    result = CliRunner().invoke(main, [*arguments, "--workers", "1"])
    assert result.exit_code == 0, result.output
    return index


def shared_ingested(names: tuple[str, ...], index: Path) -> Path:
    """`index` holding the ../shared/data files `names` (paths under it), ingested by `uprdex
    ingest` (one worker); the calling test is skipped, saying so, when the corpus is absent."""
    import pytest

    if not SHARED.exists():
        pytest.skip(f"shared corpus not found at {SHARED}: corpus tests skipped")
    result = cli("ingest", *(SHARED / name for name in names), "--index", index, "--workers", "1")
    assert result.exit_code == 0, result.output
    return index


def asks_by_id(index: Path, state_under_review: str) -> dict[str, dict[str, Any]]:
    """The recommendations of one State under review in `index`, by id, as the Python API
    gives them."""
    import uprdex

    with uprdex.open_index(index) as opened:
        recs = opened.recommendations(state_under_review=state_under_review)
        return {rec["id"]: rec for rec in recs}


def cli(*args: str | Path) -> Result:
    """The CLI in this process; a traceback (an exception other than the exit) fails the test."""
    from click.testing import CliRunner

    from uprdex.flows.cli import main

    result = CliRunner().invoke(main, [str(arg) for arg in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output, result.output
    return result


UPRDEX_MAIN = """
import sys
sys.argv[0] = "uprdex"  # as its console script is named
from uprdex.flows.cli import run
run()
"""
"""The `uprdex` command for `python -c`; a test's patch goes before it (`run_uprdex(script=)`)."""


def uprdex_env(api: str | None = None, home: Path | None = None, **more: str) -> dict[str, str]:
    """The environment a test starts `uprdex` in: the session's (conftest.py: Prefect's own
    home, no analytics, no warm uprdex) without what a test or the developer may have set (a
    Prefect API, its log level, an uprdex.toml or index), so that `uprdex run` starts its
    temporary Prefect server; or `api` as its Prefect server and `home` as Prefect's home;
    then `more`."""
    env = {**os.environ, "UPRDEX_WARM": "0"}
    for name in ("PREFECT_API_URL", "PREFECT_LOGGING_LEVEL", "UPRDEX_CONFIG", "UPRDEX_INDEX"):
        env.pop(name, None)
    if api is not None:
        env["PREFECT_API_URL"] = api
    if home is not None:
        env["PREFECT_HOME"] = str(home)
    return {**env, **more}


def uprdex_command(*args: str | Path, script: str = UPRDEX_MAIN) -> list[str]:
    """The command line of `uprdex ARGS` (`script` before them), for a process a test starts
    and keeps (`uprdex watch`, stopped by its signal): in `uprdex_env()`, as `run_uprdex`."""
    return [sys.executable, "-c", script, *(str(arg) for arg in args)]


def run_uprdex(
    *args: str | Path, script: str = UPRDEX_MAIN, timeout: float = 300, **options: Any
) -> subprocess.CompletedProcess[str]:
    """`uprdex ARGS` run to its end in a new process, as a user runs it (in `uprdex_env()`
    unless `env=` is given), its output captured as text; `options` go to subprocess.run."""
    options.setdefault("env", uprdex_env())
    return subprocess.run(
        uprdex_command(*args, script=script),
        capture_output=True,
        text=True,
        timeout=timeout,
        **options,
    )


def parsed(name: str) -> WgReport:
    """A fixture WG report, loaded and parsed."""
    return parse_wg_report(load_pdf(fixture(name)))


def by_paragraph(report: WgReport) -> dict[str, Recommendation]:
    """The report's recommendations keyed by paragraph number."""
    return {rec.paragraph: rec for rec in report.recommendations}


def russias_footnote_asks(report: WgReport) -> tuple[Recommendation, Recommendation]:
    """Russian Federation 2013's (A/HRC/24/14) 141.1 and 141.2, printed unnumbered in paragraph
    141's footnote 1, checked whole: each text from its first words to its last, Georgia's, noted
    by 141."""
    recs = by_paragraph(report)
    first, second = recs["141.1"], recs["141.2"]
    assert first.text.startswith("Immediately end the occupation of Georgia’s regions of Abkhazia")
    assert first.text.endswith("severe human rights violations therein")
    assert second.text.startswith("Allow and ensure safe and dignified return of ethnically")
    assert second.text.endswith("before and while ending the occupation of these regions")
    for ask in (first, second):
        assert ask.recommending_states == ("Georgia",)
        assert (ask.position, ask.position_paragraph) == (Position.NOTED, "141")
    return first, second


def copy_index(source: Path, target: Path) -> Path:
    """A copy of an index (SQLite's backup: whole even with a write-ahead log)."""
    with sqlite3.connect(source) as origin, sqlite3.connect(target) as copy:
        origin.backup(copy)
    return target


def fresh(code: str) -> object:
    """The JSON a script printed, run in a new interpreter (no thread but its own)."""
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


def as_an_earlier_release_left_it(index: Path, rec_id: str) -> None:
    """The index as a release before schema 6 wrote it (no record of what read each file, no
    section detail), with the text of `rec_id` as that release read it."""
    db = sqlite3.connect(index, isolation_level=None)
    if "section_detail" in [row[1] for row in db.execute("PRAGMA table_info(recommendations)")]:
        db.execute("ALTER TABLE recommendations DROP COLUMN section_detail")
    if "reader" in [row[1] for row in db.execute("PRAGMA table_info(documents)")]:
        db.execute("ALTER TABLE documents DROP COLUMN reader")
        db.execute("UPDATE meta SET value = '5' WHERE key = 'schema_version'")
    earlier = "as an earlier release read it"
    db.execute("UPDATE recommendations SET text = ? WHERE id = ?", (earlier, rec_id))
    db.close()


def clustered_with(index: Path) -> str:
    """The models the index's clusters were made with, as the index records them."""
    db = sqlite3.connect(index)
    (value,) = db.execute("SELECT value FROM meta WHERE key = 'cluster_settings'").fetchone()
    db.close()
    return str(json.loads(value)["similarity_model"])


def as_older_models_clustered_it(index: Path) -> None:
    """The index's clusters as the models of an earlier release made them (929f9c1's)."""
    db = sqlite3.connect(index, isolation_level=None)
    (value,) = db.execute("SELECT value FROM meta WHERE key = 'cluster_settings'").fetchone()
    kept = json.loads(value)
    kept["similarity_model"] = (
        "1.8+data.5fd264e60188.seed0 pairs 1.4+data.03a4e6b3d182.words.319e8a7e "
        "recurrence 1dda70a7c8fc"
    )
    db.execute("UPDATE meta SET value = ? WHERE key = 'cluster_settings'", (json.dumps(kept),))
    db.close()


def long_rows(count: int) -> list[dict[str, Any]]:
    """`count` export records with long texts (formula-like, curly quotes, an apostrophe): for
    the tests that an export is written as it is made."""
    return [
        {
            "id": f"A/HRC/19/3#{n}",
            "text": f"=Ratify the Optional Protocol, “{n}”; and Côte d'Ivoire " * 20,
            "themes": ["torture", "children"],
            "source": {"sha256": "ab" * 32, "page": n},
            "theme_hits": [{"theme": "torture", "score": 0.5}],
        }
        for n in range(count)
    ]
