"""Linking: imported rows to the PDFs' recommendations, citations to the paragraphs they
name, and sentences that echo a recommendation (paraphrases).

Each link is recomputed from the index whenever either end arrives, so that the result does
not depend on the order documents were ingested in.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections import Counter, defaultdict
from dataclasses import dataclass
from textwrap import shorten

from rapidfuzz import fuzz, process

from uprdex.pipeline.clusters.normalize import STOPWORDS, stem
from uprdex.pipeline.clusters.treaties import fold_words, load_treaties
from uprdex.pipeline.model import Position
from uprdex.pipeline.paraphrase import match_sentences
from uprdex.pipeline.states import load_states, parentheticals, state_list_names
from uprdex.pipeline.store.schema import INSERT_RECOMMENDATION, state_rows
from uprdex.pipeline.symbols import cycle_of_session, resolve_readings, year_of_session
from uprdex.pipeline.text import normalize_text

__all__ = [
    "MATCH_WITHOUT_STATE",
    "MATCH_WITH_STATE",
    "ImportLinks",
    "import_links",
    "link_citations",
    "link_imports",
    "link_paraphrases",
]

# Text similarity (rapidfuzz token_set_ratio on normalized text) needed to link an imported
# recommendation to a PDF-extracted one: when they share a recommending State, and when not.
MATCH_WITH_STATE = 85.0
MATCH_WITHOUT_STATE = 95.0

# The dialogue's words around an ask, in a cycle-1 report and in some UPR Info rows:
# "recommended that Cuba implement such safeguards and release all prisoners of conscience"
# (A/HRC/11/22 109(b)), "It recommended that Malaysia favourably consider ..." (A/HRC/11/30 71),
# "Recommended the accession to the ICCPR, ICESCR" (UPR Info, Malaysia 2009).
# Conventions listed under one name by their numbers, as folded: "two ILO Conventions Nos. 169
# and 189" (A/HRC/21/12 131.4), "ILO Conventions Nos. 138, 182 and 189": each one as the treaty
# table names it alone ("ilo convention no 189"), so that a row asking one of them
# ("Accede to ILO Convention No. 189") finds its key in the ask's.
_NUMBERED_ONE_BY_ONE = re.compile(
    r"\b(?P<ilo>ilo )?conventions nos? (?P<numbers>\d{1,3}(?:,? (?:and )?\d{1,3}|, \d{1,3})+)\b"
)


def _one_by_one(match: re.Match[str]) -> str:
    """ "ilo conventions nos 169 and 189" -> "ilo convention no 169 and ilo convention no 189"."""
    name = f"{match.group('ilo') or ''}convention no"
    return " and ".join(f"{name} {number}" for number in re.findall(r"\d+", match.group("numbers")))


_REPORTED = re.compile(r"^(?:\w+ ){0,3}?(?:also |further )?recommended (?:that )?")


@dataclass(frozen=True, slots=True)
class ImportLinks:
    """What one imported file's recommendations became: `matched` of its `imported` ones are
    `asks` read from WG reports' PDFs (one row may be printed in two paragraphs), the others
    recommendations known only from imports."""

    imported: int
    matched: int
    asks: int


def import_links(db: sqlite3.Connection, sha256: str) -> ImportLinks:
    """How the recommendations of the imported file with these bytes are linked."""
    imported, matched, asks = db.execute(
        "SELECT (SELECT count(*) FROM imports WHERE document_sha256 = ?), "
        "count(DISTINCT l.import_id), count(DISTINCT l.recommendation_id) "
        "FROM import_links l JOIN imports i USING (import_id) "
        "JOIN recommendations r ON r.id = l.recommendation_id "
        "WHERE i.document_sha256 = ? AND r.origin = 'pdf'",
        (sha256, sha256),
    ).fetchone()
    return ImportLinks(imported, matched, asks)


def link_imports(db: sqlite3.Connection, state_under_review: str, session: int | None) -> None:
    """Link the imported recommendations of one review to the PDF-extracted ones.

    A thematic-list row links by paragraph; a UPR Info row by text similarity, preferring the
    recommendations of the same recommending State. An import that matches nothing stands as
    a recommendation of its own (origin = its source) until its WG report arrives.
    """
    pdf = db.execute(
        "SELECT id, text FROM recommendations WHERE origin = 'pdf' AND state_under_review = ? "
        "AND session IS ?",
        (state_under_review, session),
    ).fetchall()
    asks = _Asks(state_under_review, {row["id"]: row["text"] for row in pdf})
    if pdf:
        marks = ",".join("?" * len(asks.texts))
        for row in db.execute(
            f"SELECT recommendation_id, name FROM recommendation_states "
            f"WHERE recommendation_id IN ({marks})",
            list(asks.texts),
        ):
            asks.by_state.setdefault(row["name"], []).append(row["recommendation_id"])
    imports = db.execute(
        "SELECT i.*, d.sha256 AS file FROM imports i JOIN documents d ON d.sha256 = "
        "i.document_sha256 WHERE i.state_under_review = ? AND i.session IS ?",
        (state_under_review, session),
    ).fetchall()
    db.execute(
        "DELETE FROM import_links WHERE import_id IN (SELECT import_id FROM imports "
        "WHERE state_under_review = ? AND session IS ?)",
        (state_under_review, session),
    )
    for imported in imports:
        own_id = (
            f"{imported['wg_symbol']}#{imported['paragraph']}"
            if imported["wg_symbol"] and imported["paragraph"]
            else imported["import_id"]
        )
        text, states = imported["text"], json.loads(imported["recommending_states"])
        target = own_id if own_id in asks.texts else _best_match(text, states, asks)
        db.execute(
            "UPDATE imports SET recommendation_id = ? WHERE import_id = ?",
            (target or own_id, imported["import_id"]),
        )
        links = {target or own_id}
        if target is not None and target != own_id:
            links |= _paragraphs_of_other_states(text, states, target, asks)
        db.executemany(
            "INSERT INTO import_links VALUES (?, ?)",
            [(imported["import_id"], link) for link in sorted(links)],
        )
        if target is not None:
            if target != own_id:
                db.execute(
                    "DELETE FROM recommendations WHERE id = ? AND origin != 'pdf'", (own_id,)
                )
            continue
        _insert_imported(db, imported, own_id)


class _Asks:
    """The PDF-extracted recommendations of one review, as the linker reads them."""

    def __init__(self, state_under_review: str, texts: dict[str, str]) -> None:
        self.state_under_review = state_under_review
        self.texts = texts
        self.normalized = {rec_id: normalize_text(text) for rec_id, text in texts.items()}
        self.by_state: dict[str, list[str]] = {}
        self._keys: dict[str, tuple[str, dict[str, str]]] = {}

    def key(self, text: str) -> str:
        """A text as the pass by keys compares it: treaty names and abbreviations as one key
        ("Optional Protocol to the Convention against Torture" and "OP-CAT" are "opcat"), the
        dialogue's "(It) recommended (that <State under review>)" left out, words as their
        stems ("considering" and "consider")."""
        treaties = load_treaties()
        words = treaties.replace(_NUMBERED_ONE_BY_ONE.sub(_one_by_one, fold_words(text)))
        reported = _REPORTED.match(words)
        if reported:
            words = words[reported.end() :]
            state = fold_words(self.state_under_review)
            for name in (state, f"the {state}", "it"):
                if words.startswith(name + " "):
                    words = words[len(name) + 1 :]
                    break
        return " ".join(w if w in treaties.keys else stem(w) for w in words.split())

    def keys(self, rec_id: str) -> tuple[str, dict[str, str]]:
        """One recommendation's key without its State lists, and each State's parts of it: the
        words before each list that names the State (one part when a list closes the item).

        The lists inside an item each name the States of the part they close (A/HRC/8/44 60.1):
        "Consider ratifying/Ratify ... the Optional Protocol to the Convention against Torture
        (United Kingdom, Albania, Mexico, Brazil) the Optional Protocol to the Convention on the
        Elimination of Discrimination against Women (Portugal, Albania, Mexico, Brazil), ..."."""
        if rec_id not in self._keys:
            table = load_states()
            parts: dict[str, list[str]] = defaultdict(list)
            text, start, kept = self.texts[rec_id], 0, []
            for group_start, group_end, inner in parentheticals(text):
                names = [
                    state.name if (state := table.resolve(name)) else ""
                    for name in state_list_names(inner, table)
                ]
                if not names or not all(names):
                    continue
                kept.append(text[start:group_start])
                for name in names:
                    parts[name].append(kept[-1])
                start = group_end
            kept.append(text[start:])
            self._keys[rec_id] = (
                self.key(" ".join(kept)),
                {name: self.key(" ".join(part)) for name, part in parts.items()},
            )
        return self._keys[rec_id]


