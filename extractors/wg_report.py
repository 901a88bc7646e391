"""Working Group reports -> recommendations, for the layouts of cycles 1 and 2 (2008-2014).

The recommendations live in section "II. Conclusions and/or recommendations": lead-in
paragraphs that say the State's position ("118. The following recommendations ... enjoy the
support of Cambodia:") followed by items. Cycle 2 numbers items "118.17"; cycle 1 numbers
them "1.", "2." inside the paragraph (stored as "86.1", "86.2", ...). Each item ends with the
recommending State(s) in parentheses.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import accumulate, groupby

from uprdex.extractors.metadata import (
    find_review_year,
    find_session,
    find_state_under_review,
    find_symbol,
    find_year,
)
from uprdex.extractors.state_lists import split_state_list
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

__all__ = ["parse_wg_report", "position_of", "split_recommending_states"]

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
# " 4" in "(France 4); Ratify the Second Optional Protocol": a note number printed in the list.
STRAY_NUMBER = re.compile(r"\s+\d{1,2}$")
# "(Paraguay" closing "Consider the possibility of accession to CED (Paraguay (Argentina);".
UNCLOSED_LIST = re.compile(r"\(([A-Z][^()]*)$")
# "(a)" and "(b)" in "(a) Adopt necessary measures to safeguard ...; (b) Facilitate
# reintegration of IDPs ...": lettered asks that open an item, then follow a ";".
LETTERED_PART = re.compile(r"(?:^|[:;,.]\s+(?:and\s+)?)\(([a-z])\)\s")
# "115.1 Take further steps ...", "80.1. Consider the possibility ...", "118.09 Adopt ..."
SUB_ITEM = re.compile(r"^(\d{1,3})\s?\.\s?(\d{1,3})\.?\s+(\S.*)$")
# "115. The recommendations listed below ..." (paragraph) or "1. Consider ..." (cycle-1 item)
NUMBERED = re.compile(r"^(\d{1,3})\.\s+(\S.*)$")
# "73 Take appropriate measures to promote the registration of all children," (Albania 2010):
# a cycle-1 item whose number lost its dot.
UNDOTTED = re.compile(r"^(\d{1,3})\s+([A-Z][a-z]+\b.*)$")
# "Other recommendations noted in the report in paragraphs 35 (a), (b) and (g); 41 (b); 56
# above did not enjoy the support of Viet Nam": recommendations printed in section I.
BODY_REFERENCES = re.compile(
    r"\bparagraphs?:?\s+(\d{1,3}\b.*?)(?=\s*(?:above|in section|did not|will|were|are|have|enjoy"
    r"|of the|[.:]\s*$))",
    re.IGNORECASE,
)
# Burundi 2009, items under "83. Burundi takes note of the recommendations reflected in
# paragraphs 23, 24 (b), ...": "1. With regard to recommendations concerning rape ... as included
# in paragraphs 23 (Germany), 27 (United Kingdom), ..., Burundi clarified that ...": a comment on
# recommendations of section I, not a recommendation.
COMMENT_CITATION = re.compile(
    r"\b(?:paragraphs?|recommendations?)\s+(?:numbers?\s+)?\d{1,3}\b(?!\.\d)", re.IGNORECASE
)
# "35 (a), (b), (e) and (g) (i)", "48 (b, c, d)" -> paragraph 35 and its letters.
REFERENCE = re.compile(r"(\d{1,3})\b((?:[\s,]*(?:and\s+)?\(\s*[a-z](?:\s*,\s*[a-z])*\s*\))*)")
# Turkmenistan 2009: "Recommendations noted in the report in paragraphs 23 (last sentence),
# 29 (d), (f) and (g), ...": one recommending sentence of an unlettered paragraph.
CITED_SENTENCE = re.compile(r"\s*\((first|last) sentence\)", re.IGNORECASE)
# Switzerland 2008: "One recommendation noted in the present report in paragraphs 10, 15, 25 and
# 39 (the ratification of the International Convention on ... Migrant Workers ...)": the cited
# recommendation is the one sentence of each paragraph on that subject.
CITED_SUBJECT = re.compile(r"(?:[\s,]*(?:and\s+)?\d{1,3}\b)*\s*\((the\s[^()]{10,})\)")
_WORD = re.compile(r"[a-z]{4,}")
# "It also recommended that Switzerland ratify the ICRMW": an acronym of the cited subject.
_ACRONYM = re.compile(r"\b[A-Z]{3,}\b")
_ACRONYM_WEIGHT = 5
# "(a)", "( b )", "(b, c" in "35 (a), ( b ) and (g)", "48 (b, c, d)"
CITED_LETTER = re.compile(r"(?<=[(,])\s*([a-z])\b(?=\s*[),])")
# "... that Viet Nam (a) increase the independence ...; (b) bring its press laws ...", and
# without its "(": "expression; c)taking urgent steps", "It recommended that g) the" (China 2009).
LETTER = re.compile(r"(?:\(|(?<=[\s;:,]))([a-z])\)\s?")
# "68 (d) (i)", "67 (a), (b) (i) and (ii)" (Monaco, Malaysia 2009): a roman sub-part of a cited
# letter, which cites that letter's ask; but "35 (a), (b), (e) and (g) (i)" (Viet Nam 2009),
# where paragraph 35 prints (a) to (i), cites (i).
CITED_SUB_PART = re.compile(r"(?<=\))\s*\(\s*([ivx]+)\s*\)")
# "Finland recommended", "Mexico also encouraged": the verb after a recommending State.
RECOMMENDING_VERB = re.compile(
    r"\b(?:also\s+|further\s+)?(?:recommended|encouraged|urged|called|invited|suggested)\b"
)
# Uzbekistan 2009: "44. Underlining the important role of human rights defenders, Belgium asked
# about the composition ... It recommended that Uzbekistan reinforce ...": the speaking State
# when no State precedes a recommending verb.
SPEAKING_VERB = re.compile(
    r"\b(?:also\s+|further\s+)?(?:asked|noted|welcomed|commended|expressed|acknowledged"
    r"|appreciated|congratulated|praised|stated|said|enquired|inquired|requested|referred"
    r"|observed|highlighted|recognized|underlined|emphasized|mentioned|remained)\b"
)
# "Denmark recommended", "It further recommended", "... and recommended": a recommending
# sentence of a State, not "the Committee against Torture recommended the clarification".
STATE_RECOMMENDED = re.compile(r"\brecommended\b")
_RECOMMENDING_SUBJECTS = frozenset({"it", "and", "also", "further", "he", "she", "they"})
# "... more mutually cohesive. It appreciated ...", "... by the Committee on the Rights of the
# Child in 2006. It expressed concern ..." (Colombia 2009): where a cited recommendation ends.
SENTENCE_END = re.compile(r"(?<=[a-zA-Z0-9)])\.\s+(?=[A-Z])")
# "A/HRC/12/11*", "8 GE.09-16382", "GE.14-12727", "Page 17", "23": page headers and footers.
PAGE_FURNITURE = re.compile(
    r"^\s*(?:A/HRC/\S+|(?:\d{1,3}\s+)?GE\.\s?\d\d-\d+(?:\s+\d{1,3})?|Page\s+\d+|\d{1,3})\s*$"
)
# The first sentence that recommends: "It recommended that Viet Nam consider ...". A full stop
# ends it only before a capital, not in "In relation to Law No. 90-07 on freedom of expression,
# it recommended ..." (Algeria 2008) nor in "e.g. the".
RECOMMENDING_SENTENCE = re.compile(
    r"(?:[^.]|\.(?!\s+(?-i:[A-Z])))*\brecommend.*?(?:\.(?=\s+(?-i:[A-Z]))|$)", re.IGNORECASE
)

# Lead-in wordings, most specific first: negations before the words they negate.
#   "did not enjoy the support of Algeria", "will be examined by Slovenia which will provide
#   responses in due time", "have been noted by", "enjoy the support of Cambodia".
_NEGATED = re.compile(
    r"\b(?:did|do|does) not (?:enjoy|receive|have) (?:the |its )?support"
    # "Senegal considers that the recommendations below cannot be accepted" (Senegal 2013)
    r"|\b(?:can)?not (?:be )?(?:accepted|supported)|\brejected\b|\b(?:can)?not accept"
    # "Kenya cannot support / does not support / is unable to accept the following ..."
    r"|\b(?:cannot|can not|(?:does|do|did) not|(?:is|are) (?:unable|not in a position) to) "
    r"(?:accept|support)\b"
    # Russian Federation 2009: "the recommendations contained in the report in paragraph 54
    # are not relevant as they do not comply with the basis of the review"
    r"|\bnot relevant\b",
    re.I,
)
_PENDING = re.compile(
    r"\bwill (?:be )?(?:further )?examine[ds]?\b"
    r"|\bwill provide (?:its |their )?(?:responses?|answers?|position)"
    r"|\bresponses? in due (?:course|time)"
    # "Responses to the following recommendations will be provided by Germany in due time"
    # (Germany 2013); "The response of Cyprus to the following recommendations will be
    # included in the outcome report adopted by the Human Rights Council"
    r"|\bwill be provided\b.{0,40}?\bin due (?:course|time)"
    r"|\bresponses?\b.{0,80}\bwill be included in the outcome",
    re.I,
)
# "... has examined the following recommendations and notes them"
_NOTED = re.compile(r"\b(?:noted|took note|takes note|take note|notes them)\b", re.I)
_SUPPORTED = re.compile(
    r"\b(?:enjoy(?:s|ed)?|receive[sd]?|ha(?:ve|s) received) (?:the |its )?support"
    r"|\b(?:accepted|supported)\b"
    r"|\balready (?:been |being )?implemented|\bin the process of implementation"
    # "Finland considered the recommendations ... and agrees to follow up on them"; "The State
    # under review considered the recommendations ... and agreed on the following:" (Bahrain
    # 2008, whose 9 items UPR Info lists as accepted)
    r"|\bagrees? to follow up|\bagreed? (?:on|to) the following\b",
    re.I,
)
_POSITION_PATTERNS: tuple[tuple[re.Pattern[str], Position], ...] = (
    (_NEGATED, Position.NOTED),
    (_PENDING, Position.PENDING),
    (_NOTED, Position.NOTED),
    (_SUPPORTED, Position.SUPPORTED),
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
# "(Mexico); consider": the end of one ask inside a cycle-1 item; not "(Brazil); CEDAW (Italy)",
# where the same ask goes on with another treaty, nor "Continue its efforts to reach the
# Millennium Development Goals by 2015 (Cuba, Qatar, Saudi Arabia, Jordan, Iran); in particular,
# it underlined ... (Cuba)" (Djibouti 2009), where it goes on with one State's detail.
PART_END = re.compile(r"\)\s*;(?!\s*(?:(?:and\s+)?[A-Z]{2,}\b|in\s+particular\b))")
# "To accede to the International Convention ... (Algeria, Philippines, Egypt, Mexico, Peru) ,
# to withdraw reservations ... (Mexico) and to ratify the Palermo Protocol ( Peru);" (Republic of
# Korea 2008): in an ask opened by "To", a State list followed by another infinitive and its
# object closes one ask. Not "(Mexico) and to the", nor the nouns in "the right to food
# (Vietnam), to health (Saudi Arabia, Vietnam), and to education" (Mexico 2009).
NEXT_ASK = re.compile(
    r"\)\s*(?:,\s*(?:and\s+)?|and\s+|,?\s*as\s+well\s+as\s+)to\s+"
    r"(?!(?:the|a|an|its|their|his|her|all|any|this|that|these|those|which)\b)[a-z]{2,}\s+[^\s(]"
)
# "To ratify ...", "to render more effective ..." after "(Slovenia); ": an ask in the infinitive,
# whose next "and to create ..." is a second ask, unlike the object of "Step up its efforts made
# to investigate acts of racial aggression (Switzerland) and to punish their perpetrators"
# (Russian Federation 2009).
INFINITIVE_ASK = re.compile(r"^\s*(?:and\s+)?to\s+[a-z]", re.IGNORECASE)
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
# "...consolidate its efforts; and" / "...; or": the joiner left before the next letter.
_MARKER_AFTER_LIST = re.compile(r"\)\s*\d{1,2}\s*[;.]?\s*$")
_TRAILING_JOINER = re.compile(r"[\s;,.]*(?:\b(?:and|or)\b)?[\s;,.]*$")
_MAX_STATE_WORDS = 8


# The sentence of a lead-in that introduces the list: "... and the recommendations listed below
# enjoy the support of Colombia." (Colombia 2008, whose next sentence speaks of "recommendations
# noted in the report in paragraphs 19(a), ...").
_INTRODUCES_LIST = re.compile(r"\b(?:below|following|hereunder|as follows)\b|:\s*$", re.I)
_LEAD_IN_SENTENCE = re.compile(r"(?<=[a-z)])\.\s+(?=[A-Z])")


def position_of(lead_in: str) -> Position:
    """The State's position a lead-in paragraph announces for the items that follow it: in the
    sentence that introduces the list when one does and states a position, else anywhere."""
    sentences = _LEAD_IN_SENTENCE.split(lead_in)
    introducing = [s for s in sentences if _INTRODUCES_LIST.search(s)]
    texts = [lead_in]
    if introducing and len(introducing) < len(sentences):
        texts.insert(0, " ".join(introducing))
    for text in texts:
        for pattern, position in _POSITION_PATTERNS:
            if pattern.search(text):
                return position
    return Position.UNKNOWN


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
    state_under_review = find_state_under_review(head, states)
    recommendations: list[Recommendation] = []
    comments: list[StateComment] = []
    for paragraph, announced in zip(paragraphs, _announcements(paragraphs), strict=True):
        for found in _recommendations(paragraph, states, warnings, state_under_review, announced):
            if isinstance(found, StateComment):
                comments.append(found)
            else:
                recommendations.append(found)
    if paragraphs:
        recommendations.extend(
            _referenced_recommendations(
                paragraphs, _numbered_paragraphs(lines, before=paragraphs[0].number), states
            )
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
    for line in _section_lines(lines):
        text = line.text
        paragraph = paragraphs[-1] if paragraphs else None
        sub = SUB_ITEM.match(text)
        kind = _sub_item_kind(sub, paragraph, item) if sub else None
        if sub and paragraph and kind:
            number = int(sub.group(1))
            if kind == "new paragraph":
                paragraph = _Paragraph(number, line.page, [])
                paragraphs.append(paragraph)
            item = _Item(
                paragraph.number,
                int(sub.group(2)),
                text[: sub.start(3)].strip(),
                line.page,
                [sub.group(3)],
                sub_numbered=True,
            )
            if number != paragraph.number:
                item.warnings.append(
                    f"item printed as {sub.group(1)}.{sub.group(2)} inside paragraph "
                    f"{paragraph.number}; read as {paragraph.number}.{sub.group(2)}"
                )
                warnings.append(f"page {line.page}: {item.warnings[-1]}")
            paragraph.items.append(item)
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
        position = _announced_position(text)
        if waiting and position is not None and _THESE_RECOMMENDATIONS.search(text):
            named = _IN_PARAGRAPHS.search(text)
            numbers = {int(n) for n in re.findall(r"\d+", named.group(1))} if named else None
            for earlier in waiting:
                if numbers is None or paragraphs[earlier].number in numbers:
                    found[earlier] = (position, paragraph.number)
        waiting = []
    return found


def _announced_position(text: str) -> Position | None:
    """The one position a paragraph after the items states, or None when it states several.

    "Nigeria takes note of the recommendations above ... some that enjoy the support ...
    others that need to be further examined ... others which do not enjoy the support ...
    The response of Nigeria to these recommendations will be included in the outcome report"
    (Nigeria 2009): the answers come later, so pending. A paragraph that only sorts them
    ("some enjoy the support, others do not") without a later response states no one
    position.
    """
    if _PENDING.search(text):
        return Position.PENDING
    states = {
        Position.NOTED: bool(_NEGATED.search(text) or _NOTED.search(text)),
        Position.SUPPORTED: bool(_SUPPORTED.search(_NEGATED.sub(" ", text))),
    }
    found = [position for position, stated in states.items() if stated]
    return found[0] if len(found) == 1 else None


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
        )


def _drop_comments(paragraphs: list[_Paragraph]) -> None:
    """Empty the items of a lead-in that cites section I when every item only comments on it.

    The cited recommendations are then read from section I by `_referenced_recommendations`.
    """
    if not paragraphs:
        return
    first = paragraphs[0].number
    for paragraph in paragraphs:
        lead_in = " ".join(paragraph.parts)
        if not paragraph.items or not _LEAD_IN.search(lead_in):
            continue
        cited = [
            int(reference.group(1))
            for references in BODY_REFERENCES.finditer(lead_in)
            for reference in REFERENCE.finditer(references.group(1))
        ]
        if not cited or max(cited) >= first:
            continue
        if all(COMMENT_CITATION.search(" ".join(item.parts)) for item in paragraph.items):
            paragraph.items = []


def _numbered_paragraphs(lines: Iterable[Line], before: int) -> dict[int, list[Line]]:
    """The lines of the document's numbered paragraphs "1.", "2.", ... up to `before`."""
    paragraphs: dict[int, list[Line]] = {}
    current: list[Line] = []
    for line in lines:
        numbered = NUMBERED.match(line.text)
        if numbered and int(numbered.group(1)) == len(paragraphs) + 1:
            if len(paragraphs) + 1 == before:
                break
            current = paragraphs.setdefault(len(paragraphs) + 1, [])
        if not PAGE_FURNITURE.match(line.text):
            current.append(line)
    return paragraphs


