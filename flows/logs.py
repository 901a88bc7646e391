"""Prefect's log lines a command says better itself: filters, and a block that applies one."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["Notes", "dropping"]


class Notes(logging.Filter):
    """Drops the records whose message opens with one of `openings`."""

    def __init__(self, *openings: str) -> None:
        super().__init__()
        self.openings = openings

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith(self.openings)


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
