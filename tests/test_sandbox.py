"""Per-document budgets: a document that hangs, eats memory or crashes the reader fails alone."""

from __future__ import annotations

import os
import signal
import time

from pipeline.sandbox import map_isolated


def _work(item: str) -> str:
    if item == "hang":
        time.sleep(60)
    if item == "bomb":
        blocks = [bytearray(64 * 1024 * 1024) for _ in range(64)]  # 4 GB
        return str(len(blocks))
    if item == "crash":
        os.kill(os.getpid(), signal.SIGSEGV)  # as a native fault in the PDF reader would
    if item == "bug":
        raise ValueError("unexpected")
    return item.upper()


def test_each_failure_is_reported_and_the_batch_goes_on() -> None:
    items = ["a", "hang", "b", "bomb", "c", "crash", "d", "bug", "e"]
    start = time.monotonic()
    outcomes = {
        o.item: o for o in map_isolated(_work, items, workers=2, timeout=2.0, memory_mb=256)
    }
    assert time.monotonic() - start < 30
    assert {item: outcomes[item].result for item in "abcde"} == {c: c.upper() for c in "abcde"}
    assert outcomes["hang"].failure == "timeout"
    assert outcomes["bomb"].failure == "memory"
    assert outcomes["crash"].failure == "crash"
    assert outcomes["bug"].failure == "error" and "unexpected" in outcomes["bug"].detail
