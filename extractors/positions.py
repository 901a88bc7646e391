"""How UN documents word a State's position on recommendations: every wording, in one place.

Both readers of positions read them from here: the WG-report reader (lead-ins such as "118. The
following recommendations ... enjoy the support of Cambodia:", "Senegal considers that the
recommendations below cannot be accepted:") and the addendum reader ("Kenya supports the
following recommendations: 65.1", "Slovenia cannot accept the recommendation.", a table's
"Supported" column). A wording added here is seen by both.

A State supports or notes a recommendation; it cannot formally reject one, so every refusal
("cannot accept", "did not enjoy the support", "rejected") is noted.
"""

from __future__ import annotations

import re

from uprdex.pipeline.model import SUPPORTED_IN_PART, Position
from uprdex.pipeline.states import StateTable, load_states

__all__ = [
    "ACTIVE_VERB",
    "COLUMN",
    "ENJOY_SUPPORT",
    "HEADING_KIND",
    "IMPLEMENTED",
    "IMPLEMENTED_DETAIL",
    "LABEL",
    "LABEL_VERB",
    "LEAD_IN_SENTENCE",
    "PARTIAL",
    "PASSIVE_VERB",
    "REASON",
    "REFUSED",
    "REFUSED_WORDINGS",
    "REFUSING",
    "REFUSING_WORDINGS",
    "WITHHELD_SUPPORT",
    "announced_position",
    "category",
    "gives_reason",
    "implemented_detail",
    "position_of",
    "refusal_detail",
    "states_only_position",
    "verb_of",
    "verdict_of",
]


def _either(wordings: tuple[str, ...]) -> str:
    """One alternation of printed wordings, any run of spaces or a line break between words."""
    return "(?:" + "|".join(r"\s+".join(map(re.escape, w.split())) for w in wordings) + ")"


# --- Wordings both readers share -----------------------------------------------------------

# A refusal, before "accept" or "support": "Kenya cannot support the following
# recommendations", "Slovenia did not accept the recommendation", "Sri Lanka is not in a
# position to accept this recommendation".
REFUSING_WORDINGS: tuple[str, ...] = (
    "cannot",
    "can not",
    "does not",
    "do not",
    "did not",
    "will not",
    "is unable to",
    "are unable to",
    "is not able to",
    "are not able to",
    "is not in a position to",
    "are not in a position to",
)
REFUSING = _either(REFUSING_WORDINGS)
_REFUSAL = re.compile(rf"\b{REFUSING}\s+(?:accept|support)", re.I)
_REFUSING_VERB = re.compile(REFUSING, re.I)

# A refusal in the passive, before "accepted" or "supported": "Senegal considers that the
# recommendations below cannot be accepted" (Senegal 2013, A/HRC/25/4 para. 126),
# "Recommendations 65.2 and 65.3 are not supported", "have not been accepted".
REFUSED_WORDINGS: tuple[str, ...] = (
    "not",
    "not be",
    "cannot be",
    "can not be",
    "have not been",
    "has not been",
)
REFUSED = rf"\b{_either(REFUSED_WORDINGS)}\s+(?:accepted|supported)\b"

# "enjoy the support of Cambodia", "have received the support of Chile", "The
# recommendations 65.1 and 65.4 enjoy the support of Sri Lanka"; "did not enjoy the support of
# Andorra", "did not receive the support of Estonia".
_ENJOYING = r"(?:enjoy(?:s|ed)?|receive[sd]?|ha(?:ve|s)\s+received)"
_NOT_ENJOYING = r"(?:did|do|does)\s+not\s+(?:enjoy|receive|have)"
ENJOY_SUPPORT = rf"(?P<verb>{_NOT_ENJOYING}|{_ENJOYING})\s+(?:the\s+|its\s+)?support"
# A section that says no more than that: "138. The recommendations below did not enjoy the support
# of Afghanistan:" (A/HRC/26/4), "117. The recommendations which appear below have been examined
# by Botswana and do not enjoy its support:" (A/HRC/23/7).
WITHHELD_SUPPORT = re.compile(rf"\b{_NOT_ENJOYING}\s+(?:the\s+|its\s+)?support", re.I)

