"""Duplicate-recommendation clusters: the same ask from several States, or again next cycle.

Recommendations are normalized (case, punctuation, the closing State list, weak openers such as
"Continue efforts to", treaty names and abbreviations to one key) and scored pairwise by a mix of
words and meaning: the rapidfuzz scorer on the normalized texts, and the cosine of their vectors
from the similarity model trained on the UPR Info texts (`pipeline.semantic`), which pairs asks
written in other words ("combat racism and hate speech" / "measures against discrimination,
hate speech and racism"). An ask that only ratifies a treaty and one that opens by ratifying it
score 100; two that open by ratifying the same treaty score at least the floor (neither keeps
the other out of that treaty's cluster); asks that name different treaties score 0. The kind of
action each ask names (investigate and punish; a strategy, plan or programme; a law; training;
awareness-raising; help for victims; access to services ...) moves a pair's score up when both
name the same kinds and down when they name different ones: "Take effective measures to
prevent, investigate and punish racist hate speech" and "Strengthen the response of its
criminal justice system in cases of racist hate speech" are one commitment, "Intensify efforts
to combat hate speech" another. Within
one State under review every pair is scored; across all States only pairs that share rare words
or word pairs (blocking, never all pairs). Recommendations are grouped by average linkage
under a no-chaining rule: two recommendations that score below `floor` never share a cluster,
whatever lies between them. Nor do two of one review made by the same State: a State does not
ask the same thing twice in one review, so its two asks on one subject are two commitments
("engage women, children and persons with disabilities" in the migration strategy and in
climate policy, both Fiji's in Slovenia's 2019 review).
Cluster ids are derived from member ids and kept across runs.

Example:
    items = [ClusterItem("A/HRC/43/15#122.5", "Consider ratifying the 1961 Convention on the "
                         "Reduction of Statelessness (Uruguay);", "Slovenia", cycle=3, session=34),
             ...]
    result = cluster(items, ClusterSettings(scope="state"))
    result.assignment["A/HRC/43/15#122.5"]     # "c-" + 12 hex digits, the same on every run
    later = cluster(items + new_items, existing=result.assignment)   # old ids kept
"""

from __future__ import annotations

import csv
import hashlib
import heapq
import itertools
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import numpy.typing as npt
import snowballstemmer
from rapidfuzz import fuzz, process

from uprdex.pipeline.resources import data_path
from uprdex.pipeline.semantic import SemanticModel
from uprdex.pipeline.settings import SCORER_NAMES, ClusterSettings, Scope
from uprdex.pipeline.states import load_states

__all__ = [
    "ACTION_KINDS",
    "SCORERS",
    "Cluster",
    "ClusterItem",
    "ClusterResult",
    "ClusterSettings",
    "Scope",
    "TreatyTable",
    "action_kinds",
    "cluster",
    "load_treaties",
    "normalize",
    "similarity",
    "strip_states",
]


Scorer = Callable[..., float]
SCORERS: Mapping[str, Scorer] = {name: getattr(fuzz, name) for name in SCORER_NAMES}
"""rapidfuzz scorers a `ClusterSettings.scorer` may name (all return 0-100)."""

TREATIES_CSV = data_path("treaties.csv")
"""The shipped treaty table: key, official name, `|`-separated aliases."""


@dataclass(frozen=True, slots=True)
class ClusterItem:
    """One recommendation to cluster: id like "A/HRC/43/15#121.1", its text and where from.

    recommending_states: who made it. Two items of one review (same State under review and
    session) that share a recommending State never share a cluster.
    """

    id: str
    text: str
    state_under_review: str
    cycle: int | None = None
    session: int | None = None
    recommending_states: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Cluster:
    """One duplicate cluster (possibly a single recommendation).

    canonical_id / canonical_text: the most central member (highest total similarity to the
    others), its text without the closing State list.
    recurring: one State under review has members from more than one cycle: the ask came back.
    """

    id: str
    member_ids: tuple[str, ...]
    canonical_id: str
    canonical_text: str
    cycles: tuple[int, ...]
    recurring: bool

    @property
    def size(self) -> int:
        """Number of member recommendations."""
        return len(self.member_ids)


@dataclass(frozen=True, slots=True)
class ClusterResult:
    """Clusters of one run, the item id -> cluster id map, and how much work blocking saved."""

    clusters: tuple[Cluster, ...]
    assignment: Mapping[str, str]
    settings: ClusterSettings
    compared_pairs: int = 0
    possible_pairs: int = 0
    by_id: Mapping[str, Cluster] = field(default_factory=dict)

    def multi(self) -> tuple[Cluster, ...]:
        """Clusters with two or more members."""
        return tuple(c for c in self.clusters if c.size > 1)


# ---------------------------------------------------------------------------------------------
# Normalization

# "... in due time (France) (Lithuania);", "(Venezuela (Bolivarian Republic of));",
# "... Disappearance (Ukraine); Increase efforts towards ...": State lists close each ask.
_STATE_GROUPS = re.compile(r"((?:\s*\((?:[^()]|\([^()]*\))*\))+)\s*(?=[;.]|$)")
_GROUP = re.compile(r"\((?:[^()]|\([^()]*\))*\)")

