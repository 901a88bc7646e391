"""Working Group reports -> recommendations, for the layouts of cycles 1 and 2 (2008-2014).

The recommendations live in section "II. Conclusions and/or recommendations": lead-in
paragraphs that say the State's position ("118. The following recommendations ... enjoy the
support of Cambodia:") followed by items. Cycle 2 numbers items "118.17"; cycle 1 numbers
them "1.", "2." inside the paragraph (stored as "86.1", "86.2", ...). Each item ends with the
recommending State(s) in parentheses.

This module reads the sections and their items; the lead-ins' wordings are `positions`', the
State lists `state_lists`', and the cycle-1 asks a lead-in cites by paragraph of section I
`cited_paragraphs`'.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace

from uprdex.extractors.cited_paragraphs import (
    NUMBERED,
    LeadIn,
    cited_paragraph_numbers,
    cited_recommendations,
    numbered_paragraphs,
)
from uprdex.extractors.metadata import (
    find_review_year,
    find_session,
    find_state_under_review,
    find_symbol,
    find_year,
)
from uprdex.extractors.positions import announced_position, position_of
from uprdex.extractors.state_lists import (
    ASTERISK_AFTER_LIST,
    leading_state,
    split_recommending_states,
)
from uprdex.pipeline.model import (
    Line,
    LoadedDocument,
    Page,
    Position,
    Recommendation,
    StateComment,
    WgReport,
)
from uprdex.pipeline.states import StateTable, load_states
from uprdex.pipeline.symbols import cycle_of_session
from uprdex.pipeline.text import join_lines

__all__ = ["parse_wg_report"]

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

# "90. Costa Rica considers that the recommendations marked with an asterisk, Nos. 1, 4, ... in
# paragraph 88 above, are either already implemented or in the process of implementation."
# (Costa Rica 2010, whose items close "(Brazil);*"): the State's note on the marked asks.
MARKED_WITH_ASTERISK = re.compile(r"\bmarked\s+with\s+(?:an?\s+)?asterisks?\b", re.I)

# "115.1 Take further steps ...", "80.1. Consider the possibility ...", "118.09 Adopt ...",
# "111.101.Improve the life conditions of migrants and refugees in Uganda (Holy" (Uganda 2011:
# no space after the dot, so only before a capital)
SUB_ITEM = re.compile(r"^(\d{1,3})\s?\.\s?(\d{1,3})(?:\.?\s+|\.(?=[A-Z]))(\S.*)$")

# "campaigns (Spain);110.44. Take actions to combat discrimination and prejudice" (Slovakia 2014,
# page 17): the next item printed on the line that closes the ask before it.
GLUED_ITEM = re.compile(r"\)\s*;\s*(\d{1,3})\.(\d{1,3})\.?\s*(?=[A-Z])")

# "125-15. Designate a national mechanism ..." (Ghana 2012, between 125.14 and 125.16): an item
# printed with a hyphen. Read only as the next item of its paragraph, after a closed ask.
HYPHENATED = re.compile(r"^(\d{1,3})-(\d{1,3})\.\s+([A-Z].*)$")

# "73 Take appropriate measures to promote the registration of all children," (Albania 2010):
# a cycle-1 item whose number lost its dot.
UNDOTTED = re.compile(r"^(\d{1,3})\s+([A-Z][a-z]+\b.*)$")

# Burundi 2009, items under "83. Burundi takes note of the recommendations reflected in
# paragraphs 23, 24 (b), ...": "1. With regard to recommendations concerning rape ... as included
# in paragraphs 23 (Germany), 27 (United Kingdom), ..., Burundi clarified that ...": a comment on
# recommendations of section I, not a recommendation.
COMMENT_CITATION = re.compile(
    r"\b(?:paragraphs?|recommendations?)\s+(?:numbers?\s+)?\d{1,3}\b(?!\.\d)", re.IGNORECASE
)

# "The response of Israel to these recommendations will be included ...": a paragraph after
# the items that states their position.
_THESE_RECOMMENDATIONS = re.compile(
    r"\b(?:these|the above|the said|all)\s+recommendations\b"
    r"|\brecommendations\s+(?:listed\s+|made\s+|contained\s+)?above\b"
    r"|\brecommendations\s+in\s+paragraphs?\s+\d",
    re.I,
)

# "the recommendations in paragraphs 84 and 85" (Sudan 2011): the paragraphs it answers.
_IN_PARAGRAPHS = re.compile(r"\bin\s+paragraphs?\s+(\d{1,3}(?:\s*(?:,|and)\s*\d{1,3})*)", re.I)

_LEAD_IN = re.compile(
    r"recommendations?\b.*\b(?:enjoy|examined|support|noted|listed|following|formulated|made"
    r"|not relevant)"
    r"|^All conclusions",
    re.IGNORECASE,
)

# "With regard to the recommendation of Switzerland reflected in paragraph 35 above, Bahrain
# can conduct ..." (Bahrain 2008): an item naming its recommending State in the text only.
RECOMMENDATION_OF = re.compile(r"\brecommendations?\s+(?:made\s+)?(?:of|by)\s+", re.IGNORECASE)

# "92. Tajikistan offered the following comments:", "61. With regard to the other
# recommendations, the State under review offers the following comments:" (Bahrain 2008).
COMMENTS_LEAD_IN = re.compile(
    r"\b(?:offer(?:s|ed)?|provided?|made)\s+the\s+following\s+comments", re.I
)

# "92.1. Regarding the recommendation No. 91.1, the Law ... is in line with ..." (Tajikistan
# 2011): the State answering, not recommending.
COMMENT_OPENING = re.compile(
    r"(?:regarding|with\s+regard\s+to|as\s+regards|concerning|in\s+relation\s+to)\s+"
    r"(?:the\s+)?recommendations?\b",
    re.I,
)

# "Costa Rica explained that it has not considered ..." (Costa Rica 2010, 92.2)
_COMMENT_VERB = (
    r"(?:explained|stated|indicated|clarified|informed|replied|responded|answered|"
    r"noted\s+that|considers\s+that|is\s+of\s+the\s+view|does\s+not|cannot|has\s+not)\b"
)

# "recommendation No. 91.1": the paragraph a comment answers.
CITED_PARAGRAPH = re.compile(r"(?<![\d.])\d{2,3}\.\d{1,3}(?![\d.]\d)")

_CLOSED_ITEM = re.compile(r"\)\s*[;.]\s*$")


@dataclass
class _Item:
    paragraph: int
    number: int
    as_printed: str
    page: int
    parts: list[str]
    sub_numbered: bool
    tail_from: int | None = None  # parts after a closed ask, kept if they close one too
    warnings: list[str] = field(default_factory=list)


@dataclass
class _Paragraph:
    number: int
    page: int
    parts: list[str]
    items: list[_Item] = field(default_factory=list)


def parse_wg_report(document: LoadedDocument, states: StateTable | None = None) -> WgReport:
    """Metadata and every recommendation of one Working Group report."""
    states = states or load_states()
    head = "\n".join([document.first_page_text, *(page.text for page in document.pages[:3])])
    session = find_session(head)
    lines = [line for page in document.pages for line in _body_lines(page)]
    paragraphs, warnings = _section_paragraphs(lines)
    _drop_comments(paragraphs)
    _read_unnumbered_asks(paragraphs, states, warnings)
    state_under_review = find_state_under_review(head, states)
    recommendations: list[Recommendation] = []
    comments: list[StateComment] = []
    for paragraph, announced in zip(paragraphs, _announcements(paragraphs), strict=True):
        for found in _recommendations(paragraph, states, warnings, state_under_review, announced):
            if isinstance(found, StateComment):
                comments.append(found)
            else:
                recommendations.append(found)
    comments.extend(_notes_on_marked(paragraphs, recommendations))
    if paragraphs:
        first = paragraphs[0].number
        lead_ins = [
            LeadIn(paragraph.number, text)
            for paragraph in paragraphs
            if not paragraph.items and _cites_with_position(text := " ".join(paragraph.parts))
        ]
        recommendations.extend(
            cited_recommendations(lead_ins, first, numbered_paragraphs(lines, first), states)
        )
    return WgReport(
        symbol=find_symbol(document.first_page_text),
        state_under_review=state_under_review,
        session=session,
        cycle=cycle_of_session(session),
        year=find_review_year(head) or find_year(document.first_page_text),
        recommendations=tuple(recommendations),
        comments=tuple(comments),
        warnings=tuple(warnings),
    )


def _cites_with_position(lead_in: str) -> bool:
    """Is this a lead-in whose recommendations are those it cites? Also when it refuses them
    in a wording no list lead-in uses: "Pakistan considers that recommendations contained in
    paragraphs 23(b) and (f), 27(b) ... in chapter II above are neither universally recognized
    human rights nor conform to its existing laws ... and cannot accept them." (Pakistan 2008,
    A/HRC/8/42 para. 108). Only a refusal: "Costa Rica considers that the recommendations
    marked with an asterisk, Nos. 1, 4, ... in paragraph 88 above, are either already
    implemented ..." (Costa Rica 2010, para. 90) qualifies items listed in the section."""
    return bool(_LEAD_IN.search(lead_in)) or position_of(lead_in) is Position.NOTED


