"""Addenda (Add.1): the State's responses to the recommendations of its WG report.

Three real forms (Slovenia's three cycles):
- lists by category: "3. The Government ... accepts the recommendations 1–5, 14–16, 20–23 ..."
  (bare indexes into the WG report's pending paragraph) or "... accepts the following
  recommendations 122.1, 122.12, 122.17-18 ..." (full paragraphs; "122.17-18" = 122.17-122.18),
  with comments per recommendation: "Rec. 18 We consider ...", "Recs. 6–13 ...", or a line
  "122.14– 15" followed by the comment;
- one numbered paragraph per recommendation (cycle 1): "2. Slovenia accepts the
  recommendation.", "5., 6., 7., 8., 9. The Slovenian Government accepts these
  recommendations.";
and the other common wordings of lists and tables: "supports the following recommendations:
65.1, 65.4", "Recommendations 65.2 and 65.3 are noted", "The recommendations 65.1 and 65.4
enjoy the support of ...", "Supported recommendations: 65.1, 65.4" or a list of numbers under
that heading, or a table row "65.1 | Consider ratifying ... (Chile) | Supported" (also with the
State in a column of its own, "Supported (already implemented)", "Supported/Noted" = in part),
"Supported: 65.1, 65.4", headings "A. Supported recommendations" or "Recommendations noted by
Kenya" over their numbers (bare indexes too), one paragraph per recommendation named by full
number ("5. Recommendation 65.1 (Ukraine): Kenya supports this recommendation."). A refusal
("cannot accept", "is unable to support", "is not in a position to accept") is noted: a State
supports or notes, it cannot formally reject.
Categories keep their detail ("accepted; considered already implemented or in process").
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from uprdex.extractors.citations import split_body_and_notes
from uprdex.extractors.metadata import find_symbol
from uprdex.extractors.positions import (
    ACTIVE_VERB,
    COLUMN,
    ENJOY_SUPPORT,
    HEADING_KIND,
    IMPLEMENTED,
    LABEL,
    LABEL_VERB,
    PASSIVE_VERB,
    REFUSED,
    category,
    verb_of,
    verdict_of,
)
from uprdex.extractors.tables import Row, join_cell
from uprdex.pipeline.model import (
    SUPPORTED_IN_PART,
    Addendum,
    Line,
    LoadedDocument,
    Position,
    Response,
)
from uprdex.pipeline.symbols import wg_symbol_of

__all__ = ["expand_refs", "matrix_responses", "parse_addendum"]


# A reference list: "1–5, 14–16, 20–23", "122.17-18", "150 – 152", "122.34- 35", "115.1"
_REF = r"\d{1,3}(?:\s?\.\s?\d{1,3})?"
# "122.1–122.9", "122.140 to 122.143"
REF_RANGE = re.compile(rf"({_REF})(?:\s*(?:[-–—]|to\b)\s*({_REF}))?")
# "3. The Government of the Republic of Slovenia accepts the recommendations 1–5, 14–"
# "5. For the time being, the Government ... notes recommendations 6–13, 17, 19"
# A full stop between two full numbers is a misprinted comma: "122.35. 122.36" (Slovenia 2025,
# A/HRC/59/15/Add.1: "140.35. 140.36").
_SEPARATOR = r"(?:[-–—,]|and|to|\.(?=\s*\d{2,3}\.\d))"
_REFS = rf"(?P<refs>{_REF}(?:\s*{_SEPARATOR}\s*{_REF})*)"
# Full paragraph numbers only ("65.1 and 65.4"), where a bare number could be a count; not
# "accepted 3.5 million".
_FULL_REF = r"\d{2,3}\s?\.\s?\d{1,3}(?!\d|\.\d|\s*(?:million|billion|per\s*cent|%))"
_FULL_REFS = rf"(?P<full>{_FULL_REF}(?:\s*{_SEPARATOR}\s*{_FULL_REF})*)"
# "... recommendation 65.1 partially", "... 65.1 in part"
_IN_PART = r"(?P<partial>\s+(?:partially|partly|in\s+part)\b)?"
# "Sri Lanka supports the following recommendations: 65.1, 65.4", "... the following 2
# recommendations: 65.1 and 65.4", "... has accepted 65.1 and 65.4" (full numbers only).
# "The Government accepts the following recommendations and provides some additional
# information about the implementation: 140.11, ..." (Slovenia 2025, A/HRC/59/15/Add.1)
_AND_CLAUSE = r"(?:\s+and\s+[^:\d.]{1,120}:)?"
LIST_STATEMENT = re.compile(
    rf"\b{ACTIVE_VERB}\s+(?:(?:the\s+)?(?:following\s+)?(?:\d{{1,3}}\s+)?recommendations?"
    rf"{_AND_CLAUSE}\s*(?:No(?:s)?\.\s*)?:?\s*{_REFS}|{_FULL_REFS}){_IN_PART}",
    re.IGNORECASE,
)
# The wordings and layouts below are those of other States' addenda; none is in
# ../shared/data, so the tests use Sri Lanka's recommendations (A/HRC/53/16) in them.
# "Recommendations 65.2, 65.3 and 65.5 are noted."
_BE = r"(?:are|is|were|was|have been|has been)\s+(?:fully\s+)?"
# "Recommendations 118.4 and 118.7 – Supported", "Recommendations 65.2 and 65.3 cannot be
# accepted"
PASSIVE_STATEMENT = re.compile(
    rf"\brecommendations?\s+(?:No(?:s)?\.\s*)?{_REFS}(?:\s+{_BE}|\s*[:–—-]\s*|\s+(?={REFUSED}))"
    rf"{PASSIVE_VERB}\b",
    re.IGNORECASE,
)
# "The following recommendations are supported: 65.1, 65.4", "Recommendations supported: 65.1"
# "The following recommendations have been noted by Kenya: 141.9, 141.10"
PASSIVE_LIST = re.compile(
    rf"\brecommendations?\s+(?:{_BE})?{PASSIVE_VERB}(?:\s+by\s+[^:\d]{{1,80}})?\s*:\s*{_REFS}",
    re.IGNORECASE,
)
# "The following recommendations are considered already implemented: 65.5, 65.8"
IMPLEMENTED_LIST = re.compile(
    rf"\brecommendations?\s+(?:{_BE})?(?P<verb>considered\s+(?:as\s+)?(?:already\s+)?(?:being\s+)?"
    rf"implemented)[^:\d]{{0,60}}:\s*{_REFS}",
    re.IGNORECASE,
)
# A capitalised position as a label: "Supported: 65.1, 65.2 Noted: 65.3"
LABEL_LIST = re.compile(
    rf"(?:^|(?<=[\s.;])){LABEL_VERB}\s*(?:\(\d{{1,3}}\)\s*)?:\s*"
    rf"(?P<refs>{_FULL_REF}(?:\s*{_SEPARATOR}\s*{_FULL_REF})*)"
)
# A heading followed by its numbers on the same line: "Supported recommendations: 65.1, 65.4",
# "II. Noted recommendations (2): 65.2, 65.3"
HEADING_LIST = re.compile(
    rf"^(?:[IVX]+\.\s*)?{PASSIVE_VERB}\s+recommendations?\s*(?:\(\d{{1,3}}\)\s*)?:\s*{_REFS}",
    re.IGNORECASE,
)
# "The recommendations 65.1 and 65.4 enjoy the support of Sri Lanka", "... did not enjoy ..."
SUPPORT_STATEMENT = re.compile(
    rf"\brecommendations?\s+(?:No(?:s)?\.\s*)?{_REFS}\s+{ENJOY_SUPPORT}\b", re.IGNORECASE
)
# "The following recommendations enjoy the support of Slovenia: 122.120, 122.121", as a WG
# report's own lead-in words it.
SUPPORT_LIST = re.compile(
    rf"\brecommendations?\s+(?:listed\s+below\s+)?{ENJOY_SUPPORT}\s+of\s+[^:\d]{{1,80}}:\s*"
    rf"{_REFS}",
    re.IGNORECASE,
)
_LIST_GOES_ON = re.compile(r"\d{2,3}\.\d{1,3}\b")
# The report's paragraph a list of bare indexes counts in, after the list: "Ghana accepts the
# recommendations 1-22 contained in paragraph 68 of the report" (68.1-68.22, not the asks
# numbered 16 and 20 in A/HRC/8/36's dialogue).
IN_PARAGRAPH = re.compile(
    r"\s*(?:(?:contained|listed|made|set\s+out)\s+)?in\s+paragraph\s+(?P<paragraph>\d{1,3})"
    r"(?!\d|\.\d)",
    re.IGNORECASE,
)
# A paragraph that answers the recommendation it names first: "Recommendation 65.1 (Ukraine):"
OWN_REF = re.compile(rf"^(?:Recommendations?\s+(?:No(?:s)?\.\s*)?)?{_FULL_REFS}")
_FULL_NUMBER = re.compile(r"(?<![\d.])\d{2,3}\.\d{1,3}(?![\d.])")
# A table row's position column: "65.1 Consider participating in core human rights treaties
# (Ukraine) Supported", "65.2 Supported in part", or the number alone above "Noted".
# "65.1 ... Ukraine Supported" (the State in a column of its own), "Supported (already
# implemented)", "Supported, already implemented", "Supported/Noted" (in part).
TABLE_POSITION = re.compile(
    rf"(?:^|\)\s*;?\s*)(?P<verb>{COLUMN})(?:\s*(?:$|[.:;,(]|\s[A-Z]))"
    # the State in a column of its own: "... core human rights treaties Ukraine Supported"
    rf"|(?<=\s)(?P<last>{COLUMN})\s*$"
)
# "Rec. 18 We consider ...", "Recs. 6–13 The Government ..."
COMMENT_START = re.compile(rf"^Recs?\.\s*(?P<refs>{_REF}(?:\s*[-–—,]\s*{_REF})*)\s*(?P<rest>.*)$")
# A line that is only references, heading a comment (cycle 3): "122.11", "122.14– 15"
REF_LINE = re.compile(r"^(?P<refs>\d{1,3}\.\d{1,3}(?:\s*[-–—,]\s*\d{1,3}(?:\.\d{1,3})?)*)\s*$")
# A table row that starts with its recommendation: "65.1 Consider participating in core
# human rights treaties (Ukraine) Supported".
# "118.5: Supported", "118.6 – Noted" too.
# "65.2 and 65.3 Noted" too.
TABLE_ROW = re.compile(
    r"^(?P<refs>\d{1,3}\.\d{1,3}(?:\s*(?:,|and)\s*\d{1,3}\.\d{1,3})*)\s*(?:[:–—-]\s*|\s)"
    r"(?P<rest>[A-Z].*)$"
)
# "3. ..." a numbered paragraph; "5., 6., 7., 8., 9. The Slovenian Government accepts ...";
# "40., 41., 42., Slovenia accepts these ..." whose list goes on at the next line's start
# ("43., 44."), a column of numbers beside the text (Slovenia 2010, A/HRC/14/15/Add.1).
NUMBERED = re.compile(
    r"^(?P<nums>\d{1,3}\.(?:\s*,?\s*\d{1,3}\.)*)(?P<open>\s*,)?\s+(?P<rest>\S.*)$"
)
NUMBERS_ONLY = re.compile(r"^(?P<nums>\d{1,3}\.(?:\s*,?\s*\d{1,3}\.)*)(?P<open>\s*,)?\s*$")
# Section headings that set the category: "II. Accepted recommendations that Slovenia
# considers already implemented or in process of implementation", "III. Noted recommendations",
# "A. Supported recommendations", "Recommendations supported by Kenya"
HEADING = re.compile(
    rf"^(?:(?:[IVX]+|[A-H])\.\s*)?(?:(?=[A-Z])(?i:(?P<kind>{HEADING_KIND})\s+recommendations\b)"
    rf"|Recommendations\s+(?i:(?P<after>{HEADING_KIND}))\b(?=[^.]{{0,60}}$))(?P<rest>.*)$"
)
# Numbers alone under such a heading: "65.1, 65.2", or bare indexes "1–5, 14–16"
LIST_LINE = re.compile(rf"^\s*{_REFS}\s*\.?\s*$")


def expand_refs(text: str) -> Iterator[tuple[str, str]]:
    """(reference, as printed) for every item of a list: "1–5, 14" -> 1..5, 14;
    "122.17-18" -> 122.17, 122.18; "115.44 -115.47" -> 115.44..115.47; a bare number after a
    full one is of the same paragraph: "140.82-85, 87" -> 140.82..140.85, 140.87."""
    paragraph = ""
    for match in REF_RANGE.finditer(text):
        first = _clean(match.group(1))
        if "." in first:
            paragraph = first.split(".")[0]
        elif paragraph:
            first = f"{paragraph}.{first}"
        last = _clean(match.group(2)) if match.group(2) else None
        printed = match.group(0)
        if last is None:
            yield first, printed
            continue
        prefix, _, start = first.rpartition(".")
        last_prefix, _, end = last.rpartition(".")
        if last_prefix and prefix and last_prefix != prefix:
            yield first, printed  # "115.3-116.2": not a range of one paragraph
            yield last, printed
            continue
        low, high = int(start), int(end)
        if high < low or high - low > 400:
            yield first, printed
            continue
        for number in range(low, high + 1):
            yield (f"{prefix}.{number}" if prefix else str(number)), printed


def _clean(ref: str) -> str:
    return re.sub(r"\s+", "", ref)


def parse_addendum(document: LoadedDocument, rows: Sequence[Row] = ()) -> Addendum:
    """Every response an addendum gives, with the State's comments; `rows`, the rows of its
    ruled tables (`tables.read_rows`), answer first for the recommendations they name."""
    symbol = find_symbol(document.first_page_text)
    # Without footnotes nor endnotes ("Notes", printed at the top of A/HRC/28/15/Add.1's page
    # 8, so not small print at a page's foot).
    lines = split_body_and_notes(document)[0]
    blocks = list(_blocks(lines))
    responses = _list_responses(blocks)
    if not responses and not _names_full_numbers(blocks):
        # Numbered answers, one per recommendation (cycle 1); never in an addendum that names
        # recommendations by full number, whose "1. This document contains ..." is no answer.
        responses = _per_paragraph_responses(blocks)
    matrix = matrix_responses(rows)
    answered = {response.ref for response in matrix}
    responses = [*matrix, *(r for r in responses if r.ref not in answered)]
    return Addendum(symbol, wg_symbol_of(symbol), tuple(responses))


# A matrix cell that is a position: "Supported", "Noted", "Supported (already implemented)",
# "Partially supported", "Supported/Noted".
_POSITION_CELL = re.compile(rf"^(?:{COLUMN})\b")


def matrix_responses(rows: Sequence[Row]) -> list[Response]:
    """The responses of an addendum's matrix, a row per recommendation: "115.2 Expedite the
    process ... | Belgium | Supported (already implemented) | The amendment was ratified in
    2013." The row's number cell names the recommendation(s), its position cell answers, the
    cells after that are the State's comment."""
    responses: list[Response] = []
    for row in rows:
        cells = [join_cell(cell.splitlines()) for cell in row.cells]
        own = next((m for cell in cells if (m := OWN_REF.match(cell))), None)
        at = next((i for i, cell in enumerate(cells) if _POSITION_CELL.match(cell)), None)
        if own is None or at is None:
            continue
        label = cells[at]
        verb = verb_of(label)
        if "/" in label:
            position, detail = SUPPORTED_IN_PART  # "Supported/Noted"
        elif verb is None:
            continue
        else:
            position, detail = category(verb, label, label)
        comment = " ".join(cell for cell in cells[at + 1 :] if cell) or None
        printed = " ".join(own.group("full").split())
        for ref, _ in expand_refs(own.group("full")):
            responses.append(
                Response(
                    ref,
                    position,
                    detail,
                    row.page,
                    None,
                    printed,
                    comment,
                    row.page if comment else None,
                    printed if comment else None,
                )
            )
    return responses


