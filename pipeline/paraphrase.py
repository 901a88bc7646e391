"""Paraphrase evidence: sentences that restate a recommendation without citing its number.

A news item writes "the UN urged Cambodia to adopt an access to information law"; a national
report writes "The protective provisions of ILO Convention No. 189 ... have been implemented".
Each sentence is compared with the recommendations made to the document's State by TF-IDF
cosine over normalised words (the clustering normalisation: stems, treaty names to one key),
through an inverted index so that only recommendations sharing a word are scored. Rare words
(a programme's name, a convention's number) weigh most; the score is a cosine in [0, 1], and
bench/bench_paraphrase.py reports the precision of each threshold on hand-labelled sentences.

Against a sentence that shares only an ask's frame or a word or two (echo2's "typical+object",
ingest's rule since echo5): a sentence's words that no ask uses count in its length as a typical
ask word (the asks' median idf), so that "The current legislation on night work guarantees
special protection for night workers regardless of their gender ..." no longer reaches an ask on
the erased "regardless of where they currently reside" by its few shared words; and an ask is
scored only when the sentence shares a word outside FRAME_WORDS with it. Other rules are
measured, not shipped, in bench/paraphrase_rules.py (bench/bench_paraphrase.py and
bench/typical_object_slovenia_bar.md give the figures); they build on `index_asks`, `terms`,
`vector`, `ask_scores` and `best_match`, the steps of `match_sentences`.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from statistics import median

from uprdex.pipeline.clusters import normalize
from uprdex.pipeline.clusters.normalize import stem
from uprdex.pipeline.text import ends_with_abbreviation, join_lines

# The steps of `match_sentences` (Asks, index_asks, terms, vector, ask_scores, best_match) are
# not the API: only bench/paraphrase_rules.py builds on them, to try candidate rules.
__all__ = ["FRAME_WORDS", "RULE", "Match", "match_sentences", "page_sentences", "split_sentences"]

# The name of the rule `match_sentences` applies, recorded in the index beside the threshold
# with the paraphrase evidence it made (`store.rematch`, the meta key `paraphrase_rule`): an
# index matched by another rule or threshold is said stale by `uprdex status` and matched again
# from its stored sentences. Name it anew whenever `match_sentences` finds other matches for the
# same input.
RULE = "typical+object"

MIN_WORDS = 8
# A sentence ends at ".", ";", "!" or "?" followed by a capital: "... in preparation. Slovenia";
# or by the number of the next paragraph, "... (20 March 2018). 6. Preliminary analysis ..."
# (A/HRC/WG.6/34/SVN/1), which is then a piece of its own, too short to be a sentence; not at the
# full stop of an abbreviation (`ends_with_abbreviation`: "as noted in para. 12. The ...").
SENTENCE_END = re.compile(r"(?<=[.;!?])\s+(?=[A-Z“\"]|\d{1,3}\.\s+[A-Z“\"])")
# ... nor at the full stop of a person's initials that open a text, as a list's item after its
# lead-in's colon does (`page_sentences`): "M. Samir LABIDI, Ambassadeur, ..." (A/HRC/8/21
# p. 21), "H. E. Mr. LEE, Sung-joo, Ambassador, ..." (A/HRC/8/40 p. 18). Inside a text a lone
# capital's full stop still ends a sentence: "... accreditation with status A. The Government".
INITIALS = re.compile(r"(?:[A-Z]\.\s*)*[A-Z]")
# A printed line that opens with a paragraph number starts a new sentence, whatever ends the
# line before: "33. UNESCO recommended that Slovenia decriminalize defamation in the Penal Code"
# after the heading "D. Freedom of expression, right to participate in public and political
# life", which has no full stop (A/HRC/WG.6/20/SVN/2, p. 8).
PARAGRAPH_LINE = re.compile(r"\d{1,3}\.\s+[A-Z“\"]")
# ... unless the line before ends with a word that takes a number: "... thus implementing
# recommendation" / "43. The ..." (the 43 is the recommendation's, A/HRC/WG.6/34/SVN/1 p. 2).
NUMBER_BEFORE = re.compile(
    r"(?:\b(?:recommendations?|paragraphs?|paras?\.?|Nos?\.|articles?|and|or|to)|[,–-])\s*$",
    re.IGNORECASE,
)
# A lettered or roman heading is no sentence: "D. Freedom of expression, right to participate
# in public and political life" (A/HRC/WG.6/20/SVN/2, p. 8), "II. Implementation of
# recommendations from the previous" / "cycles" (A/HRC/WG.6/34/SVN/1, p. 2). No full stop ends
# it, so it ends with its own printed lines: the next HEADING_MORE lines that open in lower case
# go on with it; the next line that does not starts the text after it, "B. Cooperation with
# special procedures" / "Status during previous cycle ..." / ... / "In the period under review no
# communications were sent." (A/HRC/WG.6/20/SVN/2, p. 5). Unnumbered lines under it with no
# sentence mark, before the next numbered paragraph, are its too: "D. Political and civil rights"
# / "Recommendations 64, 73, 97, 103, 128–130, 134, 149" / "18. ..." (A/HRC/WG.6/34/SVN/1, p. 4).
HEADING_LINE = re.compile(r"(?:[A-Z]|[IVX]{2,5})\.\s+(?=[A-Z“\"])")
HEADING_MORE = 2
# ... unless the line goes on as a sentence, a word's full stop (";", "!", "?") followed by a
# capital or the line's end: "12. The Human Rights Ombudsman applied for accreditation with
# status" / "A. The Government should ensure that the institution is adequately funded."
# (review6's lines: "status A." ends the sentence). No heading line of the 245 WG reports and
# the Slovenia set holds one (2,227 of them; a contents line's leader dots end in its page).
# Such a line right after a lead-in's colon is the list's item and starts a new sentence, its
# letter a person's initial: "... and composed of 18 members:" / "M. Samir LABIDI,
# Ambassadeur, Représentant Permanent de Tunisie à Genève;" (A/HRC/8/21 p. 21), not "...
# members: M." and "Samir LABIDI, ...".
SENTENCE_IN_LINE = re.compile(r"(?<=[a-z)])[.;!?](?:\s+[A-Z“\"]|\s*$)")
# A numbered heading neither: "4. Freedom of religion or belief, expression, association and
# peaceful assembly, and right to participate in public and political life" (A/HRC/WG.6/20/SVN/3,
# p. 7), between "41. ..." and "42. ...": a numbered block with no ".", ";", "!" or "?" past its
# number, though another block follows it on the page (the page's last one may go on overleaf),
# and whose number does not run on from the block before or into the block after: a list's items
# printed without full stops, "1. Adopt a comprehensive law on ..." / "2. Ratify ...", are kept;
# so is a list's one item after its lead-in's colon: "... it was recommended that Barbados:" /
# "1. Sign and ratify the Convention against Torture ..." (A/HRC/10/73 p. 16, there a longer list).
SENTENCE_MARK = re.compile(r"[.;!?]")

# The frame of an ask, not what it is about: the openers that change its strength ("continue to
# strengthen its measures aimed at", the weak openers of `clusters.normalize`), the obligations
# and rights that frame every ask ("the promotion and protection of the human rights of"), and
# the review's own words ("recommendations accepted during the universal periodic review").
# "promoting, protecting ... the full and equal enjoyment of human rights of persons with
# disabilities" (A/HRC/WG.6/20/SVN/1 p. 12) shares only these with "the promotion and protection
# of the human rights of its minorities" (A/HRC/14/15 111.91).
_FRAME = (
    "accelerate accept action additional adopt aim already appropriate build commendable "
    "complete comprehensive concerted concrete consider continue current cycle deepen double "
    "effective effort endeavour enhance enjoyment ensure every existing expand expedite "
    "finalise first fulfil full further governmental greater guarantee human implement "
    "increase initial intensify keep legislative made maintain make measure more national "
    "necessary ongoing periodic persist place policy positive possible practical process "
    "promote protect pursue put recommendation redouble regard reinforce relevant renew "
    "respect review rights robust scale seek serious spare specific step strengthen strive "
    "strong stronger sustain take taken targeted towards undertake undertaken universal upr "
    "work"
)
FRAME_WORDS = frozenset(stem(word) for word in _FRAME.split())


@dataclass(frozen=True, slots=True)
class Match:
    """Sentence number `sentence` restates recommendation `recommendation_id` with `score`."""

    sentence: int
    recommendation_id: str
    score: float


def split_sentences(text: str) -> list[str]:
    """Sentences of at least MIN_WORDS words."""
    return [s for s in _pieces(text) if len(s.split()) >= MIN_WORDS]


def page_sentences(lines: Sequence[str]) -> list[str]:
    """Sentences of at least MIN_WORDS words in the printed body lines of one page (its notes
    left out), as paraphrase matching reads them: a line that opens with a paragraph number
    starts a new sentence; a numbered heading is left out (not a list's items: their numbers
    run on, or its one item follows a colon), and so is a lettered or roman one: its own printed
    lines (not a line that goes on as a sentence, which after a colon starts a new one), and
    the unnumbered lines under it when they hold no sentence mark (the sentences under it are
    kept)."""
    blocks: list[tuple[str, list[str]]] = []  # ("heading" | "numbered" | "text", lines)
    introduced: set[int] = set()  # the numbered blocks right after a colon
    for line in lines:
        if (heading := HEADING_LINE.match(line)) and not SENTENCE_IN_LINE.search(
            line, heading.end()
        ):
            blocks.append(("heading", [line]))
        elif heading and blocks and blocks[-1][1][-1].rstrip().endswith(":"):
            blocks.append(("text", [line]))
        elif PARAGRAPH_LINE.match(line) and not (
            blocks and NUMBER_BEFORE.search(blocks[-1][1][-1])
        ):
            if blocks and blocks[-1][1][-1].rstrip().endswith(":"):
                introduced.add(len(blocks))
            blocks.append(("numbered", [line]))
        elif blocks and blocks[-1][0] == "heading":
            if line[:1].islower() and len(blocks[-1][1]) <= HEADING_MORE:
                blocks[-1][1].append(line)
            else:
                blocks.append(("text", [line]))
        elif blocks:
            blocks[-1][1].append(line)
        else:
            blocks.append(("text", [line]))
    numbers = [_number(kind, block) for kind, block in blocks]
    sentences: list[str] = []
    for index, (kind, block) in enumerate(blocks):
        text = join_lines(block)
        last = index == len(blocks) - 1
        under = index > 0 and blocks[index - 1][0] == "heading"
        if kind == "heading" or (
            not last
            and (
                (kind == "numbered" and not _listed(numbers, index) and index not in introduced)
                or (kind == "text" and under)
            )
            and not SENTENCE_MARK.search(text, text.index(".") + 1 if kind == "numbered" else 0)
        ):
            continue
        sentences.extend(piece for piece in _pieces(text) if len(piece.split()) >= MIN_WORDS)
    return sentences


def _number(kind: str, block: Sequence[str]) -> int | None:
    """A numbered block's number."""
    return int(block[0].split(".", 1)[0]) if kind == "numbered" else None


