"""A researcher's corrections to the duplicate clusters: "these two are one commitment" (a link)
or "these two are not" (an unlink), applied as their own stage on any clustering's output.

No clustering satisfies every expert (two careful labellers disagree on granularity), so the
clusters take a researcher's word over the algorithm's: linked recommendations share a
cluster, unlinked ones never do. Links are transitive (A = B and B = C put A, B and C
together, and so do the clusters around them); an unlink whose two ends are linked through
other links is a contradiction, reported to the researcher and never resolved by picking a
side. The stage runs after the clustering, so it holds whatever the algorithm, its settings or
its similarity model:

    result = cluster(items, settings)
    result = apply_corrections(result, items, store.corrections(), scorer)

Merges come first (the clusters of linked recommendations become one), then every cluster that
holds an unlinked pair is split: its members (with linked ones kept as one unit) are grouped
again by average linkage on the similarity `score` (of their texts and where each is printed,
as the clustering scored them), and two groups merge only when no unlinked pair would end up
together. A cluster keeps its id when it keeps its smallest member; a part split off gets
"c-" + a hash of its own smallest member, as the clustering names new clusters.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from itertools import chain, count
from pathlib import Path
from typing import TYPE_CHECKING, Any

from uprdex.pipeline.clusters import (
    Cluster,
    ClusterItem,
    ClusterResult,
    load_treaties,
    strip_states,
)
from uprdex.pipeline.errors import UprdexError
from uprdex.pipeline.files import write_whole
from uprdex.pipeline.spreadsheet import csv_text, restore

if TYPE_CHECKING:
    from uprdex.pipeline.clusters.positions import NodePlaces

__all__ = [
    "CSV_COLUMNS",
    "Contradiction",
    "Correction",
    "CorrectionError",
    "CorrectionKind",
    "apply_corrections",
    "contradictions",
    "merge_corrections",
    "reach",
    "read_csv",
    "write_csv",
]

Scores = Callable[[Sequence[str], "NodePlaces | None"], Sequence[Sequence[float]]]
"""How alike each pair of these texts is, 0-100, as a square matrix, given where each is
printed (its clustering node's places, `positions.group_places`; None: as asks of two
reports) (`pipeline.cluster_reasons.pair_scores`: the clustering's own similarity)."""

CSV_COLUMNS = ("kind", "first", "second", "note", "who", "at")
"""Columns of `uprdex cluster links --export/--import`: one correction a row."""


class CorrectionError(UprdexError):
    """A correction that cannot be recorded (bad ids, a bad file, a contradiction)."""


class CorrectionKind(StrEnum):
    """A must-link or a cannot-link."""

    LINK = "link"
    UNLINK = "unlink"


@dataclass(frozen=True, slots=True)
class Correction:
    """A researcher's word on two recommendations (ids like "A/HRC/28/15#115.8").

    first < second, whatever order they were given in; who: the login ($USER) that recorded
    it; at: when, ISO 8601 in UTC.
    """

    first: str
    second: str
    kind: CorrectionKind
    note: str = ""
    who: str = ""
    at: str = ""

    @classmethod
    def of(
        cls, a: str, b: str, kind: str, note: str = "", who: str = "", at: str = ""
    ) -> Correction:
        """The correction of a pair given in any order; a pair of one id is refused."""
        a, b = a.strip(), b.strip()
        if not a or not b:
            raise CorrectionError("a correction needs two recommendation ids")
        if a == b:
            raise CorrectionError(f"{a} is linked to itself: give two different recommendations")
        try:
            known = CorrectionKind(kind)
        except ValueError:
            raise CorrectionError(f"kind must be 'link' or 'unlink', got {kind!r}") from None
        return cls(min(a, b), max(a, b), known, note, who, at)

    @property
    def pair(self) -> tuple[str, str]:
        """The two ids, smallest first."""
        return (self.first, self.second)

    def describe(self) -> str:
        """'A/HRC/28/15#115.8 = A/HRC/28/15#115.9' (link) or '... ≠ ...' (unlink)."""
        sign = "=" if self.kind == CorrectionKind.LINK else "≠"
        return f"{self.first} {sign} {self.second}"


@dataclass(frozen=True, slots=True)
class Contradiction:
    """An unlinked pair whose two ends are linked through a chain of links."""

    unlink: Correction
    chain: tuple[Correction, ...]

    def __str__(self) -> str:
        links = ", ".join(link.describe() for link in self.chain)
        return (
            f"{self.unlink.first} and {self.unlink.second} are unlinked but linked through "
            f"{links}: forget one of these corrections (`uprdex cluster forget A B`)"
        )


class _Sets:
    """Union-find over hashable keys."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, key: str) -> str:
        root = self.parent.setdefault(key, key)
        while root != self.parent[root]:
            root = self.parent[root]
        while key != root:
            key, self.parent[key] = self.parent[key], root
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _links(corrections: Iterable[Correction]) -> list[Correction]:
    return [c for c in corrections if c.kind == CorrectionKind.LINK]


def _unlinks(corrections: Iterable[Correction]) -> list[Correction]:
    return [c for c in corrections if c.kind == CorrectionKind.UNLINK]


def contradictions(corrections: Sequence[Correction]) -> list[Contradiction]:
    """Every unlink whose two ends are linked, directly or through other recommendations,
    with the shortest chain of links that joins them."""
    links = _links(corrections)
    sets = _Sets()
    neighbours: dict[str, list[tuple[str, Correction]]] = defaultdict(list)
    for link in links:
        sets.union(link.first, link.second)
        neighbours[link.first].append((link.second, link))
        neighbours[link.second].append((link.first, link))
    found = []
    for unlink in _unlinks(corrections):
        if unlink.first in sets.parent and sets.find(unlink.first) == sets.find(unlink.second):
            found.append(Contradiction(unlink, _chain(neighbours, unlink.first, unlink.second)))
    return found


def _chain(
    neighbours: Mapping[str, list[tuple[str, Correction]]], start: str, end: str
) -> tuple[Correction, ...]:
    """The links of the shortest path from start to end (breadth first)."""
    came: dict[str, tuple[str, Correction] | None] = {start: None}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        if node == end:
            break
        for other, link in sorted(neighbours[node], key=lambda pair: pair[0]):
            if other not in came:
                came[other] = (node, link)
                queue.append(other)
    path: list[Correction] = []
    node = end
    while (step := came[node]) is not None:
        node, link = step
        path.append(link)
    return tuple(reversed(path))


def merge_corrections(
    existing: Sequence[Correction], incoming: Iterable[Correction]
) -> list[Correction]:
    """The corrections after `incoming` is added, in the order they were recorded (`existing`'s,
    then the incoming that hold): one per pair, the latest (by `at`) winning, and an incoming
    one on a tie (it is the researcher's latest word)."""
    by_pair = {c.pair: c for c in existing}
    for correction in incoming:
        old = by_pair.get(correction.pair)
        if old is None or not (old.at and correction.at and old.at > correction.at):
            by_pair.pop(correction.pair, None)  # recorded now: last
            by_pair[correction.pair] = correction
    return list(by_pair.values())


def reach(
    states: set[str], corrections: Sequence[Correction], state_of: Mapping[str, str]
) -> set[str]:
    """`states` and every State under review a link reaches from them (transitively): a
    clustering of some States only must also load the other ends of their links."""
    linked: dict[str, set[str]] = defaultdict(set)
    for link in _links(corrections):
        a, b = state_of.get(link.first), state_of.get(link.second)
        if a is not None and b is not None and a != b:
            linked[a].add(b)
            linked[b].add(a)
    found, queue = set(states), deque(states)
    while queue:
        for other in linked[queue.popleft()] - found:
            found.add(other)
            queue.append(other)
    return found


def apply_corrections(
    result: ClusterResult,
    items: Sequence[ClusterItem],
    corrections: Sequence[Correction],
    score: Scores,
    existing: Mapping[str, str] | None = None,
) -> ClusterResult:
    """The clusters with every link and unlink between `items` applied (see the module).

    `existing`: the previous run's clusters `cluster` was given (they key its nodes, and so
    where a split reads each member printed). A contradiction (see `contradictions`) leaves
    that unlinked pair together: the links are kept, and the researcher is told by
    `uprdex cluster` and `uprdex cluster links`.
    """
    present = {item.id for item in items}
    relevant = [c for c in corrections if c.first in present and c.second in present]
    if not relevant:
        return result
    applied = _applied(result, items, relevant, score, existing or {})
    return _researchers_own(applied, items, relevant, score)


def _researchers_own(
    result: ClusterResult,
    items: Sequence[ClusterItem],
    relevant: Sequence[Correction],
    score: Scores,
) -> ClusterResult:
    """What the researcher's word settles is not the algorithm's guess: a cluster that holds
    both ends of a link has no confidence (its members were placed by the link, whatever
    scored them), and "asked before" follows the corrected clusters
    (`recurrence.after_corrections`): asks of two reviews a link puts in one cluster repeat
    each other, an unlinked pair does not."""
    linked = {
        result.assignment[c.first]
        for c in _links(relevant)
        if result.assignment[c.first] == result.assignment[c.second]
    }
    clusters = tuple(
        replace(c, confidence=None, member_confidence={}) if c.id in linked else c
        for c in result.clusters
    )
    # Here, not at the top: as `_applied`'s imports (numpy, ~0.1 s of reading the index).
    from uprdex.pipeline.clusters.recurrence import after_corrections

    by_id = {item.id: item for item in items}
    named = {result.assignment[rec] for c in relevant for rec in c.pair}
    recurrences = after_corrections(
        result.recurrences,
        [[by_id[m] for m in c.member_ids] for c in clusters],
        {n for n, c in enumerate(clusters) if c.id in named},
        {frozenset(c.pair) for c in _unlinks(relevant)},
        lambda texts: score(texts, None),
    )
    return replace(
        result, clusters=clusters, by_id={c.id: c for c in clusters}, recurrences=recurrences
    )


def _applied(
    result: ClusterResult,
    items: Sequence[ClusterItem],
    relevant: Sequence[Correction],
    score: Scores,
    existing: Mapping[str, str],
) -> ClusterResult:
    """The clusters with the merges of the links and the splits of the unlinks."""
    # Here, not at the top: the store imports this module to read the index (`uprdex recs`,
    # `show`), and the clustering's linkage and positions bring numpy and scipy (~0.4 s of
    # each).
    from uprdex.pipeline.clusters.linkage import node_key
    from uprdex.pipeline.clusters.positions import group_places, item_places, shared_rows

    units = _Sets()
    for link in _links(relevant):
        units.union(link.first, link.second)
    apart = {
        frozenset((units.find(c.first), units.find(c.second)))
        for c in _unlinks(relevant)
        if units.find(c.first) != units.find(c.second)
    }
    # Merge: the clusters that hold the two ends of a link become one.
    groups = _Sets()
    for link in _links(relevant):
        groups.union(result.assignment[link.first], result.assignment[link.second])
    merged: dict[str, list[str]] = defaultdict(list)
    for item in items:
        merged[groups.find(result.assignment[item.id])].append(item.id)
    # Split: a cluster with an unlinked pair is grouped again, keeping that pair apart. Each
    # member is placed as the clustering placed it: where its node (`linkage.node_key`, all
    # of one cluster) is printed, in each report, read among all the items.
    by_id = {item.id: item for item in items}
    row = {item.id: at for at, item in enumerate(items)}
    placed = item_places([item.id for item in items], [item.cycle for item in items])
    treaties = load_treaties(result.settings.treaties)
    parts: list[tuple[list[str], dict[str, float]]] = []
    for members in merged.values():
        unit_of = {member: units.find(member) for member in members}
        if any(pair <= set(unit_of.values()) for pair in apart):
            ordered = sorted(members)
            keys = [node_key(by_id[m], result.settings, treaties, existing) for m in ordered]
            places = group_places(placed, shared_rows([row[m] for m in ordered], keys))
            parts.extend(_split(ordered, places, unit_of, apart, by_id, score))
        else:
            parts.append((sorted(members), {}))
    return _rebuilt(result, parts, by_id)


def _split(
    members: list[str],
    places: NodePlaces,
    unit_of: Mapping[str, str],
    apart: set[frozenset[str]],
    by_id: Mapping[str, ClusterItem],
    score: Scores,
) -> list[tuple[list[str], dict[str, float]]]:
    """Average linkage over the linked units of one cluster, merging only groups with no
    unlinked pair between them, until no merge is allowed; each part with every member's
    total score to the others of its part (to choose its most central member).

    The groups' score sums live in one matrix updated in place (Lance-Williams), so a cluster
    of 232 members splits in well under a second."""
    # Here, not at the top: as `_applied`'s imports (numpy, ~0.1 s of reading the index).
    import numpy as np

    texts = [by_id[member].text for member in members]
    scores = np.array(score(texts, places), dtype=np.float64)
    np.fill_diagonal(scores, 0.0)
    keys = list(dict.fromkeys(unit_of[member] for member in members))
    at = {key: n for n, key in enumerate(keys)}
    indicator = np.zeros((len(keys), len(members)))
    for column, member in enumerate(members):
        indicator[at[unit_of[member]], column] = 1.0
    sums = indicator @ scores @ indicator.T  # score sums between groups
    sizes = indicator.sum(axis=1)
    blocked = np.eye(len(keys), dtype=bool)
    for pair in apart:
        x, y = (at.get(key) for key in pair)
        if x is not None and y is not None:
            blocked[x, y] = blocked[y, x] = True
    grouped: dict[int, list[int]] = {n: [] for n in range(len(keys))}
    for column, member in enumerate(members):
        grouped[at[unit_of[member]]].append(column)
    alive = np.ones(len(keys), dtype=bool)
    while True:
        average = np.where(
            blocked | ~alive[:, None] | ~alive[None, :], -np.inf, sums / np.outer(sizes, sizes)
        )
        x, y = (int(n) for n in np.unravel_index(int(np.argmax(average)), average.shape))
        if average[x, y] == -np.inf:
            break
        keep, gone = min(x, y), max(x, y)
        sums[keep, :] += sums[gone, :]
        sums[:, keep] += sums[:, gone]
        sizes[keep] += sizes[gone]
        blocked[keep, :] |= blocked[gone, :]
        blocked[:, keep] |= blocked[:, gone]
        alive[gone] = False
        grouped[keep] += grouped.pop(gone)
    parts = []
    for columns in grouped.values():
        totals = scores[np.ix_(columns, columns)].sum(axis=1)
        parts.append(
            (
                sorted(members[c] for c in columns),
                {members[c]: float(total) for c, total in zip(columns, totals, strict=True)},
            )
        )
    return parts


def _rebuilt(
    result: ClusterResult,
    parts: list[tuple[list[str], dict[str, float]]],
    by_id: Mapping[str, ClusterItem],
) -> ClusterResult:
    """The result with these member groups: unchanged clusters as they were; a changed one
    keeps the id of the original cluster whose smallest member it holds (the largest such
    original when merged), else takes a new id."""
    originals = {c.id: c for c in result.clusters}
    anchors = {min(c.member_ids): c for c in result.clusters}
    clusters: list[Cluster] = []
    fresh: list[tuple[list[str], dict[str, float]]] = []
    taken: set[str] = set()
    for members, totals in parts:
        same = originals.get(result.assignment[members[0]])
        if same is not None and list(same.member_ids) == members:
            clusters.append(same)
            taken.add(same.id)
            continue
        heirs = [anchors[m] for m in members if m in anchors]
        if not heirs:
            fresh.append((members, totals))
            continue
        heir = min(heirs, key=lambda c: (-c.size, c.id))
        taken.add(heir.id)
        clusters.append(_cluster(heir.id, members, totals, heir, by_id))
    for members, totals in fresh:
        cluster_id = _new_id(members, taken | set(originals))
        taken.add(cluster_id)
        clusters.append(_cluster(cluster_id, members, totals, None, by_id))
    clusters.sort(key=lambda c: c.id)
    return replace(
        result,
        clusters=tuple(clusters),
        assignment={member: c.id for c in clusters for member in c.member_ids},
        by_id={c.id: c for c in clusters},
    )


def _new_id(members: Sequence[str], taken: set[str]) -> str:
    """ "c-" + a hash of the smallest member (as the clustering names a new cluster), else of
    all members, else of all members and a count: a part split off one member may find both
    taken (a link named the cluster it leaves after that member)."""
    whole = "\n".join(sorted(members))
    keys = chain((min(members), whole), (f"{whole}\n{n}" for n in count(2)))
    ids = ("c-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12] for key in keys)
    return next(cluster_id for cluster_id in ids if cluster_id not in taken)


def _cluster(
    cluster_id: str,
    members: list[str],
    totals: Mapping[str, float],
    heir: Cluster | None,
    by_id: Mapping[str, ClusterItem],
) -> Cluster:
    """A cluster of these members; its canonical text is the original's when it holds it,
    else its most central member's (highest total score to the others, then smallest id)."""
    if heir is not None and heir.canonical_id in members:
        canonical_id, canonical_text = heir.canonical_id, heir.canonical_text
    else:
        canonical_id = min(members, key=lambda m: (-totals.get(m, 0.0), m))
        canonical_text = strip_states(by_id[canonical_id].text)
    cycles: dict[str, set[int]] = defaultdict(set)
    for member in members:
        item = by_id[member]
        if item.cycle is not None:
            cycles[item.state_under_review].add(item.cycle)
    return Cluster(
        id=cluster_id,
        member_ids=tuple(members),
        canonical_id=canonical_id,
        canonical_text=canonical_text,
        cycles=tuple(sorted(set().union(*cycles.values()))),
        recurring=any(len(seen) > 1 for seen in cycles.values()),
        **_confidences(members, totals),
    )


def _confidences(members: list[str], totals: Mapping[str, float]) -> dict[str, Any]:
    """The confidences of a part an unlink split off (its members' mean score to the others);
    none for a cluster a link made, whose members were never all scored."""
    if len(members) < 2 or not totals:
        return {}
    each = {m: round(min(max(totals[m], 0.0) / (len(members) - 1) / 100, 1.0), 3) for m in members}
    return {
        "member_confidence": each,
        "confidence": round(sum(each.values()) / len(each), 3),
    }


def write_csv(corrections: Iterable[Correction], out: Path) -> int:
    """Write the corrections to a CSV file (UTF-8 with a byte order mark, for spreadsheets);
    returns how many."""
    rows = [[c.kind.value, c.first, c.second, c.note, c.who, c.at] for c in corrections]
    # A note that opens like a formula gets a leading "'" (spreadsheet.py); `read_csv` takes
    # it off. Replaced whole: a full disk leaves the team's earlier file.
    write_whole(out, csv_text(CSV_COLUMNS, rows).encode("utf-8-sig"))
    return len(rows)


def read_csv(path: Path) -> list[Correction]:
    """The corrections of a file `write_csv` wrote (or a team mate edited), or a one-line
    error naming the file and the row."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise CorrectionError(f"{path}: cannot read the corrections ({error})") from error
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = [
        name for name in ("kind", "first", "second") if name not in (reader.fieldnames or ())
    ]
    if missing:
        raise CorrectionError(
            f"{path}: not a corrections file (no {', '.join(missing)} column; "
            f"expected {', '.join(CSV_COLUMNS)})"
        )
    found = []
    for number, row in enumerate(reader, start=2):
        # Every cell as written, before `write_csv` made it safe for spreadsheets.
        cell = {name: restore(row.get(name) or "") for name in CSV_COLUMNS}
        try:
            found.append(
                Correction.of(
                    cell["first"],
                    cell["second"],
                    cell["kind"].strip().lower(),
                    cell["note"],
                    cell["who"],
                    cell["at"],
                )
            )
        except CorrectionError as error:
            raise CorrectionError(f"{path} row {number}: {error}") from None
    return found
