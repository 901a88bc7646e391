"""Working Group reports -> recommendations, for the layouts of cycles 1 and 2 (2008-2014).

The recommendations live in section "II. Conclusions and/or recommendations": lead-in
paragraphs that say the State's position ("118. The following recommendations ... enjoy the
support of Cambodia:") followed by items. Cycle 2 numbers items "118.17"; cycle 1 numbers
them "1.", "2." inside the paragraph (stored as "86.1", "86.2", ...). Each item ends with the
recommending State(s) in parentheses.

This module reads the recommendations from the section's paragraphs and items (`wg_items`
finds those as printed); the lead-ins' wordings are `positions`', the State lists
`state_lists`', the State's notes on its asks after their lists `wg_notes`', and the cycle-1
asks a lead-in cites by paragraph of section I `cited_paragraphs`'.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import replace

from uprdex.extractors.cited_paragraphs import (
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
from uprdex.extractors.positions import (
    announced_position,
    implemented_detail,
    position_of,
    refusal_detail,
)
from uprdex.extractors.state_lists import (
    ASTERISK_AFTER_LIST,
    ask_parts,
    leading_state,
    marker_after_list,
    split_recommending_states,
)
from uprdex.extractors.wg_items import (
    LEAD_IN,
    RUN_ON,
    Item,
    Paragraph,
    body_lines,
    footnotes,
    printed_markers,
    section_paragraphs,
)
from uprdex.extractors.wg_notes import (
    COMMENTS_LEAD_IN,
    commented_refusals,
    comments_on_cited,
    notes_on_asks,
    reasons_in_lead_ins,
)
from uprdex.pipeline.model import (
    AskFootnote,
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

# "90. The recommendations listed below enjoy the support of Iran, out of which recommendations
# 102 to 123 Iran considers as already implemented or in the process of implementation:" (Iran
# 2010, A/HRC/14/12): the lead-in's "already implemented" is only these items'.
SOME_IMPLEMENTED = re.compile(
    r"\bout\s+of\s+which\s+recommendations\s+(\d{1,3})\s+to\s+(\d{1,3})\b", re.IGNORECASE
)

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

# "With regard to the recommendation of Switzerland reflected in paragraph 35 above, Bahrain
# can conduct ..." (Bahrain 2008): an item naming its recommending State in the text only.
RECOMMENDATION_OF = re.compile(r"\brecommendations?\s+(?:made\s+)?(?:of|by)\s+", re.IGNORECASE)

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

# "141. In the view of the Russian Federation, the recommendations in the footnote below are not
# relevant as they do not comply with the basis of the review ..." (Russian Federation 2013,
# A/HRC/24/14): its asks are printed in its footnote, without numbers.
IN_A_FOOTNOTE = re.compile(r"\brecommendations?\s+in\s+(?:the\s+)?footnotes?\b", re.I)

# "... therein (Georgia); Allow and ensure ...": where an ask closed by its States ends.
AFTER_ASK = re.compile(r"(?<=\)[;.])\s+(?=[A-Z])")

# "San Marino is not in a position to accept recommendations Nos. 3 and 4 above, because ..."
# (San Marino 2010, A/HRC/14/9, printed under 72.4): the items of its paragraph a State's note
# under an ask names; "... accept the recommendation above, because ..." is the ask's own.
NOTE_ON_ITEMS_ABOVE = re.compile(
    r"\brecommendations?\s+Nos?\.\s*(?P<list>\d{1,3}(?:(?:\s*,\s*|,?\s+and\s+)\d{1,3})*)"
    r"\s+above\b",
    re.IGNORECASE,
)

# "recommendation No. 91.1": the paragraph a comment answers.
CITED_PARAGRAPH = re.compile(r"(?<![\d.])\d{2,3}\.\d{1,3}(?![\d.]\d)")


NO_STATE_PRINTED = "the report prints no recommending State for this ask (none to read)"
"""The warning of an ask printed with no State list and no State named in its text: Indonesia
2008 prints its conclusions unattributed ("Indonesia is commended for ... and is encouraged to
..."), Solomon Islands 2011 its 81.23 (A/HRC/18/8). Said, so that an empty list of States does
not look like a reading error."""


def parse_wg_report(document: LoadedDocument, states: StateTable | None = None) -> WgReport:
    """Metadata and every recommendation of one Working Group report."""
    states = states or load_states()
    head = "\n".join([document.first_page_text, *(page.text for page in document.pages[:3])])
    session = find_session(head)
    lines = [line for page in document.pages for line in body_lines(page)]
    paragraphs, warnings = section_paragraphs(lines)
    dropped = _drop_comments(paragraphs)
    _read_unnumbered_asks(paragraphs, states, warnings)
    _read_asks_in_footnotes(paragraphs, document.pages, states, warnings)
    _read_footnotes_on_asks(paragraphs, document.pages, states)
    state_under_review = find_state_under_review(head, states)
    recommendations: list[Recommendation] = []
    comments: list[StateComment] = []
    for paragraph, announced in zip(paragraphs, _announcements(paragraphs), strict=True):
        for found in _recommendations(paragraph, states, warnings, state_under_review, announced):
            if isinstance(found, StateComment):
                comments.append(found)
            else:
                recommendations.append(found)
    notes, recommendations = notes_on_asks(paragraphs, recommendations, states)
    comments.extend(notes)
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
        comments.extend(comments_on_cited(paragraphs, recommendations, dropped))
        comments.extend(reasons_in_lead_ins(paragraphs, recommendations, comments))
        recommendations = commented_refusals(recommendations, comments)
    recommendations = [
        replace(rec, warnings=(*rec.warnings, NO_STATE_PRINTED))
        if not rec.recommending_states
        else rec
        for rec in recommendations
    ]
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
    return bool(LEAD_IN.search(lead_in)) or position_of(lead_in) is Position.NOTED


def _announcements(paragraphs: Sequence[Paragraph]) -> list[tuple[Position, int] | None]:
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
            unknown = position_of(text) is Position.UNKNOWN
            if unknown and (closing := _closing_position(paragraph.items[-1])) is not None:
                found[at], waiting = (closing, paragraph.number), []
            else:
                waiting = [*waiting, at] if unknown else []
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


def _closing_position(last: Item) -> Position | None:
    """The position a line printed after a paragraph's last item, unnumbered and at the
    paragraph's margin (no note of the State's under that item, `Item.note`), states for the
    items above: "75. In the course of the discussion, the following recommendations were made
    to encourage Morocco: 1. ... 11. To continue with the training of law enforcement officials
    ... (Switzerland). / The recommendations listed above enjoy the support of Morocco. / 76.
    Other recommendations ..." (Morocco 2008, A/HRC/8/22 p. 13)."""
    if last.tail_from is None or last.note is not None:
        return None
    tail = join_lines(last.parts[last.tail_from :])
    return announced_position(tail) if _THESE_RECOMMENDATIONS.search(tail) else None