def _listed(numbers: Sequence[int | None], index: int) -> bool:
    """Whether numbered block `index` is a list's item: its number runs on from the block
    before or into the block after ("1. Adopt ..." / "2. Ratify ...")."""
    number = numbers[index]
    return number is not None and (
        (index > 0 and numbers[index - 1] == number - 1)
        or (index + 1 < len(numbers) and numbers[index + 1] == number + 1)
    )


def _pieces(text: str) -> list[str]:
    """`text` cut at every sentence end, the short pieces too."""
    pieces: list[str] = []
    start = 0
    for end in SENTENCE_END.finditer(text):
        stop = end.start() - 1  # the ".", ";", "!" or "?"
        if text[stop] == "." and (
            ends_with_abbreviation(text[start:stop])
            or (start == 0 and INITIALS.fullmatch(text[:stop]))
        ):
            continue
        pieces.append(text[start : end.start()])
        start = end.end()
    pieces.append(text[start:])
    return [piece.strip() for piece in pieces]


def terms(text: str) -> list[str]:
    """The normalised words of `text` that matching reads (longer than two letters)."""
    return [word for word in normalize(text).split() if len(word) > 2]


@dataclass(frozen=True, slots=True)
class Asks:
    """The recommendations as matching reads them: each one's terms, the terms' idf, and for
    each term the recommendations that use it with its weight in their unit vectors."""

    terms: dict[str, list[str]]
    idf: dict[str, float]
    postings: dict[str, list[tuple[str, float]]]


