"""Which parts of a compound member a cluster is about, so that "who asked for X" names the
States of those parts, not every State of the item.

Japan 2008's 60.1 (A/HRC/8/44) bundles nine asks, each with its States; in a cluster of asks to
ratify the Optional Protocol to the Convention against Torture it is there for its part "the
Optional Protocol to the Convention against Torture (United Kingdom, Albania, Mexico, Brazil)",
not for Canada's Hague Convention.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from uprdex.pipeline.clusters.normalize import normalize
from uprdex.pipeline.model import AskPart

__all__ = ["parts_about"]


def parts_about(parts: Sequence[AskPart], others: Sequence[str]) -> tuple[AskPart, ...]:
    """The parts that hold the cluster's words: the words (as the clustering reads them,
    `normalize`: stems, a treaty's names as one key) that at least half of the other members
    hold; when no part holds one, the parts sharing the most words with the other members.

    Empty when the item has no parts, the cluster no other member, no part shares a word, or
    every part is about the cluster (then the item's States are the answer)."""
    if not parts or not others:
        return ()
    held: Counter[str] = Counter()
    for text in others:
        held.update(set(normalize(text).split()))
    core = {word for word, count in held.items() if 2 * count >= len(others)}
    words = [set(normalize(part.text).split()) for part in parts]
    about = [part for part, own in zip(parts, words, strict=True) if own & core]
    if not about:
        scores = [sum(held[word] for word in own) for own in words]
        about = [p for p, score in zip(parts, scores, strict=True) if score == max(scores) > 0]
    return () if len(about) == len(parts) else tuple(about)