def _recommendations(
    paragraph: Paragraph,
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
    detail = implemented_detail(lead_in, position)
    refused = refusal_detail(lead_in, position)
    some = SOME_IMPLEMENTED.search(lead_in)
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
        yield from _note_under(item, paragraph.number, number)
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
            position_detail=(
                detail if some is None or int(some[1]) <= number <= int(some[2]) else None
            )
            or refused,
            parts=ask_parts(text, states),
            footnotes=tuple(item.footnotes),
        )


def _note_under(item: Item, paragraph: int, number: int) -> Iterator[StateComment]:
    """The State's note printed under ask `number` (`Item.note`), as its comment on that ask, or
    on the items above it the note names (`NOTE_ON_ITEMS_ABOVE`): "San Marino is not in a
    position to accept recommendations Nos. 3 and 4 above, because ..." under 72.4 is on 72.3
    and 72.4 (San Marino 2010, A/HRC/14/9)."""
    if (note := item.note) is None:
        return
    named = NOTE_ON_ITEMS_ABOVE.search(note)
    numbers = [int(n) for n in re.findall(r"\d+", named["list"])] if named else [number]
    page = item.tail_page or item.page
    for ref in numbers:
        if ref <= number:
            yield StateComment(f"{paragraph}.{number}", note, page, f"{paragraph}.{ref}")


