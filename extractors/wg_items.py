"""The conclusions section of a Working Group report as printed: its body lines (no footnotes),
its lead-in paragraphs and their numbered items ("118.17 ...", cycle 1's "1. ..."), with the
misprints real reports hold (numbers misprinted, glued to their text or to the ask before, without
their dot). `wg_report` reads the recommendations from them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace

from uprdex.extractors.cited_paragraphs import JOB_NUMBER_FOOTER, NUMBERED
from uprdex.extractors.positions import position_of
from uprdex.pipeline.model import AskFootnote, Line, Page, Position
from uprdex.pipeline.text import join_lines

__all__ = [
    "CLOSED_ITEM",
    "LEAD_IN",
    "Item",
    "Paragraph",
    "body_lines",
    "footnotes",
    "printed_markers",
    "section_paragraphs",
]

# "II. Conclusions and/or recommendations**", "II. CONCLUSIONS AND RECOMMENDATIONS"
SECTION_HEADING = re.compile(
    r"^(?:[IVX]+\.\s*)?Conclusions\s+and(?:/or)?\s+recommendations\W*$", re.IGNORECASE
)

# "Annex", "Composition of the delegation": what follows the recommendations.
# "Annex", "Composition of the delegation", and in cycle 1 "III. VOLUNTARY COMMITMENTS OF THE
# STATE UNDER REVIEW" (Bahrain 2008): what follows the recommendations.
SECTION_END = re.compile(
    r"^(?:Annex(?:e|es)?\b|Composition of the delegation|[IVX]+\.\s+Voluntary\s+"
    r"(?:commitments|pledges)\b)",
    re.IGNORECASE,
)

# "116. All conclusions and/or recommendations contained in the present report reflect ..."
CLOSING_PARAGRAPH = re.compile(r"^All conclusions and/or recommendations", re.IGNORECASE)

# "** The conclusions and recommendations have not been edited.": a note marked by asterisks.
ASTERISK_NOTE = re.compile(r"^\*{1,3}\s*[A-Z]")

# "115.1 Take further steps ...", "80.1. Consider the possibility ...", "118.09 Adopt ...",
# "111.101.Improve the life conditions of migrants and refugees in Uganda (Holy" (Uganda 2011:
# no space after the dot, so only before a capital), "186.132. .Inform the suspects of their
# rights" (China 2013: a stray dot before the ask, no part of it)
SUB_ITEM = re.compile(r"^(\d{1,3})\s?\.\s?(\d{1,3})(?:\.?\s+(?:\.(?=[A-Z]))?|\.(?=[A-Z]))(\S.*)$")

# "campaigns (Spain);110.44. Take actions to combat discrimination and prejudice" (Slovakia 2014,
# page 17): the next item printed on the line that closes the ask before it.
GLUED_ITEM = re.compile(r"\)\s*;\s*(\d{1,3})\.(\d{1,3})\.?\s*(?=[A-Z])")

# "125-15. Designate a national mechanism ..." (Ghana 2012, between 125.14 and 125.16): an item
# printed with a hyphen. Read only as the next item of its paragraph, after a closed ask.
HYPHENATED = re.compile(r"^(\d{1,3})-(\d{1,3})\.\s+([A-Z].*)$")

# "73 Take appropriate measures to promote the registration of all children," (Albania 2010):
# a cycle-1 item whose number lost its dot.
UNDOTTED = re.compile(r"^(\d{1,3})\s+([A-Z][a-z]+\b.*)$")

# "118. The following recommendations ... enjoy the support of Cambodia:": a lead-in paragraph.
LEAD_IN = re.compile(
    r"recommendations?\b.*\b(?:enjoy|examined|support|noted|listed|following|formulated|made"
    r"|not relevant)"
    r"|^All conclusions",
    re.IGNORECASE,
)

# "1" (a footnote's marker line), "6 See A/HRC/23/7 ...": the marker a footnote opens on.
NOTE_MARKER = re.compile(r"^(\d{1,3})\b\s*(.*)$")

# "... (Ghana);": an ask closed by its State list.
CLOSED_ITEM = re.compile(r"\)\s*[;.]\s*$")
# "... Degrading Treatment or Punishment;": a line that ends a clause or a sentence.
SENTENCE_END = re.compile(r"[;.]\s*$")
# How much further right than an item's wrapped lines the State's note under it is printed
# (San Marino 2010, A/HRC/14/9 para 72: 170 pt under text at 142 pt), in points.
NOTE_INDENT = 12.0
# How far left of an item's number its note may start and still be under it, in points (Algeria
# 2008's paragraph text after 69.17 starts 29 pt left of its number).
SAME_EDGE = 2.0


@dataclass
class Item:
    """A numbered item of a lead-in paragraph as printed: its lines (`parts`), the number it is
    read as, and what was doubted in reading it."""

    paragraph: int
    number: int
    as_printed: str
    page: int
    parts: list[str]
    sub_numbered: bool
    tail_from: int | None = None  # parts after a closed ask, kept if they close one too
    warnings: list[str] = field(default_factory=list)
    x0: float = 0.0  # where its first line (its number) starts
    text_x0: float | None = None  # where its wrapped lines start
    tail_x0: float | None = None  # where its tail starts
    tail_page: int | None = None  # the page its tail starts on
    # the footnote markers printed in its lines: (index in `parts`, page, marker)
    markers: list[tuple[int, int, str]] = field(default_factory=list)
    footnotes: list[AskFootnote] = field(default_factory=list)  # those of `ask_markers`
    part_pages: list[int] = field(default_factory=list)  # the page of each of `parts`

    def __post_init__(self) -> None:
        self.part_pages = self.part_pages or [self.page] * len(self.parts)

    @property
    def ask_markers(self) -> list[tuple[int, str]]:
        """The footnote markers printed in the ask (not in a tail after it), each with its
        page: "(Algeria)¹" (El Salvador 2010, A/HRC/14/5, 81.72)."""
        end = len(self.parts) if self.tail_from is None else self.tail_from
        return [(page, marker) for part, page, marker in self.markers if part < end]

    @property
    def ask_end_page(self) -> int:
        """The page of the ask's last line (not of a tail after it)."""
        end = len(self.parts) if self.tail_from is None else self.tail_from
        return self.part_pages[end - 1] if 0 < end <= len(self.part_pages) else self.page

    def add(self, line: Line, text: str) -> None:
        """Add a printed line (`text`, its text as read) and its footnote markers."""
        self.markers.extend((len(self.parts), page, marker) for page, marker in _marks(line))
        self.parts.append(text)
        self.part_pages.append(line.page)

    @property
    def note(self) -> str | None:
        """The State's note printed under the ask (`_continue_item`): a tail that ends a
        sentence and is not printed left of the item, as a paragraph's own text is ("With
        respect to special procedures, Algeria will consider ..." under 69.17, Algeria 2008)."""
        if self.tail_from is None or self.tail_x0 is None or self.tail_x0 < self.x0 - SAME_EDGE:
            return None
        tail = join_lines(self.parts[self.tail_from :])
        return tail if SENTENCE_END.search(tail) else None