def _paragraphs_of_other_states(text: str, states: list[str], target: str, asks: _Asks) -> set[str]:
    """The other paragraphs that print an imported text for some of its States.

    UPR Info lists one text once for all the States that made it; a report may print it once
    per State ("Ratify the CRPD (Maldives)" 102.14, "(Trinidad and Tobago)" 102.15). Each
    State not named on `target` links to its own best match, among its own recommendations.
    """
    table = load_states()
    on_target = {name for name, ids in asks.by_state.items() if target in ids}
    found: set[str] = set()
    for name in states:
        state = table.resolve(name)
        name = state.name if state else name
        if name in on_target or not asks.by_state.get(name):
            continue
        match = _best_match(text, [name], asks, only_state=True)
        if match is not None and match != target:
            found.add(match)
    return found


def _best_match(text: str, states: list[str], asks: _Asks, only_state: bool = False) -> str | None:
    """The PDF-extracted recommendation an imported text restates, or None.

    First by the texts as printed among the recommendations of the same recommending States;
    then among those by their keys (`_Asks.key`), whole or the part of a State (UPR Info gives
    "Ratify the OP-CAT" for the United Kingdom's part of A/HRC/8/44 60.1); then by the texts
    as printed among all the review's recommendations.
    """
    if not asks.texts:
        return None
    table = load_states()
    names = [(state.name if (state := table.resolve(name)) else name) for name in states]
    shared = Counter(rec_id for name in set(names) for rec_id in asks.by_state.get(name, []))
    normalized = normalize_text(text)
    found = _closest(normalized, set(shared), asks.normalized, shared, MATCH_WITH_STATE)
    if found is None:
        # An ask of the row's own States that its key matches is a better reading than
        # another State's text that holds the row's words: "Abolish the death penalty"
        # (Brazil, Norway) is their "Consider the possibility (Ecuador) of abolishing the
        # death penalty" (A/HRC/18/15 79.4), not 79.5's "... definitively abolish (France,
        # Australia) the death penalty" (token_set_ratio 100).
        found = _closest_part(asks.key(text), names, shared, asks)
    if found is None and not only_state:
        found = _closest(normalized, set(asks.texts), asks.normalized, shared, MATCH_WITHOUT_STATE)
    return found


