"""Writing the index: a document with what was read from it, or an imported database.

Only the store writes the index. Each call runs inside one transaction (the facade opens it),
replaces everything known about the file, then brings the links and final responses it
touches up to date (`linking`, `responses`), whichever document arrived first.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

from uprdex.pipeline.model import Addendum, Citation, DocumentRow, ImportedRec, ThemeHit, WgReport
from uprdex.pipeline.settings import EvidenceSettings
from uprdex.pipeline.states import load_states
from uprdex.pipeline.store.folding import fold_words
from uprdex.pipeline.store.linking import link_citations, link_imports
from uprdex.pipeline.store.rematch import match_paraphrases
from uprdex.pipeline.store.responses import refresh_responses, response_source
from uprdex.pipeline.store.reviews import settle_reviews
from uprdex.pipeline.store.schema import INSERT_RECOMMENDATION, STATE_COMMENT, state_rows
from uprdex.pipeline.symbols import recommendation_id, wg_symbol_of

__all__ = ["move_document", "write_document", "write_import"]


def write_document(
    db: sqlite3.Connection,
    document: DocumentRow,
    report: WgReport | None = None,
    addendum: Addendum | None = None,
    themes: Mapping[str, Sequence[ThemeHit]] | None = None,
    citations: Sequence[Citation] = (),
    sentences: Sequence[tuple[int, str]] = (),
    paraphrase_threshold: float = EvidenceSettings().paraphrase_threshold,
) -> list[str]:
    """Replace everything known about this file (and an older version at the same path).

    Then bring the final responses of the WG reports it touches up to date, whichever of
    the report and its addendum came first. Returns the warnings recorded.
    """
    warnings = list(document.warnings)
    clustered = _clustered(db, document)
    (earlier,) = db.execute(  # the same bytes, read before (by an earlier release)
        "SELECT count(*) FROM recommendations WHERE document_sha256 = ?", (document.sha256,)
    ).fetchone()
    warnings.extend(_replaced(db, document))
    touched, reviews = _delete_documents(db, document)
    _insert_document(db, document)
    if report is not None:
        duplicates = _write_recommendations(db, document, report)
        _keep_clusters(db, clustered)
        if len(report.recommendations) < earlier:  # a fix, or a reading gone wrong: say so
            warnings.append(
                f"read again, it gives {len(report.recommendations)} recommendations where the "
                f"earlier reading gave {earlier}"
            )
        if duplicates:
            warnings.append(
                f"{duplicates} recommendations already indexed from another copy of "
                f"{report.symbol}; kept once"
            )
        touched.add(report.symbol)
        reviews.add((report.state_under_review, report.session))
        _write_themes(db, document, report, themes or {})
        _write_comments(db, document, report)
    if addendum is not None:
        warnings.extend(_write_responses(db, document, addendum))
        touched.add(addendum.wg_symbol)
    _write_citations(db, document, citations)
    db.executemany(
        "INSERT INTO sentences VALUES (?,?,?)",
        [(document.sha256, page, text) for page, text in sentences],
    )
    for state, session in sorted(reviews, key=str):
        if state:
            link_imports(db, state, session)
    for symbol in sorted(s for s in touched if s):
        warnings.extend(refresh_responses(db, symbol))
    states = {state for state, _ in reviews if state} | {document.state_under_review or ""}
    link_citations(
        db,
        set(states),
        {s for s in touched if s} | {c.symbol for c in citations if c.symbol},
    )
    match_paraphrases(db, states, paraphrase_threshold)
    db.execute(
        "UPDATE documents SET warnings = ? WHERE sha256 = ?",
        (json.dumps(warnings), document.sha256),
    )
    settle_reviews(db)  # the answers of a report that arrived or left take its session
    return warnings


def move_document(db: sqlite3.Connection, sha256: str, path: str, warnings: Sequence[str]) -> None:
    """The file with these bytes is at `path` now (moved or renamed since it was read), with
    `warnings` in place of its old ones."""
    db.execute(
        "UPDATE documents SET path = ?, warnings = ? WHERE sha256 = ?",
        (path, json.dumps(list(warnings)), sha256),
    )


def write_import(
    db: sqlite3.Connection, document: DocumentRow, records: Sequence[ImportedRec]
) -> list[str]:
    """Store an imported database (UPR Info export, OHCHR thematic list) in one transaction.

    Each record is linked to the PDF-extracted recommendation of the same review it matches
    (by paragraph, else by text similarity); unmatched records become recommendations of
    their own. Their labels stay in `imports`, apart from what uprdex infers.
    """
    touched, reviews = _delete_documents(db, document)
    _insert_document(db, document)
    db.executemany(
        "INSERT OR REPLACE INTO imports VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        [
            (
                rec.import_id,
                rec.source,
                document.sha256,
                rec.state_under_review,
                rec.session,
                rec.wg_symbol,
                rec.paragraph,
                rec.text,
                json.dumps(rec.recommending_states),
                rec.position,
                rec.position_source,
                json.dumps(rec.themes),
                json.dumps(rec.extra),
                rec.row,
                None,
            )
            for rec in records
        ],
    )
    reviews |= {(rec.state_under_review, rec.session) for rec in records}
    for state, session in sorted(reviews, key=str):
        if state:
            link_imports(db, state, session)
            # Their reports' pending positions may now have a later answer.
            touched.update(
                row[0]
                for row in db.execute(
                    "SELECT DISTINCT document_symbol FROM recommendations WHERE "
                    "origin = 'pdf' AND state_under_review = ? AND session IS ?",
                    (state, session),
                )
            )
    for symbol in sorted(s for s in touched if s):
        refresh_responses(db, symbol)
    return []


def _write_citations(
    db: sqlite3.Connection, document: DocumentRow, citations: Sequence[Citation]
) -> None:
    """Citations and listings as evidence, linked to recommendations by link_citations."""
    db.executemany(
        "INSERT INTO evidence (target_symbol, target_ref, document_sha256, page, footnote, "
        "kind, as_printed, context, candidates, symbol_inferred, context_page) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        [
            (
                c.symbol,
                c.ref,
                document.sha256,
                c.page,
                c.footnote,
                c.kind,
                c.as_printed,
                c.context,
                json.dumps(list(c.candidates)),
                int(c.symbol is None),
                c.page if c.context_page is None else c.context_page,
            )
            for c in citations
        ],
    )


def write_theme_hits(db: sqlite3.Connection, hits: Mapping[str, Sequence[ThemeHit]]) -> None:
    """Theme hits (keywords and classifier labels) of recommendations, by id."""
    db.executemany(
        "INSERT OR IGNORE INTO recommendation_themes VALUES (?,?,?,?,?)",
        [
            (rec_id, hit.theme, json.dumps(list(hit.matched)), hit.method, hit.score)
            for rec_id, found in hits.items()
            for hit in found
        ],
    )


def _write_themes(
    db: sqlite3.Connection,
    document: DocumentRow,
    report: WgReport,
    themes: Mapping[str, Sequence[ThemeHit]],
) -> None:
    """Theme hits: keywords (with the words that matched) and the classifier's labels."""
    db.executemany(
        "INSERT OR IGNORE INTO recommendation_themes VALUES (?,?,?,?,?)",
        [
            (
                recommendation_id(report.symbol, document.sha256, paragraph),
                hit.theme,
                json.dumps(list(hit.matched)),
                hit.method,
                hit.score,
            )
            for paragraph, hits in themes.items()
            for hit in hits
        ],
    )


