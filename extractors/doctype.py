"""What kind of UPR document a PDF is, from the symbol and title on its first page."""

from __future__ import annotations

import re

from uprdex.extractors.metadata import UN_MASTHEAD, cover
from uprdex.extractors.news import news_form
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
# Without a UN symbol: what marks an NGO's own report (the words it uses about itself).
_NGO_MARKS = re.compile(
    r"\b(?:shadow|alternative|parallel|mid-?term|stakeholder)\s+report|\bjoint\s+submission"
    r"|\bsubmission\s+(?:to|for)\s+the\b|\bour\s+organi[sz]ation",
    re.I,
)
# How many of a story's marks (`news.NewsForm.structure`) make a page news: two, or three
# when its cover calls it an NGO report ("Joint submission ..." in a headline is the story's
# subject; a report that quotes a story's dateline and byline is still the report).
_NEWS_FORM = 2
_NEWS_FORM_OVER_NGO_COVER = 3
_NGO_WORDS = re.compile(
    r"\b(?:shadow report|alternative report|parallel report|mid-?term report|joint submission|"
    r"submission (?:to|for) the|civil society|non-governmental|NGOs?|coalition|our organi[sz]ation|"
    r"stakeholder report|UPR Info)\b",
    re.I,
)
_NEWS_WORDS = re.compile(
    r"\b(?:press release|news|Reuters|Associated Press|AFP|correspondent|reporter|newspaper|"
    r"editorial|(?:he|she|they) said)\b",
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
        return _unsymbolled(first_page_text)
    return T.OTHER


def _unsymbolled(text: str) -> DocumentType:
    """News, an NGO report or other, for a page with no UN symbol: by the form news takes
    (masthead, byline, dateline, wire credit), then by what the page calls itself, then by the
    words each uses most."""
    form = news_form(text)
    ngo_cover = bool(_NGO_MARKS.search(cover(text)))
    if form.structure >= _NEWS_FORM_OVER_NGO_COVER or (
        form.structure >= _NEWS_FORM and not ngo_cover
    ):
        return T.NEWS
    if _NGO_MARKS.search(text):
        return T.NGO_REPORT
    # More news words and marks ("said on Tuesday", "told reporters" among them) than NGO
    # words makes a news story; any NGO word an NGO report.
    ngo = len(_NGO_WORDS.findall(text))
    news = len(_NEWS_WORDS.findall(text)) + form.structure + form.said_on_a_weekday
    if news > ngo:
        return T.NEWS
    if ngo:
        return T.NGO_REPORT
    return T.OTHER
