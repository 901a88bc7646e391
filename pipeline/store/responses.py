"""The response policy: which position each recommendation ends with, and why.

The addendum's answer when there is one (later addenda win), else the WG report section's;
a position the PDFs leave open takes what the imports agree on (UPR Info's answer in part,
its rows of an ask's halves, counted as an addendum's in part is). Recomputed for a WG report
whenever its report, an addendum or an import arrives, whichever came first.
"""

from __future__ import annotations

import re
import sqlite3
from typing import Any

from uprdex.pipeline.model import (
    SUPPORTED_IN_PART,
    DocumentType,
    Position,
    Recommendation,
    WgReport,
)
from uprdex.pipeline.states import load_states, parentheticals, state_list_names
from uprdex.pipeline.store.queries import by_recommendation
from uprdex.pipeline.store.schema import STATE_COMMENT

__all__ = ["refresh_responses", "report_and_addendum_disagree", "response_source"]


def refresh_responses(db: sqlite3.Connection, wg_symbol: str) -> list[str]:
    """Final position of each recommendation of one WG report: the addendum's answer when
    there is one (later addenda win), else the WG report section's, with the detail either
    gives ("accepted; considered already implemented or in process"). A disagreement with a
    position the section already stated is kept in `response_conflict`, never silently lost.
    """
    recs = db.execute(
        "SELECT id, paragraph, section_response, section_source, section_detail "
        "FROM recommendations "
        "WHERE document_symbol = ?",
        (wg_symbol,),
    ).fetchall()
    paragraphs = {rec["paragraph"].split(".")[0] for rec in recs}
    pending = {
        rec["paragraph"].split(".")[0]
        for rec in recs
        if rec["section_response"] == Position.PENDING.value
    }
    # A bare index ("accepts the recommendations 1-5") counts within the pending paragraph.
    bare_base = (
        next(iter(pending))
        if len(pending) == 1
        else (next(iter(paragraphs)) if len(paragraphs) == 1 else None)
    )

    undotted = {rec["paragraph"]: rec["id"] for rec in recs if "." not in rec["paragraph"]}
    asked_by = by_recommendation(
        db,
        list(undotted.values()),
        "SELECT recommendation_id, name FROM recommendation_states WHERE recommendation_id IN ({})",
        lambda row: row["name"],
    )

    def resolve(ref: str, printed: str) -> str | None:
        if "." in ref:
            return ref
        if bare_base:
            return f"{bare_base}.{ref}"
        # A cycle-1 ask numbered without a dot, its paragraph in the dialogue ("16", Ghana
        # 2008's A/HRC/8/36, beside its list 68.1-68.22): the bare number names it, unless the
        # States it names did not ask it: "Recommendation 20 (Portugal)" is the list's 68.20,
        # not Finland's ask 20.
        if ref not in undotted:
            return None
        return ref if _named_states(printed) <= set(asked_by.get(undotted[ref], ())) else None

    answers: dict[str, sqlite3.Row] = {}
    for response in db.execute(
        "SELECT r.* FROM responses r JOIN documents d ON d.sha256 = r.document_sha256 "
        "WHERE r.wg_symbol = ? ORDER BY d.ingested_at, r.addendum_symbol",
        (wg_symbol,),
    ):
        paragraph = resolve(response["ref"], response["as_printed"])
        if paragraph:
            answers[paragraph] = response
    imported = _imported_positions(db, [rec["id"] for rec in recs])
    open_ended = (Position.PENDING.value, Position.UNKNOWN.value)
    updates: list[tuple[Any, ...]] = []
    for rec in recs:
        answer = answers.get(rec["paragraph"])
        if answer is None:
            stated = imported.get(rec["id"], []) if rec["section_response"] in open_ended else []
            found = _imported_answer(stated)
            if found is not None:
                updates.append((*found, None, rec["id"]))
            else:
                updates.append((*_section(rec), _disagreement(stated), rec["id"]))
            continue
        where = f"para {answer['paragraph']}" if answer["paragraph"] else f"p. {answer['page']}"
        source = f"{answer['addendum_symbol']} {where}"
        conflict = None
        stated = rec["section_response"]
        decided = (Position.SUPPORTED.value, Position.NOTED.value)
        if stated in decided and answer["position"] == Position.UNKNOWN.value:
            # A comment that states no position leaves the report's position standing.
            updates.append((*_section(rec), None, rec["id"]))
            continue
        agreed = imported.get(rec["id"], [])
        if answer["position"] == Position.UNKNOWN.value:
            # An answer that states no position ("Slovenia agrees with the importance of the
            # 1995 Programme ...", A/HRC/14/15/Add.1 para 15) leaves it open for the imports:
            # what they agree on, else what each says. The detail names the answer, so that
            # "noted (no position stated in A/HRC/14/15/Add.1 para 15) — UPR Info: Noted" is not
            # read as UPR Info's.
            found = _imported_answer(agreed)
            if found is not None:
                position, said, in_part = found
                detail = "; ".join(filter(None, (in_part, f"{answer['detail']} in {source}")))
                updates.append((position, said, detail, None, rec["id"]))
            else:
                conflict = _disagreement(agreed)
                updates.append((answer["position"], source, answer["detail"], conflict, rec["id"]))
            continue
        if stated in decided and stated != answer["position"]:
            conflict = f"{rec['section_source']}: {stated}; {source}: {answer['position']}"
        updates.append((answer["position"], source, answer["detail"], conflict, rec["id"]))
    db.executemany(
        "UPDATE recommendations SET response = ?, response_source = ?, response_detail = ?, "
        "response_conflict = ? WHERE id = ?",
        updates,
    )
    known = {rec["paragraph"] for rec in recs}
    unmatched = sorted({p for p in answers if p not in known})
    for row in db.execute(
        "SELECT e.id, e.target_ref, e.as_printed, d.type FROM evidence e "
        "JOIN documents d ON d.sha256 = e.document_sha256 "
        "WHERE e.target_symbol = ? AND e.kind = ?",
        (wg_symbol, STATE_COMMENT),
    ).fetchall():
        # The WG report names its own paragraph in full, dotted or not (cycle 1's "19(d)",
        # "44"); only an addendum answers by bare index, and a cycle-1 report may hold both
        # "29" and "80.29" (A/HRC/10/71), so its refs are never resolved.
        ref = row["target_ref"]
        if row["type"] == DocumentType.WG_REPORT.value:
            paragraph = ref
        else:
            paragraph = resolve(ref, row["as_printed"] or "")
        rec_id = f"{wg_symbol}#{paragraph}" if paragraph in known else None
        db.execute("UPDATE evidence SET recommendation_id = ? WHERE id = ?", (rec_id, row["id"]))
    if recs and unmatched:
        return [
            f"{wg_symbol}: responses to {len(unmatched)} paragraphs not in the report "
            f"({', '.join(unmatched[:5])}{' ...' if len(unmatched) > 5 else ''})"
        ]
    return []


