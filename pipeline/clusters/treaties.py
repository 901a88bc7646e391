"""Treaty names and abbreviations, each read as one key ("iccpr", "opcat", "ced")."""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from uprdex.pipeline.resources import data_path

TREATIES_CSV = data_path("treaties.csv")
"""The shipped treaty table: key, official name, `|`-separated aliases."""

_NON_WORD = re.compile(r"[\W_]+")

# "Ratify CRPD and its Optional Protocol", "CAT, as well as its Optional Protocol", "the ICCPR
# and its Second Optional Protocol": the protocols of the treaty just named
# (`TreatyTable.protocols`). "OP" alone counts only after "its", "the" or "their": in "CRPD and
# OP-CRC-AC" it opens another protocol's name.
_AND = (("and",), ("as", "well", "as"), ())
_ITS = frozenset({"its", "the", "their"})
_ORDINALS = frozenset({"first", "second", "third"})
_COUNTED = _ORDINALS | {"two", "three"}
"""The words before "Optional Protocol(s)" that pick which of the treaty's protocols it names."""
_PROTOCOL = {
    ("optional", "protocol"): "one",
    ("optional", "protocols"): "all",
    ("op",): "one",
    ("ops",): "all",
}
"""The words of "optional protocol" as written, and which of the treaty's protocols they name."""

