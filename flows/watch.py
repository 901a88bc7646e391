"""`uprdex watch`: which file events may land a finished PDF in the inbox, and debouncing, so
that a burst of them makes one run, not one per file."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from uprdex.pipeline.errors import UprdexError
from uprdex.pipeline.inbox import is_partial, scan_inbox
from uprdex.pipeline.model import DocumentStatus
from uprdex.pipeline.store import Store

if TYPE_CHECKING:
    from watchdog.events import FileSystemEvent, FileSystemEventHandler

    from uprdex.pipeline.config import Config

__all__ = ["Debouncer", "Left", "inbox_handler", "lands_a_pdf", "left", "now"]

# watchdog's event types (watchdog.events.EVENT_TYPE_*), named here so that this module
# imports without the watch extra.
_WRITTEN = frozenset({"created", "modified", "closed"})
_MOVED = "moved"


def lands_a_pdf(event: FileSystemEvent) -> bool:
    """True for an event after which the inbox may hold a new, complete PDF: one written
    (created, modified, closed after writing), renamed or moved into place (x.pdf.crdownload
    -> x.pdf, .x.pdf.tmp -> x.pdf, rsync's .x.pdf.Ab12Cd -> x.pdf, a file moved in from
    elsewhere), or a folder created or moved in. Not a download still under way, nor a PDF
    opened and read (uprdex's own runs read every PDF: a run would start the next one)."""
    moved = event.event_type == _MOVED
    if not moved and event.event_type not in _WRITTEN:
        return False  # opened, closed_no_write, deleted, attrib
    target = Path(str(event.dest_path if moved else event.src_path))
    if event.is_directory:
        return event.event_type in ("created", _MOVED)
    return target.suffix.lower() == ".pdf" and not is_partial(target)


def inbox_handler(debouncer: Debouncer) -> FileSystemEventHandler:
    """A watchdog handler that pokes `debouncer` for each event that `lands_a_pdf`."""
    from watchdog.events import FileSystemEventHandler

    class _InboxHandler(FileSystemEventHandler):
        def on_any_event(self, event: FileSystemEvent) -> None:
            if lands_a_pdf(event):
                debouncer.poke()

    return _InboxHandler()


class Debouncer:
    """Becomes due `quiet` seconds after the last poke."""

    def __init__(self, quiet: float, clock: Callable[[], float] = time.monotonic) -> None:
        if quiet < 0:
            raise ValueError("quiet must not be negative")
        self.quiet = quiet
        self._clock = clock
        self._last: float | None = None
        self._lock = threading.Lock()

    def poke(self) -> None:
        """A file event happened."""
        with self._lock:
            self._last = self._clock()

    def due(self) -> bool:
        """True once, when the quiet period after the last poke has passed."""
        with self._lock:
            if self._last is None or self._clock() - self._last < self.quiet:
                return False
            self._last = None
            return True

    def wait_until_due(self) -> bool:
        """Sleep one poll (half a second), then True if due."""
        time.sleep(0.5)
        return self.due()


@dataclass(frozen=True)
class Left:
    """What watch's stop leaves: of the inbox's PDFs, how many the run it stopped had indexed
    (written whole: each document is its own transaction) and how many the index does not
    know (neither indexed nor failed), for its next start or `uprdex run`."""

    indexed: int
    waiting: int


def left(config: Config, since: str | None) -> Left | None:
    """`Left` of a run that began at `since` (`now()`; None: no run was under way); None when
    the index cannot be read within seconds (another program writing it): the stop does not
    wait for it."""
    files = list(scan_inbox(config.inbox))
    if not files or not config.index.is_file():
        return Left(0, len(files))
    try:
        with Store(config.index, busy_timeout=STOP_WAIT) as store:
            known = [store.document(item.sha256) for item in files]
    except UprdexError:
        return None
    indexed = sum(
        since is not None
        and document is not None
        and document.status == DocumentStatus.INDEXED
        and document.ingested_at >= since
        for document in known
    )
    return Left(indexed, sum(document is None for document in known))


def now() -> str:
    """The time as the index stamps a document it writes (`ingested_at`)."""
    return datetime.now(UTC).isoformat(timespec="seconds")


STOP_WAIT = 5.0
"""Seconds watch's stop waits for an index another program is writing, to count what it
leaves in the inbox."""