@dataclass
class Paragraph:
    """A lead-in paragraph of the section (its lines) and its items."""

    number: int
    page: int
    parts: list[str]
    items: list[Item] = field(default_factory=list)
    # its lead-in's footnote markers, each with the page of the line that prints it
    markers: list[tuple[int, str]] = field(default_factory=list)


def body_lines(page: Page) -> list[Line]:
    """A page's lines without its footnotes: all from the first note line down, but body text.

    Botswana 2013 prints notes in 9 pt under 10 pt body text and only the line with the
    note's marker is flagged; Mauritius 2013 opens them with "** The conclusions and
    recommendations have not been edited." in body size.
    """
    sizes = Counter(round(line.size) for line in page.lines)
    body_size = sizes.most_common(1)[0][0] if sizes else 0
    kept: list[Line] = []
    in_notes = False
    for line in page.lines:
        smaller = round(line.size) < body_size
        low = line.top > page.height / 2
        starts = line.is_note or (low and (smaller or bool(ASTERISK_NOTE.match(line.text))))
        in_notes = starts or (in_notes and smaller)
        if not in_notes:
            kept.append(line)
    return kept


# The key of `footnotes` for a note's lines that run on from the page before: those above the
# page's first marker line.
RUN_ON = ""
# "** Conclusions and recommendations have not been edited.", "∗ Previously issued under the
# symbol A/HRC/WG.6/1/DZA /4; ..." (Algeria 2008; "∗" alone on its line in Bahrain 2008, "*.
# Previously issued ..." in Saudi Arabia 2009): a note marked by asterisks, its own note in
# `footnotes` (under its asterisks), never the end of the page before's last note.
STARRED_NOTE = re.compile(r"^([*∗]{1,3})\.?(?=\s|[A-Z]|$)\s*(.*)$")
# "2 GE.14-24933" (Madagascar 2014, A/HRC/28/3, page 2; "16 GE. 09-13710" in others): a page
# footer the loader leaves among the notes, printed below them. No note's line.
NOTES_PAGE_FOOTER = re.compile(rf"^\s*{JOB_NUMBER_FOOTER}\s*$")


