"""Which parts of a compound member a cluster is about, so that "who asked for X" names the
States of those parts, not every State of the item.

Uzbekistan 2009's 106.5 (A/HRC/10/83) bundles asks on detention, each with its States; in the
cluster of Uzbekistan 2013's asks to let the ICRC into places of detention it is there for its
parts on the ICRC's access (Canada, Czechia, Slovakia, Poland, Hungary, ...), not for Denmark's
"training of law enforcement officials regarding the treatment of detainees".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from uprdex.pipeline.clusters.normalize import normalize
from uprdex.pipeline.model import AskPart

__all__ = ["parts_about"]


def parts_about(
    parts: Sequence[AskPart], others: Sequence[str], searched: Mapping[str, str]
) -> tuple[tuple[AskPart, ...], tuple[str, ...]]:
    """(the parts the cluster is about, the States that asked it), or ((), ()) when that is
    the whole item.

    The cluster's words are those of the other members' texts as the clustering reads them
    (`normalize`: stems, a treaty's names as one key). A State asked what the cluster is about
    when the words `recs --recommending-state` searches for it (`searched`: its parts with
    what they refer back to, "combat impunity in this regard" after "... torture") share one;
    a part is about the cluster when it shares one, or when every State that asked it did."""
    if not parts or not others:
        return (), ()
    held = {word for text in others for word in normalize(text).split()}
    states = list(dict.fromkeys(name for part in parts for name in part.recommending_states))
    asked = [name for name in states if set(normalize(searched.get(name, "")).split()) & held]
    if not asked or len(asked) == len(states):
        return (), ()
    shown = tuple(
        part
        for part in parts
        if set(normalize(part.text).split()) & held or set(part.recommending_states) <= set(asked)
    )
    return shown, tuple(asked)
