"""What a name a researcher misspelt likely means: a State's, a theme's (the CLI's warnings
of a filter that matches nothing); what a search also searched, and what one typed in
capitals meant (`search_notes`)."""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable, Iterable, Mapping
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
# The fewest letters of a theme's initials a researcher's abbreviation is read as ("SOGI",
# "IHL"): two ("ED", "HA") would name themes nobody abbreviates so.
_INITIALS = 3
# Words of a name that name nothing by themselves: "Kingdom of Saudi Arabia" holds Saudi
# Arabia's words, not "Kingdom"'s; an abbreviation may leave them out (Sexual Orientation and
# Gender Identity is "SOGI").
_LINKING_WORDS = frozenset({"of", "the", "and"})


def _initials(theme: str) -> set[str]:
    """The abbreviations of a theme's name, in lower case: its words' first letters, with and
    without its linking words ("soagi", "sogi" of Sexual Orientation and Gender Identity; "idp"
    of Internally displaced persons)."""
    words = _THEME_WORD.findall(theme.casefold())
    return {
        "".join(w[0] for w in words),
        "".join(w[0] for w in words if w not in _LINKING_WORDS),
    }


def theme_meant(given: str, themes: Iterable[str]) -> str:
    """' (did you mean Torture and other CID treatment?)': the one theme whose name `given`
    begins ("human rights ed"), else the theme a misspelt `given` is closest to (`did_you_mean`),
    else the themes whose names hold each of its words, each as a word, the start of one
    ("torture", "disappearance") or one's longer form ("children": Rights of the Child), else
    those holding any of its words of four letters or more ("child labour": Labour or Rights of
    the Child), else those whose initials it spells ("SOGI", "IDPs": `_initials`), or '' when
    none does."""
    names = list(themes)
    begun = given.strip().casefold()
    # the start of a name, as a researcher stops typing it: "human rights ed" is Human rights
    # education and training, though Human rights defenders is fewer edits away
    started = [theme for theme in names if begun and theme.casefold().startswith(begun)]
    if len(started) == 1:
        return _meant_of(started)
    close = did_you_mean(given, names)
    typed = _THEME_WORD.findall(given.casefold())
    if close or not typed:
        return close
    held = [theme for theme in names if all(_holds(theme, part) for part in typed)] or [
        theme for theme in names if any(_holds(theme, part) for part in typed if len(part) >= 4)
    ]
    if not held and len(typed) == 1 and len(typed[0].removesuffix("s")) >= _INITIALS:
        held = [theme for theme in names if typed[0].removesuffix("s") in _initials(theme)]
    return _meant_of(held)


_MOST_STATES_MEANT = 5


def state_meant(given: str, states: StateTable) -> str:
    """' (did you mean France?)': the State a misspelt `given` is closest to by any spelling
    the table knows or name it suggests the State for ("Holland", `StateTable.suggested`), said
    by its UN name (`did_you_mean`: "Frnace"); else the States one of whose spellings holds
    each word of it, as a word or its start ("Saudi": Saudi Arabia; "Korea": Democratic
    People's Republic of Korea or Republic of Korea; "Czech Rep" and "Czech": Czechia, once the
    Czech Republic) or whose spelling's words it holds all of ("Kingdom of Saudi Arabia", as
    A/HRC/25/3 prints it: Saudi Arabia); '' when none does."""
    known = {**states.suggested(), **states.spellings()}
    spellings = {spelling: state.name for spelling, state in known.items()}
    # by every spelling the table knows, and the names it suggests a State for ("Holland"):
    # "Netherland" is close to "Netherlands", not to the UN name "Netherlands (Kingdom of the)"
    close = did_you_mean(given, spellings, said=spellings)
    typed = set(_THEME_WORD.findall(given.casefold())) - _LINKING_WORDS
    if close or not typed:
        return close
    held = set()
    for spelling, name in spellings.items():
        words = set(_THEME_WORD.findall(spelling.casefold())) - _LINKING_WORDS
        # a word typed may be a word's start: "Czech Rep" (Czech Republic, Czechia)
        if words and (all(_begins(part, words) for part in typed) or words <= typed):
            held.add(name)
    # "Republic" names twenty States: a list that long helps no one
    return _meant_of(sorted(held)) if len(held) <= _MOST_STATES_MEANT else ""