def footnotes(page: Page) -> dict[str, list[str]]:
    """A page's footnotes by their marker: the lines `body_lines` leaves out, each note opening
    on a marker line ("1", printed small, then "Immediately end the occupation of ..." in 9 pt:
    Russian Federation 2013, A/HRC/24/14, page 27), on asterisks (`STARRED_NOTE`), or on the
    next marker the page's body prints where the loader glued it to a note's line
    (`GLUED_MARKER`), without the page footer (`NOTES_PAGE_FOOTER`); the lines before the first
    note's opening, the end of the last note of the page before, under `RUN_ON`."""
    body = body_lines(page)
    printed = printed_markers(body)
    kept = set(body)
    notes: dict[str, list[str]] = {}
    current: list[str] | None = None
    key: str | None = None  # the marker of the note being read
    for line in page.lines:
        if line in kept or NOTES_PAGE_FOOTER.match(line.text):
            continue
        marker = NOTE_MARKER.match(line.text) if line.is_note else None
        opening = marker or STARRED_NOTE.match(line.text)
        if opening:
            key = opening[1]
        pieces = _glued_notes(opening[2] if opening else line.text, printed, notes, key)
        if opening:
            current = notes.setdefault(opening[1], [])
        for at, (glued, line_text) in enumerate(pieces):
            if at:
                key, current = glued, notes.setdefault(glued, [])
            if current is None and line_text:
                current = notes.setdefault(RUN_ON, [])
            if current is not None and line_text:
                current.append(line_text)
    return notes


def printed_markers(body: list[Line]) -> list[str]:
    """The footnote markers printed in body lines (`body_lines`), in print order."""
    return [marker for line in body for _, marker in line.markers]


# "... against women and children (Republic of Moldova). 2" then "The recommendation as read
# ...", "... as the ICRMW”. 7 The recommendation as read in the interactive dialogue ..." (Jamaica
# 2011 p. 14, Saudi Arabia 2013 p. 14): the loader prints a note's small marker at the end of the
# line above, or inside it, when it sits a little higher than its note's first line. Read only
# as the next marker the page's body prints, after a sentence's end: never at a line's start,
# where a note's line may open on a number ("10 December ...") and a marker opens a note line.
GLUED_MARKER = re.compile(r"(?<=[.;:”\"’)\]])\s+(\d{1,3})(?=\s+[A-Z“\"‘(]|\s*$)")


def _glued_notes(
    text: str, printed: list[str], notes: dict[str, list[str]], reading: str | None
) -> list[tuple[str, str]]:
    """`text` (of note `reading`) cut where the notes after the last one opened (`notes`) open
    in it (`GLUED_MARKER`): the text before, then each (marker, its text). Once the body's
    markers are all opened, the note numbered after `reading` may open too: the loader left
    its marker in the body's text ("... and so on (Chad)3;", Lesotho 2010, A/HRC/15/7 p. 17)."""
    opened = [marker for marker in printed if marker in notes]
    after = printed.index(opened[-1]) + 1 if opened else 0
    pieces: list[tuple[str, str]] = []
    start, key = 0, ""
    for glued in GLUED_MARKER.finditer(text):
        expected = printed[after] if after < len(printed) else _numbered_after(key or reading)
        if glued[1] != expected or glued[1] in notes:
            continue
        pieces.append((key, text[start : glued.start()].strip()))
        start, key, after = glued.end(), glued[1], after + 1
    pieces.append((key, text[start:].strip()))
    return pieces


def _numbered_after(marker: str | None) -> str | None:
    """The marker of the note after note `marker` ("3" after "2"); None after a starred one."""
    return str(int(marker) + 1) if marker and marker.isdigit() else None


def _marks(line: Line) -> list[tuple[int, str]]:
    """The footnote markers printed in a line, each with the line's page."""
    return [(line.page, marker) for _, marker in line.markers]


