"""Peak memory and time of the hostile files that cost the most, against the per-document budget.

For the decompression bombs, the form "billion laughs" and the 2,000-page file of
tests/hostile.py, prints how long the sandboxed extraction (pipeline.ingest.extract_isolated
with the default LoaderSettings) took and the peak RSS of its worker, beside the budget
(timeout_seconds, memory_mb) and beside a baseline: the same file read by pipeline.loader
without the sandbox, under a safety cap of 4x the budget (unbounded, the operator bomb ate the
23 GB of the test machine). Each file is measured in a fresh forked process, so that its
worker's peak (RUSAGE_CHILDREN) is its own.

Run: .venv/bin/python bench/bench_hostile.py
"""

from __future__ import annotations

import multiprocessing
import resource
import sys
import tempfile
import time
from multiprocessing.connection import Connection
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from uprdex.flows.ingest import extract_isolated
from uprdex.pipeline.loader import load_pdf
from uprdex.pipeline.settings import LoaderSettings

from hostile import CORPUS, Hostile

NAMES = ("bomb_zeros.pdf", "bomb_operators.pdf", "form_laughs.pdf", "blank_2000_pages.pdf")
SAFETY_FACTOR = 4
_MB = 1024 * 1024


def _rss_mb() -> float:
    with open("/proc/self/statm", encoding="ascii") as handle:
        return int(handle.read().split()[1]) * resource.getpagesize() / _MB


def _sandboxed(path: Path, settings: LoaderSettings, conn: Connection) -> None:
    """In a fresh process: extract in the sandbox; report time, outcome and the worker's peak."""
    start = time.monotonic()
    extracted = extract_isolated(path, path.read_bytes(), settings)
    seconds = time.monotonic() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    document = extracted.document
    conn.send((seconds, peak, _rss_mb(), document.status.value, document.error or ""))


def _unguarded(path: Path, cap_mb: int, conn: Connection) -> None:
    """In a fresh process capped at cap_mb more than it has: load_pdf, no sandbox."""
    with open("/proc/self/statm", encoding="ascii") as handle:
        size = int(handle.read().split()[0]) * resource.getpagesize()
    limit = size + cap_mb * _MB
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    start = time.monotonic()
    try:
        pages = len(load_pdf(path).pages)
        outcome = f"read, {pages} pages"
    except MemoryError:
        outcome = "MemoryError"
    seconds = time.monotonic() - start
    conn.send((seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, outcome))


def _measure(target: object, *args: object, timeout: float) -> tuple[object, ...] | None:
    """Run target(*args, conn) in a forked process; its answer, or None if it died or hung."""
    context = multiprocessing.get_context("fork")
    parent, child = context.Pipe(duplex=False)
    process = context.Process(target=target, args=(*args, child))
    process.start()
    child.close()
    try:
        answer = parent.recv() if parent.poll(timeout) else None
    except EOFError:  # it died: a native abort when an allocation failed under the cap
        answer = None
    process.kill()
    process.join()
    return answer


def main() -> None:
    settings = LoaderSettings()
    cap = settings.memory_mb * SAFETY_FACTOR
    print(
        f"budget per document: timeout_seconds={settings.timeout_seconds:g}, "
        f"memory_mb={settings.memory_mb}; baseline: load_pdf alone, capped at {cap} MB\n"
    )
    header = f"{'file':22} {'sandboxed':>30}  {'baseline (no sandbox)':>34}  outcome (sandboxed)"
    print(header)
    print("-" * len(header))
    items: dict[str, Hostile] = {item.name: item for item in CORPUS}
    with tempfile.TemporaryDirectory(prefix="uprdex-bench-hostile-") as folder:
        for name in NAMES:
            assert items[name].make is not None
            path = Path(folder) / name
            path.write_bytes(items[name].make())  # type: ignore[misc]
            ours = _measure(_sandboxed, path, settings, timeout=settings.timeout_seconds * 2)
            base = _measure(_unguarded, path, cap, timeout=settings.timeout_seconds)
            assert ours is not None, f"{name}: the sandboxed run itself died"
            seconds, peak, parent_rss, status, error = ours
            grown = max(0.0, float(peak) - float(parent_rss))  # type: ignore[arg-type]
            bounded = grown <= settings.memory_mb and seconds <= settings.timeout_seconds  # type: ignore[operator]
            if base is None:
                baseline = f"killed at the {cap} MB cap or {settings.timeout_seconds:g} s"
            else:
                base_seconds, base_peak, outcome = base
                baseline = f"{base_seconds:6.1f} s {base_peak:7.0f} MB {outcome}"
            print(
                f"{name:22} {seconds:6.1f} s {peak:7.0f} MB (+{grown:5.0f} MB)  "
                f"{baseline:>34}  {status}: {error[len(name) + 2 :][:60]}"
                + ("" if bounded else "  OVER BUDGET")
            )
            path.unlink()
    print(
        "\npeak: the worker's peak RSS (RUSAGE_CHILDREN); +: above the process it was forked "
        "from, which the budget caps at memory_mb."
    )


if __name__ == "__main__":
    main()