# Openers that change the strength, not the ask: "Continue its efforts to", "Consider
# ratifying", "Redouble efforts in", "Take appropriate measures to", "Further strengthen".
_WEAK_VERB = (
    r"(?:continue[sd]?|consider(?:ing)?|further|redouble|intensify|intensifying|strengthen|"
    r"strengthening|step up|increase|increasing|enhance|enhancing|deepen|sustain|pursue|"
    r"pursuing|make|making|take|taking|undertake|undertaking|accelerate|renew|reinforce|"
    r"maintain|persist(?: in)?|keep|scale up|expand|double|spare no|put in place|adopt|"
    r"adopting|implement|implementing|build on|work towards|endeavour|strive|seek|complete|"
    r"expedite|finali[sz]e)"
)
_FILLER = (
    r"(?:its|their|the|all|further|additional|more|appropriate|effective|necessary|concrete|"
    r"concerted|ongoing|existing|current|commendable|already|positive|serious|relevant|"
    r"possible|every|possibility|of|up|and|made|undertaken|taken|being|governmental|national|"
    r"legislative|policy|practical|specific|strong|stronger|greater|sustained|robust|"
    r"comprehensive|targeted|initial|first|in|this|regard|process|steps?|efforts?|measures|"
    r"actions?|work|working|to|towards?|aimed|at|for|on|with)"
)
_WEAK_OPENER = re.compile(
    rf"^(?:{_WEAK_VERB} (?:{_FILLER} )*?(?:efforts?|measures|steps|actions?|work(?:ing)?|"
    r"possibility|process) (?:(?:aimed )?at|to|in|towards?|for|on|with|of) |"
    r"(?:continue|consider|further|proceed)(?: (?:to|the possibility of|with))? )"
)
_RATIFY = re.compile(
    r"\b(?:sign and ratify|signing and ratifying|ratification of|ratifying|ratified|"
    r"accession to|accede to|acceding to|become (?:a )?party to|becoming (?:a )?party to|"
    r"adhere to|adherence to)\b"
)
_NON_WORD = re.compile(r"[\W_]+")

# Words that carry no part of the ask; dropping them lets the scorers compare content.
_STOPWORDS = frozenset(
    {
        "a",
        "an",
        "and",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "in",
        "into",
        "its",
        "it",
        "of",
        "on",
        "or",
        "the",
        "their",
        "this",
        "that",
        "to",
        "with",
        "all",
        "any",
        "other",
        "such",
        "which",
        "including",
        "particular",
        "particularly",
        "especially",
    }
)
# English Snowball stems: "investigate", "investigated" and "investigation" are one word, as are
# "punish"/"punishment" and "prosecute"/"prosecution". Not for display: normalized text is a
# matching key. snowballstemmer runs PyStemmer's C code when it is installed (a dependency).
_SNOWBALL = snowballstemmer.stemmer("english")


# Words a treaty's name may have or lack: "Convention on Protection of All Persons from Enforced
# Disappearance" (as Iraq wrote it, A/HRC/28/15 115.14) is the Convention for the Protection ...
_GLUE = frozenset({"a", "an", "for", "of", "on", "the", "to"})

# What an ask asks the State to do, read from its stems. Those who track implementation count
# asks on one subject as different commitments when they name different actions: "investigate,
# prosecute and punish" hate speech, a comprehensive strategy against it, raising awareness of
# it, and generic efforts against it (the Slovenia 2019 gold keeps these four apart).
ACTION_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern))
    for name, pattern in (
        ("justice", r"\b(?:investig|prosecut|punish|sanction|perpetr|penalti|justic|impun)"),
        ("awareness", r"\b(?:awar|campaign|sensitis|sensitiz)"),
        ("training", r"\b(?:train|capac build)"),
        ("plan", r"\b(?:strategi|action plan|plan action|nation plan|programm|polici)"),
        ("law", r"\b(?:legisl|law\b(?! enforc)|crimin code|amend|enact|bill\b|legal framework)"),
        (
            "victims",
            r"\b(?:victim|(?<!technic )assist|support servic|shelter|rehabilit|redress|"
            r"remedi|compens)",
        ),
        ("ratify", r"\bratifi\b"),
        ("resources", r"\b(?:resourc|fund\b|budget|financi)"),
        ("data", r"\b(?:data|statist)\b"),
        ("access", r"\b(?:access|avail)"),
    )
)


@dataclass(frozen=True, slots=True)
class TreatyTable:
    """Treaty names and abbreviations, each mapped to one key ("iccpr", "opcat", "ced")."""

    aliases: Mapping[tuple[str, ...], str]
    """Alias as words without glue words ("optional", "protocol", "cat") -> key ("opcat")."""
    keys: frozenset[str]
    by_first: Mapping[str, tuple[tuple[str, ...], ...]]
    """First word -> aliases starting with it, longest first (the longest match wins)."""
    glued: Mapping[tuple[str, ...], frozenset[int]] = field(default_factory=dict)
    """Alias -> positions of its words that glue words may precede ("protocol to the cat": 2)."""

    def replace(self, text: str) -> str:
        """Text (already lower-cased, punctuation-free) with every treaty alias as its key.

        Where a name has glue words ("the", "for", "on", ...), any glue words, or none, may
        stand: "convention on protection of all persons from enforced disappearance" is "ced".
        Where it has none, none may: "... of women, the convention against torture" keeps CAT.
        """
        words = text.split()
        # Up to three passes: "optional protocol to the international covenant on economic ..."
        # becomes "optional protocol to the icescr", then "opicescr".
        for _ in range(3):
            out: list[str] = []
            changed = False
            at = 0
            while at < len(words):
                for alias in self.by_first.get(words[at], ()):
                    end = _match(words, at, alias, self.glued.get(alias, frozenset()))
                    if end:
                        key = self.aliases[alias]
                        changed = changed or alias != (key,)
                        out.append(key)
                        at = end
                        break
                else:
                    out.append(words[at])
                    at += 1
            words = out
            if not changed:
                break
        return " ".join(words)


