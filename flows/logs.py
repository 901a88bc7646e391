"""Prefect's log lines a command says better itself: filters, the calls that install one
(from the call on: each returns the ExitStack that removes it), and the one call every command
that runs flows makes: its terminal after a stop."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from contextlib import ExitStack
from typing import Literal

__all__ = [
    "INTERRUPTED",
    "Notes",
    "RunNotes",
    "ServerStopping",
    "Stopping",
    "drop_from_loggers",
    "drop_from_terminal",
    "quiet_the_terminal_after_a_stop",
    "say_errors_in_one_line",
]


class Notes(logging.Filter):
    """Drops the records whose message opens with one of `openings`."""

    def __init__(self, *openings: str) -> None:
        super().__init__()
        self.openings = openings

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith(self.openings)


INTERRUPTED = "aborted by an interrupt signal"
"""What Prefect's crash notes of a flow or task run Ctrl-C stopped say."""
TERMINATED = "aborted by a termination signal"
"""What they say of one a SIGTERM stopped (Prefect takes SIGTERM over during a flow run)."""


class Interrupted(logging.Filter):
    """Drops Prefect's crash notes of a flow or task run Ctrl-C stopped ("Crash detected!
    Execution was aborted by an interrupt signal.", "Finished in state Crashed(...)"), and with
    `sigterm` those of one a SIGTERM stopped, for a command that stops on it as on Ctrl-C
    (`uprdex watch`): the command stopped says it in one line itself."""

    def __init__(self, sigterm: bool = False) -> None:
        super().__init__()
        self.notes = (INTERRUPTED, TERMINATED) if sigterm else (INTERRUPTED,)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not any(note in message for note in self.notes)


class AfterTheStop(logging.Filter):
    """Drops every record once the command's stop was asked (`pipeline.stopping`): what fails
    then (a task whose worker the stop's signal ended, calls to a server it stopped too) is
    the stop, which the command says in one line itself."""

    def filter(self, record: logging.LogRecord) -> bool:
        from uprdex.pipeline import stopping

        return not stopping.was_asked()


class EndedBeforeItsRun(logging.Filter):
    """Drops the notes of Prefect's runner that a run's process exited with 130 ("Process exited
    with status code: 130. Process exited with an unexpected status code.", "Reported flow run
    '...' as crashed: Process exited with status code: 130. ...") and the advice it logs right
    after the first ("Check the flow run logs and infrastructure logs for more details."), once
    `stopping` says the command's own stop has begun: the terminal's Ctrl-C ended that process
    before its run began (`interrupts`), and the command says so in one line. Otherwise (the
    run's process alone was interrupted, and the command goes on) they are the run's crash,
    and stay. The run is marked crashed on the server, with that note, either way."""

    def __init__(self, stopping: Callable[[], bool]) -> None:
        super().__init__()
        self.stopping = stopping
        self.advice_next = False

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        ended = ENDED_BEFORE_ITS_RUN in message and self.stopping()
        advice, self.advice_next = self.advice_next, ended
        return not (ended or (advice and message.startswith(RUNNERS_ADVICE)))


ENDED_BEFORE_ITS_RUN = "Process exited with status code: 130."
RUNNERS_ADVICE = "Check the flow run logs"


def drop_from_loggers(drop: logging.Filter, *names: str) -> ExitStack:
    """From the call on, the loggers `names` do not write the records `drop` filters out (to
    any handler: the server's record of a run neither), until the ExitStack returned is closed
    (the end of the `with` block it is used in; never closed, for good)."""
    loggers = ExitStack()
    for logger in map(logging.getLogger, names):
        logger.addFilter(drop)
        loggers.callback(logger.removeFilter, drop)
    return loggers


