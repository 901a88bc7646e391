"""Asks that name the earlier asks they come back to: "Speed up the effective implementation of
the six universal periodic review recommendations made by the Czech Republic and accepted by
Kazakhstan in 2010" (A/HRC/28/10 124.2, Czech Republic) repeats the Czech Republic's six asks of
Kazakhstan's 2010 review, though its words resemble none of them.

The rule reads the words, no score: an ask that names a State's recommendations ("made by the
Czech Republic", "South Africa's previous recommendation", "Germany wished to repeat its
recommendation") and the earlier review they were made at ("in 2010", the "previous" or "last"
review, the "first" cycle) repeats that State's asks of that review of the same State under
review, each scored as the clusters score a pair. It links only when the State and the review
are both unambiguous (one State named, one earlier review indexed that fits), and a
recommendation in the singular only when that State made one ask there (which of several is
meant, the words do not say). Of the 33,074 asks of UPR Info's sessions 1-20, three are read
so, each also in the 245 WG reports of 2008-2014: A/HRC/28/10 124.2 (Kazakhstan 2014: the
Czech Republic's six asks of 2010), A/HRC/27/3 131.16 (Norway 2014: South Africa's one of
2009) and A/HRC/23/7 117.2 (Botswana 2013: Germany's one of 2008).

Example:
    found = named_links(items)   # [("A/HRC/28/10#124.2", "A/HRC/14/10#95.28"), ...]
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from uprdex.pipeline.clusters.normalize import strip_states
from uprdex.pipeline.clusters.records import ClusterItem, Recurrence
from uprdex.pipeline.clusters.recurrence_links import review_order
from uprdex.pipeline.states import State, load_states
from uprdex.pipeline.symbols import year_of_session

__all__ = ["named_links", "with_named"]

_MADE_BY = (
    r"\b(?P<many>recommendations|recommendation)\b[^.;()]{{0,60}}?"
    r"\b(?:made|put forward|formulated|given|extended)\s+by\s+(?:the\s+)?(?P<state>{states})\b"
    r"(?P<more>(?:\s*,|\s+and)\s+(?:the\s+)?(?:{states})\b)?"
)
"""A State's recommendations by what they were: "the six universal periodic review
recommendations made by the Czech Republic and accepted by Kazakhstan in 2010" (A/HRC/28/10
124.2)."""

_STATES_OWN = (
    r"(?P<state>{states})(?:’s|'s)\s+(?:(?:previous|earlier|last|first)\s+)?"
    r"(?P<many>recommendations|recommendation)\b"
)
"""A State's recommendations by its name: "in line with South Africa's previous recommendation"
(A/HRC/27/3 131.16)."""

_REITERATED = (
    r"(?P<state>{states})\s+(?:\w+\s+){{0,3}}?(?:repeat|reiterat)\w*\s+its\s+"
    r"(?:(?:own|previous|earlier)\s+)?(?P<many>recommendations|recommendation)\b"
)
"""A State asking again what it asked: "Germany wished to repeat its recommendation from the
first cycle of the UPR" (A/HRC/23/7 117.2). Without a name ("Reiterate its recommendation made
during the UPR in 2009 calling for decriminalization of homosexuality", A/HRC/24/15 131.37,
Netherlands) it is not read: the Netherlands' one ask of 2009 that A/HRC/11/21 records is
another (reform the press law)."""

_HINT = re.compile(
    r"\b(?:made|put forward|formulated|given|extended)\s+by\b|['’]s\s+(?:\w+\s+)?recommendation"
    r"|\b(?:repeat|reiterat)\w*\s+its\b",
    re.IGNORECASE,
)
"""What each of the three says besides the State (cheap to look for first, on every ask)."""

_YEAR = re.compile(r"\b(?:in|of|during|since)\s+(?P<year>(?:19|20)\d\d)\b")
"""The review by its year: "accepted by Kazakhstan in 2010"."""

_PREVIOUS = re.compile(r"\b(?:previous|last|preceding)\b", re.IGNORECASE)
"""The review before this one: "South Africa's previous recommendation"."""

_FIRST = re.compile(
    r"\bfirst\s+(?:cycle|review|round|UPR|universal periodic review)\b", re.IGNORECASE
)
"""The review of cycle 1: "the recommendations made by Germany during the first cycle"."""


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], ...]:
    """`_MADE_BY`, `_STATES_OWN` and `_REITERATED` with every spelling of a State the table
    knows (longest first; any case)."""
    names = [
        key
        for key, state in load_states().spellings().items()
        if state.iso3 is not None and len(key) > 3
    ]
    states = "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))
    return tuple(
        re.compile(p.format(states=states), re.IGNORECASE)
        for p in (_MADE_BY, _STATES_OWN, _REITERATED)
    )


def _named(text: str) -> tuple[State, bool] | None:
    """The one State whose recommendations the text names, and whether in the plural."""
    found: dict[str, tuple[State, bool]] = {}
    for pattern in _patterns():
        for match in pattern.finditer(text):
            if match.groupdict().get("more"):
                return None  # "made by Germany and Italy": whose asks, the words leave open
            state = load_states().resolve(match.group("state"))
            if state is not None and state.iso3 is not None:
                many = match.group("many").lower() == "recommendations"
                found[state.iso3] = (state, many or found.get(state.iso3, (state, False))[1])
    return next(iter(found.values())) if len(found) == 1 else None


def _earlier_review(
    text: str, later: tuple[int, int], reviews: Mapping[tuple[int, int], list[ClusterItem]]
) -> tuple[int, int] | None:
    """The one earlier review (of `reviews`, the State's) that the text names, else None."""
    earlier = sorted(key for key in reviews if key[0] == later[0] and key < later)
    chosen: set[tuple[int, int]] = set()
    for match in _YEAR.finditer(text):
        year = int(match.group("year"))
        chosen |= {
            key for key in earlier if any(year_of_session(i.session) == year for i in reviews[key])
        }
    if _PREVIOUS.search(text) and earlier:
        chosen.add(earlier[-1])
    if _FIRST.search(text):
        chosen |= {key for key in earlier if any(i.cycle == 1 for i in reviews[key])}
    return chosen.pop() if len(chosen) == 1 else None


def named_links(items: Sequence[ClusterItem]) -> list[tuple[str, str]]:
    """(later id, earlier id) of each ask that names a State's recommendations of an earlier
    review and each of that State's asks there (see the module), by later then earlier id."""
    table = load_states()
    reviews: dict[str, dict[tuple[int, int], list[ClusterItem]]] = defaultdict(dict)
    for item in items:
        key = review_order(item)
        if key is not None:
            reviews[item.state_under_review].setdefault(key, []).append(item)
    found: set[tuple[str, str]] = set()
    for item in items:
        later = review_order(item)
        text = strip_states(item.text)
        hinted = "recommendation" in text and _HINT.search(text)
        named = _named(text) if later is not None and hinted else None
        if named is None or later is None:
            continue
        state, many = named
        own = reviews[item.state_under_review]
        earlier = _earlier_review(text, later, own)
        if earlier is None:
            continue
        made = [
            ask
            for ask in own[earlier]
            if any(
                (by := table.resolve(name)) is not None and by.iso3 == state.iso3
                for name in ask.recommending_states
            )
        ]
        if many or len(made) == 1:
            found |= {(item.id, ask.id) for ask in made}
    return sorted(found)


def with_named(
    found: Sequence[Recurrence],
    items: Sequence[ClusterItem],
    node_of: Mapping[str, int],
    score: Callable[[npt.NDArray[np.int64]], npt.NDArray[np.float32]],
) -> tuple[Recurrence, ...]:
    """`found` and the `named_links` of `items`, these scored by `score` on their nodes
    (`node_of`: item id -> node); a link already found keeps its score."""
    links = {(link.later_id, link.earlier_id): link for link in found}
    wanted = [pair for pair in named_links(items) if pair not in links]
    if wanted:
        nodes = np.array([[node_of[a], node_of[b]] for a, b in wanted], dtype=np.int64)
        for (later, earlier), s in zip(wanted, score(nodes).tolist(), strict=True):
            links[(later, earlier)] = Recurrence(later, earlier, round(float(s), 1))
    return tuple(links[key] for key in sorted(links))