def _section_lines(lines: Iterable[Line]) -> Iterator[Line]:
    """The body lines of the conclusions section (after its last heading, before the annex).

    Without a heading (an excerpt, another wording) the section starts at the first lead-in
    paragraph that announces a position ("85. The recommendations below did not enjoy ...").
    """
    all_lines = list(lines)
    starts = [i + 1 for i, line in enumerate(all_lines) if SECTION_HEADING.match(line.text)]
    if not starts:
        starts = [i for i, line in enumerate(all_lines) if _announces_position(line.text)][:1]
    if not starts:
        return
    for line in all_lines[starts[-1] :]:
        if SECTION_END.match(line.text):
            return
        yield line


def _announces_position(text: str) -> bool:
    numbered = NUMBERED.match(text)
    return bool(
        numbered
        and LEAD_IN.search(numbered.group(2))
        and position_of(numbered.group(2)) is not Position.UNKNOWN
    )


def section_paragraphs(lines: Iterable[Line]) -> tuple[list[Paragraph], list[str]]:
    """Group the section's lines into lead-in paragraphs and their numbered items."""
    paragraphs: list[Paragraph] = []
    warnings: list[str] = []
    item: Item | None = None
    queue = list(_section_lines(lines))
    at = 0
    while at < len(queue):
        line = queue[at]
        at += 1
        paragraph = paragraphs[-1] if paragraphs else None
        cut = _next_item_in_line(line.text, paragraph, item)
        if cut is not None:
            queue.insert(at, _line_from(line, cut))
            line = replace(line, text=line.text[:cut].rstrip(), markers=_markers_before(line, cut))
        text = line.text
        sub = SUB_ITEM.match(text)
        kind = _sub_item_kind(sub, paragraph, item) if sub else None
        if sub and paragraph and kind:
            number = int(sub.group(1))
            if kind == "new paragraph":
                paragraph = Paragraph(number, line.page, [])
                paragraphs.append(paragraph)
            misread = (
                f"item printed as {sub.group(1)}.{sub.group(2)} inside paragraph "
                f"{paragraph.number}; read as {paragraph.number}.{sub.group(2)}"
                if number != paragraph.number
                else None
            )
            item = _sub_numbered(paragraph, sub, line, misread, warnings)
            continue
        hyphenated = HYPHENATED.match(text)
        if hyphenated and paragraph and _next_item_misprinted(hyphenated, paragraph, item):
            misread = (
                f"item printed as {hyphenated.group(1)}-{hyphenated.group(2)}; "
                f"read as {paragraph.number}.{hyphenated.group(2)}"
            )
            item = _sub_numbered(paragraph, hyphenated, line, misread, warnings)
            continue
        numbered = NUMBERED.match(text)
        if numbered:
            number, rest = int(numbered.group(1)), numbered.group(2)
            kind = _numbered_kind(number, rest, paragraph, item)
            if kind == "paragraph":
                if CLOSING_PARAGRAPH.match(rest):
                    break
                paragraphs.append(Paragraph(number, line.page, [rest], markers=_marks(line)))
                item = None
                continue
            if kind == "item" and paragraph:
                item = Item(
                    paragraph.number,
                    number,
                    f"{number}.",
                    line.page,
                    [rest],
                    sub_numbered=False,
                    x0=line.x0,
                    markers=[(0, *mark) for mark in _marks(line)],
                )
                paragraph.items.append(item)
                continue
        undotted = UNDOTTED.match(text)
        if (
            undotted
            and paragraph
            and item is not None
            and not item.sub_numbered
            and int(undotted.group(1)) == item.number + 1
            and CLOSED_ITEM.search(item.parts[-1])
        ):
            number = int(undotted.group(1))
            item = Item(
                paragraph.number,
                number,
                undotted.group(1),
                line.page,
                [undotted.group(2)],
                sub_numbered=False,
                x0=line.x0,
                markers=[(0, *mark) for mark in _marks(line)],
            )
            item.warnings.append(f"printed as {number!r} without its dot; read as item {number}")
            warnings.append(f"page {line.page}: {paragraph.number}.{number} {item.warnings[-1]}")
            paragraph.items.append(item)
            continue
        if item is not None:
            _continue_item(item, text, line)
        elif paragraph is not None:
            paragraph.parts.append(text)
            paragraph.markers.extend(_marks(line))
    if not paragraphs:
        warnings.append("no 'Conclusions and/or recommendations' section found")
    return paragraphs, warnings


def _next_item_in_line(text: str, paragraph: Paragraph | None, item: Item | None) -> int | None:
    """Where the item after the current one starts inside a line, after its closed ask."""
    if paragraph is None or item is None or not item.sub_numbered:
        return None
    for glued in GLUED_ITEM.finditer(text):
        if int(glued.group(1)) == paragraph.number and int(glued.group(2)) == item.number + 1:
            return glued.start(1)
    return None


