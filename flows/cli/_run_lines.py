"""What `uprdex run` (and `watch`, `serve`) says of the files of a run: each file it did not
simply index, the Dask workers that read them, the count of copies of another file."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from rich.markup import escape

from uprdex.flows.cli._common import err

if TYPE_CHECKING:
    from uprdex.flows.nightly import NightlySummary
    from uprdex.pipeline.config import Config


def on_workers(summary: NightlySummary) -> str:
    """Which Dask worker read how many files ("w1 2, w2 1"), or "none"; with how many came
    from the cache instead ("none (2 from the cache: read on an earlier run)"), or that none
    needed reading."""
    counts = Counter(summary.workers.values())
    # A local cluster (--dask-workers N) names its workers 0, 1, ...: "0 1, 1 1" read as four
    # numbers, so a bare number is said "worker-0".
    done = (
        ", ".join(
            f"{'worker-' * name.isdigit()}{escape(name)} {n}" for name, n in sorted(counts.items())
        )
        or "none"
    )
    if summary.cached:
        return f"{done} ({len(summary.cached)} from the cache: read on an earlier run)"
    return done if summary.to_read else f"{done} (no file needed reading)"


def each_file(summary: NightlySummary, config: Config) -> None:
    """What a run says of each file it did not simply index: failed (and where the copy went),
    left out or changed while the run read the inbox, its earlier reading kept, a copy of
    another file in the inbox (with that file's outcome), and the warnings the index recorded:
    each file named by its path in the inbox, as the failed lines name it."""
    from uprdex.pipeline.names import FileNames, text_path

    named = [text_path(path) for path, _ in [*summary.kept, *summary.warnings]]
    names = FileNames.apart(named, [config.inbox])
    for path, reason in summary.failed:
        if path in summary.failed_before:  # "(on an earlier run)": its copy was made then
            err.print(f"[red]failed[/] {escape(reason)}")
            continue
        kept = summary.not_quarantined.get(path)
        where = (
            f"not copied to the quarantine: {kept}" if kept else f"copied to {config.quarantine}"
        )
        err.print(f"[red]failed[/] {escape(reason)} ({escape(where)})")
    for line in [*summary.left_out, *(line for _, line in summary.changed)]:
        err.print(f"[yellow]skipped[/] {escape(line)}")
    for path, why in summary.kept:
        err.print(f"[yellow]kept[/] {escape(names.line(text_path(path), why))}")
    for copy in summary.copies:
        err.print(f"[yellow]copy[/] {escape(summary.copy_line(copy))}")
    for path, warning in summary.warnings:
        err.print(f"  [yellow]warning[/] {escape(names.line(text_path(path), warning))}")


def copies(summary: NightlySummary) -> str:
    """The run's count of copies of another file in the inbox, after its others, when any."""
    # Here, not at the top: `uprdex --help` imports this module, and rereading imports
    # flows.fingerprint, which hashes uprdex's code, tables and models as it loads (~40 ms).
    from uprdex.flows.rereading import copies_of_another

    return copies_of_another(len(summary.copies))
