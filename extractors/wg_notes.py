"""A State's notes on its asks in a Working Group report: the paragraphs after the lists that
name asks, by number ("Niger considers that recommendations 76.22, ... above are already
implemented"), as "the recommendations listed above", or as those marked with an asterisk. Each
note is the State's comment on each ask it names; a note saying they are already implemented
gives them that detail (`positions.implemented_detail`). So is a lead-in that gives the reason
for its position ("... did not enjoy the support of Mali, since slavery does not exist in
Mali."), or says where the State's views on its asks are printed (an addendum), on each of its
asks. `wg_report` calls `notes_on_asks` once it has read the asks, and
`comments_on_cited` and `reasons_in_lead_ins` once it has read the cited ones too.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from uprdex.extractors.cited_paragraphs import OF_ANOTHER_REVIEW, cited_asks
from uprdex.extractors.positions import (
    LEAD_IN_SENTENCE,
    gives_reason,
    implemented_detail,
    position_of,
    states_only_position,
    verdict_of,
)
from uprdex.extractors.state_lists import leading_state
from uprdex.extractors.wg_items import Item, Paragraph
from uprdex.pipeline.model import Position, Recommendation, StateComment
from uprdex.pipeline.states import StateTable, load_states
from uprdex.pipeline.text import join_lines

__all__ = [
    "COMMENTS_LEAD_IN",
    "commented_refusals",
    "comments_on_cited",
    "notes_on_asks",
    "reasons_in_lead_ins",
]

# "90. Costa Rica considers that the recommendations marked with an asterisk, Nos. 1, 4, ... in
# paragraph 88 above, are either already implemented or in the process of implementation."
# (Costa Rica 2010, whose items close "(Brazil);*"): the State's note on the marked asks.
MARKED_WITH_ASTERISK = re.compile(r"\bmarked\s+with\s+(?:an?\s+)?asterisks?\b", re.I)

# "68. Albania considers that recommendations Nos. 8, 9, ..., 61 63, ... above are either already
# implemented or in the process of implementation." (Albania 2010; Kazakhstan 2010, Yemen 2009,
# Qatar 2010 "Nos. 26 and 40", Egypt 2010 "Nos. 85-119", Libya 2011 "Nos. 93.2, 93.3, 93.31 and
# 93.40"; Niger 2011 "recommendations 76.22, 76.32, 76.33 and 76.47 above are already
# implemented", Bhutan 2014 "recommendation 118.1 above has already been implemented", Estonia
# 2011 "the recommendations in paragraphs 77.13, ... 77.88 above have already been
# implemented"): the State's note on asks of the section above, named by number. What it says
# of them: already implemented or in process (the asks' detail, `implemented_detail`), or "106.
# Malawi considers that recommendations 105.8, ... and 105.31 are not applicable to the
# situation in the country ..." (Malawi 2011, A/HRC/16/4): its comment only.
_NOTE_VIEW = (
    r"(?:already\s+(?:been\s+)?implemented|in\s+the\s+process\s+of\s+implementation"
    r"|not\s+applicable)"
)
# "103. Malawi considers that the first part of recommendation 3 above has already been
# implemented." (Malawi 2011): the State's comment on 102.3, which says nothing of all of it.
_PART_OF_ASK = r"(?:first|second|third|last)\s+part\s+of\s+"
PART_OF_ASK = re.compile(rf"\b{_PART_OF_ASK}", re.IGNORECASE)
# "91. Nicaragua considers that the recommendations listed above are either already implemented
# or in the process of implementation." (Nicaragua 2010, A/HRC/14/3, right after the 68 items of
# paragraph 90): no number, every item of the list it follows.
_LISTED_ABOVE = r"(?P<listed>listed\s+above)\s+"
_NOTE_NAMING = (
    rf"(?:the\s+)?(?:{_PART_OF_ASK}(?:the\s+)?)?recommendations?\s+(?:{_LISTED_ABOVE}|"
    r"(?:Nos?\.\s*|in\s+paragraphs?\s+)?"
    r"(?P<list>\d[\d.,\s–-]*?(?:\s+and\s+\d[\d.]*)?)\s*(?:above\s+)?)(?:are|is|has|have)\b"
    rf"[^.]{{0,40}}?{_NOTE_VIEW}"
)
NOTE_ON_NUMBERS = re.compile(rf"\bconsiders?\s+that\s+{_NOTE_NAMING}", re.IGNORECASE)
# "..., and the recommendation in paragraph 77. 24 is in the process of implementation."
# (Estonia 2011, A/HRC/17/17 para 78, right after its note): the same note on more asks.
NOTE_GOES_ON = re.compile(rf",?\s+and\s+{_NOTE_NAMING}", re.IGNORECASE)
# "92. Lithuania considers that the recommendation included in paragraph 91.1 goes beyond
# established facts and also beyond aims and tasks of the Universal Periodic Review process."
# (Lithuania 2011, A/HRC/19/15): the State's view, whatever it is, of asks it names by their full
# numbers. Its comment on each; a detail only from `NOTE_ON_NUMBERS`' wordings. Also a note
# opening on them: "137. The recommendations above, 136.1-136.3, 136.5-136.35, ..., and 136.55
# did not enjoy the support of Uzbekistan, as it considers that they are not part of its
# obligations under internationally agreed human rights standards." (Uzbekistan 2013, A/HRC/24/7).
# Or by its paragraph and its number there: "104. The recommendation contained in paragraph 103,
# No. 7, did not enjoy the support of Turkey, as Turkey stressed that its presence in the island
# stems from the rights and obligations within international treaties." (Turkey 2010,
# A/HRC/15/13): 103.7. Or a note opening on what it says of them: "110. With regard to the
# recommendations in paragraphs 109.2 and 109. 10 above, Nepal indicated that it might consider
# acceding to the Rome Statute." (Nepal 2011, A/HRC/17/5; Kenya 2010, A/HRC/15/8, "104. With
# regard to recommendations in paragraph 103.1 above, Kenya indicated that ..."), or what it did
# with them: "80. Niger rejected recommendations 79.1 and 79.2 because there are internal control
# and inspection mechanisms ..." (Niger 2011, A/HRC/17/15). Or after the colon of a comment's
# lead-in: "97. Armenia offered the following comment: Recommendation 96.1 cannot be accepted as
# it is inaccurate ..." (Armenia 2010, A/HRC/15/9). Not numbers of another review's report
# ("recommendation 97.2 of its first review had been implemented": `OF_ANOTHER_REVIEW`).
_FULL_NUMBER = r"\d{1,3}\.\d{1,3}"
_AND = r"(?:\s*[,–-]\s*|,?\s+and\s+)"
_REGARDING = r"(?:regarding|with\s+regard\s+to|as\s+regards|concerning)\s+"
NOTE_ON_FULL_NUMBERS = re.compile(
    rf"(?:\bconsiders?\s+that\s+|\breject(?:s|ed)\s+|:\s+|^(?:{_REGARDING})?)"
    r"(?:the\s+)?recommendations?\s+(?:"
    rf"(?:included|contained)\s+in\s+paragraph\s+(?P<head>\d{{2,3}}),?\s+Nos?\.\s*"
    rf"(?P<bare>(?>\d{{1,3}}(?:{_AND}\d{{1,3}})*))(?![\d.]\d)"
    r"|(?:above,?\s+|(?:(?:included|contained)\s+)?in\s+paragraphs?\s+|Nos?\.\s*)?"
    rf"(?P<list>(?>{_FULL_NUMBER}(?:{_AND}\d{{1,3}}\.\s?\d{{1,3}})*))(?![\d.]\d))"
    rf"(?!{OF_ANOTHER_REVIEW})",
    re.IGNORECASE,
)
# "71. With regard to the two recommendations above, Albania offers the following comment:
# “The Albanian legislation provides ...”" (Albania 2010, A/HRC/13/6, right after the 2 items
# of paragraph 70): as "the recommendations listed above", the items of the paragraph right
# before it, only when they are as many as it says. So is a note opening on them, or on what the
# State considers of them: "98. The recommendations above do not enjoy the support of Singapore
# for the reasons explained in the national report and during the interactive dialogue."
# (Singapore 2011, A/HRC/18/11, after the 15 items of 97; 99 gives its other noted asks' reason),
# "82. Rwanda considers the above recommendations as either not applicable or irrelevant."
# (Rwanda 2011, A/HRC/17/4), or taking note of them: "104. Nigeria takes note of the
# recommendations above and in the interim would like to state that, ..." (Nigeria 2009,
# A/HRC/11/26, after the 32 items of 103). Unless it names their paragraph, "116. The
# Plurinational State of Bolivia considers that the above-mentioned recommendations in
# paragraph 115 are not up to date ..." (Bolivia 2014, A/HRC/28/7), or their numbers, "127.
# The above recommendations from 126.1. to 126.15. cannot enjoy the support of Ghana until the
# referendum on the Constitution takes place." (Ghana 2012, A/HRC/22/6, of 126.1-126.25).
ON_THE_ASKS_ABOVE = re.compile(
    rf"(?:{_REGARDING}"
    r"|[^.]*?\b(?:considers?\s+(?:that\s+)?|(?:takes?|took)\s+note\s+of\s+))?the\s+(?:(?P<count>two|three|four|five)\s+)?"
    r"(?:recommendations\s+above|above(?:-mentioned)?\s+recommendations)\b"
    r"(?:\s+in\s+paragraph\s+(?P<paragraph>\d{2,3})(?![.\d])"
    rf"|\s+from\s+(?P<first>{_FULL_NUMBER})\.?\s+to\s+(?P<last>{_FULL_NUMBER})(?![\d]))?",
    re.IGNORECASE,
)
COUNTS = {"two": 2, "three": 3, "four": 4, "five": 5}
# "92. The recommendations below did not enjoy the support of the Islamic Republic of Iran, of
# which 28 (recommendations Nos. 2, 3, 4, ..., 43 and 44) Iran considers to be inconsistent with
# the Institution-Building text and/or not internationally recognized human rights, or not in
# conformity with its existing laws, pledges and commitments:" (Iran 2010, A/HRC/14/12): a
# lead-in's note on some of its own items, when they are as many as it says.
SOME_OF_ITS_ASKS = re.compile(
    r"\bof\s+which\s+(?P<count>\d{1,3})\s+\(recommendations\s+Nos?\.\s*"
    r"(?P<list>\d[\d,\s–-]*(?:\s*and\s+\d{1,3})?)\)[^.:]*?\bconsiders?\b",
    re.IGNORECASE,
)
# "125. Uruguay rejects the recommendation made by the delegation of Bangladesh. Uruguay
# effectively protects the family institution, ..." (Uruguay 2014, A/HRC/26/7, right after the
# one item of 124): one ask named by its recommending State.
BY_ITS_STATE = re.compile(
    r"\b(?:the|that)\s+recommendation\s+(?:made\s+)?(?:by|of)\s+"
    r"(?:the\s+delegation\s+of\s+)?(?P<state>[^.;,:]+)",
    re.IGNORECASE,
)
# "... the recommendation made by the delegation of France in paragraph 124.7 below", "... in
# paragraph 124, No. 7", "recommendation No. 7" (review5's cases): a note naming its ask by
# number says which ask it means, and `NOTE_ON_FULL_NUMBERS` reads it; the State's one ask in
# the list above may be another. So may a full number of a list of the report ("124.7"),
# another paragraph ("in paragraph 130") or an item of the list above ("No. 7"), see
# `_names_an_ask`; not a law's, an article's or a sum's ("Law No. 18.026", "article 2.1", "US$
# 1.5 million", "paragraph 3 of article 7"), which leave the note the comment on the State's ask.
NAMES_AN_ASK = re.compile(
    r"\b(?:paragraphs?\s+\d{1,3}(?:\.\s?\d|,?\s+Nos?\.\s*\d)|recommendations?\s+(?:Nos?\.\s*)?\d)",
    re.IGNORECASE,
)
A_NUMBER = re.compile(
    r"(?:\b(?P<word>paragraphs?\s+|Nos?\.\s*))?(?<![\d.])(?P<head>\d{1,3})"
    r"(?:\.\s?(?P<item>\d{1,3}))?(?!\d|\.\d)",
    re.IGNORECASE,
)
# "92. Tajikistan offered the following comments:", "61. With regard to the other
# recommendations, the State under review offers the following comments:" (Bahrain 2008).
COMMENTS_LEAD_IN = re.compile(
    r"\b(?:offer(?:s|ed)?|provided?|made)\s+the\s+following\s+comments", re.I
)
# "The recommendations above, except 97.3, do not enjoy the support of X", "... with the
# exception of recommendation 97.3 ...", "other than", "apart from", "save for": a note that
# leaves some asks out. Which ones it may say in any words ("except those on the death
# penalty"); a misread one would get a note that excludes it, so such a note is no comment.
# Only when asks follow within a few words (a number, "recommendation(s)", "No(s).",
# "paragraph(s)", "those", "the ... ones"), not "implemented through measures other than
# legislation" or "apart from the part on the death penalty", which leave no ask out.
_LEFT_OUT = r"(?:recommendations?\b|ones?\b|Nos?\.|paragraphs?\b|those\b|\d)"
EXCLUDING = re.compile(
    r"\b(?:(?:except|with\s+the\s+exception\s+of|other\s+than|apart\s+from|save(?=\s+for\b))"
    rf"(?:\s+for)?\s+(?:[^\s.,;:]+\s+){{0,4}}?{_LEFT_OUT}|save\s+{_LEFT_OUT})",
    re.IGNORECASE,
)
# "88. The recommendations noted in the report in paragraphs 19(d), ... above did not enjoy the
# support of Colombia. Colombia submitted its views on these recommendations. These views are
# included in an addendum to the report of the Working Group (A/HRC/10/82/Add.1)." (Colombia
# 2009, A/HRC/10/82; Colombia 2013, A/HRC/24/6, lead-ins 115-118 with items): the State has
# commented on the lead-in's asks, and says where. Not "Colombia has submitted its views on
# recommendations noted in the report in paragraphs 19(a), ..." (A/HRC/10/82 para 87): its 60
# asks are not "these" items of 87, but 59 of them are asks 87's items restate (19(a), Chile's
# "ensure that human rights abuses are appropriately investigated ...", is in 87.24) and one
# (37(a)) is 88's; which item holds which ask, the report does not say.
POINTS_TO_ITS_VIEWS = re.compile(
    r"\b(?:views|comments|responses?|replies|answers)\s+(?:on|to)\s+"
    r"(?:these|those|the\s+(?:above|following))\s+recommendations\b[^:]{0,120}?"
    r"\b(?:included|contained|reflected|set\s+out|presented)\s+in\s+(?:an?|the)\s+addendum\b",
    re.IGNORECASE,
)
NUMBER_OR_RANGE = re.compile(r"(\d{1,3}(?:\.\d{1,3})?)(?:\s*[–-]\s*(\d{1,3}(?:\.\d{1,3})?))?")
# "77. 24" printed with a space after its dot (Estonia 2011, A/HRC/17/17 para 78): 77.24.
SPACE_AFTER_DOT = re.compile(r"(?<=\d\.)\s(?=\d)")


def notes_on_asks(
    paragraphs: Sequence[Paragraph],
    recommendations: Sequence[Recommendation],
    states: StateTable | None = None,
) -> tuple[list[StateComment], list[Recommendation]]:
    """The State's notes on the asks (`_notes_on_marked`, `_notes_on_numbers`,
    `_notes_on_an_ask_by_its_state`), as its comments, and the asks with the detail those notes
    give them. Not a note that leaves some asks out (`EXCLUDING`), nor one that only states a
    position (`positions.states_only_position`)."""
    states = states or load_states()
    notes = [
        note
        for note in (
            *_notes_on_marked(paragraphs, recommendations),
            *_notes_in_lead_ins(paragraphs, recommendations),
            *_notes_on_numbers(paragraphs, recommendations),
            *_notes_on_an_ask_by_its_state(paragraphs, recommendations, states),
        )
        if not EXCLUDING.search(note.text) and not states_only_position(note.text, states)
    ]
    return notes, _noted_as_implemented(recommendations, notes)


def comments_on_cited(
    paragraphs: Sequence[Paragraph],
    recommendations: Sequence[Recommendation],
    dropped: Sequence[Item] = (),
) -> list[StateComment]:
    """A cycle-1 paragraph that offers comments on asks of section I it cites, as the State's
    comment on each: "65. With regard to recommendations 28 (b); 31 (b); 39 (b); and 58 (b), the
    State under review offers the following comments: Whilst current laws might criminalize ..."
    (Tonga 2008, A/HRC/8/48), "100. Burkina Faso takes note of the recommendations reflected in
    paragraphs 35 (b), 38 (b), 58 (a) and (b), 68 (a), 74 (a) and offers the following comments:
    ..." (Burkina Faso 2009, A/HRC/10/80), asks `cited_paragraphs` read as "28(b)", "58(a)".

    When its comments were printed as items (`dropped`, no asks), each item is the comment on
    the cited asks it names: "83. Burundi takes note of the recommendations reflected in
    paragraphs 23, 24 (b), ... and offers the following comments: 1. With regard to
    recommendations concerning rape, ... as included in paragraphs 23 (Germany), 27 (United
    Kingdom), ... and recommendation 51 (b) of Japan, Burundi clarified that ..." (Burundi 2009,
    A/HRC/10/71). So are the items of a lead-in that only states its position on the asks it
    cites, when each names cited asks: "82. The recommendations noted in paragraphs 31 (b), 33
    (a), ... above did not enjoy the support of Monaco: 1. With regard to the recommendations in
    paragraphs 31 (b) (Algeria), 38 (b) (Mexico), ... Monaco indicated that ..." (Monaco 2009,
    A/HRC/12/3; Burundi 2009 para 82)."""
    printed = {ask.paragraph for ask in recommendations}
    comments: list[StateComment] = []
    for note in paragraphs:
        text = join_lines(note.parts)
        offers = COMMENTS_LEAD_IN.search(text)
        items = [item for item in dropped if item.paragraph == note.number]
        if note.items or (offers is None and not items):
            continue
        cited = [
            ref for ref in cited_asks(text[: offers.start()] if offers else text) if ref in printed
        ]
        if offers is not None and text[offers.end() :].strip(" :"):
            comments.extend(StateComment(str(note.number), text, note.page, ref) for ref in cited)
        for item in items:
            said = join_lines(item.parts)
            comments.extend(
                StateComment(f"{note.number}.{item.number}", said, item.page, ref)
                for ref in cited_asks(said)
                if ref in cited
            )
    return comments


def reasons_in_lead_ins(
    paragraphs: Sequence[Paragraph],
    recommendations: Sequence[Recommendation],
    given: Sequence[StateComment] = (),
) -> list[StateComment]:
    """A lead-in that gives the reason for its position (`positions.gives_reason`), or says that
    the State's views on its asks are in an addendum (`POINTS_TO_ITS_VIEWS`), as the State's
    comment on each of its asks, its items or the section-I asks it cites: "105. The
    following recommendations did not enjoy the support of Turkey, as Turkey does neither
    recognize Republic of Cyprus nor accept its claims to represent the whole island:" (Turkey
    2010, A/HRC/15/13), "58. One recommendation noted in the report in paragraph 18 above (...)
    did not enjoy the support of Mali, since slavery does not exist in Mali." (A/HRC/8/50).

    A lead-in citing its asks in several sentences gives each ask the sentence that cites it:
    "107. ... Uzbekistan considers that the recommendations contained in paragraphs 33 (a, b),
    ... are not part of Uzbekistan's obligations ... Uzbekistan considers the recommendations
    contained in paragraphs 43(a), 44, ... as unacceptable because factually wrong." (Uzbekistan
    2009, A/HRC/10/83). Not again an ask the same paragraph already comments on (`given`)."""
    said = {(comment.paragraph, comment.refers_to) for comment in given}
    comments: list[StateComment] = []
    for lead_in in paragraphs:
        text = join_lines(lead_in.parts)
        if not gives_reason(text) and not _points_to_its_views(text):
            continue
        number = str(lead_in.number)
        # Its items, or the section-I asks it cites ("44(e)"); not the items of a list above
        # whose position it would announce ("58.3").
        own = [
            ask.paragraph
            for ask in recommendations
            if ask.position_paragraph == number
            and (
                ask.paragraph.startswith(f"{number}.")
                if lead_in.items
                else "." not in ask.paragraph
            )
            and (number, ask.paragraph) not in said
        ]
        citing = {
            ref: sentence
            for sentence in LEAD_IN_SENTENCE.split(text)
            for ref in cited_asks(sentence)
            if ref in own
        }
        several = len(set(citing.values())) > 1
        comments.extend(
            StateComment(number, citing.get(ref, text) if several else text, lead_in.page, ref)
            for ref in own
        )
    return comments


def commented_refusals(
    recommendations: Sequence[Recommendation],
    comments: Sequence[StateComment],
) -> list[Recommendation]:
    """The noted asks of a section that gives them no detail, whatever its wording ("did not
    enjoy the support of", `positions.WITHHELD_SUPPORT`; "takes note of", Burundi 2009 para 83),
    which the State comments on (a reason in the lead-in, a note after the list: `comments`),
    with a detail saying where: "noted; the State comments in para 106" (Malawi 2011,
    A/HRC/16/4: "106. Malawi considers that recommendations 105.8, ... are not applicable to the
    situation in the country ..."). Its words are the comment's; the detail names its paragraph
    and not what it says, as notes are free prose ("the Kenyan public had overwhelmingly
    rejected the abolition of the death penalty", Kenya 2010, is no rejection by Kenya). An ask
    the State does not comment on keeps no detail."""
    where: dict[str, list[int]] = {}
    for comment in comments:
        # A comment printed as an item ("92.2 Costa Rica explained that ...") is its paragraph's.
        head = int(comment.paragraph.split(".")[0])
        if comment.refers_to is not None and head not in where.setdefault(comment.refers_to, []):
            where[comment.refers_to].append(head)
    return [
        replace(rec, position_detail=_commented_in(where[rec.paragraph]))
        if rec.position is Position.NOTED
        and rec.position_detail is None
        and rec.position_paragraph is not None
        and where.get(rec.paragraph)
        else rec
        for rec in recommendations
    ]


def _commented_in(paragraphs: list[int]) -> str:
    """The detail of a noted ask the State comments on in these paragraphs."""
    numbers = sorted(paragraphs)
    if len(numbers) == 1:
        return f"noted; the State comments in para {numbers[0]}"
    return "noted; the State comments in paras " + ", ".join(map(str, numbers))


def _points_to_its_views(lead_in: str) -> bool:
    """Does a lead-in say the State's views on its asks are printed in an addendum? Not one
    whose asks await the State's answer (pending): that is a promise, not views given."""
    return (
        bool(POINTS_TO_ITS_VIEWS.search(lead_in)) and position_of(lead_in) is not Position.PENDING
    )


def _notes_in_lead_ins(
    paragraphs: Sequence[Paragraph], recommendations: Sequence[Recommendation]
) -> list[StateComment]:
    """A lead-in's note on some of its own items, by number (`SOME_OF_ITS_ASKS`), as the State's
    comment on each, when they are as many as it says."""
    printed = {ask.paragraph for ask in recommendations}
    comments: list[StateComment] = []
    for lead_in in paragraphs:
        text = join_lines(lead_in.parts)
        if not lead_in.items or not (some := SOME_OF_ITS_ASKS.search(text)):
            continue
        refs = [ref for ref in _numbered_asks(some["list"], lead_in.number) if ref in printed]
        if len(refs) == int(some["count"]):
            comments.extend(
                StateComment(str(lead_in.number), text, lead_in.page, refers_to=ref) for ref in refs
            )
    return comments


def _notes_on_marked(
    paragraphs: Sequence[Paragraph], recommendations: Sequence[Recommendation]
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


def _notes_on_an_ask_by_its_state(
    paragraphs: Sequence[Paragraph], recommendations: Sequence[Recommendation], states: StateTable
) -> list[StateComment]:
    """A note right after a list that names "the recommendation made by" a State (`BY_ITS_STATE`),
    as the State's comment on that State's one ask in the list; none when it has several there,
    when another paragraph comes between, when the note names an ask by number (`_names_an_ask`), or
    when the position it states is not the list's: "Uruguay could not accept the recommendation
    of France ..." is on no ask of a supported list."""
    comments: list[StateComment] = []
    for before, note in zip([None, *paragraphs], paragraphs, strict=False):
        text = join_lines(note.parts)
        if note.items or before is None or not before.items:
            continue
        if _names_an_ask(text, before.number, recommendations):
            continue
        if (named := BY_ITS_STATE.search(text)) is None:
            continue
        state = leading_state(named["state"], states)
        theirs = [
            ask
            for ask in recommendations
            if ask.paragraph.startswith(f"{before.number}.") and state in ask.recommending_states
        ]
        stated = _stated_position(text)
        if state is not None and len(theirs) == 1 and stated in (None, theirs[0].position):
            comments.append(StateComment(str(note.number), text, note.page, theirs[0].paragraph))
    return comments


def _names_an_ask(note: str, above: int, recommendations: Sequence[Recommendation]) -> bool:
    """Does a note name an ask by number: in an ask's words (`NAMES_AN_ASK`), or by a full
    number ("124.7", "para. 60.5" of an earlier review too), a paragraph ("paragraph 37 above":
    the dialogue's paragraphs of a cycle-1 report restate asks any list may hold) or an item of
    the list `above` ("No. 7")? Then it is no comment on the State's one ask in the list above.
    A law's, an article's or a sum's number ("Law No. 18.026", "article 2.1", "US$ 1.5
    million", "paragraph 3 of article 7") names none."""
    if NAMES_AN_ASK.search(note) or not recommendations:
        return True
    printed = {ask.paragraph for ask in recommendations}
    for number in A_NUMBER.finditer(note):
        if _of_a_law_or_sum(note, number):
            continue
        word = (number["word"] or "").lower()
        if number["item"] is not None or word.startswith("paragraph"):
            return True
        if word.startswith("no") and f"{above}.{number['head']}" in printed:
            return True
    return False


_LAW_OR_SUM_BEFORE = re.compile(
    r"(?:\b(?:law|act|decree|code|article|art\.|section|chapter|resolution)\s+(?:Nos?\.\s*)?"
    r"|(?:US\$|\$|€|£|EUR|USD|CHF)\s*)$",
    re.IGNORECASE,
)
_LAW_OR_SUM_AFTER = re.compile(
    r"^\s*(?:of\s+(?:the\s+)?(?:article|law|act|constitution|code|decree)|million|billion|"
    r"per\s*cent|%)",
    re.IGNORECASE,
)


def _of_a_law_or_sum(note: str, number: re.Match[str]) -> bool:
    """Is this number a law's, an article's or a sum's, not an ask's?"""
    return bool(
        _LAW_OR_SUM_BEFORE.search(note[max(0, number.start() - 24) : number.start()])
        or _LAW_OR_SUM_AFTER.match(note[number.end() :])
    )


def _stated_position(note: str) -> Position | None:
    """The position a note on one ask states, or None: a lead-in's wording (`position_of`,
    "could not accept"), else an answer's verdict (`verdict_of`, "Uruguay rejects the
    recommendation")."""
    if (position := position_of(note)) is not Position.UNKNOWN:
        return position
    verdict = verdict_of(note)
    return verdict[0] if verdict else None


def _noted_as_implemented(
    recommendations: Sequence[Recommendation], notes: Sequence[StateComment]
) -> list[Recommendation]:
    """The asks a note of the State names as already implemented, with that detail
    (`implemented_detail`): "Albania considers that recommendations Nos. 8, 9, ... above are
    either already implemented or in the process of implementation." (A/HRC/13/6 para 68). Not
    a note on part of an ask ("the first part of recommendation 3", `PART_OF_ASK`)."""
    said = {note.refers_to: note.text for note in notes if not PART_OF_ASK.search(note.text)}
    return [
        replace(rec, position_detail=detail)
        if rec.position_detail is None
        and rec.paragraph in said
        and (detail := implemented_detail(said[rec.paragraph], rec.position))
        else rec
        for rec in recommendations
    ]


def _notes_on_numbers(
    paragraphs: Sequence[Paragraph], recommendations: Sequence[Recommendation]
) -> list[StateComment]:
    """A paragraph that names asks by number as already implemented (`NOTE_ON_NUMBERS`), as the
    State's comment on each: a bare number is an item of the nearest paragraph above with
    items ("Nos. 8, 9" after paragraph 67: 67.8, 67.9), a full one is itself ("93.2"); the
    note may go on to more asks (`NOTE_GOES_ON`). "The recommendations listed above" are the
    items of the paragraph right before the note, and none when another paragraph comes
    between them, and so are "the (two) recommendations above" a comment opens on
    (`ON_THE_ASKS_ABOVE`, when as many). A note in no such wording still speaks of the asks it
    names by full number (`NOTE_ON_FULL_NUMBERS`)."""
    printed = {ask.paragraph for ask in recommendations}
    comments: list[StateComment] = []
    above: Paragraph | None = None
    for before, note in zip([None, *paragraphs], paragraphs, strict=False):
        if note.items:
            above = note
            continue
        found = NOTE_ON_NUMBERS.search(text := join_lines(note.parts))
        listed = [
            ask.paragraph
            for ask in recommendations
            if before is not None
            and before is above
            and ask.paragraph.startswith(f"{before.number}.")
        ]
        refs: list[str] = []
        if found is None and (named := NOTE_ON_FULL_NUMBERS.search(text)):
            head = int(named["head"]) if named["head"] else None
            refs = _numbered_asks(named["list"] or named["bare"], head)
        elif found is None and (on_above := ON_THE_ASKS_ABOVE.match(text)):
            refs = _asks_above(on_above, listed, printed)
        while found is not None:
            refs.extend(
                _numbered_asks(found["list"], above.number if above else None)
                if found["listed"] is None
                else listed
            )
            found = NOTE_GOES_ON.match(text, found.end())
        comments.extend(
            StateComment(paragraph=str(note.number), text=text, page=note.page, refers_to=ref)
            for ref in dict.fromkeys(refs)
            if ref in printed
        )
    return comments


def _asks_above(on_above: re.Match[str], listed: list[str], printed: set[str]) -> list[str]:
    """The asks "the recommendations above" name (`ON_THE_ASKS_ABOVE`): those of the paragraph or
    the range it gives, else the items right above it (`listed`) when as many as it says."""
    if on_above["paragraph"]:
        return sorted(
            (ask for ask in printed if ask.startswith(f"{on_above['paragraph']}.")),
            key=lambda ask: int(ask.rsplit(".", 1)[1]),
        )
    if on_above["first"]:
        return _numbered_asks(f"{on_above['first']}-{on_above['last']}", None)
    count = on_above["count"]
    return listed if count is None or COUNTS[count.lower()] == len(listed) else []


def _numbered_asks(listed: str, above: int | None) -> list[str]:
    """The asks a note's list of numbers names: "93.2", "85-119", a bare number an item of
    paragraph `above` (the paragraph above with items, or the one the note names). After a full
    number of another paragraph, a bare one could be an item of either ("Nos. 90.2, 90.3 and 5
    above" after paragraph 93's items: 90.5 or 93.5?), so it names none."""
    refs: list[str] = []
    bare_head = above
    for first, last in NUMBER_OR_RANGE.findall(SPACE_AFTER_DOT.sub("", listed)):
        if "." in first:
            head, start = first.rsplit(".", 1)
            end = last.rsplit(".", 1)[-1] if last else start
            refs.extend(f"{head}.{n}" for n in range(int(start), int(end) + 1))
            if int(head) != above:
                bare_head = None
        elif bare_head is not None:
            end = last or first
            refs.extend(f"{bare_head}.{n}" for n in range(int(first), int(end) + 1))
    return refs
