"""The shipped clusters on the six reviews labelled last (bench/cluster_protocol.py LATEST).

Argentina 2012, Canada 2013, China 2013, the Democratic Republic of the Congo 2014, Montenegro
2013 and Qatar 2014, each labelled by its own annotator (bench/gold, 2026-12-05) after every
default and model was chosen and after the FRESH and UNSEEN reviews were read: a check no choice
has seen. Prints the old weighted mix and the shipped pair model beside it, and what share of
each review's gold pairs sits in the sure core. Chooses nothing.

Run: .venv/bin/python bench/latest_check.py
"""

from __future__ import annotations

import sys
import time

from cluster_protocol import GOLD, LATEST, OLD_MIX, _scored, load_reviews, print_table

from uprdex.pipeline.settings import ClusterSettings


def main() -> int:
    if not GOLD.exists():
        print(f"skipped: {GOLD} not found (the shared corpus is not on this machine)")
        return 0
    start = time.perf_counter()
    latest = load_reviews(tests=False, latest=True)
    print(
        f"== {len(latest)} reviews labelled last ({', '.join(LATEST)}): never trained or chosen "
        f"on; {sum(len(r.items) for r in latest)} recommendations "
        f"(loaded in {time.perf_counter() - start:.1f} s)"
    )
    print_table(
        latest,
        {
            "mix (old defaults)": [_scored(OLD_MIX, r) for r in latest],
            "shipped pairs": [_scored(ClusterSettings(), r) for r in latest],
        },
    )
    print(f"  ({time.perf_counter() - start:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
