"""Fixed costs of the command line, each beside its baseline, in one run.

1. `uprdex --help` against a bare `python -c "import click"` in the same venv (target: at most
   5x): what every command costs before it does anything.
2. `uprdex ingest` of one real WG report into a new index, wall time (target: under 1 s).
3. `uprdex ingest` of 8 real WG reports in one command against pdfplumber's `extract_text` over
   the same pages (target: at least 10x faster), the fixed cost included.

Each command runs as a user runs it (a new process), several times; the median is printed,
with the median CPU time (user + system, its worker processes included) beside the wall time:
on a shared machine the wall time follows the load, printed before and after. For reference,
the floor that spaCy sets: a process that only imports spaCy and builds the blank English
pipeline the theme keywords run on.
Run: .venv/bin/python bench/bench_startup.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
BIN = Path(sys.executable).parent
REPORTS = (
    "slovenia2014.pdf",
    "albania2014.pdf",
    "norway2014.pdf",
    "nigeria2013.pdf",
    "vietnam2014.pdf",
    "costarica2014.pdf",
    "italy2014.pdf",
    "egypt2014.pdf",
)


def timed(command: list[str], runs: int, before: object = None) -> tuple[float, float]:
    """Median wall time and median CPU time (user + system of the process and its children)
    of a command over `runs` fresh processes."""
    walls, cpus = [], []
    for _ in range(runs):
        if callable(before):
            before()
        used = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - used.ru_utime + after.ru_stime - used.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def load() -> str:
    """The load average (1, 5, 15 minutes)."""
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def pdfplumber_seconds(paths: list[Path]) -> tuple[float, int]:
    """pdfplumber's extract_text over every page of the files: seconds and pages."""
    import pdfplumber

    start = time.perf_counter()
    pages = 0
    for path in paths:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_text()
                pages += 1
    return time.perf_counter() - start, pages


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    uprdex = str(BIN / "uprdex")

    print(f"load average {load()} on {os.cpu_count()} cores")
    click, click_cpu = timed([sys.executable, "-c", "import click"], runs)
    helped, helped_cpu = timed([uprdex, "--help"], runs)
    print("== start-up (wall, cpu)")
    print(
        f"  python -c 'import click'   {click * 1000:7.0f} ms {click_cpu * 1000:6.0f} ms (baseline)"
    )
    print(f"  uprdex --help              {helped * 1000:7.0f} ms {helped_cpu * 1000:6.0f} ms")
    verdict = "met" if helped <= 5 * click else "NOT met"
    print(f"  ratio {helped / click:.1f}x the baseline; target at most 5x: {verdict}")

    found = [SHARED / "wg_reports" / name for name in REPORTS]
    if not all(path.is_file() for path in found):
        print(f"\nskipped the ingest figures: the WG reports are not in {SHARED / 'wg_reports'}")
        return 0
    with tempfile.TemporaryDirectory(prefix="uprdex-bench-startup-") as tmp:
        index = Path(tmp) / "index.sqlite"

        def fresh() -> None:
            for suffix in ("", "-wal", "-shm", ".lock"):
                Path(f"{index}{suffix}").unlink(missing_ok=True)

        floor, floor_cpu = timed([sys.executable, "-c", _SPACY_FLOOR], runs)
        one, one_cpu = timed([uprdex, "ingest", str(found[0]), "--index", str(index)], runs, fresh)
        print(f"\n== one WG report ({found[0].name}) into a new index (wall, cpu)")
        print(
            f"  spaCy import + blank 'en'  {floor * 1000:7.0f} ms {floor_cpu * 1000:6.0f} ms "
            "(reference: spaCy's share of the floor)"
        )
        print(
            f"  uprdex ingest              {one * 1000:7.0f} ms {one_cpu * 1000:6.0f} ms; "
            f"target under 1 s: {'met' if one < 1 else 'NOT met'}"
        )

        eight, eight_cpu = timed(
            [uprdex, "ingest", *map(str, found), "--index", str(index)], 3, fresh
        )
        naive, pages = pdfplumber_seconds(found)
        print(f"\n== {len(found)} WG reports, {pages} pages")
        print(f"  pdfplumber extract_text    {naive:7.2f} s (baseline: text only)")
        print(
            f"  uprdex ingest, one command {eight:7.2f} s (everything: index, themes, clusters; "
            f"cpu {eight_cpu:.2f} s)"
        )
        print(
            f"  ratio {naive / eight:.1f}x faster; target at least 10x: "
            f"{'met' if naive / eight >= 10 else 'NOT met'}"
        )
    print(f"load average {load()}")
    return 0


# What the theme keywords need before they tag anything (extractors/themes.py).
_SPACY_FLOOR = "import spacy; spacy.blank('en')"

if __name__ == "__main__":
    sys.exit(main())
