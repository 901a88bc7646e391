"""A nightly run costs time in proportion to the new files, not to the size of the index.

Builds an inbox of 200 real WG reports and indexes it with the nightly flow's two stages (the
baseline: a run that finds all 200 new), then drops 10 more reports into the inbox and runs them
again (ours: the 200 already indexed are skipped by hash, 10 are read). Prints the ingest and the
exports-and-report times of both and the ratio, after a warm-up run so that Prefect's temporary
server start is not counted. A third run with nothing new shows what an idle night costs (the
outputs are not rewritten when the index has not changed).
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
    from uprdex.flows.nightly import (
        NightlySummary,
        build_index,
        build_key,
        ingest_inbox,
        nightly,
        task_runner,
    )
    from uprdex.pipeline.config import Config
    from uprdex.pipeline.store import Store

    def timed_run(config: Config) -> tuple[NightlySummary, float, float]:
        """The nightly flow's two stages, timed apart: (summary, ingest s, build s)."""
        with Store(config.index) as store:
            since = build_key(store)
        start = time.perf_counter()
        summary = ingest_inbox.with_options(task_runner=task_runner())(config)
        middle = time.perf_counter()
        build_index(config, summary.states, since)
        return summary, middle - start, time.perf_counter() - middle

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        config = Config(
            root / "inbox", root / "index.sqlite", root / "quarantine", root / "reports"
        )
        config.inbox.mkdir()
        nightly(
            *(str(path) for path in (config.inbox, config.index, config.quarantine, config.reports))
        )  # warm-up: Prefect's server starts
        for path in reports[:200]:
            shutil.copy(path, config.inbox / path.name)
        first, full, full_build = timed_run(config)
        for path in reports[200:210]:
            shutil.copy(path, config.inbox / path.name)
        second, increment, increment_build = timed_run(config)
        third, idle, idle_build = timed_run(config)
    print(
        f"baseline: 200 new files, {len(first.indexed)} indexed: ingest {full:.1f} s "
        f"({full / 200:.2f} s a file); exports and report {full_build:.1f} s"
    )
    print(
        f"ours: 10 new among 210 ({second.skipped} skipped by hash), {len(second.indexed)} "
        f"indexed: ingest {increment:.1f} s ({increment / 10:.2f} s a new file); exports and "
        f"report {increment_build:.1f} s"
    )
    print(
        f"ratio: ingesting 10 new files takes {increment / full:.0%} of ingesting 200 "
        f"(proportional: 5%); exports and report are rebuilt whole when the index changed"
    )
    print(
        f"a night with nothing new ({third.skipped} skipped): ingest {idle:.1f} s, exports and "
        f"report {idle_build:.1f} s (index unchanged: nothing rewritten; "
        f"{increment_build / max(idle_build, 1e-3):.0f}x less than a rebuild)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