def _referenced_recommendations(
    paragraphs: list[_Paragraph], body: dict[int, list[Line]], states: StateTable
) -> Iterator[Recommendation]:
    """Recommendations that a lead-in cites by paragraph of section I, each cited once.

    Viet Nam 2009: "102. The recommendations noted in the report in paragraphs 35 (a), (b) ...
    did not enjoy the support of Viet Nam", where "35. Canada ... recommended that Viet Nam
    (a) increase the independence of media ...; (b) ...".
    """
    seen: set[tuple[int, str | None]] = set()
    for paragraph in paragraphs:
        lead_in = " ".join(paragraph.parts)
        if paragraph.items or not _LEAD_IN.search(lead_in):
            continue
        for references in BODY_REFERENCES.finditer(lead_in):
            for reference in REFERENCE.finditer(references.group(1)):
                number = int(reference.group(1))
                if number >= paragraphs[0].number:
                    break  # "paragraph 103, No. 7": an item of the section, not paragraph 7
                if number not in body:
                    continue
                printed = reference.group(2)
                # The paragraph's own letters matter only when none or a roman part is cited.
                needs_own = CITED_SUB_PART.search(printed) or not CITED_LETTER.search(printed)
                own = _letters_of(body[number], states) if needs_own else []
                letters = _cited_letters(printed, own)
                cited: list[str | None] = [*letters] or own
                sentence = CITED_SENTENCE.match(references.group(1), reference.end())
                if sentence and len(cited) > 1:
                    cited = cited[:1] if sentence.group(1).lower() == "first" else cited[-1:]
                subject = CITED_SUBJECT.match(lead_in, references.start(1) + reference.end())
                if subject and not letters and len(cited) > 1:
                    cited = [_letter_on(body[number], states, subject.group(1))]
                for letter in cited:
                    if (number, letter) not in seen:
                        seen.add((number, letter))
                        yield from _body_recommendation(
                            body[number], number, letter, paragraph, states
                        )