def _closest(
    text: str, pool: set[str], texts: dict[str, str], shared: Counter[str], cutoff: float
) -> str | None:
    """The recommendation of `pool` whose text is closest to `text`, at `cutoff` or above."""
    if not pool:
        return None
    order = {rec_id: at for at, rec_id in enumerate(sorted(pool))}
    choices = {rec_id: texts[rec_id] for rec_id in order}
    found = process.extract(
        text, choices, scorer=fuzz.token_set_ratio, score_cutoff=cutoff, limit=None
    )
    if not found:
        return None
    # Equal texts ("Ratify ICRMW" at 115.6-115.10, each from other States): the one that
    # shares the most recommending States, then the first.
    best = max(found, key=lambda hit: (hit[1], shared[hit[2]], -order[hit[2]]))
    return str(best[2])


def _closest_part(key: str, names: list[str], shared: Counter[str], asks: _Asks) -> str | None:
    """The recommendation of these States whose key, whole or one of these States' parts, is
    closest to `key`, at MATCH_WITH_STATE or above."""
    scored = []
    for at, rec_id in enumerate(sorted(shared)):
        whole, parts = asks.keys(rec_id)
        options = [whole, *(parts[name] for name in names if _holds_enough(key, parts.get(name)))]
        score = max(
            (
                fuzz.token_set_ratio(key, option)
                for option in options
                if _same_treaties(key, option)
            ),
            default=0.0,
        )
        if score >= MATCH_WITH_STATE:
            scored.append((score, shared[rec_id], -at, rec_id))
    return max(scored)[3] if scored else None


# The content words a State's part needs to be compared at all. A list inside a sentence
# leaves its State only the words before it: "Enact legislation (Austria) to definitively
# abolish (France, Australia) the death penalty" (A/HRC/18/15 79.5), "Sign (Portugal), accede
# to (Australia) and ratify ..." (79.1); token_set_ratio gives 100 to any row holding them.
_PART_WORDS = 3


def _holds_enough(key: str, part: str | None) -> bool:
    """Whether a State's part (`_Asks.keys`) says enough to be compared with a row's key: at
    least _PART_WORDS content words, and at least half of the row's own."""
    if part is None:
        return False
    row, theirs = _content_words(key), _content_words(part)
    return len(theirs) >= _PART_WORDS and 2 * len(row & theirs) >= len(row)