@dataclass
class _Block:
    """A run of lines: a numbered paragraph, a comment, a heading or loose text."""

    kind: str  # "paragraph" | "comment" | "heading" | "text"
    head: str  # paragraph numbers, comment refs, or heading kind
    text: str
    page: int
    category: str | None
    open_list: bool = False  # a paragraph whose numbers end with "," go on at the next line


def _blocks(lines: list[Line]) -> Iterator[_Block]:
    current: _Block | None = None
    category: str | None = None
    for line in lines:
        text = line.text.strip()
        numbered = NUMBERED.match(text)
        more = NUMBERS_ONLY.match(text) or numbered
        if current is not None and current.open_list and more:
            # As printed, the text between left out: "77., 78., 79., 82., … 83., 85., 86., 87."
            current.head = f"{current.head} … {more.group('nums')}"
            current.open_list = bool(more.group("open"))
            rest = more.groupdict().get("rest") or ""
            current.text = f"{current.text} {rest}".strip()
            continue
        if (
            current is not None
            and current.kind == "paragraph"
            and current.text.endswith((",", "–", "-", " and"))
            and _LIST_GOES_ON.match(text)
        ):
            # A list that wraps: "... 122.35. 122.36," / "122.41. 122.42."
            current.text = f"{current.text} {text}"
            continue
        heading = HEADING.match(text)
        comment = COMMENT_START.match(text)
        ref_line = REF_LINE.match(text)
        row = TABLE_ROW.match(text)
        start: _Block | None = None
        if heading:
            kind = heading.group("kind") or heading.group("after")
            category = f"{kind} {heading.group('rest')}".strip()
            start = _Block("heading", kind, text, line.page, category)
        elif comment:
            start = _Block(
                "comment", comment.group("refs"), comment.group("rest"), line.page, category
            )
        elif ref_line:
            start = _Block("comment", ref_line.group("refs"), "", line.page, category)
        elif row:
            start = _Block("comment", row.group("refs"), row.group("rest"), line.page, category)
        elif numbered:
            start = _Block(
                "paragraph",
                numbered.group("nums"),
                numbered.group("rest"),
                line.page,
                category,
                open_list=bool(numbered.group("open")),
            )
        if start is not None:
            if current is not None:
                yield current
            current = start
        elif current is not None:
            if current.kind == "heading" and not text[:1].islower():
                yield current
                current = _Block("text", "", text, line.page, category)
            else:
                current.text = f"{current.text} {text}".strip()
                if current.kind == "heading":
                    category = f"{category} {text}"
                    current.category = category
        else:
            current = _Block("text", "", text, line.page, category)
    if current is not None:
        yield current


