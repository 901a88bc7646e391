"""`uprdex status`: where the index is, what it holds, and what is stale in it."""

from __future__ import annotations

from pathlib import Path

import click
from rich.markup import escape

from uprdex.flows.cli._common import index_option, open_index, out
from uprdex.flows.cli._unread import why_unread
from uprdex.pipeline.errors import UprdexError
from uprdex.pipeline.settings import default_index_path


@click.command()
@index_option
def status(index: Path | None) -> None:
    """Where the index is and what it holds."""
    path = index or default_index_path()
    if not path.exists():
        out.print(f"No index at {escape(str(path))} yet: `uprdex ingest PATH...` creates it.")
        return
    with open_index(index) as store:
        summary = store.summary()
        documents = store.documents()
        corrections = store.applied_corrections().held  # imported ids read as asks
        held = (
            store.cluster_ids([rec for c in corrections for rec in c.pair]) if corrections else {}
        )
        left = sorted(store.stale_cluster_states())
        matched = store.paraphrases_made_otherwise()
        try:
            stale = (
                f"clusters of {', '.join(left)} made before a correction changed (a `cluster "
                "forget` or `links --import` cut short): the same command again, the next "
                "`uprdex run` or `ingest`, or `uprdex cluster` makes them again"
                if left
                else ""
                if store.clusters_current()
                else "clusters made with other models or settings than this uprdex's (an "
                "upgrade, `uprdex train-*`, [clusters] in uprdex.toml): the next `uprdex run` or "
                "`uprdex ingest` makes them again, `uprdex cluster` now"
            )
        except UprdexError as error:  # a model or [clusters] this uprdex cannot read
            stale = f"cannot tell what the clusters were made with: {error}"
    out.print(f"Index {escape(str(store.path))}")
    for key, value in summary.items():
        out.print(f"  {key.replace('_', ' ')}: {value}")
    for document in documents:
        if document.status != "indexed":
            out.print(f"  {why_unread(document)}")
    from uprdex.flows.rereading import read_by_this_release

    earlier = sum(
        document.status == "indexed" and not read_by_this_release(document)
        for document in documents
    )
    if earlier:
        out.print(
            f"  documents read by an earlier uprdex (release or theme model): {earlier} (`uprdex "
            "run` for the inbox, or `uprdex ingest PATH...`, reads them again with this one)"
        )
    if stale:
        out.print(f"  [yellow]{escape(stale)}[/]")
    if matched:
        from uprdex.pipeline.paraphrase import RULE

        out.print(
            f"  [yellow]paraphrases matched by {escape(matched)}, not by this uprdex's "
            f"{RULE} at {store.evidence_settings.paraphrase_threshold:.2f}[/]: `uprdex "
            "rematch` matches the stored sentences again (no PDF read), as does the next "
            "`uprdex run` or `ingest`"
        )
    # A release that reads a report otherwise may number its asks otherwise.
    stranded = sum(any(rec not in held for rec in c.pair) for c in corrections)
    if stranded:
        out.print(
            f"  [yellow]corrections naming an ask not in this index[/]: {stranded} (`uprdex "
            "cluster links` lists them)"
        )