def _body_lines(page: Page) -> list[Line]:
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
        and _LEAD_IN.search(numbered.group(2))
        and position_of(numbered.group(2)) is not Position.UNKNOWN
    )


def _section_paragraphs(lines: Iterable[Line]) -> tuple[list[_Paragraph], list[str]]:
    """Group the section's lines into lead-in paragraphs and their numbered items."""
    paragraphs: list[_Paragraph] = []
    warnings: list[str] = []
    item: _Item | None = None
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
                paragraph = _Paragraph(number, line.page, [])
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
                paragraphs.append(_Paragraph(number, line.page, [rest]))
                item = None
                continue
            if kind == "item" and paragraph:
                item = _Item(
                    paragraph.number, number, f"{number}.", line.page, [rest], sub_numbered=False
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
            and _CLOSED_ITEM.search(item.parts[-1])
        ):
            number = int(undotted.group(1))
            item = _Item(
                paragraph.number,
                number,
                undotted.group(1),
                line.page,
                [undotted.group(2)],
                sub_numbered=False,
            )
            item.warnings.append(f"printed as {number!r} without its dot; read as item {number}")
            warnings.append(f"page {line.page}: {paragraph.number}.{number} {item.warnings[-1]}")
            paragraph.items.append(item)
            continue
        if item is not None:
            _continue_item(item, text)
        elif paragraph is not None:
            paragraph.parts.append(text)
    if not paragraphs:
        warnings.append("no 'Conclusions and/or recommendations' section found")
    return paragraphs, warnings


