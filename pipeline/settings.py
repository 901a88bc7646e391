"""Settings: one frozen dataclass per stage, with defaults and validation."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

__all__ = ["EvidenceSettings", "LoaderSettings", "default_index_path"]


@dataclass(frozen=True, slots=True)
class LoaderSettings:
    """How PDF pages are read.

    margin: share of the page height at the top and bottom where running headers and footers
    (symbol, GE job number, page number) are looked for.
    superscript_ratio: a digit run printed at most this share of the body size is a footnote
    marker, not part of a number.
    min_chars_per_page: pages with fewer characters than this count as having no text layer.
    workers: documents read at once (0: one per core).
    timeout_seconds, memory_mb: the budget of one document; past it the document fails with
    a clear error and the batch goes on.
    ocr: when a PDF has no text layer and `ocrmypdf` is installed, run it (on a copy; the
    original is never touched) and index the text it finds, with a warning saying so.
    """

    margin: float = 0.12
    superscript_ratio: float = 0.8
    min_chars_per_page: int = 20
    workers: int = 0
    timeout_seconds: float = 120.0
    memory_mb: int = 1024
    ocr: bool = False

    def __post_init__(self) -> None:
        if not 0 <= self.margin < 0.5:
            raise ValueError(f"margin must be in [0, 0.5), got {self.margin}")
        if not 0 < self.superscript_ratio < 1:
            raise ValueError(f"superscript_ratio must be in (0, 1), got {self.superscript_ratio}")
        if self.min_chars_per_page < 0 or self.workers < 0:
            raise ValueError("min_chars_per_page and workers must not be negative")
        if self.timeout_seconds <= 0 or self.memory_mb < 0:
            raise ValueError("timeout_seconds must be positive and memory_mb not negative")

    @property
    def processes(self) -> int:
        """Worker processes for a batch: `workers`, or one per core when 0."""
        return self.workers or os.cpu_count() or 1


@dataclass(frozen=True, slots=True)
class EvidenceSettings:
    """How documents are linked to recommendations they do not cite by number.

    paraphrase_threshold: TF-IDF cosine (0-1) from which a sentence counts as restating a
    recommendation (evidence of kind "paraphrase", with its score).
    """

    paraphrase_threshold: float = 0.50

    def __post_init__(self) -> None:
        if not 0 < self.paraphrase_threshold <= 1:
            raise ValueError(
                f"paraphrase_threshold must be in (0, 1], got {self.paraphrase_threshold}"
            )


def default_index_path() -> Path:
    """The index file: $UPRDEX_INDEX, else uprdex.toml's, else ./data/index.sqlite."""
    from uprdex.pipeline.config import load_config

    return load_config().index
