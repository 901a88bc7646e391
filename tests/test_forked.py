"""Work shared among forked workers gives what one process gives, in the same order."""

from __future__ import annotations

import csv
import os
from collections.abc import Sequence

import pytest

from uprdex.flows import ingest
from uprdex.pipeline import forked
from uprdex.pipeline.forked import in_parts

from helpers import fixture


def _pids(items: Sequence[int]) -> list[tuple[int, int]]:
    return [(item, os.getpid()) for item in items]


def test_parts_keep_the_order_and_run_in_workers() -> None:
    results = in_parts(_pids, list(range(10)), min_items=0, workers=2)
    assert [item for item, _ in results] == list(range(10))
    assert os.getpid() not in {pid for _, pid in results}
    assert len({pid for _, pid in results}) == 2


def test_one_process_when_small_or_threads_run(monkeypatch: pytest.MonkeyPatch) -> None:
    assert {pid for _, pid in in_parts(_pids, [1, 2, 3], min_items=10)} == {os.getpid()}
    monkeypatch.setattr(forked.threading, "active_count", lambda: 2)
    assert {pid for _, pid in in_parts(_pids, list(range(10)), min_items=0)} == {os.getpid()}


def test_themes_of_a_large_import_are_those_of_one_process(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with fixture("upr_info_slovenia_s20.csv").open(encoding="utf-8") as handle:
        texts = [row["Text"] for row in csv.DictReader(handle)]
    whole = ingest._theme_hits(texts)
    monkeypatch.setattr(ingest, "_THEME_PARTS_FROM", 0)
    monkeypatch.setattr(forked, "cores", lambda: 2)
    monkeypatch.setattr(forked, "may_fork", lambda: True)  # whatever threads other tests left
    assert ingest.theme_hits(texts) == whole
    assert sum(map(len, whole)) > len(texts)  # most texts have hits
