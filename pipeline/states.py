"""UN Member and Observer States: official short names, ISO codes, UN regional groups (as the
UPR Info export assigns them) and the aliases printed in real documents ("Iran", "DPR Korea",
"Bosnia & Herzegovina", "UK", "Turkey" ...), and the cutting of a printed list of them, "(Ghana,
Philippines and Peru)", which the WG report's reader (extractors/state_lists.py) and the UPR Info
linker (pipeline/store/linking.py) share.

The table is data/states.csv; add an alias there, not here.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from uprdex.pipeline.resources import data_path
from uprdex.pipeline.text import APOSTROPHES

__all__ = [
    "State",
    "StateTable",
    "load_states",
    "parentheticals",
    "split_state_list",
    "state_list_names",
]

_APOSTROPHES = str.maketrans(dict.fromkeys(APOSTROPHES, "'"))
_SPACES = re.compile(r"\s+")
_SPACE_IN_PARENS = re.compile(r"\s*\(\s*|\s*\)")


@dataclass(frozen=True, slots=True)
class State:
    """One row of the State table; `iso3` is None for organisations that are not States."""

    name: str
    iso3: str | None
    kind: str
    regional_group: str | None = None


def _key(name: str) -> str:
    """Spelling-insensitive lookup key: case, apostrophes, spacing, a leading "the"."""
    key = _SPACES.sub(" ", name.translate(_APOSTROPHES)).strip().casefold()
    key = _SPACE_IN_PARENS.sub(lambda m: "(" if "(" in m.group() else ")", key)
    return key.removeprefix("the ").strip(" .;,")


class StateTable:
    """Resolves any known spelling of a State to its official UN short name."""

    def __init__(
        self,
        states: list[State],
        aliases: dict[str, State],
        suggested: dict[str, State] | None = None,
    ) -> None:
        self.states = states
        self._by_key = aliases
        self._suggested = suggested or {}

    def resolve(self, name: str) -> State | None:
        """The State a printed name refers to, or None when it is not a known State."""
        return self._by_key.get(_key(name))

    def __contains__(self, name: str) -> bool:
        return _key(name) in self._by_key

    def spellings(self) -> dict[str, State]:
        """Every spelling `resolve` knows, as it keys them (casefolded, no leading "the"),
        with its State."""
        return dict(self._by_key)

    def suggested(self) -> dict[str, State]:
        """The names a researcher may type for a State that no UN document prints for it
        ("Holland", "Schweiz"), keyed as `spellings`: the CLI suggests the State of one
        (`state_meant`); `resolve` and `given` do not read them as it."""
        return dict(self._suggested)

    def by_iso3(self, code: str) -> State | None:
        """The State with this ISO 3166-1 alpha-3 code."""
        return next((state for state in self.states if state.iso3 == code.upper()), None)

    def given(self, text: str) -> State | None:
        """The State a researcher names on the command line: any known spelling, or its ISO
        code in any case ("SLV", "slv": El Salvador, as UPR Info's exports name it). Only what
        a person types: a printed list is read with `resolve`, where "(Andorra and Chile)"'s
        "and" is no Andorra (AND)."""
        code = text.strip()
        found = self.resolve(text)
        if found is None and len(code) == 3 and code.isalpha():
            return self.by_iso3(code)
        return found


@lru_cache(maxsize=1)
def load_states() -> StateTable:
    """The shipped table (data/states.csv)."""
    states: list[State] = []
    by_key: dict[str, State] = {}
    suggested: dict[str, State] = {}
    with data_path("states.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            state = State(
                row["name"], row["iso3"] or None, row["kind"], row.get("regional_group") or None
            )
            states.append(state)
            for spelling in [row["name"], *filter(None, row["aliases"].split("|"))]:
                by_key[_key(spelling)] = state
            for typed in filter(None, (row.get("suggested") or "").split("|")):
                suggested[_key(typed)] = state
    return StateTable(states, by_key, suggested)


def parentheticals(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, inside) of each top-level "( ... )" of a text, nested ones kept inside:
    "Ratify OP-CAT (United Kingdom, Albania) and OP-CEDAW (Portugal, Albania)" gives two.

    A "(" never closed encloses nothing: the balanced groups after it are still found, as if
    the scan started again after it ("OP-CAT (OP-CAT (Brazil); adopt a law (France)" gives
    "Brazil" and "France")."""
    opened: list[int] = []
    pairs: list[tuple[int, int]] = []
    for index, char in enumerate(text):
        if char == "(":
            opened.append(index)
        elif char == ")" and opened:
            pairs.append((opened.pop(), index))
    end = -1
    for start, close in sorted(pairs):
        if start > end:  # not inside the last group given
            yield start, close + 1, text[start + 1 : close]
            end = close


def split_state_list(inner: str) -> list[str]:
    """Split the inside of "(Ghana, Philippines)" at top-level commas, ";", "and" and "/".

    Nested parentheses stay whole: "Venezuela (Bolivarian Republic of), Peru" gives two names.
    """
    parts: list[str] = []
    depth = 0
    current: list[str] = []
    for char in inner:
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        if depth == 0 and char in ",;/":
            parts.append("".join(current))
            current = []
            continue
        current.append(char)
    parts.append("".join(current))
    names: list[str] = []
    for part in parts:
        names.extend(_AND.split(part))
    return [name.strip() for name in names if name.strip()]


# "(Italy and Germany)"; never inside "Bosnia and Herzegovina" (`state_list_names` joins the
# pieces again where the whole is a State).
_AND = re.compile(r"\s+and\s+(?![^()]*\))")


def state_list_names(inner: str, states: StateTable) -> list[str]:
    """The names a printed State list holds, as printed, each a State when the table knows it:
    "Ghana, Philippines and Peru" gives three; a name that holds "and" or "," stays whole, as
    in "(Netherlands, United Kingdom of Great Britain and Northern Ireland, France)", "(Cuba,
    Venezuela, Bolivarian Republic of)" and "(Bosnia and Herzegovina)"."""
    if states.resolve(inner):
        return [inner.strip()]
    joined: list[str] = []
    for part in split_state_list(inner):
        whole = next(
            (
                f"{joined[-1]}{joiner}{part}"
                for joiner in (" and ", ", ")
                if joined and states.resolve(f"{joined[-1]}{joiner}{part}")
            ),
            None,
        )
        if whole and not states.resolve(part):
            joined[-1] = whole
        else:
            joined.append(part)
    return joined