# "accepted; considered already implemented or in process": "already implemented", "in the
# process of implementation", "125. The following recommendations enjoy the support of
# Kazakhstan, which considers that they are in the process of being implemented." (A/HRC/28/10).
_IMPLEMENTED = (
    r"already\s+(?:been\s+|being\s+|fully\s+)?implemented|in\s+(?:the\s+)?process\s+of\s+"
    r"(?:implementation|being\s+implemented)"
    # "they pertain to measures which have been implemented or are currently being
    # implemented" (Viet Nam 2009, A/HRC/12/11)
    r"|measures\s+which\s+(?:have\s+been|are\s+(?:currently\s+)?being)\s+implemented"
)
IMPLEMENTED = re.compile(_IMPLEMENTED, re.I)
IMPLEMENTED_DETAIL = "accepted; considered already implemented or in process"
# A noted ask the State says so of keeps its position's word: "115. The following
# recommendations are noted and China indicated that they are pertaining to measures already
# being implemented or which had already been implemented:" (China 2009, A/HRC/11/25).
_IMPLEMENTED_DETAILS = {
    Position.SUPPORTED: IMPLEMENTED_DETAIL,
    Position.NOTED: "noted; considered already implemented or in process",
}
# "accepts the recommendation in part", "partially supported", "Partly accepted"
PARTIAL = re.compile(r"\bpartially\b|\bpartly\b|\bin part\b", re.I)


# --- WG-report lead-ins --------------------------------------------------------------------
# Lead-in wordings, most specific first: negations before the words they negate.

