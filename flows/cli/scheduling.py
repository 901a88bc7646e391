"""The nightly flow: `uprdex run` once, `serve` on a schedule, `watch` a folder."""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext, suppress
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click
from rich.markup import escape

from uprdex.flows.cli._common import (
    count,
    dask_options,
    err,
    flow_paths,
    inbox_option,
    index_option,
    out,
    ready_to_run,
    say_conflicts,
    workspace,
    writing,
)
from uprdex.flows.cli._run_lines import copies, each_file, on_workers
from uprdex.flows.cli._served_runs import (
    follow,
    left_on_the_server,
    mark_left,
    server_gone,
    stop_runs,
)
from uprdex.flows.exit_codes import EXIT_OK, EXIT_SOME_FAILED, EXIT_STOPPED, EXIT_USAGE
from uprdex.flows.interrupts import (
    DEPLOYMENT,
    NOT_SERVED,
    end_serve,
    ignore_stops,
    note_the_stop,
    prefects_sigterm_noted,
    serving,
    sigterm_as_ctrl_c,
    stop_watching,
)
from uprdex.flows.logs import (
    RunNotes,
    drop_from_terminal,
    quiet_the_terminal_after_a_stop,
    say_errors_in_one_line,
)
from uprdex.pipeline.extras import require
from uprdex.pipeline.stopping import clear as clear_stop
from uprdex.pipeline.stopping import was_asked as stop_was_asked

if TYPE_CHECKING:
    from uuid import UUID

    from prefect.runner import Runner

    from uprdex.flows.nightly import NightlySummary
    from uprdex.flows.prefect_api import API
    from uprdex.pipeline.config import Config


@click.command()
@inbox_option
@index_option
@dask_options[0]
@dask_options[1]
@click.option("--ocr", is_flag=True, help="Run ocrmypdf (when installed) on scans, on a copy.")
@click.option("--verbose", is_flag=True, help="Show Prefect's and Dask's log lines.")
def run(
    inbox: Path | None,
    index: Path | None,
    dask_address: str | None,
    dask_workers: int,
    ocr: bool,
    verbose: bool,
) -> None:
    """Run the nightly flow once, now, without a Prefect server.

    Ingests the inbox (failed files are copied to the quarantine beside it, with a
    .error.json), then writes the exports to the reports folder. Exit code 1 when any file
    failed. With PREFECT_API_URL set, the run is recorded on that Prefect server; otherwise
    Prefect starts one temporary server for it.
    """
    from uprdex.flows.prefect_api import environment, lost, temporary_api
    from uprdex.flows.watch import now

    if inbox is not None and not inbox.is_dir():
        err.print(f"[red]error[/] no inbox folder at {escape(str(inbox))}")
        sys.exit(EXIT_USAGE)
    config = workspace(inbox, index)
    ready_to_run(config)
    # The temporary Prefect server starts while the flow's modules import (`_run_once`).
    # Quiet unless --verbose: set before Prefect is imported, which sets its loggers up then.
    keep = verbose or "PREFECT_LOGGING_LEVEL" in os.environ
    since, said = now(), threading.Lock()

    def say_stopped() -> None:
        """Run's last line when a SIGTERM stopped it (a service manager's, to every process
        of the run: its temporary server too), once: from here, or from the thread that ends
        the run when its server is gone after the stop (`prefect_api`)."""
        if said.acquire(blocking=False):
            out.print(_stopped(config, since, run=True))

    try:
        with (
            sigterm_as_ctrl_c(),
            environment({} if keep else {"PREFECT_LOGGING_LEVEL": "WARNING"}),
            temporary_api(say=verbose) as api,
        ):
            api.stop_line, api.stop_code = say_stopped, EXIT_STOPPED
            summary = _run_once(api, config, dask_address, dask_workers, ocr, verbose, keep)
    except BaseException:
        if not stop_was_asked():  # else whatever ended the run (its crash handling) is the stop
            raise
        say_stopped()
        sys.exit(EXIT_STOPPED)
    if lost():  # after the run's work: the documents and outputs are whole
        err.print(
            "[yellow]warning[/] the temporary Prefect server stopped at the end of the run: "
            "the run's last log lines and events were not recorded on it"
        )
    each_file(summary, config)
    say_conflicts(summary.conflicts)
    if dask_address or dask_workers:
        out.print(f"extracted on Dask workers: {on_workers(summary)}")
    out.print(
        f"{count(summary.found, 'file')} in {escape(str(config.inbox))}: "
        f"{len(summary.indexed)} indexed"
        f"{f' ({summary.read_again} read again by this release)' if summary.read_again else ''}, "
        f"{summary.skipped} already indexed, {len(summary.failed)} failed"
        f"{f', {len(summary.changed)} not read (gone meanwhile)' if summary.changed else ''}"
        f"{copies(summary)}. "
        f"Index {escape(str(config.index))}; exports in {escape(str(config.reports))}."
    )
    sys.exit(EXIT_SOME_FAILED if summary.failed else EXIT_OK)