def _cited_letters(printed: str, own: list[str | None]) -> list[str]:
    """The letters cited in "(a), (b) (i) and (ii)": a roman sub-part is not a letter unless
    the paragraph prints that letter (its `own`)."""
    roman = {mark.group(1) for mark in CITED_SUB_PART.finditer(printed)}
    return [
        letter for letter in CITED_LETTER.findall(printed) if letter not in roman or letter in own
    ]


def _body_recommendation(
    lines: list[Line], number: int, letter: str | None, lead_in: _Paragraph, states: StateTable
) -> Iterator[Recommendation]:
    """Recommendation (letter) of a section-I paragraph, made by the State that opens it."""
    text = NUMBERED.sub(r"\2", join_lines(line.text for line in lines), count=1)
    start, end = 0, len(text)
    notes: list[str] = []
    if letter:
        marks = _letter_marks(text)
        found = [i for i, mark in enumerate(marks) if mark.group(1) == letter]
        if found:
            start = marks[found[0]].end()
            end = marks[found[0] + 1].start() if found[0] + 1 < len(marks) else end
            ask = SENTENCE_END.split(text[start:end], maxsplit=1)[0]
        else:
            # Burundi 2009 cites "33 (a) and (b)" where "33. Denmark ... recommended that all
            # reports of rape ... It further recommended that the practice of torture ...":
            # the letter counts the paragraph's recommending sentences. Past printed letters,
            # it counts those after them (`_letters_of`).
            sentences = _recommending_sentences(text, states)
            index = ord(letter) - ord("a")
            if marks and letter > marks[-1].group(1):
                sentences = [s for s in sentences if s.start() > marks[-1].end()]
                index = ord(letter) - ord(marks[-1].group(1)) - 1
            if not sentences:
                return
            if index < len(sentences):
                notes.append(
                    f"({letter}) not printed: recommending sentence {index + 1} of {number}"
                )
            else:
                # Djibouti 2009 cites "47 (d)": paragraph 47 prints no letters and two
                # recommending sentences of two asks each; the fourth ask is in the last.
                index = len(sentences) - 1
                notes.append(
                    f"({letter}) not printed and {number} has {len(sentences)} recommending "
                    "sentences: the last is taken (it may hold more than this ask)"
                )
            start, ask = sentences[index].start(), sentences[index].group()
    else:
        sentence = RECOMMENDING_SENTENCE.search(text)
        ask = sentence.group() if sentence else text
        start = sentence.start() if sentence else 0
    state = (
        _leading_state(text, states)
        or _subject_state(text[:start], states)
        or _subject_state(text[:start], states, SPEAKING_VERB)
    )
    offsets = list(accumulate(len(line.text) + 1 for line in lines))
    page = lines[min(bisect_right(offsets, start), len(lines) - 1)].page
    yield Recommendation(
        paragraph=f"{number}({letter})" if letter else str(number),
        text=_TRAILING_JOINER.sub("", ask.strip(" :;,")),
        recommending_states=(state,) if state else (),
        position=position_of(" ".join(lead_in.parts)),
        position_paragraph=str(lead_in.number),
        page=page,
        as_printed=f"{number} ({letter})" if letter else f"{number}.",
        warnings=tuple(
            notes + ([] if state else ["no recommending State opens the cited paragraph"])
        ),
    )


