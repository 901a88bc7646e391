"""Keyword theme tagging: the UPR Info issues a recommendation is about, from phrase lists.

The taxonomy is data/themes.yaml (one entry per issue, with its keywords); add a theme or a
keyword there, not here. Matching runs a blank spaCy English pipeline (tokenizer plus a
lower-case lookup lemmatizer from spacy-lookups-data, no model download) and two
PhraseMatchers:

- LEMMA: a keyword word written in its dictionary form matches every inflection of it
  ("ratify" finds "Ratifying", "ratified"; "child" finds "children");
- LOWER: every keyword also matches as written, case-insensitively ("housing" finds "housing"
  but not "house", whose lemma it shares).

A word with no lemma in the table (a name) is matched without its diacritics, in keywords and
texts alike: "Maori" finds "Māori".

Example:
    >>> tagger = ThemeTagger()
    >>> [hit.theme for hit in tagger.tag("Consider ratifying the OP-CAT")]
    ['International instruments', 'Torture and other CID treatment', 'Detention']
    >>> tagger.tag("Abolish the death penalty")
    [ThemeHit(theme='Death penalty', matched=('Abolish the death penalty',))]
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import cast

import spacy
import yaml
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc
from spacy.util import load_language_data, registry

from uprdex.pipeline.errors import UprdexError
from uprdex.pipeline.model import ThemeHit
from uprdex.pipeline.resources import data_path

__all__ = ["DEFAULT_THEMES_PATH", "Theme", "ThemeTagger", "ThemesFileError"]

DEFAULT_THEMES_PATH = data_path("themes.yaml")
"""The shipped taxonomy: the 54 UPR Info issues."""

_THEME_KEYS = frozenset({"keywords", "exact", "beside_model", "needs_keyword"})
_BATCH_SIZE = 256


class ThemesFileError(UprdexError, ValueError):
    """A themes YAML file that is missing or not shaped as uprdex expects."""


@dataclass(frozen=True, slots=True)
class Theme:
    """One entry of the themes file.

    keywords: matched in every inflection of the words written in dictionary form, and as
    written. exact: matched only as written (case-insensitive), for words whose other forms
    mean something else ("press" but not "pressing"). beside_model: its keyword hits are shown
    beside the trained classifier's labels, not only where the classifier gives none.
    needs_keyword: the classifier's label of the theme is shown only where one of its keywords
    matches the text (a veto of the label the classifier learnt from UPR Info's wider use).
    """

    name: str
    keywords: tuple[str, ...]
    exact: tuple[str, ...] = ()
    beside_model: bool = False
    needs_keyword: bool = False


def load_themes(path: Path) -> tuple[Theme, ...]:
    """The themes of a YAML file `themes: {name: {keywords: [...], exact: [...],
    beside_model: true, needs_keyword: true}}`."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as err:
        raise ThemesFileError(f"themes file {path} not found") from err
    except yaml.YAMLError as err:
        raise ThemesFileError(f"themes file {path} is not valid YAML: {err}") from err
    entries = raw.get("themes") if isinstance(raw, dict) else None
    if not isinstance(entries, dict) or not entries:
        raise ThemesFileError(f"{path}: expected a top-level mapping 'themes:' of theme names")
    return tuple(_theme(path, str(name), entry) for name, entry in entries.items())


def _theme(path: Path, name: str, entry: object) -> Theme:
    unknown = sorted(map(str, set(entry) - _THEME_KEYS)) if isinstance(entry, Mapping) else []
    if not isinstance(entry, Mapping) or unknown:
        raise ThemesFileError(
            f"{path}: theme {name!r} must be a mapping with 'keywords' and/or 'exact' lists"
            " (and beside_model: true or false, needs_keyword: true or false)"
            + (f"; it has {', '.join(map(repr, unknown))}" if unknown else "")
        )
    lists = {key: _phrases(path, name, key, entry.get(key) or []) for key in ("keywords", "exact")}
    if not any(lists.values()):
        raise ThemesFileError(f"{path}: theme {name!r} has no keywords")
    flags = {key: entry.get(key, False) for key in ("beside_model", "needs_keyword")}
    for key, value in flags.items():
        if not isinstance(value, bool):
            raise ThemesFileError(f"{path}: {key} of theme {name!r} must be true or false")
    return Theme(name, lists["keywords"], lists["exact"], **flags)


def _phrases(path: Path, name: str, key: str, values: object) -> tuple[str, ...]:
    if not isinstance(values, list) or not all(
        isinstance(value, str) and value.strip() for value in values
    ):
        raise ThemesFileError(f"{path}: {key} of theme {name!r} must be a list of phrases")
    return tuple(dict.fromkeys(value.strip() for value in values))


@lru_cache(maxsize=1)
def _lemma_table() -> dict[str, str]:
    """English lookup lemmas from spacy-lookups-data (installed package, read offline).

    The table spaCy's `load_lookups` reads, as a plain dict of text to lemma: a spaCy `Table`
    hashes its 41,582 keys into the string store as it is built (0.1-0.15 s of every start),
    and a lookup by text gives the same lemma either way.
    """
    data = registry.lookups.get("en")
    if "lemma_lookup" not in data:
        raise ThemesFileError("spacy-lookups-data has no English lemma_lookup table: reinstall it")
    return cast("dict[str, str]", load_language_data(data["lemma_lookup"]))


@Language.component("uprdex_lower_lemmatizer")
def _lower_lemmatizer(doc: Doc) -> Doc:
    # spaCy's own lookup lemmatizer keys on the exact text, so the capitalised first word of
    # almost every recommendation ("Ratifying", "Strengthen") would keep its inflection.
    table = _lemma_table()
    for token in doc:
        token.lemma_ = table.get(token.lower_) or _plain(token.lower_)
    return doc


def _plain(word: str) -> str:
    """The word without its diacritics ("māori" -> "maori"), as the lemma of a name, so that
    a report's "Māori" meets the keyword "Maori" and "Guarani" the keyword "Guaraní"."""
    if word.isascii():
        return word
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


@lru_cache(maxsize=1)
def _nlp() -> Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("uprdex_lower_lemmatizer")
    return nlp


@dataclass(frozen=True, slots=True)
class _Compiled:
    themes: tuple[Theme, ...]
    matchers: tuple[PhraseMatcher, ...]


def _as_written(nlp: Language, phrase: str) -> Doc:
    """The phrase as a pattern whose lemmas are its own lower-case words, without diacritics."""
    doc = nlp.make_doc(phrase)
    for token in doc:
        token.lemma_ = _plain(token.lower_)
    return doc


@lru_cache(maxsize=16)
def _compile(path: Path, mtime_ns: int, lemmas: bool) -> _Compiled:
    """Matchers for a themes file; the modification time keys the cache so edits are seen."""
    del mtime_ns
    themes = load_themes(path)
    nlp = _nlp()
    lower = PhraseMatcher(nlp.vocab, attr="LOWER")
    lemma = PhraseMatcher(nlp.vocab, attr="LEMMA")
    for theme in themes:
        lower.add(theme.name, [nlp.make_doc(p) for p in (*theme.keywords, *theme.exact)])
        if lemmas and theme.keywords:
            lemma.add(theme.name, [_as_written(nlp, p) for p in theme.keywords])
    return _Compiled(themes, (lower, lemma) if lemmas else (lower,))


class ThemeTagger:
    """Tags texts with the themes of a YAML taxonomy (default: the shipped data/themes.yaml).

    Args:
        path: a themes file; None for data/themes.yaml.
        lemmas: also match inflections of keywords (LEMMA); False matches keywords as written.

    Example:
        >>> ThemeTagger().tag_many(["Ratify CRPD", "Continue its efforts"])
        [[ThemeHit(theme='International instruments', matched=('Ratify', 'CRPD')),
          ThemeHit(theme='Disabilities', matched=('CRPD',))], []]
    """

    def __init__(self, path: Path | str | None = None, *, lemmas: bool = True) -> None:
        self.path = Path(path or DEFAULT_THEMES_PATH).resolve()
        try:
            mtime_ns = self.path.stat().st_mtime_ns
        except FileNotFoundError as err:
            raise ThemesFileError(f"themes file {self.path} not found") from err
        self._compiled = _compile(self.path, mtime_ns, lemmas)
        self._order = {theme.name: i for i, theme in enumerate(self._compiled.themes)}
        self._beside = frozenset(t.name for t in self._compiled.themes if t.beside_model)
        self._vetoed = frozenset(t.name for t in self._compiled.themes if t.needs_keyword)

    @property
    def themes(self) -> tuple[Theme, ...]:
        """The themes of the file, in file order."""
        return self._compiled.themes

    def tag(self, text: str) -> list[ThemeHit]:
        """The themes found in one text, in file order."""
        return self.tag_many([text])[0]

    def tag_many(self, texts: Iterable[str]) -> list[list[ThemeHit]]:
        """The themes found in each text, in file order; batched through `nlp.pipe`."""
        return [self._hits(doc) for doc in _nlp().pipe(texts, batch_size=_BATCH_SIZE)]

    def shown(self, labels: Iterable[str], hits: Sequence[ThemeHit]) -> list[str]:
        """The themes shown for a text: the classifier's labels and, beside them, its keyword
        themes marked beside_model; its keyword themes alone where the classifier gives none.
        A label of a theme marked needs_keyword is dropped where none of its keywords matches.
        A keyword theme is not added whose every match lies inside a longer phrase another
        theme matched ("gender" of "gender identity", "executions" of "extrajudicial
        executions"): those words name the other theme. Matches are compared as words, so a
        word printed both alone and inside the longer phrase counts as inside.

        Example:
            >>> tagger = ThemeTagger()
            >>> tagger.shown(["Public security"], tagger.tag("Continue to combat terrorism"))
            ['Public security', 'Counter-terrorism']
        """
        found = {hit.theme for hit in hits}
        shown = [t for t in dict.fromkeys(labels) if t not in self._vetoed or t in found]
        if not shown:
            return list(dict.fromkeys(hit.theme for hit in hits))
        for hit in hits:
            if hit.theme not in self._beside or hit.theme in shown:
                continue
            others = [w.lower() for h in hits if h.theme != hit.theme for w in h.matched]
            if not all(_inside(word.lower(), others) for word in hit.matched):
                shown.append(hit.theme)
        return shown

    def _hits(self, doc: Doc) -> list[ThemeHit]:
        spans: dict[str, dict[tuple[int, int], str]] = {}
        for matcher in self._compiled.matchers:
            for match_id, start, end in matcher(doc):
                span = doc[start:end]
                spans.setdefault(doc.vocab.strings[match_id], {})[(start, end)] = span.text
        return [
            ThemeHit(theme, _words(found))
            for theme, found in sorted(spans.items(), key=lambda item: self._order[item[0]])
        ]


def _inside(phrase: str, others: Iterable[str]) -> bool:
    """Whether the phrase is a part, as whole words, of a longer one of others."""
    pattern = re.compile(rf"(?<!\w){re.escape(phrase)}(?!\w)")
    return any(len(other) > len(phrase) and pattern.search(other) for other in others)


def _words(found: dict[tuple[int, int], str]) -> tuple[str, ...]:
    """Matched words in text order, each once; a match inside a longer one is dropped."""
    kept: list[tuple[int, int]] = []
    for start, end in sorted(found, key=lambda span: (span[0], -span[1])):
        if not any(s <= start and end <= e for s, e in kept):
            kept.append((start, end))
    return tuple(dict.fromkeys(found[span] for span in kept))
