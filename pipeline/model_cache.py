"""Models read once per process, by folder, safe from threads and in forked workers.

Example:
    _MODELS: ModelCache[ThemeModel] = ModelCache(ThemeModel._read)
    model = _MODELS.get(directory)      # read on first use, then the same object
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Generic, TypeVar

__all__ = ["ModelCache"]

M = TypeVar("M")


class ModelCache(Generic[M]):
    """Folder -> model, read by `read` the first time a folder is asked for."""

    def __init__(self, read: Callable[[Path], M]) -> None:
        self._read = read
        self._models: dict[Path, M] = {}
        self._lock = threading.Lock()
        # A document worker is forked while other threads run; one of them may hold the lock
        # at that moment, and the child would wait for it forever: the child gets a new one.
        os.register_at_fork(after_in_child=self._renew_lock)

    def _renew_lock(self) -> None:
        self._lock = threading.Lock()

    def get(self, directory: Path) -> M:
        """The model of `directory` (resolved), read once."""
        directory = directory.resolve()
        with self._lock:
            model = self._models.get(directory)
            if model is None:
                model = self._read(directory)
                self._models[directory] = model
            return model