def _letters_of(lines: list[Line], states: StateTable) -> list[str | None]:
    """The letters "(a)", "(b)" ... of a cited paragraph, or [None] when it has none.

    A paragraph without letters but with several recommending sentences counts them as letters,
    as the reports' own citations do: Ghana 2008 cites "paragraphs 16, 20, 24, 30" where "30.
    Mexico recommended that Ghana adopt a legal moratorium ... It also recommended Ghana to
    ratify the Optional Protocol ..." (two recommendations); Burundi 2009 cites "33 (a) and (b)"
    of such a paragraph.
    """
    text = NUMBERED.sub(r"\2", " ".join(line.text for line in lines), count=1)
    marks = _letter_marks(text)
    sentences = _recommending_sentences(text, states)
    if marks:
        # "... recommended that China a) respond positively ...; and b) give positive
        # consideration to ratifying OP-CAT ... Mexico recommended that China that consider
        # positively declaring a moratorium ..." (China 2009, 38): a recommending sentence after
        # the letters is one more ask, the next letter.
        last = marks[-1]
        after = sum(1 for sentence in sentences if sentence.start() > last.end())
        more = [chr(ord(last.group(1)) + 1 + i) for i in range(after) if last.group(1) < "z"]
        return [mark.group(1) for mark in marks] + more
    count = len(sentences)
    return [chr(ord("a") + i) for i in range(min(count, 26))] if count > 1 else [None]


