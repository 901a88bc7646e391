"""What a news story looks like on its first page, whatever it is about.

A story opens with a masthead and its issue date ("Friday, 27 June 2014"), a byline ("By Chan
Dara, staff reporter") and a dateline ("PHNOM PENH, 26 June 2014 - ", "GENEVA (Reuters) - ",
"GENEVA, June 13: "), credits a wire service ("(AFP)", "—APP"), and dates what people said by
the day of the week ("said on Thursday"). These are its form, found where a story prints them
(the masthead, byline and dateline in the first lines), not its words: an NGO report that
quotes a story further down keeps its own form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from uprdex.extractors.metadata import MONTH

__all__ = ["NewsForm", "news_form"]

# The lines of a first page where a story prints its masthead, byline and dateline: masthead
# and headline, byline, and the first line of the first column.
_HEAD_LINES = 12
_MASTHEAD_LINES = 6

_WIRES = (
    r"Reuters|AFP|AP|Associated\s+Press|Agence\s+France-Presse|dpa|DPA|Xinhua|IPS|EFE|ANSA"
    r"|Kyodo|Bernama|PTI|IANS|APP|Anadolu|TASS|UPI|Lusa"
)
# "(Reuters)", "(AFP)" after a dateline; "—APP", "- AFP" closing a story (Dawn prints the
# agency of a wire story after its last sentence).
WIRE_CREDIT = re.compile(rf"\((?:{_WIRES})\)|(?m:[—–-]\s*(?:{_WIRES})\s*$)")
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
# A date as a dateline prints it, the year often left out: "26 June 2014", "June 26, 2014",
# "June 13", "26 Jun".
_DAY_AND_MONTH = (
    rf"(?:\d{{1,2}}\s+{MONTH}|{MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?)(?:,?\s+(?:19|20)\d{{2}})?"
)
# A place as a dateline prints it: "PHNOM PENH", "PORT-AU-PRINCE", "ST. JOHN'S" in capitals;
# "Phnom Penh", "Geneva" only when a date and a dash follow.
_CAPS_PLACE = r"[A-Z][A-Z'.\-]+(?:\s+[A-Z][A-Z'.\-]+){0,3}"
_PLACE = r"[A-Z][A-Za-zÀ-ÿ'.\-]+(?:\s+[A-Z][A-Za-zÀ-ÿ'.\-]+){0,3}"
# ", Cambodia" in "PHNOM PENH, Cambodia, 26 June 2014 -"
_REGION = r"(?:,\s+[A-Z][A-Za-z.]+(?:\s+[A-Z][A-Za-z.]+)?)?"
_CREDIT = rf"(?:\s*\((?:{_WIRES})\))?"
_DASH = r"\s*[-–—:]"
# At a line's start, or after a byline on the same line ("By our correspondent, LJUBLJANA,
# 3 May 2017"):
#   "PHNOM PENH, 26 June 2014 - ", "GENEVA, June 26, 2014 — ", "LJUBLJANA, 3 May 2017",
#   "Geneva, 15 November 2019 (Reuters) - ", "GENEVA, June 13: ", "GENEVA (Reuters) - ",
#   "NEW YORK — Rights groups said ...".
DATELINE = re.compile(
    r"^(?:By\s+[^,\n]{2,60},\s+)?"
    rf"(?:{_CAPS_PLACE}{_REGION},\s+{_DAY_AND_MONTH}{_CREDIT}(?:{_DASH}|\s*$)"
    rf"|{_PLACE}{_REGION},\s+{_DAY_AND_MONTH}{_CREDIT}{_DASH}"
    rf"|{_CAPS_PLACE}{_REGION}\s*\((?:{_WIRES})\){_DASH}"
    # "NEW YORK — Rights groups said ...": a sentence goes on, not a heading "SLOVENIA –
    # Shadow report".
    rf"|{_CAPS_PLACE}\s+[—–]\s+[A-Z][a-z]*(?:\s+\S+){{3}})",
    re.MULTILINE,
)
# Words that name an organisation, not a person: "By Amnesty International" is no byline.
_ORGANISATION = re.compile(
    r"\b(?:International|Watch|Coalition|Network|Cent(?:re|er)|Foundation|Association"
    r"|Organi[sz]ation|Committee|Council|Institute|Society|Union|Federation|Alliance|Forum"
    r"|Group|Commission|Rights|Office|Ministry|Government|Secretariat|Programme|Project"
    r"|Initiative|Amnesty|Movement|League|Partnership|Platform|Defenders|Nations|UPR)\b",
    re.I,
)
_ROLE = (
    r"(?i:(?:(?:senior|chief|political|foreign|diplomatic|legal|court)\s+)?"
    r"(?:staff\s+(?:reporter|writer|correspondent)|reporter|correspondent|writer|editor))"
)
_NAME = r"[A-Z][A-Za-zÀ-ÿ'.\-]+(?:\s+[A-Z][A-Za-zÀ-ÿ'.\-]+){1,3}"
# "By Chan Dara, staff reporter", "BY JOHN SMITH", "By Jane Doe and John Roe", "By our
# correspondent", "Jane Doe | Staff Writer", "Reporting by Jane Doe; Editing by John Roe".
BYLINE = re.compile(
    rf"^(?:(?:By|BY)\s+(?:(?:our|a|the)\s+(?:own\s+)?{_ROLE}\b"
    rf"|(?P<name>{_NAME}(?:\s+(?:and|&)\s+{_NAME})?)(?:\s*[,|–—-]\s*{_ROLE})?\s*(?:,|$))"
    rf"|(?P<signed>{_NAME})\s*[,|]\s*{_ROLE}\s*$"
    r"|(?:Additional\s+)?(?:Reporting|Writing)\s+by\s+[A-Z])",
    re.MULTILINE,
)
# A masthead's issue date: "Friday, 27 June 2014", "Published 14 Jun, 2008", "Updated: 26 June
# 2014"; or an issue number beside a date: "Vol. 23 No. 127 | 26 June 2014".
ISSUE_DATE = re.compile(
    rf"\b{_WEEKDAY},?\s+{_DAY_AND_MONTH}"
    rf"|\b(?:Published|Updated|Posted|Last\s+updated)(?:\s+on)?:?\s+(?:{_WEEKDAY},?\s+)?"
    rf"{_DAY_AND_MONTH}"
    rf"|(?m:^(?=.*\b(?:Vol(?:ume)?\.?|Issue|No\.)\s*\d{{1,5}}\b).*\b{_DAY_AND_MONTH})"
)
# "said on Thursday", "told reporters on Tuesday", "on Monday called on ...".
SAID_ON_A_WEEKDAY = re.compile(
    rf"\b(?:said|told|announced|added|stated|warned|urged|called|asked|wrote|declared)\b"
    rf"[^.]{{0,80}}?\bon\s+{_WEEKDAY}\b|\bon\s+{_WEEKDAY},?\s+(?:said|told|called|announced)\b"
    r"|\btold\s+(?:reporters|journalists|(?:the\s+)?(?:newspaper|Post|Reuters|AFP|AP))\b"
)
_PRESS_RELEASE = re.compile(r"\bpress\s+release\b", re.I)


@dataclass(frozen=True)
class NewsForm:
    """The marks of a news story a first page prints, each found once."""

    masthead: bool  # an issue date in the first lines
    byline: bool
    dateline: bool
    wire: bool
    press_release: bool
    said_on_a_weekday: bool

    @property
    def structure(self) -> int:
        """How many of the marks only news prints where news prints them: masthead, byline,
        dateline, wire credit, "press release"."""
        return sum((self.masthead, self.byline, self.dateline, self.wire, self.press_release))


def news_form(text: str) -> NewsForm:
    """The marks of a news story on a first page (its text layer, lines as printed)."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    head = "\n".join(lines[:_HEAD_LINES])
    bylines = [m for m in BYLINE.finditer(head) if not _ORGANISATION.search(_byline_name(m))]
    return NewsForm(
        masthead=bool(ISSUE_DATE.search("\n".join(lines[:_MASTHEAD_LINES]))),
        byline=bool(bylines),
        dateline=bool(DATELINE.search(head)),
        wire=bool(WIRE_CREDIT.search(text)),
        press_release=bool(_PRESS_RELEASE.search(head)),
        said_on_a_weekday=bool(SAID_ON_A_WEEKDAY.search(text)),
    )


def _byline_name(match: re.Match[str]) -> str:
    return match.group("name") or match.group("signed") or ""
