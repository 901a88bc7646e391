"""uprdex leans on two private names of Prefect's: `engine._prefect_sigterm_handler` (wrapped
so a service manager's stop is noted first, flows/interrupts.py) and `runner._process_manager`
(followed by serve, flows/cli/_served_runs.py). Prefect 3.6.26 and before have no such handler
(it is made inside `capture_sigterm`), 3.6.21 and before no such manager, and a release to come
may move either: `uprdex run`, `watch` and `serve` then go on, and say in one line what they do
without (prefectpriv). Before, `run` and `watch` ended in an AttributeError traceback, a served
run's process died on it as it started, and serve lost its notes of its runs without a word."""

from __future__ import annotations

import os

import pytest
from prefect.utilities import engine

from uprdex.flows import interrupts
from uprdex.flows.cli._served_runs import follow
from uprdex.flows.interrupts import prefects_sigterm_noted, quiet_until_the_run, serving


@pytest.fixture(autouse=True)
def _each_test_says_its_line(monkeypatch: pytest.MonkeyPatch) -> None:
    """A line is said once per process: each test starts from none said."""
    monkeypatch.setattr(interrupts, "_said", set(), raising=False)


def _without_the_sigterm_handler(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(engine, "_prefect_sigterm_handler")


def _degraded_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("degraded:")]


def test_run_and_watch_go_on_in_one_line_without_prefects_sigterm_handler(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _without_the_sigterm_handler(monkeypatch)
    ran = []
    for _ in range(2):  # `uprdex watch` runs the flow once per burst: the line is said once
        with prefects_sigterm_noted():
            ran.append("the flow")
    assert ran == ["the flow", "the flow"]
    lines = _degraded_lines(capsys.readouterr().err)
    assert len(lines) == 1, lines
    assert "prefect.utilities.engine._prefect_sigterm_handler" in lines[0]
    assert "SIGTERM" in lines[0] and "may count as failed" in lines[0]


def test_a_served_run_starts_without_prefects_sigterm_handler_and_serve_says_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _without_the_sigterm_handler(monkeypatch)
    # A run's process of `uprdex serve` wraps the handler as it first imports `uprdex.flows`
    monkeypatch.setenv(interrupts.SERVED_BY, str(os.getppid()))
    quiet_until_the_run()
    assert _degraded_lines(capsys.readouterr().err) == []  # serve says it, not each run
    monkeypatch.delenv(interrupts.SERVED_BY)
    with serving():
        pass
    lines = _degraded_lines(capsys.readouterr().err)
    assert len(lines) == 1 and "_prefect_sigterm_handler" in lines[0], lines


def test_serve_says_in_one_line_it_cannot_follow_a_runner_without_its_process_manager(
    capsys: pytest.CaptureFixture[str],
) -> None:
    class Runner:  # a Prefect's runner that keeps its processes otherwise
        pass

    ours: set[object] = set()
    follow(Runner(), lambda: False, ours)  # type: ignore[arg-type]
    lines = _degraded_lines(capsys.readouterr().err)
    assert len(lines) == 1, lines
    assert "_process_manager" in lines[0] and "Running on the Prefect server" in lines[0]


def test_prefect_here_has_both_names_so_nothing_is_said(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # The pinned Prefect has both: the wrap is in place while a flow runs here, said nothing
    handler = engine._prefect_sigterm_handler
    with prefects_sigterm_noted():
        assert engine._prefect_sigterm_handler is not handler
    assert engine._prefect_sigterm_handler is handler
    with serving():
        pass
    assert _degraded_lines(capsys.readouterr().err) == []
