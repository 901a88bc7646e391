"""Cycle-1 recommendations cited by paragraph: a lead-in of the conclusions points back to
section I (the interactive dialogue) instead of listing the asks.

Viet Nam 2009 (A/HRC/12/11): "102. The recommendations noted in the report in paragraphs 35
(a), (b) ... did not enjoy the support of Viet Nam", where "35. Canada ... recommended that
Viet Nam (a) increase the independence of media ...; (b) ...". Each cited ask is read from its
paragraph, with the State that speaks there.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import accumulate

from uprdex.extractors.positions import position_of, refusal_detail
from uprdex.extractors.state_lists import MAX_STATE_WORDS, leading_state
from uprdex.pipeline.model import Line, Recommendation
from uprdex.pipeline.states import StateTable
from uprdex.pipeline.text import join_lines

__all__ = [
    "NUMBERED",
    "LeadIn",
    "citations",
    "cited_asks",
    "cited_paragraph_numbers",
    "cited_recommendations",
    "numbered_paragraphs",
]


@dataclass(frozen=True)
class LeadIn:
    """A lead-in paragraph of the conclusions, its lines joined: "102. The recommendations
    noted in the report in paragraphs 35 (a), (b) ... did not enjoy the support of Viet Nam"."""

    number: int
    text: str


# "115. The recommendations listed below ..." (paragraph) or "1. Consider ..." (cycle-1 item)
NUMBERED = re.compile(r"^(\d{1,3})\.\s+(\S.*)$")

# "In particular, the implementation of recommendation No. 92 from the first UPR cycle had been
# ensured by publishing the draft national report" (Italy 2014, A/HRC/28/4): a number followed
# by this names an ask of another review's report, none of this one's; nor does "recommendation
# 97.2 of its first review had been implemented" or "paragraph 23 (b) of the previous cycle".
OF_ANOTHER_REVIEW = (
    r"\s+(?:of|from)\s+(?:its|the)\s+(?:first|previous|last)\s+(?:UPR\s+)?(?:review|cycle)\b"
)

