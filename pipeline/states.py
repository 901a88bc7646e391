"""UN Member and Observer States: official short names, ISO codes, UN regional groups (as the
UPR Info export assigns them) and the aliases printed in real documents ("Iran", "DPR Korea",
"Bosnia & Herzegovina", "UK", "Turkey" ...).

The table is data/states.csv; add an alias there, not here.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache

from uprdex.pipeline.resources import data_path

__all__ = ["State", "StateTable", "load_states"]

_APOSTROPHES = str.maketrans({"’": "'", "‟": "'", "‘": "'", "`": "'"})
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

    def __init__(self, states: list[State], aliases: dict[str, State]) -> None:
        self.states = states
        self._by_key = aliases

    def resolve(self, name: str) -> State | None:
        """The State a printed name refers to, or None when it is not a known State."""
        return self._by_key.get(_key(name))

    def __contains__(self, name: str) -> bool:
        return _key(name) in self._by_key

    def by_iso3(self, code: str) -> State | None:
        """The State with this ISO 3166-1 alpha-3 code."""
        return next((state for state in self.states if state.iso3 == code.upper()), None)


@lru_cache(maxsize=1)
def load_states() -> StateTable:
    """The shipped table (data/states.csv)."""
    states: list[State] = []
    by_key: dict[str, State] = {}
    with data_path("states.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            state = State(
                row["name"], row["iso3"] or None, row["kind"], row.get("regional_group") or None
            )
            states.append(state)
            for spelling in [row["name"], *filter(None, row["aliases"].split("|"))]:
                by_key[_key(spelling)] = state
    return StateTable(states, by_key)