def _names_full_numbers(blocks: list[_Block]) -> bool:
    """Whether the text names recommendations by full number: three or more of one paragraph
    ("122.11, 122.12, 122.13"), not a figure ("15.1 maternal deaths")."""
    heads = Counter(
        number.split(".")[0]
        for block in blocks
        for number in set(_FULL_NUMBER.findall(f"{block.head} {block.text}"))
    )
    return any(count >= 3 for count in heads.values())


def _list_responses(blocks: list[_Block]) -> list[Response]:
    responses: list[Response] = []
    comments: dict[str, _Block] = {}
    for block in blocks:
        if block.kind == "comment":
            for ref, _ in expand_refs(block.head):
                comments.setdefault(ref, block)
            continue
        number = block.head.split(".")[0] if block.kind == "paragraph" else None
        listed = _listed_under_heading(block)
        if listed is not None:
            responses.extend(listed)
            continue
        for verb, refs, paragraph in _statements(block.text):
            position, detail = category(verb, block.category, block.text)
            for ref, printed in expand_refs(refs):
                # "the recommendations 1-22 contained in paragraph 68": 68.1-68.22
                full = f"{paragraph}.{ref}" if paragraph and "." not in ref else ref
                responses.append(Response(full, position, detail, block.page, number, printed))
    answered = {response.ref for response in responses}
    responses += _unlisted_responses(blocks, answered)
    return [
        replace(
            r,
            comment=comments[r.ref].text,
            comment_page=comments[r.ref].page,
            comment_as_printed=" ".join(comments[r.ref].head.split()),
        )
        if r.ref in comments
        else r
        for r in responses
    ]