def _letter_marks(text: str) -> list[re.Match[str]]:
    """The "(a)", "(b)", ... of a section-I paragraph: the longest run of marks in which each
    letter follows the one before (the first such run on a tie).

    A mark out of the run is part of an ask: "(a) implement article 2 (a) of the Convention"
    (United Arab Emirates 2009), "(d) sign and ratify (i) ICRMW and (ii) ..." (Monaco 2009),
    or cited before the asks: "... article 2 (f) of CEDAW. It recommended (a) ...".
    """
    found = list(LETTER.finditer(text))
    best: list[re.Match[str]] = []
    for start, first in enumerate(found):
        run = [first]
        for mark in found[start + 1 :]:
            if ord(mark.group(1)) == ord(run[-1].group(1)) + 1:
                run.append(mark)
        if len(run) > len(best):
            best = run
    return best


def _letter_on(lines: list[Line], states: StateTable, subject: str) -> str:
    """The letter of the recommending sentence sharing the most words with `subject`."""
    text = NUMBERED.sub(r"\2", " ".join(line.text for line in lines), count=1)
    wanted = set(_WORD.findall(subject.lower()))
    initials = "".join(word[0] for word in subject.split() if word[:1].isupper())
    sentences = _recommending_sentences(text, states)
    scores = [
        len(wanted & set(_WORD.findall(s.group().lower())))
        + _ACRONYM_WEIGHT * sum(_abbreviates(a, initials) for a in _ACRONYM.findall(s.group()))
        for s in sentences
    ]
    return chr(ord("a") + scores.index(max(scores))) if scores else "a"