def _insert_document(db: sqlite3.Connection, document: DocumentRow) -> None:
    db.execute(
        "INSERT INTO documents VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (
            document.sha256,
            document.path,
            document.type,
            document.symbol,
            document.state_under_review,
            document.session,
            document.cycle,
            document.year,
            document.pages,
            document.status.value,
            document.error,
            "[]",
            datetime.now(UTC).isoformat(timespec="seconds"),
            document.date,
            document.reader,
        ),
    )


def _clustered(db: sqlite3.Connection, document: DocumentRow) -> list[tuple[str, str, str]]:
    """(cluster id, id, text) of the clustered recommendations this file's old rows hold (the
    same bytes read by an earlier release, or an older version at the same path)."""
    return db.execute(
        "SELECT r.cluster_id, r.id, r.text FROM recommendations r "
        "JOIN documents d ON d.sha256 = r.document_sha256 "
        "WHERE r.cluster_id IS NOT NULL AND (d.sha256 = ? OR (d.path = ? AND d.sha256 != ?))",
        (document.sha256, document.path, document.sha256),
    ).fetchall()


def _keep_clusters(db: sqlite3.Connection, clustered: list[tuple[str, str, str]]) -> None:
    """A recommendation read again with the same id and text stays in its cluster: the next
    clustering then keeps its clusters whole (`update_clusters`), as if it had not been read
    again, and only what the new reading changed is clustered anew."""
    db.executemany(
        "UPDATE recommendations SET cluster_id = ? "
        "WHERE id = ? AND text = ? AND cluster_id IS NULL",
        clustered,
    )


