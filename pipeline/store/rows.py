"""What the store's queries return: typed, frozen records of the index's rows.

Each carries the columns of its table as they are stored, with the JSON columns decoded
(warnings, candidates, themes) and the rows of its child tables attached (a recommendation's
States, imported labels and theme hits). Exports turn them into the export contract's
records (pipeline/exports.py); nothing outside the store reads the index's rows as dicts.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from uprdex.pipeline.model import AskFootnote, AskPart
from uprdex.pipeline.names import BY_NAME, text_path

__all__ = [
    "AddendumAnswer",
    "ClusterMember",
    "ImportedLabel",
    "LinkedEvidence",
    "RepeatedAsk",
    "SearchHit",
    "SearchResults",
    "StoredCluster",
    "StoredDocument",
    "StoredEvidence",
    "StoredRecommendation",
    "StoredThemeHit",
]


@dataclass(frozen=True, slots=True)
class StoredDocument:
    """A row of `documents`: one file ingested (indexed, failed or needing OCR)."""

    sha256: str
    path: str
    type: str
    symbol: str | None
    state_under_review: str | None
    session: int | None
    cycle: int | None
    year: int | None
    pages: int
    status: str
    error: str | None
    """What is wrong with the file, naming no file (`path` does): "an HTML page (no %PDF
    header); save the real PDF"."""
    warnings: tuple[str, ...]
    ingested_at: str
    date: str | None
    reader: str | None
    """What read it (`DocumentRow.reader`); None: a release before schema 6."""

    @classmethod
    def of(cls, row: sqlite3.Row) -> StoredDocument:
        """The document of a `SELECT * FROM documents` row."""
        return cls(**{**dict(row), "warnings": tuple(json.loads(row["warnings"]))})

    @property
    def named_error(self) -> str | None:
        """`error` in a line naming the file by its name, as the exports say it: "report.pdf:
        an HTML page (no %PDF header); save the real PDF"."""
        return self.error and BY_NAME.line(text_path(self.path), self.error)


@dataclass(frozen=True, slots=True)
class StoredThemeHit:
    """A theme one method found for a recommendation (`recommendation_themes`)."""

    theme: str
    matched: tuple[str, ...]
    method: str
    score: float | None


@dataclass(frozen=True, slots=True)
class ImportedLabel:
    """What an imported database (UPR Info, an OHCHR thematic list) says of a recommendation
    it was linked to: its position, the source of that position, its themes and its other
    labels (`extra`, as the source names them), and the row's own text and States: UPR Info
    gives a cycle-1 compound item's parts as rows of their own, each with the States that made
    that part ("Ratify the OP-CAT", United Kingdom, of A/HRC/8/44 60.1)."""

    source: str
    response: str | None
    response_source: str | None
    themes: tuple[str, ...]
    extra: Mapping[str, Any] = field(default_factory=dict)
    text: str = ""
    recommending_states: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RepeatedAsk:
    """An ask to the same State in another review that a recommendation repeats, or that
    repeats it (one row of `recurrences`, read from either end), with the State's response to
    it and how alike the two are (0-100)."""

    id: str
    document_symbol: str | None
    paragraph: str | None
    cycle: int | None
    year: int | None
    text: str
    response: str
    score: float


@dataclass(frozen=True, slots=True)
class StoredRecommendation:
    """A row of `recommendations` with its recommending States (each once, printed order),
    the labels of the imports linked to it and its theme hits.

    state_pairs: the number of (ask, State) pairs, as UPR Info's rows count them: a cycle-1
    item of several asks, each closed by its States, can name a State twice.
    cluster_confidence: how sure its place in its cluster is (0-1; None when alone).
    repeats: the earlier asks to the same State it repeats, the most alike first.
    repeated_by: the later asks to the same State that repeat it (the same links read from
    the earlier end), the earliest review first.
    """

    id: str
    document_sha256: str
    document_symbol: str | None
    paragraph: str | None
    state_under_review: str | None
    cycle: int | None
    session: int | None
    year: int | None
    text: str
    response: str
    response_source: str | None
    page: int | None
    as_printed: str | None
    cluster_id: str | None
    warnings: tuple[str, ...]
    section_response: str
    section_source: str | None
    response_detail: str | None
    response_conflict: str | None
    origin: str
    rowid: int
    section_detail: str | None
    footnotes: tuple[AskFootnote, ...]
    """The footnotes the report prints on the ask (`model.AskFootnote`)."""
    recommending_states: tuple[str, ...]
    recommending_state_codes: tuple[str | None, ...]
    state_pairs: int
    imported: tuple[ImportedLabel, ...]
    theme_hits: tuple[StoredThemeHit, ...]
    cluster_confidence: float | None = None
    repeats: tuple[RepeatedAsk, ...] = ()
    repeated_by: tuple[RepeatedAsk, ...] = ()
    parts: tuple[AskPart, ...] = ()
    """Who asked which part of a compound item (`state_lists.ask_parts`); empty otherwise."""

    @classmethod
    def of(
        cls,
        row: sqlite3.Row,
        states: Sequence[sqlite3.Row],
        imported: Sequence[ImportedLabel],
        theme_hits: Sequence[StoredThemeHit],
        cluster_confidence: float | None = None,
        repeats: Sequence[RepeatedAsk] = (),
        repeated_by: Sequence[RepeatedAsk] = (),
        parts: Sequence[AskPart] = (),
    ) -> StoredRecommendation:
        """The recommendation of a `SELECT * FROM recommendations` row and its child rows."""
        named = list(dict.fromkeys((state["name"], state["iso3"]) for state in states))
        return cls(
            **{
                **dict(row),
                "warnings": tuple(json.loads(row["warnings"])),
                "footnotes": tuple(AskFootnote(**note) for note in json.loads(row["footnotes"])),
                "recommending_states": tuple(name for name, _ in named),
                "recommending_state_codes": tuple(code for _, code in named),
                "state_pairs": len(states),
                "imported": tuple(imported),
                "theme_hits": tuple(theme_hits),
                "cluster_confidence": cluster_confidence,
                "repeats": tuple(repeats),
                "repeated_by": tuple(repeated_by),
                "parts": tuple(parts),
            }
        )


