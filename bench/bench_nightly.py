"""A nightly run costs time in proportion to the new files, not to the size of the index.

Builds an inbox of 200 real WG reports and indexes it with the nightly flow (the baseline: a
run that finds all 200 new), then drops 10 more reports into the inbox and runs the flow again
(ours: 200 already indexed are skipped by hash, 10 are read). Prints both wall times and the
ratio, after a warm-up run so that Prefect's temporary server start is not counted.
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
    os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="uprdex-bench-prefect-"))
    from flows.nightly import nightly

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        inbox = root / "inbox"
        inbox.mkdir()
        paths = {
            "inbox": str(inbox),
            "index": str(root / "index.sqlite"),
            "quarantine": str(root / "quarantine"),
            "reports": str(root / "reports"),
        }
        nightly(**paths)  # warm-up: the temporary Prefect server starts here
        for path in reports[:200]:
            shutil.copy(path, inbox / path.name)
        start = time.perf_counter()
        first = nightly(**paths)
        full = time.perf_counter() - start
        for path in reports[200:210]:
            shutil.copy(path, inbox / path.name)
        start = time.perf_counter()
        second = nightly(**paths)
        increment = time.perf_counter() - start
    print(
        f"baseline: 200 new files, {len(first.indexed)} indexed: {full:.1f} s "
        f"({full / 200:.2f} s a file)"
    )
    print(
        f"ours: 10 new among 210 ({second.skipped} skipped by hash), {len(second.indexed)} "
        f"indexed: {increment:.1f} s ({increment / 10:.2f} s a new file)"
    )
    print(
        f"ratio: the run with 10 new files takes {increment / full:.0%} of the 200-file run "
        f"(proportional would be 5%, plus the fixed cost of exports and report)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