def _run_once(
    api: API,
    config: Config,
    dask_address: str | None,
    dask_workers: int,
    ocr: bool,
    verbose: bool,
    keep: bool,
) -> NightlySummary:
    """`uprdex run`'s flow, once, on `api`: the Dask cluster is reached (and its workers
    checked) before the flow, so that a problem is one line."""
    from uprdex.flows import scaleout
    from uprdex.flows.nightly import nightly

    dask = dask_address or dask_workers
    cluster = scaleout.connect(dask_address, dask_workers, verbose) if dask else nullcontext()
    with cluster:
        api.ready()
        with _flow_runs_here(api, keep):
            summary = nightly(
                str(config.inbox),
                str(config.index),
                str(config.quarantine),
                str(config.reports),
                dask_address,
                dask_workers,
                ocr,
            )
            api.done()
    return summary


@click.command()
@inbox_option
@index_option
@click.option(
    "--cron", default=None, help="Cron schedule (default: uprdex.toml's, else '0 2 * * *')."
)
@click.option(
    "--timezone", default=None, help="Time zone of the schedule (IANA name, e.g. Europe/Zurich)."
)
@click.option(
    "--register-only",
    is_flag=True,
    help="Register the deployment and return, "
    "without starting the runner that executes the scheduled runs.",
)
def serve(
    inbox: Path | None,
    index: Path | None,
    cron: str | None,
    timezone: str | None,
    register_only: bool,
) -> None:
    """Register the nightly deployment with its cron schedule on a Prefect server and serve it.

    Needs a running server: `prefect server start` (SQLite, binds 127.0.0.1), then
    PREFECT_API_URL=http://127.0.0.1:4200/api in the environment. The runs run in the folder
    `uprdex serve` was started in: relative paths (uprdex.toml's) are read from there. See
    docs/how-it-works.md, "Schedule".
    """
    if not os.environ.get("PREFECT_API_URL"):
        raise click.UsageError(
            "uprdex serve needs a Prefect server: run `prefect server start` in another "
            "terminal and set PREFECT_API_URL=http://127.0.0.1:4200/api"
        )
    from prefect.schedules import Cron
    from prefect.types.entrypoint import EntrypointType

    from uprdex.flows.nightly import nightly

    config = workspace(inbox, index)
    try:
        config = replace(config, cron=cron or config.cron, timezone=timezone or config.timezone)
    except ValueError as error:
        raise click.BadParameter(str(error)) from error
    schedule = Cron(config.cron, timezone=config.timezone)
    # The paths as given (uprdex.toml's are relative): the served runs run in this folder, as
    # prefect.yaml's runs run in the worker's. The flow is named by its module in the
    # installed package, not by a path to its file (Prefect's default, relative to here).
    parameters = flow_paths(config)
    module = EntrypointType.MODULE_PATH
    if register_only:
        deployment = nightly.to_deployment(
            name=DEPLOYMENT, schedules=[schedule], parameters=parameters, entrypoint_type=module
        )
        deployment_id = deployment.apply()  # type: ignore[union-attr]
        out.print(
            f"registered nightly/{DEPLOYMENT} ({deployment_id}) with schedule "
            f"{schedule.cron} {schedule.timezone or 'UTC'}"
        )
        return
    sigterm: list[float] = []
    clear_stop()
    with (
        _sigterm_stops(sigterm) as stopping,
        quiet_the_terminal_after_a_stop("serve", stopping),
        serving(),
    ):
        nightly.serve(
            name=DEPLOYMENT, schedules=[schedule], parameters=parameters, entrypoint_type=module
        )
    # Prefect's serve returns when Ctrl-C or SIGTERM (a service manager's stop) stopped it,
    # having paused the deployment, which the next `uprdex serve` resumes. Ctrl-C ends the
    # command as every command Ctrl-C stops, in one line; SIGTERM is a stop asked for.
    if not sigterm:
        raise KeyboardInterrupt
    out.print(f"stopped: nightly/{DEPLOYMENT} is paused until `uprdex serve` runs again")