def _same_treaties(key: str, option: str) -> bool:
    """Whether every treaty the row's key names is named in the option, as the same key: the
    CRC's "ratifi the crc" is not the protocol's "ratifi the opcrcic" (character ratio 88)."""
    treaties = load_treaties().keys
    return {word for word in key.split() if word in treaties} <= set(option.split())


def _content_words(key: str) -> set[str]:
    return {word for word in key.split() if word not in STOPWORDS}


def _insert_imported(db: sqlite3.Connection, imported: sqlite3.Row, rec_id: str) -> None:
    """An imported recommendation with no PDF counterpart, as a recommendation of its own."""
    session = imported["session"]
    cursor = db.execute(
        INSERT_RECOMMENDATION,
        (
            rec_id,
            imported["document_sha256"],
            imported["wg_symbol"],
            imported["paragraph"],
            imported["state_under_review"],
            cycle_of_session(session),
            session,
            year_of_session(session),
            imported["text"],
            imported["position"] or Position.UNKNOWN.value,
            imported["position_source"],
            None,
            None,
            None,
            "[]",
            imported["position"] or Position.UNKNOWN.value,
            imported["position_source"],
            None,
            None,
            imported["source"],
            None,
            "[]",
        ),
    )
    if cursor.rowcount:
        db.executemany(
            "INSERT OR IGNORE INTO recommendation_states VALUES (?,?,?,?,?)",
            state_rows(rec_id, json.loads(imported["recommending_states"])),
        )


# A document's place in time, from its date as precise as printed ("2014-06-26", "2014-06",
# "2014") or else its year: a month or a year alone counts as its end; NULL when undated.
_PLACED_AT = (
    "(CASE WHEN date IS NULL AND year IS NULL THEN NULL "
    "WHEN date IS NULL THEN printf('%04d-12-31', year) "
    "WHEN length(date) = 4 THEN date || '-12-31' WHEN length(date) = 7 THEN date || '-31' "
    "ELSE date END)"
)


def _reports_by_date(db: sqlite3.Connection, state: str) -> list[tuple[str, str, int | None]]:
    """(symbol, date, cycle) of a State's WG reports, oldest first (a month or a year alone
    counts as its end; a report with neither cannot be placed in time and is left out)."""
    return [
        (row["symbol"], row["date"], row["cycle"])
        for row in db.execute(
            f"SELECT symbol, {_PLACED_AT} AS date, cycle "
            "FROM documents "
            "WHERE type = 'wg_report' AND state_under_review = ? AND symbol IS NOT NULL "
            "AND coalesce(date, year) IS NOT NULL ORDER BY date",
            (state,),
        )
    ]


_SPACE = re.compile(r"\s+")
_RECOMMENDATION_WORD = re.compile(r"\brecom|\brecs?\b", re.I)


def _cites(sentence: str, numbers: set[str]) -> bool:
    """Whether a sentence prints a recommendation word and one of these cited numbers."""
    if not numbers or not _RECOMMENDATION_WORD.search(sentence):
        return False
    squeezed = _SPACE.sub("", sentence)
    return any(re.search(rf"(?<!\d){re.escape(number)}(?!\d)", squeezed) for number in numbers)


