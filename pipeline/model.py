"""The domain records: Document -> Page -> Line -> (Recommendation | Citation | ThemeHit) and
the vocabularies every layer shares (positions, document types, evidence kinds).

Every record carries where it came from (document sha256, page, extractor) so that every row of
the index traces back to the printed text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

from uprdex.pipeline.symbols import cycle_of_session

__all__ = [
    "IMPORT_READER",
    "SUPPORTED_IN_PART",
    "Addendum",
    "AskFootnote",
    "AskPart",
    "Citation",
    "CitationKind",
    "DocumentRow",
    "DocumentStatus",
    "DocumentType",
    "ExportFormat",
    "ExportKind",
    "ImportSource",
    "ImportedRec",
    "Line",
    "LoadedDocument",
    "Page",
    "Position",
    "Recommendation",
    "Response",
    "StateComment",
    "ThemeHit",
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


SUPPORTED_IN_PART: tuple[Position, str] = (Position.NOTED, "supported in part")
"""The position and detail of one answer that takes part of an ask and refuses the rest (a
paragraph that accepts one half and cannot accept the other, A/HRC/14/15/Add.1 para 58; an
addendum's "Supported/Noted"; UPR Info's Accepted and Noted rows of an ask's two halves): noted,
as the UPR Info experts count it, since the State did not take the ask as a whole."""


class DocumentType(StrEnum):
    """What a document is (export contract: documents.type, evidence document.type)."""

    WG_REPORT = "wg_report"
    ADDENDUM = "addendum"
    NATIONAL_REPORT = "national_report"
    UN_COMPILATION = "un_compilation"
    STAKEHOLDER_SUMMARY = "stakeholder_summary"
    HRC_DECISION = "hrc_decision"
    """Not a contract type: exported as "other", with `type_detail`."""
    NGO_REPORT = "ngo_report"
    NEWS = "news"
    OTHER = "other"


class ImportSource(StrEnum):
    """The existing databases uprdex imports (`uprdex import KIND FILE`)."""

    UPR_INFO = "upr-info"
    THEMATIC_LIST = "thematic-list"


class ExportKind(StrEnum):
    """What `uprdex export --what` writes (export contract: the record kinds)."""

    RECOMMENDATIONS = "recommendations"
    EVIDENCE = "evidence"
    CLUSTERS = "clusters"
    DOCUMENTS = "documents"
    MATRIX = "matrix"
    """The UPR matrix workbook (xlsx only): a sheet per State under review."""


class ExportFormat(StrEnum):
    """The file formats of `uprdex export --format`."""

    JSONL = "jsonl"
    CSV = "csv"
    XLSX = "xlsx"
    JSON = "json"


CitationKind = Literal["citation", "listing"]
"""A citation by number names the recommendation ("citation") or lists it among others in a
table or an annex ("listing")."""


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
    # The page draws a grid of rules, a table's borders: its tables are worth reading with
    # pdfplumber (`extractors/tables.py`), which is too slow for every page.
    ruled: bool = False

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
class AskPart:
    """One part of a compound recommendation: a stretch of its printed text and the States of
    the list that closes it ("the Optional Protocol to the Convention against Torture (United
    Kingdom, Albania, Mexico, Brazil)", A/HRC/8/44 60.1)."""

    text: str
    recommending_states: tuple[str, ...]
    lead: str = ""
    """The verb an enumerated object shares with its ask's first part: "Consider
    ratifying/Ratify" for "the Optional Protocol to the Convention against Torture" (searched
    with the part, not shown)."""


@dataclass(frozen=True, slots=True)
class AskFootnote:
    """A footnote the report prints on an ask, under the marker printed in it: most often the
    ask as the State heard it, "The recommendation as read during the interactive dialogue: To
    pursue and intensify initiatives in the area of housing within the framework of the plan
    for 2009-2014, ..." under 81.72's "(Algeria)¹" (El Salvador 2010, A/HRC/14/5, page 17)."""

    marker: str
    page: int
    text: str


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
    marked: bool = False
    """Printed with an asterisk after its State list, "(Brazil);*", which a paragraph of the
    report speaks of ("the recommendations marked with an asterisk ...")."""
    position_detail: str | None = None
    """What the report says beyond the position: "accepted; considered already implemented or
    in process" ("noted; considered ..." for a noted ask) when its section's lead-in, or the
    State's note naming it, says so."""
    parts: tuple[AskPart, ...] = ()
    """Who asked which part, when the item prints State lists inside its text that name
    different States (`state_lists.ask_parts`); empty for an item with one State list."""
    footnotes: tuple[AskFootnote, ...] = ()
    """The footnotes printed on the ask, in the order of their markers (`AskFootnote`)."""


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


@dataclass(frozen=True, slots=True)
class ThemeHit:
    """One theme found in a text: by keywords (with the words of the text that matched them),
    by the trained classifier (method "model", with its score), or a keyword theme shown beside
    the classifier's labels (method "beside", data/themes.yaml `beside_model`)."""

    theme: str
    matched: tuple[str, ...]
    method: str = "keywords"
    score: float | None = None


@dataclass(frozen=True, slots=True)
class Citation:
    """One cited recommendation paragraph, where it is printed and the sentence it supports.

    `candidates` are the readings of the printed number, the printed one first, then repairs
    of possible misprints ("151.119" in "151.119–115.127" -> "115.119"); `ref` is the reading
    the extractor prefers and `corrected` says it differs from the printed one.
    """

    symbol: str | None
    ref: str
    as_printed: str
    page: int
    footnote: str | None
    context: str
    candidates: tuple[str, ...]
    corrected: bool = False
    kind: CitationKind = "citation"
    context_page: int | None = None
    """The 1-based page where `context` begins: a note's context is the body sentence (or
    heading) that bears its marker, often on an earlier page than the note itself."""


@dataclass(frozen=True, slots=True)
class Response:
    """The State's answer to one recommendation, as the addendum prints it.

    `ref` is a full paragraph ("115.3") or a bare index ("3") into the WG report's pending
    paragraph, resolved when the WG report is known. `paragraph` is the addendum paragraph
    that states it (for response_source); `comment` is the State's own words, if any, printed
    on `comment_page` under `comment_as_printed` ("122.2–4") when that is not the response's.
    """

    ref: str
    position: Position
    detail: str
    page: int
    paragraph: str | None
    as_printed: str
    comment: str | None = None
    comment_page: int | None = None
    comment_as_printed: str | None = None


@dataclass(frozen=True, slots=True)
class Addendum:
    """What an addendum says: its symbol, its WG report's symbol and the responses."""

    symbol: str | None
    wg_symbol: str | None
    responses: tuple[Response, ...]


@dataclass(frozen=True, slots=True)
class ImportedRec:
    """One recommendation from an imported database, with the labels its source gives."""

    import_id: str
    source: str
    state_under_review: str
    session: int | None
    wg_symbol: str | None
    paragraph: str | None
    text: str
    recommending_states: tuple[str, ...]
    position: str | None
    position_source: str | None
    themes: tuple[str, ...] = ()
    extra: dict[str, object] = field(default_factory=dict)
    row: int = 0

    @property
    def cycle(self) -> int | None:
        """The UPR cycle of the review."""
        return cycle_of_session(self.session)


IMPORT_READER = "import"
"""`DocumentRow.reader` of an imported database (`uprdex import`): read again only by importing
it again, never as a PDF."""


@dataclass(frozen=True, slots=True)
class DocumentRow:
    """What the index records about one ingested file."""

    sha256: str
    path: str
    type: DocumentType
    symbol: str | None
    state_under_review: str | None
    session: int | None
    cycle: int | None
    year: int | None
    pages: int
    status: DocumentStatus
    error: str | None
    """What is wrong with a file not indexed, naming no file ("an HTML page (no %PDF header);
    save the real PDF"): a reading of these bytes is the same under any name. The index records
    it in a line that opens with the file's name (`Store.write_document`)."""
    warnings: tuple[str, ...] = ()
    date: str | None = None
    reader: str | None = None
    """What read the file: the uprdex version and a hash of the code, tables and theme model
    that shape a reading (set by the ingest), or `IMPORT_READER`; a file an earlier reader read
    is read again at its next ingest."""