STOP_WAIT = 3.0
"""Seconds a SIGTERM that came before Prefect's runner started waits for it to start (and stop,
pausing the deployment) before serve ends without it: registering the deployment on a server
that does not answer waits minutes (Prefect's request timeout times its retries)."""
SERVER_GONE = f"the Prefect server stopped too, so nightly/{DEPLOYMENT} may not be paused"
"""How serve says its stop found the server gone (a service manager's stop signals both)."""
AGAIN_WAIT = 2.0
"""Seconds a second SIGTERM lets serve's stop go on before serve ends without it: `kill PID;
kill PID` while the pause waits on a server that is stopping too, but not one stop signalled
twice (`timeout` signals its command, then the command's process group)."""


@contextmanager
def _sigterm_stops(heard: list[float]) -> Iterator[Callable[[], bool]]:
    """While in it, SIGTERM stops Prefect's serve, noted in `heard` (when), whenever it comes:
    Prefect's runner stops itself (its own stop, which pauses the deployment), on its event
    loop; a SIGTERM that comes before the runner has started stops it as it starts, or, when it
    has not started within STOP_WAIT seconds, ends serve then. A second SIGTERM ends serve
    AGAIN_WAIT seconds later, if it has not ended. Gives a function saying whether serve's own
    stop (Ctrl-C or SIGTERM) has begun.

    The handler raises nothing: it notes the signal, asks the runner's loop to stop the runner
    and wakes a thread that ends serve if the stop does not come in time. A handler that
    stopped serve by raising SystemExit (ours before the runner took SIGTERM over, Prefect's
    until the runner had started) lost the stop when the signal landed while Python ran a
    weakref callback or a `__del__`, where an exception is printed as "Exception ignored in:
    ..." and dropped: serve went on serving until SIGKILL. `os._exit` (`_end_at_once`) raises
    nothing, so it cannot be lost there."""
    # Here, not at the top: `uprdex --help` imports this module, and asyncio brings ssl and
    # subprocess (~30 ms); Prefect's runner imports it anyway.
    import asyncio

    from prefect.runner import Runner

    prefects, enter = Runner.handle_sigterm, Runner.__aenter__
    started: list[tuple[Runner, asyncio.AbstractEventLoop, asyncio.Task[Any] | None]] = []
    ours: set[UUID] = set()  # the runs the runner started (`_served_runs.follow`)
    # The handler wakes the thread through a pipe, not a threading.Event: a second SIGTERM that
    # landed while the first one's handler held the Event's lock waited for it forever.
    wake, woken = os.pipe()[::-1]
    os.set_blocking(wake, False)
    done = threading.Event()

    def stop(runner: Runner) -> None:
        """On the runner's loop: Prefect's handler, which logs, marks the runner stopping and
        schedules its stop; once only, and only once the runner has started (before, it raises
        SystemExit)."""
        if runner.started and not runner.stopping:
            prefects(runner)

    def on_sigterm(*args: Any, **kwargs: Any) -> None:
        heard.append(time.monotonic())
        with suppress(OSError):
            os.write(wake, b"!")
        for runner, loop, _ in started:
            with suppress(RuntimeError):  # its loop is closed: that runner has stopped
                loop.call_soon_threadsafe(stop, runner)

    def unless_stopped() -> None:
        """In a thread, not in the signal's handler: ends serve when the runner has not started
        STOP_WAIT seconds after a SIGTERM (so nothing runs), or AGAIN_WAIT seconds after a
        second SIGTERM, unless serve's stop is done."""
        os.read(woken, 1)
        note_the_stop()  # here, not in the handler: a threading.Event's set takes its lock
        while not done.wait(0.2):
            now = time.monotonic()
            if server_gone():  # the same stop ended it: the runner's stop would call it for minutes
                end_serve(f"stopped: {SERVER_GONE}" + stop_runs() + left_on_the_server(ours))
            if not started and now - heard[0] >= STOP_WAIT:
                _end_at_once(served=False, ours=ours)
            if len(heard) > 1 and now - heard[1] >= AGAIN_WAIT:
                _end_at_once(served=bool(started), ours=ours)

    async def entered(runner: Runner) -> Runner:
        await enter(runner)
        started.append((runner, asyncio.get_running_loop(), asyncio.current_task()))
        follow(runner, stopping, ours)
        if heard:  # SIGTERM came before: registering the deployment, or the runner starting
            stop(runner)
        return runner

    def stopping() -> bool:
        """Ctrl-C (asyncio cancels the task that serves) or SIGTERM has begun serve's stop."""
        return bool(heard) or any(
            runner.stopping or not runner.started or (task is not None and task.cancelling())
            for runner, _, task in started
        )

    main = threading.current_thread() is threading.main_thread()
    watch = threading.Thread(target=unless_stopped, name="uprdex-sigterm", daemon=True)
    watch.start()
    if main:  # in place of `interrupts.stop_serve_early`'s, if the console script set it
        signal.signal(signal.SIGTERM, on_sigterm)
    Runner.handle_sigterm = lambda runner, *args, **kwargs: on_sigterm()  # type: ignore[method-assign]
    Runner.__aenter__ = entered  # type: ignore[method-assign,assignment]
    try:
        yield stopping
    finally:
        Runner.handle_sigterm, Runner.__aenter__ = prefects, enter  # type: ignore[method-assign]
        if main:
            # Serve's stop is done, or it failed: what is left is its line and its end, which
            # a later SIGTERM (`timeout`'s second) must not cut to 143 without the line.
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
        done.set()
        with suppress(OSError):
            os.write(wake, b".")
        watch.join(1)
        os.close(wake)
        os.close(woken)


