"""Document metadata printed on UN documents: symbol, session, cycle, date."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from uprdex.pipeline.states import State, StateTable, load_states
from uprdex.pipeline.symbols import (
    SYMBOL,
    cycle_of_session,
    normalize_symbol,
    year_of_session,
    years_of_cycle,
)

__all__ = [
    "DATE",
    "MONTH",
    "cover",
    "find_date",
    "find_named_cycle",
    "find_review_year",
    "find_reviewed_session",
    "find_session",
    "find_state_under_review",
    "find_symbol",
    "find_year",
    "iso_date",
]

# "held its twentieth session from 27 October to 7 November 2014"
SESSION = re.compile(r"held its\s+([a-z]+(?:[- ][a-z]+)?)\s+session", re.IGNORECASE)
# "held its twentieth session from 27 October to 7 November 2014": the year of the review
SESSION_YEAR = re.compile(
    r"held its\s+[a-z -]+?\s+session\s+from\s+[^.]{0,60}?((?:19|20)\d{2})", re.IGNORECASE
)

_UNITS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "thirteenth": 13,
    "fourteenth": 14,
    "fifteenth": 15,
    "sixteenth": 16,
    "seventeenth": 17,
    "eighteenth": 18,
    "nineteenth": 19,
    "twentieth": 20,
    "thirtieth": 30,
    "fortieth": 40,
    "fiftieth": 50,
}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50}


def find_symbol(text: str) -> str | None:
    """The document's own symbol on page 1: the one printed after "United Nations", else the
    first one that is not a reference ("Previously issued as document A/HRC/WG.6/9/L.7").

    Only a UN document has one: a page without the masthead ("Distr.: General") names other
    documents ("recommendation 115.22 of A/HRC/28/15" in an NGO report), never its own.
    """
    matches = list(SYMBOL.finditer(text))
    for match in matches:
        if "United Nations" in text[max(0, match.start() - 30) : match.start()]:
            return normalize_symbol(match.group())
    if not UN_MASTHEAD.search(text):
        return None
    for match in matches:
        if not _REFERENCE.search(text[max(0, match.start() - 40) : match.start()]):
            return normalize_symbol(match.group())
    return normalize_symbol(matches[0].group()) if matches else None


_REFERENCE = re.compile(r"issued as|document|see\b", re.IGNORECASE)
# "Distr.: General", "Distr.\nGENERAL", "Distr.: Limited": the masthead of a UN document.
UN_MASTHEAD = re.compile(r"\bDistr\.?\s*:?\s*(?:General|Limited|Restricted)\b", re.IGNORECASE)


def _ordinal(words: str) -> int | None:
    words = words.lower().replace(" ", "-")
    if words in _UNITS:
        return _UNITS[words]
    tens, _, unit = words.partition("-")
    if tens in _TENS and unit in _UNITS:
        return _TENS[tens] + _UNITS[unit]
    return None


def find_session(text: str) -> int | None:
    """The UPR Working Group session a report says it was held at."""
    match = SESSION.search(text)
    return _ordinal(match.group(1)) if match else None


# "Slovenia was reviewed by UPR WG 34, in" / "November of 2019" (UPR Info's infographic of
# Slovenia's third review, Slovenia_Infographic.pdf): the WG session of the review a document
# without a symbol is about.
REVIEWED_AT = re.compile(r"\bUPR\s+WG\s+(\d{1,2})\b")
# How far a review's documents are dated from its WG session's year: stakeholders submit
# about six to eight months before the session (for a January session, the July before), and
# the outcome is adopted at the Council session after it ("Human Rights Council 43, in January
# 2020" for WG 34 of November 2019).
_REVIEW_YEARS = range(-1, 2)
# "UPR 3rd Cycle - 2019", "respect to the 2nd cycle" (the infographic), "submission for the
# fourth UPR cycle", "third cycle of the UPR", "UPR cycle 4": the cycles a document names.
_NAMED_CYCLE = re.compile(
    r"\b(?:(?P<word>first|second|third|fourth|fifth|1st|2nd|3rd|4th|5th)\s+(?:UPR\s+)?cycle\b"
    r"|cycle[ \t]+(?P<number>[1-5])\b(?![.,]\d))",  # not across lines: "cycle\n3. The ..."
    re.I,
)
_CYCLE_WORDS = ("first", "second", "third", "fourth", "fifth")
_ORDINAL = r"(?:first|second|third|fourth|fifth|1st|2nd|3rd|4th|5th)"
_UPR = r"(?:UPR|Universal\s+Periodic\s+Review)"
# A cycle a document names as its own: the cycle it is written for, tied to the UPR in the
# same phrase. "Joint submission of civil society on Slovenia" / "for the fourth UPR cycle",
# "Submission to the third cycle of the UPR", "submission for the UPR cycle 4", "Universal
# Periodic Review (third cycle)". Not "As a follow-up to the first cycle" (slovakia2014 p. 3:
# no UPR), "Afghanistan had gone through the first UPR cycle" (afghanistan2014 p. 3: not
# "for" / "submission to"), nor "the first cycle of basic education" (a school's).
_OWN_CYCLE = re.compile(
    rf"(?:\bfor|\b(?:submission|report|contribution)\s+to)\s+the\s+"
    rf"(?:{_UPR}\s+cycle[ \t]+(?P<number>[1-5])\b(?![.,]\d)"
    rf"|(?P<own>{_ORDINAL})\s+(?:{_UPR}\s+cycle\b|cycle\s+of\s+the\s+{_UPR}\b))"
    rf"|\b{_UPR}\s*\((?P<bracketed>{_ORDINAL})\s+cycle\)",
    re.I,
)


def find_reviewed_session(head: str, first_page: str) -> int | None:
    """The WG session a document without a symbol names as its review ("reviewed by UPR WG
    34") in `head` (its first pages): of the sessions it names, the one its own year
    (`_own_year` of `first_page`) fits, from the year before the session to the year after;
    undated, the one session it names, if it names only one. None when several fit, when
    `first_page` prints a date later than that (it is a later document), or when the document
    names cycles and not that session's: no cycle is better than a wrong one."""
    year = _own_year(first_page)
    latest = max((_year_of(match) for match in DATE.finditer(first_page)), default=None)
    named = {int(match.group(1)) for match in REVIEWED_AT.finditer(head)}
    held = {session: year_of_session(session) for session in named}
    if year is None:
        fitting = named if len(named) == 1 else set()
    else:
        fitting = {s for s, at in held.items() if at is not None and year - at in _REVIEW_YEARS}
    cycles = {_cycle_number(match) for match in _NAMED_CYCLE.finditer(head)}
    if cycles:
        fitting = {session for session in fitting if cycle_of_session(session) in cycles}
    if len(fitting) != 1:
        return None
    session = fitting.pop()
    at = held[session]
    if at is None or (latest is not None and latest - at >= _REVIEW_YEARS.stop):
        return None
    return session


def find_named_cycle(head: str, first_page: str) -> int | None:
    """The UPR cycle a document without a symbol or a WG session names as its own in `head`
    (its first pages, `_OWN_CYCLE`): "submission for the fourth UPR cycle", "third cycle of the
    UPR". None when it names no cycle so, or names any other cycle ("In the second cycle,
    Slovenia received ..."), names a cycle whose years the session table does not hold (the
    fifth), or is dated (`_own_year` of `first_page`) outside the year before that cycle's
    sessions to the year after: no cycle is better than a wrong one."""
    own = {_cycle_number(match) for match in _OWN_CYCLE.finditer(head)}
    named = {_cycle_number(match) for match in _NAMED_CYCLE.finditer(head)}
    if len(own) != 1 or not named <= own:
        return None
    cycle = own.pop()
    year, (first, last) = _own_year(first_page), years_of_cycle(cycle)
    # A cycle past the session table (the fifth) has no years to check a date against, dated
    # or not: not taken ("ECRI's fifth cycle" is the Council of Europe's).
    if first is None or last is None:
        return None
    if year is not None and not first + _REVIEW_YEARS.start <= year < last + _REVIEW_YEARS.stop:
        return None
    return cycle


def _cycle_number(match: re.Match[str]) -> int:
    """ "third", "3rd" or "cycle 3" -> 3."""
    word = next(w for w in match.groups() if w).lower()
    return _CYCLE_WORDS.index(word) + 1 if word in _CYCLE_WORDS else int(word[0])


# "Slovenia was reviewed by UPR WG 34, in" / "November of 2019": a line ending with a comma, a
# preposition or an article runs on; so does one followed by a line in lower case.
_RUNS_ON = re.compile(r"(?:,|\b(?:in|of|by|at|on|the|and|from|to|for|a|an))\s*$", re.I)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def _sentences(text: str) -> list[str]:
    """The sentences of a page, and its title and date lines each as one."""
    sentences: list[str] = []
    lines: list[str] = []
    for line in [*text.splitlines(), ""]:
        if lines and line.strip() and (_RUNS_ON.search(lines[-1]) or line.lstrip()[:1].islower()):
            lines.append(line)
            continue
        sentences.extend(_SENTENCE_END.split("\n".join(lines)) if lines else ())
        lines = [line] if line.strip() else []
    return sentences


def _own_year(text: str) -> int | None:
    """`find_year` of a document that names a WG session, not read from the sentences naming
    it: "reviewed by UPR WG 34, in November of 2019" dates the review, not the document."""
    return find_year("\n".join(s for s in _sentences(text) if not REVIEWED_AT.search(s)))


_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
# A month as printed: "June", "Jun", "Jun.", "Sept." (abbreviated in news mastheads and
# datelines: "Published 14 Jun, 2008").
MONTH = (
    "(?:"
    + "|".join(_MONTHS)
    + r"|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?)(?![a-z])"
)
_YEAR_PRINTED = r"(?:19|20)\d{2}"
# A printed date, as precise as printed: "26 June 2014", "14 Jun, 2008", "June 26, 2014",
# "November 2019"; and "5 July2013", its space lost (A/HRC/24/7's "Distr.: General 5 July2013").
DATE = re.compile(
    rf"\b(?:(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<month>{MONTH}),?\s*(?P<year>{_YEAR_PRINTED})"
    rf"|(?P<us_month>{MONTH})\s+(?P<us_day>\d{{1,2}})(?:st|nd|rd|th)?,\s+(?P<us_year>{_YEAR_PRINTED})"
    rf"|(?P<only_month>{MONTH}),?\s+(?P<only_year>{_YEAR_PRINTED}))\b"
)


# "Distr.: General\n28 May 2015", "Distr.\nGENERAL\nA/HRC/8/25\n23 May 2008" (cycle 1): the
# issue date of a UN document. A decision's first page also quotes "resolution 60/251 of 15
# March 2006" before it, in text order.
_DISTRIBUTED = re.compile(
    rf"{UN_MASTHEAD.pattern}\s+(?:A/\S+\s+)?(?=\d{{1,2}}\s+(?:{'|'.join(_MONTHS)})(?:\s|{_YEAR_PRINTED}))",
    re.IGNORECASE,
)


_COVER_LINES = 5
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")


def cover(text: str) -> str:
    """The first lines of a page: an NGO report's or a news story's title block."""
    return "\n".join([line for line in text.splitlines() if line.strip()][:_COVER_LINES])


# "Date: 30 September 2021", "Published 14 Jun, 2008", "Date of publication: March 2019": the
# document's own date as a field (or "Dated", "Issued on"), on a line of its own, wherever page
# 1 prints it. The name ends at a word's end: "Date" alone is not read out of "Dated".
_DATE_FIELD = re.compile(
    r"^[ \t]*(?:Date(?:\s+of\s+(?:publication|issue|submission))?|Dated|Published(?:\s+on)?"
    r"|Publication\s+date|Issued(?:\s+on)?)\b\s*[:\-–]?\s*",
    re.IGNORECASE | re.MULTILINE,
)
_LINE_END = re.compile(r"[ \t]*[.)]?[ \t]*$", re.MULTILINE)
# What comes before a dated line's date: nothing, or a place, a weekday or a title and a
# separator ("Geneva, 15 March 2019", "Shadow report on the third UPR of Slovenia - March 2019",
# "Joint submission of civil society organisations on Slovenia, 2018"), not a preposition of
# an event the text reports ("the first review of Slovenia, held in May 2010").
_BEFORE_DATE = re.compile(r"(?:^|[,:(|–—-])\s*$")
# "Joint submission of civil society organisations on Slovenia, 2018": a year as a line's date.
_YEAR_AT_END = re.compile(r"\b(?:19|20)\d{2}\b(?=[ \t]*[.)]?[ \t]*$)", re.MULTILINE)
_TOP_LINES = 10
_OPENING_QUOTES, _CLOSING_QUOTES = "“‘«", "”’»"


def _quoted(text: str, at: int) -> bool:
    """Is position `at` of `text` inside quotation marks (a quoted title's "12 March 2020")?"""
    before = text[:at]
    opened = sum(before.count(q) for q in _OPENING_QUOTES)
    closed = sum(before.count(q) for q in _CLOSING_QUOTES)
    return opened > closed or before.count('"') % 2 == 1


def _top(text: str) -> str:
    """The first `_TOP_LINES` lines of a page that hold text."""
    return "\n".join([line for line in text.splitlines() if line.strip()][:_TOP_LINES])


def _dated_line(text: str, pattern: re.Pattern[str]) -> re.Match[str] | None:
    """The first `pattern` match (a date or a year) that ends a line of the page's top lines,
    after nothing but a place, a weekday or a title and a separator, not in quotation marks."""
    top = _top(text)
    for found in pattern.finditer(top):
        start = top.rfind("\n", 0, found.start()) + 1
        if (
            _LINE_END.match(top, found.end())
            and _BEFORE_DATE.search(top[start : found.start()])
            and not _quoted(top, found.start())
        ):
            return found
    return None


def _document_date(text: str) -> re.Match[str] | int | None:
    """The date a document prints as its own (a `DATE` match), or only its year: "Distr.:
    General <date>"; else a date field ("Date: 30 September 2021", `_DATE_FIELD`); else a
    dated line near the top ("Geneva, 15 March 2019", "... on Slovenia, 2018": `_dated_line`);
    else a date of its first lines (a news masthead "Friday, 27 June 2014 | Issue 3645") not in
    quotation marks (a quoted title's). Else, as before these, the first date of its first lines
    or else of its text, else the one year its first lines print."""
    distributed = _DISTRIBUTED.search(text)
    found = DATE.match(text, distributed.end()) if distributed else None
    if found:
        return found
    for field in _DATE_FIELD.finditer(text):
        found = DATE.match(text, field.end())
        if found and _LINE_END.match(text, found.end()) and not _quoted(text, found.start()):
            return found
    found = _dated_line(text, DATE)
    if found:
        return found
    year = _dated_line(text, _YEAR_AT_END)
    if year:
        return int(year.group())
    first = cover(text)
    unquoted = (found for found in DATE.finditer(first) if not _quoted(first, found.start()))
    found = next(unquoted, None) or DATE.search(first) or DATE.search(text)
    if found:
        return found
    years = set(_YEAR.findall(first))
    return int(years.pop()) if len(years) == 1 else None


def iso_date(match: re.Match[str]) -> str | None:
    """A `DATE` match in ISO 8601, as precise as printed: "2014-06-26", "2019-11"; None for a
    day no month has ("32 May 2015")."""
    groups = match.groupdict()
    year = groups["year"] or groups["us_year"] or groups["only_year"]
    name = groups["month"] or groups["us_month"] or groups["only_month"]
    month = next(i for i, full in enumerate(_MONTHS, 1) if full.startswith(name[:3]))
    day = groups["day"] or groups["us_day"]
    if day is None:
        return f"{year}-{month:02d}"
    return f"{year}-{month:02d}-{int(day):02d}" if 1 <= int(day) <= 31 else None


def find_date(text: str) -> str | None:
    """The document's own date in ISO 8601, as precise as it prints it (`_document_date`): the
    date it was issued ("Distr.: General 28 May 2015" -> "2015-05-28"), its date field, a dated
    line near its top ("November 2019" -> "2019-11"; "Joint submission ... on Slovenia, 2018" ->
    "2018"), a date of its first lines or of its text, or the one year its first lines print."""
    found = _document_date(text)
    if found is None or isinstance(found, int):
        return None if found is None else str(found)
    return iso_date(found)


def _year_of(match: re.Match[str]) -> int:
    """The year of a `DATE` match."""
    return int(match.group("year") or match.group("us_year") or match.group("only_year"))


def find_review_year(text: str) -> int | None:
    """The year of the WG session a report says the review was held at."""
    match = SESSION_YEAR.search(text)
    return int(match.group(1)) if match else None


def find_year(text: str) -> int | None:
    """The year of `find_date`."""
    found = _document_date(text)
    return found if found is None or isinstance(found, int) else _year_of(found)


# "A/HRC/WG.6/34/SVN/2": the pre-session documents carry the State's ISO code.
_SYMBOL_ISO = re.compile(r"/WG\.6/\d+/([A-Z]{3})/")
# "Compilation on Slovenia", "Summary of Stakeholders' submissions on Slovenia",
# "43/112. Outcome of the universal periodic review: Slovenia"
_ON_STATE = re.compile(
    r"\b(?:(?:Compilation|submissions|information)\s+on|periodic\s+review:)\s+(?:the\s+)?"
    r"([^\n*]{2,60})",
    re.IGNORECASE,
)
# "The review of Slovenia was held at the 13th meeting"
_REVIEW_OF = re.compile(r"review of\s+(?:the\s+)?(.{2,60}?)\s+was held", re.IGNORECASE)


# "Report of the Working Group on the Universal Periodic Review*" (the SuR's name follows)
WG_TITLE = re.compile(
    r"Report\s+of\s+the\s+Working\s+Group\s+on\s+the\s+Universal\s+Periodic\s+Review\W*", re.I
)
# "Republic of the Marshall Islands", "Kingdom of Tonga": a formal name in the title.
FORMAL_NAME = re.compile(
    r"^(?:(?:Federal|Independent|Democratic)\s+)?(?:Republic|Kingdom|State"
    r"|Principality|Commonwealth|Grand Duchy)\s+of\s+(?:the\s+)?",
    re.I,
)


def find_state_under_review(head: str, states: StateTable | None = None) -> str | None:
    """The State a UPR document is about, from its first pages: the name under a WG report's
    title (formal names too), the ISO code in a pre-session symbol, a line that is only a
    State's name, or "Compilation on X" / "The review of X was held"."""
    states = states or load_states()
    title = WG_TITLE.search(head)
    if title:
        for candidate in head[title.end() :].splitlines()[:4]:
            name = candidate.strip(" *∗")
            state = states.resolve(name) or states.resolve(FORMAL_NAME.sub("", name))
            if state:
                return state.name
    symbol = _SYMBOL_ISO.search(head)
    if symbol and (state := states.by_iso3(symbol.group(1))):
        return state.name
    for line in head.splitlines()[:40]:
        state = states.resolve(line.strip(" *"))
        if state:
            return state.name
    for pattern in (_ON_STATE, _REVIEW_OF):
        match = pattern.search(head)
        if match and (state := states.resolve(match.group(1).strip())):
            return state.name
    return _most_named(head, states)


def _most_named(text: str, states: StateTable) -> str | None:
    """The State an NGO report or a news story is about: the only State it names, or one named
    at least twice and at least twice as often as any other ("Shadow Report: Slovenia ...
    Slovenia's second review ... recommendations of Mexico ..."; "Slovenia ... Slovenia ...
    made to Cambodia")."""
    counts = Counter(
        state.name
        for match in _CAPITALISED_WORDS.finditer(text)
        for state in _states_in(match.group(), states)
    )
    ranked = counts.most_common(2)
    if len(ranked) == 1:
        # "Shadow report of civil society organisations on Slovenia" and no other State.
        return ranked[0][0]
    if not ranked or ranked[0][1] < 2:
        return None
    if len(ranked) > 1 and ranked[0][1] < 2 * ranked[1][1]:
        return None
    return ranked[0][0]


# Runs of capitalised words ("Republic of Moldova", "Slovenia's"): where State names are.
_CAPITALISED_WORDS = re.compile(r"[A-Z][\w’'-]*(?:\s+(?:of|the|and|[A-Z][\w’'-]*))*")


def _states_in(words: str, states: StateTable) -> Iterator[State]:
    """The States named in a run of capitalised words, longest names first."""
    tokens = re.sub(r"[’']s\b", "", words).split()
    at = 0
    while at < len(tokens):
        for end in range(min(len(tokens), at + 6), at, -1):
            state = states.resolve(" ".join(tokens[at:end]))
            if state:
                yield state
                at = end
                break
        else:
            at += 1
