"""What a name a researcher misspelt likely means: a State's, a theme's (the CLI's warnings
of a filter that matches nothing)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from uprdex.pipeline.text import closest_spelling


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
    held = [
        theme
        for theme in names
        if all(
            any(word.startswith(part) for word in _THEME_WORD.findall(theme.casefold()))
            for part in typed
        )
    ]
    if not held:
        return ""
    listed = held[0] if len(held) == 1 else f"{', '.join(held[:-1])} or {held[-1]}"
    return f" (did you mean {listed}?)"
