"""What kind of UPR document a PDF is, from the symbol and title on its first page."""

from __future__ import annotations

import re

from uprdex.extractors.metadata import UN_MASTHEAD
from uprdex.pipeline.model import DocumentType
from uprdex.pipeline.symbols import WG_REPORT_SYMBOL

__all__ = ["classify"]

T = DocumentType

# "A/HRC/WG.6/34/SVN/2": /1 national report, /2 UN compilation, /3 stakeholders' summary
_PRE_SESSION = re.compile(r"/WG\.6/\d+/[A-Z]{3}/([123])$")
_TITLES: tuple[tuple[re.Pattern[str], DocumentType], ...] = (
    # "Views on conclusions and/or recommendations, voluntary commitments and replies presented
    #  by the State under review"
    (re.compile(r"Views\s+on\s+conclusions\s+and/or\s+recommendations", re.I), T.ADDENDUM),
    (
        re.compile(r"Summary\s+of\s+(?:stakeholders|the\s+stakeholders)", re.I),
        T.STAKEHOLDER_SUMMARY,
    ),
    (re.compile(r"Compilation\s+(?:on|prepared\s+by)", re.I), T.UN_COMPILATION),
    (re.compile(r"National\s+report\s+submitted", re.I), T.NATIONAL_REPORT),
    (re.compile(r"Outcome\s+of\s+the\s+universal\s+periodic\s+review", re.I), T.HRC_DECISION),
    (
        # Saudi Arabia 2009 (A/HRC/11/23) prints "Report of the Working on the Universal ..."
        re.compile(
            r"Report\s+of\s+the\s+Working\s+(?:Group\s+)?on\s+the\s+Universal\s+Periodic", re.I
        ),
        T.WG_REPORT,
    ),
)
# "A/HRC/8/37" (WG_REPORT_SYMBOL) on a page under "UNIVERSAL PERIODIC REVIEW" (agenda item 6): a
# WG report even without its title (Peru 2008 prints only "Peru" under the agenda item).
_UPR_AGENDA = re.compile(r"Universal\s+Periodic\s+Review", re.I)
_BY_SUFFIX = {"1": T.NATIONAL_REPORT, "2": T.UN_COMPILATION, "3": T.STAKEHOLDER_SUMMARY}
# What a UN document prints on its first page and a quoting NGO report or news story does not:
# "General Assembly Distr.: General", the "GE.14-12727" job number.
_UN_MASTHEAD = re.compile(
    rf"{UN_MASTHEAD.pattern}|\bGeneral\s+Assembly\b|\bGE\.\s?\d\d-\d{{4,}}", re.I
)
# Without a UN symbol: what marks an NGO's own report or a news story for sure, and the words
# each uses about itself (counted when neither or both are marked).
_NGO_MARKS = re.compile(
    r"\b(?:shadow|alternative|parallel|mid-?term|stakeholder)\s+report|\bjoint\s+submission"
    r"|\bsubmission\s+(?:to|for)\s+the\b|\bour\s+organi[sz]ation",
    re.I,
)
# "GENEVA, 15 November 2019 (Reuters) -", "By our correspondent", "LJUBLJANA, 3 May 2017"
_NEWS_MARKS = re.compile(
    r"\((?:Reuters|AFP|AP|Associated Press|dpa|Xinhua)\)|\bpress release\b"
    r"|\bBy\s+(?:our|a)\s+(?:correspondent|reporter|staff)"
    r"|(?m:^[A-Z][A-Za-z .'-]{2,30},\s+\d{1,2}\s+(?:January|February|March|April|May|June|July"
    r"|August|September|October|November|December)\s+\d{4})"
    r"|\b[A-Z]{3,}(?:\s+[A-Z]{3,})?,\s+\d{1,2}\s+[A-Z][a-z]+\s+\d{4}",
)
_NGO_WORDS = re.compile(
    r"\b(?:shadow report|alternative report|parallel report|mid-?term report|joint submission|"
    r"submission (?:to|for) the|civil society|non-governmental|NGOs?|coalition|our organi[sz]ation|"
    r"stakeholder report|UPR Info)\b",
    re.I,
)
_NEWS_WORDS = re.compile(
    r"\b(?:press release|news|Reuters|Associated Press|AFP|correspondent|reporter|newspaper|"
    r"editorial|told reporters|(?:he|she|they) said|said on (?:Monday|Tuesday|Wednesday|"
    r"Thursday|Friday|Saturday|Sunday))\b",
    re.I,
)


def classify(symbol: str | None, first_page_text: str) -> DocumentType:
    """The document type; "other" when neither the symbol nor the title tells."""
    if symbol:
        if re.search(r"/Add\.\d+$", symbol):
            return T.ADDENDUM
        if "/DEC/" in symbol:
            return T.HRC_DECISION
        pre_session = _PRE_SESSION.search(symbol)
        if pre_session:
            return _BY_SUFFIX[pre_session.group(1)]
    # A title counts on a UN document only: a news story or an NGO report may quote "the Report
    # of the Working Group on the Universal Periodic Review" or "the National report submitted
    # by Slovenia".
    if symbol or _UN_MASTHEAD.search(first_page_text):
        for pattern, kind in _TITLES:
            if pattern.search(first_page_text):
                return kind
    if symbol and WG_REPORT_SYMBOL.match(symbol) and _UPR_AGENDA.search(first_page_text):
        return T.WG_REPORT
    if symbol is None:
        ngo_marked = bool(_NGO_MARKS.search(first_page_text))
        news_marked = bool(_NEWS_MARKS.search(first_page_text))
        if ngo_marked != news_marked:
            return T.NGO_REPORT if ngo_marked else T.NEWS
        # More news words than NGO words makes a news story; any NGO word an NGO report.
        ngo = len(_NGO_WORDS.findall(first_page_text))
        news = len(_NEWS_WORDS.findall(first_page_text))
        if news > ngo:
            return T.NEWS
        if ngo:
            return T.NGO_REPORT
    return T.OTHER
