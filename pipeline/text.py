"""Repairs of words that the PDF text layer breaks: line-end hyphens and split words."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from uprdex.pipeline.resources import data_path

__all__ = [
    "ABBREVIATIONS",
    "APOSTROPHES",
    "CONTROL",
    "Vocabulary",
    "closest_spelling",
    "ends_with_abbreviation",
    "join_lines",
    "load_vocabulary",
    "normalize_text",
    "repair_quotes",
    "visible_controls",
]

APOSTROPHES = "'’‘ʼ‛‟`"
"""What documents and researchers print as an apostrophe: ASCII, U+2019 (the UN's "Baha’i"),
U+2018 (a misprinted one), U+02BC (the modifier letter, read as a letter by full-text search:
"Côte dʼIvoire"), U+201B and U+201F (reversed ones, the double one a misprint for the single)
and a backquote. The one list that a State's name is looked up with (`states`) and search
folds (`store.folding`)."""

LINE_END_HYPHEN = "\ufffe"
"""pdfium marks a hyphen that ended a printed line with U+FFFE and joins the two lines:
"ill\ufffetreatment" printed as "ill-" / "treatment"."""

# "discriminati on", "implementati on": a word cut in two by a gap in the text layer.
_WORD_PAIR = re.compile(r"\b([A-Za-z]{2,}) ([a-z]{1,6})\b")
_HYPHENATED = re.compile(rf"([A-Za-z]*)[{LINE_END_HYPHEN}\u00ad]([A-Za-z]*)")
# "asylum- seekers" (Australia 2011, one printed line) and "asylum-" / "seekers": a compound's
# own hyphen before a space, which pdfium does not mark; not a suspended hyphen ("short- and
# long-term", "pre- as well as post-natal") nor a dash printed as a hyphen ("levels- of the").
_COMPOUND_BREAK = re.compile(
    r"(?<=[A-Za-z]-) (?=[a-z])(?!(?:and|or|nor|to|as|at|of|in|on|by|for|from|with|the|an?|but"
    r"|than|that|which|is|are|was|were|be)\b)"
)


# Quotation marks a font maps to U+2015 (horizontal bar) and U+2016 (double vertical line):
# "The recommendation as read during the interactive dialogue: ―Effectively fight against" /
# "... or arbitrary executions.‖" (A/HRC/21/12 p. 17, note 1). A bar that opens a word, and a
# double line that closes one; a bar before a space is a dash.
_BAR_QUOTE = re.compile("\u2015(?=\\S)|(?<=\\S)\u2016")


def repair_quotes(text: str) -> str:
    """One line's quotation marks read as bars ("―Effectively ... executions.‖") as the
    quotation marks they print (“Effectively ... executions.”)."""
    return _BAR_QUOTE.sub(lambda bar: "\u201c" if bar[0] == "\u2015" else "\u201d", text)


# Words whose full stop ends no sentence: "see para. 12. The ...", "ILO Convention No. 189",
# "A/HRC/28/15/Add. 1", "e.g. The", "Smith et al. The". Citation contexts and paraphrase
# sentences are cut with this one list.
ABBREVIATIONS = frozenset(
    (
        "para",
        "paras",
        "p",
        "pp",
        "no",
        "nos",
        "art",
        "arts",
        "add",
        "corr",
        "rev",
        "vol",
        "e.g",
        "i.e",
        "mr",
        "ms",
        "mrs",
        "dr",
        "st",
        "cf",
        "ibid",
        "op",
        "cit",
        "al",
    )
)
_LAST_WORD = re.compile(r"[\w.]+$")


def ends_with_abbreviation(text: str) -> bool:
    """Whether the last word of `text` (the full stop after it left out) is one of
    ABBREVIATIONS ("as noted in para", "e.g"), whose full stop ends no sentence."""
    word = _LAST_WORD.search(text)
    return word is not None and word.group().lower() in ABBREVIATIONS


def join_lines(lines: Iterable[str]) -> str:
    """The printed lines of one text, joined: "asylum- seekers" is "asylum-seekers"."""
    return _COMPOUND_BREAK.sub("", " ".join(lines))


class Vocabulary:
    """Known English words (lower case), used to decide whether two pieces form one word."""

    def __init__(self, words: frozenset[str]) -> None:
        self._words = words

    def __contains__(self, word: str) -> bool:
        return word.lower() in self._words

    def repair(self, text: str) -> str:
        """Rejoin hyphenated and split words in one line of text."""
        if LINE_END_HYPHEN in text or "\u00ad" in text:
            text = _HYPHENATED.sub(self._join_hyphenated, text)
        return _WORD_PAIR.sub(self._join_split, text)

    def _join_hyphenated(self, match: re.Match[str]) -> str:
        left, right = match.group(1), match.group(2)
        # Both halves are words ("ill-treatment", "mandate-holders"): a real compound.
        broken = left not in self or right not in self
        if left and right and broken and left + right in self:
            return left + right
        return f"{left}-{right}"

    def _join_split(self, match: re.Match[str]) -> str:
        left, right = match.group(1), match.group(2)
        if left not in self and left + right in self:
            return left + right
        return match.group(0)


@lru_cache(maxsize=1)
def load_vocabulary() -> Vocabulary:
    """The shipped word list (data/words.txt, from the UPR Info recommendation texts)."""
    words = data_path("words.txt").read_text(encoding="utf-8").split()
    return Vocabulary(frozenset(words))


_NON_WORD = re.compile(r"[^\w]+")
# Control characters a PDF's text may hold (C0 but tab, line feed and carriage return; DEL; C1)
# and the noncharacters U+FFFE/U+FFFF: an XLSX file cannot hold the C0 ones, HTML calls them
# parse errors, and a terminal runs ESC sequences (ESC [ 2 J clears the screen).
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def normalize_text(text: str) -> str:
    """Case- and punctuation-free text, for ids and matching."""
    return " ".join(_NON_WORD.sub(" ", text.casefold()).split())


def visible_controls(text: str) -> str:
    """`text` with each control character shown as its Unicode control picture (U+0007 as
    "␇", DEL as "␡"), a C1 control or U+FFFE/U+FFFF as "�"; tab, line feed and carriage
    return stay."""
    return CONTROL.sub(_control_picture, text)


def _control_picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    return chr(0x2400 + code) if code < 0x20 else "\u2421" if code == 0x7F else "\ufffd"


def closest_spelling(
    typed: str, spellings: Iterable[str], named: Callable[[str], str | None] = lambda s: s
) -> str | None:
    """What `named` calls the one of `spellings` a misspelt `typed` (case-folded, as they are)
    means: the closest, at least 0.8 alike (rapidfuzz's ratio: twice the letters in common, in
    order, over the letters of both: "labor" for labour), else the only name a slip away (a
    letter swapped, missing, extra or wrong: "cuab", 0.75 alike, for cuba; none under four
    letters, "ira" being Iran and Iraq alike); None when none is that close."""
    known = list(spellings)
    # fuzz.ratio's 0-100: Indel's normalized_similarity with score_cutoff=0.8 leaves out one
    # exactly 0.8 alike ("dc" for drc), a float's rounding
    close = process.extract(typed, known, scorer=fuzz.ratio, score_cutoff=80, limit=None)
    if close:  # of two as alike, the last in alphabetical order, as difflib's choice was
        return named(max(close, key=lambda found: (found[1], found[0]))[0])
    if len(typed) <= 3:
        return None
    slipped = {
        named(spelling)
        for spelling, _, _ in process.extract(
            typed, known, scorer=OSA.distance, score_cutoff=1, limit=None
        )
    }
    return slipped.pop() if len(slipped) == 1 else None
