"""The pair model's small calls at merge time: their cost with the code of a base revision and
with this checkout's, and whether every score is the same.

Clusters the 33,074 rows of the UPR Info export at scope "all" (`ClusterSettings(scope="all")`,
as `bench_clusters.py --scale`) and records every batch of pairs `Linkage` asks to be scored
when a merge completes a link (`Linkage._completed`: 10,725 calls, 720,985 pairs, a median of
15 pairs a call). Then scores those batches again, one `Similarity.pairs` call each, as the
merges did: with `pipeline/clusters/pair_features.py` (when the base has it), `pair_model.py`
and `similarity.py` as they were at the base revision (read with `git show`, each importing the
others of that revision: the baseline) and as they are here (ours), on the same texts,
model and places. The calls are timed 500 at a time, the two sides alternating, REPEATS times;
each side's time is the sum over the slices of its fastest (wall and CPU seconds). Prints both
and the ratio, then compares the scores of every pair bit for bit (float32), and, where some
differ, how many, the largest difference and the first pairs that differ.
The same pairs scored as one batch are timed too (what the calls would cost without their fixed
part). Wall seconds on a machine shared with other work: compare the two sides of one run.

Run: .venv/bin/python bench/small_calls.py [--base REV] [--repeats N]
(REV: default a72914b, main's head when this bench was written)
"""

from __future__ import annotations

import argparse
import copy
import dataclasses
import subprocess
import sys
import time
import types
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from bench_clusters import upr_info_items

from uprdex.pipeline.clusters import linkage
from uprdex.pipeline.clusters.similarity import Similarity
from uprdex.pipeline.settings import ClusterSettings

ROOT = Path(__file__).resolve().parent.parent
BASE = "a72914b"
_SLICE = 500
"""Calls timed at once (`passes`)."""

Pairs = npt.NDArray[np.int64]
Scores = npt.NDArray[np.float32]


def captured(settings: ClusterSettings) -> tuple[Similarity, list[Pairs]]:
    """Cluster the UPR Info rows; the run's `Similarity` and the batches a merge completed."""
    items = upr_info_items()
    made: list[Similarity] = []
    batches: list[Pairs] = []
    build, start = linkage.Similarity, linkage.Linkage.__init__

    def similarity(*args: Any, **kwargs: Any) -> Similarity:
        made.append(build(*args, **kwargs))
        return made[-1]

    def init(self: linkage.Linkage, size: int, threshold: float, complete: Any = None) -> None:
        def recorded(pairs: Pairs) -> Scores:
            batches.append(pairs.copy())
            return complete(pairs)  # type: ignore[no-any-return]

        start(self, size, threshold, recorded if complete else None)

    linkage.Similarity, linkage.Linkage.__init__ = similarity, init  # type: ignore[assignment,method-assign,misc]
    try:
        linkage.cluster(items, settings)
    finally:
        linkage.Similarity, linkage.Linkage.__init__ = build, start  # type: ignore[method-assign,misc]
    return made[0], batches


