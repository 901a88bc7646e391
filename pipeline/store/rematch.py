"""Which rule and threshold matched the index's paraphrase evidence, and matching it again.

The index records them under the meta key `paraphrase_rule`, as one JSON object:
{"rule": "typical+object", "threshold": 0.4} (`paraphrase.RULE`, `paraphrase_threshold`).
Paraphrases matched otherwise (by an uprdex of another rule, or one that recorded none; at
another `paraphrase_threshold` of uprdex.toml) are matched again from the sentences the index
stores, every State's at once: no PDF is read, and each row still names its document's sha256,
its page and its printed sentence.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from uprdex.pipeline.paraphrase import RULE
from uprdex.pipeline.store.linking import link_paraphrases

__all__ = ["match_paraphrases", "paraphrases_made_otherwise", "rematch"]

_KEY = "paraphrase_rule"


def _wanted(threshold: float) -> dict[str, Any]:
    return {"rule": RULE, "threshold": threshold}


def _recorded(db: sqlite3.Connection) -> dict[str, Any] | None:
    row = db.execute("SELECT value FROM meta WHERE key = ?", (_KEY,)).fetchone()
    if row is None:
        return None
    try:
        value = json.loads(row[0])
    except ValueError:
        return None  # read as unrecorded: matched again, and recorded right
    return value if isinstance(value, dict) else None


def _named(made: dict[str, Any]) -> str:
    threshold = made.get("threshold")
    at = f" at {threshold:.2f}" if isinstance(threshold, int | float) else ""
    return f"{made.get('rule')}{at}"


def paraphrases_made_otherwise(db: sqlite3.Connection, threshold: float) -> str | None:
    """How the stored paraphrase evidence was matched, when not by this uprdex's rule at
    `threshold` ("typical+object at 0.50", "an uprdex that recorded no rule"); None when it
    was, or when the index stores no sentence to match."""
    made = _recorded(db)
    if made == _wanted(threshold) or not db.execute("SELECT 1 FROM sentences LIMIT 1").fetchone():
        return None
    return "an uprdex that recorded no rule" if made is None else _named(made)


def match_paraphrases(db: sqlite3.Connection, states: set[str], threshold: float) -> None:
    """Match the sentences of the documents about these States; those of every State when the
    index's paraphrases were matched otherwise (`rematch`)."""
    if _recorded(db) == _wanted(threshold):
        link_paraphrases(db, states, threshold)
    else:
        rematch(db, threshold)


def rematch(db: sqlite3.Connection, threshold: float) -> int:
    """Match every stored sentence again by this uprdex's rule at `threshold`, and record them;
    returns the paraphrase rows now held. Inside the caller's transaction: cut short, the old
    rows and record stay."""
    states = {
        state
        for (state,) in db.execute(
            "SELECT DISTINCT state_under_review FROM documents WHERE sha256 IN "
            "(SELECT document_sha256 FROM sentences)"
        )
        if state
    }
    link_paraphrases(db, states, threshold)
    db.execute(
        "INSERT INTO meta VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (_KEY, json.dumps(_wanted(threshold))),
    )
    (rows,) = db.execute("SELECT count(*) FROM evidence WHERE kind = 'paraphrase'").fetchone()
    return int(rows)
