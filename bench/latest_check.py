"""The clusters on the reviews labelled last (bench/cluster_protocol.py LATEST, NEWEST, FINAL).

LATEST: Argentina 2012, Canada 2013, China 2013, the Democratic Republic of the Congo 2014,
Montenegro 2013 and Qatar 2014, each labelled by its own annotator (bench/gold, 2026-12-05) after
every default and model was chosen and after the FRESH and UNSEEN reviews were read.
NEWEST (`--newest`): nine reviews labelled the same way after LATEST was read (Burkina Faso
2013, Gabon 2012, Mauritius 2013, the Netherlands 2012, New Zealand 2014, Romania 2013, the
Russian Federation 2013, Switzerland 2012, the United Arab Emirates 2013).
FINAL (`--final`): seven reviews labelled the same way after NEWEST was read (the Bahamas 2013,
Barbados 2013, Bhutan 2014, the Democratic People's Republic of Korea 2014, Liechtenstein 2013,
Malta 2013, Monaco 2013).
Prints the old weighted mix and, beside it, the pair recipe trained on the 12 tuning reviews
(the shipped model until session 38, which never saw these reviews; the shipped model is
trained on them since: bench/learning_curve.py scores its recipe on each held out). Chooses
nothing.

Run: .venv/bin/python bench/latest_check.py [--newest | --final]
"""

from __future__ import annotations

import argparse
import sys
import time

from cluster_protocol import (
    FINAL,
    GOLD,
    LATEST,
    NEWEST,
    OLD_MIX,
    _scored,
    load_reviews,
    pair_model_folder,
    print_table,
)

from uprdex.pipeline.settings import ClusterSettings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    groups = parser.add_mutually_exclusive_group()
    groups.add_argument(
        "--newest", action="store_true", help="the nine reviews labelled after LATEST"
    )
    groups.add_argument(
        "--final", action="store_true", help="the seven reviews labelled after NEWEST"
    )
    args = parser.parse_args()
    if not GOLD.exists():
        print(f"skipped: {GOLD} not found (the shared corpus is not on this machine)")
        return 0
    start = time.perf_counter()
    group = NEWEST if args.newest else FINAL if args.final else LATEST
    reviews = load_reviews(
        tests=False,
        latest=not (args.newest or args.final),
        newest=args.newest,
        final=args.final,
    )
    print(
        f"== {len(reviews)} reviews labelled last ({', '.join(group)}): never chosen on; "
        f"{sum(len(r.items) for r in reviews)} recommendations "
        f"(loaded in {time.perf_counter() - start:.1f} s)"
    )
    tuning = ClusterSettings(pair_model=pair_model_folder(load_reviews(tests=False, tuning=True)))
    print_table(
        reviews,
        {
            "mix (old defaults)": [_scored(OLD_MIX, r) for r in reviews],
            "pairs, tuning": [_scored(tuning, r) for r in reviews],
        },
    )
    print(f"  ({time.perf_counter() - start:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