def link_paraphrases(db: sqlite3.Connection, states: set[str], threshold: float) -> None:
    """Recompute paraphrase evidence of the documents about these States: each sentence
    against the recommendations of the State's WG reports dated before the document."""
    for state in sorted(s for s in states if s):
        reports = _reports_by_date(db, state)
        documents = db.execute(
            f"SELECT sha256, coalesce({_PLACED_AT}, '9999') AS date "
            "FROM documents WHERE state_under_review = ? AND sha256 IN "
            "(SELECT document_sha256 FROM sentences)",
            (state,),
        ).fetchall()
        for document in documents:
            db.execute(
                "DELETE FROM evidence WHERE document_sha256 = ? AND kind = 'paraphrase'",
                (document["sha256"],),
            )
            earlier = [symbol for symbol, date, _ in reports if date < document["date"]]
            if not earlier:
                continue
            recs = dict(
                db.execute(
                    f"SELECT id, text FROM recommendations WHERE document_symbol IN "
                    f"({','.join('?' * len(earlier))})",
                    earlier,
                ).fetchall()
            )
            sentences = db.execute(
                "SELECT page, text FROM sentences WHERE document_sha256 = ? ORDER BY rowid",
                (document["sha256"],),
            ).fetchall()
            # A sentence that cites recommendations by number is evidence as a citation, not
            # as an echo: the heading "Rule of law: ... (recommendations 30-31, 54-57)" also
            # reads as 111.57 in words, "Institutional framework ... Recommendations 22, 31-39"
            # as an unrelated ask on minorities.
            printed: dict[int, set[str]] = defaultdict(set)
            for row in db.execute(
                "SELECT page, as_printed FROM evidence WHERE document_sha256 = ? "
                "AND kind != 'paraphrase'",
                (document["sha256"],),
            ):
                printed[row["page"]].add(_SPACE.sub("", row["as_printed"]))
            matches = [
                m
                for m in match_sentences([s["text"] for s in sentences], recs, threshold)
                if not _cites(sentences[m.sentence]["text"], printed[sentences[m.sentence]["page"]])
            ]
            db.executemany(
                "INSERT INTO evidence (recommendation_id, target_symbol, target_ref, "
                "document_sha256, page, kind, as_printed, context, score, context_page) "
                "VALUES (?1,?2,?3,?4,?5,'paraphrase',?6,?7,?8,?5)",
                [
                    (
                        m.recommendation_id,
                        *m.recommendation_id.split("#", 1),
                        document["sha256"],
                        sentences[m.sentence]["page"],
                        shorten(sentences[m.sentence]["text"], 80, placeholder=" …"),
                        sentences[m.sentence]["text"],
                        m.score,
                    )
                    for m in matches
                ],
            )


def link_citations(db: sqlite3.Connection, states: set[str], symbols: set[str]) -> None:
    """Link citation evidence to recommendations, whichever arrived first.

    A number printed without a symbol cites the latest WG report of the document's State
    under review dated before the document; in an undated document, the one report of the
    State that has that paragraph (else the latest). A misprint is repaired only when exactly one
    reading is a paragraph of that report (`corrected`); nothing is invented. A bare index
    ("recommendation 22") carries no paragraph to check, so it cites only the review of the
    cycle just before the document's: while that report is not indexed, it waits unlinked
    rather than landing on an older review.
    """
    states.discard("")
    for state in sorted(states):
        reports = _reports_by_date(db, state)
        paragraphs: dict[str, set[str]] | None = None
        for row in db.execute(
            f"SELECT e.id, e.candidates, {_PLACED_AT} AS date, d.cycle FROM evidence e "
            "JOIN documents d "
            "ON d.sha256 = e.document_sha256 WHERE e.symbol_inferred = 1 "
            "AND d.state_under_review = ?",
            (state,),
        ).fetchall():
            cited_at = row["date"] or "9999"
            before = [(symbol, cycle) for symbol, date, cycle in reports if date < cited_at]
            target = before[-1][0] if before else None
            readings = set(json.loads(row["candidates"]))
            bare = all("." not in reading for reading in readings)
            if cited_at == "9999" and not bare:
                # An undated document: the one review of the State that has the paragraph.
                if paragraphs is None:
                    paragraphs = {symbol: _paragraphs(db, symbol) for symbol, _, _ in reports}
                having = [symbol for symbol, _, _ in reports if readings & paragraphs[symbol]]
                target = having[0] if len(having) == 1 else target
            if (
                bare
                and before
                and not (row["cycle"] and before[-1][1] and before[-1][1] == row["cycle"] - 1)
            ):
                target = None
            db.execute("UPDATE evidence SET target_symbol = ? WHERE id = ?", (target, row["id"]))
            if target:
                symbols.add(target)
    for symbol in sorted(symbols):
        known = _paragraphs(db, symbol)
        updates = []
        for row in db.execute(
            "SELECT id, candidates FROM evidence WHERE target_symbol = ? "
            "AND kind IN ('citation', 'listing')",
            (symbol,),
        ):
            found = resolve_readings(json.loads(row["candidates"]), known)
            rec_id = f"{symbol}#{found[0]}" if found else None
            updates.append((rec_id, int(bool(found and found[1])), row["id"]))
        db.executemany(
            "UPDATE evidence SET recommendation_id = ?, corrected = ? WHERE id = ?", updates
        )


def _paragraphs(db: sqlite3.Connection, symbol: str) -> set[str]:
    """The paragraph numbers of one WG report's recommendations."""
    return {
        row[0]
        for row in db.execute(
            "SELECT paragraph FROM recommendations WHERE document_symbol = ?", (symbol,)
        )
    }
