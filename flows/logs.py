"""Prefect's log lines a command says better itself: filters, and a block that applies one."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

__all__ = ["Interrupted", "Notes", "RunNotes", "dropping", "off_the_terminal"]


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


class RunNotes(logging.Filter):
    """Drops what a flow or task run notes below an error (a file failed, left out, its earlier
    reading kept): `uprdex run` says each in its summary, in its own words."""

    def filter(self, record: logging.LogRecord) -> bool:
        run = record.name.startswith(("prefect.flow_runs", "prefect.task_runs"))
        return not run or record.levelno >= logging.ERROR


def off_the_terminal(drop: logging.Filter) -> ExitStack:
    """From now on, or until the block the result is entered in ends, the handlers of the root
    logger (Prefect's console) do not write the records `drop` filters out; Prefect's handler
    that sends a run's log lines to its server still does (the run's record there stays
    whole)."""
    handlers = ExitStack()
    for handler in logging.getLogger().handlers:
        handler.addFilter(drop)
        handlers.callback(handler.removeFilter, drop)
    return handlers