def _meant_of(names: list[str]) -> str:
    """' (did you mean A, B or C?)' of the names meant, or '' of none."""
    if not names:
        return ""
    listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"
    return f" (did you mean {listed}?)"


def _holds(theme: str, typed: str) -> bool:
    """Does a theme's name hold the typed word, as a word, the start of one, or one's longer
    form ("children" of "Rights of the Child", a word of four letters or more)?"""
    words = _THEME_WORD.findall(theme.casefold())
    return _begins(typed, words) or any(len(w) >= 4 and typed.startswith(w) for w in words)


def _begins(typed: str, words: Iterable[str]) -> bool:
    """Is a typed word one of a name's `words` or the start of one ("rep" of Czech Republic,
    "disappearance" of Enforced disappearances)? `state_meant` and `theme_meant` read a word
    typed so."""
    return any(word.startswith(typed) for word in words)


def search_notes(
    store: Store, where: RecFilter, words: str | None = None, found: int | None = None
) -> list[str]:
    """The lines to say on stderr of a search: what else it searched (`widened_line`), what its
    words in capitals matched (`capitals_line`). `words` and `found`: `search`'s words and how
    many asks it found for them (in their text or evidence); None for a filter's --search
    (`where.search`, counted in the asks' text). Each count the lines need is made once: both
    compare with the search's own count, which `search` gives."""
    words = where.search if words is None else words
    if not words:
        return []
    counts = {} if found is None else {(words, where.widen): found}

    def counted(text: str, widen: bool) -> int:
        """How many asks the search finds with `text` for its words, widened or not."""
        if (text, widen) not in counts:
            counts[text, widen] = (
                store.matching(replace(where, search=text, widen=widen))
                if found is None
                else store.search_count(text, replace(where, widen=widen))
            )
        return counts[text, widen]

    lines = (widened_line(words, where.widen, counted), capitals_line(words, where.widen, counted))
    return [line for line in lines if line]


def widened_line(words: str, widen: bool, counted: Callable[[str, bool], int]) -> str | None:
    """The line to say of the other names a search also searched for its words ("also
    searched: CAT, UNCAT (for "Convention against Torture")"), so that a result without them
    reads right, with how to search the words as typed only; None unless the other names
    found an ask the words as typed do not (`counted`: `search_notes`')."""
    from uprdex.pipeline.store.search_terms import search_terms, widened_note

    terms = search_terms(words)
    note = widened_note(terms)
    # widening only adds: more asks is an ask found by another name
    if note is None or counted(words, widen) <= counted(words, False):
        return None
    quoted = shlex.quote('"' + next(term.typed for term in terms if term.also) + '"')
    return (
        f"[yellow]note[/] {escape(note)}; quote the words to search them as typed only: "
        f"{escape(quoted)}"
    )


def capitals_line(words: str, widen: bool, counted: Callable[[str, bool], int]) -> str | None:
    """Of a search with words typed in capitals (read as abbreviations: WHO, not "who"), the
    line to say on stderr when the words in lower case find more asks ("TORTURE" typed with
    caps lock finds none); None otherwise (`counted`: `search_notes`')."""
    from uprdex.pipeline.store.search_case import capitals

    typed = capitals(words)
    if not typed:
        return None
    lower = re.sub(rf"\b({'|'.join(map(re.escape, typed))})(?=s?\b)", _lower, words)
    if counted(lower, widen) <= counted(words, widen):
        return None
    return (
        f"[yellow]note[/] {escape(', '.join(typed))} matched only where printed in capitals, "
        f"as an abbreviation; in lower case it matches any case: {escape(shlex.quote(lower))}"
    )


def _lower(match: re.Match[str]) -> str:
    return match.group().lower()