def _match(words: Sequence[str], at: int, alias: tuple[str, ...], glued: frozenset[int]) -> int:
    """Where `alias` ends when it starts at words[at], else 0. Glue words may come before the
    alias words at the positions in `glued`."""
    matched = 0
    while matched < len(alias) and at < len(words):
        if words[at] == alias[matched]:
            matched += 1
        elif words[at] not in _GLUE or matched not in glued:
            return 0
        at += 1
    return at if matched == len(alias) else 0


def _words(text: str) -> str:
    """Lower case, accents folded, every run of punctuation and space as one space."""
    text = unicodedata.normalize("NFKC", text).lower().replace("’", "'")
    text = text.replace("'s ", " ")
    return _NON_WORD.sub(" ", text).strip()


def load_treaties(path: Path | None = None) -> TreatyTable:
    """The treaty table at `path` (default: the shipped data/treaties.csv)."""
    return _load_treaties(path or TREATIES_CSV)


@lru_cache(maxsize=8)
def _load_treaties(path: Path) -> TreatyTable:
    aliases: dict[tuple[str, ...], str] = {}
    glued: dict[tuple[str, ...], set[int]] = defaultdict(set)
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            key = _words(row["key"]).replace(" ", "")
            aliases[(key,)] = key
            for name in [row["name"], *row["aliases"].split("|")]:
                content: list[str] = []
                gaps: set[int] = set()
                for word in _words(name).split():
                    if word not in _GLUE:
                        content.append(word)
                    elif content:
                        gaps.add(len(content))
                if content:
                    aliases[tuple(content)] = key
                    glued[tuple(content)] |= gaps
    by_first: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    for alias in sorted(aliases, key=lambda alias: (-len(alias), alias)):
        by_first[alias[0]].append(alias)
    return TreatyTable(
        aliases=aliases,
        keys=frozenset(aliases.values()),
        by_first={first: tuple(group) for first, group in by_first.items()},
        glued={alias: frozenset(gaps) for alias, gaps in glued.items()},
    )


def _is_state_list(group: str) -> bool:
    # "(France)", "(Venezuela (Bolivarian Republic of))" yes; "(No. 189)", "(CEDAW)" no.
    inner = group[1:-1]
    return any(ch.islower() for ch in inner) and not any(ch.isdigit() for ch in inner)


def strip_states(text: str) -> str:
    """The text without the State lists that close each ask, and without a final ';' or '.'."""

    def drop(match: re.Match[str]) -> str:
        # Only the closing run of State lists goes: "(No. 29) (United Kingdom ...)" keeps (No. 29).
        run = match.group(1)
        groups = _GROUP.findall(run)
        while groups and _is_state_list(groups[-1]):
            groups.pop()
        # What stays keeps the space printed before it: "1930 (No. 29)", not "1930(No. 29)".
        return run[: len(run) - len(run.lstrip())] + " ".join(groups) if groups else ""

    return _STATE_GROUPS.sub(drop, text).strip().rstrip(";.").strip()


# Late cycle-1 reports give each State's verb for one object: "Sign (Iraq)/sign and ratify
# (Spain)/accede to (Czech Republic) the Optional Protocol to the Convention against Torture"
# (A/HRC/15/16). The last verb, with the object, is the ask.
_SLASHED = re.compile(r"^.*\((?:[^()]|\([^()]*\))*\)\s*/\s*")
_DEPTH0_COMMA = re.compile(r",\s*(?![^()]*\))")
_RATIFYING = re.compile(r"\b(?:ratif|accede|accession|sign\b|party\b)", re.IGNORECASE)


def _last_alternative(clause: str) -> str:
    """The last State's verb and the object. A ratification asked before ("Consider ratifying
    (Mauritius)/ratify (Argentina) as soon as possible (France)/in the near future (United
    Kingdom) the OP-CAT", A/HRC/13/10) stays the ask: "ratify in the near future the OP-CAT"."""
    match = _SLASHED.match(clause) if "/" in clause else None
    if match is None:
        return clause
    rest = clause[match.end() :]
    if _RATIFYING.search(match.group(0)) and not _RATIFYING.search(rest):
        return "ratify " + rest
    return rest


def _drop_inline_states(clause: str) -> str:
    """The clause without State lists inside it: "ratify the CRPD (Brazil, Algeria) and the
    Optional Protocol thereto" loses "(Brazil, Algeria)"; "(No. 189)" and "(CEDAW)" stay."""

    def drop(match: re.Match[str]) -> str:
        group = match.group(0)
        if not _is_state_list(group):
            return group
        states = load_states()
        names = _DEPTH0_COMMA.split(group[1:-1])
        return " " if all(states.resolve(name.strip()) for name in names) else group

    return _GROUP.sub(drop, clause)


def _strip_openers(clause: str) -> str:
    while True:
        stripped = _WEAK_OPENER.sub("", clause, count=1)
        if stripped == clause or not stripped:
            return clause
        clause = stripped


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    return str(_SNOWBALL.stemWord(word))


