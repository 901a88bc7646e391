"""What a run of the nightly flow did (`NightlySummary`), as `uprdex run`, `watch` and the
run's Prefect artifacts say it."""

from __future__ import annotations

from dataclasses import dataclass, field

from uprdex.flows.rereading import copy_note

__all__ = ["Copy", "NightlySummary"]


@dataclass(frozen=True, slots=True)
class Copy:
    """A file of the same bytes as a file met before it in the inbox (`first_of`): not read,
    and said with that file's outcome."""

    path: str
    first: str
    """That file's path."""
    shown: tuple[str, str]
    """The two as the run names them in its lines: ("2019/b.pdf", "2019/a.pdf")."""


@dataclass
class NightlySummary:
    """What a run did: files found, indexed, skipped as already indexed, and failed."""

    found: int = 0
    indexed: list[str] = field(default_factory=list)
    skipped: int = 0
    read_again: int = 0
    """Of `indexed`, the files an earlier release had indexed (`read_by_this_release`)."""
    kept: list[tuple[str, str]] = field(default_factory=list)
    """Files an earlier release indexed that failed when read again: the earlier reading is
    kept (path, why); counted in `skipped`."""
    failed: list[tuple[str, str]] = field(default_factory=list)
    """Files that failed (path, the line saying why that names the file by its path in the
    inbox: "2019/report.pdf: an HTML page ...")."""
    warnings: list[tuple[str, str]] = field(default_factory=list)
    """What the index recorded of the files read (path, warning), as `uprdex ingest` prints."""
    left_out: list[str] = field(default_factory=list)
    """One line per file in the inbox that is not a PDF (never moved, never read)."""
    states: set[str] = field(default_factory=set)
    exports: list[str] = field(default_factory=list)
    workers: dict[str, str] = field(default_factory=dict)
    """The Dask worker that extracted each indexed or failed file in this run (path -> worker
    name); not a file whose extraction came from the cache (`cached`)."""
    to_read: int = 0
    """Files handed to extraction: new ones, and those an earlier release read."""
    cached: list[str] = field(default_factory=list)
    """Files whose extraction came from Prefect's cache (read on an earlier run): nothing read
    them now."""
    not_quarantined: dict[str, str] = field(default_factory=dict)
    """Failed files the quarantine could not take (path -> why): the batch goes on."""
    failed_before: list[str] = field(default_factory=list)
    """Of `failed`, the files that failed on an earlier run: not read again (`uprdex ingest
    FILE` retries one), still in the inbox."""
    conflicts: list[str] = field(default_factory=list)
    """Stored corrections this run's documents made disagree or contradict, once imported ids
    are read as their asks (`Resolved.conflicts_since`), as `uprdex ingest` says them."""
    changed: list[tuple[str, str]] = field(default_factory=list)
    """Files gone (moved or deleted) between the inbox scan and their reading (path, the line
    saying so): not read by this run."""
    copies: list[Copy] = field(default_factory=list)
    """Files of the same bytes as a file before them in the inbox: not counted in the others."""

    def copy_line(self, copy: Copy) -> str:
        """What the run says of a copy, with its first file's outcome ("b.pdf: the same file
        as a.pdf (indexed)"): indexed, failed, earlier reading kept, not read (gone
        meanwhile) or already indexed."""
        outcomes = (
            ("indexed", self.indexed),
            ("failed", [path for path, _ in self.failed]),
            ("earlier reading kept", [path for path, _ in self.kept]),
            ("not read", [path for path, _ in self.changed]),
        )
        outcome = next((word for word, paths in outcomes if copy.first in paths), "already indexed")
        return f"{copy.shown[0]}: {copy_note(copy.shown[1], outcome)}"