def _next_item_in_line(text: str, paragraph: _Paragraph | None, item: _Item | None) -> int | None:
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
    paragraph: _Paragraph,
    match: re.Match[str],
    line: Line,
    misread: str | None,
    warnings: list[str],
) -> _Item:
    """Item N of `paragraph` from a "P.N text" line (groups: P, N, text), with a warning when
    the printed number was misread."""
    item = _Item(
        paragraph.number,
        int(match.group(2)),
        line.text[: match.start(3)].strip(),
        line.page,
        [match.group(3)],
        sub_numbered=True,
    )
    if misread:
        item.warnings.append(misread)
        warnings.append(f"page {line.page}: {misread}")
    paragraph.items.append(item)
    return item


def _continue_item(item: _Item, text: str) -> None:
    """Add a wrapped line to an item; a capitalised line after a closed ask opens a tail.

    The tail is the item's when it closes another ask ("(Chad); Consider the ratification of
    ICRMW (Ghana); (Indonesia); ..."), prose otherwise ("(Nigeria). With respect to special
    procedures, Algeria will consider ...") and then dropped.
    """
    if item.tail_from is None and _CLOSED_ITEM.search(item.parts[-1]) and text[:1].isupper():
        item.tail_from = len(item.parts)
    item.parts.append(text)
    if _CLOSED_ITEM.search(text):
        item.tail_from = None


