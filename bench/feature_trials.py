"""The shared harness of the pair-feature trials (#19): what bench/burst_trial.py,
context_trial.py, position_trial.py, subject_trial.py and stack_trial.py each wrote again.

- `DenseFeatures`: a trial's pair features appended to `pair_model.DENSE_FEATURES` for the run
  (patched in this process only: pair_model's and train_pairs' names and `dense_features`, and
  `train_pairs.review_inputs` where the trial reads which review is trained on);
- `tuning_run`: leave one TUNING review out (each variant trained on the 11 others, scoring the
  held-out review), the gains table, the pre-registered bar (`Bar`), then each variant trained
  on all 12 and scored on them (in-sample);
- `final_run`: the shape of the single declared final check (today's recipe and the chosen
  variant, both trained on the tuning reviews, on the group the bar reads; the groups read
  before, reported only; the TEST reviews only if the bar passes);
- `variant_parser`, `steps` and `run`: the command line every trial shares (`--variants`, the
  check, the skip without the gold, the run's seconds).

Each trial keeps its own features, variants, records and whatever differs (context_trial's
cross-fitted first stage, stack_trial's stages, position_trial's pooled final bar).

What the trials print changed in form only: the held-out lines go review by review, each
variant within (burst's and context's order; position, subject and stack went variant by
variant: each fold's models depend on its training reviews alone, not on the order), and every
bar line prints the F1 gain, the reviews made better, the precision gain and the lowest F1,
whatever conditions the trial's bar pre-registered (`Bar`).
"""

from __future__ import annotations

import argparse
import functools
import statistics
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from cluster_protocol import (
    GOLD,
    TUNING,
    Review,
    Score,
    load_reviews,
    mean_cell,
    mean_f1_precision,
    print_gains,
)

from uprdex.pipeline import train_pairs
from uprdex.pipeline.clusters import pair_model

Floats = npt.NDArray[np.float64]
Pairs = npt.NDArray[np.int64]
Columns = Callable[[Any, Pairs, tuple[str, ...]], Floats]
"""A trial's features: the pair inputs, the pairs (rows of two text indexes), the active
names -> one column per active name, in that order."""
Scored = Callable[[Sequence[Review], str, Sequence[Review]], list[Score]]
"""train, variant, held -> `held` clustered at the defaults by `variant` trained on `train`."""
Checked = Callable[[str, Sequence[Review]], list[Score]]
"""variant, reviews -> `reviews` clustered by `variant` trained on the tuning reviews."""
TODAY = "today"
"""The arm of today's recipe, the first of every trial."""

BASE_NAMES: tuple[str, ...] = pair_model.DENSE_FEATURES
BASE_DENSE = pair_model.dense_features
BASE_INPUTS = train_pairs.review_inputs


class DenseFeatures:
    """A trial's pair features appended to today's dense features, one variant at a time."""

    def __init__(
        self,
        variants: Mapping[str, tuple[str, ...]],
        columns: Columns,
        review_inputs: Callable[..., Any] | None = None,
        on_use: Callable[[], None] | None = None,
    ) -> None:
        self.variants = variants
        self.columns = columns
        self.review_inputs = review_inputs
        self.on_use = on_use
        self.active: tuple[str, ...] = ()

    def dense(self, inputs: Any, pairs: Any, knots: Sequence[float] = (), grid: Any = None) -> Any:
        """Today's dense features of each pair, then the active ones."""
        base = BASE_DENSE(inputs, pairs, knots, grid)
        if not self.active:
            return base
        # The base function sizes its rows by the patched names: its own columns come first,
        # the trial's last (no knots in CONFIG).
        assert not knots
        extra = self.columns(inputs, np.asarray(pairs, dtype=np.int64), self.active)
        return np.hstack([base[:, : len(BASE_NAMES)], extra])

    def use(self, variant: str) -> None:
        """The pair features of `variant` in this process (pair_model and train_pairs)."""
        self.active = self.variants[variant]
        names = BASE_NAMES + self.active
        pair_model.DENSE_FEATURES = names
        train_pairs.DENSE_FEATURES = names  # type: ignore[attr-defined]
        pair_model.dense_features = self.dense
        train_pairs.dense_features = self.dense  # type: ignore[attr-defined]
        if self.review_inputs is not None:
            train_pairs.review_inputs = self.review_inputs
        if self.on_use is not None:
            self.on_use()


