"""What an id a researcher gives names (`named`, the one call `show`, `evidence`, `cluster
link/unlink/forget` and `Index.evidence` resolve an id with): a report's ask, an imported ask's
id once its WG report is indexed (the report's ask it is linked to), or, for an id the index
does not hold, the nearest one it does (a `:` typed for the `#`).

A researcher's corrections stay recorded under the ids typed; `resolved` reads them with each
imported id as the ask it names now, so a report that leaves the index (its file replaced)
gives the imports their own ids back, and their corrections with them."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from rapidfuzz.distance import OSA, Levenshtein

from uprdex.pipeline.corrections import Correction, contradictions
from uprdex.pipeline.model import ImportSource

__all__ = [
    "ImportedAs",
    "Named",
    "Resolved",
    "asks_of",
    "named",
    "named_now",
    "recorded_by",
    "resolved",
]

# What may stand between a report's symbol and its paragraph in a mistyped id:
# "A/HRC/28/15:115.22", "A/HRC/28/15 / 115.22", "a/hrc/28/15-115.22".
_BETWEEN = " #:/.,;-_"
# What a letter's parentheses may be typed as, or left out: "109b", "109 b", "109.b" for "109(b)".
_UNBRACKETED = re.compile(r"[()\s.]")
# Zeros before a number of a paragraph, as a list padded to sort shows it: "98.017" and
# "098.17" for 98.17 (A/HRC/21/15), "98.010" for 98.10.
_PADDING = re.compile(r"(?<!\d)0+(?=\d)")
# An ask of a cycle-1 report's interactive dialogue that a lead-in cites by its paragraph and
# letter: "15(c)" of A/HRC/8/41 ("paragraphs 10, 15, 25 and 39").
_LETTERED = re.compile(r"^(\d+)\([a-z]+\)$")
# An imported ask's id, UPR Info's: "upr-info:SVN:20:99836fe488b3" (README); a mistyped one is
# compared with the ids of the same review's imports.
_IMPORTED_ID = re.compile(r"^(?P<review>[\w-]+:[A-Za-z]{3}:\d+:)(?P<hash>\w+)$")
# Characters an imported id may be mistyped by and still be suggested: two of a hash's twelve,
# while two hashes of one review differ in about eleven.
_IMPORT_TYPOS = 2
# Typos a report's symbol may hold and still be suggested: one character wrong, or two next to
# each other swapped ("A/HRC/28/31" for A/HRC/28/13), when one indexed report only is that close
# and holds the paragraph (a swap read as two typos, "A/HRC/10/17" was A/HRC/17/17's, one
# character away, not A/HRC/10/71's).
_SYMBOL_TYPOS = 1


@dataclass(frozen=True, slots=True)
class ImportedAs:
    """An imported ask's id and the asks of the index it is now linked to, the main one first
    (UPR Info lists "Ratify the CRPD" from two States as one row; a report may print them as
    two paragraphs)."""

    import_id: str
    asks: tuple[str, ...]


def _imported_as(db: sqlite3.Connection, given: str) -> ImportedAs | None:
    """The asks an imported ask's id (any case) is linked to once its WG report is indexed;
    None for an id that is no import's, or whose import still stands as its own record."""
    row = db.execute(
        "SELECT import_id, recommendation_id FROM imports WHERE import_id = ? COLLATE NOCASE "
        "AND recommendation_id != import_id "
        "AND recommendation_id IN (SELECT id FROM recommendations)",
        ["".join(given.split())],
    ).fetchone()
    if row is None:
        return None
    import_id, main = row
    others = [
        rec
        for (rec,) in db.execute(
            "SELECT recommendation_id FROM import_links WHERE import_id = ? "
            "AND recommendation_id != ? AND recommendation_id IN (SELECT id FROM recommendations)",
            [import_id, main],
        )
    ]
    return ImportedAs(import_id, (main, *sorted(others, key=_paragraph_order)))


def _standing_import(db: sqlite3.Connection, given: str) -> str | None:
    """An imported ask's id (any case) as the index spells it, while its import stands as its
    own record (no WG report of it indexed), or None."""
    row = db.execute(
        "SELECT id FROM recommendations WHERE id = ? COLLATE NOCASE "
        "AND id IN (SELECT import_id FROM imports)",
        ["".join(given.split())],
    ).fetchone()
    return row[0] if row else None