_LEAD_IN_REFUSAL = re.compile(
    # "The recommendations below did not enjoy the support of Andorra:"
    rf"{WITHHELD_SUPPORT.pattern}"
    rf"|{REFUSED}|\brejected\b"
    # "Kenya cannot support / does not support / is unable to accept the following ...";
    # loosely, any "not accept": "would not accept", "not acceptable".
    rf"|{_REFUSAL.pattern}|\b(?:can)?not\s+accept"
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
# "... has examined the following recommendations and notes them". In 2009 a third kind of
# list, neither supported nor refused: "Uzbekistan indicated that the following recommendations
# are pertaining to measures already being implemented or which had already been implemented
# and will be further considered by the Government" (A/HRC/10/83; UPR Info: noted), as China's
# and Viet Nam's lists "pertaining to measures" already being implemented are noted ones.
_NOTED = re.compile(
    r"\b(?:noted|took note|takes note|take note|notes them)\b"
    r"|\bpertain(?:s|ing)?\s+to\s+measures\b",
    re.I,
)
_SUPPORTED = re.compile(
    rf"\b{_ENJOYING}\s+(?:the\s+|its\s+)?support"
    r"|\b(?:accepted|supported)\b"
    rf"|\b(?:{_IMPLEMENTED})"
    # "Finland considered the recommendations ... and agrees to follow up on them"; "The State
    # under review considered the recommendations ... and agreed on the following:" (Bahrain
    # 2008, whose 9 items UPR Info lists as accepted)
    r"|\bagrees? to follow up|\bagreed? (?:on|to) the following\b",
    re.I,
)
_POSITION_PATTERNS: tuple[tuple[re.Pattern[str], Position], ...] = (
    (_LEAD_IN_REFUSAL, Position.NOTED),
    (_PENDING, Position.PENDING),
    (_NOTED, Position.NOTED),
    (_SUPPORTED, Position.SUPPORTED),
)
# The sentence of a lead-in that introduces the list: "... and the recommendations listed below
# enjoy the support of Colombia." (Colombia 2008, whose next sentence speaks of "recommendations
# noted in the report in paragraphs 19(a), ...").
_INTRODUCES_LIST = re.compile(r"\b(?:below|following|hereunder|as follows)\b|:\s*$", re.I)
LEAD_IN_SENTENCE = re.compile(r"(?<=[a-z)])\.\s+(?=[A-Z])")
# The reason a lead-in gives for its position, after it: "The following recommendations did not
# enjoy the support of Turkey, as Turkey does neither recognize Republic of Cyprus nor accept
# its claims to represent the whole island:" (Turkey 2010, A/HRC/15/13), "... did not enjoy the
# support of Mali, since slavery does not exist in Mali." (Mali 2008, A/HRC/8/50), "... do not
# enjoy the support of Saudi Arabia because they do not conform to its existing laws ..." (Saudi
# Arabia 2009, A/HRC/11/23), "The following recommendations were rejected by Lebanon based on one
# or more of the following reasons:" (Lebanon 2011, A/HRC/16/18). "as" only before its subject
# ("as it considers", "as Singapore considers"), not in "which considers the recommendations as
# already implemented" (Syria 2011), and only in the sentence stating the position: a later
# sentence opening "As regards recommendation 5, ..." gives none; "since" not before a year.
# The other words give one in a later sentence too: "... did not enjoy the support of Cuba.
# Cuba rejected those recommendations based on one or more of the following arguments: ..."
# (Cuba 2009, A/HRC/11/22).
REASON = re.compile(
    r"\b(?:because|since(?!\s+\d)|considering\s+that|on\s+the\s+grounds?\s+(?:that|of)"
    r"|based\s+on|for\s+the\s+(?:following\s+)?reasons?)\b"
    r"|\b(?P<as>as)\s+(?=(?:it|they|this|these)\b|(?-i:[A-Z]))",
    re.I,
)


def _position_texts(lead_in: str) -> list[str]:
    """Where a lead-in's position is read, in order: the sentences that introduce the list
    (when some sentences do not), then the whole lead-in."""
    sentences = LEAD_IN_SENTENCE.split(lead_in)
    introducing = [s for s in sentences if _INTRODUCES_LIST.search(s)]
    if introducing and len(introducing) < len(sentences):
        return [" ".join(introducing), lead_in]
    return [lead_in]


def position_of(lead_in: str) -> Position:
    """The State's position a lead-in paragraph announces for the items that follow it: in the
    sentence that introduces the list when one does and states a position, else anywhere."""
    for text in _position_texts(lead_in):
        for pattern, position in _POSITION_PATTERNS:
            if pattern.search(text):
                return position
    return Position.UNKNOWN


def gives_reason(lead_in: str) -> bool:
    """Does a lead-in give a reason (`REASON`) after the phrase stating its position? Not one
    that only says when the State will respond ("will be examined by ... which will provide
    responses in due time")."""
    stated = [
        (found.start(), found.end())
        for pattern, _ in _POSITION_PATTERNS
        if (found := pattern.search(lead_in))
    ]
    if not stated or position_of(lead_in) is Position.PENDING:
        return False
    end = min(stated)[1]
    sentence_end = LEAD_IN_SENTENCE.search(lead_in, end)
    bound = sentence_end.start() if sentence_end else len(lead_in)
    return any(
        found["as"] is None or found.start() < bound for found in REASON.finditer(lead_in, end)
    )


# What a note that only states a position has after its phrase: the State whose it is. "The
# recommendations above do not enjoy the support of the Plurinational State of Bolivia.", not
# "... do not enjoy the support of Singapore for the reasons explained in the national report"
# (A/HRC/18/11). "\w*" ends a word the phrase cut: "not accept" of "not acceptable".
_ONLY_WHOSE = re.compile(
    r"\w*(?:\s+(?:of|by)\s+(?:the\s+)?(?-i:[A-Z])[\w'’-]*"
    r"(?:\s+(?:(?:of|and|the)\s+)*(?-i:[A-Z(])[\w'’()-]*)*)?\s*[.;]?\s*$",
    re.I,
)
# The same tail, whose State the State table knows in any spelling: "... of Iran (Islamic
# Republic of).", "... of Côte d’Ivoire.", which `_ONLY_WHOSE`'s capitals do not cover.
_WHOSE = re.compile(r"\w*\s+(?:of|by)\s+(?P<whose>[^.;]+?)\s*[.;]?\s*$", re.I)
# Or only which asks it is on, as whose it is: "Nigeria takes note of the recommendations
# above." says no more than the position, not "... above and in the interim would like to state
# that, among the recommendations, there are some that enjoy the support of Nigeria, ..."
# (Nigeria 2009, A/HRC/11/26 para 104); nor does saying where they were made: "X takes note of
# the above recommendations made during the interactive dialogue." (every ask was).
_ONLY_WHICH = re.compile(
    r"\w*\s+(?:of\s+)?(?:the|these|those)\s+(?:above(?:-mentioned)?\s+)?recommendations"
    r"(?:\s+(?:listed\s+)?above)?,?(?:\s+(?:made|received|formulated)\s+(?:during|in)\s+the"
    r"\s+(?:interactive\s+)?dialogue)?\s*[.;]?\s*$",
    re.I,
)


def states_only_position(note: str, states: StateTable | None = None) -> bool:
    """Does a note on asks say no more than a position: a promise to respond ("The above
    recommendations will be examined by X, which will provide responses in due time"), or its
    position phrase and whose it is ("The recommendations above do not enjoy the support of
    X.", a State in any spelling `states` knows) or which asks it is on ("X takes note of the
    recommendations above.")? Not one calling them already implemented, which gives them that
    detail."""
    if position_of(note) is Position.PENDING:
        return True
    stated = [
        (found.start(), found.end())
        for pattern, _ in _POSITION_PATTERNS
        if (found := pattern.search(note))
    ]
    if not stated or IMPLEMENTED.search(note):
        return False
    end = min(stated)[1]
    if _ONLY_WHOSE.match(note, end) or _ONLY_WHICH.match(note, end):
        return True
    whose = _WHOSE.match(note, end)
    return whose is not None and (states or load_states()).resolve(whose["whose"]) is not None


def implemented_detail(text: str, position: Position) -> str | None:
    """The detail a WG report's lead-in or note gives the asks it speaks of when it says they
    are already implemented, as an addendum saying so gives supported ones: "134. The following
    recommendations enjoy the support of the Democratic Republic of the Congo which considers
    that they are already implemented or in the process of implementation" (A/HRC/27/5). A
    noted ask is not called accepted: "noted; considered already implemented or in process"."""
    return _IMPLEMENTED_DETAILS.get(position) if IMPLEMENTED.search(text) else None


# A lead-in's own word for a refusal, as an addendum's words give its detail (`category`,
# `_VERDICTS`): "83. The following recommendations were rejected by Lebanon based on one or more
# of the following reasons:" (A/HRC/16/18) gives "rejected"; "Kenya cannot support the following
# recommendations", "Senegal considers that the recommendations below cannot be accepted:" give
# "not accepted". "did not enjoy the support" and "noted" say no more than the position.
_REFUSAL_DETAILS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\brejected\b", re.I), "rejected"),
    (re.compile(rf"{REFUSED}|{_REFUSAL.pattern}|\b(?:can)?not\s+accept", re.I), "not accepted"),
)