def _listed_under_heading(block: _Block) -> list[Response] | None:
    """A line of two or more numbers alone under a position heading, bare indexes included:
    "Supported recommendations" / "1–5, 14–16"."""
    if block.kind != "text" or block.category is None or not LIST_LINE.match(block.text):
        return None
    refs = list(expand_refs(block.text))
    verb = verb_of(block.category)
    if len(refs) < 2 or verb is None:
        return None
    position, detail = category(verb, block.category, "")
    return [Response(ref, position, detail, block.page, None, printed) for ref, printed in refs]


def _statements(text: str) -> Iterator[tuple[str, str, str | None]]:
    """(verb, references, the report's paragraph they count in when the statement names it)
    of every list statement in a paragraph, active or passive."""
    for statement in LIST_STATEMENT.finditer(text):
        verb = statement.group("verb")
        refs = statement.group("refs") or statement.group("full")
        counted = IN_PARAGRAPH.match(text, statement.end())
        yield (
            (f"partially {verb}" if statement.group("partial") else verb),
            refs,
            counted.group("paragraph") if counted else None,
        )
    for pattern in (PASSIVE_STATEMENT, PASSIVE_LIST, HEADING_LIST, LABEL_LIST, IMPLEMENTED_LIST):
        for statement in pattern.finditer(text):
            yield statement.group("verb"), statement.group("refs"), None
    for pattern in (SUPPORT_STATEMENT, SUPPORT_LIST):
        for statement in pattern.finditer(text):
            negated = " not " in f" {statement.group('verb').lower()} "
            yield ("does not support" if negated else "supports"), statement.group("refs"), None


