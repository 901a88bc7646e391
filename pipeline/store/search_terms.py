"""A search's words as full-text terms, widened to the other names of what they name.

A treaty or a body is printed by its name in one ask and by its abbreviation in the next: "Ratify
CAT (Turkey)" (A/HRC/27/10 124.9) and "Ratify the Convention against Torture" are one ask, as
the clusters read them. A search for either finds both: the words that name a treaty (as the
treaty table the normalizer reads writes it, data/treaties.csv), an institution or a practice
(the normalizer's `OBJECT_ABBREVIATIONS`: NHRI, FGM, ...) or a body the normalizer does not
write out (data/search_aliases.csv: COI, ILO, ...) match as typed OR as any other of its names.
What the words matched before, they still match: the widening only adds. Quoted words
('"death penalty"') are a phrase, FTS5's: the words next to each other, in that order, and
never widened: quoting is how a researcher searches the words as typed only. A compound is
found printed joined or spaced: a word the shipped word list knows as two words joined also
searches the two as a phrase ("socioeconomic": "socio economic"), two words it knows joined
also search the joined word ("child care": "childcare"), each half a word of three letters or
more that is no stop word.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from uprdex.pipeline.clusters.normalize import OBJECT_ABBREVIATIONS, STOPWORDS, stem
from uprdex.pipeline.clusters.treaties import fold_words, load_treaties
from uprdex.pipeline.resources import data_path
from uprdex.pipeline.store.folding import fts_phrase, has_words, straight_quotes
from uprdex.pipeline.text import Vocabulary, load_vocabulary

__all__ = ["SearchTerm", "search_terms", "widened_note"]

SEARCH_ALIASES_CSV = data_path("search_aliases.csv")
"""Bodies the normalizer does not write out, for search only: name, `|`-separated aliases.
They are not in the normalizer's tables because the texts the shipped models were trained on
print them ("COI" 17 times in the UPR Info export): writing them out there would change those
texts' normalized keys and so the models' (`normalize.NORMALIZATION`)."""

# The tokens full-text search reads a name as (unicode61): "Women's Convention" is
# "women s convention".
_TOKEN = re.compile(r"[^\W_]+")
# A phrase in double quotes, and the words around it: 'abolish "death penalty"' is "abolish ",
# "death penalty", "". A quote left open runs to the end, as browse's search reads it
# (Datasette's `escape_fts`).
_QUOTED = re.compile(r'"([^"]*)(?:"|$)')
_POSSESSIVE = re.compile(r"(?<=\w)['’]s$", re.IGNORECASE)
# British -ise/-isation and American -ize/-ization: one word to a name ("organisation" stems to
# "organis", "organization" to "organ"), read as the -ize spelling. Both sides of a match are
# read so, which is why a word like "promise" read as "promize" does no harm.
_BRITISH = re.compile(r"(?<=\w\w\w)is(e|es|ed|ing|ation|ations|ational)$")
_AMERICAN = re.compile(r"(?<=\w\w\w)iz(e|es|ed|ing|ation|ations|ational)\b")
# A plain word's other spelling, British or American, each way: the reports print both ("“honor
# crimes” (Chile)", A/HRC/14/14 81.71; "“honour crimes” (Chile)", A/HRC/28/14 127.134). Two
# letters at least before the ending, so that "for" is never "four"; a respelling is searched
# only when the shipped word list knows it, so that "actor" is never "actour".
_RESPELLINGS = (
    (_BRITISH, r"iz\1"),
    (_AMERICAN, r"is\1"),
    (re.compile(r"(?<=\w\w)our(s|ed|ing|able|ably|ite|ites)?$"), r"or\1"),
    (re.compile(r"(?<=\w\w)or(s|ed|ing|able|ably|ite|ites)?$"), r"our\1"),
    (re.compile(r"(?<=\w\w\w)tre(s)?$"), r"ter\1"),
    (re.compile(r"(?<=\w\w\w)ter(s)?$"), r"tre\1"),
    (re.compile(r"(?<=\w\w)ence(s)?$"), r"ense\1"),
    (re.compile(r"(?<=\w\w)ense(s)?$"), r"ence\1"),
    # "public programs" (A/HRC/22/11 123.82), "programmes and measures" (122.6)
    (re.compile(r"(?<=\w\w\w)gramme(s)?$"), r"gram\1"),
    (re.compile(r"(?<=\w\w\w)gram(s)?$"), r"gramme\1"),
)
# An -ise/-ize word's verb in -ize: the word list knows a spelling by it too, as it holds few of
# each verb's forms ("standardize" but neither "standardized" nor "standardised", which
# A/HRC/22/11 123.70 prints); "promise" is never "promize", the word list knowing no "promize".
_IZE_VERB = re.compile(r"(?<=\w\w\w)i[sz](?:e|es|ed|ing|ation|ations|ational)$")


@dataclass(frozen=True, slots=True)
class SearchTerm:
    """One term of a search: the words as typed (`typed`), and the other names of what they
    name that a record may hold instead (`also`, none for a plain word)."""

    typed: str
    also: tuple[str, ...] = ()
    phrase: bool = False
    """The words were quoted: all of them, next to each other, in that order."""

    @property
    def fts(self) -> str:
        """The term as FTS5 reads it: each typed word quoted (all must appear, never read as
        syntax; one with an apostrophe as typed or without it, `folding`), or the quoted words
        as one phrase (folded alike); or any of `also` as a phrase."""
        if self.phrase:
            return fts_phrase(self.typed)
        words = " AND ".join(map(fts_phrase, self.typed.split()))
        if not self.also:
            return words
        return "(" + " OR ".join([f"({words})", *(_quoted(name) for name in self.also)]) + ")"

    @property
    def names(self) -> tuple[tuple[str, str], ...]:
        """Each way a record may hold the term, as (words, FTS5 query of those alone): the
        words as typed, then each of `also` (`search_case` reads each one's capitals)."""
        return (
            (self.typed, SearchTerm(self.typed, phrase=self.phrase).fts),
            *((name, _quoted(name)) for name in self.also),
        )


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def search_terms(text: str, widen: bool = True) -> list[SearchTerm]:
    """The terms of a search's words: a quoted phrase ('"death penalty"', or in typographic
    quotes: “death penalty”) is one term, as typed; of the words outside quotes, a run that
    names a treaty, institution or body is one term with its other names (unless not `widen`);
    every other word is a term of its own, but two that make a compound (`_plain_terms`). A
    word or phrase without a word full-text search reads ("&", "-") is none: it would match no
    record."""
    terms: list[SearchTerm] = []
    for at, piece in enumerate(_QUOTED.split(straight_quotes(text))):
        if at % 2:  # inside quotes
            terms += [SearchTerm(piece.strip(), phrase=True)] if piece.strip() else []
        else:
            terms += _named_terms(piece.split()) if widen else list(map(SearchTerm, piece.split()))
    return [term for term in terms if has_words(term.typed)]


def _named_terms(typed: list[str]) -> list[SearchTerm]:
    """The terms of words typed outside quotes: a run that names a treaty, institution or
    body is one term with its other names; every other word is a term of its own."""
    # "CAT's": the name, not a run that ends inside the word (fold_words drops "'s" only
    # before a space, and each typed word is folded alone)
    folded = [fold_words(_POSSESSIVE.sub("", word)).split() for word in typed]
    tokens = [token for words in folded for token in words]
    owner = [at for at, words in enumerate(folded) for _ in words]
    terms: list[SearchTerm] = []
    at = 0
    for start, end, names in _named(tokens):
        first, last = owner[start], owner[end - 1]
        # A run that starts or ends inside a typed word ("CAT/CRC" names two) stays as typed.
        if first < at or owner[start - 1 : start] == [first] or owner[end : end + 1] == [last]:
            continue
        terms += _plain_terms(typed[at:first])
        words = " ".join(typed[first : last + 1])
        terms.append(SearchTerm(words, _others(words, names)))
        at = last + 1
    return terms + _plain_terms(typed[at:])


def _plain_terms(typed: list[str]) -> list[SearchTerm]:
    """The terms of typed words that name nothing: each word its own (`_plain`), but two
    words that the word list knows joined, one term that also searches the joined word:
    "socio economic" also finds "socioeconomic"."""
    terms: list[SearchTerm] = []
    at = 0
    while at < len(typed):
        pair = typed[at : at + 2]
        joined = "".join(pair).lower()
        if len(pair) == 2 and all(map(_half, pair)) and joined in load_vocabulary():
            terms.append(SearchTerm(" ".join(pair), (joined,)))
            at += 2
            continue
        terms.append(_plain(typed[at]))
        at += 1
    return terms


@lru_cache(maxsize=4096)
def _plain(word: str) -> SearchTerm:
    """A typed word that names nothing, as a term with its other spelling (British or
    American) when the word list knows it: "honor" also searches "honour"; and a word the
    list knows as two words joined, those two as a phrase: "socioeconomic" also searches
    "socio economic". A word in capitals is an abbreviation (`search_case`), searched as typed
    only. Cached: `_half` asks it of each word a compound may hold, `_plain_terms` again."""
    if not word.isalpha() or (len(word) > 1 and word.isupper()):
        return SearchTerm(word)
    known = load_vocabulary()
    lower = word.lower()
    others = {pattern.sub(spelling, lower) for pattern, spelling in _RESPELLINGS}
    spaced = (
        f"{lower[:at]} {lower[at:]}"
        for at in range(_HALF, len(lower) - _HALF + 1)
        if _compound_half(lower[:at]) and _compound_half(lower[at:])
    )
    respelt = sorted(other for other in others - {lower} if _known(other, known))
    return SearchTerm(word, (*respelt, *spaced))


_HALF = 3
"""The fewest letters of each word of a compound that search finds joined or spaced ("non",
"socio"): the word list holds prefixes and pieces of words as words ("in", "re", "st", "al"),
and "information" is no "in formation", "that" no "th at"."""


def _compound_half(word: str) -> bool:
    """Whether a word (in lower case) may be half of a compound search finds joined or spaced:
    one the word list knows, of `_HALF` letters or more, that carries meaning (no stop word of
    the normalizer's: "overall" is no "over all", as in "control over all militias")."""
    return len(word) >= _HALF and word not in STOPWORDS and word in load_vocabulary()


def _half(word: str) -> bool:
    """Whether a typed word may be half of a compound (`_plain_terms`): a plain word in lower
    or mixed case that may be half of one (`_compound_half`), with no other spelling of its
    own (that a compound's term would leave out)."""
    plain = word.isalpha() and not word.isupper()
    return plain and _compound_half(word.lower()) and not _plain(word).also


def _known(word: str, known: Vocabulary) -> bool:
    """Whether the word list knows a respelt word: itself, or, an -ise/-ize form, its verb in
    -ize ("standardised" by "standardize")."""
    verb = _IZE_VERB.sub("ize", word)
    return word in known or (verb != word and verb in known)


def widened_note(terms: Sequence[SearchTerm]) -> str | None:
    """What a search also searched, for a reader who sees a result without their words: 'also
    searched: CAT, UNCAT (for "Convention against Torture")'; None when nothing was widened."""
    widened = [term for term in terms if term.also]
    if not widened:
        return None
    return "also searched: " + "; ".join(
        f"{', '.join(map(_listed, term.also[:_SHOWN]))}"
        + (f" and {len(term.also) - _SHOWN} other names" if len(term.also) > _SHOWN else "")
        + f' (for "{term.typed}")'
        for term in widened
    )


_SHOWN = 5
"""The other names a note shows of one term (the CED has 10)."""


def _listed(name: str) -> str:
    """A name as a list of names shows it: quoted when it holds a comma ("lesbian, gay,
    bisexual, transgender"), so that it reads as one name."""
    return f'"{name}"' if "," in name else name


def _named(tokens: list[str]) -> list[tuple[int, int, tuple[str, ...]]]:
    """(start, end, names) of each run of `tokens` that names a treaty (the treaty table's
    reading) or, elsewhere, an institution or body (its words' stems as one of its names'),
    in order."""
    table = load_treaties()
    printed = _printed_treaty_names()
    found = [
        (start, end, (*table.names[key], *printed.get(key, ())))
        for start, end, key in table.spans(tokens)
    ]
    taken = {at for start, end, _ in found for at in range(start, end)}
    stems = list(map(_name_stem, tokens))
    groups = _groups()
    longest = max(map(len, groups))
    at = 0
    while at < len(tokens):
        for size in range(min(len(tokens) - at, longest), 0, -1):
            names = groups.get(tuple(stems[at : at + size]))
            if names and not taken & set(range(at, at + size)):
                found.append((at, at + size, names))
                at += size
                break
        else:
            at += 1
    return sorted(found)


def _alias_rows() -> list[list[str]]:
    """data/search_aliases.csv's rows, each as its name and then its aliases."""
    with SEARCH_ALIASES_CSV.open(encoding="utf-8", newline="") as handle:
        return [
            [row["name"], *filter(None, row["aliases"].split("|"))]
            for row in csv.DictReader(handle)
        ]


@lru_cache(maxsize=1)
def _printed_treaty_names() -> dict[str, tuple[str, ...]]:
    """Treaty key -> the names data/search_aliases.csv adds to the treaty table's for search:
    a row named by the key ("cedaw") gives names reports print that the table does not read
    ("Convention to Eliminate All Forms of Discrimination against Women", A/HRC/28/12 138.12)."""
    keys = load_treaties().names
    return {names[0]: tuple(names[1:]) for names in _alias_rows() if names[0] in keys}


@lru_cache(maxsize=1)
def _groups() -> dict[tuple[str, ...], tuple[str, ...]]:
    """The stems of each name of an institution or body -> all its names: the normalizer's
    abbreviations with what it writes them out as ("nhri", "national human rights
    institution"), and the search-only aliases."""
    named: dict[str, list[str]] = {}
    for abbreviation, written in OBJECT_ABBREVIATIONS.items():
        named.setdefault(written, [written]).append(_as_printed(abbreviation))
    rows = _alias_rows()
    # "national human rights institution(s)": one stem key, the names of both
    groups: dict[tuple[str, ...], list[str]] = {}
    for names in [*named.values(), *rows]:
        # full-text search stems the spellings apart too: a record holds either
        names = [*names, *(_AMERICAN.sub(r"is\1", name) for name in names)]
        for name in names:
            found = groups.setdefault(tuple(map(_name_stem, fold_words(name).split())), [])
            found += [other for other in names if other not in found]
    return {words: tuple(names) for words, names in groups.items()}


@lru_cache(maxsize=4096)
def _name_stem(token: str) -> str:
    """A folded word's stem as names are matched by: British -ise read as -ize."""
    return stem(_BRITISH.sub(r"iz\1", token))


def _as_printed(abbreviation: str) -> str:
    """An abbreviation of the normalizer's table as documents print it: "NHRI", "NHRIs"; a word
    ("excision") as it is."""
    if abbreviation[:-1] in OBJECT_ABBREVIATIONS and abbreviation.endswith("s"):
        return abbreviation[:-1].upper() + "s"
    return abbreviation.upper() if len(abbreviation) <= 5 else abbreviation


def _others(typed: str, names: Iterable[str]) -> tuple[str, ...]:
    """The names a record may hold instead of `typed` that match more than it does: not one
    that holds all the typed words (the typed words match it already), nor one that holds
    another name as a run of words (that name matches it already)."""
    mine = set(_tokens(typed))
    kept: list[str] = []
    for name in sorted(set(_written_out(names)), key=lambda name: (len(_tokens(name)), name)):
        words = _tokens(name)
        if mine <= set(words) or any(_holds(words, _tokens(other)) for other in kept):
            continue
        kept.append(name)
    return tuple(kept)


def _written_out(names: Iterable[str]) -> list[str]:
    """The names, and those that name a treaty by its key ("Optional Protocol to the iccpr")
    with each of that treaty's names in its place."""
    table = load_treaties()
    out: list[str] = []
    for name in names:
        if name in table.names:  # a search-only row's key ("cedaw"): the treaty's names
            out += [*table.names[name], *_printed_treaty_names()[name]]
            continue
        keys = [word for word in _TOKEN.findall(name) if word.islower() and word in table.names]
        # a key no report prints ("second opiccpr") is not a name to search or to show
        if all(key in map(str.lower, table.names[key]) for key in keys):
            out.append(name)
        for key in keys:
            # "Optional Protocol to CAT" (A/HRC/14/12 91.1) as "... to the CAT": the treaty
            # table reads a name's glue words as optional (`treaties._match`), and so does
            # search the article before the treaty it names
            spot = re.compile(rf"\b(the )?{key}\b")
            # "second opiccpr": the second Protocol, so none of the first's counted names
            # ("OP1-ICCPR", "first Optional Protocol ...") under "second"
            counted = _COUNTED.search(spot.sub("", name))
            for other in table.names[key]:
                if counted and _COUNTED.search(other):
                    continue
                other = other.replace("\\", r"\\")
                out += [spot.sub(r"\g<1>" + other, name), spot.sub(other, name)]
    # "the 2nd Optional Protocol to the ICCPR" (A/HRC/28/13 108.113): an ordinal as a number
    return out + [numbered for name in out if (numbered := _numbered(name)) != name]


# An ordinal word of a treaty's name, which an ask may print as a number: "Second Optional
# Protocol", "2nd Optional Protocol".
_ORDINAL = re.compile(r"\b(first|second|third)\b", re.IGNORECASE)
_NUMBERED = {"first": "1st", "second": "2nd", "third": "3rd"}
_COUNTED = re.compile(r"\b(first|second|third|1st|2nd|3rd)\b|\d", re.IGNORECASE)
"""A name that says which of a treaty's Protocols it is: "second", "2nd", "OP1", "ICCPR-OP 2"."""


def _numbered(name: str) -> str:
    """`name` with its ordinal words as numbers ("Second Optional Protocol to the ICCPR" ->
    "2nd Optional Protocol to the ICCPR")."""
    return _ORDINAL.sub(lambda word: _NUMBERED[word.group().lower()], name)


def _tokens(text: str) -> tuple[str, ...]:
    """The words of `text` as search matches them, near enough (stems, any case)."""
    return tuple(stem(token.lower()) for token in _TOKEN.findall(text))


def _holds(words: Sequence[str], run: Sequence[str]) -> bool:
    """Whether `run` stands in `words` as consecutive words."""
    return any(tuple(words[at : at + len(run)]) == tuple(run) for at in range(len(words)))
