"""The committed list of WG report quirks (bench/wg_quirks.csv) that bench_wg_counts checks.

The bench accepts a difference from the UPR Info export only when the quirk's `state_diffs`
give every recommending State's difference exactly; these tests keep that column readable.
"""

from __future__ import annotations

import csv
import importlib.util
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

from uprdex.pipeline.states import load_states

BENCH = Path(__file__).resolve().parents[1] / "bench"


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_wg_counts", BENCH / "bench_wg_counts.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclass looks itself up there
    spec.loader.exec_module(module)
    return module


def test_state_diffs_round_trip() -> None:
    bench = _bench()
    ours = {"Mexico": 1, "Libya": 2, "Chile": 1}
    theirs = {"Mexico": 4, "Libya": 2, "Germany": 1}
    diffs = bench.state_diffs(Counter(ours), Counter(theirs))
    assert diffs == {"Chile": 1, "Germany": -1, "Mexico": -3}
    text = "; ".join(f"{state} {n:+d}" for state, n in diffs.items())
    assert bench.parse_state_diffs(text) == diffs
    assert bench.parse_state_diffs("Iran (Islamic Republic of) -2; (Unknown) -9") == {
        "Iran (Islamic Republic of)": -2,
        "(Unknown)": -9,
    }


def test_every_quirk_names_known_states_and_says_why() -> None:
    bench = _bench()
    states = load_states()
    with (BENCH / "wg_quirks.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows
    for row in rows:
        assert row["file"].endswith(".pdf") and row["reason"].strip(), row["file"]
        for state in bench.parse_state_diffs(row["state_diffs"]):
            resolved = states.resolve(state)
            assert state == "(Unknown)" or (resolved and resolved.name == state), (
                f"{row['file']}: {state!r} is not an official short name"
            )