def _module(name: str, revision: str, path: str) -> types.ModuleType:
    """The module at `path` as it was at `revision`, under a name of its own."""
    source = subprocess.run(
        ["git", "show", f"{revision}:{path}"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    module = types.ModuleType(name)
    module.__file__ = f"{revision}:{path}"
    sys.modules[name] = module  # dataclasses look their module up while the class is built
    exec(compile(source, module.__file__, "exec"), module.__dict__)
    return module


_BASE_MODULES = ("pair_features", "pair_model", "similarity")
"""Read at the base revision in this order, each importing the ones before it of that revision
(pair_features.py, split from pair_model.py in 2ba8a47, is missing before)."""


def _base_modules(revision: str) -> dict[str, types.ModuleType]:
    """The pair model's modules as they were at `revision`; while each is read, the package's
    names of the ones read before it are the base's, so that its imports bind them."""
    modules: dict[str, types.ModuleType] = {}
    ours = {name: sys.modules.get(f"uprdex.pipeline.clusters.{name}") for name in _BASE_MODULES}
    try:
        for name in _BASE_MODULES:
            path = f"pipeline/clusters/{name}.py"
            there = subprocess.run(
                ["git", "cat-file", "-e", f"{revision}:{path}"], cwd=ROOT, capture_output=True
            )
            if there.returncode:
                continue
            modules[name] = _module(f"small_calls_base_{name}", revision, path)
            sys.modules[f"uprdex.pipeline.clusters.{name}"] = modules[name]
    finally:
        for name, module in ours.items():
            if module is None:
                sys.modules.pop(f"uprdex.pipeline.clusters.{name}", None)
            else:
                sys.modules[f"uprdex.pipeline.clusters.{name}"] = module
    return modules


def baseline(ours: Similarity, revision: str, settings: ClusterSettings) -> Similarity:
    """`ours` with the pair model, its features and the similarity's methods of `revision`."""
    base = _base_modules(revision)
    pair_model, similarity = base["pair_model"], base["similarity"]
    features = base.get("pair_features", pair_model)  # text_scores and PairInputs live there
    # The base similarity's functions read the base pair model's names, not ours.
    for name in ("LearnedPairs", "PairModel", "PairModelError"):
        setattr(similarity, name, getattr(pair_model, name))
    for name in ("PairInputs", "text_scores"):
        setattr(similarity, name, getattr(features, name))
    assert ours.learned is not None
    inputs = ours.learned.inputs
    fields = dataclasses.fields(features.PairInputs)
    base_inputs = features.PairInputs(**{f.name: getattr(inputs, f.name) for f in fields})
    model = pair_model.PairModel.load(settings.pair_model)
    copied = copy.copy(ours)
    copied.__class__ = similarity.Similarity
    copied.learned = pair_model.LearnedPairs(model, base_inputs)
    return copied


def passes(
    sides: dict[str, Similarity], batches: Sequence[Pairs], cutoff: float, repeats: int
) -> dict[str, tuple[float, float, list[Scores]]]:
    """Each side's wall and CPU seconds over `batches` (one call each), and its scores. The
    batches are timed a slice at a time, the sides alternating, each slice `repeats` times:
    a side's time is the sum of its fastest time on each slice (what other work on the
    machine added least to)."""
    wall = {name: np.full((repeats, len(batches) // _SLICE + 1), np.inf) for name in sides}
    cpu = {name: np.full((repeats, len(batches) // _SLICE + 1), np.inf) for name in sides}
    scores: dict[str, list[Scores]] = {name: [] for name in sides}
    for repeat in range(repeats):
        for at, low in enumerate(range(0, len(batches), _SLICE)):
            part = batches[low : low + _SLICE]
            for name, similarity in sides.items():
                score: Callable[[Pairs, float], Scores] = similarity.pairs
                start, started = time.perf_counter(), time.process_time()
                scored = [score(batch, cutoff) for batch in part]
                cpu[name][repeat, at] = time.process_time() - started
                wall[name][repeat, at] = time.perf_counter() - start
                if repeat == 0:
                    scores[name].extend(scored)
    fastest = {name: (wall[name].min(axis=0).sum(), cpu[name].min(axis=0).sum()) for name in sides}
    return {name: (*map(float, fastest[name]), scores[name]) for name in sides}


def compare(pairs: Pairs, base: Scores, ours: Scores) -> None:
    """Whether every score is the same bit for bit; if not, how and where they differ."""
    differ = np.nonzero(base.view(np.uint32) != ours.view(np.uint32))[0]
    print(f"identical: {'yes' if not len(differ) else 'no'} ({len(pairs):,} pairs compared)")
    if len(differ):
        gap = np.abs(base[differ].astype(np.float64) - ours[differ])
        print(f"  {len(differ):,} differ, largest difference {gap.max():.6g}")
        for at in differ[:10].tolist():
            print(f"  pair {pairs[at].tolist()}: base {base[at]!r}, ours {ours[at]!r}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default=BASE, help="the baseline's git revision")
    parser.add_argument("--repeats", type=int, default=3, help="passes of each side")
    args = parser.parse_args()
    settings = ClusterSettings(scope="all")
    start = time.perf_counter()
    ours, batches = captured(settings)
    sizes = np.array([len(batch) for batch in batches])
    print(
        f"clustered in {time.perf_counter() - start:.1f} s: {len(batches):,} merge batches, "
        f"{sizes.sum():,} pairs, median {int(np.median(sizes))} a call"
    )
    base = baseline(ours, args.base, settings)
    sides = {f"base {args.base}": base, "ours": ours}
    for similarity in sides.values():  # warm: models read, rows sorted, caches built
        for batch in batches[:50]:
            similarity.pairs(batch, settings.min_pair)
    timed = passes(sides, batches, settings.min_pair, args.repeats)
    (base_wall, base_cpu, base_scores), (ours_wall, ours_cpu, ours_scores) = timed.values()
    print(f"\n{'':<16}{'calls, wall s':>14}{'calls, CPU s':>14}{'one batch, wall s':>19}")
    every = np.concatenate(batches)
    for name, (wall, cpu, _) in timed.items():
        start = time.perf_counter()
        sides[name].pairs(every, settings.min_pair)
        print(f"{name:<16}{wall:>14.2f}{cpu:>14.2f}{time.perf_counter() - start:>19.2f}")
    print(
        f"ratio (base / ours, calls): wall {base_wall / ours_wall:.2f}x, "
        f"CPU {base_cpu / ours_cpu:.2f}x"
    )
    compare(every, np.concatenate(base_scores), np.concatenate(ours_scores))
    return 0


if __name__ == "__main__":
    sys.exit(main())
