"""Prefect's log lines a command says better itself: filters, and a block that applies one."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["Interrupted", "Notes", "dropping", "off_the_terminal"]


class Notes(logging.Filter):
    """Drops the records whose message opens with one of `openings`."""

    def __init__(self, *openings: str) -> None:
        super().__init__()
        self.openings = openings

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith(self.openings)


INTERRUPTED = "aborted by an interrupt signal"
"""What Prefect's crash notes of a flow or task run Ctrl-C stopped say."""


class Interrupted(logging.Filter):
    """Drops Prefect's crash notes of a flow or task run Ctrl-C stopped ("Crash detected!
    Execution was aborted by an interrupt signal.", "Finished in state Crashed(...)"): the
    command stopped says it in one line itself."""

    def filter(self, record: logging.LogRecord) -> bool:
        return INTERRUPTED not in record.getMessage()


@contextmanager
def dropping(drop: logging.Filter, *names: str) -> Iterator[None]:
    """While in it, the loggers `names` do not write the records `drop` filters out."""
    loggers = [logging.getLogger(name) for name in names]
    for logger in loggers:
        logger.addFilter(drop)
    try:
        yield
    finally:
        for logger in loggers:
            logger.removeFilter(drop)


def off_the_terminal(drop: logging.Filter) -> None:
    """From now on, the handlers of the root logger (Prefect's console) do not write the
    records `drop` filters out; Prefect's handler that sends a run's log lines to its server
    still does (the run's record there stays whole)."""
    for handler in logging.getLogger().handlers:
        handler.addFilter(drop)
