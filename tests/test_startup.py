"""What `uprdex --help` loads: the fixed cost of every command (bench/bench_startup.py times it)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

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