def normalize(text: str, treaties: TreatyTable | None = None) -> str:
    """The ask as a matching key: lower-cased word stems, treaty keys, no State list or opener.

    >>> normalize("Consider ratifying the Optional Protocol to the Convention against Torture "
    ...           "(Ghana, Philippines);")
    'ratifi opcat'
    """
    table = treaties or load_treaties()
    clauses: list[str] = []
    for clause in strip_states(text).split(";"):
        clause = _drop_inline_states(_last_alternative(clause))
        words = _strip_openers(table.replace(_RATIFY.sub("ratify", _words(clause))))
        kept = [
            word if word in table.keys else _stem(word)
            for word in words.split()
            if word not in _STOPWORDS
        ]
        # "... Members of Their Families (ICRMW)" names the treaty twice in a row.
        stems = " ".join(w for at, w in enumerate(kept) if at == 0 or kept[at - 1] != w)
        # OHCHR merges identical asks into one paragraph: "Ratify the CED (Ukraine); Ratify ..."
        if stems and stems not in clauses:
            clauses.append(stems)
    return " ".join(clauses)


def action_kinds(normalized: str) -> tuple[str, ...]:
    """The kinds of action a normalized ask names (`ACTION_KINDS`), in table order.

    >>> action_kinds(normalize("Investigate and punish racist hate speech (Chile);"))
    ('justice',)
    """
    return tuple(name for name, pattern in ACTION_KINDS if pattern.search(normalized))


def _action_mask(normalized: str) -> int:
    return sum(
        1 << bit for bit, (_, pattern) in enumerate(ACTION_KINDS) if pattern.search(normalized)
    )


# ---------------------------------------------------------------------------------------------
# Blocking


def _block_keys(text: str) -> set[str]:
    """Words and adjacent word pairs of a normalized text."""
    tokens = text.split()
    keys = set(tokens)
    keys.update(f"{a} {b}" for a, b in itertools.pairwise(tokens))
    return keys


def _candidate_pairs(
    texts: Sequence[str], blocks: Sequence[object], max_df: int
) -> npt.NDArray[np.int64]:
    """Node pairs (i < j, same block, sorted) that share two rare keys: the only pairs scored.

    A key (word or word pair) shared by more than `max_df` nodes of a block says little about
    duplication ("ensure", "human rights") and proposes no pairs, so every node has at most
    (its keys x max_df) candidates and the cost grows linearly with the number of nodes. A node
    whose keys are all that common is still paired through its `_FALLBACK_KEYS` rarest keys.
    """
    postings: dict[tuple[object, str], list[int]] = defaultdict(list)
    node_keys = [_block_keys(t) for t in texts]
    for node, (block, keys) in enumerate(zip(blocks, node_keys, strict=True)):
        for key in keys:
            postings[(block, key)].append(node)
    size = len(texts)
    chunks = [_pairs_within(nodes, size) for nodes in postings.values() if 1 < len(nodes) <= max_df]
    for node, (block, keys) in enumerate(zip(blocks, node_keys, strict=True)):
        counted = sorted((len(postings[(block, k)]), k) for k in keys)
        if counted and counted[0][0] > max_df:
            for _, key in counted[:_FALLBACK_KEYS]:
                others = np.array(postings[(block, key)], dtype=np.int64)
                others = others[others != node]
                codes = np.minimum(others, node) * size + np.maximum(others, node)
                chunks.append(np.repeat(codes, _MIN_SHARED))
    if not chunks:
        return np.empty((0, 2), dtype=np.int64)
    codes, shared = np.unique(np.concatenate(chunks), return_counts=True)
    # One shared word pair or rare word alone is chance ("Roma" in a text on education and one
    # on housing); two are worth a comparison. Texts of one word share at most one key.
    lengths = np.array([len(keys) for keys in node_keys], dtype=np.int64)
    left, right = codes // size, codes % size
    keep = (shared >= _MIN_SHARED) | (np.minimum(lengths[left], lengths[right]) < _MIN_SHARED)
    return np.stack([left[keep], right[keep]], axis=1)


def _pairs_within(nodes: list[int], size: int) -> npt.NDArray[np.int64]:
    """All pairs (i < j) of one posting list as codes i * size + j (nodes are increasing)."""
    array = np.array(nodes, dtype=np.int64)
    left, right = np.triu_indices(len(array), k=1)
    return array[left] * size + array[right]


_FALLBACK_KEYS = 2
_MIN_SHARED = 2


# ---------------------------------------------------------------------------------------------
# Clustering


def _scope_key(item: ClusterItem, scope: Scope) -> object:
    if scope == "review":
        return (item.state_under_review, item.session)
    if scope == "state":
        return item.state_under_review
    return None


def _cluster_id(member_ids: Iterable[str]) -> str:
    first = min(member_ids)
    return "c-" + hashlib.sha1(first.encode("utf-8")).hexdigest()[:12]


_COMPLETE_LIMIT = 2_000
"""Most pairs scored at once to complete one link (blocking's large scopes)."""


