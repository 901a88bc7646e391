"""What a name a researcher misspelt likely means: a State's, a theme's (the CLI's warnings
of a filter that matches nothing); what a search typed in capitals meant."""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING

from rich.markup import escape

from uprdex.pipeline.text import closest_spelling

if TYPE_CHECKING:
    from uprdex.pipeline.states import StateTable
    from uprdex.pipeline.store import RecFilter, Store


def did_you_mean(given: str, known: Iterable[str], said: Mapping[str, str] | None = None) -> str:
    """' (did you mean Kazakhstan?)': the one of `known` names a misspelt `given` is closest to,
    in any case (`closest_spelling`: "labor" is Labour, "Cuab" Cuba), or '' when none is that
    close; said as `said` names that spelling ("turkey": Türkiye), if given."""
    by_folded = {spelling.casefold(): (said or {}).get(spelling, spelling) for spelling in known}
    close = closest_spelling(given.casefold(), by_folded, by_folded.get)
    return f" (did you mean {close}?)" if close else ""


# A word of a theme's name as a researcher types one: "torture", "disappearances".
_THEME_WORD = re.compile(r"[^\W_]+")


def theme_meant(given: str, themes: Iterable[str]) -> str:
    """' (did you mean Torture and other CID treatment?)': the theme a misspelt `given` is
    closest to (`did_you_mean`), else the themes whose names hold each of its words, each as
    a word or the start of one ("torture", "disappearance"), or '' when none does."""
    names = list(themes)
    close = did_you_mean(given, names)
    typed = _THEME_WORD.findall(given.casefold())
    if close or not typed:
        return close
    return _meant_of(
        [
            theme
            for theme in names
            if all(
                any(word.startswith(part) for word in _THEME_WORD.findall(theme.casefold()))
                for part in typed
            )
        ]
    )


# Words of a State's name that name no State by themselves: "Kingdom of Saudi Arabia" holds
# Saudi Arabia's words, not "Kingdom"'s.
_LINKING_WORDS = frozenset({"of", "the", "and"})
_MOST_STATES_MEANT = 5


def state_meant(given: str, states: StateTable) -> str:
    """' (did you mean France?)': the State a misspelt `given` is closest to by any spelling
    the table knows, said by its UN name (`did_you_mean`: "Frnace"); else the States whose UN
    names hold each word of it ("Saudi": Saudi Arabia; "Korea": Democratic People's Republic
    of Korea or Republic of Korea) or whose names' words it holds all of ("Kingdom of Saudi
    Arabia", as A/HRC/25/3 prints it: Saudi Arabia); '' when none does."""
    spellings = {spelling: known.name for spelling, known in states.spellings().items()}
    # by every spelling the table knows: "Netherland" is close to "Netherlands", not to the UN
    # name "Netherlands (Kingdom of the)"
    close = did_you_mean(given, spellings, said=spellings)
    typed = set(_THEME_WORD.findall(given.casefold())) - _LINKING_WORDS
    if close or not typed:
        return close
    held = []
    for state in states.states:
        words = set(_THEME_WORD.findall(state.name.casefold())) - _LINKING_WORDS
        if typed <= words or words <= typed:
            held.append(state.name)
    # "Republic" names twenty States: a list that long helps no one
    return _meant_of(sorted(held)) if len(held) <= _MOST_STATES_MEANT else ""


def _meant_of(names: list[str]) -> str:
    """' (did you mean A, B or C?)' of the names meant, or '' of none."""
    if not names:
        return ""
    listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"
    return f" (did you mean {listed}?)"


def capitals_line(
    store: Store, where: RecFilter, words: str | None = None, found: int | None = None
) -> str | None:
    """Of a search with words typed in capitals (read as abbreviations: WHO, not "who"), the
    line to say on stderr when the words in lower case find more asks ("TORTURE" typed with
    caps lock finds none); None otherwise. `found`: how many asks `search` found, None for a
    filter's --search (`words` then its words)."""
    from uprdex.pipeline.store.search_case import capitals

    words = where.search if words is None else words
    typed = capitals(words or "")
    if not typed:
        return None
    lower = re.sub(rf"\b({'|'.join(map(re.escape, typed))})(?=s?\b)", _lower, words or "")
    if found is None:
        more = store.matching(replace(where, search=lower)) > store.matching(where)
    else:
        more = store.search(lower, where, 1).matched > found
    if not more:
        return None
    return (
        f"[yellow]note[/] {escape(', '.join(typed))} matched only where printed in capitals, "
        f"as an abbreviation; in lower case it matches any case: {escape(shlex.quote(lower))}"
    )


def _lower(match: re.Match[str]) -> str:
    return match.group().lower()
