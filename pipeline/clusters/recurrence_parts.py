"""Recurring asks part by part: a joint ask's parts are candidates of their own.

A cycle-1 report often prints as one item what several States asked in their own words:
"Abolish the death penalty (Luxembourg)/immediately stop executions and abolish the death
penalty (Germany)/... consider a moratorium on the death penalty with a view to abolishing it
(Brazil)/..." (A/HRC/14/12 92.20, nine parts; the index's `recommendation_parts`). Scored whole,
such an item resembles no single later ask: Luxembourg's "Abolish the death penalty" of 2014
scores 38.7 with it, and 83.7 with Luxembourg's part of it. So the link model also reads each
later ask against the earlier review's asks with each joint ask replaced by its parts (what each
of its States asked); a later ask the model is sure (`SURE`) repeats one part links the joint
ask (scored with that part's pair score), beside the whole items' links
(`recurrence_links.part_links`, in `recurrence_links.learned_recurrences`).

Example:
    columns = by_parts(earlier_items)   # each joint ask's parts in its place, under its id
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from uprdex.pipeline.clusters.records import ClusterItem

__all__ = ["SURE", "by_parts", "state_asks"]


def state_asks(parts: Sequence[tuple[str, Sequence[str]]]) -> tuple[str, ...]:
    """What each State asked in a joint ask, from its parts (text, its States) in print order:
    the parts it is named for, joined ("Consider ratifying (Slovenia)/ratify (Republic of
    Korea) the Convention on the Rights of Persons with Disabilities" gives "Consider
    ratifying the Convention ..." and "ratify the Convention ..."), one text per wording."""
    states = dict.fromkeys(state for _, named in parts for state in named)
    asks = (" ".join(text for text, named in parts if state in named) for state in states)
    return tuple(dict.fromkeys(asks))


SURE = 0.95
"""The probability a later ask and one State's ask of an earlier joint ask must reach to link
the two items: a fixed "sure" cut, chosen a priori and not tuned (bench/recurrence_parts_trial.py
--sure: on the 13 tuning pairs left out and on FRESH, precision and F1 not lower than the
whole items' links alone)."""


def by_parts(items: Sequence[ClusterItem]) -> list[ClusterItem]:
    """The items with each joint ask replaced by its parts (each under its item's id)."""
    return [
        replace(item, text=part, parts=())
        for item in items
        for part in (item.parts or (item.text,))
    ]