def _replaced(db: sqlite3.Connection, document: DocumentRow) -> list[str]:
    """The notes for the documents read before at this file's place, from other bytes, that
    its writing deletes: a new version, or another file saved under the name (then the
    deleted one is read again where its file is now, at the next ingest)."""
    return [
        f"replaces {row['symbol'] or 'the document'} read at this place before, from other "
        "bytes (a new version, or another file saved under this name)"
        for row in db.execute(
            "SELECT symbol FROM documents WHERE path = ? AND sha256 != ?",
            (document.path, document.sha256),
        )
    ]


def _delete_documents(
    db: sqlite3.Connection, document: DocumentRow
) -> tuple[set[str | None], set[tuple[str | None, int | None]]]:
    """Delete this file's old rows; returns the WG report symbols and reviews they touched."""
    old = db.execute(
        "SELECT type, symbol, state_under_review, session FROM documents "
        "WHERE sha256 = ? OR (path = ? AND sha256 != ?)",
        (document.sha256, document.path, document.sha256),
    ).fetchall()
    reviews = {(row["state_under_review"], row["session"]) for row in old}
    reviews |= {
        (row["state_under_review"], row["session"])
        for row in db.execute(
            "SELECT DISTINCT i.state_under_review, i.session FROM imports i "
            "JOIN documents d ON d.sha256 = i.document_sha256 "
            "WHERE d.sha256 = ? OR (d.path = ? AND d.sha256 != ?)",
            (document.sha256, document.path, document.sha256),
        )
    }
    db.execute(
        "DELETE FROM documents WHERE sha256 = ? OR (path = ? AND sha256 != ?)",
        (document.sha256, document.path, document.sha256),
    )
    touched = {
        wg_symbol_of(row["symbol"]) if row["type"] == "addendum" else row["symbol"] for row in old
    }
    return touched, reviews


def _write_responses(
    db: sqlite3.Connection, document: DocumentRow, addendum: Addendum
) -> list[str]:
    """Store an addendum's responses and the State's comments (evidence "state_comment")."""
    seen: dict[str, str] = {}
    warnings: list[str] = []
    for response in addendum.responses:
        if response.ref in seen:
            if seen[response.ref] != response.position.value:
                warnings.append(
                    f"recommendation {response.ref} is listed as {seen[response.ref]} and "
                    f"as {response.position.value}; the first is kept"
                )
            continue
        seen[response.ref] = response.position.value
        db.execute(
            "INSERT INTO responses VALUES (?,?,?,?,?,?,?,?,?)",
            (
                document.sha256,
                addendum.symbol,
                addendum.wg_symbol,
                response.ref,
                response.position.value,
                response.detail,
                response.page,
                response.paragraph,
                response.as_printed,
            ),
        )
        if response.comment:
            db.execute(
                "INSERT INTO evidence (target_symbol, target_ref, document_sha256, page, kind,"
                " as_printed, context, context_page) VALUES (?1,?2,?3,?4,?5,?6,?7,?4)",
                (
                    addendum.wg_symbol,
                    response.ref,
                    document.sha256,
                    response.comment_page or response.page,
                    STATE_COMMENT,
                    response.comment_as_printed or response.as_printed,
                    response.comment,
                ),
            )
    return warnings


def _write_comments(db: sqlite3.Connection, document: DocumentRow, report: WgReport) -> None:
    """The State's comments printed among the recommendations, as "state_comment"
    evidence of the recommendation each answers (linked by `refresh_responses`)."""
    db.executemany(
        "INSERT INTO evidence (target_symbol, target_ref, document_sha256, page, kind,"
        " as_printed, context, context_page) VALUES (?1,?2,?3,?4,?5,?6,?7,?4)",
        [
            (
                report.symbol,
                comment.refers_to or "",  # "": the comment names no recommendation
                document.sha256,
                comment.page,
                STATE_COMMENT,
                comment.paragraph,
                comment.text,
            )
            for comment in report.comments
        ],
    )