@dataclass(frozen=True)
class Bar:
    """The pre-registered bar of a tuning run: mean held-out F1 at least `f1` over today's,
    F1 strictly higher on at least `better` of the reviews and, if `precision`, mean
    precision not lower."""

    f1: float = 0.02
    better: int = 8
    precision: bool = True

    def label(self, reviews: int) -> str:
        return f"F1 +{self.f1:.2f}, better on >= {self.better} of {reviews}" + (
            ", precision not lower" if self.precision else ""
        )


def held_out(
    tuning: Sequence[Review], variants: Sequence[str], scored: Scored
) -> dict[str, list[Score]]:
    """Each variant's score on each tuning review, trained on the others (printed as it goes)."""
    held: dict[str, list[Score]] = {name: [] for name in variants}
    for review in tuning:
        train = [r for r in tuning if r is not review]
        for name in variants:
            result = scored(train, name, [review])[0]
            print(f"    {name}, {review.name} held out: {result.cell()}", flush=True)
            held[name].append(result)
    return held


def print_bar(held: Mapping[str, list[Score]], bar: Bar, digits: int = 4) -> None:
    """Each variant (after "today", the first) against the bar."""
    names = list(held)
    today = held[names[0]]
    f1_today, p_today = mean_f1_precision(today)
    for name in names[1:]:
        f1, p = mean_f1_precision(held[name])
        better = sum(b.f1 > a.f1 for a, b in zip(today, held[name], strict=True))
        passes = (
            f1 - f1_today >= bar.f1 and better >= bar.better and (p >= p_today or not bar.precision)
        )
        print(
            f"  bar ({bar.label(len(today))}): {name} {f1 - f1_today:+.{digits}f}, {better}, "
            f"precision {p - p_today:+.{digits}f}, lowest F1 "
            f"{min(s.f1 for s in held[name]):.2f}: {'PASSES' if passes else 'fails'}"
        )


def tuning_run(
    tuning: Sequence[Review],
    variants: Sequence[str],
    scored: Scored,
    bar: Bar = Bar(),
    digits: int = 4,
    learned: Callable[[str], None] | None = None,
) -> None:
    """Leave one tuning review out, the gains and the bar; then each variant trained on all the
    tuning reviews and scored on them (`learned(variant)` called after each: what it learned)."""
    print(f"== tuning reviews only, leave one out ({len(tuning)} reviews)")
    held = held_out(tuning, variants, scored)
    print_gains(tuning, held, digits=digits)
    print_bar(held, bar, digits)
    inside = {}
    for name in variants:
        inside[name] = scored(tuning, name, tuning)
        if learned is not None:
            learned(name)
    print(
        "  in-sample (trained on all twelve): "
        + "; ".join(f"{n} {mean_cell(s)}" for n, s in inside.items())
    )


def reviews_of(group: str) -> list[Review]:
    """The reviews of one group of cluster_protocol ("tests", "final", "newest", ...)."""
    return load_reviews() if group == "tests" else load_reviews(tests=False, **{group: True})


def judge(results: Mapping[str, list[Score]], arm: str, f1: float, better: int, label: str) -> bool:
    """Print `arm` against today's: mean F1 gain >= `f1`, F1 higher on >= `better` reviews,
    mean precision not lower by more than 0.005; whether it passes."""
    pairs = list(zip(results[TODAY], results[arm], strict=True))
    gain = statistics.fmean(b.f1 - a.f1 for a, b in pairs)
    precision = statistics.fmean(b.precision - a.precision for a, b in pairs)
    higher = sum(b.f1 > a.f1 for a, b in pairs)
    passes = gain >= f1 and higher >= better and precision >= -0.005
    print(
        f"  {label} (F1 >= +{f1}, better on >= {better} of {len(pairs)}, precision >= -0.005): "
        f"{arm} F1 {gain:+.4f}, better on {higher}, worse on "
        f"{sum(b.f1 < a.f1 for a, b in pairs)}, precision {precision:+.4f}, lowest F1 "
        f"{min(b.f1 for _, b in pairs):.2f}: {'PASSES' if passes else 'fails'}"
    )
    return passes