def _unlisted_responses(blocks: list[_Block], answered: set[str]) -> list[Response]:
    """Responses no statement gives: a table row whose position column reads "Supported" /
    "Noted", or numbers listed alone under a heading "Supported recommendations".

    Only full paragraph numbers ("65.1") count, and only those no list statement answered.
    """
    responses: list[Response] = []
    for block in blocks:
        if block.kind == "paragraph":
            # "5. Recommendation 65.1 (Ukraine): Sri Lanka supports this recommendation."
            own = OWN_REF.match(block.text)
            refs = list(expand_refs(own.group("full"))) if own else []
            verdict = _own_verdict(block.text[own.end() :]) if own else None
            number: str | None = block.head.split(".")[0]
        elif block.kind == "comment":
            refs = [(ref, printed) for ref, printed in expand_refs(block.head) if "." in ref]
            verdict = _row_position(block)
            number = None
        else:
            continue
        if not refs or verdict is None or any(ref in answered for ref, _ in refs):
            continue
        position, detail = verdict
        for ref, printed in refs:
            answered.add(ref)
            responses.append(
                Response(ref, position, detail, block.page, number, " ".join(printed.split()))
            )
    return responses


def _row_position(block: _Block) -> tuple[Position, str] | None:
    """A row's position: its own column ("Supported", "Supported (already implemented)",
    "Supported/Noted"), else the heading it is listed under, else its words ("65.1 Kenya
    supports this recommendation.")."""
    column = TABLE_POSITION.search(block.text)
    # The row's own position column, else the heading the rows are listed under.
    printed = (column.group("verb") or column.group("last")) if column else None
    label = " ".join(printed.split()) if printed else block.category
    if label is not None and "/" in label:
        return SUPPORTED_IN_PART  # "Supported/Noted"
    verb = verb_of(label)
    if label is None or verb is None:
        return _own_verdict(block.text)
    tail = block.text[column.end() :] if column else ""
    return category(verb, f"{label} {tail}" if column else label, tail)