def refusal_detail(lead_in: str, position: Position) -> str | None:
    """The detail a noted section's lead-in gives its asks when it words the refusal: the
    first of "rejected" or a refusal to accept or support (`_REFUSAL_DETAILS`) in the text
    `position_of` read the position from (the sentence that introduces the list, else the
    whole lead-in)."""
    if position is not Position.NOTED:
        return None
    text = next(
        (t for t in _position_texts(lead_in) if any(p.search(t) for p, _ in _POSITION_PATTERNS)),
        "",
    )
    found = [
        (match.start(), detail)
        for pattern, detail in _REFUSAL_DETAILS
        if (match := pattern.search(text))
    ]
    return min(found)[1] if found else None


def announced_position(text: str) -> Position | None:
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
        Position.NOTED: bool(_LEAD_IN_REFUSAL.search(text) or _NOTED.search(text)),
        Position.SUPPORTED: bool(_SUPPORTED.search(_LEAD_IN_REFUSAL.sub(" ", text))),
    }
    found = [position for position, stated in states.items() if stated]
    return found[0] if len(found) == 1 else None


# --- Addenda: verbs, labels, headings and verdicts -----------------------------------------

# The verb of a list statement: "Sri Lanka supports the following recommendations: 65.1";
# a refusal ("cannot accept", "is unable to support") is matched before the "accept" it holds.
ACTIVE_VERB = (
    rf"(?P<verb>{REFUSING}\s+(?:accept|support)"
    r"|(?:(?:partially|partly)\s+)?(?:accepts?|supports?)(?:\s+(?:in\s+part|partially))?"
    r"|notes?|takes?\s+note\s+of|(?:took|(?:has|have)\s+taken)\s+note\s+of(?=\s+(?:the\s+)?following)"
    r"|rejects?"
    # "Cambodia accepted the following recommendations: 118.29"; a capitalised "Supported"
    # is a table's column, not a verb: "118.7 – Supported Recommendation 118.9: Noted".
    r"|(?:has|have)\s+(?:accepted|supported|noted|rejected)"
    r"|(?-i:accepted|supported|noted|rejected))"
)
# The participle of a passive statement: "Recommendations 65.2, 65.3 and 65.5 are noted",
# "The following recommendations cannot be accepted: 65.2".
PASSIVE_VERB = (
    rf"(?P<verb>{REFUSED}"
    r"|(?:partially\s+|partly\s+)?(?:not\s+)?(?:supported|accepted)(?:\s+in\s+part)?"
    r"|noted|rejected)"
)
# A capitalised position as a label: "Supported: 65.1, 65.2 Noted: 65.3"
LABEL_VERB = (
    r"(?P<verb>(?:Partially\s+|Partly\s+)?(?:Supported|Accepted)"
    r"|Not\s+(?:supported|accepted)|Noted|Rejected)"
)
# "(Chile): Supported." right after the number a paragraph answers.
LABEL = r"Supported|Accepted|Noted|Rejected"
# A table row's position column: "Supported", "Supported in part", "Supported (already
# implemented)", "Supported/Noted" (in part), "Not supported".
COLUMN = (
    r"(?:Partially|Partly)\s+(?:supported|accepted)"
    r"|(?:Supported|Accepted)(?:\s*/\s*Noted|\s+in\s+part|\s*\((?:partially|in\s+part)\))?"
    r"|Noted|Not supported|Not accepted|Rejected"
)
# The position of a section heading: "II. Accepted recommendations that Slovenia considers
# already implemented", "III. Noted recommendations", "Recommendations supported by Kenya".
HEADING_KIND = r"Accepted|Supported|Noted|Not supported|Rejected|Partially (?:accepted|supported)"