# "Other recommendations noted in the report in paragraphs 35 (a), (b) and (g); 41 (b); 56
# above did not enjoy the support of Viet Nam": recommendations printed in section I. A citation
# run is that word and its list of numbers, each with its letters or a note in brackets, and
# nothing else: "recommendations 28 (b); 31 (b); 39 (b); and 58 (b)" (Tonga 2008), "paragraphs
# numbers 26 (a) (Czech Republic), 33 (b) (Denmark), 64 (a), (b), (c) (Chile)" (Burundi 2009),
# "paragraphs 23 (last sentence), 29 (d)" (Turkmenistan 2009), "paragraphs 45, 55, 56, last
# sentence, and 63 above" (Algeria 2008), and with a comma missing after a bracket: "43 (a),
# (b), (e), (f), (g), (h) 56, 79 (a)" (China 2009). Not "the 12 remaining recommendations", "On
# 22 May 2008", nor the "77" of "paragraphs 77.13".
_IN_BRACKETS = r"\((?:\s*[a-z]{1,4}\s*(?:,\s*[a-z]{1,4}\s*)*|[^()\d]{2,200})\)"
_CITED = (
    rf"\d{{1,3}}(?!\d|\.\s?\d)(?:[\s,]*(?:and\s+)?{_IN_BRACKETS})*"
    r"(?:,\s*(?:first|last)\s+sentence\b)?"
)
_CITED_AND = r"(?:\s*[,;]\s*(?:and\s+)?|\s+and\s+|(?<=\))\s+)"
BODY_REFERENCES = re.compile(
    r"\b(?:paragraphs?|recommendations?)(?:\s+numbers?)?:?\s+"
    rf"((?>{_CITED}(?:{_CITED_AND}{_CITED})*))(?!{OF_ANOTHER_REVIEW})",
    re.IGNORECASE,
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

# "Guatemala wished to reiterate the recommendation made by CERD that ...": a sentence that
# asks, with any word of "recommend" (Switzerland 2008, 39).
_RECOMMEND = re.compile(r"recommend", re.IGNORECASE)

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

# What may report an ask after its letter, before the State it asks: "(c) strongly recommended
# that Cuba allow ..." (Cuba 2009, 53), "(c) recommended also that Tonga facilitate ..." (Tonga
# 2008, 28), "(c) encouraged Malaysia to sign and ratify ..." (Malaysia 2009, 72).
REPORTED_ASK = re.compile(
    r"(?:(?:strongly|also|further)\s+)?(?:recommended|encouraged|urged)\s+(?:also\s+)?(?:that\s+)?"
)
# "(b): Malaysia (i) publish official figures ..., (ii) restrict ..." (Malaysia 2009, 93): the
# State asked, then the ask's first roman part.
FIRST_PART = re.compile(r"\(i\)\s+[a-z]")
# "(c) ... that the Government continue ...", "(c) encouraged the Tongan Government to consider".
GOVERNMENT = re.compile(r"the(?:\s+[A-Z]\w+)?\s+Government")
# "Switzerland ... recommended d) that it rapidly ratify and implement the Optional Protocol to
# CEDAW" (Saudi Arabia 2009, 65): the letter after "recommended", its ask opening "that it".
THAT_IT = re.compile(r"that\s+it\s+(?=[a-z])")
# "recommended that Saudi Arabia", "recommended to Malaysia": before the State a lead-in asks.
_LEAD_IN_THAT = re.compile(r"^\s*(?:that|to)\s+")
# "recommended Sri Lanka to (a) ...", "recommended to Viet Nam that it consider (a) ratifying
# CAT" (Viet Nam 2009, 89): between the State and the shared words, or all there is.
_STEM_LINK = re.compile(r"^(?:should|to|that\s+it)\b\s*")
# "Sri Lanka should work with ...", "Malaysia to sign ...": between the State and the ask's verb;
# and "that" printed twice: "Mexico recommended that China that consider positively declaring a
# moratorium ..." (China 2009, 38).
SUBJECT_LINK = re.compile(r"^(?:should|to|that)\s+")

# "Denmark recommended", "It further recommended", "... and recommended": a recommending
# sentence of a State, not "the Committee against Torture recommended the clarification".
STATE_RECOMMENDED = re.compile(r"\brecommended\b")

_RECOMMENDING_SUBJECTS = frozenset({"it", "and", "also", "further", "he", "she", "they"})

# "... more mutually cohesive. It appreciated ...", "... by the Committee on the Rights of the
# Child in 2006. It expressed concern ..." (Colombia 2009): where a cited recommendation ends.
SENTENCE_END = re.compile(r"(?<=[a-zA-Z0-9)])\.\s+(?=[A-Z])")

# "8 GE.09-16382", "GE.14-12727", "16 GE. 09-13710": the United Nations job number a page's
# footer prints, with the page number before or after it.
JOB_NUMBER_FOOTER = r"(?:\d{1,3}\s+)?GE\.\s?\d\d-\d+(?:\s+\d{1,3})?"
# "A/HRC/12/11*", "8 GE.09-16382", "Page 17", "23": page headers and footers.
PAGE_FURNITURE = re.compile(rf"^\s*(?:A/HRC/\S+|{JOB_NUMBER_FOOTER}|Page\s+\d+|\d{{1,3}})\s*$")

# The first sentence that recommends: "It recommended that Viet Nam consider ...". A full stop
# ends it only before a capital, not in "In relation to Law No. 90-07 on freedom of expression,
# it recommended ..." (Algeria 2008) nor in "e.g. the".
RECOMMENDING_SENTENCE = re.compile(
    r"(?:[^.]|\.(?!\s+(?-i:[A-Z])))*\brecommend.*?(?:\.(?=\s+(?-i:[A-Z]))|$)", re.IGNORECASE
)

# "(b) to eliminate restrictions on the activities of human rights NGOs, and wished to know
# whether restrictions continue ..." (Uzbekistan 2009, 50), "(a) pass the Freedom of Information
# Bill and requested further information ..." (Ghana 2008, 38): the recommending State goes on to
# ask or note something, which is no part of its ask.
REPORTING_CLAUSE = re.compile(
    r",?\s+and\s+(?:also\s+)?(?:wished|asked|enquired|inquired|requested|noted|welcomed)\b"
)

_TRAILING_JOINER = re.compile(r"[\s;,.]*(?:\b(?:and|or)\b)?[\s;,.]*$")

# "... asylum seekers; and encouraged (b) (i) accession ..." (Malaysia 2009, 67), "... resolution
# 62/149 ; and encouraged the Government (c) to accomplish ..." (United Arab Emirates 2009, 73),
# "... as soon as possible; Greece also recommended that (b) Sri Lanka issue ..." (Sri Lanka 2008,
# 74): the words before the next letter that report its ask, no part of this one. Not "...,
# as previously recommended", which is the ask's.
NEXT_ASK_REPORTED = re.compile(
    r"\s*[;,]\s*(?:and\s+)?(?:(?:[A-Z][\w’'-]*\s+)+|it\s+)?(?:(?:strongly|also|further)\s+)?"
    r"(?:recommended|encouraged|urged)(?:\s+(?:also|further))?"
    r"(?:\s+(?:that|the(?:\s+[A-Z]\w+)?\s+Government(?:\s+to)?))?\s*:?\s*$"
)


def numbered_paragraphs(lines: Iterable[Line], before: int) -> dict[int, list[Line]]:
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


def cited_recommendations(
    lead_ins: Iterable[LeadIn], section_start: int, body: dict[int, list[Line]], states: StateTable
) -> Iterator[Recommendation]:
    """Recommendations that lead-ins without items of their own cite by paragraph of section
    I (`body`, the paragraphs before the conclusions at `section_start`), each cited once.

    Viet Nam 2009: "102. The recommendations noted in the report in paragraphs 35 (a), (b) ...
    did not enjoy the support of Viet Nam", where "35. Canada ... recommended that Viet Nam
    (a) increase the independence of media ...; (b) ...".
    """
    seen: set[tuple[int, str | None]] = set()
    for lead_in in lead_ins:
        for reference in citations(lead_in.text):
            number = int(reference.group(1))
            # Not "paragraph 103" of "paragraph 103, No. 7": an item of the section.
            if number >= section_start or number not in body:
                continue
            printed = reference.group(2)
            # The paragraph's own letters matter only when none or a roman part is cited.
            needs_own = CITED_SUB_PART.search(printed) or not CITED_LETTER.search(printed)
            own = _letters_of(body[number], states) if needs_own else []
            letters = _cited_letters(printed, own)
            cited: list[str | None] = [*letters] or own
            sentence = CITED_SENTENCE.match(lead_in.text, reference.end())
            if sentence and len(cited) > 1:
                cited = cited[:1] if sentence.group(1).lower() == "first" else cited[-1:]
            subject = CITED_SUBJECT.match(lead_in.text, reference.end())
            if subject and not letters and len(cited) > 1:
                cited = [_letter_on(body[number], states, subject.group(1))]
            on = subject.group(1) if subject and not letters else ""
            for letter in cited:
                if (number, letter) not in seen:
                    seen.add((number, letter))
                    yield from _body_recommendation(
                        body[number], number, letter, lead_in, states, on
                    )


def citations(text: str) -> Iterator[re.Match[str]]:
    """Each paragraph the text's citation runs (`BODY_REFERENCES`) cite, with its letters
    (`REFERENCE`): "35 (a), (b)", "41 (b)", "56" of "paragraphs 35 (a), (b); 41 (b); 56"."""
    for run in BODY_REFERENCES.finditer(text):
        yield from REFERENCE.finditer(text, run.start(1), run.end(1))


def cited_asks(text: str) -> list[str]:
    """The asks of section I a text cites in its citation runs, as `cited_recommendations` names
    them: "paragraphs 58 (a) and (b)" -> 58(a), 58(b); "paragraphs 23 (Germany)" -> 23."""
    refs = [
        f"{cited[1]}({letter})" if letter else cited[1]
        for cited in citations(text)
        for letter in CITED_LETTER.findall(cited[2]) or [None]
    ]
    return list(dict.fromkeys(refs))


def _cited_letters(printed: str, own: list[str | None]) -> list[str]:
    """The letters cited in "(a), (b) (i) and (ii)": a roman sub-part is not a letter unless
    the paragraph prints that letter (its `own`)."""
    roman = {mark.group(1) for mark in CITED_SUB_PART.finditer(printed)}
    return [
        letter for letter in CITED_LETTER.findall(printed) if letter not in roman or letter in own
    ]


def _body_recommendation(
    lines: list[Line],
    number: int,
    letter: str | None,
    lead_in: LeadIn,
    states: StateTable,
    subject: str = "",
) -> Iterator[Recommendation]:
    """Recommendation (letter) of a section-I paragraph, made by the State that opens it; of
    a paragraph cited on a `subject` (`CITED_SUBJECT`), the asking sentence on it."""
    text = NUMBERED.sub(r"\2", join_lines(line.text for line in lines), count=1)
    start, end = 0, len(text)
    notes: list[str] = []
    if letter:
        marks = _letter_marks(text)
        found = [i for i, mark in enumerate(marks) if mark.group(1) == letter]
        if found:
            start = marks[found[0]].end()
            end = marks[found[0] + 1].start() if found[0] + 1 < len(marks) else end
            printed = NEXT_ASK_REPORTED.sub("", SENTENCE_END.split(text[start:end], maxsplit=1)[0])
            ask = _unreported(printed, states)
            shared = _shared_lead_in(text, marks, found[0], states) if ask == printed else ""
            if shared:
                ask = f"{shared} {ask}"
                notes.append(
                    f"the words {number} prints once before its letters begin it: {shared}"
                )
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
            start, ask = _unsaid(ask, start, states)
    else:
        sentence = RECOMMENDING_SENTENCE.search(text)
        ask = sentence.group() if sentence else text
        start = sentence.start() if sentence else 0
        # Switzerland 2008's 39, cited on the ICRMW: not its first sentence that recommends
        on = _asking_sentence(text, subject) if subject else None
        if on and (not sentence or _on_subject(on[1], subject) > _on_subject(ask, subject)):
            start, ask = on
        if sentence or on:
            start, ask = _unsaid(ask, start, states)
    state = (
        leading_state(text, states)
        or _subject_state(text[:start], states)
        or _subject_state(text[:start], states, SPEAKING_VERB)
    )
    offsets = list(accumulate(len(line.text) + 1 for line in lines))
    page = lines[min(bisect_right(offsets, start), len(lines) - 1)].page
    position = position_of(lead_in.text)
    yield Recommendation(
        paragraph=f"{number}({letter})" if letter else str(number),
        text=_TRAILING_JOINER.sub("", _unasked(ask).strip(" :;,")),
        recommending_states=(state,) if state else (),
        position=position,
        position_paragraph=str(lead_in.number),
        page=page,
        as_printed=f"{number} ({letter})" if letter else f"{number}.",
        warnings=(
            *notes,
            *([] if state else ["no recommending State opens the cited paragraph"]),
            f"cited by reference: paragraph {lead_in.number} names it by its paragraph of the "
            "interactive dialogue; text and recommending State are read from there",
        ),
        position_detail=refusal_detail(lead_in.text, position),
    )


def _unasked(ask: str) -> str:
    """A cited ask without the question or note its State goes on to (`REPORTING_CLAUSE`),
    unless a recommendation follows there: "Poland noted that ... and asked about the
    Government's intentions to change this system and recommended the abolition ..."
    (Turkmenistan 2009, 23 (c)) stays whole."""
    clause = REPORTING_CLAUSE.search(ask)
    if clause is None or "recommend" in ask[clause.end() :].lower():
        return ask
    return ask[: clause.start()]


def _unsaid(sentence: str, start: int, states: StateTable) -> tuple[int, str]:
    """A recommending sentence taken as an ask, and where it starts, without the words that
    report it when they name the State asked: "It recommended that Uzbekistan reinforce the
    protection of human rights defenders ..." (Uzbekistan 2009, 44) as "reinforce ...", as a
    lettered ask gives it (`_unreported`); "Mexico recommended considering the ratification
    ..." stays as printed."""
    for verb in STATE_RECOMMENDED.finditer(sentence):
        if _recommends(sentence[: verb.start()], states):
            said = sentence[verb.start() :]
            ask = _unreported(said, states)
            if ask == said:
                break
            return start + len(sentence) - len(ask), ask
    return start, sentence


def _shared_lead_in(text: str, marks: list[re.Match[str]], index: int, states: StateTable) -> str:
    """The words a paragraph prints once before the letters of its sentence, after the State
    asked, which each letter's ask continues: "It recommended that Saudi Arabia favourably
    consider becoming a party to core international human rights treaties such as (a) ICESCR
    and ICCPR; and (b) OP-CEDAW" (Saudi Arabia 2009, 75) gives "favourably consider ... such
    as"; "Chile also recommended that Saudi Arabia amend legal provisions so as to (b)
    guarantee ..." (47) "amend legal provisions so as to"; "recommended that Viet Nam (a)" or
    "recommended Saudi Arabia: (a)" none, nor a list's "the following:"."""
    mark = marks[index]
    sentence_start = max(
        (end.end() for end in SENTENCE_END.finditer(text, 0, mark.start())), default=0
    )
    first = next(m for m in marks if m.start() >= sentence_start)
    verbs = list(RECOMMENDING_VERB.finditer(text, sentence_start, first.start()))
    if not verbs:
        return ""
    rest = text[verbs[-1].end() : first.start()]
    if rest.rstrip().endswith(":"):
        return ""
    words = _LEAD_IN_THAT.sub("", rest).split()
    for count in range(min(len(words), MAX_STATE_WORDS), 0, -1):
        subject = " ".join(words[:count])
        if states.resolve(subject) or GOVERNMENT.fullmatch(subject):
            after = " ".join(words[count:])
            # an aside: "recommended to China, bearing in mind resolution 9/12 ..., (a) to ratify"
            if subject.endswith(",") or after.startswith(","):
                return ""
            stem = _STEM_LINK.sub("", after).strip(" ,;")
            return stem if stem[:1].islower() else ""
    return ""


def _unreported(ask: str, states: StateTable) -> str:
    """The ask after its letter without the words that report it, when they name the State
    under review: "(c) strongly recommended that Cuba allow the exercise ..." and "(b) Cuba halt
    the prosecution ..." (Cuba 2009, 53 and 96) as "allow ..." and "halt ...", as "recommended
    that Cuba (c) lift restrictions ..." gives "lift ..."; "(b) strongly recommended the repeal
    ..." stays as printed; "d) that it rapidly ratify ..." (Saudi Arabia 2009, 65) as "rapidly
    ratify ..."; "(b): Malaysia (i) publish ..." (Malaysia 2009, 93) as "(i) publish ..."."""
    that_it = THAT_IT.match(ask)
    if that_it:
        return ask[that_it.end() :]
    said = REPORTED_ASK.match(ask)
    rest = ask[said.end() :] if said else ask.lstrip(" :")
    words = rest.split()
    for count in range(min(len(words) - 1, MAX_STATE_WORDS), 0, -1):
        subject = " ".join(words[:count])
        if states.resolve(subject) or GOVERNMENT.fullmatch(subject):
            verb = SUBJECT_LINK.sub("", rest.split(maxsplit=count)[count])
            return verb if verb[:1].islower() or FIRST_PART.match(verb) else ask
    return ask


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
    scores = [_on_subject(s.group(), subject) for s in _recommending_sentences(text, states)]
    return chr(ord("a") + scores.index(max(scores))) if scores else "a"


def _on_subject(sentence: str, subject: str) -> int:
    """How much a sentence speaks of a cited subject: the words it shares with it, and more for
    each acronym of the subject it prints ("ICRMW")."""
    wanted = set(_WORD.findall(subject.lower()))
    initials = "".join(word[0] for word in subject.split() if word[:1].isupper())
    return len(wanted & set(_WORD.findall(sentence.lower()))) + _ACRONYM_WEIGHT * sum(
        _abbreviates(acronym, initials) for acronym in _ACRONYM.findall(sentence)
    )


def _asking_sentence(text: str, subject: str) -> tuple[int, str] | None:
    """(start, sentence) of the sentence of a section-I paragraph that asks something
    (`RECOMMENDING_VERB`, or a word of "recommend") and speaks most of `subject`, the first on a
    tie: "In the same vein, Guatemala urged Switzerland to consider ratifying the ICRMW"
    (Switzerland 2008, 39), cited on "the ratification of the International Convention on the
    Protection of the Rights of All Migrant Workers ...", after a sentence that recommends
    otherwise; None when no sentence asks."""
    ends = [*SENTENCE_END.finditer(text)]
    starts = [0, *(end.end() for end in ends)]
    spans = zip(starts, [*(end.start() for end in ends), len(text)], strict=True)
    asking = [
        (start, text[start:stop])
        for start, stop in spans
        if RECOMMENDING_VERB.search(text, start, stop) or _RECOMMEND.search(text, start, stop)
    ]
    return max(asking, key=lambda found: _on_subject(found[1], subject), default=None)


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
    words = [word.strip(",;:") for word in before.split()[-MAX_STATE_WORDS:]]
    if words and words[-1].lower() in _RECOMMENDING_SUBJECTS:
        return True
    return any(states.resolve(" ".join(words[-count:])) for count in range(1, len(words) + 1))


def _subject_state(
    text: str, states: StateTable, verbs: re.Pattern[str] = RECOMMENDING_VERB
) -> str | None:
    """The State that last recommends in the text: "..., Finland recommended that Viet Nam"."""
    for verb in reversed(list(verbs.finditer(text))):
        words = text[: verb.start()].split()[-MAX_STATE_WORDS:]
        for count in range(len(words), 0, -1):
            state = states.resolve(" ".join(words[-count:]).strip(",;:"))
            if state:
                return state.name
    return None


def cited_paragraph_numbers(lead_in: str) -> list[int]:
    """The section-I paragraph numbers a lead-in cites: "paragraphs 35 (a), (b); 41 (b); 56"."""
    return [int(reference.group(1)) for reference in citations(lead_in)]