@dataclass(frozen=True, slots=True)
class Named:
    """What an id a researcher typed names (`named`): `ask`, the index's ask (a report's, or an
    import standing as its own record while no WG report of it is indexed: `standing`), None
    for none; `via`, the imported ask whose id led to the report's ask; `nearest`, for an id
    that names none, the index's id it most likely means, and `others` it may mean as much (a
    number as printed under two paragraphs: "17" is 81.17 or 82.17 of A/HRC/14/5); `misprint`,
    when they are what the report prints as that number inside another paragraph ("136.69"
    inside paragraph 138 of A/HRC/28/12, read as 138.69); `paragraph`, when the id named a
    paragraph whose asks run from `nearest` to `others[0]` ("90" of A/HRC/14/12: 90.1 to
    90.123)."""

    given: str
    ask: str | None
    via: ImportedAs | None = None
    standing: bool = False
    nearest: str | None = None
    others: tuple[str, ...] = ()
    misprint: bool = False
    paragraph: bool = False

    @property
    def said(self) -> str:
        """The line to say of the id: an imported id now leading to the report's ask; "no
        recommendation 115.8 in A/HRC/28/15 in the index; did you mean Y?" of one that names
        none ("no recommendation X in the index" of an id without '#'); else ''. `uprdex show`
        and `evidence` say it, and UnknownIdError is it."""
        if self.via is not None:
            main, *others = self.via.asks
            also = f" (its row also matches {', '.join(others)})" if others else ""
            return (
                f"{self.via.import_id}, an imported ask, is now the report's {main}{also}: its "
                "WG report is indexed"
            )
        if self.ask is not None:
            return ""
        symbol, mark, paragraph = self.given.rpartition("#")
        if mark and symbol.strip() and not paragraph.strip():  # "A/HRC/28/13#"
            return (
                f"{self.given}: no paragraph number after its '#' (an ask's id is the "
                "report's symbol, '#' and the paragraph: A/HRC/28/15#115.22)"
            )
        # As the CLI reads a symbol and paragraph: spaces dropped, the symbol in upper case. An
        # import's id ("thematic-list:A/HRC/28/15#115.1", "thematic-list:Slovenia#...") is said
        # as typed: its prefix and a State's name are no symbol.
        where = (
            f"{''.join(paragraph.split())} in {''.join(symbol.split()).upper()}"
            if mark and symbol.strip() and not _imported_id(symbol)
            else self.given or '""'
        )
        meant = [self.nearest, *self.others] if self.nearest else []
        if self.paragraph:
            first, last = meant[0], meant[-1]
            return (
                f"no recommendation {where} in the index; did you mean the asks of paragraph "
                f"{_PADDING.sub('', ''.join(paragraph.split()).strip('.'))}, {first}"
                + (f" to {last}?" if last != first else "?")
            )
        them = "it" if len(meant) == 1 else "them"
        printed = f" (the report prints {them} as {''.join(paragraph.split())})"
        return f"no recommendation {where} in the index" + (
            f"; did you mean {_either(meant)}?{printed * self.misprint}" if meant else ""
        )


def _either(ids: list[str]) -> str:
    """'A', 'A or B', 'A, B or C'."""
    return " or ".join(filter(None, (", ".join(ids[:-1]), ids[-1])))


def _imported_id(symbol: str) -> bool:
    """Whether the part of an id before its '#' opens as an import's id does ("thematic-list:")."""
    source, colon, _ = symbol.partition(":")
    return bool(colon) and source.strip().lower() in set(ImportSource)


def named(db: sqlite3.Connection, given: str) -> Named:
    """What an id a researcher typed names: a report's ask ('A/HRC/28/15#115.8', the symbol in
    any case, spaces at the ends and around separators: ' a/hrc/28/15 # 115.8 '), an imported
    ask's id ('upr-info:SVN:20:99836fe488b3', any case) as the report's ask it is linked to once
    its WG report is indexed or as its own record before; of an id that names none, the id it
    most likely means (`_nearest_id`)."""
    text = _SPACING.sub(lambda space: _spacing(given.strip(), space), given.strip())
    linked = _imported_as(db, text)
    if linked is not None:
        return Named(given.strip(), linked.asks[0], via=linked)
    standing = _standing_import(db, text)
    if standing is not None:
        return Named(given.strip(), standing, standing=True)
    symbol, _, paragraph = text.rpartition("#")
    # The id as typed too: a report whose symbol was not read has its file hash's ("9f2c...").
    row = db.execute(
        "SELECT id FROM recommendations WHERE id IN (?, ?)",
        [text, f"{symbol.upper()}#{paragraph}" if symbol else text],
    ).fetchone()
    if row is not None:
        return Named(given.strip(), str(row[0]))
    nearest = _nearest_id(db, text)
    if nearest is not None:
        return Named(given.strip(), None, nearest=nearest)
    meant: list[str] = []
    misprint = whole = False
    if symbol and "." in paragraph.strip(" ."):
        meant = _as_printed(db, symbol.upper(), paragraph)
        misprint = bool(meant)
        meant = meant or _paragraph_asks(db, symbol.upper(), paragraph)
    elif symbol:
        # "90": paragraph 90's asks, before those that print "90." inside another paragraph
        meant = _paragraph_asks(db, symbol.upper(), paragraph)
        whole = bool(meant)
        if whole:
            meant = [meant[0], meant[-1]]
        else:  # "15" of A/HRC/8/41: its dialogue's 15(c) and 15(d), or 57.15, printed "15."
            meant = _lettered(db, symbol.upper(), paragraph)
            meant += _as_printed(db, symbol.upper(), paragraph)
    return Named(
        given.strip(),
        None,
        nearest=next(iter(meant), None),
        others=tuple(meant[1:]),
        misprint=misprint,
        paragraph=whole,
    )


