"""The README's granularity example: Costa Rica 2014 (A/HRC/27/12, a test review of #19) clustered
by the shipped defaults at granularity 0 (strict), 0.5 (the default) and 1 (broad): how many
clusters of two or more, how many clusters in all, and the cluster of 128.95 "Criminalize
domestic violence" with its members. Nothing is chosen here; it only shows what each end gives.
It reads the recommendations uprdex prints from the WG report, not the review's gold labels:
the example needs none.

Run: .venv/bin/python bench/granularity_example.py
"""

from __future__ import annotations

import sys

from cluster_protocol import SHARED, indexed_items

from uprdex.pipeline.clusters import cluster
from uprdex.pipeline.settings import ClusterSettings

REPORT = "costarica2014.pdf"
"""A/HRC/27/12 in ../shared/data/wg_reports."""
ASK = "#128.95"
SHOWN = 20
"""Members of the example's cluster printed one by one, up to this many."""


def main() -> int:
    if not (SHARED / "wg_reports" / REPORT).exists():
        print(f"skipped: {REPORT} not found (the shared corpus is not on this machine)")
        return 0
    (items,) = indexed_items([REPORT]).values()
    texts = {item.id: item.text for item in items}
    (example,) = [item_id for item_id in texts if item_id.endswith(ASK)]
    print(f"{items[0].id.split('#')[0]}: {len(items)} recommendations")
    for granularity in (0.0, 0.5, 1.0):
        result = cluster(items, ClusterSettings(granularity=granularity))
        assignment = result.assignment
        members = sorted(i for i, c in assignment.items() if c == assignment[example])
        print(
            f"granularity {granularity:g}: clusters of 2+ {len(result.multi())} / in all "
            f"{len(set(assignment.values()))}; {ASK[1:]} with {len(members)}"
        )
        if len(members) <= SHOWN:
            for member in members:
                print(f"    {member.split('#')[1]:8} {texts[member][:110]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