def _end_at_once(served: bool, ours: set[UUID]) -> NoReturn:
    """Ends serve now, in a line, without waiting any longer for the runner's stop (a second
    SIGTERM, or a first that the runner did not start in time to take). Runs it started that
    still run are stopped first (`_served_runs.stop_runs`): left, a run went on after serve had
    ended, and the next `uprdex serve` could start one beside it. Then the runs `ours` whose
    processes ended in the stop are marked cancelled on the server where it does not show them
    ended (`_served_runs.mark_left`): left, a run showed Running for ever."""
    if not served:  # the runner never started: no run did
        end_serve(NOT_SERVED)
    how = f"stopped on a second SIGTERM: nightly/{DEPLOYMENT} may not be paused"
    end_serve(how + stop_runs() + mark_left(ours))


@click.command()
@inbox_option
@index_option
@click.option(
    "--debounce",
    type=float,
    default=10.0,
    show_default=True,
    help="Seconds without new files before a run starts.",
)
@click.option("--verbose", is_flag=True, help="Show Prefect's log lines.")
def watch(inbox: Path | None, index: Path | None, debounce: float, verbose: bool) -> None:
    """Watch the inbox and run the nightly flow when PDFs land (no server needed).

    Runs start once no file has arrived for --debounce seconds, so a folder copied in at once
    is one run. A PDF renamed or moved into the inbox counts (a browser's x.pdf.crdownload or
    x.pdf.part becoming x.pdf, rsync's .x.pdf.Ab12Cd); a download still under way waits for
    its rename. Prints each file indexed or failed and a summary per run; Prefect's own log
    lines with --verbose. Stop with Ctrl-C.
    """
    require("watchdog", "watch", "uprdex watch")
    from watchdog.observers import Observer

    from uprdex.flows.prefect_api import environment, temporary_api
    from uprdex.flows.watch import Debouncer, inbox_handler, now

    config = workspace(inbox, index)
    with writing(config.inbox):
        config.inbox.mkdir(parents=True, exist_ok=True)
    ready_to_run(config)
    debouncer = Debouncer(debounce)
    observer = Observer()
    observer.schedule(inbox_handler(debouncer), str(config.inbox), recursive=True)
    # As `uprdex run`: Prefect's own lines (its temporary server, each flow and task run) only
    # when asked; each run's files and summary in uprdex's words. Set before Prefect is
    # imported, which sets its loggers up then.
    keep = verbose or "PREFECT_LOGGING_LEVEL" in os.environ
    # `kill`, `timeout` or a service manager's stop ends it as Ctrl-C does: ended at once,
    # it left the temporary Prefect server it had started running, an orphan on its port.
    # Either notes that a stop was asked (`pipeline.stopping`): a service manager signals the
    # server and the sandbox workers too, and their ends are then the stop.
    clear_stop()
    signal.signal(signal.SIGTERM, stop_watching)
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        signal.signal(signal.SIGINT, stop_watching)
    since: str | None = None  # when the run under way began
    said: list[bool] = []
    saying = threading.Lock()

    def say_stopped() -> None:
        """Watch's last line, once: from here, or from the thread that ends watch when its
        temporary server is gone after the stop was asked (`prefect_api`), which waits for a
        line being said here (said before the server's stop, it may be gone meanwhile)."""
        with saying:
            if not said:
                said.append(True)
                out.print(_stopped(config, since))

    try:
        # As `uprdex run`'s, the temporary Prefect server is started in its own process group:
        # Prefect's own, in watch's group, was killed by the terminal's Ctrl-C mid-run while
        # the run went on, and the watcher ended 75 s later in walls of Prefect's errors.
        with (
            environment({} if keep else {"PREFECT_LOGGING_LEVEL": "WARNING"}),
            temporary_api(say=verbose) as api,
        ):
            from uprdex.flows.nightly import nightly

            observer.start()
            out.print(f"watching {escape(str(config.inbox))} (Ctrl-C to stop)")
            debouncer.poke()  # files already waiting are picked up at start
            api.stop_line = say_stopped
            try:
                api.ready()
                with _flow_runs_here(api, keep):
                    while True:
                        if debouncer.wait_until_due():
                            since = now()
                            _watched_run(nightly, config)
                            since = None
            except BaseException as error:
                if not _the_stop(error):
                    raise
                # The run has stopped: the line now, before the server's stop (its last
                # events sent, seconds on a busy machine), which a kill could cut short.
                ignore_stops()
                say_stopped()
                raise KeyboardInterrupt from None
    except BaseException as error:
        if not _the_stop(error):
            raise
    finally:
        ignore_stops()  # whatever ended it (Prefect's SIGTERM handler during a run)
        observer.stop()
        if observer.is_alive():  # not when stopped before it started
            observer.join()
    say_stopped()