def _read_unnumbered_asks(
    paragraphs: list[Paragraph], states: StateTable, warnings: list[str]
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
        if not LEAD_IN.search(" ".join(lead_in)) or not ask[0][:1].isupper():
            continue
        if position_of(" ".join(lead_in)) is Position.UNKNOWN:
            continue
        if not split_recommending_states(join_lines(ask), states)[1]:
            continue
        item = Item(paragraph.number, 1, "", paragraph.page, ask, sub_numbered=False)
        item.warnings.append("printed without a number after its lead-in; read as item 1")
        warnings.append(f"page {paragraph.page}: {paragraph.number}.1 {item.warnings[-1]}")
        paragraph.parts, paragraph.items = lead_in, [item]


def _read_asks_in_footnotes(
    paragraphs: list[Paragraph], pages: Sequence[Page], states: StateTable, warnings: list[str]
) -> None:
    """The asks a paragraph states its position on and prints in its footnote, unnumbered, as
    its items 1, 2, ... in print order (`IN_A_FOOTNOTE`): "141. In the view of the Russian
    Federation, the recommendations in the footnote below are not relevant as ...", footnote 1:
    "Immediately end the occupation of Georgia's regions of Abkhazia ... (Georgia); Allow and
    ensure safe and dignified return of ... (Georgia)." (A/HRC/24/14, page 27). Only when each
    is closed by its State list. The note is read on the page of the line printing its marker,
    and goes on to the next page when it is the last of its page (`_footnote`)."""
    by_number = {page.number: page for page in pages}
    for paragraph in paragraphs:
        lead_in = join_lines(paragraph.parts)
        if paragraph.items or not IN_A_FOOTNOTE.search(lead_in):
            continue
        if position_of(lead_in) is Position.UNKNOWN:
            continue
        for page, marker in paragraph.markers:
            asks = _asks_on_pages(_footnote(by_number, page, marker))
            if not all(split_recommending_states(ask, states)[1] for _, ask in asks):
                continue
            for number, (printed, ask) in enumerate(asks, 1):
                item = Item(paragraph.number, number, "", printed, [ask], sub_numbered=False)
                item.warnings.append(
                    f"printed without a number in footnote {marker} of paragraph "
                    f"{paragraph.number}; read as item {number}"
                )
                warnings.append(f"page {printed}: {paragraph.number}.{number} {item.warnings[-1]}")
                paragraph.items.append(item)


def _read_footnotes_on_asks(
    paragraphs: list[Paragraph], pages: Sequence[Page], states: StateTable
) -> None:
    """The footnotes printed on each ask (`Item.ask_markers`, else `_marker_as_text`), kept with
    it: El Salvador 2010's 81.72 "To pursue and intensify initiatives in the area of housing
    (Algeria)¹" and its note "The recommendation as read during the interactive dialogue: To
    pursue ... a house for everyone." (A/HRC/14/5, page 17). A marker whose note is not found
    keeps nothing."""
    by_number = {page.number: page for page in pages}
    for paragraph in paragraphs:
        for item in paragraph.items:
            for page, marker in item.ask_markers or _marker_as_text(item, by_number, states):
                lines = _footnote(by_number, page, marker)
                if lines:
                    text = join_lines([line for _, line in lines])
                    item.footnotes.append(AskFootnote(marker, lines[0][0], text))


def _marker_as_text(
    item: Item, by_number: dict[int, Page], states: StateTable
) -> list[tuple[int, str]]:
    """The marker printed as text after the ask's State list (`marker_after_list`: "(Chad)3;",
    Lesotho 2010 97.3, at body size on the baseline, no superscript for the loader to see), with
    the page of the ask's last line; none when that page's body prints the marker as one."""
    number = marker_after_list(join_lines(item.parts[: item.tail_from]), states)
    page = by_number.get(item.ask_end_page)
    if number is None or page is None or number in printed_markers(body_lines(page)):
        return []
    return [(page.number, number)]


def _asks_on_pages(lines: Sequence[tuple[int, str]]) -> list[tuple[int, str]]:
    """The asks of a footnote's (page, line) lines (`AFTER_ASK`), each with the page of the line
    it opens on: "Allow and ensure safe and dignified return ..." on the next page's top when
    the note runs on (`_footnote`)."""
    if not lines:
        return []
    texts = [text for _, text in lines]
    ends = [len(join_lines(texts[: i + 1])) for i in range(len(texts))]
    joined = join_lines(texts)
    starts = [0, *(after.end() for after in AFTER_ASK.finditer(joined))]
    asks = AFTER_ASK.split(joined)
    return [
        (next((lines[i][0] for i, end in enumerate(ends) if start < end), lines[-1][0]), ask)
        for start, ask in zip(starts, asks, strict=True)
    ]


def _footnote(by_number: dict[int, Page], page: int, marker: str) -> list[tuple[int, str]]:
    """The lines of footnote `marker` of `page`, each with its page, with those that run on at
    the top of the next page's notes (`wg_items.RUN_ON`) when it is the page's last note; the
    next page's note `marker` when the marker ends `page` and its note is printed there
    ("(Tunisia);¹" the last line of Saudi Arabia 2013's page 13, note 1 on page 14)."""
    if page not in by_number:
        return []
    notes = footnotes(by_number[page])
    if marker not in notes:
        later = by_number.get(page + 1)
        if later is None or marker in printed_markers(body_lines(later)):
            return []
        return [(page + 1, line) for line in footnotes(later).get(marker, [])]
    own = [(page, line) for line in notes[marker]]
    if list(notes)[-1] != marker or page + 1 not in by_number:
        return own
    return [*own, *((page + 1, line) for line in footnotes(by_number[page + 1]).get(RUN_ON, []))]


def _drop_comments(paragraphs: list[Paragraph]) -> list[Item]:
    """Empty the items of a lead-in that cites section I when every item only comments on it;
    return those items, the State's comments (`comments_on_cited`).

    The cited recommendations are then read from section I (`cited_paragraphs`).
    """
    dropped: list[Item] = []
    if not paragraphs:
        return dropped
    first = paragraphs[0].number
    for paragraph in paragraphs:
        lead_in = " ".join(paragraph.parts)
        if not paragraph.items or not LEAD_IN.search(lead_in):
            continue
        cited = cited_paragraph_numbers(lead_in)
        if not cited or max(cited) >= first:
            continue
        if all(COMMENT_CITATION.search(" ".join(item.parts)) for item in paragraph.items):
            dropped.extend(paragraph.items)
            paragraph.items = []
    return dropped


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