@dataclass(frozen=True, slots=True)
class SearchHit:
    """A recommendation `search` found, with where: `snippet` marks the words found between
    \\x02 and \\x03; `found_in` is "recommendation", "footnote" (the footnotes the report
    prints on it held words its text lacks: the ask as read in the dialogue) or "evidence:
    <document>"."""

    recommendation: StoredRecommendation
    snippet: str
    found_in: str
    parts: tuple[AskPart, ...] = ()
    """Of an item that bundles several asks, the parts that hold the words (of those the
    recommending State searched for asked), with the States that asked each."""


@dataclass(frozen=True, slots=True)
class SearchResults:
    """What `search` found: the best `hits` (at most the limit asked), and how many
    recommendations hold the words in all (`matched`), as `recs` says "3 of 136"."""

    hits: list[SearchHit]
    matched: int


@dataclass(frozen=True, slots=True)
class StoredEvidence:
    """A row of `evidence`: a citation, listing, paraphrase or State's comment in a
    document, linked to its recommendation (`recommendation_id`) or still waiting."""

    id: int
    recommendation_id: str | None
    target_symbol: str | None
    target_ref: str
    document_sha256: str
    page: int
    footnote: str | None
    kind: str
    as_printed: str
    context: str
    score: float
    corrected: bool
    candidates: tuple[str, ...]
    symbol_inferred: bool
    context_page: int | None
    """Where `context` begins; None for a citation an earlier release read."""

    @classmethod
    def of(cls, row: sqlite3.Row) -> StoredEvidence:
        """The evidence of a `SELECT * FROM evidence` row."""
        return cls(**_evidence_columns(row))


@dataclass(frozen=True, slots=True)
class LinkedEvidence(StoredEvidence):
    """Evidence with the document that holds it (`evidence` joined with `documents`)."""

    document_path: str = ""
    document_symbol: str | None = None
    document_type: str = ""

    @classmethod
    def of(cls, row: sqlite3.Row) -> LinkedEvidence:
        """The evidence of a `SELECT e.*, d.path, d.symbol, d.type` row."""
        return cls(
            **_evidence_columns(row),
            document_path=row["path"],
            document_symbol=row["symbol"],
            document_type=row["type"],
        )


def _evidence_columns(row: sqlite3.Row) -> dict[str, Any]:
    names = StoredEvidence.__dataclass_fields__
    columns = {name: row[name] for name in names}
    columns["corrected"] = bool(row["corrected"])
    columns["symbol_inferred"] = bool(row["symbol_inferred"])
    columns["candidates"] = tuple(json.loads(row["candidates"]))
    return columns


@dataclass(frozen=True, slots=True)
class AddendumAnswer:
    """A row of `responses`: the State's answer to one ask in an addendum, by the number it
    prints ("115.18", or the bare index "18"), with its position and detail."""

    addendum_symbol: str | None
    ref: str
    position: str
    detail: str
    page: int
    paragraph: str | None


@dataclass(frozen=True, slots=True)
class ClusterMember:
    """A recommendation of a cluster, as cluster listings show it, with how sure its place
    in the cluster is (its mean similarity to the other members, 0-1; None when alone or
    placed by a researcher's link)."""

    id: str
    state_under_review: str | None
    response: str
    recommending_states: tuple[str, ...]
    confidence: float | None = None


@dataclass(frozen=True, slots=True)
class StoredCluster:
    """A row of `clusters` with its members in report order."""

    cluster_id: str
    canonical_id: str
    canonical_text: str
    size: int
    cycles: tuple[int, ...]
    recurring: bool
    scope: str
    members: tuple[ClusterMember, ...]
    confidence: float | None = None
    """All its members' mean confidence, whatever filter chose the members listed: None for
    one recommendation, or when a member's place is a researcher's (a link)."""