def _line_from(line: Line, cut: int) -> Line:
    """The rest of `line` from character `cut`, its footnote markers moved with it."""
    markers = tuple((offset - cut, marker) for offset, marker in line.markers if offset >= cut)
    return replace(line, text=line.text[cut:], markers=markers)


def _markers_before(line: Line, cut: int) -> tuple[tuple[int, str], ...]:
    """The footnote markers of `line` before character `cut`."""
    return tuple((offset, marker) for offset, marker in line.markers if offset < cut)


def _sub_numbered(
    paragraph: Paragraph,
    match: re.Match[str],
    line: Line,
    misread: str | None,
    warnings: list[str],
) -> Item:
    """Item N of `paragraph` from a "P.N text" line (groups: P, N, text), with a warning when
    the printed number was misread."""
    item = Item(
        paragraph.number,
        int(match.group(2)),
        line.text[: match.start(3)].strip(),
        line.page,
        [match.group(3)],
        sub_numbered=True,
        x0=line.x0,
        markers=[(0, *mark) for mark in _marks(line)],
    )
    if misread:
        item.warnings.append(misread)
        warnings.append(f"page {line.page}: {misread}")
    paragraph.items.append(item)
    return item


def _continue_item(item: Item, text: str, line: Line) -> None:
    """Add a wrapped line to an item; a capitalised line after a closed ask opens a tail, and so
    does one printed further right than the item's wrapped lines after a line that ends a
    clause: "1. To accede to (Czech Republic)/ratify (Chile)/... the Optional Protocol to the
    Convention against Torture ...; / San Marino is not in a position to accept the
    recommendation above, because ..." (San Marino 2010, A/HRC/14/9 para 72, `NOTE_INDENT`).

    The tail is the item's when it closes another ask ("(Chad); Consider the ratification of
    ICRMW (Ghana); (Indonesia); ..."), prose otherwise ("(Nigeria). With respect to special
    procedures, Algeria will consider ...") and then no part of the ask (`Item.note`).
    """
    x0 = line.x0
    indented = item.text_x0 is not None and x0 > item.text_x0 + NOTE_INDENT
    if item.text_x0 is None:
        item.text_x0 = x0
    if (
        item.tail_from is None
        and text[:1].isupper()
        and (
            CLOSED_ITEM.search(item.parts[-1]) or (indented and SENTENCE_END.search(item.parts[-1]))
        )
    ):
        item.tail_from, item.tail_x0, item.tail_page = len(item.parts), x0, line.page
    item.add(line, text)
    if CLOSED_ITEM.search(text):
        item.tail_from = item.tail_x0 = item.tail_page = None


def _sub_item_kind(
    sub: re.Match[str], paragraph: Paragraph | None, item: Item | None
) -> str | None:
    """Is "P.N text" an item of the current paragraph, the first of a new one, or neither?

    Burundi 2013 prints "127.10" between 126.9 and 126.11: a misprinted item of 126.
    """
    if paragraph is None:
        return None
    number, sub_number = int(sub.group(1)), int(sub.group(2))
    if number == paragraph.number:
        return "item"
    if item is not None and item.sub_numbered and sub_number == item.number + 1:
        return "misprinted item"
    if number == paragraph.number + 1:
        return "new paragraph"
    return None


def _next_item_misprinted(match: re.Match[str], paragraph: Paragraph, item: Item | None) -> bool:
    """Is "P-N. Text" the item after the current one, whose ask is closed?"""
    return (
        item is not None
        and item.sub_numbered
        and int(match.group(1)) == paragraph.number
        and int(match.group(2)) == item.number + 1
        and bool(CLOSED_ITEM.search(item.parts[-1]))
    )


def _numbered_kind(number: int, rest: str, paragraph: Paragraph | None, item: Item | None) -> str:
    """Is "N. text" a new lead-in paragraph, a cycle-1 list item, or a wrapped line?"""
    next_item = item.number + 1 if item and not item.sub_numbered else 1
    is_next_paragraph = paragraph is None or number == paragraph.number + 1
    could_be_item = paragraph is not None and number == next_item
    if could_be_item and is_next_paragraph:
        return "paragraph" if LEAD_IN.search(rest) else "item"
    if could_be_item:
        return "item"
    if is_next_paragraph and (paragraph is not None or number >= 5):
        return "paragraph"
    return "text"