def _the_stop(error: BaseException) -> bool:
    """Whether `error` ended watch as its stop: Ctrl-C's KeyboardInterrupt, or whatever ended it
    once a stop was asked (Prefect's crash handling of the run the stop cut short)."""
    return isinstance(error, KeyboardInterrupt) or stop_was_asked()


def _stopped(config: Config, since: str | None, run: bool = False) -> str:
    """Watch's last line (`run`: run's, stopped by SIGTERM): stopped, during a run (`since`:
    when it began) or not, what that run indexed, and what is left in the inbox for the next
    run."""
    from uprdex.flows.watch import left

    what = left(config, since)
    said = []
    if what is not None and since is not None:
        said.append(f"it had indexed {count(what.indexed, 'PDF')}")
    if what is not None and what.waiting:
        said.append(
            f"{count(what.waiting, 'PDF')} in it not indexed yet, for the next "
            + ("`uprdex run`" if run else "`uprdex watch` or `uprdex run`")
        )
    inbox = escape(str(config.inbox))
    if run:
        stopped = f"stopped (SIGTERM) the run of {inbox}"
    else:
        stopped = f"stopped watching {inbox}{'' if since is None else ' during a run'}"
    return stopped + (f": {'; '.join(said)}" if said else "")


@contextmanager
def _flow_runs_here(api: API, keep: bool) -> Iterator[None]:
    """While in it, the nightly flow runs in this process (`uprdex run`, `watch`): with the
    temporary server's settings, an error uprdex raised in one line, the flow's notes of each
    file only with --verbose (the summary says them), and the terminal after a stop
    (`logs.quiet_the_terminal_after_a_stop`). A service manager's SIGTERM to every process of
    the run ends its sandbox workers too: the documents they read are not to blame
    (`sandbox.WorkerStopped`), and what Prefect then logs of the run's crash is the stop,
    which the command says itself."""
    with (
        api.flow_settings(),
        say_errors_in_one_line(),
        nullcontext() if keep else drop_from_terminal(RunNotes()),
        quiet_the_terminal_after_a_stop("flows here"),
        prefects_sigterm_noted(),
    ):
        yield