def _sub_item_kind(
    sub: re.Match[str], paragraph: _Paragraph | None, item: _Item | None
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


def _next_item_misprinted(match: re.Match[str], paragraph: _Paragraph, item: _Item | None) -> bool:
    """Is "P-N. Text" the item after the current one, whose ask is closed?"""
    return (
        item is not None
        and item.sub_numbered
        and int(match.group(1)) == paragraph.number
        and int(match.group(2)) == item.number + 1
        and bool(_CLOSED_ITEM.search(item.parts[-1]))
    )


def _numbered_kind(number: int, rest: str, paragraph: _Paragraph | None, item: _Item | None) -> str:
    """Is "N. text" a new lead-in paragraph, a cycle-1 list item, or a wrapped line?"""
    next_item = item.number + 1 if item and not item.sub_numbered else 1
    is_next_paragraph = paragraph is None or number == paragraph.number + 1
    could_be_item = paragraph is not None and number == next_item
    if could_be_item and is_next_paragraph:
        return "paragraph" if _LEAD_IN.search(rest) else "item"
    if could_be_item:
        return "item"
    if is_next_paragraph and (paragraph is not None or number >= 5):
        return "paragraph"
    return "text"


def _announcements(paragraphs: Sequence[_Paragraph]) -> list[tuple[Position, int] | None]:
    """For each paragraph whose lead-in states no position: the position that a paragraph
    after its items announces for them, and that paragraph's number.

    "56. In the course of the discussion, the following recommendations were made to the
    United Kingdom: 1. ... 28. ... 57. The response of the United Kingdom to these
    recommendations will be included in the outcome report adopted by the Human Rights
    Council at its eighth session." (United Kingdom 2008): pending. "68. ... the following
    recommendations were made to Ghana: ... 69. The recommendations listed above enjoy the
    support of Ghana." supported. "86. The response ... to the recommendations in paragraphs
    84 and 85 will be provided in due course" (Sudan 2011) answers the paragraphs it names.
    """
    found: list[tuple[Position, int] | None] = [None] * len(paragraphs)
    waiting: list[int] = []
    for at, paragraph in enumerate(paragraphs):
        text = " ".join(paragraph.parts)
        if paragraph.items:
            waiting = [*waiting, at] if position_of(text) is Position.UNKNOWN else []
            continue
        position = announced_position(text)
        if waiting and position is not None and _THESE_RECOMMENDATIONS.search(text):
            named = _IN_PARAGRAPHS.search(text)
            numbers = {int(n) for n in re.findall(r"\d+", named.group(1))} if named else None
            for earlier in waiting:
                if numbers is None or paragraphs[earlier].number in numbers:
                    found[earlier] = (position, paragraph.number)
        waiting = []
    return found


def _recommendations(
    paragraph: _Paragraph,
    states: StateTable,
    warnings: list[str],
    state_under_review: str | None,
    announced: tuple[Position, int] | None = None,
) -> Iterator[Recommendation | StateComment]:
    """The paragraph's recommendations, and the State's comments printed among them.

    `announced`: the position (and paragraph) stated after the items, when the lead-in
    states none.
    """
    lead_in = " ".join(paragraph.parts)
    position, position_paragraph = position_of(lead_in), paragraph.number
    if position is Position.UNKNOWN and announced is not None:
        position, position_paragraph = announced
    previous: str | None = None
    numbers = _repair_sequence([item.number for item in paragraph.items])
    for item, number in zip(paragraph.items, numbers, strict=True):
        item_warnings: list[str] = list(item.warnings)
        if number != item.number:
            item_warnings.append(
                f"printed as {item.as_printed!r}, out of sequence; renumbered {paragraph.number}."
                f"{number}"
            )
            warnings.append(f"page {item.page}: {item_warnings[-1]}")
        text = join_lines(item.parts[: item.tail_from])
        body, recommending, unknown = split_recommending_states(text, states)
        if unknown:
            item_warnings.append(
                "unknown recommending State(s) kept as printed: " + ", ".join(unknown)
            )
        if not body:
            continue
        if not recommending and (named := _state_whose_recommendation(body, states)):
            recommending = [named]
            item_warnings.append(f"no State list: recommending State {named} read from the text")
        if not recommending and _is_comment(body, lead_in, state_under_review):
            cited = CITED_PARAGRAPH.search(body)
            yield StateComment(
                paragraph=f"{paragraph.number}.{number}",
                text=body,
                page=item.page,
                refers_to=cited.group() if cited else previous,
            )
            continue
        previous = f"{paragraph.number}.{number}"
        yield Recommendation(
            paragraph=f"{paragraph.number}.{number}",
            text=body,
            recommending_states=tuple(recommending),
            position=position,
            position_paragraph=str(position_paragraph),
            page=item.page,
            as_printed=item.as_printed,
            warnings=tuple(item_warnings),
            # The mark went with the State list ("(No. 189)*" keeps it, as no list).
            marked=bool(ASTERISK_AFTER_LIST.search(text)) and not body.endswith("*"),
        )


def _notes_on_marked(
    paragraphs: Sequence[_Paragraph], recommendations: Sequence[Recommendation]
) -> list[StateComment]:
    """A paragraph that speaks of "the recommendations marked with an asterisk", as the
    State's comment on each ask printed with one (`MARKED_WITH_ASTERISK`)."""
    return [
        StateComment(paragraph=str(note.number), text=text, page=note.page, refers_to=ask.paragraph)
        for note in paragraphs
        if not note.items and MARKED_WITH_ASTERISK.search(text := join_lines(note.parts))
        for ask in recommendations
        if ask.marked
    ]


def _read_unnumbered_asks(
    paragraphs: list[_Paragraph], states: StateTable, warnings: list[str]
) -> None:
    """One ask printed without a number after its lead-in's colon, as item 1 of the paragraph.

    "101. The following recommendation will be examined by Burkina Faso, ... at its tenth
    session: / Abolish death penalty by adopting a law commuting all death sentences that have
    been pronounced (Albania)." (Burkina Faso 2009; Congo 2009 80, Equatorial Guinea 2010 72).
    """
    for paragraph in paragraphs:
        colon = next((i for i, part in enumerate(paragraph.parts) if part.endswith(":")), None)
        if paragraph.items or colon is None or colon + 1 == len(paragraph.parts):
            continue
        lead_in, ask = paragraph.parts[: colon + 1], paragraph.parts[colon + 1 :]
        if not _LEAD_IN.search(" ".join(lead_in)) or not ask[0][:1].isupper():
            continue
        if position_of(" ".join(lead_in)) is Position.UNKNOWN:
            continue
        if not split_recommending_states(join_lines(ask), states)[1]:
            continue
        item = _Item(paragraph.number, 1, "", paragraph.page, ask, sub_numbered=False)
        item.warnings.append("printed without a number after its lead-in; read as item 1")
        warnings.append(f"page {paragraph.page}: {paragraph.number}.1 {item.warnings[-1]}")
        paragraph.parts, paragraph.items = lead_in, [item]


def _drop_comments(paragraphs: list[_Paragraph]) -> None:
    """Empty the items of a lead-in that cites section I when every item only comments on it.

    The cited recommendations are then read from section I (`cited_paragraphs`).
    """
    if not paragraphs:
        return
    first = paragraphs[0].number
    for paragraph in paragraphs:
        lead_in = " ".join(paragraph.parts)
        if not paragraph.items or not _LEAD_IN.search(lead_in):
            continue
        cited = cited_paragraph_numbers(lead_in)
        if not cited or max(cited) >= first:
            continue
        if all(COMMENT_CITATION.search(" ".join(item.parts)) for item in paragraph.items):
            paragraph.items = []


def _is_comment(text: str, lead_in: str, state_under_review: str | None) -> bool:
    """Whether an item with no recommending State is the State's comment, not a
    recommendation: under "offered the following comments", or "Regarding recommendation No.
    91.1, ...", or "Costa Rica explained that ...". Not "Indonesia is encouraged to ..."."""
    if COMMENTS_LEAD_IN.search(lead_in) or COMMENT_OPENING.match(text):
        return True
    if not state_under_review:
        return False
    name = re.escape(state_under_review.split(" (")[0])
    return re.match(rf"(?:the\s+)?{name}\s+{_COMMENT_VERB}", text, re.IGNORECASE) is not None


def _state_whose_recommendation(text: str, states: StateTable) -> str | None:
    """The State an item names as the author of "the recommendation of Switzerland"."""
    for cited in RECOMMENDATION_OF.finditer(text):
        state = leading_state(text[cited.end() :], states)
        if state:
            return state
    return None


def _repair_sequence(numbers: list[int]) -> list[int]:
    """Fix a misprinted item number that sits between two numbers one apart from it.

    Cambodia 2014 prints "118.09" between 118.108 and 118.110: it is 118.109.
    """
    repaired = list(numbers)
    for i in range(1, len(numbers) - 1):
        before, after = repaired[i - 1], numbers[i + 1]
        if numbers[i] != before + 1 and after == before + 2:
            repaired[i] = before + 1
    return repaired
