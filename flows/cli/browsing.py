"""`uprdex browse`: the index in the browser (Datasette), read-only."""

from __future__ import annotations

from contextlib import suppress
from pathlib import Path

import click
from rich.markup import escape

from uprdex.flows.cli._common import existing, index_option, open_index, out
from uprdex.pipeline.errors import BadIndexError


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
    from uprdex.pipeline.browse import build_datasette, serve

    path = existing(index).resolve()
    # As every command that reads it, an earlier uprdex's index gets this one's schema and
    # views (a large index's facets need the stored lists); one it cannot bring up to date
    # (read-only, a newer uprdex's) is served as it is.
    with suppress(BadIndexError):
        open_index(path).close()
    build_datasette(path)  # a missing extra or a bad index fails here, before the server
    out.print(f"Serving {escape(str(path))} read-only at http://127.0.0.1:{port}/ (Ctrl-C stops)")
    serve(path, port)
