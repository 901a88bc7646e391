"""`uprdex themes`: the names `--theme` takes, with how many asks of the index have each."""

from __future__ import annotations

from pathlib import Path

import click
from rich.markup import escape

from uprdex.flows.cli._common import count, index_option, open_index, out


@click.command()
@index_option
def themes(index: Path | None) -> None:
    """List the themes `--theme` takes, each with how many asks of the index have it.

    The themes the exports give (UPR Info's issues; the classifier's and the keyword themes shown
    beside them; else the keyword themes), most asks first; then those the theme classifier
    knows that no ask here has (0). An ask may have several themes.
    """
    from uprdex.pipeline.theme_model import ThemeModel

    with open_index(index) as store:
        given = store.themes()
    known = [name for name in ThemeModel.load().classes if name not in given]
    rows = [*sorted(given.items(), key=lambda item: (-item[1], item[0])), *((n, 0) for n in known)]
    width = len(str(max((n for _, n in rows), default=0)))
    for name, asks in rows:
        out.print(f"{asks:>{width}}  {escape(name)}")
    out.print(
        f"{count(len(given), 'theme')} given to this index's asks"
        + (f", {len(known)} more the classifier knows given to none" if known else "")
        + ' (`uprdex recs --theme "death penalty"` lists the asks of one, any case)'
    )