# A table's or heading's word for a position, as the verb of a list statement.
_ACTIVE = {
    "supported": "supports",
    "accepted": "accepts",
    "noted": "notes",
    "rejected": "rejects",
    "not supported": "does not support",
    "not accepted": "does not accept",
    "partially": "supports",
    "partly": "supports",
}


def verb_of(label: str | None) -> str | None:
    """The list-statement verb of a column's or heading's position word, or None."""
    return next((_ACTIVE[k] for k in _ACTIVE if (label or "").lower().startswith(k)), None)


def category(verb: str, heading: str | None, statement: str) -> tuple[Position, str]:
    """The position and its detail that a statement's verb (or label) gives, in the light of
    the heading it is listed under and the statement's own words."""
    verb = " ".join(verb.lower().split()).removeprefix("has ").removeprefix("have ")
    if verb.startswith(("note", "take", "took", "reject", "not ")) or _REFUSING_VERB.match(verb):
        noted = verb.startswith(("note", "take", "took"))
        return Position.NOTED, "noted" if noted else "not accepted"
    if PARTIAL.search(verb) or (heading and PARTIAL.search(heading)):
        # As a paragraph that accepts part of an ask (see `verdict_of`): noted, in part.
        return SUPPORTED_IN_PART
    detail = "accepted"
    if IMPLEMENTED.search(statement) or (heading and IMPLEMENTED.search(heading)):
        detail = IMPLEMENTED_DETAIL
    return Position.SUPPORTED, detail


# Verdicts in a one-paragraph-per-recommendation answer, in the order they appear.
_VERDICTS: tuple[tuple[re.Pattern[str], Position, str], ...] = (
    (_REFUSAL, Position.NOTED, "not accepted"),
    (
        re.compile(r"\bcannot[^.]{0,40}make a definitive statement", re.I),
        Position.NOTED,
        "no definitive position",
    ),
    (
        re.compile(
            r"\b(?:supports?|accepts?|agrees? with) (?:in part|partially)|partially "
            r"(?:accept|support)|\b(?:supports?|accepts?) (?:this|the) recommendations? "
            r"(?:in part|partially)",
            re.I,
        ),
        *SUPPORTED_IN_PART,
    ),
    (re.compile(r"\b(?:accepts?|supports?)\b(?! that)", re.I), Position.SUPPORTED, "accepted"),
    (
        re.compile(
            r"\b(?:notes|takes note of|(?:has|have) taken note of|took note of) (?:the|these|this) "
            r"recommendations?|\b(?:the|this) recommendations? (?:is|are|has been|have been) "
            r"noted\b",
            re.I,
        ),
        Position.NOTED,
        "noted",
    ),
    (re.compile(r"\brejects?\b", re.I), Position.NOTED, "rejected"),
)
_REFUSALS = frozenset({"not accepted", "no definitive position", "rejected"})


def verdict_of(text: str) -> tuple[Position, str] | None:
    """The first decisive verdict phrase in a paragraph that answers one recommendation.

    A paragraph that accepts part of an ask and refuses the rest ("Slovenia accepts the
    recommendation regarding free legal aid ... Slovenia cannot accept the recommendation on
    specialised family courts", A/HRC/14/15/Add.1 para. 58) is "supported in part" and counts
    as noted, as the UPR Info experts count it: the State did not take the ask as a whole.
    """
    found = [
        (match.start(), position, detail)
        for pattern, position, detail in _VERDICTS
        if (match := pattern.search(text))
    ]
    if not found:
        return None
    _, position, detail = min(found, key=lambda item: item[0])
    refused = any(detail in _REFUSALS for _, _, detail in found)
    if position is Position.SUPPORTED and refused:
        return SUPPORTED_IN_PART
    return position, detail