class ServerStopping(logging.Filter):
    """Drops the note, with its traceback, that a websocket to the Prefect server closed as the
    server stopped (close code 1012, "service restart"; Prefect's runner then polls until the
    server is back): a service manager's stop takes serve and its server at once, and serve
    says what the server's stop means for it in its own line (fixserve3's test saw the
    runner's cancellation observer print it before serve had noted its own stop)."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        said = getattr(error, "rcvd", None)  # websockets' ConnectionClosed: the close received
        return getattr(said, "code", None) != SERVICE_RESTART


SERVICE_RESTART = 1012
"""The websocket close code of a server going down (RFC 6455's registry: "Service Restart")."""


class RunNotes(logging.Filter):
    """Drops what a flow or task run notes below an error (a file failed, left out, its earlier
    reading kept): `uprdex run` says each in its summary, in its own words."""

    def filter(self, record: logging.LogRecord) -> bool:
        run = record.name.startswith(("prefect.flow_runs", "prefect.task_runs"))
        return not run or record.levelno >= logging.ERROR


def drop_from_terminal(drop: logging.Filter) -> ExitStack:
    """From the call on, the handlers of the root logger (Prefect's console) do not write the
    records `drop` filters out, until the ExitStack returned is closed (as
    `drop_from_loggers`); Prefect's handler that sends a run's log lines to its server still
    does (the run's record there stays whole)."""
    handlers = ExitStack()
    for handler in logging.getLogger().handlers:
        handler.addFilter(drop)
        handlers.callback(handler.removeFilter, drop)
    return handlers


class _UprdexErrorRecord(logging.Filter):
    """Drops Prefect's records of an error uprdex raised on purpose: "Encountered exception
    during execution", with its traceback, and a task run's "Finished in state Failed('Task
    run encountered an exception OverBudgetError: ...')" (a reading not cached, which the
    flow says as a failed file). The command says each in one line itself."""

    def filter(self, record: logging.LogRecord) -> bool:
        said = _said_by_uprdex()
        if record.exc_info and isinstance(record.exc_info[1], said):
            return False
        failed = _TASK_FAILED.match(record.getMessage())
        return not (failed and failed["name"] in _names(said))


# Prefect's last line of a task run that raised (str of its Failed state), as `uprdex run`
# printed it: "Finished in state Failed('Task run encountered an exception OverBudgetError:
# g1934994.pdf: took more than 0.5 s ...')".
_TASK_FAILED = re.compile(
    r"Finished in state Failed\('Task run encountered an exception (?P<name>\w+): "
)


def _said_by_uprdex() -> tuple[type[BaseException], ...]:
    """The exceptions uprdex says in its own line: its errors, and a reading the nightly flow
    raises only so that Prefect does not cache it."""
    from uprdex.flows.nightly import OverBudgetError
    from uprdex.pipeline.errors import UprdexError

    return (UprdexError, OverBudgetError)


def _names(classes: tuple[type[BaseException], ...]) -> set[str]:
    """The names of these classes and of every subclass of them."""
    found, todo = set(), list(classes)
    while todo:
        cls = todo.pop()
        found.add(cls.__name__)
        todo.extend(cls.__subclasses__())
    return found


RUN_LOGGERS = ("prefect.flow_runs", "prefect.task_runs")
"""Where Prefect logs what happens in a flow run and its task runs."""


def say_errors_in_one_line() -> ExitStack:
    """From the call on, until the ExitStack returned is closed (while a flow runs here:
    `uprdex run`, `watch`): an UprdexError inside a flow (the index on a full disk, busy) is
    the command's one line, not Prefect's traceback as well."""
    return drop_from_loggers(_UprdexErrorRecord(), *RUN_LOGGERS)


Stopping = Literal["flows here", "serve", "a served run"]
"""What stops with the command, which says its stop in one line itself: the flow runs in its
own process (`uprdex run` and `watch`, stopped by Ctrl-C or SIGTERM), `uprdex serve` and the
runs its runner starts in their own processes, or one of those runs' processes."""

SERVE_STOPPING = (
    "Pausing all deployments...",
    "All deployments have been paused!",
    "Received KeyboardInterrupt, shutting down...",
    "SIGTERM received, initiating graceful shutdown...",
)
"""What Prefect's serve logs when Ctrl-C or SIGTERM stops it, before the command's own line."""
RUNNERS_NOTES = ("prefect.runner.flow_run_executor", "prefect.runner.state_proposer")
"""Where Prefect's runner says how a run's process ended (`EndedBeforeItsRun`)."""


def quiet_the_terminal_after_a_stop(
    what: Stopping, serve_stopping: Callable[[], bool] | None = None
) -> ExitStack:
    """The command's terminal after a stop: from the call on, until the ExitStack returned is
    closed (never, for good), what Prefect logs of the stop is left to the command's one line.
    Each command that runs flows calls it once, `what` saying how its flows run:

    - always: nothing once the stop was asked (`AfterTheStop`; the stop may have ended the
      server too), on the terminal;
    - "flows here" (`uprdex run`, `watch`): the crash notes of a run Ctrl-C or SIGTERM
      stopped (`Interrupted`), on the terminal and the server;
    - "serve": Prefect's serve's notes of its stop (SERVE_STOPPING), the runner's note that a
      run's process ended with 130 once `serve_stopping()` says serve's stop has begun
      (`EndedBeforeItsRun`), and the note that the server's websocket closed as it stopped
      (`ServerStopping`);
    - "a served run" (the process Prefect's runner starts for a run of serve's, which the
      terminal's Ctrl-C reaches too): the crash notes of a run Ctrl-C stopped, on the terminal
      (the server keeps them); for good from the run's start (the ExitStack is never
      closed), since Prefect logs them after the flow's function has ended."""
    block = ExitStack()
    block.enter_context(drop_from_terminal(AfterTheStop()))
    if what == "flows here":
        block.enter_context(drop_from_loggers(Interrupted(sigterm=True), *RUN_LOGGERS))
    elif what == "a served run":
        block.enter_context(drop_from_terminal(Interrupted()))
    else:
        if serve_stopping is None:
            raise TypeError("serve's terminal after a stop needs serve_stopping")
        block.enter_context(
            drop_from_loggers(Notes(*SERVE_STOPPING), "prefect.runner", "prefect.flows")
        )
        block.enter_context(drop_from_loggers(EndedBeforeItsRun(serve_stopping), *RUNNERS_NOTES))
        block.enter_context(
            drop_from_loggers(ServerStopping(), "prefect.FlowRunCancellingObserver")
        )
    return block