def report_and_addendum_disagree(conflict: str, response: str, source: str | None) -> bool:
    """Whether a `response_conflict` is the WG report's section against the addendum that
    gives the response ("A/HRC/28/15 para 115: supported; A/HRC/28/15/Add.1 para 5: noted",
    as `refresh_responses` writes it), rather than imports that disagree."""
    return source is not None and conflict.endswith(f"; {source}: {response}")


def _imported_answer(stated: list[tuple[str, str]]) -> tuple[str, str, str | None] | None:
    """The position, source and detail the imports linked to an ask give it: the position
    they agree on, with its source; UPR Info's rows of an ask's halves, one Accepted and one
    Noted (El Salvador 2010's 82.28: "reduce preventive detention" accepted, "prevent and
    punish torture per CAT" noted), one database's answer in part (`SUPPORTED_IN_PART`, the
    rule of an addendum that accepts part of an ask), with both rows as its source. None when
    there are none, or two databases disagree (`_disagreement`)."""
    if len({position for position, _ in stated}) == 1:
        return (*stated[0], None)
    if stated and all(source.startswith(_UPR_INFO_ANSWER) for _, source in stated):
        position, detail = SUPPORTED_IN_PART
        return position.value, "; ".join(dict.fromkeys(source for _, source in stated)), detail
    return None


def _disagreement(stated: list[tuple[str, str]]) -> str | None:
    """What imports that disagree say, each source once, for `response_conflict`: a UPR Info
    row and an OHCHR thematic list's give "UPR Info: Noted; A/HRC/28/15/Add.1 para 3:
    supported". None when they agree, or there are none."""
    if len({position for position, _ in stated}) < 2:
        return None
    # UPR Info's source is its answer ("UPR Info: Noted"); an OHCHR list's is the addendum
    # paragraph it cites, which needs the position beside it.
    said = (
        source if source.startswith(_UPR_INFO_ANSWER) else f"{source}: {position}"
        for position, source in stated
    )
    return "; ".join(dict.fromkeys(said))


def _named_states(printed: str) -> set[str]:
    """The States an answer names its ask with, as the index names them: "20 (Portugal)"
    (A/HRC/8/36/Add.1's "Recommendation 20 (Portugal): ...") gives Portugal."""
    states = load_states()
    lists = [inner for _, _, inner in parentheticals(printed)]
    named = (states.resolve(name) for name in state_list_names(lists[-1], states)) if lists else ()
    return {state.name for state in named if state is not None}


def _section(rec: sqlite3.Row) -> tuple[str, str | None, str | None]:
    """The position, source and detail (`section_detail`: "accepted; considered already
    implemented or in process") the WG report's section gives a recommendation."""
    return rec["section_response"], rec["section_source"], rec["section_detail"]


_UPR_INFO_ANSWER = "UPR Info: "
"""How an imported UPR Info row's `position_source` opens: "UPR Info: Accepted"."""
_OHCHR_PARA = re.compile(r"\s+-\s+Para\.\s*")


def _imported_positions(db: sqlite3.Connection, ids: list[str]) -> dict[str, list[tuple[str, str]]]:
    """The positions ("supported" or "noted") the imports linked to each recommendation
    state, each with its source: when they agree, the latest known position of a
    recommendation the indexed PDFs leave pending (its addendum not indexed). An OHCHR
    thematic list's source is the addendum paragraph it cites ("A/HRC/28/15/Add.1 para 3");
    UPR Info's is its answer ("UPR Info: Accepted")."""
    return by_recommendation(
        db,
        ids,
        "SELECT l.recommendation_id, i.position, i.position_source, i.source "
        "FROM import_links l JOIN imports i ON i.import_id = l.import_id "
        "WHERE l.recommendation_id IN ({}) "
        f"AND i.position IN ('{Position.SUPPORTED.value}', '{Position.NOTED.value}') "
        "ORDER BY i.source, i.import_id",
        lambda row: (
            row["position"],
            _OHCHR_PARA.sub(" para ", row["position_source"] or row["source"]),
        ),
    )


def response_source(report: WgReport, rec: Recommendation) -> str | None:
    """Where the WG report states a recommendation's position ("A/HRC/28/15 para 115")."""
    if rec.position_paragraph is None or report.symbol is None:
        return None
    return f"{report.symbol} para {rec.position_paragraph}"