def index_asks(
    recommendations: Mapping[str, str], read: Callable[[str], list[str]] = terms
) -> Asks:
    """The inverted index of `recommendations` (id -> text), with smoothed idf; `read` gives a
    text's terms (bench/paraphrase_rules.py tries others)."""
    words = {rec_id: read(text) for rec_id, text in recommendations.items()}
    df = Counter(term for found in words.values() for term in set(found))
    idf = {term: math.log((len(words) + 1) / (n + 1)) + 1 for term, n in df.items()}
    postings: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for rec_id, found in words.items():
        for term, weight in vector(found, idf).items():
            postings[term].append((rec_id, weight))
    return Asks(words, idf, dict(postings))


def vector(
    words: Iterable[str], idf: Mapping[str, float], other: float | None = None
) -> dict[str, float]:
    """Sublinear-tf, idf-weighted unit vector of `words`: a word that `idf` does not weigh
    weighs `other`, or with no `other` is left out of it (and so of its length)."""
    weights = {
        word: (1 + math.log(n)) * weight
        for word, n in Counter(words).items()
        if (weight := idf.get(word, other)) is not None
    }
    norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
    return {word: w / norm for word, w in weights.items()}


def ask_scores(sentence: Mapping[str, float], asks: Asks) -> dict[str, float]:
    """The cosine of a sentence's unit vector with each recommendation it shares a term with."""
    scores: dict[str, float] = defaultdict(float)
    for term, weight in sentence.items():
        for rec_id, rec_weight in asks.postings.get(term, ()):
            scores[rec_id] += weight * rec_weight
    return scores


def best_match(index: int, scores: Mapping[str, float], threshold: float) -> Match | None:
    """Sentence `index`'s best-scoring recommendation, when it scores `threshold` or more."""
    if not scores:
        return None
    rec_id, score = max(scores.items(), key=lambda item: (item[1], item[0]))
    return Match(index, rec_id, round(score, 3)) if score >= threshold else None


def match_sentences(
    sentences: Sequence[str], recommendations: Mapping[str, str], threshold: float
) -> list[Match]:
    """The best-matching recommendation of each sentence, when it scores `threshold` or more:
    the sentence's words that no recommendation uses count in its length at the
    recommendations' median idf, and a recommendation is scored only when the sentence shares a
    word outside FRAME_WORDS with it."""
    asks = index_asks(recommendations)
    if not sentences or not asks.idf:
        return []
    typical = median(asks.idf.values())
    matches = []
    for index, sentence in enumerate(sentences):
        words = terms(sentence)
        scores = ask_scores(vector(words, asks.idf, typical), asks)
        about = set(words) - FRAME_WORDS
        chosen = {r: s for r, s in scores.items() if about.intersection(asks.terms[r])}
        if match := best_match(index, chosen, threshold):
            matches.append(match)
    return matches
