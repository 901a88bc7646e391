"""docs/explore.ipynb runs top to bottom (nbclient) on an index of the bundled samples."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from click.testing import CliRunner

from uprdex.flows.cli import main

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_the_notebook_runs_top_to_bottom_on_the_samples(tmp_path: Path) -> None:
    index = tmp_path / "index.sqlite"
    ingested = CliRunner().invoke(
        main, ["ingest", str(ROOT / "data" / "samples"), "--index", str(index)]
    )
    assert ingested.exit_code == 0, ingested.output
    executed = tmp_path / "explore.ipynb"
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "tools" / "run_notebook.py"),
            "--index",
            str(index),
            "--out",
            str(executed),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    cells = [c for c in nbformat.read(executed, as_version=4).cells if c.cell_type == "code"]
    outputs = [output for cell in cells for output in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert any("image/png" in o.get("data", {}) for o in outputs)  # the theme x response plot
    tables = [o["data"]["text/plain"] for o in outputs if "text/plain" in o.get("data", {})]
    assert any("recommending_states" in table and "canonical_text" in table for table in tables)