class _Linkage:
    """Average linkage over a sparse graph whose edges are the pairs scoring >= floor.

    Every cluster pair kept in `links` is complete (all cross pairs are edges), so a merge never
    puts two items that score below the floor together: no chaining. Where blocking left pairs
    uncompared (`complete` given), a merge scores the pairs a promising link lacks (its average
    so far reaches the threshold) instead of dropping it: "Ratify the CED" reaches the CED
    cluster even though blocking compared it with only some members.
    """

    def __init__(
        self,
        size: int,
        threshold: float,
        complete: Callable[[npt.NDArray[np.int64]], npt.NDArray[np.float32]] | None = None,
    ) -> None:
        self.members: dict[int, list[int]] = {i: [i] for i in range(size)}
        self.seed: dict[int, str | None] = dict.fromkeys(range(size))
        self.links: dict[int, dict[int, tuple[float, int]]] = {i: {} for i in range(size)}
        self.threshold = threshold
        self.complete = complete

    def add_edge(self, a: int, b: int, score: float) -> None:
        self.links[a][b] = (score, 1)
        self.links[b][a] = (score, 1)

    def merge(self, a: int, b: int) -> int:
        """Merge clusters a and b into the one with the smaller id; keep complete links only."""
        keep, gone = min(a, b), max(a, b)
        sides = {keep: list(self.members[keep]), gone: self.members[gone]}
        self.members[keep].extend(self.members.pop(gone))
        self.seed[keep] = self.seed[keep] or self.seed[gone]
        del self.seed[gone]
        left, right = self.links.pop(keep), self.links.pop(gone)
        merged: dict[int, tuple[float, int]] = {}
        lacking: list[tuple[int, list[int], tuple[float, int]]] = []
        for other in left.keys() | right.keys():
            if other in (keep, gone):
                continue
            self.links[other].pop(keep, None)
            self.links[other].pop(gone, None)
            if other in left and other in right:
                (s1, c1), (s2, c2) = left[other], right[other]
                merged[other] = (s1 + s2, c1 + c2)
            elif self.complete is not None:
                total, count = left.get(other) or right[other]
                missing = sides[gone] if other in left else sides[keep]
                if (
                    total / count >= self.threshold
                    and len(missing) * len(self.members[other]) <= _COMPLETE_LIMIT
                ):
                    lacking.append((other, missing, (total, count)))
        merged.update(self._completed(lacking))
        for other, link in merged.items():
            self.links[other][keep] = link
        self.links[keep] = merged
        return keep

    def _completed(
        self, lacking: list[tuple[int, list[int], tuple[float, int]]]
    ) -> dict[int, tuple[float, int]]:
        """The links in `lacking` whose unscored pairs all reach the floor, with those scores."""
        if not lacking or self.complete is None:
            return {}
        pairs = [
            (min(x, y), max(x, y))
            for other, missing, _ in lacking
            for x in self.members[other]
            for y in missing
        ]
        scores = self.complete(np.array(pairs, dtype=np.int64)).tolist()
        done: dict[int, tuple[float, int]] = {}
        at = 0
        for other, missing, (total, count) in lacking:
            n = len(self.members[other]) * len(missing)
            chunk = scores[at : at + n]
            at += n
            if all(score > 0 for score in chunk):
                done[other] = (total + sum(chunk), count + n)
        return done

    def can_merge(self, a: int, b: int) -> bool:
        seed_a, seed_b = self.seed[a], self.seed[b]
        return seed_a is None or seed_b is None or seed_a == seed_b

    def run(self) -> None:
        threshold = self.threshold
        heap: list[tuple[float, int, int]] = []
        for a, links in self.links.items():
            for b, (total, count) in links.items():
                if a < b and total / count >= threshold:
                    heap.append((-total / count, a, b))
        heapq.heapify(heap)
        while heap:
            neg_avg, a, b = heapq.heappop(heap)
            link = self.links.get(a, {}).get(b)
            if link is None or -neg_avg != link[0] / link[1] or not self.can_merge(a, b):
                continue
            keep = self.merge(a, b)
            for other, (total, count) in self.links[keep].items():
                if total / count >= threshold:
                    heapq.heappush(heap, (-total / count, min(keep, other), max(keep, other)))