def _per_paragraph_responses(blocks: list[_Block]) -> list[Response]:
    """Cycle-1 form: each numbered paragraph answers the recommendation(s) it is numbered.

    A paragraph among the answers that states no position ("15. Slovenia agrees with the
    importance of the 1995 Programme of Measures for Assisting the Roma ...", A/HRC/14/15/Add.1)
    answers "unknown", its text kept as the State's comment; paragraphs before the first
    answer and after the last (an introduction, a closing) answer nothing.
    """
    found: list[tuple[_Block, tuple[Position, str] | None]] = [
        (block, verdict_of(block.text))
        for block in blocks
        if block.kind == "paragraph" and not NAMES_A_PARAGRAPH.search(block.text)
    ]
    decided = [at for at, (_, verdict) in enumerate(found) if verdict is not None]
    responses: list[Response] = []
    for block, verdict in found[decided[0] : decided[-1] + 1] if decided else []:
        position, detail = verdict or (Position.UNKNOWN, "no position stated")
        if position is Position.SUPPORTED and IMPLEMENTED.search(block.text):
            detail = "accepted; considered already implemented or in process"
        named = NAMES_ITS_ASK.match(block.text)
        if named:
            # With the States it names: a bare number alone does not say which list it counts
            # in (`refresh_responses`).
            printed = " ".join(named.group(0).removeprefix(named.group("word")).split())
            for ref, _ in expand_refs(named.group("refs")):
                responses.append(
                    Response(
                        ref,
                        position,
                        detail,
                        block.page,
                        block.head.split(".")[0],
                        printed,
                        block.text,
                    )
                )
            continue
        for number in re.findall(r"\d{1,3}", block.head):
            responses.append(
                Response(number, position, detail, block.page, number, block.head, block.text)
            )
    return responses