def _write_recommendations(db: sqlite3.Connection, document: DocumentRow, report: WgReport) -> int:
    """Insert the report's recommendations; returns how many another copy already holds."""
    rec_rows: list[tuple[Any, ...]] = []
    states: list[tuple[Any, ...]] = []
    for rec in report.recommendations:
        rec_id = recommendation_id(report.symbol, document.sha256, rec.paragraph)
        rec_rows.append(
            (
                rec_id,
                document.sha256,
                report.symbol,
                rec.paragraph,
                report.state_under_review,
                report.cycle,
                report.session,
                report.year,
                rec.text,
                rec.position.value,
                response_source(report, rec),
                rec.page,
                rec.as_printed,
                None,
                json.dumps(list(rec.warnings)),
                rec.position.value,
                response_source(report, rec),
                None,
                None,
                "pdf",
                rec.position_detail,
                json.dumps([asdict(note) for note in rec.footnotes], ensure_ascii=False),
            )
        )
        states.extend(state_rows(rec_id, rec.recommending_states))
    # A recommendation imported from a thematic list gives way to the one read from the PDF.
    db.executemany(
        "DELETE FROM recommendations WHERE id = ? AND origin != 'pdf'",
        [(row[0],) for row in rec_rows],
    )
    db.executemany(INSERT_RECOMMENDATION, rec_rows)
    inserted: int = db.execute(
        "SELECT count(*) FROM recommendations WHERE document_sha256 = ?", (document.sha256,)
    ).fetchone()[0]
    db.executemany("INSERT OR IGNORE INTO recommendation_states VALUES (?,?,?,?,?) ", states)
    _write_parts(db, document.sha256, report)
    return len(rec_rows) - inserted


# "(China)" closing "... join the CRPD at an early date (China)." (Norway 2010, A/HRC/13/5 note
# 2 on 105.2): a name in parentheses, which may be a State's.
_IN_PARENTHESES = re.compile(r"\(([^()]+)\)")


def _noted_by(note: str, names: list[str]) -> list[str]:
    """The States of a compound item (`names`) a footnote on it gives the ask of: those it names
    in parentheses, the State's own words as made in the dialogue ("... at an early date
    (China)."); all of them when it names none of them (Samoa 2011's note on 73.28)."""
    table = load_states()
    named = {
        state.name for group in _IN_PARENTHESES.findall(note) if (state := table.resolve(group))
    }
    return [name for name in names if name in named] or names


def _write_parts(db: sqlite3.Connection, sha256: str, report: WgReport) -> None:
    """The parts of this document's compound items (not those another copy of the report
    holds), and per State the words of the parts it asked for (with the verb an enumerated
    object shares, `AskPart.lead`) and of the item's footnotes (`_noted_by`), which
    `RecFilter` searches."""
    ours = {
        row[0]
        for row in db.execute("SELECT id FROM recommendations WHERE document_sha256 = ?", (sha256,))
    }
    table = load_states()
    parts: list[tuple[Any, ...]] = []
    asked: list[tuple[Any, ...]] = []
    for rec in report.recommendations:
        rec_id = recommendation_id(report.symbol, sha256, rec.paragraph)
        if not rec.parts or rec_id not in ours:
            continue
        words: dict[str, list[str]] = {}
        for position, part in enumerate(rec.parts):
            names = [
                state.name if (state := table.resolve(name)) else name
                for name in part.recommending_states
            ]
            parts.append((rec_id, position, part.text, json.dumps(names)))
            for name in names:  # an enumerated object with the verb it shares ("ratify")
                words.setdefault(name, []).append(f"{part.lead} {part.text}".strip())
        for note in rec.footnotes:
            for name in _noted_by(note.text, list(words)):
                words[name].append(note.text)
        for name, texts in words.items():
            text = " ... ".join(texts)
            asked.append((text, fold_words(text), rec_id, name))
    db.executemany("INSERT OR IGNORE INTO recommendation_parts VALUES (?,?,?,?)", parts)
    db.executemany("INSERT INTO recommendation_asked_fts VALUES (?,?,?,?)", asked)
