"""`uprdex browse`: the index in the browser (Datasette), read-only."""

from __future__ import annotations

from pathlib import Path

import click
from rich.markup import escape

from uprdex.flows.cli._common import err, existing, index_option, open_index, out
from uprdex.pipeline.errors import BadIndexError, IndexBusyError, ReadOnlyIndexError

_NO_WAIT = 0.5
"""Seconds browse waits for a writer before it serves the index as it is."""


@click.command()
@click.option(
    "--port", type=click.IntRange(0, 65535), default=8001, show_default=True, help="Port."
)
@index_option
def browse(port: int, index: Path | None) -> None:
    """Browse and query the index in a web browser (Datasette), read-only, on this machine.

    Facets by State, cycle, response, theme, recommending State and regional group, and
    cluster; full-text search; canned queries; each evidence row links to its PDF page. Add
    `.json` to any page's address for its data. Needs the browse extra: pip install
    'uprdex[browse]'.
    """
    from uprdex.pipeline.browse import build_datasette, parts_stored, serve, views_behind

    path = existing(index).resolve()
    # As every command that reads it, an earlier uprdex's index gets this one's schema and
    # views (a large index's facets need the stored lists); one it cannot bring up to date
    # (read-only, a newer uprdex's, or being written: no waiting for the writer) is served as
    # it is, and an earlier uprdex's views said to be so, in one line.
    why = None
    try:
        open_index(path, busy_timeout=_NO_WAIT).close()
    except IndexBusyError:
        why = "being written by another program (browse does not wait)"
    except ReadOnlyIndexError:
        why = "read-only (the file, its folder or its disk)"
    except BadIndexError:
        pass
    behind = views_behind(path) if why else None
    if behind:
        err.print(
            f"{escape(str(path))}: {escape(behind)}; it is {why}, so browse serves them as they "
            "are, until an uprdex command can write it"
        )
    elif why:
        err.print(f"{escape(str(path))} is {why}: serving it as it is")
    build_datasette(path)  # a missing extra or a bad index fails here, before the server
    if not parts_stored(path):
        err.print(
            f"{escape(str(path))} holds no parts of compound recommendations (an older uprdex "
            "wrote it): a searched page lists a compound recommendation for every State that "
            "made it, whichever part holds the words; bring the index up to date (any uprdex "
            "command where it can be written) for the parts rule"
        )
    out.print(f"Serving {escape(str(path))} read-only at http://127.0.0.1:{port}/ (Ctrl-C stops)")
    serve(path, port)
