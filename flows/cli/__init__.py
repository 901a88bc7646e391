"""The `uprdex` command line: one module per command group.

Start-up stays fast (`uprdex --help` imports neither spaCy nor numpy nor the store): each
command imports what it runs when it runs.
"""

from __future__ import annotations

from typing import Any

import click
from rich.markup import escape

from uprdex.flows.cli import (
    browsing,
    clustering,
    configuring,
    ingesting,
    outputs,
    querying,
    scheduling,
    training,
)
from uprdex.flows.cli._common import EXIT_BUSY, EXIT_CODES_HELP, EXIT_USAGE, cannot_write, err
from uprdex.pipeline.errors import IndexBusyError, UprdexError

__all__ = ["main"]


class _Uprdex(click.Group):
    """The one error boundary: an error a user can cause ends as one line naming the file or
    setting and what to do, never a traceback, with its documented exit code (EXIT_CODES_HELP):
    EXIT_BUSY for a busy index, EXIT_USAGE for the rest (an error uprdex raises on purpose, or
    a file or folder the system refuses). Anything else is a bug, and shows its traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except UprdexError as error:
            err.print(f"[red]error[/] {escape(str(error))}")
            ctx.exit(EXIT_BUSY if isinstance(error, IndexBusyError) else EXIT_USAGE)
        except BrokenPipeError:
            raise  # the reader of standard output went away (`| head`): Python's own way
        except OSError as error:
            err.print(f"[red]error[/] {escape(cannot_write(error))}")
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
    querying.recs,
    querying.show,
    outputs.export,
    querying.search,
    querying.evidence,
    querying.cited,
    clustering.cluster_,
    clustering.clusters_,
    outputs.report,
    browsing.browse,
    training.train_themes,
    training.train_similarity,
    querying.status,
    configuring.config_,
    scheduling.run,
    scheduling.serve,
    scheduling.watch,
):
    _command.epilog = EXIT_CODES_HELP
    main.add_command(_command)