# Words a treaty's name may have or lack: "Convention on Protection of All Persons from Enforced
# Disappearance" (as Iraq wrote it, A/HRC/28/15 115.14) is the Convention for the Protection ...
_GLUE = frozenset({"a", "an", "for", "of", "on", "the", "to"})
# The glue words that name a protocol on after "Optional Protocol": "... and the Optional
# Protocols to the CRC". An article opens the list's next item instead: "CAT and its Optional
# Protocol, the ICRMW and CRPD" (UPR Info, DPR Korea 2009).
_NAMED_ON = _GLUE - {"a", "an", "the"}
_PROTOCOL_WORDS = frozenset({"protocol", "protocols"})


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
    protocols: Mapping[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)
    """(treaty key, which) -> the treaty's protocols a text names after it: "one" for "its
    Optional Protocol" (only where exactly one protocol is named without an ordinal: the
    ICCPR's first, none of the CRC's three), "all" (and "three") for "its Optional Protocols",
    "two" for "its two Optional Protocols" (all but a third), an ordinal for "its Second
    Optional Protocol": ("crpd", "one") -> ("opcrpd",), ("iccpr", "one") -> ("opiccpr",), ("iccpr",
    "second") -> ("opiccpr2",), ("crc", "two") -> ("opcrcac", "opcrcsc")."""
    names: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Key -> its name and aliases as the table writes them ("cat" -> ("Convention against
    Torture and Other Cruel, ...", "CAT", "UNCAT", ...)): what `uprdex search` also searches."""
    written: Mapping[str, frozenset[str]] = field(default_factory=dict)
    """Key -> its names of one word, folded ("cat" -> {"cat", "uncat"}; "rome" -> none)."""

    def replace(self, text: str) -> str:
        """Text (already lower-cased, punctuation-free) with every treaty alias as its key.

        Where a name has glue words ("the", "for", "on", ...), any glue words, or none, may
        stand: "convention on protection of all persons from enforced disappearance" is "ced".
        Where it has none, none may: "... of women, the convention against torture" keeps CAT.
        After "protocol" they must name it on (`_NAMED_ON`): "crpd and its optional protocol,
        the convention against torture" is no protocol to the CAT.
        """
        return " ".join(self._with_protocols(self._keyed(text.split())[0]))

    def spans(self, words: Sequence[str]) -> list[tuple[int, int, str]]:
        """Where `words` (lower-cased, punctuation-free) name a treaty as the table writes it:
        (start, end, key) of each name, as `replace` reads them ("optional protocol to the
        convention against torture": (0, 7, "opcat")). A bare key that is no written name
        ("rome", "genocide") names none here."""
        keyed, spans = self._keyed(list(words))
        return [
            (start, end, key)
            for key, (start, end) in zip(keyed, spans, strict=True)
            if key in self.keys
            and (end - start > 1 or words[start] != key or key in self.written.get(key, ()))
        ]

    def _keyed(self, words: list[str]) -> tuple[list[str], list[tuple[int, int]]]:
        """`words` with every alias as its key, and the span of `words` each word stands for."""
        spans = [(at, at + 1) for at in range(len(words))]
        # Up to three passes: "optional protocol to the international covenant on economic ..."
        # becomes "optional protocol to the icescr", then "opicescr".
        for _ in range(3):
            out: list[str] = []
            out_spans: list[tuple[int, int]] = []
            changed = False
            at = 0
            while at < len(words):
                for alias in self.by_first.get(words[at], ()):
                    end = _match(words, at, alias, self.glued.get(alias, frozenset()))
                    if end:
                        key = self.aliases[alias]
                        changed = changed or alias != (key,)
                        out.append(key)
                        out_spans.append((spans[at][0], spans[end - 1][1]))
                        at = end
                        break
                else:
                    out.append(words[at])
                    out_spans.append(spans[at])
                    at += 1
            words, spans = out, out_spans
            if not changed:
                break
        return words, spans

    def _with_protocols(self, words: list[str]) -> list[str]:
        """`words` with "and its Optional Protocol(s)" after a treaty key as the protocols'
        keys: "crpd and its optional protocol thereto" -> "crpd opcrpd" (as "Ratify the
        OP-CRPD" names it). A protocol named on ("... Optional Protocol to the CAT") is the
        alias's."""
        out: list[str] = []
        at = 0
        while at < len(words):
            out.append(words[at])
            at += 1
            found = self._protocols_after(out[-1], words, at) if out[-1] in self.keys else None
            if found:
                keys, at = found
                out.extend(key for key in keys if words[at : at + 1] != [key])
                at += words[at : at + 1] == ["thereto"]
        return out

    def _protocols_after(
        self, treaty: str, words: list[str], at: int
    ) -> tuple[tuple[str, ...], int] | None:
        """The protocols of `treaty` that words[at:] name first ("and its optional protocol")
        and where that phrase ends, or None."""
        for joined in _AND:
            start = at + len(joined)
            if tuple(words[at:start]) != joined:
                continue
            own = start < len(words) and words[start] in _ITS
            start += own
            which = words[start] if start < len(words) else ""
            counted = which in _COUNTED
            start += counted
            for written, number in _PROTOCOL.items():
                stop = start + len(written)
                abbreviated = len(written) == 1  # "op", "ops"
                if (
                    tuple(words[start:stop]) != written
                    or (stop < len(words) and words[stop] in _NAMED_ON)
                    or (abbreviated and not own)
                ):
                    continue
                keys = self.protocols.get((treaty, which if counted else number), ())
                return (keys, stop) if keys else None
        return None


def _match(words: Sequence[str], at: int, alias: tuple[str, ...], glued: frozenset[int]) -> int:
    """Where `alias` ends when it starts at words[at], else 0. Glue words may come before the
    alias words at the positions in `glued`."""
    matched = 0
    while matched < len(alias) and at < len(words):
        if words[at] == alias[matched]:
            matched += 1
        elif (
            words[at] not in _GLUE
            or matched not in glued
            or (words[at - 1] in _PROTOCOL_WORDS and words[at] not in _NAMED_ON)
        ):
            return 0
        at += 1
    return at if matched == len(alias) else 0


def fold_words(text: str) -> str:
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
    names: dict[str, tuple[str, ...]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            key = fold_words(row["key"]).replace(" ", "")
            aliases[(key,)] = key
            names[key] = (row["name"], *filter(None, row["aliases"].split("|")))
            for name in names[key]:
                content: list[str] = []
                gaps: set[int] = set()
                for word in fold_words(name).split():
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
        protocols=_protocols(aliases),
        names=names,
        written={
            key: frozenset(folded for name in named if " " not in (folded := fold_words(name)))
            for key, named in names.items()
        },
    )


def _protocols(aliases: Mapping[tuple[str, ...], str]) -> dict[tuple[str, str], tuple[str, ...]]:
    """Each treaty's protocols (`TreatyTable.protocols`), read off the aliases "optional
    protocol to the KEY ..." and "second optional protocol to the KEY"."""
    keys = set(aliases.values())
    found: dict[tuple[str, str], set[str]] = defaultdict(set)
    for alias, key in aliases.items():
        ordinal = alias[0] if alias[0] in _ORDINALS else ""
        start = 1 if ordinal else 0
        if alias[start : start + 2] != ("optional", "protocol") or len(alias) <= start + 2:
            continue
        treaty = alias[start + 2]
        if treaty in keys and treaty != key:
            found[treaty, "all"].add(key)
            found[treaty, ordinal or "one"].add(key)
    table = {which: tuple(sorted(protocols)) for which, protocols in found.items()}
    for treaty in {treaty for treaty, _ in found}:
        if len(table.get((treaty, "one"), ())) != 1:
            table.pop((treaty, "one"), None)  # "its Optional Protocol" of the CRC names none
        table[treaty, "two"] = tuple(sorted(found[treaty, "all"] - found[treaty, "third"]))
        table[treaty, "three"] = table[treaty, "all"]
    return table