# A space typed in an id ("A/HRC/28/15 # 115.22"), kept only between two letters or digits
# ("115.3 0"), where removing it would spell another ask (115.30).
_SPACING = re.compile(r"\s+")


def _spacing(text: str, space: re.Match[str]) -> str:
    """`space`, a run of spaces in `text`, if it stands between two letters or digits; else ''."""
    before, after = text[space.start() - 1 : space.start()], text[space.end() : space.end() + 1]
    return space.group() if before.isalnum() and after.isalnum() else ""


def _paragraph_order(rec_id: str) -> list[int | str]:
    """'A/HRC/28/15#115.8' before 'A/HRC/28/15#115.10'."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", rec_id)]


def _nearest_id(db: sqlite3.Connection, given: str) -> str | None:
    """The id of an ask (or an import) of the index that `given`, which names none, most
    likely means: the same in another case, with another separator between the report's symbol
    and the paragraph ('A/HRC/28/15:115.22' for 'A/HRC/28/15#115.22'), an imported id a
    character or two apart from one of the same review, or a report's symbol one typo apart
    (`_symbol_typo`); None when nothing is that close."""
    text = "".join(given.split())
    for query in (
        "SELECT id FROM recommendations WHERE id = ? COLLATE NOCASE",
        "SELECT import_id FROM imports WHERE import_id = ? COLLATE NOCASE",
    ):
        row = db.execute(query, [text]).fetchone()
        if row is not None:
            return str(row[0])
    return _by_symbol(db, text) or _imported_typo(db, text) or _symbol_typo(db, text)


def _by_symbol(db: sqlite3.Connection, text: str) -> str | None:
    """An indexed report's ask whose symbol `text` holds, followed by its paragraph (its letter
    typed without parentheses, with a decimal comma, or its numbers with zeros before them)."""
    symbols = [
        symbol
        for (symbol,) in db.execute(
            "SELECT DISTINCT document_symbol FROM recommendations WHERE document_symbol IS NOT NULL"
        )
    ]
    upper = text.upper()
    for symbol in sorted(symbols, key=len, reverse=True):  # A/HRC/28/15 before A/HRC/28/1
        at = upper.find(symbol.upper())
        if at < 0:
            continue
        paragraph = text[at + len(symbol) :].strip(_BETWEEN)
        unpadded = _PADDING.sub("", paragraph)
        # "109b" or "109 b" for "109(b)": a letter typed without its parentheses; "134,5" for
        # 134.5: a decimal comma, as a spreadsheet in a French or German locale shows it
        row = db.execute(
            "SELECT id FROM recommendations WHERE document_symbol = ?1 "
            "AND (paragraph IN (?2, replace(?2, ',', '.'), ?3, replace(?3, ',', '.')) "
            "COLLATE NOCASE OR (paragraph LIKE '%(%' "
            "AND replace(replace(paragraph, '(', ''), ')', '') = ?4 COLLATE NOCASE))",
            [symbol, paragraph, unpadded, _UNBRACKETED.sub("", unpadded)],
        ).fetchone()
        if row is not None:
            return str(row[0])
    return None


def _symbol_typo(db: sqlite3.Connection, text: str) -> str | None:
    """The ask of the one indexed report whose symbol is at most _SYMBOL_TYPOS typos from the
    symbol `text` names, which no indexed report has, and that holds its paragraph:
    "A/HRC/28/31#109.9" (two digits swapped) for A/HRC/28/13#109.9, with any separator
    `_by_symbol` reads ("A/HRC/28/31:109.9"; "A/HRC/28/31 109.9", its space taken out)."""
    found: set[str] = set()
    indexed: dict[str, bool] = {}
    for rec, held, paragraph in db.execute(
        "SELECT id, document_symbol, paragraph FROM recommendations "
        "WHERE document_symbol IS NOT NULL AND length(paragraph) < length(?1) "
        "AND substr(?1, -length(paragraph)) = paragraph",
        [text],
    ):
        symbol = text[: -len(paragraph)].rstrip(_BETWEEN).upper()
        if symbol not in indexed:  # indexed: what is wrong is the paragraph (`_paragraph_asks`)
            indexed[symbol] = _holds_symbol(db, symbol)
        if symbol and not indexed[symbol] and OSA.distance(symbol, held.upper()) <= _SYMBOL_TYPOS:
            found.add(str(rec))
    return found.pop() if len(found) == 1 else None


def _holds_symbol(db: sqlite3.Connection, symbol: str) -> bool:
    """Whether an indexed report has `symbol`, in any case."""
    query = "SELECT 1 FROM recommendations WHERE document_symbol = ? COLLATE NOCASE LIMIT 1"
    return db.execute(query, [symbol]).fetchone() is not None


def _as_printed(db: sqlite3.Connection, symbol: str, number: str) -> list[str]:
    """The asks of report `symbol` that print `number` as their own: under a paragraph, "17"
    (A/HRC/14/5 prints "17." under its paragraphs 81 and 82) gives 81.17 and 82.17, in
    paragraph order; a number with a dot, the ask printed under it that uprdex read as another
    ("136.69" inside paragraph 138 of A/HRC/28/12 p. 15, read as 138.69)."""
    number = number.strip(" .")
    if not number:
        return []
    found = [
        rec
        for rec, paragraph, printed in db.execute(
            "SELECT id, paragraph, as_printed FROM recommendations WHERE document_symbol = ?",
            [symbol],
        )
        if paragraph
        and "." in paragraph
        and (
            paragraph.rpartition(".")[2] == number
            if "." not in number
            else (printed or "").strip(" .") == number != paragraph
        )
    ]
    return sorted(found, key=_paragraph_order)


def _lettered(db: sqlite3.Connection, symbol: str, number: str) -> list[str]:
    """The asks of report `symbol` that its paragraph `number` of the interactive dialogue
    holds, each by its letter ("15" of A/HRC/8/41: 15(c) and 15(d)), in paragraph order."""
    found = [
        rec
        for rec, paragraph in db.execute(
            "SELECT id, paragraph FROM recommendations WHERE document_symbol = ?", [symbol]
        )
        if (letter := _LETTERED.match(paragraph or "")) and letter.group(1) == number.strip(" .")
    ]
    return sorted(found, key=_paragraph_order)


def _paragraph_asks(db: sqlite3.Connection, symbol: str, number: str) -> list[str]:
    """The asks of report `symbol` a number that names none most likely means, in paragraph
    order: of a paragraph ("90" in A/HRC/14/12), its asks; of an item of a paragraph that holds
    no asks ("96.7" in A/HRC/14/10, 96 a lead-in), that item of the nearest paragraphs that
    hold one (95.7 and 97.7, as near), when it lies among (or next to) the paragraphs of asks;
    none otherwise."""
    lead, dot, item = number.strip(" .").partition(".")
    if not lead.isdigit():
        return []
    items: dict[int, dict[str, str]] = {}
    for rec, paragraph in db.execute(
        "SELECT id, paragraph FROM recommendations WHERE document_symbol = ?", [symbol]
    ):
        head, _, rest = (paragraph or "").partition(".")
        if head.isdigit() and rest:
            items.setdefault(int(head), {})[rest] = rec
    if not dot:
        return sorted(items.get(int(lead), {}).values(), key=_paragraph_order)
    # a lead-in between or right beside the report's paragraphs of asks, not a far-off number
    if (
        int(lead) in items
        or not min(items, default=0) - 1 <= int(lead) <= max(items, default=-2) + 1
    ):
        return []
    holding = [at for at, asks in items.items() if item in asks]
    if not holding:
        return []
    near = min(abs(at - int(lead)) for at in holding)
    return [items[at][item] for at in sorted(holding) if abs(at - int(lead)) == near]


def _imported_typo(db: sqlite3.Connection, text: str) -> str | None:
    """The one imported id of the same review that is at most _IMPORT_TYPOS characters away."""
    shape = _IMPORTED_ID.match(text)
    if shape is None:
        return None
    review = shape.group("review")
    distances: dict[int, list[str]] = {}
    for (import_id,) in db.execute(
        "SELECT import_id FROM imports WHERE substr(import_id, 1, ?) = ? COLLATE NOCASE",
        [len(review), review],
    ):
        apart = Levenshtein.distance(text.casefold(), import_id.casefold())
        if apart <= _IMPORT_TYPOS:
            distances.setdefault(apart, []).append(import_id)
    closest = distances[min(distances)] if distances else []
    return closest[0] if len(closest) == 1 else None


def named_now(db: sqlite3.Connection, ids: Iterable[str]) -> dict[str, str]:
    """The report's ask each of these imported asks' ids names now (main link) that its WG
    report is indexed; ids that name no such import are left out."""
    return dict(
        db.execute(
            "SELECT i.import_id, i.recommendation_id FROM imports i "
            "JOIN recommendations r ON r.id = i.recommendation_id "
            "WHERE i.import_id IN (SELECT value FROM json_each(?)) "
            "AND i.recommendation_id != i.import_id",
            [json.dumps(sorted(set(ids)))],
        ).fetchall()
    )


def asks_of(names: Mapping[str, str], pair: tuple[str, str]) -> tuple[str, str]:
    """The two asks a correction's pair of ids names now (`named_now`'s `names`), smallest
    first."""
    a, b = (names.get(rec, rec) for rec in pair)
    return (min(a, b), max(a, b))


def recorded_by(
    names: Mapping[str, str], typed: tuple[str, str], stored: tuple[str, str], *, as_ask: bool
) -> bool:
    """Whether two ids a researcher typed (the index's spelling) name a correction recorded
    with `stored`: the same ids, or an ask's id typed for an imported id that names that ask
    now (the asks `cluster links` lists a line under); with `as_ask`, also an imported id typed
    for the report's ask it was recorded as (typed after its report was indexed)."""

    def same(given: str, recorded: str) -> bool:
        return (
            given == recorded
            or names.get(recorded) == given
            or (as_ask and names.get(given) == recorded)
        )

    (a, b), (first, second) = typed, stored
    return (same(a, first) and same(b, second)) or (same(a, second) and same(b, first))


@dataclass(frozen=True, slots=True)
class Resolved:
    """The recorded corrections as they apply: `held`, one per pair of asks, each imported id
    read as the report's ask it names now (the latest on a pair winning, `merge_corrections`'
    rule); `recorded`, the correction recorded for each of them; `to_itself`, those whose two
    ends are one ask now (ignored); `conflicts`, one line on each pair where two recorded
    corrections now disagree and on each contradiction, saying which wins."""

    held: tuple[Correction, ...]
    recorded: dict[tuple[str, str], tuple[Correction, ...]]
    to_itself: tuple[Correction, ...]
    conflicts: tuple[str, ...]

    def conflicts_since(self, before: Resolved) -> tuple[str, ...]:
        """The `conflicts` not said `before` a write (a report indexed, an import): those it
        made, said once by the command that wrote it."""
        return tuple(line for line in self.conflicts if line not in before.conflicts)


def resolved(db: sqlite3.Connection, recorded: Sequence[Correction]) -> Resolved:
    """The corrections `recorded` (under the ids the researchers typed, in the order they were
    recorded) as they apply now."""
    names = named_now(db, [rec for c in recorded for rec in c.pair])
    by_pair: dict[tuple[str, str], list[Correction]] = {}
    to_itself = []
    for c in recorded:
        asks = asks_of(names, c.pair)
        if asks[0] == asks[1]:
            to_itself.append(c)
            continue
        by_pair.setdefault(asks, []).append(c)
    held, conflicts = [], []
    for (a, b), said in sorted(by_pair.items()):
        # The latest word on the pair holds; in one second, the one recorded last.
        last = max(reversed(said), key=lambda c: c.at)
        held.append(Correction.of(a, b, last.kind.value, last.note, last.who, last.at))
        if len({c.kind for c in said}) > 1:
            others = ", ".join(c.describe() for c in said if c is not last)
            conflicts.append(
                f"{a} and {b}: {others} and {last.describe()} name this one pair now; "
                f"the later, the {last.kind.value} recorded {last.at}, holds"
            )
    for contradiction in contradictions(held):
        conflicts.append(f"{contradiction}; until then the links hold, not the unlink")
    return Resolved(
        tuple(held),
        {pair: tuple(said) for pair, said in by_pair.items()},
        tuple(to_itself),
        tuple(conflicts),
    )
