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

# "Ratify CRPD and its Optional Protocol", "CAT and the OP thereto", "the ICCPR and its two
# Optional Protocols": the protocols of the treaty just named (`TreatyTable.protocols`).
_ITS = frozenset({"its", "the", "their"})
_COUNT = frozenset({"two", "three", "first", "second", "third"})
_PROTOCOL = {
    ("optional", "protocol"): False,
    ("optional", "protocols"): True,
    ("op",): False,
    ("ops",): True,
}
"""The words of "optional protocol" as written, and whether they are plural."""

# Words a treaty's name may have or lack: "Convention on Protection of All Persons from Enforced
# Disappearance" (as Iraq wrote it, A/HRC/28/15 115.14) is the Convention for the Protection ...
_GLUE = frozenset({"a", "an", "for", "of", "on", "the", "to"})


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
    protocols: Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]] = field(default_factory=dict)
    """Treaty key -> (its protocol when a text says "its Optional Protocol": only where it has
    one; all its protocols, for "its Optional Protocols"): "crpd" -> (("opcrpd",),
    ("opcrpd",)), "crc" -> ((), ("opcrcac", "opcrcic", "opcrcsc"))."""

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
        return " ".join(self._with_protocols(words))

    def _with_protocols(self, words: list[str]) -> list[str]:
        """`words` with "its Optional Protocol(s)" after a treaty key as the protocols' keys:
        "crpd and its optional protocol" -> "crpd and opcrpd" (as "Ratify the OP-CRPD" names
        it). A protocol named on ("... Optional Protocol to the CAT") is the alias's."""
        out: list[str] = []
        at = 0
        while at < len(words):
            word = words[at]
            out.append(word)
            at += 1
            if word not in self.protocols:
                continue
            end = at + (at < len(words) and words[at] == "and")
            end += end < len(words) and words[end] in _ITS
            end += end < len(words) and words[end] in _COUNT
            for written, plural in _PROTOCOL.items():
                stop = end + len(written)
                if tuple(words[end:stop]) != written or (
                    stop < len(words) and words[stop] in _GLUE
                ):
                    continue
                keys = self.protocols[word][plural]
                if keys:
                    out.extend(words[at : end - (words[end - 1] in _ITS | _COUNT)])
                    out.extend(key for key in keys if words[stop : stop + 1] != [key])
                    at = stop + (words[stop : stop + 1] == ["thereto"])
                break
        return out


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
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            key = fold_words(row["key"]).replace(" ", "")
            aliases[(key,)] = key
            for name in [row["name"], *row["aliases"].split("|")]:
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
    )


def _protocols(
    aliases: Mapping[tuple[str, ...], str],
) -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    """Each treaty's protocols, read off the aliases "optional protocol to the KEY ..." (and
    "second optional protocol to the KEY"): one where the plain alias names exactly one."""
    keys = set(aliases.values())
    plain: dict[str, set[str]] = defaultdict(set)
    every: dict[str, set[str]] = defaultdict(set)
    for alias, key in aliases.items():
        start = 1 if alias[0] in _COUNT else 0
        if alias[start : start + 2] == ("optional", "protocol") and len(alias) > start + 2:
            treaty = alias[start + 2]
            if treaty in keys and treaty != key:
                every[treaty].add(key)
                if start == 0:
                    plain[treaty].add(key)
    return {
        treaty: (
            tuple(sorted(plain[treaty])) if len(plain[treaty]) == 1 else (),
            tuple(sorted(found)),
        )
        for treaty, found in every.items()
    }