def _abbreviates(acronym: str, initials: str) -> bool:
    """Is "ICRMW" made of initials, in order, of "International Convention on the Protection of
    the Rights of All Migrant Workers"?"""
    rest = iter(initials)
    return all(letter in rest for letter in acronym)


def _recommending_sentences(text: str, states: StateTable) -> list[re.Match[str]]:
    """The sentences of a section-I paragraph in which a State (or "It") recommends."""
    return [
        sentence
        for sentence in RECOMMENDING_SENTENCE.finditer(text)
        if any(
            _recommends(sentence.group()[: verb.start()], states)
            for verb in STATE_RECOMMENDED.finditer(sentence.group())
        )
    ]


def _recommends(before: str, states: StateTable) -> bool:
    """Does the text before "recommended" end with its recommending subject?"""
    words = [word.strip(",;:") for word in before.split()[-_MAX_STATE_WORDS:]]
    if words and words[-1].lower() in _RECOMMENDING_SUBJECTS:
        return True
    return any(states.resolve(" ".join(words[-count:])) for count in range(1, len(words) + 1))


def _leading_state(text: str, states: StateTable) -> str | None:
    """The State whose name opens a paragraph: "The Czech Republic recommended ..."."""
    words = text.split()[:_MAX_STATE_WORDS]
    for count in range(len(words), 0, -1):
        state = states.resolve(" ".join(words[:count]).rstrip(",;:"))
        if state:
            return state.name
    return None


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
        state = _leading_state(text[cited.end() :], states)
        if state:
            return state
    return None


