"""Candidate rules against a sentence that shares only an ask's frame, measured by
bench/bench_paraphrase.py and used by no stage (ingest scores with `match_sentences` alone).

The frame-only echo they aim at: "promoting, protecting ... the full and equal enjoyment of human
rights of persons with disabilities" (A/HRC/WG.6/20/SVN/1 p. 12) against "the promotion and
protection of the human rights of its minorities" (A/HRC/14/15 111.91). Its words that no ask
uses may count in its length (`other_words`), and the sentence may have to share a word outside
FRAME_WORDS with the ask (`object_word`). Held out, neither was at least as precise as the score
without them (bench_paraphrase's docstring gives the figures).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from statistics import median
from typing import Literal

from uprdex.pipeline.clusters.normalize import stem
from uprdex.pipeline.paraphrase import (
    Match,
    ask_scores,
    best_match,
    index_asks,
    match_sentences,
    terms,
    vector,
)

# The frame of an ask, not what it is about: the openers that change its strength ("continue to
# strengthen its measures aimed at", the weak openers of `clusters.normalize`), the obligations
# and rights that frame every ask ("the promotion and protection of the human rights of"), and
# the review's own words ("recommendations accepted during the universal periodic review").
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
OtherWords = Literal["unseen", "typical"]


def match_with(
    sentences: Sequence[str],
    recommendations: Mapping[str, str],
    threshold: float,
    *,
    other_words: OtherWords | None = None,
    object_word: bool = False,
) -> list[Match]:
    """`match_sentences` with candidate rules: `other_words` counts a sentence's words that no
    recommendation uses in its length, each weighing as a word seen nowhere ("unseen", the
    smoothed idf of df 0, review18's fab75aa) or as a typical word of the recommendations
    ("typical", their words' median idf); `object_word` scores a recommendation only when the
    sentence shares a word outside FRAME_WORDS with it. With neither: `match_sentences`."""
    if other_words is None and not object_word:
        return match_sentences(sentences, recommendations, threshold)
    if not sentences or not recommendations:
        return []
    asks = index_asks(recommendations)
    other = {
        None: None,
        "unseen": math.log(len(asks.terms) + 1) + 1,
        "typical": median(asks.idf.values()),
    }[other_words]
    matches = []
    for index, sentence in enumerate(sentences):
        words = terms(sentence)
        idf = asks.idf if other is None else {**dict.fromkeys(words, other), **asks.idf}
        scores = ask_scores(vector(words, idf), asks)
        if object_word:
            about = set(words) - FRAME_WORDS
            scores = {r: s for r, s in scores.items() if about.intersection(asks.terms[r])}
        if match := best_match(index, scores, threshold):
            matches.append(match)
    return matches
