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
    a word, the start of one ("torture", "disappearance") or one's longer form ("children":
    Rights of the Child), else those holding any of its words of four letters or more ("child
    labour": Labour or Rights of the Child), or '' when none does."""
    names = list(themes)
    close = did_you_mean(given, names)
    typed = _THEME_WORD.findall(given.casefold())
    if close or not typed:
        return close
    held = [theme for theme in names if all(_holds(theme, part) for part in typed)] or [
        theme for theme in names if any(_holds(theme, part) for part in typed if len(part) >= 4)
    ]
    if not held:
        return ""
    listed = held[0] if len(held) == 1 else f"{', '.join(held[:-1])} or {held[-1]}"
    return f" (did you mean {listed}?)"


def _holds(theme: str, typed: str) -> bool:
    """Does a theme's name hold the typed word, as a word, the start of one, or one's longer
    form ("children" of "Rights of the Child", a word of four letters or more)?"""
    return any(
        word.startswith(typed) or (len(word) >= 4 and typed.startswith(word))
        for word in _THEME_WORD.findall(theme.casefold())
    )


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
