"""Citations of recommendations by number in other documents: body text, footnotes, endnotes.

UN compilations and stakeholders' summaries cite the previous review in their notes ("For
relevant recommendations, see A/HRC/28/15, paras. 115.22 and 115.31–115.39."), NGO reports in
prose ("recommendations 118.17, 118.18 and 118.20"). A number is read as a citation only with a
cue before it: a Working Group report symbol with "para(s).", the word "recommendation(s)", a
bare "para(s)." that no other source qualifies, or a list of two or more numbers of one
paragraph. "JS1, para. 58.3" (a submission's paragraph), "p. 2", dates, money and percentages
are not. A line that starts with a number followed by text reprints a recommendation: a listing.

Misprints are not repaired here but proposed: each citation carries every plausible reading
(`candidates`, the printed one first) and `resolve` picks the one reading that is a known
paragraph of the cited review, or none.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import permutations

from uprdex.pipeline.model import Citation, CitationKind, Line, LoadedDocument
from uprdex.pipeline.symbols import SYMBOL, WG_REPORT_SYMBOL, normalize_symbol, resolve_readings
from uprdex.pipeline.text import ends_with_abbreviation

__all__ = ["find_citations", "resolve", "split_body_and_notes"]


# A cited paragraph "115.22"; "115. 23" is a real misprint. Not part of "30.12.2008", "1.9. 10"
# or "E/C.12".
_REF = r"(?<![\w/])(?<!\d\.)\d{2,3}\. ?\d{1,3}(?!\d|\.\d)"
# "115.31–115.39", "115.44 -115.47", "115.62–\n115.70", "122.17-18", "115.44 to 115.47"
_ITEM = rf"{_REF}(?:(?:\s*[-–—‑−]\s*|\s+to\s+)(?:{_REF}|\d{{1,3}}(?!\d|\.\d)))?"
# "115.22, 115.31–115.39 and 115.48", "105.8, 105.14, 105.15, 105.16 and\n105.31"
REF_LIST = re.compile(rf"{_ITEM}(?:\s*(?:,\s*(?:and\s+|or\s+)?|;\s*|\s+(?:and|or|&)\s+){_ITEM})*")
ITEM = re.compile(
    r"(?P<start>(?P<head>\d{2,3})\. ?(?P<item>\d{1,3}))"
    r"(?:(?P<dash>\s*[-–—‑−]\s*|\s+to\s+)"
    r"(?P<end>(?:(?P<end_head>\d{2,3})\. ?)?(?P<end_item>\d{1,3})))?"
)
# "see A/HRC/28/15, paras. " / "JS1, para. " / "see paras. ": what stands before the numbers.
PARAGRAPH_CUE = re.compile(r"\b(?:paras?\.|paragraphs?)\s*$", re.I)
# "identified recommendations ", "Rec. ", "recommendations nos. ", "Recs "
RECOMMENDATION_CUE = re.compile(
    r"\b(?:recom-?\s*mendations?|recs?\.|recs)(?:\s+(?:nos?\.|numbers?))?\s*$", re.I
)
# Numbers further on in a sentence whose cue came with earlier numbers: "Slovenia supported
# recommendations 115.44 - 115.47 on hate speech and 115.62 - 115.64 on Roma".
CUED_BEFORE = re.compile(
    r"\b(?:recom-?\s*mendations?|recs?\.|recs)\s+\d{2,3}\.\d(?:[^.;:()]|(?<=\d)\.(?=\d)){0,80}"
    r"(?:,|\band|\bas well as)\s*$",
    re.I,
)
# The report named after the numbers: "recommendations 122.5 and 122.7 (A/HRC/43/15)",
# "... 122.5 of A/HRC/43/15"
# The report named in brackets a few words on, in the same sentence: "recommendations 115.62
# and 115.63 on Roma children at its second review (A/HRC/28/15)".
SYMBOL_LATER = re.compile(
    r"[^.;()]{0,80}?\(\s*(?:see\s+)?(?P<symbol>A\s*/\s*HRC\s*/\s*\d{1,2}\s*/\s*\d{1,3})\b"
)
SYMBOL_AFTER = re.compile(r"^\s*(?:\(\s*(?:see\s+)?|of\s+|in\s+)(?=A\s*/\s*HRC)")
# "Recommendations 1–5, 14–16, 18, 43, 133" (a heading), "(recommendations 25 and 84)",
# "implementing recommendation 43": a State's own report citing the previous review's
# recommendations by their index in its list. Not "115.22" (dotted), "No. 19", "2014".
_BARE = r"(?<![\w./])\d{1,3}(?![\d\w]|\.\d)"
_BARE_ITEM = rf"{_BARE}(?:\s*[-–—‑−]\s*{_BARE})?"
BARE_LIST = re.compile(
    rf"\brecommendations?\s+(?P<list>{_BARE_ITEM}(?:\s*,\s*(?:and\s+)?{_BARE_ITEM}"
    rf"|\s+(?:and|&)\s+{_BARE_ITEM})*)",
    re.I,
)
BARE_ITEM = re.compile(rf"(?P<first>{_BARE})(?:\s*[-–—‑−]\s*(?P<last>{_BARE}))?")
# "general recommendation 19" (CEDAW), "ILO Recommendation 200", "CM/Rec": other bodies' texts.
_OTHER_BODY_BEFORE = re.compile(r"\b(?:general|ILO|Council\s+of\s+Europe)\s*$", re.I)
# "... recommendation 2 of the Committee against Torture": another body's recommendation; not
# "... of the second cycle", "... of the universal periodic review".
_OF_ANOTHER_BODY = re.compile(
    r"^\s*(?:of|by|from)\s+the\s+(?!(?:first|second|third|fourth|previous|last|UPR|"
    r"universal|Working\s+Group\s+on\s+the\s+Universal|review|cycle)\b)",
    re.I,
)
# "p. 2", "pp. 4–5", "page 27": page numbers.
PAGE_CUE = re.compile(r"\b(?:pp?\.|pages?)\s*$", re.I)
# "13.3%", "12.2 per cent", "EUR 25.5 million", "€ 10.5": statistics and money.
UNIT_AFTER = re.compile(r"^\s*(?:%|per\s*cent|percent|million|billion|euros?|dollars?)", re.I)
MONEY_BEFORE = re.compile(r"(?:[$€£]|\b(?:EUR|USD|US\$))\s*$")
# "118.17 Establish a law on freedom of information ... (Belgium);", "113.2. The Parliament to"
LISTING_TEXT = re.compile(r"^\.?\s+[A-Z“\"‘]")
# The heading over endnotes, and what may follow them: "Notes", "Endnotes"; "Annex".
NOTES_HEADING = re.compile(r"^(?:End)?notes$", re.I)
ANNEX_HEADING = re.compile(r"^Annex(?:es)?\b")
# "14 For relevant recommendations, see ..." / "6" alone / "* The present document ...".
NOTE_AT_LINE_START = re.compile(r"^(?P<number>\d{1,3}|\*{1,3})(?=\s|$)")
# "... February 7 2012. 2" / "... p. 26). 9" / "98 CoE-CEECRML, para. 92. 99 CoE-CM: ...": a note
# number printed inside a line of notes, after the end of the previous note.
NOTE_INSIDE_LINE = re.compile(r"(?<=[.)])\s+(?P<number>\d{1,3})(?=\s|$)")
# "8. The ILO Committee ...", "IV. Implementation ...", "A. Cross-cutting issues",
# "115.1 Take further steps ...", "122.34–35" (a row of an addendum's table): lines that open
# a paragraph, heading or reprinted item.
UNIT_START = re.compile(
    r"^(?:\d{1,3}\.\s+\S|[IVXL]+\.\s+\S|[A-Z]\.\s+\S|\d{2,3}\.\d{1,3}\.?\s+[A-Z“\"‘]"
    r"|\d{2,3}\.\d{1,3}(?:\s*[-–—]\s*\d{1,3}(?:\.\d{1,3})?)?$)"
)
# ". " before a capital ends a sentence unless the word before the full stop abbreviates
# (`ends_with_abbreviation`).
SENTENCE_END = re.compile(r"[.!?][”’\")]?\s+(?=[A-Z“\"‘(])")
# How far before and after a list of numbers its cue is looked for (characters).
CUE_WINDOW = 120
# Ranges longer than this are misprints, not ranges ("115.12–115.912").
MAX_RANGE = 400
_BREAK_AFTER_DASH = re.compile(r"(?<=[-–—])\s*\n\s*")
_SPACES = re.compile(r"\s+")
# "8.", "IV.", "A.", "106.88.": the number of a paragraph, heading or item, not a sentence end.
ENUMERATOR = re.compile(r"^\s*(?:\d{1,3}(?:\.\d{1,3})?|[IVXL]+|[A-Z])$")


def find_citations(document: LoadedDocument, bare_indices: bool = False) -> list[Citation]:
    """Every recommendation cited by number in the document's body, footnotes and endnotes.

    Ranges are expanded into one citation per paragraph; a note's citations carry the body
    sentence (or heading) that bears the note's marker as context. With `bare_indices` (for
    the State's own reports), "Recommendations 22, 31–39" cites the previous review's
    recommendations by their index: citations whose ref and only candidate is the index ("22"),
    which `resolve` reads in a report whose recommendations all sit in one paragraph.

    Example: endnote 9 "For relevant recommendations, see A/HRC/28/15, paras. 115.22 and
    115.31–115.39." gives ten citations of A/HRC/28/15, the first with ref "115.22".
    """
    body_lines, footnote_lines, endnote_lines = split_body_and_notes(document)
    body = _Stream.of(body_lines)
    sentences = _sentences(body)
    contexts = _marker_contexts(body, sentences)
    found: list[_Printed] = []
    bare: list[Citation] = []
    spans: list[tuple[_Stream, int, int, str | None, _Context | None]] = [
        (body, start, end, None, None) for start, end in sentences
    ]
    for notes in (_Stream.of(footnote_lines), _Stream.of(endnote_lines)):
        for number, start, end in _notes(notes):
            context = _context_for(contexts, number, notes.page_at(start))
            spans.append((notes, start, end, number, context))
    for stream, start, end, footnote, context in spans:
        found.extend(_read(stream, start, end, footnote, context))
        if bare_indices:
            bare.extend(_read_bare(stream, start, end, footnote, context))
    heads = Counter((printed.symbol, printed.head) for printed in found)
    return [citation for printed in found for citation in _expand(printed, heads)] + bare


def resolve(citation: Citation, known: set[str]) -> tuple[str, bool] | None:
    """(paragraph, corrected) when exactly one reading of the citation is a known paragraph."""
    return resolve_readings(citation.candidates, known)


@dataclass(frozen=True, slots=True)
class _Stream:
    """Lines joined by newlines, with the page and offset where each line starts."""

    text: str
    starts: tuple[int, ...]
    lines: tuple[Line, ...]

    @classmethod
    def of(cls, lines: Iterable[Line]) -> _Stream:
        kept = tuple(lines)
        starts: list[int] = []
        offset = 0
        for line in kept:
            starts.append(offset)
            offset += len(line.text) + 1
        return cls("\n".join(line.text for line in kept), tuple(starts), kept)

    def line_at(self, offset: int) -> int:
        return max(0, bisect_right(self.starts, offset) - 1)

    def page_at(self, offset: int) -> int:
        return self.lines[self.line_at(offset)].page if self.lines else 0

    def at_line_start(self, offset: int) -> bool:
        return not self.text[self.starts[self.line_at(offset)] : offset].strip()

    def context(self, start: int, end: int) -> _Context:
        """The text between offsets as a context, with the page where it begins."""
        text = self.text[start:end]
        return _Context(
            self.clean(start, end), self.page_at(start + len(text) - len(text.lstrip()))
        )

    def clean(self, start: int, end: int) -> str:
        """The text between offsets on one line: "-\\n" joins, other breaks become spaces."""
        text = _BREAK_AFTER_DASH.sub("", self.text[start:end])
        return _SPACES.sub(" ", text).strip()


@dataclass(frozen=True, slots=True)
class _Context:
    """The sentence, note or heading that carries a citation, and the page where it begins."""

    text: str
    page: int


@dataclass(frozen=True, slots=True)
class _Printed:
    """One printed number or range with what qualifies it, before ranges are expanded."""

    match: re.Match[str]
    stream: _Stream
    symbol: str | None
    footnote: str | None
    context: _Context
    kind: CitationKind

    @property
    def head(self) -> str:
        return self.match.group("head")


def split_body_and_notes(
    document: LoadedDocument,
) -> tuple[list[Line], list[Line], list[Line]]:
    """Body lines, footnote lines (small print at a page's foot) and endnote lines (all lines
    under "Notes"): two note series, each numbered from its own start."""
    body: list[Line] = []
    footnotes: list[Line] = []
    endnotes: list[Line] = []
    in_endnotes = False
    for page in document.pages:
        for line in page.lines:
            text = line.text.strip()
            if NOTES_HEADING.match(text):
                in_endnotes = True
                continue
            if in_endnotes and ANNEX_HEADING.match(text):
                in_endnotes = False
            (endnotes if in_endnotes else footnotes if line.is_note else body).append(line)
    return body, footnotes, endnotes


def _notes(stream: _Stream) -> Iterator[tuple[str, int, int]]:
    """(note number, start, end) of each note; numbers must follow each other (1, 2, 3 ...) so
    that "75 and E/C.12/SVN/CO/2, para. 21." continuing note 101 is not taken for note 75."""
    starts: list[tuple[str, int, int]] = []
    expected: int | None = None
    for index, line in enumerate(stream.lines):
        base = stream.starts[index]
        head = NOTE_AT_LINE_START.match(line.text)
        if head and _is_next(head.group("number"), expected, slack=3):
            number = head.group("number")
            starts.append((number, base, base + head.end()))
            expected = int(number) + 1 if number.isdigit() else expected
        for inside in NOTE_INSIDE_LINE.finditer(line.text):
            if expected is not None and inside.group("number") == str(expected):
                starts.append((str(expected), base + inside.start(), base + inside.end()))
                expected += 1
    for index, (number, _at, text_start) in enumerate(starts):
        end = starts[index + 1][1] if index + 1 < len(starts) else len(stream.text)
        yield number, text_start, end


def _is_next(number: str, expected: int | None, slack: int) -> bool:
    if not number.isdigit():
        return expected is None
    return expected is None or expected <= int(number) < expected + slack


def _sentences(stream: _Stream) -> list[tuple[int, int]]:
    """(start, end) of each sentence or heading of the body, across lines and pages."""
    unit_starts = [0] + [
        start
        for start, line in zip(stream.starts, stream.lines, strict=True)
        if start and UNIT_START.match(line.text)
    ]
    spans: list[tuple[int, int]] = []
    for index, unit_start in enumerate(unit_starts):
        unit_end = unit_starts[index + 1] if index + 1 < len(unit_starts) else len(stream.text)
        start = unit_start
        for stop in SENTENCE_END.finditer(stream.text, unit_start, unit_end):
            sentence = stream.text[start : stop.start()]
            if ENUMERATOR.match(sentence) or ends_with_abbreviation(sentence):
                continue
            spans.append((start, stop.start() + 1))
            start = stop.end()
        if stream.text[start:unit_end].strip():
            spans.append((start, unit_end))
    return spans


def _marker_contexts(
    body: _Stream, sentences: list[tuple[int, int]]
) -> dict[str, list[tuple[int, _Context]]]:
    """Note number -> (page of the marker, sentence bearing it) for every marker in the body."""
    if not sentences:
        return {}
    ends = [end for _start, end in sentences]
    contexts: dict[str, list[tuple[int, _Context]]] = {}
    for line, line_start in zip(body.lines, body.starts, strict=True):
        for offset, marker in line.markers:
            # The marker follows what it annotates: "(ILO).⁶", "protection. ¹¹⁶ Furthermore".
            position = line_start + offset
            while position > 0 and body.text[position - 1].isspace():
                position -= 1
            index = min(bisect_right(ends, position - 1), len(sentences) - 1)
            start, end = sentences[index]
            contexts.setdefault(marker, []).append((line.page, body.context(start, end)))
    return contexts


def _context_for(
    contexts: dict[str, list[tuple[int, _Context]]], note: str, page: int
) -> _Context | None:
    """The sentence bearing the note's marker: the last one printed on or before the note's page
    (footnote numbers may restart on each page)."""
    bearing = contexts.get(note, [])
    before = [sentence for marker_page, sentence in bearing if marker_page <= page]
    if before:
        return before[-1]
    return bearing[0][1] if bearing else None


def _read(
    stream: _Stream, start: int, end: int, footnote: str | None, context: _Context | None
) -> Iterator[_Printed]:
    """The citations printed between start and end (one sentence or one note); the context is
    that text itself unless given."""
    text = stream.text
    for listed in REF_LIST.finditer(text, start, end):
        lead = text[max(start, listed.start() - CUE_WINDOW) : listed.start()]
        items = list(ITEM.finditer(text, listed.start(), listed.end()))
        after = text[listed.end() : min(end, listed.end() + CUE_WINDOW)]
        kind = _kind(stream, listed, lead, items, after, footnote)
        if kind is None:
            continue
        context = context or stream.context(start, end)
        symbols = [
            normalize_symbol(found.group())
            for found in SYMBOL.finditer(text, start, listed.start())
        ]
        symbol = next((s for s in reversed(symbols) if WG_REPORT_SYMBOL.match(s)), None)
        if symbol is None and (named := SYMBOL_AFTER.match(after)):
            following = SYMBOL.match(after, named.end())
            if following and WG_REPORT_SYMBOL.match(normalize_symbol(following.group())):
                symbol = normalize_symbol(following.group())
        if symbol is None and (later := SYMBOL_LATER.match(after)):
            # "... 115.62 and 115.63 on Roma children at its second review (A/HRC/28/15)"
            found = normalize_symbol(later.group("symbol"))
            symbol = found if WG_REPORT_SYMBOL.match(found) else None
        for item in items:
            yield _Printed(item, stream, symbol, footnote, context, kind)


def _read_bare(
    stream: _Stream, start: int, end: int, footnote: str | None, context: _Context | None
) -> Iterator[Citation]:
    """Recommendations cited by bare index between start and end, one citation per index."""
    text = stream.text
    for listed in BARE_LIST.finditer(text, start, end):
        before = text[max(start, listed.start() - CUE_WINDOW) : listed.start()]
        if _OTHER_BODY_BEFORE.search(before) or _OF_ANOTHER_BODY.match(text[listed.end() : end]):
            continue
        symbols = [normalize_symbol(found.group()) for found in SYMBOL.finditer(before)]
        symbol = next((s for s in reversed(symbols) if WG_REPORT_SYMBOL.match(s)), None)
        context = context or stream.context(start, end)
        for item in BARE_ITEM.finditer(text, listed.start("list"), listed.end("list")):
            low = int(item.group("first"))
            high = int(item.group("last") or low)
            if not low <= high <= low + MAX_RANGE:
                high = low
            for number in range(low, high + 1):
                yield Citation(
                    symbol=symbol,
                    ref=str(number),
                    as_printed=stream.clean(item.start(), item.end()),
                    page=stream.page_at(item.start()),
                    footnote=footnote,
                    context=context.text,
                    candidates=(str(number),),
                    context_page=context.page,
                )


def _kind(
    stream: _Stream,
    listed: re.Match[str],
    lead: str,
    items: list[re.Match[str]],
    after: str,
    footnote: str | None,
) -> CitationKind | None:
    """Whether a list of numbers cites recommendations, reprints one, or is something else."""
    listing = footnote is None and len(items) == 1 and stream.at_line_start(listed.start())
    if listing and LISTING_TEXT.match(after):
        return "listing"
    if PAGE_CUE.search(lead) or MONEY_BEFORE.search(lead) or UNIT_AFTER.match(after):
        return None
    paragraph = PARAGRAPH_CUE.search(lead)
    if paragraph:
        return "citation" if _qualifier_is_wg_report(lead[: paragraph.start()]) else None
    if RECOMMENDATION_CUE.search(lead) or CUED_BEFORE.search(lead):
        return "citation"
    heads = {item.group("head") for item in items}
    return "citation" if len(items) > 1 and len(heads) == 1 else None


def _qualifier_is_wg_report(before: str) -> bool:
    """True for "A/HRC/28/15, paras." and an unqualified "see paras."; False for "JS1, para.",
    "CCPR/C/SVN/CO/3, para.", "Ibid., para.": paragraphs of another document."""
    before = before.rstrip()
    if not before.endswith(","):
        return True
    qualifier = before[:-1].rstrip()
    symbols = list(SYMBOL.finditer(qualifier))
    return bool(
        symbols
        and symbols[-1].end() == len(qualifier)
        and WG_REPORT_SYMBOL.match(normalize_symbol(symbols[-1].group()))
    )


def _expand(printed: _Printed, heads: Counter[tuple[str | None, str]]) -> Iterator[Citation]:
    """One citation per paragraph of a printed number or range."""
    match = printed.match
    head, first, last = match.group("head"), match.group("item"), match.group("end_item")
    end_head = match.group("end_head") or head
    # "115. 23": a space after the dot is a misprint, repaired (the printed reading comes first).
    spaced, end_spaced = " " in match.group("start"), ". " in (match.group("end") or "")
    if last is None:
        yield _cite(printed, heads, head, first, head, match.start(), spaced)
        return
    low, high = int(first), int(last)
    swapped = head != end_head and sorted(head) == sorted(end_head)
    if not (head == end_head or swapped) or not low < high <= low + MAX_RANGE:
        yield _cite(printed, heads, head, first, head, match.start(), spaced)
        yield _cite(printed, heads, end_head, last, end_head, match.start("end"), end_spaced)
        return
    # "151.119–115.127": one end has its digits swapped; the head the document cites more wins.
    right = max((end_head, head), key=lambda h: heads[(printed.symbol, h)])
    for number in range(low, high):
        item = first if number == low else str(number)
        yield _cite(printed, heads, head, item, right, match.start(), spaced and number == low)
    yield _cite(printed, heads, end_head, last, right, match.start("end"), end_spaced)


def _cite(
    printed: _Printed,
    heads: Counter[tuple[str | None, str]],
    printed_head: str,
    item: str,
    head: str,
    at: int,
    spaced: bool = False,
) -> Citation:
    """A citation of paragraph head.item, printed as printed_head.item at offset `at` (with a
    space after the dot when `spaced`).

    Readings: the printed one, the preferred one, then heads with swapped digits that the
    document cites more often ("151.119" when 115 is cited 150 times) and "115.9" for "115.09".
    """
    readings = [f"{printed_head}.{' ' if spaced else ''}{item}", f"{head}.{item}"]
    for other in sorted({"".join(digits) for digits in permutations(printed_head)}):
        if heads[(printed.symbol, other)] > heads[(printed.symbol, printed_head)]:
            readings.append(f"{other}.{item}")
    if item.startswith("0"):
        readings.append(f"{head}.{int(item)}")
    match = printed.match
    return Citation(
        symbol=printed.symbol,
        ref=readings[1],
        as_printed=printed.stream.clean(match.start(), match.end()),
        page=printed.stream.page_at(at),
        footnote=printed.footnote,
        context=printed.context.text,
        candidates=tuple(dict.fromkeys(readings)),
        corrected=readings[1] != readings[0],
        kind=printed.kind,
        context_page=printed.context.page,
    )