LATER_GROUPS = ("fresh", "unseen", "latest", "newest", "final")
"""The groups of the single final checks, pooled: the 45 reviews labelled after the tuning
ones (bench/review_groups.py)."""


def later_reviews() -> dict[str, list[Review]]:
    """The reviews of each of `LATER_GROUPS`."""
    return {group: reviews_of(group) for group in LATER_GROUPS}


def print_later(
    groups: Mapping[str, Sequence[Review]], results: Mapping[str, list[Score]], arm: str
) -> bool:
    """A single final check's figures (`results`: each arm's scores of the groups' reviews
    pooled, in order): each group's gains, the pooled ones, and `arm` against the final bar
    (pooled mean F1 +0.01, precision -0.005 at most, better on 24 of 45); whether it passes."""
    low = 0
    for group, reviews in groups.items():
        print(f"-- {group.upper()} ({len(reviews)})")
        print_gains(reviews, {name: s[low : low + len(reviews)] for name, s in results.items()})
        low += len(reviews)
    pooled = [review for reviews in groups.values() for review in reviews]
    print(f"-- pooled ({len(pooled)})")
    print_gains(pooled, results)
    return judge(results, arm, 0.01, 24, "final bar")


def final_run(
    variant: str,
    checked: Checked,
    check: str,
    reported: Sequence[str] = (),
    if_passes: Sequence[str] = ("tests",),
    digits: int = 4,
) -> None:
    """The single final check: today and `variant` on the group `check` (bar: mean F1 +0.01
    and mean precision not lower); the groups `reported` (read before: reported only); and,
    only if it passes, the groups `if_passes` (reported only)."""
    names = ("today", variant)
    trained = f"trained on the {len(TUNING)} tuning"
    reviews = reviews_of(check)
    print(f"== {len(reviews)} {check} reviews, both recipes {trained}")
    results = {name: checked(name, reviews) for name in names}
    print_gains(reviews, results, digits=digits)
    (f1_today, p_today), (f1_ours, p_ours) = (
        mean_f1_precision(results["today"]),
        mean_f1_precision(results[variant]),
    )
    passes = f1_ours - f1_today >= 0.01 and p_ours >= p_today
    print(
        f"  bar ({check}: F1 +0.01 and precision not lower): F1 {f1_ours - f1_today:+.{digits}f}, "
        f"precision {p_ours - p_today:+.{digits}f}: {'PASSES' if passes else 'fails'}"
    )
    later = [(group, "(read before: reported only)") for group in reported]
    if passes:
        later += [(group, f"(reported only), {trained}") for group in if_passes]
    for group, note in later:
        reviews = reviews_of(group)
        print(f"== {len(reviews)} {'test' if group == 'tests' else group} reviews {note}")
        print_gains(reviews, {name: checked(name, reviews) for name in names}, digits=digits)


def variant_parser(doc: str, variants: Sequence[str], check: str = "final") -> Any:
    """The trials' command line: `--variants` (default all) and the final check (`--CHECK`)."""
    parser = argparse.ArgumentParser(description=doc.split("\n")[0])
    parser.add_argument("--variants", nargs="*", default=list(variants), choices=list(variants))
    parser.add_argument(f"--{check}", metavar="VARIANT", choices=list(variants)[1:])
    return parser


def steps(
    args: argparse.Namespace,
    tuning: Callable[[list[str]], object],
    final: Callable[[str], object],
    check: str = "final",
) -> list[Callable[[], object]]:
    """What the command line asks for: the tuning run of today's recipe and `--variants` (none
    named: no tuning run), then the final check of `--CHECK VARIANT`."""
    out: list[Callable[[], object]] = []
    if args.variants:
        out.append(
            functools.partial(tuning, ["today", *(v for v in args.variants if v != "today")])
        )
    if getattr(args, check):
        out.append(functools.partial(final, getattr(args, check)))
    return out


def run(*chosen: Callable[[], object]) -> int:
    """The chosen steps in order, then their seconds; skipped without the gold."""
    if not GOLD.exists():
        print(f"skipped: {GOLD} not found")
        return 0
    start = time.perf_counter()
    for step in chosen:
        step()
    print(f"  ({time.perf_counter() - start:.0f} s)")
    return 0
