"""Treaty names the table does not read (helper treaty2): a survey, no scores.

Over the asks uprdex prints for the WG reports (bench/treaty_trial.py's ingest, less the
test reviews', Viet Nam 2009's and the FRESH pairs' reports, left out unread) and the rows of
the UPR Info export (less the rows of the States of those reports, unread), each text is
folded and read by the table as `normalize` reads it (`fold_words`, the ratifying verbs, then
`TreatyTable.replace`). What stays of a treaty's name is counted:
- "names": a "Convention/Covenant/Protocol/Charter" word the table did not read, followed by
  "on/for/against/to/of/relating" and up to eight more words (the phrase, as folded);
- "acronyms": a printed capitalised token of three or more letters (with digits or "-") that
  the table reads as no key, counted where the same ask has a ratifying verb.
Each list is printed with its counts, most frequent first; the readings are decided by hand.

Run: .venv/bin/python bench/treaty2_survey.py [names|acronyms|grep PATTERN]
"""

from __future__ import annotations

import csv
import re
import sys
from collections import Counter
from pathlib import Path

import treaty_trial
from cluster_protocol import SHARED

from uprdex.pipeline.clusters.normalize import _RATIFY, _TOWARDS_RATIFYING
from uprdex.pipeline.clusters.treaties import fold_words, load_treaties

CACHE = Path("/tmp/treaty2/trial")
EXPORT = SHARED / "upr_info" / "upr_info_sessions_1-20.csv"
# "International Covenant for the Protection of All Persons from Enforced Disappearance"
# (A/HRC/14/5 82.13) as folded: "covenant" then "for" and the name's words.
_NAME = re.compile(
    r"\b(?:international |optional |second |third )?(?:convention|covenant|protocol|charter)s? "
    r"(?:on|for|against|to|of|relating) (?:\w+ ){0,7}\w+"
)
# "CPRD", "OP-CPRD", "ICPPED", "CERD": a printed abbreviation.
_ACRONYM = re.compile(r"\b[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*[A-Z0-9]\b")
_LEFT_OUT_STATES = frozenset(
    {"Viet Nam", "Nigeria", "Costa Rica", "Norway", "Slovenia"}
    | {"Cameroon", "Iraq", "Germany", "Colombia", "Angola", "Fiji"}
)
"""The States whose export rows the survey does not read: the test reviews' and the FRESH
recurring pairs' (their WG reports are treaty_trial.LEFT_OUT)."""


def texts() -> list[tuple[str, str]]:
    """(where, text) of every ask read: the WG reports' asks, then the export's rows."""
    treaty_trial.CACHE = CACHE
    CACHE.mkdir(parents=True, exist_ok=True)
    out = list(treaty_trial._asks())
    with EXPORT.open(encoding="utf-8", newline="") as handle:
        for at, row in enumerate(csv.DictReader(handle), start=2):
            if row["To"] not in _LEFT_OUT_STATES:
                out.append((f"export:{at} {row['To']} s{row['Session']}", row["Text"]))
    return out


def _read(text: str) -> str:
    """The text as the table reads it in `normalize` (without the State lists' removal)."""
    folded = fold_words(text)
    return load_treaties().replace(_RATIFY.sub("ratify", _TOWARDS_RATIFYING.sub("ratify", folded)))


def names(rows: list[tuple[str, str]]) -> None:
    found: Counter[str] = Counter()
    where: dict[str, str] = {}
    for place, text in rows:
        for match in _NAME.finditer(_read(text)):
            found[match.group(0)] += 1
            where.setdefault(match.group(0), place)
    for phrase, count in found.most_common():
        print(f"{count:5} {phrase}  [{where[phrase]}]")


def acronyms(rows: list[tuple[str, str]]) -> None:
    table = load_treaties()
    found: Counter[str] = Counter()
    where: dict[str, str] = {}
    for place, text in rows:
        if not _RATIFY.search(_TOWARDS_RATIFYING.sub("ratify", fold_words(text))):
            continue
        for token in _ACRONYM.findall(text):
            folded = fold_words(token)
            if len(token) >= 3 and table.replace(folded) == folded:
                found[token] += 1
                where.setdefault(token, place)
    for token, count in found.most_common():
        print(f"{count:5} {token}  [{where[token]}]")


def grep(rows: list[tuple[str, str]], pattern: str) -> None:
    wanted = re.compile(pattern, re.IGNORECASE)
    for place, text in rows:
        if wanted.search(text):
            print(f"{place}: {text}\n    read: {_read(text)}")


def main() -> int:
    args = sys.argv[1:] or ["names"]
    rows = texts()
    print(f"{len(rows)} texts read")
    if args[0] == "names":
        names(rows)
    elif args[0] == "acronyms":
        acronyms(rows)
    elif args[0] == "grep" and len(args) == 2:
        grep(rows, args[1])
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