def _subject_state(
    text: str, states: StateTable, verbs: re.Pattern[str] = RECOMMENDING_VERB
) -> str | None:
    """The State that last recommends in the text: "..., Finland recommended that Viet Nam"."""
    for verb in reversed(list(verbs.finditer(text))):
        words = text[: verb.start()].split()[-_MAX_STATE_WORDS:]
        for count in range(len(words), 0, -1):
            state = states.resolve(" ".join(words[-count:]).strip(",;:"))
            if state:
                return state.name
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


def split_recommending_states(text: str, states: StateTable) -> tuple[str, list[str], list[str]]:
    """Split "Ratify ICRMW (Senegal, Venezuela (Bolivarian Republic of));" into its text and
    States.

    Returns (text without the trailing State lists and final ";"/".", the States in print
    order as UN short names (unknown names kept as printed), the unknown names). State lists
    inside the text, as cycle-1 items print them ("to adhere to (Algeria) or to consider the
    ratification of (Mexico) the Convention"), count as recommending States too. A State
    counts once per part of the item closed by ";" ("Adhere to ICESCR (Mexico); ratify
    ICRMW (Mexico)" is two asks of Mexico) or by a State list before another infinitive ("To
    accede to ICRMW (Mexico, Peru), to withdraw reservations (Mexico) and to ratify the Palermo
    Protocol (Peru)": two asks each), and once in a merged "/" variant list ("Continue
    promoting (Bolivia) / to support (Lebanon) initiatives in defence (Bolivia)").
    """
    body = text.strip()
    # A footnote marker the text layer printed at body size after the State list: "(Chad)3"
    # (Lesotho 2010 97.3), "(Venezuela (Bolivarian Republic of)) 4;" (Sri Lanka 2012 127.24).
    marker = _MARKER_AFTER_LIST.search(body)
    if marker:
        group = _last_parenthetical(body[: marker.start() + 1])
        if group is not None and _resolve_list(group[1], states) is not None:
            body = body[: marker.start() + 1]
    trailing: list[tuple[int, list[str]]] = []
    unknown: list[str] = []
    while True:
        body = body.rstrip(" ;.,:")
        group = (
            _last_parenthetical(body)
            or (None if trailing else _unopened_state(body, states))
            or _unclosed_list(body)
        )
        if group is None:
            break
        start, inner = group
        resolved = _resolve_list(inner, states)
        if resolved is None:
            break
        trailing.insert(0, (start, resolved[0]))
        unknown.extend(resolved[1])
        body = body[:start].rstrip()
    groups = [
        (start, resolved[0])
        for start, inner in _inline_parentheticals(body)
        if (resolved := _resolve_list(inner, states, strict=True))
    ]
    printed = text.strip()
    breaks = sorted(
        [match.start() for match in PART_END.finditer(printed)]
        + [
            match.start()
            for match in NEXT_ASK.finditer(printed)
            if INFINITIVE_ASK.match(printed[: match.start()].rsplit(";", 1)[-1])
        ]
    )
    if not groups and trailing and (letters := _lettered_parts(body)) > 1:
        # "(a) Adopt ...; (b) Facilitate ...; (c) Take ... (Austria)": one ask per letter.
        return (
            body.rstrip(" ;.,:"),
            [n for _ in range(letters) for _, g in trailing for n in g],
            unknown,
        )
    names: list[str] = []
    for _, part_groups in groupby(
        groups + trailing, key=lambda group: bisect_right(breaks, group[0])
    ):
        names.extend(dict.fromkeys(name for _, group in part_groups for name in group))
    # "... ill-treatment of children ((Iran (Islamic Republic of));" (Romania 2013): a doubled
    # "(" is left over once the list is taken.
    return body.rstrip(" ;.,:("), names, unknown


