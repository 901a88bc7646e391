"""The `uprdex` command line: one module per command group.

Start-up stays fast (`uprdex --help` imports neither spaCy nor numpy nor the store): each
command imports what it runs when it runs.
"""

from __future__ import annotations

import atexit
import os
import sys
import threading
from typing import Any

import click
from rich.markup import escape

from uprdex.flows import warm
from uprdex.flows.cli import (
    browsing,
    clustering,
    configuring,
    ingesting,
    outputs,
    querying,
    scheduling,
    status,
    theming,
    training,
)
from uprdex.flows.cli._common import cannot_write, closed_pipe, err
from uprdex.flows.exit_codes import EXIT_BUSY, EXIT_CODES_HELP, EXIT_INTERRUPTED, EXIT_USAGE
from uprdex.pipeline.errors import IndexBusyError, UprdexError

__all__ = ["call_main", "main", "run"]


class _Uprdex(click.Group):
    """The one error boundary: an error a user can cause ends as one line naming the file or
    setting and what to do, never a traceback, with its documented exit code (EXIT_CODES_HELP):
    EXIT_BUSY for a busy index, EXIT_USAGE for the rest (an error uprdex raises on purpose, a
    file or folder the system refuses, a Prefect server that does not answer),
    EXIT_INTERRUPTED for Ctrl-C, EXIT_CLOSED_PIPE when the reader of the output went away
    (`| head`). Anything else is a bug, and shows its traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except UprdexError as error:
            err.print(f"[red]error[/] {escape(str(error))}")
            ctx.exit(EXIT_BUSY if isinstance(error, IndexBusyError) else EXIT_USAGE)
        except KeyboardInterrupt:  # Ctrl-C: click would say "Aborted!" and exit 1
            err.print(
                "[yellow]interrupted[/]: what was written before is kept, whole; run the "
                "command again to go on"
            )
            ctx.exit(EXIT_INTERRUPTED)
        except BrokenPipeError:  # the reader of standard output went away (`| head`)
            ctx.exit(closed_pipe())
        except OSError as error:
            err.print(f"[red]error[/] {escape(cannot_write(error))}")
            ctx.exit(EXIT_USAGE)
        except Exception as error:
            from uprdex.flows.prefect_api import unanswered

            said = unanswered(error)
            if said is None:
                raise
            err.print(f"[red]error[/] {escape(said)}")
            ctx.exit(EXIT_USAGE)


@click.group(
    cls=_Uprdex, context_settings={"help_option_names": ["-h", "--help"]}, epilog=EXIT_CODES_HELP
)
@click.version_option(package_name="uprdex")
def main() -> None:
    """uprdex: an evidence index of UN Universal Periodic Review recommendations.

    Drop Working Group reports (and other UPR documents) in a folder, `uprdex ingest` it, then
    query with `uprdex recs`, `uprdex show` or `uprdex export`.
    """


for _command in (
    ingesting.ingest,
    ingesting.import_,
    ingesting.rematch,
    querying.recs,
    querying.show,
    outputs.export,
    querying.search,
    querying.evidence,
    querying.cited,
    theming.themes,
    clustering.cluster_,
    clustering.clusters_,
    outputs.report,
    browsing.browse,
    training.train_themes,
    training.train_similarity,
    training.train_word_vectors,
    training.train_pairs,
    status.status,
    configuring.config_,
    scheduling.run,
    scheduling.serve,
    scheduling.watch,
    scheduling.warm_,
):
    _command.epilog = EXIT_CODES_HELP
    main.add_command(_command)


def run() -> None:
    """The `uprdex` console script: the command handed to a warm uprdex when one runs
    (`uprdex warm`, flows/warm.py), else `main` here, then the end of the process without the
    interpreter's teardown.

    Tearing down the modules spaCy brings (thinc, confection, pydantic; ~1,500 modules in all)
    took 0.3-0.5 s after every command that tags themes, a fifth of a one-report ingest, to
    free memory the system frees anyway. What the end of a process must do still runs: the
    atexit handlers (logging's, the sandbox's), then the flush of the output. While another
    thread is running, or after a Prefect flow, Python's own end is kept.
    """
    handed = warm.hand_over(sys.argv[1:])
    if handed is not None:
        _flush()
        os._exit(handed)
    code = _main_code()
    # Prefect's services (logs and events sent to an API) flush at the interpreter's own end,
    # and a command that ran a flow costs seconds anyway: it ends as Python ends (unless its
    # temporary Prefect server is gone: nothing can be sent).
    if ("prefect" in sys.modules and not _server_lost()) or any(
        thread.is_alive() and not thread.daemon
        for thread in threading.enumerate()
        if thread is not threading.main_thread()
    ):
        sys.exit(code)
    os._exit(_ended(code))


def _server_lost() -> bool:
    from uprdex.flows.prefect_api import lost

    return lost()


def call_main() -> int:
    """`main` as the console script ends it, for a warm copy: its exit status, after the
    atexit handlers and the flush of the output."""
    return _ended(_main_code())


def _main_code() -> str | int | None:
    try:
        main()
    except SystemExit as end:
        return end.code
    return 0


def _ended(code: str | int | None) -> int:
    status = _status(code)
    atexit._run_exitfuncs()
    if not _flush() and status == 0:
        # The last lines, still buffered, found the reader gone (`| head`): as `main` ends.
        status = closed_pipe()
    return status


def _flush() -> bool:
    """Flush standard output and error; False when standard output's reader went away."""
    flushed = True
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BrokenPipeError:
            flushed = flushed and stream is not sys.stdout
        except (OSError, ValueError):  # closed
            pass
    return flushed


def _status(code: str | int | None) -> int:
    """The exit status Python gives `sys.exit(code)`: None 0, an int itself, else the value
    printed on standard error and 1."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr, flush=True)
    return 1
