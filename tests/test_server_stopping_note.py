"""serve's terminal when its Prefect server stops: the runner's cancellation observer notes
its websocket closed (close 1012, "service restart") with a traceback (fixserve3's group
SIGTERM test saw it once, before serve had noted its own stop)."""

from __future__ import annotations

import logging

import pytest
from prefect.logging import get_logger
from websockets.exceptions import ConnectionClosedError
from websockets.frames import Close

from uprdex.flows.logs import ServerStopping, drop_from_loggers


def _observer_failed(code: int, caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    """What the observer's warning leaves in the log (as Prefect's `_log_stream_end` logs it)
    while serve's filter is on its logger."""
    logger = get_logger("FlowRunCancellingObserver")
    closed = ConnectionClosedError(Close(code, "service restart"), Close(code, ""), True)
    caplog.clear()
    with caplog.at_level(logging.WARNING), drop_from_loggers(ServerStopping(), logger.name):
        logger.warning("The %s websocket failed with an exception.", "x", exc_info=closed)
    return caplog.records


def test_a_websocket_closed_as_the_server_stops_is_not_noted(
    caplog: pytest.LogCaptureFixture,
) -> None:
    assert get_logger("FlowRunCancellingObserver").name == "prefect.FlowRunCancellingObserver"
    assert _observer_failed(1012, caplog) == []


def test_a_websocket_closed_for_another_reason_is_still_noted(
    caplog: pytest.LogCaptureFixture,
) -> None:
    assert len(_observer_failed(1011, caplog)) == 1