def _watched_run(nightly: Callable[..., NightlySummary], config: Config) -> None:
    """One run of the nightly flow for a burst of files, and what it says of each."""
    summary = nightly(
        str(config.inbox), str(config.index), str(config.quarantine), str(config.reports)
    )
    # A file that failed before and is still in the inbox is no new failure of this burst:
    # said as such, not counted (`uprdex run` counts it: its exit says the inbox holds one).
    before = [failed for failed in summary.failed if failed[0] in summary.failed_before]
    summary = replace(summary, failed=[f for f in summary.failed if f not in before])
    for path in summary.indexed:
        out.print(f"[green]indexed[/] {escape(path)}")
    each_file(summary, config)
    for _, reason in before:
        err.print(f"[yellow]still failed[/] {escape(reason)}")
    say_conflicts(summary.conflicts)
    out.print(f"{len(summary.indexed)} indexed, {len(summary.failed)} failed{copies(summary)}")


@click.command("warm")
def warm_() -> None:
    """Keep uprdex loaded, so that `ingest`, `import` and `cluster` start at once.

    Loads spaCy, the theme matchers and the models once (about 1.3 s), then runs each of those
    commands, given in any terminal of this user and Python environment, in a copy of itself:
    a one-report ingest takes about a third of the time. Without it, or after an upgrade or an
    edit of uprdex, the commands run as usual. Ctrl-C to stop; UPRDEX_WARM=0 runs a command
    without it.
    """
    # A new interpreter that imports no command-line module: each copy it forks sets up its
    # output for the terminal of the command it runs.
    os.execv(sys.executable, [sys.executable, "-m", "uprdex.flows.warm"])