def _lettered_parts(text: str) -> int:
    """How many lettered asks "(a) ...; (b) ..." the item lists from its start, or 0.

    A list after a lead ("Implement fully the following recommendations of the Committee on
    the Rights of the Child: (a) ensure ...; (b) ...") is one ask.
    """
    if not text.startswith("(a)"):
        return 0
    letters = LETTERED_PART.findall(text)
    count = 0
    for letter in letters:
        if ord(letter) - ord("a") == count:
            count += 1
    return count


def _last_parenthetical(text: str) -> tuple[int, str] | None:
    """(start, inside) of the balanced "( ... )" that ends the text."""
    if not text.endswith(")"):
        return None
    depth = 0
    for index in range(len(text) - 1, -1, -1):
        if text[index] == ")":
            depth += 1
        elif text[index] == "(":
            depth -= 1
            if depth == 0:
                return index, text[index + 1 : -1]
    return None


def _unclosed_list(text: str) -> tuple[int, str] | None:
    """(start, inside) of a last "(" whose ")" was not printed: "CED (Paraguay (Argentina);"."""
    unclosed = UNCLOSED_LIST.search(text)
    return (unclosed.start(), unclosed.group(1)) if unclosed else None


def _unopened_state(text: str, states: StateTable) -> tuple[int, str] | None:
    """(start, name) of a State closing the text whose "(" was not printed: "law Austria)"."""
    if not text.endswith(")"):
        return None
    words = text[:-1].split(" ")
    for count in range(min(len(words) - 1, _MAX_STATE_WORDS), 0, -1):
        name = " ".join(words[-count:])
        if "(" not in name and states.resolve(name):
            return len(text) - 1 - len(name), name
    return None


def _inline_parentheticals(text: str) -> Iterator[tuple[int, str]]:
    """Top-level "( ... )" groups inside the text."""
    depth = 0
    start = 0
    for index, char in enumerate(text):
        if char == "(":
            if depth == 0:
                start = index
            depth += 1
        elif char == ")" and depth:
            depth -= 1
            if depth == 0:
                yield start, text[start + 1 : index]


def _resolve_list(
    inner: str, states: StateTable, strict: bool = False
) -> tuple[list[str], list[str]] | None:
    """Resolve a parenthesised State list, or None when it is not one ("(CEDAW)", "(2010)").

    Unknown names are kept as printed when the rest of the list are States (strict=False).
    """
    whole = states.resolve(inner)
    if whole:
        return [whole.name], []
    names: list[str] = []
    unknown: list[str] = []
    for part in _rejoin_and(split_state_list(inner), states):
        state = states.resolve(part) or states.resolve(STRAY_NUMBER.sub("", part))
        pair = None if state else _two_states(part, states)
        if state:
            names.append(state.name)
        elif pair:
            names.extend(pair)
        elif _looks_like_name(part):
            names.append(part)
            unknown.append(part)
        else:
            return None
    if not names or len(unknown) == len(names) or (strict and unknown):
        return None
    return names, unknown


def _rejoin_and(parts: list[str], states: StateTable) -> list[str]:
    """Parts joined again where "and" or "," belongs to a name: "United Kingdom of Great Britain
    and Northern Ireland" in "(Netherlands, United Kingdom of Great Britain and Northern
    Ireland, France)", "Venezuela, Bolivarian Republic of" in "(Cuba, Venezuela, Bolivarian
    Republic of)"."""
    joined: list[str] = []
    for part in parts:
        whole = next(
            (
                f"{joined[-1]}{joiner}{part}"
                for joiner in (" and ", ", ")
                if joined and states.resolve(f"{joined[-1]}{joiner}{part}")
            ),
            None,
        )
        if whole and not states.resolve(part):
            joined[-1] = whole
        else:
            joined.append(part)
    return joined


def _two_states(part: str, states: StateTable) -> list[str] | None:
    """Two States whose separating comma was not printed: "(Argentina Chile, Guatemala)"."""
    words = part.split()
    for cut in range(1, len(words)):
        first, second = states.resolve(" ".join(words[:cut])), states.resolve(" ".join(words[cut:]))
        if first and second:
            return [first.name, second.name]
    return None


def _looks_like_name(part: str) -> bool:
    words = part.split()
    return (
        bool(words)
        and len(words) <= _MAX_STATE_WORDS
        and part[:1].isupper()
        and not any(char.isdigit() for char in part)
    )
