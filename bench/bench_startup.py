"""Fixed costs of the command line, each beside its baseline, in one run.

1. `uprdex --help` against a bare `python -c "import click"` in the same venv (target: at most
   5x): what every command costs before it does anything.
2. `uprdex status`, `recs` and `show ID`, the quick commands that only read the index (one
   fixture report's), against `uprdex --help`: what reading the index adds to the fixed cost.
3. `uprdex ingest` of one real WG report into a new index, wall time (target: under 1 s).
4. `uprdex ingest` of 8 real WG reports in one command against pdfplumber's `extract_text` over
   the same pages (target: at least 10x faster), the fixed cost included.

Both ingests run cold (a new process loads spaCy and the models: what one command costs on its
own) and warm (handed to `uprdex warm`, started once here and timed apart: what each command
costs a researcher who keeps it running).

Each command runs as a user runs it (a new process), several times; the median is printed,
with the median CPU time (user + system, its worker processes included) beside the wall time:
on a shared machine the wall time follows the load, printed before and after. For reference,
the floor that spaCy sets: a process that only imports spaCy and builds the blank English
pipeline the theme keywords run on.
Run: .venv/bin/python bench/bench_startup.py [--runs N] [--no-ingests]
"""

from __future__ import annotations

import argparse
import os
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "slovenia2014_recs.pdf"
ASK = "A/HRC/28/15#115.22"
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


def timed(
    command: list[str], runs: int, before: object = None, warm: Warm | None = None
) -> tuple[float, float]:
    """Median wall time and median CPU time (user + system of the process and its children,
    and with a warm process, of the copy that ran the command) over `runs` fresh processes."""
    walls, cpus = [], []
    environment = {**os.environ, **(warm.environment if warm else {"UPRDEX_WARM": "0"})}
    for _ in range(runs):
        if callable(before):
            before()
        used = resource.getrusage(resource.RUSAGE_CHILDREN)
        copies = warm.cpu() if warm else 0.0
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, env=environment)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if warm:
            time.sleep(0.3)  # the warm process reaps the copy, and counts its CPU time
            copies = warm.cpu() - copies
        cpus.append(after.ru_utime - used.ru_utime + after.ru_stime - used.ru_stime + copies)
    return statistics.median(walls), statistics.median(cpus)


class Warm:
    """`uprdex warm` on a socket of this bench: started, then stopped."""

    def __init__(self, folder: Path) -> None:
        socket = folder / "warm.sock"
        self.environment = {"UPRDEX_WARM": "1", "UPRDEX_WARM_SOCKET": str(socket)}
        start = time.perf_counter()
        self.process = subprocess.Popen(
            [str(BIN / "uprdex"), "warm"],
            env={**os.environ, **self.environment},
            stderr=subprocess.PIPE,
            text=True,
        )
        assert self.process.stderr is not None
        line = self.process.stderr.readline()
        if "listening" not in line:
            raise SystemExit(f"uprdex warm did not start: {line}")
        self.started = time.perf_counter() - start

    def cpu(self) -> float:
        """CPU seconds of the copies the warm process has run and reaped (Linux /proc)."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[13]) + int(fields[14])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        self.process.send_signal(signal.SIGINT)
        self.process.communicate(timeout=30)


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
    parser.add_argument(
        "--no-ingests", action="store_true", help="only the start-up figures (1 and 2)"
    )
    arguments = parser.parse_args()
    runs = arguments.runs
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
    reading(uprdex, runs, helped, helped_cpu)
    if arguments.no_ingests:
        print(f"load average {load()}")
        return 0

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
        print(f"\n== one WG report ({found[0].name}) into a new index (wall, cpu)")
        print(
            f"  spaCy import + blank 'en'  {floor * 1000:7.0f} ms {floor_cpu * 1000:6.0f} ms "
            "(reference: spaCy's share of a cold start)"
        )
        one_command = [uprdex, "ingest", str(found[0]), "--index", str(index)]
        eight_command = [uprdex, "ingest", *map(str, found), "--index", str(index)]
        cold_one = timed(one_command, runs, fresh)
        cold_eight = timed(eight_command, 3, fresh)
        warm = Warm(Path(tmp))
        try:
            warm_one = timed(one_command, runs, fresh, warm)
            warm_eight = timed(eight_command, 3, fresh, warm)
        finally:
            warm.stop()
        for name, (wall, cpu) in (("cold", cold_one), ("warm", warm_one)):
            print(
                f"  uprdex ingest, {name}        {wall * 1000:7.0f} ms {cpu * 1000:6.0f} ms; "
                f"target under 1 s: {'met' if wall < 1 else 'NOT met'}"
            )
        print(f"  (`uprdex warm` started once in {warm.started:.2f} s before the warm runs)")

        naive, pages = pdfplumber_seconds(found)
        print(f"\n== {len(found)} WG reports, {pages} pages")
        print(f"  pdfplumber extract_text    {naive:7.2f} s (baseline: text only)")
        for name, (wall, cpu) in (("cold", cold_eight), ("warm", warm_eight)):
            print(
                f"  uprdex ingest, {name}        {wall:7.2f} s (everything: index, themes, "
                f"clusters; cpu {cpu:.2f} s): {naive / wall:.1f}x faster; target at least 10x: "
                f"{'met' if naive / wall >= 10 else 'NOT met'}"
            )
    print(f"load average {load()}")
    return 0


def reading(uprdex: str, runs: int, helped: float, helped_cpu: float) -> None:
    """Figures 2: the quick commands on an index of one fixture report, beside `--help`."""
    print(f"\n== reading an index of {FIXTURE.name} (wall, cpu)")
    print(
        f"  uprdex --help              {helped * 1000:7.0f} ms {helped_cpu * 1000:6.0f} ms "
        "(baseline: the fixed cost)"
    )
    with tempfile.TemporaryDirectory(prefix="uprdex-bench-reading-") as tmp:
        index = str(Path(tmp) / "index.sqlite")
        subprocess.run(
            [uprdex, "ingest", str(FIXTURE), "--index", index, "--workers", "1"],
            check=True,
            capture_output=True,
            env={**os.environ, "UPRDEX_WARM": "0"},
        )
        for name, command in (
            ("status", ["status"]),
            ("recs", ["recs"]),
            ("show ID", ["show", ASK]),
        ):
            wall, cpu = timed([uprdex, *command, "--index", index], runs)
            print(
                f"  uprdex {name:<19} {wall * 1000:7.0f} ms {cpu * 1000:6.0f} ms; "
                f"ratio {wall / helped:.1f}x the baseline (cpu {cpu / helped_cpu:.1f}x)"
            )


# What the theme keywords need before they tag anything (extractors/themes.py).
_SPACY_FLOOR = "import spacy; spacy.blank('en')"

if __name__ == "__main__":
    sys.exit(main())
