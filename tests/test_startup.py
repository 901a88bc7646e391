"""What `uprdex --help` loads: the fixed cost of every command (bench/bench_startup.py times it);
and what the quick commands that only read the index (`status`, `recs`, `show`) load."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import ingested, uprdex_env

# What a command imports when it runs, never before: most cost a tenth of a second or more
# (numpy and scipy with the store's clustering code: ~0.5 s of `uprdex --help`, 7x `import click`).
HEAVY = (
    "numpy",
    "scipy",
    "sklearn",
    "spacy",
    "prefect",
    "pdfplumber",
    "pypdfium2",
    "jinja2",
    "openpyxl",
    "datasette",
    "uprdex.pipeline.store",
    "uprdex.pipeline.loader",
    "uprdex.flows.fingerprint",
    # and the smaller ones, 10-30 ms each: one command's needs (serve, ingest, recs, a config)
    "asyncio",
    "rich.progress",
    "rich.table",
    "zoneinfo",
)

_LOADED = """
import json, sys
from uprdex.flows.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)), file=sys.stderr)
"""


@pytest.mark.parametrize("args", [["--help"], ["recs", "--help"], ["show", "--help"]])
def test_help_loads_neither_numpy_nor_the_store(args: list[str]) -> None:
    done = subprocess.run(
        [sys.executable, "-c", _LOADED, *args], capture_output=True, text=True, check=True
    )
    assert "Usage:" in done.stdout
    loaded = set(json.loads(done.stderr.splitlines()[-1]))
    assert [name for name in HEAVY if name in loaded] == []


# What reading the index needs none of: the clustering's numpy and scipy (~0.4 s of `recs`,
# `show` and `status`, three quarters of each), and what ingests, trains or runs flows.
NOT_TO_READ = ("numpy", "scipy", "sklearn", "spacy", "prefect")
ASK = "A/HRC/28/15#115.22"


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Slovenia's 2014 WG report (an excerpt of the real one), ingested."""
    return ingested(("slovenia2014_recs.pdf",), tmp_path_factory.mktemp("startup") / "index.sqlite")


@pytest.mark.parametrize(
    ("args", "shown"),
    [
        # status asks whether the stored clusters are current: it reads the versions of the
        # similarity, pair and recurrence models from their files (pipeline/model_versions.py)
        # and loads none of them.
        pytest.param(["status"], "recommendations: 30", id="status"),
        pytest.param(["recs"], ASK, id="recs"),
        pytest.param(["show", ASK], ASK, id="show"),
    ],
)
def test_reading_the_index_loads_neither_numpy_nor_scipy(
    index: Path, args: list[str], shown: str
) -> None:
    done = subprocess.run(
        [sys.executable, "-c", _LOADED, *args, "--index", str(index)],
        capture_output=True,
        text=True,
        check=True,
        env=uprdex_env(),
    )
    assert shown in done.stdout
    loaded = set(json.loads(done.stderr.splitlines()[-1]))
    assert [name for name in NOT_TO_READ if name in loaded] == []
