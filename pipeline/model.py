"""The domain records: Document -> Page -> Line -> Recommendation.

Every record carries where it came from (document sha256, page, extractor) so that every row of
the index traces back to the printed text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

__all__ = [
    "DocumentStatus",
    "Line",
    "LoadedDocument",
    "Page",
    "Position",
    "Recommendation",
    "StateComment",
    "WgReport",
]


class DocumentStatus(StrEnum):
    """Outcome of ingesting one file (export contract: documents.status)."""

    INDEXED = "indexed"
    FAILED = "failed"
    NEEDS_OCR = "needs_ocr"


class Position(StrEnum):
    """The State's position on a recommendation (export contract: recommendations.response)."""

    SUPPORTED = "supported"
    NOTED = "noted"
    PENDING = "pending"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Line:
    """One printed line of body text or of a footnote, in reading order.

    `markers` are superscript footnote markers that were printed inside the line, kept apart
    from the text: (character offset in `text`, marker) pairs.
    """

    text: str
    page: int
    top: float
    x0: float
    size: float
    is_note: bool = False
    markers: tuple[tuple[int, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Page:
    """One PDF page: its body and note lines, headers and footers removed."""

    number: int
    lines: tuple[Line, ...]
    height: float
    has_text_layer: bool

    @property
    def text(self) -> str:
        """The page's lines joined by newlines."""
        return "\n".join(line.text for line in self.lines)


@dataclass(frozen=True, slots=True)
class LoadedDocument:
    """A PDF read into pages; `first_page_text` keeps page 1 whole, headers included;
    `warnings` says what the reader had to mend (a damaged cross-reference table)."""

    sha256: str
    path: str
    pages: tuple[Page, ...]
    first_page_text: str
    warnings: tuple[str, ...] = ()

    @property
    def needs_ocr(self) -> bool:
        """True when no page has a text layer (a scan)."""
        return bool(self.pages) and not any(page.has_text_layer for page in self.pages)


@dataclass(frozen=True, slots=True)
class Recommendation:
    """One recommendation as printed in a Working Group report."""

    paragraph: str
    text: str
    recommending_states: tuple[str, ...]
    position: Position
    position_paragraph: str | None
    page: int
    as_printed: str
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class StateComment:
    """The State under review's comment printed among the recommendations of a WG report
    ("92.1 Regarding the recommendation No. 91.1, the Law ... is in line with ...").

    refers_to: the paragraph it comments on ("91.1"), when the report says which.
    """

    paragraph: str
    text: str
    page: int
    refers_to: str | None = None


@dataclass(frozen=True, slots=True)
class WgReport:
    """What a Working Group report says: its metadata, its recommendations and the comments
    the State printed among them."""

    symbol: str | None
    state_under_review: str | None
    session: int | None
    cycle: int | None
    year: int | None
    recommendations: tuple[Recommendation, ...] = field(default=())
    comments: tuple[StateComment, ...] = field(default=())
    warnings: tuple[str, ...] = field(default=())
