"""The asks of a review that no indexed answer of the State's has decided ("pending"), per
review, and the addendum that would answer them: what the HTML report and the CLI's note after
a list filtered on an answer both say, so that "291 pending" does not read as "the State never
answered" (A/HRC/28/12, whose answers are in its Add.1). Light: the CLI imports it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from uprdex.pipeline.model import Position
from uprdex.pipeline.symbols import wg_symbol_of

__all__ = ["Unanswered", "unanswered"]

Record = Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Unanswered:
    """The asks of one review that no indexed answer of the State's has decided ("pending"):
    the State's answers are in the review's addendum, which the index does not hold, or holds
    (`addenda`) without an answer to these."""

    symbol: str | None
    cycle: int | None
    year: int | None
    asks: int
    addenda: tuple[str, ...]

    @property
    def addendum(self) -> str | None:
        """The symbol the UN gives the addendum to a WG report: "A/HRC/28/12/Add.1"."""
        return f"{self.symbol}/Add.1" if self.symbol else None


def unanswered(recs: Sequence[Record], documents: Iterable[Record]) -> list[Unanswered]:
    """Per review, the asks still pending, and the addenda of it the index holds: what the
    report says of them, as `recs --response noted` does, so that "291 pending" does not
    read as "the State never answered" (A/HRC/28/12, whose answers are in its Add.1)."""
    addenda: dict[str, list[str]] = {}
    for doc in documents:
        answered = wg_symbol_of(doc["symbol"]) if doc["type"] == "addendum" else None
        if answered:
            addenda.setdefault(answered, []).append(doc["symbol"])
    pending = Counter(
        (rec["document_symbol"], rec["cycle"], rec["year"])
        for rec in recs
        if rec["response"] == Position.PENDING
    )
    return [
        Unanswered(symbol, cycle, year, n, tuple(sorted(addenda.get(symbol or "", ()))))
        for (symbol, cycle, year), n in sorted(pending.items(), key=_review_order)
    ]


def _review_order(item: tuple[tuple[str | None, int | None, int | None], int]) -> tuple[int, str]:
    """The earlier review first (cycle, then symbol)."""
    (symbol, cycle, _), _ = item
    return (cycle or 0, symbol or "")