def cluster(
    items: Sequence[ClusterItem],
    settings: ClusterSettings | None = None,
    existing: Mapping[str, str] | None = None,
) -> ClusterResult:
    """Group recommendations that make the same ask into clusters with stable ids.

    Args:
        items: the recommendations; ids must be unique.
        settings: scorer, thresholds and scope (defaults: `ClusterSettings()`).
        existing: item id -> cluster id from a previous run. Those items keep their cluster id,
            clusters of a previous run are never merged with each other, and new items may join
            them. New clusters get "c-" + a hash of their smallest member id, so the same input
            always gives the same ids.

    Returns:
        Every item's cluster (singletons included), each with its canonical text.
    """
    settings = settings or ClusterSettings()
    existing = existing or {}
    ids = [item.id for item in items]
    if len(set(ids)) != len(ids):
        duplicated = sorted({i for i in ids if ids.count(i) > 1})[:3]
        raise ValueError(f"item ids must be unique; repeated: {', '.join(duplicated)}")
    treaties = load_treaties(settings.treaties)
    ordered = sorted(items, key=lambda item: item.id)

    # One node per distinct (scope block, normalized text, previous cluster): exact duplicates
    # (one ask from several States, listed once per State) are compared once.
    node_of: dict[tuple[object, str, str | None], int] = {}
    node_items: list[list[ClusterItem]] = []
    texts: list[str] = []
    blocks: list[object] = []
    seeds: list[str | None] = []
    for item in ordered:
        text = normalize(item.text, treaties)
        block = _scope_key(item, settings.scope)
        seed = existing.get(item.id)
        key = (block, text, seed)
        if key not in node_of:
            node_of[key] = len(texts)
            node_items.append([])
            texts.append(text)
            blocks.append(block)
            seeds.append(seed)
        node_items[node_of[key]].append(item)

    similarity = _Similarity(texts, treaties, settings)
    opening = [None if opened is None else opened[0][0] for opened in similarity.ratified]
    pairs = _candidates(texts, blocks, settings, opening)
    apart = _same_author_pairs(node_items)

    def scored(pairs: npt.NDArray[np.int64]) -> npt.NDArray[np.float32]:
        scores = similarity.pairs(pairs, settings.min_pair)
        if len(pairs) and len(apart):
            codes = pairs[:, 0] * len(texts) + pairs[:, 1]
            at = np.minimum(np.searchsorted(apart, codes), len(apart) - 1)
            scores[apart[at] == codes] = 0  # `apart` is sorted: no sort per call
        return scores

    scores = scored(pairs)
    # Where blocking chose the pairs, a merge scores the pairs a promising link still lacks.
    largest = max(Counter(blocks).values(), default=0)
    sparse = settings.semantic_weight == 0 or largest > settings.dense_limit
    linkage = _Linkage(len(texts), settings.threshold, scored if sparse else None)
    for (a, b), score in zip(pairs[scores > 0].tolist(), scores[scores > 0].tolist(), strict=True):
        linkage.add_edge(a, b, score)

    # Clusters of the previous run start whole (their members were judged together before).
    by_seed: dict[str, int] = {}
    for node, seed in enumerate(seeds):
        if seed is None:
            continue
        if seed in by_seed:
            by_seed[seed] = linkage.merge(by_seed[seed], node)
        else:
            by_seed[seed] = node
            linkage.seed[node] = seed
    linkage.run()

    clusters = [
        _make_cluster(
            [node_items[n] for n in sorted(members)],
            sorted(members),
            linkage.seed[root],
            similarity,
        )
        for root, members in linkage.members.items()
    ]
    clusters.sort(key=lambda c: c.id)
    assignment = {member: c.id for c in clusters for member in c.member_ids}
    block_sizes: dict[object, int] = defaultdict(int)
    for item in items:
        block_sizes[_scope_key(item, settings.scope)] += 1
    return ClusterResult(
        clusters=tuple(clusters),
        assignment=assignment,
        settings=settings,
        compared_pairs=len(pairs),
        possible_pairs=sum(n * (n - 1) // 2 for n in block_sizes.values()),
        by_id={c.id: c for c in clusters},
    )


def _same_author_pairs(node_items: Sequence[Sequence[ClusterItem]]) -> npt.NDArray[np.int64]:
    """Node pairs (codes i * size + j, i < j) holding asks of one review by one State.

    None of the Slovenia 2019 gold's 339 duplicate pairs is such a pair. In the UPR Info export,
    247 clusters of one review (scope "review") held two different asks of one State before this
    rule ("Continue to fight HIV-AIDS with the support of the international community" and
    "Continue to fight poverty ...", both Bangladesh's to Dominica).
    """
    by_author: dict[tuple[str, int, str], list[int]] = defaultdict(list)
    for node, group in enumerate(node_items):
        authors = {
            (item.state_under_review, item.session, state)
            for item in group
            if item.session is not None
            for state in item.recommending_states
        }
        for author in authors:
            by_author[author].append(node)
    size = len(node_items)
    chunks = [_pairs_within(nodes, size) for nodes in by_author.values() if len(nodes) > 1]
    return np.unique(np.concatenate(chunks)) if chunks else np.empty(0, dtype=np.int64)


def _candidates(
    texts: Sequence[str],
    blocks: Sequence[object],
    settings: ClusterSettings,
    opening: Sequence[str | None],
) -> npt.NDArray[np.int64]:
    """Node pairs (i < j) to score: every pair of a small scope, blocking's pairs in a large one.

    opening: the treaty each text opens by ratifying (None when it does not).

    Without the similarity model (`semantic_weight` 0) only blocking's pairs are scored: two
    texts that share no rare word cannot score high on words alone.
    """
    if settings.semantic_weight == 0:
        return _with_treaty_pairs(_candidate_pairs(texts, blocks, settings.max_df), blocks, opening)
    by_block: dict[object, list[int]] = defaultdict(list)
    for node, block in enumerate(blocks):
        by_block[block].append(node)
    chunks: list[npt.NDArray[np.int64]] = []
    large: list[int] = []
    for nodes in by_block.values():
        if len(nodes) <= settings.dense_limit:
            array = np.array(nodes, dtype=np.int64)
            left, right = np.triu_indices(len(array), k=1)
            chunks.append(np.stack([array[left], array[right]], axis=1))
        else:
            large.extend(nodes)
    if large:
        large_texts, large_blocks = [texts[n] for n in large], [blocks[n] for n in large]
        local = _with_treaty_pairs(
            _candidate_pairs(large_texts, large_blocks, settings.max_df),
            large_blocks,
            [opening[n] for n in large],
        )
        chunks.append(np.array(large, dtype=np.int64)[local])
    if not chunks:
        return np.empty((0, 2), dtype=np.int64)
    return np.concatenate(chunks)


def _with_treaty_pairs(
    pairs: npt.NDArray[np.int64], blocks: Sequence[object], opening: Sequence[str | None]
) -> npt.NDArray[np.int64]:
    """`pairs` and every pair of one block whose asks open by ratifying the same treaty.

    Across all States "ratify the CED" is too common a word to propose pairs (`max_df`), yet
    an ask left uncompared with a member can never join that treaty's cluster.
    """
    by_treaty: dict[tuple[object, str], list[int]] = defaultdict(list)
    for node, (block, treaty) in enumerate(zip(blocks, opening, strict=True)):
        if treaty is not None:
            by_treaty[(block, treaty)].append(node)
    size = len(blocks)
    chunks = [pairs[:, 0] * size + pairs[:, 1]]
    chunks.extend(_pairs_within(nodes, size) for nodes in by_treaty.values() if len(nodes) > 1)
    codes = np.unique(np.concatenate(chunks))
    return np.stack([codes // size, codes % size], axis=1)


_COSINE_CHUNK = 50_000


class _Similarity:
    """Scores (0-100) between normalized texts: the rapidfuzz scorer and the semantic cosine."""

    def __init__(
        self, texts: Sequence[str], treaties: TreatyTable, settings: ClusterSettings
    ) -> None:
        self.texts = texts
        self.scorer = SCORERS[settings.scorer]
        self.weight = settings.semantic_weight
        self.vectors = (
            SemanticModel.load(settings.similarity_model).vectors(texts)
            if self.weight > 0 and texts
            else None
        )
        self.known = (
            np.zeros(len(texts), dtype=bool)
            if self.vectors is None
            else np.abs(self.vectors).sum(axis=1) > 0
        )
        self.treaties = [frozenset(t for t in text.split() if t in treaties.keys) for text in texts]
        self.named = np.array([bool(names) for names in self.treaties], dtype=bool)
        self.ratified = [_ratified(text, treaties) for text in texts]
        self.action_weight = settings.action_weight
        self.actions = np.array([_action_mask(text) for text in texts], dtype=np.uint16)

    def pairs(self, pairs: npt.NDArray[np.int64], cutoff: float) -> npt.NDArray[np.float32]:
        """Similarity of each pair, 0 where below `cutoff` or where they name different treaties."""
        if not len(pairs):
            return np.empty(0, dtype=np.float32)
        scores = np.zeros(len(pairs), dtype=np.float32)
        action = self._action(self.actions[pairs[:, 0]], self.actions[pairs[:, 1]])
        if self.vectors is None:
            lowest = cutoff - self.action_weight / 2
            combined = self._words(pairs, max(lowest, 0)) + action
            scores[:] = np.where(combined >= cutoff, np.minimum(combined, 100), 0)
        else:
            # A text the model knows no word of has no meaning vector: words alone score it.
            weight = np.where(self.known[pairs[:, 0]] & self.known[pairs[:, 1]], self.weight, 0)
            meaning = weight * 100 * np.clip(_row_dots(self.vectors, pairs), 0, 1) + action
            # Only pairs that could reach the cutoff with a perfect word score are scored.
            hopeful = np.nonzero(meaning + (1 - weight) * 100 >= cutoff)[0]
            words = self._words(pairs[hopeful], 0)
            combined = (1 - weight[hopeful]) * words + meaning[hopeful]
            scores[hopeful] = np.where(combined >= cutoff, np.minimum(combined, 100), 0)
        # "Ratify the CED" and "Ratify the ICRMW" are 80% the same words and different asks.
        both = np.nonzero(self.named[pairs[:, 0]] & self.named[pairs[:, 1]])[0]
        for row, (a, b) in zip(both.tolist(), pairs[both].tolist(), strict=True):
            if self.treaties[a].isdisjoint(self.treaties[b]):
                scores[row] = 0
            elif _same_ratification(self.ratified[a], self.ratified[b]):
                scores[row] = 100
            elif _open_alike(self.ratified[a], self.ratified[b]):
                # Both open by ratifying the same treaty, then each ask more: "Accede to the
                # 1961 Convention ... and put in place statelessness determination procedures"
                # and "... and take all relevant measures to reduce the number of stateless
                # persons" (Slovenia 2019 and 2014). Not one ask by itself, but neither blocks
                # the other from the cluster of "Ratify the 1961 Convention".
                scores[row] = max(scores[row], cutoff)
        return scores

    def _action(
        self, left: npt.NDArray[np.uint16], right: npt.NDArray[np.uint16]
    ) -> npt.NDArray[np.float32]:
        """Points for the kinds of action two asks name: + weight/2 for the same kinds, -
        weight/2 for none in common (Jaccard of the kinds, centred), 0 where either names none."""
        shared = np.bitwise_count(left & right).astype(np.float32)
        either = np.bitwise_count(left | right).astype(np.float32)
        both = (left > 0) & (right > 0)
        jaccard = np.divide(shared, either, out=np.zeros_like(shared), where=both)
        points: npt.NDArray[np.float32] = np.where(
            both, self.action_weight * (jaccard - 0.5), 0
        ).astype(np.float32)
        return points

    def _words(self, pairs: npt.NDArray[np.int64], cutoff: float) -> npt.NDArray[np.float32]:
        left = [self.texts[i] for i in pairs[:, 0].tolist()]
        right = [self.texts[j] for j in pairs[:, 1].tolist()]
        # Threads pay off on many pairs, not on the few a merge completes.
        workers = -1 if len(left) > 10_000 else 1
        words: npt.NDArray[np.float32] = process.cpdist(
            left, right, scorer=self.scorer, score_cutoff=cutoff, dtype=np.float32, workers=workers
        )
        return words

    def matrix(self, nodes: Sequence[int]) -> npt.NDArray[np.float32]:
        """All-pairs scores among `nodes` (no cutoff, no treaty rule): for centrality."""
        texts = [self.texts[n] for n in nodes]
        words: npt.NDArray[np.float32] = process.cdist(
            texts, texts, scorer=self.scorer, dtype=np.float32
        )
        actions = self.actions[list(nodes)]
        action = self._action(actions[:, None], actions[None, :])
        if self.vectors is None:
            return (words + action).astype(np.float32)
        vectors = self.vectors[list(nodes)]
        known = self.known[list(nodes)]
        weight = np.where(known[:, None] & known[None, :], self.weight, 0)
        cosine = np.clip(vectors @ vectors.T, 0, 1)
        mixed: npt.NDArray[np.float32] = (
            (1 - weight) * words + weight * 100 * cosine + action
        ).astype(np.float32)
        return mixed


def _ratified(text: str, treaties: TreatyTable) -> tuple[tuple[str, ...], bool] | None:
    """The treaties a normalized ask opens by ratifying, and whether that is all it asks:
    "ratifi stateless1961 put place ..." -> (("stateless1961",), False); "ratifi iccpr icescr"
    -> (("iccpr", "icescr"), True); None when it does not open with a ratification."""
    words = text.split()
    if not words or words[0] != "ratifi":
        return None
    keys = tuple(itertools.takewhile(lambda word: word in treaties.keys, words[1:]))
    return (keys, len(keys) == len(words) - 1) if keys else None


def _same_ratification(
    a: tuple[tuple[str, ...], bool] | None, b: tuple[tuple[str, ...], bool] | None
) -> bool:
    """One ask only ratifies, and the other opens by ratifying the same treaty: "Ratify the
    1961 Convention" and "Accede to the 1961 Convention ... and put in place statelessness
    determination procedures" (the first-named ask decides, as the Slovenia gold counts it).
    Two asks that each add their own action ("Ratify OP-CAT and establish a national
    preventive mechanism" / "... and extend a standing invitation") are scored as usual."""
    if a is None or b is None or not (a[1] or b[1]):
        return False
    plain, other = (a, b) if a[1] else (b, a)
    if other[1]:
        return set(plain[0]) == set(other[0])
    return plain[0] == other[0][:1] if len(plain[0]) == 1 else set(plain[0]) == set(other[0])


def _open_alike(
    a: tuple[tuple[str, ...], bool] | None, b: tuple[tuple[str, ...], bool] | None
) -> bool:
    """Both asks open by ratifying the same treaty first."""
    return a is not None and b is not None and a[0][0] == b[0][0]


def similarity(a: str, b: str, settings: ClusterSettings | None = None) -> float:
    """How alike two recommendations are (0-100), as `cluster` scores a pair it compares.

    0 when they name different treaties. For explaining a cluster, or why two asks are apart
    (`cluster` compares only the pairs of one scope, and across all States only those that
    blocking proposes).
    """
    settings = settings or ClusterSettings()
    treaties = load_treaties(settings.treaties)
    texts = [normalize(a, treaties), normalize(b, treaties)]
    scores = _Similarity(texts, treaties, settings).pairs(np.array([[0, 1]]), cutoff=0)
    return float(scores[0])


def _row_dots(
    vectors: npt.NDArray[np.float32], pairs: npt.NDArray[np.int64]
) -> npt.NDArray[np.float32]:
    """Dot product of the two rows of each pair, in chunks (both sides of 400k pairs at once
    would take over 1 GB). A chunk of the pairs of one State (all pairs of a few hundred
    texts) is one matrix product of those texts, gathered; scattered pairs are multiplied row
    by row."""
    out = np.empty(len(pairs), dtype=np.float32)
    for start in range(0, len(pairs), _COSINE_CHUNK):
        chunk = pairs[start : start + _COSINE_CHUNK]
        nodes = np.unique(chunk)
        if len(nodes) ** 2 <= 4 * len(chunk):
            sub = vectors[nodes]
            local = np.searchsorted(nodes, chunk)
            out[start : start + len(chunk)] = (sub @ sub.T)[local[:, 0], local[:, 1]]
        else:
            out[start : start + len(chunk)] = np.einsum(
                "ij,ij->i", vectors[chunk[:, 0]], vectors[chunk[:, 1]]
            )
    return out


def _make_cluster(
    groups: list[list[ClusterItem]], nodes: list[int], seed: str | None, similarity: _Similarity
) -> Cluster:
    members = sorted((item for group in groups for item in group), key=lambda item: item.id)
    center = 0
    if len(nodes) > 1:
        # Most central: highest total similarity to the others, weighted by how many
        # recommendations share each text; ties go to the smallest member id (stable). A
        # text of one ask is preferred to a cycle-1 item that merges several ("Consider
        # issuing a standing invitation ... (Brazil); Extend a standing invitation ...
        # (Latvia)"), which is central because it holds every wording, and a whole sentence
        # to a lettered ask cut from a paragraph ("establish a national human rights ...").
        matrix = similarity.matrix(nodes)
        weights = np.array([len(group) for group in groups], dtype=np.float64)
        totals = (matrix.astype(np.float64) @ weights).tolist()
        texts = [strip_states(group[0].text) for group in groups]
        single = [n for n, text in enumerate(texts) if ";" not in text]
        readable = [n for n in single if texts[n][:1].isupper()]
        center = max(readable or single or range(len(nodes)), key=lambda n: (totals[n], -n))
    canonical = min(groups[center], key=lambda item: item.id)
    cycles = tuple(sorted({item.cycle for item in members if item.cycle is not None}))
    # Recurring: the same State under review was asked again in a later cycle (with scope
    # "all", one cluster also holds the same ask made to other States in other cycles).
    by_state: dict[str, set[int]] = defaultdict(set)
    for item in members:
        if item.cycle is not None:
            by_state[item.state_under_review].add(item.cycle)
    member_ids = tuple(item.id for item in members)
    return Cluster(
        id=seed or _cluster_id(member_ids),
        member_ids=member_ids,
        canonical_id=canonical.id,
        canonical_text=strip_states(canonical.text),
        cycles=cycles,
        recurring=any(len(seen) > 1 for seen in by_state.values()),
    )
