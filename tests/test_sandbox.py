"""Per-document budgets: a document that hangs, eats memory or crashes the reader fails alone."""

from __future__ import annotations

import importlib
import os
import signal
import threading
import time

import pytest

from uprdex.pipeline.sandbox import map_isolated


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


@pytest.mark.parametrize("module", ["uprdex.pipeline.theme_model", "uprdex.pipeline.semantic"])
def test_a_model_lock_held_by_another_thread_at_fork_does_not_hang_the_worker(
    module: str,
) -> None:
    # The flow's threads fork document workers while other threads run: a worker must not
    # inherit a model cache lock that another thread holds at that moment.
    loaded = importlib.import_module(module)
    model = (loaded.ThemeModel if hasattr(loaded, "ThemeModel") else loaded.SemanticModel).load()
    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        with loaded._MODELS._lock:
            held.set()
            release.wait(30)

    holder = threading.Thread(target=hold)
    holder.start()
    held.wait()
    try:
        outcomes = list(
            map_isolated(lambda _: type(model).load().version, [1], 1, timeout=15, memory_mb=0)
        )
    finally:
        release.set()
        holder.join()
    assert [(o.result, o.failure) for o in outcomes] == [(model.version, None)]