# A paragraph that names the recommendation it answers by its number in the report's list,
# bare or full, and the States that asked it: "1. Recommendation 3 (Algeria): Ghana accepts
# this recommendation.", "2. Recommendations Nos. 12 and 13: ...": it answers those, not its
# own number.
NAMES_ITS_ASK = re.compile(
    rf"^(?P<word>Recommendations?\s+(?:No(?:s)?\.\s*)?){_REFS}(?:\s*\([^()]*\))?",
    re.IGNORECASE,
)
# A paragraph that answers the recommendations of a paragraph of the report, "4. Japan accepts
# the recommendations contained in paragraph 60 of the report", answers no recommendation
# numbered 4. Not one that refers to another answer of the addendum: "2. Slovenia accepts the
# recommendation, as it accepted the recommendation in paragraph 1 above."
NAMES_A_PARAGRAPH = re.compile(
    r"\brecommendations?\s+(?:(?:contained|listed|made|set\s+out)\s+)?in\s+paragraphs?\s+"
    r"\d{1,3}(?!\d|\s+(?:above|below)\b)",
    re.IGNORECASE,
)


# "(Chile): Supported." / "Noted." right after the number a paragraph or row answers
_LABEL_VERDICT = re.compile(rf"^\s*(?:\((?:[^()]|\([^()]*\))*\))?\s*[:–—-]?\s*(?P<label>{LABEL})\b")
# A row or paragraph that answers in words speaks of the recommendation it is numbered with.
_OWN_RECOMMENDATION = re.compile(r"\b(?:this|the|that)\s+recommendation\b", re.I)


def _own_verdict(text: str) -> tuple[Position, str] | None:
    """The position a row or paragraph numbered with its recommendation states: a label
    ("(Chile): Supported."), else its words when they are about "this recommendation" (not
    "65.12 Accept the visit request ..." whose own text is the ask, nor "12.5 thousand persons
    ... the Government supports further funding")."""
    label = _LABEL_VERDICT.match(text)
    verb = verb_of(label.group("label")) if label else None
    if label and verb:
        return category(verb, label.group("label"), text)
    if not _OWN_RECOMMENDATION.search(text):
        return None
    return verdict_of(text)
